//! VADER sentiment: a rule-for-rule port of Python `vaderSentiment` 3.3.2 (Hutto & Gilbert 2014, MIT).
//!
//! Scores equal the reference's (after its rounding: compound to 4 decimals, pos/neu/neg to 3), including
//! its quirks, e.g. the "but" rule rescales the *first* score equal to each score (Python `list.index`).
//! The lexicons are compiled in from `data/vader/` (see the README and licence there).

mod pystr;
mod rules;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use once_cell::sync::Lazy;

use crate::short_words::{self, ShortWords};
use townhall_core::Sentiment;

use rules::{C_INCR, N_SCALAR};

const LEXICON_TEXT: &str = include_str!("../../data/vader/vader_lexicon.txt");
const EMOJI_LEXICON_TEXT: &str = include_str!("../../data/vader/emoji_utf8_lexicon.txt");

/// Above this many tokens the "but" rule switches from the reference's quadratic scan to an index
/// that gives identical results in O(n log n), so very long posts stay cheap.
const BUT_QUADRATIC_MAX_TOKENS: usize = 128;

/// The VADER analyser: the word lexicon and the emoji descriptions, built once.
pub struct Vader {
    lexicon: HashMap<&'static str, f64, BuildHasherDefault<FxHasher>>,
    /// The lexicon's words of up to 16 bytes (all but a few dozen), for fast look-ups; the others are
    /// looked up in `lexicon`.
    short_lexicon: ShortWords<f64>,
    emoji_descriptions: HashMap<char, &'static str, BuildHasherDefault<FxHasher>>,
    /// Which code points below U+0100 are emoji keys (© and ®).
    narrow_emoji: [bool; 256],
    /// The lowest emoji key from U+0100 on: letters of most scripts lie below it and need no look-up.
    lowest_wide_emoji: char,
}

static VADER: Lazy<Vader> = Lazy::new(Vader::new);

/// The shared analyser (the lexicons are parsed on first use).
pub fn vader() -> &'static Vader {
    &VADER
}

/// One whitespace-separated token with what the rules ask of it, computed once.
struct Token<'t> {
    lower: Cow<'t, str>,
    /// Lexicon valence of the lower-cased token.
    valence: Option<f64>,
    is_upper: bool,
    /// Booster / dampener value of the lower-cased token (`rules::booster`), looked up once.
    booster: Option<f64>,
}

impl Vader {
    fn new() -> Self {
        let emoji_descriptions = parse_emoji_lexicon(EMOJI_LEXICON_TEXT);
        let mut narrow_emoji = [false; 256];
        let mut lowest_wide_emoji = char::MAX;
        for &ch in emoji_descriptions.keys() {
            match usize::try_from(u32::from(ch)) {
                Ok(code) if code < 256 => narrow_emoji[code] = true,
                _ => lowest_wide_emoji = lowest_wide_emoji.min(ch),
            }
        }
        let lexicon = parse_lexicon(LEXICON_TEXT);
        let short_lexicon = ShortWords::new(lexicon.iter().map(|(word, value)| (*word, *value)));
        Vader {
            lexicon,
            short_lexicon,
            emoji_descriptions,
            narrow_emoji,
            lowest_wide_emoji,
        }
    }

    /// The lexicon's valence of a lower-cased word.
    #[inline]
    fn valence_of(&self, word: &str) -> Option<f64> {
        if word.len() <= short_words::MAX_BYTES {
            self.short_lexicon.get(word)
        } else {
            self.lexicon.get(word).copied()
        }
    }

