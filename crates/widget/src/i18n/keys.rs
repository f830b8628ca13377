//! The keys of the widget's texts.
use tessera_protocol::Kind;

/// A text of the widget. Texts that depend on what is approved (log in, confirm a
/// payment, sign a document) come in three, see [`Text::of`]. No variant carries data,
/// so `i18n::t` compiles to a table lookup.
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
    ErrInsecurePage,
    ErrConnection,
    ErrRelay,
    ErrIban,
    ErrDisguise,
    ErrAmount,
    ErrDetails,
    /// "I can't scan" and its short code (issue 17).
    CantScan,
    ShortCodeIntro,
    NewShortCode,
    ShortCodeFailed,
    MoreTime,
    MoreTimeDone,
    MoreTimeRefused,
    SameDevice,
    /// The offline code (issue 17).
    OfflineOpen,
    OfflineIntro,
    OfflineQrAlt,
    OfflineCodeLabel,
    OfflineSubmit,
    OfflineWrong,
    OfflineTooMany,
    OfflineMalformed,
    OfflineFailed,
    /// `{}` is the user id.
    OfflineDone,
    /// A newer request to the same user cancelled this one.
    Superseded,
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
