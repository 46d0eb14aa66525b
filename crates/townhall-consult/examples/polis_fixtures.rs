//! Prints how our groups agree with Pol.is's on the open-data exports: adjusted Rand index over
//! the participants Pol.is grouped, the confusion table, the silhouette of each k and the time.
//!
//! Run: `cargo run --release -p townhall-consult --example polis_fixtures [DATA_DIR]`
//! (default: `shared/data/polis` beside the work tree).
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::collections::BTreeMap;
use std::fs::File;
use std::time::Instant;

use townhall_consult::{adjusted_rand_index, analyze, read_export, Settings};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/polis").into()
    });
    for name in [
        "bg2050-volunteers",
        "canadian-electoral-reform",
        "london.youth.policing",
    ] {
        let open = |f: &str| File::open(format!("{dir}/{name}/{f}")).unwrap();
        let mut pv = open("participants-votes.csv");
        let export =
            read_export(open("comments.csv"), open("votes.csv"), Some(&mut pv), None).unwrap();
        let matrix = export.vote_matrix().unwrap();
        let polis = export.group_ids();
        let start = Instant::now();
        let a = analyze(&matrix, &Settings::default(), None);
        let elapsed = start.elapsed();
        // A participant Pol.is grouped but we did not cluster counts as a group of their own.
        let (ours, theirs): (Vec<usize>, Vec<usize>) = polis
            .iter()
            .map(|(p, g)| (a.group_of.get(p).copied().unwrap_or(usize::MAX), *g))
            .unzip();
        let mut confusion: BTreeMap<(usize, Option<usize>), usize> = BTreeMap::new();
        for (o, t) in ours.iter().zip(&theirs) {
            *confusion
                .entry((*t, a.group_of.values().any(|g| g == o).then_some(*o)))
                .or_default() += 1;
        }
        println!(
            "{name}: ARI {:.4}; k {} (silhouettes {:?}); {} clustered, {} base clusters, groups {:?}; {elapsed:?}",
            adjusted_rand_index(&ours, &theirs),
            a.k_chosen.k,
            a.k_chosen
                .silhouettes
                .iter()
                .map(|s| (s.k, (s.silhouette * 1000.0).round() / 1000.0))
                .collect::<Vec<_>>(),
            a.in_conv.len(),
            a.base_clusters.len(),
            a.groups.iter().map(|g| g.members.len()).collect::<Vec<_>>(),
        );
        println!("  participants by (Pol.is group, our group): {confusion:?}");
    }
}
