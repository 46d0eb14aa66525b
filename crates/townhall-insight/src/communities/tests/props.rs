//! Property tests: modularity bounds and an independent formula, detection quality floors, determinism,
//! connectedness of Leiden communities, graph bookkeeping and retention invariants.

use proptest::prelude::*;

use super::super::*;

const N: u32 = 24;

fn interactions() -> impl Strategy<Value = Vec<Interaction>> {
    prop::collection::vec((0..N, 0..N, 1u32..5), 0..80).prop_map(|edges| {
        edges
            .into_iter()
            .map(|(a, b, w)| Interaction::new(a, b, f64::from(w)))
            .collect()
    })
}

fn graph_and_partition() -> impl Strategy<Value = (Graph, Vec<u32>)> {
    (interactions(), prop::collection::vec(0u32..6, N as usize)).prop_map(|(edges, partition)| {
        (
            Graph::from_interactions(N as usize, &edges).unwrap(),
            partition,
        )
    })
}

/// `Q = (1/2m) Σ_ij [A_ij − γ k_i k_j / 2m] δ(c_i, c_j)`, straight from the definition.
fn brute_force_modularity(g: &Graph, partition: &[u32], gamma: f64) -> f64 {
    let n = g.node_count();
    let m = g.total_weight();
    if m == 0.0 {
        return 0.0;
    }
    let mut a = vec![vec![0.0; n]; n];
    for (u, v, w) in g.edges() {
        a[u as usize][v as usize] += w;
        a[v as usize][u as usize] += w;
    }
    let mut q = 0.0;
    for i in 0..n {
        for j in 0..n {
            if partition[i] == partition[j] {
                q += a[i][j] - gamma * g.strength(i as u32) * g.strength(j as u32) / (2.0 * m);
            }
        }
    }
    q / (2.0 * m)
}

