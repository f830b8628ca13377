//! Every text the widget shows, in English, French, German and Dutch. One table, so a
//! missing translation is a compile error (each `match` arm lists all four languages).

pub use tessera_protocol::Kind;
pub use tessera_ui::Lang;

/// A text of the widget. Texts that depend on what is approved (log in, confirm a
/// payment, sign a document) come in three, see [`Text::of`]. No variant carries data,
/// so [`t`] compiles to a table lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Text {
    TitleLogin,
    TitleConfirm,
    TitleSign,
    Language,
    StartLogin,
    StartConfirm,
    StartSign,
    IntroLogin,
    IntroConfirm,
    IntroSign,
    Starting,
    Pending,
    PushSent,
    Opened,
    PickNumber,
    PickThisNumber,
    AwaitingPin,
    AwaitingPinDetails,
    Verifying,
    /// `{}` is the user id.
    DoneLogin,
    DoneConfirm,
    DoneSign,
    /// What did not happen, after any failure.
    NotDoneLogin,
    NotDoneConfirm,
    NotDoneSign,
    Denied,
    Expired,
    Cancelled,
    WrongNumber,
    FraudReported,
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
    // The summary of what is approved.
    PaymentHeading,
    DocumentHeading,
    CompareNote,
    Amount,
    Payee,
    Iban,
    Reference,
    FromAccount,
    DocumentName,
    Fingerprint,
    // Errors: verification families, then the widget's own problems, then the bank's
    // refusals of the details.
    ErrPhishing,
    ErrTampered,
    ErrDevice,
    ErrStale,
    ErrOtherRequest,
    ErrMismatchLogin,
    ErrMismatchConfirm,
    ErrMismatchSign,
    ErrGeneric,
    ErrStart,
    ErrConnection,
    ErrRelay,
    ErrIban,
    ErrDisguise,
    ErrAmount,
    ErrDetails,
}

impl Text {
    /// The one of `[login, confirm, sign]` for `kind`.
    pub fn of(kind: Kind, [login, confirm, sign]: [Text; 3]) -> Text {
        match kind {
            Kind::Login => login,
            Kind::Confirm => confirm,
            Kind::Sign => sign,
        }
    }

    /// The widget's title.
    pub fn title(kind: Kind) -> Text {
        Text::of(
            kind,
            [Text::TitleLogin, Text::TitleConfirm, Text::TitleSign],
        )
    }

    /// The start button.
    pub fn start(kind: Kind) -> Text {
        Text::of(
            kind,
            [Text::StartLogin, Text::StartConfirm, Text::StartSign],
        )
    }

    /// What to do, before starting.
    pub fn intro(kind: Kind) -> Text {
        Text::of(
            kind,
            [Text::IntroLogin, Text::IntroConfirm, Text::IntroSign],
        )
    }

    /// Success, with the user id for `{}`.
    pub fn done(kind: Kind) -> Text {
        Text::of(kind, [Text::DoneLogin, Text::DoneConfirm, Text::DoneSign])
    }

    /// What did not happen, after any failure.
    pub fn not_done(kind: Kind) -> Text {
        Text::of(
            kind,
            [Text::NotDoneLogin, Text::NotDoneConfirm, Text::NotDoneSign],
        )
    }
}

