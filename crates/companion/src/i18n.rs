//! Every text the companion shows, in English, French, German and Dutch (the languages
//! of the markets in FLOWS.md). One line per text: `[en, fr, de, nl]`.

pub use tessera_ui::Lang;

mod keys;
mod texts;
pub use keys::T;
use texts::text;

/// The companion's texts in a [`Lang`].
pub trait Texts {
    /// The name of `month` (1-12).
    fn month(self, month: u32) -> &'static str;
    /// The text for `key`.
    fn t(self, key: T) -> &'static str;
    /// The text for `key` with its `{}` replaced by `n`.
    fn tn(self, key: T, n: impl core::fmt::Display) -> String;
    /// Security question `index` of [`tessera_protocol::SECURITY_QUESTIONS`] (the same
    /// order); an empty string for an index past the list.
    fn question(self, index: u8) -> &'static str;
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

    fn question(self, index: u8) -> &'static str {
        QUESTIONS[self as usize]
            .get(usize::from(index))
            .copied()
            .unwrap_or_default()
    }
}

/// The security questions, in the protocol's order (never reorder: indexes are stored).
#[rustfmt::skip]
const QUESTIONS: [[&str; 8]; 4] = [
    tessera_protocol::SECURITY_QUESTIONS,
    [
        "Dans quelle ville votre mère est-elle née ?",
        "Comment s'appelait votre premier animal de compagnie ?",
        "Comment s'appelait votre première école ?",
        "Quel est le prénom de l'aîné de vos cousins ou cousines ?",
        "Dans quelle rue habitiez-vous enfant ?",
        "De quelle marque était votre première voiture ?",
        "Quel est le prénom de votre meilleur ami ou meilleure amie d'enfance ?",
        "Dans quelle ville vos parents se sont-ils rencontrés ?",
    ],
    [
        "In welcher Stadt wurde Ihre Mutter geboren?",
        "Wie hieß Ihr erstes Haustier?",
        "Wie hieß Ihre erste Schule?",
        "Wie lautet der Vorname Ihres ältesten Cousins oder Ihrer ältesten Cousine?",
        "In welcher Straße haben Sie als Kind gewohnt?",
        "Welche Marke hatte Ihr erstes Auto?",
        "Wie lautet der Vorname Ihres besten Freundes oder Ihrer besten Freundin aus der Kindheit?",
        "In welcher Stadt haben sich Ihre Eltern kennengelernt?",
    ],
    [
        "In welke stad is uw moeder geboren?",
        "Hoe heette uw eerste huisdier?",
        "Hoe heette uw eerste school?",
        "Wat is de voornaam van uw oudste neef of nicht?",
        "In welke straat woonde u als kind?",
        "Welk merk was uw eerste auto?",
        "Wat is de voornaam van uw beste jeugdvriend of jeugdvriendin?",
        "In welke stad hebben uw ouders elkaar ontmoet?",
    ],
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_questions_in_every_language_in_the_protocols_order() {
        for (i, english) in tessera_protocol::SECURITY_QUESTIONS.iter().enumerate() {
            let i = u8::try_from(i).expect("eight questions");
            assert_eq!(Lang::En.question(i), *english);
            for lang in [Lang::Fr, Lang::De, Lang::Nl] {
                assert!(!lang.question(i).is_empty() && lang.question(i) != *english);
            }
        }
        assert_eq!(
            Lang::Fr.question(1),
            "Comment s'appelait votre premier animal de compagnie ?"
        );
        assert_eq!(Lang::Nl.question(8), "");
    }

    #[test]
    fn support_hours_name_the_weekdays_in_each_language() {
        let [en, fr, de, nl] = text(T::SupportHours);
        assert!(en.starts_with("Monday to Friday"));
        assert!(fr.contains("lundi") && fr.contains("vendredi"));
        assert!(de.starts_with("Montag bis Freitag"));
        assert!(nl.starts_with("Maandag tot en met vrijdag"));
    }

    #[test]
    fn the_password_texts_say_the_protocols_limits() {
        use tessera_protocol::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
        let (min, max) = (
            PASSWORD_MIN_CHARS.to_string(),
            PASSWORD_MAX_CHARS.to_string(),
        );
        for text in text(T::PasswordLength) {
            assert!(text.contains(&min) && text.contains(&max), "{text}");
        }
        for text in text(T::CheckLength) {
            assert!(text.contains(&min), "{text}");
        }
    }

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
            T::ErrBackupOtherUser,
            T::PendingText,
            T::PendingUntil,
            T::SuspendQuestion,
            T::RemoveQuestion,
            T::SuspendedDone,
            T::RemovedDone,
            T::MosaicValid,
            T::StepOf,
            T::QuestionN,
            T::AnswerN,
            T::Renamed,
            T::ReqLocShared,
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
