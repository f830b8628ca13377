//! Issue 18: Tessera as an OpenID Provider, used by a relying party written with Authlib
//! (PyPI), a client library no one here wrote (`tests/oidc/rp.py`, in the venv
//! scripts/setup.sh makes). Authlib builds the authorization request with PKCE, exchanges
//! the code and validates every ID token with its own checks; the sign-in page is the
//! real widget in headless Chromium, and alice approves on the real companion. CIBA (which
//! Authlib lacks) is plain form posts from the same script: a transfer confirmed in poll
//! mode (the client authenticated with private_key_jwt, Authlib signing its assertions),
//! a login in ping mode. The refusals the specs name are checked on the way.
use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::Value;
use tessera_e2e::*;

/// The venv's Python with Authlib (scripts/setup.sh), or `TESSERA_OIDC_PYTHON`.
fn python() -> PathBuf {
    std::env::var("TESSERA_OIDC_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace().join("target/oidc-venv/bin/python"))
}

fn rp_command(args: &[&str]) -> Command {
    let python = python();
    assert!(
        python.exists(),
        "{} is missing: scripts/setup.sh installs Authlib there",
        python.display()
    );
    let mut command = Command::new(python);
    command
        .arg(workspace().join("tests/oidc/rp.py"))
        .args(args)
        .stderr(Stdio::inherit());
    command
}

/// Runs one step of the relying party; its one JSON line, which must not be a failure.
fn rp(args: &[&str]) -> Value {
    let output = rp_command(args).output().expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let answer: Value = stdout
        .lines()
        .last()
        .and_then(|line| serde_json::from_str(line).ok())
        .unwrap_or_else(|| panic!("rp.py {args:?} printed no JSON: {stdout}"));
    assert!(output.status.success(), "rp.py {args:?} failed: {answer}");
    answer
}

/// Waits until the demo is seeded (the Demo Bank answers only after that): the clients
/// registered below belong to its partner account.
fn wait_for_the_demo(server: &Server) {
    use std::io::{Read, Write};
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let answered = std::net::TcpStream::connect(("127.0.0.1", server.bank_port))
            .and_then(|mut stream| {
                stream.set_read_timeout(Some(Duration::from_secs(5)))?;
                write!(
                    stream,
                    "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                )?;
                let mut head = [0u8; 12];
                stream.read_exact(&mut head)?;
                Ok(head.starts_with(b"HTTP/1.1 200"))
            })
            .unwrap_or(false);
        if answered {
            return;
        }
        assert!(Instant::now() < deadline, "the demo was not seeded");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Registers a client of the Demo Bank with `tessera oidc-client`; returns its secret
/// (empty for a client with keys).
fn register(server: &Server, id: &str, extra: &[&str]) -> String {
    wait_for_the_demo(server);
    let bank_origin = server.bank_url().trim_end_matches('/').to_string();
    let mut args = vec![id, "--partner", "demo-bank", "--origin", &bank_origin];
    args.extend_from_slice(extra);
    let out = server.cli("oidc-client", &args);
    out.lines()
        .find_map(|line| line.strip_prefix("client_secret: "))
        .unwrap_or_default()
        .to_string()
}

fn scratch_file(name: &str) -> String {
    std::env::temp_dir()
        .join(format!("tessera-e2e-oidc-{}-{name}", free_port()))
        .display()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn authlib_signs_alice_in_through_the_code_flow_with_pkce_in_the_browser() {
    let server = Server::start(180);
    let issuer = server.url();
    let redirect = format!("http://127.0.0.1:{}/callback", free_port());
    let secret = register(&server, "rp-code", &["--redirect-uri", &redirect]);
    let (desktop, phone) = (Browser::desktop().await, Browser::phone().await);
    activate(&phone, &server, &DEMO_USERS[0]).await;

    let discovered = rp(&["discover", &issuer]);
    assert_eq!(discovered["issuer"], issuer.as_str());
    let refused = rp(&["refusals", &issuer, "rp-code", &secret, &redirect]);
    assert_eq!(refused["unknown_client"], 400);
    assert_eq!(refused["unregistered_redirect_uri"], 400);

    let state = scratch_file("state.json");
    let start = rp(&["authorize", &issuer, "rp-code", &secret, &redirect, &state]);
    desktop.goto(start["url"].as_str().unwrap()).await;
    desktop.find("#tessera-qr").await;
    desktop
        .wait_attr("#tessera-status", "data-state", "pending")
        .await;
    desktop.screenshot("oidc-sign-in").await;
    let link = desktop
        .attr("#tessera-qr", "data-qr-link")
        .await
        .expect("the QR carries its link");
    open_scanned(&phone, &link).await;
    assert_eq!(phone.text("#req-origin").await.trim(), issuer);
    approve_on_phone(&phone).await;

    // The widget verifies in wasm, the page asks the server, the browser goes back to the
    // relying party (nothing listens there: the URL is what counts).
    let deadline = Instant::now() + Duration::from_secs(30);
    let callback = loop {
        let url = desktop
            .client
            .current_url()
            .await
            .expect("a URL")
            .to_string();
        if url.starts_with(&redirect) {
            break url;
        }
        assert!(Instant::now() < deadline, "no redirect back; at {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let done = rp(&[
        "callback", &issuer, "rp-code", &secret, &redirect, &state, &callback,
    ]);
    let claims = &done["claims"];
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["aud"], "rp-code");
    assert_eq!(claims["acr"], "urn:tessera:acr:device-pin");
    assert_eq!(claims["amr"], serde_json::json!(["swk", "pin", "mfa"]));
    assert_eq!(claims["tessera_approval"]["origin"], issuer.as_str());
    let errors = &done["errors"];
    assert_eq!(errors["wrong_verifier"], "invalid_grant");
    assert_eq!(errors["reused_code"], "invalid_grant");
    assert_eq!(
        errors["userinfo_after_reuse"], 401,
        "reuse revoked the access token"
    );
    let _ = std::fs::remove_file(&state);
    desktop.close().await;
    phone.close().await;
}

/// The phone, on its home screen, opens the pushed request: picks the number the relying
/// party shows, checks that it shows `details` (and the binding message of `started`),
/// approves with the PIN, and goes back home.
async fn approve_push(phone: &Browser, started: &Value, details: &str) {
    phone.find("#request").await;
    phone
        .click(&format!("#number-{}", started["tessera_number"]))
        .await;
    phone.find("#req-pin").await;
    phone.wait_text("#request", details).await;
    if let Some(message) = started["binding_message"].as_str() {
        assert_eq!(phone.text("#req-binding").await.trim(), message);
    }
    approve_on_phone(phone).await;
    phone.click("#btn-home").await;
}

const TRANSFER: &str = r#"[{"type":"tessera_transaction","amount_minor":123450,"currency":"EUR","payee_name":"Garage Muller","payee_iban":"LU28 0019 4006 4475 0000","reference":"Invoice 42"}]"#;

#[tokio::test(flavor = "multi_thread")]
async fn ciba_confirms_a_transfer_in_poll_mode_and_logs_in_in_ping_mode() {
    let server = Server::start(180);
    let issuer = server.url();
    // The poll client authenticates with private_key_jwt: its key made by Authlib.
    let key_file = scratch_file("key.json");
    let jwks = rp(&["keygen", &key_file]);
    let jwks_file = scratch_file("jwks.json");
    std::fs::write(&jwks_file, jwks.to_string()).unwrap();
    register(&server, "rp-ciba", &["--jwks", &jwks_file]);
    let secret = format!("key:{key_file}");
    let notify_port = free_port().to_string();
    let notify = format!("http://127.0.0.1:{notify_port}/notify");
    let ping_secret = register(&server, "rp-ping", &["--notification-endpoint", &notify]);
    let phone = Browser::phone().await;
    activate(&phone, &server, &DEMO_USERS[0]).await;
    phone.click("#btn-continue").await;
    phone.find("#home").await;

    // Poll mode: a transfer. The first poll is pending; the phone shows exactly it.
    let state = scratch_file("ciba.json");
    let started = rp(&[
        "ciba-start",
        &issuer,
        "rp-ciba",
        &secret,
        &state,
        "alice",
        TRANSFER,
    ]);
    assert_eq!(started["first_poll"], "authorization_pending");
    approve_push(&phone, &started, "Garage Muller").await;
    let polled = rp(&["ciba-poll", &issuer, "rp-ciba", &secret, &state]);
    let claims = &polled["claims"];
    assert_eq!(claims["sub"], "alice");
    assert_eq!(
        claims["authorization_details"][0]["payee_name"],
        "Garage Muller"
    );
    assert_eq!(claims["authorization_details"][0]["amount_minor"], 123450);

    // The evidence in the ID token verifies offline with `tessera verify-approval`: the
    // phone signed exactly this transfer.
    let evidence = &claims["tessera_approval"];
    assert_eq!(evidence["kind"], "confirm");
    let (result, details) = (scratch_file("result.json"), scratch_file("details.json"));
    std::fs::write(
        &result,
        serde_json::json!({"approval": evidence["approval"], "status": evidence["status"]})
            .to_string(),
    )
    .unwrap();
    std::fs::write(&details, evidence["details"].to_string()).unwrap();
    let verdict = Command::new(Server::binary())
        .arg("verify-approval")
        .args([
            "--root",
            &server.root_key(),
            "--session",
            evidence["session_id"].as_str().unwrap(),
            "--nonce",
            evidence["nonce"].as_str().unwrap(),
            "--partner",
            evidence["partner_id"].as_str().unwrap(),
            "--origin",
            evidence["origin"].as_str().unwrap(),
            "--kind",
            "confirm",
            "--details",
            &details,
            &result,
        ])
        .output()
        .expect("the tessera binary runs");
    let said = String::from_utf8_lossy(&verdict.stdout);
    assert!(
        verdict.status.success() && said.starts_with("valid"),
        "{said}"
    );

    // Ping mode: the relying party is told when to ask, once.
    let mut ping = rp_command(&[
        "ciba-ping",
        &issuer,
        "rp-ping",
        &ping_secret,
        "alice",
        &notify_port,
    ])
    .stdout(Stdio::piped())
    .spawn()
    .expect("python runs");
    let mut lines = BufReader::new(ping.stdout.take().expect("its output")).lines();
    let first = lines.next().expect("a line").expect("UTF-8");
    let started: Value = serde_json::from_str(&first).unwrap_or_else(|_| panic!("{first}"));
    approve_push(&phone, &started, "Demo Bank").await;
    let last = lines.next().expect("the claims").expect("UTF-8");
    assert!(ping.wait().expect("python ends").success(), "{last}");
    let claims: Value = serde_json::from_str(&last).unwrap();
    assert_eq!(claims["claims"]["sub"], "alice");
    assert_eq!(claims["claims"]["tessera_approval"]["kind"], "login");

    // An auth_req_id past its requested expiry, and one never issued.
    let late = rp(&["ciba-expired", &issuer, "rp-ciba", &secret, "alice"]);
    assert_eq!(late["expired"], "expired_token");
    assert_eq!(late["unknown"], "invalid_grant");
    for file in [state, result, details, key_file, jwks_file] {
        let _ = std::fs::remove_file(file);
    }
    phone.close().await;
}
