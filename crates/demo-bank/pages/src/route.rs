//! The page's hash routes: `#/` log in, `#/transfer`, `#/sign`.

/// A page of the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `#/`: log in with Tessera.
    Login,
    /// `#/transfer`: a transfer confirmed with Tessera.
    Transfer,
    /// `#/sign`: an e-Government form signed with Tessera.
    Sign,
}

impl Route {
    /// Every page, in the order of the navigation.
    pub const ALL: [Route; 3] = [Route::Login, Route::Transfer, Route::Sign];

    /// The route of `location.hash` (`#/transfer`); anything unknown is the login.
    pub fn from_hash(hash: &str) -> Route {
        match hash.trim_start_matches('#').trim_end_matches('/') {
            "/transfer" => Route::Transfer,
            "/sign" => Route::Sign,
            _ => Route::Login,
        }
    }

    /// The link to the page.
    pub fn href(self) -> &'static str {
        match self {
            Route::Login => "#/",
            Route::Transfer => "#/transfer",
            Route::Sign => "#/sign",
        }
    }

    /// Its name in the navigation.
    pub fn label(self) -> &'static str {
        match self {
            Route::Login => "Log in",
            Route::Transfer => "Transfer",
            Route::Sign => "e-Government form",
        }
    }

    /// The document title while it is shown.
    pub fn title(self) -> &'static str {
        match self {
            Route::Login => "Demo Bank — Log in",
            Route::Transfer => "Demo Bank — Transfer",
            Route::Sign => "Tax Office — Sign your tax declaration",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_name_their_pages() {
        for route in Route::ALL {
            assert_eq!(Route::from_hash(route.href()), route);
        }
        assert_eq!(Route::from_hash(""), Route::Login);
        assert_eq!(Route::from_hash("#/transfer/"), Route::Transfer);
        assert_eq!(Route::from_hash("#/nowhere"), Route::Login);
    }
}
