//! Activation: a browser becomes one of the user's devices. The user proves who they are
//! with the password and a second credential (the activation code chosen when ordering,
//! the helpdesk's security code after a lost phone, or a backup file's restore secret
//! followed by a link sent by SMS), the browser proves it holds the new key, and the
//! server certifies that key. At most [`MAX_DEVICES`] per user: beyond, the user names the
//! device the new one replaces.
use axum::{
    Json, Router,
    extract::State,
    http::HeaderMap,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use tessera_protocol::{
    PASSWORD_MIN_CHARS, SECURITY_ANSWERS, SECURITY_QUESTIONS, Token,
    api::{
        Activated, ActivationConfirm, ActivationPending, ActivationRequest, BackupIssued,
        Credential, DeviceLimit, MAX_DEVICES, NewUserSetup, activation_message,
    },
    b64_decode, b64_encode, normalize_answer, password_problem,
    pin::{PinProblem, pin_problem},
    sha256, verify_es256, verifying_key_from_b64,
};

use crate::{
    AppState, Change,
    error::{AppError, AppResult, JsonBody},
    identity::{DEVICE_COOKIE, clean_name, owning_device},
    now,
    outbox::Channel,
    secrets::{blocking, hash_secret, random_bytes, random_id, random_token, secret_matches},
    store::{Activation, Consumed, HashedSetup, NewDevice, PendingActivation, UserRow},
};

/// How long the SMS link of a restore works (the seed: 360 minutes).
pub const LINK_VALID_SECS: u64 = 360 * 60;
/// Failed restores per user per hour before the server stops trying.
const RESTORE_ATTEMPTS: u32 = 5;

/// Wrong passwords or codes before the activation or security code is voided.
pub const ACTIVATION_ATTEMPTS: u32 = 5;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/activation", post(activation_create))
        .route("/v1/activation/confirm", post(activation_confirm))
        .route("/v1/device/backup", post(backup_issue))
}

/// Refuses a new PIN that is not 6 digits or is trivial (`pin_problem`, shared with the
/// companion).
pub(crate) fn check_new_pin(pin: &str) -> AppResult<()> {
    match pin_problem(pin) {
        Some(PinProblem::Shape) => Err(AppError::bad_request(
            "invalid_pin",
            "the PIN must be exactly 6 digits",
        )),
        Some(PinProblem::Trivial) => Err(AppError::bad_request(
            "weak_pin",
            "the PIN is too easy to guess (repeated or sequential digits)",
        )),
        None => Ok(()),
    }
}

/// Checks what the request says about the new device itself, before any secret is looked
/// at: a well-formed PIN, a name, a P-256 key and the proof of holding it.
fn check_device_part(request: &ActivationRequest) -> AppResult<String> {
    check_new_pin(&request.pin)?;
    let device_name = clean_name(&request.device_name).ok_or_else(|| {
        AppError::bad_request(
            "invalid_device_name",
            "the device name must be 1 to 64 printable characters",
        )
    })?;
    let public_key = verifying_key_from_b64(&request.public_key).ok_or_else(|| {
        AppError::bad_request(
            "invalid_public_key",
            "the public key is not an uncompressed P-256 point",
        )
    })?;
    let proof = b64_decode(&request.proof).unwrap_or_default();
    verify_es256(
        &public_key,
        &activation_message(&request.user_id, &request.public_key),
        &proof,
        Token::Approval,
    )
    .map_err(|_| {
        AppError::bad_request(
            "invalid_proof",
            "the proof of possession of the key does not verify",
        )
    })?;
    Ok(device_name)
}

/// Whether `password` is the user's (Argon2id, on the blocking pool).
pub(crate) async fn password_matches(user: &UserRow, password: &str) -> AppResult<bool> {
    let (password, stored) = (password.to_owned(), user.password_hash.clone());
    blocking(move || secret_matches(&password, &stored)).await
}

/// The answer for a user ID that does not exist, after the same Argon2 work a real check
/// costs: neither the answer nor its time tells who has Tessera.
async fn no_such_user(password: &str) -> AppError {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let password = password.to_owned();
    let _ = blocking(move || {
        let decoy = DECOY.get_or_init(|| hash_secret("no such user").unwrap_or_default());
        secret_matches(&password, decoy)
    })
    .await;
    invalid_credentials()
}

pub(crate) fn invalid_credentials() -> AppError {
    AppError::unauthorized(
        "invalid_credentials",
        "the user ID or password is not correct",
    )
}

