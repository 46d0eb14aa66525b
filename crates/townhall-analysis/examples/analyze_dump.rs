//! `analyze` of every text of a file (one per line) as JSON lines, to compare two versions' behaviour:
//! `cargo run --release -p townhall-analysis --example analyze_dump -- bench/out/texts-20k.txt > /tmp/out.jsonl`
#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring tool: failing loudly is right
use std::io::{BufWriter, Write};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench/out/texts-20k.txt".into());
    let texts = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for text in texts.lines() {
        let analysis = townhall_analysis::analyze(text, None);
        serde_json::to_writer(&mut out, &analysis).expect("JSON");
        out.write_all(b"\n").expect("write");
    }
    out.flush().expect("flush");
}
