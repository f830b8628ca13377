//! Measurement only (committed once, reverted in the next commit; see
//! /work/notes/verify2.md): where verify_approval's time goes in wasm, step by step.
//! `cargo test --release --target wasm32-unknown-unknown -p tessera-widget --test breakdown -- --nocapture`
//! (needs `p256.workspace = true` in the widget's dev-dependencies).
use p256::{
    FieldBytes, ProjectivePoint, Scalar,
    ecdsa::Signature,
    elliptic_curve::{
        Field, Group, ops::{LinearCombination, Reduce}, point::AffineCoordinates,
    },
};
use tessera_protocol::{
    ApprovalClaims, CertificateClaims, StatusClaims, Token, b64_decode, sha256,
    testkit::{self, Fixture, NOW},
    verify_approval, verify_es256, verifying_key_from_b64, verifying_key_to_b64,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

/// Microseconds per call of `f`, best of 5 batches of `rounds`.
fn time(name: &str, rounds: u32, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = now();
        for _ in 0..rounds {
            f();
        }
        best = best.min((now() - start) * 1000.0 / f64::from(rounds));
    }
    console_log!("{name:<48} {best:>9.1} µs");
    best
}

#[wasm_bindgen_test]
fn breakdown() {
    let fixture = Fixture::default();
    let expected = testkit::expected();
    let signed = fixture.approval(&expected);
    let root = fixture.root.verifying_key();
    let issuer = fixture.issuer.verifying_key();
    let device = fixture.device.verifying_key();
    // (name, jws, key that signed it)
    let tokens = [
        ("issuer cert (root)", fixture.certificates[1].clone(), *root),
        ("device cert (issuer)", fixture.certificates[0].clone(), *issuer),
        ("approval (device)", signed.approval.clone(), *device),
        ("status (issuer)", signed.status.clone(), *issuer),
    ];
    let r = 200;
    let start = now();
    verify_approval(&signed, &expected, root, NOW).unwrap();
    console_log!("{:<48} {:>9.1} µs", "verify_approval, first call", (now() - start) * 1000.0);
    time("verify_approval, whole", 50, || {
        std::hint::black_box(verify_approval(&signed, &expected, root, NOW).unwrap());
    });
    time("base64 decode, all parts of the 4 JWS", r, || {
        for (_, jws, _) in &tokens {
            for part in jws.split('.') {
                std::hint::black_box(b64_decode(part).unwrap());
            }
        }
    });
    let payloads: Vec<Vec<u8>> = tokens
        .iter()
        .map(|(_, jws, _)| b64_decode(jws.split('.').nth(1).unwrap()).unwrap())
        .collect();
    let headers: Vec<Vec<u8>> = tokens
        .iter()
        .map(|(_, jws, _)| b64_decode(jws.split('.').next().unwrap()).unwrap())
        .collect();
    time("JSON claims: 4 x from_slice + to_vec (canonical)", r, || {
        let a: CertificateClaims = serde_json::from_slice(&payloads[0]).unwrap();
        std::hint::black_box(serde_json::to_vec(&a).unwrap());
        let b: CertificateClaims = serde_json::from_slice(&payloads[1]).unwrap();
        std::hint::black_box(serde_json::to_vec(&b).unwrap());
        let c: ApprovalClaims = serde_json::from_slice(&payloads[2]).unwrap();
        std::hint::black_box(serde_json::to_vec(&c).unwrap());
        let d: StatusClaims = serde_json::from_slice(&payloads[3]).unwrap();
        std::hint::black_box(serde_json::to_vec(&d).unwrap());
    });
    time("JSON headers: 4 x Value parse (approx.)", r, || {
        for h in &headers {
            std::hint::black_box(serde_json::from_slice::<serde_json::Value>(h).unwrap());
        }
    });
    time("SHA-256: 4 signing inputs + approval", r, || {
        for (_, jws, _) in &tokens {
            let input = &jws[..jws.rfind('.').unwrap()];
            std::hint::black_box(sha256(input.as_bytes()));
        }
        std::hint::black_box(sha256(signed.approval.as_bytes()));
    });
    let b64_keys: Vec<String> = [root, issuer, device]
        .iter()
        .map(|k| verifying_key_to_b64(k))
        .collect();
    time("key parsing: 3 x verifying_key_from_b64", r, || {
        for k in &b64_keys {
            std::hint::black_box(verifying_key_from_b64(k).unwrap());
        }
    });
    let mut total = 0.0;
    for (name, jws, key) in &tokens {
        let (input, sig) = jws.rsplit_once('.').unwrap();
        let sig = b64_decode(sig).unwrap();
        total += time(&format!("verify_es256: {name}"), 50, || {
            verify_es256(key, input.as_bytes(), &sig, Token::Approval).unwrap();
        });
    }
    console_log!("{:<48} {total:>9.1} µs", "  the 4 verify_es256 together");

    // Inside one verification (the approval, by the device key).
    let (_, jws, key) = &tokens[2];
    let (input, sig) = jws.rsplit_once('.').unwrap();
    let sig = Signature::from_slice(&b64_decode(sig).unwrap()).unwrap();
    let z = sha256(input.as_bytes());
    let q = ProjectivePoint::from(*key.as_affine());
    let (r_, s_) = sig.split_scalars();
    let zs = <Scalar as Reduce<FieldBytes>>::reduce(&FieldBytes::from(z));
    time("  SHA-256 of the signing input", r, || {
        std::hint::black_box(sha256(std::hint::black_box(input).as_bytes()));
    });
    time("  s^-1 (invert_vartime)", r, || {
        std::hint::black_box(std::hint::black_box(*s_).invert_vartime().unwrap());
    });
    time("  s^-1 (invert, constant time)", r, || {
        std::hint::black_box(Field::invert(&std::hint::black_box(*s_)).unwrap());
    });
    let s_inv = s_.invert_vartime().unwrap();
    let u1 = zs * s_inv;
    let u2 = *r_ * s_inv;
    time("  u1, u2 (2 scalar mults)", r, || {
        std::hint::black_box(std::hint::black_box(zs) * s_inv);
        std::hint::black_box(std::hint::black_box(*r_) * s_inv);
    });
    time("  u1*G + u2*Q (lincomb_vartime)", 50, || {
        std::hint::black_box(ProjectivePoint::lincomb_vartime(&[
            (ProjectivePoint::GENERATOR, u1),
            (q, u2),
        ]));
    });
    let p = ProjectivePoint::lincomb_vartime(&[(ProjectivePoint::GENERATOR, u1), (q, u2)]);
    time("  to_affine (field inversion)", r, || {
        std::hint::black_box(std::hint::black_box(p).to_affine());
    });
    let x = p.to_affine().x();
    assert_eq!(<Scalar as Reduce<FieldBytes>>::reduce(&x), *r_);
    time("  u1*G alone (ProjectivePoint::mul_by_generator)", 50, || {
        std::hint::black_box(ProjectivePoint::mul_by_generator(&std::hint::black_box(u1)));
    });
    time("  u2*Q alone (Q * u2, constant time)", 50, || {
        std::hint::black_box(std::hint::black_box(q) * u2);
    });
    time("  point double x1000", 5, || {
        let mut a = q;
        for _ in 0..1000 {
            a = a.double();
        }
        std::hint::black_box(a);
    });
    time("  point add x1000", 5, || {
        let mut a = q;
        for _ in 0..1000 {
            a = a + q;
        }
        std::hint::black_box(a);
    });
    time("verify_approval, whole, again at the end", 50, || {
        std::hint::black_box(verify_approval(&signed, &expected, root, NOW).unwrap());
    });
}

