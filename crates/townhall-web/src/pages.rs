//! Server-rendered pages. They work without JavaScript; askama escapes every value.

use crate::api::{self, SearchParams};
use crate::chrome::Chrome;
use crate::error::ApiError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use townhall_app::accounts::SessionUser;
use townhall_app::search::SearchPage;
use townhall_app::AppError;
use townhall_core::StoredPost;

const PAGE_SIZE: usize = 20;

/// A post as a result row shows it.
pub(crate) struct PostRow {
    pub id: i64,
    pub author: String,
    pub channel: String,
    pub kind: &'static str,
    pub time: String,
    pub iso_time: String,
    pub lang: String,
    pub sentiment: String,
    pub sentiment_label: &'static str,
    pub question: bool,
    pub own: bool,
    pub title: Option<String>,
    pub text: String,
    pub hashtags: Vec<String>,
    pub key_phrases: Vec<String>,
    pub url: Option<String>,
}

fn sentiment_label(compound: f64) -> &'static str {
    if compound >= 0.05 {
        "positive"
    } else if compound <= -0.05 {
        "negative"
    } else {
        "neutral"
    }
}

/// Only http(s) links are ever rendered as links.
fn safe_url(url: &Option<String>) -> Option<String> {
    url.as_ref()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .cloned()
}

impl From<&StoredPost> for PostRow {
    fn from(p: &StoredPost) -> Self {
        PostRow {
            id: p.id,
            author: p.author.clone().unwrap_or_else(|| "unknown".into()),
            channel: p.channel.to_string(),
            kind: p.kind.as_str(),
            time: p.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            iso_time: p.created_at.to_rfc3339(),
            lang: p.analysis.lang.clone().unwrap_or_else(|| "unknown".into()),
            sentiment: format!("{:+.2}", p.analysis.sentiment.compound),
            sentiment_label: sentiment_label(p.analysis.sentiment.compound),
            question: p.analysis.is_question,
            own: p.own,
            title: p.title.clone(),
            text: p.text.clone(),
            hashtags: p.analysis.hashtags.clone(),
            key_phrases: p.analysis.key_phrases.clone(),
            url: safe_url(&p.url),
        }
    }
}

#[derive(Template)]
#[template(path = "explore.html")]
struct ExplorePage {
    title: &'static str,
    chrome: Chrome,
    q: String,
    sort: String,
    error: Option<String>,
    error_pointer: Option<String>,
    total: usize,
    first: usize,
    last: usize,
    posts: Vec<PostRow>,
    prev_href: Option<String>,
    next_href: Option<String>,
}

fn page_href(q: &str, sort: &str, offset: usize) -> String {
    format!(
        "/explore?q={}&sort={}&offset={}",
        url_encode(q),
        url_encode(sort),
        offset
    )
}

/// `?message=` on a page a form redirected to: what happened, shown once at the top.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct MessageQuery {
    #[serde(default)]
    pub(crate) message: String,
}

impl MessageQuery {
    /// The message, capped: it comes from the address bar, so anyone can write it.
    pub(crate) fn shown(&self, max_chars: usize) -> String {
        self.message.chars().take(max_chars).collect()
    }
}

pub(crate) fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub(crate) fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

