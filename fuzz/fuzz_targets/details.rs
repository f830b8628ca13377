//! Transaction and document details as a partner posts them, checked and brought into
//! their one canonical encoding: validation never panics, and is idempotent (the digest
//! the phone signs does not depend on how often it ran).
#![no_main]
use libfuzzer_sys::fuzz_target;
use tessera_protocol::{Details, details_for};

fuzz_target!(|data: &[u8]| {
    let Ok(details) = serde_json::from_slice::<Details>(data) else {
        return;
    };
    let kind = details.kind();
    let Ok(Some(valid)) = details_for(kind, Some(details)) else {
        return;
    };
    let again = valid
        .clone()
        .validated()
        .expect("validated details stay valid");
    assert_eq!(again, valid);
    assert_eq!(again.canonical_bytes(), valid.canonical_bytes());
    assert_eq!(again.digest(), valid.digest());
});
