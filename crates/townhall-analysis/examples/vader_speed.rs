//! Throughput of the VADER port on the 10,605 movie-review snippets (single thread).
//!
//! `cargo run --release -p townhall-analysis --example vader_speed [-- SNIPPET_FILE [PASSES]]`
//! Default file: /work/shared/data/sentiment/movieReviewSnippets_GroundTruth.txt; default 20 passes.
//! With a third argument `lines`, every line of the file is a text (as in `bench/out/texts-20k.txt`),
//! which is what `valgrind --tool=callgrind` is pointed at to count the sentiment path alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use townhall_analysis::sentiment::vader;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/sentiment/movieReviewSnippets_GroundTruth.txt"
        )
        .to_string()
    });
    let passes: usize = args
        .next()
        .map_or(20, |p| p.parse().expect("PASSES must be a number"));
    let whole_lines = args.next().as_deref() == Some("lines");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let snippets: Vec<&str> = if whole_lines {
        text.lines().collect()
    } else {
        text.split('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line))
            .filter_map(|line| line.splitn(3, '\t').nth(2))
            .collect()
    };

    let started = Instant::now();
    let analyzer = vader();
    println!(
        "lexicon build: {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    let mut checksum = 0.0;
    let started = Instant::now();
    for _ in 0..passes {
        for snippet in &snippets {
            checksum += analyzer.polarity_scores(snippet).compound;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let texts = snippets.len() * passes;
    println!(
        "{texts} texts ({} snippets x {passes} passes) in {seconds:.3} s: {:.0} texts/s (checksum {checksum:.4})",
        snippets.len(),
        texts as f64 / seconds
    );
}
