//! Learning in a safe place: saved replies and outbound messages run with employees first. Employees
//! read them and say whether they are clear; the thing tried goes to the public only when enough of
//! them found it clear and the draft checker finds nothing that must be fixed first. A saved reply on
//! trial is never offered on a public case; an outbound message is marked sent only after it was
//! cleared for the public.

use crate::actor::Actor;
use crate::drafts::{check_draft, DraftRequest, MAX_DRAFT_CHARS};
use crate::inbox::clip;
use crate::insights::Insights;
use crate::AppError;
use serde::{Deserialize, Serialize};
use townhall_core::Permission;
use townhall_store::{
    FeedbackRow, NewFeedback, NewOutbound, OutboundRow, SavedReply, Store, StoreError, TrialSubject,
};
use townhall_strategy::draft::{DraftReport, Image};
use townhall_strategy::trial::{judge, TrialCheck, TrialRules};

pub const MAX_COMMENT_CHARS: usize = 1_000;
pub const MAX_TITLE_CHARS: usize = 200;
/// Images one message may carry.
const MAX_IMAGES: usize = 4;

/// An outbound message as drafted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OutboundInput {
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub images: Vec<Image>,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub strategy: Option<String>,
}

/// One thing on trial (or past it), with what employees said and whether it may go to the public.
#[derive(Debug, Clone, Serialize)]
pub struct TrialView {
    pub subject: TrialSubject,
    pub id: i64,
    pub title: String,
    pub body: String,
    /// `employees`, `public` or (outbound messages) `sent`.
    pub audience: String,
    pub channel: Option<String>,
    pub strategy: Option<String>,
    /// A saved reply's team.
    pub team: Option<String>,
    pub images: Vec<Image>,
    pub feedback: Vec<FeedbackRow>,
    pub check: TrialCheck,
    /// The draft checker's report (outbound messages).
    pub report: Option<DraftReport>,
}

/// A line of the trials list.
#[derive(Debug, Clone, Serialize)]
pub struct TrialLine {
    pub subject: TrialSubject,
    pub id: i64,
    pub title: String,
    pub audience: String,
    pub strategy: Option<String>,
    pub reviews: usize,
    pub clear: usize,
}

fn text(s: Option<&str>, max: usize) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| clip(s, max))
}

/// Draft an outbound message; it starts with employees.
pub fn create_outbound(
    store: &Store,
    actor: &Actor,
    input: &OutboundInput,
) -> Result<i64, AppError> {
    actor.require(Permission::Respond)?;
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Err(AppError::Invalid(format!(
            "title: 1 to {MAX_TITLE_CHARS} characters"
        )));
    }
    let chars = input.body.chars().count();
    if input.body.trim().is_empty() || chars > MAX_DRAFT_CHARS {
        return Err(AppError::Invalid(format!(
            "body: 1 to {MAX_DRAFT_CHARS} characters"
        )));
    }
    if input.images.len() > MAX_IMAGES {
        return Err(AppError::Invalid(format!("images: at most {MAX_IMAGES}")));
    }
    let images: Vec<Image> = input
        .images
        .iter()
        .map(|i| Image {
            name: clip(i.name.trim(), 200),
            alt: i
                .alt
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| clip(a, 1_000)),
        })
        .collect();
    let images_json =
        serde_json::to_string(&images).map_err(|e| AppError::Invalid(format!("images: {e}")))?;
    let channel = text(input.channel.as_deref(), 200);
    let strategy = text(input.strategy.as_deref(), 100);
    Ok(store.create_outbound(
        &NewOutbound {
            title,
            body: input.body.trim(),
            images_json: &images_json,
            channel: channel.as_deref(),
            strategy: strategy.as_deref(),
            created_by: &actor.name,
        },
        &actor.audit("outbound.create", title, ""),
    )?)
}

fn saved_reply(store: &Store, id: i64) -> Result<SavedReply, AppError> {
    store
        .saved_replies()?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| StoreError::NotFound(format!("saved reply {id}")).into())
}

fn outbound(store: &Store, id: i64) -> Result<OutboundRow, AppError> {
    store
        .outbound(id)?
        .ok_or_else(|| StoreError::NotFound(format!("outbound message {id}")).into())
}

fn tally(feedback: &[FeedbackRow]) -> (usize, usize) {
    let clear = feedback.iter().filter(|f| f.verdict == "clear").count();
    (clear, feedback.len() - clear)
}

/// What the draft checker says must be fixed before a post goes out: personal data and images
/// without alt text (grade and wording are advice, not blockers).
fn must_fix(report: &DraftReport) -> Vec<String> {
    let mut out = Vec::new();
    if !report.personal_data.is_empty() {
        out.push(format!(
            "personal data ({})",
            report.personal_data.join(", ")
        ));
    }
    if !report.missing_alt.is_empty() {
        out.push(format!(
            "alt text missing for {}",
            report.missing_alt.join(", ")
        ));
    }
    out
}

