//! PCA of the vote matrix and the sparsity-aware projection of participants.
//!
//! Missing votes are filled with their column mean, so after centring on the column means every
//! missing cell is exactly zero: the centred matrix is as sparse as the votes, and `XᵀX·v` costs
//! two passes over the votes. Excluded (moderated-out, meta) columns are zero for every row, as
//! Pol.is zeroes them, and those zeros count as votes in the projection scaling.
//!
//! Pol.is runs 100 power iterations from an unseeded random vector (warm-started from the last
//! update). We run block power (subspace) iteration from a fixed start until the two leading
//! eigenvectors converge, so the result is the exact PCA and the same on every run; sums are
//! taken over fixed row chunks in a fixed order so threads never change the last bit. When the
//! second eigenvalue is lost in noise (one real opinion axis) it cannot converge: the iterations
//! stop at Pol.is's 100, and after 20 the dense Gram matrix (≤ 1,024 statements) replaces the
//! passes over the votes to keep that case fast.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::linalg::{orthonormalize, pseudo_random, symmetric_eigen, times_small};
use crate::matrix::VoteMatrix;
use crate::settings::Settings;

/// The two principal components and where everyone lands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pca {
    /// Statement ids, in the order of `center` and of each component.
    pub statement_ids: Vec<i64>,
    /// Column means (mean of the votes cast; 0 for excluded statements).
    pub center: Vec<f64>,
    /// Unit-length principal components, one entry per statement.
    pub components: Vec<Vec<f64>>,
    /// Eigenvalues of `XᵀX` (centred, mean-filled) for each component.
    pub eigenvalues: Vec<f64>,
    /// Subspace iterations run.
    pub iterations: usize,
    /// Every participant who voted, projected and scaled by `sqrt(statements / votes)`.
    pub projections: Vec<Projection>,
    /// Where a participant who agreed with only this statement would land (Pol.is comment
    /// projection); `extremity` is that point's distance from the centre.
    pub statement_projections: Vec<StatementProjection>,
}

/// A participant's place in the opinion space.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// Participant.
    pub participant_id: i64,
    /// First component.
    pub x: f64,
    /// Second component.
    pub y: f64,
}

/// A statement's place in the opinion space.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementProjection {
    /// Statement.
    pub statement_id: i64,
    /// First component.
    pub x: f64,
    /// Second component.
    pub y: f64,
    /// Distance from the centre.
    pub extremity: f64,
}

/// Rows per chunk of the parallel sums (fixed, so the summation order never varies).
const CHUNK_ROWS: usize = 2048;
/// Extra vectors in the iterated block: they speed up convergence of the leading two.
/// Largest statement count for which the dense Gram matrix is built (8 MiB per part).
const GRAM_MAX_COLS: usize = 1024;
/// Row ranges summed separately (and in this order) when building the Gram matrix.
const GRAM_PARTS: usize = 4;
/// Iterations after which the dense Gram matrix is built: it costs about a dozen passes over the
/// votes, so only a slow convergence (a second eigenvalue lost in noise) pays for it.
const GRAM_AFTER_ITERS: usize = 20;

/// `XᵀX · Q`, from the votes or from a dense Gram matrix.
fn apply(centered: &Centered<'_>, gram: Option<&[f64]>, q: &[[f64; BLOCK]]) -> Vec<[f64; BLOCK]> {
    let Some(g) = gram else {
        return centered.gram_times(q);
    };
    let n = q.len();
    let out: Vec<[f64; BLOCK]> = (0..n)
        .into_par_iter()
        .map(|a| {
            let line = &g[a * n..(a + 1) * n];
            let mut o = [0.0; BLOCK];
            for (&x, qb) in line.iter().zip(q) {
                for k in 0..BLOCK {
                    o[k] += x * qb[k];
                }
            }
            o
        })
        .collect();
    out
}

/// Vectors iterated together: the two components plus two more, which speed up convergence
/// of the leading two (rate λ₅/λ₂ instead of λ₃/λ₂) at twice the cost of one pair.
const BLOCK: usize = 4;

