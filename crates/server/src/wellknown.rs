//! `GET /.well-known/jwks.json`: Tessera's public keys as a JSON Web Key Set (RFC 7517),
//! for partners' tooling. The root is the key partners **pin** (once, at onboarding); the
//! issuer is listed so tools can check device certificates and status statements, but
//! trust flows only from the pinned root: `verify_approval` never takes a key from here.
use axum::{Json, Router, extract::State, routing::get};
use serde::Serialize;
use tessera_protocol::{VerifyingKey, b64_decode, b64_encode, sha256, verifying_key_to_b64};

use crate::AppState;

#[derive(Serialize)]
pub struct Jwk {
    kty: &'static str,
    crv: &'static str,
    x: String,
    y: String,
    kid: String,
    #[serde(rename = "use")]
    use_: &'static str,
    alg: &'static str,
    /// `root` or `issuer` (a private member, as RFC 7517 §4 allows).
    tessera_role: &'static str,
}

#[derive(Serialize)]
pub struct Jwks {
    keys: Vec<Jwk>,
}

/// A P-256 key as a JWK; its `kid` is the start of the SHA-256 of its SEC1 form, so it
/// names the key itself and changes with it.
pub fn jwk(key: &VerifyingKey, role: &'static str) -> Jwk {
    // Uncompressed SEC1: 0x04 || x || y, as the protocol writes keys everywhere else.
    let bytes = b64_decode(&verifying_key_to_b64(key)).unwrap_or_default();
    Jwk {
        kty: "EC",
        crv: "P-256",
        x: b64_encode(bytes.get(1..33).unwrap_or_default()),
        y: b64_encode(bytes.get(33..65).unwrap_or_default()),
        kid: b64_encode(&sha256(&bytes)[..12]),
        use_: "sig",
        alg: "ES256",
        tessera_role: role,
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/.well-known/jwks.json", get(jwks))
}

async fn jwks(State(app): State<AppState>) -> Json<Jwks> {
    Json(Jwks {
        keys: vec![jwk(app.ca.root(), "root"), jwk(app.ca.issuer(), "issuer")],
    })
}
