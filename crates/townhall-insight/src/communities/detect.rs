//! Community detection by modularity: Leiden (default) or plain Louvain, single-threaded so that the partition
//! depends only on the graph and the seed.

use super::local_moving::{move_nodes, GainScale};
use super::refine::{dense, refine};
use super::rng::SplitMix64;
use super::work_graph::WorkGraph;
use super::{modularity, CommunityError, Graph};
use serde::Serialize;

/// Which aggregation the search uses between levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Aggregate by the communities themselves (Blondel et al. 2008; what networkx implements).
    Louvain,
    /// Aggregate by refined, well-connected sub-communities (Traag et al. 2019): communities stay connected and
    /// modularity is usually a little higher.
    Leiden,
}

/// Settings of [`detect_communities`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DetectOptions {
    /// γ in the modularity; above 1 favours more, smaller communities.
    pub resolution: f64,
    /// Seeds the node visiting order; the same graph and seed always give the same partition.
    pub seed: u64,
    pub method: Method,
    /// Full passes over the original graph, each starting from the previous result (as leidenalg's
    /// `n_iterations`); stops early once a pass changes nothing.
    pub iterations: usize,
    /// Safety cap on aggregation levels per pass (real graphs need fewer than 20).
    pub max_levels: usize,
}

impl Default for DetectOptions {
    fn default() -> Self {
        Self {
            resolution: 1.0,
            seed: 0,
            method: Method::Leiden,
            iterations: 2,
            max_levels: 100,
        }
    }
}

/// The communities found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Partition {
    /// Community of each node, numbered by decreasing size (ties: smallest member id first). Isolated nodes are
    /// communities of one.
    pub community_of: Vec<u32>,
    /// Members per community, indexed by community id (so non-increasing).
    pub sizes: Vec<u32>,
    /// Modularity of `community_of` at the requested resolution (see [`modularity`]).
    pub modularity: f64,
    /// The partition of the original nodes after each aggregation level, in the order found, each numbered by
    /// decreasing size; the last one is `community_of`. With [`Method::Louvain`] and one iteration this is a
    /// hierarchy (each level merges communities of the one before); Leiden may also move refined parts between
    /// levels, and a further iteration starts again from single nodes. Empty for a graph without edges.
    pub levels: Vec<Vec<u32>>,
}

impl Partition {
    pub fn community_count(&self) -> usize {
        self.sizes.len()
    }
}

/// Finds communities maximising modularity at `options.resolution`.
pub fn detect_communities(
    graph: &Graph,
    options: &DetectOptions,
) -> Result<Partition, CommunityError> {
    let resolution = options.resolution;
    if !(resolution.is_finite() && resolution >= 0.0) {
        return Err(CommunityError::InvalidResolution(resolution));
    }
    let n = graph.node_count();
    let m = graph.total_weight();
    if m <= 0.0 {
        return Ok(Partition {
            community_of: (0..n as u32).collect(),
            sizes: vec![1; n],
            modularity: 0.0,
            levels: Vec::new(),
        });
    }
    let scale = GainScale {
        gamma_over_2m: resolution / (2.0 * m),
        min_gain: 1e-12 * m,
    };
    let base = WorkGraph::from_graph(graph);
    let mut rng = SplitMix64::new(options.seed);
    let mut current: Vec<u32> = (0..n as u32).collect();
    let mut levels = Vec::new();
    for _ in 0..options.iterations.max(1) {
        let (next, pass_levels) = one_pass(&base, &current, options, &scale, &mut rng);
        levels.extend(pass_levels);
        let unchanged = next == current;
        current = next;
        if unchanged {
            break;
        }
    }
    let (community_of, sizes) = number_by_size(&current);
    let levels = levels.iter().map(|level| number_by_size(level).0).collect();
    let modularity = modularity(graph, &community_of, resolution)?;
    Ok(Partition {
        community_of,
        sizes,
        modularity,
        levels,
    })
}

