//! Measurements: search latency percentiles and analysis throughput.

use anyhow::Context;
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;
use townhall_app::search::search as run_search;
use townhall_app::{Sort, Store};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub fn search(data: &Path, queries: &Path, runs: usize) -> anyhow::Result<()> {
    let store = Store::open(data).with_context(|| format!("opening {}", data.display()))?;
    let queries: Vec<String> = std::fs::read_to_string(queries)?
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("//"))
        .map(str::to_string)
        .collect();
    println!("{} posts in the store", store.post_count()?);
    println!("| query | hits | p50 ms | p95 ms |");
    println!("|---|---:|---:|---:|");
    let mut all = Vec::new();
    for q in &queries {
        // One warm-up run, then the measured ones (page of 20, as the web page asks).
        let hits = run_search(&store, q, Sort::Relevance, 20, 0)?.total;
        let mut times = Vec::with_capacity(runs);
        for i in 0..runs {
            let sort = if i % 2 == 0 {
                Sort::Relevance
            } else {
                Sort::Newest
            };
            let t = Instant::now();
            let page = run_search(&store, q, sort, 20, 0)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(page);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "| `{q}` | {hits} | {:.2} | {:.2} |",
            percentile(&times, 50.0),
            percentile(&times, 95.0)
        );
        all.extend(times);
    }
    all.sort_by(f64::total_cmp);
    println!(
        "\nall {} searches: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        all.len(),
        percentile(&all, 50.0),
        percentile(&all, 95.0),
        all[all.len() - 1]
    );
    Ok(())
}

/// Posts per `analyze_many` call, as the import's chunks.
const ANALYSIS_CHUNK: usize = 128;

pub fn analyze(texts: &Path) -> anyhow::Result<()> {
    let texts: Vec<String> = std::fs::read_to_string(texts)?
        .lines()
        .map(str::to_string)
        .collect();
    anyhow::ensure!(!texts.is_empty(), "no texts");
    // Warm up: build the lexicons and language models once.
    std::hint::black_box(townhall_analysis::analyze("warm up the models", None));
    let mut rates = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        for text in &texts {
            std::hint::black_box(townhall_analysis::analyze(text, None));
        }
        rates.push(texts.len() as f64 / t.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "one thread: median {:.0} texts/s over 3 runs of {}",
        rates[1],
        texts.len()
    );
    // As the import runs it: chunks of posts, each analysed component by component.
    let posts: Vec<(&str, Option<&str>)> = texts.iter().map(|t| (t.as_str(), None)).collect();
    let mut chunked = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        for chunk in posts.chunks(ANALYSIS_CHUNK) {
            std::hint::black_box(townhall_analysis::analyze_many(chunk));
        }
        chunked.push(texts.len() as f64 / t.elapsed().as_secs_f64());
    }
    chunked.sort_by(f64::total_cmp);
    println!(
        "one thread, analyze_many in chunks of {ANALYSIS_CHUNK} (as the import): median {:.0} texts/s",
        chunked[1]
    );
    let mut par = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        posts.par_chunks(ANALYSIS_CHUNK).for_each(|chunk| {
            std::hint::black_box(townhall_analysis::analyze_many(chunk));
        });
        par.push(texts.len() as f64 / t.elapsed().as_secs_f64());
    }
    par.sort_by(f64::total_cmp);
    println!(
        "{} threads: median {:.0} texts/s",
        rayon::current_num_threads(),
        par[1]
    );
    Ok(())
}
