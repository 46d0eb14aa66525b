//! The draft checker over the agency's own data: an outbound post is scored before it goes out
//! against the terms only the agency uses (the vocabulary gap of the stored conversation) and the
//! reception of the agency's similar past posts.

use crate::insights::{InsightRequest, Insights};
use crate::AppError;
use townhall_store::Store;
use townhall_strategy::draft::{check, Draft, DraftReport, Image, PastPost};

/// Longest draft checked (a long article is not a post).
pub const MAX_DRAFT_CHARS: usize = 5_000;
/// Own posts compared with the draft.
const PAST_POSTS: usize = 2_000;
/// Agency-only terms looked for.
const GAP_TERMS: usize = 100;

/// What the person drafting gives.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DraftRequest {
    pub text: String,
    #[serde(default)]
    pub images: Vec<Image>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub max_grade: Option<f64>,
}

/// Check a draft against the stored conversation.
pub fn check_draft(
    store: &Store,
    insights: &Insights,
    request: &DraftRequest,
) -> Result<DraftReport, AppError> {
    let chars = request.text.chars().count();
    if request.text.trim().is_empty() {
        return Err(AppError::Invalid("text: write the post to check".into()));
    }
    if chars > MAX_DRAFT_CHARS {
        return Err(AppError::Invalid(format!(
            "text: {chars} characters; at most {MAX_DRAFT_CHARS}"
        )));
    }
    if let Some(grade) = request.max_grade {
        if !(1.0..=20.0).contains(&grade) {
            return Err(AppError::Invalid("max_grade: between 1 and 20".into()));
        }
    }
    let gap: Vec<String> = insights
        .report(store, &InsightRequest::default())?
        .report
        .language
        .vocabulary_gap
        .agency_only
        .into_iter()
        .take(GAP_TERMS)
        .map(|t| t.term)
        .collect();
    let past: Vec<PastPost> = store
        .own_post_reception(PAST_POSTS)?
        .into_iter()
        .map(|p| PastPost {
            id: p.id,
            text: p.text,
            replies: p.replies,
            reply_sentiment: p.reply_sentiment,
        })
        .collect();
    Ok(check(&Draft {
        text: &request.text,
        images: &request.images,
        language: request.language.as_deref(),
        max_grade: request.max_grade,
        agency_only_terms: &gap,
        past_posts: &past,
    }))
}
