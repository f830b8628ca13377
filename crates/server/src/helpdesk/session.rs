//! The agent's session: its cookie, its CSRF token, the extractor every console route
//! but the home page takes; and the helpers the console's pages share.
use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tessera_protocol::sha256;

use maud::{Markup, html};

use super::views::{self, url_segment};
use crate::{
    clock::now,
    error::{AppError, AppResult},
    pages::{page, secured},
    state::AppState,
    store::AgentSession,
};

pub(super) const AGENT_COOKIE: &str = "tessera_agent";
pub(super) const AGENT_SESSION_SECS: u64 = 8 * 3600;
/// Wrong agent passwords before the account locks for [`AGENT_LOCK_SECS`].
pub(super) const AGENT_ATTEMPTS: u32 = 5;
pub(super) const AGENT_LOCK_SECS: u64 = 15 * 60;
/// How long a recognised caller stays recognised for the agent who recognised them.
const VERIFIED_FOR_SECS: u64 = 15 * 60;
/// Failed caller checks per user per hour before the helpdesk stops asking.
const VERIFY_ATTEMPTS: u32 = 3;
const VERIFY_WINDOW_SECS: u64 = 3600;
/// The single-use security code for a lost device (flow D).
pub const SECURITY_CODE_SECS: u64 = 24 * 3600;

/// A request from a logged-in agent.
pub(super) struct Agent {
    pub(super) token_hash: [u8; 32],
    pub(super) session: AgentSession,
}

impl Agent {
    pub(super) fn from_headers(app: &AppState, headers: &HeaderMap) -> AppResult<Option<Agent>> {
        let Some(token) = cookie(headers, AGENT_COOKIE) else {
            return Ok(None);
        };
        let token_hash = sha256(token.as_bytes());
        Ok(app
            .store
            .agent_session(&token_hash, now())?
            .map(|session| Agent {
                token_hash,
                session,
            }))
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub(super) fn check(&self, csrf: &str) -> AppResult<()> {
        let expected = sha256(self.session.csrf.as_bytes());
        // Compared as digests: equal-length inputs, no early exit on the secret itself.
        if sha256(csrf.as_bytes()) != expected {
            return Err(AppError::client(
                StatusCode::FORBIDDEN,
                "csrf",
                "this form is stale; reload the page",
            ));
        }
        Ok(())
    }

    pub(super) fn verified(&self, user_id: &str, now: u64) -> bool {
        matches!(&self.session.verified,
            Some((user, at)) if user == user_id && now < at + VERIFIED_FOR_SECS)
    }

    pub(super) fn audit(
        &self,
        app: &AppState,
        action: &str,
        user_id: Option<&str>,
        device_id: Option<&str>,
        detail: &str,
    ) -> AppResult<()> {
        let actor = format!("agent:{}", self.session.agent_id);
        app.store
            .audit(now(), &actor, action, user_id, device_id, detail)
    }

    pub(super) fn bar(&self) -> Markup {
        views::bar(&self.session.agent_name, &self.session.csrf)
    }

    pub(super) fn csrf(&self) -> &str {
        &self.session.csrf
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    pub(super) csrf: String,
}

/// Every console route but the home page takes an `Agent`: anyone else gets the login
/// page, before the handler runs.
impl FromRequestParts<AppState> for Agent {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        match Agent::from_headers(app, &parts.headers) {
            Ok(Some(agent)) => Ok(agent),
            Ok(None) => Err((StatusCode::UNAUTHORIZED, login_page(None)).into_response()),
            Err(error) => Err(error.into_response()),
        }
    }
}

pub(super) fn verification_blocked(app: &AppState, user_id: &str, now: u64) -> AppResult<bool> {
    let since = now.saturating_sub(VERIFY_WINDOW_SECS);
    Ok(app
        .store
        .audit_count(user_id, "caller_check_failed", since)?
        >= VERIFY_ATTEMPTS)
}

pub(super) fn back(user_id: &str, done: &str) -> Response {
    Redirect::to(&format!(
        "/helpdesk/users/{}?done={done}",
        url_segment(user_id)
    ))
    .into_response()
}

pub(super) fn login_page(notice: Option<&str>) -> Response {
    secured(page("Tessera Helpdesk", html! {}, views::login(notice)))
}
