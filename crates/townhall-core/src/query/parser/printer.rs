//! `Query` → query text. For every query [`super::parse`] can produce, parsing the printed text
//! gives the same query back (checked by the round-trip property test), so a query can be saved,
//! shown and edited as text.

use super::text::is_word_char;
use crate::query::{Cmp, FieldFilter, Query};
use chrono::{DateTime, NaiveTime, SecondsFormat, Utc};
use std::fmt;

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The empty query; inside a larger query it cannot be written, and never occurs.
            Query::All => Ok(()),
            Query::And(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write_grouped(f, item, matches!(item, Query::And(_) | Query::Or(_)))?;
                }
                Ok(())
            }
            Query::Or(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    write_grouped(f, item, matches!(item, Query::Or(_)))?;
                }
                Ok(())
            }
            Query::Not(inner) => {
                f.write_str("NOT ")?;
                write_grouped(f, inner, matches!(**inner, Query::And(_) | Query::Or(_)))
            }
            Query::Term(word) => write_word(f, word),
            Query::Phrase(words) => write_quoted(f, &words.join(" ")),
            Query::Prefix(stem) => {
                write_word(f, stem)?;
                f.write_str("*")
            }
            Query::Field(filter) => filter.fmt(f),
        }
    }
}

impl fmt::Display for FieldFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldFilter::Lang(code) => write_field(f, "lang", code),
            FieldFilter::Channel(channel) => write_field(f, "channel", channel),
            FieldFilter::From(handle) => write_field(f, "from", handle),
            FieldFilter::Own(own) => write!(f, "own:{own}"),
            FieldFilter::Sentiment(cmp, score) => {
                let op = match cmp {
                    Cmp::Lt => "<",
                    Cmp::Le => "<=",
                    Cmp::Gt => ">",
                    Cmp::Ge => ">=",
                    Cmp::Eq => "=",
                };
                // `{}` on f64 prints the shortest decimal that reads back as the same number,
                // never in exponent notation.
                write!(f, "sentiment:{op}{score}")
            }
            FieldFilter::Question(question) => write!(f, "question:{question}"),
            FieldFilter::Since(time) => write!(f, "since:{}", since_text(time)),
            FieldFilter::Until(time) => write!(f, "until:{}", until_text(time)),
            FieldFilter::Hashtag(tag) => write!(f, "#{tag}"),
            FieldFilter::Mention(handle) => write!(f, "@{handle}"),
            FieldFilter::Kind(kind) => write!(f, "kind:{}", kind.as_str()),
        }
    }
}

fn write_grouped(f: &mut fmt::Formatter<'_>, query: &Query, parenthesize: bool) -> fmt::Result {
    if parenthesize {
        write!(f, "({query})")
    } else {
        write!(f, "{query}")
    }
}

/// A single word as typed; anything that would not read back as that one word is quoted.
fn write_word(f: &mut fmt::Formatter<'_>, word: &str) -> fmt::Result {
    let is_plain =
        !word.is_empty() && word.chars().all(is_word_char) && !matches!(word, "AND" | "OR" | "NOT");
    if is_plain {
        f.write_str(word)
    } else {
        write_quoted(f, word)
    }
}

/// Quotes cannot be escaped inside a phrase, so they are left out.
fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    write!(f, "\"{}\"", text.replace('"', ""))
}

fn write_field(f: &mut fmt::Formatter<'_>, name: &str, value: &str) -> fmt::Result {
    let needs_quotes = value.is_empty()
        || value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '"'));
    if needs_quotes {
        write!(f, "{name}:")?;
        write_quoted(f, value)
    } else {
        write!(f, "{name}:{value}")
    }
}

fn rfc3339(time: &DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Midnight is written as a plain date, as an analyst would type it.
fn since_text(time: &DateTime<Utc>) -> String {
    if time.time() == NaiveTime::MIN {
        time.date_naive().to_string()
    } else {
        rfc3339(time)
    }
}

/// `until:D` means "before the day after D", so midnight is written as the day before.
fn until_text(time: &DateTime<Utc>) -> String {
    match time.date_naive().pred_opt() {
        Some(day) if time.time() == NaiveTime::MIN => day.to_string(),
        _ => rfc3339(time),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_print_with_their_sigil() {
        assert_eq!(
            Query::Field(FieldFilter::Hashtag("covid19".into())).to_string(),
            "#covid19"
        );
    }
}
