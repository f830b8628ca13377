//! One error type for every handler. Client mistakes get a precise code and message and
//! are not logged (they may carry what a user typed); internal failures are logged and
//! answered with a generic body.
use axum::{
    Json,
    extract::rejection::JsonRejection,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use tessera_protocol::{VerifyError, api::ApiError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    Client {
        status: StatusCode,
        code: &'static str,
        message: String,
        attempts_left: Option<u32>,
    },
    #[error("the approval does not verify: {0}")]
    Verify(VerifyError),
    /// A refusal by the OpenID Provider, in the shape its clients read (RFC 6749 §5.2:
    /// `error`, `error_description`).
    #[error("{error}: {description}")]
    OAuth {
        status: StatusCode,
        error: &'static str,
        description: String,
    },
    #[error("database: {0}")]
    Database(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    pub fn client(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError::Client {
            status,
            code,
            message: message.into(),
            attempts_left: None,
        }
    }
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::client(StatusCode::BAD_REQUEST, code, message)
    }
    pub fn not_found(what: &str) -> Self {
        Self::client(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such {what}"),
        )
    }
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::client(StatusCode::UNAUTHORIZED, code, message)
    }
    /// A rate limit or lockout that holds for now (429).
    pub fn too_many(code: &'static str, message: impl Into<String>) -> Self {
        Self::client(StatusCode::TOO_MANY_REQUESTS, code, message)
    }
    /// An OAuth error; 400 unless it is `invalid_client` (401).
    pub fn oauth(error: &'static str, description: impl Into<String>) -> Self {
        let status = match error {
            "invalid_client" => StatusCode::UNAUTHORIZED,
            _ => StatusCode::BAD_REQUEST,
        };
        AppError::OAuth {
            status,
            error,
            description: description.into(),
        }
    }
    pub fn with_attempts_left(mut self, left: u32) -> Self {
        if let AppError::Client { attempts_left, .. } = &mut self {
            *attempts_left = Some(left);
        }
        self
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(error: rusqlite::Error) -> Self {
        AppError::Database(error.to_string())
    }
}

impl From<postgres::Error> for AppError {
    fn from(error: postgres::Error) -> Self {
        // The server's message (constraint, SQL state) is in the source, not the display.
        match error.as_db_error() {
            Some(db) => AppError::Database(format!("{}: {}", db.code().code(), db.message())),
            None => AppError::Database(error.to_string()),
        }
    }
}

impl From<VerifyError> for AppError {
    fn from(error: VerifyError) -> Self {
        AppError::Verify(error)
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        Self::client(
            rejection.status(),
            "malformed_request",
            rejection.body_text(),
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            AppError::Client {
                status,
                code,
                message,
                attempts_left,
            } => (
                status,
                ApiError {
                    code: code.into(),
                    message,
                    attempts_left,
                },
            ),
            AppError::OAuth {
                status,
                error,
                description,
            } => {
                let body = serde_json::json!({ "error": error, "error_description": description });
                let mut response = (status, Json(body)).into_response();
                let headers = response.headers_mut();
                headers.insert(
                    axum::http::header::CACHE_CONTROL,
                    axum::http::HeaderValue::from_static("no-store"),
                );
                if status == StatusCode::UNAUTHORIZED {
                    headers.insert(
                        axum::http::header::WWW_AUTHENTICATE,
                        axum::http::HeaderValue::from_static("Basic realm=\"tessera\""),
                    );
                }
                return response;
            }
            AppError::Verify(error) => (
                StatusCode::BAD_REQUEST,
                ApiError {
                    code: error.code().into(),
                    message: error.to_string(),
                    attempts_left: None,
                },
            ),
            internal => {
                tracing::error!(error = %internal, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ApiError {
                        code: "internal".into(),
                        message: "something went wrong on our side; nothing was changed".into(),
                        attempts_left: None,
                    },
                )
            }
        };
        problem(status, body)
    }
}

/// The problem types' base: `<base><code>` names each error (RFC 9457 `type`).
pub const PROBLEM_BASE: &str = "https://tessera.example/problems/";

/// An error as RFC 9457 problem details (`application/problem+json`): `type`, `title`,
/// `status` and `detail`, plus our own members `code`, `message` and `attempts_left`, which
/// every client of this API already reads.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ProblemDetails {
    /// `https://tessera.example/problems/<code>`.
    #[serde(rename = "type")]
    #[schema(example = "https://tessera.example/problems/invalid_api_key")]
    pub type_: String,
    /// The HTTP status's reason phrase.
    #[schema(example = "Unauthorized")]
    pub title: &'static str,
    /// The HTTP status code.
    #[schema(example = 401)]
    pub status: u16,
    /// A sentence for developers (the same as `message`).
    pub detail: String,
    /// Stable code to act on, e.g. `payee_name_bidi`, `wrong_pin`.
    #[schema(example = "invalid_api_key")]
    pub code: String,
    /// A sentence for developers.
    #[schema(example = "the API key is not valid")]
    pub message: String,
    /// Attempts left, where a counter applies (PIN, activation code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<u32>,
}

pub fn problem(status: StatusCode, error: ApiError) -> Response {
    let body = ProblemDetails {
        type_: format!("{PROBLEM_BASE}{}", error.code),
        title: status.canonical_reason().unwrap_or("Error"),
        status: status.as_u16(),
        detail: error.message.clone(),
        code: error.code,
        message: error.message,
        attempts_left: error.attempts_left,
    };
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/problem+json"),
    );
    response
}

/// `axum::Json` whose rejections (bad JSON, wrong content type, too large) answer in our
/// error shape.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct JsonBody<T>(pub T);

pub type AppResult<T> = Result<T, AppError>;
