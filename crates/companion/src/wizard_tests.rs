use super::*;
use tessera_protocol::api::ApiError;

fn run(wizard: Rc<Wizard>, actions: impl IntoIterator<Item = WizardAction>) -> Rc<Wizard> {
    actions.into_iter().fold(wizard, |w, a| w.reduce(a))
}

fn set(entry: Entry, value: &str) -> WizardAction {
    WizardAction::Set(entry, value.into())
}

fn api(status: u16, code: &str) -> Failure {
    Failure::Api {
        status,
        error: ApiError {
            code: code.into(),
            message: "m".into(),
            attempts_left: None,
        },
    }
}

/// A wizard filled in right up to (not including) `step`, standing on it.
fn at(step: Step) -> Rc<Wizard> {
    let mut w = run(
        Rc::new(Wizard::default()),
        [
            set(Entry::UserId, "carol"),
            set(Entry::Password, "Initial-Pass-1"),
            WizardAction::Next,
            WizardAction::Terms(true),
            WizardAction::Next,
            set(Entry::Code, "ZX81Q"),
            WizardAction::Next,
            WizardAction::Next, // biometrics: later
            set(Entry::Pin, "482913"),
            set(Entry::PinConfirm, "482913"),
            WizardAction::Next,
            WizardAction::Question(0, Some(0)),
            WizardAction::Question(1, Some(1)),
            WizardAction::Question(2, Some(4)),
            set(Entry::Answer(0), "Esch-sur-Alzette"),
            set(Entry::Answer(1), "  Rex "),
            set(Entry::Answer(2), "Rue de la Gare"),
            WizardAction::Next,
            WizardAction::Next, // the review confirmed
            set(Entry::DeviceName, "Carol's phone"),
            WizardAction::Next,
        ],
    );
    assert_eq!(w.step, Step::Password, "{:?}", w.problem);
    while w.step != step {
        w = w.reduce(WizardAction::Back);
    }
    w
}

fn problem(w: &Wizard) -> Option<T> {
    match &w.problem {
        Some(FormError::Local(t)) => Some(*t),
        _ => None,
    }
}

#[test]
fn the_steps_follow_the_seed() {
    assert_eq!(
        Step::ALL.map(Step::id),
        [
            "credentials",
            "terms",
            "code",
            "biometrics",
            "pin",
            "questions",
            "review",
            "name",
            "password"
        ]
    );
    assert_eq!(Step::Credentials.previous(), None);
    assert_eq!(Step::Password.next(), None);
    assert_eq!(Step::Terms.next(), Some(Step::Code));
    assert_eq!(Step::Review.previous(), Some(Step::Questions));
    assert_eq!(
        (Step::Credentials.number(), Step::Password.number()),
        (1, 9)
    );
}

#[test]
fn the_user_id_and_password_come_first() {
    let w = Rc::new(Wizard::default()).reduce(WizardAction::Next);
    assert_eq!(
        (w.step, problem(&w)),
        (Step::Credentials, Some(T::Required))
    );
    let w = run(w, [set(Entry::UserId, "carol"), WizardAction::Next]);
    assert_eq!(w.step, Step::Credentials, "the password too");
    let w = run(w, [set(Entry::Password, "x"), WizardAction::Next]);
    assert_eq!((w.step, w.problem.clone()), (Step::Terms, None));
}

#[test]
fn no_way_past_the_terms_without_accepting_them() {
    let w = at(Step::Terms).reduce(WizardAction::Terms(false));
    let w = w.reduce(WizardAction::Next);
    assert_eq!((w.step, problem(&w)), (Step::Terms, Some(T::ErrTerms)));
    let w = w.reduce(WizardAction::Terms(true));
    assert_eq!(w.problem, None, "accepting clears the complaint");
    assert_eq!(w.reduce(WizardAction::Next).step, Step::Code);
}

