//! Language identification for short social posts in the 17 languages Townhall supports
//! (ar, de, en, es, fa, fr, hi, it, ja, ko, pl, pt, ru, tl, ur, vi, zh).
//!
//! Strategy, cheapest first:
//! 1. Clean the post: drop URLs, e-mail addresses, @mentions, #hashtags, emoji, digits and punctuation.
//! 2. Script fast path: within the 17 languages several scripts identify the language outright
//!    (Hangul → ko, kana → ja, Han only → zh, Devanagari → hi, Cyrillic → ru).
//! 3. Function words (`function_words`): Latin- or Arabic-script text with at least three very common
//!    function words of one language and none of another is decided there, with no n-gram look-up
//!    (most posts of more than a few words; about 1 µs instead of 20).
//! 4. Other Latin- and Arabic-script text → lingua 1.8's high-accuracy detection restricted to the 17 languages,
//!    reimplemented in [`scorer`] over lingua's own models, merged at build time into one table
//!    (`build.rs`): one look-up per n-gram gives every language, where lingua looks each n-gram up once
//!    per language. Lingua scores texts of 120 letters or more on trigrams only (to save time); we use
//!    n-grams of length 1 to 5 at every length, which is cheap here and more accurate on the dev set.
//!    In lingua's own mode the scorer returns what lingua returns (tested against lingua itself).
//!
//! The declared language of a source is used only to break near-ties: Han-only text (Chinese or Japanese),
//! and n-gram candidates within [`TIE_MARGIN`] of the best one.

mod clean;
mod function_words;
mod lingua_rules;
mod ngram_table;
mod resident;
mod scorer;
mod scripts;
mod table_format;

pub use clean::clean_post;
use clean::*;

use lingua::Language;
use once_cell::sync::Lazy;
use std::cell::RefCell;

/// ISO 639-1 codes of the languages this detector can return.
pub const SUPPORTED_LANGUAGES: [&str; 17] = [
    "ar", "de", "en", "es", "fa", "fr", "hi", "it", "ja", "ko", "pl", "pt", "ru", "tl", "ur", "vi",
    "zh",
];

/// When n-grams of length 1 to 3 may decide without looking at lengths 4 and 5: (the text has at least
/// this many letters, the best language is at least this confident on those n-grams). Measured on the
/// dev set with `langid_eval --tune`: on the texts it decides (3,459 sentences, 1,282 word pairs, 114
/// single words) it erred exactly where the full scoring errs (4 texts).
pub const SHORT_NGRAM_RULE: (usize, f64) = (10, 0.9);

/// Two n-gram candidates closer than this are a tie that a declared language may break.
pub const TIE_MARGIN: f64 = 0.1;

/// A detected language.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detected {
    /// ISO 639-1 code, one of [`SUPPORTED_LANGUAGES`].
    pub code: &'static str,
    /// Confidence in 0..=1: the share of letters in the deciding script for script decisions, or lingua's
    /// relative confidence among the 17 languages (single words often get only 0.2–0.3).
    pub confidence: f64,
}

/// Which stage of the detector decided a text (for diagnostics and benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// No letters left after cleaning.
    NoLetters,
    /// Letters only in scripts none of the 17 languages use.
    UnsupportedScript,
    /// Decided by script alone.
    Script,
    /// Formerly: decided by whatlang. No longer returned (the n-gram scorer is faster and more accurate);
    /// kept so that code matching on routes keeps compiling.
    Whatlang,
    /// Decided by lingua's rules and n-gram scoring (reimplemented here, see [`scorer`]).
    Lingua,
    /// Decided early by n-grams of length 1 to 3 only: a clear case (see [`SHORT_NGRAM_RULE`]).
    ShortNgrams,
    /// Decided by several function words of one language and none of another (see `function_words`).
    FunctionWords,
}

/// The detector; build it once through [`detector`].
pub struct LanguageDetector {
    short_ngram_rule: (usize, f64),
    function_words: bool,
}

static DETECTOR: Lazy<LanguageDetector> = Lazy::new(LanguageDetector::new);

