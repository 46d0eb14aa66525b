//! The draft checker: scores an outbound post before it goes out. Plain language (the Flesch–Kincaid
//! grade and the federal plain-language guidelines' common fixes), jargon and acronyms the public does
//! not use, images without alt text, hashtags not in CamelCase, personal data, and how similar past
//! posts were received.

use serde::{Deserialize, Serialize};
use townhall_engage::{plain_language_advice, readability, Readability, SimilarityIndex};

/// Wordy words and phrases and their plain replacements (plainlanguage.gov, "Use simple words and
/// phrases"). Matched whole-word, case-insensitively.
pub const PLAIN_WORDS: &[(&str, &str)] = &[
    ("utilize", "use"),
    ("utilization", "use"),
    ("in order to", "to"),
    ("commence", "begin"),
    ("prior to", "before"),
    ("subsequent to", "after"),
    ("in the event that", "if"),
    ("at this point in time", "now"),
    ("facilitate", "help"),
    ("endeavor", "try"),
    ("ascertain", "find out"),
    ("pursuant to", "under"),
    ("in accordance with", "under"),
    ("provide assistance", "help"),
    ("assistance", "help"),
    ("additional", "more"),
    ("approximately", "about"),
    ("is required to", "must"),
    ("shall", "must"),
    ("notwithstanding", "despite"),
    ("for the purpose of", "to"),
    ("with regard to", "about"),
    ("in lieu of", "instead of"),
    ("sufficient", "enough"),
    ("terminate", "end"),
    ("demonstrate", "show"),
    ("it is recommended that", "we recommend"),
    ("a number of", "some"),
    ("disseminate", "send out"),
    ("expedite", "hurry"),
];

/// Acronyms everyone knows.
const COMMON_ACRONYMS: &[&str] = &[
    "US", "USA", "OK", "TV", "AM", "PM", "ID", "FAQ", "PDF", "COVID", "ASAP", "DC", "NYC", "UK",
    "EU", "UN", "ET", "PT", "CT", "MT",
];

/// A grade above this is flagged (the inbox's default target for replies).
pub const DEFAULT_MAX_GRADE: f64 = 8.0;
/// Hashtags at least this long in one case are flagged for CamelCase.
const CAMEL_MIN_CHARS: usize = 8;
/// Similar past posts listed, and how similar they must be.
const SIMILAR_POSTS: usize = 3;
const SIMILAR_MIN_SCORE: f64 = 0.2;

/// An image attached to the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Image {
    pub name: String,
    pub alt: Option<String>,
}

/// One of the agency's earlier posts and how it was received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastPost {
    pub id: i64,
    pub text: String,
    pub replies: u64,
    /// Mean VADER compound of its replies, when it had any.
    pub reply_sentiment: Option<f64>,
}

/// What to check, and against what.
#[derive(Debug, Clone, Default)]
pub struct Draft<'a> {
    pub text: &'a str,
    pub images: &'a [Image],
    /// Language of the draft (ISO 639-1); English when `None`.
    pub language: Option<&'a str>,
    pub max_grade: Option<f64>,
    /// Terms the agency uses and the public does not (the vocabulary gap).
    pub agency_only_terms: &'a [String],
    pub past_posts: &'a [PastPost],
}

/// A wordy phrase and its plain replacement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub found: String,
    pub use_instead: String,
}

/// A similar past post and its reception.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reception {
    pub id: i64,
    pub similarity: f64,
    pub replies: u64,
    pub reply_sentiment: Option<f64>,
    pub text: String,
}

/// The checker's findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftReport {
    pub readability: Readability,
    /// Advice on grade, long sentences and hard words.
    pub advice: Vec<String>,
    pub plain_fixes: Vec<Fix>,
    /// Terms from the vocabulary gap found in the draft.
    pub jargon: Vec<String>,
    /// Acronyms not spelled out in the draft.
    pub acronyms: Vec<String>,
    /// Images without alt text, by name.
    pub missing_alt: Vec<String>,
    /// Hashtags of several words not written in CamelCase.
    pub hashtags_not_camel_case: Vec<String>,
    /// Kinds of personal data found (email, phone, ssn, street_address).
    pub personal_data: Vec<String>,
    pub similar_posts: Vec<Reception>,
    /// How similar posts were received, in a sentence.
    pub reception: Option<String>,
    /// Findings that should be fixed before the post goes out.
    pub issues: usize,
}

/// A word of the draft, lower-cased, and whether it is capitalised inside a sentence (part of a name
/// such as "Supplemental Nutrition Assistance Program", which no plain-language fix should touch).
struct Word {
    lower: String,
    in_name: bool,
}

