use super::*;
use proptest::prelude::*;

fn ideas() -> SimilarityIndex {
    SimilarityIndex::new(
        [
            (1, "Add more bike lanes on Main Street"),
            (2, "Longer library opening hours"),
            (3, "Fix the potholes on Oak Avenue"),
            (4, "Plant trees in the central park"),
            (5, "More buses to the hospital at night"),
            (6, "Más carriles bici en la calle Mayor"),
            (7, "Safer crossing for children near Elm Street school"),
            (8, "Free wifi in the library and community centre"),
            (9, "Street lights are broken on Pine Road"),
            (10, "Recycling bins for glass at the market"),
            (11, "Open the public pool on Sundays in summer"),
            (12, "Cheaper parking permits for residents of Main Street"),
        ]
        .map(|(id, text)| (id, text.to_string())),
    )
}

#[test]
fn tokens_are_stemmed_without_stop_words() {
    assert_eq!(
        tokenize("More bike lanes for Main Street, please!"),
        vec!["bike", "lane", "main", "street"]
    );
    assert_eq!(
        tokenize("Libraries opening; buses stopped; boxes"),
        vec!["library", "open", "bus", "stop", "box"]
    );
    assert_eq!(
        tokenize("Por favor, más árboles en el parque"),
        vec!["árbole", "parque"]
    );
    assert!(tokenize("the and of ... ?").is_empty());
}

#[test]
fn near_duplicates_suggest_a_merge() {
    let index = ideas();
    let found = index.similar("More bike lanes for Main Street please", 3, 0.0);
    assert_eq!(found[0].0, 1, "{found:?}");
    assert!(found[0].1 >= MERGE_SUGGESTION_SCORE, "{found:?}");
    let found = index.similar("Protected bike lane on Main St", 3, 0.0);
    assert_eq!(found[0].0, 1, "{found:?}");
    assert!(found[0].1 >= MERGE_SUGGESTION_SCORE, "{found:?}");
    let found = index.similar("carril bici calle Mayor", 3, MERGE_SUGGESTION_SCORE);
    assert_eq!(found.first().map(|(id, _)| *id), Some(6), "{found:?}");
    let found = index.similar("Library hours on Sunday", 3, MERGE_SUGGESTION_SCORE);
    assert_eq!(found.first().map(|(id, _)| *id), Some(2), "{found:?}");
}

#[test]
fn unrelated_ideas_stay_below_the_merge_score() {
    let index = ideas();
    let found = index.similar("Longer library opening hours", 10, 0.0);
    assert!(found
        .iter()
        .all(|(id, score)| *id == 2 || *score < MERGE_SUGGESTION_SCORE));
    let bike = index.similar("Add more bike lanes on Main Street", 10, 0.0);
    let library = bike
        .iter()
        .find(|(id, _)| *id == 2)
        .map_or(0.0, |(_, s)| *s);
    assert!(library < MERGE_SUGGESTION_SCORE);
    assert!(index
        .similar("Night buses to the hospital", 10, MERGE_SUGGESTION_SCORE)
        .iter()
        .all(|(id, _)| *id == 5));
    // Same place, different problem: potholes on Oak Avenue are not broken lights there.
    let lights = index.similar("Street lights on Oak Avenue are broken", 10, 0.0);
    assert_eq!(lights[0].0, 9, "{lights:?}");
    let potholes = lights
        .iter()
        .find(|(id, _)| *id == 3)
        .map_or(0.0, |(_, s)| *s);
    assert!(
        potholes > 0.0 && potholes < MERGE_SUGGESTION_SCORE,
        "{lights:?}"
    );
    let trees = index.similar("Main Street needs trees", 10, MERGE_SUGGESTION_SCORE);
    assert!(trees.is_empty(), "{trees:?}");
}

#[test]
fn own_text_scores_one_and_empty_text_nothing() {
    let index = ideas();
    let found = index.similar("Fix the potholes on Oak Avenue", 1, 0.0);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, 3);
    assert!((found[0].1 - 1.0).abs() < 1e-9, "{found:?}");
    assert!(index.similar("", 5, 0.0).is_empty());
    assert!(index.similar("the of and", 5, 0.0).is_empty());
    assert!(SimilarityIndex::new(Vec::new())
        .similar("bike", 5, 0.0)
        .is_empty());
    assert_eq!(index.similar("bike lanes", 0, 0.0), Vec::new());
}

#[test]
fn results_are_best_first_and_limited() {
    let index = SimilarityIndex::new(
        [
            (10, "bike lanes"),
            (11, "bike lanes and bike parking"),
            (12, "bike parking at the station"),
        ]
        .map(|(id, text)| (id, text.to_string())),
    );
    let found = index.similar("bike lanes", 2, 0.0);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].0, 10);
    assert!(found[0].1 >= found[1].1);
}

proptest! {
    #[test]
    fn scores_lie_between_zero_and_one(
        docs in prop::collection::vec("[a-z ]{0,40}", 0..8),
        query in "[a-zé ]{0,40}",
    ) {
        let index = SimilarityIndex::new(docs.iter().cloned().enumerate().map(|(i, t)| (i as i64, t)));
        let found = index.similar(&query, 100, 0.0);
        for (_, score) in &found {
            prop_assert!((0.0..=1.0).contains(score));
        }
        prop_assert!(found.windows(2).all(|pair| pair[0].1 >= pair[1].1));
    }

    #[test]
    fn never_panics_on_unicode(text in any::<String>()) {
        let index = SimilarityIndex::new([(1, text.clone())]);
        let found = index.similar(&text, 3, 0.0);
        prop_assert!(found.iter().all(|(_, score)| (0.0..=1.0).contains(score)));
    }
}
