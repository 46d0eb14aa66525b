//! Spike detection on daily series, each against its own baseline.
//!
//! Volume: a day is a spike when its count stands well above the median of the days before it
//! (robust to earlier spikes: median and MAD, never less spread than Poisson noise). Negative
//! sentiment: a day is a spike when its share of negative posts is well above the baseline share
//! (a binomial z-score), so a busy but calm day is not flagged.

use serde::Serialize;

/// How many earlier days form the baseline.
pub const BASELINE_DAYS: usize = 14;
/// Fewer days of history than this: too little to call anything unusual.
pub const MIN_BASELINE_DAYS: usize = 5;
/// z-score from which a day counts as a spike.
pub const SPIKE_Z: f64 = 3.0;
/// A spike needs at least this many posts (volume) or negative posts (sentiment).
pub const MIN_SPIKE_POSTS: u64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpikeKind {
    Volume,
    NegativeSentiment,
}

/// One unusual day in a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DaySpike {
    /// Position of the day in the series.
    pub day: usize,
    pub kind: SpikeKind,
    /// Posts that day (volume) or negative posts that day (sentiment).
    pub observed: u64,
    /// What the baseline led to expect.
    pub expected: f64,
    pub z: f64,
}

/// Days whose volume spikes against the preceding [`BASELINE_DAYS`] days.
pub fn volume_spikes(counts: &[u64]) -> Vec<DaySpike> {
    let mut spikes = Vec::new();
    for day in MIN_BASELINE_DAYS..counts.len() {
        let start = day.saturating_sub(BASELINE_DAYS);
        let mut baseline: Vec<f64> = counts[start..day].iter().map(|&c| c as f64).collect();
        let Some(expected) = crate::stats::median(&mut baseline) else {
            continue;
        };
        let mut deviations: Vec<f64> = baseline.iter().map(|c| (c - expected).abs()).collect();
        let mad = crate::stats::median(&mut deviations).unwrap_or(0.0);
        // 1.4826·MAD estimates a standard deviation; counts are at least Poisson-noisy.
        let spread = (1.4826 * mad).max(expected.sqrt()).max(1.0);
        let observed = counts[day];
        let z = (observed as f64 - expected) / spread;
        if observed >= MIN_SPIKE_POSTS && z >= SPIKE_Z {
            spikes.push(DaySpike {
                day,
                kind: SpikeKind::Volume,
                observed,
                expected,
                z,
            });
        }
    }
    spikes
}

/// Days whose share of negative posts spikes against the preceding [`BASELINE_DAYS`] days.
/// `totals[d]` posts, `negatives[d]` of them negative.
pub fn negative_spikes(totals: &[u64], negatives: &[u64]) -> Vec<DaySpike> {
    let mut spikes = Vec::new();
    for day in MIN_BASELINE_DAYS..totals.len().min(negatives.len()) {
        let start = day.saturating_sub(BASELINE_DAYS);
        let base_total: u64 = totals[start..day].iter().sum();
        let base_negative: u64 = negatives[start..day].iter().sum();
        if base_total == 0 {
            continue;
        }
        // Laplace smoothing keeps a spotless baseline from making any negative post a spike.
        let p0 = (base_negative as f64 + 1.0) / (base_total as f64 + 2.0);
        let n = totals[day] as f64;
        let observed = negatives[day];
        let expected = n * p0;
        let spread = (n * p0 * (1.0 - p0)).sqrt().max(1.0);
        let z = (observed as f64 - expected) / spread;
        if observed >= MIN_SPIKE_POSTS && z >= SPIKE_Z {
            spikes.push(DaySpike {
                day,
                kind: SpikeKind::NegativeSentiment,
                observed,
                expected,
                z,
            });
        }
    }
    spikes
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_sudden_burst_is_a_volume_spike_and_steady_noise_is_not() {
        let mut counts = vec![10, 12, 9, 11, 10, 13, 8, 10, 12, 11];
        assert!(volume_spikes(&counts).is_empty());
        counts.push(60);
        let spikes = volume_spikes(&counts);
        assert_eq!(spikes.len(), 1);
        assert_eq!(spikes[0].day, 10);
        assert_eq!(spikes[0].expected, 10.5);
    }

    #[test]
    fn too_little_history_or_too_few_posts_is_no_spike() {
        assert!(volume_spikes(&[0, 0, 40]).is_empty());
        assert!(volume_spikes(&[0, 0, 0, 0, 0, 0, 4]).is_empty());
        assert_eq!(volume_spikes(&[0, 0, 0, 0, 0, 0, 5]).len(), 1);
    }

    #[test]
    fn negative_share_spike_ignores_busy_but_calm_days() {
        let totals = [100, 100, 100, 100, 100, 100, 400, 100];
        let negatives = [10, 12, 9, 11, 10, 10, 40, 45];
        let spikes = negative_spikes(&totals, &negatives);
        assert_eq!(spikes.iter().map(|s| s.day).collect::<Vec<_>>(), vec![7]);
    }

    proptest! {
        #[test]
        fn a_flat_series_never_spikes(level in 0u64..1000, len in 0usize..40) {
            let counts = vec![level; len];
            prop_assert!(volume_spikes(&counts).is_empty());
            prop_assert!(negative_spikes(&counts, &vec![level / 3; len]).is_empty());
        }
    }
}
