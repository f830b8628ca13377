//! Biometrics on the companion: a WebAuthn platform credential per device, registered
//! after the PIN, then accepted instead of the PIN for approvals. The assertion's
//! challenge is SHA-256 of the approval JWS it confirms (docs/DECISIONS.md), so it says
//! "the user approved exactly this" and cannot serve for any other answer.
use crate::{
    auth::{
        device::{CallingDevice, active_device, usable},
        pin::{check_pin, count_failure},
    },
    biometrics::webauthn::{
        Assertion, Registration, RelyingParty, WebAuthnError, verify_assertion,
    },
    clock::now,
    error::{AppError, AppResult, JsonBody},
    secrets::random_bytes,
    state::AppState,
    store::DeviceRow,
};

pub mod webauthn;

use axum::{Json, Router, extract::State, http::HeaderMap, http::StatusCode, routing::post};
use tessera_protocol::{
    api::{BiometricAssertion, BiometricRegistration, BiometricsChallenge, BiometricsStart},
    b64_decode, b64_encode, sha256,
};

/// How long the user has to answer the platform's prompt at registration.
const CHALLENGE_TTL_SECS: u64 = 300;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/device/biometrics/challenge", post(challenge))
        .route("/v1/device/biometrics", post(register))
        .route("/v1/device/biometrics/disable", post(disable))
}

impl From<WebAuthnError> for AppError {
    fn from(error: WebAuthnError) -> Self {
        AppError::unauthorized(error.code(), error.to_string())
    }
}

/// The companion's relying party, from where the server is reached.
fn relying_party(app: &AppState) -> AppResult<RelyingParty> {
    RelyingParty::from_public_url(&app.config.public_url)
        .ok_or_else(|| AppError::Internal("the public URL has no host".into()))
}

/// The base64url fields of a browser's answer as bytes; one that is not base64url makes
/// the answer malformed.
fn decoded<const N: usize>(fields: [&str; N]) -> Result<[Vec<u8>; N], WebAuthnError> {
    let mut out: [Vec<u8>; N] = std::array::from_fn(|_| Vec::new());
    for (slot, field) in out.iter_mut().zip(fields) {
        *slot = b64_decode(field).ok_or(WebAuthnError::ClientData)?;
    }
    Ok(out)
}

/// `POST /v1/device/biometrics/challenge`: the PIN confirms that the user, not whoever
/// holds the unlocked phone, turns biometrics on; a wrong one counts towards the lock.
async fn challenge(
    State(app): State<AppState>,
    CallingDevice(device): CallingDevice,
    JsonBody(start): JsonBody<BiometricsStart>,
) -> AppResult<Json<BiometricsChallenge>> {
    let device = usable(device)?;
    let rp = relying_party(&app)?;
    check_pin(&app, &device, start.pin).await?;
    let now = now();
    app.store.record_pin_success(&device.id, now)?;
    let challenge = random_bytes::<32>();
    app.store
        .put_biometric_challenge(&device.id, &challenge, now + CHALLENGE_TTL_SECS)?;
    Ok(Json(BiometricsChallenge {
        challenge: b64_encode(&challenge),
        rp_id: rp.id,
        // Opaque to the platform: nothing personal in the handle it stores.
        user_handle: b64_encode(&sha256(device.id.as_bytes())),
        user_name: device.user_id,
    }))
}

/// `POST /v1/device/biometrics`: the new credential, verified against the challenge this
/// device was given (used up whatever the outcome).
async fn register(
    State(app): State<AppState>,
    CallingDevice(device): CallingDevice,
    JsonBody(answer): JsonBody<BiometricRegistration>,
) -> AppResult<StatusCode> {
    let device = usable(device)?;
    let rp = relying_party(&app)?;
    let now = now();
    let challenge = app
        .store
        .take_biometric_challenge(&device.id, now)?
        .ok_or_else(|| {
            AppError::client(
                StatusCode::CONFLICT,
                "biometrics_challenge_expired",
                "confirm with your PIN again",
            )
        })?;
    let [id, client_data, object] = decoded([
        &answer.credential_id,
        &answer.client_data_json,
        &answer.attestation_object,
    ])?;
    let registration = Registration {
        credential_id: &id,
        client_data_json: &client_data,
        attestation_object: &object,
    };
    let credential = webauthn::verify_registration(&registration, &challenge, &rp)?;
    app.store
        .set_biometric_credential(&device.id, &credential, now)?;
    audit(&app, &device, "biometrics_enabled")?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /v1/device/biometrics/disable`: the credential is deleted here, so even a
/// platform that kept it can no longer approve. No PIN: turning a method off only
/// leaves the PIN.
async fn disable(State(app): State<AppState>, headers: HeaderMap) -> AppResult<StatusCode> {
    let device = active_device(&app, &headers)?;
    if app.store.delete_biometric_credential(&device.id)? {
        audit(&app, &device, "biometrics_disabled")?;
    }
    Ok(StatusCode::NO_CONTENT)
}

fn audit(app: &AppState, device: &DeviceRow, what: &str) -> AppResult<()> {
    app.store.audit(
        now(),
        &format!("device:{}", device.id),
        what,
        Some(&device.user_id),
        Some(&device.id),
        "",
    )
}

/// Checks a biometric approval of `approval` by an active `device`. A refused assertion
/// counts towards the lock like a wrong PIN; a device without biometrics is told so
/// (nothing was tried, nothing counts).
pub(crate) fn check_assertion(
    app: &AppState,
    device: &DeviceRow,
    approval: &str,
    assertion: &BiometricAssertion,
) -> AppResult<()> {
    let rp = relying_party(app)?;
    let credential = app.store.biometric_credential(&device.id)?.ok_or_else(|| {
        AppError::client(
            StatusCode::CONFLICT,
            "biometrics_not_enabled",
            "biometrics are not turned on for this device; use the PIN",
        )
    })?;
    let checked = decoded([
        &assertion.credential_id,
        &assertion.client_data_json,
        &assertion.authenticator_data,
        &assertion.signature,
    ])
    .and_then(|[id, client_data, auth_data, signature]| {
        let decoded = Assertion {
            credential_id: &id,
            client_data_json: &client_data,
            authenticator_data: &auth_data,
            signature: &signature,
        };
        verify_assertion(&decoded, &credential, &sha256(approval.as_bytes()), &rp)
    });
    let next = match checked {
        Ok(next) => next,
        Err(refused) => return Err(count_failure(app, device, refused.into())),
    };
    if !app
        .store
        .advance_sign_count(&device.id, credential.sign_count, next)?
    {
        return Err(count_failure(
            app,
            device,
            WebAuthnError::CounterNotIncreased.into(),
        ));
    }
    Ok(())
}
