//! Key phrases, RAKE-style (Rose et al., 2010): candidates are runs of words between stop words and
//! punctuation; each word scores degree / frequency over the candidates, a phrase the sum of its words.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

use once_cell::sync::Lazy;

use super::url_spans;
use crate::short_words::{ShortWords, MAX_BYTES};

#[cfg(test)]
mod oracle;
mod tokenize;
mod vocabulary;

use tokenize::{tokenize, Token};
use vocabulary::{word_key, Vocabulary, WordStats};

/// The keys are short words of fixed lists and of one post: no hash-flooding concern.
type FastHash = BuildHasherDefault<crate::sentiment::FxHasher>;
type WordSet = HashSet<&'static str, FastHash>;

/// Per stop word of either list: (English, Spanish). One look-up per token instead of one per list.
static STOP_WORDS: Lazy<HashMap<&'static str, (bool, bool), FastHash>> = Lazy::new(|| {
    let english = parse_list(include_str!("../../data/stopwords/en.txt"));
    let spanish = parse_list(include_str!("../../data/stopwords/es.txt"));
    english
        .union(&spanish)
        .map(|word| (*word, (english.contains(word), spanish.contains(word))))
        .collect()
});

/// [`STOP_WORDS`] as a table of short words (every stop word fits: the longest has 10 bytes).
static STOP_WORD_TABLE: Lazy<ShortWords<(bool, bool)>> =
    Lazy::new(|| ShortWords::new(STOP_WORDS.iter().map(|(word, flags)| (*word, *flags))));

/// (English, Spanish) stop-word flags of a lower-cased word.
#[cfg(test)]
fn stop_flags(word: &str) -> (bool, bool) {
    STOP_WORD_TABLE.get(word).unwrap_or((false, false))
}

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

/// Up to `max` key phrases, lower-cased, best first. URLs, mentions and hashtags are never part of a phrase.
pub fn key_phrases(text: &str, max: usize) -> Vec<String> {
    key_phrases_with(text, max, &url_spans(text))
}

/// A run of up to [`MAX_PHRASE_WORDS`] words between stop words and breaks.
#[derive(Clone, Copy)]
struct Candidate {
    /// Word ids (indices into the distinct words), `u32::MAX` past the end: two candidates hold the same
    /// words exactly when these are equal.
    ids: [u32; MAX_PHRASE_WORDS],
    /// Its first token; candidates do not overlap, so this also orders them by position.
    first: usize,
    len: usize,
    score: f64,
}

/// Gathers the candidates of a post and counts their words.
struct Builder<'a> {
    tokens: &'a [Token],
    lowered: &'a str,
    vocabulary: Vocabulary<'a>,
    candidates: Vec<Candidate>,
}

impl Builder<'_> {
    /// Adds the `len` (0 to [`MAX_PHRASE_WORDS`]) words from token `first` as a candidate, unless it is a
    /// lone word that is short or letterless (the first word of a run has a letter).
    #[inline]
    fn add(&mut self, first: usize, len: usize, opens_run: bool) {
        let words = &self.tokens[first..first + len];
        let keep = match words {
            [] => false,
            [single] => {
                let w = self
                    .lowered
                    .get(single.start..single.end)
                    .unwrap_or_default();
                has_three_chars(w) && (opens_run || has_letter(w))
            }
            _ => true,
        };
        if !keep {
            return;
        }
        let mut ids = [u32::MAX; MAX_PHRASE_WORDS];
        for (slot, token) in ids.iter_mut().zip(words) {
            let id = self.vocabulary.id(token.start, token.end);
            let stats = &mut self.vocabulary.words[id];
            stats.freq += 1;
            stats.degree += len as u32;
            *slot = id as u32;
        }
        self.candidates.push(Candidate {
            ids,
            first,
            len,
            score: 0.0,
        });
    }
}

/// Whether the word has a letter; most words start with an ASCII one.
fn has_letter(word: &str) -> bool {
    word.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        || word.chars().any(crate::chars::is_alphabetic)
}

/// Whether the word has at least three characters.
fn has_three_chars(word: &str) -> bool {
    // Two characters take at most eight bytes.
    word.len() > 8 || word.chars().nth(2).is_some()
}

/// Marks each token that is an English / Spanish stop word (`stop` bit 0 / bit 1) and counts both.
fn mark_stop_words(tokens: &mut [Token], bytes: &[u8]) -> (usize, usize) {
    let table = &*STOP_WORD_TABLE;
    let mut english_hits = 0;
    let mut spanish_hits = 0;
    for t in tokens {
        let len = t.end - t.start;
        // Every stop word is short (`every_stop_word_fits_the_short_word_table`).
        let (english, spanish) = if len <= MAX_BYTES {
            table
                .get_packed(word_key(bytes, t.start, len), len as u8)
                .unwrap_or((false, false))
        } else {
            (false, false)
        };
        english_hits += usize::from(english);
        spanish_hits += usize::from(spanish);
        t.stop = u8::from(english) | u8::from(spanish) << 1;
    }
    (english_hits, spanish_hits)
}