    /// The description of `ch` if it is an emoji of the lexicon.
    fn emoji_description(&self, ch: char) -> Option<&&'static str> {
        let code = u32::from(ch);
        let candidate = if code < 256 {
            self.narrow_emoji[code as usize]
        } else {
            ch >= self.lowest_wide_emoji
        };
        if candidate {
            self.emoji_descriptions.get(&ch)
        } else {
            None
        }
    }

    /// VADER scores of `text` as `vaderSentiment` 3.3.2 `polarity_scores` computes them.
    pub fn polarity_scores(&self, text: &str) -> Sentiment {
        let text = self.replace_emoji(text);
        let ascii_lowered: String;
        let mut lowered = String::new();
        let tokens: Vec<Token<'_>> = if text.is_ascii() {
            // ASCII: lower-casing keeps every byte in place, so each token's lower case is the same
            // range of the lower-cased text (one allocation for all of them).
            // Followed by 16 zero bytes, so that a word is packed for the lexicon from its 16-byte window
            // in one load (the tokens' ranges never reach the padding).
            let mut padded = String::with_capacity(text.len() + short_words::MAX_BYTES);
            padded.push_str(&text);
            padded.make_ascii_lowercase();
            padded.push_str("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
            ascii_lowered = padded;
            let windows = ascii_lowered.as_bytes();
            let bytes = text.as_bytes();
            let mut tokens = Vec::with_capacity(bytes.len() / 5 + 4);
            for (start, end) in pystr::ascii_words(bytes) {
                let (start, end) = pystr::strip_punc_if_word_ascii(bytes, start, end);
                let word = &bytes[start..end];
                let has_upper = word.iter().any(u8::is_ascii_uppercase);
                let is_upper = has_upper && !word.iter().any(u8::is_ascii_lowercase);
                let lower = &ascii_lowered[start..end];
                let packed = windows
                    .get(start..start + short_words::MAX_BYTES)
                    .and_then(|window| <&[u8; short_words::MAX_BYTES]>::try_from(window).ok())
                    .and_then(|window| short_words::pack_ascii_lower(window, lower.len()));
                let valence = match packed {
                    Some(key) => self.short_lexicon.get_packed(key, lower.len() as u8),
                    None => self.valence_of(lower),
                };
                tokens.push(Token {
                    lower: Cow::Borrowed(lower),
                    valence,
                    is_upper,
                    booster: rules::booster(lower),
                });
            }
            tokens
        } else {
            // Lower-cased words that differ from the text go to one buffer (no allocation per word);
            // the tokens borrow from the text or from it.
            // (word, its lower case's range in `lowered` if it differs, isupper)
            let mut words: Vec<(&str, Option<Range<usize>>, bool)> =
                Vec::with_capacity(text.len() / 6 + 4);
            for raw in pystr::split_whitespace(&text) {
                let word = pystr::strip_punc_if_word(raw);
                let (lower, is_upper) = pystr::lower_into(word, &mut lowered);
                words.push((word, lower.map(|(start, end)| start..end), is_upper));
            }
            words
                .into_iter()
                .map(|(word, lower, is_upper)| {
                    let lower = lower.map_or(word, |range| &lowered[range]);
                    Token {
                        lower: Cow::Borrowed(lower),
                        valence: self.valence_of(lower),
                        is_upper,
                        booster: rules::booster(lower),
                    }
                })
                .collect()
        };
        if tokens.is_empty() {
            return Sentiment::default();
        }
        let upper_count = tokens.iter().filter(|t| t.is_upper).count();
        // Caps emphasis counts only when some, but not all, tokens are in capitals.
        let is_cap_diff = upper_count > 0 && upper_count < tokens.len();

        let mut sentiments = Vec::with_capacity(tokens.len());
        for i in 0..tokens.len() {
            let item = tokens[i].lower.as_ref();
            let starts_kind_of =
                item == "kind" && tokens.get(i + 1).is_some_and(|next| next.lower == "of");
            if tokens[i].booster.is_some() || starts_kind_of {
                sentiments.push(0.0);
            } else {
                sentiments.push(sentiment_valence(&tokens, i, is_cap_diff));
            }
        }
        but_check(&tokens, &mut sentiments);
        score_valence(&sentiments, &text)
    }

    /// Replace each emoji code point by its description, spaced as the reference does.
    fn replace_emoji<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if text.is_ascii() {
            return Cow::Borrowed(text);
        }
        let mut replaced: Option<String> = None;
        let mut prev_space = true;
        for (at, ch) in text.char_indices() {
            let description = if ch.is_ascii() {
                None
            } else {
                self.emoji_description(ch)
            };
            if let Some(description) = description {
                let out = replaced.get_or_insert_with(|| {
                    let mut out = String::with_capacity(text.len() + 64);
                    out.push_str(&text[..at]);
                    out
                });
                if !prev_space {
                    out.push(' ');
                }
                out.push_str(description);
                prev_space = false;
            } else {
                if let Some(out) = replaced.as_mut() {
                    out.push(ch);
                }
                prev_space = ch == ' ';
            }
        }
        // The reference strips the result; leading/trailing whitespace changes neither the tokens nor the
        // "!"/"?" counts, so it is left in place.
        replaced.map_or(Cow::Borrowed(text), Cow::Owned)
    }
}

