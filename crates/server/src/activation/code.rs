//! The new user's activation code (flow A) and the helpdesk's security code after a lost
//! device: both checked with the password, both void after too many wrong tries.
use axum::http::StatusCode;
use tessera_protocol::{
    PASSWORD_MIN_CHARS, SECURITY_ANSWERS, SECURITY_QUESTIONS, api::NewUserSetup, normalize_answer,
    password_problem,
};

use super::finish::{invalid_credentials, password_matches};
use crate::{
    clock::now,
    error::{AppError, AppResult},
    secrets::{blocking, hash_secret, secret_matches},
    state::AppState,
    store::{Consumed, HashedSetup, UserRow},
};

/// Wrong passwords or codes before the activation or security code is voided.
pub const ACTIVATION_ATTEMPTS: u32 = 5;

/// The answer for a user ID that does not exist, after the same Argon2 work a real check
/// costs: neither the answer nor its time tells who has Tessera.
pub(crate) async fn no_such_user(password: &str) -> AppError {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let password = password.to_owned();
    let _ = blocking(move || {
        let decoy = DECOY.get_or_init(|| hash_secret("no such user").unwrap_or_default());
        secret_matches(&password, decoy)
    })
    .await;
    invalid_credentials()
}

/// Checks the password and a code (both always, so timing tells nothing), counting
/// failures against the code, which dies after [`ACTIVATION_ATTEMPTS`]. `security` says
/// which code: the helpdesk's security code, or else the activation code. Returns what a
/// successful activation consumes.
pub(crate) async fn check_code(
    app: &AppState,
    user: &UserRow,
    password: &str,
    code: &str,
    security: bool,
) -> AppResult<Consumed<'static>> {
    let (stored_code, void) = if security {
        (
            app.store.security_code(&user.id, now())?,
            AppError::client(
                StatusCode::FORBIDDEN,
                "security_code_void",
                "there is no valid security code for this user; call the helpdesk for a new one",
            ),
        )
    } else {
        (
            user.activation_code_hash.clone(),
            AppError::client(
                StatusCode::FORBIDDEN,
                "activation_code_void",
                "there is no valid activation code for this user; ask the helpdesk for a new one",
            ),
        )
    };
    // Without the password nobody learns whether a code exists: it is checked first.
    let Some(code_hash) = stored_code else {
        return Err(if password_matches(user, password).await? {
            void
        } else {
            invalid_credentials()
        });
    };
    let (password, stored_password) = (password.to_owned(), user.password_hash.clone());
    let code = code.trim().to_owned();
    let (password_ok, code_ok) = blocking(move || {
        (
            secret_matches(&password, &stored_password),
            secret_matches(&code, &code_hash),
        )
    })
    .await?;
    if password_ok && code_ok {
        return Ok(if security {
            Consumed::SecurityCode
        } else {
            Consumed::ActivationCode
        });
    }
    let (failures, wrong_code) = if security {
        (
            app.store
                .record_security_code_failure(&user.id, ACTIVATION_ATTEMPTS)?,
            AppError::unauthorized("wrong_security_code", "the security code is not correct"),
        )
    } else {
        (
            app.store
                .record_activation_failure(&user.id, ACTIVATION_ATTEMPTS)?,
            AppError::unauthorized(
                "wrong_activation_code",
                "the activation code is not correct",
            ),
        )
    };
    let error = if password_ok {
        wrong_code
    } else {
        invalid_credentials()
    };
    Err(error.with_attempts_left(ACTIVATION_ATTEMPTS.saturating_sub(failures)))
}

/// Checks a new user's setup before any secret is looked at (flow A).
pub(crate) fn check_setup(setup: &NewUserSetup, user_id: &str) -> AppResult<()> {
    if !setup.terms_accepted {
        return Err(AppError::bad_request(
            "terms_not_accepted",
            "the terms and conditions must be accepted",
        ));
    }
    let mut questions: Vec<u8> = setup.security_answers.iter().map(|a| a.question).collect();
    questions.sort_unstable();
    questions.dedup();
    let answers_ok = setup.security_answers.len() == SECURITY_ANSWERS
        && questions.len() == SECURITY_ANSWERS
        && questions
            .iter()
            .all(|&q| usize::from(q) < SECURITY_QUESTIONS.len())
        && setup.security_answers.iter().all(|a| {
            let answer = normalize_answer(&a.answer);
            (2..=100).contains(&answer.chars().count())
        });
    if !answers_ok {
        return Err(AppError::bad_request(
            "security_answers_invalid",
            "answer three different security questions, each with at least 2 characters",
        ));
    }
    if let Some(problem) = password_problem(&setup.new_password, user_id) {
        let message = format!(
            "the new password needs {PASSWORD_MIN_CHARS} to 128 characters with letters, digits and other characters, and not the user ID"
        );
        return Err(AppError::bad_request(problem.code(), message));
    }
    Ok(())
}

/// Argon2id of the new password and of each normalised answer (on the blocking pool).
pub(crate) fn hash_setup(setup: &NewUserSetup) -> AppResult<HashedSetup> {
    Ok(HashedSetup {
        password_hash: hash_secret(&setup.new_password)?,
        answers: setup
            .security_answers
            .iter()
            .map(|a| Ok((a.question, hash_secret(&normalize_answer(&a.answer))?)))
            .collect::<AppResult<_>>()?,
    })
}
