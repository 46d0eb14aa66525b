//! Requests for information that can sit anywhere in a sentence ("does anyone know", "me podrían decir"),
//! matched word by word instead of by a regex.
//!
//! The phrases are those of [`ASKING_PHRASE_RE`]: case-insensitive literals with a few alternations, an
//! ASCII word boundary at each end. The matcher tries them only where a word starts with the first letter
//! of one of them, and compares bytes with ASCII case folding ('í' also matches 'Í'). The only other
//! characters that `(?i)` lets match a letter of the phrases are the long s 'ſ' and the Kelvin sign 'K',
//! which are not word bytes for the ASCII boundary; a text holding one of them (almost never) is left to
//! the regex.

use once_cell::sync::Lazy;
use regex::Regex;

use crate::entities::compile;

/// The phrases, written as a regex; the matcher's reference, and its fallback for 'ſ' and 'K'.
pub(super) static ASKING_PHRASE_RE: Lazy<Regex> = Lazy::new(|| {
    compile(
        r"(?i)(?-u:\b)(?:does (?:any|some)(?:one|body) know|(?:any|some)(?:one|body) knows? (?:if|whether|how|when|where|what|why|who)|(?:can|could|would) (?:any|some)(?:one|body) (?:tell|explain|help)|(?:can|could) you (?:please )?(?:tell|explain|let) me|(?:i was |i'm |i am |just )?wondering (?:if|whether)|i(?:'d| would) like to know|please (?:advise|let me know|tell me)|alguien sabe|sabe alguien|me (?:pueden|puede|podr[ií]an?|podr[ií]as|puedes) (?:decir|explicar|ayudar|informar|indicar)|quisiera saber|me gustar[ií]a saber)(?-u:\b)",
    )
});

/// A phrase: a sequence of groups, each matched by one of its alternatives (lower-case; "" is an empty
/// alternative).
type Phrase = &'static [&'static [&'static str]];

const ANY_ONE: &[&str] = &["any", "some"];
const ONE_BODY: &[&str] = &["one", "body"];

/// The alternatives of the regex, by the first letter of their words. "(?:i was |i'm |i am |just )?" before
/// "wondering" is left out: wherever a phrase with it matches, the same phrase without it matches too
/// (it ends in a space, so "wondering" starts a word).
const DOES: Phrase = &[&["does "], ANY_ONE, ONE_BODY, &[" know"]];
const KNOWS: Phrase = &[
    ANY_ONE,
    ONE_BODY,
    &[" knows ", " know "],
    &[
        "if", "whether", "how", "when", "where", "what", "why", "who",
    ],
];
const CAN_ANYONE: Phrase = &[
    &["can ", "could ", "would "],
    ANY_ONE,
    ONE_BODY,
    &[" tell", " explain", " help"],
];
const CAN_YOU: Phrase = &[
    &["can you ", "could you "],
    &["please ", ""],
    &["tell me", "explain me", "let me"],
];
const WONDERING: Phrase = &[&["wondering if", "wondering whether"]];
const LIKE_TO_KNOW: Phrase = &[&["i'd", "i would"], &[" like to know"]];
const PLEASE: Phrase = &[&["please "], &["advise", "let me know", "tell me"]];
const ALGUIEN: Phrase = &[&["alguien sabe"]];
const SABE: Phrase = &[&["sabe alguien"]];
const ME_PUEDE: Phrase = &[
    &["me "],
    &[
        "pueden ",
        "puede ",
        "podrían ",
        "podrian ",
        "podría ",
        "podria ",
        "podrías ",
        "podrias ",
        "puedes ",
    ],
    &["decir", "explicar", "ayudar", "informar", "indicar"],
];
const ME_GUSTARIA: Phrase = &[&["me gustaría saber", "me gustaria saber"]];
const QUISIERA: Phrase = &[&["quisiera saber"]];

/// Every phrase.
#[cfg(test)]
const ALL: [Phrase; 12] = [
    DOES,
    KNOWS,
    CAN_ANYONE,
    CAN_YOU,
    WONDERING,
    LIKE_TO_KNOW,
    PLEASE,
    ALGUIEN,
    SABE,
    ME_PUEDE,
    ME_GUSTARIA,
    QUISIERA,
];

/// The first four bytes of a text position, as `u32::from_le_bytes`, with bit 5 of each set: ASCII
/// letters lower-cased, ' ' and '\'' kept (other bytes may come to look like them, which only lets the
/// exact comparison run).
fn key(four: [u8; 4]) -> u32 {
    u32::from_le_bytes(four) | 0x2020_2020
}

/// The phrases by their first four bytes (as [`key`] gives them); every phrase has at least four.
const BY_KEY: [(&[u8; 4], &[Phrase]); 16] = [
    (b"does", &[DOES]),
    (b"anyo", &[KNOWS]),
    (b"anyb", &[KNOWS]),
    (b"some", &[KNOWS]),
    (b"can ", &[CAN_ANYONE, CAN_YOU]),
    (b"coul", &[CAN_ANYONE, CAN_YOU]),
    (b"woul", &[CAN_ANYONE]),
    (b"wond", &[WONDERING]),
    (b"i'd ", &[LIKE_TO_KNOW]),
    (b"i wo", &[LIKE_TO_KNOW]),
    (b"plea", &[PLEASE]),
    (b"algu", &[ALGUIEN]),
    (b"sabe", &[SABE]),
    (b"me p", &[ME_PUEDE]),
    (b"me g", &[ME_GUSTARIA]),
    (b"quis", &[QUISIERA]),
];

/// Sends the sixteen keys of [`BY_KEY`] to sixteen different slots (checked when [`SLOTS`] is built).
const MULTIPLIER: u32 = 0x448B_EF7B;

const fn slot(key: u32) -> usize {
    (key.wrapping_mul(MULTIPLIER) >> 28) as usize
}

/// [`BY_KEY`] by [`slot`]; a free slot has key 0, which [`key`] never gives.
static SLOTS: [(u32, &[Phrase]); 16] = {
    let mut slots: [(u32, &[Phrase]); 16] = [(0, &[]); 16];
    let mut k = 0;
    while k < BY_KEY.len() {
        let key = u32::from_le_bytes(*BY_KEY[k].0);
        let at = slot(key);
        assert!(slots[at].0 == 0, "two keys share a slot");
        slots[at] = (key, BY_KEY[k].1);
        k += 1;
    }
    slots
};

/// Bit `b & 31` set for the first byte `b` of each key of [`BY_KEY`]: an ASCII letter in either case whose
/// bit is clear starts no phrase.
const FIRST_LETTERS: u32 = {
    let mut bits = 0;
    let mut k = 0;
    while k < BY_KEY.len() {
        bits |= 1 << (BY_KEY[k].0[0] & 31);
        k += 1;
    }
    bits
};

/// The phrases that can start with these four bytes (see [`key`]).
fn phrases_starting(key: u32) -> &'static [Phrase] {
    let (slot_key, phrases) = SLOTS[slot(key)];
    if slot_key == key {
        phrases
    } else {
        &[]
    }
}

