//! Unit tests. Expected scores were produced by Python `vaderSentiment` 3.3.2 (`polarity_scores`); the
//! full comparison on 10,605 movie-review snippets lives in `tests/vader_reference.rs`.

use super::valence::{
    but_rescale_by_scan, but_rescale_indexed, normalize, BUT_QUADRATIC_MAX_TOKENS,
};
use super::*;
use proptest::prelude::*;
use std::borrow::Cow;

/// (text, compound, pos, neu, neg) as printed by the reference.
const REFERENCE: &[(&str, f64, f64, f64, f64)] = &[
    ("no problem", 0.3089, 0.693, 0.307, 0.0),
    ("at least good", 0.4404, 0.592, 0.408, 0.0),
    ("the least good", -0.3412, 0.0, 0.454, 0.546),
    (
        "VADER is VERY SMART, handsome, and FUNNY!!!",
        0.9342,
        0.767,
        0.233,
        0.0,
    ),
    (
        "The plot was good, but the characters are uncompelling and the dialog is not great.",
        -0.7042,
        0.094,
        0.579,
        0.327,
    ),
    (
        "Catch utf-8 emoji such as 💘 and 💋 and 😁",
        0.875,
        0.417,
        0.583,
        0.0,
    ),
    ("Make sure you :) or :D today!", 0.8633, 0.706, 0.294, 0.0),
    ("The book was only kind of good.", 0.3832, 0.303, 0.697, 0.0),
    ("extremely good", 0.4927, 0.762, 0.238, 0.0),
    (
        "With VADER, sentiment analysis is the shit!",
        0.6476,
        0.417,
        0.583,
        0.0,
    ),
    ("good good but good good", 0.891, 0.921, 0.079, 0.0),
    ("", 0.0, 0.0, 0.0, 0.0),
    ("?!?!", 0.0, 0.0, 1.0, 0.0),
    ("It is not good", -0.3412, 0.0, 0.555, 0.445),
];

#[test]
fn matches_reference_examples() {
    for &(text, compound, pos, neu, neg) in REFERENCE {
        let got = vader().polarity_scores(text);
        let expected = Sentiment {
            compound,
            pos,
            neu,
            neg,
        };
        assert_eq!(got, expected, "text: {text:?}");
    }
}

#[test]
fn lexicons_load_completely() {
    // Reference: len(analyzer.lexicon) == 7506 (7,520 lines, later duplicates override);
    // 1,212 of the 3,570 emoji keys are a single code point.
    assert_eq!(vader().lexicon.len(), 7506);
    assert_eq!(vader().lexicon.get("good"), Some(&1.9));
    assert_eq!(vader().lexicon.get("heart"), Some(&3.2));
    assert_eq!(vader().emoji.descriptions.len(), 1212);
    assert_eq!(
        vader().emoji.descriptions.get(&'😁'),
        Some(&"beaming face with smiling eyes")
    );
}

#[test]
fn no_rule_and_booster_tokens() {
    let v = vader();
    assert!(v.polarity_scores("no problem").compound > 0.0);
    assert!(v.polarity_scores("problem").compound < 0.0);
    // A booster counts once, as a whole token: "extremely" is not also boosted by "extreme"/"remely".
    let boosted = v.polarity_scores("extremely good").compound;
    let plain = v.polarity_scores("good").compound;
    let once = normalize(1.9 + rules::B_INCR);
    assert!(boosted > plain);
    assert!((boosted - pystr::round(once, 4)).abs() < 1e-12);
}

#[test]
fn emoji_adjacent_to_text_is_glued_like_the_reference() {
    let v = vader();
    assert_eq!(
        v.emoji.replace("ab😁cd"),
        "ab beaming face with smiling eyescd"
    );
    assert_eq!(
        v.emoji.replace("😁😁"),
        "beaming face with smiling eyes beaming face with smiling eyes"
    );
    assert_eq!(v.emoji.replace("plain ascii"), "plain ascii");
    assert!(matches!(v.emoji.replace("déjà vu"), Cow::Borrowed(_)));
}

#[test]
fn fx_hash_distinguishes_lengths() {
    use std::hash::{BuildHasher, BuildHasherDefault};
    let build: BuildHasherDefault<FxHasher> = BuildHasherDefault::default();
    assert_ne!(build.hash_one("a"), build.hash_one("a\0"));
    assert_ne!(build.hash_one("good"), build.hash_one("goods"));
}

