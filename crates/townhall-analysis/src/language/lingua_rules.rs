//! Lingua 1.8's text preparation and rule engine, for a detector built from our 17 languages
//! (`detector.rs`: `split_text_into_words`, `detect_language_with_rules`, `filter_languages_by_rules`).
//! Reproduced rule for rule so that our n-gram scorer sees the same words and candidate languages as lingua.
//!
//! Languages are indices into `SUPPORTED_LANGUAGES`; sets of them are bit masks.

use once_cell::sync::Lazy;
use regex::Regex;
use std::sync::OnceLock;

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

/// The alternatives of [`TOKENS`], in its order: (class, a run of them rather than one character).
const TOKEN_CLASSES: [(&str, bool); 12] = [
    ("\\p{Bengali}", true),
    ("\\p{Devanagari}", true),
    ("\\p{Gujarati}", true),
    ("\\p{Gurmukhi}", true),
    ("\\p{Han}", false),
    ("\\p{Hangul}", true),
    ("\\p{Hiragana}", false),
    ("\\p{Katakana}", false),
    ("\\p{Tamil}", true),
    ("\\p{Telugu}", true),
    ("\\p{Thai}", true),
    ("\\p{L}", true),
];

/// Per block of 256 BMP characters, filled on first use: per character, bit k set when it belongs to
/// class k of [`TOKEN_CLASSES`]. Derived with the regex engine from the very classes of [`TOKENS`], so
/// membership is the engine's own.
static TOKEN_CLASS_BLOCKS: [OnceLock<[u16; 256]>; 256] = [const { OnceLock::new() }; 256];

static TOKEN_CLASS_RES: Lazy<Vec<Regex>> = Lazy::new(|| {
    TOKEN_CLASSES
        .iter()
        .map(|(class, _)| crate::entities::compile(class))
        .collect()
});

fn token_classes(c: char) -> u16 {
    let code = u32::from(c) as usize;
    let (block, offset) = (code >> 8, code & 0xFF);
    let Some(cell) = TOKEN_CLASS_BLOCKS.get(block) else {
        return 0;
    };
    cell.get_or_init(|| {
        let mut classes = [0u16; 256];
        // The block's characters, one per line so that each is matched on its own.
        let text: String = (0..256u32)
            .filter_map(|low| char::from_u32(((block as u32) << 8) | low))
            .flat_map(|c| [c, '\n'])
            .collect();
        for (k, re) in TOKEN_CLASS_RES.iter().enumerate() {
            for m in re.find_iter(&text) {
                for c in m.as_str().chars() {
                    classes[(u32::from(c) & 0xFF) as usize] |= 1 << k;
                }
            }
        }
        classes
    })[offset]
}

/// `TOKENS.find_iter` over text of BMP characters, from the classes of each character: at each position
/// the first alternative whose class holds the character matches, as a run or as one character;
/// positions no class holds are skipped.
fn tokenize_bmp(text: &str, words: &mut Words) {
    let mut chars: Vec<(char, u16)> = Vec::with_capacity(text.len());
    chars.extend(text.chars().map(|c| (c, token_classes(c))));
    let mut at = 0;
    while let Some(&(_, classes)) = chars.get(at) {
        if classes == 0 {
            at += 1;
            continue;
        }
        let k = classes.trailing_zeros() as usize;
        let mut end = at + 1;
        if TOKEN_CLASSES[k].1 {
            while chars
                .get(end)
                .is_some_and(|&(_, next)| next & (1 << k) != 0)
            {
                end += 1;
            }
        }
        words.push(chars[at..end].iter().map(|&(c, _)| c));
        at = end;
    }
}

impl Words {
    pub(super) fn of(text: &str) -> Self {
        let mut words = Words {
            chars: Vec::with_capacity(text.len()),
            bounds: Vec::with_capacity(text.len() / 4 + 1),
        };
        if text.is_ascii() {
            // ASCII letters are \p{L} and nothing else in ASCII is: words are the runs of letters.
            // Over the bytes: the runs of ASCII letters, lower-cased.
            let bytes = text.as_bytes();
            let mut at = 0;
            while at < bytes.len() {
                if !bytes[at].is_ascii_alphabetic() {
                    at += 1;
                    continue;
                }
                let start = words.chars.len();
                while at < bytes.len() && bytes[at].is_ascii_alphabetic() {
                    words.chars.push(char::from(bytes[at].to_ascii_lowercase()));
                    at += 1;
                }
                words.bounds.push((start, words.chars.len()));
            }
        } else {
            let trimmed = text.trim();
            // `to_lowercase` leaves caseless characters as they are and lower-cases ASCII as
            // `to_ascii_lowercase` does: when those are all there is, the cheaper call gives the same.
            let lowered = if trimmed
                .chars()
                .all(|c| c.is_ascii() || crate::chars::is_caseless(c))
            {
                trimmed.to_ascii_lowercase()
            } else {
                trimmed.to_lowercase()
            };
            if lowered.chars().all(|c| u32::from(c) < 0x1_0000) {
                tokenize_bmp(&lowered, &mut words);
            } else {
                for token in TOKENS.find_iter(&lowered) {
                    words.push(token.as_str().chars());
                }
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
    if c.is_ascii() {
        // No ASCII letter is unique to one language (and searching the Vietnamese list is not free).
        return 0;
    }
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

/// The languages written in Latin script: what [`filter_by_rules`] returns for ASCII text (for which
/// [`decide_by_rules`] returns `None`).
pub(super) fn latin_languages() -> u32 {
    Alphabet::Latin.languages()
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

    proptest::proptest! {
        /// ASCII text: the rules decide nothing and keep the Latin-script languages.
        #[test]
        fn ascii_text_keeps_the_latin_languages(text in "[ -~]{1,60}") {
            let words = Words::of(&text);
            proptest::prop_assume!(!words.is_empty());
            proptest::prop_assert_eq!(decide_by_rules(&words), None);
            proptest::prop_assert_eq!(filter_by_rules(&words), latin_languages());
        }
    }

    proptest::proptest! {
        /// The class-based tokenizer finds the words the regex finds.
        #[test]
        fn bmp_tokenizer_equals_the_regex(
            text in "([a-zé]|[ .,1-]|ß|ł|ب|ی|ے|\u{64b}|\u{670}|в|क|ि|\u{94d}|\u{964}|য|ক|ਕ|ક|த|త|ก|東|京|の|ア|ー|ｱ|한|ㄱ|〇|々|ʼ|ª|ǅ|Ⅻ|\u{300}|\u{3099}|\u{1f600}){0,24}"
        ) {
            proptest::prop_assume!(text.chars().all(|c| u32::from(c) < 0x1_0000));
            let mut ours = Words { chars: Vec::new(), bounds: Vec::new() };
            tokenize_bmp(&text, &mut ours);
            let ours: Vec<String> = ours.iter().map(|w| w.iter().collect()).collect();
            let theirs: Vec<String> =
                TOKENS.find_iter(&text).map(|m| m.as_str().to_string()).collect();
            proptest::prop_assert_eq!(ours, theirs);
        }
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
