//! Language detection per route on a file of texts (one per line): how many texts each stage decides and
//! what they cost, one thread (median of 5 passes per route):
//! `cargo run --release -p townhall-analysis --example route_speed -- bench/out/texts-20k.txt [DIR]`
//! (with DIR, each route's texts are also written to DIR/ROUTE.txt)
#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring tool: failing loudly is right
use std::collections::BTreeMap;
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
    let detector = townhall_analysis::language::detector();
    let mut by_route: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for text in &texts {
        let (_, route) = detector.detect_with_route(text, None);
        by_route.entry(format!("{route:?}")).or_default().push(text);
    }
    if let Some(dir) = std::env::args().nth(2) {
        // Each route's texts to DIR/ROUTE.txt, to time or profile one route alone.
        for (route, subset) in &by_route {
            std::fs::write(format!("{dir}/{route}.txt"), subset.join("\n") + "\n")
                .unwrap_or_else(|e| panic!("{dir}: {e}"));
        }
    }
    let total = texts.len() as f64;
    let mut all_us = 0.0;
    for (route, subset) in &by_route {
        let mut runs = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            for text in subset {
                std::hint::black_box(detector.detect(text, None));
            }
            runs.push(t.elapsed().as_secs_f64() * 1e6 / subset.len() as f64);
        }
        runs.sort_by(f64::total_cmp);
        let share = subset.len() as f64 / total;
        let mean_chars =
            subset.iter().map(|t| t.chars().count()).sum::<usize>() as f64 / subset.len() as f64;
        all_us += share * runs[2];
        println!(
            "{route:>18}: {:>6} texts ({:>5.1} %), {:>6.2} µs each, {:>5.2} µs per corpus text, mean {:.0} chars",
            subset.len(),
            share * 100.0,
            runs[2],
            share * runs[2],
            mean_chars
        );
    }
    println!("sum: {all_us:.2} µs per text");
}
