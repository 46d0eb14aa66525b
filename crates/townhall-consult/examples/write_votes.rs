//! Writes a synthetic conversation's votes as CSV (`participant_id,statement_id,vote,modified`), for running
//! the same votes through another implementation (bench/python/reddwarf_speed.py).
//!
//! Run: `cargo run --release -p townhall-consult --example write_votes -- OUT.csv [PARTICIPANTS STATEMENTS VOTES GROUPS]`
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::io::Write;

use townhall_consult::synthetic;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().expect("the CSV file to write");
    let numbers: Vec<usize> = args
        .map(|a| {
            a.parse()
                .expect("numbers: participants statements votes groups")
        })
        .collect();
    let arg = |i: usize, default: usize| numbers.get(i).copied().unwrap_or(default);
    let planted = synthetic::planted(
        arg(0, 33_000),
        arg(1, 800),
        arg(2, 2_000_000),
        arg(3, 4),
        42,
    );
    let mut f = std::io::BufWriter::new(std::fs::File::create(&out).unwrap());
    writeln!(f, "participant_id,statement_id,vote,modified").unwrap();
    for e in &planted.events {
        writeln!(
            f,
            "{},{},{},{}",
            e.participant_id, e.statement_id, e.vote, e.timestamp_ms
        )
        .unwrap();
    }
    f.flush().unwrap();
    println!("{} votes written to {out}", planted.events.len());
}
