//! Tessera's partner API, as the bank calls it: `POST /v1/sessions` with its API key, and
//! its published keys.
use axum::{
    body::Bytes,
    http::{Request, StatusCode, header},
};
use http_body_util::{BodyExt, Full};
use tessera_protocol::{
    VerifyingKey,
    api::{ApiError, CreateSession, SessionCreated},
};

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
    let (status, bytes) = call(bank, request).await?;
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

/// The keys that sign Tessera's offline results, from its JWKS, read at each use so that
/// a rotation of them needs nothing of the bank.
pub async fn offline_result_keys(bank: &Bank) -> BankResult<Vec<VerifyingKey>> {
    let request = Request::get(format!("{}/.well-known/jwks.json", bank.tessera_url))
        .body(Full::new(Bytes::new()))
        .map_err(|e| BankError::Internal(e.to_string()))?;
    let (status, bytes) = call(bank, request).await?;
    if status != StatusCode::OK {
        return Err(BankError::Tessera(format!("its JWKS: {status}")));
    }
    Ok(tessera_protocol::offline::offline_result_keys(&bytes))
}

/// One call to Tessera: its status and body.
async fn call(bank: &Bank, request: Request<Full<Bytes>>) -> BankResult<(StatusCode, Bytes)> {
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
    Ok((status, bytes))
}
