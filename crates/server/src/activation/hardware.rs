//! Activation with the hardware the user already has (FLOWS.md B and C), simulated with
//! standard OATH devices: the **Token** is HOTP (RFC 4226, 6 digits, a counter per button
//! press), the **Scan** is OCRA (RFC 6287, `OCRA-1:HOTP-SHA256-6:QN08`) over a challenge
//! shown as a QR "mosaic". A Token activation then waits for the SMS link; a Scan
//! activation for a second mosaic, derived from the new device's key, so the user's Scan
//! vouches for exactly that key. The demo's simulators of both devices are here too.
use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::post,
};
use tessera_oath::{Hotp, OcraInput, OcraSuite, hotp};
use tessera_protocol::{
    api::{ActivationRequest, ScanChallenge, ScanConfirm, ScanStart},
    sha256,
};

use crate::{
    activation::finish::{
        await_link, check_rate, finish_pending, invalid_credentials, password_matches,
        prepare_pending, record_failure,
    },
    clock::now,
    error::{AppError, AppResult, JsonBody},
    secrets::{random_bytes, random_id},
    state::AppState,
    store::{Store, UserRow},
};

/// How many presses of the Token's button the server looks ahead (RFC 4226 §7.4).
pub const TOKEN_LOOK_AHEAD: u64 = 10;
/// The Scan's suite: SHA-256, 6 digits, an 8-digit numeric question.
pub const SCAN_SUITE: &str = "OCRA-1:HOTP-SHA256-6:QN08";
/// How long a mosaic can be answered.
pub const CHALLENGE_SECS: u64 = 300;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/activation/scan", post(scan_start))
        .route("/v1/activation/scan/confirm", post(scan_confirm))
}

fn no_device(kind: &str) -> AppError {
    AppError::client(
        StatusCode::FORBIDDEN,
        if kind == "token" {
            "no_token"
        } else {
            "no_scan"
        },
        format!("no {kind} is registered for this user"),
    )
}

/// Flow B: the password and the Token's code are right; the device waits for the SMS link.
pub async fn start_token(
    app: &AppState,
    user: &UserRow,
    request: &ActivationRequest,
    device_name: &str,
    code: &str,
) -> AppResult<Response> {
    check_rate(app, &user.id, "token_failed")?;
    // The password first: without it nobody learns whether the user has a Token.
    let password_ok = password_matches(user, &request.password).await?;
    let Some(token) = app
        .store
        .hardware_device(&user.id)?
        .filter(|d| d.kind == "token")
    else {
        record_failure(app, &user.id, "token_failed")?;
        return Err(if password_ok {
            no_device("token")
        } else {
            invalid_credentials()
        });
    };
    let next = Hotp::new(&token.secret, 6)
        .and_then(|h| h.with_look_ahead(TOKEN_LOOK_AHEAD))
        .and_then(|h| h.verify(code.trim(), token.counter));
    let next = match (password_ok, next) {
        (true, Ok(next)) => next,
        (password_ok, _) => {
            record_failure(app, &user.id, "token_failed")?;
            return Err(if password_ok {
                AppError::unauthorized("wrong_token_code", "the Token's code is not correct")
            } else {
                invalid_credentials()
            });
        }
    };
    // Only one request can use a code: the counter moves once.
    if !app
        .store
        .advance_token_counter(&user.id, token.counter, next)?
    {
        return Err(AppError::unauthorized(
            "wrong_token_code",
            "this code was just used; press the Token's button for a new one",
        ));
    }
    match prepare_pending(app, user, request, device_name, "token").await? {
        Ok((pending, link)) => await_link(app, user, pending, &link),
        Err(limit) => Ok(limit),
    }
}

/// An 8-digit numeric OCRA question from random bytes.
fn random_question() -> String {
    let value = u64::from_be_bytes(random_bytes::<8>()) % 100_000_000;
    format!("{value:08}")
}

