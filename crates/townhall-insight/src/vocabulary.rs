//! Words that set groups of posts apart: the vocabulary gap between the public and the agency, and
//! the phrases that drive negative or positive sentiment.

use crate::corpus::{Corpus, PostIx};
use crate::stats::log_odds_z;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// A term that one side uses and the other does not (or much less).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GapTerm {
    pub term: String,
    /// Posts on this side using the term.
    pub posts: u64,
    /// Distinct authors on this side using it (a gap one person makes is not a gap).
    pub authors: u64,
    /// Posts on the other side using it (0 for "never").
    pub other_side_posts: u64,
    pub drill: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VocabularyGap {
    /// Terms the public uses that the agency's own posts never use, most widely used first.
    pub public_only: Vec<GapTerm>,
    /// Terms the agency uses that the public never uses.
    pub agency_only: Vec<GapTerm>,
}

/// A term's document counts on each side.
#[derive(Default, Clone, Copy)]
struct SideCounts {
    posts: u64,
    other: u64,
}

/// Post frequency of each term over some posts (each term once per post).
fn post_frequencies(corpus: &Corpus, posts: impl Iterator<Item = PostIx>) -> FxHashMap<u32, u64> {
    let mut counts: FxHashMap<u32, u64> = FxHashMap::default();
    let mut seen = FxHashSet::default();
    for ix in posts {
        seen.clear();
        for &t in corpus.post_terms(ix) {
            if seen.insert(t) {
                *counts.entry(t).or_default() += 1;
            }
        }
    }
    counts
}

/// Distinct authors per term over some posts.
fn author_frequencies(corpus: &Corpus, posts: &[PostIx]) -> FxHashMap<u32, u64> {
    let mut pairs: FxHashSet<(u32, u32)> = FxHashSet::default();
    for &ix in posts {
        let author = corpus.post(ix).author.unwrap_or(u32::MAX - ix);
        for &t in corpus.post_terms(ix) {
            pairs.insert((t, author));
        }
    }
    let mut counts: FxHashMap<u32, u64> = FxHashMap::default();
    for (t, _) in pairs {
        *counts.entry(t).or_default() += 1;
    }
    counts
}

/// What each side says anywhere in a scope: post frequency of every term in own and in public posts.
/// Computed once per report and shared by every topic's gap.
pub struct ScopeVocabulary {
    own: FxHashMap<u32, u64>,
    public: FxHashMap<u32, u64>,
}

impl ScopeVocabulary {
    pub fn of(corpus: &Corpus, scope: &[PostIx]) -> ScopeVocabulary {
        let (own, public) = rayon::join(
            || {
                post_frequencies(
                    corpus,
                    scope.iter().copied().filter(|&ix| corpus.post(ix).own),
                )
            },
            || {
                post_frequencies(
                    corpus,
                    scope.iter().copied().filter(|&ix| !corpus.post(ix).own),
                )
            },
        );
        ScopeVocabulary { own, public }
    }
}

/// The vocabulary gap within `topic_posts` (say, one topic's posts), judged against everything each
/// side says in `scope`: a public term counts only if no own post in scope uses it, and the reverse.
/// A term needs `min_authors` distinct authors on its side.
pub fn vocabulary_gap(
    corpus: &Corpus,
    scope_vocabulary: &ScopeVocabulary,
    topic_posts: &[PostIx],
    min_authors: u64,
    top: usize,
) -> VocabularyGap {
    let own_all = &scope_vocabulary.own;
    let public_all = &scope_vocabulary.public;
    let (own_topic, public_topic): (Vec<PostIx>, Vec<PostIx>) =
        topic_posts.iter().partition(|&&ix| corpus.post(ix).own);
    let side = |posts: &[PostIx], other_all: &FxHashMap<u32, u64>, min_authors: u64| {
        let freq = post_frequencies(corpus, posts.iter().copied());
        let authors = author_frequencies(corpus, posts);
        let mut rows: Vec<(u32, u64, SideCounts)> = freq
            .into_iter()
            .filter_map(|(t, n)| {
                let other = other_all.get(&t).copied().unwrap_or(0);
                let a = authors.get(&t).copied().unwrap_or(0);
                (other == 0 && a >= min_authors).then_some((t, a, SideCounts { posts: n, other }))
            })
            .collect();
        rows.sort_by(|x, y| {
            y.1.cmp(&x.1)
                .then(y.2.posts.cmp(&x.2.posts))
                .then(corpus.terms().get(x.0).cmp(corpus.terms().get(y.0)))
        });
        rows.into_iter()
            .take(top)
            .map(|(t, a, c)| {
                let term = corpus.terms().get(t).to_string();
                GapTerm {
                    drill: phrase_query(&term),
                    term,
                    posts: c.posts,
                    authors: a,
                    other_side_posts: c.other,
                }
            })
            .collect()
    };
    VocabularyGap {
        public_only: side(&public_topic, own_all, min_authors),
        // The agency is a handful of accounts: one account using a term is enough.
        agency_only: side(&own_topic, public_all, 1),
    }
}

