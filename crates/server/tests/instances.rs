//! Several instances on one PostgreSQL (docs/DEPLOYMENT.md): a change made through one
//! wakes the streams of another, single-use things are used once whichever instance is
//! asked, and a killed instance leaves the flow to the others. Needs PostgreSQL
//! (TESSERA_TEST_DATABASE_URL, set by scripts/postgres.sh in scripts/test.sh's second
//! pass); without it there is nothing to share and each test says so and stops.
mod common;

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    process::{Child, Command, Stdio},
    time::Duration,
};

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use common::*;
use http_body_util::BodyExt;
use serde_json::json;
use tessera_protocol::{Decision, api::SessionCreated};
use tower::ServiceExt;

/// Only against a hang: every wait below ends as soon as what it waits for arrives.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// Two instances sharing one database, or None (and a note) without PostgreSQL.
async fn two_instances() -> Option<(Harness, Harness)> {
    if std::env::var(DATABASE_VARIABLE).is_err() {
        eprintln!("{DATABASE_VARIABLE} is not set: several instances need PostgreSQL");
        return None;
    }
    let db = temp_db();
    let first = harness_at(db.clone(), 180).await;
    let second = harness_at(db, 180).await;
    Some((first, second))
}

/// A widget's event stream on `h`, read as it comes by a task of its own (as a browser
/// reads it): a state is seen because the stream was woken, not because it was polled.
struct Stream(tokio::sync::mpsc::UnboundedReceiver<String>);