/// The shared detector, built on first use.
pub fn detector() -> &'static LanguageDetector {
    &DETECTOR
}

/// The 17 languages as lingua names them (also used by the evaluation example).
pub const LINGUA_LANGUAGES: [Language; 17] = [
    Language::Arabic,
    Language::German,
    Language::English,
    Language::Spanish,
    Language::Persian,
    Language::French,
    Language::Hindi,
    Language::Italian,
    Language::Japanese,
    Language::Korean,
    Language::Polish,
    Language::Portuguese,
    Language::Russian,
    Language::Tagalog,
    Language::Urdu,
    Language::Vietnamese,
    Language::Chinese,
];

#[cfg(test)]
fn lingua_code(language: Language) -> Option<&'static str> {
    Some(match language {
        Language::Arabic => "ar",
        Language::German => "de",
        Language::English => "en",
        Language::Spanish => "es",
        Language::Persian => "fa",
        Language::French => "fr",
        Language::Hindi => "hi",
        Language::Italian => "it",
        Language::Japanese => "ja",
        Language::Korean => "ko",
        Language::Polish => "pl",
        Language::Portuguese => "pt",
        Language::Russian => "ru",
        Language::Tagalog => "tl",
        Language::Urdu => "ur",
        Language::Vietnamese => "vi",
        Language::Chinese => "zh",
        #[allow(unreachable_patterns)]
        // reachable only if more lingua language features get enabled
        _ => return None,
    })
}

/// Characters of cleaned text that the n-gram detectors look at. Their accuracy has saturated well
/// before this length, while their cost grows with it: a long comment (regulations.gov comments run
/// to thousands of characters) would otherwise cost as much as hundreds of posts.
pub const MAX_EVIDENCE_CHARS: usize = 300;

/// The first [`MAX_EVIDENCE_CHARS`] characters, cut at a space when there is one.
fn evidence_prefix(cleaned: &str) -> &str {
    if cleaned.len() <= MAX_EVIDENCE_CHARS {
        // At most as many characters as bytes: nothing to cut.
        return cleaned;
    }
    match cleaned.char_indices().nth(MAX_EVIDENCE_CHARS) {
        None => cleaned,
        Some((end, _)) => {
            let head = &cleaned[..end];
            match head.rfind(' ') {
                Some(space) if space > end / 2 => &head[..space],
                _ => head,
            }
        }
    }
}

impl Default for LanguageDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl LanguageDetector {
    /// Build a detector. Cheap (the n-gram table is compiled in and read in place), but prefer the shared
    /// [`detector`].
    pub fn new() -> Self {
        Self::with_short_ngram_rule(SHORT_NGRAM_RULE.0, SHORT_NGRAM_RULE.1)
    }

    /// A detector with another [`SHORT_NGRAM_RULE`] (for measuring it; `usize::MAX` letters turns it off).
    pub fn with_short_ngram_rule(min_letters: usize, min_confidence: f64) -> Self {
        Self {
            short_ngram_rule: (min_letters, min_confidence),
            function_words: true,
        }
    }

    /// This detector without the function-word shortcut (for measuring it against the n-gram scorer).
    pub fn without_function_words(self) -> Self {
        Self {
            function_words: false,
            ..self
        }
    }

    /// Detect the language of a post. `declared` (e.g. Twitter's `lang`, possibly "und") only breaks ties.
    /// Returns `None` when the text holds no usable clue (empty, only URLs, mentions, emoji or numbers,
    /// or a script none of the 17 languages uses).
    pub fn detect(&self, text: &str, declared: Option<&str>) -> Option<Detected> {
        self.detect_with_route(text, declared).0
    }

