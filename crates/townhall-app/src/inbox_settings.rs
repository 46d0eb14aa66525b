//! Setting the inbox up (admins): intake and routing rules, each team's service target and approval
//! rule, saved replies. Also what the inbox reports: its measures and the outbox of recorded replies.

use crate::actor::Actor;
use crate::cases::check_rule_filters;
use crate::AppError;
use serde::Serialize;
use townhall_core::Permission;
use townhall_engage::{inbox_measures, BusinessHours, CaseFact, InboxMeasures};
use townhall_store::{
    IntakeRule, OutboxRecord, RoutingRule, RuleTable, SavedReply, Store, TeamSettings,
};

fn check_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::Invalid("name: 1 to 100 characters".into()));
    }
    Ok(name.to_string())
}

pub fn save_intake_rule(store: &Store, actor: &Actor, rule: &IntakeRule) -> Result<(), AppError> {
    actor.require(Permission::ManageSettings)?;
    let mut rule = rule.clone();
    rule.name = check_name(&rule.name)?;
    if !["question", "mention", "negative_spike"].contains(&rule.trigger.as_str()) {
        return Err(AppError::Invalid(format!(
            "trigger: use question, mention or negative_spike, not {:?}",
            rule.trigger
        )));
    }
    check_rule_filters(store, &rule.filters)?;
    let detail = serde_json::to_string(&rule).unwrap_or_default();
    store.save_intake_rule(
        &rule,
        &actor.audit("inbox.intake_rule.save", &rule.name, &detail),
    )?;
    Ok(())
}

pub fn save_routing_rule(store: &Store, actor: &Actor, rule: &RoutingRule) -> Result<(), AppError> {
    actor.require(Permission::ManageSettings)?;
    let mut rule = rule.clone();
    rule.name = check_name(&rule.name)?;
    rule.team = check_name(&rule.team)
        .map_err(|_| AppError::Invalid("team: 1 to 100 characters".into()))?;
    check_rule_filters(store, &rule.filters)?;
    let detail = serde_json::to_string(&rule).unwrap_or_default();
    store.save_routing_rule(
        &rule,
        &actor.audit("inbox.routing_rule.save", &rule.name, &detail),
    )?;
    Ok(())
}

pub fn remove_rule(
    store: &Store,
    actor: &Actor,
    table: RuleTable,
    name: &str,
) -> Result<(), AppError> {
    actor.require(Permission::ManageSettings)?;
    let action = match table {
        RuleTable::Intake => "inbox.intake_rule.remove",
        RuleTable::Routing => "inbox.routing_rule.remove",
    };
    if store.remove_rule(table, name.trim(), &actor.audit(action, name.trim(), ""))? {
        Ok(())
    } else {
        Err(AppError::Invalid(format!(
            "no rule is called {:?}",
            name.trim()
        )))
    }
}

pub fn save_team_settings(
    store: &Store,
    actor: &Actor,
    settings: &TeamSettings,
) -> Result<(), AppError> {
    actor.require(Permission::ManageSettings)?;
    let mut s = settings.clone();
    s.team =
        check_name(&s.team).map_err(|_| AppError::Invalid("team: 1 to 100 characters".into()))?;
    BusinessHours::parse(&s.timezone, &s.days, &s.day_start, &s.day_end)
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    if s.first_response_minutes == 0 || s.first_response_minutes > 60 * 24 * 30 {
        return Err(AppError::Invalid(
            "first_response_minutes: 1 minute to 30 days".into(),
        ));
    }
    if !(1.0..=20.0).contains(&s.max_reading_grade) {
        return Err(AppError::Invalid("max_reading_grade: 1 to 20".into()));
    }
    let detail = serde_json::to_string(&s).unwrap_or_default();
    store.save_team_settings(&s, &actor.audit("inbox.team.save", &s.team, &detail))?;
    Ok(())
}

pub fn save_saved_reply(store: &Store, actor: &Actor, reply: &SavedReply) -> Result<i64, AppError> {
    actor.require(Permission::ManageSettings)?;
    let mut r = reply.clone();
    r.title = check_name(&r.title)?;
    r.team = r
        .team
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    if r.body.trim().is_empty() || r.body.chars().count() > crate::inbox::MAX_TEXT_CHARS {
        return Err(AppError::Invalid(format!(
            "body: 1 to {} characters",
            crate::inbox::MAX_TEXT_CHARS
        )));
    }
    townhall_engage::template::check_known(&r.body)
        .map_err(|e| AppError::Invalid(format!("body: {e}")))?;
    Ok(store.save_saved_reply(
        &r,
        &actor.audit("inbox.saved_reply.save", &r.title, &r.body),
    )?)
}

/// Everything the inbox settings page shows.
#[derive(Debug, Clone, Serialize)]
pub struct InboxSettings {
    pub intake_rules: Vec<IntakeRule>,
    pub routing_rules: Vec<RoutingRule>,
    pub teams: Vec<TeamSettings>,
    pub saved_replies: Vec<SavedReply>,
}

pub fn settings(store: &Store) -> Result<InboxSettings, AppError> {
    Ok(InboxSettings {
        intake_rules: store.intake_rules()?,
        routing_rules: store.routing_rules()?,
        teams: store.all_team_settings()?,
        saved_replies: store.saved_replies()?,
    })
}

/// Response rate, time to first response, backlog by team and age, answered share per channel and topic,
/// per week, over cases opened in the last `days` days (all cases when `None`).
pub fn measures(store: &Store, days: Option<u32>, now: i64) -> Result<InboxMeasures, AppError> {
    let since = days.map_or(i64::MIN, |d| now - i64::from(d) * 86_400_000);
    let facts: Vec<CaseFact> = store
        .case_facts(since)?
        .into_iter()
        .map(|f| CaseFact {
            opened_ms: f.opened_at,
            first_response_ms: f.first_response_at,
            closed: f.status == "closed",
            team: f.team,
            channel: f.channel,
            topic: f.topic,
        })
        .collect();
    Ok(inbox_measures(&facts, now))
}

/// Recorded replies waiting to be sent by hand (or by connectors, once they exist), after entry `after`.
pub fn outbox(
    store: &Store,
    actor: &Actor,
    after: i64,
    limit: usize,
) -> Result<Vec<OutboxRecord>, AppError> {
    actor.require(Permission::Respond)?;
    Ok(store.outbox(after, limit.min(10_000))?)
}
