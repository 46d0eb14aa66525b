//! Plain-language checks of reply drafts. Government replies must be readable by everyone, so the
//! editor shows the Flesch–Kincaid grade, long sentences and hard words before a reply goes out.

use serde::{Deserialize, Serialize};

/// Sentences with more words than this are flagged.
pub const LONG_SENTENCE_WORDS: usize = 25;
/// Words with at least this many syllables are "hard".
pub const HARD_WORD_SYLLABLES: usize = 4;
/// At most this many hard words are listed, so the advice stays short.
pub const MAX_HARD_WORDS: usize = 10;

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g.", "i.e.", "mr.", "mrs.", "ms.", "dr.", "vs.", "approx.",
];

/// How readable a text is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Readability {
    /// Flesch–Kincaid grade level; None when the text is not English or has no word.
    pub grade: Option<f64>,
    pub words: usize,
    pub sentences: usize,
    /// Sentences of more than [`LONG_SENTENCE_WORDS`] words, as written.
    pub long_sentences: Vec<String>,
    /// Words of at least [`HARD_WORD_SYLLABLES`] syllables, lower case, deduplicated, at most
    /// [`MAX_HARD_WORDS`]; English only.
    pub hard_words: Vec<String>,
}

/// Measures `text` written in `language` (ISO 639-1 such as "en"; None means English). URLs,
/// e-mail addresses and @mentions are not words and their dots do not end sentences; numbers such
/// as "3.5" are one word. Every line is a sentence of its own at least.
pub fn readability(text: &str, language: Option<&str>) -> Readability {
    let english = language.is_none_or(is_english);
    let mut words = 0;
    let mut syllable_total = 0;
    let mut sentence_count = 0;
    let mut long_sentences = Vec::new();
    let mut hard_words: Vec<String> = Vec::new();
    for line in text.lines() {
        for sentence in sentences_of(line) {
            if sentence.words.is_empty() {
                continue;
            }
            sentence_count += 1;
            words += sentence.words.len();
            if sentence.words.len() > LONG_SENTENCE_WORDS {
                long_sentences.push(sentence.text.to_string());
            }
            for word in &sentence.words {
                let count = syllables(word);
                syllable_total += count;
                if english && count >= HARD_WORD_SYLLABLES && hard_words.len() < MAX_HARD_WORDS {
                    let lower = word.to_lowercase();
                    if !hard_words.contains(&lower) {
                        hard_words.push(lower);
                    }
                }
            }
        }
    }
    let grade = (english && words > 0).then(|| {
        let words_per_sentence = words as f64 / sentence_count as f64;
        let syllables_per_word = syllable_total as f64 / words as f64;
        0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59
    });
    Readability {
        grade,
        words,
        sentences: sentence_count,
        long_sentences,
        hard_words,
    }
}

/// Advice for a writer aiming at `max_grade`, one sentence per problem; empty when the text is
/// fine. Hard words are only mentioned when the grade is too high.
pub fn plain_language_advice(r: &Readability, max_grade: f64) -> Vec<String> {
    let mut advice = Vec::new();
    if let Some(grade) = r.grade.filter(|grade| *grade > max_grade) {
        advice.push(format!(
            "Reading grade {grade:.1} is above the target of {}: use shorter sentences and words.",
            short_number(max_grade)
        ));
        if !r.hard_words.is_empty() {
            advice.push(format!(
                "Try simpler words than: {}.",
                r.hard_words.join(", ")
            ));
        }
    }
    match r.long_sentences.len() {
        0 => {}
        1 => advice.push(format!(
            "1 sentence has more than {LONG_SENTENCE_WORDS} words: split it."
        )),
        many => advice.push(format!(
            "{many} sentences have more than {LONG_SENTENCE_WORDS} words: split them."
        )),
    }
    advice
}

/// "8" for 8.0, "8.5" for 8.5.
fn short_number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn is_english(language: &str) -> bool {
    let language = language.trim().to_ascii_lowercase();
    language == "en" || language.starts_with("en-") || language.starts_with("en_")
}

/// A sentence of one line: its text as written and its words.
struct Sentence<'a> {
    text: &'a str,
    words: Vec<&'a str>,
}

