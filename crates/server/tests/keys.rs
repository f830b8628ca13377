//! Key rotation without downtime: an issuer rotated while the server runs certifies the
//! new devices, and the devices of the older generation keep logging in.
mod common;

use std::process::Command;

use axum::http::{Method, StatusCode};
use common::*;
use tessera_protocol::{CertificateClaims, b64_decode, b64_encode, verify_approval};

/// Logs `phone` in by QR and returns the verified approval's issuer certificate.
async fn log_in(h: &Harness, phone: &Phone) -> String {
    let (signed, session) = h.approved_login(phone).await;
    let expected = login_expected(&session);
    verify_approval(&signed, &expected, h.state.ca.root(), tessera_server::now())
        .expect("the partner accepts it under the one pinned root");
    phone.certificates[1].clone()
}

fn rotate_issuer(h: &Harness) -> String {
    let data = h.db.parent().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera"));
    command.args(["rotate-issuer", "--data"]).arg(data);
    if let Some(url) = common::postgres_url(&h.db) {
        command.env("TESSERA_DATABASE_URL", url);
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// The JWKS issuers as (x, y) pairs, oldest first.
async fn published_issuers(h: &Harness) -> Vec<(String, String)> {
    let reply = h
        .call(Method::GET, "/.well-known/jwks.json", None, None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let keys = reply.body["keys"].as_array().unwrap();
    assert_eq!(keys[0]["tessera_role"], "root");
    keys[1..]
        .iter()
        .filter(|key| key["tessera_role"] != "id_token")
        .map(|key| {
            assert_eq!(key["tessera_role"], "issuer");
            assert!(key["exp"].as_u64().unwrap() > tessera_server::now());
            (
                key["x"].as_str().unwrap().to_owned(),
                key["y"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn issuer_key_xy(issuer_certificate: &str) -> (String, String) {
    let claims = CertificateClaims::read_unverified(issuer_certificate).unwrap();
    let sec1 = b64_decode(&claims.key).unwrap();
    (b64_encode(&sec1[1..33]), b64_encode(&sec1[33..65]))
}

#[tokio::test]
async fn an_issuer_rotated_while_running_certifies_new_devices_and_old_ones_keep_working() {
    let h = harness().await;
    let alice = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let first_issuer = log_in(&h, &alice).await;
    assert_eq!(published_issuers(&h).await, [issuer_key_xy(&first_issuer)]);

    // Another process rotates the issuer in the running server's database.
    let said = rotate_issuer(&h);
    assert!(said.contains("generation 2"), "{said}");
    // Published at once, before any device uses it.
    assert_eq!(published_issuers(&h).await.len(), 2);

    let bob = h.activate("bob", "Tessera-Demo-2!", "XY34Z").await;
    let second_issuer = bob.certificates[1].clone();
    assert_ne!(
        second_issuer, first_issuer,
        "new devices get the new issuer"
    );
    let second = CertificateClaims::read_unverified(&second_issuer).unwrap();
    assert_eq!(second.sub, "Tessera Issuing CA 2");
    let device = CertificateClaims::read_unverified(&bob.certificates[0]).unwrap();
    assert_eq!(device.iss, second.sub);
    assert!(device.exp <= second.exp, "no device outlives its issuer");

    // Both generations sign the status of their own devices, under the same root.
    assert_eq!(log_in(&h, &alice).await, first_issuer);
    assert_eq!(log_in(&h, &bob).await, second_issuer);
    assert_eq!(
        published_issuers(&h).await,
        [issuer_key_xy(&first_issuer), issuer_key_xy(&second_issuer)]
    );

    // And so after a restart.
    let h = harness_at(h.db.clone(), 180).await;
    assert_eq!(log_in(&h, &alice).await, first_issuer);
    assert_eq!(log_in(&h, &bob).await, second_issuer);
}

#[test]
fn rotating_needs_an_existing_installation() {
    let empty = std::env::temp_dir().join(format!(
        "tessera-empty-{}",
        tessera_server::secrets::random_id()
    ));
    std::fs::create_dir_all(&empty).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["rotate-issuer", "--data"])
        .arg(&empty)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no Tessera data"),
        "{output:?}"
    );
}
