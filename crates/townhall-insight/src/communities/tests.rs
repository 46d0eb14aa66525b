//! Unit tests on small hand-made graphs and on Zachary's karate club.

use super::*;

mod props;

fn unit_edges(pairs: &[(u32, u32)]) -> Vec<Interaction> {
    pairs
        .iter()
        .map(|&(a, b)| Interaction::new(a, b, 1.0))
        .collect()
}

fn clique(nodes: &[u32]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for (i, &a) in nodes.iter().enumerate() {
        for &b in &nodes[i + 1..] {
            out.push((a, b));
        }
    }
    out
}

/// Two 4-cliques {0..3} and {4..7} joined by the edge 3–4.
fn two_cliques(extra_isolated: usize) -> Graph {
    let mut pairs = clique(&[0, 1, 2, 3]);
    pairs.extend(clique(&[4, 5, 6, 7]));
    pairs.push((3, 4));
    Graph::from_interactions(8 + extra_isolated, &unit_edges(&pairs)).unwrap()
}

fn leiden(seed: u64) -> DetectOptions {
    DetectOptions {
        seed,
        ..DetectOptions::default()
    }
}

fn louvain(seed: u64) -> DetectOptions {
    DetectOptions {
        seed,
        method: Method::Louvain,
        iterations: 1,
        ..DetectOptions::default()
    }
}

/// Zachary's karate club (78 edges, unweighted), as `networkx.karate_club_graph()` lists them.
pub(super) const KARATE: [(u32, u32); 78] = [
    (0, 1),
    (0, 2),
    (0, 3),
    (0, 4),
    (0, 5),
    (0, 6),
    (0, 7),
    (0, 8),
    (0, 10),
    (0, 11),
    (0, 12),
    (0, 13),
    (0, 17),
    (0, 19),
    (0, 21),
    (0, 31),
    (1, 2),
    (1, 3),
    (1, 7),
    (1, 13),
    (1, 17),
    (1, 19),
    (1, 21),
    (1, 30),
    (2, 3),
    (2, 7),
    (2, 8),
    (2, 9),
    (2, 13),
    (2, 27),
    (2, 28),
    (2, 32),
    (3, 7),
    (3, 12),
    (3, 13),
    (4, 6),
    (4, 10),
    (5, 6),
    (5, 10),
    (5, 16),
    (6, 16),
    (8, 30),
    (8, 32),
    (8, 33),
    (9, 33),
    (13, 33),
    (14, 32),
    (14, 33),
    (15, 32),
    (15, 33),
    (18, 32),
    (18, 33),
    (19, 33),
    (20, 32),
    (20, 33),
    (22, 32),
    (22, 33),
    (23, 25),
    (23, 27),
    (23, 29),
    (23, 32),
    (23, 33),
    (24, 25),
    (24, 27),
    (24, 31),
    (25, 31),
    (26, 29),
    (26, 33),
    (27, 33),
    (28, 31),
    (28, 33),
    (29, 32),
    (29, 33),
    (30, 32),
    (30, 33),
    (31, 32),
    (31, 33),
    (32, 33),
];

// ---------------------------------------------------------------- graph

#[test]
fn duplicates_and_both_directions_merge_and_self_loops_drop() {
    let edges = vec![
        Interaction::new(0, 1, 1.0),
        Interaction::new(0, 1, 2.0),
        Interaction::new(1, 0, 0.5),
        Interaction::new(2, 2, 7.0),
        Interaction::new(2, 0, 1.0),
        Interaction::new(1, 2, 0.0),
    ];
    let g = Graph::from_interactions(4, &edges).unwrap();
    assert_eq!(g.node_count(), 4);
    assert_eq!(g.edge_count(), 2);
    assert_eq!(
        g.edges().collect::<Vec<_>>(),
        vec![(0, 1, 3.5), (0, 2, 1.0)]
    );
    assert_eq!(g.neighbors(0).collect::<Vec<_>>(), vec![(1, 3.5), (2, 1.0)]);
    assert_eq!(g.total_weight(), 4.5);
    assert_eq!(g.dropped_self_loops(), 1);
    assert_eq!(
        (g.strength(0), g.strength(1), g.strength(2), g.strength(3)),
        (4.5, 3.5, 1.0, 0.0)
    );
    assert_eq!((g.out_strength(0), g.in_strength(0)), (3.0, 1.5));
    assert_eq!((g.out_strength(1), g.in_strength(1)), (0.5, 3.0));
    assert_eq!((g.out_strength(2), g.in_strength(2)), (1.0, 0.0));
    assert_eq!(g.degree(3), 0);
}

