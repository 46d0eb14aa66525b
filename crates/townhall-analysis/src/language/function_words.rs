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

/// [`decide_in`] of `cleaned` alone.
#[cfg(test)]
pub(super) fn decide(cleaned: &str) -> Option<(usize, f64)> {
    decide_in(cleaned, cleaned.as_bytes())
}

/// Bit `n` set iff some listed word is `n` bytes long (every listed word has 1 to 16 bytes), so that an
/// ASCII word of another length skips the look-up.
const LISTED_LENGTHS: u32 = {
    let mut lengths = 0u32;
    let mut list = 0;
    while list < WORDS.len() {
        let words = WORDS[list].1;
        let mut word = 0;
        while word < words.len() {
            lengths |= 1 << words[word].len();
            word += 1;
        }
        list += 1;
    }
    lengths
};

/// The word at the start of `chunk` (eight bytes, little-endian) if a space or zero byte ends it within
/// them and it is ASCII: its length (0 to 7) and its bytes lower-cased, the rest of the chunk cleared (as
/// [`pack_ascii_lower`] packs it).
#[inline]
fn short_ascii_word(chunk: u64) -> Option<(usize, u64)> {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    // The lowest byte flagged by the zero-byte test is always a true zero byte (see
    // `first_space_or_zero`).
    let zero_bytes = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let flags = zero_bytes(chunk) | zero_bytes(chunk ^ (ONES * u64::from(b' ')));
    if flags == 0 {
        return None;
    }
    let length = flags.trailing_zeros() as usize / 8;
    let word = chunk & ((1 << (8 * length)) - 1);
    if word & HIGH != 0 {
        return None;
    }
    // High bit of a byte set iff the byte is >= b'A', and iff it is > b'Z' (no carries: bytes < 0x80).
    let from_a = word + ONES * u64::from(0x80 - b'A');
    let after_z = word + ONES * u64::from(0x80 - b'Z' - 1);
    let upper = from_a & !after_z & HIGH;
    Some((length, word | upper >> 2))
}

/// The listed ASCII words of 1 to 8 bytes, keyed by their bytes as a little-endian `u64` (zero bytes past
/// the word: the key alone tells the length, as no word holds a zero byte), in one open-addressing table:
/// a multiply, a shift and usually one or two key comparisons, on 64-bit integers.
struct ShortAsciiWords {
    keys: Vec<u64>,
    languages: Vec<u8>,
    shift: u32,
}

impl ShortAsciiWords {
    fn new() -> Self {
        let words: Vec<(u64, usize)> = WORDS
            .iter()
            .flat_map(|(language, words)| words.iter().map(move |word| (*word, *language)))
            .filter(|(word, _)| word.is_ascii() && (1..=8).contains(&word.len()))
            .map(|(word, language)| {
                let key = word
                    .bytes()
                    .rev()
                    .fold(0u64, |key, b| key << 8 | u64::from(b));
                (key, language)
            })
            .collect();
        let size = (4 * words.len().max(8)).next_power_of_two();
        let mut table = Self {
            keys: vec![0; size],
            languages: vec![0; size],
            shift: 64 - size.trailing_zeros(),
        };
        for (key, language) in words {
            let mut at = table.home(key);
            while table.keys[at] != 0 && table.keys[at] != key {
                at = (at + 1) & (size - 1);
            }
            table.keys[at] = key;
            table.languages[at] = language as u8;
        }
        table
    }

    #[inline]
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The language of the word whose key is `key` (0 for the empty word, which is never listed).
    #[inline]
    fn get(&self, key: u64) -> Option<usize> {
        let mask = self.keys.len() - 1;
        let mut at = self.home(key);
        loop {
            match self.keys.get(at).copied() {
                None | Some(0) => return None,
                Some(found) if found == key => {
                    return self
                        .languages
                        .get(at)
                        .map(|&language| usize::from(language))
                }
                Some(_) => at = (at + 1) & mask,
            }
        }
    }
}

static SHORT_ASCII_LANGUAGE_OF: Lazy<ShortAsciiWords> = Lazy::new(ShortAsciiWords::new);

/// Characters below this are looked up in [`LOWERCASE_CHANGES`] (Latin with its extensions and the
/// Vietnamese letters, Greek, Cyrillic, Arabic, Devanagari).
const LOWERCASE_CHANGES_BELOW: u32 = 0x2000;

