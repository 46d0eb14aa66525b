//! Splitting a text into VADER's tokens (`str.split()`, then `_strip_punc_if_word`), each with its
//! table entry and `isupper()`, in one pass over the bytes that also counts "!" and "?".

use super::pystr;
use super::words::{Entry, BOOST_DOWN, BOOST_UP, NEGATION, VALENCE};
use super::Vader;
use crate::short_words::MAX_BYTES;

/// Token flag: `isupper()`.
pub(super) const UPPER: u8 = 0x10;

/// One token as the rules see it: its entry's valence and id, and the entry's flags plus [`UPPER`] and,
/// for a word outside the table that contains "n't", [`NEGATION`]. The text itself is not needed again.
#[derive(Clone, Copy, Default)]
pub(super) struct Token {
    pub(super) valence: f64,
    pub(super) flags: u8,
    pub(super) word: u8,
}

/// Byte classes: which bytes end a word, have a case, are `string.punctuation`, or may start a
/// non-ASCII whitespace character (U+0085/U+00A0, U+1680, U+2000..U+205F, U+3000).
const SPACE: u8 = 1;
const PUNCT: u8 = 2;
const UPPER_LETTER: u8 = 4;
const LOWER_LETTER: u8 = 8;
const EMPHASIS: u8 = 16;
const NON_ASCII: u8 = 32;
const MAYBE_SPACE: u8 = 64;
const APOSTROPHE: u8 = 128;

static CLASS: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if matches!(byte, b'\t'..=b'\r' | 0x1C..=0x20) {
            SPACE
        } else if byte.is_ascii_uppercase() {
            UPPER_LETTER
        } else if byte.is_ascii_lowercase() {
            LOWER_LETTER
        } else if byte == b'!' || byte == b'?' {
            PUNCT | EMPHASIS
        } else if byte == b'\'' {
            PUNCT | APOSTROPHE
        } else if byte.is_ascii_punctuation() {
            PUNCT
        } else if matches!(byte, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            NON_ASCII | MAYBE_SPACE
        } else if byte >= 0x80 {
            NON_ASCII
        } else {
            0
        };
        b += 1;
    }
    table
}

/// The tokens of a text and what else the scores need from it.
#[derive(Default)]
pub(super) struct Tokenized {
    pub(super) tokens: Vec<Token>,
    /// Room for lower-casing one non-ASCII word.
    lowered: String,
    pub(super) exclamations: usize,
    pub(super) questions: usize,
    /// Indices of the lexicon words that are no booster: the tokens `sentiment_valence` may score.
    pub(super) lexicon_words: Vec<usize>,
    /// How many tokens are `isupper()`.
    pub(super) upper_count: usize,
    /// Bit `id` set if some token has the id (`words::WORDS`), so rules can tell a word is absent.
    pub(super) ids_seen: u64,
}

/// Whether the lower case of `word` (ASCII case ignored) contains "n't".
pub(super) fn has_nt(word: &[u8]) -> bool {
    // Look around each apostrophe (few) rather than at every 3-byte window.
    (1..word.len().saturating_sub(1))
        .any(|at| word[at] == b'\'' && word[at - 1] | 0x20 == b'n' && word[at + 1] | 0x20 == b't')
}

/// `short_words::pack_ascii_lower` of the ASCII word of `len` (1 to 16) bytes at the start of `window`,
/// in two 64-bit halves (its 128-bit mask and additions cost about twice as many instructions).
/// `has_upper` false says the word has no upper-case letter: then it is packed as it is.
pub(super) fn pack_lower(window: &[u8; MAX_BYTES], len: usize, has_upper: bool) -> u128 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES << 7;
    // The first `bytes` (1 to 8) bytes of `half`, lower-cased: upper-case letters are the bytes from
    // b'A' and not after b'Z', found by two additions per byte that cannot carry (all bytes < 0x80).
    let lower = |half: &[u8], bytes: usize| -> u64 {
        let key = u64::from_le_bytes(<[u8; 8]>::try_from(half).unwrap_or_default())
            & (u64::MAX >> (64 - 8 * bytes));
        if !has_upper {
            return key;
        }
        let from_a = key + ONES * u64::from(0x80 - b'A');
        let after_z = key + ONES * u64::from(0x80 - b'Z' - 1);
        key | (from_a & !after_z & HIGH) >> 2
    };
    let (low, high) = window.split_at(8);
    if len <= 8 {
        u128::from(lower(low, len))
    } else {
        u128::from(lower(high, len - 8)) << 64 | u128::from(lower(low, 8))
    }
}

