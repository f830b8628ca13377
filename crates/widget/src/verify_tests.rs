//! WebCrypto's equation, held to the crate's own on every Wycheproof ECDSA P-256 /
//! SHA-256 vector (raw `r||s`), in headless Chromium.
use tessera_protocol::{Token, VerifyError, VerifyingKey, verify_es256, verify_es256_with};
use wasm_bindgen_test::wasm_bindgen_test;
use wycheproof::{TestResult, ecdsa::TestName, ecdsa::TestSet};

use super::with_webcrypto;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// WebCrypto and p256 (the crate's equation in wasm) agree on every vector, behind the
/// same policy (length, range, low S), and no invalid vector is accepted. The counts are
/// those of the native test of the protocol (`tests/vectors.rs`).
#[wasm_bindgen_test]
async fn webcrypto_agrees_with_p256_on_every_wycheproof_vector() {
    let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).expect("vectors");
    let (mut accepted, mut refused, mut high_s) = (0, 0, 0);
    for group in &set.test_groups {
        let key = VerifyingKey::from_sec1_bytes(&group.key.key).expect("valid key");
        for test in &group.tests {
            let token = Token::Approval;
            let webcrypto = with_webcrypto(1, |equation| {
                verify_es256_with(equation, &key, &test.msg, &test.sig, token)
            })
            .await;
            let p256 = verify_es256(&key, &test.msg, &test.sig, token);
            assert_eq!(webcrypto, p256, "tc {}: {}", test.tc_id, test.comment);
            match (test.result, webcrypto) {
                (TestResult::Invalid, Ok(())) => {
                    panic!("tc {} accepted: {}", test.tc_id, test.comment)
                }
                (_, Ok(())) => accepted += 1,
                (TestResult::Valid, Err(VerifyError::SignatureHighS(_))) => high_s += 1,
                (_, Err(_)) => refused += 1,
            }
        }
    }
    assert_eq!((accepted, refused, high_s), (103, 89, 70));
}

/// An equation WebCrypto was never asked decides nothing: a verification that keeps
/// asking new equations past its bound fails closed.
#[wasm_bindgen_test]
async fn a_verification_asking_more_than_its_bound_fails_closed() {
    let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).expect("vectors");
    let group = &set.test_groups[0];
    let key = VerifyingKey::from_sec1_bytes(&group.key.key).expect("valid key");
    let valid = group
        .tests
        .iter()
        .find(|t| {
            t.result == TestResult::Valid
                && verify_es256(&key, &t.msg, &t.sig, Token::Status).is_ok()
        })
        .expect("a valid low-S vector");
    // Each run asks one more equation than the last (the same signature over a longer
    // message), so every run has an unanswered one.
    let mut runs = 0usize;
    let verdict = with_webcrypto(2, |equation| {
        runs += 1;
        let mut message = valid.msg.to_vec();
        message.extend(std::iter::repeat_n(0, runs));
        verify_es256_with(equation, &key, &message, &valid.sig, Token::Status)
    })
    .await;
    assert_eq!(verdict, Err(VerifyError::SignatureInvalid(Token::Approval)));
    assert_eq!(runs, 3);
}
