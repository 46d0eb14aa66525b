//! The result of analysing one post.

use serde::{Deserialize, Serialize};

/// VADER scores: `compound` in [-1, 1]; `pos`, `neu`, `neg` proportions summing to about 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Sentiment {
    pub compound: f64,
    pub pos: f64,
    pub neu: f64,
    pub neg: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalDataKind {
    Email,
    Phone,
    Ssn,
    StreetAddress,
}

impl PersonalDataKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonalDataKind::Email => "email",
            PersonalDataKind::Phone => "phone",
            PersonalDataKind::Ssn => "ssn",
            PersonalDataKind::StreetAddress => "street_address",
        }
    }
}

/// A span of personal data found in a text (byte offsets into that text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDataMatch {
    pub kind: PersonalDataKind,
    pub start: usize,
    pub end: usize,
}

/// Everything Townhall derives from one post's text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// ISO 639-1 code, or `None` when the text gives no reliable clue.
    pub lang: Option<String>,
    /// Confidence of `lang` in [0, 1].
    pub lang_confidence: f64,
    pub sentiment: Sentiment,
    /// Lower-cased, without `#`.
    pub hashtags: Vec<String>,
    /// Lower-cased, without `@`.
    pub mentions: Vec<String>,
    pub urls: Vec<String>,
    /// Whether the author asks something.
    pub is_question: bool,
    pub key_phrases: Vec<String>,
    pub personal_data: Vec<PersonalDataMatch>,
}