/// `_strip_punc_if_word` of the ASCII word `bytes[start..end]`, as a byte range: punctuation off both
/// ends unless fewer than three characters would remain (an emoticon, kept whole).
pub(super) fn strip_punc_ascii(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let punct = |at: usize| CLASS[usize::from(bytes[at])] & PUNCT != 0;
    let mut from = start;
    while from < end && punct(from) {
        from += 1;
    }
    let mut to = end;
    while to > from && punct(to - 1) {
        to -= 1;
    }
    if to - from < 3 {
        (start, end)
    } else {
        (from, to)
    }
}

/// Whether the non-ASCII character starting at `at` is Python whitespace, and its length.
fn unicode_space_at(text: &str, at: usize) -> (bool, usize) {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or((false, 1), |c| (pystr::is_whitespace(c), c.len_utf8()))
}

impl Vader {
    /// Fill `out` with the tokens of `text` (ranges must fit in `u32`: the caller checks the length).
    pub(super) fn tokenize(&self, text: &str, out: &mut Tokenized) {
        out.tokens.clear();
        out.exclamations = 0;
        out.questions = 0;
        out.lexicon_words.clear();
        out.upper_count = 0;
        out.ids_seen = 0;
        let bytes = text.as_bytes();
        let mut at = 0;
        loop {
            // Whitespace; a non-ASCII character is looked at only if its lead byte can start a space.
            while let Some(&b) = bytes.get(at) {
                let class = CLASS[usize::from(b)];
                if class & SPACE != 0 {
                    at += 1;
                } else if class & MAYBE_SPACE != 0 {
                    match unicode_space_at(text, at) {
                        (true, width) => at += width,
                        (false, _) => break,
                    }
                } else {
                    break;
                }
            }
            if at >= bytes.len() {
                return;
            }
            let start = at;
            let mut seen = 0;
            while let Some(&b) = bytes.get(at) {
                let class = CLASS[usize::from(b)];
                if class & (SPACE | MAYBE_SPACE) != 0
                    && (class & SPACE != 0 || unicode_space_at(text, at).0)
                {
                    break;
                }
                seen |= class;
                at += 1;
            }
            if seen & EMPHASIS != 0 {
                let word = &bytes[start..at];
                out.exclamations += word.iter().filter(|&&b| b == b'!').count();
                out.questions += word.iter().filter(|&&b| b == b'?').count();
            }
            let token = if seen & NON_ASCII == 0 {
                self.ascii_token(bytes, start, at, seen)
            } else {
                self.general_token(text, start, at, seen, &mut out.lowered)
            };
            if token.flags & (VALENCE | BOOST_UP | BOOST_DOWN) == VALENCE {
                out.lexicon_words.push(out.tokens.len());
            }
            out.upper_count += usize::from(token.flags & UPPER != 0);
            out.ids_seen |= 1 << token.word;
            out.tokens.push(token);
        }
    }

