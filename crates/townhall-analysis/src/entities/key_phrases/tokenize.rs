//! Splits a post into lower-cased words for the key-phrase scorer.

use crate::short_words::MAX_BYTES;

/// One word of the lower-cased buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Token {
    /// Byte range into the lower-cased buffer.
    pub(super) start: usize,
    pub(super) end: usize,
    /// Punctuation, a link, a mention or a hashtag separates this token from the previous one.
    pub(super) breaks_before: bool,
    /// Stop-word flags, set after tokenizing (see `mark_stop_words`).
    pub(super) stop: u8,
}

/// What an ASCII byte means to the tokenizer; bytes from 0x80 are `NON_ASCII` (their character decides).
const OTHER: u8 = 0;
const WORD: u8 = 1;
const SPACE: u8 = 2;
const TAG: u8 = 3;
const NON_ASCII: u8 = 4;

/// One table read per byte instead of a chain of range tests. SPACE is `char::is_whitespace` in ASCII
/// (tab to carriage return, space); WORD is ASCII alphanumeric or '_'.
static CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte >= 0x80 {
            NON_ASCII
        } else if byte.is_ascii_alphanumeric() || byte == b'_' {
            WORD
        } else if matches!(byte, b'\t'..=b'\r' | b' ') {
            SPACE
        } else if matches!(byte, b'@' | b'#') {
            TAG
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        crate::chars::is_alphanumeric(c)
    }
}

/// `c.to_lowercase()` appended to `out`, without the Unicode tables for caseless letters.
fn push_lower(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if crate::chars::is_caseless(c) {
        out.push(c);
    } else {
        out.extend(c.to_lowercase());
    }
}

/// The character starting at byte `at` (a character boundary), if any.
#[inline]
fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|rest| rest.chars().next())
}

/// Whether the character at byte `at` is a word character.
#[inline]
fn word_char_at(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        None => false,
        Some(&b) if b < 0x80 => CLASS[usize::from(b)] == WORD,
        Some(_) => char_at(text, at).is_some_and(is_word_char),
    }
}

/// Lower-cases the words of `text` into one buffer (apostrophes straightened) and records where phrases
/// must break. Inner apostrophes and hyphens stay inside a word ("don't", "self-driving"). Works over
/// bytes: ASCII bytes are classed by a table; only non-ASCII characters are decoded.
///
/// An ASCII text is lower-cased whole (one vectorised pass) and its words are found in place; otherwise
/// the words are copied one after another, each followed by a space. Either way the words of a phrase,
/// if one space apart, are one slice of the buffer.
pub(super) fn tokenize(text: &str, urls: &[(usize, usize)]) -> (String, Vec<Token>) {
    let bytes = text.as_bytes();
    let ascii = text.is_ascii();
    // Room for the padding `key_phrases_with` appends.
    let mut lowered = String::with_capacity(bytes.len() + MAX_BYTES + 1);
    if ascii {
        lowered.push_str(text);
        lowered.make_ascii_lowercase();
    }
    let mut tokens: Vec<Token> = Vec::with_capacity(bytes.len() / 5 + 4);
    let mut breaks = false;
    let mut next_url = 0;
    // Where the next link starts (`usize::MAX` after the last): one comparison per character.
    let url_start_at = |k: usize| urls.get(k).map_or(usize::MAX, |&(start, _)| start);
    let mut url_start = url_start_at(0);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if i >= url_start {
            let url_end = urls.get(next_url).map_or(0, |&(_, end)| end);
            next_url += 1;
            url_start = url_start_at(next_url);
            breaks = true;
            // The character here and every one that starts before the link's end.
            i = (i + utf8_len(b)).max(url_end);
            while i < bytes.len() && !text.is_char_boundary(i) {
                i += 1;
            }
            continue;
        }
        let class = CLASS[usize::from(b)];
        if class == NON_ASCII {
            let Some(c) = char_at(text, i) else {
                break;
            };
            if !is_word_char(c) {
                i += c.len_utf8();
                if matches!(c, '＠' | '＃') {
                    i = skip_tag(text, i);
                    breaks = true;
                } else if !c.is_whitespace() {
                    breaks = true;
                }
                continue;
            }
        } else if class != WORD {
            i += 1;
            if class == TAG {
                i = skip_tag(text, i);
                breaks = true;
            } else if class == OTHER {
                breaks = true;
            }
            continue;
        }
        let (start, end) = if ascii {
            let start = i;
            i = ascii_word_end(bytes, i);
            (start, i)
        } else {
            let start = lowered.len();
            i = push_word(text, i, &mut lowered);
            let end = lowered.len();
            lowered.push(' ');
            (start, end)
        };
        tokens.push(Token {
            start,
            end,
            breaks_before: breaks,
            stop: 0,
        });
        breaks = false;
    }
    (lowered, tokens)
}

