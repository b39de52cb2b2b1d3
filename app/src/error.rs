//! The one error type of the application.
//!
//! Every failure a user can see is one of a fixed set of kinds, each with a message written for
//! that user. Internal causes (database errors, I/O) are logged where they happen and reach the
//! user only as the fixed text of [`ErrorKind::Internal`].

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    NotFound,
    Unauthorised,
    Forbidden,
    Validation,
    Conflict,
    /// The request's body is larger than the server takes.
    TooLarge,
    /// Too many requests of this kind from this client or for this address: wait and try again.
    TooManyRequests,
    /// The server is too busy right now (for example, hashing passwords): try again shortly.
    Busy,
    Internal,
}

impl ErrorKind {
    /// The HTTP status code that carries this kind.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::NotFound => 404,
            ErrorKind::Unauthorised => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::Validation => 422,
            ErrorKind::Conflict => 409,
            ErrorKind::TooLarge => 413,
            ErrorKind::TooManyRequests => 429,
            ErrorKind::Busy => 503,
            ErrorKind::Internal => 500,
        }
    }
}

/// A failure as the user sees it: a kind, a message, and for validation failures the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For [`ErrorKind::TooManyRequests`] and [`ErrorKind::Busy`]: seconds to wait before
    /// trying again (also sent as the `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// What a client needs to continue after the refusal, when there is more than a message
    /// (a refused save of the declaration carries its conflict here: 409 with the conflict).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<serde_json::Value>,
}

pub const INTERNAL_MESSAGE: &str =
    "Something went wrong on our side. It has been logged; please try again in a moment.";

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        AppError {
            kind,
            message: message.into(),
            field: None,
            retry_after: None,
            detail: None,
        }
    }
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, what)
    }
    pub fn unauthorised() -> Self {
        Self::new(ErrorKind::Unauthorised, "Please log in to do this.")
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, message)
    }
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError {
            kind: ErrorKind::Validation,
            message: message.into(),
            field: Some(field.into()),
            retry_after: None,
            detail: None,
        }
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }
    /// The same error, carrying `detail` (see [`AppError::detail`]).
    pub fn with_detail(self, detail: impl Serialize) -> Self {
        AppError {
            detail: serde_json::to_value(detail).ok(),
            ..self
        }
    }
    /// Too many requests: try again in `seconds` (at least one).
    pub fn too_many(message: impl Into<String>, seconds: u64) -> Self {
        AppError {
            retry_after: Some(seconds.max(1)),
            ..Self::new(ErrorKind::TooManyRequests, message)
        }
    }
    /// The server is too busy for this now: try again in `seconds`.
    pub fn busy(seconds: u64) -> Self {
        AppError {
            retry_after: Some(seconds.max(1)),
            ..Self::new(
                ErrorKind::Busy,
                "The server is busy right now. Please try again in a moment.",
            )
        }
    }
    /// A request body over the limit.
    pub fn too_large() -> Self {
        Self::new(
            ErrorKind::TooLarge,
            "What was sent is too large for the server to accept.",
        )
    }
    /// An internal failure. The cause is for the log; the user gets a fixed text.
    pub fn internal() -> Self {
        Self::new(ErrorKind::Internal, INTERNAL_MESSAGE)
    }
    pub fn status(&self) -> u16 {
        self.kind.status()
    }
}

impl fmt::Display for AppError {
    /// Displayed as JSON, so that the error survives a round trip through text
    /// (server functions carry custom errors as strings).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_string(self) {
            Ok(s) => f.write_str(&s),
            Err(_) => f.write_str(&self.message),
        }
    }
}

impl FromStr for AppError {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(serde_json::from_str(s).unwrap_or_else(|_| AppError::new(ErrorKind::Internal, s)))
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Failures of the transport itself (a request that could not be sent or decoded). The
    /// decoder's own words stay out of the message; the server sets the status from the kind.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::new(
                ErrorKind::Validation,
                "The request was not understood: a value is missing or has the wrong form.",
            ),
            ServerFnErrorErr::Request(_) => AppError::new(
                ErrorKind::Internal,
                "The server could not be reached. Check your connection and try again.",
            ),
            ServerFnErrorErr::Registration(_) => AppError::not_found("That action does not exist."),
            _ => AppError::internal(),
        }
    }
}

#[cfg(feature = "ssr")]
mod server_side {
    use super::AppError;
    use sea_orm::DbErr;

    /// Turn a database failure into the user's [`AppError::internal`], logging the cause.
    pub trait OrInternal<T> {
        fn or_internal(self) -> Result<T, AppError>;
    }

    impl<T> OrInternal<T> for Result<T, DbErr> {
        #[track_caller]
        fn or_internal(self) -> Result<T, AppError> {
            let caller = std::panic::Location::caller();
            self.map_err(|e| {
                tracing::error!(error = %e, at = %caller, "database error");
                AppError::internal()
            })
        }
    }

    /// A database error inside [`db::write`] (or anywhere `?` meets one): logged, and a 500
    /// for the user, who learns nothing of the cause.
    impl From<DbErr> for AppError {
        #[track_caller]
        fn from(e: DbErr) -> Self {
            let caller = std::panic::Location::caller();
            tracing::error!(error = %e, at = %caller, "database error");
            AppError::internal()
        }
    }

    impl AppError {
        /// Mark the response of the current server function with this error's status code,
        /// so that a failed call is a 4xx/5xx on the wire and not a 200 or a generic 500.
        pub fn with_status(self) -> Self {
            if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                if let Ok(code) = axum::http::StatusCode::from_u16(self.status()) {
                    opts.set_status(code);
                }
            }
            self
        }
    }
}
#[cfg(feature = "ssr")]
pub use server_side::OrInternal;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        let e = AppError::validation("title", "A title is needed.");
        let back: AppError = e.to_string().parse().unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn kinds_map_to_statuses() {
        assert_eq!(AppError::not_found("x").status(), 404);
        assert_eq!(AppError::forbidden("x").status(), 403);
        assert_eq!(AppError::unauthorised().status(), 401);
        assert_eq!(AppError::validation("f", "x").status(), 422);
        assert_eq!(AppError::conflict("x").status(), 409);
        assert_eq!(AppError::internal().status(), 500);
        assert_eq!(AppError::internal().message, INTERNAL_MESSAGE);
    }
}
