//! Sparse rows (CSR) and the few dense helpers topic fitting needs. Reductions run over fixed-size chunks and
//! are added up in chunk order, so results do not depend on thread scheduling (determinism).

use std::ops::Range;

use rayon::prelude::*;

/// Rows per parallel reduction chunk; fixed so sums are added in the same order on any machine.
const REDUCE_CHUNK: usize = 4096;

/// Compressed sparse rows: row `r` holds `indices[indptr[r]..indptr[r+1]]` with `values` alongside.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    pub(crate) cols: usize,
    pub(crate) indptr: Vec<usize>,
    pub(crate) indices: Vec<u32>,
    pub(crate) values: Vec<f32>,
}

impl Csr {
    pub(crate) fn rows(&self) -> usize {
        self.indptr.len().saturating_sub(1)
    }

    pub(crate) fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let span = self.indptr[r]..self.indptr[r + 1];
        (&self.indices[span.clone()], &self.values[span])
    }

    /// The transpose, again as CSR (so: the columns of `self`).
    pub(crate) fn transpose(&self) -> Csr {
        let mut counts = vec![0usize; self.cols + 1];
        for &c in &self.indices {
            counts[c as usize + 1] += 1;
        }
        for c in 0..self.cols {
            counts[c + 1] += counts[c];
        }
        let indptr = counts.clone();
        let mut next = counts;
        let mut indices = vec![0u32; self.indices.len()];
        let mut values = vec![0f32; self.values.len()];
        for r in 0..self.rows() {
            let (cols, vals) = self.row(r);
            for (&c, &v) in cols.iter().zip(vals) {
                let slot = &mut next[c as usize];
                indices[*slot] = u32::try_from(r).unwrap_or(u32::MAX);
                values[*slot] = v;
                *slot += 1;
            }
        }
        Csr {
            cols: self.rows(),
            indptr,
            indices,
            values,
        }
    }

    /// Squared Frobenius norm.
    pub(crate) fn norm_sq(&self) -> f64 {
        self.values
            .iter()
            .map(|&v| f64::from(v) * f64::from(v))
            .sum()
    }

    /// `self · dense` where `dense` is `cols × width` row-major; the result is `rows × width` row-major.
    pub(crate) fn mul_dense(&self, dense: &[f64], width: usize) -> Vec<f64> {
        let mut out = vec![0.0; self.rows() * width];
        if width == 0 {
            return out;
        }
        out.par_chunks_mut(width)
            .enumerate()
            .for_each(|(r, out_row)| {
                let (cols, vals) = self.row(r);
                for (&c, &v) in cols.iter().zip(vals) {
                    let d = &dense[c as usize * width..(c as usize + 1) * width];
                    let v = f64::from(v);
                    for (o, &x) in out_row.iter_mut().zip(d) {
                        *o += v * x;
                    }
                }
            });
        out
    }
}

/// Sums `part(range)` over `0..n` in fixed chunks, in chunk order.
pub(crate) fn chunked_sum(
    n: usize,
    len: usize,
    part: impl Fn(Range<usize>) -> Vec<f64> + Sync,
) -> Vec<f64> {
    let chunks: Vec<Vec<f64>> = (0..n.div_ceil(REDUCE_CHUNK))
        .into_par_iter()
        .map(|c| part(c * REDUCE_CHUNK..((c + 1) * REDUCE_CHUNK).min(n)))
        .collect();
    let mut total = vec![0.0; len];
    for chunk in chunks {
        for (t, x) in total.iter_mut().zip(chunk) {
            *t += x;
        }
    }
    total
}

/// `aᵀ a` for a row-major `rows × width` matrix: `width × width`, row-major.
pub(crate) fn gram(a: &[f64], width: usize) -> Vec<f64> {
    if width == 0 {
        return Vec::new();
    }
    let rows = a.len() / width;
    chunked_sum(rows, width * width, |range| {
        let mut g = vec![0.0; width * width];
        for r in range {
            let row = &a[r * width..(r + 1) * width];
            for (i, &x) in row.iter().enumerate() {
                if x == 0.0 {
                    continue;
                }
                let g_row = &mut g[i * width..(i + 1) * width];
                for (gj, &y) in g_row.iter_mut().zip(row) {
                    *gj += x * y;
                }
            }
        }
        g
    })
}

/// Sum of elementwise products of two equally shaped matrices (deterministic order).
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    chunked_sum(a.len(), 1, |range| {
        vec![a[range.clone()]
            .iter()
            .zip(&b[range])
            .map(|(x, y)| x * y)
            .sum()]
    })[0]
}

/// A small deterministic random generator (SplitMix64), for the randomized SVD's test matrix.
pub(crate) struct SplitMix(u64);

impl SplitMix {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    fn next_unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    pub(crate) fn next_normal(&mut self) -> f64 {
        let (u, v) = (self.next_unit(), self.next_unit());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Csr {
        // [[1, 0, 2], [0, 3, 0]]
        Csr {
            cols: 3,
            indptr: vec![0, 2, 3],
            indices: vec![0, 2, 1],
            values: vec![1.0, 2.0, 3.0],
        }
    }

    #[test]
    fn transpose_and_multiply() {
        let x = sample();
        let t = x.transpose();
        assert_eq!(t.rows(), 3);
        assert_eq!(t.row(0), (&[0u32][..], &[1.0f32][..]));
        assert_eq!(t.row(1), (&[1u32][..], &[3.0f32][..]));
        assert_eq!(t.row(2), (&[0u32][..], &[2.0f32][..]));
        // x · [[1,2],[3,4],[5,6]] = [[11,14],[9,12]]
        assert_eq!(
            x.mul_dense(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2),
            vec![11.0, 14.0, 9.0, 12.0]
        );
        assert_eq!(x.norm_sq(), 14.0);
    }

    #[test]
    fn gram_of_small_matrix() {
        // [[1,2],[3,4],[5,6]]ᵀ · same = [[35,44],[44,56]]
        assert_eq!(
            gram(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2),
            vec![35.0, 44.0, 44.0, 56.0]
        );
    }
}
