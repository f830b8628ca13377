//! The helpdesk console, `/helpdesk`: agents log in with their own accounts, find a user,
//! recognise the caller by their three security answers, and then unlock, suspend, resume
//! or revoke a device or e-mail a single-use security code. Every action, and every failed
//! attempt, goes to the audit log. Server-rendered HTML without any script: the console
//! is an admin surface, and the less it runs the less can be injected into it.
use axum::{
    Form, Router,
    extract::{FromRequestParts, Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use serde::Deserialize;
use tessera_protocol::{DeviceStatus, SECURITY_QUESTIONS, normalize_answer, sha256};

use crate::{
    AppState,
    error::{AppError, AppResult},
    now,
    outbox::Channel,
    pages::{escape, page, secured},
    secrets::{blocking, hash_secret, random_bytes, random_id, random_token, secret_matches},
    store::AgentSession,
    verdict::utc,
};

const AGENT_COOKIE: &str = "tessera_agent";
const AGENT_SESSION_SECS: u64 = 8 * 3600;
/// Wrong agent passwords before the account locks for [`AGENT_LOCK_SECS`].
const AGENT_ATTEMPTS: u32 = 5;
const AGENT_LOCK_SECS: u64 = 15 * 60;
/// How long a recognised caller stays recognised for the agent who recognised them.
const VERIFIED_FOR_SECS: u64 = 15 * 60;
/// Failed caller checks per user per hour before the helpdesk stops asking.
const VERIFY_ATTEMPTS: u32 = 3;
const VERIFY_WINDOW_SECS: u64 = 3600;
/// The single-use security code for a lost device (flow D).
pub const SECURITY_CODE_SECS: u64 = 24 * 3600;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/helpdesk", get(home))
        .route("/helpdesk/login", post(login))
        .route("/helpdesk/logout", post(logout))
        .route("/helpdesk/users", get(find))
        .route("/helpdesk/users/{user}", get(user_page))
        .route("/helpdesk/users/{user}/verify", post(verify_caller))
        .route(
            "/helpdesk/users/{user}/security-code",
            post(send_security_code),
        )
        .route(
            "/helpdesk/users/{user}/devices/{device}/{action}",
            post(device_action),
        )
        .route(
            "/helpdesk/users/{user}/pending/{pending}/resend",
            post(resend_link),
        )
        .route("/helpdesk/audit", get(audit_page))
}

/// A request from a logged-in agent.
struct Agent {
    token_hash: [u8; 32],
    session: AgentSession,
}

impl Agent {
    fn from_headers(app: &AppState, headers: &HeaderMap) -> AppResult<Option<Agent>> {
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
    fn check(&self, csrf: &str) -> AppResult<()> {
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

    fn verified(&self, user_id: &str, now: u64) -> bool {
        matches!(&self.session.verified,
            Some((user, at)) if user == user_id && now < at + VERIFIED_FOR_SECS)
    }

    fn audit(
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

    fn bar(&self) -> String {
        format!(
            r#"<span>{} · <a class="bar-link" href="/helpdesk/audit">Audit log</a></span>
<form method="post" action="/helpdesk/logout" class="inline">{}<button class="quiet" type="submit">Log out</button></form>"#,
            escape(&self.session.agent_name),
            self.csrf_field()
        )
    }

    fn csrf_field(&self) -> String {
        format!(
            r#"<input type="hidden" name="csrf" value="{}">"#,
            escape(&self.session.csrf)
        )
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

fn login_page(notice: Option<&str>) -> Response {
    let notice = notice
        .map(|n| format!(r#"<p class="notice error" role="alert">{}</p>"#, escape(n)))
        .unwrap_or_default();
    let body = format!(
        r#"<section><h1>Agent login</h1>{notice}
<form method="post" action="/helpdesk/login">
<label for="agent-id">Agent ID</label><input type="text" id="agent-id" name="agent_id" autocomplete="username" required autofocus>
<label for="agent-password">Password</label><input type="password" id="agent-password" name="password" autocomplete="current-password" required>
<p><button type="submit" id="agent-login">Log in</button></p></form></section>"#
    );
    secured(page("Tessera Helpdesk", "", &body))
}

async fn home(State(app): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let Some(agent) = Agent::from_headers(&app, &headers)? else {
        return Ok(login_page(None));
    };
    let body = r#"<section><h1>Find a user</h1>
<form method="get" action="/helpdesk/users" role="search">
<label for="user-query">User ID, e-mail address or phone number</label>
<input type="search" id="user-query" name="q" required autofocus>
<p><button type="submit" id="user-find">Find</button></p></form></section>"#;
    Ok(secured(page("Tessera Helpdesk", &agent.bar(), body)))
}

#[derive(Deserialize)]
struct LoginForm {
    agent_id: String,
    password: String,
}

async fn login(State(app): State<AppState>, Form(form): Form<LoginForm>) -> AppResult<Response> {
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

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
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

async fn logout(
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

#[derive(Deserialize)]
struct FindQuery {
    q: String,
}

async fn find(
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

fn url_segment(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
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
struct UserQuery {
    done: Option<String>,
}

async fn user_page(
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

fn verification_blocked(app: &AppState, user_id: &str, now: u64) -> AppResult<bool> {
    let since = now.saturating_sub(VERIFY_WINDOW_SECS);
    Ok(app
        .store
        .audit_count(user_id, "caller_check_failed", since)?
        >= VERIFY_ATTEMPTS)
}

#[derive(Deserialize)]
struct AnswersForm {
    csrf: String,
    answer0: String,
    answer1: String,
    answer2: String,
}

fn back(user_id: &str, done: &str) -> Response {
    Redirect::to(&format!(
        "/helpdesk/users/{}?done={done}",
        url_segment(user_id)
    ))
    .into_response()
}

async fn verify_caller(
    State(app): State<AppState>,
    agent: Agent,
    Path(user_id): Path<String>,
    Form(form): Form<AnswersForm>,
) -> AppResult<Response> {
    agent.check(&form.csrf)?;
    let now = now();
    if verification_blocked(&app, &user_id, now)? {
        agent.audit(&app, "caller_check_blocked", Some(&user_id), None, "")?;
        return Ok(back(&user_id, "blocked"));
    }
    let stored = app.store.security_answers(&user_id)?;
    let given = [form.answer0, form.answer1, form.answer2];
    let all_match = blocking(move || {
        stored.len() == given.len()
            && stored
                .iter()
                .zip(&given)
                // Every answer is checked, right or wrong: the time says nothing.
                .fold(true, |ok, ((_, hash), answer)| {
                    secret_matches(&normalize_answer(answer), hash) & ok
                })
    })
    .await?;
    if !all_match {
        agent.audit(&app, "caller_check_failed", Some(&user_id), None, "")?;
        return Ok(back(&user_id, "not_verified"));
    }
    app.store
        .mark_caller_verified(&agent.token_hash, &user_id, now)?;
    agent.audit(&app, "caller_recognised", Some(&user_id), None, "")?;
    Ok(back(&user_id, "verified"))
}

/// A fresh 8-digit code, uniformly drawn.
fn security_code() -> String {
    let value = loop {
        let candidate = u32::from_be_bytes(random_bytes::<4>());
        // Reject the top partial range so every code is equally likely.
        if candidate < u32::MAX - u32::MAX % 100_000_000 {
            break candidate % 100_000_000;
        }
    };
    format!("{value:08}")
}

async fn send_security_code(
    State(app): State<AppState>,
    agent: Agent,
    Path(user_id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    agent.check(&form.csrf)?;
    let now = now();
    if !agent.verified(&user_id, now) {
        return Ok(back(&user_id, "verify_first"));
    }
    let (_, email) = app
        .store
        .contact(&user_id)?
        .ok_or_else(|| AppError::not_found("user"))?;
    let code = security_code();
    let hash = {
        let code = code.clone();
        blocking(move || hash_secret(&code)).await??
    };
    app.store
        .set_security_code(&user_id, &hash, now + SECURITY_CODE_SECS)?;
    app.outbox.send(
        Channel::Email,
        &email,
        &format!(
            "Tessera: your security code is {code}. Use it within 24 hours to activate Tessera on a new device \
             (\"I no longer have my device\"). Tessera staff will never ask you for it."
        ),
    )?;
    agent.audit(
        &app,
        "security_code_sent",
        Some(&user_id),
        None,
        "by e-mail",
    )?;
    Ok(back(&user_id, "code_sent"))
}

async fn device_action(
    State(app): State<AppState>,
    agent: Agent,
    Path((user_id, device_id, action)): Path<(String, String, String)>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    use DeviceStatus::*;
    agent.check(&form.csrf)?;
    let (from, to, needs_check, done): (&[DeviceStatus], _, _, _) = match action.as_str() {
        "suspend" => (&[Active], Suspended, false, "suspended"),
        "resume" => (&[Suspended], Active, true, "resumed"),
        "unlock" => (&[Locked], Active, true, "unlocked"),
        "revoke" => (&[Active, Suspended, Locked], Revoked, true, "revoked"),
        _ => return Err(AppError::not_found("action")),
    };
    if needs_check && !agent.verified(&user_id, now()) {
        return Ok(back(&user_id, "verify_first"));
    }
    if !app
        .store
        .set_device_status(&user_id, &device_id, from, to)?
    {
        return Ok(back(&user_id, "unchanged"));
    }
    agent.audit(
        &app,
        &format!("device_{done}"),
        Some(&user_id),
        Some(&device_id),
        "",
    )?;
    app.notify(crate::Change::User(user_id.clone()));
    Ok(back(&user_id, done))
}

#[derive(Deserialize)]
struct ResendForm {
    csrf: String,
    phone: String,
}

/// A plausible international phone number: `+`, then 8 to 15 digits, spaces allowed.
fn clean_phone(phone: &str) -> Option<String> {
    let phone = phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let shape = phone.starts_with('+')
        && phone[1..].chars().all(|c| c.is_ascii_digit() || c == ' ')
        && (8..=15).contains(&digits);
    shape.then(|| phone.to_owned())
}

/// The activation SMS never arrived: the agent corrects the number and sends a new link.
async fn resend_link(
    State(app): State<AppState>,
    agent: Agent,
    Path((user_id, pending_id)): Path<(String, String)>,
    Form(form): Form<ResendForm>,
) -> AppResult<Response> {
    agent.check(&form.csrf)?;
    let now = now();
    if !agent.verified(&user_id, now) {
        return Ok(back(&user_id, "verify_first"));
    }
    let Some(phone) = clean_phone(&form.phone) else {
        return Ok(back(&user_id, "bad_phone"));
    };
    let (token, token_hash) = random_token();
    let expires_at = now + crate::activation::LINK_VALID_SECS;
    if !app
        .store
        .renew_pending_link(&user_id, &pending_id, &phone, &token_hash, expires_at)?
    {
        return Err(AppError::not_found("pending activation"));
    }
    crate::activation::send_link(&app, &phone, &pending_id, &token)?;
    agent.audit(
        &app,
        "activation_link_resent",
        Some(&user_id),
        None,
        "phone number updated",
    )?;
    Ok(back(&user_id, "link_sent"))
}

async fn audit_page(State(app): State<AppState>, agent: Agent) -> AppResult<Response> {
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
    fn security_codes_have_eight_digits() {
        for _ in 0..1000 {
            let code = security_code();
            assert_eq!(code.len(), 8);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(url_segment("alice"), "alice");
        assert_eq!(url_segment("a/b?c"), "a%2Fb%3Fc");
    }

    #[test]
    fn phone_numbers_must_be_international() {
        assert_eq!(
            clean_phone(" +352 621 000 001 "),
            Some("+352 621 000 001".into())
        );
        assert_eq!(clean_phone("621 000 001"), None);
        assert_eq!(clean_phone("+352 <b>"), None);
        assert_eq!(clean_phone("+1"), None);
    }

    #[test]
    fn only_known_notices_are_shown() {
        assert!(notice("revoked").is_some());
        assert!(notice("<script>").is_none());
    }
}
