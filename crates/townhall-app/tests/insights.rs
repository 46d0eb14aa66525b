#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Insight over a real SQLite store filled with real posts.

use std::path::PathBuf;
use townhall_app::import::{import_files, ImportRequest, NoProgress};
use townhall_app::insights::{InsightRequest, Insights};
use townhall_app::search::search;
use townhall_app::{AppError, Sort, Store};
use townhall_ingest::Format;

fn shared(path: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(path);
    assert!(p.exists(), "test data missing: {}", p.display());
    p
}

fn total(store: &Store, q: &str) -> usize {
    search(store, q, Sort::Relevance, 1, 0).unwrap().total
}

fn import_congress_as_own(store: &Store) {
    let request = ImportRequest {
        paths: vec![shared("govposts/congresstweets-2017-06-21.json")],
        own: true,
        keep_public_handles: Some(true),
        ..ImportRequest::default()
    };
    let summary = import_files(store, &request, &NoProgress).unwrap();
    assert_eq!(summary.imported, 2_727);
}

fn import_replies(store: &Store, threads: &[&str]) {
    let request = ImportRequest {
        paths: threads
            .iter()
            .map(|t| shared(&format!("publicreplies/{t}.json")))
            .collect(),
        format: Some(Format::PublicReplies),
        own_accounts: vec!["AOC".into()],
        ..ImportRequest::default()
    };
    import_files(store, &request, &NoProgress).unwrap();
}

#[test]
fn congress_day_engagement_reproduces_the_readme_classification() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    import_congress_as_own(&store);
    let insights = Insights::new();
    let r = insights.report(&store, &InsightRequest::default()).unwrap();
    assert_eq!(r.scope.posts, 2_727);

    // README: 2,727 distinct posts: 1,841 original, 273 quote, 504 retweet, 109 replies to others.
    let e = &r.report.engagement;
    assert_eq!(
        (
            e.kinds.original,
            e.kinds.quote,
            e.kinds.repost,
            e.kinds.reply
        ),
        (1_841, 273, 504, 109)
    );
    assert_eq!(e.kinds.total, 2_727);
    assert!((e.kinds.conversational_share - (273.0 + 109.0) / 2_727.0).abs() < 1e-12);
    // Per account and per week add up to the whole.
    let by_account: u64 = e.by_account.iter().map(|a| a.kinds.total).sum();
    assert_eq!(by_account, 2_727);
    let by_week: u64 = e.by_week.iter().map(|w| w.kinds.total).sum();
    assert_eq!(by_week, 2_727);

    // The JSON has one key per question.
    let json = serde_json::to_value(&r).unwrap();
    for key in [
        "where",
        "topics",
        "language",
        "sentiment",
        "communities",
        "engagement",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["engagement"]["original"], 1_841);
    assert_eq!(json["engagement"]["repost"], 504);

    // Where: every post is in a channel row; an all-own corpus carries only announcements.
    let channel_posts: u64 = r.report.where_.channels.iter().map(|c| c.posts).sum();
    assert_eq!(channel_posts, 2_727);
    let week: u64 = r.report.where_.hour_of_week.counts.iter().flatten().sum();
    assert_eq!(week, 2_727);

    // Topics: labelled themes made of words, not stop words; sizes add up.
    let t = &r.report.topics;
    assert!(t.discovered.len() >= 3, "{:?}", t.discovered.len());
    for topic in &t.discovered {
        assert!(!topic.label.is_empty());
        for phrase in &topic.key_phrases {
            assert!(
                !["the", "and", "of", "to", "rt", "amp", "https"].contains(&phrase.as_str()),
                "stop word as a label: {phrase}"
            );
        }
        assert!(!topic.representative_posts.is_empty());
        assert_eq!(topic.trend.posts.iter().sum::<u64>(), topic.size as u64);
    }
    let sized: usize = t.discovered.iter().map(|t| t.size).sum();
    assert_eq!(sized, t.posts_with_topic);
    assert!(t.coherence.is_some());

    // Language: English dominates Congress.
    assert_eq!(r.report.language.languages[0].lang, "en");

    // Communities: retweets, quotes and mentions between members make a graph with structure.
    let c = &r.report.communities;
    assert!(
        c.voices > 100 && c.ties > 100,
        "{} voices {} ties",
        c.voices,
        c.ties
    );
    assert!(c.modularity > 0.3, "modularity {}", c.modularity);
    assert!(!c.communities.is_empty());
}