#[test]
fn long_text_with_but_uses_index_path_and_agrees() {
    let sentence = "good bad good okay great but terrible nice nice nice ";
    let text = sentence.repeat(40);
    let tokens = text.split_whitespace().count();
    assert!(tokens > BUT_QUADRATIC_MAX_TOKENS);
    let scores = vader().polarity_scores(&text);
    assert!((-1.0..=1.0).contains(&scores.compound));
    assert!((scores.pos + scores.neu + scores.neg - 1.0).abs() < 0.01);
}

proptest! {
    /// The indexed "but" rescaling equals the reference's quadratic scan, including repeated values
    /// and signed zeros.
    #[test]
    fn but_rescale_index_equals_scan(
        values in proptest::collection::vec(
            prop_oneof![
                Just(0.0),
                Just(-0.0),
                Just(1.9),
                Just(-1.9),
                Just(0.95),
                Just(2.85),
                Just(-0.7),
                Just(1.425),
            ],
            1..300,
        ),
        but_at in 0usize..300,
        but_scored in any::<bool>(),
    ) {
        // The "but" at one position (scored or not, as the sparse scores see it) or between two.
        let halve_below = but_at % (values.len() + 1);
        let grow_from = (halve_below + usize::from(but_scored)).min(values.len());
        let mut scanned = values.clone();
        let mut indexed = values;
        but_rescale_by_scan(&mut scanned, halve_below, grow_from);
        but_rescale_indexed(&mut indexed, halve_below, grow_from);
        prop_assert_eq!(scanned, indexed);
    }

    /// Any input yields scores in range, and never panics.
    #[test]
    fn scores_in_range(text in "\\PC{0,80}") {
        let s = vader().polarity_scores(&text);
        prop_assert!((-1.0..=1.0).contains(&s.compound));
        for part in [s.pos, s.neu, s.neg] {
            prop_assert!((0.0..=1.0).contains(&part));
        }
    }
}

/// Words and phrases for texts that exercise every rule: rule words, lexicon words (one longer than the short
/// table's keys), boosters, negations, "n't" words, emoticons, non-ASCII words (one that lower-cases to
/// ASCII through the Kelvin sign, one with a final sigma) and emoji.
const MIX_WORDS: &[&str] = &[
    "no",
    "kind",
    "of",
    "but",
    "or",
    "nor",
    "never",
    "so",
    "this",
    "without",
    "doubt",
    "least",
    "at",
    "very",
    "the",
    "shit",
    "bomb",
    "bad",
    "ass",
    "bus",
    "stop",
    "yeah",
    "right",
    "beating",
    "heart",
    "kiss",
    "death",
    "to",
    "die",
    "for",
    "just",
    "enough",
    "sort",
    "good",
    "great",
    "terrible",
    "problem",
    "extremely",
    "kinda",
    "sort-of",
    "barely",
    "not",
    "isn't",
    "mayn't",
    "uh-uh",
    "despite",
    "contradictoriness",
    "compassionateness",
    "adventuresomenesses",
    ":)",
    ":D",
    ":-Þ",
    "<3",
    "été",
    "ÉTÉ",
    "\u{212a}ind",
    "ΣΟΦΟΣ",
    "Милый",
    "日本",
    "😁",
    "💘",
    "©",
    "n't",
    "N'T",
    "lol",
    // Phrases some rule looks for, so that they turn up often.
    "never so",
    "never this",
    "without doubt",
    "without a doubt",
    "kind of",
    "sort of",
    "just enough",
    "at least",
    "very least",
    "no or",
    "no nor",
    "yeah right",
    "kiss of death",
    "to die for",
    "the shit",
    "the bomb",
    "bad ass",
    "bus stop",
    "beating heart",
    "very very",
    "not so",
];

