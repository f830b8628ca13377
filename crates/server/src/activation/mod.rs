//! Activation: a browser becomes one of the user's devices. The user proves who they are
//! with the password and a second credential (the activation code chosen when ordering,
//! the helpdesk's security code after a lost phone, or a backup file's restore secret
//! followed by a link sent by SMS), the browser proves it holds the new key, and the
//! server certifies that key. At most
//! [`MAX_DEVICES`](tessera_protocol::api::MAX_DEVICES) per user: beyond, the user names the
//! device the new one replaces.
use axum::{Router, extract::State, response::Response, routing::post};
use tessera_protocol::{
    Token,
    api::{ActivationRequest, Credential, activation_message},
    b64_decode, verify_es256, verifying_key_from_b64,
};

use crate::{
    activation::{
        code::{check_code, check_setup, hash_setup, no_such_user},
        finish::{NewDeviceParts, activation_confirm},
        restore::{backup_issue, start_restore},
    },
    auth::{device::clean_name, pin::check_new_pin},
    error::{AppError, AppResult, JsonBody},
    secrets::{blocking, hash_secret, random_id},
    state::AppState,
    store::Consumed,
};

mod code;
mod finish;
pub mod hardware;
mod restore;

pub use code::ACTIVATION_ATTEMPTS;
pub use finish::{LINK_VALID_SECS, send_link};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/activation", post(activation_create))
        .route("/v1/activation/confirm", post(activation_confirm))
        .route("/v1/device/backup", post(backup_issue))
        .merge(hardware::routes())
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
                hardware::unknown_user(&app, &request.user_id, challenge_id)
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
            return hardware::start_token(&app, &user, &request, &device_name, code).await;
        }
        Credential::Scan {
            challenge_id,
            response,
        } => {
            return hardware::start_scan(
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
    finish::finish(&app, &user, new, consumed).await
}
