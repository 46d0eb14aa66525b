//! End-to-end tests of topic discovery on synthetic posts with planted themes.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::matrix::SplitMix;
use super::*;

const THEMES: [&[&str]; 3] = [
    &[
        "health care",
        "medicaid",
        "insurance",
        "hospitals",
        "patients",
        "premiums",
        "coverage",
    ],
    &[
        "border",
        "immigration",
        "asylum",
        "migrants",
        "detention",
        "deportation",
        "refugees",
    ],
    &[
        "teachers",
        "schools",
        "students",
        "classrooms",
        "education",
        "tuition",
        "homework",
    ],
];
const FILLER: [&str; 8] = ["we", "must", "the", "and", "for", "our", "is", "about"];
const NOISE: [&str; 6] = ["lunch", "sunny", "traffic", "coffee", "weekend", "music"];

/// `per_theme` posts for each theme (theme of post i is i % 3), then `noise` posts of unrelated words. Posts mix
/// theme words with stop words, links, mentions and hashtags, as real posts do.
fn planted_corpus(per_theme: usize, noise: usize, seed: u64) -> (Vec<String>, Vec<Option<usize>>) {
    let mut rng = SplitMix::new(seed);
    let mut pick = |n: usize| (rng.next_u64() % n as u64) as usize;
    let mut posts = Vec::new();
    let mut truth = Vec::new();
    for i in 0..per_theme * THEMES.len() {
        let theme = THEMES[i % THEMES.len()];
        let mut words = Vec::new();
        for _ in 0..4 + pick(3) {
            words.push(FILLER[pick(FILLER.len())].to_owned());
            words.push(theme[pick(theme.len())].to_owned());
        }
        if pick(4) == 0 {
            words.push(format!("https://example.org/{i}"));
        }
        if pick(5) == 0 {
            words.insert(0, "@someone".to_owned());
        }
        words.push(NOISE[pick(NOISE.len())].to_owned());
        posts.push(words.join(" "));
        truth.push(Some(i % THEMES.len()));
    }
    for _ in 0..noise {
        posts.push(format!(
            "{} {}",
            NOISE[pick(NOISE.len())],
            FILLER[pick(FILLER.len())]
        ));
        truth.push(None);
    }
    (posts, truth)
}

fn small_config(k: usize) -> TopicConfig {
    TopicConfig {
        topics: TopicCount::Fixed(k),
        min_df: 2,
        max_df_ratio: 0.5,
        ..TopicConfig::default()
    }
}

/// For each planted theme, the topic most of its posts went to, and the share of its posts that went there.
fn theme_topics(model: &TopicModel, truth: &[Option<usize>]) -> Vec<(usize, f64)> {
    (0..THEMES.len())
        .map(|theme| {
            let members: Vec<Option<usize>> = truth
                .iter()
                .zip(&model.documents)
                .filter(|(t, _)| **t == Some(theme))
                .map(|(_, d)| d.map(|d| d.topic))
                .collect();
            let mut counts = vec![0usize; model.topics.len()];
            for topic in members.iter().flatten() {
                counts[*topic] += 1;
            }
            let (best, count) = counts
                .iter()
                .enumerate()
                .max_by_key(|&(i, c)| (*c, usize::MAX - i))
                .unwrap_or((0, &0));
            (best, *count as f64 / members.len() as f64)
        })
        .collect()
}