    /// The token of the ASCII word `bytes[start..end]` whose byte classes together are `seen`.
    fn ascii_token(&self, bytes: &[u8], start: usize, end: usize, seen: u8) -> Token {
        let (start, end) = if seen & PUNCT != 0 {
            strip_punc_ascii(bytes, start, end)
        } else {
            (start, end)
        };
        // Stripping removes only punctuation, which has no case: the whole word's letters decide.
        let mut flags = if seen & UPPER_LETTER != 0 && seen & LOWER_LETTER == 0 {
            UPPER
        } else {
            0
        };
        if seen & APOSTROPHE != 0 && has_nt(&bytes[start..end]) {
            flags |= NEGATION;
        }
        let len = end - start;
        let entry = if len <= MAX_BYTES {
            // The 16 bytes from the word's start (only its own are used), or near the end of the
            // text its bytes alone, copied one by one (a copy of variable length is a `memcpy` call).
            let window = match bytes.get(start..start + MAX_BYTES) {
                Some(whole) => <[u8; MAX_BYTES]>::try_from(whole).unwrap_or_default(),
                None => {
                    let mut window = [0u8; MAX_BYTES];
                    for (to, &from) in window.iter_mut().zip(&bytes[start..end]) {
                        *to = from;
                    }
                    window
                }
            };
            self.short_lexicon
                .get_packed(
                    pack_lower(&window, len, seen & UPPER_LETTER != 0),
                    len as u8,
                )
                .unwrap_or_default()
        } else {
            let lower = bytes[start..end].to_ascii_lowercase();
            self.long_word_entry(std::str::from_utf8(&lower).unwrap_or_default())
        };
        Token {
            valence: entry.valence,
            flags: entry.flags | flags,
            word: entry.word,
        }
    }

    /// The token of the word `text[start..end]` that holds non-ASCII characters (`seen`: its bytes'
    /// classes).
    fn general_token(
        &self,
        text: &str,
        start: usize,
        end: usize,
        seen: u8,
        lowered: &mut String,
    ) -> Token {
        let raw = text.get(start..end).unwrap_or_default();
        // Without punctuation there is nothing to strip.
        let word = if seen & PUNCT != 0 {
            pystr::strip_punc_if_word(raw)
        } else {
            raw
        };
        if !self.non_ascii_keys_reachable && !pystr::lowers_to_ascii(word) {
            // The lower case would not be ASCII, and no key that is not ASCII is a lower case: no
            // entry, so the lower case is not needed; "n't" is the same in the word (a test checks
            // no other character lower-cases to "n", "t" or an apostrophe).
            let mut flags = 0;
            if pystr::is_upper_fast(word) {
                flags |= UPPER;
            }
            if seen & APOSTROPHE != 0 && has_nt(word.as_bytes()) {
                flags |= NEGATION;
            }
            return Token {
                valence: 0.0,
                flags,
                word: 0,
            };
        }
        lowered.clear();
        let (lower, is_upper) = pystr::lower_into(word, lowered);
        let lower = lower.map_or(word, |(from, to)| lowered.get(from..to).unwrap_or_default());
        let entry = self.entry_of(lower);
        let mut flags = entry.flags;
        if is_upper {
            flags |= UPPER;
        }
        // No character but the apostrophe lower-cases to one (a test checks every char).
        if seen & APOSTROPHE != 0 && has_nt(lower.as_bytes()) {
            flags |= NEGATION;
        }
        Token {
            valence: entry.valence,
            flags,
            word: entry.word,
        }
    }

    /// The entry of the lower-cased word `lower`.
    pub(super) fn entry_of(&self, lower: &str) -> Entry {
        if !lower.is_ascii() && !self.non_ascii_words.contains(&lower) {
            // Only a key that is not ASCII either could match: the lexicon has two (":Þ", ":-Þ").
            Entry::default()
        } else if lower.len() <= MAX_BYTES {
            self.short_lexicon.get(lower).unwrap_or_default()
        } else {
            self.long_word_entry(lower)
        }
    }

    /// The entry of a word longer than the short table's keys: a valence at most (every rule word is
    /// short).
    fn long_word_entry(&self, lower: &str) -> Entry {
        match self.lexicon.get(lower) {
            Some(&valence) => Entry {
                valence,
                flags: VALENCE,
                word: 0,
            },
            None => Entry::default(),
        }
    }
}
