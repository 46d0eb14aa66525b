//! The cheap first opinion for clear cases: a post that uses several very common function words ("the",
//! "und", "của", "است") of one language and none of any other is in that language, without looking up a
//! single n-gram. Only words that, among our 17 languages, are written this way in one language alone are
//! listed (written by hand from grammar, not fitted to any test set); a word two languages share ("de",
//! "no", "to", "na", "po", "من") is left out, so it can never tip a decision.
//!
//! Anything less clear (short texts, mixed languages, a stray foreign word) returns `None` and goes to the
//! n-gram scorer. On the dev set and on real posts the decisions agree with the full scorer; see the tests
//! and `langid_eval`.

use super::lingua_rules::lang::*;
use crate::short_words::{pack_ascii_lower, ShortWords, MAX_BYTES};
use once_cell::sync::Lazy;

/// Exclusive function words per language (index into `SUPPORTED_LANGUAGES`).
const WORDS: &[(usize, &[&str])] = &[
    (
        EN,
        &[
            "the", "and", "of", "is", "are", "were", "that", "this", "with", "for", "you", "have",
            "had", "what", "which", "who", "would", "should", "could", "they", "their", "there",
            "them", "been", "being", "from", "not", "our", "your", "about", "be", "it", "its",
            "his", "her", "she", "does", "did", "just", "can", "all", "more", "when", "than",
            "then", "how", "why", "out", "also", "into", "because", "these", "those", "any",
            "some", "only", "get", "here", "where", "don't", "i'm", "it's", "can't", "we're",
            "you're", "that's", "thank", "thanks", "please", "if", "us", "will", "my", "was",
        ],
    ),
    (
        DE,
        &[
            "der", "das", "und", "ist", "nicht", "ein", "eine", "einen", "einem", "einer", "mit",
            "auf", "für", "sich", "dem", "den", "des", "von", "zu", "auch", "wie", "werden",
            "wird", "wurde", "sind", "bei", "aus", "nach", "oder", "aber", "wenn", "noch", "nur",
            "ich", "wir", "hat", "haben", "kann", "dass", "über", "vor", "schon", "mehr", "uns",
            "unsere", "sehr", "heute", "durch", "diese", "dieser", "jetzt", "immer", "keine",
            "kein", "gibt", "zum", "zur",
        ],
    ),
    (
        ES,
        &[
            "el", "pero", "más", "también", "muy", "sus", "hay", "han", "fue", "cuando", "donde",
            "hasta", "él", "ella", "ellos", "nosotros", "usted", "ustedes", "gracias", "qué",
            "cómo", "así", "puede", "pueden", "tiene", "tienen", "hacer", "ahora", "eso", "esto",
            "nuestro", "nuestra", "mucho", "años", "están", "hoy", "estos", "estas",
        ],
    ),
    (
        FR,
        &[
            "et", "est", "une", "pour", "dans", "pas", "sur", "au", "aux", "avec", "vous", "nous",
            "sont", "être", "fait", "elle", "ils", "cette", "aussi", "très", "été", "leur",
            "leurs", "peut", "tout", "tous", "comme", "même", "ont", "c'est", "n'est", "j'ai",
            "qu'il", "d'un", "d'une", "s'il", "ces", "avoir", "notre", "votre",
        ],
    ),
    (
        IT,
        &[
            "che", "è", "sono", "della", "delle", "degli", "nel", "nella", "alla", "anche", "più",
            "questo", "questa", "gli", "hanno", "essere", "stato", "perché", "molto", "dal",
            "dalla", "sul", "sulla", "grazie", "oggi", "ancora", "tutti", "dopo", "loro", "nostro",
            "nostra", "anni", "ogni",
        ],
    ),
    (
        PT,
        &[
            "não", "uma", "ao", "aos", "é", "são", "pela", "isso", "isto", "também", "muito",
            "foi", "seu", "já", "você", "vocês", "nós", "até", "ele", "eles", "ela", "nossa",
            "nosso", "onde", "então", "obrigado", "obrigada", "essa", "esse", "pra", "tem", "ter",
            "mesmo", "está", "estão",
        ],
    ),
    (
        PL,
        &[
            "się",
            "że",
            "jest",
            "jak",
            "od",
            "tak",
            "jako",
            "czy",
            "są",
            "przez",
            "dla",
            "tylko",
            "już",
            "może",
            "jego",
            "który",
            "która",
            "które",
            "którzy",
            "bardzo",
            "więc",
            "tym",
            "jej",
            "mnie",
            "jestem",
            "będzie",
            "był",
            "była",
            "było",
            "oraz",
            "także",
            "żeby",
            "dziękuję",
            "jeszcze",
            "gdy",
        ],
    ),
    (
        TL,
        &[
            "ang", "ng", "mga", "ay", "ako", "siya", "naman", "yung", "nga", "kung", "kasi", "rin",
            "niya", "namin", "natin", "kami", "tayo", "kayo", "sila", "ito", "iyan", "iyon",
            "dito", "doon", "nang", "salamat", "wala", "lahat", "talaga", "kanila", "ating",
            "aming", "ngayon", "bakit", "paano", "hindi", "lamang",
        ],
    ),
    (
        VI,
        &[
            "của", "và", "được", "không", "những", "một", "trong", "người", "các", "với", "cho",
            "này", "đã", "có", "để", "khi", "đến", "cũng", "về", "như", "thì", "ở", "từ", "sẽ",
            "rất", "đó", "tôi", "chúng", "nhiều", "nhưng", "hơn", "lại", "năm", "nào", "vào",
            "làm", "nước", "việc", "phải", "theo",
        ],
    ),
    (
        AR,
        &[
            "في", "على", "إلى", "أن", "التي", "الذي", "هذا", "هذه", "كان", "عن", "مع", "قد", "كل",
            "لم", "لن", "ذلك", "حتى", "إن", "وفي", "وقد",
        ],
    ),
    (
        FA,
        &[
            "است", "را", "این", "که", "به", "با", "از", "می", "برای", "آن", "شده", "شود", "بود",
            "کرد", "کند", "هم", "یک", "خود", "های", "ها", "نیست",
        ],
    ),
    (
        UR,
        &[
            "ہے", "کے", "میں", "کو", "سے", "اور", "نے", "یہ", "ہیں", "بھی", "تھا", "تھے", "کیا",
            "ایک", "گیا", "ہو",
        ],
    ),
];

