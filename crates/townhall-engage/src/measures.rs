//! Inbox measures for managers and public reporting: how many cases were answered, how fast,
//! what is waiting and for how long, by team, channel, topic and week.

use chrono::{DateTime, Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const MS_PER_DAY: i64 = 24 * 60 * 60 * 1_000;

/// How the backlog names cases without a team.
pub const UNASSIGNED_TEAM_LABEL: &str = "Unassigned team";
/// How topic shares name cases without a topic.
pub const NO_TOPIC_LABEL: &str = "No topic";

/// What the measures need to know about one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFact {
    pub opened_ms: i64,
    pub first_response_ms: Option<i64>,
    /// Closed, with or without an answer.
    pub closed: bool,
    pub team: Option<String>,
    pub channel: String,
    pub topic: Option<String>,
}

impl CaseFact {
    fn response_time(&self) -> Option<i64> {
        self.first_response_ms
            .map(|responded| responded.saturating_sub(self.opened_ms).max(0))
    }

    /// Waiting for a first response.
    fn is_open(&self) -> bool {
        self.first_response_ms.is_none() && !self.closed
    }
}

/// The inbox at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxMeasures {
    pub cases: u64,
    pub responded: u64,
    /// `responded / cases`; None without cases.
    pub response_rate: Option<f64>,
    /// Nearest-rank percentiles of the time to first response, over responded cases.
    pub median_first_response_ms: Option<i64>,
    pub p90_first_response_ms: Option<i64>,
    /// Cases waiting for a first response (not responded, not closed), by team name, with
    /// cases without a team last.
    pub backlog: Vec<TeamBacklog>,
    /// Share of cases answered, by channel and by topic, largest first.
    pub by_channel: Vec<Share>,
    pub by_topic: Vec<Share>,
    /// Per ISO week (Monday, UTC) of opening, oldest first, with empty weeks filled in.
    pub weeks: Vec<WeekMeasure>,
}

/// A team's waiting cases by age (now − opened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamBacklog {
    pub team: Option<String>,
    pub under_1_day: u64,
    pub days_1_to_3: u64,
    pub days_3_to_7: u64,
    pub over_7_days: u64,
    pub total: u64,
}

impl TeamBacklog {
    fn new(team: Option<String>) -> Self {
        TeamBacklog {
            team,
            under_1_day: 0,
            days_1_to_3: 0,
            days_3_to_7: 0,
            over_7_days: 0,
            total: 0,
        }
    }

    /// The team's name, or "Unassigned team".
    pub fn label(&self) -> &str {
        self.team.as_deref().unwrap_or(UNASSIGNED_TEAM_LABEL)
    }

    fn count(&mut self, age_ms: i64) {
        let bucket = match age_ms {
            age if age < MS_PER_DAY => &mut self.under_1_day,
            age if age < 3 * MS_PER_DAY => &mut self.days_1_to_3,
            age if age < 7 * MS_PER_DAY => &mut self.days_3_to_7,
            _ => &mut self.over_7_days,
        };
        *bucket += 1;
        self.total += 1;
    }
}

/// How many of a group's cases were answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub name: String,
    pub answered: u64,
    pub total: u64,
    /// `answered / total`.
    pub share: f64,
}

/// The cases opened in one week and how they were answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekMeasure {
    /// The Monday (UTC) that starts the ISO week.
    pub week_start: NaiveDate,
    pub opened: u64,
    pub responded: u64,
    pub response_rate: Option<f64>,
    pub median_first_response_ms: Option<i64>,
    pub p90_first_response_ms: Option<i64>,
}

