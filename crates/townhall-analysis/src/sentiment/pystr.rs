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

/// `str.split()` without arguments: runs of whitespace separate, no empty pieces. (The tokenizer splits
/// in its own pass; this is the reference its tests compare with.)
#[cfg(test)]
pub(crate) fn split_whitespace(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let (space, width) = whitespace_at(text, at);
            if !space {
                break;
            }
            at += width;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() {
            let (space, width) = whitespace_at(text, at);
            if space {
                break;
            }
            at += width;
        }
        text.get(start..at)
    })
}

/// Whether the character starting at byte `at` (a char boundary) is whitespace, and its length in bytes.
/// Decodes only where a whitespace character can start: ASCII, and the lead bytes 0xC2, 0xE1, 0xE2, 0xE3
/// of U+0085/U+00A0, U+1680, U+2000..U+205F and U+3000.
#[cfg(test)]
fn whitespace_at(text: &str, at: usize) -> (bool, usize) {
    let lead = text.as_bytes()[at];
    match lead {
        0..=0x7F => (matches!(lead, b'\t'..=b'\r' | 0x1C..=0x20), 1),
        0xC2 | 0xE1 | 0xE2 | 0xE3 => text[at..]
            .chars()
            .next()
            .map_or((false, 1), |c| (is_whitespace(c), c.len_utf8())),
        0x80..=0xDF => (false, 2),
        0xE0..=0xEF => (false, 3),
        _ => (false, 4),
    }
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

/// `str.isupper()`: at least one cased character and no lowercase or titlecase one. (What [`lower_into`]
/// computes with its lower case; kept as the reference its tests compare with.)
#[cfg(test)]
pub(crate) fn is_upper(word: &str) -> bool {
    if word.is_ascii() {
        let bytes = word.as_bytes();
        return !bytes.iter().any(u8::is_ascii_lowercase)
            && bytes.iter().any(u8::is_ascii_uppercase);
    }
    let mut cased = false;
    for c in word.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// [`is_upper`] stopping at the first lowercase letter, with caseless characters (most letters of
/// Arabic, Devanagari, Han…) answered by a bitmap.
pub(crate) fn is_upper_fast(word: &str) -> bool {
    let mut cased = false;
    for c in word.chars() {
        if c.is_ascii() {
            if c.is_ascii_lowercase() {
                return false;
            }
            cased |= c.is_ascii_uppercase();
        } else if !crate::chars::is_caseless(c) {
            if c.is_lowercase() || is_titlecase(c) {
                return false;
            }
            cased |= c.is_uppercase();
        }
    }
    cased
}

/// Whether `str.lower()` of `word` is ASCII: only ASCII characters and the Kelvin sign (which becomes
/// "k") lower-case to ASCII alone (a test checks every char).
pub(crate) fn lowers_to_ascii(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii() || c == '\u{212a}')
}

/// `str.lower()`, borrowing when nothing changes (the common case for ASCII words).
#[cfg(test)]
pub(crate) fn lower(word: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        }
    } else {
        // Borrow when every character lower-cases to itself (then `to_lowercase` would return the word
        // unchanged; a final sigma is upper case, so it takes the other branch).
        let unchanged = word.chars().all(|c| {
            let mut lowered = c.to_lowercase();
            lowered.next() == Some(c) && lowered.next().is_none()
        });
        if unchanged {
            Cow::Borrowed(word)
        } else {
            Cow::Owned(word.to_lowercase())
        }
    }
}

/// [`lower`] and [`is_upper`] of `word` together: when the lower-cased word differs from `word` it is
/// appended to `buffer` and its range there returned (else `None`: the word is its own lower case).
pub(crate) fn lower_into(word: &str, buffer: &mut String) -> (Option<(usize, usize)>, bool) {
    if word.is_ascii() {
        let bytes = word.as_bytes();
        let has_upper = bytes.iter().any(u8::is_ascii_uppercase);
        if !has_upper {
            return (None, false);
        }
        let is_upper = !bytes.iter().any(u8::is_ascii_lowercase);
        let start = buffer.len();
        buffer.extend(bytes.iter().map(|b| char::from(b.to_ascii_lowercase())));
        return (Some((start, buffer.len())), is_upper);
    }
    // One pass for `is_upper` and for whether `lower` would change the word; caseless characters (most
    // non-ASCII letters of posts: Arabic, Devanagari, Han…) need no table look-up.
    let (mut lower_or_title, mut cased, mut changes) = (false, false, false);
    for c in word.chars() {
        if c.is_ascii() {
            lower_or_title |= c.is_ascii_lowercase();
            cased |= c.is_ascii_uppercase();
            changes |= c.is_ascii_uppercase();
            continue;
        }
        if crate::chars::is_caseless(c) {
            continue;
        }
        if c.is_lowercase() {
            // Every lowercase character is its own lower case and not uppercase (checked for every
            // char by a test): the other look-ups can only say what is known.
            lower_or_title = true;
            continue;
        }
        lower_or_title |= is_titlecase(c);
        cased |= c.is_uppercase();
        let mut lowered = c.to_lowercase();
        changes |= !(lowered.next() == Some(c) && lowered.next().is_none());
    }
    let is_upper = cased && !lower_or_title;
    if changes {
        let start = buffer.len();
        if word.contains('Σ') {
            // Only capital sigma lower-cases by its context (final sigma).
            buffer.push_str(&word.to_lowercase());
        } else {
            // Otherwise `str::to_lowercase` is each character's lower case, written here in place.
            buffer.extend(word.chars().flat_map(char::to_lowercase));
        }
        (Some((start, buffer.len())), is_upper)
    } else {
        (None, is_upper)
    }
}

