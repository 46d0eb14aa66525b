//! Goals as measurable targets, computed from the data: "answer 80% of public questions within 1
//! business day", "reply share of own posts ≥ 20%", "≥ 300 participants in the spring consultation",
//! "negative share of topic X below 30%". The app measures each metric; this module says whether the
//! target is met, how far off it is, and which way it is moving.

use serde::{Deserialize, Serialize};

/// What a goal measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "metric", rename_all = "snake_case")]
pub enum Metric {
    /// Share of the public's questions (inbox cases) first answered within `days` business days.
    AnsweredWithin { days: f64 },
    /// Share of the agency's own posts that are replies to the public.
    ReplyShareOfOwnPosts,
    /// Participants in a consultation (by its address).
    ConsultationParticipants { consultation: String },
    /// Share of posts about a tracked topic with negative sentiment.
    NegativeShareOfTopic { topic: String },
    /// Ideas adopted (all time, or in the report's period).
    IdeasAdopted,
    /// Ideas an idea campaign received (by its address), not counting those merged into another.
    CampaignIdeas { campaign: String },
    /// Median hours to the first response to an inbox case.
    MedianFirstResponseHours,
}

impl Metric {
    /// Whether the value is a share in [0, 1] (shown as a percentage).
    pub fn is_share(&self) -> bool {
        matches!(
            self,
            Metric::AnsweredWithin { .. }
                | Metric::ReplyShareOfOwnPosts
                | Metric::NegativeShareOfTopic { .. }
        )
    }

    /// A sentence naming the metric.
    pub fn describe(&self) -> String {
        match self {
            Metric::AnsweredWithin { days } => {
                format!(
                    "public questions answered within {} business day(s)",
                    trim(*days)
                )
            }
            Metric::ReplyShareOfOwnPosts => "own posts that reply to the public".into(),
            Metric::ConsultationParticipants { consultation } => {
                format!("participants in the consultation /c/{consultation}")
            }
            Metric::NegativeShareOfTopic { topic } => {
                format!("negative posts about \"{topic}\"")
            }
            Metric::IdeasAdopted => "ideas adopted".into(),
            Metric::CampaignIdeas { campaign } => {
                format!("ideas received by the idea campaign \"{campaign}\"")
            }
            Metric::MedianFirstResponseHours => "median hours to a first response".into(),
        }
    }
}

fn trim(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// At least or at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    AtLeast,
    AtMost,
}

/// A measurable target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    #[serde(flatten)]
    pub metric: Metric,
    pub direction: Direction,
    /// The target (a share in [0, 1] for share metrics).
    pub target: f64,
}

impl Goal {
    /// "≥ 80% of public questions answered within 1 business day(s)".
    pub fn describe(&self) -> String {
        let sign = match self.direction {
            Direction::AtLeast => "≥",
            Direction::AtMost => "≤",
        };
        format!(
            "{sign} {} {}",
            format_value(&self.metric, self.target),
            self.metric.describe()
        )
    }
}

/// A value as people read it: shares as percentages.
pub fn format_value(metric: &Metric, value: f64) -> String {
    if metric.is_share() {
        format!("{:.0}%", value * 100.0)
    } else if value.fract() == 0.0 {
        format!("{}", value as i64)
    } else {
        format!("{value:.1}")
    }
}

/// Which way a goal's value is moving, judged against the target's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Improving,
    Steady,
    Worsening,
    /// Not enough history to say.
    Unknown,
}

/// A goal against its live value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalStatus {
    pub goal: Goal,
    pub description: String,
    /// The current value; `None` when there is no data yet (no questions, no posts).
    pub value: Option<f64>,
    pub met: bool,
    /// How far from the target, in the metric's units (0 when met).
    pub gap: f64,
    pub trend: Trend,
    /// Values over time, oldest first (label, value), for the chart.
    pub history: Vec<(String, f64)>,
}

/// Relative change below which a value counts as steady.
const STEADY: f64 = 0.02;

/// Evaluate `goal` with its current `value` and its `history` (oldest first; the current value is not
/// in it).
pub fn evaluate(goal: &Goal, value: Option<f64>, history: Vec<(String, f64)>) -> GoalStatus {
    let met = value.is_some_and(|v| match goal.direction {
        Direction::AtLeast => v >= goal.target,
        Direction::AtMost => v <= goal.target,
    });
    let gap = match value {
        Some(v) if !met => (goal.target - v).abs(),
        Some(_) => 0.0,
        None => f64::NAN,
    };
    let trend = trend(goal.direction, &history, value);
    GoalStatus {
        description: goal.describe(),
        goal: goal.clone(),
        value,
        met,
        gap,
        trend,
        history,
    }
}

/// Compare the current value with the mean of the earlier ones.
fn trend(direction: Direction, history: &[(String, f64)], value: Option<f64>) -> Trend {
    let Some(now) = value else {
        return Trend::Unknown;
    };
    let earlier: Vec<f64> = history
        .iter()
        .map(|(_, v)| *v)
        .filter(|v| v.is_finite())
        .collect();
    if earlier.is_empty() {
        return Trend::Unknown;
    }
    let before = earlier.iter().sum::<f64>() / earlier.len() as f64;
    let scale = before.abs().max(now.abs()).max(1e-9);
    let change = (now - before) / scale;
    if change.abs() < STEADY {
        return Trend::Steady;
    }
    let up_is_good = direction == Direction::AtLeast;
    if (change > 0.0) == up_is_good {
        Trend::Improving
    } else {
        Trend::Worsening
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_are_met_missed_and_described() {
        let answered = Goal {
            metric: Metric::AnsweredWithin { days: 1.0 },
            direction: Direction::AtLeast,
            target: 0.8,
        };
        assert_eq!(
            answered.describe(),
            "≥ 80% public questions answered within 1 business day(s)"
        );
        let s = evaluate(
            &answered,
            Some(0.72),
            vec![("W1".into(), 0.6), ("W2".into(), 0.64)],
        );
        assert!(!s.met);
        assert!((s.gap - 0.08).abs() < 1e-12);
        assert_eq!(s.trend, Trend::Improving);
        let negative = Goal {
            metric: Metric::NegativeShareOfTopic {
                topic: "snap".into(),
            },
            direction: Direction::AtMost,
            target: 0.3,
        };
        let s = evaluate(&negative, Some(0.25), vec![("W1".into(), 0.2)]);
        assert!(s.met);
        assert_eq!(s.gap, 0.0);
        assert_eq!(s.trend, Trend::Worsening, "more negative is worse");
        let s = evaluate(&negative, None, vec![]);
        assert!(!s.met);
        assert_eq!(s.trend, Trend::Unknown);
        let steady = evaluate(&answered, Some(0.801), vec![("W1".into(), 0.8)]);
        assert_eq!(steady.trend, Trend::Steady);
    }

    #[test]
    fn goals_read_and_write_as_json() {
        let g = Goal {
            metric: Metric::ConsultationParticipants {
                consultation: "spring".into(),
            },
            direction: Direction::AtLeast,
            target: 300.0,
        };
        let json = serde_json::to_string(&g).unwrap_or_default();
        assert!(
            json.contains("\"metric\":\"consultation_participants\""),
            "{json}"
        );
        let back: Goal = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, g);
        assert_eq!(
            g.describe(),
            "≥ 300 participants in the consultation /c/spring"
        );
    }
}
