//! Live results: each consultation's votes kept in memory beside the store, and its analysis redone
//! when something changed. A vote is written to the store first and then added here, so a restart
//! loses nothing (the votes are read back from the store on first use) and results are at most one
//! refresh behind.

use crate::AppError;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use townhall_consult::{analyze, Analysis, Settings, VoteEvent, VoteMatrix, AGREE, DISAGREE};
use townhall_store::Store;

/// How a statement has been voted on (current votes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct StatementCounts {
    pub agree: u64,
    pub disagree: u64,
    /// Everyone who voted on it, passes included.
    pub seen: u64,
}

/// One analysis of a consultation, with what the participant pages need from it.
#[derive(Debug)]
pub struct LiveResult {
    pub analysis: Analysis,
    /// Current votes per statement, over everyone.
    pub counts: HashMap<i64, StatementCounts>,
    /// Pol.is's priority of each statement for choosing what to show next.
    pub priorities: HashMap<i64, f64>,
    /// Current votes by the UTC day each was cast (`YYYY-MM-DD`).
    pub votes_per_day: std::collections::BTreeMap<String, u64>,
    /// When it was computed (ms since the epoch) and how long it took.
    pub computed_at_ms: i64,
    pub compute_ms: f64,
}

#[derive(Default)]
struct EntryState {
    /// Vote events as they arrived (a later event for the same participant and statement wins), in
    /// sealed segments shared with the analysis and the tail still growing: taking a snapshot seals
    /// the tail, so a vote never waits behind a copy of millions of events.
    sealed: Vec<Arc<Vec<VoteEvent>>>,
    tail: Vec<VoteEvent>,
    loaded: bool,
    /// Bumped by every vote, statement and moderation decision.
    generation: u64,
    analysed_generation: Option<u64>,
    result: Option<Arc<LiveResult>>,
}

#[derive(Default)]
struct Entry {
    state: Mutex<EntryState>,
    /// Held while one refresh runs, so two never run for the same consultation at once.
    refreshing: Mutex<()>,
}

#[derive(Default)]
pub(super) struct Live {
    entries: Mutex<HashMap<i64, Arc<Entry>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Pol.is's statement priority (`conversation.clj`): statements few have seen come first, then those
/// that are agreed with, not passed, and that split opinion (far from the centre of the map).
pub fn priority(agree: u64, disagree: u64, seen: u64, extremity: f64) -> f64 {
    let (a, d, s) = (agree as f64, disagree as f64, seen as f64);
    let passes = (s - a - d).max(0.0);
    let importance = (1.0 - (passes + 1.0) / (s + 2.0)) * (extremity + 1.0) * (a + 1.0) / (s + 2.0);
    let novelty = 1.0 + 8.0 * 2f64.powf(-s / 5.0);
    (importance * novelty).powi(2)
}

impl Live {
    fn entry(&self, consultation_id: i64) -> Arc<Entry> {
        lock(&self.entries)
            .entry(consultation_id)
            .or_default()
            .clone()
    }

    /// A vote the store has just recorded.
    pub(super) fn record(&self, consultation_id: i64, event: VoteEvent) {
        let entry = self.entry(consultation_id);
        let mut state = lock(&entry.state);
        state.tail.push(event);
        state.generation += 1;
    }

    /// Something other than a vote changed (a statement, a moderation decision).
    pub(super) fn touch(&self, consultation_id: i64) {
        let entry = self.entry(consultation_id);
        lock(&entry.state).generation += 1;
    }

    /// Forget a consultation's votes (after an import wrote votes behind this process's back).
    pub(super) fn reload(&self, consultation_id: i64) {
        lock(&self.entries).remove(&consultation_id);
    }

    pub(super) fn never_analysed(&self, consultation_id: i64) -> bool {
        lock(&self.entries)
            .get(&consultation_id)
            .is_none_or(|e| lock(&e.state).result.is_none())
    }

    /// The latest result, if any, without computing.
    pub(super) fn latest(&self, consultation_id: i64) -> Option<Arc<LiveResult>> {
        let entry = lock(&self.entries).get(&consultation_id).cloned()?;
        let result = lock(&entry.state).result.clone();
        result
    }

    /// The result, recomputed first when something changed since the last one.
    pub(super) fn current(
        &self,
        store: &Store,
        consultation_id: i64,
    ) -> Result<Option<Arc<LiveResult>>, AppError> {
        self.refresh(store, consultation_id)?;
        Ok(self.latest(consultation_id))
    }

    /// The latest result if it is at most `max_age_ms` old, or if an update is running right now (the
    /// caller need not wait for it); `None` when it should be recomputed.
    pub(super) fn ready(&self, consultation_id: i64, max_age_ms: i64) -> Option<Arc<LiveResult>> {
        let latest = self.latest(consultation_id)?;
        let fresh = chrono::Utc::now().timestamp_millis() - latest.computed_at_ms <= max_age_ms;
        let updating = self.entry(consultation_id).refreshing.try_lock().is_err();
        (fresh || updating).then_some(latest)
    }

