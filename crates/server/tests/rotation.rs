//! Root rotation without downtime (issue 17), tested like the issuer's (keys.rs): before,
//! during and after. `tessera rotate-root` announces the next root, which partners pin
//! beside the current one while it certifies nothing; `--activate` puts it to use for new
//! devices while the older ones keep chaining to the previous root.
mod common;

use std::process::Command;

use axum::http::{Method, StatusCode};
use common::*;
use tessera_protocol::{
    CertificateClaims, VerifyError, VerifyingKey, verify_approval, verifying_key_from_b64,
    verifying_key_to_b64,
};

/// Whether a partner pinning `roots` accepts `phone`'s next login.
async fn accepted(h: &Harness, phone: &Phone, roots: &[VerifyingKey]) -> Result<(), VerifyError> {
    let (signed, session) = h.approved_login(phone).await;
    verify_approval(
        &signed,
        &login_expected(&session),
        roots,
        tessera_server::now(),
    )
    .map(|_| ())
}

fn tessera(h: &Harness, args: &[&str]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera"));
    command.args(args).arg("--data").arg(h.db.parent().unwrap());
    if let Some(url) = common::postgres_url(&h.db) {
        command.env("TESSERA_DATABASE_URL", url);
    }
    command.output().unwrap()
}

/// The JWKS roots as (role, key), oldest first.
async fn published_roots(h: &Harness) -> Vec<(String, VerifyingKey)> {
    let reply = h
        .call(Method::GET, "/.well-known/jwks.json", None, None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.body["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|key| key["tessera_role"].as_str().unwrap().ends_with("root"))
        .map(|key| {
            let sec1 = [
                vec![4u8],
                tessera_protocol::b64_decode(key["x"].as_str().unwrap()).unwrap(),
                tessera_protocol::b64_decode(key["y"].as_str().unwrap()).unwrap(),
            ]
            .concat();
            let key_b64 = tessera_protocol::b64_encode(&sec1);
            (
                key["tessera_role"].as_str().unwrap().to_owned(),
                verifying_key_from_b64(&key_b64).unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_root_rotated_while_running_before_during_and_after() {
    let h = harness().await;
    let first = *h.state.ca.root();
    let alice = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;

    // Before: one root, pinned.
    assert_eq!(published_roots(&h).await, [("root".to_owned(), first)]);
    assert_eq!(accepted(&h, &alice, &[first]).await, Ok(()));

    // Step 1, by another process while the server runs: the next root is announced.
    let output = tessera(&h, &["rotate-root"]);
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8(output.stdout).unwrap();
    let next = said
        .split_whitespace()
        .find_map(|word| verifying_key_from_b64(word).filter(|key| *key != first))
        .expect("the command prints the next root");
    assert_eq!(
        published_roots(&h).await,
        [("root".to_owned(), first), ("next_root".to_owned(), next)]
    );
    // `root-key --all` prints what to pin, one a line.
    let all = tessera(&h, &["root-key", "--all"]);
    let all = String::from_utf8(all.stdout).unwrap();
    assert_eq!(
        all.lines().collect::<Vec<_>>(),
        [verifying_key_to_b64(&first), verifying_key_to_b64(&next)]
    );
    // Announcing again gives the same next root, not a third one.
    let again = String::from_utf8(tessera(&h, &["rotate-root"]).stdout).unwrap();
    assert!(again.contains(&verifying_key_to_b64(&next)), "{again}");

    // During: nothing chains to the next root yet, so partners that pinned it and those
    // that have not yet both accept every device.
    assert_eq!(accepted(&h, &alice, &[first]).await, Ok(()));
    assert_eq!(accepted(&h, &alice, &[first, next]).await, Ok(()));

    // Step 2: the next root certifies a new issuer, which certifies the new devices.
    let output = tessera(&h, &["rotate-root", "--activate"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        published_roots(&h).await,
        [
            ("previous_root".to_owned(), first),
            ("root".to_owned(), next)
        ]
    );
    let bob = h.activate("bob", "Tessera-Demo-2!", "XY34Z").await;
    let issuer = CertificateClaims::read_unverified(&bob.certificates[1]).unwrap();
    assert_eq!(issuer.sub, "Tessera Issuing CA 2");
    // The server itself verifies both; a partner with both roots pinned accepts both.
    assert_eq!(accepted(&h, &alice, &[first, next]).await, Ok(()));
    assert_eq!(accepted(&h, &bob, &[first, next]).await, Ok(()));
    // A partner that did not pin the next root refuses the new devices: why it is
    // announced first.
    assert_eq!(
        accepted(&h, &bob, &[first]).await,
        Err(VerifyError::UntrustedRoot)
    );

    // After a restart, the same; and a wrong root still fails.
    let h = harness_at(h.db.clone(), 180).await;
    assert_eq!(accepted(&h, &alice, &[next, first]).await, Ok(()));
    assert_eq!(accepted(&h, &bob, &[next]).await, Ok(()));
    assert_eq!(
        accepted(&h, &alice, &[next]).await,
        Err(VerifyError::UntrustedRoot),
        "the old devices chain to the previous root only"
    );
    let wrong = *tessera_protocol::SigningKey::from_slice(&[7; 32])
        .unwrap()
        .verifying_key();
    assert_eq!(
        accepted(&h, &bob, &[wrong]).await,
        Err(VerifyError::UntrustedRoot)
    );
}

#[tokio::test]
async fn activating_needs_an_announced_root_and_happens_once() {
    let h = harness().await;
    let output = tessera(&h, &["rotate-root", "--activate"]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no next root announced"),
        "{output:?}"
    );
    assert!(tessera(&h, &["rotate-root"]).status.success());
    assert!(tessera(&h, &["rotate-root", "--activate"]).status.success());
    // Nothing announced any more: a second activation has nothing to activate.
    assert!(!tessera(&h, &["rotate-root", "--activate"]).status.success());
    assert_eq!(published_roots(&h).await.len(), 2);
}
