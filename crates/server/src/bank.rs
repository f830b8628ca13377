//! Demo Bank: a partner site as a bank would build it, on its own origin. Its backend
//! talks to Tessera only through the public partner API (HTTP, API key), pins Tessera's
//! root key, and re-verifies every approval with the protocol crate before it logs
//! anyone in.
use std::sync::Arc;

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    http::{Request, StatusCode, header},
    routing::post,
};
use http_body_util::{BodyExt, Full};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use serde::{Deserialize, Serialize};
use tessera_protocol::{
    Expected, Kind, SignedApproval, VerifyingKey,
    api::{ApiError, CreateSession, SessionCreated, WidgetConfig},
    verify_approval,
};

use crate::{
    error::{AppError, AppResult, JsonBody},
    now,
    store::Store,
};

pub const PARTNER_ID: &str = "demo-bank";
pub const PARTNER_NAME: &str = "Demo Bank";

pub struct Bank {
    pub store: Arc<Store>,
    /// Where the bank's backend reaches Tessera's partner API.
    pub tessera_url: String,
    /// Where the bank's visitors' browsers reach Tessera.
    pub tessera_public_url: String,
    pub api_key: String,
    /// Tessera's root key as the bank pinned it when it signed up.
    pub pinned_root: VerifyingKey,
    pub pinned_root_b64: String,
    /// The bank's own origin, the one its sessions are bound to.
    pub origin: String,
    pub client: Client<HttpConnector, Full<Bytes>>,
}

pub fn http_client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new()).build_http()
}

pub fn routes(bank: Arc<Bank>) -> Router {
    Router::new()
        .route("/bank/session", post(bank_session_create))
        .route("/bank/login", post(bank_login))
        .with_state(bank)
}

async fn create_tessera_session(bank: &Bank) -> AppResult<SessionCreated> {
    let body = serde_json::to_vec(&CreateSession {
        kind: Kind::Login,
        origin: bank.origin.clone(),
        details: None,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let request = Request::post(format!("{}/v1/sessions", bank.tessera_url))
        .header(header::AUTHORIZATION, format!("Bearer {}", bank.api_key))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let unreachable =
        |e: &dyn std::fmt::Display| AppError::Internal(format!("Tessera unreachable: {e}"));
    let response = bank
        .client
        .request(request)
        .await
        .map_err(|e| unreachable(&e))?;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| unreachable(&e))?
        .to_bytes();
    if status != StatusCode::CREATED {
        let error: Option<ApiError> = serde_json::from_slice(&bytes).ok();
        let code = error.map(|e| e.code).unwrap_or_default();
        return Err(AppError::Internal(format!(
            "Tessera refused the session: {status} {code}"
        )));
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| AppError::Internal(format!("Tessera answered oddly: {e}")))
}

async fn bank_session_create(State(bank): State<Arc<Bank>>) -> AppResult<Json<WidgetConfig>> {
    let session = create_tessera_session(&bank).await?;
    bank.store.insert_bank_session(
        &session.session_id,
        &session.nonce,
        &session.partner_id,
        now(),
    )?;
    Ok(Json(WidgetConfig {
        server: bank.tessera_public_url.clone(),
        session,
        kind: Kind::Login,
        root_key: bank.pinned_root_b64.clone(),
        details: None,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginRequest {
    session_id: String,
    result: SignedApproval,
}

#[derive(Serialize)]
struct LoggedIn {
    user_id: String,
}

async fn bank_login(
    State(bank): State<Arc<Bank>>,
    JsonBody(login): JsonBody<LoginRequest>,
) -> AppResult<Json<LoggedIn>> {
    let (nonce, partner_id, _) = bank
        .store
        .bank_session(&login.session_id)?
        .ok_or_else(|| AppError::not_found("login session"))?;
    let expected = Expected {
        session_id: &login.session_id,
        nonce: &nonce,
        partner_id: &partner_id,
        origin: &bank.origin,
        kind: Kind::Login,
        details_digest: None,
    };
    let verified = verify_approval(&login.result, &expected, &bank.pinned_root, now())?;
    if !bank
        .store
        .consume_bank_session(verified.session_id(), verified.user_id())?
    {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "replayed",
            "this approval was already used to log in",
        ));
    }
    Ok(Json(LoggedIn {
        user_id: verified.user_id().into(),
    }))
}
