//! Townhall's web layer: HTML pages and a JSON API, both thin layers over `townhall-app`.
//! Only this crate knows HTTP. Every byte of public text reaches HTML through askama's escaping.

pub mod access;
mod admin;
mod api;
mod assets;
mod auth;
mod campaign_pages;
mod channels;
mod charts;
mod chrome;
mod consult_api;
mod consult_pages;
mod drafts_pages;
mod engage_api;
mod error;
mod headers;
mod ideas_pages;
mod inbox_admin;
mod inbox_pages;
mod opinion_map;
mod overview;
mod pages;
mod participate;
mod public_ideas;
mod readiness_pages;
mod report_pages;
mod trial_pages;
pub use report_pages::report_html;
mod request_log;
mod sections;
mod strategy_pages;

use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use townhall_app::accounts::Accounts;
use townhall_app::Store;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    /// Facts of the stored posts kept in memory between insight requests.
    pub insights: Arc<townhall_app::insights::Insights>,
    /// Accounts, sessions and sign-in rate limits.
    pub accounts: Arc<Accounts>,
    /// Imports started from the web.
    pub imports: Arc<townhall_app::import_jobs::ImportJobs>,
    /// Consultations: participant signing, rate limits and live results.
    pub consultations: Arc<townhall_app::consultations::Consultations>,
    /// Ideas from the public on idea campaigns' public pages (rate limits).
    pub public_ideas: Arc<townhall_app::campaigns::PublicIdeas>,
    /// Mark cookies `Secure` (when Townhall is served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(store: Arc<Store>) -> AppState {
        AppState {
            store,
            insights: Arc::new(townhall_app::insights::Insights::new()),
            accounts: Arc::new(Accounts::new()),
            imports: Arc::new(townhall_app::import_jobs::ImportJobs::new()),
            consultations: Arc::new(townhall_app::consultations::Consultations::default()),
            public_ideas: Arc::new(townhall_app::campaigns::PublicIdeas::default()),
            secure_cookies: false,
        }
    }

    /// Use other participation limits (votes and statements per participant and per address).
    pub fn with_participation_limits(
        self,
        limits: townhall_app::consultations::ParticipationLimits,
    ) -> AppState {
        AppState {
            consultations: Arc::new(townhall_app::consultations::Consultations::new(limits)),
            ..self
        }
    }

    pub fn with_secure_cookies(self, secure_cookies: bool) -> AppState {
        AppState {
            secure_cookies,
            ..self
        }
    }
}

