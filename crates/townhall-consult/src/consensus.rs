//! What the whole room agrees on, and what divides it.
//!
//! Group-informed consensus (Pol.is `group-aware-consensus`) multiplies each group's add-one
//! agree rate, so a statement scores high only if every group agrees: a large group cannot carry
//! it alone. The agree and disagree lists are Pol.is's `consensus-stats` over all participants.
//! Divisiveness is ours (Pol.is has no such list): how far apart the groups' net agreement is.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::matrix::VoteMatrix;
use crate::settings::Settings;
use crate::stats::{count_by_label, p_hat, prop_test, Counts};

/// Group-informed consensus of one statement.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementConsensus {
    /// Statement.
    pub statement_id: i64,
    /// Product over groups of `(agrees + 1) / (votes + 2)` (the export's
    /// `group-informed-consensus`).
    pub agree: f64,
    /// The same with disagrees.
    pub disagree: f64,
}

/// A statement most participants agree (or disagree) with.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsensusStatement {
    /// Statement.
    pub statement_id: i64,
    /// Participants who agreed (or disagreed, in the disagree list).
    pub n_success: u64,
    /// Participants who voted on it (passes included).
    pub n_trials: u64,
    /// `(n_success + 1) / (n_trials + 2)`.
    pub p_success: f64,
    /// One-proportion z statistic against 1/2.
    pub p_test: f64,
}

/// Consensus results of an analysis.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Consensus {
    /// Group-informed consensus of every statement that has votes, by statement id.
    pub group_informed: Vec<StatementConsensus>,
    /// Top statements agreed with overall (`p > 1/2`, significant), best first.
    pub agree: Vec<ConsensusStatement>,
    /// Top statements disagreed with overall, best first.
    pub disagree: Vec<ConsensusStatement>,
}

/// A statement on which the groups part ways.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DivisiveStatement {
    /// Statement.
    pub statement_id: i64,
    /// Half the spread of the groups' net agreement (0 = all groups alike, 1 = one group all
    /// agrees and another all disagrees).
    pub divisiveness: f64,
    /// Net agreement `p(agree) − p(disagree)` (add-one) of each group, by group id.
    pub net_agreement: Vec<f64>,
}

/// Group-informed consensus for any grouping (`group_of`: participant → group). Participants
/// without a group are left out. Counts come from the raw votes, so excluded statements get a
/// value too, as in the Pol.is export.
pub fn group_informed_consensus(
    matrix: &VoteMatrix,
    group_of: &BTreeMap<i64, usize>,
) -> Vec<StatementConsensus> {
    let mut ids: Vec<usize> = group_of.values().copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let labels: Vec<Option<usize>> = matrix
        .participants()
        .iter()
        .map(|p| group_of.get(p).and_then(|g| ids.binary_search(g).ok()))
        .collect();
    let counts = count_by_label(matrix, &labels, ids.len());
    from_counts(matrix, &counts)
}

pub(crate) fn from_counts(matrix: &VoteMatrix, counts: &[Vec<Counts>]) -> Vec<StatementConsensus> {
    matrix
        .statements()
        .iter()
        .enumerate()
        .map(|(col, &statement_id)| StatementConsensus {
            statement_id,
            agree: counts
                .iter()
                .map(|g| p_hat(g[col].agree, g[col].votes))
                .product(),
            disagree: counts
                .iter()
                .map(|g| p_hat(g[col].disagree, g[col].votes))
                .product(),
        })
        .collect()
}

/// The overall agree and disagree lists, over all participants.
pub(crate) fn consensus_lists(
    matrix: &VoteMatrix,
    settings: &Settings,
) -> (Vec<ConsensusStatement>, Vec<ConsensusStatement>) {
    let everyone = vec![Some(0); matrix.n_participants()];
    let all = count_by_label(matrix, &everyone, 1)
        .pop()
        .unwrap_or_default();
    let list = |pick: fn(&Counts) -> u64| {
        let mut out: Vec<ConsensusStatement> = all
            .iter()
            .enumerate()
            .filter(|(col, _)| !matrix.is_excluded_col(*col))
            .map(|(col, c)| ConsensusStatement {
                statement_id: matrix.statements()[col],
                n_success: pick(c),
                n_trials: c.votes,
                p_success: p_hat(pick(c), c.votes),
                p_test: prop_test(pick(c), c.votes),
            })
            .filter(|s| s.p_success > 0.5 && s.p_test > settings.z_threshold)
            .collect();
        out.sort_by(|a, b| (b.p_success * b.p_test).total_cmp(&(a.p_success * a.p_test)));
        out.truncate(settings.consensus_statements);
        out
    };
    (list(|c| c.agree), list(|c| c.disagree))
}

