use super::*;
use proptest::prelude::*;

/// Every phrase of the regex, by expanding its alternations: `(?:a|b)`, an optional group `(?:…)?`,
/// a class `[ií]` and an optional letter `s?`.
fn expand(pattern: &str) -> Vec<String> {
    /// Expands `pattern[at..]` up to the end or an unmatched `)` / `|`; returns the end position.
    fn sequence(p: &[char], mut at: usize) -> (Vec<String>, usize) {
        let mut out = vec![String::new()];
        while at < p.len() && p[at] != ')' && p[at] != '|' {
            let (options, next): (Vec<String>, usize) = if p[at] == '(' {
                // "(?:" … ")"
                let mut options = Vec::new();
                let mut k = at + 3;
                loop {
                    let (alternatives, end) = sequence(p, k);
                    options.extend(alternatives);
                    k = end + 1;
                    if p[end] == ')' {
                        break;
                    }
                }
                (options, k)
            } else if p[at] == '[' {
                let close = at + p[at..].iter().position(|&c| c == ']').unwrap_or(0);
                (
                    p[at + 1..close].iter().map(char::to_string).collect(),
                    close + 1,
                )
            } else {
                (vec![p[at].to_string()], at + 1)
            };
            let (options, next) = if p.get(next) == Some(&'?') {
                let mut with_empty = options;
                with_empty.push(String::new());
                (with_empty, next + 1)
            } else {
                (options, next)
            };
            out = out
                .iter()
                .flat_map(|prefix| options.iter().map(move |o| format!("{prefix}{o}")))
                .collect();
            at = next;
        }
        (out, at)
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut phrases = Vec::new();
    let mut at = 0;
    loop {
        let (alternatives, end) = sequence(&chars, at);
        phrases.extend(alternatives);
        if end >= chars.len() || chars[end] == ')' {
            break;
        }
        at = end + 1;
    }
    phrases
}

/// The phrases of `ASKING_PHRASE_RE`, from its own pattern.
fn phrases() -> Vec<String> {
    let pattern = ASKING_PHRASE_RE.as_str();
    let inner = pattern
        .strip_prefix("(?i)(?-u:\\b)(?:")
        .and_then(|p| p.strip_suffix(")(?-u:\\b)"))
        .unwrap_or_else(|| panic!("unexpected pattern {pattern}"));
    expand(inner)
}

#[test]
fn every_expanded_phrase_matches_alone_and_in_text() {
    let phrases = phrases();
    assert_eq!(phrases.len(), 181, "{phrases:?}");
    for phrase in &phrases {
        for text in [
            phrase.clone(),
            phrase.to_uppercase(),
            format!("so, {phrase}. thanks"),
            format!("({phrase})"),
        ] {
            assert!(ASKING_PHRASE_RE.is_match(&text), "regex: {text}");
            assert!(asks(&text), "matcher: {text}");
        }
        for text in [
            format!("x{phrase}"),
            format!("{phrase}x"),
            format!("{phrase}_"),
        ] {
            assert_eq!(asks(&text), ASKING_PHRASE_RE.is_match(&text), "{text}");
        }
    }
}

fn expansions(phrase: Phrase) -> Vec<String> {
    let mut expanded = vec![String::new()];
    for group in phrase.iter() {
        expanded = expanded
            .iter()
            .flat_map(|prefix| group.iter().map(move |a| format!("{prefix}{a}")))
            .collect();
    }
    expanded
}

/// The matcher's tables hold the regex's phrases, but for the optional words before "wondering", and
/// each is tried where its first four bytes are.
#[test]
fn tables_hold_the_expanded_phrases() {
    let mut tables: Vec<String> = ALL.iter().flat_map(|&p| expansions(p)).collect();
    tables.sort();
    tables.dedup();
    let mut expected: Vec<String> = phrases()
        .into_iter()
        .map(|p| {
            let dropped = ["i was ", "i'm ", "i am ", "just "]
                .iter()
                .find_map(|prefix| {
                    p.strip_prefix(prefix)
                        .filter(|r| r.starts_with("wondering"))
                });
            dropped.map_or(p.clone(), str::to_string)
        })
        .collect();
    expected.sort();
    expected.dedup();
    assert_eq!(tables, expected);
    for phrase in &expected {
        let four = phrase
            .as_bytes()
            .first_chunk::<4>()
            .copied()
            .unwrap_or_default();
        for spelling in [four, four.map(|b| b.to_ascii_uppercase())] {
            assert!(
                phrases_starting(key(spelling))
                    .iter()
                    .any(|&p| expansions(p).contains(phrase)),
                "{phrase}"
            );
        }
    }
}

/// Apart from ASCII case and 'Í', only 'ſ' and 'K' match a character of the phrases under `(?i)`.
#[test]
fn only_long_s_and_kelvin_fold_to_phrase_letters() {
    let letters: std::collections::BTreeSet<char> = phrases()
        .iter()
        .flat_map(|p| p.chars().collect::<Vec<_>>())
        .collect();
    let mut buffer = [0u8; 4];
    for letter in letters {
        let re = regex::Regex::new(&format!("(?i)^{}$", regex::escape(&letter.to_string())))
            .unwrap_or_else(|e| panic!("{e}"));
        let folding: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|&c| c != letter && re.is_match(c.encode_utf8(&mut buffer)))
            .collect();
        let expected: Vec<char> = match letter {
            'k' => vec!['K', '\u{212A}'],
            's' => vec!['S', '\u{17F}'],
            'í' => vec!['Í'],
            c if c.is_ascii_lowercase() => vec![c.to_ascii_uppercase()],
            _ => Vec::new(),
        };
        assert_eq!(folding, expected, "{letter:?}");
    }
}

