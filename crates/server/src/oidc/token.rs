//! The token endpoint (`POST /oidc/token`) of both flows, the ID token it issues, and the
//! userinfo endpoint. A grant is redeemed once: a code used again gets `invalid_grant` and
//! revokes the access token issued with it (RFC 6749 §4.1.2).
use axum::{
    Form, Json,
    extract::{State, rejection::FormRejection},
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};
use tessera_protocol::{Details, UserVerification, VerifiedApproval, api::SessionState, sha256};

use super::{
    clients::{Params, authenticate, form},
    keys,
    session::{ACR_BIOMETRIC, ACR_PIN, CIBA_GRANT, TRANSACTION_TYPE, pkce_matches, verify_session},
};
use crate::{
    clock::now,
    error::{AppError, AppResult},
    secrets::random_token,
    state::{AppState, bearer},
    store::{OidcClientRow, OidcRequestRow, SessionRow},
};

/// How long ID tokens and access tokens are valid.
const TOKEN_LIFETIME_SECS: u64 = 300;
/// Added to a CIBA client's interval each time it polls too fast (CIBA §11).
const SLOW_DOWN_SECS: u64 = 5;

/// `POST /oidc/token`.
pub(crate) async fn token(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> AppResult<Response> {
    let params = form(body)?;
    let client = authenticate(&app.store, &app.config.public_url, &headers, &params)?;
    match params.require("grant_type")? {
        "authorization_code" => code_grant(&app, &client, &params),
        CIBA_GRANT => ciba_grant(&app, &client, &params),
        _ => Err(AppError::oauth(
            "unsupported_grant_type",
            "authorization_code or urn:openid:params:grant-type:ciba",
        )),
    }
}

fn invalid_grant(why: &str) -> AppError {
    AppError::oauth("invalid_grant", why)
}

fn code_grant(app: &AppState, client: &OidcClientRow, params: &Params) -> AppResult<Response> {
    let code = params.require("code")?;
    let request = app
        .store
        .oidc_request_by_code(&sha256(code.as_bytes()))?
        .filter(|r| r.client_id == client.id)
        .ok_or_else(|| invalid_grant("unknown code"))?;
    let now = now();
    if request.redeemed {
        app.store.revoke_oidc_request(&request.id)?;
        return Err(invalid_grant(
            "the code was already used; the tokens issued with it are revoked",
        ));
    }
    if request.code_expires_at.is_none_or(|at| at <= now) {
        return Err(invalid_grant("the code expired"));
    }
    if params.get("redirect_uri") != request.redirect_uri.as_deref() {
        return Err(invalid_grant(
            "redirect_uri differs from the authorization request's",
        ));
    }
    let verifier = params.require("code_verifier")?;
    let challenge = request.code_challenge.as_deref().unwrap_or_default();
    if !pkce_matches(verifier, challenge) {
        return Err(invalid_grant(
            "the code_verifier does not match the code_challenge",
        ));
    }
    let session = session_of(app, &request)?;
    let verified = verify_session(app, &session, None, now)?;
    issue(app, client, &request, &session, &verified, now)
}

fn ciba_grant(app: &AppState, client: &OidcClientRow, params: &Params) -> AppResult<Response> {
    let id = params.require("auth_req_id")?;
    let request = app
        .store
        .oidc_request(id)?
        .filter(|r| r.flow == "ciba" && r.client_id == client.id)
        .ok_or_else(|| invalid_grant("unknown auth_req_id"))?;
    if request.redeemed {
        return Err(invalid_grant(
            "the tokens for this auth_req_id were already issued",
        ));
    }
    let session = session_of(app, &request)?;
    let now = now();
    match session.state_at(now) {
        SessionState::Approved => {
            let verified = verify_session(app, &session, request.login_hint.as_deref(), now)?;
            issue(app, client, &request, &session, &verified, now)
        }
        SessionState::Expired => Err(AppError::oauth("expired_token", "the request expired")),
        SessionState::Denied | SessionState::Cancelled => {
            Err(AppError::oauth("access_denied", "the user did not approve"))
        }
        _ => {
            let too_soon = request
                .polled_at
                .is_some_and(|at| now < at + request.poll_interval);
            let interval = request.poll_interval + if too_soon { SLOW_DOWN_SECS } else { 0 };
            app.store.record_oidc_poll(&request.id, now, interval)?;
            if too_soon {
                Err(AppError::oauth(
                    "slow_down",
                    format!("poll at most every {interval} s"),
                ))
            } else {
                Err(AppError::oauth(
                    "authorization_pending",
                    "the user has not answered yet",
                ))
            }
        }
    }
}

fn session_of(app: &AppState, request: &OidcRequestRow) -> AppResult<SessionRow> {
    app.store
        .session(&request.session_id)?
        .ok_or_else(|| AppError::Internal("an OpenID request without its session".into()))
}

/// `amr` values (RFC 8176) and `acr` of how the phone's user was verified.
fn methods(verification: UserVerification) -> (&'static str, &'static [&'static str]) {
    match verification {
        // The device's key (a software key in the phone's browser) and the PIN.
        UserVerification::Pin => (ACR_PIN, &["swk", "pin", "mfa"]),
        // The device's key and a platform authenticator's user verification (fingerprint,
        // face or the phone's own unlock: WebAuthn does not say which).
        UserVerification::Biometric => (ACR_BIOMETRIC, &["swk", "hwk", "user", "mfa"]),
    }
}

/// Redeems the grant and answers the tokens.
fn issue(
    app: &AppState,
    client: &OidcClientRow,
    request: &OidcRequestRow,
    session: &SessionRow,
    verified: &VerifiedApproval,
    now: u64,
) -> AppResult<Response> {
    let (access_token, access_hash) = random_token();
    let expires_at = now + TOKEN_LIFETIME_SECS;
    if !app
        .store
        .redeem_oidc_request(&request.id, &access_hash, expires_at, verified.user_id())?
    {
        app.store.revoke_oidc_request(&request.id)?;
        return Err(invalid_grant("this grant was already used"));
    }
    let (acr, amr) = methods(verified.user_verification());
    let mut claims = json!({
        "iss": app.config.public_url,
        "sub": verified.user_id(),
        "aud": client.id,
        "exp": expires_at,
        "iat": now,
        "auth_time": verified.signed_at(),
        "acr": acr,
        "amr": amr,
        // The evidence: what the phone signed and the status the server stapled, with
        // what to check them against (tessera_protocol::verify_approval, or
        // `tessera verify-approval`).
        "tessera_approval": {
            "approval": session.approval,
            "status": session.status,
            "session_id": session.id,
            "nonce": session.nonce,
            "partner_id": session.partner_id,
            "origin": session.origin,
            "kind": session.kind,
            "details": session.details,
        },
    });
    if let Some(nonce) = &request.nonce {
        claims["nonce"] = json!(nonce);
    }
    if let Some(Details::Transaction(transaction)) = &session.details {
        let mut detail =
            serde_json::to_value(transaction).map_err(|e| AppError::Internal(e.to_string()))?;
        detail["type"] = json!(TRANSACTION_TYPE);
        claims["authorization_details"] = json!([detail]);
    }
    let id_token = keys::sign_jwt(&app.store, &claims)?;
    let body = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME_SECS,
        "id_token": id_token,
        "scope": "openid",
    });
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response())
}

/// `GET|POST /oidc/userinfo` (OpenID Connect Core §5.3): the subject of the access token.
pub(crate) async fn userinfo(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Json<Value>> {
    let token = bearer(&headers).unwrap_or_default();
    let subject = app
        .store
        .oidc_subject(&sha256(token.as_bytes()), now())?
        .ok_or_else(|| AppError::unauthorized("invalid_token", "the access token is not valid"))?;
    Ok(Json(json!({ "sub": subject })))
}
