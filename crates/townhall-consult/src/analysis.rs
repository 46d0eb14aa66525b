//! One update of the model: PCA, who is clustered, base clusters, opinion groups, and the
//! statement statistics on top of them. A pure function of the votes, the settings and the
//! previous analysis (which only keeps the clustered set, k and group ids stable).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::cluster::{cluster, Clusters};
use crate::consensus::{consensus_lists, divisive, from_counts, Consensus, DivisiveStatement};
use crate::groups::{choose_k, stable_ids, KChoice, KScore};
use crate::in_conv::in_conv_rows;
use crate::matrix::VoteMatrix;
use crate::pca::{pca, statement_points, Centered, Pca, Projection, StatementProjection};
use crate::repness::{repness, GroupRepness};
use crate::settings::Settings;
use crate::stats::count_by_label;

/// Everything one update computes. Serializable so it can be stored and passed back as
/// `previous` to the next update.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Participants who voted.
    pub participants: usize,
    /// Statements with at least one vote.
    pub statements: usize,
    /// Latest votes (non-empty cells).
    pub votes: usize,
    /// Principal components and every participant's projection.
    pub pca: Pca,
    /// Participants who are clustered, ascending.
    pub in_conv: Vec<i64>,
    /// First-level clusters of the clustered participants.
    pub base_clusters: Vec<BaseCluster>,
    /// Opinion groups, by id.
    pub groups: Vec<Group>,
    /// Group of every clustered participant.
    pub group_of: BTreeMap<i64, usize>,
    /// How the number of groups was chosen.
    pub k_chosen: KChoice,
    /// Representative statements of each group, by group id.
    pub repness: Vec<GroupRepness>,
    /// Consensus across groups and overall.
    pub consensus: Consensus,
    /// Statements that divide the groups most.
    pub divisive: Vec<DivisiveStatement>,
}

/// A first-level cluster of participants close together in the opinion space.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BaseCluster {
    /// Index in [`Analysis::base_clusters`].
    pub id: usize,
    /// Its participants, ascending.
    pub members: Vec<i64>,
    /// Mean projection of the members.
    pub center: [f64; 2],
}

/// An opinion group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// 0-based id, stable across updates where the members allow.
    pub id: usize,
    /// Its participants, ascending.
    pub members: Vec<i64>,
    /// Mean projection of the members.
    pub centroid: [f64; 2],
    /// Ids of its base clusters.
    pub base_clusters: Vec<usize>,
}

/// Runs one update. `previous` is the last analysis of the same conversation, if any: clustered
/// participants stay clustered, the number of groups changes only after a new best k wins
/// `Settings::k_buffer` updates in a row, and group ids follow their members. Without it the
/// result depends on the votes and settings alone.
pub fn analyze(matrix: &VoteMatrix, settings: &Settings, previous: Option<&Analysis>) -> Analysis {
    let centered = Centered::new(matrix);
    let aligned = previous.map(|p| aligned_components(&p.pca, matrix.statements()));
    let core = pca(&centered, settings, aligned.as_deref());
    let ids = matrix.participants();

    let sticky: Option<BTreeSet<i64>> = previous.map(|p| p.in_conv.iter().copied().collect());
    let rows = in_conv_rows(matrix, settings, sticky.as_ref());
    let points: Vec<[f64; 2]> = rows.iter().map(|&r| core.points[r]).collect();
    let clusters = cluster(&points, settings);
    let base_clusters = base_clusters(&clusters, &rows, ids);
    let scores: Vec<KScore> = clusters
        .candidates
        .iter()
        .map(|c| KScore {
            k: c.k,
            silhouette: c.silhouette,
        })
        .collect();
    let k_chosen = choose_k(&scores, previous.map(|p| &p.k_chosen), settings).unwrap_or(KChoice {
        k: usize::from(!rows.is_empty()),
        best_k: usize::from(!rows.is_empty()),
        best_k_streak: 1,
        silhouettes: Vec::new(),
    });
    let groups = groups(
        &clusters,
        k_chosen.k,
        &base_clusters,
        ids,
        &core.points,
        previous,
    );
    let group_of: BTreeMap<i64, usize> = groups
        .iter()
        .flat_map(|g| g.members.iter().map(move |&p| (p, g.id)))
        .collect();

    let labels: Vec<Option<usize>> = ids.iter().map(|p| group_of.get(p).copied()).collect();
    let counts = count_by_label(matrix, &labels, groups.len());
    let group_ids: Vec<usize> = groups.iter().map(|g| g.id).collect();
    let repness = repness(matrix, &counts, &group_ids, settings);
    let (agree, disagree) = consensus_lists(matrix, settings);
    let consensus = Consensus {
        group_informed: from_counts(matrix, &counts),
        agree,
        disagree,
    };
    let divisive = divisive(matrix, &counts, settings);

    let statement_projections = statement_points(&centered.center, &core.components, |c| {
        matrix.is_excluded_col(c)
    })
    .into_iter()
    .zip(matrix.statements())
    .map(|(p, &statement_id)| StatementProjection {
        statement_id,
        x: p[0],
        y: p[1],
        extremity: (p[0] * p[0] + p[1] * p[1]).sqrt(),
    })
    .collect();
    let pca = Pca {
        statement_ids: matrix.statements().to_vec(),
        center: centered.center.clone(),
        components: core.components,
        eigenvalues: core.eigenvalues,
        iterations: core.iterations,
        projections: ids
            .iter()
            .zip(&core.points)
            .map(|(&participant_id, p)| Projection {
                participant_id,
                x: p[0],
                y: p[1],
            })
            .collect(),
        statement_projections,
    };

    Analysis {
        participants: matrix.n_participants(),
        statements: matrix.n_statements(),
        votes: matrix.n_votes(),
        pca,
        in_conv: rows.iter().map(|&r| ids[r]).collect(),
        base_clusters,
        groups,
        group_of,
        k_chosen,
        repness,
        consensus,
        divisive,
    }
}

