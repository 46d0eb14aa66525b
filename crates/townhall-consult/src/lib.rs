//! Consult: the opinion-group model of Pol.is, restated, and its CSV export format.
//!
//! Votes (agree +1, disagree -1, pass 0) form a sparse participants × statements
//! [`VoteMatrix`]. [`analyze`] projects everyone onto the two principal components (missing votes
//! filled with the column mean, sparse voters scaled outwards by `sqrt(statements / votes)`),
//! clusters the participants with at least 7 votes in two levels (100 base clusters, then opinion
//! groups with k = 2..5 chosen by silhouette), and derives each group's representative statements
//! (Pol.is's z-test rules), the group-informed consensus and the divisive statements.
//! [`polis_format`] reads and writes Pol.is exports. The model is stated in
//! `shared/design/consultation-math.md`; one [`Settings::default`] serves every conversation.
//!
//! No I/O: functions take data or readers and writers, never paths, clocks or the network. The
//! same votes always give the same result: Pol.is's random starts are replaced by fixed ones and
//! parallel sums run over fixed chunks in a fixed order.
//!
//! Where this differs from Pol.is's code, and why:
//! - PCA is solved to convergence (at most 100 iterations, as Pol.is) from a fixed start, with no
//!   warm start and no mini-batch sampling for large conversations: those make Pol.is's result
//!   depend on history and chance.
//! - The group k-means also tries a few other deterministic starts and takes one only if it is
//!   clearly better (see the `cluster` module): a single cold run from Pol.is's start can stop
//!   where Pol.is's warm-started history never would.
//! - The silhouette that chooses k counts each base cluster as its members.
//! - Earlier analyses (the `previous` argument) keep the clustered set sticky, smooth k over
//!   updates and keep group ids with their members, as Pol.is does; they never move the groups.
//!
//! ```
//! use townhall_consult::{analyze, Settings, VoteEvent, VoteMatrix};
//!
//! // (participant, statement, vote, timestamp in ms); a re-vote replaces the earlier vote.
//! let mut events: Vec<VoteEvent> = Vec::new();
//! for p in 0..40 {
//!     for s in 0..10 {
//!         let side = if (p < 20) == (s < 5) { 1 } else { -1 };
//!         events.push((p, s, side, 1_000 + p).into());
//!     }
//! }
//! let matrix = VoteMatrix::from_events(events)?.with_excluded([9]); // 9 moderated out
//! let analysis = analyze(&matrix, &Settings::default(), None);
//! assert_eq!(analysis.groups.len(), 2);
//! assert_ne!(analysis.group_of[&0], analysis.group_of[&39]);
//! // The next update passes this one on, to keep k, ids and the clustered set stable.
//! let next = analyze(&matrix, &Settings::default(), Some(&analysis));
//! assert_eq!(next.group_of, analysis.group_of);
//! # Ok::<(), townhall_consult::MatrixError>(())
//! ```
//!
//! Agreement with Pol.is's own `group-id` (adjusted Rand index, default settings): 0.93 on
//! bg2050-volunteers (1.0 when replayed update by update), 0.93 on canadian-electoral-reform.

pub mod analysis;
pub mod ari;
mod cluster;
pub mod consensus;
pub mod error;
pub mod groups;
mod in_conv;
mod kmeans;
mod linalg;
pub mod matrix;
pub mod pca;
pub mod polis_format;
pub mod repness;
pub mod settings;
mod stats;
pub mod synthetic;

pub use analysis::{analyze, Analysis, BaseCluster, Group};
pub use ari::adjusted_rand_index;
pub use consensus::{
    group_informed_consensus, Consensus, ConsensusStatement, DivisiveStatement, StatementConsensus,
};
pub use error::{FormatError, MatrixError};
pub use groups::{KChoice, KScore};
pub use matrix::{VoteEvent, VoteMatrix, AGREE, DISAGREE, PASS};
pub use pca::{Pca, Projection, StatementProjection};
pub use polis_format::{read_export, write_export, Export};
pub use repness::{GroupRepness, RepStatement, Repful};
pub use settings::Settings;
