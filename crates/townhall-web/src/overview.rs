//! The overview at `/`: volumes, top topics, sentiment, the engagement ratio and spikes, over every stored
//! post, from the insight engine. Each chart has its summary and data table.

use crate::charts::{bar_chart, column_chart, Chart};
use crate::chrome::Chrome;
use crate::error::ApiError;
use crate::pages::render;
use crate::sections::{explore_href, percent, whole_store_report};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use townhall_app::accounts::SessionUser;
use townhall_app::insights::InsightResponse;
use townhall_insight::presence::ChannelRole;
use townhall_insight::spikes::SpikeKind;

/// Topics and spikes shown.
const TOP_TOPICS: usize = 8;
const TOP_SPIKES: usize = 5;

struct Figure {
    label: &'static str,
    value: String,
    /// A search that lists the posts behind it.
    href: Option<String>,
}

struct ChannelRow {
    channel: String,
    role: &'static str,
    posts: u64,
    own_posts: u64,
    public_questions: u64,
    href: String,
}

struct SpikeRow {
    topic: String,
    date: String,
    kind: &'static str,
    channel: String,
    observed: u64,
    expected: String,
    z: String,
    /// The post that best shows it.
    post_href: Option<String>,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    title: &'static str,
    chrome: Chrome,
    empty: bool,
    figures: Vec<Figure>,
    charts: Vec<Chart>,
    channels: Vec<ChannelRow>,
    spikes: Vec<SpikeRow>,
    public_mood: String,
    own_mood: String,
}

fn mood(mean: f64, negative_share: f64, posts: u64) -> String {
    if posts == 0 {
        return "no posts".into();
    }
    format!(
        "mean {mean:+.2} over {posts} posts, {} negative",
        percent(negative_share)
    )
}

fn page_of(response: &InsightResponse, user: &SessionUser) -> OverviewPage {
    let report = &response.report;
    let channels = &report.where_.channels;
    let total: u64 = channels.iter().map(|c| c.posts).sum();
    let own: u64 = channels.iter().map(|c| c.own_posts).sum();
    let public: u64 = channels.iter().map(|c| c.public_posts).sum();
    let answering = &report.engagement.questions;
    let kinds = &report.engagement.kinds;
    let figures = vec![
        Figure {
            label: "Posts",
            value: total.to_string(),
            href: Some("/explore".into()),
        },
        Figure {
            label: "From the public",
            value: public.to_string(),
            href: Some(explore_href("own:false")),
        },
        Figure {
            label: "The agency's own",
            value: own.to_string(),
            href: Some(explore_href("own:true")),
        },
        Figure {
            label: "Public questions",
            value: answering.public_questions.to_string(),
            href: Some(explore_href(&answering.drill)),
        },
        Figure {
            label: "Questions answered",
            value: percent(answering.answered_share),
            href: None,
        },
        Figure {
            label: "Median time to first answer",
            value: answering
                .median_minutes_to_first_answer
                .map_or_else(|| "—".into(), |m| format!("{m:.0} min")),
            href: None,
        },
    ];

    let mut charts = Vec::new();
    let days: Vec<(String, f64)> = report
        .sentiment
        .by_day
        .iter()
        .map(|d| (d.date.clone(), d.summary.posts as f64))
        .collect();
    if let Some(peak) = days.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
        charts.push(column_chart(
            "posts-per-day",
            "Posts per day",
            &format!(
                "{} posts over {} days; the busiest day, {}, had {}.",
                total,
                days.len(),
                peak.0,
                peak.1
            ),
            ("Day", "Posts"),
            &days,
        ));
    }
    let topics: Vec<(String, f64)> = report
        .topics
        .discovered
        .iter()
        .take(TOP_TOPICS)
        .map(|t| (t.label.clone(), t.size as f64))
        .collect();
    if let Some(first) = topics.first() {
        charts.push(bar_chart(
            "top-topics",
            "What people talk about",
            &format!(
                "{} topics found; the largest, \u{201c}{}\u{201d}, has {} posts.",
                report.topics.discovered.len(),
                first.0,
                first.1
            ),
            ("Topic", "Posts"),
            &topics,
        ));
    }
    if kinds.total > 0 {
        charts.push(bar_chart(
            "engagement-ratio",
            "How the agency posts",
            &format!(
                "{} of the agency's {} posts are conversation (replies and quotes); {} are original broadcasts.",
                percent(kinds.conversational_share),
                kinds.total,
                kinds.original
            ),
            ("Kind of post", "Posts"),
            &[
                ("Original".to_string(), kinds.original as f64),
                ("Reply".to_string(), kinds.reply as f64),
                ("Quote".to_string(), kinds.quote as f64),
                ("Repost".to_string(), kinds.repost as f64),
            ],
        ));
    }

    let channel_rows = channels
        .iter()
        .map(|c| ChannelRow {
            channel: c.channel.clone(),
            role: match c.role {
                ChannelRole::PublicQuestions => "the public asks here",
                ChannelRole::PublicConversation => "the public talks here",
                ChannelRole::AnnouncementsOnly => "announcements only",
            },
            posts: c.posts,
            own_posts: c.own_posts,
            public_questions: c.public_questions,
            href: explore_href(&c.drill),
        })
        .collect();
    let spikes = report
        .topics
        .spikes
        .iter()
        .take(TOP_SPIKES)
        .map(|s| SpikeRow {
            topic: s.topic.clone(),
            date: s.spike.date.clone(),
            kind: match s.spike.kind {
                SpikeKind::Volume => "volume",
                SpikeKind::NegativeSentiment => "negative sentiment",
            },
            channel: s
                .spike
                .channel
                .clone()
                .unwrap_or_else(|| "all channels".into()),
            observed: s.spike.observed,
            expected: format!("{:.1}", s.spike.expected),
            z: format!("{:.1}", s.spike.z),
            post_href: s.spike.posts.first().map(|id| format!("/posts/{id}")),
        })
        .collect();
    let sentiment = &report.sentiment;
    OverviewPage {
        title: "Overview",
        chrome: Chrome::of(Some(user)),
        empty: total == 0,
        figures,
        charts,
        channels: channel_rows,
        spikes,
        public_mood: mood(
            sentiment.public.mean_compound,
            sentiment.public.negative_share,
            sentiment.public.posts,
        ),
        own_mood: mood(
            sentiment.own.mean_compound,
            sentiment.own.negative_share,
            sentiment.own.posts,
        ),
    }
}

pub(crate) async fn overview(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
) -> Result<Response, ApiError> {
    let response = whole_store_report(&state).await?;
    Ok(render(StatusCode::OK, &page_of(&response, &user)))
}