    /// Recompute if anything changed; true when it did.
    pub(super) fn refresh(&self, store: &Store, consultation_id: i64) -> Result<bool, AppError> {
        let entry = self.entry(consultation_id);
        let _one_at_a_time = lock(&entry.refreshing);
        let needs_load = !lock(&entry.state).loaded;
        if needs_load {
            // Read outside the state lock so votes keep flowing; events recorded meanwhile are kept
            // (an event both read and recorded counts once: the matrix keeps the latest per cell).
            let stored: Vec<VoteEvent> = store
                .consultation_votes(consultation_id)?
                .into_iter()
                .map(|v| VoteEvent {
                    participant_id: v.participant_id,
                    statement_id: v.statement_id,
                    vote: v.vote,
                    timestamp_ms: v.voted_at,
                })
                .collect();
            let mut state = lock(&entry.state);
            state.sealed.insert(0, Arc::new(stored));
            state.loaded = true;
            state.generation += 1;
        }
        let (segments, generation, previous) = {
            let mut state = lock(&entry.state);
            if state.analysed_generation == Some(state.generation) {
                return Ok(false);
            }
            if !state.tail.is_empty() {
                let tail = std::mem::take(&mut state.tail);
                state.sealed.push(Arc::new(tail));
            }
            (state.sealed.clone(), state.generation, state.result.clone())
        };
        let started = Instant::now();
        let excluded: BTreeSet<i64> = store
            .statements(consultation_id, Some("rejected"))?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let n_events: usize = segments.iter().map(|s| s.len()).sum();
        let matrix = VoteMatrix::from_events(segments.iter().flat_map(|s| s.iter().copied()))
            .map_err(|e| AppError::Invalid(format!("consultation {consultation_id}: {e}")))?
            .with_excluded(excluded);
        let analysis = analyze(
            &matrix,
            &Settings::default(),
            previous.as_ref().map(|p| &p.analysis),
        );
        let (counts, priorities) = statement_stats(&matrix, &analysis);
        let result = Arc::new(LiveResult {
            analysis,
            counts,
            priorities,
            votes_per_day: votes_per_day(&matrix),
            computed_at_ms: chrono::Utc::now().timestamp_millis(),
            compute_ms: started.elapsed().as_secs_f64() * 1e3,
        });
        // Re-votes pile up as events; keep only the current ones once they are a minority (or once
        // there are many small segments), computed here, swapped in under the lock.
        let compacted = (n_events > 2 * matrix.n_votes() + 1_000 || segments.len() > 64)
            .then(|| Arc::new(matrix.latest_events().collect::<Vec<_>>()));
        let mut state = lock(&entry.state);
        state.result = Some(result);
        state.analysed_generation = Some(generation);
        if let Some(compacted) = compacted {
            let unchanged = state.sealed.len() >= segments.len()
                && state
                    .sealed
                    .iter()
                    .zip(&segments)
                    .all(|(a, b)| Arc::ptr_eq(a, b));
            if unchanged {
                state.sealed.splice(..segments.len(), [compacted]);
            }
        }
        Ok(true)
    }
}

/// Current votes by the UTC day they were cast.
fn votes_per_day(matrix: &VoteMatrix) -> std::collections::BTreeMap<String, u64> {
    const DAY_MS: i64 = 86_400_000;
    let mut by_day: std::collections::BTreeMap<i64, u64> = std::collections::BTreeMap::new();
    for event in matrix.latest_events() {
        *by_day
            .entry(event.timestamp_ms.div_euclid(DAY_MS))
            .or_default() += 1;
    }
    by_day
        .into_iter()
        .filter_map(|(day, n)| {
            let date = chrono::DateTime::from_timestamp_millis(day * DAY_MS)?;
            Some((date.format("%Y-%m-%d").to_string(), n))
        })
        .collect()
}

/// Votes per statement over everyone, and each statement's priority. Pol.is counts the votes of the
/// participants in its groups; before there are groups, everyone's count.
fn statement_stats(
    matrix: &VoteMatrix,
    analysis: &Analysis,
) -> (HashMap<i64, StatementCounts>, HashMap<i64, f64>) {
    let statements = matrix.statements();
    let mut all = vec![StatementCounts::default(); statements.len()];
    let mut grouped = vec![StatementCounts::default(); statements.len()];
    let in_groups: BTreeSet<i64> = analysis.group_of.keys().copied().collect();
    for (row, &participant) in matrix.participants().iter().enumerate() {
        let counted = in_groups.contains(&participant);
        for (col, vote) in matrix.row(row) {
            for (counts, include) in [(&mut all[col], true), (&mut grouped[col], counted)] {
                if include {
                    counts.seen += 1;
                    counts.agree += u64::from(vote == AGREE);
                    counts.disagree += u64::from(vote == DISAGREE);
                }
            }
        }
    }
    let extremity: HashMap<i64, f64> = analysis
        .pca
        .statement_projections
        .iter()
        .map(|p| (p.statement_id, p.extremity))
        .collect();
    let source = if in_groups.is_empty() { &all } else { &grouped };
    let priorities = statements
        .iter()
        .zip(source)
        .map(|(&id, c)| {
            let e = extremity.get(&id).copied().unwrap_or(0.0);
            (id, priority(c.agree, c.disagree, c.seen, e))
        })
        .collect();
    let counts = statements.iter().copied().zip(all).collect();
    (counts, priorities)
}

#[cfg(test)]
mod tests {
    use super::priority;

    #[test]
    fn new_statements_come_first_as_in_polis() {
        // Unseen: ((1 - 1/2) · 1 · 1/2 · 9)² = 2.25² = 5.0625.
        assert!((priority(0, 0, 0, 0.0) - 5.0625).abs() < 1e-12);
        // Fifteen votes, all agree, central: the novelty factor has fallen to 1 + 8/8 = 2.
        let seen = priority(15, 0, 15, 0.0);
        let expected = ((1.0 - 1.0 / 17.0) * (16.0 / 17.0) * 2.0f64).powi(2);
        assert!((seen - expected).abs() < 1e-12);
        // Passed by everyone: low. Divisive (far out on the map): higher than central.
        assert!(priority(0, 0, 15, 0.0) < priority(8, 7, 15, 0.0));
        assert!(priority(8, 7, 15, 1.0) > priority(8, 7, 15, 0.0));
    }
}
