//! Tokens of social posts for topic discovery: lower-cased words (any script) and `#hashtags`. URLs,
//! @mentions, numbers, punctuation, emoji, single letters and stop words (English and Spanish) are dropped; each
//! drop breaks the run of words, so that phrases ("health care") are only ever formed from adjacent words.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// What a token is; a hashtag keeps its `#` so that labels read as hashtags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TokenKind {
    Word,
    Hashtag,
}

/// One term-bearing token of a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lower-cased text; a hashtag starts with `#`.
    pub text: String,
    pub kind: TokenKind,
    /// Something was dropped (a stop word, a link, punctuation…) or the line ended between this token and the
    /// previous one, so the two cannot form a phrase. Always true for the first token.
    pub breaks_before: bool,
}

/// The tokens of `text`, in order. See the module comment for what is kept.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokenizer = Tokenizer::default();
    tokenizer.run(text);
    tokenizer
        .pieces()
        .iter()
        .map(|piece| Token {
            text: tokenizer.text(piece).to_owned(),
            kind: piece.kind,
            breaks_before: piece.breaks_before,
        })
        .collect()
}

/// True when `word` (lower-cased) is a stop word in English or Spanish, social-media boilerplate, or one of the
/// commonest function words of a dozen other languages.
pub fn is_stop_word(word: &str) -> bool {
    stop_lists()
        .flags
        .get(word)
        .is_some_and(|&flags| flags & (ENGLISH | SPANISH) != 0)
}

/// Words shorter than this (in characters) say nothing on their own ("w/", "u.s.").
const MIN_WORD_CHARS: usize = 2;
/// Longer "words" are glued text, hashes or keyboard mashing.
const MAX_WORD_CHARS: usize = 30;

/// A token inside the tokenizer's lower-cased buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Piece {
    range: (u32, u32),
    pub(crate) kind: TokenKind,
    pub(crate) breaks_before: bool,
    /// The id the lookup of [`Tokenizer::run_with`] gave ([`NO_WORD`] for none).
    pub(crate) word: u32,
}

/// Reusable tokenizer: keeps its buffers between posts so that tokenizing a million posts allocates little.
#[derive(Default)]
pub(crate) struct Tokenizer {
    lower: String,
    candidates: Vec<Candidate>,
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    range: (u32, u32),
    kind: TokenKind,
    breaks_before: bool,
    /// Stop-list flags ([`ENGLISH`], [`SPANISH`], [`AMBIGUOUS`]).
    stop: u8,
    word: u32,
}

impl Tokenizer {
    pub(crate) fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    pub(crate) fn text(&self, piece: &Piece) -> &str {
        self.lower
            .get(piece.range.0 as usize..piece.range.1 as usize)
            .unwrap_or("")
    }

    /// Tokenizes `text`, replacing the previous post's pieces.
    pub(crate) fn run(&mut self, text: &str) {
        let lists = stop_lists();
        self.run_with(text, |word| {
            (lists.flags.get(word).copied().unwrap_or(0), NO_WORD)
        });
    }

    /// Tokenizes with a caller's word lookup that returns a word's stop-list flags (see [`stop_word_flags`])
    /// and an id carried on its piece, so that a fitted model looks each word up once.
    pub(crate) fn run_with(&mut self, text: &str, lookup: impl Fn(&str) -> (u8, u32)) {
        self.lower.clear();
        self.candidates.clear();
        self.pieces.clear();
        self.scan(text);
        self.drop_stop_words(lookup);
    }

