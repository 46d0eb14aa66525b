//! Which posts a report covers: a time window, channels, and the posts a search query matched.

use crate::corpus::{Corpus, PostIx};
use chrono::{DateTime, Utc};

/// The posts an insight report is computed over. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Inclusive start.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive end.
    pub until: Option<DateTime<Utc>>,
    /// `kind:account` channel names, or a bare kind (`mastodon`) meaning all its accounts.
    pub channels: Vec<String>,
    /// Store ids a query matched, ascending.
    pub ids: Option<Vec<i64>>,
}

impl Scope {
    /// Positions of the corpus posts in scope, ascending.
    pub fn select(&self, corpus: &Corpus) -> Vec<PostIx> {
        let since = self.since.map(|t| t.timestamp_millis());
        let until = self.until.map(|t| t.timestamp_millis());
        let channels: Option<Vec<bool>> = (!self.channels.is_empty()).then(|| {
            let names = corpus.channels();
            (0..names.len() as u32)
                .map(|c| {
                    let name = names.get(c);
                    self.channels.iter().any(|wanted| {
                        name.eq_ignore_ascii_case(wanted)
                            || name
                                .split_once(':')
                                .is_some_and(|(kind, _)| kind.eq_ignore_ascii_case(wanted))
                    })
                })
                .collect()
        });
        let in_scope = |ix: usize| {
            let p = &corpus.posts()[ix];
            since.is_none_or(|s| p.created_ms >= s)
                && until.is_none_or(|u| p.created_ms < u)
                && channels
                    .as_ref()
                    .is_none_or(|c| c.get(p.channel as usize).copied().unwrap_or(false))
        };
        match &self.ids {
            Some(ids) => ids
                .iter()
                .filter_map(|&id| corpus.position(id))
                .filter(|&ix| in_scope(ix as usize))
                .collect(),
            None => (0..corpus.len())
                .filter(|&ix| in_scope(ix))
                .map(|ix| ix as PostIx)
                .collect(),
        }
    }
}
