//! One-thread throughput of `analyze` as `townhall-bench analyze` measures it (median of 3 passes over
//! the file), without building the whole workspace:
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
    let mut rates = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        for text in &texts {
            std::hint::black_box(townhall_analysis::analyze(text, None));
        }
        rates.push(texts.len() as f64 / t.elapsed().as_secs_f64());
    }
    let runs: Vec<String> = rates.iter().map(|r| format!("{r:.0}")).collect();
    rates.sort_by(f64::total_cmp);
    println!(
        "one thread: median {:.0} texts/s over 3 runs of {} ({})",
        rates[1],
        texts.len(),
        runs.join(", ")
    );
}