    /// First pass: words and hashtags, with breaks where anything else stood. ASCII bytes take a fast path;
    /// other characters are decoded.
    fn scan(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut pending_break = true;
        let mut i = 0;
        while let Some(&byte) = bytes.get(i) {
            let c = if byte.is_ascii() {
                char::from(byte)
            } else {
                match char_at(text, i) {
                    Some(c) => c,
                    None => break,
                }
            };
            if c.is_whitespace() {
                pending_break |= c == '\n' || c == '\r';
                i += c.len_utf8();
            } else if c == '@' {
                i = skip_handle(text, i + 1);
                pending_break = true;
            } else if c == '#' {
                let end = skip_handle(text, i + 1);
                let tag = text.get(i + 1..end).unwrap_or("");
                if tag.chars().any(char::is_alphabetic) && tag.chars().count() <= MAX_WORD_CHARS {
                    let start = self.lower.len();
                    self.lower.push('#');
                    push_lowercase(&mut self.lower, tag);
                    self.push_candidate(start, TokenKind::Hashtag, true);
                }
                pending_break = true;
                i = end.max(i + 1);
            } else if c.is_alphanumeric() {
                let end = word_end(text, i);
                // A link starts with a word followed by ':' ("https:") or '.' ("www.", "bit.ly/").
                if matches!(bytes.get(end), Some(b':' | b'.')) {
                    if let Some(url_len) = url_length(&text[i..]) {
                        i += url_len;
                        pending_break = true;
                        continue;
                    }
                }
                let kept = self.push_word(&text[i..end], pending_break);
                pending_break = !kept;
                i = end;
            } else {
                // A hyphen joins words ("health-care"); everything else (punctuation, emoji, symbols) splits them.
                pending_break |= c != '-';
                i += c.len_utf8();
            }
        }
    }

    /// Lower-cases and keeps a word when it can be a term; numbers, single letters and over-long runs are dropped.
    fn push_word(&mut self, word: &str, breaks_before: bool) -> bool {
        let Some(first) = word.chars().next() else {
            return false;
        };
        // Over-long runs (unspaced scripts, glued text) are dropped before the costlier lower-casing; the
        // byte length bounds the character count from above (4 bytes per character at most).
        if first.is_numeric() || word.len() > 4 * (MAX_WORD_CHARS + 2) {
            return false;
        }
        let start = self.lower.len();
        push_lowercase(&mut self.lower, word);
        // Possessives name the same thing: "trump's" is "trump".
        if self.lower.ends_with("'s") && self.lower.len() - start > 2 {
            self.lower.truncate(self.lower.len() - 2);
        }
        let lowered = &self.lower[start..];
        let chars = if lowered.is_ascii() {
            lowered.len()
        } else {
            lowered.chars().count()
        };
        if !(MIN_WORD_CHARS..=MAX_WORD_CHARS).contains(&chars) {
            self.lower.truncate(start);
            return false;
        }
        self.push_candidate(start, TokenKind::Word, breaks_before);
        true
    }

    fn push_candidate(&mut self, start: usize, kind: TokenKind, breaks_before: bool) {
        self.candidates.push(Candidate {
            range: (to_u32(start), to_u32(self.lower.len())),
            kind,
            breaks_before,
            stop: 0,
            word: NO_WORD,
        });
    }

    /// Second pass: stop words go (each leaves a break). A few Spanish stop words are English content words
    /// ("son", "sea", "era"), so those count as stop words only in posts that look Spanish.
    fn drop_stop_words(&mut self, lookup: impl Fn(&str) -> (u8, u32)) {
        let (mut english_hits, mut spanish_hits) = (0usize, 0usize);
        for candidate in &mut self.candidates {
            let word = &self.lower[candidate.range.0 as usize..candidate.range.1 as usize];
            let (flags, id) = lookup(word);
            candidate.word = id;
            if candidate.kind == TokenKind::Word {
                candidate.stop = flags;
                english_hits += usize::from(flags & ENGLISH != 0);
                spanish_hits += usize::from(flags & SPANISH != 0);
            }
        }
        let looks_spanish = spanish_hits > english_hits;
        let mut pending_break = false;
        for candidate in &self.candidates {
            let flags = candidate.stop;
            let stop = flags & (ENGLISH | OTHER) != 0
                || (flags & SPANISH != 0 && (looks_spanish || flags & AMBIGUOUS == 0));
            if stop {
                pending_break = true;
                continue;
            }
            self.pieces.push(Piece {
                range: candidate.range,
                kind: candidate.kind,
                breaks_before: candidate.breaks_before || pending_break,
                word: candidate.word,
            });
            pending_break = candidate.kind == TokenKind::Hashtag;
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn push_lowercase(out: &mut String, text: &str) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        out[start..].make_ascii_lowercase();
    } else {
        for c in text.chars() {
            if is_apostrophe(c) {
                out.push('\'');
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02bc}')
}

/// End (byte index) of a handle or hashtag body starting at `start`: letters, digits and underscores.
fn skip_handle(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or("");
    let len = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(rest.len(), |(at, _)| at);
    start + len
}

/// End of a word starting at `start`: letters and digits, plus apostrophes between letters ("don't").
fn word_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start;
    while let Some(&byte) = bytes.get(i) {
        if byte.is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let Some(c) = (if byte.is_ascii() {
            Some(char::from(byte))
        } else {
            char_at(text, i)
        }) else {
            break;
        };
        let width = c.len_utf8();
        let joins = c.is_alphanumeric()
            || (is_apostrophe(c) && char_at(text, i + width).is_some_and(char::is_alphanumeric));
        if !joins {
            break;
        }
        i += width;
    }
    i
}

/// The character starting at byte `at`, if `at` is a character boundary inside `text`.
fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|rest| rest.chars().next())
}

