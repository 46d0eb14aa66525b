use super::*;
use proptest::prelude::*;

#[test]
fn syllables_follow_the_usual_rules() {
    for (word, expected) in [
        ("cat", 1),
        ("the", 1),
        ("there", 1),
        ("make", 1),
        ("makes", 1),
        ("lanes", 1),
        ("jumped", 1),
        ("table", 2),
        ("tables", 2),
        ("people", 2),
        ("wanted", 2),
        ("boxes", 2),
        ("cities", 2),
        ("making", 2),
        ("agreed", 2),
        ("information", 4),
        ("administration", 5),
        ("Municipality", 6),
        ("2024", 1),
    ] {
        assert_eq!(syllables(word), expected, "{word}");
    }
}

#[test]
fn a_simple_sentence_scores_low() {
    let r = readability("The cat sat on the mat.", None);
    assert_eq!(r.words, 6);
    assert_eq!(r.sentences, 1);
    let grade = r.grade.unwrap();
    assert!(grade < 3.0, "{grade}");
    assert!(r.hard_words.is_empty());
    assert!(plain_language_advice(&r, 8.0).is_empty());
}

#[test]
fn a_dense_bureaucratic_sentence_scores_high() {
    let text = "Pursuant to the aforementioned administrative regulations, the municipal \
                department is obligated to undertake a comprehensive evaluation of all \
                infrastructure modifications prior to authorization.";
    let r = readability(text, Some("en"));
    let grade = r.grade.unwrap();
    assert!(grade > 14.0, "{grade}");
    assert_eq!(r.sentences, 1);
    for hard in [
        "aforementioned",
        "administrative",
        "infrastructure",
        "authorization",
    ] {
        assert!(r.hard_words.contains(&hard.to_string()), "{hard}: {r:?}");
    }
    let advice = plain_language_advice(&r, 8.0);
    assert_eq!(
        advice[0],
        format!(
            "Reading grade {grade:.1} is above the target of 8: use shorter sentences and words."
        )
    );
    assert!(advice[1].contains("aforementioned"), "{advice:?}");
}

#[test]
fn urls_addresses_mentions_and_numbers_do_not_split_sentences() {
    let text = "Thanks @sam.jones for asking. See https://city.gov/parks.html or write to \
                parks@city.gov for the 3.5 km trail map. E.g. the loop is open, i.e. daily!";
    let r = readability(text, None);
    assert_eq!(r.sentences, 3, "{r:?}");
    // Thanks for asking | See or write to for the 3.5 km trail map | E.g. the loop is open i.e. daily
    assert_eq!(r.words, 3 + 10 + 7);
}

#[test]
fn lines_are_sentences_and_blank_text_has_no_grade() {
    let r = readability("Dear Sam\n\nThank you\nThe Parks Team", None);
    assert_eq!(r.sentences, 3);
    assert_eq!(r.words, 7);
    for blank in ["", "   \n\n", "... !!! ?", "https://example.org"] {
        let r = readability(blank, None);
        assert_eq!((r.grade, r.words, r.sentences), (None, 0, 0), "{blank:?}");
        assert!(plain_language_advice(&r, 8.0).is_empty());
    }
}

#[test]
fn long_sentences_are_quoted_as_written() {
    let long = "We have received your request about the broken street light on Elm Road and \
                our team will visit the site next week to check the wiring and replace the lamp.";
    let text = format!("Hello. {long} Thanks!");
    let r = readability(&text, None);
    assert_eq!(r.sentences, 3);
    assert_eq!(r.long_sentences, vec![long.to_string()]);
    let advice = plain_language_advice(&r, 20.0);
    assert_eq!(advice, vec!["1 sentence has more than 25 words: split it."]);
    let two = readability(&format!("{long}\n{long}"), None);
    assert_eq!(
        plain_language_advice(&two, 20.0),
        vec!["2 sentences have more than 25 words: split them."]
    );
}

#[test]
fn other_languages_get_counts_but_no_grade() {
    let r = readability("Gracias por su mensaje. Responderemos pronto.", Some("es"));
    assert_eq!(r.grade, None);
    assert_eq!((r.words, r.sentences), (6, 2));
    assert!(r.hard_words.is_empty());
    assert!(readability("Hello there.", Some("en-GB")).grade.is_some());
}

#[test]
fn hard_words_are_capped_and_deduplicated() {
    let text = "Municipality municipality infrastructure administration authorization \
                documentation evaluation regulation organization communication \
                interpretation transportation identification";
    let r = readability(text, None);
    assert_eq!(r.hard_words.len(), MAX_HARD_WORDS);
    assert_eq!(r.hard_words[0], "municipality");
    assert_eq!(
        r.hard_words.iter().filter(|w| *w == "municipality").count(),
        1
    );
}

proptest! {
    #[test]
    fn never_panics_and_counts_are_consistent(text in any::<String>(), language in prop::option::of("[a-z]{2}")) {
        let r = readability(&text, language.as_deref());
        if r.words > 0 {
            prop_assert!(r.words >= r.sentences);
            prop_assert!(r.sentences > 0);
        } else {
            prop_assert_eq!(r.sentences, 0);
            prop_assert!(r.grade.is_none());
        }
        prop_assert!(r.hard_words.len() <= MAX_HARD_WORDS);
        if let Some(grade) = r.grade {
            prop_assert!(grade.is_finite());
        }
        let _ = plain_language_advice(&r, 8.0);
    }

    #[test]
    fn prose_like_text_never_panics(text in "[a-zA-Z .!?@:/,\n0-9'-]{0,300}") {
        let r = readability(&text, None);
        prop_assert!(r.words >= r.sentences);
    }
}
