//! Invariants of the model on arbitrary votes, and recovery of planted groups.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use proptest::prelude::*;
use townhall_consult::{
    adjusted_rand_index, analyze, synthetic, Analysis, Settings, VoteEvent, VoteMatrix,
};

fn check_invariants(matrix: &VoteMatrix, a: &Analysis) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.pca.projections.len(), matrix.n_participants());
    for p in &a.pca.projections {
        prop_assert!(p.x.is_finite() && p.y.is_finite(), "projection {:?}", p);
    }
    for c in &a.pca.components {
        prop_assert!(c.iter().all(|x| x.is_finite()));
    }
    // Every clustered participant is in exactly one group, and only they are.
    let mut seen = BTreeSet::new();
    for g in &a.groups {
        for m in &g.members {
            prop_assert!(seen.insert(*m), "participant {} in two groups", m);
            prop_assert_eq!(a.group_of.get(m), Some(&g.id));
        }
    }
    let in_conv: BTreeSet<i64> = a.in_conv.iter().copied().collect();
    prop_assert_eq!(&seen, &in_conv);
    prop_assert_eq!(a.group_of.len(), in_conv.len());
    let ids: Vec<usize> = a.groups.iter().map(|g| g.id).collect();
    prop_assert_eq!(ids, (0..a.groups.len()).collect::<Vec<_>>());
    prop_assert_eq!(a.k_chosen.k, a.groups.len());
    let base_members: usize = a.base_clusters.iter().map(|b| b.members.len()).sum();
    prop_assert_eq!(base_members, in_conv.len());
    for c in &a.consensus.group_informed {
        prop_assert!(c.agree > 0.0 && c.agree <= 1.0 && c.disagree > 0.0 && c.disagree <= 1.0);
    }
    prop_assert_eq!(a.repness.len(), a.groups.len());
    for r in a.repness.iter().flat_map(|g| &g.statements) {
        prop_assert!(
            r.p_success > 0.0
                && r.p_success < 1.0
                && r.p_test.is_finite()
                && r.repness_test.is_finite()
        );
        prop_assert!(!matrix.excluded().contains(&r.statement_id));
    }
    Ok(())
}

fn votes() -> impl Strategy<Value = (Vec<VoteEvent>, Vec<i64>)> {
    (
        proptest::collection::vec((0i64..40, 0i64..12, -1i8..=1, 0i64..1000), 0..400),
        proptest::collection::vec(0i64..12, 0..3),
    )
        .prop_map(|(v, excluded)| (v.into_iter().map(VoteEvent::from).collect(), excluded))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn analysis_invariants_hold_on_any_votes((events, excluded) in votes()) {
        let matrix = VoteMatrix::from_events(events).unwrap().with_excluded(excluded);
        let a = analyze(&matrix, &Settings::default(), None);
        check_invariants(&matrix, &a)?;
        // An update with the previous analysis keeps the invariants and the clustered set.
        let b = analyze(&matrix, &Settings::default(), Some(&a));
        check_invariants(&matrix, &b)?;
        prop_assert!(a.in_conv.iter().all(|p| b.in_conv.contains(p)));
    }

    #[test]
    fn identical_voters_share_a_group(copies in 2usize..6, seed in 0u64..1000) {
        // A few blocs of participants voting identically: each bloc ends up in one group.
        let planted = synthetic::planted(30, 10, 300, 3, seed);
        let mut events = planted.events.clone();
        for c in 1..copies as i64 {
            events.extend(planted.events.iter().map(|e| VoteEvent { participant_id: e.participant_id + 1000 * c, ..*e }));
        }
        let matrix = VoteMatrix::from_events(events).unwrap();
        let a = analyze(&matrix, &Settings::default(), None);
        for (p, g) in a.group_of.range(0..1000) {
            for c in 1..copies as i64 {
                prop_assert_eq!(a.group_of.get(&(p + 1000 * c)), Some(g));
            }
        }
    }
}

#[test]
fn planted_groups_are_recovered() {
    for (groups, seed) in [(2, 1), (3, 2)] {
        let planted = synthetic::planted(900, 80, 40_000, groups, seed);
        let matrix = VoteMatrix::from_events(planted.events.iter().copied()).unwrap();
        let a = analyze(&matrix, &Settings::default(), None);
        let ours: Vec<usize> = (0..900)
            .map(|p| a.group_of.get(&p).copied().unwrap_or(usize::MAX))
            .collect();
        let ari = adjusted_rand_index(&ours, &planted.group_of);
        println!("{groups} planted groups: k {} ARI {ari:.4}", a.k_chosen.k);
        assert_eq!(a.k_chosen.k, groups);
        assert!(ari >= 0.95, "{groups} groups: ARI {ari}");
    }
}

