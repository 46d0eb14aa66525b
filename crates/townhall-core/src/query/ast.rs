use crate::PostKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A parsed search query. Free-text terms are matched case-insensitively against the post's words;
/// field filters against the stored post and its analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op", content = "args")]
pub enum Query {
    /// Matches every post (the empty query).
    All,
    /// All sub-queries match (adjacent terms are joined by AND).
    And(Vec<Query>),
    /// At least one sub-query matches.
    Or(Vec<Query>),
    /// The sub-query does not match.
    Not(Box<Query>),
    /// One word, lower-cased.
    Term(String),
    /// Words that must appear next to each other, in order, lower-cased.
    Phrase(Vec<String>),
    /// Words starting with this prefix (`tax*`), lower-cased, without the `*`.
    Prefix(String),
    Field(FieldFilter),
}

/// A comparison for numeric fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

impl Cmp {
    pub fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Cmp::Lt => left < right,
            Cmp::Le => left <= right,
            Cmp::Gt => left > right,
            Cmp::Ge => left >= right,
            Cmp::Eq => (left - right).abs() < 1e-9,
        }
    }
}

/// `name:value` filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "value")]
pub enum FieldFilter {
    /// `lang:es`: detected language (ISO 639-1, lower-case).
    Lang(String),
    /// `channel:x`, `channel:mastodon`, or `channel:x:RepErikPaulsen`: channel kind, or kind:account
    /// (the account compared case-insensitively).
    Channel(String),
    /// `from:handle`: author handle, lower-case, without `@`.
    From(String),
    /// `own:true` / `own:false` (also yes/no): the agency's own posts or the public's.
    Own(bool),
    /// `sentiment:<-0.05`, `sentiment:>=0.5`: VADER compound score.
    Sentiment(Cmp, f64),
    /// `question:true` / `question:false`.
    Question(bool),
    /// `since:2017-06-21` or an RFC 3339 time: created at or after.
    Since(DateTime<Utc>),
    /// `until:2017-06-21` (the whole day included) or an RFC 3339 time: created before.
    Until(DateTime<Utc>),
    /// `#hashtag`: lower-case, without `#`.
    Hashtag(String),
    /// `@mention`: lower-case, without `@`.
    Mention(String),
    /// `kind:reply` (original, reply, repost, quote).
    Kind(PostKind),
}