/// Base clusters with their members' ids (`rows[i]` is the row of clustered participant `i`).
fn base_clusters(clusters: &Clusters, rows: &[usize], ids: &[i64]) -> Vec<BaseCluster> {
    let mut members = vec![Vec::new(); clusters.base_centers.len()];
    for (i, &b) in clusters.base_of.iter().enumerate() {
        members[b].push(ids[rows[i]]);
    }
    members
        .into_iter()
        .zip(&clusters.base_centers)
        .enumerate()
        .map(|(id, (members, &center))| BaseCluster {
            id,
            members,
            center,
        })
        .collect()
}

/// The groups of the chosen k (everyone in one group when no k ≥ 2 is possible), numbered to
/// keep the previous analysis's ids with their members, sorted by id.
fn groups(
    clusters: &Clusters,
    k: usize,
    base_clusters: &[BaseCluster],
    ids: &[i64],
    points: &[[f64; 2]],
    previous: Option<&Analysis>,
) -> Vec<Group> {
    let group_bases: Vec<Vec<usize>> = match clusters.candidates.iter().find(|c| c.k == k) {
        Some(c) => {
            let mut g = vec![Vec::new(); c.centers.len()];
            for (b, &grp) in c.group_of_base.iter().enumerate() {
                g[grp].push(b);
            }
            g
        }
        None if !base_clusters.is_empty() => vec![(0..base_clusters.len()).collect()],
        None => Vec::new(),
    };
    let mut groups: Vec<Group> = group_bases
        .into_iter()
        .map(|bases| {
            let mut members: Vec<i64> = bases
                .iter()
                .flat_map(|&b| base_clusters[b].members.iter().copied())
                .collect();
            members.sort_unstable();
            let centroid = centroid(&members, ids, points);
            Group {
                id: 0,
                members,
                centroid,
                base_clusters: bases,
            }
        })
        .collect();
    let previous_groups: Vec<(usize, Vec<i64>)> = previous
        .map(|p| p.groups.iter().map(|g| (g.id, g.members.clone())).collect())
        .unwrap_or_default();
    let members: Vec<Vec<i64>> = groups.iter().map(|g| g.members.clone()).collect();
    for (g, id) in groups
        .iter_mut()
        .zip(stable_ids(&members, &previous_groups))
    {
        g.id = id;
    }
    groups.sort_by_key(|g| g.id);
    groups
}

/// The previous components re-indexed to the current statements (new statements get 0).
fn aligned_components(previous: &Pca, statements: &[i64]) -> Vec<Vec<f64>> {
    previous
        .components
        .iter()
        .map(|pc| {
            statements
                .iter()
                .map(|s| {
                    previous
                        .statement_ids
                        .binary_search(s)
                        .ok()
                        .and_then(|i| pc.get(i).copied())
                        .unwrap_or(0.0)
                })
                .collect()
        })
        .collect()
}

fn centroid(members: &[i64], ids: &[i64], points: &[[f64; 2]]) -> [f64; 2] {
    let mut sum = [0.0, 0.0];
    for m in members {
        if let Ok(r) = ids.binary_search(m) {
            sum[0] += points[r][0];
            sum[1] += points[r][1];
        }
    }
    let n = members.len().max(1) as f64;
    [sum[0] / n, sum[1] / n]
}
