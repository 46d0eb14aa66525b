//! Which strategies can move to their next phase now, and which should wait, with the reasons. A
//! strategy moves when the organisation is ready in the practice areas its purpose depends on and its
//! own goals show it works at the current scale.

use crate::goals::GoalStatus;
use crate::model::{StrategyKind, StrategyPhase};
use crate::readiness::{AreaScore, PracticeArea};
use serde::{Deserialize, Serialize};

/// What one phase move asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gate {
    /// Every area scored at least this (0–100).
    pub every_area: f64,
    /// The areas the strategy's purpose depends on, at least this.
    pub key_areas: f64,
    /// At least this share of the strategy's goals met.
    pub goals_met: f64,
}

/// The gate into `phase`.
pub fn gate(phase: StrategyPhase) -> Gate {
    match phase {
        StrategyPhase::Pilot => Gate {
            every_area: 0.0,
            key_areas: 0.0,
            goals_met: 0.0,
        },
        StrategyPhase::LimitedPublic => Gate {
            every_area: 25.0,
            key_areas: 40.0,
            goals_met: 0.0,
        },
        StrategyPhase::Scaled => Gate {
            every_area: 40.0,
            key_areas: 60.0,
            goals_met: 0.5,
        },
        StrategyPhase::Institutionalised => Gate {
            every_area: 60.0,
            key_areas: 75.0,
            goals_met: 0.8,
        },
    }
}

/// The practice areas a strategy of this kind depends on most.
pub fn key_areas(kind: StrategyKind) -> &'static [PracticeArea] {
    use PracticeArea::*;
    match kind {
        StrategyKind::Outreach => &[Customer],
        StrategyKind::Consultation => &[LeadershipManagement, Customer],
        StrategyKind::Innovation => &[InnovationDesign],
        StrategyKind::InternalCollaboration => &[Enterprise],
        StrategyKind::CustomerService => &[LeadershipManagement, Customer],
        StrategyKind::Custom => &[LeadershipManagement],
    }
}

/// A recommendation for one strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub current: StrategyPhase,
    pub next: Option<StrategyPhase>,
    /// True when every condition for the next phase holds.
    pub move_now: bool,
    /// Each condition, met or not, in words.
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub met: bool,
    pub text: String,
}

fn area_score(scores: &[AreaScore], area: PracticeArea) -> Option<f64> {
    scores.iter().find(|s| s.area == area).and_then(|s| s.score)
}

/// Whether a strategy of `kind` in `current` can move on, given the latest area scores and its goals.
pub fn recommend(
    kind: StrategyKind,
    current: StrategyPhase,
    scores: &[AreaScore],
    goals: &[GoalStatus],
) -> Recommendation {
    let Some(next) = current.next() else {
        return Recommendation {
            current,
            next: None,
            move_now: false,
            reasons: vec![Reason {
                met: true,
                text: "Already institutionalised: review it on its schedule.".into(),
            }],
        };
    };
    let g = gate(next);
    let mut reasons = Vec::new();
    for area in PracticeArea::ALL {
        let key = key_areas(kind).contains(&area);
        let needed = if key { g.key_areas } else { g.every_area };
        if needed <= 0.0 {
            continue;
        }
        let text = match area_score(scores, area) {
            Some(s) => format!(
                "{}: {s:.0} of 100{} (needs {needed:.0}{})",
                area.label(),
                if key {
                    ", a key area for this purpose"
                } else {
                    ""
                },
                if s >= needed { ", met" } else { "" }
            ),
            None => format!("{}: not assessed yet (needs {needed:.0})", area.label()),
        };
        reasons.push(Reason {
            met: area_score(scores, area).is_some_and(|s| s >= needed),
            text,
        });
    }
    if g.goals_met > 0.0 {
        let met = goals.iter().filter(|s| s.met).count();
        let share = if goals.is_empty() {
            0.0
        } else {
            met as f64 / goals.len() as f64
        };
        reasons.push(Reason {
            met: !goals.is_empty() && share >= g.goals_met,
            text: if goals.is_empty() {
                "No measured goals yet: set goals before scaling up".into()
            } else {
                format!(
                    "Goals met: {met} of {} (needs {:.0}%)",
                    goals.len(),
                    g.goals_met * 100.0
                )
            },
        });
        for s in goals.iter().filter(|s| !s.met) {
            reasons.push(Reason {
                met: false,
                text: format!("Not yet: {}", s.description),
            });
        }
    }
    let move_now = reasons.iter().all(|r| r.met);
    Recommendation {
        current,
        next: Some(next),
        move_now,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goals::{evaluate, Direction, Goal, Metric};

    fn scores(l: f64, c: f64, e: f64, i: f64) -> Vec<AreaScore> {
        PracticeArea::ALL
            .into_iter()
            .zip([l, c, e, i])
            .map(|(area, s)| AreaScore {
                area,
                score: Some(s),
                answered: 3,
                questions: 3,
            })
            .collect()
    }

    #[test]
    fn a_pilot_moves_on_when_its_key_areas_are_ready() {
        let ready = recommend(
            StrategyKind::Consultation,
            StrategyPhase::Pilot,
            &scores(50.0, 45.0, 30.0, 30.0),
            &[],
        );
        assert_eq!(ready.next, Some(StrategyPhase::LimitedPublic));
        assert!(ready.move_now, "{:?}", ready.reasons);
        let wait = recommend(
            StrategyKind::Consultation,
            StrategyPhase::Pilot,
            &scores(50.0, 30.0, 30.0, 30.0),
            &[],
        );
        assert!(!wait.move_now);
        assert!(wait
            .reasons
            .iter()
            .any(|r| !r.met && r.text.starts_with("Customer: 30 of 100")));
    }

    #[test]
    fn scaling_up_needs_goals_met() {
        let goal = Goal {
            metric: Metric::AnsweredWithin { days: 1.0 },
            direction: Direction::AtLeast,
            target: 0.8,
        };
        let missed = evaluate(&goal, Some(0.5), vec![]);
        let r = recommend(
            StrategyKind::CustomerService,
            StrategyPhase::LimitedPublic,
            &scores(70.0, 70.0, 50.0, 50.0),
            std::slice::from_ref(&missed),
        );
        assert!(!r.move_now);
        assert!(r
            .reasons
            .iter()
            .any(|x| x.text.starts_with("Not yet: ≥ 80%")));
        let met = evaluate(&goal, Some(0.9), vec![]);
        let r = recommend(
            StrategyKind::CustomerService,
            StrategyPhase::LimitedPublic,
            &scores(70.0, 70.0, 50.0, 50.0),
            &[met],
        );
        assert!(r.move_now, "{:?}", r.reasons);
        let none = recommend(
            StrategyKind::CustomerService,
            StrategyPhase::LimitedPublic,
            &scores(70.0, 70.0, 50.0, 50.0),
            &[],
        );
        assert!(!none.move_now, "no goals, no scaling up");
        let done = recommend(
            StrategyKind::Outreach,
            StrategyPhase::Institutionalised,
            &[],
            &[],
        );
        assert_eq!(done.next, None);
        assert!(!done.move_now);
    }
}
