//! What the companion keeps in localStorage: the device record (not secret: the
//! private key is in IndexedDB, the session cookie is HttpOnly), a restore waiting for
//! its SMS link or a Scan's second mosaic, the language, and whether approvals share a coarse location.
use web_sys::Storage;

use crate::i18n::Lang;
use crate::lifecycle::{PendingActivation, ScanSecond};
use crate::state::Device;

/// The device id.
pub const DEVICE_ID: &str = "tessera.device_id";
/// The user id the device was activated for.
pub const USER_ID: &str = "tessera.user_id";
/// The device's name.
pub const DEVICE_NAME: &str = "tessera.device_name";
/// The certificate chain, as a JSON array.
pub const CERTIFICATES: &str = "tessera.certificates";
/// The chosen language code.
pub const LANG: &str = "tessera.lang";
/// The biometric credential's id (base64url), when biometrics are on.
pub const BIOMETRIC: &str = "tessera.biometric_credential";
/// A restore waiting for its SMS link, as JSON ([`PendingActivation`]).
pub const PENDING: &str = "tessera.pending_activation";
/// A Scan activation waiting for its second mosaic's answer, as JSON ([`ScanSecond`]).
pub const SCAN_SECOND: &str = "tessera.scan_second";
/// `on` if approvals carry a coarse location; anything else (or nothing) is off.
pub const GEOLOCATION: &str = "tessera.geolocation";

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok()?
}

fn set(key: &str, value: &str) {
    if let Some(storage) = local() {
        let _ = storage.set_item(key, value);
    }
}

/// The stored device, if this browser was activated.
pub fn load_device() -> Option<Device> {
    Some(Device {
        device_id: get(DEVICE_ID)?,
        user_id: get(USER_ID)?,
        name: get(DEVICE_NAME).unwrap_or_default(),
        certificates: tessera_ui::parse_json(&get(CERTIFICATES)?)?,
    })
}

/// Stores the device after activation.
pub fn save_device(device: &Device) {
    set(DEVICE_ID, &device.device_id);
    set(USER_ID, &device.user_id);
    set(DEVICE_NAME, &device.name);
    set(
        CERTIFICATES,
        &serde_json::to_string(&device.certificates).unwrap_or_default(),
    );
}

/// Forgets the device (its key is gone).
pub fn clear_device() {
    if let Some(storage) = local() {
        // The geolocation and biometrics settings belong to this device: a new one starts
        // with both off.
        for key in [
            DEVICE_ID,
            USER_ID,
            DEVICE_NAME,
            CERTIFICATES,
            GEOLOCATION,
            BIOMETRIC,
        ] {
            let _ = storage.remove_item(key);
        }
    }
}

/// The JSON value under `key`, if there is one and it reads as a `T`.
fn load_json<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    tessera_ui::parse_json(&get(key)?)
}

fn save_json<T: serde::Serialize>(key: &str, value: &T) {
    if let Ok(json) = serde_json::to_string(value) {
        set(key, &json);
    }
}

fn remove(key: &str) {
    if let Some(storage) = local() {
        let _ = storage.remove_item(key);
    }
}

/// The restore waiting for its SMS link, if any.
pub fn load_pending() -> Option<PendingActivation> {
    load_json(PENDING)
}

/// Remembers a restore waiting for its SMS link.
pub fn save_pending(pending: &PendingActivation) {
    save_json(PENDING, pending);
}

/// Forgets the restore waiting for its SMS link.
pub fn clear_pending() {
    remove(PENDING);
}

/// The Scan activation waiting for its second mosaic's answer, if any.
pub fn load_scan_second() -> Option<ScanSecond> {
    load_json(SCAN_SECOND)
}

/// Remembers the Scan activation waiting for its second mosaic's answer.
pub fn save_scan_second(second: &ScanSecond) {
    save_json(SCAN_SECOND, second);
}

/// Forgets the Scan activation waiting for its second mosaic's answer.
pub fn clear_scan_second() {
    remove(SCAN_SECOND);
}

/// The language: the one chosen before, else the browser's, else English.
pub fn load_lang() -> Lang {
    get(LANG)
        .or_else(Lang::browser_tag)
        .map(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

/// Remembers the chosen language.
pub fn save_lang(lang: Lang) {
    set(LANG, lang.tag());
}

/// Whether approvals carry a coarse location: off unless the user turned it on.
pub fn load_geolocation() -> bool {
    get(GEOLOCATION).as_deref() == Some("on")
}

/// Remembers the geolocation setting.
pub fn save_geolocation(on: bool) {
    set(GEOLOCATION, if on { "on" } else { "off" });
}

/// The biometric credential's id, if biometrics are on.
pub fn biometric_credential() -> Option<String> {
    get(BIOMETRIC)
}

/// Remembers the biometric credential's id.
pub fn save_biometric_credential(credential_id: &str) {
    set(BIOMETRIC, credential_id);
}

/// Forgets the biometric credential.
pub fn clear_biometric_credential() {
    remove(BIOMETRIC);
}
