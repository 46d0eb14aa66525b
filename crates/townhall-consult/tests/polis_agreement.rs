//! Agreement with Pol.is on its open-data exports: one method, default settings, every
//! conversation. ARI is computed over the participants that have a Pol.is group id; one we did
//! not cluster counts as a group of its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use townhall_consult::{
    adjusted_rand_index, analyze, group_informed_consensus, Analysis, Settings,
};

fn ari_against_polis(conversation: &str) -> (f64, Analysis) {
    let export = common::load(conversation);
    let matrix = export.vote_matrix().unwrap();
    let analysis = analyze(&matrix, &Settings::default(), None);
    let polis = export.group_ids();
    let (ours, theirs): (Vec<usize>, Vec<usize>) = polis
        .iter()
        .map(|(p, g)| (analysis.group_of.get(p).copied().unwrap_or(usize::MAX), *g))
        .unzip();
    let ari = adjusted_rand_index(&ours, &theirs);
    println!(
        "{conversation}: ARI {ari:.4} over {} participants; k {} (silhouettes {:?}); group sizes {:?}",
        theirs.len(),
        analysis.k_chosen.k,
        analysis
            .k_chosen
            .silhouettes
            .iter()
            .map(|s| (s.k, (s.silhouette * 1000.0).round() / 1000.0))
            .collect::<Vec<_>>(),
        analysis.groups.iter().map(|g| g.members.len()).collect::<Vec<_>>()
    );
    (ari, analysis)
}

#[test]
fn bg2050_groups_agree_with_polis() {
    let (ari, analysis) = ari_against_polis("bg2050-volunteers");
    assert!(ari >= 0.9, "bg2050-volunteers ARI {ari}");
    assert_eq!(analysis.k_chosen.k, 2);
}

#[test]
fn canadian_electoral_reform_groups_agree_with_polis() {
    let (ari, analysis) = ari_against_polis("canadian-electoral-reform");
    assert!(ari >= 0.9, "canadian-electoral-reform ARI {ari}");
    assert_eq!(analysis.k_chosen.k, 2);
    // Pol.is clusters exactly the participants with at least 7 votes here.
    let export = common::load("canadian-electoral-reform");
    let polis: Vec<i64> = export.group_ids().into_keys().collect();
    assert_eq!(analysis.in_conv, polis);
}

#[test]
fn london_youth_policing_is_reported() {
    // 24 clustered participants are too few for a stable k: reported, not asserted.
    let (ari, analysis) = ari_against_polis("london.youth.policing");
    assert!(ari.is_finite());
    assert_eq!(analysis.in_conv.len(), 24);
}

/// The export's `group-informed-consensus` was computed from Pol.is's own groups: the formula,
/// applied to the export's group ids, must reproduce it for every statement.
#[test]
fn group_informed_consensus_matches_the_bg2050_export() {
    let export = common::load("bg2050-volunteers");
    let matrix = export.vote_matrix().unwrap();
    let theirs: BTreeMap<i64, f64> = export
        .comments
        .iter()
        .map(|c| (c.comment_id, c.group_informed_consensus.unwrap()))
        .collect();
    let with_polis_groups = group_informed_consensus(&matrix, &export.group_ids());
    assert_eq!(with_polis_groups.len(), theirs.len());
    let mut max_error = 0.0f64;
    for c in &with_polis_groups {
        let err = (c.agree - theirs[&c.statement_id]).abs();
        max_error = max_error.max(err);
        assert!(
            err <= 1e-9,
            "statement {}: {} vs {}",
            c.statement_id,
            c.agree,
            theirs[&c.statement_id]
        );
    }
    println!("bg2050 consensus with Pol.is's groups: max error {max_error:e}");

    let ours = analyze(&matrix, &Settings::default(), None);
    let mut max_ours = 0.0f64;
    for c in &ours.consensus.group_informed {
        max_ours = max_ours.max((c.agree - theirs[&c.statement_id]).abs());
    }
    println!("bg2050 consensus with our groups: max difference {max_ours:e}");
    assert!(
        max_ours < 0.05,
        "our groups differ from Pol.is's by one participant at most"
    );
}

#[test]
fn the_same_votes_give_the_same_analysis() {
    let export = common::load("canadian-electoral-reform");
    let matrix = export.vote_matrix().unwrap();
    let a = analyze(&matrix, &Settings::default(), None);
    let b = analyze(&export.vote_matrix().unwrap(), &Settings::default(), None);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
}

/// A few more votes later, the groups keep their ids and nearly all their members.
#[test]
fn groups_are_stable_across_an_update() {
    let export = common::load("canadian-electoral-reform");
    let mut events = export.vote_events();
    events.sort_by_key(|e| e.timestamp_ms);
    // The last 2 % of the votes arrive in a second update.
    let split = events.len() * 98 / 100;
    let excluded = export.excluded_statements();
    let before = townhall_consult::VoteMatrix::from_events(events[..split].iter().copied())
        .unwrap()
        .with_excluded(excluded.iter().copied());
    let first = analyze(&before, &Settings::default(), None);
    let after = before.with_events(events[split..].iter().copied()).unwrap();
    let second = analyze(&after, &Settings::default(), Some(&first));

    assert!(
        first.in_conv.iter().all(|p| second.in_conv.contains(p)),
        "clustered participants stay clustered"
    );
    let (mut kept, mut total) = (0, 0);
    for (p, g) in &first.group_of {
        total += 1;
        kept += usize::from(second.group_of.get(p) == Some(g));
    }
    let share = kept as f64 / total as f64;
    println!(
        "group id kept by {kept} of {total} participants ({share:.3}); k {} -> {}",
        first.k_chosen.k, second.k_chosen.k
    );
    assert!(share >= 0.9, "only {share} kept their group id");
}

/// Replaying bg2050 as Pol.is saw it, updates as the votes come in with the previous analysis
/// passed on, the sticky clustered set keeps participant 7 (4 votes, topped up while the
/// conversation was young) and the groups are exactly Pol.is's. (Updates every 100 votes while
/// the conversation is young, when the top-up matters, then every 2,000 to keep the test fast.)
#[test]
fn replaying_bg2050_update_by_update_reproduces_polis_exactly() {
    let export = common::load("bg2050-volunteers");
    let mut events = export.vote_events();
    events.sort_by_key(|e| e.timestamp_ms);
    let excluded = export.excluded_statements();
    let mut matrix = townhall_consult::VoteMatrix::default();
    let mut previous: Option<Analysis> = None;
    let (young, rest) = events.split_at(2_000);
    let batches: Vec<&[townhall_consult::VoteEvent]> =
        young.chunks(100).chain(rest.chunks(2_000)).collect();
    for batch in &batches {
        matrix = matrix
            .with_events(batch.iter().copied())
            .unwrap()
            .with_excluded(excluded.iter().copied());
        previous = Some(analyze(&matrix, &Settings::default(), previous.as_ref()));
    }
    let last = previous.unwrap();
    let polis = export.group_ids();
    assert_eq!(last.in_conv, polis.keys().copied().collect::<Vec<_>>());
    let (ours, theirs): (Vec<usize>, Vec<usize>) =
        polis.iter().map(|(p, g)| (last.group_of[p], *g)).unzip();
    let ari = adjusted_rand_index(&ours, &theirs);
    println!("bg2050 replayed in {} updates: ARI {ari:.4}", batches.len());
    assert_eq!(ari, 1.0);
}
