//! Who comes back: weekly new and returning participants per community, and cohort retention tables.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::CommunityError;

/// A node was active (posted, replied, …) in a week. Week indices are the caller's (e.g. weeks since a start
/// date); repeated events of a node in a week count once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    pub node: u32,
    pub week: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionOptions {
    /// Longest return delay tracked, in weeks (cohort rows hold offsets `1..=max_offset`).
    pub max_offset: u32,
}

impl Default for RetentionOptions {
    fn default() -> Self {
        Self { max_offset: 12 }
    }
}

/// One community's participants in one week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WeekActivity {
    pub week: u32,
    /// Distinct participants active this week (`new + returning`).
    pub active: u32,
    /// Active this week for the first time.
    pub new: u32,
    /// Active this week and in some earlier week.
    pub returning: u32,
}

/// The participants whose first week was `week`, and how many of them came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cohort {
    pub week: u32,
    pub size: u32,
    /// `returned[k - 1]`: cohort members active in week `week + k`. Only offsets that the data can show are
    /// present (up to the last week of any activity, and at most `max_offset`).
    pub returned: Vec<u32>,
}

impl Cohort {
    /// Share of the cohort active again `offset` weeks after its first week (`offset ≥ 1`), if observable.
    pub fn share(&self, offset: u32) -> Option<f64> {
        let index = usize::try_from(offset.checked_sub(1)?).ok()?;
        let returned = *self.returned.get(index)?;
        Some(f64::from(returned) / f64::from(self.size))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommunityRetention {
    pub community: u32,
    /// Weeks with at least one active member, in order (weeks absent here had nobody active).
    pub weeks: Vec<WeekActivity>,
    /// Cohorts by first week, in order (weeks in which nobody was new have none).
    pub cohorts: Vec<Cohort>,
}

/// Retention per community, for every community with activity, by increasing community id.
///
/// A node's first week is its first week of activity overall; it belongs to the community `community_of` gives it.
/// To keep small communities out of the tables, remap them (e.g. to one "other" id) before calling.
pub fn cohort_retention(
    community_of: &[u32],
    activity: &[Activity],
    options: &RetentionOptions,
) -> Result<Vec<CommunityRetention>, CommunityError> {
    let node_count = community_of.len();
    let mut keys: Vec<u64> = Vec::with_capacity(activity.len());
    for a in activity {
        if a.node as usize >= node_count {
            return Err(CommunityError::NodeOutOfRange {
                node: a.node,
                node_count,
            });
        }
        keys.push((u64::from(a.node) << 32) | u64::from(a.week));
    }
    keys.sort_unstable();
    keys.dedup();
    let Some(last_week) = activity.iter().map(|a| a.week).max() else {
        return Ok(Vec::new());
    };

    // (community, week) → (new, returning); (community, first week) → returns per offset.
    let mut weekly: FxHashMap<(u32, u32), (u32, u32)> = FxHashMap::default();
    let mut returns: FxHashMap<(u32, u32), Vec<u32>> = FxHashMap::default();
    let mut start = 0;
    while start < keys.len() {
        let node = (keys[start] >> 32) as u32;
        let community = community_of[node as usize];
        let first = keys[start] as u32;
        let mut end = start;
        while end < keys.len() && (keys[end] >> 32) as u32 == node {
            let week = keys[end] as u32;
            let counts = weekly.entry((community, week)).or_insert((0, 0));
            if week == first {
                counts.0 += 1;
            } else {
                counts.1 += 1;
                let offset = week - first;
                if offset <= options.max_offset {
                    let horizon = options.max_offset.min(last_week - first) as usize;
                    let row = returns
                        .entry((community, first))
                        .or_insert_with(|| vec![0; horizon]);
                    row[offset as usize - 1] += 1;
                }
            }
            end += 1;
        }
        start = end;
    }

    let mut by_week: Vec<((u32, u32), (u32, u32))> = weekly.into_iter().collect();
    by_week.sort_unstable_by_key(|&(key, _)| key);
    let mut result: Vec<CommunityRetention> = Vec::new();
    for ((community, week), (new, returning)) in by_week {
        if result.last().map(|r| r.community) != Some(community) {
            result.push(CommunityRetention {
                community,
                weeks: Vec::new(),
                cohorts: Vec::new(),
            });
        }
        let Some(entry) = result.last_mut() else {
            continue;
        };
        entry.weeks.push(WeekActivity {
            week,
            active: new + returning,
            new,
            returning,
        });
        if new > 0 {
            let horizon = options.max_offset.min(last_week - week) as usize;
            entry.cohorts.push(Cohort {
                week,
                size: new,
                returned: returns
                    .remove(&(community, week))
                    .unwrap_or_else(|| vec![0; horizon]),
            });
        }
    }
    Ok(result)
}
