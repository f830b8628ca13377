//! The languages of the interface.

/// A language of the interface: those of the markets Tessera serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English (the fallback).
    #[default]
    En,
    /// Français.
    Fr,
    /// Deutsch.
    De,
    /// Nederlands.
    Nl,
}

impl Lang {
    /// All languages, in the order of the picker (and of the apps' text tables).
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Fr, Lang::De, Lang::Nl];

    /// The BCP 47 tag, for `lang` attributes, the picker's values and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Nl => "nl",
        }
    }

    /// The language's own name, for the picker.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::De => "Deutsch",
            Lang::Nl => "Nederlands",
        }
    }

    /// The language for a BCP 47 tag such as `navigator.language` (`fr-BE` → French).
    /// Luxembourgish (`lb`) gets German, the written language closest to it; anything
    /// else unknown gets English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let is = |code: &str| primary.eq_ignore_ascii_case(code);
        if is("fr") {
            Lang::Fr
        } else if is("de") || is("lb") {
            Lang::De
        } else if is("nl") {
            Lang::Nl
        } else {
            Lang::En
        }
    }

    /// The browser's preferred language (`navigator.language`); English without one.
    pub fn from_browser() -> Lang {
        Self::browser_tag().map_or(Lang::En, |tag| Lang::from_tag(&tag))
    }

    /// `navigator.language`, if there is a browser window.
    pub fn browser_tag() -> Option<String> {
        web_sys::window()?.navigator().language()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags() {
        assert_eq!(Lang::from_tag("fr-BE"), Lang::Fr);
        assert_eq!(Lang::from_tag("de"), Lang::De);
        assert_eq!(Lang::from_tag("de_LU"), Lang::De);
        assert_eq!(Lang::from_tag("NL"), Lang::Nl);
        assert_eq!(Lang::from_tag("NL_nl"), Lang::Nl);
        assert_eq!(Lang::from_tag("lb-LU"), Lang::De);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("pt-PT"), Lang::En);
        assert_eq!(Lang::from_tag("fry"), Lang::En);
        assert_eq!(Lang::from_tag("-fr"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), lang);
            assert!(!lang.name().is_empty());
        }
    }
}
