//! Lingua 1.8's text preparation and rule engine, for a detector built from our 17 languages
//! (`detector.rs`: `split_text_into_words`, `detect_language_with_rules`, `filter_languages_by_rules`).
//! Reproduced rule for rule so that our n-gram scorer sees the same words and candidate languages as lingua.
//!
//! Languages are indices into `SUPPORTED_LANGUAGES`; sets of them are bit masks.

use once_cell::sync::Lazy;
use regex::Regex;

use super::scripts::ALPHABET_RANGES;

/// Language indices (positions in `SUPPORTED_LANGUAGES`).
pub(super) mod lang {
    pub const AR: usize = 0;
    pub const DE: usize = 1;
    pub const EN: usize = 2;
    pub const ES: usize = 3;
    pub const FA: usize = 4;
    pub const FR: usize = 5;
    pub const HI: usize = 6;
    pub const IT: usize = 7;
    pub const JA: usize = 8;
    pub const KO: usize = 9;
    pub const PL: usize = 10;
    pub const PT: usize = 11;
    pub const RU: usize = 12;
    pub const TL: usize = 13;
    pub const UR: usize = 14;
    pub const VI: usize = 15;
    pub const ZH: usize = 16;
    /// Every language.
    pub const ALL: u32 = (1 << 17) - 1;
}
use lang::*;

/// Lingua orders languages by their English names (its enum order); ties between equal confidences and
/// counts are broken by this rank. Indexed by our language index.
pub(super) const LINGUA_RANK: [u8; 17] = [0, 4, 2, 13, 9, 3, 5, 6, 7, 8, 10, 11, 12, 14, 15, 16, 1];

const fn bit(language: usize) -> u32 {
    1 << language
}

/// Lingua's alphabets, in its enum order (ties between alphabets go to the earlier one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Alphabet {
    Arabic,
    Armenian,
    Bengali,
    Cyrillic,
    Devanagari,
    Georgian,
    Greek,
    Gujarati,
    Gurmukhi,
    Han,
    Hangul,
    Hebrew,
    Hiragana,
    Katakana,
    Latin,
    Tamil,
    Telugu,
    Thai,
}

const ALPHABET_COUNT: usize = 18;

impl Alphabet {
    /// The alphabet (Unicode script) of a character, if it is one of lingua's.
    pub(super) fn of(c: char) -> Option<Alphabet> {
        if c.is_ascii() {
            return c.is_ascii_alphabetic().then_some(Alphabet::Latin);
        }
        let code = c as u32;
        let index = ALPHABET_RANGES.partition_point(|(_, last, _)| *last < code);
        ALPHABET_RANGES
            .get(index)
            .filter(|(first, _, _)| *first <= code)
            .map(|(_, _, alphabet)| *alphabet)
    }

    /// Languages among ours written in this alphabet.
    fn languages(self) -> u32 {
        match self {
            Alphabet::Arabic => bit(AR) | bit(FA) | bit(UR),
            Alphabet::Cyrillic => bit(RU),
            Alphabet::Devanagari => bit(HI),
            Alphabet::Han => bit(ZH) | bit(JA),
            Alphabet::Hangul => bit(KO),
            Alphabet::Hiragana | Alphabet::Katakana => bit(JA),
            Alphabet::Latin => {
                bit(DE)
                    | bit(EN)
                    | bit(ES)
                    | bit(FR)
                    | bit(IT)
                    | bit(PL)
                    | bit(PT)
                    | bit(TL)
                    | bit(VI)
            }
            _ => 0,
        }
    }
}

/// The text split into lowercase words the way lingua does it (`TOKENS_WITHOUT_WHITESPACE` over the trimmed,
/// lowercased text): runs of letters, but each Han, Hiragana and Katakana character on its own.
pub(super) struct Words {
    chars: Vec<char>,
    /// `(start, end)` into `chars`.
    bounds: Vec<(usize, usize)>,
}

static TOKENS: Lazy<Regex> = Lazy::new(|| {
    #[allow(clippy::expect_used)] // a constant pattern, covered by the tests
    Regex::new(
        "\\p{Bengali}+|\\p{Devanagari}+|\\p{Gujarati}+|\\p{Gurmukhi}+|\\p{Han}|\\p{Hangul}+|\\p{Hiragana}|\\p{Katakana}|\\p{Tamil}+|\\p{Telugu}+|\\p{Thai}+|\\p{L}+",
    )
    .expect("valid token pattern")
});

