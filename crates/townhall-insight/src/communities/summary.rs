//! What a UI says about communities: their size and most connected voices, the people who bridge them, and how
//! strongly each pair of communities is tied (and through whom).

use serde::Serialize;
use std::cmp::Ordering;

use super::{CommunityError, Graph};

/// How many items of each list to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryOptions {
    /// Voices listed per community.
    pub voices_per_community: usize,
    /// Bridge nodes listed overall.
    pub bridges: usize,
    /// Community pairs listed (heaviest first).
    pub ties: usize,
    /// People listed per community pair.
    pub brokers_per_tie: usize,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        Self {
            voices_per_community: 10,
            bridges: 50,
            ties: 200,
            brokers_per_tie: 3,
        }
    }
}

/// A well-connected member of a community.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Voice {
    pub node: u32,
    /// Weight of the node's ties inside its community (the ranking key).
    pub internal_strength: f64,
    /// Weighted degree over all ties.
    pub strength: f64,
    /// Directed weights: interactions the node made / received (self-loops excluded).
    pub out_strength: f64,
    pub in_strength: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommunityProfile {
    pub community: u32,
    pub size: u32,
    /// Weight of the edges with both ends inside.
    pub internal_weight: f64,
    /// Weight of the edges leaving the community (its cut).
    pub external_weight: f64,
    /// Members ranked by within-community weighted degree, then overall weighted degree, then id.
    pub voices: Vec<Voice>,
}

/// Tie weight from a node to another community.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommunityLink {
    pub community: u32,
    pub weight: f64,
}

/// A node whose ties reach beyond its community.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bridge {
    pub node: u32,
    pub community: u32,
    /// Guimerà–Amaral participation coefficient `1 − Σ_s (k_s / k)²`: 0 when every tie stays inside one
    /// community, approaching 1 when ties spread evenly over many.
    pub participation: f64,
    pub strength: f64,
    /// Weight of the node's ties to other communities (the ranking key).
    pub external_strength: f64,
    /// The other communities it reaches, heaviest first.
    pub links: Vec<CommunityLink>,
}

/// A person carrying part of the tie between two communities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Broker {
    pub node: u32,
    /// Weight of this person's edges between the two communities.
    pub weight: f64,
}

/// The ties between two communities `a < b`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommunityTie {
    pub a: u32,
    pub b: u32,
    /// Total weight of the edges between them.
    pub weight: f64,
    /// Members of either community carrying most of that weight, heaviest first.
    pub brokers: Vec<Broker>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommunitySummary {
    /// Indexed by community id.
    pub communities: Vec<CommunityProfile>,
    /// Heaviest external strength first.
    pub bridges: Vec<Bridge>,
    /// Heaviest first.
    pub ties: Vec<CommunityTie>,
}

/// Participation coefficient of every node (0 for isolated nodes). `community_of` must hold dense ids.
pub fn participation_coefficients(
    graph: &Graph,
    community_of: &[u32],
) -> Result<Vec<f64>, CommunityError> {
    let community_count = check_partition(graph, community_of)?;
    let mut acc = CommunityAccumulator::new(community_count);
    Ok((0..graph.node_count() as u32)
        .map(|v| {
            acc.collect(graph, community_of, v);
            let p = acc.participation(graph.strength(v));
            acc.clear();
            p
        })
        .collect())
}

/// Profiles, bridges and ties of a partition whose ids are dense (`0..k`), as [`super::Partition`] numbers them.
pub fn summarize(
    graph: &Graph,
    community_of: &[u32],
    options: &SummaryOptions,
) -> Result<CommunitySummary, CommunityError> {
    let community_count = check_partition(graph, community_of)?;
    let n = graph.node_count();
    let mut acc = CommunityAccumulator::new(community_count);
    let mut internal_strength = vec![0.0; n];
    let mut external_strength = vec![0.0; n];
    let mut participation = vec![0.0; n];
    // (pair, node, weight) for every node's weight into each other community.
    let mut tie_parts: Vec<(u64, u32, f64)> = Vec::new();
    for v in 0..n as u32 {
        let own = community_of[v as usize];
        acc.collect(graph, community_of, v);
        participation[v as usize] = acc.participation(graph.strength(v));
        for &c in &acc.touched {
            let w = acc.weight[c as usize];
            if c == own {
                internal_strength[v as usize] = w;
            } else {
                external_strength[v as usize] += w;
                tie_parts.push((pair_key(own, c), v, w));
            }
        }
        acc.clear();
    }

    let communities = profiles(
        graph,
        community_of,
        community_count,
        &internal_strength,
        &external_strength,
        options,
    );
    let bridges = bridges(
        graph,
        community_of,
        &external_strength,
        &participation,
        options,
        &mut acc,
    );
    let ties = ties(tie_parts, options);
    Ok(CommunitySummary {
        communities,
        bridges,
        ties,
    })
}

