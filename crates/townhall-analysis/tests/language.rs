#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Language identification: behaviour on social-post noise, script fast paths, the declared-language
//! tie-breaker, and accuracy floors on the 17-language test set in /work/shared/data/langid.

use std::collections::BTreeMap;
use std::path::PathBuf;

use townhall_analysis::language::{detector, Route, SUPPORTED_LANGUAGES};

fn code(text: &str, declared: Option<&str>) -> Option<&'static str> {
    detector().detect(text, declared).map(|d| d.code)
}

#[test]
fn nothing_to_go_on_gives_none() {
    for text in [
        "",
        "   \n\t ",
        "https://t.co/AbCdEf123",
        "@cityhall @mayor_office",
        "#budget2025 #CityCouncil",
        "😀🎉👍🏽 🇺🇸",
        "12:30 - 42 / 3.14 %",
        "@mayor https://example.org/consultation?id=7 #vote 😀 2025!!!",
        "someone@example.org",
    ] {
        assert_eq!(detector().detect(text, Some("en")), None, "{text:?}");
    }
}

#[test]
fn scripts_outside_the_17_languages_give_none() {
    assert_eq!(code("Καλημέρα σε όλους τους φίλους μας", None), None);
    assert_eq!(code("שלום לכולם וברוכים הבאים", None), None);
    assert_eq!(
        detector().detect_with_route("สวัสดีครับ ยินดีต้อนรับ", None).1,
        Route::UnsupportedScript
    );
}

#[test]
fn script_fast_paths() {
    for (text, expected) in [
        ("시청 앞에서 집회가 열렸습니다", "ko"),
        ("市役所の前で集会がありました", "ja"),
        ("カタカナ", "ja"),
        ("市政府今天发布了新的预算", "zh"),
        ("नगर परिषद ने नया बजट जारी किया", "hi"),
        ("Городской совет опубликовал новый бюджет", "ru"),
    ] {
        let (detected, route) = detector().detect_with_route(text, None);
        let detected = detected.unwrap();
        assert_eq!(detected.code, expected, "{text}");
        assert_eq!(route, Route::Script, "{text}");
        assert!(
            (detected.confidence - 1.0).abs() < 1e-9,
            "{text}: {detected:?}"
        );
    }
}

#[test]
fn arabic_script_languages_are_told_apart() {
    assert_eq!(
        code("أعلن المجلس البلدي عن ميزانية جديدة للعام المقبل", None),
        Some("ar")
    );
    assert_eq!(
        code("شورای شهر بودجه جدید سال آینده را اعلام کرد", None),
        Some("fa")
    );
    assert_eq!(
        code("سٹی کونسل نے اگلے سال کا نیا بجٹ جاری کر دیا ہے", None),
        Some("ur")
    );
}

#[test]
fn social_noise_is_ignored() {
    let post = "@mayor_office Das ist wirklich eine gute Idee, vielen Dank! 👍 https://t.co/x1y2z3 #Haushalt2025";
    assert_eq!(code(post, None), Some("de"));
    // Without cleaning the English-looking URL, mention and hashtag would weigh on a short post.
    assert_eq!(
        code(
            "@CityOfBoston #StreetSafety muy buena idea 👏👏 https://bit.ly/abc",
            None
        ),
        Some("es")
    );
    assert_eq!(code("merci beaucoup 🙏 @ville_de_paris", None), Some("fr"));
}

#[test]
fn mixed_scripts_follow_the_main_text() {
    // Korean with an English gloss in brackets: Hangul syllables weigh more than single Latin letters.
    assert_eq!(
        code("르노삼성 부산공장은 사원대표위원회(Employee Representative Organization)가 노조 역할을 한다", None),
        Some("ko")
    );
    // English with a Japanese word.
    assert_eq!(
        code(
            "We had amazing 寿司 in Tokyo last night with the whole team",
            None
        ),
        Some("en")
    );
    // Russian with a Latin brand name.
    assert_eq!(
        code("Я купил новый iPhone вчера в магазине", None),
        Some("ru")
    );
    // Kana among Han characters means Japanese.
    assert_eq!(code("東京タワー", None), Some("ja"));
}

