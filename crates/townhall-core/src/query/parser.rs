//! Query text → [`Query`]: a small lexer (one pass over the characters, so every error can name a
//! character position) and a recursive-descent parser with precedence NOT > AND > OR.
//!
//! The user-facing description of the language is `docs/query-language.md`; keep the two in step.

use super::{Cmp, FieldFilter, Query};
use crate::{ChannelKind, PostKind};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};

mod printer;
mod text;

use text::{is_tag_char, is_word_char, split_words};

/// Longer queries are refused: the input is untrusted (web search box, API).
pub const MAX_QUERY_CHARS: usize = 1000;
/// Parentheses and NOTs nested deeper than this are refused, so no input can exhaust the stack of
/// the parser or of anything that walks the resulting tree.
pub const MAX_NESTING_DEPTH: usize = 32;

const FIELD_NAMES: [&str; 9] = [
    "lang",
    "channel",
    "from",
    "own",
    "sentiment",
    "question",
    "since",
    "until",
    "kind",
];

/// Why a query could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at position {position})")]
pub struct ParseError {
    /// 0-based *character* (not byte) offset of the problem in the input; the input's length in
    /// characters when the problem is that the query ended too early.
    pub position: usize,
    pub message: String,
}

impl ParseError {
    fn new(position: usize, message: impl Into<String>) -> Self {
        ParseError {
            position,
            message: message.into(),
        }
    }

    /// Two lines for terminal output: the input, and a caret under the offending character.
    ///
    /// Tabs and line breaks in the input are shown as spaces and wide (CJK, emoji) characters are
    /// counted as two columns, so the caret lines up in a monospace terminal.
    pub fn pointer(&self, input: &str) -> String {
        let shown: String = input
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let columns: usize = input
            .chars()
            .take(self.position)
            .map(text::display_width)
            .sum();
        format!("{shown}\n{}^", " ".repeat(columns))
    }
}

/// Parses an analyst's query. The empty (or all-whitespace, or all-punctuation) query is
/// [`Query::All`].
pub fn parse(input: &str) -> Result<Query, ParseError> {
    let chars: Vec<char> = input.chars().take(MAX_QUERY_CHARS + 1).collect();
    if chars.len() > MAX_QUERY_CHARS {
        let total = input.chars().count();
        return Err(ParseError::new(
            MAX_QUERY_CHARS,
            format!("the query is too long ({total} characters; at most {MAX_QUERY_CHARS})"),
        ));
    }
    let tokens = Lexer::new(&chars).run()?;
    if tokens.is_empty() {
        return Ok(Query::All);
    }
    let mut parser = Parser {
        tokens,
        next: 0,
        depth: 0,
        end_position: chars.len(),
    };
    let query = parser.parse_or()?;
    if let Some(token) = parser.peek() {
        // parse_or stops only at the end or at a `)` it has no `(` for.
        return Err(ParseError::new(
            token.position,
            "unmatched closing parenthesis ')'",
        ));
    }
    Ok(query)
}

#[derive(Debug, Clone, PartialEq)]
enum TokenKind {
    LParen,
    RParen,
    And,
    Or,
    Not,
    /// `-` glued to the item after it: NOT shorthand.
    Minus,
    /// Words, a phrase, a prefix, a field filter, a hashtag or a mention.
    Atom(Query),
}

#[derive(Debug, Clone, PartialEq)]
struct Token {
    kind: TokenKind,
    position: usize,
}

struct Lexer<'a> {
    chars: &'a [char],
    at: usize,
    tokens: Vec<Token>,
    /// Positions of `-` signs waiting for the item they negate. An item made only of punctuation
    /// (`- `, `--`, `-!!`) yields no token, and its minus signs are then dropped as punctuation.
    pending_minus: Vec<usize>,
}

impl<'a> Lexer<'a> {
    fn new(chars: &'a [char]) -> Self {
        Lexer {
            chars,
            at: 0,
            tokens: Vec::new(),
            pending_minus: Vec::new(),
        }
    }