/// Local moving, (refinement,) aggregation, repeated until no community merges any more. `initial` gives each
/// original node's starting community (dense ids below `n`). Returns the final partition (dense, in order of first
/// appearance) and the partition after each level.
fn one_pass(
    base: &WorkGraph,
    initial: &[u32],
    options: &DetectOptions,
    scale: &GainScale,
    rng: &mut SplitMix64,
) -> (Vec<u32>, Vec<Vec<u32>>) {
    let mut owned: Option<WorkGraph> = None;
    let mut membership: Vec<u32> = (0..base.node_count() as u32).collect();
    let mut community = initial.to_vec();
    let mut levels: Vec<Vec<u32>> = Vec::new();
    for _ in 0..options.max_levels.max(1) {
        let g = owned.as_ref().unwrap_or(base);
        let node_count = g.node_count();
        let order = block_order(node_count, rng);
        move_nodes(g, &mut community, &order, scale);
        let (community_dense, community_count) = dense(&community);
        levels.push(
            membership
                .iter()
                .map(|&x| community_dense[x as usize])
                .collect(),
        );
        if community_count == node_count {
            break;
        }
        let by_community = || {
            let identity: Vec<u32> = (0..community_count as u32).collect();
            (community_dense.clone(), community_count, identity)
        };
        let (group, group_count, next_community) = match options.method {
            Method::Louvain => by_community(),
            Method::Leiden => {
                let (refined, refined_count) =
                    refine(g, &community_dense, community_count, &order, scale);
                if refined_count == node_count {
                    // Nothing merged inside any community: aggregate by the communities so the graph shrinks.
                    by_community()
                } else {
                    let mut next = vec![0u32; refined_count];
                    for (v, &r) in refined.iter().enumerate() {
                        next[r as usize] = community_dense[v];
                    }
                    (refined, refined_count, next)
                }
            }
        };
        let aggregated = g.aggregate(&group, group_count);
        for x in membership.iter_mut() {
            *x = group[*x as usize];
        }
        community = next_community;
        owned = Some(aggregated);
    }
    let last = levels.last().cloned().unwrap_or_default();
    (dense(&last).0, levels)
}

/// Renumbers a partition by decreasing community size (ties: smallest member first); returns it and the sizes.
pub(crate) fn number_by_size(partition: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let (dense_ids, k) = dense(partition);
    let mut sizes = vec![0u32; k];
    for &c in &dense_ids {
        sizes[c as usize] += 1;
    }
    // Dense ids follow first appearance, so id order is smallest-member order.
    let mut by_size: Vec<u32> = (0..k as u32).collect();
    by_size.sort_by_key(|&c| (std::cmp::Reverse(sizes[c as usize]), c));
    let mut rank = vec![0u32; k];
    for (new_id, &c) in by_size.iter().enumerate() {
        rank[c as usize] = new_id as u32;
    }
    let sorted_sizes = by_size.iter().map(|&c| sizes[c as usize]).collect();
    (
        dense_ids.iter().map(|&c| rank[c as usize]).collect(),
        sorted_sizes,
    )
}

/// Visiting order: a random order of blocks of consecutive ids, shuffled inside each block. On large graphs the
/// rows of a block sit together in memory, which is several times faster than a full shuffle once the graph
/// outgrows the CPU cache, and nearly as random; graphs below 8192 nodes get a full shuffle.
fn block_order(node_count: usize, rng: &mut SplitMix64) -> Vec<u32> {
    let block = (node_count / 4096).clamp(1, 64);
    let mut blocks: Vec<u32> = (0..node_count.div_ceil(block) as u32).collect();
    rng.shuffle(&mut blocks);
    let mut order = Vec::with_capacity(node_count);
    for b in blocks {
        let start = b as usize * block;
        let from = order.len();
        order.extend(start as u32..(start + block).min(node_count) as u32);
        rng.shuffle(&mut order[from..]);
    }
    order
}
