//! Short topic labels: one to three of a topic's top terms, phrases preferred, none repeating another's words.

/// Terms considered for a label (the topic's strongest).
const CANDIDATES: usize = 8;
/// At most this many key phrases in a label.
const MAX_PHRASES: usize = 3;
/// A candidate scoring below this share of the best one would mislabel the topic.
const MIN_RELATIVE_SCORE: f64 = 0.35;
/// Multi-word terms read better and are more specific than single words.
const PHRASE_BONUS: f64 = 1.5;

/// Separator between key phrases in a label.
pub(crate) const SEPARATOR: &str = " · ";

/// Key phrases for a topic from its terms (strongest first, weights relative to the strongest).
pub(crate) fn key_phrases(terms: &[(String, f64)]) -> Vec<String> {
    let mut candidates: Vec<(f64, usize, &str)> = terms
        .iter()
        .take(CANDIDATES)
        .enumerate()
        .map(|(rank, (term, weight))| {
            let bonus = if term.contains(' ') {
                PHRASE_BONUS
            } else {
                1.0
            };
            (weight * bonus, rank, term.as_str())
        })
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let best = candidates.first().map_or(0.0, |c| c.0);
    let mut chosen: Vec<&str> = Vec::new();
    for &(score, _, term) in &candidates {
        if chosen.len() == MAX_PHRASES || score < best * MIN_RELATIVE_SCORE {
            break;
        }
        if chosen.iter().all(|other| !overlaps(term, other)) {
            chosen.push(term);
        }
    }
    chosen.into_iter().map(str::to_owned).collect()
}

/// Two terms overlap when they share a word, or one's word contains the other's (a hashtag "#healthcare"
/// and the phrase "health care").
fn overlaps(a: &str, b: &str) -> bool {
    let words = |term: &str| -> Vec<String> {
        term.split(' ')
            .map(|w| w.trim_start_matches('#').to_owned())
            .collect()
    };
    let (wa, wb) = (words(a), words(b));
    let joined = |ws: &[String]| ws.concat();
    if joined(&wa) == joined(&wb) {
        return true;
    }
    wa.iter().any(|x| {
        wb.iter().any(|y| {
            x == y
                || (x.chars().count() >= 4 && y.contains(x.as_str()))
                || (y.chars().count() >= 4 && x.contains(y.as_str()))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(list: &[(&str, f64)]) -> Vec<(String, f64)> {
        list.iter().map(|&(t, w)| (t.to_owned(), w)).collect()
    }

    #[test]
    fn prefers_phrases_and_skips_repeats() {
        let got = key_phrases(&terms(&[
            ("health", 1.0),
            ("health care", 0.9),
            ("#healthcare", 0.8),
            ("medicaid", 0.7),
            ("care", 0.6),
            ("senate bill", 0.5),
        ]));
        assert_eq!(got, vec!["health care", "senate bill", "medicaid"]);
    }

    #[test]
    fn weak_terms_stay_out() {
        assert_eq!(
            key_phrases(&terms(&[("budget", 1.0), ("cuts", 0.2)])),
            vec!["budget"]
        );
        assert!(key_phrases(&[]).is_empty());
    }
}
