//! `tessera serve` stops cleanly on SIGTERM (what a service manager sends) and on SIGINT
//! (Ctrl+C), with and without `--demo`, and also when the signal comes while it is still
//! starting. The real binary, signalled with the system's `kill`.
#![cfg(unix)]

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, ExitStatus, Stdio},
    sync::mpsc,
    thread,
    time::Duration,
};

/// Only against a hang: a server that ignores the signal would fail here, not wait forever.
const HANG_GUARD: Duration = Duration::from_secs(120);

fn data_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "tessera-signals-{name}-{}-{}",
        std::process::id(),
        tessera_server::now()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Starts `tessera serve` on free ports; returns it, its stdout lines as they come and
/// its data folder.
fn start(name: &str, demo: bool) -> (Child, mpsc::Receiver<String>, PathBuf) {
    let data = data_dir(name);
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera"));
    command.args(["serve", "--port", "0", "--data"]);
    command.arg(&data);
    if demo {
        command.arg("--demo");
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the tessera binary starts");
    let stdout = child.stdout.take().unwrap();
    let (lines, received) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    (child, received, data)
}

fn wait_for_line(lines: &mpsc::Receiver<String>, wanted: &str) {
    loop {
        let line = lines
            .recv_timeout(HANG_GUARD)
            .unwrap_or_else(|_| panic!("the server never printed {wanted:?}"));
        if line.contains(wanted) {
            return;
        }
    }
}

fn signal(child: &Child, name: &str) {
    let sent = Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
}

fn exit_of(mut child: Child) -> ExitStatus {
    let (done, exited) = mpsc::channel();
    let id = child.id();
    thread::spawn(move || {
        let _ = done.send(child.wait());
    });
    match exited.recv_timeout(HANG_GUARD) {
        Ok(status) => status.unwrap(),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &id.to_string()])
                .status();
            panic!("the server did not stop after the signal");
        }
    }
}

#[test]
fn serve_stops_on_sigterm() {
    let (child, lines, data) = start("serve-term", false);
    wait_for_line(&lines, "Press Ctrl+C to stop.");
    signal(&child, "TERM");
    assert!(exit_of(child).success());
    std::fs::remove_dir_all(data).unwrap();
}

#[test]
fn serve_demo_stops_on_sigterm_and_on_ctrl_c() {
    for name in ["TERM", "INT"] {
        let (child, lines, data) = start(&format!("demo-{name}"), true);
        wait_for_line(&lines, "Press Ctrl+C to stop.");
        signal(&child, name);
        assert!(exit_of(child).success(), "after SIG{name}");
        std::fs::remove_dir_all(data).unwrap();
    }
}

#[test]
fn serve_demo_stops_on_sigterm_while_it_is_still_seeding() {
    let (child, lines, data) = start("demo-starting", true);
    // Printed before the demo is seeded (seconds of Argon2 hashing).
    wait_for_line(&lines, "Tessera is running.");
    signal(&child, "TERM");
    assert!(exit_of(child).success());
    std::fs::remove_dir_all(data).unwrap();
}