/// The second mosaic: 8 digits derived from the new device's key and the pending
/// activation, so answering it means "this key is mine".
pub fn confirm_question(public_key: &str, pending_id: &str) -> String {
    let mut input = b"tessera-scan-confirm\n".to_vec();
    input.extend_from_slice(public_key.as_bytes());
    input.push(b'\n');
    input.extend_from_slice(pending_id.as_bytes());
    let digest = sha256(&input);
    let value = u64::from_be_bytes(digest[..8].try_into().unwrap_or_default()) % 100_000_000;
    format!("{value:08}")
}

fn new_challenge(
    store: &Store,
    user_id: &str,
    question: String,
    pending_id: Option<&str>,
) -> AppResult<ScanChallenge> {
    let challenge = ScanChallenge {
        challenge_id: random_id(),
        challenge: question,
        expires_at: now() + CHALLENGE_SECS,
    };
    store.insert_scan_challenge(
        &challenge.challenge_id,
        user_id,
        &challenge.challenge,
        pending_id,
        challenge.expires_at,
    )?;
    Ok(challenge)
}

/// `POST /v1/activation/scan`: the first mosaic. A user without a Scan (or no user at
/// all) gets a challenge too, which no response will ever match: the answer does not say
/// who has a Scan.
async fn scan_start(
    State(app): State<AppState>,
    JsonBody(start): JsonBody<ScanStart>,
) -> AppResult<Json<ScanChallenge>> {
    let user_id = start.user_id.trim();
    // Anyone may ask, so what is stored stays small: a bounded ID, and only live
    // challenges (expired ones are dropped as new ones come).
    if !(1..=64).contains(&user_id.chars().count()) {
        return Err(AppError::bad_request(
            "invalid_user_id",
            "the user ID must have 1 to 64 characters",
        ));
    }
    app.store.drop_expired_scan_challenges(now())?;
    Ok(Json(new_challenge(
        &app.store,
        user_id,
        random_question(),
        None,
    )?))
}

/// Checks a Scan's `response` to the unused, unexpired challenge `challenge_id` of
/// `user_id` (and of the pending activation, for a second mosaic), and uses it up.
fn check_scan(
    app: &AppState,
    user_id: &str,
    challenge_id: &str,
    response: &str,
    pending_id: Option<&str>,
) -> AppResult<()> {
    check_rate(app, user_id, "scan_failed")?;
    let challenge = app
        .store
        .scan_challenge(challenge_id)?
        .filter(|c| c.user_id == user_id && c.pending_id.as_deref() == pending_id)
        .ok_or_else(|| AppError::not_found("challenge"))?;
    if now() >= challenge.expires_at {
        return Err(AppError::client(
            StatusCode::GONE,
            "challenge_expired",
            "this mosaic has expired; start again",
        ));
    }
    let scan = app
        .store
        .hardware_device(user_id)?
        .filter(|d| d.kind == "scan");
    let right = scan.is_some_and(|scan| {
        let suite = scan.suite.as_deref().unwrap_or(SCAN_SUITE);
        OcraSuite::parse(suite)
            .and_then(|s| {
                s.verify(
                    &scan.secret,
                    &OcraInput::new(&challenge.challenge),
                    response.trim(),
                )
            })
            .is_ok()
    });
    if !right {
        record_failure(app, user_id, "scan_failed")?;
        return Err(AppError::unauthorized(
            "wrong_scan_response",
            "the Scan's response is not correct",
        ));
    }
    if !app.store.use_scan_challenge(challenge_id)? {
        return Err(AppError::not_found("challenge"));
    }
    Ok(())
}

/// What a Scan activation for a user ID that does not exist answers: exactly what a real
/// user with a wrong response would get, rate limit included, so the Scan path does not
/// tell who exists.
pub fn unknown_user(app: &AppState, user_id: &str, challenge_id: &str) -> AppError {
    let issued = app
        .store
        .scan_challenge(challenge_id)
        .ok()
        .flatten()
        .is_some_and(|c| c.user_id == user_id && c.pending_id.is_none());
    if !issued {
        return AppError::not_found("challenge");
    }
    if let Err(limited) = check_rate(app, user_id, "scan_failed") {
        return limited;
    }
    if let Err(failed) = record_failure(app, user_id, "scan_failed") {
        return failed;
    }
    AppError::unauthorized("wrong_scan_response", "the Scan's response is not correct")
}

