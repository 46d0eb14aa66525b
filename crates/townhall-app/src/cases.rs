//! The inbox's intake: which of the public's posts become cases, and which team gets them.
//!
//! A post is addressed to the agency when it answers one of the agency's own posts or mentions one of
//! its accounts. Intake rules, in order, decide what opens a case: an addressed question, any mention, or
//! a negative post on a day when negative posts to the agency spike; each rule can be narrowed by query,
//! language, channel, tracked topic and sentiment. Routing rules then pick the team. A person's follow-ups
//! in the same conversation, and the same text posted again, join the open case instead of opening
//! another. People can also flag any post into a case.

use crate::actor::Actor;
use crate::AppError;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use townhall_core::query::parse;
use townhall_core::Permission;
use townhall_store::{
    CaseCandidate, CaseFiling, FilingCounts, IntakeRule, RoutingRule, RuleFilters, Store,
};

/// A post at or below this sentiment counts as negative (VADER's usual threshold).
pub const NEGATIVE_BELOW: f64 = -0.05;

/// Posts examined per store round trip.
const SCAN_PAGE: usize = 5_000;

/// What a scan for new cases did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CaseScan {
    /// Public questions examined.
    pub questions: u64,
    /// Posts an intake rule took in (each opened a case or joined one).
    pub addressed: u64,
    /// Of those, per reason: `question`, `mention`, `negative_spike`.
    pub by_reason: std::collections::BTreeMap<String, u64>,
    #[serde(flatten)]
    pub filed: FilingCounts,
}

/// The text of a question reduced to what makes it the same question: lower case, letters and digits, no
/// mentions or links.
pub fn text_key(text: &str) -> String {
    let mut normal = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if word.starts_with('@') || word.contains("://") {
            continue;
        }
        let cleaned: String = word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if !cleaned.is_empty() {
            if !normal.is_empty() {
                normal.push(' ');
            }
            normal.push_str(&cleaned);
        }
    }
    Sha256::digest(normal.as_bytes())
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Channel, conversation and author of a candidate: its follow-ups share it.
fn thread_key(candidate: &CaseCandidate) -> String {
    let conversation = candidate
        .thread_root
        .as_deref()
        .or(candidate.reply_to.as_deref())
        .map_or_else(|| format!("post {}", candidate.post_id), str::to_string);
    let author = candidate
        .author_id
        .map_or_else(|| format!("post {}", candidate.post_id), |a| a.to_string());
    format!("{}|{conversation}|{author}", candidate.channel_id)
}

/// Why a candidate is addressed to the agency, if it is: `question` when it answers the agency's post,
/// `mention` when it names one of its accounts.
fn addressed(candidate: &CaseCandidate, own_handles: &HashSet<String>) -> Option<&'static str> {
    if candidate.replies_to_own {
        return Some("question");
    }
    candidate
        .mentions
        .iter()
        .any(|m| own_handles.contains(&m.trim_start_matches('@').to_lowercase()))
        .then_some("mention")
}

/// Post ids matching each query and tracked topic the rules name, found once per scan.
#[derive(Default)]
struct RuleMatches {
    by_query: HashMap<String, HashSet<i64>>,
    by_topic: HashMap<String, HashSet<i64>>,
    /// Tracked topics in order, for the case's topic.
    topic_order: Vec<String>,
}

impl RuleMatches {
    fn load(
        store: &Store,
        filters: &[&RuleFilters],
        track_topics: bool,
    ) -> Result<RuleMatches, AppError> {
        let mut matches = RuleMatches::default();
        let tracked = store.tracked_topics()?;
        for topic in &tracked {
            let needed = track_topics
                || filters
                    .iter()
                    .any(|f| f.topic.as_deref() == Some(&topic.name));
            if needed {
                let query = parse(&topic.query).map_err(|e| AppError::query(&topic.query, e))?;
                let ids = store.matching_ids(&query)?.into_iter().collect();
                matches.by_topic.insert(topic.name.clone(), ids);
                matches.topic_order.push(topic.name.clone());
            }
        }
        for f in filters {
            let text = f.query.trim();
            if !text.is_empty() && !matches.by_query.contains_key(text) {
                let query = parse(text).map_err(|e| AppError::query(text, e))?;
                let ids = store.matching_ids(&query)?.into_iter().collect();
                matches.by_query.insert(text.to_string(), ids);
            }
        }
        Ok(matches)
    }

