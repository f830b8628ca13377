//! `GET /.well-known/jwks.json`: Tessera's public keys as a JSON Web Key Set (RFC 7517),
//! for partners' tooling. The root is the key partners **pin** (once, at onboarding); the
//! issuers are listed so tools can check device certificates and status statements, but
//! trust flows only from the pinned root: `verify_approval` never takes a key from here.
//! After a rotation every issuer generation still in use is listed, newest last, until
//! its certificate expires (`exp`). During a root rotation (`tessera rotate-root`) the
//! next root is announced here (`next_root`) before anything chains to it, and the one
//! before stays (`previous_root`): partners pin every root listed. The OpenID Provider's ID-token keys follow
//! (`tessera_role: id_token`, newest first): relying parties pick them by `kid`.
use axum::{Json, extract::State};
use serde::Serialize;
use tessera_protocol::{VerifyingKey, b64_decode, b64_encode, verifying_key_to_b64};

use crate::{clock::now, error::AppResult, state::AppState};

/// A P-256 public key (RFC 7517).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Jwk {
    kty: &'static str,
    crv: &'static str,
    x: String,
    y: String,
    kid: String,
    #[serde(rename = "use")]
    use_: &'static str,
    alg: &'static str,
    /// `root`, `next_root`, `previous_root`, `issuer` or `id_token` (private members, as
    /// RFC 7517 §4 allows). Partners pin every root listed.
    tessera_role: &'static str,
    /// For an issuer: when its certificate expires (Unix seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    exp: Option<u64>,
}

/// Tessera's public keys (RFC 7517 JWK Set).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Jwks {
    keys: Vec<Jwk>,
}

/// A P-256 key as a JWK; its `kid` is the start of the SHA-256 of its SEC1 form, so it
/// names the key itself and changes with it.
pub fn jwk(key: &VerifyingKey, role: &'static str, exp: Option<u64>) -> Jwk {
    // Uncompressed SEC1: 0x04 || x || y, as the protocol writes keys everywhere else.
    let bytes = b64_decode(&verifying_key_to_b64(key)).unwrap_or_default();
    Jwk {
        kty: "EC",
        crv: "P-256",
        x: b64_encode(bytes.get(1..33).unwrap_or_default()),
        y: b64_encode(bytes.get(33..65).unwrap_or_default()),
        kid: crate::oidc::keys::kid(key),
        use_: "sig",
        alg: "ES256",
        tessera_role: role,
        exp,
    }
}

/// The root key (to compare with the one you pinned), every issuer generation in use, and
/// the OpenID Provider's ID-token keys.
#[utoipa::path(
    get, path = "/.well-known/jwks.json", tag = "keys",
    responses((status = 200, description = "The roots first (oldest first: active, previous and next), then the issuers, oldest first, then the ID-token keys, newest first", body = Jwks)),
)]
pub(crate) async fn jwks(State(app): State<AppState>) -> AppResult<Json<Jwks>> {
    let issuers = app.ca.issuers(&app.store, now())?;
    let issuer_keys = issuers
        .iter()
        .map(|issuer| jwk(issuer.public_key(), "issuer", Some(issuer.expires_at())));
    let id_token_keys = crate::oidc::keys::published(&app.store)?;
    let id_token_keys = id_token_keys.iter().map(|key| jwk(key, "id_token", None));
    let roots = crate::ca::Ca::roots(&app.store)?;
    let root_keys = roots
        .iter()
        .map(|root| jwk(root.public_key(), root.state.role(), None));
    Ok(Json(Jwks {
        keys: root_keys.chain(issuer_keys).chain(id_token_keys).collect(),
    }))
}