/// The centred, mean-filled matrix in sparse form (zero wherever no vote was cast).
pub(crate) struct Centered<'m> {
    matrix: &'m VoteMatrix,
    /// Column means of the votes cast (0 for excluded columns).
    pub center: Vec<f64>,
    /// Centred value of each stored vote, 0 for excluded columns.
    values: Vec<f64>,
    /// Votes per row as Pol.is counts them for the scaling: cast votes on kept columns plus
    /// one for every excluded column (zeroed, hence non-missing, for everyone).
    pub scaled_counts: Vec<usize>,
}

impl<'m> Centered<'m> {
    pub(crate) fn new(matrix: &'m VoteMatrix) -> Self {
        let n = matrix.n_statements();
        let mut sum = vec![0.0f64; n];
        let mut count = vec![0usize; n];
        for row in 0..matrix.n_participants() {
            for (col, vote) in matrix.row(row) {
                sum[col] += f64::from(vote);
                count[col] += 1;
            }
        }
        let center: Vec<f64> = (0..n)
            .map(|c| {
                if matrix.is_excluded_col(c) || count[c] == 0 {
                    0.0
                } else {
                    sum[c] / count[c] as f64
                }
            })
            .collect();
        let n_excluded = (0..n).filter(|&c| matrix.is_excluded_col(c)).count();
        let mut values = Vec::with_capacity(matrix.n_votes());
        let mut scaled_counts = Vec::with_capacity(matrix.n_participants());
        for row in 0..matrix.n_participants() {
            let mut kept = 0;
            for (col, vote) in matrix.row(row) {
                if matrix.is_excluded_col(col) {
                    values.push(0.0);
                } else {
                    kept += 1;
                    values.push(f64::from(vote) - center[col]);
                }
            }
            scaled_counts.push(kept + n_excluded);
        }
        Self {
            matrix,
            center,
            values,
            scaled_counts,
        }
    }

    fn row(&self, row: usize) -> (&[u32], &[f64]) {
        let (cols, _) = self.matrix.row_slices(row);
        let start = self.row_offset(row);
        (cols, &self.values[start..start + cols.len()])
    }

    fn row_offset(&self, row: usize) -> usize {
        // Offsets of the matrix's compressed rows: values are stored in the same order.
        self.matrix.row_offset(row)
    }

    /// `XᵀX · Q` for a row-major `n × BLOCK` block `Q`.
    fn gram_times(&self, q: &[[f64; BLOCK]]) -> Vec<[f64; BLOCK]> {
        let n = self.center.len();
        let rows = self.matrix.n_participants();
        let chunks: Vec<Vec<[f64; BLOCK]>> = (0..rows.div_ceil(CHUNK_ROWS))
            .into_par_iter()
            .map(|chunk| {
                let mut acc = vec![[0.0; BLOCK]; n];
                for row in chunk * CHUNK_ROWS..((chunk + 1) * CHUNK_ROWS).min(rows) {
                    let (cols, vals) = self.row(row);
                    let mut r = [0.0; BLOCK];
                    for (&c, &x) in cols.iter().zip(vals) {
                        let qc = &q[c as usize];
                        for k in 0..BLOCK {
                            r[k] += x * qc[k];
                        }
                    }
                    for (&c, &x) in cols.iter().zip(vals) {
                        let a = &mut acc[c as usize];
                        for k in 0..BLOCK {
                            a[k] += x * r[k];
                        }
                    }
                }
                acc
            })
            .collect();
        let mut out = vec![[0.0; BLOCK]; n];
        for chunk in chunks {
            for (o, v) in out.iter_mut().zip(chunk) {
                for k in 0..BLOCK {
                    o[k] += v[k];
                }
            }
        }
        out
    }

