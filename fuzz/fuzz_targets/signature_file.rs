//! A detached signature file (`<document>.tessera.json`), read and checked against a
//! fixed document, as `tessera verify` does with a file from anywhere.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tessera_fuzz::SIGNED_DOCUMENT;
use tessera_protocol::{DocumentSignature, VerifyingKey, sha256, testkit};

fuzz_target!(|data: &[u8]| {
    let Ok(file) = serde_json::from_slice::<DocumentSignature>(data) else {
        return;
    };
    static ROOT: OnceLock<VerifyingKey> = OnceLock::new();
    let root = ROOT.get_or_init(|| *testkit::Fixture::default().root.verifying_key());
    let _ = file.verify(&sha256(SIGNED_DOCUMENT), root);
});
