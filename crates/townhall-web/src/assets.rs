//! Our own front-end assets, compiled into the binary (no CDN).

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const STYLE: &str = include_str!("../assets/townhall.css");
const IMPORT_PROGRESS: &str = include_str!("../assets/import-progress.js");

pub(crate) async fn serve(Path(name): Path<String>) -> Response {
    match name.as_str() {
        "townhall.css" => (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            STYLE,
        )
            .into_response(),
        "import-progress.js" => (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            IMPORT_PROGRESS,
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
