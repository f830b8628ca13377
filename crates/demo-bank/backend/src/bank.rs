//! What the Demo Bank knows: where Tessera is, its partner API key, the root it pinned,
//! its own origin and its records.
use std::path::Path;

use axum::body::Bytes;
use http_body_util::Full;
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use tessera_protocol::VerifyingKey;

use crate::{error::BankError, store::Store};

/// The Demo Bank's configuration and records. No `Debug`: it holds the API key.
pub struct Bank {
    /// The bank's own records of the sessions it opened.
    pub store: Store,
    /// Where the bank's backend reaches Tessera's partner API.
    pub tessera_url: String,
    /// Where the bank's visitors' browsers reach Tessera.
    pub tessera_public_url: String,
    /// The partner API key Tessera gave the bank.
    pub api_key: String,
    /// Tessera's root keys as the bank pinned them: the one of its onboarding, and during
    /// a root rotation the next one Tessera announced.
    pub pinned_root: Vec<VerifyingKey>,
    /// The same, base64url, as the widget receives them.
    pub pinned_root_b64: Vec<String>,
    /// The bank's own origin, the one its sessions are bound to.
    pub origin: String,
    /// The HTTP client for the partner API.
    pub client: Client<HttpConnector, Full<Bytes>>,
}

/// An HTTP/1 client for the partner API.
pub fn http_client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new()).build_http()
}

/// The API key in `file`, as Tessera's onboarding handed it over (surrounding whitespace
/// is not part of it). Missing or empty: the bank does not start.
pub fn read_api_key(file: &Path) -> Result<String, BankError> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        BankError::Config(format!("cannot read the API key {}: {e}", file.display()))
    })?;
    let key = text.trim();
    if key.is_empty() {
        return Err(BankError::Config(format!(
            "the API key file {} is empty",
            file.display()
        )));
    }
    Ok(key.to_owned())
}

/// Tessera's root keys, base64url as `tessera root-key` prints them (several, one a line,
/// as `tessera root-key --all` prints them during a root rotation): one that does not
/// parse as a P-256 public key stops the bank from starting.
pub fn parse_root(text: &str) -> Result<(Vec<VerifyingKey>, Vec<String>), BankError> {
    let keys = tessera_protocol::pinned_roots_from_b64(text).ok_or_else(|| {
        BankError::Config("a pinned root is not a P-256 public key (several: one a line)".into())
    })?;
    let written = keys
        .iter()
        .map(tessera_protocol::verifying_key_to_b64)
        .collect();
    Ok((keys, written))
}