    fn run(mut self) -> Result<Vec<Token>, ParseError> {
        while let Some(&c) = self.chars.get(self.at) {
            let start = self.at;
            if c.is_whitespace() {
                self.pending_minus.clear();
                self.at += 1;
            } else if c == '(' {
                self.push(TokenKind::LParen, start);
                self.at += 1;
            } else if c == ')' {
                self.pending_minus.clear();
                self.push(TokenKind::RParen, start);
                self.at += 1;
            } else if c == '"' {
                let (content, after) = self.quoted(start)?;
                self.at = after;
                let atom =
                    words_query(split_words(&content).into_iter().map(Word::Plain).collect());
                self.push_atom(atom, start);
            } else if c == '-' && self.is_item_start(start) && self.is_glued_to_next(start) {
                self.pending_minus.push(start);
                self.at += 1;
            } else {
                self.item(start)?;
            }
        }
        Ok(self.tokens)
    }

    /// Whether `position` begins an item: `-` negates only there, so `"x"-y` is not `"x" NOT y`.
    fn is_item_start(&self, position: usize) -> bool {
        position == 0
            || self.pending_minus.last() == Some(&(position - 1))
            || self.chars[position - 1].is_whitespace()
            || matches!(self.chars[position - 1], '(' | ')')
    }

    /// Whether something other than a space or `)` follows `position`.
    fn is_glued_to_next(&self, position: usize) -> bool {
        self.chars
            .get(position + 1)
            .is_some_and(|&n| !n.is_whitespace() && n != ')')
    }

    fn push(&mut self, kind: TokenKind, position: usize) {
        for minus in self.pending_minus.drain(..) {
            self.tokens.push(Token {
                kind: TokenKind::Minus,
                position: minus,
            });
        }
        self.tokens.push(Token { kind, position });
    }

    fn push_atom(&mut self, atom: Option<Query>, position: usize) {
        match atom {
            Some(query) => self.push(TokenKind::Atom(query), position),
            None => self.pending_minus.clear(),
        }
    }

    /// The text between the quote at `open` and the next quote, and the position after the latter.
    fn quoted(&self, open: usize) -> Result<(String, usize), ParseError> {
        let rest = &self.chars[open + 1..];
        match rest.iter().position(|&c| c == '"') {
            Some(len) => Ok((rest[..len].iter().collect(), open + 1 + len + 1)),
            None => Err(ParseError::new(
                open,
                "unclosed quote: add a closing \" after the phrase",
            )),
        }
    }

    /// One whitespace/parenthesis-delimited item that is not a phrase or a minus sign.
    fn item(&mut self, start: usize) -> Result<(), ParseError> {
        let mut end = start;
        while self
            .chars
            .get(end)
            .is_some_and(|&c| is_item_char(c) && c != '"')
        {
            end += 1;
        }
        let raw = &self.chars[start..end];
        let after_minus = !self.pending_minus.is_empty();

        // `name:"quoted value"`
        if self.chars.get(end) == Some(&'"') && is_field_prefix(raw) {
            let name: String = raw[..raw.len() - 1].iter().collect();
            let (value, after) = self.quoted(end)?;
            self.at = after;
            let atom = field_or_words(&name, value.trim(), start, end + 1, raw)?;
            self.push_atom(atom, start);
            return Ok(());
        }
        self.at = end;

        if !after_minus {
            let keyword = match raw {
                ['A', 'N', 'D'] => Some(TokenKind::And),
                ['O', 'R'] => Some(TokenKind::Or),
                ['N', 'O', 'T'] => Some(TokenKind::Not),
                _ => None,
            };
            if let Some(keyword) = keyword {
                self.push(keyword, start);
                return Ok(());
            }
        }

        let atom = match raw.first() {
            Some('#') => tagged(raw, |i| is_tag_char(raw[i]), FieldFilter::Hashtag),
            Some('@') => tagged(raw, is_mention_char_at(raw), FieldFilter::Mention),
            _ => match raw.iter().position(|&c| c == ':') {
                Some(colon) if colon > 0 && raw[..colon].iter().all(char::is_ascii_alphabetic) => {
                    let name: String = raw[..colon].iter().collect();
                    let value: String = raw[colon + 1..].iter().collect();
                    field_or_words(&name, &value, start, start + colon + 1, raw)?
                }
                _ => words_query(split_words_with_prefix(raw)),
            },
        };
        self.push_atom(atom, start);
        Ok(())
    }
}