    /// As [`detect`](Self::detect), also telling which stage decided.
    pub fn detect_with_route(
        &self,
        text: &str,
        declared: Option<&str>,
    ) -> (Option<Detected>, Route) {
        let declared = declared.and_then(normalize_declared);
        // The cleaned text goes into a buffer kept per thread (no allocation per post), followed by
        // `WINDOW_PADDING` zero bytes so that `function_words` reads a full 16-byte window at every word.
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut buffer) => {
                let (result, cleaned) =
                    self.detect_in(text, declared, std::mem::take(&mut *buffer));
                if cleaned.capacity() <= MAX_KEPT_SCRATCH {
                    *buffer = cleaned.into_bytes();
                }
                result
            }
            Err(_) => self.detect_in(text, declared, Vec::new()).0,
        })
    }

    /// [`detect_with_route`](Self::detect_with_route) with the cleaned text written to `buffer`, which is
    /// handed back (as the padded cleaned text) for the next post.
    fn detect_in(
        &self,
        text: &str,
        declared: Option<&'static str>,
        buffer: Vec<u8>,
    ) -> ((Option<Detected>, Route), String) {
        let (padded, ascii_letters) = clean_post_padded(text, buffer, true);
        let result = self.detect_cleaned(&padded, ascii_letters, declared);
        (result, padded)
    }

    /// The detection of a cleaned text followed by `WINDOW_PADDING`.
    fn detect_cleaned(
        &self,
        padded: &str,
        ascii_letters: Option<usize>,
        declared: Option<&'static str>,
    ) -> (Option<Detected>, Route) {
        let cleaned_len = padded.len() - WINDOW_PADDING.len().min(padded.len());
        let cleaned = evidence_prefix(padded.get(..cleaned_len).unwrap_or_default());
        let scripts = match ascii_letters {
            // The whole cleaned ASCII text is the evidence: its letters were counted while cleaning.
            Some(letters) if cleaned.len() == cleaned_len => ScriptCounts::latin_only(letters),
            _ => ScriptCounts::of(cleaned),
        };
        if scripts.letters == 0 {
            return (None, Route::NoLetters);
        }
        let (dominant, dominant_count) = scripts.dominant();
        let share = dominant_count as f64 / scripts.letters as f64;
        let by_script = |code: &'static str| {
            (
                Some(Detected {
                    code,
                    confidence: share,
                }),
                Route::Script,
            )
        };
        match dominant {
            ScriptGroup::Other => (None, Route::UnsupportedScript),
            ScriptGroup::Cyrillic => by_script("ru"),
            ScriptGroup::Devanagari => by_script("hi"),
            ScriptGroup::Cjk => {
                if scripts.hangul > 0 && scripts.hangul >= scripts.kana {
                    by_script("ko")
                } else if scripts.kana > 0 {
                    by_script("ja")
                } else if declared == Some("ja") {
                    // Han characters alone are written in both Chinese and Japanese.
                    by_script("ja")
                } else {
                    by_script("zh")
                }
            }
            ScriptGroup::Latin | ScriptGroup::Arabic => {
                self.detect_with_ngrams(cleaned, padded.as_bytes(), declared)
            }
        }
    }

    /// `padded`: bytes starting with those of `cleaned` (see `function_words::decide_in`).
    fn detect_with_ngrams(
        &self,
        cleaned: &str,
        padded: &[u8],
        declared: Option<&'static str>,
    ) -> (Option<Detected>, Route) {
        let shortcut = self
            .function_words
            .then(|| function_words::decide_in(cleaned, padded))
            .flatten();
        if let Some((language, confidence)) = shortcut {
            let detected = Detected {
                code: SUPPORTED_LANGUAGES[language],
                confidence,
            };
            return (Some(detected), Route::FunctionWords);
        }
        let (min_letters, min_confidence) = self.short_ngram_rule;
        let orders = scorer::Orders::AllLengths {
            min_letters,
            min_confidence,
        };
        let (values, decision) = scorer::detect(cleaned, orders);
        let route = match decision {
            scorer::Decision::ShortNgrams => Route::ShortNgrams,
            scorer::Decision::Rules | scorer::Decision::Ngrams => Route::Lingua,
        };
        (Self::pick(&values, declared), route)
    }

    /// The best language, or the declared one if it is (nearly) as likely.
    fn pick(values: &[(usize, f64)], declared: Option<&'static str>) -> Option<Detected> {
        let (best_language, best_confidence) = *values.first()?;
        if best_confidence <= 0.0 {
            return None;
        }
        let best = Detected {
            code: SUPPORTED_LANGUAGES[best_language],
            confidence: best_confidence,
        };
        let Some(declared) = declared else {
            return Some(best);
        };
        if declared == best.code {
            return Some(best);
        }
        // The declared language wins only if lingua found it (nearly) as likely as the best candidate.
        values
            .iter()
            .take_while(|(_, confidence)| best_confidence - confidence < TIE_MARGIN)
            .find(|(language, _)| SUPPORTED_LANGUAGES[*language] == declared)
            .map(|(_, confidence)| Detected {
                code: declared,
                confidence: *confidence,
            })
            .or(Some(best))
    }
}

