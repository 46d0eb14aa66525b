//! Personal data (placeholder).
use townhall_core::PersonalDataMatch;
pub fn find(_text: &str) -> Vec<PersonalDataMatch> { Vec::new() }
pub fn redact(text: &str, _found: &[PersonalDataMatch]) -> String { text.to_string() }
