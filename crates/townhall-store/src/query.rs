//! Translation of the query language's AST into a tantivy query.

use crate::column_cache::ColumnCache;
use crate::column_filter::{ColumnFilterQuery, ColumnRange};
use crate::index::{analyzer, Fields};
use chrono::{DateTime, Utc};
use std::ops::Bound;
use std::sync::Arc;
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query as TantivyQuery, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;
use townhall_core::query::{Cmp, FieldFilter, Query};

/// Names of the fast fields range filters read (the index schema uses them too).
pub(crate) const SENTIMENT_FIELD: &str = "sentiment";
pub(crate) const CREATED_FIELD: &str = "created";
pub(crate) const ID_FIELD: &str = "id";
pub(crate) const OWN_FIELD: &str = "own";
pub(crate) const QUESTION_FIELD: &str = "question";

pub(crate) fn to_tantivy(
    query: &Query,
    f: &Fields,
    columns: &Arc<ColumnCache>,
) -> Box<dyn TantivyQuery> {
    match query {
        Query::All => Box::new(AllQuery),
        Query::And(parts) => {
            // Ranges and flags beside other positive clauses filter those clauses' candidates, one fast-field
            // look-up each (see `column_filter`); flags still lead when nothing else narrows.
            let positive = |p: &&Query| !matches!(p, Query::Not(_));
            let (ranges, rest): (Vec<&Query>, Vec<&Query>) =
                parts.iter().partition(|p| column_range(p).is_some());
            let (flags, others): (Vec<&Query>, Vec<&Query>) =
                rest.iter().partition(|p| column_flag(p).is_some());
            let (inner_parts, mut filters): (Vec<&Query>, Vec<ColumnRange>) =
                if others.iter().any(positive) {
                    (
                        others,
                        flags.iter().filter_map(|p| column_flag(p)).collect(),
                    )
                } else if let Some(lead) = rarest_flag(&flags) {
                    // Only flags narrow: the one that usually matches fewest posts leads, the others
                    // are checked per candidate.
                    let mut inner: Vec<&Query> = others;
                    inner.push(flags[lead]);
                    let checks = flags
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != lead)
                        .filter_map(|(_, p)| column_flag(p))
                        .collect();
                    (inner, checks)
                } else {
                    (rest, Vec::new())
                };
            filters.extend(ranges.iter().filter_map(|p| column_range(p)));
            if !filters.is_empty() && inner_parts.iter().any(positive) {
                let inner = match inner_parts.as_slice() {
                    [only] => to_tantivy(only, f, columns),
                    _ => to_tantivy(
                        &Query::And(inner_parts.into_iter().cloned().collect()),
                        f,
                        columns,
                    ),
                };
                return Box::new(ColumnFilterQuery {
                    inner,
                    ranges: filters,
                    columns: columns.clone(),
                });
            }
            let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
            let mut positive = false;
            for part in parts {
                if let Query::Not(inner) = part {
                    clauses.push((Occur::MustNot, to_tantivy(inner, f, columns)));
                } else {
                    positive = true;
                    clauses.push((Occur::Must, to_tantivy(part, f, columns)));
                }
            }
            if !positive {
                // Only exclusions: exclude them from everything.
                clauses.push((Occur::Must, Box::new(AllQuery)));
            }
            Box::new(BooleanQuery::new(clauses))
        }
        Query::Or(parts) => Box::new(BooleanQuery::new(
            parts
                .iter()
                .map(|p| (Occur::Should, to_tantivy(p, f, columns)))
                .collect(),
        )),
        Query::Not(inner) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery) as Box<dyn TantivyQuery>),
            (Occur::MustNot, to_tantivy(inner, f, columns)),
        ])),
        Query::Term(word) => words_query(f.text, &[word.as_str()]),
        Query::Phrase(words) => {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            words_query(f.text, &words)
        }
        Query::Prefix(prefix) => prefix_query(f.text, prefix),
        Query::Field(filter) => field_query(filter, f),
    }
}

/// Words through the index's analyzer: one token is a term, several are a phrase.
fn words_query(field: Field, words: &[&str]) -> Box<dyn TantivyQuery> {
    let mut analyzer = analyzer();
    let mut terms = Vec::new();
    for word in words {
        let mut stream = analyzer.token_stream(word);
        while let Some(token) = stream.next() {
            terms.push(Term::from_field_text(field, &token.text));
        }
    }
    match terms.len() {
        0 => Box::new(EmptyQuery),
        1 => Box::new(TermQuery::new(
            terms.remove(0),
            IndexRecordOption::WithFreqs,
        )),
        _ => Box::new(PhraseQuery::new(terms)),
    }
}