#[test]
fn declared_language_breaks_ties_only() {
    // Han characters alone are Chinese or Japanese: the declared language decides.
    assert_eq!(code("東京", None), Some("zh"));
    assert_eq!(code("東京", Some("ja")), Some("ja"));
    assert_eq!(code("東京", Some("und")), Some("zh"));
    // "casa" is a word in Spanish, Portuguese and Italian; lingua finds them nearly equally likely.
    let undeclared = code("casa", None).unwrap();
    assert!(["es", "pt", "it"].contains(&undeclared), "{undeclared}");
    assert_eq!(code("casa", Some("pt")), Some("pt"));
    assert_eq!(code("casa", Some("it")), Some("it"));
    assert_eq!(code("casa", Some("es")), Some("es"));
    // A declared language that is not a near-tie does not override clear text.
    let english = "The city council approved the new budget for public transport yesterday evening";
    assert_eq!(code(english, Some("de")), Some("en"));
    assert_eq!(code("Городской совет", Some("en")), Some("ru"));
    assert_eq!(
        code("vielen Dank für die schnelle Antwort", Some("pt")),
        Some("de")
    );
    // Region suffixes and case do not matter.
    assert_eq!(code("casa", Some("PT-br")), Some("pt"));
}

#[test]
fn detector_is_shared_and_usable_from_many_threads() {
    let handles: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                let ptr = detector() as *const _ as usize;
                (
                    ptr,
                    code("Bonjour à tous, merci pour votre participation", None),
                )
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(results.iter().all(|r| *r == results[0]));
    assert_eq!(results[0].1, Some("fr"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Any input, including odd Unicode, gives either nothing or a supported code with a confidence in 0..=1,
    /// and a declared language never makes a text without letters detectable.
    #[test]
    fn any_text_gives_a_supported_code_or_none(text in "\\PC{0,60}", declared in "[a-zA-Z-]{0,6}") {
        let detected = detector().detect(&text, Some(&declared));
        if let Some(detected) = detected {
            proptest::prop_assert!(SUPPORTED_LANGUAGES.contains(&detected.code));
            proptest::prop_assert!((0.0..=1.0).contains(&detected.confidence), "{:?}", detected);
        }
        if !text.chars().any(char::is_alphabetic) {
            proptest::prop_assert!(detected.is_none());
        }
    }
}

fn testset_path() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/langid/testset-dev.tsv");
    assert!(
        path.exists(),
        "language test set missing at {} (it belongs in /work/shared/data/langid)",
        path.display()
    );
    path
}

/// Accuracy per kind, macro-averaged over the 17 languages, as measured on the whole dev set (24,400 texts,
/// a few seconds in the dev profile). Measured: 86.4 / 95.7 / 99.4 % (lingua alone: 86.4 / 95.6 / 99.2 %).
#[test]
fn accuracy_floors_on_the_test_set() {
    let data = std::fs::read_to_string(testset_path()).unwrap();
    // (language, kind) -> (correct, total)
    let mut tally: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for line in data.lines() {
        let mut fields = line.splitn(3, '\t');
        let (Some(language), Some(kind), Some(text)) =
            (fields.next(), fields.next(), fields.next())
        else {
            panic!("malformed line: {line:?}");
        };
        let detected = detector().detect(text, None);
        if let Some(detected) = detected {
            assert!(
                (0.0..=1.0).contains(&detected.confidence),
                "{text}: {detected:?}"
            );
            assert!(SUPPORTED_LANGUAGES.contains(&detected.code));
        }
        let entry = tally.entry((language, kind)).or_insert((0, 0));
        entry.1 += 1;
        entry.0 += usize::from(detected.map(|d| d.code) == Some(language));
    }
    assert_eq!(tally.len(), 17 * 3, "expected 17 languages × 3 kinds");

    let accuracy = |language: &str, kind: &str| {
        let (correct, total) = tally[&(language, kind)];
        100.0 * correct as f64 / total as f64
    };
    let macro_accuracy = |kind: &str| {
        SUPPORTED_LANGUAGES
            .iter()
            .map(|l| accuracy(l, kind))
            .sum::<f64>()
            / 17.0
    };
    for (kind, floor) in [
        ("single-words", 85.5),
        ("word-pairs", 95.0),
        ("sentences", 99.0),
    ] {
        let measured = macro_accuracy(kind);
        assert!(
            measured >= floor,
            "{kind}: {measured:.2} % < floor {floor} %"
        );
    }
    // Every language on sentences (the lowest, Urdu at 95.4 %, suffers from mostly-English boilerplate lines).
    for language in SUPPORTED_LANGUAGES {
        let measured = accuracy(language, "sentences");
        assert!(measured >= 94.5, "{language} sentences: {measured:.1} %");
    }
    // Languages with their own script among the 17 are decided by script alone.
    for language in ["hi", "ja", "ko", "ru", "zh"] {
        for kind in ["single-words", "word-pairs"] {
            assert!(
                accuracy(language, kind) >= 99.5,
                "{language} {kind}: {:.1} %",
                accuracy(language, kind)
            );
        }
    }
}