#[test]
fn bad_interactions_are_refused() {
    assert_eq!(
        Graph::from_interactions(2, &[Interaction::new(0, 2, 1.0)]),
        Err(CommunityError::NodeOutOfRange {
            node: 2,
            node_count: 2
        })
    );
    assert!(matches!(
        Graph::from_interactions(2, &[Interaction::new(0, 1, -1.0)]),
        Err(CommunityError::InvalidWeight { .. })
    ));
    assert!(matches!(
        Graph::from_interactions(2, &[Interaction::new(0, 1, f64::NAN)]),
        Err(CommunityError::InvalidWeight { .. })
    ));
}

// ---------------------------------------------------------------- modularity

#[test]
fn modularity_of_two_cliques_matches_hand_computation() {
    let g = two_cliques(0);
    // m = 13; each side holds 6 edges and degree 3+3+3+4 = 13: Q = 2·(6/13 − (13/26)²) = 11/26.
    let split = [0, 0, 0, 0, 1, 1, 1, 1];
    assert!((modularity(&g, &split, 1.0).unwrap() - 11.0 / 26.0).abs() < 1e-15);
    // Singletons: Q = −Σ (k_i / 2m)² = −(6·9 + 2·16) / 26².
    let singletons: Vec<u32> = (0..8).collect();
    assert!((modularity(&g, &singletons, 1.0).unwrap() + 86.0 / 676.0).abs() < 1e-15);
    // One community: Q = 1 − γ.
    assert!(modularity(&g, &[5; 8], 1.0).unwrap().abs() < 1e-15);
    assert!((modularity(&g, &[5; 8], 0.25).unwrap() - 0.75).abs() < 1e-15);
    // Labels need not be dense.
    let sparse = [9, 9, 9, 9, 40, 40, 40, 40];
    assert_eq!(modularity(&g, &sparse, 1.0), modularity(&g, &split, 1.0));
}

#[test]
fn modularity_matches_networkx_on_karate_club() {
    let g = Graph::from_interactions(34, &unit_edges(&KARATE)).unwrap();
    // The club's real split ("Mr. Hi" = 0, "Officer" = 1); expected values from networkx 3.6.1:
    // nx.community.modularity(nx.karate_club_graph(), split, weight=None[, resolution=0.5]).
    let club = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1,
    ];
    assert!((modularity(&g, &club, 1.0).unwrap() - 0.3582347140039448).abs() < 1e-12);
    assert!((modularity(&g, &club, 0.5).unwrap() - 0.6086045364891519).abs() < 1e-12);
}

#[test]
fn modularity_checks_its_inputs() {
    let g = two_cliques(0);
    assert!(matches!(
        modularity(&g, &[0; 3], 1.0),
        Err(CommunityError::PartitionLength { .. })
    ));
    assert!(matches!(
        modularity(&g, &[0; 8], -1.0),
        Err(CommunityError::InvalidResolution(_))
    ));
    let empty = Graph::from_interactions(3, &[]).unwrap();
    assert_eq!(modularity(&empty, &[0, 1, 2], 1.0), Ok(0.0));
}

// ---------------------------------------------------------------- detection

#[test]
fn two_cliques_split_in_two_with_both_methods() {
    let g = two_cliques(0);
    for options in [leiden(1), louvain(1), leiden(99), louvain(99)] {
        let p = detect_communities(&g, &options).unwrap();
        assert_eq!(p.community_count(), 2, "{options:?}");
        assert_eq!(p.sizes, vec![4, 4]);
        // Ties in size: the community holding node 0 comes first.
        assert_eq!(p.community_of, vec![0, 0, 0, 0, 1, 1, 1, 1]);
        assert!((p.modularity - 11.0 / 26.0).abs() < 1e-12);
        assert_eq!(p.levels.last(), Some(&p.community_of));
    }
}

#[test]
fn isolated_nodes_stay_alone_and_come_last() {
    let g = two_cliques(3);
    let p = detect_communities(&g, &leiden(7)).unwrap();
    assert_eq!(p.sizes, vec![4, 4, 1, 1, 1]);
    assert_eq!(&p.community_of[8..], &[2, 3, 4]);
    assert!((p.modularity - 11.0 / 26.0).abs() < 1e-12);
}

