//! The well-known documents: Tessera's public keys ([`jwks`]) and the partner API
//! described as OpenAPI ([`openapi`]).
use crate::state::AppState;

pub mod jwks;
pub mod openapi;

use axum::{Json, Router, routing::get};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/.well-known/jwks.json", get(jwks::jwks))
        .route("/.well-known/openapi.json", get(openapi))
}

/// The partner API described as OpenAPI, generated from the handlers and wire types.
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi::document())
}
