//! The undirected, weighted interaction graph in compressed sparse row (CSR) form.

use super::CommunityError;

/// One directed interaction: `from` replied to, mentioned or quoted `to`, with a weight the caller chooses
/// (1.0 per interaction, or more for a reply than for a mention).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interaction {
    pub from: u32,
    pub to: u32,
    pub weight: f64,
}

impl Interaction {
    pub fn new(from: u32, to: u32, weight: f64) -> Self {
        Self { from, to, weight }
    }
}

/// Undirected weighted graph over nodes `0..node_count`, without self-loops.
///
/// Each undirected edge appears in the adjacency of both its ends, neighbours sorted by id.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    offsets: Vec<usize>,
    neighbors: Vec<u32>,
    weights: Vec<f64>,
    strength: Vec<f64>,
    out_strength: Vec<f64>,
    in_strength: Vec<f64>,
    total_weight: f64,
    dropped_self_loops: usize,
}

impl Graph {
    /// Builds the graph: `a→b` and `b→a` and repeated interactions merge into one edge whose weight is their sum;
    /// self-loops (replying to oneself is not a tie) and zero weights are dropped.
    pub fn from_interactions(
        node_count: usize,
        interactions: &[Interaction],
    ) -> Result<Self, CommunityError> {
        if u32::try_from(node_count).is_err() {
            return Err(CommunityError::TooManyNodes(node_count));
        }
        let mut out_strength = vec![0.0; node_count];
        let mut in_strength = vec![0.0; node_count];
        let mut row_len = vec![0usize; node_count + 1];
        let mut dropped_self_loops = 0;
        for it in interactions {
            for node in [it.from, it.to] {
                if node as usize >= node_count {
                    return Err(CommunityError::NodeOutOfRange { node, node_count });
                }
            }
            if !(it.weight.is_finite() && it.weight >= 0.0) {
                return Err(CommunityError::InvalidWeight {
                    from: it.from,
                    to: it.to,
                    weight: it.weight,
                });
            }
            if it.from == it.to {
                dropped_self_loops += 1;
                continue;
            }
            if it.weight == 0.0 {
                continue;
            }
            out_strength[it.from as usize] += it.weight;
            in_strength[it.to as usize] += it.weight;
            row_len[it.from as usize + 1] += 1;
            row_len[it.to as usize + 1] += 1;
        }
        // Counting sort of both directions by source row.
        for i in 1..row_len.len() {
            row_len[i] += row_len[i - 1];
        }
        let raw_offsets = row_len;
        let mut cursor = raw_offsets.clone();
        let mut entries = vec![(0u32, 0.0f64); raw_offsets[node_count]];
        for it in interactions {
            if it.from == it.to || it.weight == 0.0 {
                continue;
            }
            for (a, b) in [(it.from, it.to), (it.to, it.from)] {
                let slot = &mut cursor[a as usize];
                entries[*slot] = (b, it.weight);
                *slot += 1;
            }
        }
        // Sort each row by neighbour and merge duplicates, compacting in place.
        let mut offsets = Vec::with_capacity(node_count + 1);
        offsets.push(0);
        let mut write = 0;
        for row in 0..node_count {
            let (start, end) = (raw_offsets[row], raw_offsets[row + 1]);
            entries[start..end].sort_unstable_by_key(|e| e.0);
            let mut read = start;
            while read < end {
                let (target, mut weight) = entries[read];
                read += 1;
                while read < end && entries[read].0 == target {
                    weight += entries[read].1;
                    read += 1;
                }
                entries[write] = (target, weight);
                write += 1;
            }
            offsets.push(write);
        }
        entries.truncate(write);
        let (neighbors, weights): (Vec<u32>, Vec<f64>) = entries.into_iter().unzip();
        let strength: Vec<f64> = (0..node_count)
            .map(|v| weights[offsets[v]..offsets[v + 1]].iter().sum())
            .collect();
        let total_weight = strength.iter().sum::<f64>() / 2.0;
        Ok(Self {
            offsets,
            neighbors,
            weights,
            strength,
            out_strength,
            in_strength,
            total_weight,
            dropped_self_loops,
        })
    }

    /// Number of nodes, isolated ones included.
    pub fn node_count(&self) -> usize {
        self.strength.len()
    }

    /// Number of distinct undirected edges.
    pub fn edge_count(&self) -> usize {
        self.neighbors.len() / 2
    }

    /// Sum of the undirected edge weights (networkx's `m`).
    pub fn total_weight(&self) -> f64 {
        self.total_weight
    }

    /// Interactions dropped because a node interacted with itself.
    pub fn dropped_self_loops(&self) -> usize {
        self.dropped_self_loops
    }

    /// Neighbours of `node` with the merged edge weight, sorted by neighbour id.
    pub fn neighbors(&self, node: u32) -> impl Iterator<Item = (u32, f64)> + '_ {
        let range = self.row(node);
        self.neighbors[range.clone()]
            .iter()
            .copied()
            .zip(self.weights[range].iter().copied())
    }

    /// Number of distinct neighbours.
    pub fn degree(&self, node: u32) -> usize {
        self.row(node).len()
    }

    /// Weighted degree: the sum of the weights of the node's undirected edges.
    pub fn strength(&self, node: u32) -> f64 {
        self.strength[node as usize]
    }

    /// Weight of the interactions the node started (replies, mentions, quotes it made), self-loops excluded.
    pub fn out_strength(&self, node: u32) -> f64 {
        self.out_strength[node as usize]
    }

    /// Weight of the interactions aimed at the node, self-loops excluded.
    pub fn in_strength(&self, node: u32) -> f64 {
        self.in_strength[node as usize]
    }

    /// Every undirected edge once, as `(u, v, weight)` with `u < v`, in increasing `(u, v)` order.
    pub fn edges(&self) -> impl Iterator<Item = (u32, u32, f64)> + '_ {
        (0..self.node_count() as u32).flat_map(move |u| {
            self.neighbors(u)
                .filter(move |&(v, _)| u < v)
                .map(move |(v, w)| (u, v, w))
        })
    }

    pub(crate) fn csr(&self) -> (&[usize], &[u32], &[f64]) {
        (&self.offsets, &self.neighbors, &self.weights)
    }

    pub(crate) fn strengths(&self) -> &[f64] {
        &self.strength
    }

    fn row(&self, node: u32) -> std::ops::Range<usize> {
        let v = node as usize;
        self.offsets[v]..self.offsets[v + 1]
    }
}