/// Flow C, step 5: the Scan answered the first mosaic (no password in this flow). The
/// device waits for the second mosaic, which the answer carries.
pub async fn start_scan(
    app: &AppState,
    user: &UserRow,
    request: &ActivationRequest,
    device_name: &str,
    challenge_id: &str,
    response: &str,
) -> AppResult<Response> {
    check_scan(app, &user.id, challenge_id, response, None)?;
    match prepare_pending(app, user, request, device_name, "scan").await? {
        Ok((pending, _)) => {
            let question = confirm_question(&pending.public_key, &pending.id);
            let second = new_challenge(&app.store, &user.id, question, Some(&pending.id))?;
            Ok((StatusCode::OK, Json(second)).into_response())
        }
        Err(limit) => Ok(limit),
    }
}

/// `POST /v1/activation/scan/confirm`: flow C, step 8; the device exists.
async fn scan_confirm(
    State(app): State<AppState>,
    JsonBody(confirm): JsonBody<ScanConfirm>,
) -> AppResult<Response> {
    let challenge = app
        .store
        .scan_challenge(&confirm.challenge_id)?
        .ok_or_else(|| AppError::not_found("challenge"))?;
    let pending_id = challenge
        .pending_id
        .ok_or_else(|| AppError::not_found("challenge"))?;
    let pending = app
        .store
        .pending_activation(&pending_id)?
        .ok_or_else(|| AppError::not_found("pending activation"))?;
    check_scan(
        &app,
        &pending.user_id,
        &confirm.challenge_id,
        &confirm.response,
        Some(&pending_id),
    )?;
    finish_pending(&app, pending).await
}

// --- the demo's devices and their simulators ---------------------------------------------

/// Gives a demo user a Token or a Scan with a fresh secret (kept if they have one).
pub fn seed_device(store: &Store, user_id: &str, kind: &str) -> AppResult<()> {
    let suite = (kind == "scan").then_some(SCAN_SUITE);
    store.add_hardware_device(user_id, kind, &random_bytes::<32>(), suite)
}

/// Plays the user's Token: the code of its next button press. The Token keeps its own
/// counter (in the settings), apart from the server's, as a real one does.
pub fn press_token(store: &Store, user_id: &str) -> AppResult<String> {
    let token = store
        .hardware_device(user_id)?
        .filter(|d| d.kind == "token")
        .ok_or_else(|| no_device("token"))?;
    let key = format!("token_presses:{user_id}");
    let presses: u64 = store
        .setting(&key)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let code = hotp(&token.secret, presses, 6).map_err(|e| AppError::Internal(e.to_string()))?;
    store.set_setting(&key, &(presses + 1).to_string())?;
    Ok(format!("{code:06}"))
}

/// Plays the user's Scan: its response to a mosaic's `challenge`.
pub fn read_mosaic(store: &Store, user_id: &str, challenge: &str) -> AppResult<String> {
    let scan = store
        .hardware_device(user_id)?
        .filter(|d| d.kind == "scan")
        .ok_or_else(|| no_device("scan"))?;
    let suite = scan.suite.as_deref().unwrap_or(SCAN_SUITE);
    OcraSuite::parse(suite)
        .and_then(|s| s.compute(&scan.secret, &OcraInput::new(challenge.trim())))
        .map_err(|e| AppError::bad_request("invalid_challenge", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_mosaic_depends_on_the_key_and_the_activation() {
        let a = confirm_question("key-a", "pending-1");
        assert_eq!(a.len(), 8);
        assert!(a.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(a, confirm_question("key-a", "pending-1"));
        assert_ne!(a, confirm_question("key-b", "pending-1"));
        assert_ne!(a, confirm_question("key-a", "pending-2"));
    }

    #[test]
    fn questions_are_eight_digits() {
        for _ in 0..100 {
            let q = random_question();
            assert_eq!(q.len(), 8);
            assert!(q.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