#[test]
fn the_publics_replies_show_questions_drivers_and_the_vocabulary_gap() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    import_replies(
        &store,
        &[
            "1101514208636792832",
            "1099692206158479366",
            "1100511209885962246",
        ],
    );
    let insights = Insights::new();
    let r = insights.report(&store, &InsightRequest::default()).unwrap();

    // Every public question is counted; the questions' drill-down query finds the same posts.
    let questions = r.report.engagement.questions.public_questions;
    assert_eq!(questions as usize, total(&store, "own:false question:true"));
    assert!(questions > 50, "{questions}");

    // Where: the channel where the public replies carries public questions.
    assert!(r
        .report
        .where_
        .channels
        .iter()
        .any(|c| c.role == townhall_insight::presence::ChannelRole::PublicQuestions));

    // Sentiment drivers: phrases found in at least 3 negative (positive) posts.
    let s = &r.report.sentiment;
    assert!(!s.drivers.negative.is_empty() && !s.drivers.positive.is_empty());
    for d in s.drivers.negative.iter().chain(&s.drivers.positive) {
        assert!(d.posts >= 3 && d.z > 0.0, "{d:?}");
    }
    // The agency's own posts drew replies (the thread origins).
    assert!(s.reception.drew_any >= 1);
    assert!(s.reception.drew_replies[0].stored_replies > 50);

    // Vocabulary gap: words at least 3 people in the public use that the agency's posts never use.
    let gap = &r.report.language.vocabulary_gap;
    assert!(!gap.public_only.is_empty());
    for term in &gap.public_only {
        assert_eq!(term.other_side_posts, 0);
        assert!(term.authors >= 3);
    }

    // The reply graph: people replying to the agency's account.
    assert!(r.report.communities.voices > 100);
}

#[test]
fn scope_filters_agree_with_search_and_new_posts_arrive_incrementally() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    import_congress_as_own(&store);
    let insights = Insights::new();

    let health = InsightRequest {
        query: Some("health".into()),
        ..InsightRequest::default()
    };
    let r = insights.report(&store, &health).unwrap();
    assert_eq!(r.scope.posts, total(&store, "health"));

    let morning = InsightRequest {
        since: Some("2017-06-21T00:00:00Z".into()),
        until: Some("2017-06-21T12:00:00Z".into()),
        ..InsightRequest::default()
    };
    let r = insights.report(&store, &morning).unwrap();
    assert_eq!(
        r.scope.posts,
        total(
            &store,
            "since:2017-06-21T00:00:00Z until:2017-06-21T12:00:00Z"
        )
    );

    let bad = InsightRequest {
        since: Some("yesterday".into()),
        ..InsightRequest::default()
    };
    assert!(matches!(
        insights.report(&store, &bad),
        Err(AppError::Invalid(_))
    ));
    let bad_query = InsightRequest {
        query: Some("(health".into()),
        ..InsightRequest::default()
    };
    assert!(matches!(
        insights.report(&store, &bad_query),
        Err(AppError::Query { .. })
    ));

    // A tracked topic is counted over the scope like its query.
    townhall_app::tracked::track(&store, "health care", "\"health care\" OR trumpcare").unwrap();
    let all = insights.report(&store, &InsightRequest::default()).unwrap();
    let tracked = &all.report.topics.tracked[0];
    assert_eq!(tracked.posts, total(&store, "\"health care\" OR trumpcare"));
    assert!(
        all.report.topics.refitted,
        "the first whole-store report fits topics"
    );
    // The same request again, nothing new stored: the same report (kept, not recomputed).
    let again = insights.report(&store, &InsightRequest::default()).unwrap();
    assert_eq!(
        serde_json::to_string(&again).unwrap(),
        serde_json::to_string(&all).unwrap()
    );
    // A new tracked topic is a new request: it shows at once.
    townhall_app::tracked::track(&store, "passports", "passport").unwrap();
    let two = insights.report(&store, &InsightRequest::default()).unwrap();
    assert_eq!(two.report.topics.tracked.len(), 2);

    // New posts: the engine loads only them, and the topic model is reused for a small growth.
    import_replies(&store, &["1101520884022546434"]);
    let after = insights.report(&store, &InsightRequest::default()).unwrap();
    assert!(after.scope.stored_posts > all.scope.stored_posts);
    assert_eq!(after.scope.posts, after.scope.stored_posts);
    assert!(
        !after.report.topics.refitted,
        "a small growth reuses the model"
    );
    let with_topic: usize = after.report.topics.discovered.iter().map(|t| t.size).sum();
    assert_eq!(with_topic, after.report.topics.posts_with_topic);
}
