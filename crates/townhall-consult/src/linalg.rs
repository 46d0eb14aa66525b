//! The few dense linear-algebra pieces the PCA needs: Gram–Schmidt and a Jacobi eigensolver
//! for tiny symmetric matrices. Hand-written because they are a few dozen lines, whereas a
//! linear-algebra crate would bring a large dependency (or system BLAS) for them.
//!
//! Blocks are row-major `n × b`: entry (j, k) is `m[j * b + k]`.

/// Orthonormalises the `b` columns of the row-major `n × b` block in place (modified
/// Gram–Schmidt, applied twice for accuracy). A column that vanishes (rank deficiency) is
/// replaced by a deterministic pseudo-random direction and orthonormalised again.
pub(crate) fn orthonormalize(m: &mut [f64], n: usize, b: usize) {
    for k in 0..b {
        let mut attempt = 0u64;
        loop {
            let before = column_norm(m, n, b, k);
            for _pass in 0..2 {
                for prev in 0..k {
                    let dot: f64 = (0..n).map(|j| m[j * b + k] * m[j * b + prev]).sum();
                    for j in 0..n {
                        m[j * b + k] -= dot * m[j * b + prev];
                    }
                }
            }
            let norm = column_norm(m, n, b, k);
            if norm > 1e-10 * before.max(f64::MIN_POSITIVE) && norm > 1e-300 {
                for j in 0..n {
                    m[j * b + k] /= norm;
                }
                break;
            }
            attempt += 1;
            if attempt > 8 || k >= n {
                // No independent direction left (b > n): leave a zero column.
                for j in 0..n {
                    m[j * b + k] = 0.0;
                }
                break;
            }
            for j in 0..n {
                m[j * b + k] = pseudo_random(j as u64, k as u64 + 1000 * attempt);
            }
        }
    }
}

fn column_norm(m: &[f64], n: usize, b: usize, k: usize) -> f64 {
    (0..n).map(|j| m[j * b + k].powi(2)).sum::<f64>().sqrt()
}

/// A fixed pseudo-random number in [-1, 1) from two integers (SplitMix64), used to start the
/// power iteration deterministically: Pol.is starts from an unseeded random vector.
pub(crate) fn pseudo_random(a: u64, b: u64) -> f64 {
    let mut z = a
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(b.wrapping_mul(0xBF58_476D_1CE4_E5B9))
        .wrapping_add(0x94D0_49BB_1331_11EB);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// Eigen-decomposition of a small symmetric `b × b` row-major matrix by cyclic Jacobi rotations.
/// Returns the eigenvalues in descending order and the matching eigenvectors as the columns of a
/// row-major `b × b` matrix.
pub(crate) fn symmetric_eigen(a: &[f64], b: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = a.to_vec();
    let mut v = vec![0.0; b * b];
    for i in 0..b {
        v[i * b + i] = 1.0;
    }
    let scale: f64 = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    for _sweep in 0..100 {
        let off: f64 = (0..b)
            .flat_map(|i| (0..b).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * b + j].powi(2))
            .sum::<f64>()
            .sqrt();
        if off <= 1e-15 * scale || off == 0.0 {
            break;
        }
        for p in 0..b {
            for q in (p + 1)..b {
                let apq = a[p * b + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * b + q] - a[p * b + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..b {
                    let akp = a[k * b + p];
                    let akq = a[k * b + q];
                    a[k * b + p] = c * akp - s * akq;
                    a[k * b + q] = s * akp + c * akq;
                }
                for k in 0..b {
                    let apk = a[p * b + k];
                    let aqk = a[q * b + k];
                    a[p * b + k] = c * apk - s * aqk;
                    a[q * b + k] = s * apk + c * aqk;
                }
                for k in 0..b {
                    let vkp = v[k * b + p];
                    let vkq = v[k * b + q];
                    v[k * b + p] = c * vkp - s * vkq;
                    v[k * b + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..b).collect();
    order.sort_by(|&x, &y| a[y * b + y].total_cmp(&a[x * b + x]).then(x.cmp(&y)));
    let values = order.iter().map(|&i| a[i * b + i]).collect();
    let mut vectors = vec![0.0; b * b];
    for (new, &old) in order.iter().enumerate() {
        for k in 0..b {
            vectors[k * b + new] = v[k * b + old];
        }
    }
    (values, vectors)
}

/// `m (n × b) · r (b × b)`, both row-major.
pub(crate) fn times_small(m: &[f64], n: usize, b: usize, r: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; n * b];
    for j in 0..n {
        for k in 0..b {
            out[j * b + k] = (0..b).map(|l| m[j * b + l] * r[l * b + k]).sum();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn jacobi_finds_eigenpairs() {
        let a = [4.0, 1.0, 0.0, 1.0, 3.0, 0.5, 0.0, 0.5, 1.0];
        let (vals, vecs) = symmetric_eigen(&a, 3);
        assert!(vals[0] >= vals[1] && vals[1] >= vals[2]);
        for k in 0..3 {
            for i in 0..3 {
                let av: f64 = (0..3).map(|j| a[i * 3 + j] * vecs[j * 3 + k]).sum();
                assert!((av - vals[k] * vecs[i * 3 + k]).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn orthonormalize_handles_dependent_columns() {
        // Three columns in R^3, the second a multiple of the first.
        let mut m = vec![1.0, 2.0, 0.0, 1.0, 2.0, 1.0, 1.0, 2.0, 0.0];
        orthonormalize(&mut m, 3, 3);
        for k in 0..3 {
            for l in 0..3 {
                let dot: f64 = (0..3).map(|j| m[j * 3 + k] * m[j * 3 + l]).sum();
                let want = if k == l { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-12, "{k} {l} {dot}");
            }
        }
    }
}