/// Whether `c` belongs to an item rather than separating items.
fn is_item_char(c: char) -> bool {
    !c.is_whitespace() && c != '(' && c != ')'
}

/// `name:` with a name of ASCII letters, as typed before a quoted field value.
fn is_field_prefix(raw: &[char]) -> bool {
    match raw.split_last() {
        Some((':', name)) => !name.is_empty() && name.iter().all(char::is_ascii_alphabetic),
        _ => false,
    }
}

/// A term (one word), a phrase (several words), a prefix, words and a prefix, or nothing.
fn words_query(words: Vec<Word>) -> Option<Query> {
    let mut plain: Vec<String> = Vec::new();
    let mut prefix = None;
    for word in words {
        match word {
            Word::Plain(w) => plain.push(w),
            Word::Prefix(p) => prefix = Some(Query::Prefix(p)),
        }
    }
    let words = match plain.len() {
        0 => None,
        1 => plain.pop().map(Query::Term),
        _ => Some(Query::Phrase(plain)),
    };
    match (words, prefix) {
        (Some(words), Some(prefix)) => Some(and_of(vec![words, prefix])),
        (words, prefix) => words.or(prefix),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Word {
    Plain(String),
    /// The last word of an item ending in `*`.
    Prefix(String),
}

/// Words of a bare item; `tax*` makes its last word a prefix. Punctuation after the `*` (as in
/// `tax*,`) is ignored.
fn split_words_with_prefix(raw: &[char]) -> Vec<Word> {
    let mut end = raw.len();
    while end > 0 && !is_word_char(raw[end - 1]) && raw[end - 1] != '*' {
        end -= 1;
    }
    let mut stem_end = end;
    while stem_end > 0 && raw[stem_end - 1] == '*' {
        stem_end -= 1;
    }
    let is_prefix = stem_end < end && stem_end > 0 && is_word_char(raw[stem_end - 1]);
    let stem: String = raw[..stem_end].iter().collect();
    let mut words: Vec<Word> = split_words(&stem).into_iter().map(Word::Plain).collect();
    if is_prefix {
        if let Some(Word::Plain(last)) = words.pop() {
            words.push(Word::Prefix(last));
        }
    }
    words
}

/// `#tag` / `@handle`: the tag is the run of tag characters after the sigil; anything after it
/// (`#tag.` or `#tag-extra`) is read as ordinary words.
fn tagged(
    raw: &[char],
    is_tag: impl Fn(usize) -> bool,
    filter: fn(String) -> FieldFilter,
) -> Option<Query> {
    let mut end = 1;
    while end < raw.len() && is_tag(end) {
        end += 1;
    }
    let rest: String = raw[end..].iter().collect();
    let rest = words_query(split_words_with_prefix(&rest.chars().collect::<Vec<_>>()));
    if end == 1 {
        return rest;
    }
    let tag: String = raw[1..end].iter().collect::<String>().to_lowercase();
    let tag = Query::Field(filter(tag));
    Some(match rest {
        Some(rest) => and_of(vec![tag, rest]),
        None => tag,
    })
}

/// Handles may contain `.`, `-` and `@` between tag characters (`@user@mastodon.social`,
/// `@name.bsky.social`), but not at the end (`@mayor.` ends a sentence).
fn is_mention_char_at(raw: &[char]) -> impl Fn(usize) -> bool + '_ {
    move |i| {
        let c = raw[i];
        is_tag_char(c)
            || (matches!(c, '.' | '-' | '@')
                && raw.get(i + 1).is_some_and(|&n| is_tag_char(n))
                && raw.get(i - 1).is_some_and(|&p| is_tag_char(p)))
    }
}

/// `name:value`. Unknown names are errors, except where the text is plainly not meant as a filter:
/// nothing after the colon (`Re:`) or a URL (`https://…`); those are read as words.
fn field_or_words(
    name: &str,
    value: &str,
    name_position: usize,
    value_position: usize,
    raw: &[char],
) -> Result<Option<Query>, ParseError> {
    let lower = name.to_ascii_lowercase();
    if !FIELD_NAMES.contains(&lower.as_str()) {
        if value.is_empty() || value.starts_with("//") {
            return Ok(words_query(split_words_with_prefix(raw)));
        }
        return Err(ParseError::new(
            name_position,
            format!(
                "unknown field '{name}' — fields are {}; to search for the text itself, put it in quotes",
                FIELD_NAMES.join(", ")
            ),
        ));
    }
    if value.is_empty() {
        return Err(ParseError::new(
            value_position,
            format!(
                "{lower}: needs a value right after the colon, like {}",
                field_example(&lower)
            ),
        ));
    }
    field(&lower, value, value_position).map(|f| Some(Query::Field(f)))
}

fn field_example(name: &str) -> &'static str {
    match name {
        "lang" => "lang:es",
        "channel" => "channel:x or channel:x:RepErikPaulsen",
        "from" => "from:@cityhall",
        "own" => "own:true",
        "sentiment" => "sentiment:<-0.05",
        "question" => "question:true",
        "since" => "since:2024-05-01",
        "until" => "until:2024-05-31",
        _ => "kind:reply",
    }
}

