//! Notifications while the companion is closed (Web Push, issue 16), and the installable
//! app: bindings to that part of `browser.js`, the server calls, and what to tell the user
//! in each case, with its texts (kept here, not in `i18n`, so the feature is one module).
use serde::Deserialize;
use tessera_protocol::push::{PushKeys, PushSettings, PushSubscribe};
use wasm_bindgen::prelude::*;

use crate::api;
use crate::errors::Failure;
use crate::i18n::Lang;

#[wasm_bindgen(module = "/src/browser.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = registerServiceWorker)]
    async fn js_register() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = canInstall)]
    fn js_can_install() -> bool;
    #[wasm_bindgen(catch, js_name = install)]
    async fn js_install() -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = pushPermission)]
    fn js_permission() -> String;
    #[wasm_bindgen(catch, js_name = pushSubscribe)]
    async fn js_subscribe(vapid_key: &str, timeout_ms: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = pushUnsubscribe)]
    async fn js_unsubscribe() -> Result<JsValue, JsValue>;
}

/// How long the browser may take to subscribe: without its push service (offline, a
/// Chromium without Google's), `subscribe()` may never settle.
const SUBSCRIBE_TIMEOUT_MS: u32 = 20_000;

/// Where this device stands with notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushStatus {
    /// No service worker or no Push API (iOS Safari outside the Home Screen, old browsers).
    Unsupported,
    /// Possible, not on.
    Off,
    /// The server holds a subscription and the browser allows notifications.
    On,
    /// The user (or the browser) refused notifications for this site.
    Denied,
    /// The browser did not subscribe in time, or the server refused the subscription.
    Failed,
}

impl PushStatus {
    /// The name pages and tests read (`data-state`); not Debug, which the release build
    /// compiles to nothing (scripts/env.sh).
    pub fn name(self) -> &'static str {
        match self {
            PushStatus::Unsupported => "unsupported",
            PushStatus::Off => "off",
            PushStatus::On => "on",
            PushStatus::Denied => "denied",
            PushStatus::Failed => "failed",
        }
    }
}

/// The status from the browser's permission and whether the server has a subscription.
/// A subscription the browser no longer allows is off: pushes would not be shown.
pub fn status(permission: &str, subscribed: bool) -> PushStatus {
    match permission {
        "granted" if subscribed => PushStatus::On,
        "granted" | "default" => PushStatus::Off,
        "denied" => PushStatus::Denied,
        _ => PushStatus::Unsupported,
    }
}

/// What a failed `pushSubscribe` means.
pub fn subscribe_error(message: &str) -> PushStatus {
    match message {
        "unsupported" => PushStatus::Unsupported,
        "denied" => PushStatus::Denied,
        _ => PushStatus::Failed,
    }
}

/// The texts of this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum P {
    Title,
    Explain,
    TurnOn,
    TurnOff,
    On,
    Denied,
    Unsupported,
    Failed,
    Install,
    InstallText,
    Offline,
}

