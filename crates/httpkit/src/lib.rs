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
    extract::Request,
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};
use futures_util::future::BoxFuture;
use hyper::server::conn::{http1, http2};
use hyper_util::{
    rt::{TokioExecutor, TokioIo},
    server::graceful::GracefulShutdown,
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
///
/// Files travel compressed when the build left a `.br` or `.gz` twin next to them
/// (scripts/precompress.sh) and the browser takes it: the widget's wasm is a third of its
/// size in brotli. Files whose names carry a content hash never change under that name,
/// so browsers keep them for a year without asking; any other file (`index.html`,
/// `boot.js`, the service worker) is checked with the server on every use, so a new
/// build reaches every page at once.
pub fn web_app(dir: &Path, fallback_to_index: bool, connect: &str) -> Router {
    let csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self' {connect}; manifest-src 'self'; \
         worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let router = if fallback_to_index {
        let index = ServeFile::new(dir.join("index.html"))
            .precompressed_br()
            .precompressed_gzip();
        Router::new().fallback_service(files.fallback(index))
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
        .layer(axum::middleware::from_fn(cache_policy))
        .layer(header("content-security-policy", &csp))
        .layer(header("x-content-type-options", "nosniff"))
        .layer(header("referrer-policy", "no-referrer"))
}

/// Sets how long browsers may keep a file of a web app (see [`web_app`]).
async fn cache_policy(request: Request, next: Next) -> Response {
    let fingerprinted = is_fingerprinted(request.uri().path());
    let mut response = next.run(request).await;
    let policy = if fingerprinted {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// Whether the last segment of `path` names a file by its content: Trunk's and
/// scripts/dist.sh's `name-<16 hex digits>.ext` (or `…_bg.wasm`).
fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((_, tail)) = name.rsplit_once('-') else {
        return false;
    };
    let Some((hash, rest)) = tail.split_at_checked(16) else {
        return false;
    };
    hash.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && (rest.starts_with('.') || rest.starts_with("_bg."))
}

/// How many requests one HTTP/2 connection may have open at once. A load balancer that
/// speaks h2c to the instances (docs/DEPLOYMENT.md) carries the waiting widgets of many
/// browsers as streams of a few connections; hyper's default of 200 would make it open a
/// connection per 200 waiting widgets. A stream costs the server less than an HTTP/1
/// connection (no buffers of its own), so this adds no way of holding more than the
/// open-files limit already allows.
pub const MAX_STREAMS_PER_CONNECTION: u32 = 20_000;

/// Serves `router` on `listener` over HTTP/1.1 and over HTTP/2 without TLS ("h2c with
/// prior knowledge", what a TLS-terminating load balancer speaks to its backends), until
/// `stop` resolves; then accepts no more connections, asks every open one to close
/// gracefully (HTTP/1: after its current response; HTTP/2: GOAWAY), and returns once they
/// have. What `axum::serve` with its graceful shutdown does, except that HTTP/2 allows
/// [`MAX_STREAMS_PER_CONNECTION`] streams, nothing is upgraded (nothing here uses it),
/// and each connection's task holds only its own protocol's state.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    stop: impl Future<Output = ()> + Send + 'static,
) {
    // The route table is built once; every connection gets a shared handle to it.
    let router = router.with_state(());
    let http1 = Arc::new(http1::Builder::new());
    let mut http2 = http2::Builder::new(TokioExecutor::new());
    http2.max_concurrent_streams(MAX_STREAMS_PER_CONNECTION);
    let http2 = Arc::new(http2);
    let graceful = GracefulShutdown::new();
    // Dropped when stopping: a connection whose protocol is not known yet just closes.
    let (stopping_tx, stopping) = watch::channel(());
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
        let (http1, http2, watcher) = (http1.clone(), http2.clone(), graceful.watcher());
        let mut stopping = stopping.clone();
        // The protocol is found out in a task of its own, which then starts the
        // connection's: a task sized for both protocols' state (as hyper-util's automatic
        // one is) cost every waiting HTTP/1 widget 4 KB more (scripts/bench.sh).
        tokio::spawn(async move {
            let h2 = tokio::select! {
                h2 = speaks_h2(&socket) => h2,
                _ = stopping.changed() => return,
            };
            let Ok(h2) = h2 else {
                return;
            };
            let io = TokioIo::new(socket);
            if h2 {
                tokio::spawn(watcher.watch(http2.serve_connection(io, service)));
            } else {
                tokio::spawn(watcher.watch(http1.serve_connection(io, service)));
            }
        });
    }
    drop(listener);
    drop(stopping_tx);
    graceful.shutdown().await;
}