/// Byte length of the link starting at the beginning of `rest`, if there is one: `http(s)://…`, `www.…`, or a
/// bare `domain.tld/path` ("pic.twitter.com/…", "bit.ly/…"). A link runs to the next whitespace.
fn url_length(rest: &str) -> Option<usize> {
    let chunk_len = rest
        .char_indices()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(rest.len(), |(at, _)| at);
    let chunk = &rest[..chunk_len];
    let starts = |prefix: &str| {
        chunk
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    if starts("http://") || starts("https://") || starts("www.") {
        return Some(chunk_len);
    }
    let slash = chunk.find('/')?;
    let host = &chunk[..slash];
    let dot = host.rfind('.')?;
    let tld = &host[dot + 1..];
    let host_like = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    (host_like && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(chunk_len)
}

/// A piece's word id when the lookup knows no id for it.
pub(crate) const NO_WORD: u32 = u32::MAX;

const ENGLISH: u8 = 1;
const SPANISH: u8 = 2;
/// A Spanish stop word that is also an English content word.
const AMBIGUOUS: u8 = 4;
/// A function word of another language (French, Portuguese, German, Tagalog, Persian…).
const OTHER: u8 = 8;

/// One map from word to stop-list flags, so a token costs one lookup.
struct StopLists {
    flags: FxHashMap<&'static str, u8>,
}

fn stop_lists() -> &'static StopLists {
    static LISTS: OnceLock<StopLists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let mut flags: FxHashMap<&'static str, u8> = FxHashMap::default();
        for (list, flag) in [
            (include_str!("stopwords/en.txt"), ENGLISH),
            (include_str!("stopwords/es.txt"), SPANISH),
            (include_str!("stopwords/other.txt"), OTHER),
            (
                "son\nsea\nera\nvan\nsolo\nante\nmas\ncon\nfue\nsin",
                AMBIGUOUS,
            ),
        ] {
            for word in parse_list(list) {
                *flags.entry(word).or_insert(0) |= flag;
            }
        }
        StopLists { flags }
    })
}

/// Stop-list flags of `word` (0 for a word on no list).
pub(crate) fn stop_word_flags(word: &str) -> u8 {
    stop_lists().flags.get(word).copied().unwrap_or(0)
}

/// Every listed stop word with its flags.
pub(crate) fn stop_words() -> impl Iterator<Item = (&'static str, u8)> {
    stop_lists()
        .flags
        .iter()
        .map(|(&word, &flags)| (word, flags))
}

