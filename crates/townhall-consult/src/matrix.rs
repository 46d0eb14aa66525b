//! The vote matrix: participants × statements, sparse, latest vote per cell.
//!
//! Rows are ordered by participant id and columns by statement id. Pol.is orders rows by first
//! appearance, and participant ids are handed out in that order, so sorting by id gives the same
//! order without depending on how the events were batched. Row order matters: k-means starts from
//! the first distinct points in row order.

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::MatrixError;

/// Agree, in the export encoding used throughout this crate (Pol.is's database uses -1).
pub const AGREE: i8 = 1;
/// Disagree, in the export encoding.
pub const DISAGREE: i8 = -1;
/// Pass: seen and voted on, neither agree nor disagree.
pub const PASS: i8 = 0;

/// One vote as it was cast. Re-votes are further events on the same cell; the latest wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VoteEvent {
    /// Who voted (Pol.is `pid`, the export's `voter-id`).
    pub participant_id: i64,
    /// On what (Pol.is `tid`, the export's `comment-id`).
    pub statement_id: i64,
    /// [`AGREE`] (+1), [`DISAGREE`] (-1) or [`PASS`] (0).
    pub vote: i8,
    /// When, in milliseconds since the Unix epoch; decides which of several votes on a cell wins.
    pub timestamp_ms: i64,
}

/// The distinct ids of a field, ascending, and each id's position among them. Ids are usually
/// small dense integers (Pol.is `pid`/`tid`, database keys): then a table indexed by the id
/// itself gives the positions in one pass; otherwise a sort and binary searches.
struct IdIndex {
    ids: Vec<i64>,
    /// Smallest id and, for dense ids, the position of `min + k` at `table[k]`.
    min: i64,
    table: Option<Vec<u32>>,
}

/// Largest id range for the table (4 bytes per possible id).
const DENSE_RANGE_MAX: u64 = 1 << 24;

impl IdIndex {
    fn new(events: &[VoteEvent], field: impl Fn(&VoteEvent) -> i64 + Sync) -> Self {
        let (min, max) = events
            .par_iter()
            .map(|e| (field(e), field(e)))
            .reduce(|| (i64::MAX, i64::MIN), |a, b| (a.0.min(b.0), a.1.max(b.1)));
        let range = (max as i128 - min as i128 + 1).max(0) as u64;
        if !events.is_empty() && range <= DENSE_RANGE_MAX.min(4 * events.len() as u64 + 1024) {
            let mut table = vec![u32::MAX; range as usize];
            for e in events {
                table[(field(e) - min) as usize] = 0;
            }
            let mut ids = Vec::new();
            for (k, slot) in table.iter_mut().enumerate() {
                if *slot == 0 {
                    *slot = ids.len() as u32;
                    ids.push(min + k as i64);
                }
            }
            return Self {
                ids,
                min,
                table: Some(table),
            };
        }
        let mut ids: Vec<i64> = events.iter().map(&field).collect();
        ids.par_sort_unstable();
        ids.dedup();
        Self {
            ids,
            min,
            table: None,
        }
    }

    /// Position of an id that occurs in the events.
    fn index(&self, id: i64) -> u32 {
        match &self.table {
            Some(table) => table[(id - self.min) as usize],
            // Every id was collected, so the search always succeeds.
            None => self.ids.binary_search(&id).unwrap_or(0) as u32,
        }
    }
}

impl From<(i64, i64, i8, i64)> for VoteEvent {
    fn from((participant_id, statement_id, vote, timestamp_ms): (i64, i64, i8, i64)) -> Self {
        Self {
            participant_id,
            statement_id,
            vote,
            timestamp_ms,
        }
    }
}

/// Sparse participants × statements matrix of the latest votes (compressed rows).
///
/// Columns are the statements that received at least one vote, as in Pol.is's rating matrix.
/// Excluded statements (moderated out, meta) stay columns but are zeroed out of the math.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VoteMatrix {
    participants: Vec<i64>,
    statements: Vec<i64>,
    row_start: Vec<usize>,
    cols: Vec<u32>,
    votes: Vec<i8>,
    timestamps: Vec<i64>,
    excluded: BTreeSet<i64>,
    excluded_col: Vec<bool>,
}

