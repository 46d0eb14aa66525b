//! The life of an inbox case and of an idea: which moves are allowed, so every screen and API route
//! enforces the same rules and a case never ends up in a state that nobody can explain.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where an inbox case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Waiting for the agency to act.
    Open,
    /// Parked until later (for example waiting for another department); still unanswered.
    Snoozed,
    /// The agency has replied at least once.
    Answered,
    /// Nothing more to do, with or without a reply (spam, duplicates, resolved elsewhere).
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] = [
        CaseStatus::Open,
        CaseStatus::Snoozed,
        CaseStatus::Answered,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Snoozed => "snoozed",
            CaseStatus::Answered => "answered",
            CaseStatus::Closed => "closed",
        }
    }

    /// "an open case", "a closed case": for error messages people read.
    fn with_article(self) -> &'static str {
        match self {
            CaseStatus::Open => "an open case",
            CaseStatus::Snoozed => "a snoozed case",
            CaseStatus::Answered => "an answered case",
            CaseStatus::Closed => "a closed case",
        }
    }
}

impl fmt::Display for CaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CaseStatus {
    type Err = WorkflowError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CaseStatus::ALL
            .into_iter()
            .find(|status| status.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| WorkflowError::UnknownCaseStatus {
                value: s.to_string(),
            })
    }
}

/// Something a staff member does to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    Snooze,
    Wake,
    Answer,
    Close,
    Reopen,
}

impl CaseAction {
    pub const ALL: [CaseAction; 5] = [
        CaseAction::Snooze,
        CaseAction::Wake,
        CaseAction::Answer,
        CaseAction::Close,
        CaseAction::Reopen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseAction::Snooze => "snooze",
            CaseAction::Wake => "wake",
            CaseAction::Answer => "answer",
            CaseAction::Close => "close",
            CaseAction::Reopen => "reopen",
        }
    }

    /// "snoozed", "woken": for "a closed case cannot be snoozed".
    fn past_participle(self) -> &'static str {
        match self {
            CaseAction::Snooze => "snoozed",
            CaseAction::Wake => "woken",
            CaseAction::Answer => "answered",
            CaseAction::Close => "closed",
            CaseAction::Reopen => "reopened",
        }
    }
}

impl fmt::Display for CaseAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CaseAction {
    type Err = WorkflowError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CaseAction::ALL
            .into_iter()
            .find(|action| action.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| WorkflowError::UnknownCaseAction {
                value: s.to_string(),
            })
    }
}

/// The status a case has after `action`, or why the action makes no sense now.
///
/// Answering an answered case is allowed because a conversation can need a second reply.
pub fn case_transition(from: CaseStatus, action: CaseAction) -> Result<CaseStatus, WorkflowError> {
    use CaseAction::*;
    use CaseStatus::*;
    let to = match (from, action) {
        (Open, Snooze) => Snoozed,
        (Snoozed, Wake) => Open,
        (Open | Snoozed | Answered, Answer) => Answered,
        (Open | Snoozed | Answered, Close) => Closed,
        (Answered | Closed, Reopen) => Open,
        _ => return Err(WorkflowError::NotAllowed { from, action }),
    };
    Ok(to)
}

/// Where an idea from the public stands in the agency's pipeline; shown to the public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdeaStage {
    Submitted,
    UnderReview,
    Piloting,
    Adopted,
    Declined,
}

impl IdeaStage {
    pub const ALL: [IdeaStage; 5] = [
        IdeaStage::Submitted,
        IdeaStage::UnderReview,
        IdeaStage::Piloting,
        IdeaStage::Adopted,
        IdeaStage::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdeaStage::Submitted => "submitted",
            IdeaStage::UnderReview => "under_review",
            IdeaStage::Piloting => "piloting",
            IdeaStage::Adopted => "adopted",
            IdeaStage::Declined => "declined",
        }
    }

    /// The name shown to people, e.g. "Under review".
    pub fn label(self) -> &'static str {
        match self {
            IdeaStage::Submitted => "Submitted",
            IdeaStage::UnderReview => "Under review",
            IdeaStage::Piloting => "Piloting",
            IdeaStage::Adopted => "Adopted",
            IdeaStage::Declined => "Declined",
        }
    }

    /// Whether the public is owed an explanation for reaching this stage.
    pub fn needs_reason(self) -> bool {
        matches!(self, IdeaStage::Adopted | IdeaStage::Declined)
    }
}

