//! VADER 3.3.2's word lists and constants, copied from `vaderSentiment.py`.

/// Mean intensity increase for a booster word ("very good").
pub(crate) const B_INCR: f64 = 0.293;
/// Mean intensity decrease for a dampener word ("kind of good").
pub(crate) const B_DECR: f64 = -0.293;
/// Intensity increase for an ALL-CAPS word among non-caps words.
pub(crate) const C_INCR: f64 = 0.733;
/// Factor applied to a negated valence.
pub(crate) const N_SCALAR: f64 = -0.74;

/// The reference's `NEGATE` list.
#[rustfmt::skip]
pub(crate) const NEGATE: [&str; 59] = [
    "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "ain't", "aren't",
    "can't", "couldn't", "daren't", "didn't", "doesn't", "dont", "hadnt", "hasnt", "havent", "isnt",
    "mightnt", "mustnt", "neither", "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't",
    "mustn't", "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
    "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent", "oughtn't", "shan't", "shouldn't",
    "uh-uh", "wasn't", "weren't", "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom",
    "despite",
];

/// `negated([word])` for one lower-cased word: a word of the reference's `NEGATE` list, or any word
/// containing "n't". (The analyser reads this from the word table's flags; kept as their reference.)
#[cfg(test)]
pub(crate) fn is_negation(word_lower: &str) -> bool {
    NEGATE.contains(&word_lower) || word_lower.contains("n't")
}

/// The single words of `BOOSTER_DICT` with the value `B_INCR`.
#[rustfmt::skip]
pub(crate) const BOOSTERS_UP: [&str; 60] = [
    "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly",
    "deeply", "effing", "enormous", "enormously", "entirely", "especially", "exceptional",
    "exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking",
    "fricking", "frickin", "frigging", "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging",
    "greatly", "hella", "highly", "hugely", "incredible", "incredibly", "intensely", "major", "majorly",
    "more", "most", "particularly", "purely", "quite", "really", "remarkably", "so", "substantially",
    "thoroughly", "total", "totally", "tremendous", "tremendously", "uber", "unbelievably", "unusually",
    "utter", "utterly", "very",
];

/// The single words of `BOOSTER_DICT` with the value `B_DECR`.
#[rustfmt::skip]
pub(crate) const BOOSTERS_DOWN: [&str; 21] = [
    "almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less", "little", "marginal",
    "marginally", "occasional", "occasionally", "partly", "scarce", "scarcely", "slight", "slightly",
    "somewhat", "sorta", "sortof", "sort-of",
];

/// `BOOSTER_DICT` lookup for a single lower-cased token. The dictionary's two-word keys ("kind of",
/// "sort of", "just enough") can never equal a token (tokens hold no whitespace): see [`booster_bigram`].
/// (The analyser reads this from the word table's flags; kept as their reference.)
#[cfg(test)]
pub(crate) fn booster(word_lower: &str) -> Option<f64> {
    if BOOSTERS_UP.contains(&word_lower) {
        Some(B_INCR)
    } else if BOOSTERS_DOWN.contains(&word_lower) {
        Some(B_DECR)
    } else {
        None
    }
}

/// `BOOSTER_DICT` lookup for the two-token string "`first` `second`".
pub(crate) fn booster_bigram(first: &str, second: &str) -> Option<f64> {
    match (first, second) {
        ("just", "enough") | ("kind", "of") | ("sort", "of") => Some(B_DECR),
        _ => None,
    }
}

/// `SPECIAL_CASES` lookup for the two-token string "`first` `second`" (the single-word key "badass"
/// cannot equal a joined n-gram).
pub(crate) fn special_case_bigram(first: &str, second: &str) -> Option<f64> {
    match (first, second) {
        ("the", "shit") | ("the", "bomb") => Some(3.0),
        ("bad", "ass") => Some(1.5),
        ("bus", "stop") => Some(0.0),
        ("yeah", "right") => Some(-2.0),
        ("beating", "heart") => Some(3.5),
        _ => None,
    }
}

/// `SPECIAL_CASES` lookup for the three-token string "`first` `second` `third`".
pub(crate) fn special_case_trigram(first: &str, second: &str, third: &str) -> Option<f64> {
    match (first, second, third) {
        ("kiss", "of", "death") => Some(-1.5),
        ("to", "die", "for") => Some(3.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_have_reference_sizes() {
        // vaderSentiment 3.3.2: NEGATE has 59 words; BOOSTER_DICT has 84 keys of which 3 are two-word.
        let mut words: Vec<&str> = NEGATE.to_vec();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), 59);
        let mut boosters: Vec<&str> = BOOSTERS_UP.iter().chain(&BOOSTERS_DOWN).copied().collect();
        boosters.sort_unstable();
        boosters.dedup();
        assert_eq!(boosters.len(), 81);
        assert_eq!(booster("extremely"), Some(B_INCR));
        assert_eq!(booster("sorta"), Some(B_DECR));
        assert_eq!(booster("kind of"), None);
        assert_eq!(booster_bigram("kind", "of"), Some(B_DECR));
    }

    #[test]
    fn negation_words() {
        assert!(is_negation("not"));
        assert!(is_negation("shouldn't"));
        assert!(is_negation("ain't"));
        assert!(is_negation("mayn't"), "any n't contraction negates");
        assert!(!is_negation("no"), "'no' has its own rule in 3.3");
        assert!(!is_negation("nothingness"));
    }
}
