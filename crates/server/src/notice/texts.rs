//! The texts of the new-device notice and of its page: `[en, fr, de, nl]` for each.
//! `{name}`, `{date}` and `{link}` are filled in by [`fill`].

/// Which text.
#[derive(Debug, Clone, Copy)]
pub enum Text {
    /// The SMS: short, with the link.
    Sms,
    /// The e-mail.
    Email,
    /// The push notification's title and body.
    PushTitle,
    PushBody,
    /// The page behind the link.
    PageTitle,
    PageAsk,
    PageButton,
    PageKeep,
    PageDone,
    PageNotActive,
    PageInvalid,
}

/// The language `lang` (`en`, `fr`, `de`, `nl`) as an index; English for anything else.
fn index(lang: &str) -> usize {
    match lang {
        "fr" => 1,
        "de" => 2,
        "nl" => 3,
        _ => 0,
    }
}

/// The language code the notices know `lang` by (`en` for anything else).
pub fn known(lang: &str) -> &'static str {
    ["en", "fr", "de", "nl"][index(lang)]
}

pub fn t(lang: &str, text: Text) -> &'static str {
    let all: [&'static str; 4] = match text {
        Text::Sms => [
            "Tessera: a new device, \"{name}\", was added to your Tessera on {date}. Not you? Suspend it: {link}",
            "Tessera : un nouvel appareil, « {name} », a été ajouté à votre Tessera le {date}. Ce n’était pas vous ? Suspendez-le : {link}",
            "Tessera: Ein neues Gerät, „{name}“, wurde am {date} zu Ihrem Tessera hinzugefügt. Nicht Sie? Sperren Sie es: {link}",
            "Tessera: een nieuw toestel, ‘{name}’, is op {date} aan uw Tessera toegevoegd. Was u dit niet? Schort het op: {link}",
        ],
        Text::Email => [
            "Hello,\n\nA new device, \"{name}\", was added to your Tessera on {date}.\n\nIf this was you, there is nothing to do.\n\nNot you? Open this link to suspend that device at once; it can then no longer approve anything, and our helpdesk sees your report: {link}\n\nThe link works once, for 7 days. Then call the helpdesk.\n\nTessera",
            "Bonjour,\n\nUn nouvel appareil, « {name} », a été ajouté à votre Tessera le {date}.\n\nSi c’était vous, il n’y a rien à faire.\n\nCe n’était pas vous ? Ouvrez ce lien pour suspendre aussitôt cet appareil ; il ne pourra plus rien approuver et notre service d’assistance verra votre signalement : {link}\n\nLe lien fonctionne une fois, pendant 7 jours. Appelez ensuite le service d’assistance.\n\nTessera",
            "Guten Tag,\n\nEin neues Gerät, „{name}“, wurde am {date} zu Ihrem Tessera hinzugefügt.\n\nWenn Sie das waren, ist nichts zu tun.\n\nNicht Sie? Öffnen Sie diesen Link, um das Gerät sofort zu sperren; es kann dann nichts mehr bestätigen, und unser Helpdesk sieht Ihre Meldung: {link}\n\nDer Link funktioniert einmal, 7 Tage lang. Rufen Sie danach den Helpdesk an.\n\nTessera",
            "Hallo,\n\nEen nieuw toestel, ‘{name}’, is op {date} aan uw Tessera toegevoegd.\n\nWas u dit, dan hoeft u niets te doen.\n\nWas u dit niet? Open deze link om dat toestel meteen op te schorten; het kan dan niets meer goedkeuren en onze helpdesk ziet uw melding: {link}\n\nDe link werkt één keer, 7 dagen lang. Bel daarna de helpdesk.\n\nTessera",
        ],
        Text::PushTitle => [
            "A new device was added to your Tessera",
            "Un nouvel appareil a été ajouté à votre Tessera",
            "Ein neues Gerät wurde zu Ihrem Tessera hinzugefügt",
            "Er is een nieuw toestel aan uw Tessera toegevoegd",
        ],
        Text::PushBody => [
            "\"{name}\" on {date}. Not you? Tap to suspend it.",
            "« {name} » le {date}. Ce n’était pas vous ? Touchez pour le suspendre.",
            "„{name}“ am {date}. Nicht Sie? Tippen Sie, um es zu sperren.",
            "‘{name}’ op {date}. Was u dit niet? Tik om het op te schorten.",
        ],
        Text::PageTitle => [
            "A new device on your Tessera",
            "Un nouvel appareil sur votre Tessera",
            "Ein neues Gerät in Ihrem Tessera",
            "Een nieuw toestel op uw Tessera",
        ],
        Text::PageAsk => [
            "The device \"{name}\" was added to your Tessera on {date}. If it was not you, suspend it: it can then no longer approve anything, and the helpdesk sees your report.",
            "L’appareil « {name} » a été ajouté à votre Tessera le {date}. Si ce n’était pas vous, suspendez-le : il ne pourra plus rien approuver et le service d’assistance verra votre signalement.",
            "Das Gerät „{name}“ wurde am {date} zu Ihrem Tessera hinzugefügt. Wenn Sie das nicht waren, sperren Sie es: Es kann dann nichts mehr bestätigen, und der Helpdesk sieht Ihre Meldung.",
            "Het toestel ‘{name}’ is op {date} aan uw Tessera toegevoegd. Was u dit niet, schort het dan op: het kan dan niets meer goedkeuren en de helpdesk ziet uw melding.",
        ],
        Text::PageButton => [
            "It wasn't me: suspend this device",
            "Ce n’était pas moi : suspendre cet appareil",
            "Das war ich nicht: dieses Gerät sperren",
            "Dit was ik niet: dit toestel opschorten",
        ],
        Text::PageKeep => [
            "If it was you, close this page; nothing changes.",
            "Si c’était vous, fermez cette page ; rien ne change.",
            "Wenn Sie es waren, schließen Sie diese Seite; nichts ändert sich.",
            "Was u het wel, sluit dan deze pagina; er verandert niets.",
        ],
        Text::PageDone => [
            "The device \"{name}\" is suspended and the helpdesk has your report. Call the helpdesk to check your devices.",
            "L’appareil « {name} » est suspendu et le service d’assistance a votre signalement. Appelez-le pour vérifier vos appareils.",
            "Das Gerät „{name}“ ist gesperrt, und der Helpdesk hat Ihre Meldung. Rufen Sie den Helpdesk an, um Ihre Geräte zu prüfen.",
            "Het toestel ‘{name}’ is opgeschort en de helpdesk heeft uw melding. Bel de helpdesk om uw toestellen na te kijken.",
        ],
        Text::PageNotActive => [
            "The device \"{name}\" is no longer active; nothing was changed. The helpdesk has your report.",
            "L’appareil « {name} » n’est plus actif ; rien n’a été modifié. Le service d’assistance a votre signalement.",
            "Das Gerät „{name}“ ist nicht mehr aktiv; nichts wurde geändert. Der Helpdesk hat Ihre Meldung.",
            "Het toestel ‘{name}’ is niet meer actief; er is niets gewijzigd. De helpdesk heeft uw melding.",
        ],
        Text::PageInvalid => [
            "This link is not valid: it was already used, it has expired, or it is incomplete. If a device you do not know was added, call the helpdesk.",
            "Ce lien n’est pas valable : il a déjà servi, il a expiré ou il est incomplet. Si un appareil inconnu a été ajouté, appelez le service d’assistance.",
            "Dieser Link ist nicht gültig: Er wurde schon benutzt, ist abgelaufen oder unvollständig. Wenn ein unbekanntes Gerät hinzugefügt wurde, rufen Sie den Helpdesk an.",
            "Deze link is niet geldig: hij is al gebruikt, verlopen of onvolledig. Is er een onbekend toestel toegevoegd, bel dan de helpdesk.",
        ],
    };
    all[index(lang)]
}

/// `text` with `{name}`, `{date}` and `{link}` filled in.
pub fn fill(text: &str, name: &str, date: &str, link: &str) -> String {
    text.replace("{name}", name)
        .replace("{date}", date)
        .replace("{link}", link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_fills_in_every_placeholder_it_is_given() {
        for lang in ["en", "fr", "de", "nl"] {
            for text in [Text::Sms, Text::Email] {
                let filled = fill(t(lang, text), "N", "D", "L");
                assert!(!filled.contains('{'), "{lang} {text:?}: {filled}");
                assert!(filled.contains('N') && filled.contains('D') && filled.contains('L'));
            }
        }
        assert_eq!(t("xx", Text::PageTitle), t("en", Text::PageTitle));
        assert_eq!(known("de"), "de");
        assert_eq!(known("it"), "en");
    }
}
