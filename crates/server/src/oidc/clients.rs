//! Registered clients: how one is created (the `tessera oidc-client` command, the demo's
//! seed) and how one proves who it is at the token and backchannel endpoints.
use std::collections::BTreeMap;

use axum::{Form, extract::rejection::FormRejection, http::HeaderMap};
use tessera_protocol::{b64_decode, sha256};

use super::assertion::{self, JWT_BEARER, usable_jwks};
use crate::{
    error::{AppError, AppResult},
    secrets::random_token,
    store::{OidcClientRow, Store},
};

/// The form of a token or backchannel request; a body that is not a form is
/// `invalid_request`.
pub(crate) fn form(body: Result<Form<Vec<(String, String)>>, FormRejection>) -> AppResult<Params> {
    let Form(pairs) =
        body.map_err(|e| AppError::oauth("invalid_request", format!("not a form: {e}")))?;
    Params::new(pairs)
}

/// A form's parameters. A parameter sent twice is refused, as RFC 6749 §3.1 asks.
pub struct Params(BTreeMap<String, String>);

impl Params {
    pub fn new(pairs: Vec<(String, String)>) -> AppResult<Params> {
        let mut map = BTreeMap::new();
        for (name, value) in pairs {
            if map.insert(name.clone(), value).is_some() {
                return Err(AppError::oauth(
                    "invalid_request",
                    format!("{name} is given more than once"),
                ));
            }
        }
        Ok(Params(map))
    }

    /// The parameter, if present and not empty (an empty one counts as absent).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn require(&self, name: &str) -> AppResult<&str> {
        self.get(name)
            .ok_or_else(|| AppError::oauth("invalid_request", format!("{name} is missing")))
    }
}

/// What `tessera oidc-client` registers.
pub struct NewClient {
    pub id: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub partner_id: String,
    pub origin: String,
    pub notification_endpoint: Option<String>,
    /// A JWKS of P-256 keys: the client authenticates with `private_key_jwt` (and has no
    /// secret).
    pub jwks: Option<String>,
}

/// A client id: 1 to 64 of `A-Z a-z 0-9 . _ -`, so it needs no encoding anywhere.
fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// A redirect URI a client may register: absolute `https`, or `http` on the loopback
/// (RFC 8252 §7.3), without a fragment (RFC 6749 §3.1.2).
fn valid_redirect_uri(uri: &str) -> bool {
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|prefix| {
            uri.strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with([':', '/']))
        });
    (uri.starts_with("https://") || loopback)
        && !uri.contains('#')
        && uri.bytes().all(|b| b.is_ascii_graphic())
}

/// Registers (or replaces) a client and returns its new secret, shown once (none for a
/// client with a JWKS).
pub fn register(store: &Store, client: NewClient, now: u64) -> AppResult<Option<String>> {
    if !valid_id(&client.id) {
        return Err(AppError::bad_request(
            "invalid_client_id",
            "a client id is 1 to 64 letters, digits, '.', '_' or '-'",
        ));
    }
    if let Some(bad) = client
        .redirect_uris
        .iter()
        .chain(&client.notification_endpoint)
        .find(|uri| !valid_redirect_uri(uri))
    {
        return Err(AppError::bad_request(
            "invalid_redirect_uri",
            format!("{bad}: https, or http on 127.0.0.1/localhost, and no fragment"),
        ));
    }
    if client
        .jwks
        .as_deref()
        .is_some_and(|jwks| !usable_jwks(jwks))
    {
        return Err(AppError::bad_request(
            "invalid_jwks",
            "the JWKS holds no P-256 key (kty EC, crv P-256, x, y)",
        ));
    }
    let (secret, secret_hash) = match client.jwks {
        Some(_) => (None, None),
        None => {
            let (secret, hash) = random_token();
            (Some(secret), Some(hash.to_vec()))
        }
    };
    store.upsert_oidc_client(
        &OidcClientRow {
            id: client.id,
            name: client.name,
            secret_hash,
            jwks: client.jwks,
            redirect_uris: client.redirect_uris,
            partner_id: client.partner_id,
            origin: client.origin,
            notification_endpoint: client.notification_endpoint,
        },
        now,
    )?;
    Ok(secret)
}

fn unknown() -> AppError {
    AppError::oauth("invalid_client", "client authentication failed")
}

/// `Authorization: Basic` as RFC 6749 §2.3.1 writes it: base64 of `id:secret`.
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?.trim();
    // Standard base64 with padding, read with the URL-safe decoder.
    let url_safe: String = encoded
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    let decoded = String::from_utf8(b64_decode(&url_safe)?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// The client that authenticated the request with `client_secret_basic`,
/// `client_secret_post` or `private_key_jwt` (one method per request, RFC 6749 §2.3), at
/// the provider `issuer`. Every failure reads the same, `invalid_client`, so it does not
/// tell which clients exist.
pub fn authenticate(
    store: &Store,
    issuer: &str,
    headers: &HeaderMap,
    params: &Params,
) -> AppResult<OidcClientRow> {
    if let Some(kind) = params.get("client_assertion_type") {
        if basic(headers).is_some() || params.get("client_secret").is_some() {
            return Err(AppError::oauth(
                "invalid_request",
                "use one client authentication method per request",
            ));
        }
        if kind != JWT_BEARER {
            return Err(unknown());
        }
        // The assertion names us as its audience: the issuer or the endpoint called.
        let audiences = [
            issuer.to_owned(),
            format!("{issuer}/oidc/token"),
            format!("{issuer}/oidc/bc-authorize"),
        ];
        let assertion = params.get("client_assertion").ok_or_else(unknown)?;
        return assertion::authenticate(
            store,
            assertion,
            params.get("client_id"),
            &audiences,
            crate::clock::now(),
        );
    }
    let posted = params
        .get("client_secret")
        .map(|secret| (params.get("client_id"), secret));
    let (id, secret) = match (basic(headers), posted) {
        (Some(_), Some(_)) => {
            return Err(AppError::oauth(
                "invalid_request",
                "use one client authentication method per request",
            ));
        }
        (Some(pair), None) => pair,
        (None, Some((Some(id), secret))) => (id.to_owned(), secret.to_owned()),
        _ => return Err(unknown()),
    };
    // A client_id in the body must name the same client as the header.
    if params.get("client_id").is_some_and(|body_id| body_id != id) {
        return Err(unknown());
    }
    let client = store.oidc_client(&id)?.ok_or_else(unknown)?;
    match &client.secret_hash {
        Some(hash) if hash.as_slice() == sha256(secret.as_bytes()).as_slice() => Ok(client),
        _ => Err(unknown()),
    }
}

#[cfg(test)]
mod tests {
    use super::{valid_id, valid_redirect_uri};

    #[test]
    fn redirect_uris_are_https_or_loopback_http_without_fragment() {
        assert!(valid_redirect_uri("https://rp.example/cb"));
        assert!(valid_redirect_uri("http://127.0.0.1:8090/callback"));
        assert!(valid_redirect_uri("http://localhost/cb"));
        assert!(!valid_redirect_uri("http://rp.example/cb"));
        assert!(!valid_redirect_uri("http://localhost.evil.example/cb"));
        assert!(!valid_redirect_uri("https://rp.example/cb#frag"));
        assert!(!valid_redirect_uri("https://rp.example/a b"));
    }

    #[test]
    fn client_ids_need_no_encoding() {
        assert!(valid_id("demo-rp_1.0"));
        assert!(!valid_id(""));
        assert!(!valid_id("a:b"));
        assert!(!valid_id(&"a".repeat(65)));
    }
}
