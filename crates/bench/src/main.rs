//! `tessera-bench`: the load client of `scripts/bench.sh`. It talks to a running server
//! on 127.0.0.1 only, as partners, widgets and one phone do, and prints one measurement
//! per line:
//!
//! ```text
//! sessions_per_s=N                 partner sessions created per second
//! streams_held=N rss_mb=N rss_before_streams_mb=N
//!                                  waiting widget streams, and the server's memory then
//!                                  (and just before they were opened)
//! approve_to_event_p95_ms=N        a phone's approval until the widget's stream tells it,
//!                                  while all those streams wait
//! ```
//!
//! With `--transport h2c` every request goes over HTTP/2 without TLS, and the waiting
//! streams are multiplexed over [`H2C_CONNECTIONS`] connections, as a load balancer that
//! terminates the browsers' TLS carries them to an instance; `http1` (the default) gives
//! each waiting stream its own connection, as browsers that reach the instance directly.
//!
//! Every phase is bounded in count and time; nothing asserts on the numbers.
use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode, body::Incoming, client::conn::http2, header};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::{TokioExecutor, TokioIo},
};
use p256::ecdsa::{Signature, SigningKey, signature::Signer};
use serde_json::{Value, json};
use tessera_protocol::{
    APPROVAL_TYPE, Decision, JwsHeader, UserVerification,
    api::{DeviceRequest, SessionCreated, activation_message},
    assemble, b64_decode, b64_encode, qr_code, signing_input, verifying_key_to_b64,
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    task::JoinSet,
};

const USAGE: &str = "usage: tessera-bench --server 127.0.0.1:PORT --api-key KEY --origin ORIGIN
                     --pid SERVER_PID [--transport http1|h2c] [--streams N]
                     [--seconds S] [--approvals N]
                     [--user ID --password P --activation-code C --pin PIN]";

/// How long any single step may take before the bench gives up on it.
const STEP_TIMEOUT: Duration = Duration::from_secs(30);

/// Connections the waiting streams share with `--transport h2c`: a balancer such as Envoy
/// keeps about one per worker thread to each instance.
const H2C_CONNECTIONS: usize = 4;

/// How the bench's requests reach the server.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Transport {
    /// HTTP/1.1, a connection per waiting stream.
    Http1,
    /// HTTP/2 with prior knowledge, the waiting streams multiplexed.
    H2c,
}

struct Options {
    server: SocketAddr,
    api_key: String,
    origin: String,
    pid: u32,
    transport: Transport,
    streams: usize,
    seconds: u64,
    approvals: usize,
    user: String,
    password: String,
    activation_code: String,
    pin: String,
}

type Bench = Result<(), String>;

