//! Times `verify_approval` natively: `cargo run --profile native -p tessera-protocol
//! --features testkit --example bench_verify`. Numbers for the notes; no test asserts them.
use std::time::Instant;

use tessera_protocol::{testkit, verify_approval};

fn main() {
    let fixture = testkit::Fixture::default();
    let expected = testkit::expected();
    let signed = fixture.approval(&expected);
    let root = fixture.root.verifying_key();
    for _ in 0..50 {
        verify_approval(&signed, &expected, root, testkit::NOW).expect("the fixture verifies");
    }
    let rounds = 1000;
    let start = Instant::now();
    for _ in 0..rounds {
        verify_approval(&signed, &expected, root, testkit::NOW).expect("the fixture verifies");
    }
    let per_call = start.elapsed() / rounds;
    println!(
        "verify_approval: {per_call:?} per call ({rounds} rounds; 4 ECDSA P-256 verifications each)"
    );
}
