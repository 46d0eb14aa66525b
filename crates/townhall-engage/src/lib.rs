//! Engage: the pure rules of the inbox and the idea pipeline — case and idea workflows, SLA clocks
//! in business hours, plain-language checks, saved-reply templates, similar-idea search and inbox
//! measures. No I/O.
//!
//! Nothing here reads a clock, a file or the network: callers pass `now` and the data, so every
//! rule is the same in the server, in imports and in tests.

pub mod measures;
pub mod readability;
pub mod similarity;
pub mod sla;
pub mod template;
pub mod workflow;

/// The time-zone database used by [`BusinessHours`], so callers need no direct dependency.
pub use chrono_tz::Tz;

pub use measures::{
    inbox_measures, percentile, CaseFact, InboxMeasures, Share, TeamBacklog, WeekMeasure,
};
pub use readability::{plain_language_advice, readability, Readability};
pub use similarity::{SimilarityIndex, MERGE_SUGGESTION_SCORE};
pub use sla::{describe_duration, sla_state, BusinessHours, SlaError, SlaState, SlaTarget};
pub use template::{escape_literal, placeholders, render, TemplateError, KNOWN_PLACEHOLDERS};
pub use workflow::{
    case_transition, idea_transition, CaseAction, CaseStatus, IdeaStage, WorkflowError,
};
