//! VADER sentiment: a rule-for-rule port of Python `vaderSentiment` 3.3.2 (Hutto & Gilbert 2014, MIT).
//!
//! Scores equal the reference's (after its rounding: compound to 4 decimals, pos/neu/neg to 3), including
//! its quirks, e.g. the "but" rule rescales the *first* score equal to each score (Python `list.index`).
//! The lexicons are compiled in from `data/vader/` (see the README and licence there).

mod emoji;
mod pystr;
#[cfg(test)]
mod reference;
mod rules;
mod tokens;
mod valence;
mod words;

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use once_cell::sync::Lazy;

use crate::short_words::ShortWords;
use townhall_core::Sentiment;

const LEXICON_TEXT: &str = include_str!("../../data/vader/vader_lexicon.txt");
const EMOJI_LEXICON_TEXT: &str = include_str!("../../data/vader/emoji_utf8_lexicon.txt");

/// The VADER analyser: the word lexicon and the emoji descriptions, built once.
pub struct Vader {
    lexicon: HashMap<&'static str, f64, BuildHasherDefault<FxHasher>>,
    /// The lexicon's words of up to 16 bytes (all but a few dozen) and the rule words (all short), with
    /// what the rules ask of them; longer words are looked up in `lexicon`.
    short_lexicon: ShortWords<words::Entry>,
    /// The lexicon's words that are not ASCII (the rule words all are).
    non_ascii_words: Vec<&'static str>,
    /// Whether one of them is its own lower case (a lower-cased word could equal it); in 3.3.2 neither
    /// is (":Þ", ":-Þ").
    non_ascii_keys_reachable: bool,
    emoji: emoji::Emoji,
}

static VADER: Lazy<Vader> = Lazy::new(Vader::new);

/// Buffers reused from text to text (allocating them per call cost more than a short text's rules).
#[derive(Default)]
struct Scratch {
    tokenized: tokens::Tokenized,
    scores: valence::Scores,
}

/// Tokens kept after a call at most (a very long text's buffers are dropped, not kept for ever).
const SCRATCH_KEPT_TOKENS: usize = 1 << 14;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The shared analyser (the lexicons are parsed on first use).
pub fn vader() -> &'static Vader {
    &VADER
}

impl Vader {
    fn new() -> Self {
        let lexicon = parse_lexicon(LEXICON_TEXT);
        let entries = words::entries(lexicon.iter().map(|(word, value)| (*word, *value)));
        let short_lexicon = ShortWords::new(entries);
        let non_ascii_words: Vec<&str> = lexicon
            .keys()
            .filter(|word| !word.is_ascii())
            .copied()
            .collect();
        // Lower-casing twice changes nothing more (a test checks every char), so a key that lower-case
        // changes is no word's lower case.
        let non_ascii_keys_reachable = non_ascii_words
            .iter()
            .any(|word| word.to_lowercase() == *word);
        Vader {
            lexicon,
            short_lexicon,
            non_ascii_words,
            non_ascii_keys_reachable,
            emoji: emoji::Emoji::new(EMOJI_LEXICON_TEXT),
        }
    }

    /// VADER scores of `text` as `vaderSentiment` 3.3.2 `polarity_scores` computes them.
    pub fn polarity_scores(&self, text: &str) -> Sentiment {
        let text = self.emoji.replace(text);
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => {
                let Scratch { tokenized, scores } = &mut *scratch;
                self.tokenize(&text, tokenized);
                let scores = valence::polarity(tokenized, scores);
                if tokenized.tokens.capacity() > SCRATCH_KEPT_TOKENS {
                    *scratch = Scratch::default();
                }
                scores
            }
            // Not reached (nothing here calls back in), but fresh buffers would do.
            Err(_) => {
                let Scratch {
                    mut tokenized,
                    mut scores,
                } = Scratch::default();
                self.tokenize(&text, &mut tokenized);
                valence::polarity(&tokenized, &mut scores)
            }
        })
    }
}

/// `make_lex_dict`: first two tab-separated fields of each non-empty line; later duplicates win.
fn parse_lexicon(text: &'static str) -> HashMap<&'static str, f64, BuildHasherDefault<FxHasher>> {
    let mut lexicon = HashMap::with_capacity_and_hasher(8192, BuildHasherDefault::default());
    for line in text.trim_end_matches('\n').split('\n') {
        let mut fields = line.trim_matches(pystr::is_whitespace).split('\t');
        if let (Some(word), Some(Ok(measure))) =
            (fields.next(), fields.next().map(str::parse::<f64>))
        {
            if !line.is_empty() {
                lexicon.insert(word, measure);
            }
        }
    }
    lexicon
}

/// The Fx hash (rustc's): much faster than SipHash for short keys. The keys are the fixed lexicon, so
/// hash flooding is not a concern.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        // The length keeps zero-padded tails ("a" vs "a\0") apart.
        self.add(bytes.len() as u64);
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        // The last multiplication leaves the low bits, which pick the table slot, depending on few input
        // bits; rotating brings the well-mixed high bits down (as rustc-hash 2 does).
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests;