/// [`split_whitespace`] of ASCII text as byte ranges: the ASCII whitespace of Python's `str.split()`
/// (tab to carriage return, the information separators U+001C..U+001F, space).
#[cfg(test)]
pub(crate) fn ascii_words(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let space = |b: u8| matches!(b, b'\t'..=b'\r' | 0x1C..=0x20);
    let mut at = 0;
    std::iter::from_fn(move || {
        while bytes.get(at).is_some_and(|&b| space(b)) {
            at += 1;
        }
        let start = at;
        while bytes.get(at).is_some_and(|&b| !space(b)) {
            at += 1;
        }
        (at > start).then_some((start, at))
    })
}

/// [`strip_punc_if_word`] of the ASCII word `bytes[start..end]`, as a byte range (the tokenizer's own
/// loop is held to it).
#[cfg(test)]
pub(crate) fn strip_punc_if_word_ascii(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let word = &bytes[start..end];
    let lead = word
        .iter()
        .position(|b| !b.is_ascii_punctuation())
        .unwrap_or(word.len());
    let trail = word[lead..]
        .iter()
        .rev()
        .position(|b| !b.is_ascii_punctuation())
        .unwrap_or(0);
    // Fewer than three characters would remain: probably an emoticon, kept whole.
    if word.len() - lead - trail < 3 {
        (start, end)
    } else {
        (start + lead, end - trail)
    }
}

/// [`strip_punc_if_word`] as the reference writes it (what its tests compare with).
#[cfg(test)]
pub(crate) fn strip_punc_if_word_simple(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation());
    if stripped.chars().nth(2).is_none() {
        token
    } else {
        stripped
    }
}

/// `SentiText._strip_punc_if_word`: strip ASCII punctuation (`string.punctuation`) from both ends unless
/// two or fewer characters would remain (then the token is probably an emoticon and is kept whole).
pub(crate) fn strip_punc_if_word(token: &str) -> &str {
    // ASCII punctuation bytes are whole characters in UTF-8, so the ends are trimmed byte by byte.
    let bytes = token.as_bytes();
    let mut start = 0;
    while bytes.get(start).is_some_and(u8::is_ascii_punctuation) {
        start += 1;
    }
    let mut end = bytes.len();
    while end > start && bytes.get(end - 1).is_some_and(u8::is_ascii_punctuation) {
        end -= 1;
    }
    match token.get(start..end) {
        Some(stripped) if stripped.chars().nth(2).is_some() => stripped,
        _ => token,
    }
}

/// Python's `round(x, ndigits)`: the exact binary value rounded half-to-even at `ndigits` decimals.
#[inline]
pub(crate) fn round(x: f64, ndigits: usize) -> f64 {
    let scale = match ndigits {
        3 => 1e3,
        4 => 1e4,
        _ => 10f64.powi(i32::try_from(ndigits).unwrap_or(i32::MAX)),
    };
    let scaled = x * scale;
    if scaled.abs() < 4_503_599_627_370_496.0 {
        // Below 2^52 the integer part is an `i64` (its sign put back for -0), and the fraction
        // `scaled - truncated` is exact: `f64::trunc` and `f64::round` are library calls here.
        let truncated = (scaled as i64 as f64).copysign(scaled);
        let fraction = scaled - truncated;
        if (fraction.abs() - 0.5).abs() > 1e-6 {
            // Far from a tie, the product's rounding error cannot change the result, and dividing the
            // integer by the power of ten yields the double nearest to the decimal, as Python does.
            let rounded = if fraction.abs() > 0.5 {
                truncated + 1f64.copysign(scaled)
            } else {
                truncated
            };
            return rounded / scale;
        }
    }
    round_near_tie(x, ndigits, scaled, scale)
}

/// [`round`] as first written (the reference its tests compare with).
#[cfg(test)]
pub(crate) fn round_simple(x: f64, ndigits: usize) -> f64 {
    let scale = match ndigits {
        3 => 1e3,
        4 => 1e4,
        _ => 10f64.powi(i32::try_from(ndigits).unwrap_or(i32::MAX)),
    };
    let scaled = x * scale;
    let distance_from_half = ((scaled - scaled.trunc()).abs() - 0.5).abs();
    if distance_from_half > 1e-6 {
        return scaled.round() / scale;
    }
    round_near_tie(x, ndigits, scaled, scale)
}