    fn topic_of(&self, post_id: i64) -> Option<String> {
        self.topic_order
            .iter()
            .find(|t| {
                self.by_topic
                    .get(*t)
                    .is_some_and(|ids| ids.contains(&post_id))
            })
            .cloned()
    }
}

/// Whether every filter that is set matches the post.
fn filters_match(f: &RuleFilters, c: &CaseCandidate, matches: &RuleMatches) -> bool {
    if let Some(language) = f.language.as_deref().filter(|l| !l.is_empty()) {
        if !c
            .language
            .as_deref()
            .is_some_and(|l| l.eq_ignore_ascii_case(language))
        {
            return false;
        }
    }
    if let Some(channel) = f.channel.as_deref().filter(|l| !l.is_empty()) {
        let ours = c.channel.to_lowercase();
        let wanted = channel.to_lowercase();
        if ours != wanted && !ours.starts_with(&format!("{wanted}:")) {
            return false;
        }
    }
    if let Some(max) = f.max_sentiment {
        if c.sentiment > max {
            return false;
        }
    }
    if let Some(topic) = f.topic.as_deref().filter(|t| !t.is_empty()) {
        if !matches
            .by_topic
            .get(topic)
            .is_some_and(|ids| ids.contains(&c.post_id))
        {
            return false;
        }
    }
    let query = f.query.trim();
    if !query.is_empty()
        && !matches
            .by_query
            .get(query)
            .is_some_and(|ids| ids.contains(&c.post_id))
    {
        return false;
    }
    true
}

/// Everything a scan decides with: the agency's handles, the rules and what they match.
struct Intake {
    own: HashSet<String>,
    rules: Vec<IntakeRule>,
    routes: Vec<RoutingRule>,
    matches: RuleMatches,
    /// UTC day numbers on which negative posts to the agency spiked.
    spike_days: HashSet<i64>,
}

impl Intake {
    fn load(store: &Store) -> Result<Intake, AppError> {
        let own: HashSet<String> = store.own_handles()?.into_iter().collect();
        let rules: Vec<IntakeRule> = store
            .intake_rules()?
            .into_iter()
            .filter(|r| r.enabled)
            .collect();
        let routes = store.routing_rules()?;
        let filters: Vec<&RuleFilters> = rules
            .iter()
            .map(|r| &r.filters)
            .chain(routes.iter().map(|r| &r.filters))
            .collect();
        let matches = RuleMatches::load(store, &filters, true)?;
        let spike_days = if rules.iter().any(|r| r.trigger == "negative_spike") {
            negative_spike_days(store, &own)?
        } else {
            HashSet::new()
        };
        Ok(Intake {
            own,
            rules,
            routes,
            matches,
            spike_days,
        })
    }

    /// The rule that opens a case for this post, and the reason it gives.
    fn decide(&self, c: &CaseCandidate) -> Option<(&IntakeRule, &'static str)> {
        let addressed = addressed(c, &self.own);
        self.rules.iter().find_map(|rule| {
            let reason = match rule.trigger.as_str() {
                "question" if c.is_question => addressed,
                "mention" => {
                    let mentions_own = c
                        .mentions
                        .iter()
                        .any(|m| self.own.contains(&m.trim_start_matches('@').to_lowercase()));
                    mentions_own.then_some("mention")
                }
                "negative_spike" => (addressed.is_some()
                    && c.sentiment <= NEGATIVE_BELOW
                    && self
                        .spike_days
                        .contains(&c.created_at.div_euclid(86_400_000)))
                .then_some("negative_spike"),
                _ => None,
            }?;
            filters_match(&rule.filters, c, &self.matches).then_some((rule, reason))
        })
    }

    fn route(&self, c: &CaseCandidate) -> Option<String> {
        self.routes
            .iter()
            .find(|r| filters_match(&r.filters, c, &self.matches))
            .map(|r| r.team.clone())
    }

    fn filing(&self, c: &CaseCandidate, reason: &'static str, rule: Option<String>) -> CaseFiling {
        CaseFiling {
            post_id: c.post_id,
            created_at: c.created_at,
            reason,
            rule,
            thread_key: thread_key(c),
            text_key: text_key(&c.text),
            team: self.route(c),
            channel: c.channel.clone(),
            language: c.language.clone(),
            topic: self.matches.topic_of(c.post_id),
            sentiment: c.sentiment,
            author: c.author.clone(),
        }
    }
}

