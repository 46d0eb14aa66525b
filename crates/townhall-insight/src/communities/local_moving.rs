//! Leiden's "fast local moving": visit nodes from a queue, move each to the neighbouring community with the
//! largest modularity gain, and re-queue only the neighbours a move may have affected.

use std::collections::VecDeque;

use super::gather::Gather;
use super::work_graph::WorkGraph;

/// Gains here are in edge-weight units: moving `v` into `c` changes modularity by
/// `(w(v, c) − γ · k_v · K_c / 2m) / m`, with `K_c` the degree sum of `c` without `v`.
pub(crate) struct GainScale {
    /// `γ / 2m`.
    pub(crate) gamma_over_2m: f64,
    /// Smallest improvement (in weight units) worth a move; keeps rounding noise from cycling nodes.
    pub(crate) min_gain: f64,
}

/// Improves `community` (ids in `0..node_count`) in place; returns whether any node moved.
pub(crate) fn move_nodes(
    g: &WorkGraph,
    community: &mut [u32],
    order: &[u32],
    scale: &GainScale,
) -> bool {
    let n = g.node_count();
    let mut total = vec![0.0f64; n];
    let mut size = vec![0u32; n];
    for v in 0..n {
        total[community[v] as usize] += g.degree[v];
        size[community[v] as usize] += 1;
    }
    // Largest id last so that `pop` hands out the smallest free id first.
    let mut empty: Vec<u32> = (0..n as u32)
        .rev()
        .filter(|&c| size[c as usize] == 0)
        .collect();
    let mut gather = Gather::new(n);
    let mut queue: VecDeque<u32> = order.iter().copied().collect();
    let mut in_queue = vec![true; n];
    let mut changed = false;

    while let Some(v) = queue.pop_front() {
        let vi = v as usize;
        in_queue[vi] = false;
        let own = community[vi];
        let kv = g.degree[vi];
        let row = g.row(vi);
        let links = gather.collect(&g.targets[row.clone()], &g.weights[row], |u| {
            Some(community[u as usize])
        });
        total[own as usize] -= kv;
        let gain = |c: u32, w: f64| w - kv * total[c as usize] * scale.gamma_over_2m;
        let mut stay_gain = gain(own, 0.0);
        let mut best = own;
        let mut best_gain = f64::NEG_INFINITY;
        for &(c, w) in links {
            let candidate = gain(c, w);
            if c == own {
                stay_gain = candidate;
            } else if candidate > best_gain {
                best_gain = candidate;
                best = c;
            }
        }
        if best_gain <= stay_gain + scale.min_gain {
            best = own;
            best_gain = stay_gain;
        }
        // Leaving for a community of its own (gain 0) beats staying where the node no longer fits.
        if size[own as usize] > 1 && 0.0 > best_gain + scale.min_gain {
            if let Some(&free) = empty.last() {
                best = free;
            }
        }
        total[best as usize] += kv;
        if best == own {
            continue;
        }
        if empty.last() == Some(&best) {
            empty.pop();
        }
        size[own as usize] -= 1;
        if size[own as usize] == 0 {
            empty.push(own);
        }
        size[best as usize] += 1;
        community[vi] = best;
        changed = true;
        for e in g.row(vi) {
            let u = g.targets[e] as usize;
            if !in_queue[u] && community[u] != best {
                in_queue[u] = true;
                queue.push_back(u as u32);
            }
        }
    }
    changed
}
