//! Key phrases, RAKE-style (Rose et al., 2010): candidates are runs of words between stop words and
//! punctuation; each word scores degree / frequency over the candidates, a phrase the sum of its words.

use std::collections::HashSet;
use std::ops::Range;

use once_cell::sync::Lazy;

use super::url_spans;

static ENGLISH_STOP_WORDS: Lazy<HashSet<&'static str>> =
    Lazy::new(|| parse_list(include_str!("../../data/stopwords/en.txt")));
static SPANISH_STOP_WORDS: Lazy<HashSet<&'static str>> =
    Lazy::new(|| parse_list(include_str!("../../data/stopwords/es.txt")));

fn parse_list(text: &'static str) -> HashSet<&'static str> {
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
    let english_hits = tokens
        .iter()
        .filter(|t| ENGLISH_STOP_WORDS.contains(word(t)))
        .count();
    let spanish_hits = tokens
        .iter()
        .filter(|t| SPANISH_STOP_WORDS.contains(word(t)))
        .count();
    let stop_words: &HashSet<&str> = if spanish_hits > english_hits {
        &SPANISH_STOP_WORDS
    } else {
        &ENGLISH_STOP_WORDS
    };
    let one_word_phrases =
        english_hits == 0 && spanish_hits == 0 && tokens.len() > MIN_WORDS_FOR_LANGUAGE_GUESS;

    // Candidate phrases as token index ranges.
    let mut candidates: Vec<Range<usize>> = Vec::new();
    let mut start: Option<usize> = None;
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
    for (i, token) in tokens.iter().enumerate() {
        let is_stop = stop_words.contains(word(token));
        if let Some(s) = start {
            if token.breaks_before || is_stop || one_word_phrases {
                close(&mut candidates, s..i);
                start = None;
            }
        }
        if !is_stop && start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        close(&mut candidates, s..tokens.len());
    }
    candidates.retain(|range| {
        range.len() > 1 || {
            let w = word(&tokens[range.start]);
            w.chars().count() >= 3 && w.chars().any(char::is_alphabetic)
        }
    });

    // Word statistics over all candidate occurrences: (word, frequency, degree).
    let mut stats: Vec<(&str, u32, u32)> = Vec::new();
    for range in &candidates {
        let degree = range.len() as u32;
        for token in &tokens[range.clone()] {
            let w = word(token);
            match stats.iter_mut().find(|(seen, _, _)| *seen == w) {
                Some(entry) => {
                    entry.1 += 1;
                    entry.2 += degree;
                }
                None => stats.push((w, 1, degree)),
            }
        }
    }
    let word_score = |w: &str| {
        stats
            .iter()
            .find(|(seen, _, _)| *seen == w)
            .map_or(0.0, |&(_, freq, degree)| {
                f64::from(degree) / f64::from(freq)
            })
    };

    let mut scored: Vec<(f64, usize, String)> = Vec::with_capacity(candidates.len());
    for (position, range) in candidates.iter().enumerate() {
        let mut phrase = String::new();
        let mut score = 0.0;
        for token in &tokens[range.clone()] {
            if !phrase.is_empty() {
                phrase.push(' ');
            }
            phrase.push_str(word(token));
            score += word_score(word(token));
        }
        if !scored.iter().any(|(_, _, seen)| *seen == phrase) {
            scored.push((score, position, phrase));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(max);
    scored.into_iter().map(|(_, _, phrase)| phrase).collect()
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
            // Keep an apostrophe or hyphen only when a letter follows it.
            let mut ahead = chars.clone();
            ahead.next();
            let letter_follows = ahead.peek().is_some_and(|&(_, e)| is_word_char(e));
            if letter_follows && matches!(d, '\'' | '’' | '-') {
                lowered.push(if d == '-' { '-' } else { '\'' });
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
