//! What makes them tick: sentiment over time and per group of posts.

use crate::corpus::{day_to_date, Corpus, PostIx};
use crate::vocabulary::{NEGATIVE_BELOW, POSITIVE_ABOVE};
use serde::Serialize;
use std::collections::BTreeMap;

/// Sentiment of a set of posts (VADER compound scores).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SentimentSummary {
    pub posts: u64,
    pub mean_compound: f64,
    pub negative: u64,
    pub neutral: u64,
    pub positive: u64,
    pub negative_share: f64,
    pub positive_share: f64,
}

impl SentimentSummary {
    pub fn of(corpus: &Corpus, posts: impl IntoIterator<Item = PostIx>) -> SentimentSummary {
        let mut s = SentimentSummary::default();
        let mut sum = 0.0;
        for ix in posts {
            let c = corpus.post(ix).compound;
            s.posts += 1;
            sum += f64::from(c);
            if c <= NEGATIVE_BELOW {
                s.negative += 1;
            } else if c >= POSITIVE_ABOVE {
                s.positive += 1;
            } else {
                s.neutral += 1;
            }
        }
        if s.posts > 0 {
            let n = s.posts as f64;
            s.mean_compound = sum / n;
            s.negative_share = s.negative as f64 / n;
            s.positive_share = s.positive as f64 / n;
        }
        s
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DaySentiment {
    pub date: String,
    #[serde(flatten)]
    pub summary: SentimentSummary,
}

/// Sentiment per day (only days with posts), oldest first.
pub fn by_day(corpus: &Corpus, posts: &[PostIx]) -> Vec<DaySentiment> {
    let mut days: BTreeMap<i64, Vec<PostIx>> = BTreeMap::new();
    for &ix in posts {
        days.entry(corpus.day_of(ix)).or_default().push(ix);
    }
    days.into_iter()
        .map(|(day, ixs)| DaySentiment {
            date: day_to_date(day),
            summary: SentimentSummary::of(corpus, ixs),
        })
        .collect()
}