#[test]
fn biometrics_are_optional_and_the_choice_is_kept() {
    let w = at(Step::Biometrics);
    assert!(!w.entries.biometrics, "off unless chosen");
    let w = run(w, [WizardAction::Biometrics(true), WizardAction::Next]);
    assert_eq!(w.step, Step::Pin);
    let w = run(w, [WizardAction::Back]);
    assert!(w.entries.biometrics, "going back keeps the choice");
    let w = run(w, [WizardAction::Biometrics(false), WizardAction::Next]);
    assert_eq!((w.step, w.entries.biometrics), (Step::Pin, false));
}

#[test]
fn trivial_or_mismatched_pins_are_refused_at_once() {
    for (pin, again, expected) in [
        ("123456", "123456", T::PinTrivial),
        ("12345", "12345", T::PinLength),
        ("482913", "482931", T::PinMismatch),
    ] {
        let w = run(
            at(Step::Pin),
            [
                set(Entry::Pin, pin),
                set(Entry::PinConfirm, again),
                WizardAction::Next,
            ],
        );
        assert_eq!((w.step, problem(&w)), (Step::Pin, Some(expected)), "{pin}");
    }
}

#[test]
fn the_questions_must_be_three_different_ones_with_answers() {
    let w = at(Step::Questions);
    let same = run(
        w.clone(),
        [WizardAction::Question(2, Some(0)), WizardAction::Next],
    );
    assert_eq!(
        (same.step, problem(&same)),
        (Step::Questions, Some(T::QuestionsDistinct))
    );
    assert_eq!(same.entries.taken_elsewhere(1), vec![0, 0]);
    let missing = run(
        w.clone(),
        [WizardAction::Question(1, None), WizardAction::Next],
    );
    assert_eq!(problem(&missing), Some(T::QuestionsPick));
    let unknown = run(w.clone(), [WizardAction::Question(1, Some(8))]);
    assert_eq!(
        unknown.entries.questions[1], None,
        "only the eight questions"
    );
    let short = run(
        w.clone(),
        [set(Entry::Answer(1), " r  "), WizardAction::Next],
    );
    assert_eq!(problem(&short), Some(T::AnswerShort));
    assert_eq!(w.entries.taken_elsewhere(2), vec![0, 1]);
    assert_eq!(w.reduce(WizardAction::Next).step, Step::Review);
}

#[test]
fn going_back_keeps_every_entry() {
    let w = at(Step::Password);
    let entries = w.entries.clone();
    let mut back = w;
    while back.step != Step::Credentials {
        back = back.reduce(WizardAction::Back);
        assert_eq!(back.entries, entries, "at {:?}", back.step);
    }
    assert_eq!(
        back.clone().reduce(WizardAction::Back).step,
        Step::Credentials
    );
    assert_eq!(back.entries.get(Entry::Answer(1)), "  Rex ");
    assert_eq!(back.entries.get(Entry::Code), "ZX81Q");
}

#[test]
fn the_password_checklist_says_what_is_missing() {
    let marks = |pw: &str, again: &str| password_checklist(pw, again, "carol").map(|(_, ok)| ok);
    assert_eq!(marks("", ""), [false, false, false, false]);
    assert_eq!(marks("abc", "abc"), [false, false, true, true]);
    assert_eq!(
        marks("Carol-2026-xyz", "Carol-2026-xyz"),
        [true, true, false, true]
    );
    assert_eq!(
        marks("Winter-Sun-2026", "Winter-Sun-2025"),
        [true, true, true, false]
    );
    assert_eq!(
        marks("Winter-Sun-2026", "Winter-Sun-2026"),
        [true, true, true, true]
    );
    assert_eq!(
        password_checklist("", "", "carol").map(|(t, _)| t),
        [T::CheckLength, T::CheckMix, T::CheckUserId, T::CheckMatch]
    );
}

#[test]
fn the_checklist_agrees_with_the_protocols_rules() {
    for pw in [
        "",
        "short-1",
        "Tessera-Demo-1!",
        "Pässwörd-2026",
        "onlyletters!!",
        "Letters12345",
        "1234567890!!",
        "Carol-2026-xyz",
        "xCAROLx-2026!",
        "Ça-va-bien-2026",
        "0123456789-abcdefghij-0123456789-abcdefghij-0123456789-abcdefghij-0123456789-abcdefghij-0123456789-abcdefghij-0123456789-abcdefghij-",
    ] {
        let list = password_checklist(pw, pw, "carol");
        let all = list[..3].iter().all(|(_, ok)| *ok);
        assert_eq!(all, password_problem(pw, "carol").is_none(), "{pw:?}");
    }
}

