//! Biometrics: bindings to the biometrics part of `browser.js`, and the calls that turn them on and off and
//! confirm an approval. The credential id is remembered here (localStorage, not secret);
//! the server holds the key and decides.
use js_sys::{Array, Uint8Array};
use tessera_protocol::{
    api::{BiometricAssertion, BiometricRegistration, BiometricsChallenge, BiometricsStart},
    b64_decode, b64_encode, sha256,
};
use wasm_bindgen::prelude::*;

use crate::errors::Failure;
use crate::{api, storage};

#[wasm_bindgen(module = "/src/browser.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = createCredential)]
    async fn js_create(
        challenge: Uint8Array,
        rp_id: &str,
        user_handle: Uint8Array,
        user_name: &str,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = getAssertion)]
    async fn js_get(
        challenge: Uint8Array,
        rp_id: &str,
        credential_id: Uint8Array,
    ) -> Result<JsValue, JsValue>;
}

/// The byte arrays a the biometrics part of `browser.js` call returned, base64url-encoded.
fn parts(value: JsValue) -> Vec<String> {
    Array::from(&value)
        .iter()
        .map(|part| b64_encode(&Uint8Array::new(&part).to_vec()))
        .collect()
}

fn bytes(b64: &str) -> Result<Uint8Array, Failure> {
    b64_decode(b64)
        .map(|b| Uint8Array::from(b.as_slice()))
        .ok_or(Failure::Network)
}

/// Whether this device approves with biometrics (as far as this browser knows).
pub fn enabled() -> bool {
    storage::biometric_credential().is_some()
}

/// Turns biometrics on: the server checks `pin` and gives a challenge, the platform
/// verifies the user and creates the credential, the server verifies and keeps it.
pub async fn enable(pin: String) -> Result<(), Failure> {
    let options: BiometricsChallenge = api::post(
        "/v1/device/biometrics/challenge",
        Some(&BiometricsStart { pin }),
    )
    .await?;
    let created = js_create(
        bytes(&options.challenge)?,
        &options.rp_id,
        bytes(&options.user_handle)?,
        &options.user_name,
    )
    .await
    .map_err(|_| Failure::Biometric)?;
    let [credential_id, client_data_json, attestation_object] =
        <[String; 3]>::try_from(parts(created)).map_err(|_| Failure::Biometric)?;
    let registration = BiometricRegistration {
        credential_id: credential_id.clone(),
        client_data_json,
        attestation_object,
    };
    api::post_empty("/v1/device/biometrics", Some(&registration)).await?;
    storage::save_biometric_credential(&credential_id);
    Ok(())
}

/// Turns biometrics off here and on the server (which deletes the credential).
pub async fn disable() -> Result<(), Failure> {
    api::post_empty::<()>("/v1/device/biometrics/disable", None).await?;
    storage::clear_biometric_credential();
    Ok(())
}

/// The platform's assertion confirming exactly `approval`: its challenge is the
/// approval's SHA-256.
pub async fn confirm(approval: &str) -> Result<BiometricAssertion, Failure> {
    let credential_id = storage::biometric_credential().ok_or(Failure::Biometric)?;
    let rp_id = web_sys::window()
        .and_then(|w| w.location().hostname().ok())
        .ok_or(Failure::Biometric)?;
    let challenge = Uint8Array::from(sha256(approval.as_bytes()).as_slice());
    let got = js_get(challenge, &rp_id, bytes(&credential_id)?)
        .await
        .map_err(|_| Failure::Biometric)?;
    let [
        credential_id,
        client_data_json,
        authenticator_data,
        signature,
    ] = <[String; 4]>::try_from(parts(got)).map_err(|_| Failure::Biometric)?;
    Ok(BiometricAssertion {
        credential_id,
        client_data_json,
        authenticator_data,
        signature,
    })
}
