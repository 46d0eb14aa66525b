//! Times one full update on a synthetic conversation with planted groups.
//!
//! Run: `cargo run --release -p townhall-consult --example consult_speed [PARTICIPANTS STATEMENTS VOTES GROUPS]`
//! (default 33000 800 2000000 4); wrap in `/usr/bin/time -v` for peak memory.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::time::Instant;

use townhall_consult::{adjusted_rand_index, analyze, synthetic, Settings, VoteMatrix};

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| {
            a.parse()
                .expect("numbers: participants statements votes groups")
        })
        .collect();
    let arg = |i: usize, default: usize| args.get(i).copied().unwrap_or(default);
    let (participants, statements, votes, groups) =
        (arg(0, 33_000), arg(1, 800), arg(2, 2_000_000), arg(3, 4));

    let t = Instant::now();
    let planted = synthetic::planted(participants, statements, votes, groups, 42);
    println!(
        "generated {} vote events in {:?}",
        planted.events.len(),
        t.elapsed()
    );

    let t = Instant::now();
    let matrix = VoteMatrix::from_events(planted.events.iter().copied()).unwrap();
    let build = t.elapsed();
    let t = Instant::now();
    let analysis = analyze(&matrix, &Settings::default(), None);
    let update = t.elapsed();
    let t = Instant::now();
    let again = analyze(&matrix, &Settings::default(), Some(&analysis));
    let warm = t.elapsed();

    let ours: Vec<usize> = (0..participants as i64)
        .map(|p| analysis.group_of.get(&p).copied().unwrap_or(usize::MAX))
        .collect();
    println!(
        "matrix {}x{} with {} votes built in {build:?}; analyze (cold) {update:?}; analyze (with previous) {warm:?}",
        matrix.n_participants(),
        matrix.n_statements(),
        matrix.n_votes()
    );
    println!(
        "k {} (silhouettes {:?}), pca iterations {}, ARI vs planted {:.4}, same groups on the warm run: {}",
        analysis.k_chosen.k,
        analysis.k_chosen.silhouettes.iter().map(|s| (s.k, (s.silhouette * 1000.0).round() / 1000.0)).collect::<Vec<_>>(),
        analysis.pca.iterations,
        adjusted_rand_index(&ours, &planted.group_of),
        again.group_of == analysis.group_of
    );
    println!("full update (build + analyze): {:?}", build + update);
}
