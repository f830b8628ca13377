//! # tessera-httpkit
//!
//! What the Tessera server and the Demo Bank both need to answer HTTP, once: a stop signal
//! installed before anything starts ([`stop_signal`]), a built web app served under a
//! strict Content-Security-Policy ([`web_app`]), a router made ready for many
//! connections ([`finished`]), and serving it over HTTP/1.1 and h2c until stopped
//! ([`serve`]).
//!
//! It must never hold a program's logic (no routes, no state, no keys): the server and
//! the Demo Bank share these pieces and nothing else, since the bank is a partner like any
//! other and must not reach into Tessera.
#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used)]

use std::{future::Future, net::SocketAddr, path::Path, sync::Arc};

use axum::{
    Router,
    http::{HeaderName, HeaderValue},
};
use futures_util::future::BoxFuture;
use hyper_util::{
    rt::{TokioExecutor, TokioIo},
    server::conn::auto::Builder,
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::watch};
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

/// Listens on `host:port` (port 0 picks a free one); answers the address it got.
pub async fn bind(host: &str, port: u16) -> Result<(TcpListener, SocketAddr), String> {
    let listener = TcpListener::bind((host, port))
        .await
        .map_err(|e| format!("cannot listen on {host}:{port}: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    Ok((listener, address))
}

/// `axum::serve` given a bare `Router` rebuilds its route table for every connection
/// (about 27 KB each, measured with heaptrack), which every waiting widget's stream
/// would keep: build it once, and give each connection a shared handle.
pub fn finished(router: Router) -> axum::routing::IntoMakeService<Router> {
    router.with_state(()).into_make_service()
}

/// Resolves, for every clone, once SIGTERM or SIGINT (Ctrl+C) arrived. The handlers are
/// installed when this is called, before the program starts anything: a signal that comes
/// while it is still starting (seeding the demo takes seconds of Argon2) stops it too,
/// instead of stopping only what was already listening. Call it inside a tokio runtime.
pub fn stop_signal() -> Result<impl Fn() -> BoxFuture<'static, ()> + Clone, String> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind| signal(kind).map_err(|e| format!("cannot listen for signals: {e}"));
        let (mut terminate, mut interrupt) = (
            listen(SignalKind::terminate())?,
            listen(SignalKind::interrupt())?,
        );
        tokio::spawn(async move {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
            let _ = stop.send(true);
        });
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop.send(true);
    });
    Ok(move || {
        let mut stopped = stopped.clone();
        Box::pin(async move {
            // An error means the sender is gone, which only happens after it sent.
            let _ = stopped.wait_for(|stop| *stop).await;
        }) as BoxFuture<'static, ()>
    })
}

/// A web app built by Trunk, from `dir`, with security headers. The apps run no inline
/// script (Trunk loads them through `boot.js`) and only need WebAssembly compilation, so
/// the policy is strict; `connect` lists where their requests may go besides their own
/// origin. A service worker and a manifest may come from the app's own origin only. With
/// `fallback_to_index`, unknown paths answer `index.html` (an app with its own routes).
pub fn web_app(dir: &Path, fallback_to_index: bool, connect: &str) -> Router {
    let csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self' {connect}; manifest-src 'self'; \
         worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    let files = ServeDir::new(dir);
    let router = if fallback_to_index {
        Router::new().fallback_service(files.fallback(ServeFile::new(dir.join("index.html"))))
    } else {
        Router::new().fallback_service(files)
    };
    let header = |name: &'static str, value: &str| {
        SetResponseHeaderLayer::overriding(
            HeaderName::from_static(name),
            HeaderValue::from_str(value).expect("header values here are ASCII"),
        )
    };
    router
        .layer(header("content-security-policy", &csp))
        .layer(header("x-content-type-options", "nosniff"))
        .layer(header("referrer-policy", "no-referrer"))
}

/// How many requests one HTTP/2 connection may have open at once. A load balancer that
/// speaks h2c to the instances (docs/DEPLOYMENT.md) carries the waiting widgets of many
/// browsers as streams of a few connections; hyper's default of 200 would make it open a
/// connection per 200 waiting widgets. A stream costs the server what an HTTP/1
/// connection costs it, less hyper's two 8 KB connection buffers, so this limit adds no
/// way of holding more than the open-files limit already allows.
pub const MAX_STREAMS_PER_CONNECTION: u32 = 20_000;

/// Serves `router` on `listener` over HTTP/1.1 and over HTTP/2 without TLS ("h2c with
/// prior knowledge", what a TLS-terminating load balancer speaks to its backends), until
/// `stop` resolves; then accepts no more connections, asks every open one to close
/// gracefully (HTTP/1: after its current response; HTTP/2: GOAWAY), and returns once they
/// have. What `axum::serve` with its graceful shutdown does, with HTTP/2 allowed
/// [`MAX_STREAMS_PER_CONNECTION`] streams and no HTTP upgrades (nothing here uses them).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    stop: impl Future<Output = ()> + Send + 'static,
) {
    // The route table is built once; every connection gets a shared handle to it.
    let router = router.with_state(());
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http2()
        .max_concurrent_streams(MAX_STREAMS_PER_CONNECTION);
    let builder = Arc::new(builder);
    // Each connection holds a receiver of `stopping` (told to close when it is dropped)
    // and one of `open` (its sender sees them all gone once every connection ended).
    let (stopping_tx, stopping) = watch::channel(());
    let (open_tx, open) = watch::channel(());
    let mut stop = std::pin::pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let socket = match accepted {
            Ok((socket, _)) => socket,
            Err(e) => {
                accept_failed(e).await;
                continue;
            }
        };
        // Small writes (an event, an HTTP/2 frame) leave at once rather than wait for the
        // acknowledgement of the previous segment.
        let _ = socket.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let (builder, mut stopping, open) = (builder.clone(), stopping.clone(), open.clone());
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(builder.serve_connection(TokioIo::new(socket), service));
            let mut asked_to_stop = false;
            loop {
                tokio::select! {
                    _ = connection.as_mut() => break,
                    _ = stopping.changed(), if !asked_to_stop => {
                        asked_to_stop = true;
                        connection.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(open);
        });
    }
    drop(listener);
    drop(stopping);
    drop(stopping_tx);
    drop(open);
    open_tx.closed().await;
}

/// A failed accept: one connection given up by its client is nothing; anything else
/// (most likely the open-files limit) is logged, and accepting resumes a second later,
/// when connections may have closed, instead of spinning.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(e.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset) {
        return;
    }
    tracing::error!("accept error: {e}");
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
}