/// A phrase associated with negative (or positive) posts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Driver {
    pub term: String,
    /// Posts on this side using it, and on the other.
    pub posts: u64,
    pub other_side_posts: u64,
    /// Log-odds z-score (higher: more typical of this side).
    pub z: f64,
    pub drill: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Drivers {
    pub negative: Vec<Driver>,
    pub positive: Vec<Driver>,
}

/// VADER's usual cut-offs for a negative / positive text.
pub const NEGATIVE_BELOW: f32 = -0.05;
pub const POSITIVE_ABOVE: f32 = 0.05;

/// Phrases most associated with negative and with positive posts among `posts` (log-odds with an
/// informative Dirichlet prior; a term needs `min_posts` posts on its side).
pub fn sentiment_drivers(corpus: &Corpus, posts: &[PostIx], min_posts: u64, top: usize) -> Drivers {
    let negative: Vec<PostIx> = posts
        .iter()
        .copied()
        .filter(|&ix| corpus.post(ix).compound <= NEGATIVE_BELOW)
        .collect();
    let positive: Vec<PostIx> = posts
        .iter()
        .copied()
        .filter(|&ix| corpus.post(ix).compound >= POSITIVE_ABOVE)
        .collect();
    let neg = post_frequencies(corpus, negative.iter().copied());
    let pos = post_frequencies(corpus, positive.iter().copied());
    let neg_total: u64 = neg.values().sum();
    let pos_total: u64 = pos.values().sum();
    let rank = |mine: &FxHashMap<u32, u64>,
                mine_total: u64,
                theirs: &FxHashMap<u32, u64>,
                theirs_total: u64,
                sentiment: &str| {
        let mut rows: Vec<Driver> = mine
            .iter()
            .filter(|(_, &n)| n >= min_posts)
            .map(|(&t, &n)| {
                let other = theirs.get(&t).copied().unwrap_or(0);
                let z = log_odds_z(
                    n as f64,
                    mine_total as f64,
                    other as f64,
                    theirs_total as f64,
                    (n + other) as f64,
                    (mine_total + theirs_total) as f64,
                );
                let term = corpus.terms().get(t).to_string();
                Driver {
                    drill: format!("{} {sentiment}", phrase_query(&term)),
                    term,
                    posts: n,
                    other_side_posts: other,
                    z,
                }
            })
            .filter(|d| d.z > 0.0)
            .collect();
        rows.sort_by(|a, b| b.z.total_cmp(&a.z).then(a.term.cmp(&b.term)));
        rows.truncate(top);
        rows
    };
    Drivers {
        negative: rank(&neg, neg_total, &pos, pos_total, "sentiment:<-0.05"),
        positive: rank(&pos, pos_total, &neg, neg_total, "sentiment:>0.05"),
    }
}

/// The query that finds a term: a hashtag, a word or a quoted phrase.
pub fn phrase_query(term: &str) -> String {
    let clean: String = term.chars().filter(|&c| c != '"').collect();
    if let Some(tag) = clean.strip_prefix('#') {
        format!("#{tag}")
    } else if clean.contains(char::is_whitespace) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}