/// [`round`] near a tie, or of a huge or non-finite value.
fn round_near_tie(x: f64, ndigits: usize, scaled: f64, scale: f64) -> f64 {
    if (((scaled - scaled.trunc()).abs() - 0.5).abs()) > 1e-6 {
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
    use proptest::prelude::*;

    proptest! {
        /// The byte-wise ASCII splitting and stripping give what the general functions give, and the
        /// general splitter gives what `str::split` on Python's whitespace gives.
        #[test]
        fn ascii_words_equal_the_general_ones(text in "[ -~\t\n\x0b\x0c\r\x1c-\x1f]{0,60}") {
            let general: Vec<&str> =
                split_whitespace(&text).map(strip_punc_if_word_simple).collect();
            let bytes = text.as_bytes();
            let ascii: Vec<&str> = ascii_words(bytes)
                .map(|(start, end)| strip_punc_if_word_ascii(bytes, start, end))
                .map(|(start, end)| &text[start..end])
                .collect();
            prop_assert_eq!(ascii, general);
        }

        /// The byte-wise stripping equals the reference's `str.strip(string.punctuation)` and count.
        #[test]
        fn strip_punc_if_word_equals_the_simple_one(word in "([a-zA-Z!?'.,:;()-]|é|東|😁|\u{212a}){0,8}") {
            prop_assert_eq!(strip_punc_if_word(&word), strip_punc_if_word_simple(&word));
        }

        #[test]
        fn is_upper_fast_equals_is_upper(word in "([a-zA-Z]|É|é|ǅ|Σ|ς|ß|İ|ı|Ⅻ|ⓐ|Ⓐ|ب|東|ア|ᾼ|ﬀ|\u{10400}|\u{10428}|!|1){0,8}") {
            prop_assert_eq!(is_upper_fast(&word), is_upper(&word));
            prop_assert_eq!(lowers_to_ascii(&word), lower(&word).is_ascii());
        }

        #[test]
        fn lower_into_equals_is_upper_and_lower(word in "([a-zA-Z]|É|é|ǅ|Σ|ς|ß|İ|ı|Ⅻ|ⓐ|Ⓐ|ب|東|ア|ᾼ|ﬀ|\u{10400}|\u{10428}|!){0,8}") {
            let mut buffer = String::from("x");
            let (range, upper) = lower_into(&word, &mut buffer);
            prop_assert_eq!(upper, is_upper(&word));
            let lowered = range.map_or(word.as_str(), |(start, end)| &buffer[start..end]);
            let reference = lower(&word);
            prop_assert_eq!(lowered, reference.as_ref());
        }

        /// The integer-cast rounding equals the library-call one, signed zeros included.
        #[test]
        fn round_equals_the_simple_one(
            x in prop_oneof![-2.0f64..2.0, -1e13f64..1e13, any::<f64>()],
            ndigits in prop_oneof![Just(3usize), Just(4), 0usize..8],
        ) {
            let (ours, simple) = (round(x, ndigits), round_simple(x, ndigits));
            prop_assert!(
                ours.to_bits() == simple.to_bits() || (ours.is_nan() && simple.is_nan()),
                "{} vs {}", ours, simple
            );
        }

        #[test]
        fn splitting_equals_str_split(text in "([a-z]|[ \t\n\x1c]|\u{85}|\u{a0}|\u{1680}|\u{2000}|\u{200b}|\u{2028}|\u{3000}|é|東){0,30}") {
            let ours: Vec<&str> = split_whitespace(&text).collect();
            let reference: Vec<&str> =
                text.split(is_whitespace).filter(|piece| !piece.is_empty()).collect();
            prop_assert_eq!(ours, reference);
        }
    }

    #[test]
    fn lowercase_characters_are_their_own_lower_case_and_not_upper() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if c.is_lowercase() {
                let mut lowered = c.to_lowercase();
                assert!(!c.is_uppercase(), "{c:?}");
                assert!(
                    lowered.next() == Some(c) && lowered.next().is_none(),
                    "{c:?}"
                );
            }
        }
    }

    /// What the tokenizer assumes of lower-casing non-ASCII words: only the Kelvin sign becomes ASCII
    /// alone, none yields "n", "t" or an apostrophe, and lower-casing twice changes nothing more.
    #[test]
    fn lower_case_of_non_ascii_characters() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let lowered: Vec<char> = c.to_lowercase().collect();
            for &d in &lowered {
                assert!(d.to_lowercase().eq([d]), "{c:?}");
            }
            if !c.is_ascii() {
                assert!(
                    c == '\u{212a}' || !lowered.iter().all(char::is_ascii),
                    "{c:?}"
                );
                assert!(
                    !lowered.iter().any(|d| matches!(d, 'n' | 't' | '\'')),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn only_the_apostrophe_lower_cases_to_an_apostrophe() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert!(c == '\'' || c.to_lowercase().all(|d| d != '\''), "{c:?}");
        }
    }

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
