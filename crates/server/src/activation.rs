//! Activation: a browser becomes one of the user's devices. The user proves who they are
//! with the password and a second credential (the activation code chosen when ordering,
//! or the helpdesk's security code after a lost phone), the browser proves it holds the
//! new key, and the server certifies that key. At most [`MAX_DEVICES`] per user: beyond,
//! the user names the device the new one replaces.
use axum::{
    Json, Router,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use tessera_protocol::{
    Token,
    api::{Activated, ActivationRequest, Credential, DeviceLimit, MAX_DEVICES, activation_message},
    b64_decode,
    pin::{PinProblem, pin_problem},
    verify_es256, verifying_key_from_b64,
};

use crate::{
    AppState, Change,
    error::{AppError, AppResult, JsonBody},
    identity::{DEVICE_COOKIE, clean_name},
    now,
    outbox::Channel,
    secrets::{blocking, hash_secret, random_id, random_token, secret_matches},
    store::{Activation, Consumed, NewDevice, UserRow},
};

/// Wrong passwords or codes before the activation or security code is voided.
pub const ACTIVATION_ATTEMPTS: u32 = 5;

pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/activation", post(activation_create))
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

/// Checks the password and the credential together (both always, so timing tells
/// nothing), counting failures against the credential, which dies after
/// [`ACTIVATION_ATTEMPTS`]. Returns what a successful activation consumes.
async fn check_credentials(
    app: &AppState,
    user: &UserRow,
    password: &str,
    credential: &Credential,
) -> AppResult<Consumed> {
    let (consumed, stored_code, void) = match credential {
        Credential::ActivationCode(_) => (
            Consumed::ActivationCode,
            user.activation_code_hash.clone(),
            AppError::client(
                StatusCode::FORBIDDEN,
                "activation_code_void",
                "there is no valid activation code for this user; ask the helpdesk for a new one",
            ),
        ),
        Credential::SecurityCode(_) => (
            Consumed::SecurityCode,
            app.store.security_code(&user.id, now())?,
            AppError::client(
                StatusCode::FORBIDDEN,
                "security_code_void",
                "there is no valid security code for this user; call the helpdesk for a new one",
            ),
        ),
    };
    let Some(code_hash) = stored_code else {
        return Err(void);
    };
    let code = match credential {
        Credential::ActivationCode(code) | Credential::SecurityCode(code) => code.trim().to_owned(),
    };
    let (password, stored_password) = (password.to_owned(), user.password_hash.clone());
    let (password_ok, code_ok) = blocking(move || {
        (
            secret_matches(&password, &stored_password),
            secret_matches(&code, &code_hash),
        )
    })
    .await?;
    if password_ok && code_ok {
        return Ok(consumed);
    }
    let failures = match consumed {
        Consumed::ActivationCode => app
            .store
            .record_activation_failure(&user.id, ACTIVATION_ATTEMPTS)?,
        Consumed::SecurityCode => app
            .store
            .record_security_code_failure(&user.id, ACTIVATION_ATTEMPTS)?,
    };
    let left = ACTIVATION_ATTEMPTS.saturating_sub(failures);
    let error = match (password_ok, consumed) {
        (false, _) => invalid_credentials(),
        (true, Consumed::ActivationCode) => AppError::unauthorized(
            "wrong_activation_code",
            "the activation code is not correct",
        ),
        (true, Consumed::SecurityCode) => {
            AppError::unauthorized("wrong_security_code", "the security code is not correct")
        }
    };
    Err(error.with_attempts_left(left))
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
    let consumed = check_credentials(&app, &user, &request.password, &request.credential).await?;

    let pin = request.pin.clone();
    let pin_hash = blocking(move || hash_secret(&pin)).await??;
    let device_id = random_id();
    let (token, token_hash) = random_token();
    let now = now();
    let certificates =
        app.ca
            .issue_device_certificate(&user.id, &device_id, &request.public_key, now);
    let new_device = NewDevice {
        id: &device_id,
        user_id: &user.id,
        name: &device_name,
        public_key: &request.public_key,
        certificates: &certificates,
        pin_hash: &pin_hash,
        token_hash: &token_hash,
        now,
    };
    let replace = request.replace_device_id.as_deref();
    match app
        .store
        .activate_device(&new_device, replace, consumed, MAX_DEVICES)?
    {
        Activation::Done => {}
        Activation::Limit => {
            let devices = app
                .store
                .devices_of(&user.id)?
                .into_iter()
                .filter(|d| d.status.counts_towards_limit())
                .collect();
            let limit = DeviceLimit {
                code: "device_limit".into(),
                message: format!("you have {MAX_DEVICES} devices already; choose one to replace"),
                devices,
            };
            return Ok((StatusCode::CONFLICT, Json(limit)).into_response());
        }
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
    };
    let actor = format!("device:{device_id}");
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
        Some(&device_id),
        via,
    )?;
    app.notify(Change::User(user.id.clone()));
    let notice = format!(
        "Tessera: the device \"{device_name}\" was activated for your account. Not you? Call the helpdesk."
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
        device_id,
        certificates,
    });
    Ok((StatusCode::CREATED, [(header::SET_COOKIE, cookie)], body).into_response())
}
