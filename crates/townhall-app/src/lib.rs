//! Townhall's use cases. The CLI and the web layer are thin shells over these functions, so the
//! same rules apply whichever way a user comes in.

pub mod accounts;
pub mod actor;
pub mod analyze;
pub mod campaigns;
pub mod cases;
pub mod consult;
pub mod consultations;
pub mod drafts;
mod error;
pub mod ideas;
pub mod import;
pub mod import_jobs;
pub mod inbox;
pub mod inbox_settings;
pub mod insights;
pub mod progress_report;
pub mod readiness;
mod report_pdf;
pub mod search;
pub mod strategies;
pub mod tracked;
pub mod trials;

pub use error::AppError;
pub use townhall_store::{
    AuditEntry, AuditRecord, BulkOutcome, CampaignRow, CaseRow, ConsultationRow, FeedbackRow,
    IdeaRow, IntakeRule, OutboundRow, OutboxRecord, RoutingRule, RuleFilters, RuleTable,
    SavedReply, Sort, StatementRow, Store, StoreError, TeamSettings, Thread, TrackedTopic,
    TrialSubject, UserRecord,
};
