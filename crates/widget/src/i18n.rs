//! Every text the widget shows, in English, French, German and Dutch. One table, so a
//! missing translation is a compile error (each `match` arm lists all four languages).

pub use tessera_ui::Lang;

/// A text of the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Text {
    Title,
    Language,
    Start,
    Intro,
    Starting,
    Pending,
    PushSent,
    Opened,
    Verifying,
    LoggedInAs,
    Denied,
    Expired,
    Cancelled,
    NewQr,
    TryAgain,
    Cancel,
    QrAlt,
    Or,
    UserId,
    SendPush,
    Sending,
    PushDone,
    PushFailed,
    ExpiresIn,
    SecondsLeft,
    ErrorCode,
    // Errors: verification families, then the widget's own problems.
    ErrPhishing,
    ErrTampered,
    ErrDevice,
    ErrStale,
    ErrOtherRequest,
    ErrGeneric,
    ErrStart,
    ErrConnection,
    ErrRelay,
}

/// The text `text` in `lang`. Texts with `{}` take one argument, see [`tf`].
pub fn t(lang: Lang, text: Text) -> &'static str {
    use Lang::*;
    use Text::*;
    let [en, fr, de, nl]: [&'static str; 4] = match text {
        Title => [
            "Log in with Tessera",
            "Connexion avec Tessera",
            "Anmelden mit Tessera",
            "Inloggen met Tessera",
        ],
        Language => ["Language", "Langue", "Sprache", "Taal"],
        Start => [
            "Log in with Tessera",
            "Se connecter avec Tessera",
            "Mit Tessera anmelden",
            "Inloggen met Tessera",
        ],
        Intro => [
            "Approve the login on your phone with the Tessera app.",
            "Approuvez la connexion sur votre téléphone avec l’app Tessera.",
            "Bestätigen Sie die Anmeldung auf Ihrem Telefon mit der Tessera-App.",
            "Keur het inloggen goed op uw telefoon met de Tessera-app.",
        ],
        Starting => [
            "Starting…",
            "Démarrage…",
            "Wird gestartet…",
            "Bezig met starten…",
        ],
        Pending => [
            "Scan the QR code with the Tessera app on your phone.",
            "Scannez le code QR avec l’app Tessera de votre téléphone.",
            "Scannen Sie den QR-Code mit der Tessera-App auf Ihrem Telefon.",
            "Scan de QR-code met de Tessera-app op uw telefoon.",
        ],
        PushSent => [
            "We sent the request to your phone. Open the Tessera app.",
            "Nous avons envoyé la demande à votre téléphone. Ouvrez l’app Tessera.",
            "Wir haben die Anfrage an Ihr Telefon gesendet. Öffnen Sie die Tessera-App.",
            "We hebben het verzoek naar uw telefoon gestuurd. Open de Tessera-app.",
        ],
        Opened => [
            "Opened on your phone — confirm with your PIN.",
            "Ouvert sur votre téléphone — confirmez avec votre code PIN.",
            "Auf Ihrem Telefon geöffnet — bestätigen Sie mit Ihrer PIN.",
            "Geopend op uw telefoon — bevestig met uw pincode.",
        ],
        Verifying => [
            "Checking the approval…",
            "Vérification de l’approbation…",
            "Die Bestätigung wird geprüft…",
            "De goedkeuring wordt gecontroleerd…",
        ],
        LoggedInAs => [
            "Logged in as {}",
            "Connecté en tant que {}",
            "Angemeldet als {}",
            "Ingelogd als {}",
        ],
        Denied => [
            "You declined the request on your phone. You were not logged in.",
            "Vous avez refusé la demande sur votre téléphone. Vous n’êtes pas connecté.",
            "Sie haben die Anfrage auf Ihrem Telefon abgelehnt. Sie sind nicht angemeldet.",
            "U hebt het verzoek op uw telefoon geweigerd. U bent niet ingelogd.",
        ],
        Expired => [
            "The QR code has expired.",
            "Le code QR a expiré.",
            "Der QR-Code ist abgelaufen.",
            "De QR-code is verlopen.",
        ],
        Cancelled => [
            "Login cancelled.",
            "Connexion annulée.",
            "Anmeldung abgebrochen.",
            "Inloggen geannuleerd.",
        ],
        NewQr => [
            "New QR code",
            "Nouveau code QR",
            "Neuer QR-Code",
            "Nieuwe QR-code",
        ],
        TryAgain => [
            "Try again",
            "Réessayer",
            "Erneut versuchen",
            "Opnieuw proberen",
        ],
        Cancel => ["Cancel", "Annuler", "Abbrechen", "Annuleren"],
        QrAlt => [
            "QR code for the Tessera app. It changes every second. Cannot scan? Enter your user ID below.",
            "Code QR pour l’app Tessera. Il change chaque seconde. Impossible de scanner ? Saisissez votre identifiant ci-dessous.",
            "QR-Code für die Tessera-App. Er ändert sich jede Sekunde. Scannen nicht möglich? Geben Sie unten Ihre Benutzerkennung ein.",
            "QR-code voor de Tessera-app. Hij verandert elke seconde. Kunt u niet scannen? Vul hieronder uw gebruikers-ID in.",
        ],
        Or => [
            "or get a request on your phone",
            "ou recevez une demande sur votre téléphone",
            "oder erhalten Sie eine Anfrage auf Ihr Telefon",
            "of ontvang een verzoek op uw telefoon",
        ],
        UserId => ["User ID", "Identifiant", "Benutzerkennung", "Gebruikers-ID"],
        SendPush => [
            "Send to my phone",
            "Envoyer à mon téléphone",
            "An mein Telefon senden",
            "Naar mijn telefoon sturen",
        ],
        Sending => [
            "Sending…",
            "Envoi…",
            "Wird gesendet…",
            "Bezig met verzenden…",
        ],
        PushDone => [
            "If this user ID has the app, the request is on its way.",
            "Si cet identifiant a l’app, la demande est en route.",
            "Wenn diese Kennung die App hat, ist die Anfrage unterwegs.",
            "Als deze gebruikers-ID de app heeft, is het verzoek onderweg.",
        ],
        PushFailed => [
            "The request could not be sent. Please try again.",
            "La demande n’a pas pu être envoyée. Veuillez réessayer.",
            "Die Anfrage konnte nicht gesendet werden. Bitte erneut versuchen.",
            "Het verzoek kon niet worden verzonden. Probeer het opnieuw.",
        ],
        ExpiresIn => [
            "Expires in {}",
            "Expire dans {}",
            "Läuft ab in {}",
            "Verloopt over {}",
        ],
        SecondsLeft => [
            "{} seconds left",
            "{} secondes restantes",
            "Noch {} Sekunden",
            "Nog {} seconden",
        ],
        ErrorCode => [
            "Error code: {}",
            "Code d’erreur : {}",
            "Fehlercode: {}",
            "Foutcode: {}",
        ],
        ErrPhishing => [
            "This approval was made for another website — possible phishing. You were not logged in.",
            "Cette approbation a été donnée pour un autre site web — hameçonnage possible. Vous n’êtes pas connecté.",
            "Diese Bestätigung wurde für eine andere Website erteilt — möglicherweise Phishing. Sie sind nicht angemeldet.",
            "Deze goedkeuring is gegeven voor een andere website — mogelijk phishing. U bent niet ingelogd.",
        ],
        ErrTampered => [
            "The approval's signature is not valid: it may have been tampered with. You were not logged in.",
            "La signature de l’approbation n’est pas valide : elle a peut-être été falsifiée. Vous n’êtes pas connecté.",
            "Die Signatur der Bestätigung ist ungültig: Sie wurde möglicherweise manipuliert. Sie sind nicht angemeldet.",
            "De handtekening van de goedkeuring is ongeldig: er is mogelijk mee geknoeid. U bent niet ingelogd.",
        ],
        ErrDevice => [
            "Your phone is not active for Tessera (blocked, revoked or expired). Contact your bank. You were not logged in.",
            "Votre téléphone n’est pas actif pour Tessera (bloqué, révoqué ou expiré). Contactez votre banque. Vous n’êtes pas connecté.",
            "Ihr Telefon ist für Tessera nicht aktiv (gesperrt, widerrufen oder abgelaufen). Wenden Sie sich an Ihre Bank. Sie sind nicht angemeldet.",
            "Uw telefoon is niet actief voor Tessera (geblokkeerd, ingetrokken of verlopen). Neem contact op met uw bank. U bent niet ingelogd.",
        ],
        ErrStale => [
            "The approval arrived too late or its time is wrong. Please try again. You were not logged in.",
            "L’approbation est arrivée trop tard ou son heure est incorrecte. Veuillez réessayer. Vous n’êtes pas connecté.",
            "Die Bestätigung kam zu spät oder ihre Zeit ist falsch. Bitte erneut versuchen. Sie sind nicht angemeldet.",
            "De goedkeuring kwam te laat of de tijd klopt niet. Probeer het opnieuw. U bent niet ingelogd.",
        ],
        ErrOtherRequest => [
            "This approval answers a different request (an old or replayed one). You were not logged in.",
            "Cette approbation répond à une autre demande (ancienne ou rejouée). Vous n’êtes pas connecté.",
            "Diese Bestätigung gehört zu einer anderen Anfrage (alt oder wiederholt). Sie sind nicht angemeldet.",
            "Deze goedkeuring hoort bij een ander verzoek (oud of herhaald). U bent niet ingelogd.",
        ],
        ErrGeneric => [
            "The approval could not be verified. You were not logged in.",
            "L’approbation n’a pas pu être vérifiée. Vous n’êtes pas connecté.",
            "Die Bestätigung konnte nicht geprüft werden. Sie sind nicht angemeldet.",
            "De goedkeuring kon niet worden gecontroleerd. U bent niet ingelogd.",
        ],
        ErrStart => [
            "Could not start the login: the service did not answer. Please try again later.",
            "Impossible de démarrer la connexion : le service ne répond pas. Veuillez réessayer plus tard.",
            "Die Anmeldung konnte nicht gestartet werden: Der Dienst antwortet nicht. Bitte später erneut versuchen.",
            "Inloggen kon niet starten: de dienst antwoordt niet. Probeer het later opnieuw.",
        ],
        ErrConnection => [
            "The connection to Tessera was lost. Please try again.",
            "La connexion à Tessera a été perdue. Veuillez réessayer.",
            "Die Verbindung zu Tessera wurde unterbrochen. Bitte erneut versuchen.",
            "De verbinding met Tessera is verbroken. Probeer het opnieuw.",
        ],
        ErrRelay => [
            "Tessera sent an answer the widget cannot read. You were not logged in.",
            "Tessera a envoyé une réponse illisible. Vous n’êtes pas connecté.",
            "Tessera hat eine unlesbare Antwort gesendet. Sie sind nicht angemeldet.",
            "Tessera stuurde een onleesbaar antwoord. U bent niet ingelogd.",
        ],
    };
    match lang {
        En => en,
        Fr => fr,
        De => de,
        Nl => nl,
    }
}

