//! `tessera serve`: the server, the companion, the outbox and the helpdesk (with `--demo`,
//! the demo users and the Demo Bank's partner account; the bank is `tessera-demo-bank`);
//! `tessera unlock-device`: the operator's way to unlock a PIN-locked device;
//! `tessera root-key`: the root public key partners pin;
//! `tessera verify`: checks a signed document against its signature file, offline;
//! `tessera oidc-client`, `tessera rotate-oidc-key`: the OpenID Provider's clients and keys.
use std::{path::PathBuf, process::ExitCode};

use tessera_httpkit::{bind, stop_signal};
use tessera_server::{AppState, Config, app, demo, push::PushConfig, store::Store};

const USAGE: &str =
    "usage: tessera serve [--demo] [--demo-bank-origin URL] [--data DIR] [--database URL]
                     [--host ADDR] [--port N] [--session-ttl SECONDS] [--companion-web DIR]
                     [--public-url URL] [--push-contact C] [--push-allow-loopback]
                     [--widget-web DIR]
       tessera unlock-device [--data DIR] DEVICE_ID
       tessera root-key [--all] [--data DIR]
       tessera rotate-issuer [--data DIR]
       tessera rotate-root [--activate] [--data DIR]
       tessera verify --root KEY DOCUMENT SIGNATURE_FILE
       tessera verify-approval --root KEY --session ID --nonce N --partner ID --origin URL
                               --kind login|confirm|sign [--details FILE] RESULT_FILE
       tessera oidc-client [--data DIR] CLIENT_ID --partner ID --origin URL [--name NAME]
                           [--redirect-uri URI]... [--notification-endpoint URL]
                           [--jwks FILE]
       tessera rotate-oidc-key [--data DIR]
       tessera token [--data DIR] USER_ID
       tessera scan [--data DIR] USER_ID CHALLENGE

  --demo             seed the demo users and agent, register the Demo Bank as a partner
                     and write its API key and pinned root key to DIR/demo-bank-api-key
                     and DIR/demo-bank-root-key (for tessera-demo-bank)
  --demo-bank-origin URL  the Demo Bank's origin (default http://127.0.0.1:8081)
  --data DIR         where the SQLite database lives (default ./tessera-data)
  --database URL     PostgreSQL instead, shared by several instances, e.g.
                     postgres://tessera@db.internal/tessera (or TESSERA_DATABASE_URL;
                     every command reads that variable)
  --host ADDR        address to listen on (default 127.0.0.1)
  --port N           Tessera server port (default 8080; 0 picks a free one)
  --session-ttl S    how long a session waits for the user (default 180)
  --companion-web DIR  built companion (default ./dist-companion)
  --widget-web DIR   the widget built for partners, for the OpenID sign-in page
                     (default ./dist-widget, built by scripts/dist.sh)
  --public-url URL   where browsers reach the server, e.g. https://id.example.com
  --push-contact C   the VAPID contact for push services, mailto: or https: (default: the
                     public URL if https)
  --push-allow-loopback  also push to http://127.0.0.1:PORT endpoints (tests, local demos;
                     never in production: the endpoint comes from the browser)
                     (default http://HOST:PORT); its host is the biometrics' WebAuthn
                     relying party, which cannot be an IP address

unlock-device        unlocks a device locked after too many wrong PINs (what the
                     helpdesk console will do), resetting its PIN failure count
root-key             prints the root public key (base64url) that partners pin; with
                     --all, every root to pin, one a line (during a root rotation)
rotate-issuer        adds an issuing CA generation, also while the server runs: new
                     devices are certified by it, older devices keep working
rotate-root          announces the next root (partners pin it; JWKS lists it); with
                     --activate, puts it to use: new devices chain to it, older ones
                     keep chaining to the previous root, also while the server runs
verify               checks DOCUMENT against its SIGNATURE_FILE (.tessera.json) under the
                     pinned root KEY (during a root rotation KEY1,KEY2), offline; prints
                     the verdict; exit code 0 valid, 1 invalid (with the reason code),
                     2 could not check
verify-approval      checks an approval (RESULT_FILE: the {approval, status} the partner
                     API returned) against what the partner asked, now; same verdict
                     and exit codes as verify
oidc-client          registers (or replaces) an OpenID client of a partner: its exact
                     redirect URIs (code flow), its notification endpoint (CIBA ping
                     mode), its public keys (--jwks: a JWKS file of P-256 keys, for
                     private_key_jwt instead of a secret); prints the client secret,
                     shown only once
rotate-oidc-key      adds an ID-token signing key generation, also while the server
                     runs; the previous one stays in the JWKS
token                plays the demo user's hardware Token: prints the code of its next
                     button press (HOTP, RFC 4226)
scan                 plays the demo user's Scan: prints its response to the mosaic's
                     CHALLENGE (OCRA, RFC 6287)";

struct Options {
    demo: bool,
    data: PathBuf,
    database: Option<String>,
    host: String,
    port: u16,
    demo_bank_origin: String,
    session_ttl: u64,
    companion_web: PathBuf,
    widget_web: PathBuf,
    public_url: Option<String>,
    push_contact: Option<String>,
    push_allow_loopback: bool,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        demo: false,
        data: "tessera-data".into(),
        database: std::env::var("TESSERA_DATABASE_URL").ok(),
        host: "127.0.0.1".into(),
        port: 8080,
        demo_bank_origin: "http://127.0.0.1:8081".into(),
        session_ttl: 180,
        companion_web: "dist-companion".into(),
        widget_web: "dist-widget".into(),
        public_url: None,
        push_contact: None,
        push_allow_loopback: false,
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        if flag == "--demo" {
            options.demo = true;
            continue;
        }
        if flag == "--push-allow-loopback" {
            options.push_allow_loopback = true;
            continue;
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |what: &str| {
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag}: {what} expected, got {value:?}"))
        };
        match flag.as_str() {
            "--data" => options.data = value.into(),
            "--database" => options.database = Some(value.clone()),
            "--host" => options.host = value.clone(),
            "--port" => {
                options.port = u16::try_from(number("a port")?)
                    .map_err(|_| format!("{flag}: port out of range"))?
            }
            "--demo-bank-origin" => options.demo_bank_origin = value.trim_end_matches('/').into(),
            "--session-ttl" => options.session_ttl = number("seconds")?,
            "--companion-web" => options.companion_web = value.into(),
            "--widget-web" => options.widget_web = value.into(),
            "--public-url" => options.public_url = Some(value.trim_end_matches('/').into()),
            "--push-contact" => options.push_contact = Some(value.clone()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

/// glibc raises its mmap threshold after the first large free, so the 19 MiB that each
/// Argon2 hash borrows stays in the heap of every thread that ever hashed (200 MB at
/// start). A fixed threshold hands such blocks back to the system when they are freed.
///
/// One arena instead of up to eight per core: a connection's buffers are allocated on one
/// thread and often freed on another, and memory freed into one arena is never reused by
/// another. With 19,744 waiting streams the server's RSS fell from 383 to 351 MB
/// (scripts/bench.sh); two cores do not contend on one arena's lock in any measurable way.
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before any other thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

fn main() -> ExitCode {
    return_large_blocks_to_the_system();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(run())
}

async fn run() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => match parse(&args[1..]) {
            Ok(options) => serve(options).await,
            Err(problem) => Err(problem),
        },
        Some("unlock-device") => unlock_device(&args[1..]),
        Some("root-key") => root_key(&args[1..]),
        Some("rotate-issuer") => rotate_issuer(&args[1..]),
        Some("rotate-root") => rotate_root(&args[1..]),
        Some("oidc-client") => oidc_client(&args[1..]),
        Some("rotate-oidc-key") => rotate_oidc_key(&args[1..]),
        Some("token") => hardware(&args[1..], false),
        Some("scan") => hardware(&args[1..], true),
        Some("verify") => return verify(&args[1..]),
        Some("verify-approval") => return verify_approval(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err("no command given".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("tessera: {problem}\n\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(options: Options) -> Result<(), String> {
    let stopped = stop_signal()?;
    // Every waiting widget and phone holds a connection, so a file descriptor: take all
    // the system allows instead of the usual soft limit of 1,024.
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::info!("open files limit: {limit}"),
        Err(e) => tracing::warn!("cannot raise the open files limit: {e}"),
    }
    let store = match &options.database {
        Some(url) => Store::connect(url),
        None => {
            std::fs::create_dir_all(&options.data)
                .map_err(|e| format!("cannot create {}: {e}", options.data.display()))?;
            Store::open(&options.data.join("tessera.sqlite3"))
        }
    }
    .map_err(|e| e.to_string())?;
    let (listener, address) = bind(&options.host, options.port).await?;
    let public_url = options
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{address}"));
    let config = Config {
        public_url: public_url.clone(),
        session_ttl_secs: options.session_ttl,
        companion_web_dir: options.companion_web.clone(),
        widget_web_dir: options.widget_web.clone(),
        push: {
            let mut push = PushConfig::for_public_url(&public_url);
            if let Some(contact) = &options.push_contact {
                push.contact = contact.clone();
            }
            push.allow_loopback = options.push_allow_loopback;
            push
        },
    };
    let state = AppState::new(config, store).map_err(|e| e.to_string())?;
    let mut servers = tokio::task::JoinSet::new();
    // HTTP/1.1 for browsers that reach the instance directly, h2c for a load balancer
    // that multiplexes many browsers' requests over a few connections.
    servers.spawn(tessera_httpkit::serve(
        listener,
        app(state.clone()),
        stopped(),
    ));

    println!("Tessera is running.");
    if options.demo {
        let seeded = tokio::select! {
            seeded = demo::seed(&state, &options.demo_bank_origin, &options.data) => seeded,
            () = stopped() => return Ok(()),
        };
        let key_file = seeded.map_err(|e| e.to_string())?;
        println!(
            "  Demo Bank's partner key:   {} (for tessera-demo-bank)",
            key_file.display()
        );
        let (client, secret) = demo::seed_oidc_client(&state, &options.demo_bank_origin)
            .await
            .map_err(|e| e.to_string())?;
        println!("  OpenID Provider:           {public_url}/.well-known/openid-configuration");
        println!("    demo client:             {client} / {secret}");
        println!(
            "    its redirect URI:        {}",
            demo::DEMO_OIDC_REDIRECT_URI
        );
    }
    println!("  Phone companion:           {public_url}/companion/");
    println!("  Outbox (SMS and e-mail):   {public_url}/outbox");
    println!("  Helpdesk console:          {public_url}/helpdesk");
    println!("  Partner API:               {public_url}/v1/sessions");
    if options.demo {
        println!("Demo users (user ID / password / activation code):");
        for user in &demo::DEMO_USERS {
            println!(
                "  {} / {} / {}",
                user.id, user.password, user.activation_code
            );
        }
        let (agent, _, password) = demo::DEMO_AGENT;
        println!("Helpdesk agent: {agent} / {password}");
    }
    println!("Press Ctrl+C to stop.");
    while let Some(result) = servers.join_next().await {
        result.map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn unlock_device(args: &[String]) -> Result<(), String> {
    let (data, device_id) = match args {
        [flag, dir, id] if flag == "--data" => (PathBuf::from(dir), id),
        [id] => (PathBuf::from("tessera-data"), id),
        _ => return Err("unlock-device needs a device id".into()),
    };
    let store = existing_store(&data)?;
    match store.unlock_device(device_id).map_err(|e| e.to_string())? {
        true => {
            println!("device {device_id} is active again");
            Ok(())
        }
        false => Err(format!("no locked device with id {device_id}")),
    }
}

/// The simulators of the demo users' Token and Scan.
fn hardware(args: &[String], scan: bool) -> Result<(), String> {
    let (data, rest) = match args {
        [flag, dir, rest @ ..] if flag == "--data" => (PathBuf::from(dir), rest),
        rest => (PathBuf::from("tessera-data"), rest),
    };
    let store = existing_store(&data)?;
    let answer = match (scan, rest) {
        (false, [user]) => tessera_server::activation::hardware::press_token(&store, user),
        (true, [user, challenge]) => {
            tessera_server::activation::hardware::read_mosaic(&store, user, challenge)
        }
        (false, _) => return Err("token needs a user ID".into()),
        (true, _) => return Err("scan needs a user ID and the mosaic's challenge".into()),
    };
    println!("{}", answer.map_err(|e| e.to_string())?);
    Ok(())
}

/// The store of an existing installation; never creates one.
fn existing_store(data: &std::path::Path) -> Result<Store, String> {
    if let Ok(url) = std::env::var("TESSERA_DATABASE_URL") {
        return Store::connect(&url).map_err(|e| e.to_string());
    }
    let database = data.join("tessera.sqlite3");
    if !database.exists() {
        return Err(format!("no Tessera data in {}", data.display()));
    }
    Store::open(&database).map_err(|e| e.to_string())
}

/// The store of a command whose only option is `--data DIR`.
fn data_only(command: &str, args: &[String]) -> Result<Store, String> {
    let data = match args {
        [flag, dir] if flag == "--data" => PathBuf::from(dir),
        [] => PathBuf::from("tessera-data"),
        _ => return Err(format!("{command} takes only --data DIR")),
    };
    existing_store(&data)
}

fn rotate_issuer(args: &[String]) -> Result<(), String> {
    let store = data_only("rotate-issuer", args)?;
    let generation = tessera_server::ca::Ca::rotate_issuer(&store, tessera_server::now())
        .map_err(|e| e.to_string())?;
    println!(
        "issuing CA generation {generation} now certifies new devices; \
         earlier generations keep signing the status of their devices"
    );
    Ok(())
}

fn oidc_client(args: &[String]) -> Result<(), String> {
    let (data, rest) = match args {
        [flag, dir, rest @ ..] if flag == "--data" => (PathBuf::from(dir), rest),
        rest => (PathBuf::from("tessera-data"), rest),
    };
    let store = existing_store(&data)?;
    let mut rest = rest.iter();
    let id = rest.next().ok_or("oidc-client needs a CLIENT_ID")?.clone();
    let (mut partner, mut origin, mut name) = (None, None, None);
    let (mut redirect_uris, mut notification_endpoint, mut jwks) = (Vec::new(), None, None);
    while let Some(flag) = rest.next() {
        let value = rest
            .next()
            .cloned()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--partner" => partner = Some(value),
            "--origin" => origin = Some(value),
            "--name" => name = Some(value),
            "--redirect-uri" => redirect_uris.push(value),
            "--notification-endpoint" => notification_endpoint = Some(value),
            "--jwks" => {
                jwks = Some(
                    std::fs::read_to_string(&value)
                        .map_err(|e| format!("cannot read {value}: {e}"))?,
                )
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    let client = tessera_server::oidc::clients::NewClient {
        name: name.unwrap_or_else(|| id.clone()),
        id: id.clone(),
        redirect_uris,
        partner_id: partner.ok_or("oidc-client needs --partner")?,
        origin: origin.ok_or("oidc-client needs --origin")?,
        notification_endpoint,
        jwks,
    };
    let secret = tessera_server::oidc::clients::register(&store, client, tessera_server::now())
        .map_err(|e| e.to_string())?;
    match secret {
        Some(secret) => println!("client_id: {id}\nclient_secret: {secret}"),
        None => println!("client_id: {id}\nauthentication: private_key_jwt (no secret)"),
    }
    Ok(())
}

fn rotate_oidc_key(args: &[String]) -> Result<(), String> {
    let store = data_only("rotate-oidc-key", args)?;
    let generation = tessera_server::oidc::keys::rotate(&store).map_err(|e| e.to_string())?;
    println!("ID-token key generation {generation} now signs; the previous one stays published");
    Ok(())
}

fn root_key(args: &[String]) -> Result<(), String> {
    let (all, args) = with_flag("--all", args);
    let store = data_only("root-key", &args)?;
    let root = tessera_server::ca::Ca::stored_root(&store)
        .map_err(|e| e.to_string())?
        .ok_or("this installation has no root key yet; start the server once")?;
    if !all {
        println!("{}", tessera_protocol::verifying_key_to_b64(&root));
        return Ok(());
    }
    // One a line, what a partner pins during a rotation (tessera-demo-bank --root-file
    // reads this form).
    for root in tessera_server::ca::Ca::roots(&store).map_err(|e| e.to_string())? {
        println!(
            "{}",
            tessera_protocol::verifying_key_to_b64(root.public_key())
        );
    }
    Ok(())
}

/// Whether `flag` is among `args` (anywhere), and the other arguments.
fn with_flag(flag: &str, args: &[String]) -> (bool, Vec<String>) {
    let rest: Vec<String> = args.iter().filter(|arg| *arg != flag).cloned().collect();
    (rest.len() != args.len(), rest)
}

/// `tessera rotate-root`: announces the next root; with `--activate`, puts the announced
/// one to use. Both while the server runs.
fn rotate_root(args: &[String]) -> Result<(), String> {
    let (activate, args) = with_flag("--activate", args);
    let store = data_only("rotate-root", &args)?;
    let now = tessera_server::now();
    if activate {
        let (root, issuer) =
            tessera_server::ca::Ca::activate_next_root(&store, now).map_err(|e| e.to_string())?;
        println!(
            "root generation {root} is active: it certified issuing CA generation {issuer}, \
             which certifies new devices; devices certified before keep chaining to the \
             previous root, which stays listed: partners keep it pinned"
        );
    } else {
        let (generation, key) =
            tessera_server::ca::Ca::announce_next_root(&store, now).map_err(|e| e.to_string())?;
        println!(
            "root generation {generation} is announced (JWKS tessera_role next_root) and \
             certifies nothing yet. Partners pin it beside the current root:\n{}\n\
             then run: tessera rotate-root --activate",
            tessera_protocol::verifying_key_to_b64(&key)
        );
    }
    Ok(())
}

fn verify(args: &[String]) -> ExitCode {
    let [flag, root, document, signature] = args else {
        eprintln!("tessera: verify needs --root KEY DOCUMENT SIGNATURE_FILE\n\n{USAGE}");
        return ExitCode::from(2);
    };
    if flag != "--root" {
        eprintln!("tessera: verify needs --root KEY first\n\n{USAGE}");
        return ExitCode::from(2);
    }
    let verdict = tessera_server::partner::verdict::verify_document(
        root,
        std::path::Path::new(document),
        std::path::Path::new(signature),
    );
    report(verdict)
}

fn verify_approval(args: &[String]) -> ExitCode {
    let parsed = parse_verify_approval(args);
    let verdict = match parsed {
        Ok((root, asked, file)) => tessera_server::partner::verdict::verify_result(
            &root,
            &asked,
            &file,
            tessera_server::now(),
        ),
        Err(problem) => {
            eprintln!("tessera: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    report(verdict)
}

fn parse_verify_approval(
    args: &[String],
) -> Result<(String, tessera_server::partner::verdict::Asked, PathBuf), String> {
    let (mut root, mut session, mut nonce, mut partner, mut origin, mut kind) =
        (None, None, None, None, None, None);
    let (mut details, mut file) = (None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{arg} needs a value"))
        };
        match arg.as_str() {
            "--root" => root = Some(value()?),
            "--session" => session = Some(value()?),
            "--nonce" => nonce = Some(value()?),
            "--partner" => partner = Some(value()?),
            "--origin" => origin = Some(value()?),
            "--kind" => {
                kind = Some(match value()?.as_str() {
                    "login" => tessera_protocol::Kind::Login,
                    "confirm" => tessera_protocol::Kind::Confirm,
                    "sign" => tessera_protocol::Kind::Sign,
                    other => return Err(format!("--kind: login, confirm or sign, not {other:?}")),
                })
            }
            "--details" => details = Some(PathBuf::from(value()?)),
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            path => file = Some(PathBuf::from(path)),
        }
    }
    let need =
        |v: Option<String>, name: &str| v.ok_or_else(|| format!("verify-approval needs {name}"));
    let asked = tessera_server::partner::verdict::Asked {
        session_id: need(session, "--session")?,
        nonce: need(nonce, "--nonce")?,
        partner_id: need(partner, "--partner")?,
        origin: need(origin, "--origin")?,
        kind: kind.ok_or("verify-approval needs --kind")?,
        details,
    };
    let file = file.ok_or("verify-approval needs the RESULT_FILE")?;
    Ok((need(root, "--root")?, asked, file))
}

/// Prints a verdict of `verify` or `verify-approval` and gives its exit code.
fn report(verdict: Result<String, tessera_server::partner::verdict::VerdictError>) -> ExitCode {
    match verdict {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(problem) => {
            println!("{problem}");
            ExitCode::from(problem.exit_code())
        }
    }
}