impl Stream {
    async fn open(h: &Harness, session: &SessionCreated) -> Stream {
        let uri = format!(
            "/v1/sessions/{}/events?watch={}",
            session.session_id, session.watch_token
        );
        let request = Request::get(uri).body(Body::empty()).unwrap();
        let response = h.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let mut body = response.into_body();
        let (events, received) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(Ok(frame)) = body.frame().await {
                if let Ok(data) = frame.into_data()
                    && events
                        .send(String::from_utf8_lossy(&data).into_owned())
                        .is_err()
                {
                    return;
                }
            }
        });
        Stream(received)
    }

    async fn until(&mut self, state: &str) {
        let wanted = format!("\"state\":\"{state}\"");
        let read = async {
            while let Some(event) = self.0.recv().await {
                if event.contains(&wanted) {
                    return;
                }
            }
            panic!("the stream ended without {wanted}");
        };
        tokio::time::timeout(HANG_GUARD, read)
            .await
            .unwrap_or_else(|_| panic!("the stream never showed {state}"));
        // Lets the stream go back to waiting before the test changes anything, so the
        // next state can only reach it by a wake-up (correctness does not depend on it).
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_on_one_instance_sees_the_approval_sent_to_the_other() {
    let Some((one, two)) = two_instances().await else {
        return;
    };
    let phone = one.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let session = one.create_session().await;
    let mut stream = Stream::open(&one, &session).await;
    stream.until("pending").await;

    // The phone talks to the other instance only; the widget's stream hears of it.
    let request = device_request(two.scan(&phone, &session).await);
    stream.until("awaiting_pin").await;
    let reply = two
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    stream.until("approved").await;

    // The partner's backend asks both at once: the result is delivered once.
    let (a, b) = tokio::join!(one.result(&session), two.result(&session));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::GONE],
        "{} {}",
        a.body,
        b.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activation_code_used_on_two_instances_at_once_activates_one_device() {
    let Some((one, two)) = two_instances().await else {
        return;
    };
    let code = json!({ "activation_code": "AB12C" });
    let ((first, _), (second, _)) = tokio::join!(
        one.try_activate("alice", "Tessera-Demo-1!", code.clone(), None),
        two.try_activate("alice", "Tessera-Demo-1!", code, None),
    );
    let created = [first.status, second.status]
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{} / {}", first.body, second.body);
    assert_eq!(one.state.store.active_devices_of("alice").unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_pins_on_two_instances_count_towards_one_lockout() {
    let Some((one, two)) = two_instances().await else {
        return;
    };
    let (phone, session, request) = one.alice_scanned_a_session().await;
    // Five wrong PINs, alternating instances and two at a time, lock the device.
    for _ in 0..2 {
        let (a, b) = tokio::join!(
            one.respond(&phone, &request, Decision::Approve, Some("000000")),
            two.respond(&phone, &request, Decision::Approve, Some("111111")),
        );
        assert_ne!(a.status, StatusCode::OK);
        assert_ne!(b.status, StatusCode::OK);
    }
    let fifth = two
        .respond(&phone, &request, Decision::Approve, Some("222222"))
        .await;
    assert_ne!(fifth.status, StatusCode::OK);
    let right = one
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_ne!(right.status, StatusCode::OK, "{}", right.body);
    assert_eq!(one.result(&session).await.body["state"], "awaiting_pin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn news_missed_while_the_listener_was_away_is_caught_up() {
    let Some((one, two)) = two_instances().await else {
        return;
    };
    let (phone, session, request) = one.alice_scanned_a_session().await;
    let mut stream = Stream::open(&one, &session).await;
    stream.until("awaiting_pin").await;
    // Every instance's listening connection is cut, then the approval lands; its news
    // is lost, and the listeners' reconnection makes the streams read again.
    let url = std::env::var(DATABASE_VARIABLE).unwrap();
    tokio::task::spawn_blocking(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        client
            .batch_execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE application_name = 'tessera-listen'",
            )
            .unwrap();
    })
    .await
    .unwrap();
    let reply = two
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    stream.until("approved").await;
}

/// `tessera serve` on a free port, on the database of `h`; its address.
fn serve(h: &Harness) -> (Child, String) {
    let data = h.db.parent().unwrap().join("instance");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["serve", "--port", "0", "--data"])
        .arg(&data)
        .env("TESSERA_DATABASE_URL", postgres_url(&h.db).unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the tessera binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if let Some(url) = line.trim().strip_prefix("Partner API:") {
            let url = url.trim().trim_end_matches("/v1/sessions");
            break url.trim_start_matches("http://").to_string();
        }
    };
    (child, address)
}

/// One HTTP/1.1 request over a fresh connection; the open stream for reading the reply.
fn send(address: &str, method: &str, path: &str, token: &str, body: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(HANG_GUARD)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    stream
}

/// Reads `stream` until `wanted` appears (or the server closes it); all that was read.
fn read_until(stream: &mut TcpStream, wanted: &str) -> String {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains(wanted) {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(&buffer[..n]),
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_killed_mid_flow_leaves_the_flow_to_the_other() {
    let Some((two, _)) = two_instances().await else {
        return;
    };
    let phone = two.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let (mut one, address) = serve(&two);
    let api_key = two.api_key.clone();
    let (session, mut events) = tokio::task::spawn_blocking(move || {
        let body = json!({"kind": "login", "origin": ORIGIN}).to_string();
        let mut created = send(&address, "POST", "/v1/sessions", &api_key, &body);
        let reply = read_until(&mut created, "\0");
        let json = reply.split("\r\n\r\n").nth(1).expect("a body");
        let session: SessionCreated = serde_json::from_str(json).expect("a session");
        let path = format!(
            "/v1/sessions/{}/events?watch={}",
            session.session_id, session.watch_token
        );
        let mut events = send(&address, "GET", &path, "", "");
        assert!(read_until(&mut events, "\"state\":\"pending\"").contains("pending"));
        (session, events)
    })
    .await
    .unwrap();

    // The phone scans through the in-process instance; the real one's stream hears of it.
    let request = device_request(two.scan(&phone, &session).await);
    let seen = tokio::task::spawn_blocking(move || read_until(&mut events, "awaiting_pin"))
        .await
        .unwrap();
    assert!(seen.contains("\"state\":\"awaiting_pin\""), "{seen}");

    // That instance dies (SIGKILL) before the user answers; the other finishes the flow.
    one.kill().unwrap();
    one.wait().unwrap();
    let reply = two
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let approval = two.verified_login(&session).await;
    assert_eq!(approval.user_id(), "alice");
    assert_eq!(two.result(&session).await.status, StatusCode::GONE);
}

/// What `start` answers on each of four instances starting at the same moment on one
/// empty PostgreSQL schema, each with its own connection; None (and a note) without
/// PostgreSQL.
fn started_together<T: Send>(
    start: impl Fn(&tessera_server::store::Store) -> T + Sync,
) -> Option<Vec<T>> {
    if std::env::var(DATABASE_VARIABLE).is_err() {
        eprintln!("{DATABASE_VARIABLE} is not set: several instances need PostgreSQL");
        return None;
    }
    let url = postgres_url(&temp_db()).expect("PostgreSQL is configured");
    let started = std::thread::scope(|scope| {
        let starts: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| start(&tessera_server::store::Store::connect(&url).unwrap())))
            .collect();
        starts.into_iter().map(|s| s.join().unwrap()).collect()
    });
    Some(started)
}

/// Instances started together on an empty database agree on one root and one VAPID key
/// (whichever insert won) instead of all but one stopping with an error.
#[test]
fn instances_starting_together_on_an_empty_database_share_one_root_and_push_key() {
    let push = tessera_server::push::PushConfig::for_public_url("https://id.example");
    let Some(started) = started_together(|store| {
        let ca = tessera_server::ca::Ca::load_or_create(store, tessera_server::now()).unwrap();
        let pusher = tessera_server::push::Pusher::load_or_create(store, &push);
        (*ca.root(), pusher.unwrap().public_key())
    }) else {
        return;
    };
    assert!(
        started.windows(2).all(|pair| pair[0] == pair[1]),
        "every instance uses the same root and VAPID key"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_pushes_to_one_user_on_two_instances_at_once_leave_one_pending() {
    let Some((one, two)) = two_instances().await else {
        return;
    };
    one.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    // Through the API, two rounds (the push limit allows five pushes per user in ten
    // minutes); the test below lands the two transactions in one instant.
    for _ in 0..2 {
        let (a, b) = tokio::join!(one.create_session(), two.create_session());
        let (pa, pb) = tokio::join!(
            one.push(&a, &a.watch_token, "alice"),
            two.push(&b, &b.watch_token, "alice")
        );
        assert_eq!(
            (pa.status, pb.status),
            (StatusCode::ACCEPTED, StatusCode::ACCEPTED)
        );
        let (ra, rb) = tokio::join!(one.result(&a), two.result(&b));
        let mut states = [
            (ra.body["state"].clone(), ra.body["reason"].clone()),
            (rb.body["state"].clone(), rb.body["reason"].clone()),
        ];
        states.sort_by_key(|s| s.0.to_string());
        assert_eq!(
            states,
            [
                (json!("cancelled"), json!("superseded")),
                (json!("push_sent"), serde_json::Value::Null)
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_pushing_to_one_user_at_the_same_instant_leave_one_pending() {
    let Some((one, two)) = two_instances().await else {
        return;
    };
    one.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    // The stores themselves, on two threads released together, many times: the HTTP
    // test above rarely lands both transactions in the same instant; this does.
    for _ in 0..100 {
        let (a, b) = tokio::join!(one.create_session(), two.create_session());
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let push = |h: &Harness, id: String| {
            let (store, barrier) = (h.state.store.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                store
                    .push(&id, "alice", 42, &[42, 43, 44], tessera_server::now())
                    .unwrap()
                    .expect("pushed")
            })
        };
        let (ta, tb) = (
            push(&one, a.session_id.clone()),
            push(&two, b.session_id.clone()),
        );
        let superseded = [ta.join().unwrap(), tb.join().unwrap()].concat();
        let now = tessera_server::now();
        let waiting = one.state.store.pushed_sessions("alice", now).unwrap();
        assert_eq!(waiting.len(), 1, "exactly one request waits");
        assert!(
            superseded.contains(&a.session_id) || superseded.contains(&b.session_id),
            "the other was superseded"
        );
    }
}

/// Instances started together on an empty database agree on one OpenID ID-token key: the
/// first to need it stores it, the others use the one that won (not their own, which
/// would sign tokens no published key verifies).
#[test]
fn instances_starting_together_on_an_empty_database_share_one_id_token_key() {
    let Some(published) =
        started_together(|store| tessera_server::oidc::keys::published(store).unwrap())
    else {
        return;
    };
    assert!(
        published.iter().all(|keys| keys.len() == 1),
        "one generation: {published:?}"
    );
    assert!(
        published.windows(2).all(|pair| pair[0] == pair[1]),
        "every instance publishes the same key"
    );
}
