//! Flow A, a new user, as a wizard: one step per screen in the seed's order (FLOWS.md A,
//! steps 4-12), every entry kept when the user goes back or the server refuses, and one
//! activation request with the setup at the end. Pure: the screen renders a [`Wizard`]
//! and sends it [`WizardAction`]s.
use std::rc::Rc;

use tessera_protocol::{
    PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, PasswordProblem, SECURITY_ANSWERS, SECURITY_QUESTIONS,
    api::{NewUserSetup, SecurityAnswer},
    password_problem,
};
use yew::Reducible;

use crate::errors::{Failure, FormError};
use crate::i18n::T;
use crate::pin::{PinError, check_new_pin};

/// The steps, in the seed's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// User ID and the password received with the order (step 4).
    Credentials,
    /// The terms and conditions, accepted with a toggle (step 5).
    Terms,
    /// The activation code (step 6).
    Code,
    /// Biometrics, optional: on right after activation, or later from Settings (step 7).
    Biometrics,
    /// The PIN, twice (step 8).
    Pin,
    /// Three security questions and their answers (step 9).
    Questions,
    /// The questions and answers to check and confirm (step 10).
    Review,
    /// The device's name (step 11).
    Name,
    /// The new password, twice; its button sends the activation (step 12).
    Password,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 9] = [
        Step::Credentials,
        Step::Terms,
        Step::Code,
        Step::Biometrics,
        Step::Pin,
        Step::Questions,
        Step::Review,
        Step::Name,
        Step::Password,
    ];

    /// Its place, from 1.
    pub fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    /// The step after this one (the last has none).
    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.number()).copied()
    }

    /// The step before this one (the first has none).
    pub fn previous(self) -> Option<Step> {
        self.number().checked_sub(2).map(|i| Step::ALL[i])
    }

    /// The step's section id (`data-step` of `#new-user`).
    pub fn id(self) -> &'static str {
        match self {
            Step::Credentials => "credentials",
            Step::Terms => "terms",
            Step::Code => "code",
            Step::Biometrics => "biometrics",
            Step::Pin => "pin",
            Step::Questions => "questions",
            Step::Review => "review",
            Step::Name => "name",
            Step::Password => "password",
        }
    }

    /// The step's heading.
    pub fn title(self) -> T {
        match self {
            Step::Credentials => T::StepCredentials,
            Step::Terms => T::StepTerms,
            Step::Code => T::StepCode,
            Step::Biometrics => T::StepBiometrics,
            Step::Pin => T::StepPin,
            Step::Questions => T::StepQuestions,
            Step::Review => T::StepReview,
            Step::Name => T::StepName,
            Step::Password => T::StepPassword,
        }
    }

    /// The step where the user fixes what the server refused with `code`; `None` for an
    /// answer no step can fix (the network, too many attempts…).
    pub fn for_error(code: &str) -> Option<Step> {
        Some(match code {
            "invalid_credentials" => Step::Credentials,
            "terms_not_accepted" => Step::Terms,
            "wrong_activation_code" | "activation_code_void" => Step::Code,
            "weak_pin" | "invalid_pin" => Step::Pin,
            "security_answers_invalid" => Step::Questions,
            "invalid_device_name" => Step::Name,
            c if c.starts_with("password_") => Step::Password,
            _ => return None,
        })
    }
}

/// A text entry of the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The user ID.
    UserId,
    /// The password received with the order.
    Password,
    /// The activation code.
    Code,
    /// The new PIN.
    Pin,
    /// The new PIN again.
    PinConfirm,
    /// The answer to question `0..3`.
    Answer(usize),
    /// The device's name.
    DeviceName,
    /// The new password.
    NewPassword,
    /// The new password again.
    NewPasswordConfirm,
}

/// What the user entered so far. Its `Debug` hides the secrets (passwords, code, PINs,
/// answers).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Entries {
    /// The user ID.
    pub user_id: String,
    /// The password received with the order.
    pub password: String,
    /// The terms and conditions are accepted.
    pub terms: bool,
    /// Biometrics are to be turned on right after activation.
    pub biometrics: bool,
    /// The activation code.
    pub code: String,
    /// The new PIN.
    pub pin: String,
    /// The new PIN again.
    pub pin_confirm: String,
    /// The chosen questions, by index into [`SECURITY_QUESTIONS`].
    pub questions: [Option<u8>; SECURITY_ANSWERS],
    /// The answers, in the order of the questions.
    pub answers: [String; SECURITY_ANSWERS],
    /// The device's name.
    pub device_name: String,
    /// The new password.
    pub new_password: String,
    /// The new password again.
    pub new_password_confirm: String,
}

