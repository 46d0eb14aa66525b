//! Adjusted Rand index: agreement of two labellings of the same items, corrected for chance
//! (1 = identical partitions, about 0 = as good as random). Used to compare our groups with
//! Pol.is's and planted groups with recovered ones.

use std::collections::HashMap;

/// Adjusted Rand index (Hubert & Arabie) of two labellings of the same items. Label values are
/// arbitrary: only which items share a label matters. Two labellings that cannot disagree (fewer
/// than two items, or both all-in-one or both all-singletons) score 1.
///
/// # Panics
/// If the two slices differ in length (they must label the same items).
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    assert_eq!(
        a.len(),
        b.len(),
        "adjusted_rand_index: labellings differ in length"
    );
    let n = a.len();
    if n < 2 {
        return 1.0;
    }
    let mut table: HashMap<(usize, usize), u64> = HashMap::new();
    let mut rows: HashMap<usize, u64> = HashMap::new();
    let mut cols: HashMap<usize, u64> = HashMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *table.entry((x, y)).or_default() += 1;
        *rows.entry(x).or_default() += 1;
        *cols.entry(y).or_default() += 1;
    }
    let pairs = |c: u64| (c * c.saturating_sub(1) / 2) as f64;
    let index: f64 = table.values().map(|&c| pairs(c)).sum();
    let sum_a: f64 = rows.values().map(|&c| pairs(c)).sum();
    let sum_b: f64 = cols.values().map(|&c| pairs(c)).sum();
    let total = pairs(n as u64);
    let expected = sum_a * sum_b / total;
    let max = 0.5 * (sum_a + sum_b);
    if max == expected {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() < 1e-12
    }

    #[test]
    fn identical_partitions_score_one_whatever_the_names() {
        assert!(close(
            adjusted_rand_index(&[0, 0, 1, 1], &[1, 1, 0, 0]),
            1.0
        ));
        assert!(close(
            adjusted_rand_index(&[0, 0, 1, 2], &[5, 5, 7, 9]),
            1.0
        ));
    }

    #[test]
    fn textbook_values() {
        // scikit-learn's documented examples.
        assert!(close(
            adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]),
            0.571_428_571_428_571_4
        ));
        assert!(close(
            adjusted_rand_index(&[0, 0, 1, 2], &[0, 0, 1, 1]),
            0.571_428_571_428_571_4
        ));
        assert!(close(
            adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]),
            -0.5
        ));
        assert!(close(
            adjusted_rand_index(&[0, 0, 0, 0], &[0, 1, 2, 3]),
            0.0
        ));
        // By hand: a = [0,0,0,1,1,1], b = [0,0,1,1,2,2]: index 2, sum_a 6, sum_b 3, total 15,
        // expected 6·3/15 = 1.2, max 4.5, so (2 − 1.2) / (4.5 − 1.2) = 0.2424…
        assert!(close(
            adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]),
            0.8 / 3.3
        ));
    }

    #[test]
    fn degenerate_inputs() {
        assert!(close(adjusted_rand_index(&[], &[]), 1.0));
        assert!(close(adjusted_rand_index(&[3], &[4]), 1.0));
        assert!(close(adjusted_rand_index(&[1, 1, 1], &[2, 2, 2]), 1.0));
    }
}