/// Checks the password and a code (both always, so timing tells nothing), counting
/// failures against the code, which dies after [`ACTIVATION_ATTEMPTS`]. `security` says
/// which code: the helpdesk's security code, or else the activation code. Returns what a
/// successful activation consumes.
async fn check_code(
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

async fn activation_create(
    State(app): State<AppState>,
    JsonBody(request): JsonBody<ActivationRequest>,
) -> AppResult<Response> {
    let device_name = check_device_part(&request)?;
    if let Some(setup) = &request.setup {
        check_setup(setup, &request.user_id)?;
    }
    let Some(user) = app.store.user(&request.user_id)? else {
        return Err(match &request.credential {
            Credential::Scan { challenge_id, .. } => {
                crate::hardware::unknown_user(&app, &request.user_id, challenge_id)
            }
            _ => no_such_user(&request.password).await,
        });
    };
    let consumed = match &request.credential {
        Credential::ActivationCode(code) => {
            check_code(&app, &user, &request.password, code, false).await?
        }
        Credential::SecurityCode(code) => {
            check_code(&app, &user, &request.password, code, true).await?
        }
        Credential::Backup(secret) => {
            return start_restore(&app, &user, &request, &device_name, secret).await;
        }
        Credential::Token(code) => {
            return crate::hardware::start_token(&app, &user, &request, &device_name, code).await;
        }
        Credential::Scan {
            challenge_id,
            response,
        } => {
            return crate::hardware::start_scan(
                &app,
                &user,
                &request,
                &device_name,
                challenge_id,
                response,
            )
            .await;
        }
    };
    let pin = request.pin.clone();
    let pin_hash = blocking(move || hash_secret(&pin)).await??;
    let setup = match request.setup {
        // Only a new user (an activation code) sets up; other paths keep what exists.
        Some(setup) if matches!(consumed, Consumed::ActivationCode) => {
            Some(blocking(move || hash_setup(&setup)).await??)
        }
        Some(_) => {
            return Err(AppError::bad_request(
                "setup_unexpected",
                "only a new user's first activation sets up a password and security questions",
            ));
        }
        None => None,
    };
    let new = NewDeviceParts {
        device_id: random_id(),
        name: device_name,
        public_key: request.public_key,
        pin_hash,
        replace: request.replace_device_id,
        setup,
    };
    finish(&app, &user, new, consumed).await
}

/// Checks a new user's setup before any secret is looked at (flow A).
fn check_setup(setup: &NewUserSetup, user_id: &str) -> AppResult<()> {
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
fn hash_setup(setup: &NewUserSetup) -> AppResult<HashedSetup> {
    Ok(HashedSetup {
        password_hash: hash_secret(&setup.new_password)?,
        answers: setup
            .security_answers
            .iter()
            .map(|a| Ok((a.question, hash_secret(&normalize_answer(&a.answer))?)))
            .collect::<AppResult<_>>()?,
    })
}

/// What a new device is made of, before the server certifies it.
pub(crate) struct NewDeviceParts {
    pub device_id: String,
    pub name: String,
    pub public_key: String,
    pub pin_hash: String,
    pub replace: Option<String>,
    pub setup: Option<HashedSetup>,
}

/// The `409` that lists the devices to choose from.
fn device_limit(app: &AppState, user_id: &str) -> AppResult<Response> {
    let devices = app
        .store
        .devices_of(user_id)?
        .into_iter()
        .filter(|d| d.status.counts_towards_limit())
        .collect();
    let limit = DeviceLimit {
        code: "device_limit".into(),
        message: format!("you have {MAX_DEVICES} devices already; choose one to replace"),
        devices,
    };
    Ok((StatusCode::CONFLICT, Json(limit)).into_response())
}

/// Certifies and stores the device (replacing one if asked), consumes the credential,
/// tells the user by SMS and gives this browser its device cookie.
pub(crate) async fn finish(
    app: &AppState,
    user: &UserRow,
    new: NewDeviceParts,
    consumed: Consumed<'_>,
) -> AppResult<Response> {
    let (token, token_hash) = random_token();
    let now = now();
    let certificates = app.ca.issue_device_certificate(
        &app.store,
        &user.id,
        &new.device_id,
        &new.public_key,
        now,
    )?;
    let device = NewDevice {
        id: &new.device_id,
        user_id: &user.id,
        name: &new.name,
        public_key: &new.public_key,
        certificates: &certificates,
        pin_hash: &new.pin_hash,
        token_hash: &token_hash,
        now,
        setup: new.setup.as_ref(),
    };
    let replace = new.replace.as_deref();
    match app
        .store
        .activate_device(&device, replace, consumed, MAX_DEVICES)?
    {
        Activation::Done => {}
        Activation::Limit => return device_limit(app, &user.id),
        Activation::NoSuchReplacement => {
            return Err(AppError::bad_request(
                "invalid_replacement",
                "the device to replace is not one of your devices",
            ));
        }
    }
    let via = match consumed {
        Consumed::ActivationCode => "activation code",
        Consumed::SecurityCode => "helpdesk security code",
        Consumed::Pending { backup: true, .. } => "backup and SMS link",
        Consumed::Pending { backup: false, .. } => "hardware Token or Scan",
    };
    let actor = format!("device:{}", new.device_id);
    if let Some(replaced) = replace {
        app.store.audit(
            now,
            &actor,
            "device_replaced",
            Some(&user.id),
            Some(replaced),
            "",
        )?;
    }
    app.store.audit(
        now,
        &actor,
        "device_activated",
        Some(&user.id),
        Some(&new.device_id),
        via,
    )?;
    app.notify(Change::User(user.id.clone()));
    let notice = format!(
        "Tessera: the device \"{}\" was activated for your account. Not you? Call the helpdesk.",
        new.name
    );
    app.outbox.send(Channel::Sms, &user.phone, &notice)?;
    let secure = if app.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{DEVICE_COOKIE}={token}; Path=/v1/device; HttpOnly; SameSite=Strict; Max-Age=63072000{secure}"
    );
    let cookie = HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.to_string()))?;
    let body = Json(Activated {
        device_id: new.device_id,
        certificates,
    });
    Ok((StatusCode::CREATED, [(header::SET_COOKIE, cookie)], body).into_response())
}