/// Lingua 1.8's high-accuracy confidence values for `text` as given (not cleaned), restricted to the 17
/// languages, best first — what `compute_language_confidence_values` of a lingua detector built from
/// [`LINGUA_LANGUAGES`] returns, computed by our scorer over the merged table.
pub fn lingua_confidence_values(text: &str) -> Vec<(&'static str, f64)> {
    scorer::confidence_values(text, scorer::Orders::AsLingua)
        .into_iter()
        .map(|(language, confidence)| (SUPPORTED_LANGUAGES[language], confidence))
        .collect()
}

/// Map a source's declared language (e.g. "en", "EN", "en-GB", "und") to one of ours.
fn normalize_declared(declared: &str) -> Option<&'static str> {
    let primary = declared
        .split(['-', '_'])
        .next()?
        .trim()
        .to_ascii_lowercase();
    // Some sources say "fil" for Filipino, which is standardised Tagalog.
    let primary = match primary.as_str() {
        "fil" => "tl",
        other => other,
    };
    SUPPORTED_LANGUAGES
        .iter()
        .copied()
        .find(|code| *code == primary)
}

thread_local! {
    /// The cleaned text of the post being detected (see `detect_with_route`).
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A scratch buffer grown past this by a very long post is dropped afterwards.
const MAX_KEPT_SCRATCH: usize = 1 << 16;

/// A Hangul syllable, kana or Han character carries about as much as three Latin letters; without this weight
/// a Korean sentence with an English name in brackets would count as Latin text.
const CJK_WEIGHT: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScriptGroup {
    Latin,
    Cyrillic,
    Arabic,
    Devanagari,
    /// Hangul, kana and Han together: decided among ko / ja / zh afterwards.
    Cjk,
    Other,
}

#[derive(Debug, Default)]
struct ScriptCounts {
    letters: usize,
    latin: usize,
    cyrillic: usize,
    arabic: usize,
    devanagari: usize,
    hangul: usize,
    kana: usize,
    han: usize,
    other: usize,
}

impl ScriptCounts {
    /// The counts of a text whose letters are all ASCII ones.
    fn latin_only(letters: usize) -> Self {
        Self {
            letters,
            latin: letters,
            ..Self::default()
        }
    }

    fn of(text: &str) -> Self {
        let mut counts = Self::default();
        if text.is_ascii() {
            // All letters are Latin ones.
            let letters = text.bytes().filter(u8::is_ascii_alphabetic).count();
            counts.letters = letters;
            counts.latin = letters;
            return counts;
        }
        for c in text.chars() {
            if c.is_ascii() {
                if c.is_ascii_alphabetic() {
                    counts.letters += 1;
                    counts.latin += 1;
                }
                continue;
            }
            if !crate::chars::is_alphabetic(c) {
                continue;
            }
            counts.letters += 1;
            *counts.slot(c) += 1;
        }
        counts
    }

    /// The count of the script of the letter `c`.
    fn slot(&mut self, c: char) -> &mut usize {
        let counts = self;
        match c {
            'a'..='z'
            | 'A'..='Z'
            | '\u{00C0}'..='\u{024F}'
            | '\u{1E00}'..='\u{1EFF}'
            | '\u{FF21}'..='\u{FF5A}' => &mut counts.latin,
            '\u{0400}'..='\u{052F}' => &mut counts.cyrillic,
            '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{08A0}'..='\u{08FF}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}' => &mut counts.arabic,
            '\u{0900}'..='\u{097F}' | '\u{A8E0}'..='\u{A8FF}' => &mut counts.devanagari,
            '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}' => {
                &mut counts.hangul
            }
            '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9D}' => {
                &mut counts.kana
            }
            '\u{3005}'
            | '\u{3007}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2FFFF}' => &mut counts.han,
            _ => &mut counts.other,
        }
    }

    /// The script group with most (weighted) letters; ties go to the earlier group in this list.
    /// Returns the group and its unweighted letter count.
    fn dominant(&self) -> (ScriptGroup, usize) {
        let cjk = self.hangul + self.kana + self.han;
        let mut best = (ScriptGroup::Other, 0, 0);
        for (group, letters, weight) in [
            (ScriptGroup::Latin, self.latin, 1),
            (ScriptGroup::Cyrillic, self.cyrillic, 1),
            (ScriptGroup::Arabic, self.arabic, 1),
            (ScriptGroup::Devanagari, self.devanagari, 1),
            (ScriptGroup::Cjk, cjk, CJK_WEIGHT),
            (ScriptGroup::Other, self.other, 1),
        ] {
            if letters * weight > best.2 {
                best = (group, letters, letters * weight);
            }
        }
        (best.0, best.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_drops_urls_mentions_hashtags_emoji_and_numbers() {
        assert_eq!(
            clean_post("@mayor Thanks!! 👍 see https://t.co/xyz #budget2025 at 10:30 (www.city.gov) mail a@b.org"),
            "Thanks see at mail"
        );
        assert_eq!(clean_post("l'homme d’État"), "l'homme d’État");
        assert_eq!(clean_post("🙂 42 !!! @a #b"), "");
        assert_eq!(
            clean_post(
                "Debunked pic.twitter.com/3q5Hv9IvVx and nypost.com/2019/02/28/story/amp/ …"
            ),
            "Debunked and"
        );
        // A slash between words is not a URL.
        assert_eq!(clean_post("and/or yes/no"), "and or yes no");
    }

    proptest::proptest! {
        /// The byte-wise cleaning of ASCII posts gives what the character-wise one gives.
        #[test]
        fn ascii_cleaning_equals_the_general_one(
            text in "[ -~\t\n\x0b\x0c\r]{0,80}|(([a-zA-Z0-9]{1,6}|[ ,.'@#:/_-]|https?://x\\.co/a|www\\.a\\.b|a\\.b/c){0,20})"
        ) {
            proptest::prop_assert_eq!(clean_ascii_post(&text), clean_chars_post(&text));
        }

        /// The eight-byte scan gives what the byte search gave, and counts the letters it keeps.
        #[test]
        fn eight_byte_scan_equals_byte_search(
            text in "[ -~\t\n\x0b\x0c\r]{0,80}|(([a-zA-Z]{1,20}|[a-zA-Z0-9']{1,9}|[ \t\n,.!?)'@#:/_\\[`{-]{1,3}|https?://x\\.co/a|[wW]{3}\\.?|www\\.a\\.b|a\\.b/c){0,30})|(([a-zA-Z]{1,7}[ ,.]{1,2}){0,14}[a-zA-Z.@/ ]{0,9})"
        ) {
            let mut ours = b"left over".to_vec();
            let letters = clean_ascii_post_into(&text, &mut ours);
            let expected = clean_ascii_post_by_bytes(&text);
            proptest::prop_assert_eq!(letters, expected.bytes().filter(u8::is_ascii_alphabetic).count());
            proptest::prop_assert_eq!(String::from_utf8(ours).unwrap_or_default(), expected);
        }

        /// The eight-byte letter test agrees with `is_ascii_alphabetic` on every ASCII byte in every position.
        #[test]
        fn eight_byte_letter_test_equals_the_byte_test(chunk in proptest::array::uniform8(0u8..0x80)) {
            let flags = ascii_non_letters(u64::from_le_bytes(chunk));
            for (at, b) in chunk.iter().enumerate() {
                proptest::prop_assert_eq!(flags >> (8 * at + 7) & 1 == 1, !b.is_ascii_alphabetic());
            }
        }

        /// The detector's cleaning (into its buffer, padded, with the letters counted for ASCII text) gives
        /// what `clean_post` and the script counts give.
        #[test]
        fn buffered_cleaning_equals_clean_post(
            text in "[ -~\t\n]{0,60}|(([a-zA-Z]{1,12}|é|’|👍|漢|[ .@#'/]){0,30})"
        ) {
            let (buffer, letters) = clean_post_into(&text, b"left over".to_vec());
            let expected = clean_chars_post(&text);
            if let Some(letters) = letters {
                proptest::prop_assert_eq!(letters, ScriptCounts::of(&expected).letters);
            }
            proptest::prop_assert_eq!(&buffer, &expected);
            let (padded, _) = clean_post_padded(&text, buffer.into_bytes(), true);
            proptest::prop_assert_eq!(padded, expected + WINDOW_PADDING);
        }

        /// The single pass gives what splitting first gave.
        #[test]
        fn one_pass_ascii_cleaning_equals_splitting_first(
            text in "[ -~\t\n\x0b\x0c\r]{0,80}|(([a-zA-Z]{1,8}|[a-zA-Z0-9]{1,6}|[ \t\n,.'@#:/_-]|https?://x\\.co/a|www\\.a\\.b|a\\.b/c){0,30})"
        ) {
            proptest::prop_assert_eq!(clean_ascii_post(&text), clean_ascii_post_by_split(&text));
        }

        /// The shortcut for words of letters keeps what the steps keep.
        #[test]
        fn letter_words_are_cleaned_as_by_the_steps(
            token in "[a-zA-Zéß\u{0300}\u{064B}漢ا'’@#.:/0-9-]{1,8}",
            before in "|x",
        ) {
            let mut ours = before.clone();
            clean_token(&token, &mut ours);
            let mut steps = before.clone();
            clean_token_steps(&token, &mut steps);
            proptest::prop_assert_eq!(ours, steps);
        }

        /// The one-pass noise test agrees with the tests it replaces.
        #[test]
        fn noise_test_equals_the_original(token in "[a-zA-Z0-9@#:/._é-]{0,12}") {
            let original = token.starts_with('@')
                || token.starts_with('#')
                || token.contains("://")
                || token.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("www."))
                || (token.contains('@') && token.contains('.'))
                || token.split_once('/').is_some_and(|(host, _)| {
                    let labels: Vec<&str> = host.split('.').collect();
                    labels.len() >= 2
                        && labels.iter().all(|l| {
                            !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        })
                });
            proptest::prop_assert_eq!(is_noise_token(&token), original);
        }
    }

    proptest::proptest! {
        /// The 16-byte word prefix is what a byte loop finds.
        #[test]
        fn letter_word_prefix_equals_a_byte_loop(chunk in proptest::collection::vec(
            proptest::prop_oneof![0x41u8..0x5b, 0x61u8..0x7b, proptest::strategy::Just(b' '), 0u8..0x80],
            16,
        )) {
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(&chunk);
            let prefix = bytes.iter().position(|b| !b.is_ascii_alphabetic() && *b != b' ').unwrap_or(16);
            let expected = if !bytes[0].is_ascii_alphabetic()
                || bytes[..prefix].windows(2).any(|pair| pair == b"  ")
            {
                None
            } else {
                bytes[..prefix].iter().rposition(|&b| b == b' ').map(|length| {
                    (length, bytes[..length].iter().filter(|&&b| b == b' ').count())
                })
            };
            proptest::prop_assert_eq!(ascii_letter_words(u128::from_le_bytes(bytes)), expected);
        }
    }

    #[test]
    fn declared_codes_are_normalized() {
        assert_eq!(normalize_declared("en-GB"), Some("en"));
        assert_eq!(normalize_declared("FIL"), Some("tl"));
        assert_eq!(normalize_declared("und"), None);
        assert_eq!(normalize_declared(""), None);
    }

    /// The dev set: (language, kind, text).
    fn dev_set() -> Vec<(String, String, String)> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/langid/testset-dev.tsv"
        );
        let data =
            std::fs::read_to_string(path).expect("the dev set is in /work/shared/data/langid");
        data.lines()
            .map(|line| {
                let mut fields = line.splitn(3, '\t').map(str::to_string);
                let mut next = || fields.next().expect("language, kind and text");
                (next(), next(), next())
            })
            .collect()
    }

    /// Our scorer in lingua's mode against lingua 1.8 itself (17 languages, high accuracy) on every third
    /// text of the dev set (8,134 texts, all scripts, cleaned as the detector cleans them): the same best
    /// language, and every language's confidence within rounding of the stored log-probabilities. Where
    /// lingua's two best are a near-tie (< 0.002 apart) either order is accepted.
    #[test]
    fn scorer_reproduces_lingua_on_the_dev_set() {
        let lingua = lingua::LanguageDetectorBuilder::from_languages(&LINGUA_LANGUAGES)
            .with_preloaded_language_models()
            .build();
        let texts: Vec<String> = dev_set()
            .iter()
            .step_by(3)
            .map(|(_, _, text)| evidence_prefix(&clean_post(text)).to_string())
            .collect();
        assert_eq!(texts.len(), 8_134);
        let (mut near_ties, mut max_difference) = (0usize, 0.0f64);
        for text in &texts {
            let ours = scorer::confidence_values(text, scorer::Orders::AsLingua);
            let theirs = lingua.compute_language_confidence_values(text.as_str());
            for (language, confidence) in &theirs {
                let code = lingua_code(*language).expect("one of the 17");
                let our = ours
                    .iter()
                    .find(|(l, _)| SUPPORTED_LANGUAGES[*l] == code)
                    .map(|(_, c)| *c)
                    .expect("every language is listed");
                max_difference = max_difference.max((our - confidence).abs());
            }
            let their_best = lingua_code(theirs[0].0).expect("one of the 17");
            if SUPPORTED_LANGUAGES[ours[0].0] != their_best {
                assert!(
                    theirs[0].1 - theirs[1].1 < 0.002,
                    "{text:?}: ours {:?} lingua {:?}",
                    &ours[..3],
                    &theirs[..3]
                );
                near_ties += 1;
            }
        }
        // Measured: 0.0005 and 1 near-tie (2 on the whole set).
        assert!(
            max_difference < 0.002,
            "largest confidence difference {max_difference}"
        );
        assert!(
            near_ties <= 2,
            "{near_ties} near-ties decided the other way"
        );
    }

    /// The detector's accuracy per kind on the whole dev set is at least lingua high's published figures
    /// (85.9 / 95.5 / 99.3 %, macro-averaged over the 17 languages). Measured: 86.38 / 95.62 / 99.54 %.
    #[test]
    fn accuracy_per_kind_reaches_lingua_high() {
        let samples = dev_set();
        let mut tally: std::collections::BTreeMap<(&str, &str), (usize, usize)> =
            Default::default();
        for (language, kind, text) in &samples {
            let right = detector().detect(text, None).map(|d| d.code) == Some(language.as_str());
            let cell = tally.entry((kind.as_str(), language.as_str())).or_default();
            cell.0 += usize::from(right);
            cell.1 += 1;
        }
        for (kind, target) in [
            ("single-words", 85.9),
            ("word-pairs", 95.5),
            ("sentences", 99.3),
        ] {
            let accuracy = SUPPORTED_LANGUAGES
                .iter()
                .map(|language| {
                    let (right, total) = tally[&(kind, *language)];
                    100.0 * right as f64 / total as f64
                })
                .sum::<f64>()
                / 17.0;
            assert!(accuracy >= target, "{kind}: {accuracy:.2} % < {target} %");
        }
    }

    /// The function-word shortcut decides about a third of the dev set's sentences and errs on none of
    /// them (measured: 2,722 decided, all right); it never decides a single word or a word pair.
    #[test]
    fn function_word_decisions_are_right_on_the_dev_set() {
        let (mut decided, mut wrong) = (0usize, Vec::new());
        for (language, kind, text) in &dev_set() {
            let (detected, route) = detector().detect_with_route(text, None);
            if route != Route::FunctionWords {
                continue;
            }
            assert_eq!(kind, "sentences", "{text:?} decided by function words");
            decided += 1;
            if detected.map(|d| d.code) != Some(language.as_str()) {
                wrong.push((language.clone(), text.clone()));
            }
        }
        assert!(decided >= 2_500, "only {decided} sentences decided");
        assert!(wrong.len() <= 2, "wrong decisions: {wrong:?}");
    }

    /// On real posts (a day of Congress's posts, the public's replies) the function-word shortcut names the
    /// language the n-gram scorer names. Measured: see the assertion's message when it fails.
    #[test]
    fn function_word_decisions_agree_with_the_ngram_scorer_on_real_posts() {
        let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");
        let mut texts: Vec<String> = Vec::new();
        let day =
            std::fs::read_to_string(format!("{shared}/govposts/congresstweets-2017-06-21.json"))
                .expect("govposts sample");
        let day: Vec<serde_json::Value> = serde_json::from_str(&day).expect("JSON");
        texts.extend(
            day.iter()
                .filter_map(|p| p["text"].as_str().map(str::to_string)),
        );
        for entry in std::fs::read_dir(format!("{shared}/publicreplies")).expect("publicreplies") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                let thread: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).expect("thread"))
                        .expect("JSON");
                for reply in thread["replies"].as_array().into_iter().flatten() {
                    if let Some(text) = reply[8].as_str() {
                        texts.push(text.to_string());
                    }
                }
            }
        }
        let full = LanguageDetector::new().without_function_words();
        let (mut decided, mut disagreements) = (0usize, Vec::new());
        for text in &texts {
            let (ours, route) = detector().detect_with_route(text, None);
            if route != Route::FunctionWords {
                continue;
            }
            decided += 1;
            let theirs = full.detect(text, None);
            if ours.map(|d| d.code) != theirs.map(|d| d.code) {
                disagreements.push(text.as_str());
            }
        }
        assert!(
            decided * 2 >= texts.len(),
            "{decided} of {} decided",
            texts.len()
        );
        assert!(
            disagreements.len() * 1000 <= decided,
            "{} of {decided} disagree: {disagreements:?}",
            disagreements.len()
        );
    }

    #[test]
    fn merged_table_holds_lingua_log_probabilities() {
        // "the" in English: lingua's model stores ln p for every n-gram; ours within 1/4096.
        let ids: Vec<u32> = "the"
            .chars()
            .map(|c| ngram_table::char_id(c).expect("in the models"))
            .collect();
        let key = ids
            .iter()
            .enumerate()
            .map(|(position, id)| {
                ngram_table::longer_key_part(*id, position).expect("a common letter")
            })
            .fold(0, |key, part| key | part);
        let row = ngram_table::look_up(3, key).expect("\"the\" is in the table");
        let english = row
            .log_probabilities()
            .find(|(language, _)| SUPPORTED_LANGUAGES[*language] == "en")
            .expect("English knows \"the\"")
            .1;
        assert!((-3.0..0.0).contains(&english), "{english}");
        // Characters outside every model have no id; n-grams never seen are absent.
        assert_eq!(ngram_table::char_id('☃'), None);
        // A 5-gram mixing Latin and Arabic letters is in no model (each model is one script).
        let mixed = "aبaبa"
            .chars()
            .enumerate()
            .map(|(position, c)| {
                let id = ngram_table::char_id(c).expect("in the models");
                ngram_table::longer_key_part(id, position).expect("in longer n-grams")
            })
            .fold(0, |key, part| key | part);
        assert!(ngram_table::look_up(5, mixed).is_none());
    }

    #[test]
    fn script_counts_find_the_dominant_group() {
        let counts = ScriptCounts::of("東京タワー");
        assert_eq!(counts.han, 2);
        assert_eq!(counts.kana, 3);
        assert_eq!(counts.dominant().0, ScriptGroup::Cjk);
        assert_eq!(
            ScriptCounts::of("Привет hi").dominant().0,
            ScriptGroup::Cyrillic
        );
        assert_eq!(
            ScriptCounts::of("Γειά σου").dominant().0,
            ScriptGroup::Other
        );
    }
}
