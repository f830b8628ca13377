//! What an agent does for a recognised caller: check the security answers, send a
//! security code, change a device's status, resend an activation link.
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use serde::Deserialize;
use tessera_protocol::{DeviceStatus, normalize_answer};

use super::session::{Agent, CsrfForm, SECURITY_CODE_SECS, back, verification_blocked};
use crate::{
    clock::now,
    error::{AppError, AppResult},
    outbox::Channel,
    secrets::{blocking, hash_secret, random_bytes, random_token, secret_matches},
    state::AppState,
};

#[derive(Deserialize)]
pub(super) struct AnswersForm {
    csrf: String,
    answer0: String,
    answer1: String,
    answer2: String,
}

pub(super) async fn verify_caller(
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

pub(super) async fn send_security_code(
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

pub(super) async fn device_action(
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
    app.notify(crate::state::Change::User(user_id.clone()));
    Ok(back(&user_id, done))
}

#[derive(Deserialize)]
pub(super) struct ResendForm {
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
pub(super) async fn resend_link(
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
    fn phone_numbers_must_be_international() {
        assert_eq!(
            clean_phone(" +352 621 000 001 "),
            Some("+352 621 000 001".into())
        );
        assert_eq!(clean_phone("621 000 001"), None);
        assert_eq!(clean_phone("+352 <b>"), None);
        assert_eq!(clean_phone("+1"), None);
    }
}