fn profiles(
    graph: &Graph,
    community_of: &[u32],
    community_count: usize,
    internal_strength: &[f64],
    external_strength: &[f64],
    options: &SummaryOptions,
) -> Vec<CommunityProfile> {
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); community_count];
    let mut internal_twice = vec![0.0; community_count];
    let mut external = vec![0.0; community_count];
    for (v, &c) in community_of.iter().enumerate() {
        members[c as usize].push(v as u32);
        internal_twice[c as usize] += internal_strength[v];
        external[c as usize] += external_strength[v];
    }
    members
        .into_iter()
        .enumerate()
        .map(|(c, mut nodes)| {
            let size = nodes.len() as u32;
            let key = |&v: &u32| (internal_strength[v as usize], graph.strength(v));
            let by_rank = |a: &u32, b: &u32| {
                let (ka, kb) = (key(a), key(b));
                desc(ka.0, kb.0).then(desc(ka.1, kb.1)).then(a.cmp(b))
            };
            top_k(&mut nodes, options.voices_per_community, by_rank);
            let voices = nodes
                .iter()
                .map(|&v| Voice {
                    node: v,
                    internal_strength: internal_strength[v as usize],
                    strength: graph.strength(v),
                    out_strength: graph.out_strength(v),
                    in_strength: graph.in_strength(v),
                })
                .collect();
            CommunityProfile {
                community: c as u32,
                size,
                internal_weight: internal_twice[c] / 2.0,
                external_weight: external[c],
                voices,
            }
        })
        .collect()
}

fn bridges(
    graph: &Graph,
    community_of: &[u32],
    external_strength: &[f64],
    participation: &[f64],
    options: &SummaryOptions,
    acc: &mut CommunityAccumulator,
) -> Vec<Bridge> {
    let mut candidates: Vec<u32> = (0..graph.node_count() as u32)
        .filter(|&v| external_strength[v as usize] > 0.0)
        .collect();
    top_k(&mut candidates, options.bridges, |a, b| {
        desc(
            external_strength[*a as usize],
            external_strength[*b as usize],
        )
        .then(desc(participation[*a as usize], participation[*b as usize]))
        .then(a.cmp(b))
    });
    candidates
        .into_iter()
        .map(|v| {
            let own = community_of[v as usize];
            acc.collect(graph, community_of, v);
            let mut links: Vec<CommunityLink> = acc
                .touched
                .iter()
                .filter(|&&c| c != own)
                .map(|&c| CommunityLink {
                    community: c,
                    weight: acc.weight[c as usize],
                })
                .collect();
            acc.clear();
            links.sort_by(|a, b| desc(a.weight, b.weight).then(a.community.cmp(&b.community)));
            Bridge {
                node: v,
                community: own,
                participation: participation[v as usize],
                strength: graph.strength(v),
                external_strength: external_strength[v as usize],
                links,
            }
        })
        .collect()
}

fn ties(mut parts: Vec<(u64, u32, f64)>, options: &SummaryOptions) -> Vec<CommunityTie> {
    parts.sort_by(|x, y| x.0.cmp(&y.0).then(desc(x.2, y.2)).then(x.1.cmp(&y.1)));
    let mut ties = Vec::new();
    let mut start = 0;
    while start < parts.len() {
        let key = parts[start].0;
        let mut end = start;
        let mut both_ends = 0.0;
        while end < parts.len() && parts[end].0 == key {
            both_ends += parts[end].2;
            end += 1;
        }
        let (a, b) = ((key >> 32) as u32, key as u32);
        ties.push(CommunityTie {
            a,
            b,
            // Each cross edge was counted once from each of its ends.
            weight: both_ends / 2.0,
            brokers: parts[start..end.min(start + options.brokers_per_tie)]
                .iter()
                .map(|&(_, node, weight)| Broker { node, weight })
                .collect(),
        });
        start = end;
    }
    top_k(&mut ties, options.ties, |x, y| {
        desc(x.weight, y.weight)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    ties
}

/// Sums one node's edge weights per neighbouring community, reusing its buffers across nodes.
struct CommunityAccumulator {
    weight: Vec<f64>,
    touched: Vec<u32>,
}

impl CommunityAccumulator {
    fn new(community_count: usize) -> Self {
        Self {
            weight: vec![0.0; community_count],
            touched: Vec::new(),
        }
    }

    fn collect(&mut self, graph: &Graph, community_of: &[u32], v: u32) {
        for (u, w) in graph.neighbors(v) {
            let c = community_of[u as usize];
            if self.weight[c as usize] == 0.0 {
                self.touched.push(c);
            }
            self.weight[c as usize] += w;
        }
    }

    fn participation(&self, strength: f64) -> f64 {
        if strength <= 0.0 {
            return 0.0;
        }
        let concentration: f64 = self
            .touched
            .iter()
            .map(|&c| (self.weight[c as usize] / strength).powi(2))
            .sum();
        (1.0 - concentration).max(0.0)
    }

    fn clear(&mut self) {
        for &c in &self.touched {
            self.weight[c as usize] = 0.0;
        }
        self.touched.clear();
    }
}

/// Checks lengths and density of ids; returns the number of communities.
fn check_partition(graph: &Graph, community_of: &[u32]) -> Result<usize, CommunityError> {
    let n = graph.node_count();
    if community_of.len() != n {
        return Err(CommunityError::PartitionLength {
            partition_len: community_of.len(),
            node_count: n,
        });
    }
    let count = community_of
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    if count > n {
        return Err(CommunityError::CommunityIdOutOfRange {
            max_id: count - 1,
            node_count: n,
        });
    }
    Ok(count)
}

fn pair_key(x: u32, y: u32) -> u64 {
    let (a, b) = if x < y { (x, y) } else { (y, x) };
    (u64::from(a) << 32) | u64::from(b)
}

/// Descending order for finite floats.
fn desc(a: f64, b: f64) -> Ordering {
    b.partial_cmp(&a).unwrap_or(Ordering::Equal)
}

/// Keeps the first `k` items under `order`, sorted.
fn top_k<T>(items: &mut Vec<T>, k: usize, mut order: impl FnMut(&T, &T) -> Ordering) {
    if items.len() > k && k > 0 {
        items.select_nth_unstable_by(k - 1, &mut order);
    }
    items.truncate(k);
    items.sort_by(order);
}