/// Cold calls: how long the first verifications take before V8 tiers the code up.
#[wasm_bindgen_test]
async fn cold_calls() {
    let fixture = Fixture::default();
    let expected = testkit::expected();
    let signed = fixture.approval(&expected);
    let root = fixture.root.verifying_key();
    let mut line = String::new();
    for i in 0..6 {
        let start = now();
        verify_approval(&signed, &expected, root, NOW).unwrap();
        line += &format!(" call {i}: {:.1} ms;", now() - start);
        if i == 2 {
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                web_sys::window()
                    .unwrap()
                    .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 300)
                    .unwrap();
            });
            wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
            line += " (300 ms idle)";
        }
    }
    console_log!("cold:{line}");
}

#[wasm_bindgen_test]
fn widening_multiplication() {
    let mut x = std::hint::black_box(0x1234_5678_9abc_def1_u64);
    let y = std::hint::black_box(0xfedc_ba98_7654_3211_u64);
    time("u64 x u64 -> u128 (__multi3) x1000", 20, || {
        let mut acc = 0u128;
        for _ in 0..1000 {
            let p = u128::from(x) * u128::from(y);
            acc = acc.wrapping_add(p);
            x = (p >> 64) as u64 ^ x;
        }
        std::hint::black_box(acc);
    });
    let mut a = std::hint::black_box(0x1234_5678_u32);
    let b = std::hint::black_box(0x9abc_def1_u32);
    time("u32 x u32 -> u64 (i64.mul) x1000", 20, || {
        let mut acc = 0u64;
        for _ in 0..1000 {
            let p = u64::from(a) * u64::from(b);
            acc = acc.wrapping_add(p);
            a = (p >> 32) as u32 ^ a;
        }
        std::hint::black_box(acc);
    });
}
