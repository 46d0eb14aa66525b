//! Weighted k-means on 2-D points, Pol.is style, and the silhouette used to choose k.
//!
//! Pol.is starts from the first k distinct points in order, assigns ties to the last nearest
//! centre, drops clusters that empty, and stops once no centre moves more than a tolerance.
//! Everything here is deterministic: no random restarts.

use rayon::prelude::*;

/// Points per parallel assignment task; below this the work is done on one thread.
const PAR_MIN_POINTS: usize = 4096;

/// Outcome of one k-means run.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct KMeans {
    /// Surviving centres (empty clusters dropped), in the order of the starting centres.
    pub centers: Vec<[f64; 2]>,
    /// For each point, the index of its centre.
    pub assignment: Vec<usize>,
}

/// The first `k` distinct points in order (Pol.is `init-clusters`).
pub(crate) fn first_distinct(points: &[[f64; 2]], k: usize) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(k);
    // Exact comparison: "distinct" means not the same point; a sorted set keeps this O(n log k).
    let mut seen = std::collections::BTreeSet::new();
    for p in points {
        if out.len() == k {
            break;
        }
        // `+ 0.0` turns -0.0 into 0.0: the same point either way.
        if seen.insert(((p[0] + 0.0).to_bits(), (p[1] + 0.0).to_bits())) {
            out.push(*p);
        }
    }
    out
}

fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    dx * dx + dy * dy
}

fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    dist2(a, b).sqrt()
}

/// A point's assignment and Hamerly's bounds: `upper` ≥ distance to its centre, `lower` ≤
/// distance to every other centre.
#[derive(Clone, Copy)]
struct Bounds {
    center: usize,
    upper: f64,
    lower: f64,
}

/// Nearest centre (the last one on ties, a Pol.is quirk kept for agreement) with the distances
/// to it and to the runner-up.
fn scan(p: [f64; 2], centers: &[[f64; 2]]) -> Bounds {
    let mut best = 0;
    let mut best_d = f64::INFINITY;
    let mut second = f64::INFINITY;
    for (i, c) in centers.iter().enumerate() {
        let d = dist2(p, *c);
        if d <= best_d {
            second = best_d;
            best_d = d;
            best = i;
        } else if d < second {
            second = d;
        }
    }
    Bounds {
        center: best,
        upper: best_d.sqrt(),
        lower: second.sqrt(),
    }
}

