//! The two LuxTrust hardware devices, played against a server in a few lines.
//!
//! `cargo run -p tessera-oath --example devices`

use tessera_oath::{HashAlgorithm, Hotp, OathError, OcraInput, OcraSuite, Totp};

fn main() -> Result<(), OathError> {
    let secret = b"12345678901234567890";

    // Token (event based): each button press shows the next counter's code.
    let token = Hotp::new(secret, 6)?;
    let mut server_counter = 0;
    let pressed_twice = token.generate_code(1); // the first code was never used
    server_counter = token.verify(&pressed_twice, server_counter)?;
    println!("Token HOTP {pressed_twice}: accepted, server counter now {server_counter}");
    match token.verify(&pressed_twice, server_counter) {
        Err(e) => println!("Token HOTP {pressed_twice} again: {e}"),
        Ok(_) => unreachable!("a used code never verifies twice"),
    }

    // Token (time based): time is passed in; the server keeps the last used step.
    let totp = Totp::new(secret, HashAlgorithm::Sha1, 6)?;
    let now = 1_700_000_000;
    let code = totp.generate_code(now)?;
    let used = totp.verify(&code, now + 20, None)?;
    println!("Token TOTP {code}: accepted in step {used}");

    // Scan: the server draws a challenge (random bytes come from the caller), the
    // device answers, the server checks.
    let suite: OcraSuite = "OCRA-1:HOTP-SHA256-6:QN08".parse()?;
    let random: [u8; 32] = core::array::from_fn(|i| (i * 73 + 11) as u8); // use a CSPRNG
    let challenge = suite.challenge(&random)?;
    let input = OcraInput::new(&challenge);
    let response = suite.compute(secret, &input)?;
    suite.verify(secret, &input, &response)?;
    println!("Scan {suite}: challenge {challenge}, response {response}: accepted");
    Ok(())
}
