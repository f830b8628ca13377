//! Tries to break verification: replays, codes outside the window, malformed codes and
//! malformed suites.

use tessera_oath::{
    HashAlgorithm, Hotp, MAX_WINDOW, OathError, OcraInput, OcraSuite, QuestionFormat, Totp,
    codes_equal, hotp,
};

const SEED_20: &[u8] = b"12345678901234567890";

// ---- HOTP -----------------------------------------------------------------------------

#[test]
fn hotp_replayed_code_is_refused() {
    let token = Hotp::new(SEED_20, 6).unwrap();
    // RFC 4226 Appendix D: counter 3 shows 969429.
    let stored = token.verify("969429", 0).unwrap();
    assert_eq!(stored, 4);
    assert_eq!(token.verify("969429", stored), Err(OathError::CodeRejected));
    // Nor does any earlier code come back.
    for old in ["755224", "287082", "359152"] {
        assert_eq!(token.verify(old, stored), Err(OathError::CodeRejected));
    }
}

#[test]
fn hotp_code_outside_the_window_is_refused() {
    let token = Hotp::new(SEED_20, 6).unwrap().with_look_ahead(2).unwrap();
    // 338314 is counter 4; stored counter 0 with a window of 2 reaches counter 2 only.
    assert_eq!(token.verify("338314", 0), Err(OathError::CodeRejected));
    // At the window's edge it is accepted.
    assert_eq!(token.verify("338314", 2), Ok(5));
    // A window of 0 accepts only the stored counter.
    let exact = token.with_look_ahead(0).unwrap();
    assert_eq!(exact.verify("287082", 0), Err(OathError::CodeRejected));
    assert_eq!(exact.verify("755224", 0), Ok(1));
}

#[test]
fn hotp_default_window_is_ten() {
    let token = Hotp::new(SEED_20, 6).unwrap();
    let code_10 = token.generate_code(10);
    let code_11 = token.generate_code(11);
    assert_eq!(token.verify(&code_10, 0), Ok(11));
    assert_eq!(token.verify(&code_11, 0), Err(OathError::CodeRejected));
}

#[test]
fn hotp_resync_moves_the_counter() {
    let token = Hotp::new(SEED_20, 6).unwrap();
    // The Token was pressed 50 times away from the server: too far for the look-ahead.
    let first = token.generate_code(50);
    let second = token.generate_code(51);
    assert_eq!(token.verify(&first, 0), Err(OathError::CodeRejected));
    let stored = token.resync(&first, &second, 0, 100).unwrap();
    assert_eq!(stored, 52);
    // From there the normal look-ahead works again, and the resync codes are spent.
    assert_eq!(token.verify(&token.generate_code(52), stored), Ok(53));
    assert_eq!(
        token.resync(&first, &second, stored, 100),
        Err(OathError::CodeRejected)
    );
}

#[test]
fn hotp_resync_needs_consecutive_codes() {
    let token = Hotp::new(SEED_20, 6).unwrap();
    let first = token.generate_code(50);
    // Swapped, or with a gap: refused.
    let second = token.generate_code(51);
    let gap = token.generate_code(52);
    assert_eq!(
        token.resync(&second, &first, 0, 100),
        Err(OathError::CodeRejected)
    );
    assert_eq!(
        token.resync(&first, &gap, 0, 100),
        Err(OathError::CodeRejected)
    );
    // Beyond the resync window: refused.
    assert_eq!(
        token.resync(&first, &second, 0, 40),
        Err(OathError::CodeRejected)
    );
    // Oversized windows are refused outright.
    assert_eq!(
        token.resync(&first, &second, 0, MAX_WINDOW + 1),
        Err(OathError::WindowTooLarge {
            window: MAX_WINDOW + 1,
            max: MAX_WINDOW
        })
    );
}

#[test]
fn hotp_wrong_code_length_or_characters() {
    let token = Hotp::new(SEED_20, 6).unwrap();
    let malformed = Err(OathError::MalformedCode { expected_digits: 6 });
    // 8-digit RFC value, leading zero dropped, letters, sign, spaces, non-ASCII digits.
    for code in [
        "84755224",
        "55224",
        "75522a",
        "+55224",
        " 755224",
        "755224 ",
        "７５５２２４",
        "",
    ] {
        assert_eq!(token.verify(code, 0), malformed, "{code:?}");
    }
}

