//! # tessera-companion
//!
//! It must never let the device key leave the browser, never keep the PIN (the server
//! checks it), and never sign what it has not shown the user.
//!
//! The phone companion of Tessera as a web app (yew, wasm): activation of this browser
//! as a device, pushed and scanned requests, approval with PIN or denial, and the
//! certificate details. The device key is a non-extractable WebCrypto P-256 key kept in
//! IndexedDB (`browser.js`); it never leaves the browser.
//!
//! It must never: sign anything the user has not seen and confirmed with the PIN (or
//! biometrics they turned on); show details that fail the protocol's checks (those
//! requests cannot be approved); let the device key or the PIN leave the browser, or
//! store either in clear; log secrets.
//!
//! Every flow of FLOWS.md: NEW USER (A) as a wizard, one step per screen, that sets the
//! terms, security questions and new password with the activation; LOG IN with a Token
//! (B, finished through the SMS link), a Scan (C, two mosaics), the helpdesk's security
//! code after a lost device (D), an encrypted backup file (E, the SMS link), or an
//! activation code; replacing one of two devices; suspending or removing a device;
//! making a backup; settings (certificate, PIN, name, geolocation, support, version).
//!
//! Pure modules (tested natively): [`i18n`], [`pin`], [`scan`], [`certinfo`], [`state`],
//! [`outcome`], [`errors`], [`approval`], [`view`], [`lifecycle`], [`backup`], [`wizard`],
//! [`settings`]. Browser modules: [`api`], [`storage`], [`keystore`], [`geolocation`],
//! [`biometrics`] and the
//! [`components`].
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used)]

pub mod approval;
pub mod backup;
pub mod certinfo;
pub mod errors;
pub mod i18n;
pub mod lifecycle;
pub mod outcome;
pub mod pin;
pub mod scan;
pub mod settings;
pub mod state;
pub mod view;
pub mod wizard;

pub mod api;
pub mod biometrics;
pub mod components;
pub mod geolocation;
pub mod keystore;
pub mod offline_code;
pub mod part;
pub mod push;
pub mod storage;

/// Mounts the daily part on the page's `<body>` ([`part`]).
pub fn run() {
    yew::Renderer::<components::app::Companion<components::app::Daily>>::new().render();
    wasm_bindgen_futures::spawn_local(push::register_service_worker());
}

/// Mounts the setup part, every screen, on the page's `<body>` ([`part`]).
pub fn run_setup() {
    yew::Renderer::<components::app::App>::new().render();
    wasm_bindgen_futures::spawn_local(push::register_service_worker());
}
