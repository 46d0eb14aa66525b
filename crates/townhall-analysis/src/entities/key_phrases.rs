//! Key phrases, RAKE-style (Rose et al., 2010): candidates are runs of words between stop words and
//! punctuation; each word scores degree / frequency over the candidates, a phrase the sum of its words.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use once_cell::sync::Lazy;

use super::url_spans;

/// FNV-1a: the keys are short words, where SipHash's set-up cost dominates; no untrusted-key DoS concern
/// because the sets are fixed and the per-post maps hold a few dozen words.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

type FastHash = BuildHasherDefault<Fnv>;
type WordSet = HashSet<&'static str, FastHash>;

static ENGLISH_STOP_WORDS: Lazy<WordSet> =
    Lazy::new(|| parse_list(include_str!("../../data/stopwords/en.txt")));
static SPANISH_STOP_WORDS: Lazy<WordSet> =
    Lazy::new(|| parse_list(include_str!("../../data/stopwords/es.txt")));

fn parse_list(text: &'static str) -> WordSet {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

/// Long runs without stop words (all-caps rants, lists) are cut into phrases of at most this many words.
const MAX_PHRASE_WORDS: usize = 4;

/// Texts with more words than this and not one English or Spanish stop word are treated as another language:
/// every word is its own candidate, since we cannot tell where its phrases end.
const MIN_WORDS_FOR_LANGUAGE_GUESS: usize = 5;

struct Token {
    /// Range into the lower-cased buffer.
    text: Range<usize>,
    /// Punctuation, a link, a mention or a hashtag separates this token from the previous one.
    breaks_before: bool,
}

/// Up to `max` key phrases, lower-cased, best first. URLs, mentions and hashtags are never part of a phrase.
pub fn key_phrases(text: &str, max: usize) -> Vec<String> {
    if max == 0 {
        return Vec::new();
    }
    let (lowered, tokens) = tokenize(text);
    if tokens.is_empty() {
        return Vec::new();
    }
    let word = |t: &Token| &lowered[t.text.clone()];
    // Per token: is it an English / Spanish stop word.
    let flags: Vec<(bool, bool)> = tokens
        .iter()
        .map(|t| {
            (
                ENGLISH_STOP_WORDS.contains(word(t)),
                SPANISH_STOP_WORDS.contains(word(t)),
            )
        })
        .collect();
    let english_hits = flags.iter().filter(|f| f.0).count();
    let spanish_hits = flags.iter().filter(|f| f.1).count();
    let spanish = spanish_hits > english_hits;
    let one_word_phrases =
        english_hits == 0 && spanish_hits == 0 && tokens.len() > MIN_WORDS_FOR_LANGUAGE_GUESS;
    let is_stop = |i: usize| if spanish { flags[i].1 } else { flags[i].0 };

    // Candidate phrases as token index ranges.
    let mut candidates: Vec<Range<usize>> = Vec::new();
    let close = |candidates: &mut Vec<Range<usize>>, range: Range<usize>| {
        // Leading counts ("12 billion", "2019 house …") describe, they are not the subject.
        let first_word = (range.start..range.end)
            .find(|&i| word(&tokens[i]).chars().any(char::is_alphabetic))
            .unwrap_or(range.end);
        let mut from = first_word;
        while from < range.end {
            let to = (from + MAX_PHRASE_WORDS).min(range.end);
            candidates.push(from..to);
            from = to;
        }
    };
    let mut start: Option<usize> = None;
    for (i, token) in tokens.iter().enumerate() {
        let stop = is_stop(i);
        if let Some(s) = start {
            if token.breaks_before || stop || one_word_phrases {
                close(&mut candidates, s..i);
                start = None;
            }
        }
        if !stop && start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        close(&mut candidates, s..tokens.len());
    }
    candidates.retain(|range| {
        range.len() > 1 || {
            let w = word(&tokens[range.start]);
            w.chars().nth(2).is_some() && w.chars().any(char::is_alphabetic)
        }
    });
    if candidates.is_empty() {
        return Vec::new();
    }

    // Word ids, then frequency and degree per word over all candidate occurrences.
    let mut ids: HashMap<&str, usize, FastHash> =
        HashMap::with_capacity_and_hasher(tokens.len(), FastHash::default());
    let mut token_word = vec![usize::MAX; tokens.len()];
    let mut stats: Vec<(u32, u32)> = Vec::new();
    for range in &candidates {
        let degree = range.len() as u32;
        for i in range.clone() {
            let next_id = ids.len();
            let id = *ids.entry(word(&tokens[i])).or_insert(next_id);
            if id == stats.len() {
                stats.push((0, 0));
            }
            stats[id].0 += 1;
            stats[id].1 += degree;
            token_word[i] = id;
        }
    }
    let word_score = |i: usize| {
        let (freq, degree) = stats[token_word[i]];
        f64::from(degree) / f64::from(freq)
    };

    // Score each distinct phrase (same word sequence) once, at its first position.
    let same_words = |a: &Range<usize>, b: &Range<usize>| {
        a.len() == b.len()
            && a.clone()
                .zip(b.clone())
                .all(|(x, y)| token_word[x] == token_word[y])
    };
    let mut scored: Vec<(f64, usize)> = Vec::with_capacity(candidates.len());
    for (position, range) in candidates.iter().enumerate() {
        if candidates[..position]
            .iter()
            .any(|earlier| same_words(earlier, range))
        {
            continue;
        }
        scored.push((range.clone().map(word_score).sum(), position));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(max)
        .map(|(_, position)| {
            let range = candidates[position].clone();
            let mut phrase = String::new();
            for token in &tokens[range] {
                if !phrase.is_empty() {
                    phrase.push(' ');
                }
                phrase.push_str(word(token));
            }
            phrase
        })
        .collect()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Lower-cases the words of `text` into one buffer (apostrophes straightened) and records where phrases must
/// break. Inner apostrophes and hyphens stay inside a word ("don't", "self-driving").
fn tokenize(text: &str) -> (String, Vec<Token>) {
    let urls = url_spans(text);
    let mut lowered = String::with_capacity(text.len());
    let mut tokens: Vec<Token> = Vec::new();
    let mut breaks = false;
    let mut chars = text.char_indices().peekable();
    let mut next_url = urls.iter().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(&&(url_start, url_end)) = next_url.peek() {
            if i >= url_start {
                next_url.next();
                breaks = true;
                while chars.peek().is_some_and(|&(j, _)| j < url_end) {
                    chars.next();
                }
                continue;
            }
        }
        if matches!(c, '@' | '#' | '＠' | '＃') {
            // Skip the handle or tag, including a Mastodon "@user@instance.domain".
            while chars
                .peek()
                .is_some_and(|&(_, d)| is_word_char(d) || matches!(d, '@' | '.' | '-'))
            {
                chars.next();
            }
            breaks = true;
            continue;
        }
        if !is_word_char(c) {
            if !c.is_whitespace() {
                breaks = true;
            }
            continue;
        }
        let start = lowered.len();
        lowered.extend(c.to_lowercase());
        while let Some(&(_, d)) = chars.peek() {
            if is_word_char(d) {
                lowered.extend(d.to_lowercase());
                chars.next();
                continue;
            }
            // Keep an apostrophe or hyphen only when a letter follows it, and a digit separator only between
            // digits ("50,000", "2.5").
            let mut ahead = chars.clone();
            ahead.next();
            let next = ahead.peek().map(|&(_, e)| e);
            let inner_mark = matches!(d, '\'' | '’' | '-') && next.is_some_and(is_word_char);
            let digit_separator = matches!(d, ',' | '.')
                && lowered.ends_with(|p: char| p.is_ascii_digit())
                && next.is_some_and(|e| e.is_ascii_digit());
            if inner_mark || digit_separator {
                lowered.push(if d == '’' { '\'' } else { d });
                chars.next();
            } else {
                break;
            }
        }
        tokens.push(Token {
            text: start..lowered.len(),
            breaks_before: breaks,
        });
        breaks = false;
    }
    (lowered, tokens)
}