pub(crate) async fn explore(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(mut params): Query<SearchParams>,
) -> Response {
    params.limit = Some(PAGE_SIZE);
    let sort = params.sort.clone().unwrap_or_else(|| "relevance".into());
    let mut page = ExplorePage {
        title: "Explore",
        chrome: Chrome::of(Some(&user)),
        q: params.q.clone(),
        sort: sort.clone(),
        error: None,
        error_pointer: None,
        total: 0,
        first: 0,
        last: 0,
        posts: Vec::new(),
        prev_href: None,
        next_href: None,
    };
    let status = match api::run(&state, &params).await {
        Ok(SearchPage {
            total,
            offset,
            posts,
            ..
        }) => {
            page.total = total;
            page.first = offset + 1;
            page.last = offset + posts.len();
            page.posts = posts.iter().map(PostRow::from).collect();
            if offset > 0 {
                page.prev_href = Some(page_href(
                    &params.q,
                    &sort,
                    offset.saturating_sub(PAGE_SIZE),
                ));
            }
            if offset + PAGE_SIZE < total {
                page.next_href = Some(page_href(&params.q, &sort, offset + PAGE_SIZE));
            }
            StatusCode::OK
        }
        Err(ApiError::App(AppError::Query {
            message, pointer, ..
        })) => {
            page.error = Some(message);
            page.error_pointer = Some(pointer);
            StatusCode::BAD_REQUEST
        }
        Err(ApiError::App(AppError::Invalid(message))) => {
            page.error = Some(message);
            StatusCode::BAD_REQUEST
        }
        Err(e) => {
            tracing::error!(error = %e, "search failed");
            page.error = Some("The search failed; the log has the details.".into());
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    render(status, &page)
}

#[derive(Template)]
#[template(path = "post.html")]
struct PostPage {
    title: &'static str,
    chrome: Chrome,
    post: PostRow,
    external_id: String,
    reply_to: Option<String>,
    compound: String,
    pos: String,
    neu: String,
    neg: String,
    lang_confidence: String,
    mentions: Vec<String>,
    urls: Vec<String>,
    personal_data: Vec<&'static str>,
    parent: Option<PostRow>,
    replies: Vec<PostRow>,
    can_flag: bool,
    can_capture_idea: bool,
}

/// Replies shown under a post.
const THREAD_REPLIES: usize = 50;

pub(crate) async fn post(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
) -> Response {
    let store = state.store.clone();
    let found = tokio::task::spawn_blocking(move || store.thread(id, THREAD_REPLIES)).await;
    match found {
        Ok(Ok(Some(thread))) => {
            let p = &thread.post;
            let s = p.analysis.sentiment;
            let page = PostPage {
                title: "Post",
                chrome: Chrome::of(Some(&user)),
                post: PostRow::from(p),
                external_id: p.external_id.clone(),
                reply_to: p.reply_to.clone(),
                compound: format!("{:+.4}", s.compound),
                pos: format!("{:.3}", s.pos),
                neu: format!("{:.3}", s.neu),
                neg: format!("{:.3}", s.neg),
                lang_confidence: format!("{:.2}", p.analysis.lang_confidence),
                mentions: p.analysis.mentions.clone(),
                urls: p.analysis.urls.clone(),
                personal_data: p
                    .analysis
                    .personal_data
                    .iter()
                    .map(|m| m.kind.as_str())
                    .collect(),
                parent: thread.parent.as_ref().map(PostRow::from),
                replies: thread.replies.iter().map(PostRow::from).collect(),
                can_flag: user.can(townhall_core::Permission::Respond),
                can_capture_idea: user.can(townhall_core::Permission::ContributeIdeas),
            };
            render(StatusCode::OK, &page)
        }
        Ok(Ok(None)) => not_found().await,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "loading a post failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
    }
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    title: &'static str,
    chrome: Chrome,
}

pub(crate) async fn not_found() -> Response {
    render(
        StatusCode::NOT_FOUND,
        &NotFoundPage {
            title: "Not found",
            chrome: Chrome::of(None),
        },
    )
}

#[derive(Template)]
#[template(path = "refused.html")]
struct RefusedPage {
    title: &'static str,
    chrome: Chrome,
    heading: &'static str,
    message: String,
}

/// A page saying why a request was refused (no permission, a forged form).
pub(crate) fn refusal_page(status: StatusCode, message: &str) -> Response {
    let heading = match status {
        StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => "Not allowed",
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::CONFLICT => "Changed by someone else",
        s if s.is_client_error() => "That did not work",
        _ => "Something went wrong",
    };
    render(
        status,
        &RefusedPage {
            title: heading,
            chrome: Chrome::of(None),
            heading,
            message: message.to_string(),
        },
    )
}
