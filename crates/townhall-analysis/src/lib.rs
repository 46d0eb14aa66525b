//! Per-post analysis as pure functions over text. No I/O: every model and lexicon is compiled in.

mod chars;
pub mod entities;
pub mod language;
pub mod personal_data;
pub mod sentiment;
mod short_words;

use townhall_core::Analysis;

/// Analyse one post's text. `declared_lang` is what the source claimed (used only as a tie-breaker).
///
/// The same as calling each component's public function on `text`, except that the URLs, which
/// entities, questions and key phrases all need, are found once.
pub fn analyze(text: &str, declared_lang: Option<&str>) -> Analysis {
    let detected = language::detector().detect(text, declared_lang);
    let urls = entities::url_spans(text);
    let found = entities::extract_with(text, &urls);
    Analysis {
        lang: detected.as_ref().map(|d| d.code.to_string()),
        lang_confidence: detected.as_ref().map_or(0.0, |d| d.confidence),
        sentiment: sentiment::vader().polarity_scores(text),
        is_question: entities::is_question_with(text, &urls),
        key_phrases: entities::key_phrases_with(text, 5, &urls),
        hashtags: found.hashtags,
        mentions: found.mentions,
        urls: found.urls,
        personal_data: personal_data::find(text),
    }
}

/// [`analyze`] for many posts at once, in order: the same results, computed component by component over
/// the whole slice rather than post by post, so that each component's tables stay in the processor's
/// caches while it runs (the import analyses posts in chunks this way).
pub fn analyze_many(posts: &[(&str, Option<&str>)]) -> Vec<Analysis> {
    let detector = language::detector();
    let mut analyses: Vec<Analysis> = posts
        .iter()
        .map(|(text, declared)| {
            let detected = detector.detect(text, *declared);
            Analysis {
                lang: detected.as_ref().map(|d| d.code.to_string()),
                lang_confidence: detected.as_ref().map_or(0.0, |d| d.confidence),
                ..Analysis::default()
            }
        })
        .collect();
    let vader = sentiment::vader();
    for (analysis, (text, _)) in analyses.iter_mut().zip(posts) {
        analysis.sentiment = vader.polarity_scores(text);
    }
    for (analysis, (text, _)) in analyses.iter_mut().zip(posts) {
        let urls = entities::url_spans(text);
        let found = entities::extract_with(text, &urls);
        analysis.is_question = entities::is_question_with(text, &urls);
        analysis.key_phrases = entities::key_phrases_with(text, 5, &urls);
        analysis.hashtags = found.hashtags;
        analysis.mentions = found.mentions;
        analysis.urls = found.urls;
    }
    for (analysis, (text, _)) in analyses.iter_mut().zip(posts) {
        analysis.personal_data = personal_data::find(text);
    }
    analyses
}