    /// The dense Gram matrix `XᵀX` (row-major `n × n`), summed over a fixed number of row ranges
    /// in a fixed order. Worth it when many iterations are needed and `n` is small: one pass over
    /// the votes, then every iteration costs `n²` instead of two passes.
    fn gram(&self) -> Vec<f64> {
        let n = self.center.len();
        let rows = self.matrix.n_participants();
        let per = rows.div_ceil(GRAM_PARTS).max(1);
        let parts: Vec<Vec<f64>> = (0..GRAM_PARTS)
            .into_par_iter()
            .map(|part| {
                let mut g = vec![0.0; n * n];
                for row in (part * per).min(rows)..((part + 1) * per).min(rows) {
                    let (cols, vals) = self.row(row);
                    // Columns are ascending: fill the upper triangle only.
                    for (i, (&a, &xa)) in cols.iter().zip(vals).enumerate() {
                        let line = &mut g[a as usize * n..(a as usize + 1) * n];
                        for (&b, &xb) in cols[i..].iter().zip(&vals[i..]) {
                            line[b as usize] += xa * xb;
                        }
                    }
                }
                g
            })
            .collect();
        let mut g = vec![0.0; n * n];
        for part in parts {
            for (o, v) in g.iter_mut().zip(part) {
                *o += v;
            }
        }
        for a in 0..n {
            for b in (a + 1)..n {
                g[b * n + a] = g[a * n + b];
            }
        }
        g
    }

    /// Sparsity-aware projection of every row on the components.
    fn project(&self, components: &[Vec<f64>]) -> Vec<[f64; 2]> {
        let n_cols = self.center.len() as f64;
        (0..self.matrix.n_participants())
            .into_par_iter()
            .map(|row| {
                let (cols, vals) = self.row(row);
                let mut p = [0.0; 2];
                for (k, pc) in components.iter().take(2).enumerate() {
                    p[k] = cols
                        .iter()
                        .zip(vals)
                        .map(|(&c, &x)| x * pc[c as usize])
                        .sum::<f64>();
                }
                let scale = (n_cols / self.scaled_counts[row].max(1) as f64).sqrt();
                [p[0] * scale, p[1] * scale]
            })
            .collect()
    }
}

/// Result of the PCA before it is dressed with ids.
pub(crate) struct PcaCore {
    pub components: Vec<Vec<f64>>,
    pub eigenvalues: Vec<f64>,
    pub iterations: usize,
    pub points: Vec<[f64; 2]>,
}

