//! The widget's one verification step: the relay's result checked against what this
//! page asked for, with the root key the bank pinned in its configuration. Pure: origin
//! and time are arguments, so tests (native or in the browser) pass fixed values.
use tessera_protocol::{
    Expected, SignedApproval, VerifiedApproval, VerifyError, api::WidgetConfig, verify_approval,
};

/// Verifies `result` for the session in `config`, for a page at `origin`, at `now` (Unix
/// seconds). Everything the approval must match comes from `config` (which the bank's
/// backend gave this page), never from the relay: for a payment or a document, the
/// approval must sign the digest of exactly the details in `config`, the ones the widget
/// shows.
///
/// The approval must chain to one of the roots in `config` (`root_key`, and during a root
/// rotation `root_keys`). A root key that is not a valid P-256 point is refused as
/// [`VerifyError::UntrustedRoot`]: nothing can chain to it.
pub fn check(
    config: &WidgetConfig,
    result: &SignedApproval,
    origin: &str,
    now: u64,
) -> Result<VerifiedApproval, VerifyError> {
    let roots = config.pinned_roots().ok_or(VerifyError::UntrustedRoot)?;
    let expected = Expected {
        session_id: &config.session.session_id,
        nonce: &config.session.nonce,
        partner_id: &config.session.partner_id,
        origin,
        kind: config.kind,
        details_digest: config.details.as_ref().map(|d| d.digest()),
        user_id: None,
    };
    verify_approval(result, &expected, &roots, now)
}

/// The page's own origin (`window.location.origin`), what approvals must be made for.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The browser's clock in Unix seconds.
pub fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}