/// The most divisive statements (`counts[g]` ordered by group id), most divisive first.
pub(crate) fn divisive(
    matrix: &VoteMatrix,
    counts: &[Vec<Counts>],
    settings: &Settings,
) -> Vec<DivisiveStatement> {
    if counts.len() < 2 {
        return Vec::new();
    }
    let mut out: Vec<DivisiveStatement> = (0..matrix.n_statements())
        .filter(|&col| !matrix.is_excluded_col(col))
        .map(|col| {
            let net: Vec<f64> = counts
                .iter()
                .map(|g| p_hat(g[col].agree, g[col].votes) - p_hat(g[col].disagree, g[col].votes))
                .collect();
            let hi = net.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let lo = net.iter().copied().fold(f64::INFINITY, f64::min);
            DivisiveStatement {
                statement_id: matrix.statements()[col],
                divisiveness: (hi - lo) / 2.0,
                net_agreement: net,
            }
        })
        .filter(|d| d.divisiveness > 0.0)
        .collect();
    out.sort_by(|a, b| b.divisiveness.total_cmp(&a.divisiveness));
    out.truncate(settings.divisive_statements);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn matrix() -> VoteMatrix {
        // Participants 0..8 in group 0, 8..12 in group 1. Statement 0: everyone agrees.
        // Statement 1: group 0 agrees, group 1 disagrees. Statement 2: everyone disagrees.
        let mut events = Vec::new();
        for p in 0..12i64 {
            events.push((p, 0, 1, 0));
            events.push((p, 1, if p < 8 { 1 } else { -1 }, 0));
            events.push((p, 2, -1, 0));
        }
        VoteMatrix::from_events(events).unwrap()
    }

    #[test]
    fn group_informed_consensus_is_the_product_of_add_one_rates() {
        let m = matrix();
        let group_of: BTreeMap<i64, usize> = (0..12).map(|p| (p, usize::from(p >= 8))).collect();
        let c = group_informed_consensus(&m, &group_of);
        assert!((c[0].agree - (9.0 / 10.0) * (5.0 / 6.0)).abs() < 1e-15);
        assert!((c[1].agree - (9.0 / 10.0) * (1.0 / 6.0)).abs() < 1e-15);
        assert!((c[1].disagree - (1.0 / 10.0) * (5.0 / 6.0)).abs() < 1e-15);
        // Group ids need not be 0..k, and ungrouped participants are left out.
        let sparse: BTreeMap<i64, usize> =
            (0..11).map(|p| (p, if p >= 8 { 7 } else { 3 })).collect();
        let c = group_informed_consensus(&m, &sparse);
        assert!((c[0].agree - (9.0 / 10.0) * (4.0 / 5.0)).abs() < 1e-15);
    }

    #[test]
    fn consensus_lists_and_divisive_statements() {
        let m = matrix();
        let s = Settings::default();
        let (agree, disagree) = consensus_lists(&m, &s);
        assert_eq!(
            agree.iter().map(|c| c.statement_id).collect::<Vec<_>>(),
            vec![0, 1]
        );
        assert_eq!(
            disagree.iter().map(|c| c.statement_id).collect::<Vec<_>>(),
            vec![2]
        );
        assert_eq!((agree[0].n_success, agree[0].n_trials), (12, 12));

        let labels: Vec<Option<usize>> = (0..12).map(|p| Some(usize::from(p >= 8))).collect();
        let counts = count_by_label(&m, &labels, 2);
        let d = divisive(&m, &counts, &s);
        assert_eq!(d[0].statement_id, 1);
        // Net agreement 8/10 in group 0 and -4/6 in group 1.
        assert!((d[0].divisiveness - (0.8 + 4.0 / 6.0) / 2.0).abs() < 1e-12);
        assert!(d
            .iter()
            .all(|x| x.statement_id == 1 || x.divisiveness < 0.2));
    }
}
