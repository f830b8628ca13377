//! OCRA (RFC 6287) as the Scan activation uses it: a suite string, a challenge drawn
//! from random bytes, and a response the user types, all from outside. Framed parts:
//! suite, random bytes, question, response, session, password.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tessera_fuzz::{OCRA_KEY, parts};
use tessera_oath::{OcraInput, OcraSuite};

fuzz_target!(|data: &[u8]| {
    let [suite, random, question, response, session, pin] = parts(data);
    let (Ok(suite), Ok(question), Ok(response)) = (
        core::str::from_utf8(suite),
        core::str::from_utf8(question),
        core::str::from_utf8(response),
    ) else {
        return;
    };
    let Ok(suite) = suite.parse::<OcraSuite>() else {
        return;
    };
    // A parsed suite writes back as a suite that parses to the same.
    let written = suite.to_string();
    assert_eq!(
        written.parse::<OcraSuite>().ok().map(|s| s.to_string()),
        Some(written)
    );
    if let Ok(challenge) = suite.challenge(random) {
        assert_eq!(challenge.chars().count(), suite.question_len());
    }
    let hash = suite.hash_password(pin).unwrap_or_default();
    let input = OcraInput::new(question)
        .with_counter(7)
        .with_password_hash(&hash)
        .with_session(session)
        .with_time(1_700_000_000);
    if let Ok(code) = suite.compute(OCRA_KEY, &input) {
        assert!(suite.verify(OCRA_KEY, &input, &code).is_ok());
    }
    let _ = suite.verify(OCRA_KEY, &input, response);
});
