//! Which refusal each input of the `approval` corpus meets, counted: shows how deep the
//! fuzzer got (a corpus that only reaches `jws_malformed` tests little).
//!   cargo run --manifest-path fuzz/Cargo.toml --example reached -- <corpus folder>…
use std::collections::BTreeMap;

use tessera_protocol::{SignedApproval, testkit, verify_approval};

fn main() {
    let fixture = testkit::Fixture::default();
    let expected = testkit::expected();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for dir in std::env::args().skip(1) {
        for entry in std::fs::read_dir(&dir).expect("a corpus folder") {
            let bytes = std::fs::read(entry.expect("an entry").path()).expect("readable");
            let code = match serde_json::from_slice::<SignedApproval>(&bytes) {
                Err(_) => "(not a SignedApproval)",
                Ok(signed) => {
                    match verify_approval(
                        &signed,
                        &expected,
                        fixture.root.verifying_key(),
                        testkit::NOW,
                    ) {
                        Ok(_) => "(verified)",
                        Err(e) => e.code(),
                    }
                }
            };
            *counts.entry(code).or_default() += 1;
        }
    }
    for (code, count) in counts {
        println!("{count:>7} {code}");
    }
}
