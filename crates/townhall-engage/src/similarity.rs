//! Similar ideas, so moderators can merge duplicates and the public sees one idea with all its
//! supporters instead of ten scattered ones. TF-IDF over lightly stemmed words, compared by cosine.

use std::collections::BTreeMap;

/// Scores at or above this suggest that two ideas are the same idea. Tuned on the tests' ideas:
/// rewordings score 0.55 and more, while ideas that only share a place ("Main Street",
/// "Oak Avenue") reach about 0.47.
pub const MERGE_SUGGESTION_SCORE: f64 = 0.5;

/// Function words in English and Spanish that say nothing about an idea.
const STOP_WORDS: &[&str] = &[
    // English
    "a", "about", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but",
    "by", "can", "could", "did", "do", "does", "for", "from", "get", "had", "has", "have", "he",
    "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "let", "like", "me",
    "more", "most", "much", "my", "of", "on", "or", "our", "please", "she", "should", "so", "some",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "to", "too", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "who",
    "why", "will", "with", "would", "you", "your", // Spanish
    "al", "como", "con", "cuando", "de", "del", "donde", "el", "ella", "en", "es", "esta", "este",
    "favor", "ha", "hay", "la", "las", "le", "lo", "los", "mas", "más", "me", "mi", "muy", "nos",
    "o", "para", "pero", "por", "que", "qué", "se", "si", "sin", "sobre", "su", "sus", "también",
    "un", "una", "uno", "y", "ya",
];

/// An index of ideas to compare new text against.
#[derive(Debug, Clone, Default)]
pub struct SimilarityIndex {
    /// Inverse document frequency of every term seen.
    idf: BTreeMap<String, f64>,
    document_count: usize,
    /// Each idea's unit-length TF-IDF vector.
    documents: Vec<(i64, BTreeMap<String, f64>)>,
}

impl SimilarityIndex {
    /// Indexes `docs` given as (idea id, text).
    pub fn new(docs: impl IntoIterator<Item = (i64, String)>) -> Self {
        let tokenised: Vec<(i64, BTreeMap<String, usize>)> = docs
            .into_iter()
            .map(|(id, text)| (id, term_counts(&text)))
            .collect();
        let mut document_frequency: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, counts) in &tokenised {
            for term in counts.keys() {
                *document_frequency.entry(term.as_str()).or_default() += 1;
            }
        }
        let document_count = tokenised.len();
        let idf = document_frequency
            .into_iter()
            .map(|(term, frequency)| (term.to_string(), smoothed_idf(document_count, frequency)))
            .collect();
        let mut index = SimilarityIndex {
            idf,
            document_count,
            documents: Vec::new(),
        };
        index.documents = tokenised
            .iter()
            .map(|(id, counts)| (*id, index.unit_vector(counts)))
            .collect();
        index
    }

    /// Number of indexed ideas.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Ideas whose cosine similarity to `text` is at least `min_score` (and above 0), best
    /// first, at most `limit`. Scores lie in [0, 1]; an idea's own text scores 1.
    pub fn similar(&self, text: &str, limit: usize, min_score: f64) -> Vec<(i64, f64)> {
        let query = self.unit_vector(&term_counts(text));
        if query.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(i64, f64)> = self
            .documents
            .iter()
            .map(|(id, vector)| (*id, cosine(&query, vector)))
            .filter(|(_, score)| *score > 0.0 && *score >= min_score)
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(limit);
        scored
    }

    /// TF-IDF weights scaled to length 1; terms never indexed weigh as if seen in no idea.
    fn unit_vector(&self, counts: &BTreeMap<String, usize>) -> BTreeMap<String, f64> {
        let unseen = smoothed_idf(self.document_count, 0);
        let mut vector: BTreeMap<String, f64> = counts
            .iter()
            .map(|(term, count)| {
                let idf = self.idf.get(term).copied().unwrap_or(unseen);
                (term.clone(), (1.0 + (*count as f64).ln()) * idf)
            })
            .collect();
        let norm = vector.values().map(|w| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            vector.values_mut().for_each(|w| *w /= norm);
        } else {
            vector.clear();
        }
        vector
    }
}

/// Always positive, so words shared by every idea still count a little.
fn smoothed_idf(document_count: usize, document_frequency: usize) -> f64 {
    ((1.0 + document_count as f64) / (1.0 + document_frequency as f64)).ln() + 1.0
}

fn cosine(a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let dot: f64 = small
        .iter()
        .filter_map(|(term, weight)| large.get(term).map(|other| weight * other))
        .sum();
    dot.clamp(0.0, 1.0)
}

fn term_counts(text: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for term in tokenize(text) {
        *counts.entry(term).or_default() += 1;
    }
    counts
}

/// The terms of `text`: lower-case runs of letters and digits, without stop words, stemmed so
/// that "lanes" and "lane" match.
pub fn tokenize(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .filter(|word| word.chars().count() > 1 && !STOP_WORDS.contains(&word.as_str()))
        .map(|word| stem(&word))
        .collect()
}

/// Light suffix stripping: plurals (-s, -es, -ies) and -ing / -ed, undoubling "stopp" to "stop".
fn stem(word: &str) -> String {
    let length = word.chars().count();
    let strip = |suffix: &str| word[..word.len() - suffix.len()].to_string();
    if length > 4 && word.ends_with("ies") {
        return format!("{}y", strip("ies"));
    }
    if length > 4
        && ["ses", "xes", "zes", "ches", "shes"]
            .iter()
            .any(|s| word.ends_with(s))
    {
        return strip("es");
    }
    if length > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        return strip("s");
    }
    for suffix in ["ing", "ed"] {
        if word.ends_with(suffix) && length >= suffix.len() + 3 {
            return undouble(strip(suffix));
        }
    }
    word.to_string()
}

/// "stopp" to "stop", "runn" to "run"; "fill" and "pass" stay.
fn undouble(mut stem: String) -> String {
    let mut last_two = stem.chars().rev().take(2);
    if let (Some(last), Some(before)) = (last_two.next(), last_two.next()) {
        if last == before && last.is_alphabetic() && !"aeioulsz".contains(last) {
            stem.pop();
        }
    }
    stem
}

#[cfg(test)]
mod tests;
