//! Confirm and sign sessions (dynamic linking), number matching and "This wasn't me",
//! driven in-process through the real router, with a phone simulated by a p256 key.
mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};
use tessera_protocol::{
    CoarseLocation, Decision, Details, Document, DocumentSignature, Expected, Kind,
    SIGNATURE_FORMAT, SignedApproval, Transaction, VerifyError,
    api::{DeviceRequest, SessionCreated},
    hex, sha256, verify_approval,
};

fn transfer() -> Value {
    json!({
        "amount_minor": 25_000, "currency": "EUR", "payee_name": "Zoë Müller",
        "payee_iban": "LU28 0019 4006 4475 0000", "reference": "Invoice 2026-042"
    })
}

fn with(mut value: Value, field: &str, to: Value) -> Value {
    value[field] = to;
    value
}

impl Harness {
    async fn open_session(&self, kind: &str, details: Option<Value>) -> Reply {
        let mut body = json!({"kind": kind, "origin": ORIGIN});
        if let Some(details) = details {
            body["details"] = details;
        }
        self.call(
            Method::POST,
            "/v1/sessions",
            Some(&self.api_key),
            None,
            Some(body),
        )
        .await
    }

    async fn confirm_session(&self) -> SessionCreated {
        let reply = self
            .open_session("confirm", Some(json!({ "transaction": transfer() })))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        serde_json::from_value(reply.body).unwrap()
    }

    async fn device_call(
        &self,
        phone: &Phone,
        id: &str,
        action: &str,
        body: Option<Value>,
    ) -> Reply {
        let uri = format!("/v1/device/sessions/{id}/{action}");
        self.call(Method::POST, &uri, None, Some(&phone.cookie), body)
            .await
    }

    async fn fraud_reports(&self) -> Reply {
        self.call(
            Method::GET,
            "/v1/fraud-reports",
            Some(&self.api_key),
            None,
            None,
        )
        .await
    }
}

fn expected<'a>(
    session: &'a SessionCreated,
    kind: Kind,
    details: Option<&Details>,
) -> Expected<'a> {
    Expected {
        session_id: &session.session_id,
        nonce: &session.nonce,
        partner_id: &session.partner_id,
        origin: ORIGIN,
        kind,
        details_digest: details.map(Details::digest),
        user_id: None,
    }
}

fn signed_result(reply: &Reply) -> SignedApproval {
    assert_eq!(reply.body["state"], "approved", "{}", reply.body);
    serde_json::from_value(reply.body["result"].clone()).unwrap()
}

