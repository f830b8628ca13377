//! Tessera's partner API, as the bank calls it: `POST /v1/sessions` with its API key.
use axum::{
    body::Bytes,
    http::{Request, StatusCode, header},
};
use http_body_util::{BodyExt, Full};
use tessera_protocol::api::{ApiError, CreateSession, SessionCreated};

use crate::{
    bank::Bank,
    error::{BankError, BankResult},
};

/// Creates a session with Tessera. A refusal of what the customer typed (400) is passed on
/// for the page to show; anything else is the bank's problem.
pub async fn create_session(bank: &Bank, request: &CreateSession) -> BankResult<SessionCreated> {
    let body = serde_json::to_vec(request).map_err(|e| BankError::Internal(e.to_string()))?;
    let request = Request::post(format!("{}/v1/sessions", bank.tessera_url))
        .header(header::AUTHORIZATION, format!("Bearer {}", bank.api_key))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| BankError::Internal(e.to_string()))?;
    let unreachable = |e: &dyn std::fmt::Display| BankError::Tessera(format!("unreachable: {e}"));
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
            Some(error) if status == StatusCode::BAD_REQUEST => BankError::Refused(error),
            error => BankError::Tessera(format!(
                "refused the session: {status} {}",
                error.map(|e| e.code).unwrap_or_default()
            )),
        });
    }
    serde_json::from_slice(&bytes).map_err(|e| BankError::Tessera(format!("answered oddly: {e}")))
}
