//! The server as a load balancer reaches it (docs/DEPLOYMENT.md): HTTP/2 without TLS, with
//! prior knowledge ("h2c"), many widgets' streams on one connection; and HTTP/1.1 on the
//! same port for browsers that come straight to it. The real serving loop
//! (`tessera_httpkit::serve`, what `tessera serve` runs) on a real socket, a real HTTP/2
//! client.
mod common;

use std::time::Duration;

use bytes::Bytes;
use common::*;
use http_body_util::{BodyExt, Full};
use hyper::{
    Request, StatusCode,
    body::Incoming,
    client::conn::http2::{self, SendRequest},
    header,
};
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{Value, json};
use tessera_protocol::{Decision, api::SessionCreated};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::oneshot,
};

/// Only against a hang: every wait below ends as soon as what it waits for arrives.
const HANG_GUARD: Duration = Duration::from_secs(30);

/// `tessera serve`'s loop on a free port of 127.0.0.1, and how to stop it.
struct Served {
    address: std::net::SocketAddr,
    stop: oneshot::Sender<()>,
    stopped: tokio::task::JoinHandle<()>,
}

async fn serve(h: &Harness) -> Served {
    let (listener, address) = tessera_httpkit::bind("127.0.0.1", 0).await.unwrap();
    let (stop, stop_received) = oneshot::channel();
    let app = tessera_server::app(h.state.clone());
    let stopped = tokio::spawn(tessera_httpkit::serve(listener, app, async {
        let _ = stop_received.await;
    }));
    Served {
        address,
        stop,
        stopped,
    }
}

/// An HTTP/2 connection opened with the preface straight away, as Envoy or HAProxy open
/// one to a backend declared h2c.
async fn h2c(address: std::net::SocketAddr) -> SendRequest<Full<Bytes>> {
    let socket = TcpStream::connect(address).await.unwrap();
    let (sender, connection) = http2::handshake(TokioExecutor::new(), TokioIo::new(socket))
        .await
        .expect("the server speaks h2c");
    tokio::spawn(connection);
    sender
}

async fn send(
    sender: &mut SendRequest<Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> hyper::Response<Incoming> {
    tokio::time::timeout(HANG_GUARD, async {
        sender.ready().await.unwrap();
        sender.send_request(request).await.unwrap()
    })
    .await
    .expect("an answer")
}

/// A widget's event stream, a stream of the shared connection.
async fn events(
    sender: &mut SendRequest<Full<Bytes>>,
    address: std::net::SocketAddr,
    session: &SessionCreated,
) -> Incoming {
    let uri = format!(
        "http://{address}/v1/sessions/{}/events?watch={}",
        session.session_id, session.watch_token
    );
    let request = Request::get(uri)
        .header(header::ACCEPT, "text/event-stream")
        .body(Full::default())
        .unwrap();
    let response = send(sender, request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.version(), hyper::Version::HTTP_2);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    response.into_body()
}

/// Reads `body` until an event with `state` went by; everything read is returned.
async fn until_state(body: &mut Incoming, state: &str) -> String {
    let needle = format!("\"state\":\"{state}\"");
    let mut seen = String::new();
    tokio::time::timeout(HANG_GUARD, async {
        while !seen.contains(&needle) {
            let frame = body.frame().await.expect("the stream goes on").unwrap();
            if let Ok(data) = frame.into_data() {
                seen.push_str(&String::from_utf8_lossy(&data));
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no {state} on the stream; read: {seen}"));
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_h2c_client_gets_the_session_events_of_many_widgets_over_one_connection() {
    let h = harness().await;
    let served = serve(&h).await;
    let mut sender = h2c(served.address).await;

    // The partner's backend creates two sessions through the balancer.
    let mut sessions = Vec::new();
    for _ in 0..2 {
        let request = Request::post(format!("http://{}/v1/sessions", served.address))
            .header(header::AUTHORIZATION, format!("Bearer {}", h.api_key))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(
                json!({"kind": "login", "origin": ORIGIN}).to_string(),
            )))
            .unwrap();
        let response = send(&mut sender, request).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        sessions.push(serde_json::from_slice::<SessionCreated>(&body).unwrap());
    }

    // Two widgets wait on two streams of the one connection.
    let mut first = events(&mut sender, served.address, &sessions[0]).await;
    let mut second = events(&mut sender, served.address, &sessions[1]).await;
    until_state(&mut first, "pending").await;
    until_state(&mut second, "pending").await;

    // Alice's phone approves the first: its stream is told, the other one stays waiting.
    let phone = h.activate("alice", "Tessera-Demo-1!", "AB12C").await;
    let request = device_request(h.scan(&phone, &sessions[0]).await);
    until_state(&mut first, "awaiting_pin").await;
    let reply = h
        .respond(&phone, &request, Decision::Approve, Some(PIN))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    until_state(&mut first, "approved").await;
    assert!(
        tokio::time::timeout(Duration::from_millis(300), second.frame())
            .await
            .is_err(),
        "the other widget's stream has nothing to say"
    );

    // The second widget cancels over the same connection while its stream is open.
    let uri = format!(
        "http://{}/v1/sessions/{}/cancel",
        served.address, sessions[1].session_id
    );
    let request = Request::post(uri)
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", sessions[1].watch_token),
        )
        .body(Full::default())
        .unwrap();
    let response = send(&mut sender, request).await;
    assert!(response.status().is_success(), "{}", response.status());
    until_state(&mut second, "cancelled").await;

    // The partner reads the approved result through the balancer too.
    let uri = format!(
        "http://{}/v1/sessions/{}/result",
        served.address, sessions[0].session_id
    );
    let request = Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {}", h.api_key))
        .body(Full::default())
        .unwrap();
    let response = send(&mut sender, request).await;
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let result: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(result["state"], "approved", "{result}");

    drop((first, second, sender));
    served.stop.send(()).unwrap();
    tokio::time::timeout(HANG_GUARD, served.stopped)
        .await
        .expect("the server stops once its connections are gone")
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http1_on_the_same_port_and_h2c_allows_more_than_hypers_200_streams() {
    let h = harness().await;
    let served = serve(&h).await;

    // A browser straight to the instance: HTTP/1.1, as before.
    let mut socket = TcpStream::connect(served.address).await.unwrap();
    socket
        .write_all(
            b"GET /v1/sessions/nonexistent/result HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::time::timeout(HANG_GUARD, socket.read_to_string(&mut answer))
        .await
        .unwrap()
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");

    // A balancer's connection: its limit of concurrent streams, announced in SETTINGS, is
    // far above hyper's default, so that one connection carries many waiting widgets.
    let mut sender = h2c(served.address).await;
    let request = Request::get(format!("http://{}/v1/sessions/x/result", served.address))
        .body(Full::default())
        .unwrap();
    assert_eq!(
        send(&mut sender, request).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // 300 streams open at once on the one connection (hyper's default allows 200).
    let session = h.create_session().await;
    let mut open = Vec::new();
    for _ in 0..300 {
        open.push(events(&mut sender, served.address, &session).await);
    }
    for body in &mut open {
        until_state(body, "pending").await;
    }

    // A client that connected and said nothing yet does not hold the server up when it
    // stops (its protocol is not known, so there is nothing to finish).
    let silent = TcpStream::connect(served.address).await.unwrap();

    drop((open, sender));
    served.stop.send(()).unwrap();
    tokio::time::timeout(HANG_GUARD, served.stopped)
        .await
        .expect("the server stops once its connections are gone")
        .unwrap();
    drop(silent);
}