#[tokio::test]
async fn bad_or_disguised_details_are_refused_when_the_session_is_created() {
    let h = harness().await;
    let document = json!({"name": "Tax form.pdf", "sha256": "ab".repeat(32)});
    let cases = [
        (
            "confirm",
            Some(
                json!({"transaction": with(transfer(), "payee_iban", json!("LU28 0019 4006 4475 0001"))}),
            ),
            "payee_iban_invalid",
        ),
        (
            "confirm",
            Some(
                json!({"transaction": with(transfer(), "payee_name", json!("Zoë\u{202E}rellüM"))}),
            ),
            "payee_name_bidi",
        ),
        (
            "confirm",
            Some(
                json!({"transaction": with(transfer(), "payee_name", json!("P\u{0430}yPal Ltd"))}),
            ),
            "payee_name_mixed_script",
        ),
        (
            "confirm",
            Some(json!({"transaction": with(transfer(), "payee_name", json!("Pay\u{200B}Pal"))})),
            "payee_name_invisible",
        ),
        (
            "confirm",
            Some(
                json!({"transaction": with(transfer(), "payee_name", json!("Zoe\u{0308} Müller"))}),
            ),
            "payee_name_not_nfc",
        ),
        (
            "confirm",
            Some(json!({"transaction": with(transfer(), "reference", json!("Invoice\u{2066}42"))})),
            "reference_bidi",
        ),
        (
            "confirm",
            Some(json!({"transaction": with(transfer(), "amount_minor", json!(0))})),
            "amount_invalid",
        ),
        (
            "confirm",
            Some(json!({"transaction": with(transfer(), "currency", json!("euro"))})),
            "currency_invalid",
        ),
        ("confirm", None, "details_missing"),
        (
            "confirm",
            Some(json!({ "document": document })),
            "details_unexpected",
        ),
        (
            "login",
            Some(json!({ "transaction": transfer() })),
            "details_unexpected",
        ),
        (
            "sign",
            Some(json!({"document": with(document.clone(), "sha256", json!("not a digest"))})),
            "document_digest_invalid",
        ),
        (
            "sign",
            Some(json!({"document": with(document, "name", json!("form\u{202E}fdp.exe"))})),
            "document_name_bidi",
        ),
    ];
    for (kind, details, code) in cases {
        let reply = h.open_session(kind, details).await;
        assert_error(&reply, StatusCode::BAD_REQUEST, code);
        assert!(reply.body["message"].as_str().unwrap().len() > 10);
    }
    // A field the protocol does not know is refused, not ignored.
    let extra = json!({"transaction": with(transfer(), "fee", json!(1))});
    let reply = h.open_session("confirm", Some(extra)).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn a_confirmed_transfer_signs_exactly_the_details_the_partner_sent() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = h.confirm_session().await;
    let request = device_request(h.scan(&phone, &session).await);
    let sent: Transaction = serde_json::from_value(transfer()).unwrap();
    let normalised = Details::Transaction(sent).validated().unwrap();
    // The phone is shown the details in their one form (IBAN without spaces).
    assert_eq!(request.details.as_ref(), Some(&normalised));
    assert_eq!(request.number_choices, None, "a scan needs no number");

    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let signed = signed_result(&h.result(&session).await);
    let now = tessera_server::now();
    let root = h.state.ca.root();
    let ok = verify_approval(
        &signed,
        &expected(&session, Kind::Confirm, Some(&normalised)),
        root,
        now,
    );
    assert_eq!(ok.unwrap().user_id(), "alice");

    // The partner checks against its own record: any other amount or payee is refused.
    let Details::Transaction(t) = normalised else {
        unreachable!()
    };
    for changed in [
        Transaction {
            amount_minor: 2_500_000,
            ..t.clone()
        },
        Transaction {
            payee_name: "Mallory Müller".into(),
            ..t.clone()
        },
        Transaction {
            payee_iban: "BE68539007547034".into(),
            ..t.clone()
        },
        Transaction {
            currency: "CHF".into(),
            ..t.clone()
        },
    ] {
        let changed = Details::Transaction(changed);
        let refused = verify_approval(
            &signed,
            &expected(&session, Kind::Confirm, Some(&changed)),
            root,
            now,
        );
        assert_eq!(refused, Err(VerifyError::DetailsMismatch));
    }
    let as_login = verify_approval(&signed, &expected(&session, Kind::Login, None), root, now);
    assert_eq!(as_login, Err(VerifyError::KindMismatch));
}

#[tokio::test]
async fn an_approval_of_other_details_than_the_session_s_is_never_relayed() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = h.confirm_session().await;
    let mut request = device_request(h.scan(&phone, &session).await);
    // The phone signs what it shows; here it was shown (or a bug made it sign) another amount.
    if let Some(Details::Transaction(t)) = request.details.as_mut() {
        t.amount_minor = 25;
    }
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "details_mismatch");
    request.details = None;
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_error(&reply, StatusCode::BAD_REQUEST, "details_mismatch");
    assert_eq!(h.result(&session).await.body["state"], "awaiting_pin");
}

