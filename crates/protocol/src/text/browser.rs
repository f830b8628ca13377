//! The NFC check in the companion's wasm (feature `browser-unicode`): the browser's own
//! `String.prototype.normalize` (ICU, the Unicode data the page renders with) instead of
//! unicode-normalization's tables, which are about 20 KB brotli of the companion (issue 19).
//! The server, the partners and the tests keep the tables.
use js_sys::{JsString, RegExp};

/// Whether the browser finds `text` in NFC, refusing in doubt: a code point the browser
/// has no data for (unassigned in its Unicode version, which may be older than the
/// tables') is normalized by it as an inert starter, whatever a newer version says.
pub(super) fn is_nfc(text: &str) -> bool {
    !has_unassigned(text) && normalizes_to_itself(text)
}

/// Whether NFC in the browser leaves `text` unchanged. The result is compared back in
/// Rust, so anything that does not round-trip (a lone surrogate) counts as a change.
pub(super) fn normalizes_to_itself(text: &str) -> bool {
    JsString::from(text).normalize("NFC") == text
}

/// Whether `text` holds a code point of general category Cn (unassigned, or a
/// noncharacter) in the browser's Unicode version.
pub(super) fn has_unassigned(text: &str) -> bool {
    RegExp::new(r"\p{Cn}", "u").test(text)
}
