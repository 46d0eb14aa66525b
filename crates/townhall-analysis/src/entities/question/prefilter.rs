//! The question marks of a text, found by their last bytes eight bytes at a time rather than by decoding
//! every character.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in some byte exactly when `word` has a zero byte (a byte above a zero byte may be
/// flagged too; only whether any is flagged is used).
#[inline]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

/// High bit set in (at least) the bytes of `word` that are '?', BF or 9F, and in none if there is none.
#[inline]
fn last_byte_candidates(word: u64) -> u64 {
    zero_bytes(word ^ (ONES * u64::from(b'?')))
        | zero_bytes(word ^ (ONES * 0xBF))
        | zero_bytes(word ^ (ONES * 0x9F))
}

/// Whether `text` holds a question mark ('?', '¿', '？' or '؟') at a position that `accept`s:
/// `text.char_indices().any(|(i, c)| matches!(c, '?' | '？' | '¿' | '؟') && accept(i))`. The last bytes
/// of the marks are found eight at a time, and the bytes before them tell which character each ends.
pub(super) fn any_question_mark(text: &str, mut accept: impl FnMut(usize) -> bool) -> bool {
    let bytes = text.as_bytes();
    let mut is_mark_at = |end: usize| {
        let start = match (bytes[end], bytes.get(..end).unwrap_or_default()) {
            (b'?', _) => end,
            (0xBF, [.., 0xC2]) | (0x9F, [.., 0xD8]) => end - 1,
            (0x9F, [.., 0xEF, 0xBC]) => end - 2,
            _ => return false,
        };
        accept(start)
    };
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let mut candidates = last_byte_candidates(u64::from_le_bytes(word));
        while candidates != 0 {
            if is_mark_at(base + (candidates.trailing_zeros() / 8) as usize) {
                return true;
            }
            candidates &= candidates - 1;
        }
        base += 8;
    }
    (base..bytes.len()).any(is_mark_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn finds_marks() {
        let anywhere = |_| true;
        assert!(any_question_mark("is it twelve o'clock yet?", anywhere));
        assert!(any_question_mark("¿Qué tal", anywhere));
        assert!(any_question_mark("ما هذا؟", anywhere));
        assert!(any_question_mark("本当？", anywhere));
        assert!(!any_question_mark("no question here 😀 at all.", anywhere));
        assert!(!any_question_mark("https://a.org/?q=1 ok", |i| i != 14));
    }

    proptest! {
        /// Finding the marks by their last bytes finds those a character scan finds.
        #[test]
        fn marks_equal_character_scan(
            text in "([a-z ?]|¿|？|؟|¢|\u{BF}|\u{FF1F}|\u{FF3F}|\u{61F}|\u{65F}|😀|🟟|é){0,30}",
            refused in proptest::collection::vec(any::<bool>(), 64),
        ) {
            let accept = |i: usize| !refused[i % 64];
            let expected = text
                .char_indices()
                .any(|(i, c)| matches!(c, '?' | '？' | '¿' | '؟') && accept(i));
            prop_assert_eq!(any_question_mark(&text, accept), expected);
        }
    }
}
