//! The bank's HTTP API for its own pages: open a login, transfer or signing session, and
//! complete it with the approval the page's widget verified, which the bank verifies again
//! (or, for a login, with Tessera's signed result of the phone's offline code).
use std::sync::Arc;

use axum::{Json, Router, extract::State, http::StatusCode, routing::post};
use serde::{Deserialize, Serialize};
use tessera_protocol::{
    CoarseLocation, Details, Document, DocumentSignature, Expected, Kind, SIGNATURE_FORMAT,
    SignedApproval, Transaction, UserVerification, VerifiedApproval,
    api::{CreateSession, WidgetConfig},
    details_for,
    offline::verify_offline_result,
    verify_approval,
};

use crate::{
    bank::Bank,
    error::{BankError, BankResult, JsonBody},
    now,
    store::BankSession,
    tessera::{create_session, offline_result_keys},
};

/// The bank's routes, under `/bank/`.
pub fn routes(bank: Arc<Bank>) -> Router {
    Router::new()
        .route("/bank/session", post(bank_session_create))
        .route("/bank/login", post(bank_login))
        .route("/bank/login/offline", post(bank_login_offline))
        .route("/bank/transfer", post(bank_transfer_create))
        .route("/bank/transfer/confirm", post(bank_transfer_confirm))
        .route("/bank/sign", post(bank_sign_create))
        .route("/bank/sign/complete", post(bank_sign_complete))
        .with_state(bank)
}

/// Opens a Tessera session for this page and remembers what it asked, so the approval is
/// later checked against the bank's own record, never against what the page sends back.
async fn open_session(
    bank: &Bank,
    kind: Kind,
    details: Option<Details>,
) -> BankResult<Json<WidgetConfig>> {
    let request = CreateSession {
        kind,
        origin: bank.origin.clone(),
        details,
    };
    let session = create_session(bank, &request).await?;
    // Tessera accepted the details, so they are valid; keep them in their one form.
    let details = details_for(kind, request.details).map_err(|problem| {
        BankError::Internal(format!("Tessera accepted bad details: {problem}"))
    })?;
    let record = BankSession {
        nonce: session.nonce.clone(),
        partner_id: session.partner_id.clone(),
        kind,
        details: details.clone(),
    };
    bank.store.insert(&session.session_id, &record, now())?;
    Ok(Json(WidgetConfig {
        server: bank.tessera_public_url.clone(),
        session,
        kind,
        root_key: bank.pinned_root_b64.first().cloned().unwrap_or_default(),
        root_keys: bank.pinned_root_b64.iter().skip(1).cloned().collect(),
        details,
    }))
}

async fn bank_session_create(State(bank): State<Arc<Bank>>) -> BankResult<Json<WidgetConfig>> {
    open_session(&bank, Kind::Login, None).await
}

async fn bank_transfer_create(
    State(bank): State<Arc<Bank>>,
    JsonBody(transfer): JsonBody<Transaction>,
) -> BankResult<Json<WidgetConfig>> {
    open_session(&bank, Kind::Confirm, Some(Details::Transaction(transfer))).await
}

async fn bank_sign_create(
    State(bank): State<Arc<Bank>>,
    JsonBody(document): JsonBody<Document>,
) -> BankResult<Json<WidgetConfig>> {
    open_session(&bank, Kind::Sign, Some(Details::Document(document))).await
}

/// What the page posts once its widget verified an approval.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Completion {
    session_id: String,
    result: SignedApproval,
}

/// The bank's own record of the session `session_id` of `kind`.
fn record_of(bank: &Bank, session_id: &str, kind: Kind) -> BankResult<BankSession> {
    bank.store
        .session(session_id)?
        .filter(|record| record.kind == kind)
        .ok_or_else(|| {
            BankError::client(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such session of this bank",
            )
        })
}

/// What an answer to the session must say, from the bank's record, never from the page.
fn expected<'a>(bank: &'a Bank, session_id: &'a str, record: &'a BankSession) -> Expected<'a> {
    Expected {
        session_id,
        nonce: &record.nonce,
        partner_id: &record.partner_id,
        origin: &bank.origin,
        kind: record.kind,
        details_digest: record.details.as_ref().map(Details::digest),
        user_id: None,
    }
}

/// Uses the session up: an answer logs in, books or signs once.
fn use_up(bank: &Bank, session_id: &str, user_id: &str) -> BankResult<()> {
    if bank.store.consume(session_id, user_id)? {
        Ok(())
    } else {
        Err(BankError::client(
            StatusCode::CONFLICT,
            "replayed",
            "this approval was already used",
        ))
    }
}

/// Verifies the approval again, on the bank's server, against the bank's own record of
/// the session, and uses it up.
fn verify_once(
    bank: &Bank,
    completion: &Completion,
    kind: Kind,
) -> BankResult<(VerifiedApproval, BankSession)> {
    let record = record_of(bank, &completion.session_id, kind)?;
    let expected = expected(bank, &completion.session_id, &record);
    let verified = verify_approval(&completion.result, &expected, &bank.pinned_root, now())?;
    use_up(bank, verified.session_id(), verified.user_id())?;
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
    /// With the phone's offline code, which Tessera vouched for: weaker than the phone's
    /// own signature (docs/DECISIONS.md), so the page says so.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    offline: bool,
}

async fn bank_login(
    State(bank): State<Arc<Bank>>,
    JsonBody(login): JsonBody<Completion>,
) -> BankResult<Json<LoggedIn>> {
    let (verified, _) = verify_once(&bank, &login, Kind::Login)?;
    Ok(Json(LoggedIn {
        user_id: verified.user_id().into(),
        near: Near::from(&verified),
        uv: verified.user_verification(),
        offline: false,
    }))
}

/// What the page posts once its widget took the phone's offline code: Tessera's signed
/// result (`data-offline-result`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfflineCompletion {
    session_id: String,
    result: String,
}

/// A login with the phone's offline code: the result must verify under a key of Tessera's
/// JWKS and answer exactly this session, and it is used up like an approval.
async fn bank_login_offline(
    State(bank): State<Arc<Bank>>,
    JsonBody(login): JsonBody<OfflineCompletion>,
) -> BankResult<Json<LoggedIn>> {
    let record = record_of(&bank, &login.session_id, Kind::Login)?;
    let keys = offline_result_keys(&bank).await?;
    let expected = expected(&bank, &login.session_id, &record);
    let claims = verify_offline_result(&login.result, &keys, &expected, now())?;
    use_up(&bank, &login.session_id, &claims.sub)?;
    Ok(Json(LoggedIn {
        user_id: claims.sub,
        // The OCRA key is derived with the PIN (`amr: ["otp", "pin"]`).
        uv: UserVerification::Pin,
        near: Near { location: None },
        offline: true,
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
) -> BankResult<Json<Booked>> {
    let (verified, record) = verify_once(&bank, &completion, Kind::Confirm)?;
    let Some(Details::Transaction(transfer)) = record.details else {
        return Err(BankError::Internal(
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
) -> BankResult<Json<DocumentSignature>> {
    let (_, record) = verify_once(&bank, &completion, Kind::Sign)?;
    let Some(Details::Document(document)) = record.details else {
        return Err(BankError::Internal(
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