fn is_connected_within(g: &Graph, community_of: &[u32], community: u32) -> bool {
    let members: Vec<u32> = (0..g.node_count() as u32)
        .filter(|&v| community_of[v as usize] == community)
        .collect();
    let mut seen = vec![false; g.node_count()];
    let mut stack = vec![members[0]];
    seen[members[0] as usize] = true;
    let mut reached = 1;
    while let Some(v) = stack.pop() {
        for (u, _) in g.neighbors(v) {
            if community_of[u as usize] == community && !seen[u as usize] {
                seen[u as usize] = true;
                reached += 1;
                stack.push(u);
            }
        }
    }
    reached == members.len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn modularity_is_bounded_and_matches_the_definition((g, partition) in graph_and_partition(), gamma in 0.0f64..3.0) {
        let q = modularity(&g, &partition, 1.0).unwrap();
        prop_assert!((-0.5 - 1e-12..=1.0 + 1e-12).contains(&q), "q = {}", q);
        let qg = modularity(&g, &partition, gamma).unwrap();
        prop_assert!(qg <= 1.0 + 1e-12);
        prop_assert!((qg - brute_force_modularity(&g, &partition, gamma)).abs() < 1e-9);
    }

    #[test]
    fn graph_bookkeeping_adds_up(edges in interactions()) {
        let g = Graph::from_interactions(N as usize, &edges).unwrap();
        let kept: f64 = edges.iter().filter(|e| e.from != e.to).map(|e| e.weight).sum();
        prop_assert_eq!(g.total_weight(), kept);
        let strength: f64 = (0..N).map(|v| g.strength(v)).sum();
        let out: f64 = (0..N).map(|v| g.out_strength(v)).sum();
        let inn: f64 = (0..N).map(|v| g.in_strength(v)).sum();
        prop_assert_eq!(strength, 2.0 * kept);
        prop_assert_eq!((out, inn), (kept, kept));
        prop_assert_eq!(g.dropped_self_loops(), edges.iter().filter(|e| e.from == e.to).count());
        for v in 0..N {
            let row: Vec<u32> = g.neighbors(v).map(|(u, _)| u).collect();
            prop_assert!(row.windows(2).all(|w| w[0] < w[1]) && !row.contains(&v));
            for (u, w) in g.neighbors(v) {
                prop_assert!(g.neighbors(u).any(|(x, wx)| x == v && wx == w));
            }
        }
    }

    #[test]
    fn detection_beats_trivial_partitions_and_is_deterministic(
        edges in interactions(), seed in 0u64..1000, gamma in 0.2f64..2.0, leiden in any::<bool>()
    ) {
        let g = Graph::from_interactions(N as usize, &edges).unwrap();
        let options = DetectOptions {
            resolution: gamma,
            seed,
            method: if leiden { Method::Leiden } else { Method::Louvain },
            ..DetectOptions::default()
        };
        let p = detect_communities(&g, &options).unwrap();
        let singletons: Vec<u32> = (0..N).collect();
        let q_singletons = modularity(&g, &singletons, gamma).unwrap();
        let q_one = modularity(&g, &[0; N as usize], gamma).unwrap();
        prop_assert!(p.modularity >= q_singletons - 1e-12, "{} < singletons {}", p.modularity, q_singletons);
        prop_assert!(p.modularity >= q_one - 1e-9, "{} < one community {}", p.modularity, q_one);
        prop_assert!((p.modularity - modularity(&g, &p.community_of, gamma).unwrap()).abs() < 1e-12);
        prop_assert_eq!(p.sizes.iter().map(|&s| s as usize).sum::<usize>(), N as usize);
        prop_assert!(p.sizes.windows(2).all(|w| w[0] >= w[1]));
        prop_assert_eq!(p.levels.last().unwrap_or(&singletons), &p.community_of);
        prop_assert_eq!(&detect_communities(&g, &options).unwrap(), &p);
        if leiden {
            for c in 0..p.community_count() as u32 {
                prop_assert!(is_connected_within(&g, &p.community_of, c), "community {} split", c);
            }
        }
    }

    #[test]
    fn summary_weights_add_up((g, partition) in graph_and_partition()) {
        let s = summarize(&g, &partition, &SummaryOptions { ties: usize::MAX, ..SummaryOptions::default() }).unwrap();
        let internal: f64 = s.communities.iter().map(|c| c.internal_weight).sum();
        let between: f64 = s.ties.iter().map(|t| t.weight).sum();
        prop_assert!((internal + between - g.total_weight()).abs() < 1e-9);
        let cut: f64 = s.communities.iter().map(|c| c.external_weight).sum();
        prop_assert!((cut - 2.0 * between).abs() < 1e-9);
        for p in participation_coefficients(&g, &partition).unwrap() {
            prop_assert!((0.0..1.0).contains(&p));
        }
    }

    #[test]
    fn retention_counts_are_consistent(
        events in prop::collection::vec((0u32..12, 0u32..10), 0..60), max_offset in 1u32..6
    ) {
        let community_of: Vec<u32> = (0..12).map(|v| v % 3).collect();
        let activity: Vec<Activity> = events.iter().map(|&(node, week)| Activity { node, week }).collect();
        let r = cohort_retention(&community_of, &activity, &RetentionOptions { max_offset }).unwrap();
        let mut distinct: Vec<u32> = events.iter().map(|e| e.0).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let new_total: u32 = r.iter().flat_map(|c| &c.weeks).map(|w| w.new).sum();
        prop_assert_eq!(new_total as usize, distinct.len());
        let mut pairs = events.clone();
        pairs.sort_unstable();
        pairs.dedup();
        let active_total: u32 = r.iter().flat_map(|c| &c.weeks).map(|w| w.active).sum();
        prop_assert_eq!(active_total as usize, pairs.len());
        let last = events.iter().map(|e| e.1).max();
        for c in &r {
            for w in &c.weeks {
                prop_assert_eq!(w.active, w.new + w.returning);
            }
            for cohort in &c.cohorts {
                let new = c.weeks.iter().find(|w| w.week == cohort.week).map(|w| w.new);
                prop_assert_eq!(Some(cohort.size), new);
                let horizon = max_offset.min(last.unwrap_or(0) - cohort.week) as usize;
                prop_assert_eq!(cohort.returned.len(), horizon);
                for (k, &back) in cohort.returned.iter().enumerate() {
                    prop_assert!(back <= cohort.size);
                    // Independent count: members of this cohort active k+1 weeks later.
                    let expected = (0..12u32)
                        .filter(|&v| community_of[v as usize] == c.community)
                        .filter(|&v| pairs.iter().filter(|p| p.0 == v).map(|p| p.1).min() == Some(cohort.week))
                        .filter(|&v| pairs.contains(&(v, cohort.week + k as u32 + 1)))
                        .count();
                    prop_assert_eq!(back as usize, expected);
                }
            }
        }
    }
}