impl fmt::Display for IdeaStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IdeaStage {
    type Err = WorkflowError;

    /// Accepts the serde name ("under_review") and the label ("Under review"), in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let normalised: String = s
            .trim()
            .chars()
            .map(|c| if c == ' ' || c == '-' { '_' } else { c })
            .collect();
        IdeaStage::ALL
            .into_iter()
            .find(|stage| stage.as_str().eq_ignore_ascii_case(&normalised))
            .ok_or_else(|| WorkflowError::UnknownIdeaStage {
                value: s.to_string(),
            })
    }
}

/// Checks that an idea may move from `from` to `to`. Adopting or declining needs a non-blank
/// `reason`, because the public deserves to know why.
pub fn idea_transition(from: IdeaStage, to: IdeaStage, reason: &str) -> Result<(), WorkflowError> {
    use IdeaStage::*;
    let allowed = matches!(
        (from, to),
        (Submitted, UnderReview | Declined)
            | (UnderReview, Piloting | Adopted | Declined | Submitted)
            | (Piloting, Adopted | Declined | UnderReview)
            | (Adopted | Declined, UnderReview)
    );
    if !allowed {
        return Err(WorkflowError::StageNotAllowed { from, to });
    }
    if to.needs_reason() && reason.trim().is_empty() {
        return Err(WorkflowError::ReasonRequired { to });
    }
    Ok(())
}

