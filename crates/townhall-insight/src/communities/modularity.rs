//! Modularity with a resolution, as networkx defines it for weighted undirected graphs.

use rustc_hash::FxHashMap;

use super::{CommunityError, Graph};

/// `Q = Σ_c [ L_c / m − γ · (K_c / 2m)² ]`, where `L_c` is the weight of the edges inside community `c`, `K_c` the
/// sum of its members' weighted degrees and `m` the total edge weight (networkx's `community.modularity`).
///
/// `partition[v]` is any label for node `v`'s community (labels need not be dense). A graph without edges has
/// modularity 0 by convention (networkx divides by zero there).
pub fn modularity(
    graph: &Graph,
    partition: &[u32],
    resolution: f64,
) -> Result<f64, CommunityError> {
    let n = graph.node_count();
    if partition.len() != n {
        return Err(CommunityError::PartitionLength {
            partition_len: partition.len(),
            node_count: n,
        });
    }
    if !(resolution.is_finite() && resolution >= 0.0) {
        return Err(CommunityError::InvalidResolution(resolution));
    }
    let m = graph.total_weight();
    if m <= 0.0 {
        return Ok(0.0);
    }
    let dense = dense_labels(partition);
    let k = dense.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut internal = vec![0.0; k];
    let mut volume = vec![0.0; k];
    let (offsets, neighbors, weights) = graph.csr();
    for v in 0..n {
        let c = dense[v] as usize;
        volume[c] += graph.strengths()[v];
        for e in offsets[v]..offsets[v + 1] {
            if dense[neighbors[e] as usize] as usize == c {
                internal[c] += weights[e];
            }
        }
    }
    // `internal` counted each edge from both ends.
    Ok(internal
        .iter()
        .zip(&volume)
        .map(|(&twice_l, &vol)| twice_l / (2.0 * m) - resolution * (vol / (2.0 * m)).powi(2))
        .sum())
}

/// Maps arbitrary labels to `0..k` in order of first appearance.
pub(crate) fn dense_labels(partition: &[u32]) -> Vec<u32> {
    let mut ids: FxHashMap<u32, u32> = FxHashMap::default();
    partition
        .iter()
        .map(|&label| {
            let next = ids.len() as u32;
            *ids.entry(label).or_insert(next)
        })
        .collect()
}
