//! # tessera-widget
//!
//! What partners embed, and nothing else. It must never tell the page "approved" before
//! the approval verified against the pinned root, never hold a partner's secrets (the API
//! key stays in the partner's backend), and never carry a partner's own pages (the Demo
//! Bank's are `crates/demo-bank/pages`, which use this library as any partner does).
//!
//! The partner-site widget: it asks the partner's backend for a session, shows the
//! animated QR (or sends a push), waits for the phone's answer over server-sent events,
//! and **verifies the signed approval in wasm** with [`tessera_protocol`] before it tells
//! the page anything. The page gets an [`Approved`] only after [`verify::check`] passed.
//!
//! It must never: tell the page "approved" from anything but a verified approval; hold
//! or see a user's secret (PIN, keys: those stay on the phone); load code the partner's
//! SRI hashes do not cover (no JS snippets, one module); or grow without need, since
//! every page of every partner loads it (`scripts/sizes.sh`, issue 19).
//!
//! - [`state`]: the ceremony as one pure state machine (tested natively).
//! - [`verify`]: the verification glue (tested in Chromium, `tests/verify.rs`).
//! - [`i18n`]: every text in English, French, German and Dutch.
//! - [`components`], `hooks`: the yew front end.
//! - [`embed`]: the JS API partners call (`Tessera.mount`).
#![forbid(unsafe_code)]
#![warn(missing_docs, clippy::unwrap_used)]

pub mod components;
pub mod embed;
mod hooks;
pub mod i18n;
pub mod net;
pub mod state;
mod timing;
pub mod verify;

pub use components::{Approved, Ended, OfflineConfirmed, Widget, WidgetProps};
pub use i18n::Lang;