fn field(name: &str, value: &str, position: usize) -> Result<FieldFilter, ParseError> {
    let lower = value.to_lowercase();
    let error = |message: String| ParseError::new(position, message);
    match name {
        "lang" => {
            if (2..=3).contains(&lower.len()) && lower.chars().all(|c| c.is_ascii_lowercase()) {
                Ok(FieldFilter::Lang(lower))
            } else {
                Err(error(format!(
                    "lang: expects a two-letter language code like lang:es or lang:en, not '{value}'"
                )))
            }
        }
        "channel" => {
            let (kind, account) = match lower.split_once(':') {
                Some((kind, account)) => (kind, Some(account.trim_start_matches('@'))),
                None => (lower.as_str(), None),
            };
            if ChannelKind::parse(kind).is_none() {
                let kinds: Vec<&str> = ChannelKind::ALL.iter().map(|k| k.as_str()).collect();
                return Err(error(format!(
                    "unknown channel '{kind}' — channels are {}",
                    kinds.join(", ")
                )));
            }
            match account {
                None => Ok(FieldFilter::Channel(kind.to_string())),
                Some("") => Err(error(format!(
                    "channel:{kind}: needs an account after the second colon, like channel:x:RepErikPaulsen"
                ))),
                Some(account) => Ok(FieldFilter::Channel(format!("{kind}:{account}"))),
            }
        }
        "from" => {
            let handle = lower.trim_start_matches('@');
            if handle.is_empty() {
                Err(error("from: expects a handle like from:@cityhall".into()))
            } else {
                Ok(FieldFilter::From(handle.to_string()))
            }
        }
        "own" => boolean(&lower)
            .map(FieldFilter::Own)
            .ok_or_else(|| error("own: expects true or false (or yes/no), like own:false".into())),
        "question" => boolean(&lower).map(FieldFilter::Question).ok_or_else(|| {
            error("question: expects true or false (or yes/no), like question:true".into())
        }),
        "sentiment" => sentiment(value, position),
        "since" => time_bound(value, false).map(FieldFilter::Since).ok_or_else(|| {
            error(format!(
                "since: expects a date like 2024-05-01 or a time like 2024-05-01T09:30:00Z, not '{value}'"
            ))
        }),
        "until" => time_bound(value, true).map(FieldFilter::Until).ok_or_else(|| {
            error(format!(
                "until: expects a date like 2024-05-31 or a time like 2024-05-31T17:00:00Z, not '{value}'"
            ))
        }),
        _ => PostKind::parse(&lower).map(FieldFilter::Kind).ok_or_else(|| {
            error(format!(
                "kind: expects original, reply, repost or quote, not '{value}'"
            ))
        }),
    }
}

