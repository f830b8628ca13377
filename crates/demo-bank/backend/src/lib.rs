//! # tessera-demo-bank
//!
//! The Demo Bank's backend: a partner site as a bank would build it, on its own origin,
//! with its own database. It opens sessions through Tessera's partner API with its API key,
//! remembers what it asked, and re-verifies every approval with the protocol crate against
//! the root key it pinned at onboarding and against its own record, before it logs anyone
//! in, books a transfer or hands out a signature. It serves its pages (the
//! `tessera-demo-bank-pages` app, built by Trunk) under a strict Content-Security-Policy.
//!
//! It must never reach Tessera other than as any partner does (the partner HTTP API, the
//! widget, the pinned root: no `tessera-server`, no access to Tessera's database), never
//! trust what its page sends back (the session's details come from its own record), never
//! accept an approval twice, and never log or serve its API key.
//!
//! - [`bank`]: its configuration; [`routes`]: its HTTP API (`/bank/…`);
//! - [`tessera`]: the partner API client; [`store`]: its records; [`error`]: its one error.
#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used)]

pub mod bank;
pub mod error;
pub mod routes;
pub mod store;
pub mod tessera;

use std::{path::Path, sync::Arc};

use axum::{Router, extract::DefaultBodyLimit};

pub use bank::Bank;
pub use error::BankError;

/// Bodies above this are refused with 413 before any handler reads them.
const MAX_BODY_BYTES: usize = 16 * 1024;

/// The Demo Bank: its backend's routes and its pages from `web_dir`, whose requests may
/// also go to Tessera (the widget's relay).
pub fn app(bank: Arc<Bank>, web_dir: &Path) -> Router {
    let pages = tessera_httpkit::web_app(web_dir, false, &bank.tessera_public_url);
    routes::routes(bank)
        .merge(pages)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
