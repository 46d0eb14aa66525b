#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `analyze_many` (component by component over a slice) gives exactly what `analyze` gives post by post.

use proptest::prelude::*;
use townhall_analysis::{analyze, analyze_many};

/// Real posts of several languages and shapes (links, mentions, emoji, personal data, questions).
const POSTS: &[(&str, Option<&str>)] = &[
    (
        "Thank you to all the veterans who served our country with honor #VeteransDay",
        None,
    ),
    (
        "@CityHall when does the office open? My passport expires next week",
        Some("en"),
    ),
    (
        "Das ist nicht mehr zu machen und wir haben es versucht",
        None,
    ),
    (
        "¿Cuándo abre la oficina? Necesito renovar mi licencia 🙏",
        Some("es"),
    ),
    (
        "Call me at (555) 234-5678 or mail jane.doe@example.org about 12 Main Street",
        None,
    ),
    (
        "Merci beaucoup à la mairie pour les travaux https://t.co/abc",
        Some("fr"),
    ),
    ("東京 のタグ ＃東京", None),
    ("", None),
    (
        "NOT good. Not good at all!!! The worst service, kind of sad",
        None,
    ),
    ("ang mga tao ay hindi naman nagsasalita dito", Some("tl")),
    ("Мы за #Выборы2024 и против", None),
    ("https://www.example.gov/path?x=1", None),
];

#[test]
fn analysing_many_equals_analysing_each() {
    let together = analyze_many(POSTS);
    assert_eq!(together.len(), POSTS.len());
    for ((text, declared), analysis) in POSTS.iter().zip(&together) {
        assert_eq!(*analysis, analyze(text, *declared), "text: {text:?}");
    }
    assert!(analyze_many(&[]).is_empty());
}

proptest! {
    #[test]
    fn analysing_many_equals_analysing_each_for_any_posts(
        posts in prop::collection::vec(
            ("([a-zA-Zé¿?!#@ .,:/0-9'()-]|the |und |and |no |good |bad |http://a.org |😀 |Main St ){0,24}",
             prop::option::of("en|es|de|und")),
            0..8,
        )
    ) {
        let pairs: Vec<(&str, Option<&str>)> =
            posts.iter().map(|(text, lang)| (text.as_str(), lang.as_deref())).collect();
        let together = analyze_many(&pairs);
        prop_assert_eq!(together.len(), pairs.len());
        for ((text, declared), analysis) in pairs.iter().zip(&together) {
            prop_assert_eq!(analysis, &analyze(text, *declared));
        }
    }
}