/// [`key_phrases`] given the text's [`url_spans`] (computed once per post by `analyze`).
pub(crate) fn key_phrases_with(text: &str, max: usize, urls: &[(usize, usize)]) -> Vec<String> {
    if max == 0 {
        return Vec::new();
    }
    let (mut lowered, mut tokens) = tokenize(text, urls);
    if tokens.is_empty() {
        return Vec::new();
    }
    // 16 zero bytes after the words (no token reaches them): a word is packed for the stop-word look-up
    // and for comparisons from its 16-byte window in one load.
    lowered.push_str("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    let lowered = lowered.as_str();
    let bytes = lowered.as_bytes();
    let word = |t: &Token| lowered.get(t.start..t.end).unwrap_or_default();

    let (english_hits, spanish_hits) = mark_stop_words(&mut tokens, bytes);
    let stop_bit = if spanish_hits > english_hits { 2 } else { 1 };
    let one_word_phrases =
        english_hits == 0 && spanish_hits == 0 && tokens.len() > MIN_WORDS_FOR_LANGUAGE_GUESS;

    // Candidates in one pass over the tokens. A run of words between stop words and breaks starts at its
    // first word with a letter (leading counts such as "12 billion" or "2019 house" describe, they are
    // not the subject) and is cut into phrases of at most MAX_PHRASE_WORDS words.
    let mut small_table = [0u32; 64];
    let mut large_table = Vec::new();
    let slots = Vocabulary::slots_for(tokens.len());
    let table: &mut [u32] = if slots <= small_table.len() {
        &mut small_table[..slots]
    } else {
        large_table.resize(slots, 0);
        &mut large_table
    };
    let mut builder = Builder {
        tokens: &tokens,
        lowered,
        vocabulary: Vocabulary::new(bytes, tokens.len(), table),
        // Every token is in at most one candidate: no growth on the way.
        candidates: Vec::with_capacity(tokens.len()),
    };
    let mut in_run = false;
    // Whether the run's first word with a letter has been met.
    let mut lettered = false;
    // The phrase being gathered: its first token, its length, whether it opens its run.
    let mut first = 0;
    let mut len = 0;
    let mut opens_run = false;
    for (i, token) in tokens.iter().enumerate() {
        let stop = token.stop & stop_bit != 0;
        if in_run && (token.breaks_before || stop || one_word_phrases) {
            builder.add(first, len, opens_run);
            in_run = false;
        }
        if stop {
            continue;
        }
        if !in_run {
            in_run = true;
            lettered = false;
            len = 0;
        }
        if !lettered {
            if !has_letter(word(token)) {
                continue;
            }
            lettered = true;
            opens_run = true;
        }
        if len == 0 {
            first = i;
        }
        len += 1;
        if len == MAX_PHRASE_WORDS {
            builder.add(first, len, opens_run);
            len = 0;
            opens_run = false;
        }
    }
    if in_run {
        builder.add(first, len, opens_run);
    }
    let Builder {
        vocabulary,
        mut candidates,
        ..
    } = builder;
    if candidates.is_empty() {
        return Vec::new();
    }

    best_candidates(&mut candidates, &vocabulary.words, max);
    phrases_of(&candidates, &tokens, lowered)
}

/// Keeps each distinct phrase (same word sequence) once, at its first position, scores it (the sum over
/// its words of degree / frequency, added in word order as before) and leaves the best `max`, best first.
fn best_candidates(candidates: &mut Vec<Candidate>, words: &[WordStats], max: usize) {
    let word_score = |id: u32| {
        let stats = &words[id as usize];
        f64::from(stats.degree) / f64::from(stats.freq)
    };
    let mut kept = 0;
    for position in 0..candidates.len() {
        let mut candidate = candidates[position];
        if candidates[..kept]
            .iter()
            .any(|earlier| earlier.ids == candidate.ids)
        {
            continue;
        }
        candidate.score = candidate.ids[..candidate.len]
            .iter()
            .map(|&id| word_score(id))
            .sum();
        candidates[kept] = candidate;
        kept += 1;
    }
    candidates.truncate(kept);
    // Best first, ties by position: a total order, so only the best `max` need sorting.
    let order =
        |a: &Candidate, b: &Candidate| b.score.total_cmp(&a.score).then(a.first.cmp(&b.first));
    if candidates.len() > max {
        candidates.select_nth_unstable_by(max - 1, order);
        candidates.truncate(max);
    }
    candidates.sort_unstable_by(order);
}

/// The candidates' words joined by spaces.
fn phrases_of(candidates: &[Candidate], tokens: &[Token], lowered: &str) -> Vec<String> {
    let bytes = lowered.as_bytes();
    candidates
        .iter()
        .map(|candidate| {
            let words = &tokens[candidate.first..candidate.first + candidate.len];
            let (Some(first), Some(last)) = (words.first(), words.last()) else {
                return String::new();
            };
            // Usually the words are one space apart in the buffer: one copy.
            let one_space_apart = words.windows(2).all(|pair| {
                pair[1].start == pair[0].end + 1 && bytes.get(pair[0].end) == Some(&b' ')
            });
            if one_space_apart {
                return lowered
                    .get(first.start..last.end)
                    .unwrap_or_default()
                    .to_string();
            }
            let length = words.iter().map(|t| t.end - t.start + 1).sum::<usize>();
            let mut phrase = String::with_capacity(length);
            for token in words {
                if !phrase.is_empty() {
                    phrase.push(' ');
                }
                phrase.push_str(lowered.get(token.start..token.end).unwrap_or_default());
            }
            phrase
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_stop_word_fits_the_short_word_table() {
        for word in STOP_WORDS.keys() {
            assert!(word.len() <= crate::short_words::MAX_BYTES, "{word:?}");
            assert_eq!(stop_flags(word), STOP_WORDS[word]);
        }
    }

    /// Each token's word and whether a break precedes it.
    fn words(lowered: &str, tokens: &[Token]) -> Vec<(String, bool)> {
        tokens
            .iter()
            .map(|t| (lowered[t.start..t.end].to_string(), t.breaks_before))
            .collect()
    }

    /// The same from the oracle's tokenizers.
    fn oracle_words((lowered, tokens): (String, Vec<oracle::Token>)) -> Vec<(String, bool)> {
        tokens
            .iter()
            .map(|t| (lowered[t.text.clone()].to_string(), t.breaks_before))
            .collect()
    }

    /// Words, stop words of both lists, numbers, separators, links, tags, and characters with unusual
    /// lower-case forms ('İ', Kelvin sign) or of caseless scripts.
    const MIXED: &str = "([a-zA-Z0-9]{1,6}|the|and|of|el|la|que|de|y|[ ,.'’@#:/_!?\\-]|İ|\u{212a}|é|É|ß|ñ|Ж|ж|日本|\u{a0}|\u{3000}|＠|＃|½|٣|https?://x\\.co/a|www\\.a\\.b){0,24}";

    proptest! {
        /// The byte-wise tokenizer gives what the first ASCII and character-wise ones gave.
        #[test]
        fn tokenizer_equals_the_first_ones(
            text in "[ -~\t\n]{0,80}|(([a-zA-Z0-9]{1,6}|[ ,.'@#:/_-]|https?://x\\.co/a|www\\.a\\.b){0,20})"
        ) {
            let urls = url_spans(&text);
            let (lowered, tokens) = tokenize(&text, &urls);
            let new = words(&lowered, &tokens);
            prop_assert_eq!(&new, &oracle_words(oracle::tokenize_ascii(&text, &urls)));
            prop_assert_eq!(new, oracle_words(oracle::tokenize_chars(&text, &urls)));
        }

        /// The same over non-ASCII text.
        #[test]
        fn tokenizer_equals_the_character_wise_one(text in MIXED) {
            let urls = url_spans(&text);
            let (lowered, tokens) = tokenize(&text, &urls);
            prop_assert_eq!(words(&lowered, &tokens), oracle_words(oracle::tokenize_chars(&text, &urls)));
        }

        /// The single-pass scorer picks the same phrases, in the same order, as the first version.
        #[test]
        fn key_phrases_equal_the_first_version(
            words in proptest::collection::vec(
                "the|and|of|el|la|que|de|y|is|a|data|city|park|road|new|old|big|plan|vote|parque|ciudad|\
                 [0-9]{1,3}|[a-z]{1,3}|[A-Z][a-z]{2,5}|[a-zA-Zé]{4,20}|[,.;!?'-]|#tag|@user|https://t\\.co/x|Ж|日本",
                0..40),
            separator in " | , |  |\n",
            max in 0usize..8
        ) {
            let text = words.join(&separator);
            let urls = url_spans(&text);
            prop_assert_eq!(key_phrases_with(&text, max, &urls), oracle::key_phrases_with(&text, max, &urls));
        }

        /// The same over arbitrary mixed text.
        #[test]
        fn key_phrases_equal_the_first_version_on_mixed_text(text in MIXED, max in 1usize..6) {
            let urls = url_spans(&text);
            prop_assert_eq!(key_phrases_with(&text, max, &urls), oracle::key_phrases_with(&text, max, &urls));
        }
    }

    #[test]
    fn many_distinct_words_and_long_words() {
        // More distinct words than the list holds before the map takes over; words longer than a key.
        let words: Vec<String> = (0..60)
            .map(|i| format!("word{}x{}", i % 37, "y".repeat(i % 23)))
            .collect();
        let text = words.join(" ");
        for max in [1, 5, 100] {
            let expected = oracle::key_phrases_with(&text, max, &[]);
            assert!(!expected.is_empty());
            assert_eq!(key_phrases_with(&text, max, &[]), expected);
        }
    }
}
