//! Hashtags, mentions, URLs, questions, key phrases (placeholder).
#[derive(Debug, Default)]
pub struct Entities { pub hashtags: Vec<String>, pub mentions: Vec<String>, pub urls: Vec<String> }
pub fn extract(_text: &str) -> Entities { Entities::default() }
pub fn is_question(text: &str) -> bool { text.contains('?') }
pub fn key_phrases(_text: &str, _max: usize) -> Vec<String> { Vec::new() }
