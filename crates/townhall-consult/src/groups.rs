//! Choosing k and naming groups across updates.
//!
//! k: the best silhouette wins, but (as Pol.is's `group-k-smoother`) a new best k replaces the
//! shown k only after winning `k_buffer` consecutive updates, so groups do not flicker.
//! Ids: groups are numbered 0..k so that, over all numberings, the most participants keep the id
//! they had in the previous analysis; without one, ids follow the k-means order.

use serde::{Deserialize, Serialize};

use crate::settings::Settings;

/// How k was chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KChoice {
    /// Number of groups shown.
    pub k: usize,
    /// The k with the best silhouette in this update.
    pub best_k: usize,
    /// Consecutive updates (this one included) in which `best_k` was the best.
    pub best_k_streak: usize,
    /// Silhouette of each k tried.
    pub silhouettes: Vec<KScore>,
}

/// The silhouette of one k.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct KScore {
    /// Number of groups.
    pub k: usize,
    /// Mean silhouette over the base clusters (-1 to 1; higher is better separated).
    pub silhouette: f64,
}

/// Picks the k to show from the silhouettes of this update and the previous choice.
pub(crate) fn choose_k(
    scores: &[KScore],
    previous: Option<&KChoice>,
    settings: &Settings,
) -> Option<KChoice> {
    let best = scores.iter().fold(None::<KScore>, |best, s| match best {
        Some(b) if b.silhouette >= s.silhouette => Some(b),
        _ => Some(*s),
    })?;
    let available = |k: usize| scores.iter().any(|s| s.k == k);
    let (k, streak) = match previous {
        None => (best.k, 1),
        Some(prev) => {
            let streak = if prev.best_k == best.k {
                prev.best_k_streak + 1
            } else {
                1
            };
            let k = if streak >= settings.k_buffer.max(1) || !available(prev.k) {
                best.k
            } else {
                prev.k
            };
            (k, streak)
        }
    };
    Some(KChoice {
        k,
        best_k: best.k,
        best_k_streak: streak,
        silhouettes: scores.to_vec(),
    })
}

/// For new groups (members as sorted id lists) and the previous groups indexed by id, the id of
/// each new group: the numbering 0..k that keeps the most members in place.
pub(crate) fn stable_ids(new: &[Vec<i64>], previous: &[(usize, Vec<i64>)]) -> Vec<usize> {
    let k = new.len();
    // overlap[g][id] = members of new group g who were in previous group `id`.
    let mut overlap = vec![vec![0usize; k]; k];
    for (g, members) in new.iter().enumerate() {
        for (id, old) in previous {
            if *id < k {
                overlap[g][*id] = count_common(members, old);
            }
        }
    }
    let mut best: Vec<usize> = (0..k).collect();
    let mut best_score = score(&overlap, &best);
    let mut perm: Vec<usize> = (0..k).collect();
    while next_permutation(&mut perm) {
        let s = score(&overlap, &perm);
        if s > best_score {
            best_score = s;
            best = perm.clone();
        }
    }
    best
}

fn score(overlap: &[Vec<usize>], perm: &[usize]) -> usize {
    perm.iter().enumerate().map(|(g, &id)| overlap[g][id]).sum()
}

fn count_common(a: &[i64], b: &[i64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Lexicographic next permutation; false after the last one.
fn next_permutation(p: &mut [usize]) -> bool {
    if p.len() < 2 {
        return false;
    }
    let mut i = p.len() - 1;
    while i > 0 && p[i - 1] >= p[i] {
        i -= 1;
    }
    if i == 0 {
        return false;
    }
    let mut j = p.len() - 1;
    while p[j] <= p[i - 1] {
        j -= 1;
    }
    p.swap(i - 1, j);
    p[i..].reverse();
    true
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn scores(v: &[(usize, f64)]) -> Vec<KScore> {
        v.iter()
            .map(|&(k, silhouette)| KScore { k, silhouette })
            .collect()
    }

    #[test]
    fn new_best_k_must_win_several_updates() {
        let s = Settings::default();
        let first = choose_k(&scores(&[(2, 0.5), (3, 0.4)]), None, &s).unwrap();
        assert_eq!((first.k, first.best_k), (2, 2));
        let mut prev = first;
        for round in 1..=4 {
            let next = choose_k(&scores(&[(2, 0.4), (3, 0.5)]), Some(&prev), &s).unwrap();
            assert_eq!(next.best_k, 3);
            assert_eq!(next.k, if round < 4 { 2 } else { 3 }, "round {round}");
            prev = next;
        }
    }

    #[test]
    fn ids_follow_the_members() {
        let new = vec![vec![5, 6, 7], vec![1, 2, 3, 4]];
        let previous = vec![(0, vec![1, 2, 3]), (1, vec![5, 6])];
        assert_eq!(stable_ids(&new, &previous), vec![1, 0]);
        assert_eq!(stable_ids(&new, &[]), vec![0, 1]);
    }
}