impl VoteMatrix {
    /// Builds the matrix from vote events in any order; for each (participant, statement) the
    /// event with the latest timestamp wins (on equal timestamps, the later event in the input).
    ///
    /// # Errors
    /// [`MatrixError::InvalidVote`] names the first event whose vote is not -1, 0 or 1.
    pub fn from_events<I>(events: I) -> Result<Self, MatrixError>
    where
        I: IntoIterator,
        I::Item: Into<VoteEvent>,
    {
        let iter = events.into_iter();
        let mut all: Vec<VoteEvent> = Vec::with_capacity(iter.size_hint().0);
        for (index, event) in iter.enumerate() {
            let event: VoteEvent = event.into();
            if !(-1..=1).contains(&event.vote) {
                return Err(MatrixError::InvalidVote {
                    index,
                    participant_id: event.participant_id,
                    statement_id: event.statement_id,
                    vote: event.vote,
                });
            }
            all.push(event);
        }
        Ok(Self::from_valid_events(&all))
    }

    /// Builds the compressed rows: ids sorted, events bucketed by row (a counting sort that keeps
    /// input order), then each row sorted by (statement, time, input order) and the last event of
    /// each statement kept.
    fn from_valid_events(events: &[VoteEvent]) -> Self {
        let rows = IdIndex::new(events, |e| e.participant_id);
        let columns = IdIndex::new(events, |e| e.statement_id);
        let cells: Vec<(u32, u32)> = events
            .par_iter()
            .map(|e| (rows.index(e.participant_id), columns.index(e.statement_id)))
            .collect();
        let (participants, statements) = (rows.ids, columns.ids);
        let mut bucket_start = vec![0usize; participants.len() + 1];
        for &(row, _) in &cells {
            bucket_start[row as usize + 1] += 1;
        }
        for r in 0..participants.len() {
            bucket_start[r + 1] += bucket_start[r];
        }
        let mut order = vec![0u32; events.len()];
        let mut next = bucket_start.clone();
        for (i, &(row, _)) in cells.iter().enumerate() {
            order[next[row as usize]] = i as u32;
            next[row as usize] += 1;
        }
        let mut buckets: Vec<&mut [u32]> = Vec::with_capacity(participants.len());
        let mut rest = order.as_mut_slice();
        for r in 0..participants.len() {
            let (head, tail) = rest.split_at_mut(bucket_start[r + 1] - bucket_start[r]);
            buckets.push(head);
            rest = tail;
        }
        buckets.par_iter_mut().for_each(|bucket| {
            bucket.sort_unstable_by_key(|&i| {
                (cells[i as usize].1, events[i as usize].timestamp_ms, i)
            });
        });

        let mut row_start = Vec::with_capacity(participants.len() + 1);
        let mut cols = Vec::with_capacity(events.len());
        let mut votes = Vec::with_capacity(events.len());
        let mut timestamps = Vec::with_capacity(events.len());
        for bucket in buckets {
            row_start.push(cols.len());
            let row_begin = cols.len();
            for &i in bucket.iter() {
                let (col, e) = (cells[i as usize].1, &events[i as usize]);
                // Sorted by time within a statement: a later event replaces the earlier one.
                if cols.len() > row_begin && cols.last() == Some(&col) {
                    let last = cols.len() - 1;
                    votes[last] = e.vote;
                    timestamps[last] = e.timestamp_ms;
                } else {
                    cols.push(col);
                    votes.push(e.vote);
                    timestamps.push(e.timestamp_ms);
                }
            }
        }
        row_start.push(cols.len());
        let excluded_col = vec![false; statements.len()];
        Self {
            participants,
            statements,
            row_start,
            cols,
            votes,
            timestamps,
            excluded: BTreeSet::new(),
            excluded_col,
        }
    }

    /// Zeroes these statements out of the math (Pol.is: `moderated = -1` or `is_meta`); replaces
    /// any earlier exclusion. Ids without votes are remembered and take effect once voted on.
    #[must_use]
    pub fn with_excluded<I: IntoIterator<Item = i64>>(mut self, statement_ids: I) -> Self {
        self.set_excluded(statement_ids);
        self
    }

    /// In-place form of [`VoteMatrix::with_excluded`].
    pub fn set_excluded<I: IntoIterator<Item = i64>>(&mut self, statement_ids: I) {
        self.excluded = statement_ids.into_iter().collect();
        self.excluded_col = self
            .statements
            .iter()
            .map(|s| self.excluded.contains(s))
            .collect();
    }

    /// A new matrix with further events applied (latest timestamp still wins), keeping exclusions.
    ///
    /// # Errors
    /// As [`VoteMatrix::from_events`].
    pub fn with_events<I>(&self, events: I) -> Result<Self, MatrixError>
    where
        I: IntoIterator,
        I::Item: Into<VoteEvent>,
    {
        let all = self
            .latest_events()
            .chain(events.into_iter().map(Into::into));
        let matrix = Self::from_events(all)?;
        Ok(matrix.with_excluded(self.excluded.iter().copied()))
    }

    /// Participant ids, one per row, ascending.
    pub fn participants(&self) -> &[i64] {
        &self.participants
    }

