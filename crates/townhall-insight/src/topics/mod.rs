//! Topic discovery over a window of posts: what people talk about, as coherent themes with short labels.
//!
//! Pipeline ([`discover`]): tokenize (words, `#hashtags`; links, mentions, numbers, emoji and English/Spanish
//! stop words dropped), join frequent collocations into phrase terms ("health care"), keep terms by document
//! frequency, weight by TF-IDF, factorise with NMF (NNDSVD start, coordinate descent) the posts that have at least
//! three distinct terms (each distinct post once), then give every post the topic that explains most of it
//! (non-negative projection, [`TopicModel::assign`]). Deterministic for the same input, on any number of threads.
//! Large windows are fitted on an evenly spaced sample and every post is then assigned, which is cheap.

mod coherence;
mod fit;
mod label;
mod lexicon;
mod matrix;
mod model;
mod nmf;
mod svd;
mod tokenize;

pub use coherence::{npmi_coherence, CoOccurrence, COHERENCE_TOP_TERMS, NPMI_EPSILON};
pub use model::{discover, DocTopic, Topic, TopicModel, TopicTrend};
pub use tokenize::{is_stop_word, tokenize, Token, TokenKind};

/// How many topics to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicCount {
    /// Exactly this many (fewer only when the posts cannot support them).
    Fixed(usize),
    /// The count in `min..=max` whose topics are most coherent (mean NPMI), tried on a sample of the posts.
    Auto { min: usize, max: usize },
}

/// Settings of [`discover`]; [`TopicConfig::default`] suits a window of social posts.
#[derive(Debug, Clone)]
pub struct TopicConfig {
    pub topics: TopicCount,
    /// A term must occur in at least this many posts (of those fitted on).
    pub min_df: usize,
    /// …and in at most this share of them (more common terms say nothing about any one topic).
    pub max_df_ratio: f64,
    /// Keep at most this many terms, the most frequent.
    pub max_terms: usize,
    /// A word pair becomes a phrase term when it occurs at least this often…
    pub phrase_min_count: u32,
    /// …and its normalised PMI (over adjacent positions) is at least this.
    pub phrase_min_npmi: f64,
    /// Only posts with at least this many distinct terms shape the topics (all posts are assigned).
    pub min_fit_terms: usize,
    /// Fit on at most this many posts (evenly spaced over the window); all posts are assigned afterwards.
    pub max_fit_docs: usize,
    /// NMF iterations at most, and the error decrease (relative to the part of ‖X‖² explained) below which it
    /// stops.
    pub max_iter: usize,
    pub tol: f64,
    /// A post belongs to its best topic only when that topic explains at least this share of its TF-IDF
    /// vector's squared length; otherwise it has no topic.
    pub min_weight: f64,
    /// Terms listed per topic.
    pub top_terms: usize,
    /// Representative posts listed per topic.
    pub representatives: usize,
    /// Seed of the randomized SVD behind the NMF start (results are deterministic for a given seed).
    pub seed: u64,
}

impl Default for TopicConfig {
    fn default() -> Self {
        TopicConfig {
            topics: TopicCount::Fixed(10),
            min_df: 3,
            max_df_ratio: 0.3,
            max_terms: 20_000,
            phrase_min_count: 5,
            phrase_min_npmi: 0.4,
            min_fit_terms: 3,
            max_fit_docs: 100_000,
            max_iter: 200,
            tol: 1e-5,
            min_weight: 0.02,
            top_terms: 10,
            representatives: 5,
            seed: 0x7093_1c5a,
        }
    }
}
#[cfg(test)]
mod tests;