/// Bit `c` set iff `c.to_lowercase()` is not `c` itself, for the characters below
/// [`LOWERCASE_CHANGES_BELOW`]; built once from the standard library.
static LOWERCASE_CHANGES: Lazy<[u64; (LOWERCASE_CHANGES_BELOW / 64) as usize]> = Lazy::new(|| {
    let mut bits = [0u64; (LOWERCASE_CHANGES_BELOW / 64) as usize];
    for c in (0..LOWERCASE_CHANGES_BELOW).filter_map(char::from_u32) {
        if !c.to_lowercase().eq(std::iter::once(c)) {
            let code = u32::from(c);
            bits[(code / 64) as usize] |= 1 << (code % 64);
        }
    }
    bits
});

/// [`decide`] of `cleaned`, where `padded` starts with the bytes of `cleaned` and may go on (with zero
/// bytes, or anything): a word's 16-byte window is read whole from `padded` when it holds 16 bytes from
/// the word's start on, and put together from what there is otherwise.
pub(super) fn decide_in(cleaned: &str, padded: &[u8]) -> Option<(usize, f64)> {
    let (language_of, lowercase_changes) = (&*LANGUAGE_OF, &*LOWERCASE_CHANGES);
    let short_language_of = &*SHORT_ASCII_LANGUAGE_OF;
    let mut hits = [0usize; 17];
    // (Allocated only for a word that needs lower-casing and is not ASCII-packed.)
    let mut lowered = String::new();
    let bytes = cleaned.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // The common case first: an ASCII word of at most 7 bytes (every listed ASCII word has at most
        // 8), ended within its first 8 bytes, all on 64-bit integers.
        if let Some(chunk) = padded
            .get(at..at + 8)
            .and_then(|chunk| <[u8; 8]>::try_from(chunk).ok())
        {
            if let Some((length, key)) = short_ascii_word(u64::from_le_bytes(chunk)) {
                let length = length.min(bytes.len() - at);
                let key = key & ((1 << (8 * length)) - 1);
                at += length + 1;
                if let Some(language) = short_language_of.get(key) {
                    hits[language] += 1;
                }
                continue;
            }
        }
        // The word starting at `at`: up to the next space or the end of `cleaned`. In its 16-byte window
        // (the bytes of `padded` there; past the end of `padded`, zeros; the cleaned text holds no zero
        // byte) the first space or zero byte ends it, unless the end of `cleaned` comes first.
        let window = match padded
            .get(at..at + MAX_BYTES)
            .and_then(|full| <[u8; MAX_BYTES]>::try_from(full).ok())
        {
            Some(full) => full,
            None => {
                let mut window = [0u8; MAX_BYTES];
                let tail = padded.get(at..).unwrap_or_default();
                window[..tail.len().min(MAX_BYTES)]
                    .copy_from_slice(&tail[..tail.len().min(MAX_BYTES)]);
                window
            }
        };
        let window = &window;
        let end = match first_space_or_zero(window) {
            Some(length) => (at + length).min(bytes.len()),
            None => bytes[at..]
                .iter()
                .position(|&b| b == b' ')
                .map_or(bytes.len(), |length| at + length),
        };
        let start = at;
        at = end + 1;
        let length = end - start;
        if length == 0 || length > LONGEST_WORD_BYTES {
            continue;
        }
        if let Some(key) = pack_ascii_lower(window, length) {
            if LISTED_LENGTHS & 1 << length == 0 {
                continue;
            }
            if let Some(language) = language_of.get_packed(key, length as u8) {
                hits[language] += 1;
            }
            continue;
        }
        let Some(word) = cleaned.get(start..end) else {
            break;
        };
        let unchanged = |c: char| {
            let code = u32::from(c);
            if code < LOWERCASE_CHANGES_BELOW {
                lowercase_changes[(code / 64) as usize] & 1 << (code % 64) == 0
            } else {
                crate::chars::is_caseless(c)
            }
        };
        let key = if word.chars().all(unchanged) {
            // Its own lower case (most non-ASCII words: lower-case accented letters, caseless scripts).
            word
        } else if word.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
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
        if let Some(language) = language_of.get(key) {
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
                "the|THE|The|und|Und|và|VÀ|của|Của|ĐÃ|đã|est|c'est|C'EST|dziękuję|DZIĘKUJĘ|است|[a-zA-Z']{1,20}|[a-zé]{1,18}|[a-zA-ZéÉßẞİĐđ]{1,9}|",
                0..12,
            )
        ) {
            let text = words.join(" ");
            proptest::prop_assert_eq!(decide(&text), decide_by_split(&text));
        }

        /// Windows read from a padded buffer (zeros, or more text as when the evidence is cut) decide
        /// `cleaned` as `split(' ')` and `get` do.
        #[test]
        fn padded_windows_decide_as_split_words(
            words in proptest::collection::vec(
                "the|THE|und|và|của|ĐÃ|est|c'est|dziękuję|است|[a-zA-Z']{1,20}|[a-zé]{1,18}|",
                0..12,
            ),
            cut in 0usize..200,
            after in "|\\x00{16}|[a-z ]{1,20}",
        ) {
            let text = words.join(" ");
            let mut cut = cut.min(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let cleaned = &text[..cut];
            let padded = format!("{text}{after}");
            proptest::prop_assert_eq!(
                decide_in(cleaned, padded.as_bytes()),
                decide_by_split(cleaned)
            );
        }
    }

    proptest::proptest! {
        /// The 64-bit word end and packing agree with the 16-byte ones.
        #[test]
        fn short_ascii_words_are_packed_as_in_16_byte_windows(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![0x41u8..0x5b, 0x61u8..0x7b, proptest::strategy::Just(b' '), proptest::strategy::Just(0u8), 0u8..=255],
                16,
            )
        ) {
            let mut window = [0u8; MAX_BYTES];
            window.copy_from_slice(&bytes);
            let mut chunk = [0u8; 8];
            chunk.copy_from_slice(&bytes[..8]);
            let expected = first_space_or_zero(&window)
                .filter(|&length| length < 8)
                .and_then(|length| {
                    let key = if length == 0 {
                        Some(0)
                    } else {
                        pack_ascii_lower(&window, length).and_then(|key| u64::try_from(key).ok())
                    };
                    key.map(|key| (length, key))
                });
            proptest::prop_assert_eq!(short_ascii_word(u64::from_le_bytes(chunk)), expected);
        }
    }

    proptest::proptest! {
        /// The 64-bit table answers as the general one for every ASCII word of up to 8 bytes.
        #[test]
        fn short_ascii_table_answers_as_the_general_one(
            word in "the|and|don't|nosotros|obrigado|ang|[a-z']{1,8}|[a-z]{1,3}",
        ) {
            let key = word.bytes().rev().fold(0u64, |key, b| key << 8 | u64::from(b));
            proptest::prop_assert_eq!(SHORT_ASCII_LANGUAGE_OF.get(key), LANGUAGE_OF.get(&word));
        }
    }

    #[test]
    fn every_listed_short_ascii_word_is_in_the_64_bit_table() {
        let mut listed = 0;
        for (language, words) in WORDS {
            for word in words.iter().filter(|w| w.is_ascii() && w.len() <= 8) {
                let key = word
                    .bytes()
                    .rev()
                    .fold(0u64, |key, b| key << 8 | u64::from(b));
                assert_eq!(
                    SHORT_ASCII_LANGUAGE_OF.get(key),
                    Some(*language),
                    "{word:?}"
                );
                listed += 1;
            }
        }
        assert!(listed > 200, "{listed}");
        assert_eq!(SHORT_ASCII_LANGUAGE_OF.get(0), None);
    }

    #[test]
    fn lowercase_changes_are_those_of_the_standard_library() {
        let mut changing = 0;
        for c in (0..LOWERCASE_CHANGES_BELOW).filter_map(char::from_u32) {
            let code = u32::from(c);
            let flagged = LOWERCASE_CHANGES[(code / 64) as usize] & 1 << (code % 64) != 0;
            assert_eq!(
                flagged,
                c.to_lowercase().to_string() != c.to_string(),
                "{c:?}"
            );
            changing += usize::from(flagged);
        }
        // 'A'..='Z', 'À', 'Ā', 'Ạ', 'Д', 'Σ'…
        assert!(changing > 500, "{changing}");
        assert!(LOWERCASE_CHANGES[0] == 0 && LOWERCASE_CHANGES[1] != 0);
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