#[tokio::test]
async fn a_signed_document_verifies_with_its_signature_file() {
    let h = harness().await;
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let pdf = b"%PDF-1.7\n% Tax declaration 2026\n";
    let document = Document {
        name: "Tax declaration 2026.pdf".into(),
        sha256: hex(&sha256(pdf)).to_uppercase(),
    };
    let reply = h
        .open_session("sign", Some(json!({ "document": document })))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let session: SessionCreated = serde_json::from_value(reply.body).unwrap();
    let request = device_request(h.scan(&phone, &session).await);
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let signed = signed_result(&h.result(&session).await);

    let file = DocumentSignature {
        format: SIGNATURE_FORMAT.into(),
        partner_id: session.partner_id.clone(),
        origin: ORIGIN.into(),
        session_id: session.session_id.clone(),
        nonce: session.nonce.clone(),
        // The digest in its one form: lowercase.
        document: Document {
            sha256: document.sha256.to_lowercase(),
            ..document
        },
        signed,
    };
    let root = h.state.ca.root();
    assert_eq!(file.verify(&sha256(pdf), root).unwrap().user_id(), "alice");
    assert_eq!(
        file.verify(&sha256(b"%PDF-1.7\n% Tax declaration 2027\n"), root),
        Err(VerifyError::DocumentMismatch)
    );

    // The same pair through `tessera verify`, as a non-Rust backend would check it.
    let dir = h.db.parent().unwrap();
    let (pdf_path, other_path, file_path, junk_path) = (
        dir.join("tax.pdf"),
        dir.join("other.pdf"),
        dir.join("tax.pdf.tessera.json"),
        dir.join("junk.json"),
    );
    std::fs::write(&pdf_path, pdf).unwrap();
    std::fs::write(&other_path, b"%PDF-1.7\n% Tax declaration 2027\n").unwrap();
    std::fs::write(&file_path, serde_json::to_vec(&file).unwrap()).unwrap();
    std::fs::write(&junk_path, b"{\"format\": 1}").unwrap();
    let root_b64 = tessera_protocol::verifying_key_to_b64(root);
    let other_root = tessera_protocol::verifying_key_to_b64(
        tessera_protocol::SigningKey::from_slice(&[7; 32])
            .unwrap()
            .verifying_key(),
    );
    let cli = |root: &str, document: &std::path::Path, signature: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args(["verify", "--root", root])
            .arg(document)
            .arg(signature)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, out) = cli(&root_b64, &pdf_path, &file_path);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.starts_with("valid: \"Tax declaration 2026.pdf\""),
        "{out}"
    );
    assert!(out.contains("signed by alice"), "{out}");
    let (code, out) = cli(&root_b64, &other_path, &file_path);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.starts_with("invalid: document_mismatch"), "{out}");
    let (code, out) = cli(&other_root, &pdf_path, &file_path);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.starts_with("invalid: untrusted_root"), "{out}");
    assert_eq!(cli(&root_b64, &pdf_path, &junk_path).0, Some(2));
    assert_eq!(cli("not-a-key", &pdf_path, &file_path).0, Some(2));
    assert_eq!(
        cli(&root_b64, &dir.join("missing.pdf"), &file_path).0,
        Some(2)
    );
}

/// Alice's phone, and a session pushed to her with the number the widget shows.
async fn pushed(h: &Harness) -> (Phone, SessionCreated, u8) {
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = h.confirm_session().await;
    let reply = h.push(&session, &session.watch_token, "alice").await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let number = reply.body["number"].as_u64().unwrap() as u8;
    (phone, session, number)
}

#[tokio::test]
async fn a_pushed_request_is_approved_only_after_the_right_number() {
    let h = harness().await;
    let (phone, session, number) = pushed(&h).await;
    assert!((10..=99).contains(&number));
    let request: DeviceRequest = device_request(
        h.device_call(&phone, &session.session_id, "open", None)
            .await,
    );
    let choices = request.number_choices.clone().expect("three numbers");
    assert_eq!(choices.len(), 3);
    assert!(choices.contains(&number));
    assert!(
        request.details.is_some(),
        "the details are there from the start"
    );
    assert_eq!(h.result(&session).await.body["state"], "opened");

    let early = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_error(&early, StatusCode::CONFLICT, "number_not_matched");

    let matched = h
        .device_call(
            &phone,
            &session.session_id,
            "match",
            Some(json!({ "number": number })),
        )
        .await;
    let request = device_request(matched);
    assert_eq!(request.number_choices, None);
    assert_eq!(h.result(&session).await.body["state"], "awaiting_pin");
    // Reopening after the match does not ask for the number again.
    let reopened = device_request(
        h.device_call(&phone, &session.session_id, "open", None)
            .await,
    );
    assert_eq!(reopened.number_choices, None);

    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    signed_result(&h.result(&session).await);
}

#[tokio::test]
async fn a_wrong_number_cancels_the_pushed_request() {
    let h = harness().await;
    let (phone, session, number) = pushed(&h).await;
    let request = device_request(
        h.device_call(&phone, &session.session_id, "open", None)
            .await,
    );
    let wrong = request
        .number_choices
        .iter()
        .flatten()
        .copied()
        .find(|&n| n != number)
        .unwrap();
    let reply = h
        .device_call(
            &phone,
            &session.session_id,
            "match",
            Some(json!({ "number": wrong })),
        )
        .await;
    assert_error(&reply, StatusCode::CONFLICT, "wrong_number");
    assert_eq!(
        h.result(&session).await.body,
        json!({"state": "cancelled", "reason": "wrong_number"})
    );
    // No second guess, and no approval.
    let again = h
        .device_call(
            &phone,
            &session.session_id,
            "match",
            Some(json!({ "number": number })),
        )
        .await;
    assert_error(&again, StatusCode::CONFLICT, "session_closed");
    let approve = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_error(&approve, StatusCode::CONFLICT, "session_closed");
}

