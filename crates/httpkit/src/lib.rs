//! # tessera-httpkit
//!
//! What the Tessera server and the Demo Bank both need to answer HTTP, once: a stop signal
//! installed before anything starts ([`stop_signal`]), a built web app served under a
//! strict Content-Security-Policy ([`web_app`]), and a router made ready for many
//! connections ([`finished`]).
//!
//! It must never hold a program's logic (no routes, no state, no keys): the server and
//! the Demo Bank share these pieces and nothing else, since the bank is a partner like any
//! other and must not reach into Tessera.
#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used)]

use std::{net::SocketAddr, path::Path};

use axum::{
    Router,
    http::{HeaderName, HeaderValue},
};
use futures_util::future::BoxFuture;
use tokio::net::TcpListener;
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
