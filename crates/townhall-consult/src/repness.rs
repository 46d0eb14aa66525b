//! Representative statements of each group: what sets the group apart from the other groups,
//! by the Pol.is rules (significant at one-sided 90 % both within the group and against the
//! rest, ranked by `repness × repness-test × p × p-test`, best-agree first, top five).

use serde::{Deserialize, Serialize};

use crate::matrix::VoteMatrix;
use crate::settings::Settings;
use crate::stats::{p_hat, prop_test, two_prop_test, Counts};

/// Whether a statement represents a group by its agreement or by its disagreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Repful {
    /// The group agrees more than the others.
    Agree,
    /// The group disagrees more than the others.
    Disagree,
}

/// A representative statement of a group, in Pol.is's terms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepStatement {
    /// Statement.
    pub statement_id: i64,
    /// Agree or disagree.
    pub repful: Repful,
    /// Group members who agreed (or disagreed, per `repful`).
    pub n_success: u64,
    /// Group members who voted on it (passes included).
    pub n_trials: u64,
    /// `(n_success + 1) / (n_trials + 2)`.
    pub p_success: f64,
    /// One-proportion z statistic of `p_success` against 1/2.
    pub p_test: f64,
    /// `p_success` divided by the same proportion among the other groups.
    pub repness: f64,
    /// Two-proportion z statistic, group against the other groups.
    pub repness_test: f64,
    /// Chosen as the group's best-agree statement (listed first).
    pub best_agree: bool,
}

/// The representative statements of one group, ranked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRepness {
    /// Group id.
    pub group_id: usize,
    /// Ranked, agrees before disagrees, at most `Settings::rep_statements`.
    pub statements: Vec<RepStatement>,
}

/// Statistics of one statement for one group.
#[derive(Clone, Copy, Debug)]
struct Stat {
    col: usize,
    na: u64,
    nd: u64,
    ns: u64,
    pa: f64,
    pd: f64,
    pat: f64,
    pdt: f64,
    ra: f64,
    rd: f64,
    rat: f64,
    rdt: f64,
}

impl Stat {
    fn new(col: usize, own: Counts, rest: Counts) -> Self {
        let pa = p_hat(own.agree, own.votes);
        let pd = p_hat(own.disagree, own.votes);
        Self {
            col,
            na: own.agree,
            nd: own.disagree,
            ns: own.votes,
            pa,
            pd,
            pat: prop_test(own.agree, own.votes),
            pdt: prop_test(own.disagree, own.votes),
            ra: pa / p_hat(rest.agree, rest.votes),
            rd: pd / p_hat(rest.disagree, rest.votes),
            rat: two_prop_test(own.agree, rest.agree, own.votes, rest.votes),
            rdt: two_prop_test(own.disagree, rest.disagree, own.votes, rest.votes),
        }
    }

    fn finalize(&self, repful: Repful, statement_id: i64, best_agree: bool) -> RepStatement {
        let (n_success, p_success, p_test, repness, repness_test) = match repful {
            Repful::Agree => (self.na, self.pa, self.pat, self.ra, self.rat),
            Repful::Disagree => (self.nd, self.pd, self.pdt, self.rd, self.rdt),
        };
        RepStatement {
            statement_id,
            repful,
            n_success,
            n_trials: self.ns,
            p_success,
            p_test,
            repness,
            repness_test,
            best_agree,
        }
    }
}

fn metric(r: &RepStatement) -> f64 {
    r.repness * r.repness_test * r.p_success * r.p_test
}

/// Representative statements for every group. `counts[g][col]` are the group's vote counts;
/// excluded statements are never selected.
pub(crate) fn repness(
    matrix: &VoteMatrix,
    counts: &[Vec<Counts>],
    group_ids: &[usize],
    settings: &Settings,
) -> Vec<GroupRepness> {
    let n_cols = matrix.n_statements();
    let mut totals = vec![Counts::default(); n_cols];
    for group in counts {
        for (t, c) in totals.iter_mut().zip(group) {
            t.agree += c.agree;
            t.disagree += c.disagree;
            t.votes += c.votes;
        }
    }
    let z = settings.z_threshold;
    counts
        .iter()
        .zip(group_ids)
        .map(|(own, &group_id)| {
            let stats: Vec<Stat> = (0..n_cols)
                .filter(|&c| !matrix.is_excluded_col(c))
                .map(|c| {
                    let rest = Counts {
                        agree: totals[c].agree - own[c].agree,
                        disagree: totals[c].disagree - own[c].disagree,
                        votes: totals[c].votes - own[c].votes,
                    };
                    Stat::new(c, own[c], rest)
                })
                .collect();
            let id = |s: &Stat| matrix.statements()[s.col];
            let mut passing: Vec<RepStatement> = stats
                .iter()
                .filter(|s| (s.rat > z && s.pat > z) || (s.rdt > z && s.pdt > z))
                .map(|s| {
                    let repful = if s.rat > s.rdt {
                        Repful::Agree
                    } else {
                        Repful::Disagree
                    };
                    s.finalize(repful, id(s), false)
                })
                .collect();
            passing.sort_by(|a, b| metric(b).total_cmp(&metric(a)));
            let best_agree = best_agree(&stats, z).map(|s| s.finalize(Repful::Agree, id(s), true));
            let mut chosen = if passing.is_empty() {
                match best_agree {
                    Some(b) => vec![b],
                    None => best(&stats)
                        .map(|s| {
                            let repful = if s.rat > s.rdt {
                                Repful::Agree
                            } else {
                                Repful::Disagree
                            };
                            vec![s.finalize(repful, id(s), false)]
                        })
                        .unwrap_or_default(),
                }
            } else {
                let mut list = Vec::with_capacity(passing.len() + 1);
                if let Some(b) = best_agree {
                    passing.retain(|r| r.statement_id != b.statement_id);
                    list.push(b);
                }
                list.extend(passing);
                list.truncate(settings.rep_statements);
                list
            };
            // Agrees before disagrees, each keeping its rank.
            chosen.sort_by_key(|r| r.repful == Repful::Disagree);
            GroupRepness {
                group_id,
                statements: chosen,
            }
        })
        .collect()
}

