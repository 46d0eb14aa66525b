//! Range and flag filters (`since:`, `until:`, `sentiment:`, and `own:` / `question:` beside other clauses) applied to the candidates of the rest of a query, one fast-field
//! look-up per candidate. Tantivy's own range query scans the column in windows of at least 128 documents at every
//! seek, which dominated searches that combine words with a range (41 % of a loaded server's time); when other
//! clauses already narrow the candidates, checking each candidate is far cheaper.

use crate::column_cache::ColumnCache;
use std::ops::Bound;
use std::sync::Arc;
use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// A numeric range on one fast field.
#[derive(Debug, Clone)]
pub(crate) enum ColumnRange {
    I64 {
        field: &'static str,
        lower: Bound<i64>,
        upper: Bound<i64>,
    },
    F64 {
        field: &'static str,
        lower: Bound<f64>,
        upper: Bound<f64>,
    },
    /// A flag stored as 0 or 1.
    U64Equals { field: &'static str, value: u64 },
}

fn within<T: PartialOrd>(value: T, lower: &Bound<T>, upper: &Bound<T>) -> bool {
    let above = match lower {
        Bound::Included(l) => value >= *l,
        Bound::Excluded(l) => value > *l,
        Bound::Unbounded => true,
    };
    let below = match upper {
        Bound::Included(u) => value <= *u,
        Bound::Excluded(u) => value < *u,
        Bound::Unbounded => true,
    };
    above && below
}

/// The documents of `inner` whose fast fields fall in every one of `ranges`.
pub(crate) struct ColumnFilterQuery {
    pub(crate) inner: Box<dyn Query>,
    pub(crate) ranges: Vec<ColumnRange>,
    pub(crate) columns: Arc<ColumnCache>,
}

impl std::fmt::Debug for ColumnFilterQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ColumnFilterQuery")
            .field("inner", &self.inner)
            .field("ranges", &self.ranges)
            .finish()
    }
}

impl Clone for ColumnFilterQuery {
    fn clone(&self) -> Self {
        ColumnFilterQuery {
            inner: self.inner.box_clone(),
            ranges: self.ranges.clone(),
            columns: self.columns.clone(),
        }
    }
}

impl Query for ColumnFilterQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ColumnFilterWeight {
            inner: self.inner.weight(enable_scoring)?,
            ranges: self.ranges.clone(),
            columns: self.columns.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct ColumnFilterWeight {
    inner: Box<dyn Weight>,
    ranges: Vec<ColumnRange>,
    columns: Arc<ColumnCache>,
}

/// A range with its column opened for one segment.
enum OpenRange {
    I64(Column<i64>, Bound<i64>, Bound<i64>),
    F64(Column<f64>, Bound<f64>, Bound<f64>),
    U64(Column<u64>, u64),
}

impl OpenRange {
    fn accepts(&self, doc: DocId) -> bool {
        match self {
            OpenRange::I64(column, lower, upper) => {
                column.first(doc).is_some_and(|v| within(v, lower, upper))
            }
            OpenRange::F64(column, lower, upper) => {
                column.first(doc).is_some_and(|v| within(v, lower, upper))
            }
            OpenRange::U64(column, value) => column.first(doc) == Some(*value),
        }
    }
}

impl Weight for ColumnFilterWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        let columns = &self.columns;
        let ranges = self
            .ranges
            .iter()
            .map(|range| {
                Ok(match range {
                    ColumnRange::I64 {
                        field,
                        lower,
                        upper,
                    } => OpenRange::I64(columns.i64(reader, field)?, *lower, *upper),
                    ColumnRange::F64 {
                        field,
                        lower,
                        upper,
                    } => OpenRange::F64(columns.f64(reader, field)?, *lower, *upper),
                    ColumnRange::U64Equals { field, value } => {
                        OpenRange::U64(columns.u64(reader, field)?, *value)
                    }
                })
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut scorer = ColumnFilterScorer { inner, ranges };
        // A scorer starts on its first document.
        let first = scorer.inner.doc();
        if first != TERMINATED && !scorer.accepts(first) {
            scorer.advance();
        }
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let explanation = self.inner.explain(reader, doc)?;
        let scorer = self.scorer(reader, 1.0)?;
        let mut scorer = scorer;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is outside the range filters"
            )));
        }
        Ok(explanation)
    }
}

struct ColumnFilterScorer {
    inner: Box<dyn Scorer>,
    ranges: Vec<OpenRange>,
}

impl ColumnFilterScorer {
    fn accepts(&self, doc: DocId) -> bool {
        self.ranges.iter().all(|range| range.accepts(doc))
    }

    /// From the inner scorer's current document on, the first one that passes.
    fn settle(&mut self, mut doc: DocId) -> DocId {
        while doc != TERMINATED && !self.accepts(doc) {
            doc = self.inner.advance();
        }
        doc
    }
}

impl DocSet for ColumnFilterScorer {
    fn advance(&mut self) -> DocId {
        let doc = self.inner.advance();
        self.settle(doc)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.inner.seek(target);
        self.settle(doc)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for ColumnFilterScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_inclusive_or_exclusive_as_asked() {
        assert!(within(1.0, &Bound::Included(1.0), &Bound::Unbounded));
        assert!(!within(1.0, &Bound::Excluded(1.0), &Bound::Unbounded));
        assert!(within(5, &Bound::Unbounded, &Bound::Included(5)));
        assert!(!within(5, &Bound::Unbounded, &Bound::Excluded(5)));
        assert!(within(0.0, &Bound::Excluded(-0.5), &Bound::Excluded(0.5)));
    }
}
