//! Truncated SVD of a sparse matrix by randomized subspace iteration (Halko, Martinsson & Tropp 2011), with a
//! seeded generator so that it is deterministic. Needed only to start NMF (NNDSVD), so a few power iterations do.

use rayon::prelude::*;

use super::matrix::{gram, Csr, SplitMix};

/// Extra directions beyond the `k` wanted; they make the top `k` accurate.
const OVERSAMPLE: usize = 10;
/// Power iterations; term–document matrices have slowly decaying spectra, where a few help a lot.
const POWER_ITERATIONS: usize = 4;

/// Top singular triplets, largest first: `u[j]` has one entry per row, `v[j]` one per column.
pub(crate) struct Svd {
    pub(crate) u: Vec<Vec<f64>>,
    pub(crate) s: Vec<f64>,
    pub(crate) v: Vec<Vec<f64>>,
}

/// Up to `k` leading singular triplets of `x` (fewer when the matrix has lower rank). `xt` is `x`'s transpose.
pub(crate) fn truncated_svd(x: &Csr, xt: &Csr, k: usize, seed: u64) -> Svd {
    let (n, m) = (x.rows(), x.cols);
    let width = (k + OVERSAMPLE).min(n).min(m);
    if width == 0 {
        return Svd {
            u: Vec::new(),
            s: Vec::new(),
            v: Vec::new(),
        };
    }
    let mut rng = SplitMix::new(seed);
    let omega: Vec<f64> = (0..m * width).map(|_| rng.next_normal()).collect();
    let (mut q, mut q_width) = orthonormalize(x.mul_dense(&omega, width), width);
    for _ in 0..POWER_ITERATIONS {
        let (z, z_width) = orthonormalize(xt.mul_dense(&q, q_width), q_width);
        (q, q_width) = orthonormalize(x.mul_dense(&z, z_width), z_width);
    }
    // B = Qᵀ X; its small Gram matrix B Bᵀ = Zᵀ Z with Z = Xᵀ Q gives the singular values and vectors.
    let z = xt.mul_dense(&q, q_width);
    let (values, vectors) = symmetric_eigen(&gram(&z, q_width), q_width);
    let mut svd = Svd {
        u: Vec::new(),
        s: Vec::new(),
        v: Vec::new(),
    };
    let largest = values.first().copied().unwrap_or(0.0);
    for (j, &value) in values.iter().enumerate().take(k) {
        if value <= largest * 1e-12 || value <= 0.0 {
            break;
        }
        let sigma = value.sqrt();
        let e: Vec<f64> = (0..q_width).map(|i| vectors[i * q_width + j]).collect();
        svd.u.push(combine(&q, q_width, &e, 1.0));
        svd.v.push(combine(&z, q_width, &e, 1.0 / sigma));
        svd.s.push(sigma);
    }
    svd
}

/// `scale · a · e` for row-major `a` (`rows × width`).
fn combine(a: &[f64], width: usize, e: &[f64], scale: f64) -> Vec<f64> {
    a.par_chunks(width)
        .map(|row| row.iter().zip(e).map(|(x, y)| x * y).sum::<f64>() * scale)
        .collect()
}

/// Orthonormal basis of the columns of row-major `a` (`rows × width`), by the eigen-decomposition of `aᵀa`,
/// twice (as CholeskyQR2, but tolerant of rank deficiency: null directions are dropped). Returns the basis and
/// its width.
fn orthonormalize(a: Vec<f64>, width: usize) -> (Vec<f64>, usize) {
    let (mut a, mut width) = (a, width);
    for _ in 0..2 {
        if width == 0 {
            break;
        }
        let (values, vectors) = symmetric_eigen(&gram(&a, width), width);
        let largest = values.first().copied().unwrap_or(0.0);
        let kept: Vec<usize> = (0..width)
            .filter(|&j| values[j] > largest * 1e-13 && values[j] > 0.0)
            .collect();
        let new_width = kept.len();
        // Transform T (width × new_width): column j = eigenvector / sqrt(eigenvalue).
        let mut t = vec![0.0; width * new_width];
        for (col, &j) in kept.iter().enumerate() {
            let inv = 1.0 / values[j].sqrt();
            for i in 0..width {
                t[i * new_width + col] = vectors[i * width + j] * inv;
            }
        }
        let rows = a.len() / width;
        let mut out = vec![0.0; rows * new_width];
        if new_width > 0 {
            out.par_chunks_mut(new_width)
                .zip(a.par_chunks(width))
                .for_each(|(out_row, row)| {
                    for (i, &x) in row.iter().enumerate() {
                        if x != 0.0 {
                            let t_row = &t[i * new_width..(i + 1) * new_width];
                            for (o, &y) in out_row.iter_mut().zip(t_row) {
                                *o += x * y;
                            }
                        }
                    }
                });
        }
        a = out;
        width = new_width;
    }
    (a, width)
}

/// Eigenvalues (descending) and eigenvectors (as columns of a row-major `n × n` matrix) of a symmetric matrix,
/// by cyclic Jacobi rotations; `n` is small here (tens).
pub(crate) fn symmetric_eigen(matrix: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = matrix.to_vec();
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let total: f64 = a.iter().map(|x| x * x).sum();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * n + j] * a[i * n + j])
            .sum();
        if off <= total * 1e-30 || off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[j * n + j].total_cmp(&a[i * n + i]).then(i.cmp(&j)));
    let values = order.iter().map(|&i| a[i * n + i]).collect();
    let mut vectors = vec![0.0; n * n];
    for (col, &j) in order.iter().enumerate() {
        for i in 0..n {
            vectors[i * n + col] = v[i * n + j];
        }
    }
    (values, vectors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_of_two_by_two() {
        // [[2,1],[1,2]]: eigenvalues 3 and 1, vectors (1,1)/√2 and (1,-1)/√2.
        let (values, vectors) = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
        assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12);
        assert!((vectors[0].abs() - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-12);
        assert!((vectors[0] - vectors[2]).abs() < 1e-12);
    }

    #[test]
    fn svd_of_rank_two_matrix() {
        // Rows: 3·e0 + e1 patterns; singular values of [[3,0,0],[0,2,0],[0,0,0],[3,0,0]] are 3√2 and 2.
        let x = Csr {
            cols: 3,
            indptr: vec![0, 1, 2, 2, 3],
            indices: vec![0, 1, 0],
            values: vec![3.0, 2.0, 3.0],
        };
        let svd = truncated_svd(&x, &x.transpose(), 3, 7);
        assert_eq!(svd.s.len(), 2);
        assert!((svd.s[0] - 3.0 * 2f64.sqrt()).abs() < 1e-9);
        assert!((svd.s[1] - 2.0).abs() < 1e-9);
        assert!((svd.v[0][0].abs() - 1.0).abs() < 1e-9);
        assert!((svd.u[1][1].abs() - 1.0).abs() < 1e-9);
    }
}