/// The statement the group most clearly agrees with, if any (Pol.is `best-agree`).
fn best_agree(stats: &[Stat], z: f64) -> Option<&Stat> {
    let mut best: Option<&Stat> = None;
    for s in stats.iter().filter(|s| s.na + s.nd > 0) {
        best = match best {
            None => (s.pat > z || (s.ra > 1.0 && s.pa > 0.5)).then_some(s),
            Some(b) => {
                let score = |x: &Stat| {
                    if b.ra > 1.0 {
                        x.ra * x.rat * x.pa * x.pat
                    } else {
                        x.pa * x.pat
                    }
                };
                if score(s) > score(b) {
                    Some(s)
                } else {
                    Some(b)
                }
            }
        };
    }
    best
}

/// The statement with the strongest two-proportion statistic either way (Pol.is `best`).
fn best(stats: &[Stat]) -> Option<&Stat> {
    stats
        .iter()
        .fold(None, |best: Option<&Stat>, s| match best {
            Some(b) if b.rat.max(b.rdt) >= s.rat.max(s.rdt) => Some(b),
            _ => Some(s),
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::stats::count_by_label;

    /// Two groups of ten: A agrees with 0 and disagrees with 1, B the reverse; everyone agrees
    /// with 2; statement 3 is excluded although A agrees with it.
    fn two_groups() -> (VoteMatrix, Vec<Vec<Counts>>) {
        let mut events = Vec::new();
        for p in 0..20i64 {
            let a = p < 10;
            events.push((p, 0, if a { 1 } else { -1 }, 0));
            events.push((p, 1, if a { -1 } else { 1 }, 0));
            events.push((p, 2, 1, 0));
            events.push((p, 3, if a { 1 } else { 0 }, 0));
        }
        let m = VoteMatrix::from_events(events).unwrap().with_excluded([3]);
        let labels: Vec<Option<usize>> = (0..20).map(|p| Some(usize::from(p >= 10))).collect();
        let counts = count_by_label(&m, &labels, 2);
        (m, counts)
    }

    #[test]
    fn each_group_is_represented_by_what_sets_it_apart() {
        let (m, counts) = two_groups();
        let reps = repness(&m, &counts, &[0, 1], &Settings::default());
        let a: Vec<(i64, Repful)> = reps[0]
            .statements
            .iter()
            .map(|r| (r.statement_id, r.repful))
            .collect();
        let b: Vec<(i64, Repful)> = reps[1]
            .statements
            .iter()
            .map(|r| (r.statement_id, r.repful))
            .collect();
        assert_eq!(a, vec![(0, Repful::Agree), (1, Repful::Disagree)]);
        assert_eq!(b, vec![(1, Repful::Agree), (0, Repful::Disagree)]);
        let best = &reps[0].statements[0];
        assert!(best.best_agree);
        assert_eq!((best.n_success, best.n_trials), (10, 10));
        assert!((best.p_success - 11.0 / 12.0).abs() < 1e-15);
        // (11/12) / (1/12): the other group never agreed.
        assert!((best.repness - 11.0).abs() < 1e-12);
        assert!(best.repness_test > 1.2816 && best.p_test > 1.2816);
    }

    #[test]
    fn without_significant_statements_the_best_agree_is_shown() {
        // Both groups agree with everything: nothing passes, the best agree stands in.
        let events: Vec<(i64, i64, i8, i64)> = (0..6)
            .flat_map(|p| (0..3).map(move |s| (p, s, 1, 0)))
            .collect();
        let m = VoteMatrix::from_events(events).unwrap();
        let labels: Vec<Option<usize>> = (0..6).map(|p| Some(p % 2)).collect();
        let counts = count_by_label(&m, &labels, 2);
        let reps = repness(&m, &counts, &[0, 1], &Settings::default());
        for g in &reps {
            assert_eq!(g.statements.len(), 1);
            assert!(g.statements[0].best_agree);
        }
    }
}