/// The text for `key` in `lang`: `[en, fr, de, nl]`.
pub fn text(lang: Lang, key: P) -> &'static str {
    let all: [&str; 4] = match key {
        P::Title => [
            "Notifications",
            "Notifications",
            "Benachrichtigungen",
            "Meldingen",
        ],
        P::Explain => [
            "Get a notification when a request arrives, even when Tessera is closed.",
            "Recevez une notification quand une demande arrive, même quand Tessera est fermé.",
            "Erhalten Sie eine Benachrichtigung, wenn eine Anfrage eintrifft, auch wenn Tessera geschlossen ist.",
            "Krijg een melding wanneer er een verzoek binnenkomt, ook als Tessera gesloten is.",
        ],
        P::TurnOn => [
            "Turn on notifications",
            "Activer les notifications",
            "Benachrichtigungen einschalten",
            "Meldingen inschakelen",
        ],
        P::TurnOff => [
            "Turn off notifications",
            "Désactiver les notifications",
            "Benachrichtigungen ausschalten",
            "Meldingen uitschakelen",
        ],
        P::On => [
            "Notifications are on: requests reach this phone even when Tessera is closed.",
            "Les notifications sont activées : les demandes arrivent sur ce téléphone même quand Tessera est fermé.",
            "Benachrichtigungen sind eingeschaltet: Anfragen erreichen dieses Telefon auch, wenn Tessera geschlossen ist.",
            "Meldingen staan aan: verzoeken bereiken deze telefoon ook als Tessera gesloten is.",
        ],
        P::Denied => [
            "Notifications are blocked for Tessera in this browser; you can allow them in its site settings. Until then, keep Tessera open to receive requests, or scan the QR code on the partner's page.",
            "Les notifications sont bloquées pour Tessera dans ce navigateur ; vous pouvez les autoriser dans ses paramètres du site. D'ici là, gardez Tessera ouvert pour recevoir les demandes, ou scannez le code QR sur la page du partenaire.",
            "Benachrichtigungen sind für Tessera in diesem Browser blockiert; Sie können sie in den Website-Einstellungen erlauben. Bis dahin halten Sie Tessera geöffnet, um Anfragen zu erhalten, oder scannen Sie den QR-Code auf der Seite des Partners.",
            "Meldingen zijn voor Tessera geblokkeerd in deze browser; u kunt ze toestaan in de site-instellingen. Houd Tessera tot dan open om verzoeken te ontvangen, of scan de QR-code op de pagina van de partner.",
        ],
        P::Unsupported => [
            "This browser cannot notify you while Tessera is closed. On an iPhone or iPad, first add Tessera to the Home Screen (Share, then Add to Home Screen) and open it from there. Until then, keep Tessera open to receive requests, or scan the QR code on the partner's page.",
            "Ce navigateur ne peut pas vous avertir quand Tessera est fermé. Sur iPhone ou iPad, ajoutez d'abord Tessera à l'écran d'accueil (Partager, puis Sur l'écran d'accueil) et ouvrez-le depuis là. D'ici là, gardez Tessera ouvert pour recevoir les demandes, ou scannez le code QR sur la page du partenaire.",
            "Dieser Browser kann Sie nicht benachrichtigen, wenn Tessera geschlossen ist. Auf iPhone oder iPad fügen Sie Tessera zuerst zum Home-Bildschirm hinzu (Teilen, dann Zum Home-Bildschirm) und öffnen es von dort. Bis dahin halten Sie Tessera geöffnet, um Anfragen zu erhalten, oder scannen Sie den QR-Code auf der Seite des Partners.",
            "Deze browser kan u geen melding geven als Tessera gesloten is. Zet Tessera op een iPhone of iPad eerst op het beginscherm (Deel, dan Zet op beginscherm) en open het van daaruit. Houd Tessera tot dan open om verzoeken te ontvangen, of scan de QR-code op de pagina van de partner.",
        ],
        P::Failed => [
            "Notifications could not be turned on: the browser's push service did not answer. Try again later; meanwhile keep Tessera open to receive requests, or scan the QR code on the partner's page.",
            "Les notifications n'ont pas pu être activées : le service push du navigateur n'a pas répondu. Réessayez plus tard ; en attendant, gardez Tessera ouvert pour recevoir les demandes, ou scannez le code QR sur la page du partenaire.",
            "Benachrichtigungen konnten nicht eingeschaltet werden: Der Push-Dienst des Browsers hat nicht geantwortet. Versuchen Sie es später erneut; bis dahin halten Sie Tessera geöffnet, um Anfragen zu erhalten, oder scannen Sie den QR-Code auf der Seite des Partners.",
            "Meldingen konden niet worden ingeschakeld: de pushdienst van de browser antwoordde niet. Probeer het later opnieuw; houd Tessera intussen open om verzoeken te ontvangen, of scan de QR-code op de pagina van de partner.",
        ],
        P::Install => [
            "Install the app",
            "Installer l'application",
            "App installieren",
            "App installeren",
        ],
        P::InstallText => [
            "Install Tessera on this phone: it opens like an app, also without a connection.",
            "Installez Tessera sur ce téléphone : il s'ouvre comme une application, même sans connexion.",
            "Installieren Sie Tessera auf diesem Telefon: Es öffnet sich wie eine App, auch ohne Verbindung.",
            "Installeer Tessera op deze telefoon: het opent als een app, ook zonder verbinding.",
        ],
        P::Offline => [
            "You are offline. Tessera shows what this phone holds; requests reach it again once it is back online.",
            "Vous êtes hors ligne. Tessera affiche ce que ce téléphone contient ; les demandes lui parviendront de nouveau une fois la connexion rétablie.",
            "Sie sind offline. Tessera zeigt, was auf diesem Telefon gespeichert ist; Anfragen erreichen es wieder, sobald es online ist.",
            "U bent offline. Tessera toont wat op deze telefoon staat; verzoeken komen weer binnen zodra hij weer online is.",
        ],
    };
    all[lang as usize]
}

/// The session a tapped notification names: `#open=<id>` (`sw.js` builds the link). Only
/// ids of the server's shape; anything else is no link.
pub fn parse_open_hash(hash: &str) -> Option<String> {
    let id = hash.strip_prefix("#open=")?;
    let ok = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| id.to_string())
}