fn boolean(value: &str) -> Option<bool> {
    match value {
        "true" | "yes" => Some(true),
        "false" | "no" => Some(false),
        _ => None,
    }
}

fn sentiment(value: &str, position: usize) -> Result<FieldFilter, ParseError> {
    let (cmp, op_len) = if value.starts_with("<=") {
        (Cmp::Le, 2)
    } else if value.starts_with(">=") {
        (Cmp::Ge, 2)
    } else if value.starts_with('<') {
        (Cmp::Lt, 1)
    } else if value.starts_with('>') {
        (Cmp::Gt, 1)
    } else if value.starts_with('=') {
        (Cmp::Eq, 1)
    } else {
        return Err(ParseError::new(
            position,
            "sentiment needs a comparison like sentiment:<-0.05 (or >0.3, <=-0.5, >=0.05, =0)",
        ));
    };
    let number = &value[op_len..];
    match decimal(number) {
        Some(score) if (-1.0..=1.0).contains(&score) => Ok(FieldFilter::Sentiment(cmp, score)),
        _ => Err(ParseError::new(
            position + op_len,
            format!(
                "sentiment scores are numbers from -1 to 1, like sentiment:>0.3; '{number}' is not one"
            ),
        )),
    }
}

/// A plain decimal (`-0.05`, `.5`, `1`): no exponent, `inf` or `NaN`, which `f64::from_str` allows.
fn decimal(text: &str) -> Option<f64> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    text.parse().ok()
}

/// `2017-06-21` (start of that day UTC; for `until`, start of the next day so the whole day is
/// included) or an RFC 3339 time, converted to UTC. Used by `since:`/`until:` and by every other
/// place that takes a time bound, so they all read dates the same way.
pub fn time_bound(value: &str, is_until: bool) -> Option<DateTime<Utc>> {
    let is_date = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if is_date {
        let date = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()?;
        let day = if is_until { date.succ_opt()? } else { date };
        return Some(day.and_time(NaiveTime::MIN).and_utc());
    }
    // Years outside 0..=9999 cannot be written back in RFC 3339.
    DateTime::parse_from_rfc3339(value)
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .filter(|t| (0..=9999).contains(&t.year()))
}

