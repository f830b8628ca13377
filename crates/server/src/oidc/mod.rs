//! Tessera as an OpenID Provider (issue 18), next to the native partner API: the same
//! sessions, the same widget and phone, the same signed approvals, spoken as OpenID
//! Connect. [`authorize`]: the code flow with PKCE (S256 only) in the browser; [`ciba`]:
//! Client-Initiated Backchannel Authentication (poll and ping) for the push; [`token`]:
//! the token endpoint of both, which issues the ID token; [`clients`]: registered clients
//! and their authentication ([`assertion`]: `private_key_jwt`); [`keys`]: the ID-token signing keys; [`session`]: what the
//! flows share (the session a request opens, the check of its approval, PKCE).
//!
//! `sub` is the user's Tessera ID for every client (public subject type): the ID token
//! carries the phone's signed approval as evidence, and the device certificate in it names
//! the user anyway, so a pairwise `sub` would hide nothing. See docs/OIDC.md.
pub mod assertion;
pub mod authorize;
pub mod ciba;
pub mod clients;
pub mod keys;
pub mod session;
pub mod token;

use axum::{
    Json, Router,
    extract::State,
    routing::{get, post},
};
use serde_json::{Value, json};
use tower_http::cors::CorsLayer;

use crate::state::AppState;
use session::{ACR_BIOMETRIC, ACR_PIN, CIBA_GRANT, TRANSACTION_TYPE};

pub fn routes() -> Router<AppState> {
    // Relying parties' pages may read the public documents (openid-client in a browser).
    let public = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .layer(CorsLayer::very_permissive().allow_credentials(false));
    Router::new()
        .route("/oidc/authorize", get(authorize::authorize_page))
        .route(
            "/oidc/authorize/complete",
            post(authorize::authorize_complete),
        )
        .route("/oidc/authorize.js", get(authorize::script))
        .route("/oidc/token", post(token::token))
        .route("/oidc/userinfo", get(token::userinfo).post(token::userinfo))
        .route("/oidc/bc-authorize", post(ciba::bc_authorize))
        .merge(public)
}

/// `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §3, CIBA §4).
async fn discovery(State(app): State<AppState>) -> Json<Value> {
    let url = &app.config.public_url;
    Json(json!({
        "issuer": url,
        "authorization_endpoint": format!("{url}/oidc/authorize"),
        "token_endpoint": format!("{url}/oidc/token"),
        "userinfo_endpoint": format!("{url}/oidc/userinfo"),
        "jwks_uri": format!("{url}/.well-known/jwks.json"),
        "backchannel_authentication_endpoint": format!("{url}/oidc/bc-authorize"),
        "scopes_supported": ["openid"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", CIBA_GRANT],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post",
            "private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["ES256"],
        "backchannel_authentication_request_signing_alg_values_supported": [],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr",
            "amr", "tessera_approval"],
        "acr_values_supported": [ACR_PIN, ACR_BIOMETRIC],
        "authorization_response_iss_parameter_supported": true,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "claims_parameter_supported": false,
        "backchannel_token_delivery_modes_supported": ["poll", "ping"],
        "backchannel_user_code_parameter_supported": false,
        "authorization_details_types_supported": [TRANSACTION_TYPE],
    }))
}
