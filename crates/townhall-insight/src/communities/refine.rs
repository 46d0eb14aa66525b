//! Leiden's refinement: inside each community found by local moving, rebuild it from singletons, merging a node
//! only into a well-connected sub-community of the same community. Aggregating by these sub-communities (rather
//! than by the communities themselves) is what keeps every final community connected.
//!
//! Merges are greedy (largest gain first), the θ → 0 limit of Leiden's randomised choice, so the result depends
//! only on the visiting order.

use super::gather::Gather;
use super::local_moving::GainScale;
use super::work_graph::WorkGraph;

/// Returns the refined partition (dense ids) and its number of sub-communities.
pub(crate) fn refine(
    g: &WorkGraph,
    community: &[u32],
    community_count: usize,
    order: &[u32],
    scale: &GainScale,
) -> (Vec<u32>, usize) {
    let n = g.node_count();
    let mut community_total = vec![0.0f64; community_count];
    // Weight from each node to the rest of its own community.
    let mut to_own = vec![0.0f64; n];
    for v in 0..n {
        let c = community[v];
        community_total[c as usize] += g.degree[v];
        for e in g.row(v) {
            if community[g.targets[e] as usize] == c {
                to_own[v] += g.weights[e];
            }
        }
    }
    let mut refined: Vec<u32> = (0..n as u32).collect();
    let mut sub_total = g.degree.clone();
    let mut sub_size = vec![1u32; n];
    // Weight from each sub-community to the rest of its community.
    let mut sub_external = to_own.clone();
    let mut gather = Gather::new(n);
    let well_connected = |external: f64, total: f64, community_total: f64| {
        external >= total * (community_total - total) * scale.gamma_over_2m
    };

    for &v in order {
        let vi = v as usize;
        let own_sub = refined[vi] as usize;
        let c = community[vi];
        let kc = community_total[c as usize];
        if sub_size[own_sub] != 1 || !well_connected(to_own[vi], g.degree[vi], kc) {
            continue;
        }
        let row = g.row(vi);
        let links = gather.collect(&g.targets[row.clone()], &g.weights[row], |u| {
            (community[u as usize] == c).then(|| refined[u as usize])
        });
        let kv = g.degree[vi];
        let mut best: Option<(u32, f64, f64)> = None;
        for &(s, w) in links {
            let si = s as usize;
            if !well_connected(sub_external[si], sub_total[si], kc) {
                continue;
            }
            let gain = w - kv * sub_total[si] * scale.gamma_over_2m;
            if gain >= 0.0 && best.is_none_or(|(_, b, _)| gain > b) {
                best = Some((s, gain, w));
            }
        }
        if let Some((s, _, w)) = best {
            let si = s as usize;
            sub_size[own_sub] = 0;
            sub_total[own_sub] = 0.0;
            refined[vi] = s;
            sub_size[si] += 1;
            sub_total[si] += kv;
            sub_external[si] += to_own[vi] - 2.0 * w;
        }
    }
    dense(&refined)
}

/// Renumbers ids to `0..k` in order of first appearance; returns the new ids and `k`.
pub(crate) fn dense(ids: &[u32]) -> (Vec<u32>, usize) {
    let mut map = vec![u32::MAX; ids.len()];
    let mut next = 0u32;
    let out = ids
        .iter()
        .map(|&id| {
            let slot = &mut map[id as usize];
            if *slot == u32::MAX {
                *slot = next;
                next += 1;
            }
            *slot
        })
        .collect();
    (out, next as usize)
}
