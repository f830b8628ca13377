//! Every text the companion shows, in English, French, German and Dutch (the languages
//! of the markets in FLOWS.md). One line per text: `[en, fr, de, nl]`.

pub use tessera_ui::Lang;

/// The companion's texts in a [`Lang`].
pub trait Texts {
    /// The name of `month` (1-12).
    fn month(self, month: u32) -> &'static str;
    /// The text for `key`.
    fn t(self, key: T) -> &'static str;
    /// The text for `key` with its `{}` replaced by `n`.
    fn tn(self, key: T, n: impl core::fmt::Display) -> String;
}

impl Texts for Lang {
    fn month(self, month: u32) -> &'static str {
        const MONTHS: [[&str; 12]; 4] = [
            [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ],
            [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
            [
                "Januar",
                "Februar",
                "März",
                "April",
                "Mai",
                "Juni",
                "Juli",
                "August",
                "September",
                "Oktober",
                "November",
                "Dezember",
            ],
            [
                "januari",
                "februari",
                "maart",
                "april",
                "mei",
                "juni",
                "juli",
                "augustus",
                "september",
                "oktober",
                "november",
                "december",
            ],
        ];
        MONTHS[self as usize][(month.clamp(1, 12) - 1) as usize]
    }

    fn t(self, key: T) -> &'static str {
        text(key)[self as usize]
    }

    fn tn(self, key: T, n: impl core::fmt::Display) -> String {
        self.t(key).replacen("{}", &n.to_string(), 1)
    }
}

/// The key of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum T {
    Language,
    WelcomeTitle,
    WelcomeText,
    ActivateDevice,
    ActTitle,
    ActIntro,
    UserId,
    Password,
    ActivationCode,
    ActivationCodeHint,
    NewPin,
    PinHint,
    PinConfirm,
    DeviceName,
    DeviceNameHint,
    Submit,
    Working,
    Required,
    PinLength,
    PinTrivial,
    PinMismatch,
    CertTitle,
    Subject,
    DeviceId,
    Serial,
    Issuer,
    ValidFrom,
    ValidTo,
    Fingerprint,
    CertNote,
    Continue,
    CertMissing,
    HomeTitle,
    HomeText,
    ThisDevice,
    CertDetails,
    Opening,
    ReqFrom,
    ReqWebsite,
    ReqCheck,
    TitleLogin,
    TitleConfirm,
    TitleSign,
    DetailsLabel,
    Amount,
    Payee,
    PayeeIban,
    Reference,
    PayerIban,
    Document,
    FingerprintHint,
    ReqCheckDetails,
    ReqUnsafe,
    PickNumber,
    PickNumberHint,
    NotMe,
    NotMeHint,
    ExpiresIn,
    Expired,
    YourPin,
    Approve,
    Deny,
    ResApproved,
    ResApprovedText,
    ResDenied,
    ResDeniedText,
    ResLocked,
    ResLockedText,
    ResClosed,
    ResClosedText,
    ResWrongNumber,
    ResWrongNumberText,
    ResReported,
    ResReportedText,
    BackHome,
    ProblemTitle,
    ErrWrongPin,
    ErrPinShape,
    ErrQrStale,
    ErrNoDevice,
    ErrNotFound,
    ErrNetwork,
    ErrCredentials,
    ErrActivationCode,
    ErrDeviceLimit,
    ErrWeakPin,
    ErrKey,
    ErrUnexpected,
    AttemptsLeft,
    ErrQrInvalid,
    ErrDeviceInactive,
    ErrDeviceName,
    ErrCodeVoid,
    ErrWrongNumber,
    ErrNumberNotMatched,
    ErrDetailsMismatch,
}

