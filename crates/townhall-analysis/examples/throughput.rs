//! One-thread throughput of `analyze` (post by post) and `analyze_many` (chunks of posts, as the import
//! runs it) as `townhall-bench analyze` measures them (median of 3 passes over the file), without
//! building the whole workspace:
//! `cargo run --release -p townhall-analysis --example throughput -- bench/out/texts-20k.txt`
#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring tool: failing loudly is right
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench/out/texts-20k.txt".into());
    let texts: Vec<String> = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(str::to_string)
        .collect();
    assert!(!texts.is_empty(), "no texts");
    std::hint::black_box(townhall_analysis::analyze("warm up the models", None));
    let full = median_rate(&texts, |text| {
        std::hint::black_box(townhall_analysis::analyze(text, None));
    });
    println!(
        "one thread: median {:.0} texts/s over 3 runs of {} ({})",
        full.0,
        texts.len(),
        full.1
    );
    // As the import and `townhall analyze` run it: chunks of posts, each analysed component by component.
    let pairs: Vec<(&str, Option<&str>)> = texts.iter().map(|t| (t.as_str(), None)).collect();
    let many = median_rate_chunks(&pairs, CHUNK);
    println!(
        "analyze_many, chunks of {CHUNK} (as the import): median {:.0} texts/s over 3 runs ({})",
        many.0, many.1
    );
    // The same work as bench/python/pipeline.py does per text (sentiment, language, hashtags, mentions,
    // URLs, question), without the key phrases and personal data that `analyze` also finds.
    let same = median_rate(&texts, |text| {
        std::hint::black_box(townhall_analysis::sentiment::vader().polarity_scores(text));
        std::hint::black_box(townhall_analysis::language::detector().detect(text, None));
        std::hint::black_box(townhall_analysis::entities::extract(text));
        std::hint::black_box(townhall_analysis::entities::is_question(text));
    });
    println!(
        "same work as the Python script: median {:.0} texts/s over 3 runs ({})",
        same.0, same.1
    );
}

/// Median texts/s of 3 passes, and every pass's rate.
fn median_rate(texts: &[String], f: impl Fn(&str)) -> (f64, String) {
    let mut rates = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        for text in texts {
            f(text);
        }
        rates.push(texts.len() as f64 / t.elapsed().as_secs_f64());
    }
    let runs: Vec<String> = rates.iter().map(|r| format!("{r:.0}")).collect();
    rates.sort_by(f64::total_cmp);
    (rates[1], runs.join(", "))
}

/// Posts per `analyze_many` call, as the import's chunks.
const CHUNK: usize = 128;

/// Median texts/s of 3 passes of `analyze_many` over `chunk`-sized slices, and every pass's rate.
fn median_rate_chunks(pairs: &[(&str, Option<&str>)], chunk: usize) -> (f64, String) {
    let mut rates = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        for part in pairs.chunks(chunk) {
            std::hint::black_box(townhall_analysis::analyze_many(part));
        }
        rates.push(pairs.len() as f64 / t.elapsed().as_secs_f64());
    }
    let runs: Vec<String> = rates.iter().map(|r| format!("{r:.0}")).collect();
    rates.sort_by(f64::total_cmp);
    (rates[1], runs.join(", "))
}