fn words_of(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut sentence_start = true;
    let mut current = String::new();
    let flush = |current: &mut String, sentence_start: &mut bool, words: &mut Vec<Word>| {
        if !current.is_empty() {
            let capital = current.chars().next().is_some_and(char::is_uppercase);
            words.push(Word {
                lower: current.to_lowercase(),
                in_name: capital && !*sentence_start,
            });
            current.clear();
            *sentence_start = false;
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '\'' {
            current.push(c);
        } else {
            flush(&mut current, &mut sentence_start, &mut words);
            if matches!(c, '.' | '!' | '?' | '\n') {
                sentence_start = true;
            }
        }
    }
    flush(&mut current, &mut sentence_start, &mut words);
    words
}

/// Whether the phrase occurs, outside names.
fn contains_phrase(words: &[Word], phrase: &str) -> bool {
    let parts: Vec<&str> = phrase.split(' ').collect();
    words.windows(parts.len()).any(|w| {
        w.iter()
            .zip(&parts)
            .all(|(a, b)| a.lower == *b && !a.in_name)
    })
}

/// Whether the phrase occurs at all (jargon counts in names too).
fn mentions(words: &[Word], phrase: &str) -> bool {
    let parts: Vec<&str> = phrase.split(' ').collect();
    words
        .windows(parts.len())
        .any(|w| w.iter().zip(&parts).all(|(a, b)| a.lower == *b))
}

/// Acronyms in `text`: 2–6 capitals (digits allowed after the first), neither common nor spelled out
/// in parentheses after their long form ("Supplemental Nutrition Assistance Program (SNAP)").
fn acronyms(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for token in
        text.split(|c: char| !c.is_alphanumeric() && c != '(' && c != ')' && c != '#' && c != '@')
    {
        let defined = token.starts_with('(') && token.ends_with(')');
        let core = token.trim_matches(|c| c == '(' || c == ')');
        if token.starts_with('#') || token.starts_with('@') {
            continue;
        }
        let is_acronym = (2..=6).contains(&core.len())
            && core.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && core
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && core.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2;
        if !is_acronym || COMMON_ACRONYMS.contains(&core) {
            continue;
        }
        if defined {
            found.retain(|a| a != core);
            found.push(format!("({core})"));
        } else if !found.iter().any(|a| a == core || *a == format!("({core})")) {
            found.push(core.to_string());
        }
    }
    found.retain(|a| !a.starts_with('('));
    found
}

fn hashtags(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .filter_map(|w| w.strip_prefix('#'))
        .map(|t| t.trim_end_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
        .collect()
}

/// A hashtag of one case throughout (#publichealth, #PUBLICHEALTH) long enough to hold several words.
fn needs_camel_case(tag: &str) -> bool {
    let letters: Vec<char> = tag.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= CAMEL_MIN_CHARS
        && (letters.iter().all(|c| c.is_lowercase()) || letters.iter().all(|c| c.is_uppercase()))
}

/// Check a draft.
pub fn check(draft: &Draft<'_>) -> DraftReport {
    let r = readability(draft.text, draft.language);
    let advice = plain_language_advice(&r, draft.max_grade.unwrap_or(DEFAULT_MAX_GRADE));
    let words = words_of(draft.text);
    let plain_fixes: Vec<Fix> = PLAIN_WORDS
        .iter()
        .filter(|(wordy, _)| contains_phrase(&words, wordy))
        // "provide assistance" already covers "assistance".
        .filter(|(wordy, _)| {
            *wordy != "assistance" || !contains_phrase(&words, "provide assistance")
        })
        .map(|(wordy, plain)| Fix {
            found: (*wordy).to_string(),
            use_instead: (*plain).to_string(),
        })
        .collect();
    let jargon: Vec<String> = draft
        .agency_only_terms
        .iter()
        .filter(|t| {
            let t = t.to_lowercase();
            !t.trim().is_empty() && mentions(&words, t.trim())
        })
        .cloned()
        .collect();
    let acronyms = acronyms(draft.text);
    let missing_alt: Vec<String> = draft
        .images
        .iter()
        .filter(|i| i.alt.as_deref().is_none_or(|a| a.trim().is_empty()))
        .map(|i| i.name.clone())
        .collect();
    let hashtags_not_camel_case: Vec<String> = hashtags(draft.text)
        .into_iter()
        .filter(|t| needs_camel_case(t))
        .map(|t| format!("#{t}"))
        .collect();
    let mut personal_data: Vec<String> = townhall_analysis::personal_data::find(draft.text)
        .iter()
        .map(|m| m.kind.as_str().to_string())
        .collect();
    personal_data.dedup();
    let (similar_posts, reception) = reception(draft.text, draft.past_posts);
    let issues = advice.len()
        + plain_fixes.len()
        + jargon.len()
        + acronyms.len()
        + missing_alt.len()
        + hashtags_not_camel_case.len()
        + personal_data.len();
    DraftReport {
        readability: r,
        advice,
        plain_fixes,
        jargon,
        acronyms,
        missing_alt,
        hashtags_not_camel_case,
        personal_data,
        similar_posts,
        reception,
        issues,
    }
}

fn reception(text: &str, past: &[PastPost]) -> (Vec<Reception>, Option<String>) {
    if past.is_empty() {
        return (Vec::new(), None);
    }
    let index = SimilarityIndex::new(past.iter().map(|p| (p.id, p.text.clone())));
    let by_id: std::collections::HashMap<i64, &PastPost> = past.iter().map(|p| (p.id, p)).collect();
    let similar: Vec<Reception> = index
        .similar(text, SIMILAR_POSTS, SIMILAR_MIN_SCORE)
        .into_iter()
        .filter_map(|(id, score)| {
            let p = by_id.get(&id)?;
            Some(Reception {
                id,
                similarity: score,
                replies: p.replies,
                reply_sentiment: p.reply_sentiment,
                text: p.text.clone(),
            })
        })
        .collect();
    if similar.is_empty() {
        return (similar, None);
    }
    let replies = similar.iter().map(|s| s.replies as f64).sum::<f64>() / similar.len() as f64;
    let moods: Vec<f64> = similar.iter().filter_map(|s| s.reply_sentiment).collect();
    let mood = if moods.is_empty() {
        String::new()
    } else {
        let m = moods.iter().sum::<f64>() / moods.len() as f64;
        let word = if m >= 0.05 {
            "positive"
        } else if m <= -0.05 {
            "negative"
        } else {
            "neutral"
        };
        format!(", and their replies were {word} on average ({m:+.2})")
    };
    let summary = format!(
        "{} similar past post(s) drew {replies:.1} replies each on average{mood}.",
        similar.len()
    );
    (similar, Some(summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wordy_inaccessible_draft_gets_every_finding() {
        let images = [
            Image {
                name: "chart.png".into(),
                alt: None,
            },
            Image {
                name: "map.png".into(),
                alt: Some("Map of the new bus routes".into()),
            },
        ];
        let gap = vec!["eligibility determination".to_string()];
        let past = vec![
            PastPost {
                id: 7,
                text: "SNAP benefits renewal is open: apply online".into(),
                replies: 40,
                reply_sentiment: Some(-0.3),
            },
            PastPost {
                id: 8,
                text: "The museum opens late on Friday".into(),
                replies: 2,
                reply_sentiment: Some(0.5),
            },
        ];
        let draft = Draft {
            text: "In order to utilize SNAP benefits, households shall complete the eligibility determination prior to renewal. Contact ana@example.org. #snapbenefitsrenewal #SnapBenefits",
            images: &images,
            agency_only_terms: &gap,
            past_posts: &past,
            ..Draft::default()
        };
        let r = check(&draft);
        let found: Vec<&str> = r.plain_fixes.iter().map(|f| f.found.as_str()).collect();
        assert_eq!(found, vec!["utilize", "in order to", "prior to", "shall"]);
        assert_eq!(r.jargon, vec!["eligibility determination"]);
        assert_eq!(r.acronyms, vec!["SNAP"]);
        assert_eq!(r.missing_alt, vec!["chart.png"]);
        assert_eq!(r.hashtags_not_camel_case, vec!["#snapbenefitsrenewal"]);
        assert_eq!(r.personal_data, vec!["email"]);
        assert_eq!(r.similar_posts.first().map(|s| s.id), Some(7));
        let summary = r.reception.clone().unwrap_or_default();
        assert!(summary.contains("negative"), "{summary}");
        assert!(r.issues >= 8, "{}", r.issues);
    }

    #[test]
    fn a_plain_accessible_draft_is_clean() {
        let draft = Draft {
            text: "The Supplemental Nutrition Assistance Program (SNAP) office is open on Saturday. Bring your ID. #FoodHelp",
            ..Draft::default()
        };
        let r = check(&draft);
        assert!(r.acronyms.is_empty(), "{:?}", r.acronyms);
        assert!(r.hashtags_not_camel_case.is_empty());
        assert!(
            r.plain_fixes.is_empty(),
            "a programme's name is not wordy: {:?}",
            r.plain_fixes
        );
        assert!(r.missing_alt.is_empty() && r.personal_data.is_empty());
        assert_eq!(r.reception, None);
    }
}
