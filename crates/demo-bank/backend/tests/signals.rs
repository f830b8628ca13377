//! `tessera-demo-bank` stops cleanly on SIGTERM (what a service manager sends) and on
//! SIGINT (Ctrl+C), and does not start at all without its API key or with a root key that
//! is not one. The real binary, signalled with the system's `kill`. It needs no running
//! Tessera: the bank calls Tessera only when a page asks for a session.
#![cfg(unix)]

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    sync::mpsc,
    thread,
    time::Duration,
};

/// Only against a hang: a bank that ignores the signal fails here, not waits forever.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// A fresh folder with an API key file and a valid root key.
fn scratch(name: &str) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!(
        "tessera-demo-bank-{name}-{}-{}",
        std::process::id(),
        tessera_demo_bank::now()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("api-key"), "a-partner-api-key\n").unwrap();
    let root = p256::ecdsa::SigningKey::from_slice(&[7; 32]).expect("a valid scalar");
    (
        dir,
        tessera_protocol::verifying_key_to_b64(root.verifying_key()),
    )
}

fn bank(dir: &Path, key_file: &str, root: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera-demo-bank"));
    command
        .arg("--api-key-file")
        .arg(dir.join(key_file))
        .args([
            "--root",
            root,
            "--port",
            "0",
            "--tessera",
            "http://127.0.0.1:9",
        ])
        .arg("--data")
        .arg(dir.join("data"))
        .arg("--web")
        .arg(dir);
    command
}

/// Starts the bank, waits until it says it runs, sends SIG`name`, and answers how it ended.
fn stopped_by(name: &str) -> std::process::ExitStatus {
    let (dir, root) = scratch(name);
    let mut child = bank(&dir, "api-key", &root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the bank starts");
    let stdout = child.stdout.take().unwrap();
    let (ready, running) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("Press Ctrl+C to stop.") {
                let _ = ready.send(());
            }
        }
    });
    running
        .recv_timeout(HANG_GUARD)
        .expect("the bank says it runs");
    let id = child.id().to_string();
    let sent = Command::new("kill")
        .args([&format!("-{name}"), &id])
        .status();
    assert!(sent.expect("kill runs").success());
    let (done, exited) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(child.wait());
    });
    let status = exited.recv_timeout(HANG_GUARD).unwrap_or_else(|_| {
        let _ = Command::new("kill").args(["-KILL", &id]).status();
        panic!("the bank did not stop after SIG{name}")
    });
    std::fs::remove_dir_all(dir).unwrap();
    status.expect("its exit status")
}

#[test]
fn the_bank_stops_on_sigterm_and_on_ctrl_c() {
    for name in ["TERM", "INT"] {
        assert!(stopped_by(name).success(), "after SIG{name}");
    }
}

fn refusal(output: Output) -> String {
    assert!(!output.status.success(), "it started");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_bank_does_not_start_without_its_key_or_with_a_bad_root() {
    let (dir, root) = scratch("refusals");
    let missing = refusal(bank(&dir, "no-such-file", &root).output().unwrap());
    assert!(missing.contains("cannot read the API key"), "{missing}");

    std::fs::write(dir.join("empty-key"), " \n").unwrap();
    let empty = refusal(bank(&dir, "empty-key", &root).output().unwrap());
    assert!(empty.contains("is empty"), "{empty}");

    // Not a point on P-256: a valid key with one character of its x coordinate changed.
    let mut bad = root.clone();
    let other = if &bad[10..11] == "A" { "B" } else { "A" };
    bad.replace_range(10..11, other);
    let bad_root = refusal(bank(&dir, "api-key", &bad).output().unwrap());
    assert!(bad_root.contains("not a P-256 public key"), "{bad_root}");
    std::fs::remove_dir_all(dir).unwrap();
}