#[tokio::test]
async fn this_wasnt_me_cancels_the_request_and_reports_it_to_the_partner() {
    let h = harness().await;
    let (phone, session, _) = pushed(&h).await;
    assert_eq!(h.fraud_reports().await.body, json!([]));

    // Bob cannot report Alice's request.
    let bob = h.activate("bob", "Tessera-Demo-2!", "XY34Z").await;
    let reply = h
        .device_call(&bob, &session.session_id, "report", None)
        .await;
    assert_error(&reply, StatusCode::CONFLICT, "session_closed");

    // Alice reports it straight from the pushed list, without opening it.
    let reply = h
        .device_call(&phone, &session.session_id, "report", None)
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    assert_eq!(
        h.result(&session).await.body,
        json!({"state": "cancelled", "reason": "fraud_reported"})
    );
    let reports = h.fraud_reports().await.body;
    assert_eq!(reports.as_array().unwrap().len(), 1);
    assert_eq!(reports[0]["session_id"], session.session_id.as_str());
    assert_eq!(reports[0]["user_id"], "alice");
    assert_eq!(reports[0]["device_id"], phone.device_id.as_str());
    assert_eq!(reports[0]["kind"], "confirm");

    let again = h
        .device_call(&phone, &session.session_id, "report", None)
        .await;
    assert_error(&again, StatusCode::CONFLICT, "session_closed");
    let anonymous = h
        .call(Method::GET, "/v1/fraud-reports", None, None, None)
        .await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED, "missing_api_key");
}

#[tokio::test]
async fn a_push_to_nobody_answers_like_a_push_to_someone() {
    let h = harness().await;
    let session = h.confirm_session().await;
    let reply = h.push(&session, &session.watch_token, "nobody-here").await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    let number = reply.body["number"].as_u64().unwrap();
    assert!((10..=99).contains(&number));
    assert_eq!(h.result(&session).await.body["state"], "pending");
}

#[tokio::test]
async fn tessera_verify_approval_judges_an_approval_for_a_non_rust_backend() {
    let h = harness().await;
    let mut phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    // The user shares a coarse location: the server relays it inside the signed approval
    // and the verdict names it.
    phone.location = CoarseLocation::new(496, 61);
    let session = h.confirm_session().await;
    let request = device_request(h.scan(&phone, &session).await);
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let signed = signed_result(&h.result(&session).await);

    let dir = h.db.parent().unwrap();
    let result = dir.join("result.json");
    std::fs::write(&result, serde_json::to_vec(&signed).unwrap()).unwrap();
    // The partner's own record, as it sent it (IBAN with spaces: normalised the same way).
    let details = dir.join("details.json");
    std::fs::write(&details, json!({ "transaction": transfer() }).to_string()).unwrap();
    let tampered = dir.join("tampered.json");
    let changed = with(transfer(), "amount_minor", json!(2_500_000));
    std::fs::write(&tampered, json!({ "transaction": changed }).to_string()).unwrap();
    let root = tessera_protocol::verifying_key_to_b64(h.state.ca.root());

    let cli = |origin: &str, kind: &str, details: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args([
                "verify-approval",
                "--root",
                &root,
                "--session",
                &session.session_id,
            ])
            .args(["--nonce", &session.nonce, "--partner", &session.partner_id])
            .args(["--origin", origin, "--kind", kind, "--details"])
            .arg(details)
            .arg(&result)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, out) = cli(ORIGIN, "confirm", &details);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("valid: alice approved"), "{out}");
    assert!(out.contains(" near 49.6° N, 6.1° E (Pin)"), "{out}");
    let (code, out) = cli(ORIGIN, "confirm", &tampered);
    assert_eq!(
        (code, out.starts_with("invalid: details_mismatch")),
        (Some(1), true),
        "{out}"
    );
    let (code, out) = cli("https://phish.example", "confirm", &details);
    assert_eq!(
        (code, out.starts_with("invalid: origin_mismatch")),
        (Some(1), true),
        "{out}"
    );
    assert_eq!(
        cli(ORIGIN, "transfer", &details).0,
        Some(2),
        "an unknown kind"
    );
    assert_eq!(
        cli(ORIGIN, "sign", &details).0,
        Some(2),
        "details of another kind"
    );
}