/// The text `text` in `lang`. Texts with `{}` take one argument, see [`tf`].
pub fn t(lang: Lang, text: Text) -> &'static str {
    use Lang::*;
    use Text::*;
    let [en, fr, de, nl]: [&'static str; 4] = match text {
        TitleLogin => [
            "Log in with Tessera",
            "Connexion avec Tessera",
            "Anmelden mit Tessera",
            "Inloggen met Tessera",
        ],
        TitleConfirm => [
            "Confirm with Tessera",
            "Confirmer avec Tessera",
            "Bestätigen mit Tessera",
            "Bevestigen met Tessera",
        ],
        TitleSign => [
            "Sign with Tessera",
            "Signer avec Tessera",
            "Unterschreiben mit Tessera",
            "Ondertekenen met Tessera",
        ],
        Language => ["Language", "Langue", "Sprache", "Taal"],
        StartLogin => [
            "Log in with Tessera",
            "Se connecter avec Tessera",
            "Mit Tessera anmelden",
            "Inloggen met Tessera",
        ],
        StartConfirm => [
            "Confirm the payment with Tessera",
            "Confirmer le paiement avec Tessera",
            "Zahlung mit Tessera bestätigen",
            "Betaling bevestigen met Tessera",
        ],
        StartSign => [
            "Sign the document with Tessera",
            "Signer le document avec Tessera",
            "Dokument mit Tessera unterschreiben",
            "Document ondertekenen met Tessera",
        ],
        IntroLogin => [
            "Approve the login on your phone with the Tessera app.",
            "Approuvez la connexion sur votre téléphone avec l’app Tessera.",
            "Bestätigen Sie die Anmeldung auf Ihrem Telefon mit der Tessera-App.",
            "Keur het inloggen goed op uw telefoon met de Tessera-app.",
        ],
        IntroConfirm => [
            "Confirm the payment on your phone with the Tessera app.",
            "Confirmez le paiement sur votre téléphone avec l’app Tessera.",
            "Bestätigen Sie die Zahlung auf Ihrem Telefon mit der Tessera-App.",
            "Bevestig de betaling op uw telefoon met de Tessera-app.",
        ],
        IntroSign => [
            "Sign the document on your phone with the Tessera app.",
            "Signez le document sur votre téléphone avec l’app Tessera.",
            "Unterschreiben Sie das Dokument auf Ihrem Telefon mit der Tessera-App.",
            "Onderteken het document op uw telefoon met de Tessera-app.",
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
            "Open the request in the Tessera app on your phone.",
            "Ouvrez la demande dans l’app Tessera de votre téléphone.",
            "Öffnen Sie die Anfrage in der Tessera-App auf Ihrem Telefon.",
            "Open het verzoek in de Tessera-app op uw telefoon.",
        ],
        Opened => [
            "Opened on your phone.",
            "Ouvert sur votre téléphone.",
            "Auf Ihrem Telefon geöffnet.",
            "Geopend op uw telefoon.",
        ],
        PickNumber => [
            "Pick the number {} on your phone.",
            "Choisissez le nombre {} sur votre téléphone.",
            "Wählen Sie auf Ihrem Telefon die Zahl {}.",
            "Kies het getal {} op uw telefoon.",
        ],
        PickThisNumber => [
            "Pick this number on your phone",
            "Choisissez ce nombre sur votre téléphone",
            "Wählen Sie diese Zahl auf Ihrem Telefon",
            "Kies dit getal op uw telefoon",
        ],
        AwaitingPin => [
            "Check the request on your phone and enter your PIN.",
            "Vérifiez la demande sur votre téléphone et saisissez votre code PIN.",
            "Prüfen Sie die Anfrage auf Ihrem Telefon und geben Sie Ihre PIN ein.",
            "Controleer het verzoek op uw telefoon en voer uw pincode in.",
        ],
        AwaitingPinDetails => [
            "Check the details on your phone against the ones below, then enter your PIN.",
            "Comparez les détails sur votre téléphone avec ceux ci-dessous, puis saisissez votre code PIN.",
            "Vergleichen Sie die Angaben auf Ihrem Telefon mit denen unten und geben Sie dann Ihre PIN ein.",
            "Vergelijk de gegevens op uw telefoon met die hieronder en voer dan uw pincode in.",
        ],
        Verifying => [
            "Checking the approval…",
            "Vérification de l’approbation…",
            "Die Bestätigung wird geprüft…",
            "De goedkeuring wordt gecontroleerd…",
        ],
        DoneLogin => [
            "Logged in as {}",
            "Connecté en tant que {}",
            "Angemeldet als {}",
            "Ingelogd als {}",
        ],
        DoneConfirm => [
            "Payment approved by {}. Approval verified.",
            "Paiement approuvé par {}. Approbation vérifiée.",
            "Zahlung von {} bestätigt. Bestätigung geprüft.",
            "Betaling goedgekeurd door {}. Goedkeuring gecontroleerd.",
        ],
        DoneSign => [
            "Signed by {}. Signature verified.",
            "Signé par {}. Signature vérifiée.",
            "Unterschrieben von {}. Unterschrift geprüft.",
            "Ondertekend door {}. Handtekening gecontroleerd.",
        ],
        NotDoneLogin => [
            "You were not logged in.",
            "Vous n’êtes pas connecté.",
            "Sie sind nicht angemeldet.",
            "U bent niet ingelogd.",
        ],
        NotDoneConfirm => [
            "The payment was not confirmed.",
            "Le paiement n’a pas été confirmé.",
            "Die Zahlung wurde nicht bestätigt.",
            "De betaling is niet bevestigd.",
        ],
        NotDoneSign => [
            "The document was not signed.",
            "Le document n’a pas été signé.",
            "Das Dokument wurde nicht unterschrieben.",
            "Het document is niet ondertekend.",
        ],
        Denied => [
            "You declined the request on your phone.",
            "Vous avez refusé la demande sur votre téléphone.",
            "Sie haben die Anfrage auf Ihrem Telefon abgelehnt.",
            "U hebt het verzoek op uw telefoon geweigerd.",
        ],
        Expired => [
            "The request has expired.",
            "La demande a expiré.",
            "Die Anfrage ist abgelaufen.",
            "Het verzoek is verlopen.",
        ],
        Cancelled => [
            "The request was cancelled.",
            "La demande a été annulée.",
            "Die Anfrage wurde abgebrochen.",
            "Het verzoek is geannuleerd.",
        ],
        WrongNumber => [
            "A wrong number was picked on the phone; the request was cancelled for your safety.",
            "Un mauvais nombre a été choisi sur le téléphone ; la demande a été annulée pour votre sécurité.",
            "Auf dem Telefon wurde eine falsche Zahl gewählt; die Anfrage wurde zu Ihrer Sicherheit abgebrochen.",
            "Op de telefoon is een verkeerd getal gekozen; het verzoek is voor uw veiligheid geannuleerd.",
        ],
        FraudReported => [
            "The request was reported as not yours on the phone and cancelled.",
            "La demande a été signalée sur le téléphone comme n’étant pas la vôtre, et annulée.",
            "Die Anfrage wurde auf dem Telefon als nicht Ihre gemeldet und abgebrochen.",
            "Het verzoek is op de telefoon gemeld als niet van u en geannuleerd.",
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
        PaymentHeading => [
            "Payment to confirm",
            "Paiement à confirmer",
            "Zu bestätigende Zahlung",
            "Te bevestigen betaling",
        ],
        DocumentHeading => [
            "Document to sign",
            "Document à signer",
            "Zu unterschreibendes Dokument",
            "Te ondertekenen document",
        ],
        CompareNote => [
            "Your phone must show exactly this.",
            "Votre téléphone doit afficher exactement ceci.",
            "Ihr Telefon muss genau dies anzeigen.",
            "Uw telefoon moet precies dit tonen.",
        ],
        Amount => ["Amount", "Montant", "Betrag", "Bedrag"],
        Payee => ["Payee", "Bénéficiaire", "Empfänger", "Begunstigde"],
        Iban => ["IBAN", "IBAN", "IBAN", "IBAN"],
        Reference => ["Reference", "Référence", "Verwendungszweck", "Omschrijving"],
        FromAccount => ["From account", "Compte débité", "Von Konto", "Van rekening"],
        DocumentName => ["Document", "Document", "Dokument", "Document"],
        Fingerprint => [
            "Fingerprint (SHA-256)",
            "Empreinte (SHA-256)",
            "Fingerabdruck (SHA-256)",
            "Vingerafdruk (SHA-256)",
        ],
        ErrPhishing => [
            "This approval was made for another website — possible phishing.",
            "Cette approbation a été donnée pour un autre site web — hameçonnage possible.",
            "Diese Bestätigung wurde für eine andere Website erteilt — möglicherweise Phishing.",
            "Deze goedkeuring is gegeven voor een andere website — mogelijk phishing.",
        ],
        ErrTampered => [
            "The approval's signature is not valid: it may have been tampered with.",
            "La signature de l’approbation n’est pas valide : elle a peut-être été falsifiée.",
            "Die Signatur der Bestätigung ist ungültig: Sie wurde möglicherweise manipuliert.",
            "De handtekening van de goedkeuring is ongeldig: er is mogelijk mee geknoeid.",
        ],
        ErrDevice => [
            "Your phone is not active for Tessera (blocked, revoked or expired). Contact your bank.",
            "Votre téléphone n’est pas actif pour Tessera (bloqué, révoqué ou expiré). Contactez votre banque.",
            "Ihr Telefon ist für Tessera nicht aktiv (gesperrt, widerrufen oder abgelaufen). Wenden Sie sich an Ihre Bank.",
            "Uw telefoon is niet actief voor Tessera (geblokkeerd, ingetrokken of verlopen). Neem contact op met uw bank.",
        ],
        ErrStale => [
            "The approval arrived too late or its time is wrong. Please try again.",
            "L’approbation est arrivée trop tard ou son heure est incorrecte. Veuillez réessayer.",
            "Die Bestätigung kam zu spät oder ihre Zeit ist falsch. Bitte erneut versuchen.",
            "De goedkeuring kwam te laat of de tijd klopt niet. Probeer het opnieuw.",
        ],
        ErrOtherRequest => [
            "This approval answers a different request (an old or replayed one).",
            "Cette approbation répond à une autre demande (ancienne ou rejouée).",
            "Diese Bestätigung gehört zu einer anderen Anfrage (alt oder wiederholt).",
            "Deze goedkeuring hoort bij een ander verzoek (oud of herhaald).",
        ],
        ErrMismatchLogin => [
            "The approval does not match this request.",
            "L’approbation ne correspond pas à cette demande.",
            "Die Bestätigung passt nicht zu dieser Anfrage.",
            "De goedkeuring komt niet overeen met dit verzoek.",
        ],
        ErrMismatchConfirm => [
            "The approval does not match this payment.",
            "L’approbation ne correspond pas à ce paiement.",
            "Die Bestätigung passt nicht zu dieser Zahlung.",
            "De goedkeuring komt niet overeen met deze betaling.",
        ],
        ErrMismatchSign => [
            "The approval does not match this document.",
            "L’approbation ne correspond pas à ce document.",
            "Die Bestätigung passt nicht zu diesem Dokument.",
            "De goedkeuring komt niet overeen met dit document.",
        ],
        ErrGeneric => [
            "The approval could not be verified.",
            "L’approbation n’a pas pu être vérifiée.",
            "Die Bestätigung konnte nicht geprüft werden.",
            "De goedkeuring kon niet worden gecontroleerd.",
        ],
        ErrStart => [
            "Could not start: the service did not answer. Please try again later.",
            "Impossible de démarrer : le service ne répond pas. Veuillez réessayer plus tard.",
            "Start nicht möglich: Der Dienst antwortet nicht. Bitte später erneut versuchen.",
            "Starten lukt niet: de dienst antwoordt niet. Probeer het later opnieuw.",
        ],
        ErrConnection => [
            "The connection to Tessera was lost. Please try again.",
            "La connexion à Tessera a été perdue. Veuillez réessayer.",
            "Die Verbindung zu Tessera wurde unterbrochen. Bitte erneut versuchen.",
            "De verbinding met Tessera is verbroken. Probeer het opnieuw.",
        ],
        ErrRelay => [
            "Tessera sent an answer the widget cannot read.",
            "Tessera a envoyé une réponse illisible.",
            "Tessera hat eine unlesbare Antwort gesendet.",
            "Tessera stuurde een onleesbaar antwoord.",
        ],
        ErrIban => [
            "The bank refused the IBAN: it is malformed or its check digits are wrong. Please check it.",
            "La banque a refusé l’IBAN : il est mal formé ou ses chiffres de contrôle sont faux. Veuillez le vérifier.",
            "Die Bank hat die IBAN abgelehnt: Sie ist fehlerhaft oder ihre Prüfziffern stimmen nicht. Bitte prüfen Sie sie.",
            "De bank heeft de IBAN geweigerd: die is onjuist of de controlecijfers kloppen niet. Controleer hem.",
        ],
        ErrDisguise => [
            "The bank refused a name or reference that could disguise itself (hidden, right-to-left or look-alike characters). Please type it in plain letters.",
            "La banque a refusé un nom ou une référence qui pourrait se déguiser (caractères invisibles, de droite à gauche ou sosies). Veuillez le saisir en lettres simples.",
            "Die Bank hat einen Namen oder Verwendungszweck abgelehnt, der sich tarnen könnte (unsichtbare, rechts-nach-links- oder verwechselbare Zeichen). Bitte in einfachen Buchstaben eingeben.",
            "De bank heeft een naam of omschrijving geweigerd die zich kan vermommen (onzichtbare, rechts-naar-links- of gelijkende tekens). Typ die in gewone letters.",
        ],
        ErrAmount => [
            "The bank refused the amount or currency. Please check them.",
            "La banque a refusé le montant ou la devise. Veuillez les vérifier.",
            "Die Bank hat den Betrag oder die Währung abgelehnt. Bitte prüfen Sie sie.",
            "De bank heeft het bedrag of de munt geweigerd. Controleer ze.",
        ],
        ErrDetails => [
            "The bank could not accept these details. Please check them.",
            "La banque n’a pas pu accepter ces données. Veuillez les vérifier.",
            "Die Bank konnte diese Angaben nicht annehmen. Bitte prüfen Sie sie.",
            "De bank kon deze gegevens niet aanvaarden. Controleer ze.",
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

/// The text for an error code of a `kind` session: a
/// [`tessera_protocol::VerifyError::code`] or one of the widget's own codes (see
/// [`crate::state::Problem`]).
pub fn error_text(lang: Lang, code: &str, kind: Kind) -> &'static str {
    let text = match code {
        "origin_mismatch" => Text::ErrPhishing,
        "token_too_large"
        | "jws_malformed"
        | "header_parameter_not_allowed"
        | "algorithm_not_allowed"
        | "wrong_token_type"
        | "certificates_not_allowed"
        | "header_not_canonical"
        | "claims_not_canonical"
        | "certificate_lifetime_too_long"
        | "status_lifetime_invalid"
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
        | "user_mismatch" => Text::ErrOtherRequest,
        "details_mismatch" | "document_mismatch" => Text::of(
            kind,
            [
                Text::ErrMismatchLogin,
                Text::ErrMismatchConfirm,
                Text::ErrMismatchSign,
            ],
        ),
        "denied" => Text::Denied,
        "start_failed" | "config_invalid" => Text::ErrStart,
        "connection_lost" => Text::ErrConnection,
        "relay_malformed" | "result_missing" => Text::ErrRelay,
        _ => Text::ErrGeneric,
    };
    t(lang, text)
}

/// The text for the `ApiError` code the bank's backend refused to open a session with:
/// its refusals of the details ([`tessera_protocol::DetailsProblem::code`]) grouped by
/// what the person can do about them, anything else as a failed start.
pub fn bank_error_text(lang: Lang, code: &str) -> &'static str {
    let text = match code {
        "payee_iban_invalid" | "payer_iban_invalid" => Text::ErrIban,
        "amount_invalid" | "currency_invalid" => Text::ErrAmount,
        c if [
            "_bidi",
            "_invisible",
            "_mixed_script",
            "_control",
            "_not_nfc",
        ]
        .iter()
        .any(|problem| c.ends_with(problem)) =>
        {
            Text::ErrDisguise
        }
        c if ["payee_", "payer_", "reference_", "document_", "details_"]
            .iter()
            .any(|field| c.starts_with(field)) =>
        {
            Text::ErrDetails
        }
        _ => Text::ErrStart,
    };
    t(lang, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_every_language() {
        for lang in Lang::ALL {
            for kind in [Kind::Login, Kind::Confirm, Kind::Sign] {
                assert_eq!(
                    tf(lang, Text::done(kind), "alice").matches("alice").count(),
                    1
                );
            }
            assert_eq!(tf(lang, Text::PickNumber, "42").matches("42").count(), 1);
            let login = Kind::Login;
            assert!(error_text(lang, "origin_mismatch", login).len() > 20);
            assert_ne!(
                error_text(lang, "signature_invalid", login),
                error_text(lang, "nonsense", login)
            );
        }
    }

    #[test]
    fn the_banks_details_codes_are_grouped() {
        let en = |code| bank_error_text(Lang::En, code);
        assert!(en("payee_iban_invalid").contains("IBAN"));
        for code in [
            "payee_name_bidi",
            "payee_name_invisible",
            "payee_name_mixed_script",
            "reference_bidi",
            "reference_control",
            "document_name_invisible",
        ] {
            assert!(en(code).contains("disguise"), "{code}");
        }
        assert!(en("amount_invalid").contains("amount"));
        assert_eq!(en("currency_invalid"), en("amount_invalid"));
        assert_eq!(en("payee_name_length"), t(Lang::En, Text::ErrDetails));
        assert_eq!(en("document_digest_invalid"), t(Lang::En, Text::ErrDetails));
        assert_eq!(en("internal"), t(Lang::En, Text::ErrStart));
        assert_eq!(en("start_failed"), t(Lang::En, Text::ErrStart));
    }

    #[test]
    fn a_mismatch_names_what_was_approved() {
        assert!(error_text(Lang::En, "details_mismatch", Kind::Confirm).contains("payment"));
        assert!(error_text(Lang::En, "details_mismatch", Kind::Sign).contains("document"));
        assert!(error_text(Lang::De, "document_mismatch", Kind::Sign).contains("Dokument"));
    }
}