/// Weighted k-means from the given starting centres, at most `max_iters` steps, stopping when
/// every centre moved less than `tolerance`. `weights` defaults to 1 per point.
///
/// Lloyd's algorithm with Hamerly's bounds: a point is re-scanned only when its bounds no longer
/// prove its centre strictly nearest, so the result is Lloyd's, at a fraction of the distances.
pub(crate) fn kmeans(
    points: &[[f64; 2]],
    weights: Option<&[f64]>,
    init: Vec<[f64; 2]>,
    max_iters: usize,
    tolerance: f64,
) -> KMeans {
    let mut centers = init;
    if points.is_empty() || centers.is_empty() {
        return KMeans {
            centers: Vec::new(),
            assignment: Vec::new(),
        };
    }
    let weight = |i: usize| weights.map_or(1.0, |w| w[i]);
    let mut state: Vec<Bounds> = map_points(points, |_, p| scan(p, &centers));
    let iters = max_iters.max(1);
    for it in 0..iters {
        // Update step: weighted means; clusters left empty are dropped.
        let mut sum = vec![[0.0f64; 2]; centers.len()];
        let mut total = vec![0.0f64; centers.len()];
        for (i, b) in state.iter().enumerate() {
            let w = weight(i);
            sum[b.center][0] += w * points[i][0];
            sum[b.center][1] += w * points[i][1];
            total[b.center] += w;
        }
        let mut renumber = vec![usize::MAX; centers.len()];
        let mut new = Vec::with_capacity(centers.len());
        let mut moved_by = Vec::with_capacity(centers.len());
        for c in 0..centers.len() {
            if total[c] > 0.0 {
                renumber[c] = new.len();
                let m = [sum[c][0] / total[c], sum[c][1] / total[c]];
                moved_by.push(dist(m, centers[c]));
                new.push(m);
            }
        }
        let dropped = new.len() != centers.len();
        let moved = dropped || moved_by.iter().any(|&d| d >= tolerance);
        centers = new;
        if dropped {
            for b in &mut state {
                b.center = renumber[b.center];
            }
        }
        // As Pol.is, the result is the last assignment with its recentred clusters.
        if !moved || it + 1 == iters {
            break;
        }
        // Assignment step with bounds.
        let (max1, arg1, max2) = top_two(&moved_by);
        let half_gap: Vec<f64> = (0..centers.len())
            .map(|c| {
                0.5 * (0..centers.len())
                    .filter(|&o| o != c)
                    .map(|o| dist(centers[c], centers[o]))
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();
        state = map_points(points, |i, p| {
            let mut b = state[i];
            b.upper += moved_by[b.center];
            b.lower -= if b.center == arg1 { max2 } else { max1 };
            let bound = half_gap[b.center].max(b.lower);
            if b.upper < bound {
                return b;
            }
            b.upper = dist(p, centers[b.center]);
            if b.upper < bound {
                return b;
            }
            scan(p, &centers)
        });
    }
    let assignment = state.iter().map(|b| b.center).collect();
    KMeans {
        centers,
        assignment,
    }
}

/// `f(i, point)` for every point, in parallel for large inputs (each result depends on its own
/// point only, so the output is the same on any number of threads).
fn map_points<T: Send>(points: &[[f64; 2]], f: impl Fn(usize, [f64; 2]) -> T + Sync) -> Vec<T> {
    if points.len() >= PAR_MIN_POINTS {
        points
            .par_iter()
            .enumerate()
            .map(|(i, p)| f(i, *p))
            .collect()
    } else {
        points.iter().enumerate().map(|(i, p)| f(i, *p)).collect()
    }
}

/// Largest value, its index, and the largest value at any other index.
fn top_two(values: &[f64]) -> (f64, usize, f64) {
    let (mut max1, mut arg1, mut max2) = (0.0f64, usize::MAX, 0.0f64);
    for (i, &v) in values.iter().enumerate() {
        if v > max1 {
            max2 = max1;
            max1 = v;
            arg1 = i;
        } else if v > max2 {
            max2 = v;
        }
    }
    (max1, arg1, max2)
}

/// Mean silhouette of a labelling of points. With `weights`, each point stands for that many
/// identical members (a base cluster of that size): distances to co-members at the same spot
/// count as zero and the mean is weighted. A member alone in its cluster scores 0.
pub(crate) fn silhouette(
    points: &[[f64; 2]],
    weights: Option<&[f64]>,
    labels: &[usize],
    k: usize,
) -> f64 {
    let n = points.len();
    if n == 0 || k < 2 {
        return 0.0;
    }
    let weight = |i: usize| weights.map_or(1.0, |w| w[i]);
    let mut cluster_weight = vec![0.0f64; k];
    for i in 0..n {
        cluster_weight[labels[i]] += weight(i);
    }
    let mut total = 0.0;
    let mut total_w = 0.0;
    let mut sums = vec![0.0f64; k];
    for i in 0..n {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for j in 0..n {
            if i != j {
                sums[labels[j]] += weight(j) * dist2(points[i], points[j]).sqrt();
            }
        }
        let own = labels[i];
        let w = weight(i);
        // Co-members: the other members of this item (weight − 1, at distance 0) and the rest.
        let own_count = cluster_weight[own] - 1.0;
        let s = if own_count <= 0.0 {
            0.0
        } else {
            let a = sums[own] / own_count;
            let b = (0..k)
                .filter(|&c| c != own && cluster_weight[c] > 0.0)
                .map(|c| sums[c] / cluster_weight[c])
                .fold(f64::INFINITY, f64::min);
            if !b.is_finite() {
                0.0
            } else {
                let m = a.max(b);
                if m > 0.0 {
                    (b - a) / m
                } else {
                    0.0
                }
            }
        };
        total += w * s;
        total_w += w;
    }
    if total_w > 0.0 {
        total / total_w
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn first_distinct_skips_repeats() {
        let pts = [[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [2.0, 0.0]];
        assert_eq!(first_distinct(&pts, 2), vec![[0.0, 0.0], [1.0, 0.0]]);
        assert_eq!(first_distinct(&pts, 9).len(), 3);
    }

    #[test]
    fn two_blobs_are_separated() {
        let mut pts = Vec::new();
        for i in 0..10 {
            pts.push([i as f64 * 0.01, 0.0]);
            pts.push([5.0 + i as f64 * 0.01, 1.0]);
        }
        let init = first_distinct(&pts, 2);
        let km = kmeans(&pts, None, init, 100, 1e-9);
        assert_eq!(km.centers.len(), 2);
        for i in 0..10 {
            assert_ne!(km.assignment[2 * i], km.assignment[2 * i + 1]);
        }
        let s = silhouette(&pts, None, &km.assignment, 2);
        assert!(s > 0.9, "{s}");
    }

    #[test]
    fn weighted_silhouette_counts_members() {
        // A weight-3 item alone in its cluster is not a singleton: its members agree perfectly.
        let pts = [[0.0, 0.0], [10.0, 0.0], [11.0, 0.0]];
        let s = silhouette(&pts, Some(&[3.0, 1.0, 1.0]), &[0, 1, 1], 2);
        let unweighted = silhouette(&pts, None, &[0, 1, 1], 2);
        assert!(s > unweighted, "{s} {unweighted}");
    }
}