pub fn view(
    store: &Store,
    insights: &Insights,
    subject: TrialSubject,
    id: i64,
) -> Result<TrialView, AppError> {
    let feedback = store.trial_feedback(subject, id)?;
    let (clear, unclear) = tally(&feedback);
    let rules = TrialRules::default();
    match subject {
        TrialSubject::SavedReply => {
            let r = saved_reply(store, id)?;
            Ok(TrialView {
                subject,
                id,
                title: r.title,
                body: r.body,
                audience: r.audience,
                channel: None,
                strategy: None,
                team: r.team,
                images: Vec::new(),
                check: judge(&rules, clear, unclear, &[]),
                feedback,
                report: None,
            })
        }
        TrialSubject::Outbound => {
            let m = outbound(store, id)?;
            let images: Vec<Image> = serde_json::from_str(&m.images_json)
                .map_err(|e| AppError::Invalid(format!("images: {e}")))?;
            let report = check_draft(
                store,
                insights,
                &DraftRequest {
                    text: m.body.clone(),
                    images: images.clone(),
                    ..DraftRequest::default()
                },
            )?;
            Ok(TrialView {
                subject,
                id,
                title: m.title,
                body: m.body,
                audience: m.audience,
                channel: m.channel,
                strategy: m.strategy,
                team: None,
                images,
                check: judge(&rules, clear, unclear, &must_fix(&report)),
                feedback,
                report: Some(report),
            })
        }
    }
}

/// Everything on trial or past it: outbound messages, and saved replies still with employees.
pub fn list(store: &Store) -> Result<Vec<TrialLine>, AppError> {
    let mut lines = Vec::new();
    let outbound_tallies = store.trial_tallies(TrialSubject::Outbound)?;
    let reply_tallies = store.trial_tallies(TrialSubject::SavedReply)?;
    for m in store.outbound_messages()? {
        let (clear, unclear) = outbound_tallies.get(&m.id).copied().unwrap_or_default();
        lines.push(TrialLine {
            subject: TrialSubject::Outbound,
            id: m.id,
            title: m.title,
            audience: m.audience,
            strategy: m.strategy,
            reviews: clear + unclear,
            clear,
        });
    }
    for r in store.saved_replies()? {
        if r.audience != "employees" {
            continue;
        }
        let (clear, unclear) = reply_tallies.get(&r.id).copied().unwrap_or_default();
        lines.push(TrialLine {
            subject: TrialSubject::SavedReply,
            id: r.id,
            title: r.title,
            audience: r.audience,
            strategy: None,
            reviews: clear + unclear,
            clear,
        });
    }
    Ok(lines)
}

fn audience_of(store: &Store, subject: TrialSubject, id: i64) -> Result<String, AppError> {
    Ok(match subject {
        TrialSubject::SavedReply => saved_reply(store, id)?.audience,
        TrialSubject::Outbound => outbound(store, id)?.audience,
    })
}

/// An employee's verdict while the thing is with employees; a second verdict replaces the first.
pub fn give_feedback(
    store: &Store,
    actor: &Actor,
    subject: TrialSubject,
    id: i64,
    verdict: &str,
    comment: &str,
) -> Result<(), AppError> {
    actor.require(Permission::Read)?;
    let user_id = actor
        .id
        .ok_or_else(|| AppError::Invalid("feedback: sign in as an employee to review".into()))?;
    if !matches!(verdict, "clear" | "unclear") {
        return Err(AppError::Invalid("verdict: clear or unclear".into()));
    }
    if audience_of(store, subject, id)? != "employees" {
        return Err(AppError::NotOpen(
            "this is no longer on trial with employees".into(),
        ));
    }
    let comment = clip(comment.trim(), MAX_COMMENT_CHARS);
    store.give_trial_feedback(
        &NewFeedback {
            subject,
            subject_id: id,
            user_id,
            author: &actor.display_name,
            verdict,
            comment: &comment,
        },
        &actor.audit("trial.feedback", subject.as_str(), verdict),
    )?;
    Ok(())
}

/// Clear it for the public: only when the trial says it is ready (else the reasons, as the error).
pub fn release(
    store: &Store,
    insights: &Insights,
    actor: &Actor,
    subject: TrialSubject,
    id: i64,
) -> Result<TrialView, AppError> {
    actor.require(match subject {
        TrialSubject::SavedReply => Permission::ManageSettings,
        TrialSubject::Outbound => Permission::Moderate,
    })?;
    let v = view(store, insights, subject, id)?;
    if v.audience != "employees" {
        return Err(AppError::Invalid(format!(
            "audience: it is already {}",
            v.audience
        )));
    }
    if !v.check.ready {
        return Err(AppError::Invalid(format!(
            "not ready for the public: {}",
            v.check.waiting().join("; ")
        )));
    }
    let moved = store.move_audience(
        subject,
        id,
        "employees",
        "public",
        &actor.audit("trial.release", subject.as_str(), &v.title),
    )?;
    if !moved {
        return Err(AppError::Invalid(
            "audience: someone else moved it meanwhile".into(),
        ));
    }
    view(store, insights, subject, id)
}

/// Record that a cleared outbound message went out.
pub fn mark_sent(store: &Store, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.require(Permission::Respond)?;
    let m = outbound(store, id)?;
    if m.audience != "public" {
        return Err(AppError::Invalid(format!(
            "audience: only a message cleared for the public can be sent (this one is {})",
            m.audience
        )));
    }
    store.move_audience(
        TrialSubject::Outbound,
        id,
        "public",
        "sent",
        &actor.audit("outbound.sent", &m.title, ""),
    )?;
    Ok(())
}
