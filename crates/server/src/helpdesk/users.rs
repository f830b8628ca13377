//! Finding a user, the user's page and the audit log.
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use tessera_protocol::{DeviceStatus, SECURITY_QUESTIONS};

use super::session::{Agent, url_segment, verification_blocked};
use crate::{
    clock::{now, utc},
    error::{AppError, AppResult},
    pages::{escape, page, secured},
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
        None => {
            let body = format!(
                r#"<section><h1>No such user</h1><p role="alert">Nobody has the user ID, e-mail address or phone number “{}”.</p>
<p><a href="/helpdesk">Search again</a></p></section>"#,
                escape(query)
            );
            Ok((
                StatusCode::NOT_FOUND,
                secured(page("Tessera Helpdesk", &agent.bar(), &body)),
            )
                .into_response())
        }
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
    let verified = agent.verified(&user_id, now);
    let csrf = agent.csrf_field();
    let base = format!("/helpdesk/users/{}", url_segment(&user_id));
    let notice = query
        .done
        .as_deref()
        .and_then(notice)
        .map(|(kind, text)| {
            let role = if kind == "ok" { "status" } else { "alert" };
            format!(
                r#"<p id="notice" class="notice {kind}" role="{role}" data-notice="{}">{text}</p>"#,
                escape(query.done.as_deref().unwrap_or_default())
            )
        })
        .unwrap_or_default();

    let check = if verified {
        r#"<p id="caller-verified" class="notice ok">Caller recognised: the actions below are open to you for 15 minutes.</p>"#.to_owned()
    } else if verification_blocked(&app, &user_id, now)? {
        r#"<p id="caller-blocked" class="notice error" role="alert">Three failed checks in the last hour: the helpdesk cannot recognise this caller now.</p>"#.to_owned()
    } else {
        let answers = app.store.security_answers(&user_id)?;
        if answers.is_empty() {
            r#"<p class="notice error">This user has no security questions yet, so the helpdesk cannot recognise them by phone.</p>"#.to_owned()
        } else {
            let fields: String = answers
                .iter()
                .enumerate()
                .map(|(index, (question, _))| {
                    let text = SECURITY_QUESTIONS.get(usize::from(*question)).copied().unwrap_or("?");
                    format!(
                        r#"<label for="answer-{index}">{}</label><input type="text" id="answer-{index}" name="answer{index}" autocomplete="off" required>"#,
                        escape(text)
                    )
                })
                .collect();
            format!(
                r#"<form method="post" action="{base}/verify">{csrf}{fields}<p><button type="submit" id="verify-caller">Check the answers</button></p></form>"#
            )
        }
    };

    let lock = if verified { "" } else { " disabled" };
    let devices: String = app
        .store
        .devices_of(&user_id)?
        .iter()
        .map(|d| {
            let id = escape(&d.id);
            let action = |name: &str, label: &str, class: &str, needs_check: bool| {
                let disabled = if needs_check { lock } else { "" };
                format!(
                    r#"<form method="post" action="{base}/devices/{}/{name}" class="inline">{csrf}<button type="submit" id="{name}-{id}" class="{class}"{disabled}>{label}</button></form>"#,
                    url_segment(&d.id)
                )
            };
            let actions = match d.status {
                DeviceStatus::Locked => action("unlock", "Unlock", "", true) + &action("revoke", "Revoke", "danger", true),
                DeviceStatus::Active => action("suspend", "Suspend", "quiet", false) + &action("revoke", "Revoke", "danger", true),
                DeviceStatus::Suspended => action("resume", "Resume", "", true) + &action("revoke", "Revoke", "danger", true),
                DeviceStatus::Revoked | DeviceStatus::Replaced => String::new(),
            };
            let status = d.status.as_str();
            format!(
                r#"<tr id="device-{id}" data-status="{status}"><td>{}</td><td><code>{id}</code></td><td class="status status-{status}">{status}</td><td>{}</td><td>{}</td><td>{actions}</td></tr>"#,
                escape(&d.name),
                utc(d.created_at),
                d.last_used_at.map(utc).unwrap_or_else(|| "never".into()),
            )
        })
        .collect();
    let pending: String = app
        .store
        .pending_activations_of(&user_id)?
        .iter()
        .map(|(id, name, expires_at)| {
            let segment = url_segment(id);
            format!(
                r#"<li id="pending-{id}"><p>Device “{name}”, link valid until {until} UTC.</p>
<form method="post" action="{base}/pending/{segment}/resend">{csrf}<label for="phone-{id}">Phone number for the SMS</label>
<input type="text" id="phone-{id}" name="phone" value="{phone}" autocomplete="off" required>
<p><button type="submit" id="resend-{id}"{lock}>Save and send the link again</button></p></form></li>"#,
                id = escape(id),
                name = escape(name),
                until = utc(*expires_at),
                phone = escape(&phone),
            )
        })
        .collect();
    let pending = if pending.is_empty() {
        r#"<p class="muted">None.</p>"#.to_owned()
    } else {
        format!(r#"<ul class="plain">{pending}</ul>"#)
    };
    let history: String = app
        .store
        .audit_entries(Some(&user_id), 20)?
        .iter()
        .map(|e| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                utc(e.at),
                escape(&e.actor),
                escape(&e.action),
                escape(e.device_id.as_deref().unwrap_or(""))
            )
        })
        .collect();
    let body = format!(
        r#"{notice}<h1>User {user}</h1>
<section aria-labelledby="contact-h"><h2 id="contact-h">Contact</h2><p>Phone {phone} · E-mail {email}</p></section>
<section aria-labelledby="check-h"><h2 id="check-h">Recognise the caller</h2>{check}</section>
<section aria-labelledby="devices-h"><h2 id="devices-h">Devices</h2>
<p class="muted">Suspending is always allowed (a caller who lost a phone must be able to stop it); everything else needs the caller recognised.</p>
<table><thead><tr><th scope="col">Name</th><th scope="col">ID</th><th scope="col">Status</th><th scope="col">Activated</th><th scope="col">Last used</th><th scope="col">Actions</th></tr></thead>
<tbody>{devices}</tbody></table></section>
<section aria-labelledby="code-h"><h2 id="code-h">Lost device</h2>
<p>An 8-digit single-use security code lets the user activate a new device without their old one (valid 24 hours, e-mailed to the address above).</p>
<form method="post" action="{base}/security-code">{csrf}<button type="submit" id="send-code"{lock}>E-mail a security code</button></form></section>
<section aria-labelledby="pending-h"><h2 id="pending-h">Activations waiting for their SMS link</h2>
<p class="muted">If the SMS never arrived (seed FAQ), correct the phone number and send a new link.</p>{pending}</section>
<section aria-labelledby="history-h"><h2 id="history-h">Recent activity</h2>
<table><thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Device</th></tr></thead><tbody>{history}</tbody></table></section>"#,
        user = escape(&user_id),
        phone = escape(&phone),
        email = escape(&email),
    );
    Ok(secured(page("Tessera Helpdesk", &agent.bar(), &body)))
}

pub(super) async fn audit_page(State(app): State<AppState>, agent: Agent) -> AppResult<Response> {
    let rows: String = app
        .store
        .audit_entries(None, 200)?
        .iter()
        .map(|e| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                utc(e.at),
                escape(&e.actor),
                escape(&e.action),
                escape(e.user_id.as_deref().unwrap_or("")),
                escape(e.device_id.as_deref().unwrap_or("")),
                escape(&e.detail)
            )
        })
        .collect();
    let body = format!(
        r#"<h1>Audit log</h1><section><table id="audit"><thead><tr><th scope="col">When (UTC)</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">User</th><th scope="col">Device</th><th scope="col">Detail</th></tr></thead>
<tbody>{rows}</tbody></table></section><p><a href="/helpdesk">Back</a></p>"#
    );
    Ok(secured(page("Tessera Helpdesk", &agent.bar(), &body)))
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
