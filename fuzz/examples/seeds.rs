//! Writes the seed inputs of every fuzz target into `fuzz/corpus/<target>/seed-*`: valid
//! inputs, so the fuzzer starts past every parser's first refusal. Deterministic (fixed
//! keys, salt and nonce); rerun after a wire format changes:
//!   cargo run --manifest-path fuzz/Cargo.toml --example seeds
use std::{fs, path::Path};

use tessera_companion::backup::{Contents, encrypt_with};
use tessera_fuzz::{
    BACKUP_PASSWORD, SIGNED_DOCUMENT, WEBAUTHN_CHALLENGE, authenticator, frame, genuine_approvals,
    relying_party,
};
use tessera_protocol::{
    Details, Document, DocumentSignature, Expected, Kind, SIGNATURE_FORMAT, Transaction, hex,
    sha256, testkit,
};

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    fs::create_dir_all(&dir).expect("corpus folder");
    fs::write(dir.join(format!("seed-{name}")), bytes).expect("seed written");
}

fn json(value: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("serialisable")
}

fn main() {
    let fixture = testkit::Fixture::default();
    let expected = testkit::expected();
    let [signed, located] = genuine_approvals();
    for genuine in [&signed, &located] {
        let root = fixture.root.verifying_key();
        assert!(tessera_protocol::verify_approval(genuine, &expected, root, testkit::NOW).is_ok());
    }
    write("approval", "valid", &json(&signed));
    write("approval", "located", &json(&located));

    let claims = fixture.claims(&expected);
    let status = fixture.status_claims(&signed.approval, &claims);
    let device = testkit::certificate_claims(&fixture.device, Some("d-0001"));
    for (which, name, payload) in [
        (0u8, "approval", json(&claims)),
        (1, "status", json(&status)),
        (2, "certificate", json(&device)),
    ] {
        write("signed_claims", name, &[&[which][..], &payload].concat());
    }

    let document = Document {
        name: "Tax form 2026.pdf".into(),
        sha256: hex(&sha256(SIGNED_DOCUMENT)),
    };
    let digest = Details::Document(document.clone()).digest();
    let asked = Expected {
        kind: Kind::Sign,
        details_digest: Some(digest),
        ..expected
    };
    let file = DocumentSignature {
        format: SIGNATURE_FORMAT.into(),
        partner_id: asked.partner_id.into(),
        origin: asked.origin.into(),
        session_id: asked.session_id.into(),
        nonce: asked.nonce.into(),
        document: document.clone(),
        signed: fixture.approval(&asked),
    };
    assert!(
        file.verify(&sha256(SIGNED_DOCUMENT), fixture.root.verifying_key())
            .is_ok()
    );
    write("signature_file", "valid", &json(&file));

    let transaction = Details::Transaction(Transaction {
        amount_minor: 12_345,
        currency: "EUR".into(),
        payee_name: "Électricité du Nord".into(),
        payee_iban: "LU28 0019 4006 4475 0000".into(),
        reference: "Invoice 2026-118".into(),
        payer_iban: Some("BE68539007547034".into()),
    });
    write("details", "transaction", &json(&transaction));
    write("details", "document", &json(&Details::Document(document)));

    let create = tessera_protocol::api::CreateSession {
        kind: Kind::Confirm,
        origin: "https://bank.example".into(),
        details: Some(transaction),
    };
    write(
        "api_bodies",
        "create-session",
        &[&[0u8][..], &json(&create)].concat(),
    );
    write(
        "api_bodies",
        "signed-approval",
        &[&[13u8][..], &json(&signed)].concat(),
    );

    let rp = relying_party();
    let mut phone = authenticator();
    let registration = phone.register(&WEBAUTHN_CHALLENGE, &rp.origin, &rp.id);
    write(
        "webauthn",
        "cbor",
        &[&[0u8][..], &registration.data].concat(),
    );
    let id = phone.credential_id.clone();
    let parts = frame(&[&id, &registration.client_data_json, &registration.data]);
    write("webauthn", "registration", &[&[1u8][..], &parts].concat());
    let assertion = phone.assert(&WEBAUTHN_CHALLENGE, &rp.origin, &rp.id);
    let parts = frame(&[
        &id,
        &assertion.client_data_json,
        &assertion.data,
        &assertion.signature,
    ]);
    write("webauthn", "assertion", &[&[2u8][..], &parts].concat());
    let checked = tessera_server::biometrics::webauthn::Assertion {
        credential_id: &id,
        client_data_json: &assertion.client_data_json,
        authenticator_data: &assertion.data,
        signature: &assertion.signature,
    };
    let stored = tessera_fuzz::credential();
    assert!(
        tessera_server::biometrics::webauthn::verify_assertion(
            &checked,
            &stored,
            &WEBAUTHN_CHALLENGE,
            &rp
        )
        .is_ok()
    );

    let contents = Contents::new("alice", "Alice's phone", "fr", "c2VjcmV0", 1_795_564_800);
    let backup = encrypt_with(&contents, BACKUP_PASSWORD, &[1; 16], &[2; 12]).expect("encrypts");
    let text = String::from_utf8(json(&backup)).expect("JSON is text");
    assert_eq!(
        tessera_companion::backup::decrypt(&text, BACKUP_PASSWORD),
        Ok(contents)
    );
    write("backup", "valid", text.as_bytes());

    let (scan, confirm) = ("#/scan/s-01Ab_x/12/AbC-d_9", "#/confirm/a-0001/tok_en-9");
    assert!(tessera_companion::scan::parse_scan_hash(scan).is_some());
    assert!(tessera_companion::scan::parse_confirm_hash(confirm).is_some());
    write("links", "scan", scan.as_bytes());
    write("links", "confirm", confirm.as_bytes());

    for (name, suite, question) in [
        ("scan", "OCRA-1:HOTP-SHA256-6:QN08", "12345678"),
        (
            "full",
            "OCRA-1:HOTP-SHA512-8:C-QA10-PSHA1-S064-T1M",
            "SIG1400000",
        ),
        (
            "hex",
            "OCRA-1:HOTP-SHA1-0:QH40",
            "00112233445566778899aabbccddeeff00112233",
        ),
    ] {
        assert!(suite.parse::<tessera_oath::OcraSuite>().is_ok(), "{suite}");
        let parts = frame(&[
            suite.as_bytes(),
            &[9u8; 160],
            question.as_bytes(),
            b"12345678",
            &[3u8; 64],
            b"1234",
        ]);
        write("ocra", name, &parts);
    }
}
