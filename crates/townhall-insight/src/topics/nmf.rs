//! Non-negative matrix factorisation X ≈ W·H of the TF-IDF matrix: NNDSVD start (Boutsidis & Gallopoulos
//! 2008, deterministic) and coordinate-descent (HALS) updates (Cichocki & Phan 2009; the same solver as
//! scikit-learn's `solver="cd"`), plus the non-negative projection of one new post onto fitted topics.

use rayon::prelude::*;

use super::matrix::{dot, gram, Csr};
use super::svd::truncated_svd;

/// Settings of one factorisation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NmfOptions {
    pub(crate) max_iter: usize,
    /// Stop when an iteration lowers the squared error by less than this fraction of the explained part.
    pub(crate) tol: f64,
    pub(crate) seed: u64,
}

/// The factors: `w` is `rows × k`, `ht` (Hᵀ) is `terms × k`, both row-major.
pub(crate) struct Factors {
    pub(crate) k: usize,
    /// Post weights; topics are read from `ht`, posts are placed by projection, so only tests look at `w`.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) w: Vec<f64>,
    pub(crate) ht: Vec<f64>,
    pub(crate) iterations: usize,
}

/// Factorises `x` (`xt` is its transpose) into `k` non-negative parts.
pub(crate) fn factorize(x: &Csr, xt: &Csr, k: usize, options: NmfOptions) -> Factors {
    if k == 0 || x.rows() == 0 || x.cols == 0 {
        return Factors {
            k,
            w: vec![0.0; x.rows() * k],
            ht: vec![0.0; x.cols * k],
            iterations: 0,
        };
    }
    let (mut w, mut ht) = nndsvd(x, xt, k, options.seed);
    let norm_x = x.norm_sq();
    let mut previous = f64::INFINITY;
    let mut iterations = 0;
    while iterations < options.max_iter {
        iterations += 1;
        let xht = x.mul_dense(&ht, k);
        let hht = gram(&ht, k);
        coordinate_descent(&mut w, &xht, &hht, k);
        let wtw = gram(&w, k);
        let xtw = xt.mul_dense(&w, k);
        let error = norm_x - 2.0 * dot(&w, &xht) + dot(&wtw, &hht);
        coordinate_descent(&mut ht, &xtw, &wtw, k);
        // Short posts leave most of ‖X‖² unexplained at any useful k, so progress is measured against the part
        // explained (‖X‖² − error), not against the error itself (which would stop after a handful of sweeps).
        let explained = (norm_x - error).max(f64::MIN_POSITIVE);
        if previous.is_finite() && previous - error < options.tol * explained {
            break;
        }
        previous = error;
    }
    Factors {
        k,
        w,
        ht,
        iterations,
    }
}

/// One HALS sweep over every row of `a` (`rows × k`), minimising ‖X − A·Bᵀ‖² for fixed B, given
/// `xb` = X·B and `btb` = BᵀB. Each row is independent; within a row, components update in order.
fn coordinate_descent(a: &mut [f64], xb: &[f64], btb: &[f64], k: usize) {
    a.par_chunks_mut(k)
        .zip(xb.par_chunks(k))
        .for_each(|(row, xb_row)| {
            for t in 0..k {
                let diagonal = btb[t * k + t];
                if diagonal <= 0.0 {
                    continue;
                }
                let product: f64 = btb[t * k..(t + 1) * k]
                    .iter()
                    .zip(row.iter())
                    .map(|(g, x)| g * x)
                    .sum();
                row[t] = (row[t] + (xb_row[t] - product) / diagonal).max(0.0);
            }
        });
}