    /// Statement ids, one per column, ascending.
    pub fn statements(&self) -> &[i64] {
        &self.statements
    }

    /// Statement ids zeroed out of the math.
    pub fn excluded(&self) -> &BTreeSet<i64> {
        &self.excluded
    }

    /// Whether column `col` is zeroed out of the math.
    pub fn is_excluded_col(&self, col: usize) -> bool {
        self.excluded_col.get(col).copied().unwrap_or(false)
    }

    /// Number of rows.
    pub fn n_participants(&self) -> usize {
        self.participants.len()
    }

    /// Number of columns.
    pub fn n_statements(&self) -> usize {
        self.statements.len()
    }

    /// Number of non-empty cells (latest votes).
    pub fn n_votes(&self) -> usize {
        self.votes.len()
    }

    /// Row index of a participant.
    pub fn participant_index(&self, participant_id: i64) -> Option<usize> {
        self.participants.binary_search(&participant_id).ok()
    }

    /// Column index of a statement.
    pub fn statement_index(&self, statement_id: i64) -> Option<usize> {
        self.statements.binary_search(&statement_id).ok()
    }

    /// The latest vote of a participant on a statement, if any.
    pub fn vote(&self, participant_id: i64, statement_id: i64) -> Option<i8> {
        let row = self.participant_index(participant_id)?;
        let col = self.statement_index(statement_id)? as u32;
        let (cols, votes) = self.row_slices(row);
        cols.binary_search(&col).ok().map(|k| votes[k])
    }

    /// The votes of row `row` as (column, vote), columns ascending.
    pub fn row(&self, row: usize) -> impl Iterator<Item = (usize, i8)> + '_ {
        let (cols, votes) = self.row_slices(row);
        cols.iter().zip(votes).map(|(&c, &v)| (c as usize, v))
    }

    pub(crate) fn row_slices(&self, row: usize) -> (&[u32], &[i8]) {
        let (a, b) = (self.row_start[row], self.row_start[row + 1]);
        (&self.cols[a..b], &self.votes[a..b])
    }

    /// Where row `row` starts in the compressed storage.
    pub(crate) fn row_offset(&self, row: usize) -> usize {
        self.row_start[row]
    }

    /// Number of votes cast by row `row` (passes and excluded statements included).
    pub fn row_len(&self, row: usize) -> usize {
        self.row_start[row + 1] - self.row_start[row]
    }

    /// The winning event of every non-empty cell, by participant then statement.
    pub fn latest_events(&self) -> impl Iterator<Item = VoteEvent> + '_ {
        (0..self.participants.len()).flat_map(move |row| {
            let (a, b) = (self.row_start[row], self.row_start[row + 1]);
            (a..b).map(move |k| VoteEvent {
                participant_id: self.participants[row],
                statement_id: self.statements[self.cols[k] as usize],
                vote: self.votes[k],
                timestamp_ms: self.timestamps[k],
            })
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn latest_vote_wins_whatever_the_input_order() {
        let m = VoteMatrix::from_events([
            (2, 10, 1, 300),
            (1, 10, -1, 100),
            (1, 10, 1, 50),
            (1, 11, 0, 70),
            (2, 10, -1, 200),
        ])
        .unwrap();
        assert_eq!(m.participants(), &[1, 2]);
        assert_eq!(m.statements(), &[10, 11]);
        assert_eq!(m.vote(1, 10), Some(-1));
        assert_eq!(m.vote(2, 10), Some(1));
        assert_eq!(m.vote(2, 11), None);
        assert_eq!(m.n_votes(), 3);
    }

    #[test]
    fn equal_timestamps_keep_the_later_event() {
        let m = VoteMatrix::from_events([(1, 1, 1, 5), (1, 1, -1, 5)]).unwrap();
        assert_eq!(m.vote(1, 1), Some(-1));
    }

    #[test]
    fn invalid_vote_is_named() {
        let err = VoteMatrix::from_events([(1, 1, 1, 5), (7, 3, 2, 5)]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "vote event 1: vote 2 by participant 7 on statement 3 is not -1, 0 or 1"
        );
    }

    #[test]
    fn with_events_applies_re_votes_and_keeps_exclusions() {
        let m = VoteMatrix::from_events([(1, 1, 1, 5), (1, 2, 1, 5)])
            .unwrap()
            .with_excluded([2]);
        let m2 = m.with_events([(1, 1, -1, 9), (3, 2, 0, 9)]).unwrap();
        assert_eq!(m2.vote(1, 1), Some(-1));
        assert_eq!(m2.vote(3, 2), Some(0));
        assert!(m2.is_excluded_col(1));
        assert!(!m2.is_excluded_col(0));
    }
}
