//! One error type for the API, with stable machine-readable codes mapped to HTTP status here only.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use townhall_app::{AppError, StoreError};

#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("not found")]
    NotFound,
    #[error("the server is shutting down")]
    Join(#[from] tokio::task::JoinError),
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<usize>,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, String, Option<usize>) {
        match self {
            ApiError::App(AppError::Query {
                message, position, ..
            }) => (
                StatusCode::BAD_REQUEST,
                "query_syntax",
                message.clone(),
                Some(*position),
            ),
            ApiError::App(AppError::Invalid(m)) => {
                (StatusCode::BAD_REQUEST, "invalid", m.clone(), None)
            }
            ApiError::App(e @ AppError::Unauthorized) => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                e.to_string(),
                None,
            ),
            ApiError::App(e @ AppError::Forbidden { .. }) => {
                (StatusCode::FORBIDDEN, "forbidden", e.to_string(), None)
            }
            ApiError::App(e @ AppError::TooManyAttempts { .. }) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                e.to_string(),
                None,
            ),
            ApiError::App(e @ AppError::RateLimited { .. }) => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                e.to_string(),
                None,
            ),
            ApiError::App(AppError::NotOpen(m)) => {
                (StatusCode::FORBIDDEN, "not_open", m.clone(), None)
            }
            ApiError::App(AppError::Store(StoreError::Conflict(m))) => {
                (StatusCode::CONFLICT, "conflict", m.clone(), None)
            }
            ApiError::App(AppError::Store(e @ StoreError::NotFound(_))) => {
                (StatusCode::NOT_FOUND, "not_found", e.to_string(), None)
            }
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", "not found".into(), None),
            other => {
                // The cause stays in the log; the client gets an opaque 500.
                tracing::error!(error = %other, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error".into(),
                    None,
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, position) = self.parts();
        let retry_after = match &self {
            ApiError::App(AppError::TooManyAttempts { retry_after_secs })
            | ApiError::App(AppError::RateLimited {
                retry_after_secs, ..
            }) => Some(*retry_after_secs),
            _ => None,
        };
        let mut response = (
            status,
            Json(Body {
                error: code,
                message,
                position,
            }),
        )
            .into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl ApiError {
    /// The status and the message a person may read (internal causes stay in the log).
    pub(crate) fn status_and_message(&self) -> (StatusCode, String) {
        let (status, _, message, _) = self.parts();
        (status, message)
    }
}

/// An error on a page: the same statuses as the API, shown as an HTML page.
#[derive(Debug)]
pub(crate) struct PageError(pub ApiError);

impl<E: Into<ApiError>> From<E> for PageError {
    fn from(e: E) -> PageError {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, message) = self.0.status_and_message();
        crate::pages::refusal_page(status, &message)
    }
}

/// Run store work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, ApiError> {
    Ok(tokio::task::spawn_blocking(work).await??)
}
