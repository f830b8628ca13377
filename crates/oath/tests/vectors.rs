//! The published test vectors of RFC 4226 (Appendix D), RFC 6238 (Appendix B) and
//! RFC 6287 (Appendix C), copied from the RFC tables.

use tessera_oath::{HashAlgorithm, Hotp, OcraInput, OcraSuite, Totp, format_code, hotp};

/// RFC 4226 Appendix D and RFC 6238 Appendix B: the ASCII string "12345678901234567890".
const SEED_20: &[u8] = b"12345678901234567890";
/// RFC 6238 Appendix B (SHA-256) and RFC 6287 Appendix C "Standard 32Byte".
const SEED_32: &[u8] = b"12345678901234567890123456789012";
/// RFC 6238 Appendix B (SHA-512) and RFC 6287 Appendix C "Standard 64Byte".
const SEED_64: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

/// RFC 4226 Appendix D, Table 2: count, truncated value in decimal, 6-digit HOTP.
const RFC4226_TABLE_2: [(u64, u32, &str); 10] = [
    (0, 1_284_755_224, "755224"),
    (1, 1_094_287_082, "287082"),
    (2, 137_359_152, "359152"),
    (3, 1_726_969_429, "969429"),
    (4, 1_640_338_314, "338314"),
    (5, 868_254_676, "254676"),
    (6, 1_918_287_922, "287922"),
    (7, 82_162_583, "162583"),
    (8, 673_399_871, "399871"),
    (9, 645_520_489, "520489"),
];

#[test]
fn rfc4226_appendix_d_hotp() {
    let token = Hotp::new(SEED_20, 6).unwrap();
    for (count, _, code) in RFC4226_TABLE_2 {
        assert_eq!(
            format_code(hotp(SEED_20, count, 6).unwrap(), 6),
            code,
            "count {count}"
        );
        assert_eq!(token.generate_code(count), code, "count {count}");
        // Each published code verifies at its own counter and moves the counter past it.
        assert_eq!(
            token.with_look_ahead(0).unwrap().verify(code, count),
            Ok(count + 1)
        );
    }
}

#[test]
fn rfc4226_appendix_d_truncated_decimal() {
    // With 10 digits nothing is cut off the 31-bit truncated value, so the "Decimal"
    // column of Table 2 checks the dynamic truncation itself.
    for (count, decimal, _) in RFC4226_TABLE_2 {
        assert_eq!(hotp(SEED_20, count, 10).unwrap(), decimal, "count {count}");
    }
}

/// RFC 6238 Appendix B: time (s), TOTP (8 digits), mode.
const RFC6238_TABLE: [(u64, &str, HashAlgorithm); 18] = [
    (59, "94287082", HashAlgorithm::Sha1),
    (59, "46119246", HashAlgorithm::Sha256),
    (59, "90693936", HashAlgorithm::Sha512),
    (1_111_111_109, "07081804", HashAlgorithm::Sha1),
    (1_111_111_109, "68084774", HashAlgorithm::Sha256),
    (1_111_111_109, "25091201", HashAlgorithm::Sha512),
    (1_111_111_111, "14050471", HashAlgorithm::Sha1),
    (1_111_111_111, "67062674", HashAlgorithm::Sha256),
    (1_111_111_111, "99943326", HashAlgorithm::Sha512),
    (1_234_567_890, "89005924", HashAlgorithm::Sha1),
    (1_234_567_890, "91819424", HashAlgorithm::Sha256),
    (1_234_567_890, "93441116", HashAlgorithm::Sha512),
    (2_000_000_000, "69279037", HashAlgorithm::Sha1),
    (2_000_000_000, "90698825", HashAlgorithm::Sha256),
    (2_000_000_000, "38618901", HashAlgorithm::Sha512),
    (20_000_000_000, "65353130", HashAlgorithm::Sha1),
    (20_000_000_000, "77737706", HashAlgorithm::Sha256),
    (20_000_000_000, "47863826", HashAlgorithm::Sha512),
];

/// RFC 6238 Appendix B: the "Value of T (hex)" column, one per time.
const RFC6238_STEPS: [(u64, u64); 6] = [
    (59, 0x1),
    (1_111_111_109, 0x0235_23EC),
    (1_111_111_111, 0x0235_23ED),
    (1_234_567_890, 0x0273_EF07),
    (2_000_000_000, 0x03F9_40AA),
    (20_000_000_000, 0x27BC_86AA),
];