#[test]
fn empty_graphs_give_singletons() {
    let none = Graph::from_interactions(0, &[]).unwrap();
    let p = detect_communities(&none, &DetectOptions::default()).unwrap();
    assert!(p.community_of.is_empty() && p.sizes.is_empty() && p.levels.is_empty());
    assert_eq!(p.modularity, 0.0);

    let edgeless = Graph::from_interactions(3, &[Interaction::new(1, 1, 1.0)]).unwrap();
    let p = detect_communities(&edgeless, &DetectOptions::default()).unwrap();
    assert_eq!(p.community_of, vec![0, 1, 2]);
    assert_eq!(p.sizes, vec![1, 1, 1]);
}

#[test]
fn multi_edges_weigh_like_one_heavier_edge() {
    // A path 0-1-2-3 where 0→1 and 2→3 are repeated: the heavy pairs are the communities.
    let repeated = unit_edges(&[(0, 1), (1, 0), (0, 1), (1, 2), (2, 3), (3, 2), (2, 3)]);
    let weighted = vec![
        Interaction::new(0, 1, 3.0),
        Interaction::new(1, 2, 1.0),
        Interaction::new(2, 3, 3.0),
    ];
    let a = Graph::from_interactions(4, &repeated).unwrap();
    let b = Graph::from_interactions(4, &weighted).unwrap();
    assert_eq!(a.edges().collect::<Vec<_>>(), b.edges().collect::<Vec<_>>());
    assert_eq!((a.out_strength(0), a.in_strength(0)), (2.0, 1.0));
    let p = detect_communities(&a, &leiden(0)).unwrap();
    assert_eq!(p.community_of, vec![0, 0, 1, 1]);
    // m = 7: Q = 2·(3/7 − (7/14)²) = 6/7 − 1/2.
    assert!((p.modularity - (6.0 / 7.0 - 0.5)).abs() < 1e-12);
}

#[test]
fn resolution_zero_joins_each_connected_component() {
    let mut pairs = vec![(0, 1), (1, 2), (3, 4), (4, 5), (5, 6)];
    pairs.push((7, 8));
    let g = Graph::from_interactions(9, &unit_edges(&pairs)).unwrap();
    let options = DetectOptions {
        resolution: 0.0,
        ..DetectOptions::default()
    };
    let p = detect_communities(&g, &options).unwrap();
    assert_eq!(p.community_of, vec![1, 1, 1, 0, 0, 0, 0, 2, 2]);
    assert!((p.modularity - 1.0).abs() < 1e-12);
}

#[test]
fn karate_club_reaches_the_known_optimum() {
    let g = Graph::from_interactions(34, &unit_edges(&KARATE)).unwrap();
    // The optimum is 0.4197896 (Brandes et al. 2008; networkx's louvain_communities reaches it on some seeds,
    // median 0.4156 over seeds 0..20).
    let optimum = 0.41978961209730437;
    let mut best = f64::MIN;
    for seed in 0..20 {
        let p = detect_communities(&g, &leiden(seed)).unwrap();
        assert!(p.modularity > 0.415, "seed {seed}: {}", p.modularity);
        assert!(p.modularity <= optimum + 1e-12);
        assert!((p.modularity - modularity(&g, &p.community_of, 1.0).unwrap()).abs() < 1e-15);
        best = best.max(p.modularity);
    }
    assert!((best - optimum).abs() < 1e-12, "best {best}");
}

#[test]
fn levels_coarsen_and_are_numbered_by_size() {
    let g = Graph::from_interactions(34, &unit_edges(&KARATE)).unwrap();
    let p = detect_communities(&g, &louvain(3)).unwrap();
    assert!(!p.levels.is_empty());
    for level in &p.levels {
        let count = level.iter().map(|&c| c as usize + 1).max().unwrap();
        let mut sizes = vec![0u32; count];
        level.iter().for_each(|&c| sizes[c as usize] += 1);
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
        assert!(sizes.iter().all(|&s| s > 0));
    }
    // Louvain merges whole communities, so each level is a coarsening of the previous one.
    for pair in p.levels.windows(2) {
        let mut parent = [u32::MAX; 34];
        for v in 0..34 {
            let slot = &mut parent[pair[0][v] as usize];
            assert!(*slot == u32::MAX || *slot == pair[1][v]);
            *slot = pair[1][v];
        }
    }
}

