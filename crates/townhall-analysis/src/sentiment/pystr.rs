//! The few Python `str` semantics VADER's results depend on, reproduced exactly: `str.split()` whitespace,
//! `str.isupper()`, `str.strip(string.punctuation)` and `round(x, n)`.

/// Characters Python's `str.split()` / `str.strip()` treat as whitespace (CPython `Py_UNICODE_ISSPACE`).
/// Differs from `char::is_whitespace` by including U+001C..U+001F.
pub(crate) fn is_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1c}'..='\u{20}'
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// `str.split()` without arguments: runs of whitespace separate, no empty pieces.
pub(crate) fn split_whitespace(text: &str) -> impl Iterator<Item = &str> {
    text.split(is_whitespace).filter(|piece| !piece.is_empty())
}

/// Titlecase letters (category Lt): Python's `isupper()` rejects them, and std has no predicate for them.
fn is_titlecase(c: char) -> bool {
    matches!(
        c,
        '\u{1c5}'
            | '\u{1c8}'
            | '\u{1cb}'
            | '\u{1f2}'
            | '\u{1f88}'..='\u{1f8f}'
            | '\u{1f98}'..='\u{1f9f}'
            | '\u{1fa8}'..='\u{1faf}'
            | '\u{1fbc}'
            | '\u{1fcc}'
            | '\u{1ffc}'
    )
}

/// `str.isupper()`: at least one cased character and no lowercase or titlecase one.
pub(crate) fn is_upper(word: &str) -> bool {
    let mut cased = false;
    for c in word.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// `str.lower()`, borrowing when nothing changes (the common case for ASCII words).
pub(crate) fn lower(word: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        }
    } else {
        let lowered = word.to_lowercase();
        if lowered == word {
            Cow::Borrowed(word)
        } else {
            Cow::Owned(lowered)
        }
    }
}

/// `SentiText._strip_punc_if_word`: strip ASCII punctuation (`string.punctuation`) from both ends unless
/// two or fewer characters would remain (then the token is probably an emoticon and is kept whole).
pub(crate) fn strip_punc_if_word(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation());
    if stripped.chars().nth(2).is_none() {
        token
    } else {
        stripped
    }
}

/// Python's `round(x, ndigits)`: the exact binary value rounded half-to-even at `ndigits` decimals.
pub(crate) fn round(x: f64, ndigits: usize) -> f64 {
    let scale = match ndigits {
        3 => 1e3,
        4 => 1e4,
        _ => 10f64.powi(i32::try_from(ndigits).unwrap_or(i32::MAX)),
    };
    let scaled = x * scale;
    let distance_from_half = ((scaled - scaled.trunc()).abs() - 0.5).abs();
    if distance_from_half > 1e-6 {
        // Far from a tie, the product's rounding error cannot change the result, and dividing the
        // integer by the power of ten yields the double nearest to the decimal, as Python does.
        return scaled.round() / scale;
    }
    // Near a tie: Rust's fixed-precision formatting rounds the exact value half-to-even, like CPython.
    format!("{x:.ndigits$}")
        .parse()
        .unwrap_or_else(|_| scaled.round() / scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_matches_python_including_information_separators() {
        let pieces: Vec<&str> = split_whitespace(" a\u{1c}b\u{a0}c\u{3000}\td \n").collect();
        assert_eq!(pieces, ["a", "b", "c", "d"]);
        assert!(
            !is_whitespace('\u{200b}'),
            "zero width space is not whitespace in Python"
        );
    }

    #[test]
    fn isupper_follows_python() {
        assert!(is_upper("GOOD"));
        assert!(is_upper("GOOD!!"));
        assert!(is_upper("ÉTÉ"));
        assert!(!is_upper("Good"));
        assert!(!is_upper("123"));
        assert!(!is_upper(":)"));
        assert!(
            !is_upper("\u{1c5}A"),
            "titlecase letter makes isupper false"
        );
        assert!(is_upper(":D"));
    }

    #[test]
    fn strip_keeps_short_emoticons() {
        assert_eq!(strip_punc_if_word(":)"), ":)");
        assert_eq!(strip_punc_if_word("good!!!"), "good");
        assert_eq!(strip_punc_if_word("'no',"), "'no',");
        assert_eq!(strip_punc_if_word("(:-D"), "(:-D");
        assert_eq!(strip_punc_if_word("été!"), "été");
        assert_eq!(strip_punc_if_word("é!"), "é!");
    }

    #[test]
    fn round_is_half_even_on_exact_value() {
        assert_eq!(round(0.0625, 3), 0.062);
        assert_eq!(round(0.0015, 3), 0.002); // 0.0015 is slightly above the tie in binary
        assert_eq!(round(0.125, 2), 0.12);
        assert_eq!(round(0.44043, 4), 0.4404);
        assert_eq!(round(-0.30895, 4), -0.309); // binary value of -0.30895 lies beyond the tie
        assert_eq!(round(2.0 / 3.0, 3), 0.667);
    }
}
