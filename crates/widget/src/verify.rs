//! The widget's one verification step: the relay's result checked against what this
//! page asked for, with the root key the bank pinned in its configuration. Origin and time
//! are arguments, so tests pass fixed values.
//!
//! Every check is `tessera_protocol::verify_approval_with`, the code the server and the
//! partners run, except the ECDSA equation itself: the browser's WebCrypto answers it.
//! WebCrypto is native code, so four signatures take well under a millisecond instead
//! of 2 ms of p256 compiled to wasm (5–33 ms on a page's first, unoptimised call), and the
//! widget carries no scalar multiplication. The protocol still parses every key (on the
//! curve, not the identity) and refuses every malformed, out-of-range or high-S signature
//! before WebCrypto sees it. WebCrypto answers asynchronously, so see [`check`] for how
//! its answers reach a synchronous verification.
use std::mem;

use js_sys::{Array, Promise, Uint8Array};
use tessera_protocol::{
    Es256Equation, Expected, Signature, SignedApproval, Token, VerifiedApproval, VerifyError,
    VerifyingKey, api::WidgetConfig, verify_approval_with,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, EcKeyImportParams, EcdsaParams, SubtleCrypto};

/// Verifies `result` for the session in `config`, for a page at `origin`, at `now` (Unix
/// seconds). Everything the approval must match comes from `config` (which the bank's
/// backend gave this page), never from the relay: for a payment or a document, the
/// approval must sign the digest of exactly the details in `config`, the ones the widget
/// shows.
///
/// The approval must chain to one of the roots in `config` (`root_key`, and during a root
/// rotation `root_keys`). A root key that is not a valid P-256 point is refused as
/// [`VerifyError::UntrustedRoot`]: nothing can chain to it.
///
/// The verification runs in rounds. A round runs the whole synchronous verification; an
/// equation WebCrypto has not answered yet is taken as holding, so that the round goes on
/// and names every signature it needs (all four in the usual case). WebCrypto then
/// answers them all at once, and the verification runs again. Only a round in which every
/// equation was WebCrypto's own answer decides: the verdict is exactly that of the
/// synchronous verification with WebCrypto's answers.
pub async fn check(
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
    // A chain asks at most one equation per pinned root, plus three.
    with_webcrypto(roots.len() + 3, |equation| {
        verify_approval_with(equation, result, &expected, &roots, now)
    })
    .await
}

/// Runs `verify`, a synchronous verification that asks at most `equations` ECDSA
/// equations, in rounds until WebCrypto has answered every equation it asks (see
/// [`check`]), and returns that verdict.
pub(crate) async fn with_webcrypto<T>(
    equations: usize,
    mut verify: impl FnMut(&mut dyn Es256Equation) -> Result<T, VerifyError>,
) -> Result<T, VerifyError> {
    let mut webcrypto = WebCryptoEquation::default();
    // Each round but the last has WebCrypto answer at least one new equation: the bound
    // only guards against a verification that asks more than it said, which fails.
    for _ in 0..=equations {
        let verdict = verify(&mut webcrypto);
        if webcrypto.unanswered.is_empty() {
            return verdict;
        }
        webcrypto.ask().await;
    }
    Err(VerifyError::SignatureInvalid(Token::Approval))
}

/// One ECDSA equation: a key, a message and a signature in its raw `r||s` form.
#[derive(PartialEq)]
struct Equation {
    key: Vec<u8>,
    message: Vec<u8>,
    signature: Vec<u8>,
}

/// WebCrypto's answers so far, and the equations the last round asked that it has not
/// answered yet.
#[derive(Default)]
struct WebCryptoEquation {
    answered: Vec<(Equation, bool)>,
    unanswered: Vec<Equation>,
}

impl Es256Equation for WebCryptoEquation {
    fn holds(&mut self, key: &VerifyingKey, message: &[u8], signature: &Signature) -> bool {
        let equation = Equation {
            key: key.to_sec1_point(false).as_bytes().to_vec(),
            message: message.to_vec(),
            signature: signature.to_bytes().to_vec(),
        };
        if let Some((_, holds)) = self.answered.iter().find(|(e, _)| *e == equation) {
            return *holds;
        }
        if !self.unanswered.contains(&equation) {
            self.unanswered.push(equation);
        }
        // Decides nothing: a round with an unanswered equation is run again (see `check`).
        true
    }
}

impl WebCryptoEquation {
    /// Asks WebCrypto every unanswered equation at once. Whatever fails (no WebCrypto on a
    /// page that is not a secure context, a key it will not import) is an equation that
    /// does not hold.
    async fn ask(&mut self) {
        let equations = mem::take(&mut self.unanswered);
        let answers = match subtle() {
            Some(subtle) => verify_all(&subtle, &equations).await,
            None => Vec::new(),
        };
        let holds = answers
            .into_iter()
            .map(|answer| answer.as_bool() == Some(true))
            .chain(std::iter::repeat(false));
        self.answered.extend(equations.into_iter().zip(holds));
    }
}

/// Whether this page can verify approvals: WebCrypto exists only in a secure context.
pub fn webcrypto_available() -> bool {
    subtle().is_some()
}

fn subtle() -> Option<SubtleCrypto> {
    let crypto = web_sys::window()?.crypto().ok()?;
    // `crypto.subtle` is undefined outside a secure context (https, or a loopback host).
    let subtle = JsValue::from(crypto.subtle());
    subtle.dyn_into().ok()
}

/// WebCrypto's answer to each equation, in order: the keys imported in parallel, then the
/// signatures verified in parallel. Empty if any step fails.
async fn verify_all(subtle: &SubtleCrypto, equations: &[Equation]) -> Vec<JsValue> {
    let import = EcKeyImportParams::new("ECDSA");
    import.set_named_curve("P-256");
    let usages = Array::of1(&JsValue::from_str("verify"));
    let imports: Option<Array> = equations
        .iter()
        .map(|e| {
            let raw = Uint8Array::from(e.key.as_slice());
            subtle
                .import_key_with_object("raw", &raw, &import, false, &usages)
                .ok()
        })
        .collect();
    let Some(keys) = settle(imports).await else {
        return Vec::new();
    };
    let ecdsa = EcdsaParams::new_with_str("ECDSA", "SHA-256");
    let verifications: Option<Array> = equations
        .iter()
        .zip(keys)
        .map(|(e, key)| {
            let key: CryptoKey = key.dyn_into().ok()?;
            subtle
                .verify_with_object_and_u8_array_and_u8_array(
                    &ecdsa,
                    &key,
                    &e.signature,
                    &e.message,
                )
                .ok()
        })
        .collect();
    settle(verifications).await.unwrap_or_default()
}

/// The values of all `promises`, or `None` if one is missing or rejects.
async fn settle(promises: Option<Array>) -> Option<Vec<JsValue>> {
    let all = JsFuture::from(Promise::all(&promises?.into())).await.ok()?;
    Some(Array::from(&all).to_vec())
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

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