#[test]
fn recovers_planted_themes_with_readable_labels() {
    let (posts, truth) = planted_corpus(80, 40, 11);
    let model = discover(&posts, &small_config(3));
    assert_eq!(model.topics.len(), 3);
    assert!(
        model.vocabulary.iter().any(|t| t == "health care"),
        "phrase found: {:?}",
        model.vocabulary
    );

    let found = theme_topics(&model, &truth);
    let mut distinct: Vec<usize> = found.iter().map(|f| f.0).collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "each theme has its own topic: {found:?}");
    for (theme, &(topic, purity)) in found.iter().enumerate() {
        assert!(purity >= 0.95, "theme {theme} purity {purity}");
        let topic = &model.topics[topic];
        // The label is made of the theme's own words, with the phrase preferred where it is strong.
        assert!(!topic.key_phrases.is_empty() && topic.key_phrases.len() <= 3);
        for phrase in &topic.key_phrases {
            assert!(
                THEMES[theme].contains(&phrase.as_str()),
                "label {:?} for theme {theme}",
                topic.label
            );
        }
        assert_eq!(topic.label, topic.key_phrases.join(" · "));
        for (term, weight) in &topic.terms[..5] {
            assert!(
                THEMES[theme].contains(&term.as_str()),
                "term {term} in theme {theme}"
            );
            assert!(*weight > 0.0 && *weight <= 1.0);
        }
        // Representatives are members of the topic, listed once each.
        assert!(!topic.representatives.is_empty());
        for &doc in &topic.representatives {
            assert_eq!(model.documents[doc].map(|d| d.topic), Some(topic.id));
        }
        assert!(
            topic.coherence.is_some_and(|c| c > 0.0),
            "coherence {:?}",
            topic.coherence
        );
    }
    let health = &model.topics[found[0].0];
    assert!(
        health.key_phrases.iter().any(|p| p == "health care") || health.terms[0].0 != "health care"
    );
    // Noise posts (no theme word) get no topic.
    for (doc, t) in truth.iter().enumerate() {
        if t.is_none() {
            assert_eq!(
                model.documents[doc], None,
                "noise post {doc}: {:?}",
                posts[doc]
            );
        }
    }
    // Sizes count the assigned posts; topics are ordered by size.
    for topic in &model.topics {
        assert_eq!(
            topic.size,
            model
                .documents
                .iter()
                .flatten()
                .filter(|d| d.topic == topic.id)
                .count()
        );
    }
    assert!(model.topics.windows(2).all(|w| w[0].size >= w[1].size));
    assert!(model.coherence().is_some_and(|c| c > 0.0));
}

#[test]
fn discovery_is_deterministic() {
    let (posts, _) = planted_corpus(50, 10, 3);
    let a = discover(&posts, &small_config(3));
    let b = discover(&posts, &small_config(3));
    assert_eq!(a.topics, b.topics);
    assert_eq!(a.documents, b.documents);
    assert_eq!(a.vocabulary, b.vocabulary);
}

#[test]
fn thread_count_does_not_change_the_result() {
    // More posts than one reduction chunk (4,096), so that parallel sums really are split.
    let (posts, _) = planted_corpus(1500, 100, 8);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| discover(&posts, &small_config(3)))
    };
    let (one, three) = (run(1), run(3));
    assert_eq!(one.topics, three.topics);
    assert_eq!(one.documents, three.documents);
}

#[test]
fn assign_matches_discovery_and_handles_new_posts() {
    let (posts, _) = planted_corpus(60, 10, 5);
    let model = discover(&posts, &small_config(3));
    for (doc, post) in posts.iter().enumerate() {
        assert_eq!(model.assign(post), model.documents[doc], "post {doc}");
    }
    assert_eq!(model.assign_all(&posts), model.documents);
    let schools = model
        .topics
        .iter()
        .find(|t| {
            t.terms
                .iter()
                .take(3)
                .any(|(term, _)| term == "students" || term == "teachers" || term == "schools")
        })
        .map(|t| t.id);
    let new_post = model
        .assign("Our teachers and students need smaller classrooms! #education https://t.co/x");
    assert_eq!(new_post.map(|d| d.topic), schools);
    assert!(new_post.is_some_and(|d| d.weight > 0.2 && d.weight <= 1.0));
    // Words the model never saw give no topic; known words spread evenly over the themes give a weak one at most.
    assert_eq!(model.assign("El tiempo en Madrid es precioso"), None);
    assert!(model
        .assign("lunch and coffee this weekend")
        .is_none_or(|d| d.weight < 0.05));
    assert_eq!(model.assign(""), None);
}

