//! Which characters make up words, the way a search index splits text: letters and digits of any
//! script together with their combining marks (accents, Indic vowel signs and viramas) are word
//! characters; everything else (spaces, punctuation, symbols) separates words.
//!
//! The standard library has no Unicode general-category lookup and this crate keeps its
//! dependencies minimal, so combining marks are listed by block; the list covers the scripts of
//! the languages Townhall detects.

/// A letter, digit or combining mark.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining(c)
}

/// Characters of a hashtag or handle: word characters and `_`.
pub(crate) fn is_tag_char(c: char) -> bool {
    c == '_' || is_word_char(c)
}

fn is_combining(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F          // Combining Diacritical Marks (decomposed accents)
        | 0x0483..=0x0489        // Cyrillic
        | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2 | 0x05C4..=0x05C5 | 0x05C7 // Hebrew points
        | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4
        | 0x06E7..=0x06E8 | 0x06EA..=0x06ED // Arabic, Persian, Urdu harakat
        | 0x0900..=0x0963 | 0x0966..=0x096F | 0x0971..=0x0DF3 // Indic scripts, but not dandas
        | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E // Thai
        | 0x0EB1 | 0x0EB4..=0x0EBC | 0x0EC8..=0x0ECD // Lao
        | 0x1000..=0x1049 | 0x104C..=0x109F // Myanmar, but not its section marks
        | 0x1780..=0x17D3        // Khmer
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF // Combining marks extended / supplement
        | 0x200C..=0x200D        // zero-width (non-)joiner inside Persian and Indic words
        | 0x20D0..=0x20FF        // Combining marks for symbols
        | 0x3099..=0x309A        // Japanese voicing marks
        | 0xFE00..=0xFE0F        // Variation selectors
        | 0xFE20..=0xFE2F        // Combining half marks
    )
}

/// The lower-cased words of `text`.
pub(crate) fn split_words(text: &str) -> Vec<String> {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Approximate terminal columns of `c`: 0 for combining marks, 2 for East Asian wide characters
/// and emoji, else 1. Only used to line up [`super::ParseError::pointer`]'s caret.
pub(crate) fn display_width(c: char) -> usize {
    if is_combining(c) && !c.is_alphanumeric() {
        return 0;
    }
    let wide = matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD
    );
    if wide {
        2
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_many_scripts_stay_whole() {
        assert_eq!(split_words("España"), ["españa"]);
        assert_eq!(split_words("Привет, мир"), ["привет", "мир"]);
        assert_eq!(split_words("हिन्दी"), ["हिन्दी"]);
        assert_eq!(split_words("السلام عليكم"), ["السلام", "عليكم"]);
        assert_eq!(split_words("政府改革"), ["政府改革"]);
        assert_eq!(split_words("می‌خواهم"), ["می‌خواهم"]);
        assert_eq!(split_words("ภาษาไทย"), ["ภาษาไทย"]);
    }

    #[test]
    fn punctuation_and_symbols_split() {
        assert_eq!(split_words("covid-19"), ["covid", "19"]);
        assert_eq!(split_words("don't"), ["don", "t"]);
        assert_eq!(split_words("snake_case"), ["snake", "case"]);
        assert_eq!(split_words("a€b…c«d»"), ["a", "b", "c", "d"]);
        assert_eq!(split_words("हिन्दी। और"), ["हिन्दी", "और"]);
    }
}
