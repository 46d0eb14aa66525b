//! The key-phrase code as it was before the single-pass rewrite, kept as the oracle the property tests
//! compare the faster code with.

use std::collections::HashMap;
use std::ops::Range;

use super::{
    stop_flags, FastHash, MAX_PHRASE_WORDS, MIN_WORDS_FOR_LANGUAGE_GUESS, STOP_WORD_TABLE,
};
use crate::short_words::{pack_ascii_lower, MAX_BYTES};

#[derive(Debug, PartialEq)]
pub(super) struct Token {
    /// Range into the lower-cased buffer.
    pub(super) text: Range<usize>,
    /// Punctuation, a link, a mention or a hashtag separates this token from the previous one.
    pub(super) breaks_before: bool,
}

/// [`key_phrases`] given the text's [`url_spans`] (computed once per post by `analyze`).
pub(super) fn key_phrases_with(text: &str, max: usize, urls: &[(usize, usize)]) -> Vec<String> {
    if max == 0 {
        return Vec::new();
    }
    let (mut lowered, tokens) = tokenize(text, urls);
    // 16 zero bytes after the words (no token reaches them): an ASCII word is packed for the stop-word
    // look-up from its 16-byte window in one load.
    lowered.push_str("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    if tokens.is_empty() {
        return Vec::new();
    }
    let word = |t: &Token| &lowered[t.text.clone()];
    // Per token: is it an English / Spanish stop word.
    let windows = lowered.as_bytes();
    let flags: Vec<(bool, bool)> = tokens
        .iter()
        .map(|t| {
            let len = t.text.len();
            let key = windows
                .get(t.text.start..t.text.start + MAX_BYTES)
                .and_then(|window| <&[u8; MAX_BYTES]>::try_from(window).ok())
                .and_then(|window| pack_ascii_lower(window, len));
            match key {
                Some(key) => STOP_WORD_TABLE
                    .get_packed(key, len as u8)
                    .unwrap_or((false, false)),
                None => stop_flags(word(t)),
            }
        })
        .collect();
    let english_hits = flags.iter().filter(|f| f.0).count();
    let spanish_hits = flags.iter().filter(|f| f.1).count();
    let spanish = spanish_hits > english_hits;
    let one_word_phrases =
        english_hits == 0 && spanish_hits == 0 && tokens.len() > MIN_WORDS_FOR_LANGUAGE_GUESS;
    let is_stop = |i: usize| if spanish { flags[i].1 } else { flags[i].0 };

    // Candidate phrases as token index ranges.
    let mut candidates: Vec<Range<usize>> = Vec::with_capacity(tokens.len());
    let close = |candidates: &mut Vec<Range<usize>>, range: Range<usize>| {
        // Leading counts ("12 billion", "2019 house …") describe, they are not the subject.
        let first_word = (range.start..range.end)
            .find(|&i| word(&tokens[i]).chars().any(crate::chars::is_alphabetic))
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
            w.chars().nth(2).is_some() && w.chars().any(crate::chars::is_alphabetic)
        }
    });
    if candidates.is_empty() {
        return Vec::new();
    }

    // Word ids (in order of first occurrence), then frequency and degree per word over all candidate
    // occurrences. A post has few distinct candidate words: they are searched in a list until there are
    // more than `LINEAR_IDS`, then in a hash map.
    const LINEAR_IDS: usize = 24;
    let mut distinct: Vec<&str> = Vec::with_capacity(LINEAR_IDS);
    let mut ids: Option<HashMap<&str, usize, FastHash>> = None;
    let mut token_word = vec![usize::MAX; tokens.len()];
    let mut stats: Vec<(u32, u32)> = Vec::with_capacity(tokens.len());
    for range in &candidates {
        let degree = range.len() as u32;
        for i in range.clone() {
            let w = word(&tokens[i]);
            let next_id = distinct.len();
            let id = match ids.as_mut() {
                Some(map) => *map.entry(w).or_insert(next_id),
                None => distinct.iter().position(|d| *d == w).unwrap_or(next_id),
            };
            if id == next_id {
                distinct.push(w);
                if ids.is_none() && distinct.len() > LINEAR_IDS {
                    ids = Some(
                        distinct
                            .iter()
                            .enumerate()
                            .map(|(id, d)| (*d, id))
                            .collect(),
                    );
                }
            }
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
    let mut phrases = Vec::with_capacity(max.min(scored.len()));
    for &(_, position) in scored.iter().take(max) {
        let words = &tokens[candidates[position].clone()];
        let length = words.iter().map(|t| t.text.len() + 1).sum::<usize>();
        let mut phrase = String::with_capacity(length);
        for token in words {
            if !phrase.is_empty() {
                phrase.push(' ');
            }
            phrase.push_str(word(token));
        }
        phrases.push(phrase);
    }
    phrases
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        crate::chars::is_alphanumeric(c)
    }
}