#[test]
fn large_windows_are_fitted_on_a_sample_and_fully_assigned() {
    let (posts, truth) = planted_corpus(100, 0, 9);
    let config = TopicConfig {
        max_fit_docs: 120,
        ..small_config(3)
    };
    let model = discover(&posts, &config);
    assert_eq!(model.fitted_on, 120);
    assert_eq!(model.documents.len(), posts.len());
    for (doc, post) in posts.iter().enumerate() {
        assert_eq!(model.assign(post), model.documents[doc]);
    }
    assert!(theme_topics(&model, &truth)
        .iter()
        .all(|&(_, purity)| purity >= 0.95));
}

#[test]
fn automatic_topic_count_stays_in_range_and_finds_the_themes() {
    let (posts, truth) = planted_corpus(60, 0, 21);
    let config = TopicConfig {
        topics: TopicCount::Auto { min: 2, max: 6 },
        ..small_config(0)
    };
    let model = discover(&posts, &config);
    assert!(
        (2..=6).contains(&model.topics.len()),
        "{} topics",
        model.topics.len()
    );
    let found = theme_topics(&model, &truth);
    assert!(found.iter().all(|&(_, purity)| purity >= 0.8), "{found:?}");
}

#[test]
fn trend_counts_posts_per_topic_per_day() {
    let (posts, _) = planted_corpus(30, 0, 4);
    let model = discover(&posts, &small_config(3));
    let first = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    // Post i is on day i % 3, except the first, which is two days later than any other.
    let mut days: Vec<NaiveDate> = (0..posts.len())
        .map(|i| first + chrono::Days::new((i % 3) as u64))
        .collect();
    days[0] = first + chrono::Days::new(4);
    let trends = model.trend(&days);
    assert_eq!(trends.len(), model.topics.len());
    for trend in &trends {
        assert_eq!(
            trend.per_day.len(),
            5,
            "every day of the window, zeros included"
        );
        assert_eq!(trend.per_day[0].0, first);
        let total: usize = trend.per_day.iter().map(|d| d.1).sum();
        assert_eq!(total, model.topics[trend.topic].size);
        for &(day, count) in &trend.per_day {
            let expected = model
                .documents
                .iter()
                .zip(&days)
                .filter(|(d, &when)| when == day && d.is_some_and(|d| d.topic == trend.topic))
                .count();
            assert_eq!(count, expected);
        }
    }
}

#[test]
fn degenerate_inputs() {
    let empty: Vec<String> = Vec::new();
    let model = discover(&empty, &TopicConfig::default());
    assert!(model.topics.is_empty() && model.documents.is_empty());
    assert_eq!(model.assign("health care"), None);
    let stop_only = vec!["the and of", "RT @x https://t.co/y", "123 456"];
    let model = discover(&stop_only, &small_config(3));
    assert!(model.topics.is_empty());
    assert_eq!(model.documents, vec![None, None, None]);
    let (posts, _) = planted_corpus(20, 0, 1);
    assert!(discover(&posts, &small_config(0)).topics.is_empty());
}

const POOL: [&str; 12] = [
    "medicaid", "budget", "border", "schools", "veterans", "taxes", "climate", "jobs", "farmers",
    "roads", "housing", "water",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn every_post_gets_at_most_one_valid_topic(
        docs in prop::collection::vec(prop::collection::vec(0usize..POOL.len(), 0..6), 1..60),
        k in 1usize..5,
    ) {
        let posts: Vec<String> = docs.iter().map(|d| d.iter().map(|&w| POOL[w]).collect::<Vec<_>>().join(" ")).collect();
        let model = discover(&posts, &small_config(k));
        prop_assert_eq!(model.documents.len(), posts.len());
        prop_assert!(model.topics.len() <= k);
        let mut sizes = vec![0usize; model.topics.len()];
        for doc in model.documents.iter().flatten() {
            prop_assert!(doc.topic < model.topics.len());
            prop_assert!(doc.weight >= model_min_weight() && doc.weight <= 1.0 + 1e-9);
            sizes[doc.topic] += 1;
        }
        for topic in &model.topics {
            prop_assert_eq!(topic.size, sizes[topic.id]);
            prop_assert!(topic.coherence.is_none_or(|c| (-1.0..=1.0).contains(&c)));
        }
    }
}

fn model_min_weight() -> f64 {
    TopicConfig::default().min_weight
}
