//! Logging in and out of the console.
use axum::{
    Form,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::session::{
    AGENT_ATTEMPTS, AGENT_COOKIE, AGENT_LOCK_SECS, AGENT_SESSION_SECS, Agent, CsrfForm, login_page,
};
use super::views;
use crate::{
    clock::now,
    error::{AppError, AppResult},
    pages::{page, secured},
    secrets::{blocking, hash_secret, random_id, random_token, secret_matches},
    state::AppState,
};

pub(super) async fn home(State(app): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let Some(agent) = Agent::from_headers(&app, &headers)? else {
        return Ok(login_page(None));
    };
    Ok(secured(page(
        "Tessera Helpdesk",
        agent.bar(),
        views::home(),
    )))
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    agent_id: String,
    password: String,
}

pub(super) async fn login(
    State(app): State<AppState>,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let now = now();
    let agent_id = form.agent_id.trim().to_owned();
    let stored = app.store.agent_login(&agent_id, now)?;
    let (hash, locked) = stored.clone().unwrap_or_default();
    let password = form.password;
    // An unknown agent costs the same Argon2 work as a known one: no timing oracle.
    let matches = blocking(move || {
        let hash = if hash.is_empty() {
            hash_secret("no such agent").unwrap_or_default()
        } else {
            hash
        };
        secret_matches(&password, &hash)
    })
    .await?;
    let audit = |action: &str| {
        app.store
            .audit(now, &format!("agent:{agent_id}"), action, None, None, "")
    };
    if stored.is_none() || locked || !matches {
        if stored.is_some() && !locked {
            app.store
                .record_agent_failure(&agent_id, AGENT_ATTEMPTS, now + AGENT_LOCK_SECS)?;
        }
        audit(if locked {
            "agent_login_locked"
        } else {
            "agent_login_failed"
        })?;
        let notice = if locked {
            "This account is locked for 15 minutes after too many wrong passwords."
        } else {
            "The agent ID or the password is not correct."
        };
        return Ok((StatusCode::UNAUTHORIZED, login_page(Some(notice))).into_response());
    }
    let (token, token_hash) = random_token();
    app.store.start_agent_session(
        &token_hash,
        &agent_id,
        &random_id(),
        now + AGENT_SESSION_SECS,
    )?;
    audit("agent_login")?;
    let cookie = format!(
        "{AGENT_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/helpdesk; Max-Age={AGENT_SESSION_SECS}"
    );
    let mut response = Redirect::to("/helpdesk").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.to_string()))?,
    );
    Ok(response)
}

pub(super) async fn logout(
    State(app): State<AppState>,
    agent: Agent,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    agent.check(&form.csrf)?;
    app.store.end_agent_session(&agent.token_hash)?;
    agent.audit(&app, "agent_logout", None, None, "")?;
    let mut response = Redirect::to("/helpdesk").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "tessera_agent=; HttpOnly; SameSite=Strict; Path=/helpdesk; Max-Age=0",
        ),
    );
    Ok(response)
}