/// `+352 621 000 001` → `+352 ••• ••• 001`: enough for the user to recognise the number,
/// not enough for anyone else to learn it.
fn phone_hint(phone: &str) -> String {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    phone
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            let country_code = seen <= 3 && phone.starts_with('+');
            if country_code || seen > digits.saturating_sub(3) {
                c
            } else {
                '•'
            }
        })
        .collect()
}

fn backup_void() -> AppError {
    AppError::client(
        StatusCode::FORBIDDEN,
        "backup_void",
        "this backup is no longer valid: a newer backup or a restore replaced it",
    )
}

/// Refuses when `user_id` failed `action` too often in the last hour: the limits count
/// what the audit log already records.
pub(crate) fn check_rate(app: &AppState, user_id: &str, action: &str) -> AppResult<()> {
    let since = now().saturating_sub(3600);
    if app.store.audit_count(user_id, action, since)? >= RESTORE_ATTEMPTS {
        return Err(AppError::client(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many failed attempts in the last hour; try again later",
        ));
    }
    Ok(())
}

/// Records a failed `action` for the rate limit and the audit log.
pub(crate) fn record_failure(app: &AppState, user_id: &str, action: &str) -> AppResult<()> {
    app.store.audit(
        now(),
        &format!("user:{user_id}"),
        action,
        Some(user_id),
        None,
        "",
    )
}

/// A device that waits (for its SMS link or its second mosaic) before it exists: the
/// replacement is checked now, so the user chooses before the wait; the PIN is hashed now,
/// so it is never kept in clear. `Err` carries the `409 device_limit` answer.
pub(crate) async fn prepare_pending(
    app: &AppState,
    user: &UserRow,
    request: &ActivationRequest,
    device_name: &str,
    via: &str,
) -> AppResult<Result<(PendingActivation, String), Response>> {
    let replace = request.replace_device_id.clone();
    if let Some(replaced) = &replace {
        let theirs = app
            .store
            .devices_of(&user.id)?
            .iter()
            .any(|d| &d.id == replaced && d.status.counts_towards_limit());
        if !theirs {
            return Err(AppError::bad_request(
                "invalid_replacement",
                "the device to replace is not one of your devices",
            ));
        }
    } else if app.store.counted_devices(&user.id)? >= MAX_DEVICES {
        return Ok(Err(device_limit(app, &user.id)?));
    }
    let pin = request.pin.clone();
    let pin_hash = blocking(move || hash_secret(&pin)).await??;
    let (link_token, link_hash) = random_token();
    let pending = PendingActivation {
        id: random_id(),
        token_hash: link_hash.to_vec(),
        user_id: user.id.clone(),
        device_id: random_id(),
        name: device_name.to_owned(),
        public_key: request.public_key.clone(),
        pin_hash,
        replace_device_id: replace,
        expires_at: now() + LINK_VALID_SECS,
        via: via.to_owned(),
    };
    app.store.insert_pending_activation(&pending, now())?;
    Ok(Ok((pending, link_token)))
}

