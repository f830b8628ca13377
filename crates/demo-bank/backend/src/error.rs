//! The Demo Bank's one error. What its page got wrong or Tessera refused for the customer
//! is answered with a precise code; its own failures are logged and answered generically.
use axum::{
    Json,
    extract::rejection::JsonRejection,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use tessera_protocol::{VerifyError, api::ApiError};

/// Everything that can go wrong in the Demo Bank.
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    /// The page's request cannot be served (unknown session, a replay, bad JSON).
    #[error("{message}")]
    Client {
        /// The HTTP status to answer.
        status: StatusCode,
        /// The stable code the page acts on.
        code: &'static str,
        /// A sentence for developers.
        message: String,
    },
    /// The approval does not verify against the bank's record and pinned root.
    #[error("the approval does not verify: {0}")]
    Verify(#[from] VerifyError),
    /// Tessera refused what the customer typed (an IBAN, a disguised name): passed on as is.
    #[error("{}", .0.message)]
    Refused(ApiError),
    /// Tessera could not be reached or answered something else than the partner API says.
    #[error("Tessera: {0}")]
    Tessera(String),
    /// The bank's own database.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// The bank's configuration (at start): API key, pinned root, options.
    #[error("{0}")]
    Config(String),
    /// Anything else on the bank's side.
    #[error("internal: {0}")]
    Internal(String),
}

impl BankError {
    /// A refusal of the page's request.
    pub fn client(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        BankError::Client {
            status,
            code,
            message: message.into(),
        }
    }
}

impl From<JsonRejection> for BankError {
    fn from(rejection: JsonRejection) -> Self {
        Self::client(
            rejection.status(),
            "malformed_request",
            rejection.body_text(),
        )
    }
}

impl IntoResponse for BankError {
    fn into_response(self) -> Response {
        let client = |status, code: &str, message: String| {
            let body = ApiError {
                code: code.into(),
                message,
                attempts_left: None,
            };
            (status, Json(body)).into_response()
        };
        match self {
            BankError::Client {
                status,
                code,
                message,
            } => client(status, code, message),
            BankError::Refused(error) => (StatusCode::BAD_REQUEST, Json(error)).into_response(),
            BankError::Verify(error) => {
                client(StatusCode::BAD_REQUEST, error.code(), error.to_string())
            }
            internal => {
                tracing::error!(error = %internal, "internal error");
                client(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on our side; nothing was changed".into(),
                )
            }
        }
    }
}

/// `axum::Json` whose rejections (bad JSON, wrong content type, too large) answer in the
/// bank's error shape.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(BankError))]
pub struct JsonBody<T>(pub T);

/// The result of everything that can fail in the Demo Bank.
pub type BankResult<T> = Result<T, BankError>;