/// Why a case or idea cannot make a move, or a status name that is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("{} cannot be {}", .from.with_article(), .action.past_participle())]
    NotAllowed {
        from: CaseStatus,
        action: CaseAction,
    },
    #[error("an idea cannot move from {} to {}", .from.label().to_lowercase(), .to.label().to_lowercase())]
    StageNotAllowed { from: IdeaStage, to: IdeaStage },
    #[error("a reason is required to mark an idea as {}: the public will read it", .to.label().to_lowercase())]
    ReasonRequired { to: IdeaStage },
    #[error("unknown case status {value:?}: use open, snoozed, answered or closed")]
    UnknownCaseStatus { value: String },
    #[error("unknown case action {value:?}: use snooze, wake, answer, close or reopen")]
    UnknownCaseAction { value: String },
    #[error(
        "unknown idea stage {value:?}: use submitted, under_review, piloting, adopted or declined"
    )]
    UnknownIdeaStage { value: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_moves_follow_the_table() {
        use CaseAction::*;
        use CaseStatus::*;
        assert_eq!(case_transition(Open, Snooze), Ok(Snoozed));
        assert_eq!(case_transition(Snoozed, Wake), Ok(Open));
        assert_eq!(case_transition(Open, Answer), Ok(Answered));
        assert_eq!(case_transition(Snoozed, Answer), Ok(Answered));
        assert_eq!(case_transition(Answered, Answer), Ok(Answered));
        assert_eq!(case_transition(Open, Close), Ok(Closed));
        assert_eq!(case_transition(Snoozed, Close), Ok(Closed));
        assert_eq!(case_transition(Answered, Close), Ok(Closed));
        assert_eq!(case_transition(Answered, Reopen), Ok(Open));
        assert_eq!(case_transition(Closed, Reopen), Ok(Open));
    }

    #[test]
    fn exactly_ten_case_moves_are_allowed() {
        let allowed = CaseStatus::ALL
            .into_iter()
            .flat_map(|from| CaseAction::ALL.into_iter().map(move |a| (from, a)))
            .filter(|(from, action)| case_transition(*from, *action).is_ok())
            .count();
        assert_eq!(allowed, 10);
    }

    #[test]
    fn refused_case_moves_explain_themselves() {
        let error = case_transition(CaseStatus::Closed, CaseAction::Snooze).unwrap_err();
        assert_eq!(
            error,
            WorkflowError::NotAllowed {
                from: CaseStatus::Closed,
                action: CaseAction::Snooze
            }
        );
        assert_eq!(error.to_string(), "a closed case cannot be snoozed");
        assert_eq!(
            case_transition(CaseStatus::Open, CaseAction::Reopen)
                .unwrap_err()
                .to_string(),
            "an open case cannot be reopened"
        );
        assert_eq!(
            case_transition(CaseStatus::Answered, CaseAction::Wake)
                .unwrap_err()
                .to_string(),
            "an answered case cannot be woken"
        );
    }

    #[test]
    fn names_round_trip() {
        for status in CaseStatus::ALL {
            assert_eq!(status.as_str().parse::<CaseStatus>(), Ok(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        for action in CaseAction::ALL {
            assert_eq!(action.as_str().parse::<CaseAction>(), Ok(action));
        }
        for stage in IdeaStage::ALL {
            assert_eq!(stage.as_str().parse::<IdeaStage>(), Ok(stage));
            assert_eq!(stage.label().parse::<IdeaStage>(), Ok(stage));
            let json = serde_json::to_string(&stage).unwrap();
            assert_eq!(json, format!("\"{}\"", stage.as_str()));
        }
        assert_eq!(
            serde_json::to_string(&IdeaStage::UnderReview).unwrap(),
            "\"under_review\""
        );
        assert_eq!(IdeaStage::UnderReview.label(), "Under review");
    }

    #[test]
    fn unknown_names_are_named_in_the_error() {
        let error = "pending".parse::<CaseStatus>().unwrap_err();
        let message = error.to_string();
        assert!(message.contains("\"pending\""), "{message}");
        assert!(message.contains("snoozed"), "{message}");
        let message = "done".parse::<IdeaStage>().unwrap_err().to_string();
        assert!(
            message.contains("\"done\"") && message.contains("under_review"),
            "{message}"
        );
    }

    #[test]
    fn idea_moves_follow_the_table() {
        use IdeaStage::*;
        let reason = "Budget approved for 2026.";
        let allowed = [
            (Submitted, UnderReview),
            (Submitted, Declined),
            (UnderReview, Piloting),
            (UnderReview, Adopted),
            (UnderReview, Declined),
            (UnderReview, Submitted),
            (Piloting, Adopted),
            (Piloting, Declined),
            (Piloting, UnderReview),
            (Adopted, UnderReview),
            (Declined, UnderReview),
        ];
        for from in IdeaStage::ALL {
            for to in IdeaStage::ALL {
                let result = idea_transition(from, to, reason);
                assert_eq!(
                    result.is_ok(),
                    allowed.contains(&(from, to)),
                    "{from} -> {to}: {result:?}"
                );
            }
        }
        assert_eq!(
            idea_transition(Piloting, Piloting, reason),
            Err(WorkflowError::StageNotAllowed {
                from: Piloting,
                to: Piloting
            })
        );
        assert_eq!(
            idea_transition(Submitted, Adopted, reason)
                .unwrap_err()
                .to_string(),
            "an idea cannot move from submitted to adopted"
        );
    }

    #[test]
    fn adopting_or_declining_needs_a_reason() {
        use IdeaStage::*;
        assert_eq!(
            idea_transition(UnderReview, Adopted, "  \n"),
            Err(WorkflowError::ReasonRequired { to: Adopted })
        );
        let error = idea_transition(Submitted, Declined, "").unwrap_err();
        assert_eq!(error, WorkflowError::ReasonRequired { to: Declined });
        assert!(error.to_string().contains("declined"));
        assert_eq!(idea_transition(Submitted, UnderReview, ""), Ok(()));
        assert_eq!(idea_transition(Adopted, UnderReview, ""), Ok(()));
    }
}