/// At least this many exclusive function words of the winning language, and none of another.
const MIN_HITS: usize = 3;

/// The lists as one table (every listed word fits its inline keys: at most `LONGEST_WORD_BYTES`).
static LANGUAGE_OF: Lazy<ShortWords<usize>> = Lazy::new(|| {
    ShortWords::new(
        WORDS
            .iter()
            .flat_map(|(language, words)| words.iter().map(move |word| (*word, *language))),
    )
});

/// Longest listed word in bytes ("dziękuję"), so longer words skip the look-up.
const LONGEST_WORD_BYTES: usize = 16;

/// The language of a cleaned post (letters, in-word apostrophes and single spaces) if its function words
/// clearly name one, with a confidence that doubles the odds with each such word: 0.875 for 3, 0.97 for 5.
#[cfg(test)]
/// `text.split(' ')`, found with a byte loop: the words are short, and a search call per word cost more
/// than the look-ups.
fn split_at_spaces(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    (0..=bytes.len()).filter_map(move |end| {
        if end < bytes.len() && bytes[end] != b' ' {
            return None;
        }
        let word = text.get(start..end);
        start = end + 1;
        word
    })
}

/// The index of the first space or zero byte of the window, if any: both found for all 16 bytes at once
/// (the lowest byte flagged by the zero-byte test is always a true zero byte).
fn first_space_or_zero(window: &[u8; MAX_BYTES]) -> Option<usize> {
    const ONES: u128 = u128::MAX / 255;
    const HIGH: u128 = ONES << 7;
    let zero_bytes = |v: u128| v.wrapping_sub(ONES) & !v & HIGH;
    let x = u128::from_le_bytes(*window);
    let flags = zero_bytes(x) | zero_bytes(x ^ (ONES * u128::from(b' ')));
    (flags != 0).then(|| flags.trailing_zeros() as usize / 8)
}

