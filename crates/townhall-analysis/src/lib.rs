//! Per-post analysis as pure functions over text. No I/O: every model and lexicon is compiled in.

pub mod entities;
pub mod language;
pub mod personal_data;
pub mod sentiment;

use townhall_core::Analysis;

/// Analyse one post's text. `declared_lang` is what the source claimed (used only as a tie-breaker).
pub fn analyze(text: &str, declared_lang: Option<&str>) -> Analysis {
    let detected = language::detector().detect(text, declared_lang);
    let found = entities::extract(text);
    Analysis {
        lang: detected.as_ref().map(|d| d.code.to_string()),
        lang_confidence: detected.as_ref().map_or(0.0, |d| d.confidence),
        sentiment: sentiment::vader().polarity_scores(text),
        is_question: entities::is_question(text),
        key_phrases: entities::key_phrases(text, 5),
        hashtags: found.hashtags,
        mentions: found.mentions,
        urls: found.urls,
        personal_data: personal_data::find(text),
    }
}