#[test]
fn the_generator_is_deterministic_and_sized() {
    let a = synthetic::planted(200, 30, 5_000, 3, 9);
    assert_eq!(a, synthetic::planted(200, 30, 5_000, 3, 9));
    assert_ne!(a.events, synthetic::planted(200, 30, 5_000, 3, 10).events);
    assert_eq!(a.events.len(), 5_000);
    assert_eq!(
        synthetic::planted(10, 5, 1_000, 2, 1).events.len(),
        50,
        "clamped to one vote per cell"
    );
    let matrix = VoteMatrix::from_events(a.events.iter().copied()).unwrap();
    assert_eq!(matrix.n_votes(), a.events.len(), "one vote per cell");
    assert!((0..matrix.n_participants()).all(|r| matrix.row_len(r) >= 7));
}

#[test]
fn tiny_and_degenerate_conversations() {
    let settings = Settings::default();
    // Nobody voted.
    let empty = VoteMatrix::from_events(Vec::<VoteEvent>::new()).unwrap();
    let a = analyze(&empty, &settings, None);
    assert!(a.groups.is_empty() && a.in_conv.is_empty());
    // Everyone votes the same: one spot, one group.
    let same: Vec<VoteEvent> = (0..20)
        .flat_map(|p| (0..8).map(move |s| VoteEvent::from((p, s, 1, 0))))
        .collect();
    let a = analyze(&VoteMatrix::from_events(same).unwrap(), &settings, None);
    assert_eq!(a.groups.len(), 1);
    assert_eq!(a.group_of.len(), 20);
    assert!(a.pca.projections.iter().all(|p| p.x == 0.0 && p.y == 0.0));
    // A single statement.
    let one: Vec<VoteEvent> = (0..30)
        .map(|p| VoteEvent::from((p, 0, if p % 2 == 0 { 1 } else { -1 }, 0)))
        .collect();
    let a = analyze(&VoteMatrix::from_events(one).unwrap(), &settings, None);
    assert_eq!(a.in_conv.len(), 30);
    assert!(a
        .pca
        .projections
        .iter()
        .all(|p| p.x.is_finite() && p.y == 0.0));
}

/// The full-size speed check; slow in debug builds, so run it in release:
/// `cargo test --release -p townhall-consult --test model_properties -- --ignored --nocapture`
/// (the `consult_speed` example prints the same figures).
#[test]
#[ignore]
fn full_update_of_33k_participants_800_statements_2m_votes() {
    let planted = synthetic::planted(33_000, 800, 2_000_000, 4, 42);
    let start = std::time::Instant::now();
    let matrix = VoteMatrix::from_events(planted.events.iter().copied()).unwrap();
    let build = start.elapsed();
    let a = analyze(&matrix, &Settings::default(), None);
    let total = start.elapsed();
    println!(
        "build {build:?}, build + analyze {total:?}, k {}",
        a.k_chosen.k
    );
    assert!(total.as_secs_f64() <= 1.0, "full update took {total:?}");
}

/// An analysis is stored as JSON between updates and read back intact.
#[test]
fn analysis_round_trips_through_json() {
    let planted = synthetic::planted(300, 40, 9_000, 3, 5);
    let matrix = VoteMatrix::from_events(planted.events.iter().copied())
        .unwrap()
        .with_excluded([1]);
    let a = analyze(&matrix, &Settings::default(), None);
    let json = serde_json::to_string(&a).unwrap();
    let back: Analysis = serde_json::from_str(&json).unwrap();
    // serde_json may read a float back one unit in the last place off: compare the rest exactly.
    assert_eq!(back.group_of, a.group_of);
    assert_eq!(back.in_conv, a.in_conv);
    assert_eq!(back.k_chosen.k, a.k_chosen.k);
    assert_eq!(
        back.groups.iter().map(|g| &g.members).collect::<Vec<_>>(),
        a.groups.iter().map(|g| &g.members).collect::<Vec<_>>()
    );
    for (x, y) in back.pca.projections.iter().zip(&a.pca.projections) {
        assert!((x.x - y.x).abs() <= 1e-12 && (x.y - y.y).abs() <= 1e-12);
    }
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    for key in [
        "pca",
        "in_conv",
        "base_clusters",
        "groups",
        "group_of",
        "repness",
        "consensus",
        "divisive",
        "k_chosen",
    ] {
        assert!(value.get(key).is_some(), "missing {key}");
    }
    assert_eq!(
        analyze(&matrix, &Settings::default(), Some(&back)).group_of,
        analyze(&matrix, &Settings::default(), Some(&a)).group_of
    );
    let settings: Settings =
        serde_json::from_str(&serde_json::to_string(&Settings::default()).unwrap()).unwrap();
    assert_eq!(settings, Settings::default());
}
