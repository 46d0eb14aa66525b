//! Fast-field columns opened once per segment and kept: opening a column decodes its block index (thousands of
//! blocks for a million posts), which cost more than the search itself when done for every hit of every request.
//! Segments are immutable, so a column stays right for as long as its segment lives; columns of segments that
//! merges have replaced are dropped when the cache outgrows the live segments.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::SegmentReader;

#[derive(Clone)]
enum Cached {
    I64(Column<i64>),
    F64(Column<f64>),
    U64(Column<u64>),
}

#[derive(Default)]
pub(crate) struct ColumnCache {
    columns: Mutex<HashMap<(SegmentId, &'static str), Cached>>,
}

impl ColumnCache {
    fn get_or_open(
        &self,
        segment: &SegmentReader,
        field: &'static str,
        open: impl FnOnce() -> tantivy::Result<Cached>,
    ) -> tantivy::Result<Cached> {
        let key = (segment.segment_id(), field);
        if let Some(found) = self.columns.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(found);
        }
        let opened = open()?;
        if let Ok(mut columns) = self.columns.lock() {
            columns.insert(key, opened.clone());
        }
        Ok(opened)
    }

    pub(crate) fn i64(
        &self,
        segment: &SegmentReader,
        field: &'static str,
    ) -> tantivy::Result<Column<i64>> {
        match self.get_or_open(segment, field, || {
            Ok(Cached::I64(segment.fast_fields().i64(field)?))
        })? {
            Cached::I64(column) => Ok(column),
            _ => Err(wrong_type(field)),
        }
    }

    pub(crate) fn f64(
        &self,
        segment: &SegmentReader,
        field: &'static str,
    ) -> tantivy::Result<Column<f64>> {
        match self.get_or_open(segment, field, || {
            Ok(Cached::F64(segment.fast_fields().f64(field)?))
        })? {
            Cached::F64(column) => Ok(column),
            _ => Err(wrong_type(field)),
        }
    }

    pub(crate) fn u64(
        &self,
        segment: &SegmentReader,
        field: &'static str,
    ) -> tantivy::Result<Column<u64>> {
        match self.get_or_open(segment, field, || {
            Ok(Cached::U64(segment.fast_fields().u64(field)?))
        })? {
            Cached::U64(column) => Ok(column),
            _ => Err(wrong_type(field)),
        }
    }

    /// Forget the columns of segments that are gone, once the cache holds many more than are live.
    pub(crate) fn prune(&self, live: &[SegmentId]) {
        let Ok(mut columns) = self.columns.lock() else {
            return;
        };
        if columns.len() <= 8 * live.len().max(1) {
            return;
        }
        let live: HashSet<&SegmentId> = live.iter().collect();
        columns.retain(|(segment, _), _| live.contains(segment));
    }
}

fn wrong_type(field: &str) -> tantivy::TantivyError {
    tantivy::TantivyError::SchemaError(format!("fast field {field} was cached with another type"))
}
