//! Finding a user, the user's page and the audit log.
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tessera_protocol::SECURITY_QUESTIONS;

use super::{
    session::{Agent, verification_blocked},
    views::{self, CallerCheck, UserPage, url_segment},
};
use crate::{
    clock::now,
    error::{AppError, AppResult},
    pages::{page, secured},
    state::AppState,
};

#[derive(Deserialize)]
pub(super) struct FindQuery {
    q: String,
}

pub(super) async fn find(
    State(app): State<AppState>,
    agent: Agent,
    Query(query): Query<FindQuery>,
) -> AppResult<Response> {
    let query = query.q.trim();
    match app.store.find_user(query)? {
        Some(user) => {
            agent.audit(&app, "user_looked_up", Some(&user), None, "")?;
            Ok(Redirect::to(&format!("/helpdesk/users/{}", url_segment(&user))).into_response())
        }
        None => Ok((
            StatusCode::NOT_FOUND,
            secured(page(
                "Tessera Helpdesk",
                agent.bar(),
                views::no_such_user(query),
            )),
        )
            .into_response()),
    }
}

/// What the last action did, shown once after its redirect. Fixed texts only: nothing
/// from the query string reaches the page.
fn notice(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "verified" => (
            "ok",
            "The caller answered all three security questions correctly.",
        ),
        "not_verified" => (
            "error",
            "At least one answer is wrong. The attempt was logged.",
        ),
        "blocked" => (
            "error",
            "Too many failed checks for this user in the last hour. Try again later.",
        ),
        "code_sent" => (
            "ok",
            "A single-use 8-digit security code was e-mailed to the user. It is valid for 24 hours.",
        ),
        "unlocked" => (
            "ok",
            "The device is unlocked; its wrong-PIN count starts afresh.",
        ),
        "suspended" => (
            "ok",
            "The device is suspended: it cannot approve anything until it is resumed.",
        ),
        "resumed" => ("ok", "The device is active again."),
        "revoked" => ("ok", "The device is revoked for good."),
        "unchanged" => (
            "error",
            "Nothing changed: the device is not in a state that allows this.",
        ),
        "verify_first" => (
            "error",
            "Recognise the caller with their security answers first.",
        ),
        "link_sent" => (
            "ok",
            "The phone number is saved and a new activation link was sent by SMS. The old link no longer works.",
        ),
        "bad_phone" => (
            "error",
            "That is not a phone number: use the international form, e.g. +352 621 000 001.",
        ),
        _ => return None,
    })
}

#[derive(Deserialize)]
pub(super) struct UserQuery {
    done: Option<String>,
}

pub(super) async fn user_page(
    State(app): State<AppState>,
    agent: Agent,
    Path(user_id): Path<String>,
    Query(query): Query<UserQuery>,
) -> AppResult<Response> {
    let (phone, email) = app
        .store
        .contact(&user_id)?
        .ok_or_else(|| AppError::not_found("user"))?;
    let now = now();
    let check = if agent.verified(&user_id, now) {
        CallerCheck::Verified
    } else if verification_blocked(&app, &user_id, now)? {
        CallerCheck::Blocked
    } else {
        let answers = app.store.security_answers(&user_id)?;
        if answers.is_empty() {
            CallerCheck::NoQuestions
        } else {
            let question = |index: &u8| {
                SECURITY_QUESTIONS
                    .get(usize::from(*index))
                    .copied()
                    .unwrap_or("?")
            };
            CallerCheck::Ask(answers.iter().map(|(index, _)| question(index)).collect())
        }
    };
    let code = query.done.as_deref().unwrap_or_default();
    let view = UserPage {
        user_id: &user_id,
        phone: &phone,
        email: &email,
        base: &format!("/helpdesk/users/{}", url_segment(&user_id)),
        csrf: agent.csrf(),
        notice: notice(code).map(|(kind, text)| (kind, text, code)),
        check,
        devices: &app.store.devices_of(&user_id)?,
        pending: &app.store.pending_activations_of(&user_id)?,
        history: &app.store.audit_entries(Some(&user_id), 20)?,
    };
    Ok(secured(page(
        "Tessera Helpdesk",
        agent.bar(),
        views::user(&view),
    )))
}

pub(super) async fn audit_page(State(app): State<AppState>, agent: Agent) -> AppResult<Response> {
    let entries = app.store.audit_entries(None, 200)?;
    Ok(secured(page(
        "Tessera Helpdesk",
        agent.bar(),
        views::audit(&entries),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(url_segment("alice"), "alice");
        assert_eq!(url_segment("a/b?c"), "a%2Fb%3Fc");
    }

    #[test]
    fn only_known_notices_are_shown() {
        assert!(notice("revoked").is_some());
        assert!(notice("<script>").is_none());
    }
}