/// NNDSVD: each singular pair contributes its dominant non-negative part. Components the SVD cannot supply
/// (rank below `k`) stay zero.
fn nndsvd(x: &Csr, xt: &Csr, k: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let (n, m) = (x.rows(), x.cols);
    let svd = truncated_svd(x, xt, k, seed);
    let mut w = vec![0.0; n * k];
    let mut ht = vec![0.0; m * k];
    for (j, ((u, v), &s)) in svd.u.iter().zip(&svd.v).zip(&svd.s).enumerate() {
        let norm = |vector: &[f64], sign: f64| {
            vector
                .iter()
                .map(|&a| (sign * a).max(0.0).powi(2))
                .sum::<f64>()
                .sqrt()
        };
        let (sign, scale) = if j == 0 {
            // The leading pair of a non-negative matrix has one sign; its absolute value is the part.
            let sign = if u.iter().sum::<f64>() < 0.0 {
                -1.0
            } else {
                1.0
            };
            (sign, s.sqrt())
        } else {
            let positive = norm(u, 1.0) * norm(v, 1.0);
            let negative = norm(u, -1.0) * norm(v, -1.0);
            if positive >= negative {
                (1.0, (s * positive).sqrt())
            } else {
                (-1.0, (s * negative).sqrt())
            }
        };
        let (nu, nv) = if j == 0 {
            (1.0, 1.0)
        } else {
            (norm(u, sign), norm(v, sign))
        };
        if nu <= 0.0 || nv <= 0.0 {
            continue;
        }
        for (r, &a) in u.iter().enumerate() {
            w[r * k + j] = scale * (sign * a).max(0.0) / nu;
        }
        for (c, &a) in v.iter().enumerate() {
            ht[c * k + j] = scale * (sign * a).max(0.0) / nv;
        }
    }
    (w, ht)
}

/// Fitted topics in the form projection needs: Hᵀ and HHᵀ.
#[derive(Debug, Clone, Default)]
pub(crate) struct Projector {
    pub(crate) k: usize,
    pub(crate) ht: Vec<f64>,
    /// Hᵀ in single precision for H·x: half the memory traffic on the lookups that dominate projection.
    ht_single: Vec<f32>,
    pub(crate) hht: Vec<f64>,
    /// 1 / (HHᵀ)_tt, or 0 for an empty topic.
    inverse_diagonal: Vec<f64>,
}

/// Most coordinate-descent sweeps per post; posts touch few topics, so this is rarely reached.
const MAX_SWEEPS: usize = 50;
/// Sweeps stop when no weight moved by more than this share of the largest weight: shares are then accurate
/// to about three digits, plenty to rank topics.
const SWEEP_TOLERANCE: f64 = 1e-4;

impl Projector {
    pub(crate) fn new(ht: Vec<f64>, k: usize) -> Self {
        let hht = gram(&ht, k);
        let ht_single = ht.iter().map(|&x| x as f32).collect();
        let inverse_diagonal = (0..k)
            .map(|t| {
                let d = hht[t * k + t];
                if d > 0.0 {
                    1.0 / d
                } else {
                    0.0
                }
            })
            .collect();
        Projector {
            k,
            ht,
            ht_single,
            hht,
            inverse_diagonal,
        }
    }