/// `SentimentIntensityAnalyzer.sentiment_valence` for the token at `i`.
fn sentiment_valence(tokens: &[Token<'_>], i: usize, is_cap_diff: bool) -> f64 {
    let Some(lexicon_valence) = tokens[i].valence else {
        return 0.0;
    };
    let word = |k: usize| tokens[k].lower.as_ref();
    let mut valence = lexicon_valence;

    // "no" before another lexicon word negates that word instead of counting itself.
    if word(i) == "no" && i + 1 < tokens.len() && tokens[i + 1].valence.is_some() {
        valence = 0.0;
    }
    if (i > 0 && word(i - 1) == "no")
        || (i > 1 && word(i - 2) == "no")
        || (i > 2 && word(i - 3) == "no" && matches!(word(i - 1), "or" | "nor"))
    {
        valence = lexicon_valence * N_SCALAR;
    }

    if tokens[i].is_upper && is_cap_diff {
        if valence > 0.0 {
            valence += C_INCR;
        } else {
            valence -= C_INCR;
        }
    }

    for start_i in 0..3 {
        if i > start_i && tokens[i - (start_i + 1)].valence.is_none() {
            let mut scalar = scalar_inc_dec(&tokens[i - (start_i + 1)], valence, is_cap_diff);
            if start_i == 1 && scalar != 0.0 {
                scalar *= 0.95;
            }
            if start_i == 2 && scalar != 0.0 {
                scalar *= 0.9;
            }
            valence += scalar;
            valence = negation_check(valence, tokens, start_i, i);
            if start_i == 2 {
                valence = special_idioms_check(valence, tokens, i);
            }
        }
    }
    least_check(valence, tokens, i)
}

/// `scalar_inc_dec`: the boost (or dampening) a preceding booster word gives, signed like `valence`.
fn scalar_inc_dec(token: &Token<'_>, valence: f64, is_cap_diff: bool) -> f64 {
    let Some(mut scalar) = token.booster else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar *= -1.0;
    }
    if token.is_upper && is_cap_diff {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

/// `_negation_check` for the word `start_i + 1` places before `i`.
fn negation_check(valence: f64, tokens: &[Token<'_>], start_i: usize, i: usize) -> f64 {
    let word = |k: usize| tokens[k].lower.as_ref();
    let so_or_this = |w: &str| w == "so" || w == "this";
    match start_i {
        0 if rules::is_negation(word(i - 1)) => valence * N_SCALAR,
        1 if word(i - 2) == "never" && so_or_this(word(i - 1)) => valence * 1.25,
        1 if word(i - 2) == "without" && word(i - 1) == "doubt" => valence,
        1 if rules::is_negation(word(i - 2)) => valence * N_SCALAR,
        // The reference's `A and B or C` makes "so"/"this" just before the word enough on its own.
        2 if (word(i - 3) == "never" && so_or_this(word(i - 2))) || so_or_this(word(i - 1)) => {
            valence * 1.25
        }
        2 if word(i - 3) == "without" && (word(i - 2) == "doubt" || word(i - 1) == "doubt") => {
            valence
        }
        2 if rules::is_negation(word(i - 3)) => valence * N_SCALAR,
        _ => valence,
    }
}

/// `_special_idioms_check` (called only with `i >= 3`).
fn special_idioms_check(mut valence: f64, tokens: &[Token<'_>], i: usize) -> f64 {
    let word = |k: usize| tokens[k].lower.as_ref();
    let (w3, w2, w1, w0) = (word(i - 3), word(i - 2), word(i - 1), word(i));
    // Same order as the reference: onezero, twoonezero, twoone, threetwoone, threetwo; first hit wins.
    let preceding = rules::special_case_bigram(w1, w0)
        .or_else(|| rules::special_case_trigram(w2, w1, w0))
        .or_else(|| rules::special_case_bigram(w2, w1))
        .or_else(|| rules::special_case_trigram(w3, w2, w1))
        .or_else(|| rules::special_case_bigram(w3, w2));
    if let Some(value) = preceding {
        valence = value;
    }
    if tokens.len() - 1 > i {
        if let Some(value) = rules::special_case_bigram(w0, word(i + 1)) {
            valence = value;
        }
    }
    if tokens.len() - 1 > i + 1 {
        if let Some(value) = rules::special_case_trigram(w0, word(i + 1), word(i + 2)) {
            valence = value;
        }
    }
    // Booster/dampener bigrams such as "sort of" before the word (threetwoone has no 3-word key).
    for (first, second) in [(w3, w2), (w2, w1)] {
        if let Some(value) = rules::booster_bigram(first, second) {
            valence += value;
        }
    }
    valence
}

/// `_least_check`: "least good" negates, "at least good" and "very least good" do not.
fn least_check(valence: f64, tokens: &[Token<'_>], i: usize) -> f64 {
    let previous_is_least =
        i > 0 && tokens[i - 1].valence.is_none() && tokens[i - 1].lower == "least";
    if !previous_is_least {
        return valence;
    }
    if i > 1 {
        let before = tokens[i - 2].lower.as_ref();
        if before != "at" && before != "very" {
            return valence * N_SCALAR;
        }
        return valence;
    }
    valence * N_SCALAR
}

/// `_but_check`: scores before the first "but" are halved, after it multiplied by 1.5.
fn but_check(tokens: &[Token<'_>], sentiments: &mut [f64]) {
    let Some(but_index) = tokens.iter().position(|t| t.lower == "but") else {
        return;
    };
    if sentiments.len() <= BUT_QUADRATIC_MAX_TOKENS {
        but_rescale_by_scan(sentiments, but_index);
    } else {
        but_rescale_indexed(sentiments, but_index);
    }
}

/// The reference loop verbatim: for each position, rescale the *first* entry equal to that entry's
/// current value (`sentiments.index(sentiment)`), which with repeated values is not the position itself.
fn but_rescale_by_scan(sentiments: &mut [f64], but_index: usize) {
    for k in 0..sentiments.len() {
        let value = sentiments[k];
        let first = sentiments[..=k]
            .iter()
            .position(|&s| s == value)
            .unwrap_or(k);
        if first < but_index {
            sentiments[first] = value * 0.5;
        } else if first > but_index {
            sentiments[first] = value * 1.5;
        }
    }
}

/// Same result as [`but_rescale_by_scan`], finding first occurrences through an index by value.
fn but_rescale_indexed(sentiments: &mut [f64], but_index: usize) {
    // Python compares numbers, so 0.0 and -0.0 are one key.
    let key = |value: f64| if value == 0.0 { 0 } else { value.to_bits() };
    let mut positions: HashMap<u64, BTreeSet<usize>> = HashMap::new();
    for (at, &value) in sentiments.iter().enumerate() {
        positions.entry(key(value)).or_default().insert(at);
    }
    for k in 0..sentiments.len() {
        let value = sentiments[k];
        let first = positions
            .get(&key(value))
            .and_then(|set| set.first().copied())
            .unwrap_or(k);
        let rescaled = if first < but_index {
            value * 0.5
        } else if first > but_index {
            value * 1.5
        } else {
            continue;
        };
        if key(rescaled) != key(value) {
            if let Some(set) = positions.get_mut(&key(value)) {
                set.remove(&first);
            }
            positions.entry(key(rescaled)).or_default().insert(first);
        }
        sentiments[first] = rescaled;
    }
}

/// `score_valence`: compound and proportions from the per-token scores and the punctuation emphasis.
fn score_valence(sentiments: &[f64], text: &str) -> Sentiment {
    let mut sum = sentiments.iter().fold(0.0, |acc, &s| acc + s);
    let emphasis = punctuation_emphasis(text);
    if sum > 0.0 {
        sum += emphasis;
    } else if sum < 0.0 {
        sum -= emphasis;
    }
    let compound = normalize(sum);

    let mut pos_sum = 0.0;
    let mut neg_sum = 0.0;
    let mut neu_count = 0usize;
    for &s in sentiments {
        // +1 / -1 compensate for neutral words being counted as 1.
        if s > 0.0 {
            pos_sum += s + 1.0;
        }
        if s < 0.0 {
            neg_sum += s - 1.0;
        }
        if s == 0.0 {
            neu_count += 1;
        }
    }
    if pos_sum > f64::abs(neg_sum) {
        pos_sum += emphasis;
    } else if pos_sum < f64::abs(neg_sum) {
        neg_sum -= emphasis;
    }
    let neu_count = neu_count as f64;
    let total = pos_sum + f64::abs(neg_sum) + neu_count;
    Sentiment {
        compound: pystr::round(compound, 4),
        pos: pystr::round(f64::abs(pos_sum / total), 3),
        neu: pystr::round(f64::abs(neu_count / total), 3),
        neg: pystr::round(f64::abs(neg_sum / total), 3),
    }
}

/// `_punctuation_emphasis`: up to four "!" add 0.292 each; two or three "?" add 0.18 each, more add 0.96.
fn punctuation_emphasis(text: &str) -> f64 {
    let exclamations = text.bytes().filter(|&b| b == b'!').count().min(4);
    let questions = text.bytes().filter(|&b| b == b'?').count();
    let exclamation_amplifier = exclamations as f64 * 0.292;
    let question_amplifier = match questions {
        0 | 1 => 0.0,
        2 | 3 => questions as f64 * 0.18,
        _ => 0.96,
    };
    exclamation_amplifier + question_amplifier
}

/// `normalize` with alpha = 15: maps a sum of valences into [-1, 1].
fn normalize(score: f64) -> f64 {
    let normalized = score / (score * score + 15.0).sqrt();
    normalized.clamp(-1.0, 1.0)
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

/// `make_emoji_dict`, keeping the single-code-point emoji (the only ones the reference can match).
fn parse_emoji_lexicon(
    text: &'static str,
) -> HashMap<char, &'static str, BuildHasherDefault<FxHasher>> {
    let mut emoji = HashMap::with_capacity_and_hasher(2048, BuildHasherDefault::default());
    for line in text.trim_end_matches('\n').split('\n') {
        let mut fields = line.trim_matches(pystr::is_whitespace).split('\t');
        if let (Some(key), Some(description)) = (fields.next(), fields.next()) {
            let mut chars = key.chars();
            if let (Some(ch), None) = (chars.next(), chars.next()) {
                emoji.insert(ch, description);
            }
        }
    }
    emoji
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
