//! Townhall's web layer: HTML pages and a JSON API, both thin layers over `townhall-app`.
//! Only this crate knows HTTP. Every byte of public text reaches HTML through askama's escaping.

mod api;
mod assets;
mod error;
mod headers;
mod pages;

use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use townhall_app::Store;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    /// Facts of the stored posts kept in memory between insight requests.
    pub insights: Arc<townhall_app::insights::Insights>,
}

impl AppState {
    pub fn new(store: Arc<Store>) -> AppState {
        AppState {
            store,
            insights: Arc::new(townhall_app::insights::Insights::new()),
        }
    }
}

/// The whole application's router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::explore))
        .route("/explore", get(pages::explore))
        .route("/posts/{id}", get(pages::post))
        .route("/api/health", get(api::health))
        .route("/api/search", get(api::search))
        .route("/api/posts/{id}", get(api::post))
        .route("/api/posts/{id}/thread", get(api::thread))
        .route("/api/insights", get(api::insights))
        .route("/api/tracked-topics", get(api::tracked_topics))
        .route("/assets/{name}", get(assets::serve))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

/// Serve until the process is stopped (Ctrl-C or SIGTERM).
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
