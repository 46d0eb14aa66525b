//! Small statistics shared by the insight modules.

/// Median of the values (sorted in place); `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
/// "Fightin' Words"), as a z-score: how much more group A uses a word than group B, robust for rare
/// words. `a` and `b` are the word's counts, `a_total`/`b_total` the groups' word totals, `prior` the
/// word's count in the background (both groups) and `prior_total` its total.
pub fn log_odds_z(a: f64, a_total: f64, b: f64, b_total: f64, prior: f64, prior_total: f64) -> f64 {
    let alpha = prior.max(0.01);
    let alpha0 = prior_total.max(alpha);
    let la = ((a + alpha) / (a_total + alpha0 - a - alpha)).ln();
    let lb = ((b + alpha) / (b_total + alpha0 - b - alpha)).ln();
    let variance = 1.0 / (a + alpha) + 1.0 / (b + alpha);
    (la - lb) / variance.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }

    #[test]
    fn log_odds_favours_the_group_that_uses_the_word_more() {
        // By hand: ln(62/2938) - ln(34/2966) = 0.6106; sd = sqrt(1/62 + 1/34) = 0.2134.
        let z = log_odds_z(30.0, 1000.0, 2.0, 1000.0, 32.0, 2000.0);
        assert!((z - 2.8597).abs() < 1e-3, "{z}");
        let even = log_odds_z(10.0, 1000.0, 10.0, 1000.0, 20.0, 2000.0);
        assert!(even.abs() < 1e-9, "{even}");
    }

    proptest! {
        #[test]
        fn log_odds_is_antisymmetric(a in 0u32..500, b in 0u32..500, extra_a in 1u32..5000, extra_b in 1u32..5000) {
            let (a, b) = (f64::from(a), f64::from(b));
            let (ta, tb) = (a + f64::from(extra_a), b + f64::from(extra_b));
            let z1 = log_odds_z(a, ta, b, tb, a + b, ta + tb);
            let z2 = log_odds_z(b, tb, a, ta, a + b, ta + tb);
            prop_assert!(z1.is_finite());
            prop_assert!((z1 + z2).abs() < 1e-9);
        }

        #[test]
        fn median_lies_between_min_and_max(mut v in proptest::collection::vec(-1e6f64..1e6, 1..50)) {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let m = median(&mut v).unwrap();
            prop_assert!(m >= lo && m <= hi);
        }
    }
}
