//! The VADER port against reference scores from Python `vaderSentiment` 3.3.2, written by
//! `bench/vader/make_reference.py` into `tests/data/vader/` (no Python needed here).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use townhall_analysis::sentiment::vader;
use townhall_core::Sentiment;

/// The issue's acceptance tolerance and the one we aim for.
const LOOSE: f64 = 1e-3;
const EXACT: f64 = 1e-6;

fn fixture(name: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/vader")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn expected_scores(record: &Value) -> Sentiment {
    let field = |name: &str| {
        record[name]
            .as_f64()
            .unwrap_or_else(|| panic!("no {name} in {record}"))
    };
    Sentiment {
        compound: field("compound"),
        pos: field("pos"),
        neu: field("neu"),
        neg: field("neg"),
    }
}

fn max_difference(a: &Sentiment, b: &Sentiment) -> f64 {
    [
        (a.compound - b.compound).abs(),
        (a.pos - b.pos).abs(),
        (a.neu - b.neu).abs(),
        (a.neg - b.neg).abs(),
    ]
    .into_iter()
    .fold(0.0, f64::max)
}

fn shared_sentiment_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/sentiment");
    assert!(
        dir.is_dir(),
        "test data folder {} is missing: it holds the VADER movie-review snippets (see its README)",
        dir.display()
    );
    dir
}

/// `movieReviewSnippets_GroundTruth.txt` as (id, mean human rating, text): tab-separated; CRLF.
fn movie_snippets() -> Vec<(u64, f64, String)> {
    let path = shared_sentiment_dir().join("movieReviewSnippets_GroundTruth.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter(|line| !line.is_empty())
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let id = fields.next().unwrap().parse().unwrap();
            let rating = fields.next().unwrap().parse().unwrap();
            (id, rating, fields.next().unwrap().to_string())
        })
        .collect()
}

#[test]
fn movie_review_snippets_match_reference() {
    let snippets = movie_snippets();
    let reference = fixture("movie_snippets.jsonl");
    assert_eq!(snippets.len(), 10_605, "snippet file changed");
    assert_eq!(
        reference.len(),
        snippets.len(),
        "fixture does not cover every snippet"
    );

    let mut within_loose = 0usize;
    let mut exact_mismatches = Vec::new();
    for ((id, _rating, text), record) in snippets.iter().zip(&reference) {
        assert_eq!(record["id"].as_u64(), Some(*id), "fixture out of order");
        let expected = expected_scores(record);
        let got = vader().polarity_scores(text);
        let difference = max_difference(&got, &expected);
        if difference <= LOOSE {
            within_loose += 1;
        }
        if difference > EXACT {
            exact_mismatches.push(format!(
                "#{id} {text:?}\n  expected {expected:?}\n  got      {got:?}"
            ));
        }
    }
    let share = within_loose as f64 / snippets.len() as f64;
    println!(
        "VADER port vs vaderSentiment 3.3.2 on {} snippets: {:.4}% within {LOOSE}, {} differ by more than {EXACT}",
        snippets.len(),
        share * 100.0,
        exact_mismatches.len()
    );
    for mismatch in exact_mismatches.iter().take(20) {
        println!("{mismatch}");
    }
    assert!(share >= 0.995, "only {:.4}% within {LOOSE}", share * 100.0);
    assert_eq!(
        exact_mismatches.len(),
        0,
        "snippets differing from the reference by more than {EXACT}"
    );
}

#[test]
fn movie_review_correlation_equals_published_figure() {
    // The data README: Pearson r(compound, mean rating) = 0.427 with vaderSentiment 3.3.2.
    let snippets = movie_snippets();
    let pairs: Vec<(f64, f64)> = snippets
        .iter()
        .map(|(_, rating, text)| (vader().polarity_scores(text).compound, *rating))
        .collect();
    let n = pairs.len() as f64;
    let (mean_x, mean_y) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let covariance: f64 = pairs.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
    let variance_x: f64 = pairs.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    let variance_y: f64 = pairs.iter().map(|(_, y)| (y - mean_y).powi(2)).sum();
    let r = covariance / (variance_x * variance_y).sqrt();
    println!("Pearson r(compound, human mean rating) = {r:.4}");
    assert!((r - 0.427).abs() < 5e-4, "r = {r}");
}

/// Texts of a fixture (each `text` repeated `repeat` times, default once) whose scores differ from the
/// reference by more than [`EXACT`].
fn mismatches_in(name: &str, minimum_cases: usize) -> Vec<String> {
    let cases = fixture(name);
    assert!(
        cases.len() >= minimum_cases,
        "{name} too small: {}",
        cases.len()
    );
    let mut mismatches = Vec::new();
    for record in &cases {
        let text = record["text"].as_str().unwrap();
        let repeat = record.get("repeat").and_then(Value::as_u64).unwrap_or(1);
        let full = text.repeat(usize::try_from(repeat).unwrap());
        let expected = expected_scores(record);
        let got = vader().polarity_scores(&full);
        if max_difference(&got, &expected) > EXACT {
            mismatches.push(format!(
                "{text:?} x{repeat}\n  expected {expected:?}\n  got      {got:?}"
            ));
        }
    }
    println!(
        "{name}: {} texts, {} mismatches",
        cases.len(),
        mismatches.len()
    );
    mismatches
}

#[test]
fn edge_cases_match_reference() {
    let mismatches = mismatches_in("edge_cases.jsonl", 150);
    assert!(
        mismatches.is_empty(),
        "edge cases differing from the reference:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn random_rule_mixes_match_reference() {
    let mismatches = mismatches_in("random_mix.jsonl", 1000);
    assert!(
        mismatches.is_empty(),
        "random mixes differing from the reference:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn rules_named_in_the_issue_behave_as_in_3_3_2() {
    let v = vader();
    // "no problem" is positive in 3.3 (the crates.io `vader_sentiment` crate gives -0.5994).
    assert_eq!(v.polarity_scores("no problem").compound, 0.3089);
    // "at least" does not negate; a bare "least" does.
    assert!(v.polarity_scores("at least good").compound > 0.0);
    assert!(v.polarity_scores("the least good").compound < 0.0);
    // Exclamation marks amplify, up to four.
    let bangs: Vec<f64> = (0..6)
        .map(|n| {
            v.polarity_scores(&format!("good{}", "!".repeat(n)))
                .compound
        })
        .collect();
    assert!(bangs.windows(2).take(4).all(|w| w[1] > w[0]), "{bangs:?}");
    assert_eq!(bangs[4], bangs[5]);
    // Caps emphasis only when some words are not in capitals.
    assert!(v.polarity_scores("GOOD movie").compound > v.polarity_scores("good movie").compound);
    assert_eq!(
        v.polarity_scores("GOOD MOVIE").compound,
        v.polarity_scores("good movie").compound
    );
    // Emoji are scored through their description.
    assert!(v.polarity_scores("😁").compound > 0.0);
    assert_eq!(v.polarity_scores(""), Sentiment::default());
}