/// Where the word starting at `i` (an ASCII word byte) of an ASCII text ends: [`push_word`]'s rules
/// without the copy.
fn ascii_word_end(bytes: &[u8], mut i: usize) -> usize {
    let is_word = |at: usize| {
        bytes
            .get(at)
            .is_some_and(|&b| CLASS[usize::from(b)] == WORD)
    };
    loop {
        while is_word(i) {
            i += 1;
        }
        let Some(&d) = bytes.get(i) else {
            return i;
        };
        // The word so far ends at `i - 1` (`i` is past its first byte).
        let inner_mark = matches!(d, b'\'' | b'-') && is_word(i + 1);
        let digit_separator = matches!(d, b',' | b'.')
            && bytes.get(i.wrapping_sub(1)).is_some_and(u8::is_ascii_digit)
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !(inner_mark || digit_separator) {
            return i;
        }
        i += 1;
    }
}

/// Length of the UTF-8 sequence that `lead` starts.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0..=0x7F => 1,
        0x80..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// Skips the handle or tag after '@' / '#', including a Mastodon "@user@instance.domain"; returns where
/// it ends.
fn skip_tag(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            if CLASS[usize::from(b)] == WORD || matches!(b, b'@' | b'.' | b'-') {
                i += 1;
                continue;
            }
            break;
        }
        match char_at(text, i) {
            Some(c) if is_word_char(c) => i += c.len_utf8(),
            _ => break,
        }
    }
    i
}

/// ASCII word bytes lower-cased; 0 for every other byte.
static LOWER_WORD: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        if CLASS[b] == WORD {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// Appends the word starting at `i` (a word character) to `lowered`, lower-cased; returns where the word
/// ends.
fn push_word(text: &str, mut i: usize, lowered: &mut String) -> usize {
    let bytes = text.as_bytes();
    loop {
        // ASCII word bytes one at a time: cheaper than finding the run's end, copying it and lower-casing it.
        let d = loop {
            let Some(&d) = bytes.get(i) else {
                return i;
            };
            let lower = LOWER_WORD[usize::from(d)];
            if lower == 0 {
                break d;
            }
            lowered.push(char::from(lower));
            i += 1;
        };
        if d >= 0x80 {
            let Some(c) = char_at(text, i) else {
                return i;
            };
            let after = i + c.len_utf8();
            if is_word_char(c) {
                push_lower(lowered, c);
                i = after;
            } else if c == '’' && word_char_at(text, after) {
                lowered.push('\'');
                i = after;
            } else {
                return i;
            }
            continue;
        }
        // Keep an apostrophe or hyphen only when a letter follows it, and a digit separator only between
        // digits ("50,000", "2.5").
        let inner_mark = matches!(d, b'\'' | b'-') && word_char_at(text, i + 1);
        let digit_separator = matches!(d, b',' | b'.')
            && lowered.as_bytes().last().is_some_and(u8::is_ascii_digit)
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !(inner_mark || digit_separator) {
            return i;
        }
        lowered.push(char::from(d));
        i += 1;
    }
}
