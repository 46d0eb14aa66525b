//! Time each analysis component on a file of texts (one per line), one thread:
//! `cargo run --release -p townhall-analysis --example component_speed -- bench/out/texts-20k.txt`
use std::time::Instant;

fn rate(name: &str, texts: &[String], f: impl Fn(&str)) {
    let t = Instant::now();
    for text in texts {
        f(text);
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{name:>14}: {:>9.0} texts/s ({:.2} µs/text)",
        texts.len() as f64 / secs,
        secs * 1e6 / texts.len() as f64
    );
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench/out/texts-20k.txt".into());
    let texts: Vec<String> = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(str::to_string)
        .collect();
    // Start-up cost: the first detections (the n-gram table is compiled in; the first non-ASCII text
    // compiles the tokenizing regex).
    let start = Instant::now();
    let _ = townhall_analysis::language::detector().detect("Thanks for the update", None);
    let ascii = start.elapsed();
    let start = Instant::now();
    let _ = townhall_analysis::language::detector().detect("Merci beaucoup à la mairie", None);
    println!(
        "first use of the language detector: {:.2} ms (ASCII text), then {:.2} ms (first non-ASCII text)",
        ascii.as_secs_f64() * 1e3,
        start.elapsed().as_secs_f64() * 1e3
    );
    let _ = townhall_analysis::analyze("warm up", None);
    rate("sentiment", &texts, |t| {
        std::hint::black_box(townhall_analysis::sentiment::vader().polarity_scores(t));
    });
    rate("language", &texts, |t| {
        std::hint::black_box(townhall_analysis::language::detector().detect(t, None));
    });
    rate("entities", &texts, |t| {
        std::hint::black_box(townhall_analysis::entities::extract(t));
    });
    rate("question", &texts, |t| {
        std::hint::black_box(townhall_analysis::entities::is_question(t));
    });
    rate("key phrases", &texts, |t| {
        std::hint::black_box(townhall_analysis::entities::key_phrases(t, 5));
    });
    rate("personal data", &texts, |t| {
        std::hint::black_box(townhall_analysis::personal_data::find(t));
    });
    rate("all", &texts, |t| {
        std::hint::black_box(townhall_analysis::analyze(t, None));
    });
}