fn mix_text() -> impl Strategy<Value = String> {
    let piece = (
        proptest::sample::select(MIX_WORDS),
        0u8..4,
        proptest::sample::select(&["", "", "", "!", "?", "...", "'", "(", "\"", "!?"][..]),
        proptest::sample::select(&["", "", "", "!", "?", ",", ".", "'", ")", "!!!"][..]),
        proptest::sample::select(
            &[
                " ", " ", " ", "  ", "\t", "\n", "\u{1c}", "\u{a0}", "\u{3000}", "-",
            ][..],
        ),
    )
        .prop_map(|(word, case, before, after, gap)| {
            let word = match case {
                0 => word.to_uppercase(),
                1 => {
                    let mut chars = word.chars();
                    chars.next().map_or_else(String::new, |first| {
                        first.to_uppercase().chain(chars).collect()
                    })
                }
                _ => word.to_string(),
            };
            format!("{before}{word}{after}{gap}")
        });
    proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    /// The flag-and-id rules, the one-pass tokenizer and the sparse scores give exactly what the
    /// analyser gave before them (string comparisons, a score per token).
    #[test]
    fn equals_the_reference_implementation(text in mix_text()) {
        prop_assert_eq!(vader().polarity_scores(&text), reference::polarity_scores(vader(), &text));
    }

    #[test]
    fn equals_the_reference_on_any_text(text in "\\PC{0,60}") {
        prop_assert_eq!(vader().polarity_scores(&text), reference::polarity_scores(vader(), &text));
    }
}

#[test]
fn equals_the_reference_on_the_fixtures() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vader/");
    let mut texts = 0;
    for name in ["edge_cases.jsonl", "random_mix.jsonl"] {
        let fixture = std::fs::read_to_string(format!("{root}{name}")).unwrap_or_default();
        for line in fixture.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            let text = record["text"].as_str().unwrap_or_default();
            assert_eq!(
                vader().polarity_scores(text),
                reference::polarity_scores(vader(), text),
                "{text:?}"
            );
            texts += 1;
        }
    }
    assert!(texts > 1000, "fixtures missing: {texts} texts");
}

proptest! {
    /// The byte-wise emoji test equals looking up every character.
    #[test]
    fn any_emoji_equals_looking_up_each_character(
        text in "([a-z ]|é|©|®|™|‼|’|東|한|〰|〽|㊗|\u{1f600}|\u{1f9ff}|\u{10400}|\\PC){0,12}",
    ) {
        let emoji = &vader().emoji;
        let expected = text.chars().any(|ch| emoji.descriptions.contains_key(&ch));
        prop_assert_eq!(emoji.any_in(&text), expected);
    }

    /// The two-half packing equals the short table's own.
    #[test]
    fn pack_lower_equals_pack_ascii_lower(word in "[ -~]{1,16}", tail in "[ -~]{16}") {
        let mut window = [0u8; crate::short_words::MAX_BYTES];
        let bytes: Vec<u8> = word.bytes().chain(tail.bytes()).take(window.len()).collect();
        window.copy_from_slice(&bytes);
        let expected = crate::short_words::pack_ascii_lower(&window, word.len());
        let has_upper = word.bytes().any(|b| b.is_ascii_uppercase());
        prop_assert_eq!(Some(super::tokens::pack_lower(&window, word.len(), true)), expected);
        prop_assert_eq!(Some(super::tokens::pack_lower(&window, word.len(), has_upper)), expected);
    }

    /// The byte-class stripping equals the reference's.
    #[test]
    fn strip_punc_ascii_equals_the_simple_one(word in "[!-~]{1,12}") {
        let (start, end) = super::tokens::strip_punc_ascii(word.as_bytes(), 0, word.len());
        prop_assert_eq!(&word[start..end], pystr::strip_punc_if_word_simple(&word));
    }
}

#[test]
fn entries_of_lower_cased_words() {
    let v = vader();
    assert_eq!(v.non_ascii_words.len(), 2, "{:?}", v.non_ascii_words);
    assert!(!v.non_ascii_keys_reachable);
    assert_eq!(v.entry_of(":Þ").valence, 1.1);
    assert_eq!(v.entry_of(":-Þ").valence, 0.9);
    assert_eq!(v.entry_of("good").valence, 1.9);
    assert_eq!(
        v.entry_of("contradictoriness").valence,
        v.lexicon["contradictoriness"]
    );
    assert_eq!(v.entry_of("été").flags, 0);
    assert_eq!(v.entry_of("kind").word, words::KIND);
}

#[test]
fn has_nt_ignores_ascii_case_only() {
    use super::tokens::has_nt;
    for (word, expected) in [
        ("isn't", true),
        ("ISN'T", true),
        ("n't", true),
        ("nt", false),
        ("n'", false),
        ("'t", false),
        ("don’t", false),
        ("can'", false),
    ] {
        assert_eq!(has_nt(word.as_bytes()), expected, "{word}");
    }
}