/// The whole application's router.
pub fn router(state: AppState) -> Router {
    // Every route is listed in `access::ROUTES` with what it requires; `access::enforce` checks it.
    Router::new()
        .route("/login", get(auth::login_form).post(auth::login_submit))
        .route("/logout", post(auth::logout))
        .route(
            "/account/password",
            get(auth::password_form).post(auth::password_submit),
        )
        .route(
            "/api/session",
            post(auth::api_login).delete(auth::api_logout),
        )
        .route("/api/me", get(auth::api_me))
        .route("/api/account/password", post(auth::api_password))
        .route("/", get(overview::overview))
        .route("/explore", get(pages::explore))
        .route("/topics", get(sections::topics))
        .route("/language", get(sections::language))
        .route("/communities", get(sections::communities))
        .route("/engagement", get(sections::engagement))
        .route("/posts/{id}", get(pages::post))
        .route("/channels", get(channels::channels))
        .route(
            "/imports",
            post(channels::upload).layer(axum::extract::DefaultBodyLimit::max(
                channels::MAX_UPLOAD_BYTES,
            )),
        )
        .route("/imports/{id}", get(channels::job_page))
        .route("/api/imports/{id}", get(channels::api_job))
        .route("/api/channels", get(channels::api_channels))
        .route("/settings", get(admin::settings))
        .route("/settings/users", post(admin::create_user))
        .route("/settings/users/{username}", post(admin::user_action))
        .route("/audit", get(admin::audit))
        .route("/audit/export", get(admin::audit_export))
        .route("/api/health", get(api::health))
        .route("/api/search", get(api::search))
        .route("/api/posts/{id}", get(api::post))
        .route("/api/posts/{id}/thread", get(api::thread))
        .route("/api/insights", get(api::insights))
        .route(
            "/api/tracked-topics",
            get(api::tracked_topics).post(api::track),
        )
        .route(
            "/api/tracked-topics/{name}",
            axum::routing::delete(api::untrack),
        )
        .route(
            "/api/users",
            get(admin::api_users).post(admin::api_create_user),
        )
        .route("/api/audit", get(admin::api_audit))
        .route("/inbox", get(inbox_pages::inbox))
        .route("/inbox/bulk", post(inbox_pages::inbox_bulk))
        .route(
            "/inbox/settings",
            get(inbox_admin::inbox_settings).post(inbox_admin::save_inbox_settings),
        )
        .route(
            "/cases/{id}",
            get(inbox_pages::case).post(inbox_pages::case_post),
        )
        .route("/cases/{id}/approval", post(inbox_pages::case_approval))
        .route("/posts/{id}/flag", post(inbox_pages::flag))
        .route(
            "/ideas",
            get(ideas_pages::ideas).post(ideas_pages::submit_idea),
        )
        .route(
            "/ideas/{id}",
            get(ideas_pages::idea).post(ideas_pages::idea_post),
        )
        .route("/ideas/{id}/manage", post(ideas_pages::idea_manage))
        .route("/api/cases", get(engage_api::cases))
        .route("/api/cases/bulk", post(engage_api::cases_bulk))
        .route("/api/cases/{id}", get(engage_api::case))
        .route("/api/cases/{id}/actions", post(engage_api::case_action))
        .route("/api/cases/{id}/approval", post(engage_api::case_approval))
        .route("/api/posts/{id}/flag", post(engage_api::flag_post))
        .route("/api/inbox/measures", get(engage_api::measures))
        .route("/api/outbox", get(engage_api::outbox))
        .route("/api/inbox/settings", get(engage_api::inbox_settings))
        .route(
            "/api/inbox/intake-rules",
            post(engage_api::save_intake_rule),
        )
        .route(
            "/api/inbox/intake-rules/{name}",
            axum::routing::delete(engage_api::remove_intake_rule),
        )
        .route(
            "/api/inbox/routing-rules",
            post(engage_api::save_routing_rule),
        )
        .route(
            "/api/inbox/routing-rules/{name}",
            axum::routing::delete(engage_api::remove_routing_rule),
        )
        .route("/api/inbox/teams", post(engage_api::save_team))
        .route(
            "/api/inbox/saved-replies",
            post(engage_api::save_saved_reply),
        )
        .route(
            "/api/ideas",
            get(engage_api::list_ideas).post(engage_api::submit_idea),
        )
        .route("/api/ideas/{id}", get(engage_api::idea))
        .route("/api/ideas/{id}/actions", post(engage_api::idea_action))
        .route(
            "/consultations",
            get(consult_pages::consultations).post(consult_pages::create),
        )
        .route(
            "/consultations/{id}",
            get(consult_pages::consultation).post(consult_pages::consultation_post),
        )
        .route(
            "/consultations/{id}/seeds",
            post(consult_pages::upload_seeds).layer(axum::extract::DefaultBodyLimit::max(
                consult_pages::MAX_SEED_UPLOAD,
            )),
        )
        .route(
            "/consultations/{id}/moderation",
            get(consult_pages::moderation).post(consult_pages::moderate),
        )
        .route("/consultations/{id}/report", get(consult_pages::report))
        .route("/r/{token}", get(consult_pages::shared_report))
        .route("/c/{slug}", get(participate::page))
        .route(
            "/i/{slug}",
            get(public_ideas::page).post(public_ideas::submit),
        )
        .route("/c/{slug}/vote", post(participate::vote))
        .route("/c/{slug}/statements", post(participate::statement))
        .route(
            "/api/consultations",
            get(consult_api::list).post(consult_api::create),
        )
        .route("/api/consultations/{id}", get(consult_api::results))
        .route(
            "/api/consultations/{id}/phase",
            post(consult_api::set_phase),
        )
        .route(
            "/api/consultations/{id}/seeds",
            post(consult_api::add_seeds),
        )
        .route(
            "/api/consultations/{id}/moderation",
            get(consult_api::moderation_queue).post(consult_api::moderate),
        )
        .route("/api/c/{slug}/participants", post(consult_api::join))
        .route("/api/c/{slug}/next", get(consult_api::next))
        .route("/api/c/{slug}/votes", post(consult_api::vote))
        .route("/api/c/{slug}/statements", post(consult_api::statement))
        .route("/api/c/{slug}/standing", get(consult_api::standing))
        .route(
            "/drafts",
            get(drafts_pages::form).post(drafts_pages::submit),
        )
        .route("/api/drafts/check", post(drafts_pages::api_check))
        .route("/report", get(report_pages::report))
        .route("/report.pdf", get(report_pages::report_pdf))
        .route(
            "/strategies",
            get(strategy_pages::strategies).post(strategy_pages::create_page),
        )
        .route(
            "/strategies/{id}",
            get(strategy_pages::strategy).post(strategy_pages::strategy_post),
        )
        .route(
            "/api/strategies",
            get(strategy_pages::api_list).post(strategy_pages::api_create),
        )
        .route(
            "/api/strategies/{id}",
            get(strategy_pages::api_view).put(strategy_pages::api_update),
        )
        .route("/strategies/{id}/edit", post(strategy_pages::edit_page))
        .route(
            "/strategies/{id}/reviews",
            post(strategy_pages::review_page),
        )
        .route(
            "/api/strategies/{id}/reviews",
            post(strategy_pages::api_review),
        )
        .route(
            "/api/strategies/{id}/phase",
            post(strategy_pages::api_phase),
        )
        .route(
            "/readiness",
            get(readiness_pages::page).post(readiness_pages::submit),
        )
        .route(
            "/api/readiness",
            get(readiness_pages::api_view).post(readiness_pages::api_take),
        )
        .route(
            "/trials",
            get(trial_pages::trials).post(trial_pages::create_outbound_page),
        )
        .route(
            "/trials/{subject}/{id}",
            get(trial_pages::trial).post(trial_pages::trial_post),
        )
        .route("/api/trials", get(trial_pages::api_list))
        .route("/api/outbound", post(trial_pages::api_create_outbound))
        .route("/api/outbound/{id}/sent", post(trial_pages::api_sent))
        .route("/api/trials/{subject}/{id}", get(trial_pages::api_view))
        .route(
            "/api/trials/{subject}/{id}/feedback",
            post(trial_pages::api_feedback),
        )
        .route(
            "/api/trials/{subject}/{id}/release",
            post(trial_pages::api_release),
        )
        .route(
            "/campaigns",
            get(campaign_pages::campaigns).post(campaign_pages::create_page),
        )
        .route(
            "/campaigns/{slug}",
            get(campaign_pages::campaign).post(campaign_pages::campaign_post),
        )
        .route(
            "/api/campaigns",
            get(campaign_pages::api_list).post(campaign_pages::api_create),
        )
        .route("/api/campaigns/{slug}", get(campaign_pages::api_view))
        .route(
            "/api/campaigns/{slug}/audience",
            post(campaign_pages::api_audience),
        )
        .route("/assets/{name}", get(assets::serve))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            access::enforce,
        ))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(headers::security_headers))
        .layer(axum::middleware::from_fn(request_log::log_request))
        .with_state(state)
}

/// Serve until the process is stopped (Ctrl-C or SIGTERM).
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
