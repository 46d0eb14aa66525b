//! One insight report over a scope of posts: one section per question an engagement team asks
//! (`where`, `topics`, `language`, `sentiment`, `communities`, `engagement`).

use crate::communities_report::{
    describe as describe_communities, detect as detect_communities_of, CommunitiesReport,
};
use crate::corpus::{Corpus, PostIx};
use crate::engagement::{engagement, reception, Engagement, Reception};
use crate::languages::{language_shares, LanguageShare};
use crate::mood::{by_day, DaySentiment, SentimentSummary};
use crate::presence::{presence, Presence};
use crate::topic_cache::TopicCache;
use crate::topics::{TopicConfig, TopicCount};
use crate::trend::{daily, spikes, DailySeries, DayRange, Spike};
use crate::vocabulary::{
    sentiment_drivers, vocabulary_gap, Drivers, ScopeVocabulary, VocabularyGap,
};
use serde::Serialize;

/// How a report is computed.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Time zone for hour-of-week figures.
    pub utc_offset_minutes: i32,
    /// Rows per list.
    pub top: usize,
    /// Identifies the scope for the topic-model cache.
    pub scope_key: String,
}

/// A saved query and the posts it matches (store ids, ascending).
#[derive(Debug, Clone)]
pub struct TrackedQuery {
    pub name: String,
    pub query: String,
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InsightReport {
    #[serde(rename = "where")]
    pub where_: Presence,
    pub topics: TopicsReport,
    pub language: LanguageReport,
    pub sentiment: SentimentReport,
    pub communities: CommunitiesReport,
    pub engagement: Engagement,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicsReport {
    /// Mean NPMI coherence of the discovered topics over the posts they were fitted on.
    pub coherence: Option<f64>,
    /// Posts the topics were fitted on, and whether this report fitted them afresh.
    pub fitted_on: usize,
    pub refitted: bool,
    /// Posts in scope with a topic.
    pub posts_with_topic: usize,
    pub discovered: Vec<TopicSummary>,
    pub tracked: Vec<TrackedSummary>,
    /// Every spike of every topic and tracked topic, strongest first.
    pub spikes: Vec<TopicSpike>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicSummary {
    pub id: usize,
    pub label: String,
    pub key_phrases: Vec<String>,
    pub terms: Vec<(String, f64)>,
    /// Posts in scope in this topic, and their share of the posts with a topic.
    pub size: usize,
    pub share: f64,
    pub coherence: Option<f64>,
    /// Most typical posts (store ids).
    pub representative_posts: Vec<i64>,
    pub trend: DailySeries,
    pub sentiment: SentimentSummary,
    pub languages: Vec<LanguageShare>,
    /// A query close to the topic (its key phrases); the exact members are listed by `representative_posts`
    /// and, in full, by the topic drill-down of the API.
    pub drill: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrackedSummary {
    pub name: String,
    pub query: String,
    /// Matching posts in scope.
    pub posts: usize,
    pub trend: DailySeries,
    pub sentiment: SentimentSummary,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicSpike {
    /// Topic label or tracked topic name.
    pub topic: String,
    /// Discovered topic id, or `None` for a tracked topic.
    pub topic_id: Option<usize>,
    #[serde(flatten)]
    pub spike: Spike,
}

#[derive(Debug, Clone, Serialize)]
pub struct LanguageReport {
    pub languages: Vec<LanguageShare>,
    pub by_topic: Vec<TopicLanguages>,
    /// The public's words the agency never uses, and the reverse, over the whole scope.
    pub vocabulary_gap: VocabularyGap,
    pub vocabulary_gap_by_topic: Vec<TopicGap>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicLanguages {
    pub topic: usize,
    pub label: String,
    pub languages: Vec<LanguageShare>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicGap {
    pub topic: usize,
    pub label: String,
    #[serde(flatten)]
    pub gap: VocabularyGap,
}

#[derive(Debug, Clone, Serialize)]
pub struct SentimentReport {
    /// The public's posts in scope.
    pub public: SentimentSummary,
    /// The agency's own posts in scope.
    pub own: SentimentSummary,
    pub by_day: Vec<DaySentiment>,
    /// What drives the public's negative and positive posts, over the whole scope.
    pub drivers: Drivers,
    pub by_topic: Vec<TopicSentiment>,
    /// Which own posts drew replies and which drew silence.
    pub reception: Reception,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicSentiment {
    pub topic: usize,
    pub label: String,
    pub sentiment: SentimentSummary,
    pub drivers: Drivers,
}

/// Distinct public authors a term needs before it counts as part of the vocabulary gap.
const GAP_MIN_AUTHORS: u64 = 3;
/// Posts a phrase needs on its side before it can drive sentiment.
const DRIVER_MIN_POSTS: u64 = 3;
/// Topic counts tried when choosing automatically.
const TOPICS_MIN: usize = 6;
const TOPICS_MAX: usize = 12;
/// Fewer posts than this make no topics worth showing.
const MIN_POSTS_FOR_TOPICS: usize = 30;
/// Posts fitted on at most (the rest are assigned): keeps a million-post window within seconds.
const MAX_FIT_POSTS: usize = 50_000;

/// The topic-discovery settings reports use.
pub fn topic_config() -> TopicConfig {
    TopicConfig {
        topics: TopicCount::Auto {
            min: TOPICS_MIN,
            max: TOPICS_MAX,
        },
        max_fit_docs: MAX_FIT_POSTS,
        ..TopicConfig::default()
    }
}

pub fn build(
    corpus: &Corpus,
    scope: &[PostIx],
    topic_cache: &mut TopicCache,
    tracked: &[TrackedQuery],
    options: &ReportOptions,
) -> InsightReport {
    let top = options.top.max(1);
    let range = DayRange::of(corpus, scope);

    // Topics beside the sections that do not break down by topic (fitting is only partly parallel).
    let find_topics = || {
        if scope.len() >= MIN_POSTS_FOR_TOPICS {
            let found = topic_cache.topics_for(&options.scope_key, corpus, scope, &topic_config());
            let k = found.model.topics.len();
            let mut members: Vec<Vec<PostIx>> = vec![Vec::new(); k];
            for (&ix, t) in scope.iter().zip(&found.topic_of) {
                if let Some(t) = t {
                    if let Some(m) = members.get_mut(*t) {
                        m.push(ix);
                    }
                }
            }
            let head: Vec<TopicHead> = found
                .model
                .topics
                .iter()
                .map(|t| TopicHead {
                    id: t.id,
                    label: t.label.clone(),
                    key_phrases: t.key_phrases.clone(),
                    terms: t.terms.clone(),
                    coherence: t.coherence,
                    representatives: t
                        .representatives
                        .iter()
                        .filter_map(|&i| found.fitted.get(i))
                        .map(|&ix| corpus.post(ix).id)
                        .take(top)
                        .collect(),
                })
                .collect();
            let meta = (
                found.model.coherence(),
                found.model.fitted_on,
                found.refitted,
            );
            (members, Some((head, meta)))
        } else {
            (Vec::new(), None)
        }
    };
    let ((topic_members, topics_head), (whole, detected)) = rayon::join(find_topics, || {
        rayon::join(
            || WholeScope::of(corpus, scope, options, top),
            || detect_communities_of(corpus, scope, top),
        )
    });
    let posts_with_topic: usize = topic_members.iter().map(Vec::len).sum();
    let heads: Vec<TopicHead> = topics_head
        .as_ref()
        .map(|(h, _)| h.clone())
        .unwrap_or_default();

    let mut all_spikes: Vec<TopicSpike> = Vec::new();
    let discovered: Vec<TopicSummary> = heads
        .iter()
        .map(|h| {
            let members = &topic_members[h.id];
            for spike in spikes(corpus, members, range, top) {
                all_spikes.push(TopicSpike {
                    topic: h.label.clone(),
                    topic_id: Some(h.id),
                    spike,
                });
            }
            TopicSummary {
                id: h.id,
                label: h.label.clone(),
                key_phrases: h.key_phrases.clone(),
                terms: h.terms.clone(),
                size: members.len(),
                share: members.len() as f64 / posts_with_topic.max(1) as f64,
                coherence: h.coherence,
                representative_posts: h.representatives.clone(),
                trend: daily(corpus, members, range),
                sentiment: SentimentSummary::of(corpus, members.iter().copied()),
                languages: language_shares(corpus, members),
                drill: key_phrase_query(&h.key_phrases),
            }
        })
        .collect();

    let tracked_summaries: Vec<TrackedSummary> = tracked
        .iter()
        .map(|t| {
            let members = intersect(corpus, scope, &t.ids);
            for spike in spikes(corpus, &members, range, top) {
                all_spikes.push(TopicSpike {
                    topic: t.name.clone(),
                    topic_id: None,
                    spike,
                });
            }
            TrackedSummary {
                name: t.name.clone(),
                query: t.query.clone(),
                posts: members.len(),
                trend: daily(corpus, &members, range),
                sentiment: SentimentSummary::of(corpus, members.iter().copied()),
            }
        })
        .collect();
    all_spikes.sort_by(|a, b| b.spike.z.total_cmp(&a.spike.z));

    let (coherence, fitted_on, refitted) = topics_head
        .as_ref()
        .map_or((None, 0, false), |(_, meta)| *meta);
    let topics = TopicsReport {
        coherence,
        fitted_on,
        refitted,
        posts_with_topic,
        discovered,
        tracked: tracked_summaries,
        spikes: all_spikes,
    };

    let mut topic_at = vec![None; corpus.len()];
    for (t, members) in topic_members.iter().enumerate() {
        for &ix in members {
            topic_at[ix as usize] = Some(t);
        }
    }
    // Describing communities by topic runs beside the per-topic breakdowns.
    let labels = heads_labels(&heads);
    let (communities_report, (languages_by_topic, gaps_by_topic, sentiment_by_topic)) = rayon::join(
        || {
            detected
                .as_ref()
                .map_or_else(CommunitiesReport::default, |found| {
                    describe_communities(corpus, found, &labels, &topic_at, top)
                })
        },
        || {
            let languages = heads
                .iter()
                .map(|h| TopicLanguages {
                    topic: h.id,
                    label: h.label.clone(),
                    languages: language_shares(corpus, &topic_members[h.id]),
                })
                .collect();
            let gaps = heads
                .iter()
                .map(|h| TopicGap {
                    topic: h.id,
                    label: h.label.clone(),
                    gap: vocabulary_gap(
                        corpus,
                        &whole.vocabulary,
                        &topic_members[h.id],
                        GAP_MIN_AUTHORS,
                        top,
                    ),
                })
                .collect();
            let sentiments = heads
                .iter()
                .map(|h| {
                    let members: Vec<PostIx> = topic_members[h.id]
                        .iter()
                        .copied()
                        .filter(|&ix| !corpus.post(ix).own)
                        .collect();
                    TopicSentiment {
                        topic: h.id,
                        label: h.label.clone(),
                        sentiment: SentimentSummary::of(corpus, members.iter().copied()),
                        drivers: sentiment_drivers(corpus, &members, DRIVER_MIN_POSTS, top),
                    }
                })
                .collect();
            (languages, gaps, sentiments)
        },
    );
    let language = LanguageReport {
        languages: whole.languages,
        by_topic: languages_by_topic,
        vocabulary_gap: whole.vocabulary_gap,
        vocabulary_gap_by_topic: gaps_by_topic,
    };
    let sentiment = SentimentReport {
        public: whole.public_sentiment,
        own: whole.own_sentiment,
        by_day: whole.by_day,
        drivers: whole.drivers,
        by_topic: sentiment_by_topic,
        reception: whole.reception,
    };
    InsightReport {
        where_: whole.presence,
        topics,
        language,
        sentiment,
        communities: communities_report,
        engagement: whole.engagement,
    }
}

/// The sections and figures over the whole scope, which do not depend on its topics.
struct WholeScope {
    vocabulary: ScopeVocabulary,
    languages: Vec<LanguageShare>,
    vocabulary_gap: VocabularyGap,
    public_sentiment: SentimentSummary,
    own_sentiment: SentimentSummary,
    by_day: Vec<DaySentiment>,
    drivers: Drivers,
    reception: Reception,
    presence: Presence,
    engagement: Engagement,
}

impl WholeScope {
    fn of(corpus: &Corpus, scope: &[PostIx], options: &ReportOptions, top: usize) -> Self {
        let vocabulary = ScopeVocabulary::of(corpus, scope);
        let public: Vec<PostIx> = scope
            .iter()
            .copied()
            .filter(|&ix| !corpus.post(ix).own)
            .collect();
        WholeScope {
            languages: language_shares(corpus, scope),
            vocabulary_gap: vocabulary_gap(corpus, &vocabulary, scope, GAP_MIN_AUTHORS, top),
            public_sentiment: SentimentSummary::of(corpus, public.iter().copied()),
            own_sentiment: SentimentSummary::of(
                corpus,
                scope.iter().copied().filter(|&ix| corpus.post(ix).own),
            ),
            by_day: by_day(corpus, scope),
            drivers: sentiment_drivers(corpus, &public, DRIVER_MIN_POSTS, top),
            reception: reception(corpus, scope, top),
            presence: presence(corpus, scope, options.utc_offset_minutes, top),
            engagement: engagement(corpus, scope),
            vocabulary,
        }
    }
}

/// What the report needs of a discovered topic.
#[derive(Debug, Clone)]
struct TopicHead {
    id: usize,
    label: String,
    key_phrases: Vec<String>,
    terms: Vec<(String, f64)>,
    coherence: Option<f64>,
    representatives: Vec<i64>,
}

fn heads_labels(heads: &[TopicHead]) -> Vec<String> {
    heads.iter().map(|h| h.label.clone()).collect()
}

/// Scope posts whose store ids are in `ids` (ascending).
fn intersect(corpus: &Corpus, scope: &[PostIx], ids: &[i64]) -> Vec<PostIx> {
    scope
        .iter()
        .copied()
        .filter(|&ix| ids.binary_search(&corpus.post(ix).id).is_ok())
        .collect()
}

/// `("health care" OR medicaid)`: the posts that speak of a topic's key phrases.
fn key_phrase_query(phrases: &[String]) -> String {
    let parts: Vec<String> = phrases
        .iter()
        .map(|p| crate::vocabulary::phrase_query(p))
        .filter(|p| !p.is_empty())
        .collect();
    match parts.len() {
        0 => String::new(),
        1 => parts[0].clone(),
        _ => format!("({})", parts.join(" OR ")),
    }
}