#[rustfmt::skip]
fn text(key: T) -> [&'static str; 4] {
    use T::*;
    match key {
        Language => ["Language", "Langue", "Sprache", "Taal"],
        WelcomeTitle => ["Welcome to Tessera", "Bienvenue dans Tessera", "Willkommen bei Tessera", "Welkom bij Tessera"],
        WelcomeText => ["Log in to your bank's website by approving on this phone. First activate this device with the details you received when you ordered it.", "Connectez-vous au site de votre banque en approuvant sur ce téléphone. Activez d'abord cet appareil avec les données reçues lors de la commande.", "Melden Sie sich auf der Website Ihrer Bank an, indem Sie auf diesem Telefon bestätigen. Aktivieren Sie zuerst dieses Gerät mit den Daten aus Ihrer Bestellung.", "Meld u aan op de website van uw bank door op deze telefoon goed te keuren. Activeer eerst dit toestel met de gegevens die u bij de bestelling kreeg."],
        ActivateDevice => ["Activate this device", "Activer cet appareil", "Dieses Gerät aktivieren", "Dit toestel activeren"],
        ActTitle => ["Activate this device", "Activer cet appareil", "Gerät aktivieren", "Toestel activeren"],
        ActIntro => ["Enter the details from your order. All fields are required.", "Saisissez les données de votre commande. Tous les champs sont obligatoires.", "Geben Sie die Daten aus Ihrer Bestellung ein. Alle Felder sind Pflichtfelder.", "Vul de gegevens van uw bestelling in. Alle velden zijn verplicht."],
        UserId => ["User ID", "Identifiant", "Benutzer-ID", "Gebruikers-ID"],
        Password => ["Password", "Mot de passe", "Passwort", "Wachtwoord"],
        ActivationCode => ["Activation code", "Code d'activation", "Aktivierungscode", "Activeringscode"],
        ActivationCodeHint => ["From your order confirmation e-mail.", "Dans l'e-mail de confirmation de commande.", "Aus der Bestellbestätigung per E-Mail.", "Uit de e-mail met de bevestiging van uw bestelling."],
        NewPin => ["New PIN (6 digits)", "Nouveau PIN (6 chiffres)", "Neue PIN (6 Ziffern)", "Nieuwe pincode (6 cijfers)"],
        PinHint => ["Choose a PIN that differs from your phone's unlock code.", "Choisissez un PIN différent du code de déverrouillage du téléphone.", "Wählen Sie eine andere PIN als die Entsperr-PIN des Telefons.", "Kies een andere pincode dan de ontgrendelcode van uw telefoon."],
        PinConfirm => ["Repeat the PIN", "Répétez le PIN", "PIN wiederholen", "Herhaal de pincode"],
        DeviceName => ["Name of this device", "Nom de cet appareil", "Name dieses Geräts", "Naam van dit toestel"],
        DeviceNameHint => ["Helps you recognise it later, e.g. \"My phone\".", "Pour le reconnaître plus tard, p. ex. « Mon téléphone ».", "Damit Sie es später erkennen, z. B. „Mein Telefon“.", "Zo herkent u het later, bv. \"Mijn telefoon\"."],
        Submit => ["Activate", "Activer", "Aktivieren", "Activeren"],
        Working => ["Please wait…", "Veuillez patienter…", "Bitte warten…", "Even geduld…"],
        Required => ["Please fill in every field.", "Veuillez remplir tous les champs.", "Bitte füllen Sie alle Felder aus.", "Vul alle velden in."],
        PinLength => ["The PIN must be exactly 6 digits.", "Le PIN doit comporter exactement 6 chiffres.", "Die PIN muss genau 6 Ziffern haben.", "De pincode moet precies 6 cijfers hebben."],
        PinTrivial => ["This PIN is too easy to guess. Avoid repeated or consecutive digits.", "Ce PIN est trop facile à deviner. Évitez les chiffres répétés ou consécutifs.", "Diese PIN ist zu leicht zu erraten. Vermeiden Sie wiederholte oder aufeinanderfolgende Ziffern.", "Deze pincode is te makkelijk te raden. Vermijd herhaalde of opeenvolgende cijfers."],
        PinMismatch => ["The two PINs are not the same.", "Les deux PIN ne sont pas identiques.", "Die beiden PINs stimmen nicht überein.", "De twee pincodes zijn niet gelijk."],
        CertTitle => ["Certificate details", "Détails du certificat", "Zertifikatsdetails", "Certificaatgegevens"],
        Subject => ["User ID", "Identifiant", "Benutzer-ID", "Gebruikers-ID"],
        DeviceId => ["Device ID", "Identifiant de l'appareil", "Geräte-ID", "Toestel-ID"],
        Serial => ["Serial number", "Numéro de série", "Seriennummer", "Serienummer"],
        Issuer => ["Issued by", "Émis par", "Ausgestellt von", "Uitgegeven door"],
        ValidFrom => ["Valid from", "Valide du", "Gültig ab", "Geldig vanaf"],
        ValidTo => ["Valid until", "Valide jusqu'au", "Gültig bis", "Geldig tot"],
        Fingerprint => ["SHA-256 fingerprint", "Empreinte SHA-256", "SHA-256-Fingerabdruck", "SHA-256-vingerafdruk"],
        CertNote => ["Your private key was created on this device and never leaves it.", "Votre clé privée a été créée sur cet appareil et ne le quitte jamais.", "Ihr privater Schlüssel wurde auf diesem Gerät erzeugt und verlässt es nie.", "Uw privésleutel is op dit toestel gemaakt en verlaat het nooit."],
        Continue => ["Continue", "Continuer", "Weiter", "Doorgaan"],
        CertMissing => ["No certificate is stored on this device.", "Aucun certificat n'est enregistré sur cet appareil.", "Auf diesem Gerät ist kein Zertifikat gespeichert.", "Er is geen certificaat op dit toestel opgeslagen."],
        HomeTitle => ["Waiting for requests", "En attente de demandes", "Warten auf Anfragen", "Wachten op verzoeken"],
        HomeText => ["Keep this page open. When a website asks you to log in, the request appears here. You can also scan the QR code it shows.", "Gardez cette page ouverte. Quand un site vous demande de vous connecter, la demande apparaît ici. Vous pouvez aussi scanner le code QR affiché.", "Lassen Sie diese Seite geöffnet. Wenn eine Website Sie zur Anmeldung auffordert, erscheint die Anfrage hier. Sie können auch den angezeigten QR-Code scannen.", "Laat deze pagina open. Als een website u vraagt aan te melden, verschijnt het verzoek hier. U kunt ook de getoonde QR-code scannen."],
        ThisDevice => ["This device", "Cet appareil", "Dieses Gerät", "Dit toestel"],
        CertDetails => ["Certificate details", "Détails du certificat", "Zertifikatsdetails", "Certificaatgegevens"],
        Opening => ["Opening the request…", "Ouverture de la demande…", "Anfrage wird geöffnet…", "Verzoek wordt geopend…"],
        ReqFrom => ["Request from", "Demande de", "Anfrage von", "Verzoek van"],
        ReqWebsite => ["Website", "Site web", "Website", "Website"],
        ReqCheck => ["Check that this is exactly the website you are using.", "Vérifiez qu'il s'agit exactement du site que vous utilisez.", "Prüfen Sie, dass dies genau die Website ist, die Sie verwenden.", "Controleer dat dit precies de website is die u gebruikt."],
        TitleLogin => ["Log in to {}", "Connexion à {}", "Anmeldung bei {}", "Aanmelden bij {}"],
        TitleConfirm => ["Confirm a payment", "Confirmer un paiement", "Zahlung bestätigen", "Betaling bevestigen"],
        TitleSign => ["Sign a document", "Signer un document", "Dokument unterschreiben", "Document ondertekenen"],
        DetailsLabel => ["What you approve", "Ce que vous approuvez", "Was Sie bestätigen", "Wat u goedkeurt"],
        Amount => ["Amount", "Montant", "Betrag", "Bedrag"],
        Payee => ["Payee", "Bénéficiaire", "Empfänger", "Begunstigde"],
        PayeeIban => ["Payee's IBAN", "IBAN du bénéficiaire", "IBAN des Empfängers", "IBAN van de begunstigde"],
        Reference => ["Reference", "Référence", "Verwendungszweck", "Omschrijving"],
        PayerIban => ["From your account", "Depuis votre compte", "Von Ihrem Konto", "Van uw rekening"],
        Document => ["Document", "Document", "Dokument", "Document"],
        FingerprintHint => ["Compare it with the fingerprint the website shows.", "Comparez-la avec l'empreinte affichée sur le site.", "Vergleichen Sie ihn mit dem Fingerabdruck auf der Website.", "Vergelijk hem met de vingerafdruk op de website."],
        ReqCheckDetails => ["Approve only if these details are exactly what you want.", "N'approuvez que si ces détails sont exactement ce que vous voulez.", "Bestätigen Sie nur, wenn diese Angaben genau das sind, was Sie wollen.", "Keur alleen goed als deze gegevens precies zijn wat u wilt."],
        ReqUnsafe => ["This request contains characters that cannot be shown safely. Do not approve it.", "Cette demande contient des caractères qui ne peuvent pas être affichés de manière sûre. Ne l'approuvez pas.", "Diese Anfrage enthält Zeichen, die nicht sicher angezeigt werden können. Bestätigen Sie sie nicht.", "Dit verzoek bevat tekens die niet veilig getoond kunnen worden. Keur het niet goed."],
        PickNumber => ["Pick the number shown on your screen", "Choisissez le nombre affiché sur votre écran", "Wählen Sie die Zahl auf Ihrem Bildschirm", "Kies het getal op uw scherm"],
        PickNumberHint => ["The website where you started shows a two-digit number. Tap the same number here. If you did not start anything, tap \"This wasn't me\".", "Le site où vous avez commencé affiche un nombre à deux chiffres. Touchez ici le même nombre. Si vous n'avez rien commencé, touchez « Ce n'était pas moi ».", "Die Website, auf der Sie begonnen haben, zeigt eine zweistellige Zahl. Tippen Sie hier auf dieselbe Zahl. Wenn Sie nichts begonnen haben, tippen Sie auf „Das war ich nicht“.", "De website waar u begon, toont een getal van twee cijfers. Tik hier op hetzelfde getal. Hebt u niets gestart, tik dan op \"Dit was ik niet\"."],
        NotMe => ["This wasn't me", "Ce n'était pas moi", "Das war ich nicht", "Dit was ik niet"],
        NotMeHint => ["I didn't ask for this: cancel and report it", "Je n'ai rien demandé : annuler et signaler", "Ich habe das nicht angefordert: abbrechen und melden", "Ik heb hier niet om gevraagd: annuleren en melden"],
        ExpiresIn => ["Expires in {} s", "Expire dans {} s", "Läuft in {} s ab", "Verloopt over {} s"],
        Expired => ["This request has expired.", "Cette demande a expiré.", "Diese Anfrage ist abgelaufen.", "Dit verzoek is verlopen."],
        YourPin => ["Your PIN", "Votre PIN", "Ihre PIN", "Uw pincode"],
        Approve => ["Approve", "Approuver", "Bestätigen", "Goedkeuren"],
        Deny => ["No, I don't approve", "Non, je n'approuve pas", "Nein, ich bestätige nicht", "Nee, ik keur dit niet goed"],
        ResApproved => ["Approved", "Approuvé", "Bestätigt", "Goedgekeurd"],
        ResApprovedText => ["You can continue on the website.", "Vous pouvez continuer sur le site.", "Sie können auf der Website fortfahren.", "U kunt verder op de website."],
        ResDenied => ["Denied", "Refusé", "Abgelehnt", "Geweigerd"],
        ResDeniedText => ["The request was refused. Nothing was approved.", "La demande a été refusée. Rien n'a été approuvé.", "Die Anfrage wurde abgelehnt. Nichts wurde bestätigt.", "Het verzoek is geweigerd. Er is niets goedgekeurd."],
        ResLocked => ["Device locked", "Appareil bloqué", "Gerät gesperrt", "Toestel geblokkeerd"],
        ResLockedText => ["The PIN was entered wrongly too many times, so this device is locked. Please call the helpdesk (Monday to Friday, 8:00-18:00).", "Le PIN a été mal saisi trop de fois : cet appareil est bloqué. Veuillez appeler le service d'assistance (du lundi au vendredi, 8h-18h).", "Die PIN wurde zu oft falsch eingegeben, daher ist dieses Gerät gesperrt. Bitte rufen Sie den Helpdesk an (Montag bis Freitag, 8-18 Uhr).", "De pincode is te vaak verkeerd ingegeven, daarom is dit toestel geblokkeerd. Bel de helpdesk (maandag tot vrijdag, 8-18 uur)."],
        ResClosed => ["Request closed", "Demande fermée", "Anfrage beendet", "Verzoek gesloten"],
        ResClosedText => ["This request is no longer open: it expired or was already answered.", "Cette demande n'est plus ouverte : elle a expiré ou a déjà reçu une réponse.", "Diese Anfrage ist nicht mehr offen: Sie ist abgelaufen oder wurde bereits beantwortet.", "Dit verzoek is niet meer open: het is verlopen of al beantwoord."],
        ResWrongNumber => ["Request cancelled", "Demande annulée", "Anfrage abgebrochen", "Verzoek geannuleerd"],
        ResWrongNumberText => ["That was not the number on the website, so the request was cancelled for your safety. If you started it yourself, start again on the website.", "Ce n'était pas le nombre affiché sur le site : la demande a été annulée par sécurité. Si vous l'avez lancée vous-même, recommencez sur le site.", "Das war nicht die Zahl auf der Website, daher wurde die Anfrage zu Ihrer Sicherheit abgebrochen. Wenn Sie sie selbst gestartet haben, beginnen Sie auf der Website neu.", "Dat was niet het getal op de website, daarom is het verzoek voor uw veiligheid geannuleerd. Hebt u het zelf gestart, begin dan opnieuw op de website."],
        ResReported => ["Reported", "Signalé", "Gemeldet", "Gemeld"],
        ResReportedText => ["Thank you. The request was cancelled and reported to {}.", "Merci. La demande a été annulée et signalée à {}.", "Danke. Die Anfrage wurde abgebrochen und an {} gemeldet.", "Bedankt. Het verzoek is geannuleerd en gemeld aan {}."],
        BackHome => ["Back to start", "Retour à l'accueil", "Zurück zum Start", "Terug naar start"],
        ProblemTitle => ["The request could not be opened", "Impossible d'ouvrir la demande", "Die Anfrage konnte nicht geöffnet werden", "Het verzoek kon niet worden geopend"],
        ErrWrongPin => ["Wrong PIN.", "PIN incorrect.", "Falsche PIN.", "Verkeerde pincode."],
        ErrPinShape => ["Enter your 6-digit PIN.", "Saisissez votre PIN à 6 chiffres.", "Geben Sie Ihre 6-stellige PIN ein.", "Geef uw pincode van 6 cijfers in."],
        ErrQrStale => ["This QR code is too old. Scan the current one.", "Ce code QR est trop ancien. Scannez le code actuel.", "Dieser QR-Code ist zu alt. Scannen Sie den aktuellen.", "Deze QR-code is te oud. Scan de huidige."],
        ErrNoDevice => ["This device is not activated yet. Activate it first, then scan the QR code again.", "Cet appareil n'est pas encore activé. Activez-le, puis scannez à nouveau le code QR.", "Dieses Gerät ist noch nicht aktiviert. Aktivieren Sie es zuerst und scannen Sie dann den QR-Code erneut.", "Dit toestel is nog niet geactiveerd. Activeer het eerst en scan de QR-code dan opnieuw."],
        ErrNotFound => ["This request does not exist or has ended.", "Cette demande n'existe pas ou est terminée.", "Diese Anfrage gibt es nicht oder sie ist beendet.", "Dit verzoek bestaat niet of is afgelopen."],
        ErrNetwork => ["The server cannot be reached. Check your connection and try again.", "Le serveur est injoignable. Vérifiez votre connexion et réessayez.", "Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.", "De server is niet bereikbaar. Controleer uw verbinding en probeer opnieuw."],
        ErrCredentials => ["The user ID or password is wrong.", "L'identifiant ou le mot de passe est incorrect.", "Benutzer-ID oder Passwort ist falsch.", "De gebruikers-ID of het wachtwoord is verkeerd."],
        ErrActivationCode => ["The activation code is wrong.", "Le code d'activation est incorrect.", "Der Aktivierungscode ist falsch.", "De activeringscode is verkeerd."],
        ErrDeviceLimit => ["You already have the maximum of 2 devices. Remove one first.", "Vous avez déjà le maximum de 2 appareils. Supprimez-en un d'abord.", "Sie haben bereits die Höchstzahl von 2 Geräten. Entfernen Sie zuerst eines.", "U hebt al het maximum van 2 toestellen. Verwijder er eerst een."],
        ErrWeakPin => ["The server refused this PIN. Choose another one.", "Le serveur a refusé ce PIN. Choisissez-en un autre.", "Der Server hat diese PIN abgelehnt. Wählen Sie eine andere.", "De server weigerde deze pincode. Kies een andere."],
        ErrKey => ["This browser could not create or use the secure device key.", "Ce navigateur n'a pas pu créer ou utiliser la clé sécurisée de l'appareil.", "Dieser Browser konnte den sicheren Geräteschlüssel nicht erzeugen oder verwenden.", "Deze browser kon de beveiligde toestelsleutel niet maken of gebruiken."],
        ErrUnexpected => ["Something went wrong. Please try again.", "Une erreur s'est produite. Veuillez réessayer.", "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.", "Er ging iets mis. Probeer het opnieuw."],
        ErrQrInvalid => ["This QR code is not valid. Scan the one on the screen now.", "Ce code QR n'est pas valide. Scannez celui affiché à l'écran.", "Dieser QR-Code ist ungültig. Scannen Sie den aktuell angezeigten.", "Deze QR-code is niet geldig. Scan de code die nu op het scherm staat."],
        ErrDeviceInactive => ["This device is suspended or revoked. Please call the helpdesk.", "Cet appareil est suspendu ou révoqué. Veuillez appeler le service d'assistance.", "Dieses Gerät ist gesperrt oder widerrufen. Bitte rufen Sie den Helpdesk an.", "Dit toestel is geschorst of ingetrokken. Bel de helpdesk."],
        ErrDeviceName => ["The device name must be 1 to 64 characters.", "Le nom de l'appareil doit compter de 1 à 64 caractères.", "Der Gerätename muss 1 bis 64 Zeichen lang sein.", "De toestelnaam moet 1 tot 64 tekens lang zijn."],
        ErrCodeVoid => ["There is no valid activation code for you any more. Please ask the helpdesk for a new one.", "Vous n'avez plus de code d'activation valide. Demandez-en un nouveau au service d'assistance.", "Sie haben keinen gültigen Aktivierungscode mehr. Bitte fordern Sie beim Helpdesk einen neuen an.", "U hebt geen geldige activeringscode meer. Vraag de helpdesk om een nieuwe."],
        ErrWrongNumber => ["Wrong number: the request was cancelled for your safety.", "Mauvais nombre : la demande a été annulée par sécurité.", "Falsche Zahl: Die Anfrage wurde zu Ihrer Sicherheit abgebrochen.", "Verkeerd getal: het verzoek is voor uw veiligheid geannuleerd."],
        ErrNumberNotMatched => ["First pick the number the website shows.", "Choisissez d'abord le nombre affiché sur le site.", "Wählen Sie zuerst die Zahl, die die Website zeigt.", "Kies eerst het getal dat de website toont."],
        ErrDetailsMismatch => ["The details on this phone are not those of the request. Do not approve it: deny or report it.", "Les détails affichés sur ce téléphone ne sont pas ceux de la demande. Ne l'approuvez pas : refusez-la ou signalez-la.", "Die Angaben auf diesem Telefon sind nicht die der Anfrage. Bestätigen Sie nicht: Lehnen Sie ab oder melden Sie sie.", "De gegevens op deze telefoon zijn niet die van het verzoek. Keur het niet goed: weiger of meld het."],
        AttemptsLeft => ["Attempts left: {}.", "Essais restants : {}.", "Verbleibende Versuche: {}.", "Resterende pogingen: {}."],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(Lang::Fr.tn(T::AttemptsLeft, 3), "Essais restants : 3.");
        assert_eq!(Lang::En.tn(T::ExpiresIn, 42), "Expires in 42 s");
        assert_eq!(Lang::De.month(3), "März");
    }

    #[test]
    fn every_language_keeps_the_placeholder() {
        for key in [
            T::ExpiresIn,
            T::AttemptsLeft,
            T::TitleLogin,
            T::ResReportedText,
        ] {
            for (lang, text) in text(key).iter().enumerate() {
                assert_eq!(text.matches("{}").count(), 1, "{key:?} in language {lang}");
            }
        }
        assert_eq!(
            Lang::De.tn(T::ResReportedText, "Demo Bank"),
            "Danke. Die Anfrage wurde abgebrochen und an Demo Bank gemeldet."
        );
    }
}