pub(super) fn decide(cleaned: &str) -> Option<(usize, f64)> {
    let mut hits = [0usize; 17];
    // (Allocated only for a word that needs lower-casing and is not ASCII-packed.)
    let mut lowered = String::new();
    let bytes = cleaned.as_bytes();
    let mut at = 0;
    while at < cleaned.len() {
        // The word starting at `at`: up to the next space. In its 16-byte window (the text's bytes there,
        // followed by zeros past its end; the cleaned text holds no zero byte) the first space or zero
        // byte ends it.
        let mut window = [0u8; MAX_BYTES];
        match bytes.get(at..at + MAX_BYTES) {
            Some(full) => window.copy_from_slice(full),
            None => {
                let tail = bytes.get(at..).unwrap_or_default();
                window[..tail.len()].copy_from_slice(tail);
            }
        }
        let window = &window;
        let end = match first_space_or_zero(window) {
            Some(length) => at + length,
            None => cleaned.as_bytes()[at..]
                .iter()
                .position(|&b| b == b' ')
                .map_or(cleaned.len(), |length| at + length),
        };
        let Some(word) = cleaned.get(at..end) else {
            break;
        };
        at = end + 1;
        if word.is_empty() || word.len() > LONGEST_WORD_BYTES {
            continue;
        }
        if let Some(key) = pack_ascii_lower(window, word.len()) {
            if let Some(language) = LANGUAGE_OF.get_packed(key, word.len() as u8) {
                hits[language] += 1;
            }
            continue;
        }
        let key = if word.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
            lowered.clear();
            if word.is_ascii() {
                lowered.push_str(word);
                lowered.make_ascii_lowercase();
            } else {
                for c in word.chars() {
                    if crate::chars::is_caseless(c) {
                        lowered.push(c);
                    } else {
                        lowered.extend(c.to_lowercase());
                    }
                }
            }
            lowered.as_str()
        } else {
            word
        };
        if let Some(language) = LANGUAGE_OF.get(key) {
            hits[language] += 1;
        }
    }
    let mut languages_seen = hits.iter().enumerate().filter(|(_, count)| **count > 0);
    match (languages_seen.next(), languages_seen.next()) {
        (Some((language, &count)), None) if count >= MIN_HITS => {
            Some((language, 1.0 - 0.5f64.powi(count as i32)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    proptest::proptest! {
        /// The byte loop finds the words `split(' ')` finds.
        #[test]
        fn word_split_equals_str_split(text in "[a-zé ]{0,40}") {
            let ours: Vec<&str> = split_at_spaces(&text).collect();
            proptest::prop_assert_eq!(ours, text.split(' ').collect::<Vec<_>>());
        }
    }

    use super::*;
    use crate::language::SUPPORTED_LANGUAGES;

    /// The word loop of `decide` before the 16-byte windows: `split(' ')` and the general look-up.
    fn decide_by_split(cleaned: &str) -> Option<(usize, f64)> {
        let mut hits = [0usize; 17];
        for word in split_at_spaces(cleaned) {
            if word.is_empty() || word.len() > LONGEST_WORD_BYTES {
                continue;
            }
            let lowered: String = word
                .chars()
                .flat_map(|c| {
                    let lower: Vec<char> = if crate::chars::is_caseless(c) {
                        vec![c]
                    } else {
                        c.to_lowercase().collect()
                    };
                    lower
                })
                .collect();
            if let Some(language) = LANGUAGE_OF.get(&lowered) {
                hits[language] += 1;
            }
        }
        let mut languages_seen = hits.iter().enumerate().filter(|(_, count)| **count > 0);
        match (languages_seen.next(), languages_seen.next()) {
            (Some((language, &count)), None) if count >= MIN_HITS => {
                Some((language, 1.0 - 0.5f64.powi(count as i32)))
            }
            _ => None,
        }
    }

    proptest::proptest! {
        /// Words found in 16-byte windows and packed there decide as `split(' ')` and `get` do.
        #[test]
        fn windowed_words_decide_as_split_words(
            words in proptest::collection::vec(
                "the|THE|The|und|Und|và|của|ĐÃ|est|c'est|C'EST|dziękuję|است|[a-zA-Z']{1,20}|[a-zé]{1,18}|",
                0..12,
            )
        ) {
            let text = words.join(" ");
            proptest::prop_assert_eq!(decide(&text), decide_by_split(&text));
        }
    }

    #[test]
    fn no_word_is_listed_for_two_languages() {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (language, words) in WORDS {
            for word in *words {
                if let Some(other) = seen.insert(word, *language) {
                    assert_eq!(
                        other, *language,
                        "{word:?} is listed for {} and {}",
                        SUPPORTED_LANGUAGES[other], SUPPORTED_LANGUAGES[*language]
                    );
                }
                assert!(word.len() <= LONGEST_WORD_BYTES, "{word:?} is too long");
                assert_eq!(word.to_lowercase(), *word, "{word:?} must be lower case");
            }
        }
    }

    #[test]
    fn clear_posts_are_decided_and_mixed_ones_are_not() {
        let english = decide("Thank you to all the veterans who served our country with honor");
        assert_eq!(english.map(|(l, _)| SUPPORTED_LANGUAGES[l]), Some("en"));
        assert!(english.is_some_and(|(_, c)| c > 0.99));
        let german = decide("Das ist nicht mehr zu machen und wir haben es versucht");
        assert_eq!(german.map(|(l, _)| SUPPORTED_LANGUAGES[l]), Some("de"));
        // One Spanish function word among English ones: left to the n-gram scorer.
        assert_eq!(
            decide("The mayor of El Paso said that the shelter is open for all"),
            None
        );
        // Too few clues.
        assert_eq!(decide("Great job team"), None);
        assert_eq!(decide(""), None);
    }
}