#[test]
fn the_password_step_explains_each_problem() {
    let w = at(Step::Password);
    for (pw, expected) in [
        ("Short-1!", T::PasswordLength),
        ("lettersonly-and-more", T::PasswordMix),
        ("my-carol-2026!", T::PasswordUserId),
    ] {
        let w = run(
            w.clone(),
            [
                set(Entry::NewPassword, pw),
                set(Entry::NewPasswordConfirm, pw),
                WizardAction::Send,
            ],
        );
        assert_eq!(
            (w.step, problem(&w), w.sending),
            (Step::Password, Some(expected), false)
        );
    }
    let w = run(
        w,
        [
            set(Entry::NewPassword, "Winter-Sun-2026"),
            set(Entry::NewPasswordConfirm, "Winter-Sun-2025"),
            WizardAction::Send,
        ],
    );
    assert_eq!(problem(&w), Some(T::PasswordMismatch));
}

#[test]
fn sending_builds_the_setup_and_waits() {
    let w = run(
        at(Step::Password),
        [
            set(Entry::NewPassword, "Winter-Sun-2026"),
            set(Entry::NewPasswordConfirm, "Winter-Sun-2026"),
            WizardAction::Send,
        ],
    );
    assert!(w.sending && w.problem.is_none());
    let setup = w.entries.setup().expect("complete");
    assert!(setup.terms_accepted);
    assert_eq!(setup.new_password, "Winter-Sun-2026");
    assert_eq!(
        setup
            .security_answers
            .iter()
            .map(|a| (a.question, a.answer.as_str()))
            .collect::<Vec<_>>(),
        [(0, "Esch-sur-Alzette"), (1, "Rex"), (4, "Rue de la Gare")]
    );
    // Nothing changes while the request is on its way.
    assert_eq!(w.clone().reduce(WizardAction::Back), w);
    assert_eq!(w.clone().reduce(set(Entry::Code, "x")), w);
    assert_eq!(
        format!("{w:?}"),
        "Wizard { step: Password, sending: true, .. }"
    );
}

#[test]
fn a_refusal_goes_to_the_step_that_fixes_it_and_keeps_the_entries() {
    let sent = run(
        at(Step::Password),
        [
            set(Entry::NewPassword, "Winter-Sun-2026"),
            set(Entry::NewPasswordConfirm, "Winter-Sun-2026"),
            WizardAction::Send,
        ],
    );
    for (code, step) in [
        ("invalid_credentials", Step::Credentials),
        ("terms_not_accepted", Step::Terms),
        ("wrong_activation_code", Step::Code),
        ("activation_code_void", Step::Code),
        ("weak_pin", Step::Pin),
        ("security_answers_invalid", Step::Questions),
        ("invalid_device_name", Step::Name),
        ("password_mix", Step::Password),
        ("too_many_attempts", Step::Password),
    ] {
        let w = sent.clone().reduce(WizardAction::Failed(api(400, code)));
        assert_eq!((w.step, w.sending), (step, false), "{code}");
        assert_eq!(w.problem, Some(FormError::Server(api(400, code))));
        assert_eq!(w.entries, sent.entries);
    }
    let w = sent.reduce(WizardAction::Failed(Failure::Network));
    assert_eq!(w.step, Step::Password);
}

#[test]
fn a_wrong_step_found_on_sending_is_shown() {
    let mut w = (*at(Step::Password)).clone();
    w.entries.code.clear();
    let w = run(
        Rc::new(w),
        [
            set(Entry::NewPassword, "Winter-Sun-2026"),
            set(Entry::NewPasswordConfirm, "Winter-Sun-2026"),
            WizardAction::Send,
        ],
    );
    assert_eq!(
        (w.step, problem(&w), w.sending),
        (Step::Code, Some(T::Required), false)
    );
}