/// Splits one line into sentences at tokens ending in . ! or ?.
fn sentences_of(line: &str) -> Vec<Sentence<'_>> {
    let mut sentences = Vec::new();
    let mut start: Option<usize> = None;
    let mut words = Vec::new();
    for (token_start, token) in tokens(line) {
        let sentence_start = *start.get_or_insert(token_start);
        let token_kind = classify(token);
        if let TokenKind::Word(word) | TokenKind::Abbreviation(word) = token_kind {
            words.push(word);
        }
        if ends_sentence(token, &token_kind) {
            sentences.push(Sentence {
                text: &line[sentence_start..token_start + token.len()],
                words: std::mem::take(&mut words),
            });
            start = None;
        }
    }
    if let Some(sentence_start) = start {
        sentences.push(Sentence {
            text: line[sentence_start..].trim_end(),
            words,
        });
    }
    sentences
}

/// Whitespace-separated tokens with their byte offsets.
fn tokens(line: &str) -> impl Iterator<Item = (usize, &str)> {
    line.split_whitespace().scan(0, move |searched, token| {
        let offset = *searched + line[*searched..].find(token).unwrap_or(0);
        *searched = offset + token.len();
        Some((offset, token))
    })
}

enum TokenKind<'a> {
    /// A word (or number) without surrounding punctuation.
    Word(&'a str),
    /// A URL, e-mail address or @mention: not prose.
    Address,
    /// Punctuation only.
    Punctuation,
    /// "e.g.", "Dr.": a word whose full stop does not end the sentence.
    Abbreviation(&'a str),
}

fn classify(token: &str) -> TokenKind<'_> {
    let lower = token.to_lowercase();
    if lower.starts_with('@')
        || lower.contains("://")
        || lower.starts_with("www.")
        || is_email(&lower)
    {
        return TokenKind::Address;
    }
    let core = token.trim_matches(|c: char| !c.is_alphanumeric());
    if core.is_empty() {
        return TokenKind::Punctuation;
    }
    let bare = lower
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
    if ABBREVIATIONS.contains(&bare) {
        return TokenKind::Abbreviation(core);
    }
    TokenKind::Word(core)
}

fn is_email(lower: &str) -> bool {
    match lower.split_once('@') {
        Some((user, domain)) => !user.is_empty() && domain.contains('.'),
        None => false,
    }
}

/// Whether the punctuation after the token's last letter, digit or '/' ends a sentence (so the
/// dots inside "3.5" or a URL do not).
fn ends_sentence(token: &str, kind: &TokenKind<'_>) -> bool {
    if matches!(kind, TokenKind::Abbreviation(_)) {
        return false;
    }
    let body = token.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '/'));
    token[body.len()..]
        .chars()
        .any(|c| matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？'))
}

/// English syllables by the usual heuristic: vowel groups, less a silent final e (or -es, -ed),
/// at least one. Numbers count as one.
fn syllables(word: &str) -> usize {
    let letters: Vec<char> = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if letters.len() <= 3 {
        return 1;
    }
    let mut count = 0;
    let mut after_vowel = false;
    for (index, &letter) in letters.iter().enumerate() {
        let vowel = is_vowel(letter) && !(letter == 'y' && index == 0);
        if vowel && !after_vowel {
            count += 1;
        }
        after_vowel = vowel;
    }
    let spelled: String = letters.iter().collect();
    let ends = |suffix: &str| spelled.ends_with(suffix);
    let sibilant_plural = ["ses", "xes", "zes", "ches", "shes", "ces", "ges", "ies"]
        .into_iter()
        .any(ends);
    // "makes" and "tables" are read like "make" and "table".
    let base: &[char] = if ends("es") && !sibilant_plural {
        &letters[..letters.len() - 1]
    } else {
        &letters
    };
    let silent_e = match base {
        [.., before, 'l', 'e'] => is_vowel(*before),
        [.., before, 'e'] => *before != 'e',
        _ => false,
    };
    let silent_ed = ends("ed") && !ends("ted") && !ends("ded") && !ends("eed");
    if (silent_e || silent_ed) && count > 1 {
        count -= 1;
    }
    count.max(1)
}

fn is_vowel(letter: char) -> bool {
    "aeiouyàáâãäåèéêëìíîïòóôõöùúûüýÿæœ".contains(letter)
}

#[cfg(test)]
mod tests;
