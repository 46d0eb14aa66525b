//! What the rules ask of a lower-cased word, found with its lexicon valence in one table look-up per
//! token: the rules then test a flag or compare a small id instead of comparing strings with every
//! neighbour of every lexicon word.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::{rules, FxHasher};

/// The word has a lexicon valence.
pub(super) const VALENCE: u8 = 1;
/// `BOOSTER_DICT` gives the word `B_INCR`.
pub(super) const BOOST_UP: u8 = 2;
/// `BOOSTER_DICT` gives the word `B_DECR`.
pub(super) const BOOST_DOWN: u8 = 4;
/// `rules::is_negation` holds for the word (any other word negates only if it contains "n't").
pub(super) const NEGATION: u8 = 8;

/// A word's table entry; the default (no valence, no flags, id 0) is every word the table lacks.
#[derive(Clone, Copy, Default, Debug, PartialEq)]
pub(super) struct Entry {
    pub(super) valence: f64,
    pub(super) flags: u8,
    /// Index of the word in [`WORDS`], or 0.
    pub(super) word: u8,
}

/// The words some rule compares a token with; a token's id is its index here (0: none of them).
/// Booster and negation words need no id: their flags say all. At most 64 (`Tokenized::ids_seen`).
pub(super) const WORDS: [&str; 34] = [
    "", "no", "kind", "of", "but", "or", "nor", "never", "so", "this", "without", "doubt", "least",
    "at", "very", // the idioms' words from here on
    "the", "shit", "bomb", "bad", "ass", "bus", "stop", "yeah", "right", "beating", "heart",
    "kiss", "death", "to", "die", "for", "just", "enough", "sort",
];
const _: () = assert!(WORDS.len() <= 64);
pub(super) const NO: u8 = 1;
pub(super) const KIND: u8 = 2;
pub(super) const OF: u8 = 3;
pub(super) const BUT: u8 = 4;
pub(super) const OR: u8 = 5;
pub(super) const NOR: u8 = 6;
pub(super) const NEVER: u8 = 7;
pub(super) const SO: u8 = 8;
pub(super) const THIS: u8 = 9;
pub(super) const WITHOUT: u8 = 10;
pub(super) const DOUBT: u8 = 11;
pub(super) const LEAST: u8 = 12;
pub(super) const AT: u8 = 13;
pub(super) const VERY: u8 = 14;

/// The entries of the rule words (booster, negation or one of [`WORDS`]) and of the lexicon words.
pub(super) fn entries<'a>(
    lexicon: impl IntoIterator<Item = (&'a str, f64)>,
) -> HashMap<&'a str, Entry, BuildHasherDefault<FxHasher>> {
    let mut entries: HashMap<&str, Entry, BuildHasherDefault<FxHasher>> =
        HashMap::with_capacity_and_hasher(8192, BuildHasherDefault::default());
    for (word, valence) in lexicon {
        let entry = entries.entry(word).or_default();
        entry.valence = valence;
        entry.flags |= VALENCE;
    }
    // The flags `rules::is_negation` and `rules::booster` give, from their lists (scanning the lists
    // for every lexicon word doubled the analyser's start-up).
    for &word in &rules::NEGATE {
        entries.entry(word).or_default().flags |= NEGATION;
    }
    for (list, flag) in [
        (&rules::BOOSTERS_UP[..], BOOST_UP),
        (&rules::BOOSTERS_DOWN[..], BOOST_DOWN),
    ] {
        for &word in list {
            entries.entry(word).or_default().flags |= flag;
        }
    }
    for (id, &word) in WORDS.iter().enumerate().skip(1) {
        entries.entry(word).or_default().word = id as u8;
    }
    for (word, entry) in &mut entries {
        if word.contains("n't") {
            entry.flags |= NEGATION;
        }
    }
    entries
}

/// `rules::special_case_bigram` of two tokens' ids (every word of its keys has an id).
pub(super) fn special_case_bigram(first: u8, second: u8) -> Option<f64> {
    if first == 0 || second == 0 {
        return None;
    }
    rules::special_case_bigram(WORDS[usize::from(first)], WORDS[usize::from(second)])
}

/// `rules::special_case_trigram` of three tokens' ids.
pub(super) fn special_case_trigram(first: u8, second: u8, third: u8) -> Option<f64> {
    if first == 0 || second == 0 || third == 0 {
        return None;
    }
    rules::special_case_trigram(
        WORDS[usize::from(first)],
        WORDS[usize::from(second)],
        WORDS[usize::from(third)],
    )
}

/// `rules::booster_bigram` of two tokens' ids.
pub(super) fn booster_bigram(first: u8, second: u8) -> Option<f64> {
    if first == 0 || second == 0 {
        return None;
    }
    rules::booster_bigram(WORDS[usize::from(first)], WORDS[usize::from(second)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_what_the_rules_say() {
        let lexicon = [("good", 1.9), ("isn't", -0.5), ("kind", 2.4), ("so", 0.1)];
        for (word, entry) in entries(lexicon) {
            assert_eq!(
                entry.flags & NEGATION != 0,
                rules::is_negation(word),
                "{word}"
            );
            let booster = match entry.flags & (BOOST_UP | BOOST_DOWN) {
                0 => None,
                BOOST_UP => Some(rules::B_INCR),
                _ => Some(rules::B_DECR),
            };
            assert_eq!(booster, rules::booster(word), "{word}");
            assert_eq!(
                entry.flags & VALENCE != 0,
                lexicon.iter().any(|(w, _)| *w == word)
            );
            assert_eq!(
                WORDS[usize::from(entry.word)] == word,
                entry.word != 0,
                "{word}"
            );
            assert!(
                word.len() <= crate::short_words::MAX_BYTES,
                "{word} too long"
            );
        }
    }
}
