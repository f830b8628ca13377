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
    Token,
    api::{
        Activated, ActivationConfirm, ActivationPending, ActivationRequest, BackupIssued,
        Credential, DeviceLimit, MAX_DEVICES, activation_message,
    },
    b64_decode, b64_encode,
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
    store::{Activation, Consumed, NewDevice, PendingActivation, UserRow},
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

/// Checks what the request says about the new device itself, before any secret is looked
/// at: a well-formed PIN, a name, a P-256 key and the proof of holding it.
fn check_device_part(request: &ActivationRequest) -> AppResult<String> {
    match pin_problem(&request.pin) {
        Some(PinProblem::Shape) => {
            return Err(AppError::bad_request(
                "invalid_pin",
                "the PIN must be exactly 6 digits",
            ));
        }
        Some(PinProblem::Trivial) => {
            return Err(AppError::bad_request(
                "weak_pin",
                "the PIN is too easy to guess (repeated or sequential digits)",
            ));
        }
        None => {}
    }
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

fn invalid_credentials() -> AppError {
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
    let Some(code_hash) = stored_code else {
        return Err(void);
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
    let user = app
        .store
        .user(&request.user_id)?
        .ok_or_else(invalid_credentials)?;
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
    };
    let pin = request.pin.clone();
    let pin_hash = blocking(move || hash_secret(&pin)).await??;
    let new = NewDeviceParts {
        device_id: random_id(),
        name: device_name,
        public_key: request.public_key,
        pin_hash,
        replace: request.replace_device_id,
    };
    finish(&app, &user, new, consumed).await
}

/// What a new device is made of, before the server certifies it.
struct NewDeviceParts {
    device_id: String,
    name: String,
    public_key: String,
    pin_hash: String,
    replace: Option<String>,
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
async fn finish(
    app: &AppState,
    user: &UserRow,
    new: NewDeviceParts,
    consumed: Consumed<'_>,
) -> AppResult<Response> {
    let (token, token_hash) = random_token();
    let now = now();
    let certificates =
        app.ca
            .issue_device_certificate(&user.id, &new.device_id, &new.public_key, now);
    let device = NewDevice {
        id: &new.device_id,
        user_id: &user.id,
        name: &new.name,
        public_key: &new.public_key,
        certificates: &certificates,
        pin_hash: &new.pin_hash,
        token_hash: &token_hash,
        now,
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
        Consumed::Backup(_) => "backup and SMS link",
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

/// Flow E: the password and the backup's restore secret are right; the device waits for
/// the link sent by SMS, which proves the user still holds their phone number.
async fn start_restore(
    app: &AppState,
    user: &UserRow,
    request: &ActivationRequest,
    device_name: &str,
    secret: &str,
) -> AppResult<Response> {
    let now = now();
    let since = now.saturating_sub(3600);
    if app.store.audit_count(&user.id, "restore_failed", since)? >= RESTORE_ATTEMPTS {
        return Err(AppError::client(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many failed restores in the last hour; try again later",
        ));
    }
    let Some(stored_secret) = user.restore_secret_hash.clone() else {
        return Err(backup_void());
    };
    let (password, stored_password) = (request.password.clone(), user.password_hash.clone());
    let password_ok = blocking(move || secret_matches(&password, &stored_password)).await?;
    // The secret has 256 bits: a digest comparison leaks nothing useful.
    let secret_ok = sha256(secret.trim().as_bytes()).as_slice() == stored_secret.as_slice();
    if !password_ok || !secret_ok {
        let actor = format!("user:{}", user.id);
        app.store
            .audit(now, &actor, "restore_failed", Some(&user.id), None, "")?;
        return Err(if password_ok {
            backup_void()
        } else {
            invalid_credentials()
        });
    }
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
        return device_limit(app, &user.id);
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
        expires_at: now + LINK_VALID_SECS,
    };
    app.store.insert_pending_activation(&pending, now)?;
    send_link(app, &user.phone, &pending.id, &link_token)?;
    let actor = format!("user:{}", user.id);
    app.store.audit(
        now,
        &actor,
        "restore_requested",
        Some(&user.id),
        Some(&pending.device_id),
        "",
    )?;
    let body = ActivationPending {
        activation_id: pending.id,
        phone_hint: phone_hint(&user.phone),
        expires_at: pending.expires_at,
    };
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
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
            "this link has expired; start the restore again",
        ));
    }
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
    };
    finish(&app, &user, new, Consumed::Backup(&pending.id)).await
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