#[test]
fn hotp_digit_counts_are_bounded() {
    for digits in [0, 5, 11, 32] {
        assert_eq!(
            hotp(SEED_20, 0, digits),
            Err(OathError::InvalidDigits {
                digits,
                min: 6,
                max: 10
            })
        );
    }
    assert_eq!(Hotp::new(b"", 6).unwrap_err(), OathError::EmptyKey);
    assert!(
        Hotp::new(SEED_20, 6)
            .unwrap()
            .with_look_ahead(MAX_WINDOW + 1)
            .is_err()
    );
}

#[test]
fn hotp_counter_exhaustion() {
    let token = Hotp::new(SEED_20, 6).unwrap();
    let last = token.generate_code(u64::MAX);
    assert_eq!(
        token.verify(&last, u64::MAX),
        Err(OathError::CounterExhausted)
    );
}

#[test]
fn debug_output_hides_the_secret() {
    let token = Hotp::new(SEED_20, 6).unwrap();
    let totp = Totp::new(SEED_20, HashAlgorithm::Sha1, 6).unwrap();
    for shown in [format!("{token:?}"), format!("{totp:?}")] {
        assert!(!shown.contains("49, 50"), "{shown}");
        assert!(!shown.contains("1234"), "{shown}");
    }
}

// ---- TOTP -----------------------------------------------------------------------------

#[test]
fn totp_reuse_of_a_step_is_refused() {
    let totp = Totp::new(SEED_20, HashAlgorithm::Sha1, 6).unwrap();
    let now = 1_111_111_111;
    let code = totp.generate_code(now).unwrap();
    let step = totp.verify(&code, now, None).unwrap();
    assert_eq!(step, now / 30);
    // The same code again, within the same 30 s, or in the next step (drift).
    assert_eq!(
        totp.verify(&code, now, Some(step)),
        Err(OathError::CodeReplayed { step })
    );
    assert_eq!(
        totp.verify(&code, now + 30, Some(step)),
        Err(OathError::CodeReplayed { step })
    );
    // An earlier step's code is refused too once a later step was used.
    let earlier = totp.generate_code(now - 30).unwrap();
    assert_eq!(
        totp.verify(&earlier, now, Some(step)),
        Err(OathError::CodeReplayed { step: step - 1 })
    );
    // The next step's code is still fine.
    let next = totp.generate_code(now + 30).unwrap();
    assert_eq!(totp.verify(&next, now + 30, Some(step)), Ok(step + 1));
}

#[test]
fn totp_accepts_one_step_of_drift_and_no_more() {
    let totp = Totp::new(SEED_20, HashAlgorithm::Sha256, 6).unwrap();
    let now = 2_000_000_000;
    let step = totp.time_step(now).unwrap();
    for (offset, accepted) in [(-2i64, false), (-1, true), (0, true), (1, true), (2, false)] {
        let at = step.checked_add_signed(offset).unwrap();
        let code = format!("{:06}", totp.generate_at_step(at));
        let result = totp.verify(&code, now, None);
        if accepted {
            assert_eq!(result, Ok(at), "offset {offset}");
        } else {
            assert_eq!(result, Err(OathError::CodeRejected), "offset {offset}");
        }
    }
    // With no drift, only the current step.
    let strict = totp.with_drift(0).unwrap();
    let code = format!("{:06}", totp.generate_at_step(step + 1));
    assert_eq!(
        strict.verify(&code, now, None),
        Err(OathError::CodeRejected)
    );
}

#[test]
fn totp_step_and_epoch() {
    let totp = Totp::new(SEED_20, HashAlgorithm::Sha1, 6).unwrap();
    assert_eq!(totp.with_step(0).unwrap_err(), OathError::ZeroTimeStep);
    let shifted = totp.with_t0(1_000).with_step(60).unwrap();
    assert_eq!(shifted.time_step(1_000 + 125).unwrap(), 2);
    assert_eq!(
        shifted.time_step(999),
        Err(OathError::TimeBeforeEpoch {
            time: 999,
            t0: 1_000
        })
    );
    // Near time zero the window does not underflow.
    let code = totp.generate_code(0).unwrap();
    assert_eq!(totp.verify(&code, 0, None), Ok(0));
}