#[test]
fn same_seed_same_partition_whatever_the_thread_pool() {
    let g = Graph::from_interactions(34, &unit_edges(&KARATE)).unwrap();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| detect_communities(&g, &leiden(42)).unwrap())
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(4));
}

// ---------------------------------------------------------------- summary

#[test]
fn summary_of_two_cliques_names_the_bridge() {
    let g = two_cliques(1);
    let p = detect_communities(&g, &leiden(0)).unwrap();
    let s = summarize(&g, &p.community_of, &SummaryOptions::default()).unwrap();
    assert_eq!(s.communities.len(), 3);
    let first = &s.communities[0];
    assert_eq!(
        (first.size, first.internal_weight, first.external_weight),
        (4, 6.0, 1.0)
    );
    // All members have 3 ties inside; node 3 also has the bridge, so it ranks first.
    let voices: Vec<u32> = first.voices.iter().map(|v| v.node).collect();
    assert_eq!(voices, vec![3, 0, 1, 2]);
    assert_eq!(
        (first.voices[0].internal_strength, first.voices[0].strength),
        (3.0, 4.0)
    );
    assert_eq!(s.communities[2].size, 1);
    assert!(s.communities[2].voices[0].strength == 0.0);

    let bridges: Vec<(u32, u32)> = s.bridges.iter().map(|b| (b.node, b.community)).collect();
    assert_eq!(bridges, vec![(3, 0), (4, 1)]);
    // 1 − ((3/4)² + (1/4)²) = 0.375
    assert!((s.bridges[0].participation - 0.375).abs() < 1e-15);
    assert_eq!(
        s.bridges[0].links,
        vec![CommunityLink {
            community: 1,
            weight: 1.0
        }]
    );

    assert_eq!(s.ties.len(), 1);
    let tie = &s.ties[0];
    assert_eq!((tie.a, tie.b, tie.weight), (0, 1, 1.0));
    assert_eq!(
        tie.brokers,
        vec![
            Broker {
                node: 3,
                weight: 1.0
            },
            Broker {
                node: 4,
                weight: 1.0
            }
        ]
    );
    let pc = participation_coefficients(&g, &p.community_of).unwrap();
    assert_eq!(pc[0], 0.0);
    assert_eq!(pc[8], 0.0);
    assert!((pc[4] - 0.375).abs() < 1e-15);
}

#[test]
fn ties_sum_cross_edges_and_rank_their_brokers() {
    // Communities A = {0,1}, B = {2,3}, C = {4}; cross edges 0–2 (w 2), 1–2 (w 1), 1–4 (w 5).
    let edges = vec![
        Interaction::new(0, 1, 9.0),
        Interaction::new(2, 3, 9.0),
        Interaction::new(0, 2, 2.0),
        Interaction::new(2, 1, 1.0),
        Interaction::new(1, 4, 5.0),
    ];
    let g = Graph::from_interactions(5, &edges).unwrap();
    let community_of = [0, 0, 1, 1, 2];
    let s = summarize(&g, &community_of, &SummaryOptions::default()).unwrap();
    let ties: Vec<(u32, u32, f64)> = s.ties.iter().map(|t| (t.a, t.b, t.weight)).collect();
    assert_eq!(ties, vec![(0, 2, 5.0), (0, 1, 3.0)]);
    let ab: Vec<(u32, f64)> = s.ties[1]
        .brokers
        .iter()
        .map(|b| (b.node, b.weight))
        .collect();
    assert_eq!(ab, vec![(2, 3.0), (0, 2.0), (1, 1.0)]);
    assert_eq!(s.communities[0].external_weight, 8.0);
    // Node 1: 9 inside, 1 to B, 5 to C.
    let b1 = s.bridges.iter().find(|b| b.node == 1).unwrap();
    assert_eq!(b1.external_strength, 6.0);
    assert_eq!(
        b1.links,
        vec![
            CommunityLink {
                community: 2,
                weight: 5.0
            },
            CommunityLink {
                community: 1,
                weight: 1.0
            }
        ]
    );
    let expected =
        1.0 - ((9.0f64 / 15.0).powi(2) + (1.0f64 / 15.0).powi(2) + (5.0f64 / 15.0).powi(2));
    assert!((b1.participation - expected).abs() < 1e-15);
    assert_eq!(s.bridges[0].node, 1);

    let limited = SummaryOptions {
        ties: 1,
        brokers_per_tie: 1,
        bridges: 1,
        voices_per_community: 1,
    };
    let s = summarize(&g, &community_of, &limited).unwrap();
    assert_eq!(s.ties.len(), 1);
    assert_eq!(s.ties[0].brokers.len(), 1);
    assert_eq!(s.bridges.len(), 1);
    assert!(s.communities.iter().all(|c| c.voices.len() == 1));
}