    /// Non-negative least squares: w ≥ 0 minimising ‖x − w·H‖², for a sparse `x`. Fills `w` and returns, per
    /// topic, the share of ‖x‖² it explains, `w_t · (H_t·x)`; with `x` of unit length the shares are in [0, 1]
    /// and add up to at most 1.
    pub(crate) fn project(&self, terms: &[u32], values: &[f32], work: &mut ProjectionWork) {
        let k = self.k;
        let ProjectionWork {
            w,
            shares,
            gradient,
            active,
        } = work;
        // b = H·x, then coordinate descent on ½wᵀGw − wᵀb, keeping the gradient g = Gw − b current.
        shares.clear();
        shares.resize(k, 0.0);
        for (&term, &value) in terms.iter().zip(values) {
            let h = &self.ht_single[term as usize * k..(term as usize + 1) * k];
            for (b, &x) in shares.iter_mut().zip(h) {
                *b += f64::from(value * x);
            }
        }
        w.clear();
        w.resize(k, 0.0);
        gradient.clear();
        gradient.extend(shares.iter().map(|b| -b));
        // G and w are non-negative, so a topic with b_t = 0 has g_t ≥ 0 throughout and keeps w_t = 0.
        active.clear();
        active.extend((0..k).filter(|&t| shares[t] > 0.0 && self.inverse_diagonal[t] > 0.0));
        for _ in 0..MAX_SWEEPS {
            let mut largest_step = 0.0f64;
            let mut largest_w = 0.0f64;
            for &t in active.iter() {
                let updated = (w[t] - gradient[t] * self.inverse_diagonal[t]).max(0.0);
                let step = updated - w[t];
                if step != 0.0 {
                    w[t] = updated;
                    for (g, &column) in gradient.iter_mut().zip(&self.hht[t * k..(t + 1) * k]) {
                        *g += step * column;
                    }
                }
                largest_step = largest_step.max(step.abs());
                largest_w = largest_w.max(updated);
            }
            if largest_step <= SWEEP_TOLERANCE * largest_w.max(1e-12) {
                break;
            }
        }
        for (share, &weight) in shares.iter_mut().zip(w.iter()) {
            *share *= weight;
        }
    }
}

/// Buffers [`Projector::project`] reuses between posts; `shares` holds the result.
#[derive(Debug, Default)]
pub(crate) struct ProjectionWork {
    pub(crate) w: Vec<f64>,
    pub(crate) shares: Vec<f64>,
    gradient: Vec<f64>,
    active: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two blocks of documents over disjoint terms: exactly rank 2, so NMF with k=2 recovers the blocks.
    fn block_matrix() -> Csr {
        let rows: Vec<Vec<(u32, f32)>> = vec![
            vec![(0, 0.8), (1, 0.6)],
            vec![(0, 0.4), (1, 0.3)],
            vec![(0, 1.6), (1, 1.2)],
            vec![(2, 0.6), (3, 0.8)],
            vec![(2, 0.3), (3, 0.4)],
        ];
        let mut x = Csr {
            cols: 4,
            indptr: vec![0],
            ..Csr::default()
        };
        for row in rows {
            for (c, v) in row {
                x.indices.push(c);
                x.values.push(v);
            }
            x.indptr.push(x.indices.len());
        }
        x
    }

    #[test]
    fn factorizes_two_blocks_and_projects_onto_them() {
        let x = block_matrix();
        let xt = x.transpose();
        let options = NmfOptions {
            max_iter: 500,
            tol: 1e-10,
            seed: 1,
        };
        let factors = factorize(&x, &xt, 2, options);
        let k = factors.k;
        // Reconstruction error is small.
        let recon = x.mul_dense(&factors.ht, k);
        let error = x.norm_sq() - 2.0 * dot(&factors.w, &recon)
            + dot(&gram(&factors.w, k), &gram(&factors.ht, k));
        assert!(error.abs() < 1e-6, "error {error}");
        // Terms 0,1 load on one topic and terms 2,3 on the other.
        let topic_of_term = |c: usize| {
            if factors.ht[c * k] > factors.ht[c * k + 1] {
                0
            } else {
                1
            }
        };
        assert_eq!(topic_of_term(0), topic_of_term(1));
        assert_eq!(topic_of_term(2), topic_of_term(3));
        assert_ne!(topic_of_term(0), topic_of_term(2));

        let projector = Projector::new(factors.ht.clone(), k);
        let mut work = ProjectionWork::default();
        projector.project(&[2, 3], &[0.707, 0.707], &mut work);
        let shares = &work.shares;
        let best = if shares[0] > shares[1] { 0 } else { 1 };
        assert_eq!(best, topic_of_term(2));
        assert!(
            shares[best] > 0.9 && shares[best] <= 1.0 + 1e-9,
            "{shares:?}"
        );
        assert!(shares[1 - best] < 1e-6);
    }
}