/// Whether the client opened with HTTP/2's connection preface (RFC 9113, 3.4), read
/// without consuming it. Anything else is HTTP/1, which hyper answers or refuses.
async fn speaks_h2(socket: &tokio::net::TcpStream) -> std::io::Result<bool> {
    const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    let mut start = [0u8; PREFACE.len()];
    loop {
        let read = socket.peek(&mut start).await?;
        if read == 0 || start[..read] != PREFACE[..read] {
            return Ok(false);
        }
        if read == PREFACE.len() {
            return Ok(true);
        }
        // Only part of the preface so far: peek answers at once while bytes are waiting,
        // so give the rest time to arrive instead of spinning.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// A failed accept: one connection given up by its client is nothing; anything else
/// (most likely the open-files limit) is logged, and accepting resumes a second later,
/// when connections may have closed, instead of spinning.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!("accept error: {e}");
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
}

#[cfg(test)]
mod tests {
    use axum::body::{Body, to_bytes};
    use tower::ServiceExt;

    use super::*;

    /// A built app with a hashed script, its gzip twin, and an index.
    fn app() -> (Router, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("tessera-httpkit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        std::fs::write(dir.join("app-0123456789abcdef.js"), "plain").expect("writes");
        std::fs::write(dir.join("app-0123456789abcdef.js.gz"), "zipped").expect("writes");
        std::fs::write(dir.join("index.html"), "<!doctype html>").expect("writes");
        (web_app(&dir, true, ""), dir)
    }

    async fn get(router: Router, path: &str, encodings: &str) -> (Response, String) {
        let request = Request::get(path)
            .header(header::ACCEPT_ENCODING, encodings)
            .body(Body::empty())
            .expect("a request");
        let response = router.oneshot(request).await.expect("infallible");
        let (parts, body) = response.into_parts();
        let body = to_bytes(body, 1024).await.expect("a body");
        let text = String::from_utf8_lossy(&body).into_owned();
        (Response::from_parts(parts, Body::empty()), text)
    }

    #[tokio::test]
    async fn twins_travel_compressed_and_hashed_files_are_kept() {
        let (router, dir) = app();
        let (zipped, body) = get(router.clone(), "/app-0123456789abcdef.js", "gzip, br").await;
        assert_eq!(body, "zipped");
        assert_eq!(zipped.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(
            zipped.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert!(zipped.headers().contains_key("content-security-policy"));
        let (plain, body) = get(router.clone(), "/app-0123456789abcdef.js", "identity").await;
        assert_eq!(body, "plain");
        assert!(!plain.headers().contains_key(header::CONTENT_ENCODING));
        for path in ["/", "/some/route"] {
            let (index, body) = get(router.clone(), path, "gzip").await;
            assert_eq!(body, "<!doctype html>", "{path}");
            assert_eq!(index.headers()[header::CACHE_CONTROL], "no-cache", "{path}");
        }
        std::fs::remove_dir_all(dir).expect("cleans up");
    }

    #[test]
    fn only_content_hashed_names_are_fingerprinted() {
        for hashed in [
            "/tessera-5befe74d414ec482.js",
            "/companion/tessera-companion-5befe74d414ec482_bg.wasm",
            "/style-f5bef0160179a7b9.css",
        ] {
            assert!(is_fingerprinted(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/companion/sw.js",
            "/boot.js",
            "/style-f5bef0160179a7b.css",
            "/style-f5bef0160179a7b9a.css",
            "/style-F5BEF0160179A7B9.css",
            "/style-f5bef0160179a7bg.css",
            "/f5bef0160179a7b9.css",
            "/a-f5bef0160179a7b9/index.html",
        ] {
            assert!(!is_fingerprinted(plain), "{plain}");
        }
    }
}