#[test]
fn totp_malformed_code() {
    let totp = Totp::new(SEED_20, HashAlgorithm::Sha1, 8).unwrap();
    assert_eq!(
        totp.verify("287082", 59, None),
        Err(OathError::MalformedCode { expected_digits: 8 })
    );
}

// ---- OCRA suites -----------------------------------------------------------------------

fn suite_error(suite: &str) -> String {
    match OcraSuite::parse(suite) {
        Err(OathError::InvalidSuite { suite: s, reason }) => {
            assert_eq!(s, suite);
            reason
        }
        other => panic!("{suite}: expected InvalidSuite, got {other:?}"),
    }
}

#[test]
fn malformed_suites_are_refused_with_a_reason() {
    let cases = [
        ("OCRA-2:HOTP-SHA1-6:QN08", "version \"OCRA-2\""),
        ("ocra-1:HOTP-SHA1-6:QN08", "version \"ocra-1\""),
        ("OCRA-1:HOTP-MD5-6:QN08", "hash \"MD5\""),
        ("OCRA-1:HOTP-SHA384-6:QN08", "hash \"SHA384\""),
        ("OCRA-1:TOTP-SHA1-6:QN08", "must look like HOTP-SHA1-6"),
        ("OCRA-1:HOTP-SHA1:QN08", "must look like HOTP-SHA1-6"),
        ("OCRA-1:HOTP-SHA1-3:QN08", "truncation \"3\""),
        ("OCRA-1:HOTP-SHA1-11:QN08", "truncation \"11\""),
        ("OCRA-1:HOTP-SHA1-06:QN08", "truncation \"06\""),
        ("OCRA-1:HOTP-SHA1-6:QN99", "04 to 64, not 99"),
        ("OCRA-1:HOTP-SHA1-6:QN03", "04 to 64, not 3"),
        ("OCRA-1:HOTP-SHA1-6:QN8", "must be Q, then A, N or H"),
        ("OCRA-1:HOTP-SHA1-6:QX08", "must be Q, then A, N or H"),
        ("OCRA-1:HOTP-SHA1-6:Q", "must be Q, then A, N or H"),
        ("OCRA-1:HOTP-SHA1-6:C", "QFxx is missing"),
        ("OCRA-1:HOTP-SHA1-6:", "empty DataInput field"),
        (
            "OCRA-1:HOTP-SHA1-6:C-PSHA1",
            "QFxx is missing before \"PSHA1\"",
        ),
        ("OCRA-1:HOTP-SHA1-6:T1M", "QFxx is missing before \"T1M\""),
        ("OCRA-1:HOTP-SHA1-6:QN08-C", "repeated or out of order"),
        ("OCRA-1:HOTP-SHA1-6:QN08-QN08", "repeated or out of order"),
        (
            "OCRA-1:HOTP-SHA1-6:QN08-T1M-PSHA1",
            "repeated or out of order",
        ),
        ("OCRA-1:HOTP-SHA1-6:C-C-QN08", "repeated or out of order"),
        ("OCRA-1:HOTP-SHA1-6:CC-QN08", "\"C\" alone"),
        ("OCRA-1:HOTP-SHA1-6:QN08-PMD5", "PSHA1, PSHA256 or PSHA512"),
        ("OCRA-1:HOTP-SHA1-6:QN08-S64", "S and three digits"),
        ("OCRA-1:HOTP-SHA1-6:QN08-S000", "001 to 512, not 0"),
        ("OCRA-1:HOTP-SHA1-6:QN08-S513", "001 to 512, not 513"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T60M", "1 to 59M, not 60M"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T0H", "1 to 48H, not 0H"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T49H", "1 to 48H, not 49H"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T1D", "then S, M or H"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T", "then S, M or H"),
        ("OCRA-1:HOTP-SHA1-6:QN08-T123S", "then S, M or H"),
        (
            "OCRA-1:HOTP-SHA1-6:QN08-X1",
            "unknown DataInput field \"X1\"",
        ),
        ("OCRA-1:HOTP-SHA1-6:QN08:", "three parts"),
        ("OCRA-1:HOTP-SHA1-6", "three parts"),
        ("", "three parts"),
    ];
    for (suite, needle) in cases {
        let reason = suite_error(suite);
        assert!(reason.contains(needle), "{suite}: {reason}");
    }
}

#[test]
fn well_formed_suites_parse_into_their_parts() {
    let s: OcraSuite = "OCRA-1:HOTP-SHA512-10:C-QH64-PSHA256-S128-T12H"
        .parse()
        .unwrap();
    assert_eq!(s.hash(), HashAlgorithm::Sha512);
    assert_eq!(s.digits(), 10);
    assert!(s.uses_counter());
    assert_eq!(s.question_format(), QuestionFormat::Hex);
    assert_eq!(s.question_len(), 64);
    assert_eq!(s.password(), Some(HashAlgorithm::Sha256));
    assert_eq!(s.session_len(), Some(128));
    assert_eq!(s.time_step(), Some(12 * 3600));
    assert_eq!(
        s.to_string(),
        "OCRA-1:HOTP-SHA512-10:C-QH64-PSHA256-S128-T12H"
    );

    let s = OcraSuite::parse("OCRA-1:HOTP-SHA1-0:QA04-T30S").unwrap();
    assert_eq!((s.digits(), s.time_step()), (0, Some(30)));
}

// ---- OCRA inputs ------------------------------------------------------------------------

#[test]
fn ocra_inputs_must_match_the_suite() {
    let suite = OcraSuite::parse("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1").unwrap();
    let pin = suite.hash_password(b"1234").unwrap();
    let missing = |field| OathError::MissingInput {
        field,
        suite: suite.to_string(),
    };
    let q = OcraInput::new("12345678");
    assert_eq!(
        suite.compute(SEED_20, &q.with_password_hash(&pin)),
        Err(missing("counter"))
    );
    assert_eq!(
        suite.compute(SEED_20, &q.with_counter(0)),
        Err(missing("password hash"))
    );
    let full = q.with_counter(0).with_password_hash(&pin);
    assert!(suite.compute(SEED_20, &full).is_ok());
    assert_eq!(
        suite.compute(SEED_20, &full.with_time(0)),
        Err(OathError::UnexpectedInput {
            field: "timestamp",
            suite: suite.to_string()
        })
    );
    assert_eq!(
        suite.compute(SEED_20, &q.with_counter(0).with_password_hash(&pin[..19])),
        Err(OathError::PasswordHashLength {
            expected: 20,
            actual: 19
        })
    );
    let plain = OcraSuite::parse("OCRA-1:HOTP-SHA1-6:QN08").unwrap();
    assert!(matches!(
        plain.hash_password(b"1234"),
        Err(OathError::UnexpectedInput { .. })
    ));
}

#[test]
fn ocra_questions_must_fit_their_format() {
    let numeric = OcraSuite::parse("OCRA-1:HOTP-SHA1-6:QN08").unwrap();
    let alpha = OcraSuite::parse("OCRA-1:HOTP-SHA1-6:QA08").unwrap();
    let hex = OcraSuite::parse("OCRA-1:HOTP-SHA1-6:QH08").unwrap();
    let bad = |s: &OcraSuite, q: &str| {
        matches!(
            s.compute(SEED_20, &OcraInput::new(q)),
            Err(OathError::InvalidQuestion { .. })
        )
    };
    assert!(bad(&numeric, "1234567a"));
    assert!(bad(&numeric, "-1234567"));
    assert!(bad(&numeric, "123"));
    assert!(bad(&numeric, &"9".repeat(309))); // about 1025 bits: over 128 bytes
    assert!(bad(&alpha, "SIG 1000"));
    assert!(bad(&alpha, "SIGé000"));
    assert!(bad(&alpha, &"A".repeat(129)));
    assert!(bad(&hex, "0123456g"));
    assert!(!bad(&hex, &"f".repeat(256)));
    assert!(bad(&hex, &"f".repeat(257)));
    assert!(!bad(&numeric, &"9".repeat(256)));
    // Hex is case-insensitive: same number, same response.
    assert_eq!(
        hex.compute(SEED_20, &OcraInput::new("abcdef12")),
        hex.compute(SEED_20, &OcraInput::new("ABCDEF12"))
    );
}

#[test]
fn ocra_session_is_bounded_and_left_padded() {
    let suite = OcraSuite::parse("OCRA-1:HOTP-SHA256-8:QN08-S004").unwrap();
    let q = OcraInput::new("12345678");
    assert_eq!(
        suite.compute(SEED_20, &q.with_session(&[1, 2, 3, 4, 5])),
        Err(OathError::SessionTooLong { max: 4, actual: 5 })
    );
    // Leading zeros are padding, as in the reference code.
    assert_eq!(
        suite.compute(SEED_20, &q.with_session(&[7])),
        suite.compute(SEED_20, &q.with_session(&[0, 0, 0, 7]))
    );
}

#[test]
fn ocra_wrong_or_malformed_response_is_refused() {
    let suite = OcraSuite::parse("OCRA-1:HOTP-SHA1-6:QN08").unwrap();
    let q = OcraInput::new("00000000");
    // RFC 6287 C.1: 237653.
    assert_eq!(suite.verify(SEED_20, &q, "237653"), Ok(()));
    assert_eq!(
        suite.verify(SEED_20, &q, "237654"),
        Err(OathError::CodeRejected)
    );
    assert_eq!(
        suite.verify(SEED_20, &q, "2376530"),
        Err(OathError::MalformedCode { expected_digits: 6 })
    );
    // Another challenge, another answer.
    assert_eq!(
        suite.verify(SEED_20, &OcraInput::new("00000001"), "237653"),
        Err(OathError::CodeRejected)
    );
}

#[test]
fn ocra_untruncated_response_is_the_hmac_in_hex() {
    let suite = OcraSuite::parse("OCRA-1:HOTP-SHA256-0:QA08").unwrap();
    let q = OcraInput::new("SIG10000");
    let full = suite.compute(SEED_20, &q).unwrap();
    assert_eq!(full.len(), 64);
    assert!(
        suite
            .verify(SEED_20, &q, &full.to_ascii_uppercase())
            .is_ok()
    );
    assert_eq!(
        suite.verify(SEED_20, &q, &full[..63]),
        Err(OathError::MalformedCode { expected_digits: 0 })
    );
}

#[test]
fn ocra_challenges_come_from_the_callers_randomness() {
    let numeric = OcraSuite::parse("OCRA-1:HOTP-SHA256-6:QN08").unwrap();
    let random: Vec<u8> = (0u8..32).collect();
    let challenge = numeric.challenge(&random).unwrap();
    assert_eq!(challenge.len(), 8);
    assert!(challenge.bytes().all(|b| b.is_ascii_digit()));
    // Pure: same bytes, same challenge; other bytes, another one.
    assert_eq!(numeric.challenge(&random).unwrap(), challenge);
    assert_ne!(numeric.challenge(&[0xa5; 32]).unwrap(), challenge);
    assert_eq!(
        numeric.challenge(&random[..31]),
        Err(OathError::NotEnoughRandomness {
            needed: 32,
            actual: 31
        })
    );
    // Every drawn challenge is a valid question for its suite.
    for suite in [
        "OCRA-1:HOTP-SHA1-6:QA64",
        "OCRA-1:HOTP-SHA1-6:QH10",
        "OCRA-1:HOTP-SHA1-6:QN64",
    ] {
        let suite = OcraSuite::parse(suite).unwrap();
        let random: Vec<u8> = (0..256u32).map(|i| (i * 37 % 251) as u8).collect();
        let challenge = suite.challenge(&random).unwrap();
        assert_eq!(challenge.len(), suite.question_len());
        assert!(suite.compute(SEED_20, &OcraInput::new(&challenge)).is_ok());
    }
}

#[test]
fn codes_equal_is_plain_equality() {
    assert!(codes_equal("012345", "012345"));
    assert!(!codes_equal("012345", "012346"));
    assert!(!codes_equal("012345", "12345"));
    assert!(!codes_equal("", "0"));
}