#[tokio::main]
async fn main() {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(message) = run(options).await {
        eprintln!("tessera-bench: {message}");
        std::process::exit(1);
    }
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        server: "127.0.0.1:8080".parse().expect("a literal address"),
        api_key: String::new(),
        origin: String::new(),
        pid: 0,
        transport: Transport::Http1,
        streams: 20_000,
        seconds: 5,
        approvals: 100,
        user: "alice".into(),
        password: "Tessera-Demo-1!".into(),
        activation_code: "AB12C".into(),
        pin: "482913".into(),
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let number = |text: String| {
            text.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number"))
        };
        match flag.as_str() {
            "--server" => {
                options.server = value()?.parse().map_err(|_| "--server: not ADDR:PORT")?;
            }
            "--api-key" => options.api_key = value()?,
            "--origin" => options.origin = value()?,
            "--pid" => options.pid = number(value()?)? as u32,
            "--transport" => {
                options.transport = match value()?.as_str() {
                    "http1" => Transport::Http1,
                    "h2c" => Transport::H2c,
                    _ => return Err("--transport: http1 or h2c".into()),
                }
            }
            "--streams" => options.streams = number(value()?)? as usize,
            "--seconds" => options.seconds = number(value()?)?,
            "--approvals" => options.approvals = number(value()?)? as usize,
            "--user" => options.user = value()?,
            "--password" => options.password = value()?,
            "--activation-code" => options.activation_code = value()?,
            "--pin" => options.pin = value()?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if !options.server.ip().is_loopback() {
        return Err("the bench targets loopback only".into());
    }
    if options.api_key.is_empty() || options.origin.is_empty() || options.pid == 0 {
        return Err("--api-key, --origin and --pid are required".into());
    }
    Ok(options)
}

async fn run(mut options: Options) -> Bench {
    // Over HTTP/1.1 every waiting stream is a connection, so a file descriptor here too.
    if options.transport == Transport::Http1 {
        options.streams = streams_that_fit(options.streams)?;
    }
    let http = Http::new(options.server, options.transport).await?;
    let phone = Phone::activate(&http, &options).await?;

    println!(
        "sessions_per_s={}",
        sessions_per_second(&http, &options).await?
    );

    // What the server held before the streams, so that the line also tells what they cost.
    let before = rss_mb(options.pid)?;
    let held = hold_streams(&http, &options).await?;
    println!(
        "streams_held={} rss_mb={} rss_before_streams_mb={before}",
        held.len(),
        rss_mb(options.pid)?
    );

    let mut latencies = Vec::with_capacity(options.approvals);
    for _ in 0..options.approvals {
        latencies.push(approve_to_event(&http, &options, &phone).await?);
    }
    latencies.sort_unstable();
    let p95 = latencies[(latencies.len() * 95).div_ceil(100).saturating_sub(1)];
    println!("approve_to_event_p95_ms={:.1}", p95.as_secs_f64() * 1000.0);
    drop(held);
    Ok(())
}

/// Partner backends creating sessions as fast as the server takes them, for `--seconds`.
async fn sessions_per_second(http: &Http, options: &Options) -> Result<u64, String> {
    const CLIENTS: usize = 64;
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let started = Instant::now();
    let mut clients = JoinSet::new();
    for _ in 0..CLIENTS {
        let (http, options) = (
            http.clone(),
            (options.api_key.clone(), options.origin.clone()),
        );
        clients.spawn(async move {
            let mut created = 0u64;
            while Instant::now() < deadline {
                create_session(&http, &options.0, &options.1).await?;
                created += 1;
            }
            Ok::<_, String>(created)
        });
    }
    let mut created = 0;
    while let Some(done) = clients.join_next().await {
        created += done.map_err(|e| e.to_string())??;
    }
    Ok((created as f64 / started.elapsed().as_secs_f64()) as u64)
}

/// `--streams` widgets, each with its own session, waiting on their event streams.
async fn hold_streams(http: &Http, options: &Options) -> Result<Vec<EventStream>, String> {
    const OPENERS: usize = 32;
    let per_opener = options.streams.div_ceil(OPENERS);
    let mut openers = JoinSet::new();
    for opener in 0..OPENERS {
        let count = per_opener.min(options.streams.saturating_sub(opener * per_opener));
        let (http, key, origin) = (
            http.clone(),
            options.api_key.clone(),
            options.origin.clone(),
        );
        openers.spawn(async move {
            let mut held = Vec::with_capacity(count);
            for _ in 0..count {
                let session = create_session(&http, &key, &origin).await?;
                let mut stream = http.open_events(&session).await?;
                stream.read_until(b"event: state").await?;
                held.push(stream);
            }
            Ok::<_, String>(held)
        });
    }
    let mut held = Vec::with_capacity(options.streams);
    while let Some(done) = openers.join_next().await {
        held.extend(done.map_err(|e| e.to_string())??);
    }
    Ok(held)
}

/// From the moment the phone sends its approval until the widget's stream says so.
async fn approve_to_event(
    http: &Http,
    options: &Options,
    phone: &Phone,
) -> Result<Duration, String> {
    let session = create_session(http, &options.api_key, &options.origin).await?;
    let mut stream = http.open_events(&session).await?;
    stream.read_until(b"event: state").await?;
    let request = phone.scan(http, &session).await?;
    let approval = phone.sign(&request);
    let sent = Instant::now();
    let body = json!({"approval": approval, "pin": options.pin});
    let uri = format!("/v1/device/sessions/{}/respond", request.session_id);
    let reply = http
        .call(Method::POST, &uri, Auth::Cookie(&phone.cookie), Some(body))
        .await?;
    expect(&reply, StatusCode::OK, "respond")?;
    stream.read_until(b"approved").await?;
    Ok(sent.elapsed())
}

async fn create_session(
    http: &Http,
    api_key: &str,
    origin: &str,
) -> Result<SessionCreated, String> {
    let body = json!({"kind": "login", "origin": origin});
    let reply = http
        .call(
            Method::POST,
            "/v1/sessions",
            Auth::Bearer(api_key),
            Some(body),
        )
        .await?;
    expect(&reply, StatusCode::CREATED, "create session")?;
    serde_json::from_value(reply.1).map_err(|e| format!("create session: {e}"))
}

/// A widget's event stream: a connection of its own (HTTP/1.1, as `EventSource` opens
/// it), or a stream of a shared h2c connection.
enum EventStream {
    Http1(TcpStream),
    H2c(Incoming),
}

impl EventStream {
    /// Reads the stream until `needle` went by (events are small: a few hundred bytes).
    async fn read_until(&mut self, needle: &[u8]) -> Bench {
        let mut seen = Vec::with_capacity(512);
        tokio::time::timeout(STEP_TIMEOUT, async {
            loop {
                match self {
                    EventStream::Http1(stream) => {
                        let mut chunk = [0u8; 1024];
                        let read = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
                        if read == 0 {
                            return Err("the stream ended".to_string());
                        }
                        seen.extend_from_slice(&chunk[..read]);
                    }
                    EventStream::H2c(body) => match body.frame().await {
                        Some(frame) => {
                            let frame = frame.map_err(|e| e.to_string())?;
                            if let Some(data) = frame.data_ref() {
                                seen.extend_from_slice(data);
                            }
                        }
                        None => return Err("the stream ended".to_string()),
                    },
                }
                if seen.windows(needle.len()).any(|w| w == needle) {
                    return Ok(());
                }
            }
        })
        .await
        .map_err(|_| format!("no {:?} on the stream", String::from_utf8_lossy(needle)))?
    }
}

/// The one phone of the bench, activated with the demo user's code.
struct Phone {
    key: SigningKey,
    cookie: String,
    device_id: String,
    certificates: Vec<String>,
}

impl Phone {
    async fn activate(http: &Http, options: &Options) -> Result<Phone, String> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| e.to_string())?;
        let key = SigningKey::from_slice(&seed).map_err(|e| e.to_string())?;
        let public_key = verifying_key_to_b64(key.verifying_key());
        let proof: Signature = key.sign(&activation_message(&options.user, &public_key));
        let body = json!({
            "user_id": options.user, "password": options.password,
            "credential": {"activation_code": options.activation_code},
            "pin": options.pin, "device_name": "Bench phone", "public_key": public_key,
            "proof": b64_encode(&proof.normalize_s().to_bytes()),
        });
        let reply = http
            .call(Method::POST, "/v1/activation", Auth::None, Some(body))
            .await?;
        expect(&reply, StatusCode::CREATED, "activation")?;
        let (_, body, cookie) = reply;
        Ok(Phone {
            key,
            cookie: cookie.ok_or("activation set no device cookie")?,
            device_id: body["device_id"].as_str().unwrap_or_default().into(),
            certificates: serde_json::from_value(body["certificates"].clone())
                .map_err(|e| format!("activation: {e}"))?,
        })
    }

    async fn scan(&self, http: &Http, session: &SessionCreated) -> Result<DeviceRequest, String> {
        let secret = b64_decode(&session.qr_secret).ok_or("the QR secret is not base64url")?;
        let body = json!({"session_id": session.session_id, "t": 0, "code": qr_code(&secret, 0)});
        let reply = http
            .call(
                Method::POST,
                "/v1/device/scan",
                Auth::Cookie(&self.cookie),
                Some(body),
            )
            .await?;
        expect(&reply, StatusCode::OK, "scan")?;
        serde_json::from_value(reply.1).map_err(|e| format!("scan: {e}"))
    }

    fn sign(&self, request: &DeviceRequest) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let claims = request.answer(
            &self.device_id,
            Decision::Approve,
            UserVerification::Pin,
            now,
        );
        let header = JwsHeader::new(APPROVAL_TYPE, Some(self.certificates.clone()));
        let input = signing_input(&header, &claims);
        let signature: Signature = self.key.sign(input.as_bytes());
        assemble(&input, &signature.to_bytes()).expect("a JWS of our own making")
    }
}