fn prefix_query(field: Field, prefix: &str) -> Box<dyn TantivyQuery> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(prefix);
    let Some(token) = stream.next() else {
        return Box::new(EmptyQuery);
    };
    let pattern = format!("{}.*", regex_escape(&token.text));
    match RegexQuery::from_pattern(&pattern, field) {
        Ok(q) => Box::new(q),
        Err(_) => Box::new(EmptyQuery),
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

fn exact(field: Field, value: &str) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn flag(field: Field, value: bool) -> Box<dyn TantivyQuery> {
    Box::new(TermQuery::new(
        Term::from_field_u64(field, value as u64),
        IndexRecordOption::Basic,
    ))
}

fn time_range(
    field: Field,
    lower: Bound<DateTime<Utc>>,
    upper: Bound<DateTime<Utc>>,
) -> Box<dyn TantivyQuery> {
    let to_term = |t: DateTime<Utc>| Term::from_field_i64(field, t.timestamp_millis());
    Box::new(RangeQuery::new(lower.map(to_term), upper.map(to_term)))
}

/// Of `flags` (`own:` / `question:` filters), the one that usually matches the fewest posts: questions
/// are a minority of posts, and the agency's own posts a minority of what is listened to.
fn rarest_flag(flags: &[&Query]) -> Option<usize> {
    let rank = |q: &Query| match q {
        Query::Field(FieldFilter::Question(true)) => 0,
        Query::Field(FieldFilter::Own(true)) => 1,
        Query::Field(FieldFilter::Question(false)) => 2,
        _ => 3,
    };
    (0..flags.len()).min_by_key(|&i| rank(flags[i]))
}

/// The fast-field test of an `own:` or `question:` filter.
fn column_flag(query: &Query) -> Option<ColumnRange> {
    match query {
        Query::Field(FieldFilter::Own(own)) => Some(ColumnRange::U64Equals {
            field: OWN_FIELD,
            value: u64::from(*own),
        }),
        Query::Field(FieldFilter::Question(question)) => Some(ColumnRange::U64Equals {
            field: QUESTION_FIELD,
            value: u64::from(*question),
        }),
        _ => None,
    }
}

/// The fast-field range of a `since:`, `until:` or `sentiment:` filter.
fn column_range(query: &Query) -> Option<ColumnRange> {
    let Query::Field(filter) = query else {
        return None;
    };
    let millis = |t: &DateTime<Utc>| t.timestamp_millis();
    Some(match filter {
        FieldFilter::Since(t) => ColumnRange::I64 {
            field: CREATED_FIELD,
            lower: Bound::Included(millis(t)),
            upper: Bound::Unbounded,
        },
        FieldFilter::Until(t) => ColumnRange::I64 {
            field: CREATED_FIELD,
            lower: Bound::Unbounded,
            upper: Bound::Excluded(millis(t)),
        },
        FieldFilter::Sentiment(cmp, value) => {
            let v = *value;
            let (lower, upper) = match cmp {
                Cmp::Lt => (Bound::Unbounded, Bound::Excluded(v)),
                Cmp::Le => (Bound::Unbounded, Bound::Included(v)),
                Cmp::Gt => (Bound::Excluded(v), Bound::Unbounded),
                Cmp::Ge => (Bound::Included(v), Bound::Unbounded),
                Cmp::Eq => (Bound::Included(v), Bound::Included(v)),
            };
            ColumnRange::F64 {
                field: SENTIMENT_FIELD,
                lower,
                upper,
            }
        }
        _ => return None,
    })
}

fn field_query(filter: &FieldFilter, f: &Fields) -> Box<dyn TantivyQuery> {
    match filter {
        FieldFilter::Lang(code) => exact(f.lang, &code.to_lowercase()),
        FieldFilter::Channel(channel) => exact(f.channel, &channel.to_lowercase()),
        FieldFilter::From(handle) => exact(f.author, &handle.to_lowercase()),
        FieldFilter::Own(own) => flag(f.own, *own),
        FieldFilter::Question(q) => flag(f.question, *q),
        FieldFilter::Hashtag(tag) => exact(f.hashtag, &tag.to_lowercase()),
        FieldFilter::Mention(m) => exact(f.mention, &m.to_lowercase()),
        FieldFilter::Kind(kind) => exact(f.kind, kind.as_str()),
        FieldFilter::Since(t) => time_range(f.created, Bound::Included(*t), Bound::Unbounded),
        FieldFilter::Until(t) => time_range(f.created, Bound::Unbounded, Bound::Excluded(*t)),
        FieldFilter::Sentiment(cmp, value) => {
            let term = |v: f64| Term::from_field_f64(f.sentiment, v);
            let (lower, upper) = match cmp {
                Cmp::Lt => (Bound::Unbounded, Bound::Excluded(term(*value))),
                Cmp::Le => (Bound::Unbounded, Bound::Included(term(*value))),
                Cmp::Gt => (Bound::Excluded(term(*value)), Bound::Unbounded),
                Cmp::Ge => (Bound::Included(term(*value)), Bound::Unbounded),
                Cmp::Eq => (Bound::Included(term(*value)), Bound::Included(term(*value))),
            };
            Box::new(RangeQuery::new(lower, upper))
        }
    }
}