fn parse_list(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn drops_urls_mentions_numbers_and_boilerplate() {
        let got = texts(
            "RT @CRN_Supplements Thank you @RepErikPaulsen for supporting HR 1175! https://t.co/oADXe2kFR6 &amp; via pic.twitter.com/abc",
        );
        assert_eq!(got, vec!["supporting", "hr"]);
    }

    #[test]
    fn url_glued_to_an_ellipsis_is_dropped() {
        let got = texts("Congress must act.\n\n https://twitter.com/aclu/status/1?s=21\u{a0}…https://twitter.com/x/status/2 tear gas");
        assert_eq!(got, vec!["congress", "act", "tear", "gas"]);
    }

    #[test]
    fn hashtags_keep_their_mark_and_break_phrases() {
        let tokens = tokenize("Workers need #PaidLeaveNow paid leave #NC13 #2017");
        let got: Vec<(&str, TokenKind, bool)> = tokens
            .iter()
            .map(|t| (t.text.as_str(), t.kind, t.breaks_before))
            .collect();
        assert_eq!(
            got,
            vec![
                ("workers", TokenKind::Word, true),
                ("#paidleavenow", TokenKind::Hashtag, true),
                ("paid", TokenKind::Word, true),
                ("leave", TokenKind::Word, false),
                ("#nc13", TokenKind::Hashtag, true),
            ]
        );
    }

    #[test]
    fn spanish_accents_survive_and_spanish_stop_words_go() {
        assert_eq!(
            texts("La Educación pública es un derecho de todos los niños"),
            vec!["educación", "pública", "derecho", "niños"]
        );
    }

    #[test]
    fn ambiguous_spanish_stop_words_stay_in_english_posts() {
        assert_eq!(
            texts("My son joined the navy at sea"),
            vec!["son", "joined", "navy", "sea"]
        );
        assert_eq!(texts("Es mi hijo y son las cinco"), vec!["hijo", "cinco"]);
    }

    #[test]
    fn stop_words_and_punctuation_break_runs_but_hyphens_do_not() {
        let tokens = tokenize("Protect health-care for veterans; food stamps matter 👍 farmers");
        let got: Vec<(&str, bool)> = tokens
            .iter()
            .map(|t| (t.text.as_str(), t.breaks_before))
            .collect();
        assert_eq!(
            got,
            vec![
                ("protect", true),
                ("health", false),
                ("care", false),
                ("veterans", true),
                ("food", true),
                ("stamps", false),
                ("matter", false),
                ("farmers", true),
            ]
        );
    }

    #[test]
    fn apostrophes_contractions_and_possessives() {
        assert_eq!(
            texts("Don’t cut Trump's budget, it's O'Brien’s plan"),
            vec!["cut", "trump", "budget", "o'brien", "plan"]
        );
    }

    #[test]
    fn line_breaks_split_phrases() {
        let tokens = tokenize("border wall\nwall street");
        let breaks: Vec<bool> = tokens.iter().map(|t| t.breaks_before).collect();
        assert_eq!(breaks, vec![true, false, true, false]);
    }

    #[test]
    fn function_words_of_other_languages_go() {
        assert_eq!(
            texts("Je pense que les enfants sont heureux"),
            vec!["pense", "enfants", "heureux"]
        );
        assert_eq!(texts("ang mga bata sa paaralan"), vec!["bata", "paaralan"]);
        assert_eq!(
            texts("Die Kinder und die Schule"),
            vec!["die", "kinder", "die", "schule"]
        );
    }

    #[test]
    fn other_scripts_are_words_too() {
        assert_eq!(texts("Москва и Киев"), vec!["москва", "киев"]);
    }

    #[test]
    fn stop_word_lookup() {
        assert!(
            is_stop_word("the")
                && is_stop_word("rt")
                && is_stop_word("amp")
                && is_stop_word("porque")
        );
        assert!(!is_stop_word("medicaid"));
    }

    proptest::proptest! {
        #[test]
        fn tokens_are_lowercase_and_never_links_or_mentions(text in "\\PC{0,200}") {
            for token in tokenize(&text) {
                proptest::prop_assert!(!token.text.is_empty());
                proptest::prop_assert!(!token.text.contains("://"));
                proptest::prop_assert!(!token.text.starts_with('@'));
                proptest::prop_assert!(!token.text.chars().any(char::is_whitespace));
                proptest::prop_assert_eq!(token.text.to_lowercase(), token.text.clone());
                proptest::prop_assert!(token.kind == TokenKind::Hashtag || !is_stop_word(&token.text));
            }
        }
    }
}
