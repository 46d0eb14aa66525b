//! The constants of the model. One set, the Pol.is one, serves every conversation: agreement
//! with Pol.is must not depend on per-conversation tuning.

use serde::{Deserialize, Serialize};

/// Every number the analysis uses. [`Settings::default`] is the Pol.is set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// A participant is clustered once they voted on at least `min(min_votes, statements)`.
    pub min_votes: usize,
    /// If fewer participants qualify, the top voters are added until there are this many.
    pub min_clustered: usize,
    /// Cap on PCA subspace iterations, Pol.is's 100 (they stop earlier once converged; a second
    /// component lost in noise would otherwise never settle).
    pub pca_max_iters: usize,
    /// PCA stops when each component's residual `|Cv − λv|` is below this fraction of `λ₁`.
    pub pca_tolerance: f64,
    /// Number of base clusters (k of the first k-means level).
    pub base_k: usize,
    /// Iteration cap of the base k-means.
    pub base_iters: usize,
    /// k-means stops when no centre moves this much (projection units).
    pub kmeans_tolerance: f64,
    /// Smallest number of opinion groups tried.
    pub group_k_min: usize,
    /// Largest number of opinion groups tried (also capped at `2 + base clusters / 12`).
    pub group_k_max: usize,
    /// Iteration cap of the group k-means over base clusters (Pol.is intends 100; a keyword
    /// mix-up makes its code run 20).
    pub group_iters: usize,
    /// A clustering whose smallest group has fewer participants is an isolated outlier, not
    /// opinion groups, and is not chosen (Pol.is shows groups of 3, e.g. london.youth.policing).
    pub min_group_size: usize,
    /// Another start replaces Pol.is's when it lowers the within-group sum of squares by at
    /// least this fraction.
    pub restart_gain: f64,
    /// A new best k is shown only after winning this many consecutive updates.
    pub k_buffer: usize,
    /// One-sided 90 % z threshold used by every significance test.
    pub z_threshold: f64,
    /// Representative statements listed per group.
    pub rep_statements: usize,
    /// Consensus statements listed for agree and for disagree.
    pub consensus_statements: usize,
    /// Divisive statements listed.
    pub divisive_statements: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            min_votes: 7,
            min_clustered: 15,
            pca_max_iters: 100,
            pca_tolerance: 1e-10,
            base_k: 100,
            base_iters: 100,
            kmeans_tolerance: 0.01,
            group_k_min: 2,
            group_k_max: 5,
            group_iters: 100,
            min_group_size: 3,
            restart_gain: 0.1,
            k_buffer: 4,
            z_threshold: 1.2816,
            rep_statements: 5,
            consensus_statements: 5,
            divisive_statements: 5,
        }
    }
}