fn words_of_phrases() -> Vec<String> {
    let mut words: Vec<String> = phrases()
        .iter()
        .flat_map(|p| p.split(' ').map(str::to_string).collect::<Vec<_>>())
        .collect();
    words.sort();
    words.dedup();
    words
}

#[test]
fn letter_mask_is_exact_for_every_byte_in_every_place() {
    for b in 0..=255u8 {
        for place in 0..8 {
            let mut chunk = [b'.'; 8];
            chunk[place] = b;
            let expected = if b.is_ascii_alphabetic() {
                0x80u64 << (place * 8)
            } else {
                0
            };
            assert_eq!(
                letters(u64::from_le_bytes(chunk)),
                expected,
                "{b:#x} at {place}"
            );
        }
    }
}

proptest! {
    /// The letter mask of any eight bytes has the high bit of exactly the ASCII letters.
    #[test]
    fn letter_mask_equals_byte_test(chunk in any::<[u8; 8]>()) {
        let expected = chunk
            .iter()
            .enumerate()
            .filter(|(_, b)| b.is_ascii_alphabetic())
            .fold(0u64, |mask, (k, _)| mask | (0x80 << (k * 8)));
        prop_assert_eq!(letters(u64::from_le_bytes(chunk)), expected);
    }

    /// Texts of the phrases' words (and a few others), in random case, with random separators and
    /// neighbours: the matcher decides as the regex.
    #[test]
    fn matcher_equals_regex(
        picks in proptest::collection::vec((0usize..1000, 0usize..12, any::<bool>()), 0..12),
        upper in proptest::collection::vec(any::<bool>(), 0..80),
    ) {
        let words = words_of_phrases();
        let extra = ["x", "_", "9", "k", "s", "ſ", "\u{212A}", "Í", "é", "it", "knows", "the"];
        let separators = [" ", " ", " ", "  ", ",", "-", "'", "\t", "", ". ", "é", "_"];
        let mut text = String::new();
        for (word, separator, use_extra) in picks {
            if use_extra {
                text.push_str(extra[word % extra.len()]);
            } else {
                text.push_str(&words[word % words.len()]);
            }
            text.push_str(separators[separator]);
        }
        let text: String = text
            .chars()
            .zip(upper.iter().chain(std::iter::repeat(&false)))
            .map(|(c, &up)| if up { c.to_uppercase().next().unwrap_or(c) } else { c })
            .collect();
        prop_assert_eq!(asks(&text), ASKING_PHRASE_RE.is_match(&text), "{:?}", text);
    }

    /// Whole phrases among random words and punctuation.
    #[test]
    fn phrases_in_text_equal_regex(
        picks in proptest::collection::vec((0usize..200, 0usize..8), 0..6),
        filler in "[a-zA-Z ,.'_0-9é]{0,12}",
    ) {
        let phrases = phrases();
        let separators = [" ", "", "x", "_", ", ", "'", "é", "s"];
        let mut text = filler.clone();
        for (phrase, separator) in picks {
            text.push_str(&phrases[phrase % phrases.len()]);
            text.push_str(separators[separator]);
            text.push_str(&filler);
        }
        prop_assert_eq!(asks(&text), ASKING_PHRASE_RE.is_match(&text), "{:?}", text);
    }
}
