//! Communities in the reply / mention / quote graph.
//!
//! Everything here is a pure function over plain inputs. Node ids are dense `u32` in `0..n`; the caller maps
//! authors to ids (and back) and chooses the weight of each kind of interaction.
//!
//! - [`Graph`] is undirected, weighted, compressed adjacency built from directed [`Interaction`]s (duplicates and
//!   both directions summed, self-loops dropped), keeping each node's directed in/out weight.
//! - [`detect_communities`] runs Leiden (Louvain with the Leiden refinement step, which keeps communities connected)
//!   or plain Louvain, with a resolution; deterministic for a seed. [`modularity`] follows networkx's definition.
//! - [`summarize`] gives, per community, its size, internal weight and most connected voices; bridge nodes with their
//!   participation coefficient; community-to-community ties with the people who carry them.
//!   [`tally_labels`] counts topics, languages or any other per-post label by community.
//! - [`cohort_retention`] gives, per community, weekly new / returning participants and the classic cohort table.

mod detect;
mod error;
mod gather;
mod graph;
mod labels;
mod local_moving;
mod modularity;
mod refine;
mod retention;
mod rng;
mod summary;
mod work_graph;

pub use detect::{detect_communities, DetectOptions, Method, Partition};
pub use error::CommunityError;
pub use graph::{Graph, Interaction};
pub use labels::{tally_labels, LabelCount};
pub use modularity::modularity;
pub use retention::{
    cohort_retention, Activity, Cohort, CommunityRetention, RetentionOptions, WeekActivity,
};
pub use summary::{
    participation_coefficients, summarize, Bridge, Broker, CommunityLink, CommunityProfile,
    CommunitySummary, CommunityTie, SummaryOptions, Voice,
};

#[cfg(test)]
mod tests;