/// ASCII word bytes (`[0-9A-Za-z_]`, what `(?-u:\b)` looks at).
static WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

/// Each byte as the phrases are written: ASCII letters lower-cased, and the second byte of 'Í' (C3 8D)
/// made that of 'í' (C3 AD); a phrase holds that byte only after C3, so only 'Í' can match it there.
static FOLD: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).to_ascii_lowercase();
        b += 1;
    }
    table[0x8D] = 0xAD;
    table
};

/// Exactly `ASKING_PHRASE_RE.is_match(text)`.
pub(super) fn asks(text: &str) -> bool {
    // Whatever the matcher finds the regex finds too (same bytes, same boundaries); what it misses can
    // only be spelt with 'ſ' or 'K'.
    matches_somewhere(text.as_bytes())
        || (!text.is_ascii()
            && (text.contains('\u{17F}') || text.contains('\u{212A}'))
            && ASKING_PHRASE_RE.is_match(text))
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `chunk` that is an ASCII letter.
#[inline]
fn letters(chunk: u64) -> u64 {
    // Lower-case letters lie in 0x61..=0x7A once bit 5 is set; below 0x80 adding 0x1F reaches the high
    // bit from 0x61 on, adding 0x05 from 0x7B on, and neither carries into the next byte.
    let folded = (chunk & !HIGHS) | (ONES * 0x20);
    (folded + ONES * 0x1F) & !(folded + ONES * 0x05) & !chunk & HIGHS
}

/// Whether a phrase matches, spelt with ASCII letters (any case) and 'í'/'Í'. The letters that follow a
/// non-letter are found eight bytes at a time; at those that start a word with a phrase's first two
/// bytes the phrases are tried.
fn matches_somewhere(bytes: &[u8]) -> bool {
    let mut previous_letters = 0u64;
    let mut base = 0;
    loop {
        let (word, last) = match bytes.get(base..).and_then(|rest| rest.first_chunk::<8>()) {
            Some(&chunk) => (u64::from_le_bytes(chunk), false),
            None => {
                let rest = bytes.get(base..).unwrap_or_default();
                let mut tail = [0u8; 8];
                tail[..rest.len()].copy_from_slice(rest);
                (u64::from_le_bytes(tail), true)
            }
        };
        let letters = letters(word);
        // Letters after a non-letter: every word start that is a letter, and letters after a digit or
        // '_' (not word starts, sorted out below).
        let mut starts = letters & !((letters << 8) | (previous_letters >> 56));
        previous_letters = letters;
        while starts != 0 {
            let at = base + (starts.trailing_zeros() / 8) as usize;
            starts &= starts - 1;
            if FIRST_LETTERS & (1 << (bytes[at] & 31)) == 0 {
                continue;
            }
            let Some(&four) = bytes.get(at..).and_then(|rest| rest.first_chunk::<4>()) else {
                continue;
            };
            let phrases = phrases_starting(key(four));
            if !phrases.is_empty()
                && (at == 0 || !WORD_BYTE[usize::from(bytes[at - 1])])
                && phrases.iter().any(|phrase| matches_at(bytes, at, phrase))
            {
                return true;
            }
        }
        if last {
            return false;
        }
        base += 8;
    }
}

/// Whether `phrase` matches at `at` (a word start) and ends at a word boundary.
fn matches_at(bytes: &[u8], at: usize, phrase: &[&[&str]]) -> bool {
    let Some((group, rest)) = phrase.split_first() else {
        return bytes.get(at).is_none_or(|&b| !WORD_BYTE[usize::from(b)]);
    };
    group.iter().any(|alternative| {
        let end = at + alternative.len();
        bytes.get(at..end).is_some_and(|window| {
            window
                .iter()
                .zip(alternative.as_bytes())
                .all(|(&b, &p)| FOLD[usize::from(b)] == p)
        }) && matches_at(bytes, end, rest)
    })
}

#[cfg(test)]
mod tests;
