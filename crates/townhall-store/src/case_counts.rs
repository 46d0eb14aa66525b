//! Queue counts kept for a moment. Counting 100,000 open cases costs milliseconds on every queue page; the
//! count changes only when cases change. A count is reused until this process changes a case (the generation
//! moves on) or, for changes made by another process (a command-line bulk action), for at most [`MAX_AGE`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a count may stand for changes made by another process.
pub(crate) const MAX_AGE: Duration = Duration::from_secs(2);
/// Counts kept at most (filters differ by person and page filters).
const MAX_ENTRIES: usize = 512;

#[derive(Default)]
pub(crate) struct CaseCounts {
    generation: AtomicU64,
    counts: Mutex<HashMap<String, (u64, Instant, u64)>>,
}

impl CaseCounts {
    /// Every change to cases made through this store.
    pub(crate) fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub(crate) fn get(&self, key: &str) -> Option<u64> {
        let counts = self.counts.lock().ok()?;
        let &(generation, at, total) = counts.get(key)?;
        (generation == self.generation() && at.elapsed() < MAX_AGE).then_some(total)
    }

    /// Keep `total`, counted when the generation was `generation` (a change made meanwhile makes it stale).
    pub(crate) fn put(&self, key: String, generation: u64, total: u64) {
        if let Ok(mut counts) = self.counts.lock() {
            if counts.len() >= MAX_ENTRIES {
                counts.clear();
            }
            counts.insert(key, (generation, Instant::now(), total));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_stands_until_cases_change() {
        let counts = CaseCounts::default();
        let generation = counts.generation();
        counts.put("open".into(), generation, 7);
        assert_eq!(counts.get("open"), Some(7));
        assert_eq!(counts.get("closed"), None);
        counts.changed();
        assert_eq!(counts.get("open"), None);
        // Counted before a change that landed meanwhile: never reused.
        counts.put("open".into(), generation, 7);
        assert_eq!(counts.get("open"), None);
    }
}