impl core::fmt::Debug for Entries {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Entries")
            .field("user_id", &self.user_id)
            .field("terms", &self.terms)
            .field("biometrics", &self.biometrics)
            .field("questions", &self.questions)
            .field("device_name", &self.device_name)
            .finish_non_exhaustive()
    }
}

impl Entries {
    /// The text of `entry`.
    pub fn get(&self, entry: Entry) -> &str {
        match entry {
            Entry::UserId => &self.user_id,
            Entry::Password => &self.password,
            Entry::Code => &self.code,
            Entry::Pin => &self.pin,
            Entry::PinConfirm => &self.pin_confirm,
            Entry::Answer(i) => self.answers.get(i).map_or("", String::as_str),
            Entry::DeviceName => &self.device_name,
            Entry::NewPassword => &self.new_password,
            Entry::NewPasswordConfirm => &self.new_password_confirm,
        }
    }

    fn get_mut(&mut self, entry: Entry) -> Option<&mut String> {
        Some(match entry {
            Entry::UserId => &mut self.user_id,
            Entry::Password => &mut self.password,
            Entry::Code => &mut self.code,
            Entry::Pin => &mut self.pin,
            Entry::PinConfirm => &mut self.pin_confirm,
            Entry::Answer(i) => self.answers.get_mut(i)?,
            Entry::DeviceName => &mut self.device_name,
            Entry::NewPassword => &mut self.new_password,
            Entry::NewPasswordConfirm => &mut self.new_password_confirm,
        })
    }

