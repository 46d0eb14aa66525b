//! Errors of the community functions: bad inputs only (the algorithms themselves cannot fail).

use thiserror::Error;

/// Why a community function refused its input.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CommunityError {
    /// An interaction or activity names a node id outside `0..node_count`.
    #[error("node id {node} is out of range for {node_count} nodes")]
    NodeOutOfRange { node: u32, node_count: usize },
    /// Interaction weights must be finite and non-negative (a negative tie has no meaning for modularity).
    #[error("interaction weight {weight} between {from} and {to} is negative or not finite")]
    InvalidWeight { from: u32, to: u32, weight: f64 },
    /// The partition does not give one community per node of the graph.
    #[error("partition has {partition_len} entries but the graph has {node_count} nodes")]
    PartitionLength {
        partition_len: usize,
        node_count: usize,
    },
    /// Community ids must lie in `0..node_count` (number them densely, as [`super::Partition`] does).
    #[error("community id {max_id} is not below the node count {node_count}")]
    CommunityIdOutOfRange { max_id: usize, node_count: usize },
    /// The resolution must be finite and non-negative.
    #[error("resolution {0} is negative or not finite")]
    InvalidResolution(f64),
    /// More than `u32::MAX` nodes cannot be addressed by `u32` ids.
    #[error("{0} nodes do not fit u32 node ids")]
    TooManyNodes(usize),
}
