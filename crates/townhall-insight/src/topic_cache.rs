//! Topic models kept between reports: one per recently asked scope, refitted when the scope has grown
//! a lot, and otherwise only extended to the posts that arrived since (incremental).

use crate::corpus::{Corpus, PostIx};
use crate::topics::{discover, TopicConfig, TopicModel};

/// Scopes whose models are kept.
const CACHED_SCOPES: usize = 4;
/// Refit when the scope has grown by more than this share since the model was fitted.
const REFIT_GROWTH: f64 = 0.25;
/// Marks a post the model has not placed yet.
const UNPLACED: u32 = u32::MAX;
/// Marks a post that fits no topic.
const NO_TOPIC: u32 = u32::MAX - 1;

struct Entry {
    key: String,
    model: TopicModel,
    /// The scope fitted on: the model's document indices point into it.
    fitted: Vec<PostIx>,
    /// Topic of each corpus position (dense; [`UNPLACED`] / [`NO_TOPIC`] otherwise).
    topic_of: Vec<u32>,
    last_used: u64,
}

/// Recently fitted topic models by scope.
#[derive(Default)]
pub struct TopicCache {
    entries: Vec<Entry>,
    clock: u64,
}

/// A scope's topics: the model and each scope post's topic (aligned with the scope).
pub struct ScopeTopics<'a> {
    pub model: &'a TopicModel,
    pub topic_of: Vec<Option<usize>>,
    /// The posts the model was fitted on (its representatives' indices point into this).
    pub fitted: &'a [PostIx],
    /// Whether this call fitted the model (rather than reusing one).
    pub refitted: bool,
}

impl TopicCache {
    /// Topics of `scope` (positions in `corpus`), fitting a model or reusing and extending the cached one.
    pub fn topics_for<'a>(
        &'a mut self,
        key: &str,
        corpus: &Corpus,
        scope: &[PostIx],
        config: &TopicConfig,
    ) -> ScopeTopics<'a> {
        self.clock += 1;
        let clock = self.clock;
        let position = self.entries.iter().position(|e| e.key == key);
        let stale = position.is_none_or(|i| {
            let fitted = self.entries[i].fitted.len() as f64;
            let now = scope.len() as f64;
            now > fitted * (1.0 + REFIT_GROWTH) || now < fitted * (1.0 - REFIT_GROWTH)
        });
        let index = if stale {
            let texts: Vec<&str> = scope.iter().map(|&ix| corpus.text(ix)).collect();
            let model = discover(&texts, config);
            let mut topic_of = vec![UNPLACED; corpus.len()];
            for (&ix, doc) in scope.iter().zip(&model.documents) {
                topic_of[ix as usize] = doc.map_or(NO_TOPIC, |d| d.topic as u32);
            }
            let entry = Entry {
                key: key.to_string(),
                model,
                fitted: scope.to_vec(),
                topic_of,
                last_used: clock,
            };
            match position {
                Some(i) => {
                    self.entries[i] = entry;
                    i
                }
                None => {
                    if self.entries.len() >= CACHED_SCOPES {
                        let oldest = self
                            .entries
                            .iter()
                            .enumerate()
                            .min_by_key(|(_, e)| e.last_used)
                            .map_or(0, |(i, _)| i);
                        self.entries.swap_remove(oldest);
                    }
                    self.entries.push(entry);
                    self.entries.len() - 1
                }
            }
        } else {
            position.unwrap_or(0)
        };
        let entry = &mut self.entries[index];
        entry.last_used = clock;
        if entry.topic_of.len() < corpus.len() {
            entry.topic_of.resize(corpus.len(), UNPLACED);
        }
        // Posts that arrived since the fit: assign them with the fitted model.
        let unplaced: Vec<PostIx> = scope
            .iter()
            .copied()
            .filter(|&ix| entry.topic_of[ix as usize] == UNPLACED)
            .collect();
        if !unplaced.is_empty() {
            let texts: Vec<&str> = unplaced.iter().map(|&ix| corpus.text(ix)).collect();
            for (&ix, doc) in unplaced.iter().zip(entry.model.assign_all(&texts)) {
                entry.topic_of[ix as usize] = doc.map_or(NO_TOPIC, |d| d.topic as u32);
            }
        }
        let topic_of = scope
            .iter()
            .map(|&ix| match entry.topic_of[ix as usize] {
                UNPLACED | NO_TOPIC => None,
                t => Some(t as usize),
            })
            .collect();
        ScopeTopics {
            model: &entry.model,
            topic_of,
            fitted: &entry.fitted,
            refitted: stale,
        }
    }
}