/// `c.to_lowercase()` appended to `out`, without the Unicode tables for ASCII.
fn push_lower(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if crate::chars::is_caseless(c) {
        out.push(c);
    } else {
        out.extend(c.to_lowercase());
    }
}

/// Lower-cases the words of `text` into one buffer (apostrophes straightened) and records where phrases must
/// break. Inner apostrophes and hyphens stay inside a word ("don't", "self-driving").
fn tokenize(text: &str, urls: &[(usize, usize)]) -> (String, Vec<Token>) {
    if text.is_ascii() {
        tokenize_ascii(text, urls)
    } else {
        tokenize_chars(text, urls)
    }
}

/// [`tokenize`] for any text, character by character.
pub(super) fn tokenize_chars(text: &str, urls: &[(usize, usize)]) -> (String, Vec<Token>) {
    let mut lowered = String::with_capacity(text.len() + MAX_BYTES);
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5 + 4);
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
        push_lower(&mut lowered, c);
        while let Some(&(_, d)) = chars.peek() {
            if is_word_char(d) {
                push_lower(&mut lowered, d);
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

/// [`tokenize`] for ASCII text, over bytes: the same steps with the ASCII meaning of each test (no
/// full-width '@'/'#', no typographic apostrophe, `is_word_char` is ASCII alphanumeric or '_').
pub(super) fn tokenize_ascii(text: &str, urls: &[(usize, usize)]) -> (String, Vec<Token>) {
    let bytes = text.as_bytes();
    let word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    // (Room for the padding `key_phrases_with` appends.)
    let mut lowered: Vec<u8> = Vec::with_capacity(bytes.len() + MAX_BYTES);
    let mut tokens: Vec<Token> = Vec::with_capacity(bytes.len() / 5 + 4);
    let mut breaks = false;
    let mut next_url = urls.iter().peekable();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if let Some(&&(url_start, url_end)) = next_url.peek() {
            if i >= url_start {
                next_url.next();
                breaks = true;
                // The character here and every one that starts before the link's end.
                i = (i + 1).max(url_end);
                continue;
            }
        }
        i += 1;
        if matches!(c, b'@' | b'#') {
            // Skip the handle or tag, including a Mastodon "@user@instance.domain".
            while bytes
                .get(i)
                .is_some_and(|&d| word_byte(d) || matches!(d, b'@' | b'.' | b'-'))
            {
                i += 1;
            }
            breaks = true;
            continue;
        }
        if !word_byte(c) {
            // `char::is_whitespace` in ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
            if !matches!(c, b'\t'..=b'\r' | b' ') {
                breaks = true;
            }
            continue;
        }
        let start = lowered.len();
        // Runs of word bytes are copied whole and lower-cased at the end (case does not matter to the
        // digit test below).
        let mut run_start = i - 1;
        loop {
            let run_end = bytes[i..]
                .iter()
                .position(|&d| !word_byte(d))
                .map_or(bytes.len(), |offset| i + offset);
            lowered.extend_from_slice(&bytes[run_start..run_end]);
            i = run_end;
            let Some(&d) = bytes.get(i) else {
                break;
            };
            // Keep an apostrophe or hyphen only when a letter follows it, and a digit separator only between
            // digits ("50,000", "2.5").
            let next = bytes.get(i + 1).copied();
            let inner_mark = matches!(d, b'\'' | b'-') && next.is_some_and(word_byte);
            let digit_separator = matches!(d, b',' | b'.')
                && lowered.last().is_some_and(u8::is_ascii_digit)
                && next.is_some_and(|e| e.is_ascii_digit());
            if inner_mark || digit_separator {
                lowered.push(d);
                i += 1;
                run_start = i;
            } else {
                break;
            }
        }
        lowered[start..].make_ascii_lowercase();
        tokens.push(Token {
            text: start..lowered.len(),
            breaks_before: breaks,
        });
        breaks = false;
    }
    // Only ASCII bytes were pushed.
    let lowered = String::from_utf8(lowered).unwrap_or_default();
    (lowered, tokens)
}
