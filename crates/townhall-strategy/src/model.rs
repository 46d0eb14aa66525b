//! What a strategy is for and how far it has come.

use serde::{Deserialize, Serialize};

/// The purpose of a strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StrategyKind {
    /// Outreach and marketing: reach people where they are.
    Outreach,
    /// Consultation: ask the public and find common ground.
    Consultation,
    /// Innovation and new-service development: ideas into pilots.
    Innovation,
    /// Internal collaboration among the agency's own staff.
    InternalCollaboration,
    /// Customer service: answer the public's questions.
    CustomerService,
    /// Anything else the agency names itself.
    Custom,
}

impl StrategyKind {
    pub const ALL: [StrategyKind; 6] = [
        StrategyKind::Outreach,
        StrategyKind::Consultation,
        StrategyKind::Innovation,
        StrategyKind::InternalCollaboration,
        StrategyKind::CustomerService,
        StrategyKind::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StrategyKind::Outreach => "outreach",
            StrategyKind::Consultation => "consultation",
            StrategyKind::Innovation => "innovation",
            StrategyKind::InternalCollaboration => "internal_collaboration",
            StrategyKind::CustomerService => "customer_service",
            StrategyKind::Custom => "custom",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StrategyKind::Outreach => "Outreach and marketing",
            StrategyKind::Consultation => "Consultation",
            StrategyKind::Innovation => "Innovation and new services",
            StrategyKind::InternalCollaboration => "Internal collaboration",
            StrategyKind::CustomerService => "Customer service",
            StrategyKind::Custom => "Custom",
        }
    }

    pub fn parse(s: &str) -> Option<StrategyKind> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        StrategyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How far a strategy has come: each phase widens who it reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StrategyPhase {
    /// Tried with employees only: learning in a safe place.
    Pilot,
    /// Open to a limited public (one channel, one topic, one region).
    LimitedPublic,
    /// Run at full scale.
    Scaled,
    /// Part of how the agency works: budgeted, staffed, reviewed.
    Institutionalised,
}

impl StrategyPhase {
    pub const ALL: [StrategyPhase; 4] = [
        StrategyPhase::Pilot,
        StrategyPhase::LimitedPublic,
        StrategyPhase::Scaled,
        StrategyPhase::Institutionalised,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StrategyPhase::Pilot => "pilot",
            StrategyPhase::LimitedPublic => "limited_public",
            StrategyPhase::Scaled => "scaled",
            StrategyPhase::Institutionalised => "institutionalised",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StrategyPhase::Pilot => "Pilot with employees",
            StrategyPhase::LimitedPublic => "Limited public",
            StrategyPhase::Scaled => "Scaled",
            StrategyPhase::Institutionalised => "Institutionalised",
        }
    }

    pub fn parse(s: &str) -> Option<StrategyPhase> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        StrategyPhase::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The phase after this one, if any.
    pub fn next(self) -> Option<StrategyPhase> {
        match self {
            StrategyPhase::Pilot => Some(StrategyPhase::LimitedPublic),
            StrategyPhase::LimitedPublic => Some(StrategyPhase::Scaled),
            StrategyPhase::Scaled => Some(StrategyPhase::Institutionalised),
            StrategyPhase::Institutionalised => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_phases_go_forward() {
        for k in StrategyKind::ALL {
            assert_eq!(StrategyKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(
            StrategyKind::parse("Customer Service"),
            Some(StrategyKind::CustomerService)
        );
        for p in StrategyPhase::ALL {
            assert_eq!(StrategyPhase::parse(p.as_str()), Some(p));
            if let Some(n) = p.next() {
                assert!(n > p);
            }
        }
        assert_eq!(StrategyPhase::Institutionalised.next(), None);
    }
}
