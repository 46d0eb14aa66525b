//! Who is clustered ("in-conv"): participants with enough votes, topped up with the most active
//! voters while there are too few, and never removed once in.
//!
//! A single run over the final votes cannot see Pol.is's history: Pol.is also keeps participants
//! who were topped up while the conversation was young (bg2050's participant 7, grouped with 4
//! votes). Passing the previous analysis to every update keeps that stickiness exactly.

use std::collections::BTreeSet;

use crate::matrix::VoteMatrix;
use crate::settings::Settings;

/// Row indices (ascending) of the participants to cluster. Counts are raw votes: passes and
/// votes on excluded statements included. `previous` are ids clustered in an earlier update.
pub(crate) fn in_conv_rows(
    matrix: &VoteMatrix,
    settings: &Settings,
    previous: Option<&BTreeSet<i64>>,
) -> Vec<usize> {
    let n = matrix.n_participants();
    let threshold = settings.min_votes.min(matrix.n_statements());
    let mut chosen = vec![false; n];
    for (row, slot) in chosen.iter_mut().enumerate() {
        let sticky = previous.is_some_and(|p| p.contains(&matrix.participants()[row]));
        *slot = sticky || matrix.row_len(row) >= threshold;
    }
    let mut count = chosen.iter().filter(|c| **c).count();
    if count < settings.min_clustered {
        let mut rest: Vec<usize> = (0..n).filter(|&r| !chosen[r]).collect();
        // Most votes first; earlier participants first on ties.
        rest.sort_by_key(|&r| (std::cmp::Reverse(matrix.row_len(r)), r));
        for r in rest {
            if count >= settings.min_clustered {
                break;
            }
            chosen[r] = true;
            count += 1;
        }
    }
    (0..n).filter(|&r| chosen[r]).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn matrix(votes_per_participant: &[usize]) -> VoteMatrix {
        let mut events = Vec::new();
        for (p, &n) in votes_per_participant.iter().enumerate() {
            for s in 0..n {
                events.push((p as i64, s as i64, 1i8, 0i64));
            }
        }
        VoteMatrix::from_events(events).unwrap()
    }

    #[test]
    fn tops_up_to_the_floor_with_the_most_active() {
        let mut counts = vec![10; 3];
        counts.extend([1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 1, 1, 1]);
        let m = matrix(&counts);
        let rows = in_conv_rows(&m, &Settings::default(), None);
        assert_eq!(rows.len(), 15);
        assert!(!rows.contains(&3) && !rows.contains(&16), "{rows:?}");
    }

    #[test]
    fn threshold_is_capped_by_statement_count_and_sticky() {
        let m = matrix(&[3, 3, 2]);
        let s = Settings {
            min_clustered: 0,
            ..Settings::default()
        };
        assert_eq!(in_conv_rows(&m, &s, None), vec![0, 1]);
        let previous: BTreeSet<i64> = [2].into();
        assert_eq!(in_conv_rows(&m, &s, Some(&previous)), vec![0, 1, 2]);
    }
}
