//! Vote counts per group and statement, and the Pol.is tests on them (add-one proportions,
//! one- and two-proportion z statistics).

use crate::matrix::{VoteMatrix, AGREE, DISAGREE};

/// Agree, disagree and total (passes included) votes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub agree: u64,
    pub disagree: u64,
    pub votes: u64,
}

impl Counts {
    fn add(&mut self, vote: i8) {
        self.votes += 1;
        if vote == AGREE {
            self.agree += 1;
        } else if vote == DISAGREE {
            self.disagree += 1;
        }
    }
}

/// `counts[label][col]` over the rows with a label (`labels[row] = Some(label)`), `n_labels`
/// labels, from the raw votes (excluded statements keep their real votes here).
pub(crate) fn count_by_label(
    matrix: &VoteMatrix,
    labels: &[Option<usize>],
    n_labels: usize,
) -> Vec<Vec<Counts>> {
    let mut counts = vec![vec![Counts::default(); matrix.n_statements()]; n_labels];
    for (row, label) in labels.iter().enumerate() {
        if let Some(l) = *label {
            for (col, vote) in matrix.row(row) {
                counts[l][col].add(vote);
            }
        }
    }
    counts
}

/// Add-one (Beta(1,1)) estimate of a proportion: `(successes + 1) / (trials + 2)`.
pub(crate) fn p_hat(successes: u64, trials: u64) -> f64 {
    (successes as f64 + 1.0) / (trials as f64 + 2.0)
}

/// One-proportion z statistic against 1/2, as Pol.is computes it.
pub(crate) fn prop_test(successes: u64, trials: u64) -> f64 {
    let n = trials as f64 + 1.0;
    2.0 * n.sqrt() * ((successes as f64 + 1.0) / n - 0.5)
}

/// Two-proportion z statistic (group against the rest), each count plus one; 0 when the pooled
/// proportion is 1.
pub(crate) fn two_prop_test(succ_in: u64, succ_out: u64, pop_in: u64, pop_out: u64) -> f64 {
    let (s1, s2) = (succ_in as f64 + 1.0, succ_out as f64 + 1.0);
    let (n1, n2) = (pop_in as f64 + 1.0, pop_out as f64 + 1.0);
    let pooled = (s1 + s2) / (n1 + n2);
    if pooled >= 1.0 {
        return 0.0;
    }
    (s1 / n1 - s2 / n2) / (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas() {
        assert!((p_hat(3, 8) - 0.4).abs() < 1e-15);
        // 2·sqrt(11)·(10/11 − 0.5)
        assert!((prop_test(9, 10) - 2.0 * 11f64.sqrt() * (10.0 / 11.0 - 0.5)).abs() < 1e-12);
        assert_eq!(two_prop_test(5, 5, 5, 5), 0.0);
        assert!(two_prop_test(9, 1, 10, 10) > 3.0);
    }
}
