//! Language detection alone, one thread, several passes over a file of texts (one per line); prints each
//! pass's µs per text and the median:
//! `cargo run --release -p townhall-analysis --example language_speed -- bench/out/texts-20k.txt`
#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring tool: failing loudly is right
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "bench/out/texts-20k.txt".into());
    let passes: usize = args.next().map_or(7, |p| p.parse().expect("passes"));
    let texts: Vec<String> = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(str::to_string)
        .collect();
    let detector = townhall_analysis::language::detector();
    for text in &texts {
        std::hint::black_box(detector.detect(text, None));
    }
    let mut runs = Vec::new();
    for _ in 0..passes {
        let t = Instant::now();
        for text in &texts {
            std::hint::black_box(detector.detect(text, None));
        }
        runs.push(t.elapsed().as_secs_f64() * 1e6 / texts.len() as f64);
    }
    let shown: Vec<String> = runs.iter().map(|r| format!("{r:.2}")).collect();
    runs.sort_by(f64::total_cmp);
    println!(
        "language: median {:.2} µs per text, min {:.2} ({})",
        runs[passes / 2],
        runs[0],
        shown.join(" ")
    );
}