/// AND of the items, nested ANDs spliced in, a single item standing for itself.
fn and_of(items: Vec<Query>) -> Query {
    let mut flat = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Query::And(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    match flat.len() {
        0 => Query::All,
        1 => flat.pop().unwrap_or(Query::All),
        _ => Query::And(flat),
    }
}

/// OR of the items, nested ORs spliced in, a single item standing for itself.
fn or_of(items: Vec<Query>) -> Query {
    let mut flat = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Query::Or(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    match flat.len() {
        0 => Query::All,
        1 => flat.pop().unwrap_or(Query::All),
        _ => Query::Or(flat),
    }
}

fn unclosed_parenthesis(position: usize) -> ParseError {
    ParseError::new(
        position,
        "unclosed parenthesis: add a ')' to close this '('",
    )
}

struct Parser {
    tokens: Vec<Token>,
    next: usize,
    depth: usize,
    end_position: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn next_position(&self) -> usize {
        self.peek().map_or(self.end_position, |t| t.position)
    }

    fn starts_term(&self) -> bool {
        matches!(
            self.peek().map(|t| &t.kind),
            Some(TokenKind::Atom(_) | TokenKind::LParen | TokenKind::Not | TokenKind::Minus)
        )
    }

    fn enter(&mut self, position: usize) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING_DEPTH {
            return Err(ParseError::new(
                position,
                format!(
                    "the query nests too deeply: at most {MAX_NESTING_DEPTH} levels of parentheses and NOT"
                ),
            ));
        }
        Ok(())
    }

    fn expect_term_after(&self, what: &str) -> Result<(), ParseError> {
        if self.starts_term() {
            Ok(())
        } else {
            Err(ParseError::new(
                self.next_position(),
                format!("expected a term after {what}"),
            ))
        }
    }

    fn parse_or(&mut self) -> Result<Query, ParseError> {
        let mut items = vec![self.parse_and()?];
        while matches!(self.peek().map(|t| &t.kind), Some(TokenKind::Or)) {
            self.next += 1;
            self.expect_term_after("OR")?;
            items.push(self.parse_and()?);
        }
        Ok(or_of(items))
    }

    fn parse_and(&mut self) -> Result<Query, ParseError> {
        let mut items = vec![self.parse_unary()?];
        loop {
            if matches!(self.peek().map(|t| &t.kind), Some(TokenKind::And)) {
                self.next += 1;
                self.expect_term_after("AND")?;
            } else if !self.starts_term() {
                break;
            }
            items.push(self.parse_unary()?);
        }
        Ok(and_of(items))
    }

    fn parse_unary(&mut self) -> Result<Query, ParseError> {
        let Some(token) = self.peek() else {
            return Err(ParseError::new(self.end_position, "expected a term"));
        };
        let (position, what) = match token.kind {
            TokenKind::Not => (token.position, "NOT"),
            TokenKind::Minus => (token.position, "'-'"),
            _ => return self.parse_primary(),
        };
        self.next += 1;
        self.enter(position)?;
        self.expect_term_after(what)?;
        let inner = self.parse_unary()?;
        self.depth -= 1;
        Ok(Query::Not(Box::new(inner)))
    }

    fn parse_primary(&mut self) -> Result<Query, ParseError> {
        let Some(token) = self.tokens.get(self.next).cloned() else {
            return Err(ParseError::new(self.end_position, "expected a term"));
        };
        self.next += 1;
        match token.kind {
            TokenKind::Atom(query) => Ok(query),
            TokenKind::LParen => {
                self.enter(token.position)?;
                match self.peek().map(|t| &t.kind) {
                    Some(TokenKind::RParen) => {
                        return Err(ParseError::new(
                            self.next_position(),
                            "empty parentheses: expected a term inside",
                        ))
                    }
                    None => return Err(unclosed_parenthesis(token.position)),
                    _ => {}
                }
                let inner = self.parse_or()?;
                match self.peek().map(|t| &t.kind) {
                    Some(TokenKind::RParen) => self.next += 1,
                    _ => return Err(unclosed_parenthesis(token.position)),
                }
                self.depth -= 1;
                Ok(inner)
            }
            TokenKind::And => Err(ParseError::new(
                token.position,
                "expected a term before AND",
            )),
            TokenKind::Or => Err(ParseError::new(token.position, "expected a term before OR")),
            TokenKind::RParen => Err(ParseError::new(
                token.position,
                "unmatched closing parenthesis ')'",
            )),
            // parse_unary handles these before calling here.
            TokenKind::Not | TokenKind::Minus => {
                Err(ParseError::new(token.position, "expected a term"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_accepts_plain_numbers_only() {
        assert_eq!(decimal("-0.05"), Some(-0.05));
        assert_eq!(decimal(".5"), Some(0.5));
        assert_eq!(decimal("1"), Some(1.0));
        assert_eq!(decimal("1e3"), None);
        assert_eq!(decimal("inf"), None);
        assert_eq!(decimal("NaN"), None);
        assert_eq!(decimal("-"), None);
        assert_eq!(decimal("."), None);
    }

    #[test]
    fn minus_before_punctuation_only_is_dropped() {
        let chars: Vec<char> = "a -- b".chars().collect();
        let tokens = Lexer::new(&chars).run().unwrap();
        assert_eq!(tokens.len(), 2);
    }
}