/// Days on which the share of negative posts addressed to the agency spiked.
fn negative_spike_days(store: &Store, own: &HashSet<String>) -> Result<HashSet<i64>, AppError> {
    let handles: Vec<String> = own.iter().cloned().collect();
    let counts = store.addressed_daily_counts(&handles, NEGATIVE_BELOW)?;
    let (Some(first), Some(last)) = (counts.first(), counts.last()) else {
        return Ok(HashSet::new());
    };
    let days = (last.0 - first.0 + 1) as usize;
    let mut totals = vec![0u64; days];
    let mut negatives = vec![0u64; days];
    for &(day, total, negative) in &counts {
        let i = (day - first.0) as usize;
        totals[i] = total;
        negatives[i] = negative;
    }
    Ok(
        townhall_insight::spikes::negative_spikes(&totals, &negatives)
            .into_iter()
            .map(|s| first.0 + s.day as i64)
            .collect(),
    )
}

/// Open cases for the posts stored since the last scan, by the intake rules.
pub fn open_cases(store: &Store) -> Result<CaseScan, AppError> {
    let mut scan = CaseScan::default();
    let mut after = store.cases_watermark()?;
    // The rules and what they match are loaded only when there is something new to scan: the server runs
    // this every few seconds.
    let mut intake: Option<Intake> = None;
    loop {
        let page = store.case_candidates(after, SCAN_PAGE)?;
        let Some(last) = page.last().map(|c| c.post_id) else {
            break;
        };
        let intake = match &mut intake {
            Some(loaded) => &*loaded,
            None => &*intake.insert(Intake::load(store)?),
        };
        scan.questions += page.iter().filter(|c| c.is_question).count() as u64;
        let filings: Vec<CaseFiling> = page
            .iter()
            .filter_map(|c| {
                intake
                    .decide(c)
                    .map(|(rule, reason)| intake.filing(c, reason, Some(rule.name.clone())))
            })
            .collect();
        scan.addressed += filings.len() as u64;
        for f in &filings {
            *scan.by_reason.entry(f.reason.to_string()).or_default() += 1;
        }
        let filed = store.file_cases(&filings, last)?;
        scan.filed.opened += filed.opened;
        scan.filed.joined += filed.joined;
        scan.filed.already_filed += filed.already_filed;
        after = last;
    }
    Ok(scan)
}

/// A person flags a post into the inbox: it joins the open case of its conversation or text, or opens one
/// (routed by the routing rules). Returns the case.
pub fn flag_post(store: &Store, actor: &Actor, post_id: i64, why: &str) -> Result<i64, AppError> {
    actor.require(Permission::Respond)?;
    let candidate = store
        .case_candidate(post_id)
        .map_err(AppError::from)?
        .ok_or_else(|| AppError::Invalid(format!("there is no post {post_id}")))?;
    let intake = Intake::load(store)?;
    let filing = intake.filing(&candidate, "flagged", None);
    let why = crate::inbox::clip(why.trim(), 500);
    let target = format!("post {post_id}");
    let (case_id, _) = store.flag_post(&filing, &actor.audit("case.flagged", &target, &why))?;
    Ok(case_id)
}

/// Check an intake rule before it is saved: a known trigger, a query that parses, a tracked topic that
/// exists, a sentiment within −1..1.
pub fn check_rule_filters(store: &Store, f: &RuleFilters) -> Result<(), AppError> {
    let query = f.query.trim();
    if !query.is_empty() {
        parse(query).map_err(|e| AppError::query(query, e))?;
    }
    if let Some(topic) = f.topic.as_deref().filter(|t| !t.is_empty()) {
        if !store.tracked_topics()?.iter().any(|t| t.name == topic) {
            return Err(AppError::Invalid(format!(
                "topic: no tracked topic is called {topic:?}"
            )));
        }
    }
    if let Some(s) = f.max_sentiment {
        if !(-1.0..=1.0).contains(&s) {
            return Err(AppError::Invalid(format!(
                "max_sentiment: {s} is outside −1 to 1"
            )));
        }
    }
    if let Some(l) = f.language.as_deref().filter(|l| !l.is_empty()) {
        if l.len() != 2 || !l.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(AppError::Invalid(format!(
                "language: use a two-letter code such as es, not {l:?}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_question_has_the_same_text_key() {
        assert_eq!(
            text_key("When is the office open?"),
            text_key("@agency when is the OFFICE open ?? https://t.co/x")
        );
        assert_ne!(
            text_key("When is the office open?"),
            text_key("When is the office closed?")
        );
    }
}
