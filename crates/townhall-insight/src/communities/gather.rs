//! Summing a node's edge weights per neighbouring label (community or sub-community): the inner loop of every
//! phase. A dense array indexed by label costs one random memory access per edge, which dominates the run time
//! once the array outgrows the CPU cache; then short rows use a linear scan over a tiny list instead, which stays
//! in L1 (the scan is quadratic in the row length, so long rows keep the array).

/// Dense arrays up to this many labels (32 KiB of f64) are assumed to stay in L1.
const CACHED_LABELS: usize = 4 * 1024;
/// With a larger array, rows up to this length use the linear scan.
const SHORT_ROW: usize = 32;

pub(crate) struct Gather {
    short_row: usize,
    dense: Vec<f64>,
    touched: Vec<u32>,
    pairs: Vec<(u32, f64)>,
}

impl Gather {
    /// `label_count` bounds the labels passed to [`Gather::collect`].
    pub(crate) fn new(label_count: usize) -> Self {
        Self {
            short_row: if label_count <= CACHED_LABELS {
                0
            } else {
                SHORT_ROW
            },
            dense: vec![0.0; label_count],
            touched: Vec::new(),
            pairs: Vec::new(),
        }
    }

    /// `(label, summed weight)` for each label that `label_of` gives a neighbour (neighbours it maps to `None` are
    /// skipped), in order of first appearance, the same whichever path is taken.
    pub(crate) fn collect(
        &mut self,
        targets: &[u32],
        weights: &[f64],
        mut label_of: impl FnMut(u32) -> Option<u32>,
    ) -> &[(u32, f64)] {
        self.pairs.clear();
        if targets.len() <= self.short_row {
            for (&t, &w) in targets.iter().zip(weights) {
                let Some(label) = label_of(t) else { continue };
                match self.pairs.iter_mut().find(|p| p.0 == label) {
                    Some(pair) => pair.1 += w,
                    None => self.pairs.push((label, w)),
                }
            }
        } else {
            for (&t, &w) in targets.iter().zip(weights) {
                let Some(label) = label_of(t) else { continue };
                let slot = &mut self.dense[label as usize];
                if *slot == 0.0 {
                    self.touched.push(label);
                }
                *slot += w;
            }
            for &label in &self.touched {
                let slot = &mut self.dense[label as usize];
                self.pairs.push((label, *slot));
                *slot = 0.0;
            }
            self.touched.clear();
        }
        &self.pairs
    }
}