impl Words {
    pub(super) fn of(text: &str) -> Self {
        let mut words = Words {
            chars: Vec::with_capacity(text.len()),
            bounds: Vec::new(),
        };
        if text.is_ascii() {
            // ASCII letters are \p{L} and nothing else in ASCII is: words are the runs of letters.
            for token in text.split(|c: char| !c.is_ascii_alphabetic()) {
                if !token.is_empty() {
                    words.push(token.chars().map(|c| c.to_ascii_lowercase()));
                }
            }
        } else {
            let lowered = text.trim().to_lowercase();
            for token in TOKENS.find_iter(&lowered) {
                words.push(token.as_str().chars());
            }
        }
        words
    }

    fn push(&mut self, chars: impl Iterator<Item = char>) {
        let start = self.chars.len();
        self.chars.extend(chars);
        self.bounds.push((start, self.chars.len()));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    pub(super) fn len(&self) -> usize {
        self.bounds.len()
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &[char]> + '_ {
        self.bounds
            .iter()
            .map(|(start, end)| &self.chars[*start..*end])
    }

    /// Letters in all words.
    pub(super) fn char_count(&self) -> usize {
        self.chars.len()
    }
}

/// Letters lingua treats as belonging to one language only (`Language::unique_characters`), for those of
/// our languages that have any in Latin script (Spanish's "¿¡" are not letters and never reach this).
fn unique_character_languages(c: char) -> u32 {
    const VIETNAMESE: &str = "ẰằẦầẲẳẨẩẴẵẪẫẮắẤấẠạẶặẬậỀềẺẻỂểẼẽỄễẾếỆệỈỉĨĩỊịƠơỒồỜờỎỏỔổỞởỖỗỠỡỐốỚớỘộỢợƯưỪừỦủỬửŨũỮữỨứỤụỰựỲỳỶỷỸỹỴỵ";
    match c {
        'ß' => bit(DE),
        'Ł' | 'ł' | 'Ń' | 'ń' | 'Ś' | 'ś' | 'Ź' | 'ź' => bit(PL),
        _ if VIETNAMESE.contains(c) => bit(VI),
        _ => 0,
    }
}

/// Lingua's `CHARS_TO_LANGUAGES_MAPPING` restricted to our languages: which languages a letter points to.
fn accent_languages(c: char) -> u32 {
    match c {
        'Ã' | 'ã' | 'Õ' | 'õ' => bit(PT) | bit(VI),
        'Ą' | 'ą' | 'Ę' | 'ę' | 'Ż' | 'ż' | 'Ć' | 'ć' => bit(PL),
        'Î' | 'î' | 'Û' | 'û' | 'Ë' | 'ë' => bit(FR),
        'Ñ' | 'ñ' => bit(ES),
        'Ă' | 'ă' | 'Ẹ' | 'ẹ' | 'Ọ' | 'ọ' | 'Đ' | 'đ' | 'Ý' | 'ý' => bit(VI),
        'Ì' | 'ì' | 'Ò' | 'ò' => bit(IT) | bit(VI),
        'È' | 'è' | 'Ù' | 'ù' => bit(FR) | bit(IT) | bit(VI),
        'Ê' | 'ê' | 'Ô' | 'ô' | 'Â' | 'â' => bit(FR) | bit(PT) | bit(VI),
        'Ё' | 'ё' | 'Ы' | 'ы' | 'Э' | 'э' | 'Щ' | 'щ' | 'Ъ' | 'ъ' => bit(RU),
        'Ä' | 'ä' | 'Ö' | 'ö' => bit(DE),
        'À' | 'à' => bit(FR) | bit(IT) | bit(PT) | bit(VI),
        'Ü' | 'ü' => bit(DE) | bit(ES),
        'Ç' | 'ç' => bit(FR) | bit(PT),
        'Ó' | 'ó' => bit(PL) | bit(PT) | bit(ES) | bit(VI),
        'Á' | 'á' | 'Í' | 'í' | 'Ú' | 'ú' => bit(PT) | bit(ES) | bit(VI),
        'É' | 'é' => bit(FR) | bit(IT) | bit(PT) | bit(ES) | bit(VI),
        _ => 0,
    }
}

/// The most frequent key by (count descending, key ascending), and the runner-up, as lingua's
/// `Counter::k_most_common_ordered(2)` picks them. `counts[key]`, keys with count 0 are absent.
fn top_two(counts: &[usize], key_rank: impl Fn(usize) -> usize) -> [(usize, usize); 2] {
    let mut top = [(usize::MAX, 0usize); 2];
    for (key, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let better = |other: (usize, usize)| {
            other.0 == usize::MAX
                || count > other.1
                || (count == other.1 && key_rank(key) < key_rank(other.0))
        };
        if better(top[0]) {
            top[1] = top[0];
            top[0] = (key, count);
        } else if better(top[1]) {
            top[1] = (key, count);
        }
    }
    top
}

/// Lingua's `detect_language_with_rules`: a language when the letters settle it (scripts used by one
/// language, letters unique to one language), counted word by word.
pub(super) fn decide_by_rules(words: &Words) -> Option<usize> {
    const NONE: usize = 17;
    // Index NONE counts words that point to no language; it ranks before every language (None < Some).
    let total_rank = |key: usize| {
        if key == NONE {
            0
        } else {
            1 + usize::from(LINGUA_RANK[key])
        }
    };
    let mut total = [0usize; 18];
    for word in words.iter() {
        let mut counts = [0usize; 17];
        for &c in word {
            match Alphabet::of(c) {
                Some(Alphabet::Cyrillic) => counts[RU] += 1,
                Some(Alphabet::Devanagari) => counts[HI] += 1,
                Some(Alphabet::Hangul) => counts[KO] += 1,
                Some(Alphabet::Hiragana | Alphabet::Katakana) => counts[JA] += 1,
                Some(Alphabet::Han) => counts[ZH] += 1,
                Some(Alphabet::Latin) => {
                    let mut languages = unique_character_languages(c);
                    while languages != 0 {
                        counts[languages.trailing_zeros() as usize] += 1;
                        languages &= languages - 1;
                    }
                }
                _ => {}
            }
        }
        let distinct = counts.iter().filter(|count| **count > 0).count();
        if distinct == 0 {
            total[NONE] += 1;
        } else if distinct == 1 {
            let language = counts.iter().position(|count| *count > 0).unwrap_or(NONE);
            total[language] += 1;
        } else if counts[ZH] > 0 && counts[JA] > 0 {
            total[JA] += 1;
        } else {
            let [(first, first_count), (_, second_count)] =
                top_two(&counts, |key| usize::from(LINGUA_RANK[key]));
            if first_count > second_count {
                total[first] += 1;
            } else {
                total[NONE] += 1;
            }
        }
    }
    if (total[NONE] as f64) < words.len() as f64 * 0.5 {
        total[NONE] = 0;
    }
    match total.iter().filter(|count| **count > 0).count() {
        0 => return None,
        1 => {
            let key = total.iter().position(|count| *count > 0)?;
            return (key != NONE).then_some(key);
        }
        _ => {}
    }
    let [(first, first_count), (second, second_count)] = top_two(&total, total_rank);
    if (first == JA && second == ZH) || (first == ZH && second == JA) {
        return Some(JA);
    }
    if first_count == second_count || first == NONE {
        return None;
    }
    Some(first)
}

/// Lingua's `filter_languages_by_rules`: the languages of the main alphabet, narrowed to those that
/// accented letters point to in at least half of the words.
pub(super) fn filter_by_rules(words: &Words) -> u32 {
    let mut alphabet_letters = [0usize; ALPHABET_COUNT];
    for word in words.iter() {
        let Some(alphabet) = word.first().and_then(|c| Alphabet::of(*c)) else {
            continue;
        };
        if word.iter().all(|c| Alphabet::of(*c) == Some(alphabet)) {
            alphabet_letters[alphabet as usize] += word.len();
        }
    }
    let present: Vec<usize> = alphabet_letters
        .iter()
        .copied()
        .filter(|n| *n > 0)
        .collect();
    if present.is_empty() || (present.len() > 1 && present.iter().all(|n| *n == present[0])) {
        return ALL;
    }
    let [(main, _), _] = top_two(&alphabet_letters, |key| key);
    let filtered = ALPHABETS
        .get(main)
        .map_or(0, |alphabet| alphabet.languages());

    let mut accent_counts = [0usize; 17];
    let mut seen: Vec<char> = Vec::new();
    for word in words.iter() {
        seen.clear();
        for &c in word {
            if c.is_ascii() || seen.contains(&c) {
                continue;
            }
            seen.push(c);
            let mut languages = accent_languages(c) & filtered;
            while languages != 0 {
                accent_counts[languages.trailing_zeros() as usize] += 1;
                languages &= languages - 1;
            }
        }
    }
    let half = words.len() as f64 * 0.5;
    let subset = (0..17)
        .filter(|language| accent_counts[*language] > 0 && accent_counts[*language] as f64 >= half)
        .fold(0u32, |set, language| set | bit(language));
    if subset != 0 {
        subset
    } else {
        filtered
    }
}

const ALPHABETS: [Alphabet; ALPHABET_COUNT] = [
    Alphabet::Arabic,
    Alphabet::Armenian,
    Alphabet::Bengali,
    Alphabet::Cyrillic,
    Alphabet::Devanagari,
    Alphabet::Georgian,
    Alphabet::Greek,
    Alphabet::Gujarati,
    Alphabet::Gurmukhi,
    Alphabet::Han,
    Alphabet::Hangul,
    Alphabet::Hebrew,
    Alphabet::Hiragana,
    Alphabet::Katakana,
    Alphabet::Latin,
    Alphabet::Tamil,
    Alphabet::Telugu,
    Alphabet::Thai,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_ranges_are_sorted_and_cover_the_main_scripts() {
        assert!(ALPHABET_RANGES.windows(2).all(|w| w[0].1 < w[1].0));
        assert_eq!(Alphabet::of('é'), Some(Alphabet::Latin));
        assert_eq!(Alphabet::of('ж'), Some(Alphabet::Cyrillic));
        assert_eq!(Alphabet::of('ب'), Some(Alphabet::Arabic));
        assert_eq!(Alphabet::of('東'), Some(Alphabet::Han));
        assert_eq!(Alphabet::of('か'), Some(Alphabet::Hiragana));
        assert_eq!(Alphabet::of('1'), None);
        for (index, alphabet) in ALPHABETS.iter().enumerate() {
            assert_eq!(*alphabet as usize, index);
        }
    }

    #[test]
    fn words_split_like_lingua() {
        let words = Words::of("  Hello, wörld l'été 東京タワー ");
        let split: Vec<String> = words.iter().map(|w| w.iter().collect()).collect();
        assert_eq!(
            split,
            ["hello", "wörld", "l", "été", "東", "京", "タ", "ワ", "ー"]
        );
        let ascii: Vec<String> = Words::of("It's OK")
            .iter()
            .map(|w| w.iter().collect())
            .collect();
        assert_eq!(ascii, ["it", "s", "ok"]);
    }

    #[test]
    fn rules_decide_unique_letters_and_scripts() {
        assert_eq!(decide_by_rules(&Words::of("straße")), Some(DE));
        assert_eq!(decide_by_rules(&Words::of("żółć łódź")), Some(PL));
        assert_eq!(decide_by_rules(&Words::of("привет мир")), Some(RU));
        assert_eq!(decide_by_rules(&Words::of("東京タワー")), Some(JA));
        assert_eq!(decide_by_rules(&Words::of("hello world")), None);
        // One Russian word against one undecided word: a tie, no decision.
        assert_eq!(decide_by_rules(&Words::of("abc где")), None);
    }

    #[test]
    fn filter_keeps_the_main_alphabet_and_accent_languages() {
        let latin = Alphabet::Latin.languages();
        assert_eq!(filter_by_rules(&Words::of("hello world")), latin);
        assert_eq!(
            filter_by_rules(&Words::of("café")),
            bit(FR) | bit(IT) | bit(PT) | bit(ES) | bit(VI)
        );
        assert_eq!(
            filter_by_rules(&Words::of("مرحبا")),
            bit(AR) | bit(FA) | bit(UR)
        );
        // Equal letter counts in two alphabets: every language stays.
        assert_eq!(filter_by_rules(&Words::of("abc где")), ALL);
    }
}