fn rfc6238_seed(mode: HashAlgorithm) -> &'static [u8] {
    match mode {
        HashAlgorithm::Sha1 => SEED_20,
        HashAlgorithm::Sha256 => SEED_32,
        HashAlgorithm::Sha512 => SEED_64,
    }
}

#[test]
fn rfc6238_appendix_b_totp() {
    for (time, code, mode) in RFC6238_TABLE {
        let totp = Totp::new(rfc6238_seed(mode), mode, 8).unwrap();
        assert_eq!(totp.generate_code(time).unwrap(), code, "{mode} at {time}");
        let step = totp.time_step(time).unwrap();
        assert_eq!(totp.verify(code, time, None), Ok(step), "{mode} at {time}");
    }
}

#[test]
fn rfc6238_appendix_b_time_steps() {
    let totp = Totp::new(SEED_20, HashAlgorithm::Sha1, 8).unwrap();
    for (time, step) in RFC6238_STEPS {
        assert_eq!(totp.time_step(time).unwrap(), step, "at {time}");
    }
}

// RFC 6287 Appendix C. The PIN is "1234"; the timestamp is 0x132d0b6 minutes.

/// RFC 6287 Appendix C: "PIN (1234) SHA1 hash value".
const PIN_SHA1: &str = "7110eda4d09e062aa5e4a390b0a572ac0d2c0220";
/// RFC 6287 Appendix C, the T column (minutes), as Unix seconds.
const T_132D0B6: u64 = 0x132_d0b6 * 60;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn pin_hash() -> Vec<u8> {
    let suite = OcraSuite::parse("OCRA-1:HOTP-SHA256-8:QN08-PSHA1").unwrap();
    suite.hash_password(b"1234").unwrap()
}

/// Check `expected` against a fresh computation and a verification.
fn check(suite: &str, key: &[u8], input: &OcraInput<'_>, expected: &str) {
    let parsed = OcraSuite::parse(suite).unwrap();
    assert_eq!(
        parsed.compute(key, input).unwrap(),
        expected,
        "{suite} with {input:?}"
    );
    parsed.verify(key, input, expected).unwrap();
}

#[test]
fn rfc6287_pin_hash() {
    assert_eq!(hex(&pin_hash()), PIN_SHA1);
}

#[test]
fn rfc6287_c1_qn08_sha1() {
    let table = [
        ("00000000", "237653"),
        ("11111111", "243178"),
        ("22222222", "653583"),
        ("33333333", "740991"),
        ("44444444", "608993"),
        ("55555555", "388898"),
        ("66666666", "816933"),
        ("77777777", "224598"),
        ("88888888", "750600"),
        ("99999999", "294470"),
    ];
    for (q, r) in table {
        check("OCRA-1:HOTP-SHA1-6:QN08", SEED_20, &OcraInput::new(q), r);
    }
}

#[test]
fn rfc6287_c1_c_qn08_psha1_sha256() {
    let table = [
        "65347737", "86775851", "78192410", "71565254", "10104329", "65983500", "70069104",
        "91771096", "75011558", "08522129",
    ];
    let pin = pin_hash();
    for (c, r) in (0u64..).zip(table) {
        let input = OcraInput::new("12345678")
            .with_counter(c)
            .with_password_hash(&pin);
        check("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", SEED_32, &input, r);
    }
}

#[test]
fn rfc6287_c1_qn08_psha1_sha256() {
    let table = [
        ("00000000", "83238735"),
        ("11111111", "01501458"),
        ("22222222", "17957585"),
        ("33333333", "86776967"),
        ("44444444", "86807031"),
    ];
    let pin = pin_hash();
    for (q, r) in table {
        let input = OcraInput::new(q).with_password_hash(&pin);
        check("OCRA-1:HOTP-SHA256-8:QN08-PSHA1", SEED_32, &input, r);
    }
}

