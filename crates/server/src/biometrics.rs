//! Biometrics on the companion: a WebAuthn platform credential per device, registered
//! after the PIN, then accepted instead of the PIN for approvals. The assertion's
//! challenge is SHA-256 of the approval JWS it confirms (docs/DECISIONS.md), so it says
//! "the user approved exactly this" and cannot serve for any other answer.
use axum::{Json, Router, extract::State, http::HeaderMap, http::StatusCode, routing::post};
use tessera_protocol::{
    api::{BiometricAssertion, BiometricRegistration, BiometricsChallenge, BiometricsStart},
    b64_decode, b64_encode, sha256,
};

use crate::{
    AppState,
    error::{AppError, AppResult, JsonBody},
    identity::{active_device, check_pin, count_failure},
    now,
    secrets::random_bytes,
    store::DeviceRow,
    webauthn::{Assertion, Registration, RelyingParty, WebAuthnError, verify_assertion},
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

fn bytes(text: &str) -> Result<Vec<u8>, WebAuthnError> {
    b64_decode(text).ok_or(WebAuthnError::ClientData)
}

/// `POST /v1/device/biometrics/challenge`: the PIN confirms that the user, not whoever
/// holds the unlocked phone, turns biometrics on; a wrong one counts towards the lock.
async fn challenge(
    State(app): State<AppState>,
    headers: HeaderMap,
    JsonBody(start): JsonBody<BiometricsStart>,
) -> AppResult<Json<BiometricsChallenge>> {
    let device = active_device(&app, &headers)?;
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
    headers: HeaderMap,
    JsonBody(answer): JsonBody<BiometricRegistration>,
) -> AppResult<StatusCode> {
    let device = active_device(&app, &headers)?;
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
    let registration = (|| {
        Ok::<_, WebAuthnError>((
            bytes(&answer.credential_id)?,
            bytes(&answer.client_data_json)?,
            bytes(&answer.attestation_object)?,
        ))
    })()?;
    let credential = crate::webauthn::verify_registration(
        &Registration {
            credential_id: &registration.0,
            client_data_json: &registration.1,
            attestation_object: &registration.2,
        },
        &challenge,
        &rp,
    )?;
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
    let checked = (|| {
        let parts = (
            bytes(&assertion.credential_id)?,
            bytes(&assertion.client_data_json)?,
            bytes(&assertion.authenticator_data)?,
            b64_decode(&assertion.signature).ok_or(WebAuthnError::SignatureMalformed)?,
        );
        let decoded = Assertion {
            credential_id: &parts.0,
            client_data_json: &parts.1,
            authenticator_data: &parts.2,
            signature: &parts.3,
        };
        verify_assertion(&decoded, &credential, &sha256(approval.as_bytes()), &rp)
    })();
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