/// Sends the SMS link of a pending activation and answers `202 ActivationPending`.
pub(crate) fn await_link(
    app: &AppState,
    user: &UserRow,
    pending: PendingActivation,
    link_token: &str,
) -> AppResult<Response> {
    send_link(app, &user.phone, &pending.id, link_token)?;
    app.store.audit(
        now(),
        &format!("user:{}", user.id),
        "activation_link_sent",
        Some(&user.id),
        Some(&pending.device_id),
        &pending.via,
    )?;
    let body = ActivationPending {
        activation_id: pending.id,
        phone_hint: phone_hint(&user.phone),
        expires_at: pending.expires_at,
    };
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

/// Flow E: the password and the backup's restore secret are right; the device waits for
/// the link sent by SMS, which proves the user still holds their phone number.
async fn start_restore(
    app: &AppState,
    user: &UserRow,
    request: &ActivationRequest,
    device_name: &str,
    secret: &str,
) -> AppResult<Response> {
    check_rate(app, &user.id, "restore_failed")?;
    // The password first: without it nobody learns whether the user has a backup.
    let password_ok = password_matches(user, &request.password).await?;
    // The secret has 256 bits: a digest comparison leaks nothing useful.
    let secret_ok = user
        .restore_secret_hash
        .as_deref()
        .is_some_and(|stored| sha256(secret.trim().as_bytes()).as_slice() == stored);
    if !password_ok || !secret_ok {
        record_failure(app, &user.id, "restore_failed")?;
        return Err(if password_ok {
            backup_void()
        } else {
            invalid_credentials()
        });
    }
    match prepare_pending(app, user, request, device_name, "backup").await? {
        Ok((pending, token)) => await_link(app, user, pending, &token),
        Err(limit) => Ok(limit),
    }
}

/// Sends the link that finishes a pending activation, by SMS: holding the phone number
/// is the last factor.
pub fn send_link(app: &AppState, phone: &str, pending_id: &str, token: &str) -> AppResult<()> {
    let link = format!(
        "{}/companion/#/confirm/{pending_id}/{token}",
        app.config.public_url
    );
    app.outbox.send(
        Channel::Sms,
        phone,
        &format!(
            "Tessera: open this link on your new phone within 6 hours to finish activating Tessera. Do not share it: {link}"
        ),
    )
}

/// `POST /v1/activation/confirm`: the link from the SMS was opened; the device exists.
async fn activation_confirm(
    State(app): State<AppState>,
    JsonBody(confirm): JsonBody<ActivationConfirm>,
) -> AppResult<Response> {
    let pending = app
        .store
        .pending_activation(&confirm.activation_id)?
        .filter(|p| sha256(confirm.token.as_bytes()).as_slice() == p.token_hash.as_slice())
        .ok_or_else(|| AppError::not_found("pending activation"))?;
    if now() >= pending.expires_at {
        return Err(AppError::client(
            StatusCode::GONE,
            "activation_link_expired",
            "this link has expired; start the activation again",
        ));
    }
    if pending.via == "scan" {
        // A Scan activation is finished by its second mosaic, never by a link.
        return Err(AppError::not_found("pending activation"));
    }
    finish_pending(&app, pending).await
}

/// Makes the device a pending activation waited for (its link was opened, or its second
/// mosaic answered), using up the pending activation, and the backup for a restore.
pub(crate) async fn finish_pending(
    app: &AppState,
    pending: PendingActivation,
) -> AppResult<Response> {
    let user = app
        .store
        .user(&pending.user_id)?
        .ok_or_else(|| AppError::not_found("user"))?;
    let new = NewDeviceParts {
        device_id: pending.device_id,
        name: pending.name,
        public_key: pending.public_key,
        pin_hash: pending.pin_hash,
        replace: pending.replace_device_id,
        setup: None,
    };
    let consumed = Consumed::Pending {
        id: &pending.id,
        backup: pending.via == "backup",
    };
    finish(app, &user, new, consumed).await
}

/// `POST /v1/device/backup`: a new restore secret for the backup file the companion is
/// about to write; the previous backup stops working.
async fn backup_issue(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Json<BackupIssued>> {
    let device = owning_device(&app, &headers)?;
    let secret = b64_encode(&random_bytes::<32>());
    app.store
        .set_restore_secret(&device.user_id, &sha256(secret.as_bytes()))?;
    let now = now();
    app.store.audit(
        now,
        &format!("device:{}", device.id),
        "backup_made",
        Some(&device.user_id),
        Some(&device.id),
        "",
    )?;
    Ok(Json(BackupIssued {
        user_id: device.user_id,
        restore_secret: secret,
        created_at: now,
    }))
}

#[cfg(test)]
mod tests {
    use super::phone_hint;

    #[test]
    fn phone_hints_keep_the_country_code_and_the_last_three_digits() {
        assert_eq!(phone_hint("+352 621 000 001"), "+352 ••• ••• 001");
        assert_eq!(phone_hint("0621000001"), "•••••••001");
    }
}
