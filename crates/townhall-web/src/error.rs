//! One error type for the API, with stable machine-readable codes mapped to HTTP status here only.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use townhall_app::AppError;

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
        (
            status,
            Json(Body {
                error: code,
                message,
                position,
            }),
        )
            .into_response()
    }
}
