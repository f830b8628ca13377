//! End-to-end: the real server, the real widget and companion in headless Chromium.
//! One binary (every file in tests/ would link its own), one module per area.
mod access;
mod accessibility;
mod biometrics;
mod embedding;
mod flows;
mod geolocation;
mod instances;
mod lifecycle;
mod login;
mod notices;
mod oidc;
mod parts;
mod pending;
mod push;
mod refusals;
mod resilience;
mod rotation;
mod transactions;
