//! # tessera-companion
//!
//! The phone companion of Tessera as a web app (yew, wasm): activation of this browser
//! as a device, pushed and scanned requests, approval with PIN or denial, and the
//! certificate details. The device key is a non-extractable WebCrypto P-256 key kept in
//! IndexedDB (`keystore.js`); it never leaves the browser.
//!
//! Device lifecycle (FLOWS.md D and E): activation with an activation code, with the
//! helpdesk's security code after a lost device, or from an encrypted backup file
//! finished through the SMS link; replacing one of two devices; suspending or removing
//! a device; making a backup.
//!
//! Pure modules (tested natively): [`i18n`], [`pin`], [`scan`], [`certinfo`], [`state`],
//! [`errors`], [`approval`], [`view`], [`lifecycle`], [`backup`]. Browser modules:
//! [`api`], [`storage`], [`keystore`] and the [`components`].
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used)]

pub mod approval;
pub mod backup;
pub mod certinfo;
pub mod errors;
pub mod i18n;
pub mod lifecycle;
pub mod pin;
pub mod scan;
pub mod state;
pub mod view;

pub mod api;
pub mod components;
pub mod keystore;
pub mod storage;

/// Mounts the app on the page's `<body>`.
pub fn run() {
    yew::Renderer::<components::app::App>::new().render();
}