    /// The questions chosen in the other lists than `list`: the options `list` offers
    /// disabled.
    pub fn taken_elsewhere(&self, list: usize) -> Vec<u8> {
        self.questions
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != list)
            .filter_map(|(_, q)| *q)
            .collect()
    }

    /// What is wrong on `step`, if anything, in the order the user should fix it.
    pub fn check(&self, step: Step) -> Result<(), T> {
        match step {
            Step::Credentials if self.user_id.trim().is_empty() || self.password.is_empty() => {
                Err(T::Required)
            }
            Step::Terms if !self.terms => Err(T::ErrTerms),
            Step::Code if self.code.trim().is_empty() => Err(T::Required),
            Step::Pin => check_new_pin(&self.pin, &self.pin_confirm).map_err(|e| match e {
                PinError::Length => T::PinLength,
                PinError::Trivial => T::PinTrivial,
                PinError::Mismatch => T::PinMismatch,
            }),
            Step::Questions => self.check_questions(),
            Step::Name if self.device_name.trim().is_empty() => Err(T::Required),
            Step::Name if self.device_name.trim().chars().count() > 64 => Err(T::ErrDeviceName),
            Step::Password => match password_problem(&self.new_password, &self.user_id) {
                Some(problem) => Err(password_text(problem)),
                None if self.new_password != self.new_password_confirm => Err(T::PasswordMismatch),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    fn check_questions(&self) -> Result<(), T> {
        let chosen: Vec<u8> = self.questions.iter().filter_map(|q| *q).collect();
        if chosen.len() < SECURITY_ANSWERS
            || chosen
                .iter()
                .any(|&q| usize::from(q) >= SECURITY_QUESTIONS.len())
        {
            return Err(T::QuestionsPick);
        }
        if (1..chosen.len()).any(|i| chosen[..i].contains(&chosen[i])) {
            return Err(T::QuestionsDistinct);
        }
        if self
            .answers
            .iter()
            .any(|a| compared_answer(a).chars().count() < 2)
        {
            return Err(T::AnswerShort);
        }
        Ok(())
    }

    /// The first step (in order) with something wrong, and what.
    pub fn first_problem(&self) -> Option<(Step, T)> {
        Step::ALL
            .into_iter()
            .find_map(|step| self.check(step).err().map(|t| (step, t)))
    }

    /// The setup the activation request carries, once every step is right.
    pub fn setup(&self) -> Result<NewUserSetup, (Step, T)> {
        if let Some(problem) = self.first_problem() {
            return Err(problem);
        }
        Ok(NewUserSetup {
            terms_accepted: self.terms,
            security_answers: self
                .questions
                .iter()
                .zip(&self.answers)
                .filter_map(|(q, a)| {
                    q.map(|question| SecurityAnswer {
                        question,
                        answer: a.trim().into(),
                    })
                })
                .collect(),
            new_password: self.new_password.clone(),
        })
    }
}

/// The sentence for a password problem.
pub fn password_text(problem: PasswordProblem) -> T {
    match problem {
        PasswordProblem::Length => T::PasswordLength,
        PasswordProblem::Mix => T::PasswordMix,
        PasswordProblem::ContainsUserId => T::PasswordUserId,
        PasswordProblem::Control => T::PasswordControl,
    }
}

/// The live checklist under the new password: each rule and whether it is met. The
/// same rules as [`password_problem`] (a test holds them together), one line each, so
/// the user sees all that is missing at once rather than the first problem.
pub fn password_checklist(password: &str, confirm: &str, user_id: &str) -> [(T, bool); 4] {
    let length = (PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&password.chars().count());
    let mix = password.chars().any(char::is_alphabetic)
        && password.chars().any(|c| c.is_ascii_digit())
        && password.chars().any(|c| !c.is_alphanumeric());
    let user = user_id.trim().to_lowercase();
    let no_user = user.chars().count() < 3 || !password.to_lowercase().contains(&user);
    [
        (T::CheckLength, length),
        (T::CheckMix, mix),
        (T::CheckUserId, no_user && !password.is_empty()),
        (T::CheckMatch, !password.is_empty() && password == confirm),
    ]
}

/// The wizard: the step on screen, the entries, what is wrong, and whether the request
/// is on its way. Its `Debug` shows the step only: the entries hold secrets.
#[derive(Clone, PartialEq)]
pub struct Wizard {
    /// The step on screen.
    pub step: Step,
    /// What the user entered.
    pub entries: Entries,
    /// What the error line says.
    pub problem: Option<FormError>,
    /// The activation request is on its way.
    pub sending: bool,
}

impl Default for Wizard {
    fn default() -> Self {
        Wizard {
            step: Step::Credentials,
            entries: Entries::default(),
            problem: None,
            sending: false,
        }
    }
}

impl core::fmt::Debug for Wizard {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Wizard")
            .field("step", &self.step)
            .field("sending", &self.sending)
            .finish_non_exhaustive()
    }
}

/// Everything that changes the wizard.
#[derive(Debug, Clone, PartialEq)]
pub enum WizardAction {
    /// A text entry changed.
    Set(Entry, String),
    /// The terms toggle.
    Terms(bool),
    /// The biometrics toggle.
    Biometrics(bool),
    /// The question chosen in list `0..3` (`None`: the empty choice).
    Question(usize, Option<u8>),
    /// Forward, if the step is right; else its problem shows.
    Next,
    /// Back one step, keeping every entry.
    Back,
    /// The last step's button: the request goes if every step is right; else the first
    /// wrong step shows with its problem.
    Send,
    /// The server refused: the step that fixes it, with the server's sentence.
    Failed(Failure),
}

impl Reducible for Wizard {
    type Action = WizardAction;

    fn reduce(self: Rc<Self>, action: WizardAction) -> Rc<Self> {
        let mut next = (*self).clone();
        if self.sending && !matches!(action, WizardAction::Failed(_)) {
            return self;
        }
        match action {
            WizardAction::Set(entry, value) => {
                if let Some(slot) = next.entries.get_mut(entry) {
                    *slot = value;
                }
            }
            WizardAction::Terms(on) => {
                next.entries.terms = on;
                if on && self.step == Step::Terms {
                    next.problem = None;
                }
            }
            WizardAction::Biometrics(on) => next.entries.biometrics = on,
            WizardAction::Question(list, question) => {
                if let Some(slot) = next.entries.questions.get_mut(list) {
                    *slot = question.filter(|&q| usize::from(q) < SECURITY_QUESTIONS.len());
                }
            }
            WizardAction::Next => match (self.entries.check(self.step), self.step.next()) {
                (Ok(()), Some(step)) => {
                    next.step = step;
                    next.problem = None;
                }
                (Ok(()), None) => return self,
                (Err(t), _) => next.problem = Some(FormError::Local(t)),
            },
            WizardAction::Back => {
                next.step = self.step.previous().unwrap_or(self.step);
                next.problem = None;
            }
            WizardAction::Send => match self.entries.first_problem() {
                None => {
                    next.sending = true;
                    next.problem = None;
                }
                Some((step, t)) => {
                    next.step = step;
                    next.problem = Some(FormError::Local(t));
                }
            },
            WizardAction::Failed(failure) => {
                next.sending = false;
                if let Some(step) = Step::for_error(failure.code()) {
                    next.step = step;
                }
                next.problem = Some(FormError::Server(failure));
            }
        }
        Rc::new(next)
    }
}

/// The answer in the form the server compares and counts
/// ([`tessera_protocol::normalize_answer`]). In the
/// browser the NFKC step is the browser's own, so the companion's wasm does not carry
/// unicode-normalization's compatibility tables (about 54 KB brotli, issue 19); the
/// server still checks with its own tables, so a difference of Unicode versions can only
/// turn this early message into the server's refusal.
fn compared_answer(answer: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let nfkc = String::from(js_sys::JsString::from(answer).normalize("NFKC"));
        tessera_protocol::fold_answer(&nfkc)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        tessera_protocol::normalize_answer(answer)
    }
}

#[cfg(test)]
#[path = "wizard_tests.rs"]
mod tests;