#[test]
fn rfc6287_c1_c_qn08_sha512() {
    let table = [
        (0, "00000000", "07016083"),
        (1, "11111111", "63947962"),
        (2, "22222222", "70123924"),
        (3, "33333333", "25341727"),
        (4, "44444444", "33203315"),
        (5, "55555555", "34205738"),
        (6, "66666666", "44343969"),
        (7, "77777777", "51946085"),
        (8, "88888888", "20403879"),
        (9, "99999999", "31409299"),
    ];
    for (c, q, r) in table {
        let input = OcraInput::new(q).with_counter(c);
        check("OCRA-1:HOTP-SHA512-8:C-QN08", SEED_64, &input, r);
    }
}

#[test]
fn rfc6287_c1_qn08_t1m_sha512() {
    let table = [
        ("00000000", "95209754"),
        ("11111111", "55907591"),
        ("22222222", "22048402"),
        ("33333333", "24218844"),
        ("44444444", "36209546"),
    ];
    for (q, r) in table {
        let input = OcraInput::new(q).with_time(T_132D0B6);
        check("OCRA-1:HOTP-SHA512-8:QN08-T1M", SEED_64, &input, r);
        // Anywhere inside the same minute gives the same T.
        let input = OcraInput::new(q).with_time(T_132D0B6 + 59);
        check("OCRA-1:HOTP-SHA512-8:QN08-T1M", SEED_64, &input, r);
    }
}

#[test]
fn rfc6287_c2_mutual_sha256() {
    // Server computation: question = client's challenge then server's.
    let server = [
        ("CLI22220SRV11110", "28247970"),
        ("CLI22221SRV11111", "01984843"),
        ("CLI22222SRV11112", "65387857"),
        ("CLI22223SRV11113", "03351211"),
        ("CLI22224SRV11114", "83412541"),
    ];
    for (q, r) in server {
        check("OCRA-1:HOTP-SHA256-8:QA08", SEED_32, &OcraInput::new(q), r);
    }
    // Client computation: server's challenge then client's.
    let client = [
        ("SRV11110CLI22220", "15510767"),
        ("SRV11111CLI22221", "90175646"),
        ("SRV11112CLI22222", "33777207"),
        ("SRV11113CLI22223", "95285278"),
        ("SRV11114CLI22224", "28934924"),
    ];
    for (q, r) in client {
        check("OCRA-1:HOTP-SHA256-8:QA08", SEED_32, &OcraInput::new(q), r);
    }
}

#[test]
fn rfc6287_c2_mutual_sha512() {
    let server = [
        ("CLI22220SRV11110", "79496648"),
        ("CLI22221SRV11111", "76831980"),
        ("CLI22222SRV11112", "12250499"),
        ("CLI22223SRV11113", "90856481"),
        ("CLI22224SRV11114", "12761449"),
    ];
    for (q, r) in server {
        check("OCRA-1:HOTP-SHA512-8:QA08", SEED_64, &OcraInput::new(q), r);
    }
    let client = [
        ("SRV11110CLI22220", "18806276"),
        ("SRV11111CLI22221", "70020315"),
        ("SRV11112CLI22222", "01600026"),
        ("SRV11113CLI22223", "18951020"),
        ("SRV11114CLI22224", "32528969"),
    ];
    let pin = pin_hash();
    for (q, r) in client {
        let input = OcraInput::new(q).with_password_hash(&pin);
        check("OCRA-1:HOTP-SHA512-8:QA08-PSHA1", SEED_64, &input, r);
    }
}

#[test]
fn rfc6287_c3_plain_signature() {
    let qa08 = [
        ("SIG10000", "53095496"),
        ("SIG11000", "04110475"),
        ("SIG12000", "31331128"),
        ("SIG13000", "76028668"),
        ("SIG14000", "46554205"),
    ];
    for (q, r) in qa08 {
        check("OCRA-1:HOTP-SHA256-8:QA08", SEED_32, &OcraInput::new(q), r);
    }
    let qa10_t1m = [
        ("SIG1000000", "77537423"),
        ("SIG1100000", "31970405"),
        ("SIG1200000", "10235557"),
        ("SIG1300000", "95213541"),
        ("SIG1400000", "65360607"),
    ];
    for (q, r) in qa10_t1m {
        let input = OcraInput::new(q).with_time(T_132D0B6);
        check("OCRA-1:HOTP-SHA512-8:QA10-T1M", SEED_64, &input, r);
    }
}
