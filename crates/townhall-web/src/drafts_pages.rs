//! The draft checker in the browser (`/drafts`) and the API (`POST /api/drafts/check`): an outbound
//! post scored before it goes out.

use crate::chrome::Chrome;
use crate::error::{blocking, ApiError, PageError};
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use serde::Deserialize;
use townhall_app::accounts::SessionUser;
use townhall_app::drafts::{check_draft, DraftRequest};
use townhall_strategy::draft::{DraftReport, Image};

/// Image slots on the form.
const IMAGE_SLOTS: usize = 3;

#[derive(Template)]
#[template(path = "drafts.html")]
struct DraftsPage {
    title: &'static str,
    chrome: Chrome,
    text: String,
    images: Vec<(usize, String, String)>,
    report: Option<ReportView>,
}

pub(crate) struct ReportView {
    pub(crate) grade: String,
    pub(crate) issues: usize,
    pub(crate) advice: Vec<String>,
    pub(crate) fixes: Vec<(String, String)>,
    pub(crate) jargon: Vec<String>,
    pub(crate) acronyms: Vec<String>,
    pub(crate) missing_alt: Vec<String>,
    pub(crate) hashtags: Vec<String>,
    pub(crate) personal_data: Vec<String>,
    pub(crate) reception: String,
    pub(crate) similar: Vec<(String, u64, String)>,
}

impl ReportView {
    pub(crate) fn of(r: &DraftReport) -> ReportView {
        ReportView {
            grade: r
                .readability
                .grade
                .map_or("not measured (not English)".into(), |g| format!("{g:.1}")),
            issues: r.issues,
            advice: r.advice.clone(),
            fixes: r
                .plain_fixes
                .iter()
                .map(|f| (f.found.clone(), f.use_instead.clone()))
                .collect(),
            jargon: r.jargon.clone(),
            acronyms: r.acronyms.clone(),
            missing_alt: r.missing_alt.clone(),
            hashtags: r.hashtags_not_camel_case.clone(),
            personal_data: r.personal_data.clone(),
            reception: r.reception.clone().unwrap_or_default(),
            similar: r
                .similar_posts
                .iter()
                .map(|s| {
                    (
                        s.text.clone(),
                        s.replies,
                        s.reply_sentiment
                            .map(|m| format!("{m:+.2}"))
                            .unwrap_or_else(|| "no replies stored".into()),
                    )
                })
                .collect(),
        }
    }
}

fn empty_images() -> Vec<(usize, String, String)> {
    (1..=IMAGE_SLOTS)
        .map(|i| (i, String::new(), String::new()))
        .collect()
}

pub(crate) async fn form(Extension(user): Extension<SessionUser>) -> Response {
    render(
        StatusCode::OK,
        &DraftsPage {
            title: "Draft checker",
            chrome: Chrome::of(Some(&user)),
            text: String::new(),
            images: empty_images(),
            report: None,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DraftForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    image_1: String,
    #[serde(default)]
    alt_1: String,
    #[serde(default)]
    image_2: String,
    #[serde(default)]
    alt_2: String,
    #[serde(default)]
    image_3: String,
    #[serde(default)]
    alt_3: String,
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Form(form): Form<DraftForm>,
) -> Result<Response, PageError> {
    let slots = [
        (&form.image_1, &form.alt_1),
        (&form.image_2, &form.alt_2),
        (&form.image_3, &form.alt_3),
    ];
    let images: Vec<Image> = slots
        .iter()
        .filter(|(name, alt)| !name.trim().is_empty() || !alt.trim().is_empty())
        .enumerate()
        .map(|(i, (name, alt))| Image {
            name: if name.trim().is_empty() {
                format!("image {}", i + 1)
            } else {
                name.trim().to_string()
            },
            alt: Some(alt.trim().to_string()).filter(|a| !a.is_empty()),
        })
        .collect();
    let request = DraftRequest {
        text: form.text.clone(),
        images,
        ..DraftRequest::default()
    };
    let (store, insights) = (state.store.clone(), state.insights.clone());
    let report = blocking(move || check_draft(&store, &insights, &request)).await?;
    let images = slots
        .iter()
        .enumerate()
        .map(|(i, (n, a))| (i + 1, n.to_string(), a.to_string()))
        .collect();
    Ok(render(
        StatusCode::OK,
        &DraftsPage {
            title: "Draft checker",
            chrome: Chrome::of(Some(&user)),
            text: form.text,
            images,
            report: Some(ReportView::of(&report)),
        },
    ))
}

pub(crate) async fn api_check(
    State(state): State<AppState>,
    Json(request): Json<DraftRequest>,
) -> Result<Response, ApiError> {
    let (store, insights) = (state.store.clone(), state.insights.clone());
    let report = blocking(move || check_draft(&store, &insights, &request)).await?;
    Ok(Json(report).into_response())
}