/// Registers the service worker (app shell offline, pushes); nothing where unsupported.
pub async fn register_service_worker() {
    let _ = js_register().await;
}

/// Whether the browser offers to install the app now.
pub fn can_install() -> bool {
    js_can_install()
}

/// Shows the browser's install dialog; whether the app was installed.
pub async fn install() -> bool {
    js_install().await.ok().and_then(|v| v.as_bool()) == Some(true)
}

/// The status as the browser and the server see it; `None` if the server is unreachable.
pub async fn current() -> Option<(PushStatus, PushSettings)> {
    let permission = js_permission();
    if permission == "unsupported" {
        return Some((
            PushStatus::Unsupported,
            PushSettings {
                vapid_key: String::new(),
                subscribed: false,
            },
        ));
    }
    let settings: PushSettings = api::get("/v1/device/push").await.ok()?;
    Some((status(&permission, settings.subscribed), settings))
}

/// What the browser's `PushSubscription.toJSON()` gives (other fields ignored).
#[derive(Deserialize)]
struct BrowserSubscription {
    endpoint: String,
    keys: PushKeys,
}

/// Asks the permission, subscribes and registers the subscription with the server. Call
/// from a click.
pub async fn turn_on(vapid_key: &str, lang: Lang) -> PushStatus {
    let json = match js_subscribe(vapid_key, SUBSCRIBE_TIMEOUT_MS).await {
        Ok(json) => json.as_string().unwrap_or_default(),
        Err(error) => {
            let message = js_sys::Error::from(error).message();
            return subscribe_error(&String::from(message));
        }
    };
    let Some(browser) = tessera_ui::parse_json::<BrowserSubscription>(&json) else {
        return PushStatus::Failed;
    };
    let body = PushSubscribe {
        endpoint: browser.endpoint,
        keys: browser.keys,
        lang: lang.tag().into(),
    };
    match api::post_empty("/v1/device/push", Some(&body)).await {
        Ok(()) => PushStatus::On,
        Err(_) => PushStatus::Failed,
    }
}

/// Removes the subscription on the server and in the browser.
pub async fn turn_off() -> Result<(), Failure> {
    api::post_empty::<()>("/v1/device/push/off", None).await?;
    let _ = js_unsubscribe().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_permission_and_subscription() {
        assert_eq!(status("granted", true), PushStatus::On);
        assert_eq!(status("granted", false), PushStatus::Off);
        assert_eq!(status("default", false), PushStatus::Off);
        // Permission taken back after subscribing: the server's subscription is useless.
        assert_eq!(status("default", true), PushStatus::Off);
        assert_eq!(status("denied", true), PushStatus::Denied);
        assert_eq!(status("unsupported", false), PushStatus::Unsupported);
    }

    #[test]
    fn a_notification_link_names_one_session() {
        assert_eq!(parse_open_hash("#open=s_Ab-1"), Some("s_Ab-1".into()));
        for hash in [
            "",
            "#open=",
            "#open=a/b",
            "#open=a&scan=x",
            "#scan=abc",
            "open=abc",
        ] {
            assert_eq!(parse_open_hash(hash), None, "{hash}");
        }
        assert_eq!(parse_open_hash(&format!("#open={}", "a".repeat(65))), None);
    }

    #[test]
    fn subscribe_errors_name_the_alternative() {
        assert_eq!(subscribe_error("denied"), PushStatus::Denied);
        assert_eq!(subscribe_error("unsupported"), PushStatus::Unsupported);
        assert_eq!(subscribe_error("timeout"), PushStatus::Failed);
        assert_eq!(
            subscribe_error("AbortError: push service error"),
            PushStatus::Failed
        );
    }

    #[test]
    fn every_text_exists_in_every_language_and_refusals_point_to_the_qr() {
        let keys = [
            P::Title,
            P::Explain,
            P::TurnOn,
            P::TurnOff,
            P::On,
            P::Denied,
            P::Unsupported,
            P::Failed,
            P::Install,
            P::InstallText,
            P::Offline,
        ];
        for lang in [Lang::En, Lang::Fr, Lang::De, Lang::Nl] {
            for key in keys {
                assert!(!text(lang, key).is_empty(), "{lang:?} {key:?}");
            }
            for key in [P::Denied, P::Unsupported, P::Failed] {
                assert!(text(lang, key).contains("QR"), "{lang:?} {key:?}");
            }
        }
        assert_ne!(text(Lang::Fr, P::TurnOn), text(Lang::En, P::TurnOn));
    }
}