#[test]
fn summary_checks_the_partition() {
    let g = two_cliques(0);
    assert!(matches!(
        summarize(&g, &[0; 7], &SummaryOptions::default()),
        Err(CommunityError::PartitionLength { .. })
    ));
    assert!(matches!(
        summarize(&g, &[0, 0, 0, 0, 0, 0, 0, 8], &SummaryOptions::default()),
        Err(CommunityError::CommunityIdOutOfRange { .. })
    ));
}

// ---------------------------------------------------------------- labels

#[test]
fn labels_are_counted_per_community() {
    let community_of = [0, 0, 1];
    // (node, label): e.g. language ids of posts by each author.
    let items = [(0, 7), (1, 7), (1, 3), (2, 3), (2, 3), (0, 5)];
    let tally = tally_labels(&community_of, items, 2).unwrap();
    assert_eq!(
        tally[0],
        vec![
            LabelCount { label: 7, count: 2 },
            LabelCount { label: 3, count: 1 }
        ]
    );
    assert_eq!(tally[1], vec![LabelCount { label: 3, count: 2 }]);
    assert!(matches!(
        tally_labels(&community_of, [(3, 1)], 2),
        Err(CommunityError::NodeOutOfRange { .. })
    ));
}

// ---------------------------------------------------------------- retention

#[test]
fn cohort_table_matches_hand_computation() {
    // Community 0: nodes 0..4; community 1: node 4.
    let community_of = [0, 0, 0, 0, 1];
    fn active(node: u32, weeks: &[u32]) -> impl Iterator<Item = Activity> + '_ {
        weeks.iter().map(move |&week| Activity { node, week })
    }
    let mut activity: Vec<Activity> = Vec::new();
    activity.extend(active(0, &[0, 1, 3]));
    activity.extend(active(1, &[0, 2, 2, 2])); // repeats count once
    activity.extend(active(2, &[1, 2]));
    activity.extend(active(3, &[1]));
    activity.extend(active(4, &[3]));
    let r = cohort_retention(&community_of, &activity, &RetentionOptions::default()).unwrap();
    assert_eq!(r.len(), 2);
    let c0 = &r[0];
    assert_eq!(c0.community, 0);
    let week = |week, active, new, returning| WeekActivity {
        week,
        active,
        new,
        returning,
    };
    assert_eq!(
        c0.weeks,
        vec![
            week(0, 2, 2, 0),
            week(1, 3, 2, 1),
            week(2, 2, 0, 2),
            week(3, 1, 0, 1)
        ]
    );
    // Week-0 cohort {0, 1}: +1 → {0}, +2 → {1}, +3 → {0}. Week-1 cohort {2, 3}: +1 → {2}, +2 → nobody.
    assert_eq!(
        c0.cohorts,
        vec![
            Cohort {
                week: 0,
                size: 2,
                returned: vec![1, 1, 1]
            },
            Cohort {
                week: 1,
                size: 2,
                returned: vec![1, 0]
            },
        ]
    );
    assert_eq!(c0.cohorts[0].share(1), Some(0.5));
    assert_eq!(c0.cohorts[1].share(2), Some(0.0));
    assert_eq!(c0.cohorts[1].share(3), None); // beyond the last observed week
    assert_eq!(c0.cohorts[1].share(0), None);
    assert_eq!(r[1].weeks, vec![week(3, 1, 1, 0)]);
    assert_eq!(
        r[1].cohorts,
        vec![Cohort {
            week: 3,
            size: 1,
            returned: vec![]
        }]
    );

    let short = RetentionOptions { max_offset: 1 };
    let r = cohort_retention(&community_of, &activity, &short).unwrap();
    assert_eq!(r[0].cohorts[0].returned, vec![1]);
    assert!(cohort_retention(&community_of, &[], &short)
        .unwrap()
        .is_empty());
    assert!(matches!(
        cohort_retention(&community_of, &[Activity { node: 9, week: 0 }], &short),
        Err(CommunityError::NodeOutOfRange { .. })
    ));
}