/// Runs the PCA, always from the same fixed start, so the same votes give the same components
/// whatever came before (Pol.is warm-starts from the last update; converged, that changes
/// nothing but speed). `previous` (the last components, aligned to the current columns) only
/// fixes the arbitrary signs, so the picture does not flip between updates.
pub(crate) fn pca(
    centered: &Centered<'_>,
    settings: &Settings,
    previous: Option<&[Vec<f64>]>,
) -> PcaCore {
    let n = centered.center.len();
    let comps = 2usize;
    if n == 0 {
        return PcaCore {
            components: vec![Vec::new(); comps],
            eigenvalues: vec![0.0; comps],
            iterations: 0,
            points: vec![[0.0, 0.0]; centered.matrix.n_participants()],
        };
    }
    let b = BLOCK;
    let mut q: Vec<[f64; BLOCK]> = (0..n)
        .map(|j| std::array::from_fn(|k| pseudo_random(j as u64, k as u64)))
        .collect();
    orthonormalize(q.as_flattened_mut(), n, b);

    let mut eigenvalues = vec![0.0; b];
    let mut previous_values = vec![0.0; b];
    let mut iterations = 0;
    let mut gram: Option<Vec<f64>> = None;
    for it in 0..settings.pca_max_iters.max(1) {
        iterations = it + 1;
        if it == GRAM_AFTER_ITERS && gram.is_none() && n <= GRAM_MAX_COLS {
            gram = Some(centered.gram());
        }
        let z = apply(centered, gram.as_deref(), &q);
        // Rayleigh–Ritz on span(Q): T = QᵀZ.
        let mut t = vec![0.0; b * b];
        for (qj, zj) in q.iter().zip(&z) {
            for k in 0..b {
                for l in 0..b {
                    t[k * b + l] += qj[k] * zj[l];
                }
            }
        }
        for k in 0..b {
            for l in (k + 1)..b {
                let s = 0.5 * (t[k * b + l] + t[l * b + k]);
                t[k * b + l] = s;
                t[l * b + k] = s;
            }
        }
        let (vals, vecs) = symmetric_eigen(&t, b);
        let qr = to_blocks(&times_small(q.as_flattened(), n, b, &vecs));
        let mut zr = to_blocks(&times_small(z.as_flattened(), n, b, &vecs));
        eigenvalues = vals;
        let top = eigenvalues[0].max(0.0);
        let converged = top <= 1e-300
            || (0..comps).all(|k| {
                let res: f64 = qr
                    .iter()
                    .zip(&zr)
                    .map(|(qj, zj)| (zj[k] - eigenvalues[k] * qj[k]).powi(2))
                    .sum::<f64>()
                    .sqrt();
                res <= settings.pca_tolerance * top
            });
        // Ritz values settle long before the vectors of a (nearly) repeated eigenvalue, whose
        // directions cannot be told apart anyway: stop then too.
        let settled = it > 0
            && (0..comps).all(|k| (eigenvalues[k] - previous_values[k]).abs() <= 1e-12 * top);
        if converged || settled {
            q = qr;
            break;
        }
        previous_values.clone_from(&eigenvalues);
        orthonormalize(zr.as_flattened_mut(), n, b);
        q = zr;
    }

    let top = eigenvalues.first().copied().unwrap_or(0.0).max(0.0);
    let mut components: Vec<Vec<f64>> = (0..comps)
        .map(|k| {
            if eigenvalues[k] <= 1e-12 * top.max(1e-300) || top <= 1e-300 {
                // Rank below 2: this direction carries no variance, so it places nobody.
                vec![0.0; n]
            } else {
                q.iter().map(|row| row[k]).collect()
            }
        })
        .collect();
    for (k, pc) in components.iter_mut().enumerate() {
        orient(pc, previous.and_then(|w| w.get(k)));
    }
    let points = centered.project(&components);
    let mut eigenvalues: Vec<f64> = eigenvalues.into_iter().take(comps).collect();
    eigenvalues.resize(comps, 0.0);
    PcaCore {
        components,
        eigenvalues,
        iterations,
        points,
    }
}

/// Fixes the arbitrary sign of a component: the same as the previous one if given, else so that
/// the largest entry (first on ties) is positive.
fn orient(pc: &mut [f64], previous: Option<&Vec<f64>>) {
    let flip = match previous {
        Some(prev) if prev.len() == pc.len() => {
            let dot: f64 = prev.iter().zip(pc.iter()).map(|(a, b)| a * b).sum();
            if dot != 0.0 {
                dot < 0.0
            } else {
                largest_is_negative(pc)
            }
        }
        _ => largest_is_negative(pc),
    };
    if flip {
        pc.iter_mut().for_each(|x| *x = -*x);
    }
}

fn largest_is_negative(pc: &[f64]) -> bool {
    let mut best = 0.0f64;
    for &x in pc {
        if x.abs() > best.abs() {
            best = x;
        }
    }
    best < 0.0
}

/// Where a participant who agreed with statement `col` alone would land: Pol.is's comment
/// projection, with the scale `sqrt(statements / 1)`.
pub(crate) fn statement_points(
    center: &[f64],
    components: &[Vec<f64>],
    excluded: impl Fn(usize) -> bool,
) -> Vec<[f64; 2]> {
    let n = center.len();
    let scale = (n as f64).sqrt();
    (0..n)
        .map(|c| {
            if excluded(c) {
                return [0.0, 0.0];
            }
            let x = 1.0 - center[c];
            let mut p = [0.0; 2];
            for (k, pc) in components.iter().take(2).enumerate() {
                p[k] = x * pc[c] * scale;
            }
            p
        })
        .collect()
}

fn to_blocks(flat: &[f64]) -> Vec<[f64; BLOCK]> {
    flat.chunks_exact(BLOCK)
        .map(|c| std::array::from_fn(|k| c[k]))
        .collect()
}
