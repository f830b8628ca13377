//! Demo Bank: a partner site as a bank would build it, on its own origin. Its backend
//! talks to Tessera only through the public partner API (HTTP, API key), pins Tessera's
//! root key, and re-verifies every approval with the protocol crate, against its own record
//! of what it asked, before it logs anyone in, books a transfer or hands out a signature.
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
    CoarseLocation, Details, Document, DocumentSignature, Expected, Kind, SIGNATURE_FORMAT,
    SignedApproval, Transaction, UserVerification, VerifiedApproval, VerifyingKey,
    api::{ApiError, CreateSession, SessionCreated, WidgetConfig},
    details_for, verify_approval,
};

use crate::{
    clock::now,
    error::{AppError, AppResult, JsonBody},
    store::{BankSessionRow, Store},
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
        .route("/bank/transfer", post(bank_transfer_create))
        .route("/bank/transfer/confirm", post(bank_transfer_confirm))
        .route("/bank/sign", post(bank_sign_create))
        .route("/bank/sign/complete", post(bank_sign_complete))
        .with_state(bank)
}

async fn create_tessera_session(bank: &Bank, request: &CreateSession) -> AppResult<SessionCreated> {
    let body = serde_json::to_vec(request).map_err(|e| AppError::Internal(e.to_string()))?;
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
        return Err(match error {
            // Tessera refused what the customer typed (an IBAN, a disguised name): the
            // page shows Tessera's reason.
            Some(error) if status == StatusCode::BAD_REQUEST => AppError::Relayed(error),
            error => AppError::Internal(format!(
                "Tessera refused the session: {status} {}",
                error.map(|e| e.code).unwrap_or_default()
            )),
        });
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| AppError::Internal(format!("Tessera answered oddly: {e}")))
}

/// Opens a Tessera session for this page and remembers what it asked, so the approval is
/// later checked against the bank's own record, never against what the page sends back.
async fn open_session(
    bank: &Bank,
    kind: Kind,
    details: Option<Details>,
) -> AppResult<Json<WidgetConfig>> {
    let request = CreateSession {
        kind,
        origin: bank.origin.clone(),
        details,
    };
    let session = create_tessera_session(bank, &request).await?;
    // Tessera accepted the details, so they are valid; keep them in their one form.
    let details = details_for(kind, request.details).map_err(|problem| {
        AppError::Internal(format!("Tessera accepted bad details: {problem}"))
    })?;
    let record = BankSessionRow {
        nonce: session.nonce.clone(),
        partner_id: session.partner_id.clone(),
        kind,
        details: details.clone(),
    };
    bank.store
        .insert_bank_session(&session.session_id, &record, now())?;
    Ok(Json(WidgetConfig {
        server: bank.tessera_public_url.clone(),
        session,
        kind,
        root_key: bank.pinned_root_b64.clone(),
        details,
    }))
}

async fn bank_session_create(State(bank): State<Arc<Bank>>) -> AppResult<Json<WidgetConfig>> {
    open_session(&bank, Kind::Login, None).await
}

async fn bank_transfer_create(
    State(bank): State<Arc<Bank>>,
    JsonBody(transfer): JsonBody<Transaction>,
) -> AppResult<Json<WidgetConfig>> {
    open_session(&bank, Kind::Confirm, Some(Details::Transaction(transfer))).await
}

async fn bank_sign_create(
    State(bank): State<Arc<Bank>>,
    JsonBody(document): JsonBody<Document>,
) -> AppResult<Json<WidgetConfig>> {
    open_session(&bank, Kind::Sign, Some(Details::Document(document))).await
}

/// What the page posts once its widget verified an approval.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Completion {
    session_id: String,
    result: SignedApproval,
}

/// Verifies the approval again, on the bank's server, against the bank's own record of
/// the session, and uses it up: an approval logs in, books or signs once.
fn verify_once(
    bank: &Bank,
    completion: &Completion,
    kind: Kind,
) -> AppResult<(VerifiedApproval, BankSessionRow)> {
    let record = bank
        .store
        .bank_session(&completion.session_id)?
        .filter(|record| record.kind == kind)
        .ok_or_else(|| AppError::not_found("session of this bank"))?;
    let expected = Expected {
        session_id: &completion.session_id,
        nonce: &record.nonce,
        partner_id: &record.partner_id,
        origin: &bank.origin,
        kind,
        details_digest: record.details.as_ref().map(Details::digest),
        user_id: None,
    };
    let verified = verify_approval(&completion.result, &expected, &bank.pinned_root, now())?;
    if !bank
        .store
        .consume_bank_session(verified.session_id(), verified.user_id())?
    {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "replayed",
            "this approval was already used",
        ));
    }
    Ok((verified, record))
}

/// The coarse location an approval carries, for the page to show ("approved near …"):
/// the phone's own say, signed with the approval, present only if its user shares it.
#[derive(Serialize)]
struct Near {
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<CoarseLocation>,
}

impl From<&VerifiedApproval> for Near {
    fn from(verified: &VerifiedApproval) -> Near {
        Near {
            location: verified.location(),
        }
    }
}

#[derive(Serialize)]
struct LoggedIn {
    user_id: String,
    /// How the phone verified the user, from the status statement the bank verified.
    uv: UserVerification,
    #[serde(flatten)]
    near: Near,
}

async fn bank_login(
    State(bank): State<Arc<Bank>>,
    JsonBody(login): JsonBody<Completion>,
) -> AppResult<Json<LoggedIn>> {
    let (verified, _) = verify_once(&bank, &login, Kind::Login)?;
    Ok(Json(LoggedIn {
        user_id: verified.user_id().into(),
        near: Near::from(&verified),
        uv: verified.user_verification(),
    }))
}

#[derive(Serialize)]
struct Booked {
    booked: bool,
    user_id: String,
    #[serde(flatten)]
    transfer: Transaction,
    #[serde(flatten)]
    near: Near,
}

async fn bank_transfer_confirm(
    State(bank): State<Arc<Bank>>,
    JsonBody(completion): JsonBody<Completion>,
) -> AppResult<Json<Booked>> {
    let (verified, record) = verify_once(&bank, &completion, Kind::Confirm)?;
    let Some(Details::Transaction(transfer)) = record.details else {
        return Err(AppError::Internal(
            "a transfer session without its transfer".into(),
        ));
    };
    tracing::info!(session = %completion.session_id, "transfer booked");
    Ok(Json(Booked {
        booked: true,
        user_id: verified.user_id().into(),
        transfer,
        near: Near::from(&verified),
    }))
}

async fn bank_sign_complete(
    State(bank): State<Arc<Bank>>,
    JsonBody(completion): JsonBody<Completion>,
) -> AppResult<Json<DocumentSignature>> {
    let (_, record) = verify_once(&bank, &completion, Kind::Sign)?;
    let Some(Details::Document(document)) = record.details else {
        return Err(AppError::Internal(
            "a signing session without its document".into(),
        ));
    };
    Ok(Json(DocumentSignature {
        format: SIGNATURE_FORMAT.into(),
        partner_id: record.partner_id,
        origin: bank.origin.clone(),
        session_id: completion.session_id,
        nonce: record.nonce,
        document,
        signed: completion.result,
    }))
}