enum Auth<'a> {
    None,
    Bearer(&'a str),
    Cookie(&'a str),
}

/// Status, JSON body and the cookie the server set, if any.
type Reply = (StatusCode, Value, Option<String>);

#[derive(Clone)]
struct Http {
    server: SocketAddr,
    client: Client<HttpConnector, Full<Bytes>>,
    /// With h2c: the connections the waiting streams share, used in turn.
    shared: Vec<http2::SendRequest<Full<Bytes>>>,
    next: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Http {
    async fn new(server: SocketAddr, transport: Transport) -> Result<Http, String> {
        let mut builder = Client::builder(TokioExecutor::new());
        builder.pool_max_idle_per_host(128);
        let mut shared = Vec::new();
        if transport == Transport::H2c {
            builder.http2_only(true);
            for _ in 0..H2C_CONNECTIONS {
                let socket = TcpStream::connect(server)
                    .await
                    .map_err(|e| format!("connect for h2c: {e}"))?;
                let _ = socket.set_nodelay(true);
                let (sender, connection) =
                    http2::handshake(TokioExecutor::new(), TokioIo::new(socket))
                        .await
                        .map_err(|e| format!("h2c handshake: {e}"))?;
                tokio::spawn(connection);
                shared.push(sender);
            }
        }
        // Requests leave at once, as the server's answers do: with Nagle's algorithm a
        // request on a busy HTTP/2 connection waits for the previous one's acknowledgement.
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Ok(Http {
            server,
            client: builder.build(connector),
            shared,
            next: Default::default(),
        })
    }

    /// The widget's event stream for `session`.
    async fn open_events(&self, session: &SessionCreated) -> Result<EventStream, String> {
        let path = format!(
            "/v1/sessions/{}/events?watch={}",
            session.session_id, session.watch_token
        );
        if self.shared.is_empty() {
            return self.open_events_http1(&path).await.map(EventStream::Http1);
        }
        let turn = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut sender = self.shared[turn % self.shared.len()].clone();
        let request = Request::get(format!("http://{}{path}", self.server))
            .header(header::ACCEPT, "text/event-stream")
            .body(Full::new(Bytes::new()))
            .map_err(|e| e.to_string())?;
        let response = tokio::time::timeout(STEP_TIMEOUT, async {
            sender.ready().await?;
            sender.send_request(request).await
        })
        .await
        .map_err(|_| "no answer to a stream's request".to_string())?
        .map_err(|e| format!("open an h2c stream: {e}"))?;
        if response.status() != StatusCode::OK {
            return Err(format!("open an h2c stream: {}", response.status()));
        }
        Ok(EventStream::H2c(response.into_body()))
    }

    /// A connection of its own, as `EventSource` opens it.
    async fn open_events_http1(&self, path: &str) -> Result<TcpStream, String> {
        let server = self.server;
        let mut stream = TcpStream::connect(server)
            .await
            .map_err(|e| format!("connect for a stream: {e}"))?;
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: {server}\r\nAccept: text/event-stream\r\n\r\n");
        stream
            .write_all(request.as_bytes())
            .await
            .map_err(|e| format!("open a stream: {e}"))?;
        Ok(stream)
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        auth: Auth<'_>,
        body: Option<Value>,
    ) -> Result<Reply, String> {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("http://{}{path}", self.server))
            .header(header::CONTENT_TYPE, "application/json");
        request = match auth {
            Auth::None => request,
            Auth::Bearer(token) => request.header(header::AUTHORIZATION, format!("Bearer {token}")),
            Auth::Cookie(cookie) => request.header(header::COOKIE, cookie),
        };
        let body = body.map_or_else(Bytes::new, |b| Bytes::from(b.to_string()));
        let request = request.body(Full::new(body)).map_err(|e| e.to_string())?;
        let response = tokio::time::timeout(STEP_TIMEOUT, self.client.request(request))
            .await
            .map_err(|_| format!("{path}: no answer in {STEP_TIMEOUT:?}"))?
            .map_err(|e| format!("{path}: {e}"))?;
        let status = response.status();
        let cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_string);
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            cookie,
        ))
    }
}

fn expect(reply: &Reply, status: StatusCode, what: &str) -> Bench {
    if reply.0 == status {
        Ok(())
    } else {
        Err(format!("{what}: {} {}", reply.0, reply.1))
    }
}

/// The server's resident memory, from `/proc` (Linux).
fn rss_mb(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("reading the server's memory: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb / 1024)
        .ok_or("no VmRSS in the server's /proc status".into())
}

/// Every held stream is a file descriptor: raise the soft limit as far as the hard one
/// lets us, and say how many streams fit.
fn streams_that_fit(wanted: usize) -> Result<usize, String> {
    const SPARE: u64 = 256; // the client's own connections and files
    let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).map_err(|e| e.to_string())?;
    let limit = hard.min(wanted as u64 + SPARE);
    if limit > soft {
        rlimit::setrlimit(rlimit::Resource::NOFILE, limit, hard).map_err(|e| e.to_string())?;
    }
    let fit = (limit.saturating_sub(SPARE) as usize).min(wanted);
    if fit < wanted {
        eprintln!("tessera-bench: the open-files limit ({hard}) holds {fit} streams, not {wanted}");
    }
    Ok(fit)
}