/// Measures `facts` as seen at `now_ms`.
pub fn inbox_measures(facts: &[CaseFact], now_ms: i64) -> InboxMeasures {
    let times = sorted_response_times(facts.iter());
    InboxMeasures {
        cases: facts.len() as u64,
        responded: times.len() as u64,
        response_rate: rate(times.len(), facts.len()),
        median_first_response_ms: percentile(&times, 50.0),
        p90_first_response_ms: percentile(&times, 90.0),
        backlog: backlog(facts, now_ms),
        by_channel: shares(facts.iter().map(|fact| (fact.channel.clone(), fact))),
        by_topic: shares(facts.iter().map(|fact| {
            let topic = fact
                .topic
                .clone()
                .unwrap_or_else(|| NO_TOPIC_LABEL.to_string());
            (topic, fact)
        })),
        weeks: weeks(facts),
    }
}

/// The nearest-rank `p`th percentile of `sorted` (ascending): the smallest value with at least
/// p% of values at or below it. None when empty or `p` is outside (0, 100].
pub fn percentile(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() || !(p > 0.0 && p <= 100.0) {
        return None;
    }
    let rank = (p * sorted.len() as f64 / 100.0).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

fn rate(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn sorted_response_times<'a>(facts: impl Iterator<Item = &'a CaseFact>) -> Vec<i64> {
    let mut times: Vec<i64> = facts.filter_map(CaseFact::response_time).collect();
    times.sort_unstable();
    times
}

/// A blank team name means no team.
fn team_of(fact: &CaseFact) -> Option<String> {
    fact.team
        .as_deref()
        .map(str::trim)
        .filter(|team| !team.is_empty())
        .map(str::to_string)
}

fn backlog(facts: &[CaseFact], now_ms: i64) -> Vec<TeamBacklog> {
    let mut teams: BTreeMap<String, TeamBacklog> = BTreeMap::new();
    let mut unassigned = TeamBacklog::new(None);
    for fact in facts.iter().filter(|fact| fact.is_open()) {
        let age = now_ms.saturating_sub(fact.opened_ms).max(0);
        match team_of(fact) {
            Some(team) => teams
                .entry(team.clone())
                .or_insert_with(|| TeamBacklog::new(Some(team)))
                .count(age),
            None => unassigned.count(age),
        }
    }
    let mut rows: Vec<TeamBacklog> = teams.into_values().collect();
    if unassigned.total > 0 {
        rows.push(unassigned);
    }
    rows
}

fn shares<'a>(groups: impl Iterator<Item = (String, &'a CaseFact)>) -> Vec<Share> {
    let mut counts: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (name, fact) in groups {
        let (answered, total) = counts.entry(name).or_default();
        *total += 1;
        if fact.first_response_ms.is_some() {
            *answered += 1;
        }
    }
    let mut rows: Vec<Share> = counts
        .into_iter()
        .map(|(name, (answered, total))| Share {
            name,
            answered,
            total,
            share: answered as f64 / total as f64,
        })
        .collect();
    rows.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
    rows
}

/// The Monday (UTC) of the ISO week holding `ms`, or None outside chrono's range.
fn week_start(ms: i64) -> Option<NaiveDate> {
    let date = DateTime::from_timestamp_millis(ms)?.date_naive();
    date.checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday())))
}

fn weeks(facts: &[CaseFact]) -> Vec<WeekMeasure> {
    let mut by_week: BTreeMap<NaiveDate, Vec<&CaseFact>> = BTreeMap::new();
    for fact in facts {
        if let Some(week) = week_start(fact.opened_ms) {
            by_week.entry(week).or_default().push(fact);
        }
    }
    let (Some(first), Some(last)) = (
        by_week.keys().next().copied(),
        by_week.keys().next_back().copied(),
    ) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    let mut week = first;
    while week <= last {
        let opened = by_week.get(&week).map_or(&[][..], Vec::as_slice);
        let times = sorted_response_times(opened.iter().copied());
        rows.push(WeekMeasure {
            week_start: week,
            opened: opened.len() as u64,
            responded: times.len() as u64,
            response_rate: rate(times.len(), opened.len()),
            median_first_response_ms: percentile(&times, 50.0),
            p90_first_response_ms: percentile(&times, 90.0),
        });
        match week.checked_add_days(Days::new(7)) {
            Some(next) => week = next,
            None => break,
        }
    }
    rows
}

#[cfg(test)]
mod tests;
