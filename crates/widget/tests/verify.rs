//! The widget's verification glue, `tessera_widget::verify::check`, on real approvals built
//! by `tessera_protocol::testkit`: one valid, and one test per way to break it. Runs in
//! headless Chromium:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p tessera-widget --target wasm32-unknown-unknown`
//! (and natively, except the test that reads the page's origin).
use tessera_protocol::{
    Details, DeviceStatus, Document, Expected, Kind, SignedApproval, Token, Transaction,
    VerifyError,
    api::{SessionCreated, WidgetConfig},
    b64_decode, b64_encode,
    testkit::{self, Fixture, NOW},
    verifying_key_to_b64,
};
use tessera_widget::{
    state::{Action, State},
    verify,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ORIGIN: &str = "https://bank.example";

/// The configuration the bank's backend gives the page for the fixtures' session.
fn config(fixture: &Fixture) -> WidgetConfig {
    let expected = testkit::expected();
    WidgetConfig {
        server: "https://tessera.example".into(),
        session: SessionCreated {
            session_id: expected.session_id.into(),
            nonce: expected.nonce.into(),
            partner_id: expected.partner_id.into(),
            qr_secret: b64_encode(b"qr secret of sixteen"),
            watch_token: "watch".into(),
            expires_at: NOW + 300,
        },
        kind: expected.kind,
        root_key: verifying_key_to_b64(fixture.root.verifying_key()),
        root_keys: Vec::new(),
        details: None,
    }
}

/// The payment the bank's backend asked to confirm, in its normalised form.
fn payment() -> Transaction {
    Transaction {
        amount_minor: 25_000,
        currency: "EUR".into(),
        payee_name: "Zoë Müller".into(),
        payee_iban: "LU280019400644750000".into(),
        reference: "Invoice 2026-042".into(),
        payer_iban: None,
    }
}

/// A configuration for a `kind` session about `details`.
fn config_with(fixture: &Fixture, kind: Kind, details: Details) -> WidgetConfig {
    WidgetConfig {
        kind,
        details: Some(details),
        ..config(fixture)
    }
}

/// An approval, by the fixture's phone, of a `kind` session about `details`.
fn approval_of(fixture: &Fixture, kind: Kind, details: &Details) -> SignedApproval {
    fixture.approval(&Expected {
        kind,
        details_digest: Some(details.digest()),
        ..testkit::expected()
    })
}

async fn check_with(config: &WidgetConfig, result: &SignedApproval) -> Result<String, VerifyError> {
    verify::check(config, result, ORIGIN, NOW)
        .await
        .map(|v| v.user_id().to_owned())
}

async fn refused(fixture: &Fixture, result: &SignedApproval) -> VerifyError {
    check_with(&config(fixture), result)
        .await
        .expect_err("must be refused")
}

/// Replaces the JWS part `index` (0 header, 1 payload, 2 signature) with `f(bytes)`.
fn edit_part(jws: &str, index: usize, f: impl Fn(&mut Vec<u8>)) -> String {
    let mut parts: Vec<String> = jws.split('.').map(String::from).collect();
    let mut bytes = b64_decode(&parts[index]).expect("base64url");
    f(&mut bytes);
    parts[index] = b64_encode(&bytes);
    parts.join(".")
}

#[wasm_bindgen_test]
async fn a_valid_approval_verifies() {
    let fixture = Fixture::default();
    let result = fixture.approval(&testkit::expected());
    assert_eq!(
        check_with(&config(&fixture), &result).await,
        Ok("alice".into())
    );
}

#[wasm_bindgen_test]
async fn a_tampered_payload_breaks_the_signature() {
    let fixture = Fixture::default();
    let mut result = fixture.approval(&testkit::expected());
    result.approval = edit_part(&result.approval, 1, |payload| {
        let text = String::from_utf8(payload.clone()).expect("json");
        *payload = text.replace("d-0001", "d-0002").into_bytes();
    });
    assert_eq!(
        refused(&fixture, &result).await,
        VerifyError::SignatureInvalid(Token::Approval)
    );
}

#[wasm_bindgen_test]
async fn an_approval_for_another_origin_is_phishing() {
    let fixture = Fixture::default();
    let phished = Expected {
        origin: "https://bank-example.evil",
        ..testkit::expected()
    };
    let error = refused(&fixture, &fixture.approval(&phished)).await;
    assert_eq!(
        (error, error.code()),
        (VerifyError::OriginMismatch, "origin_mismatch")
    );
}

#[wasm_bindgen_test]
async fn a_chain_to_another_root_is_untrusted() {
    let fixture = Fixture::default();
    let mut config = config(&fixture);
    config.root_key = verifying_key_to_b64(testkit::key(9).verifying_key());
    let result = fixture.approval(&testkit::expected());
    assert_eq!(
        check_with(&config, &result).await,
        Err(VerifyError::UntrustedRoot)
    );
    config.root_key = "not a key".into();
    assert_eq!(
        check_with(&config, &result).await,
        Err(VerifyError::UntrustedRoot)
    );
}

#[wasm_bindgen_test]
async fn a_root_rotation_pins_the_next_root_alongside() {
    // The page pins another root first and the device's root as the next one: the chain
    // to the next root verifies; a bad key in the list spoils the whole configuration.
    let fixture = Fixture::default();
    let mut config = config(&fixture);
    config.root_keys = vec![config.root_key.clone()];
    config.root_key = verifying_key_to_b64(testkit::key(9).verifying_key());
    let result = fixture.approval(&testkit::expected());
    assert!(check_with(&config, &result).await.is_ok());
    config.root_keys.push("not a key".into());
    assert_eq!(
        check_with(&config, &result).await,
        Err(VerifyError::UntrustedRoot)
    );
}

#[wasm_bindgen_test]
async fn a_replayed_approval_answers_another_nonce_or_session() {
    let fixture = Fixture::default();
    let old = Expected {
        nonce: "n-0000",
        ..testkit::expected()
    };
    assert_eq!(
        refused(&fixture, &fixture.approval(&old)).await,
        VerifyError::NonceMismatch
    );
    let other = Expected {
        session_id: "s-0000",
        ..testkit::expected()
    };
    assert_eq!(
        refused(&fixture, &fixture.approval(&other)).await,
        VerifyError::SessionMismatch
    );
}

#[wasm_bindgen_test]
async fn a_revoked_device_is_refused() {
    let fixture = Fixture::default();
    let claims = fixture.claims(&testkit::expected());
    let approval = fixture.sign_approval(&claims);
    let mut status = fixture.status_claims(&approval, &claims);
    status.st = DeviceStatus::Revoked;
    let result = SignedApproval {
        status: fixture.sign_status(&status),
        approval,
    };
    let error = refused(&fixture, &result).await;
    assert_eq!(error, VerifyError::DeviceNotActive(DeviceStatus::Revoked));
    assert_eq!(error.code(), "device_not_active");
}

/// The P-256 group order n (SEC 2, §2.4.2), big-endian.
const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// `n - s`: the other, equally valid ECDSA signature (the high-S twin of a low-S one).
fn negate_s(signature: &mut [u8]) {
    let s = &mut signature[32..];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(N[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(d < 0);
        s[i] = (d + 256 * borrow) as u8;
    }
}

#[wasm_bindgen_test]
async fn a_high_s_signature_is_refused() {
    let fixture = Fixture::default();
    let mut result = fixture.approval(&testkit::expected());
    result.approval = edit_part(&result.approval, 2, |s| negate_s(s));
    assert_eq!(
        refused(&fixture, &result).await,
        VerifyError::SignatureHighS(Token::Approval)
    );
}

#[wasm_bindgen_test]
async fn an_old_status_and_a_signed_denial_are_refused() {
    let fixture = Fixture::default();
    let result = fixture.approval(&testkit::expected());
    let late = verify::check(&config(&fixture), &result, ORIGIN, NOW + 61).await;
    assert_eq!(late.map(|_| ()), Err(VerifyError::StatusExpired));

    let mut claims = fixture.claims(&testkit::expected());
    claims.decision = tessera_protocol::Decision::Deny;
    assert_eq!(
        refused(&fixture, &fixture.signed(&claims)).await,
        VerifyError::Denied
    );
}

#[wasm_bindgen_test]
async fn a_payment_approved_as_shown_verifies() {
    let fixture = Fixture::default();
    let details = Details::Transaction(payment());
    let config = config_with(&fixture, Kind::Confirm, details.clone());
    let result = approval_of(&fixture, Kind::Confirm, &details);
    assert_eq!(check_with(&config, &result).await, Ok("alice".into()));
}

#[wasm_bindgen_test]
async fn a_payment_of_another_amount_or_payee_is_refused() {
    let fixture = Fixture::default();
    let config = config_with(&fixture, Kind::Confirm, Details::Transaction(payment()));
    let changes = [
        Transaction {
            amount_minor: 250_000,
            ..payment()
        },
        Transaction {
            payee_name: "Zoe Muller".into(),
            ..payment()
        },
        Transaction {
            payee_iban: "BE68539007547034".into(),
            ..payment()
        },
        Transaction {
            currency: "CHF".into(),
            ..payment()
        },
    ];
    for changed in changes {
        let result = approval_of(&fixture, Kind::Confirm, &Details::Transaction(changed));
        assert_eq!(
            check_with(&config, &result).await,
            Err(VerifyError::DetailsMismatch)
        );
    }
}

#[wasm_bindgen_test]
async fn an_approval_without_the_details_does_not_confirm_a_payment() {
    let fixture = Fixture::default();
    let config = config_with(&fixture, Kind::Confirm, Details::Transaction(payment()));
    // A phone that signed the confirm session but no details (or a login's approval).
    let bare = fixture.approval(&Expected {
        kind: Kind::Confirm,
        ..testkit::expected()
    });
    assert_eq!(
        check_with(&config, &bare).await,
        Err(VerifyError::DetailsMismatch)
    );
    let login = fixture.approval(&testkit::expected());
    assert_eq!(
        check_with(&config, &login).await.map(|_| ()),
        Err(VerifyError::KindMismatch)
    );
}

#[wasm_bindgen_test]
async fn a_document_signed_as_shown_verifies_and_another_is_refused() {
    let fixture = Fixture::default();
    let document = |sha256: &[u8; 32]| {
        Details::Document(Document {
            name: "Tax declaration 2026.pdf".into(),
            sha256: tessera_protocol::hex(sha256),
        })
    };
    let shown = document(&tessera_protocol::sha256(b"%PDF-1.7 my declaration"));
    let config = config_with(&fixture, Kind::Sign, shown.clone());
    let result = approval_of(&fixture, Kind::Sign, &shown);
    assert_eq!(check_with(&config, &result).await, Ok("alice".into()));
    let other = document(&tessera_protocol::sha256(b"%PDF-1.7 another one"));
    assert_eq!(
        check_with(&config, &approval_of(&fixture, Kind::Sign, &other)).await,
        Err(VerifyError::DetailsMismatch)
    );
}

#[wasm_bindgen_test]
fn the_state_machine_shows_the_error_code() {
    let fixture = Fixture::default();
    let s = State::Starting
        .next(Action::Loaded {
            config: Box::new(config(&fixture)),
            now_ms: 0.0,
        })
        .expect("waiting");
    let error = VerifyError::OriginMismatch;
    let s = s
        .next(Action::Event {
            session_id: "s-0001".into(),
            event: tessera_protocol::api::SessionEvent {
                state: tessera_protocol::api::SessionState::Approved,
                result: Some(fixture.approval(&testkit::expected())),
                reason: None,
            },
        })
        .expect("verifying");
    let s = s
        .next(Action::Refused {
            session_id: "s-0001".into(),
            error,
        })
        .expect("failed");
    assert_eq!(
        (s.code(), s.error_code()),
        ("error", Some("origin_mismatch"))
    );
}

/// In the browser, the widget checks against the page's own origin.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test]
async fn the_page_origin_is_what_counts() {
    let fixture = Fixture::default();
    let origin = verify::page_origin();
    assert!(
        origin.starts_with("http://127.0.0.1") || origin.starts_with("http://localhost"),
        "{origin}"
    );
    let config = config(&fixture);
    let here = Expected {
        origin: &origin,
        ..testkit::expected()
    };
    let ok = verify::check(
        &config,
        &fixture.approval(&here),
        &verify::page_origin(),
        NOW,
    )
    .await;
    assert_eq!(ok.map(|v| v.user_id().to_owned()), Ok("alice".into()));
    let elsewhere = fixture.approval(&testkit::expected());
    let refused = verify::check(&config, &elsewhere, &verify::page_origin(), NOW).await;
    assert_eq!(refused.map(|_| ()), Err(VerifyError::OriginMismatch));
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds, finer-grained than `Date.now()`.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Reports how long one verification takes in this browser (for the notes; timings are
/// printed, never asserted). Run with `--release` for numbers that mean something. Two
/// numbers, because V8 first runs wasm as quickly compiled baseline code and optimises a
/// function only once it has run a while: per call once optimised (after 30 calls to warm
/// up, the best of 5 batches, so a batch that met a busy machine does not count), and the
/// first call, which is what a page that verifies once may see.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test]
async fn verification_time_is_reported() {
    let fixture = Fixture::default();
    let config = config(&fixture);
    let result = fixture.approval(&testkit::expected());
    let first = time_per_call(&config, &result, 1).await;
    // Time for V8 to optimise the hot functions, on a background thread.
    time_per_call(&config, &result, 30).await;
    let (batches, rounds) = (5, 20);
    let mut optimised = f64::INFINITY;
    for _ in 0..batches {
        optimised = optimised.min(time_per_call(&config, &result, rounds).await);
    }
    console_log!(
        "verify::check in wasm: {optimised:.2} ms per call (best of {batches} x {rounds} rounds); \
         first call {first:.1} ms"
    );
}

/// Milliseconds per verification of `result`, over `rounds` verifications one after the
/// other (each waits for WebCrypto's answers).
#[cfg(target_arch = "wasm32")]
async fn time_per_call(config: &WidgetConfig, result: &SignedApproval, rounds: u32) -> f64 {
    let start = performance_now();
    for _ in 0..rounds {
        assert_eq!(check_with(config, result).await.as_deref(), Ok("alice"));
    }
    (performance_now() - start) / f64::from(rounds)
}
