//! A quick look at a clause's first words: most clauses open with a word (after fillers such as "and" or
//! "so") that no question opens with, and reading those few ASCII words on the stack settles them.

use super::may_open_question;
use super::words::is_filler;

/// Longer words are left to the full test.
const LONGEST: usize = 16;

/// The ASCII words that [`is_filler`] or [`may_open_question`] accept (checked against their source by a
/// test); each starts with a lower-case letter.
const OPENING_WORDS: [&str; 138] = [
    "alguien",
    "also",
    "am",
    "and",
    "any",
    "anybody",
    "anyone",
    "are",
    "aren't",
    "arent",
    "bueno",
    "but",
    "can",
    "can't",
    "cant",
    "como",
    "could",
    "couldn't",
    "couldnt",
    "cuando",
    "cuanta",
    "cuantas",
    "cuanto",
    "cuantos",
    "did",
    "didn't",
    "didnt",
    "disculpe",
    "do",
    "does",
    "doesn't",
    "doesnt",
    "don't",
    "donde",
    "dont",
    "entonces",
    "had",
    "hadn't",
    "has",
    "hasn't",
    "have",
    "haven't",
    "hay",
    "hello",
    "hey",
    "hi",
    "hola",
    "honestly",
    "how",
    "how'd",
    "how'll",
    "how's",
    "hows",
    "is",
    "isn't",
    "isnt",
    "lol",
    "ma'am",
    "maam",
    "madam",
    "may",
    "might",
    "must",
    "no",
    "now",
    "o",
    "oh",
    "ok",
    "okay",
    "or",
    "oye",
    "perdon",
    "pero",
    "podrias",
    "por",
    "pregunta",
    "puede",
    "pueden",
    "puedes",
    "que",
    "question",
    "quick",
    "really",
    "sabe",
    "saben",
    "sabes",
    "sabian",
    "sabias",
    "seriously",
    "shall",
    "should",
    "shouldn't",
    "shouldnt",
    "sir",
    "so",
    "somebody",
    "someone",
    "then",
    "uh",
    "um",
    "wait",
    "was",
    "wasn't",
    "well",
    "were",
    "weren't",
    "what",
    "what'll",
    "what's",
    "whats",
    "when",
    "when's",
    "where",
    "where'd",
    "where's",
    "wheres",
    "which",
    "who",
    "who'd",
    "who's",
    "whom",
    "whos",
    "whose",
    "why",
    "why'd",
    "why's",
    "whys",
    "will",
    "won't",
    "wont",
    "would",
    "wouldn't",
    "wouldnt",
    "y",
    "yea",
    "yeah",
    "yes",
    "yo",
];

/// For each letter, the lengths (as bits) of the [`OPENING_WORDS`] that start with it: a word whose
/// length is not among them is neither a filler nor an opener, which spares lower-casing and comparing it.
static LENGTHS: [u32; 26] = {
    let mut lengths = [0u32; 26];
    let mut k = 0;
    while k < OPENING_WORDS.len() {
        let word = OPENING_WORDS[k].as_bytes();
        lengths[(word[0] - b'a') as usize] |= 1 << word.len();
        k += 1;
    }
    lengths
};

/// Whether `word` (ASCII, not empty, at most [`LONGEST`] bytes) may be one of the [`OPENING_WORDS`].
fn may_be_opening_word(word: &[u8]) -> bool {
    let first = word[0].to_ascii_lowercase();
    first.is_ascii_lowercase() && LENGTHS[usize::from(first - b'a')] & (1 << word.len()) != 0
}

/// `split_whitespace`'s ASCII whitespace.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' | b' ')
}

/// True when `clause_opens_question_fully` surely returns false: its first tokens are ASCII and, once
/// mentions, hashtags, tokens without a word and up to three fillers are skipped as it skips them, the
/// first word is one that [`may_open_question`] rejects. False when that is not known (the full test then
/// decides).
pub(super) fn rejects(clause: &str) -> bool {
    let bytes = clause.as_bytes();
    let mut at = 0;
    let mut fillers = 0;
    // The full test reads at most twelve tokens; fewer are read here.
    for _ in 0..8 {
        while bytes.get(at).copied().is_some_and(is_space) {
            at += 1;
        }
        let Some(&first) = bytes.get(at) else {
            // No opening word at all.
            return true;
        };
        let start = at;
        while bytes.get(at).is_some_and(|&b| b < 0x80 && !is_space(b)) {
            at += 1;
        }
        if bytes.get(at).is_some_and(|&b| b >= 0x80) {
            // A non-ASCII character in the token, or a non-ASCII space after it.
            return false;
        }
        if matches!(first, b'@' | b'#') {
            continue;
        }
        let token = &bytes[start..at];
        let keep = |b: &u8| b.is_ascii_alphanumeric() || *b == b'\'';
        let Some(word_start) = token.iter().position(keep) else {
            continue;
        };
        let word_end = token.iter().rposition(keep).map_or(word_start, |k| k + 1);
        let (word_start, word_end) = (start + word_start, start + word_end);
        if word_end - word_start > LONGEST {
            return false;
        }
        if !may_be_opening_word(&bytes[word_start..word_end]) {
            // Neither a filler nor an opening word.
            return true;
        }
        let mut buffer = [0u8; LONGEST];
        let lower = if bytes[word_start..word_end]
            .iter()
            .any(u8::is_ascii_uppercase)
        {
            let lower = &mut buffer[..word_end - word_start];
            lower.copy_from_slice(&bytes[word_start..word_end]);
            lower.make_ascii_lowercase();
            std::str::from_utf8(lower).unwrap_or_default()
        } else {
            clause.get(word_start..word_end).unwrap_or_default()
        };
        if fillers < 3 && is_filler(lower) {
            fillers += 1;
            continue;
        }
        return !may_open_question(lower);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The string literals of the function `signature` in `source`.
    fn literals<'a>(source: &'a str, signature: &str) -> Vec<&'a str> {
        let start = source
            .find(signature)
            .unwrap_or_else(|| panic!("{signature}"));
        let end = start + source[start..].find("\n}\n").unwrap_or_default();
        source[start..end].split('"').skip(1).step_by(2).collect()
    }

    #[test]
    fn opening_words_are_the_ascii_fillers_and_openers() {
        let mut words: Vec<&str> =
            literals(include_str!("../question.rs"), "fn may_open_question(")
                .into_iter()
                .chain(literals(
                    include_str!("words.rs"),
                    "pub(super) fn is_filler(",
                ))
                .filter(|w| w.is_ascii())
                .collect();
        words.sort_unstable();
        words.dedup();
        assert!(words.len() > 100, "{words:?}");
        let mut listed = OPENING_WORDS.to_vec();
        listed.sort_unstable();
        assert_eq!(listed, words);
        for word in OPENING_WORDS {
            assert!(is_filler(word) || may_open_question(word), "{word}");
            assert!(
                word.len() <= LONGEST && may_be_opening_word(word.as_bytes()),
                "{word}"
            );
            assert!(
                may_be_opening_word(word.to_ascii_uppercase().as_bytes()),
                "{word}"
            );
        }
        assert!(!may_be_opening_word(b"the") && !may_be_opening_word(b"3rd"));
    }
}