/// A text with one argument in place of its `{}`.
pub fn tf(lang: Lang, text: Text, arg: &str) -> String {
    t(lang, text).replacen("{}", arg, 1)
}

/// The text for an error code: a [`tessera_protocol::VerifyError::code`] or one of the
/// widget's own codes (see [`crate::state::Problem`]).
pub fn error_text(lang: Lang, code: &str) -> &'static str {
    let text = match code {
        "origin_mismatch" => Text::ErrPhishing,
        "jws_malformed"
        | "algorithm_not_allowed"
        | "wrong_token_type"
        | "signature_malformed"
        | "signature_out_of_range"
        | "signature_high_s"
        | "signature_invalid"
        | "claims_malformed"
        | "public_key_invalid"
        | "chain_shape"
        | "untrusted_root"
        | "certificate_role"
        | "device_mismatch"
        | "status_mismatch" => Text::ErrTampered,
        "device_not_active" | "certificate_expired" | "certificate_not_yet_valid" => {
            Text::ErrDevice
        }
        "approval_stale" | "status_expired" => Text::ErrStale,
        "session_mismatch" | "nonce_mismatch" | "partner_mismatch" | "kind_mismatch"
        | "details_mismatch" => Text::ErrOtherRequest,
        "denied" => Text::Denied,
        "start_failed" | "config_invalid" => Text::ErrStart,
        "connection_lost" => Text::ErrConnection,
        "relay_malformed" | "result_missing" => Text::ErrRelay,
        _ => Text::ErrGeneric,
    };
    t(lang, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_every_language() {
        for lang in Lang::ALL {
            assert_eq!(
                tf(lang, Text::LoggedInAs, "alice").matches("alice").count(),
                1
            );
            assert!(error_text(lang, "origin_mismatch").len() > 20);
            assert_ne!(
                error_text(lang, "signature_invalid"),
                error_text(lang, "nonsense")
            );
        }
    }
}
