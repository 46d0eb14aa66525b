//! One byte scan that tells cheaply when a text cannot hold a question mark or an asking phrase, so that
//! the exact tests (a character scan, `ASKING_PHRASE_RE`) run only on the texts that might.

/// Four-byte pieces, lower-case, of which every match of `ASKING_PHRASE_RE` holds one (in any case): "know"
/// (does anyone know, anybody knows if, I'd like to know, let me know), the middles of
/// anyone / anybody / someone / somebody (can anyone tell, …), "you " (can you tell me), "wond"
/// (wondering if), "plea" (please advise), "sabe" (alguien sabe, quisiera saber, me gustaría saber),
/// "pued" and "podr" (me puede / pueden / puedes / podría… decir).
const ANCHORS: [[u8; 4]; 11] = [
    *b"know", *b"yone", *b"ybod", *b"meon", *b"mebo", *b"you ", *b"wond", *b"plea", *b"sabe",
    *b"pued", *b"podr",
];

/// The first letter of an anchor other than "sabe" (both cases).
const FIRST: u8 = 1;
/// 'b' (both cases): "sabe" is looked for two bytes back, as 's' is far more common than 'b'.
const SABE_B: u8 = 2;
/// The lead bytes of the two non-ASCII characters that `(?i)` matches to an anchor letter: the Kelvin sign
/// (E2 84 AA, 'k') and the long s (C5 BF, 's').
const SPECIAL: u8 = 3;

/// Which bytes trigger a comparison (0: none).
static TRIGGER: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut k = 0;
    while k < ANCHORS.len() {
        let first = ANCHORS[k][0];
        if first != b's' {
            table[first as usize] = FIRST;
            table[first.to_ascii_uppercase() as usize] = FIRST;
        }
        k += 1;
    }
    table[b'b' as usize] = SABE_B;
    table[b'B' as usize] = SABE_B;
    table[0xE2] = SPECIAL;
    table[0xC5] = SPECIAL;
    table
};

/// (whether the text may hold a question mark, whether `ASKING_PHRASE_RE` may match it): false only when
/// it does not.
pub(super) fn scan(bytes: &[u8]) -> (bool, bool) {
    (may_hold_question_mark(bytes), may_ask(bytes))
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// High bit set in some byte exactly when `word` has a zero byte (a byte above a zero byte may be
/// flagged too; only whether any is flagged is used).
#[inline]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

/// Whether `bytes` holds '?' or the last byte of '¿' (C2 BF), '？' (EF BC 9F) or '؟' (D8 9F): without one
/// of them the text has no question mark. Eight bytes at a time.
fn may_hold_question_mark(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        if zero_bytes(word ^ (ONES * u64::from(b'?')))
            | zero_bytes(word ^ (ONES * 0xBF))
            | zero_bytes(word ^ (ONES * 0x9F))
            != 0
        {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| matches!(b, b'?' | 0xBF | 0x9F))
}

/// Whether `ASKING_PHRASE_RE` may match: false only when no anchor occurs in any case. The trigger bytes
/// of four bytes are read together, and looked at one by one only if one of them triggers.
fn may_ask(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(4);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut four = [0u8; 4];
        four.copy_from_slice(chunk);
        let classes = four.map(|b| TRIGGER[usize::from(b)]);
        if classes != [0; 4] {
            for (k, class) in classes.into_iter().enumerate() {
                if class != 0 && anchor_at(bytes, at + k, class) {
                    return true;
                }
            }
        }
        at += 4;
    }
    (at..bytes.len()).any(|i| {
        let class = TRIGGER[usize::from(bytes[i])];
        class != 0 && anchor_at(bytes, i, class)
    })
}

/// Whether an anchor (or a special character) is at the trigger byte `i` of class `class`.
fn anchor_at(bytes: &[u8], i: usize, class: u8) -> bool {
    let start = match class {
        SPECIAL => {
            let rest = bytes.get(i..).unwrap_or_default();
            return rest.starts_with("\u{212A}".as_bytes())
                || rest.starts_with("\u{17F}".as_bytes());
        }
        SABE_B => match i.checked_sub(2) {
            Some(start) => start,
            None => return false,
        },
        _ => i,
    };
    let Some(window) = bytes.get(start..start + 4) else {
        return false;
    };
    let mut four = [0u8; 4];
    four.copy_from_slice(window);
    // Setting bit 5 lower-cases ASCII letters and keeps ' ' and every anchor byte; it may make other
    // bytes look like anchor bytes, which only lets the regex run.
    let folded = u32::from_le_bytes(four) | 0x2020_2020;
    ANCHORS
        .iter()
        .any(|&anchor| u32::from_le_bytes(anchor) == folded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The characters other than ASCII letters that `(?i)` lets match an anchor letter are the two that
    /// [`SPECIAL`] sends to the regex.
    #[test]
    fn only_two_non_ascii_characters_fold_to_anchor_letters() {
        let letters: std::collections::BTreeSet<u8> = ANCHORS
            .iter()
            .flatten()
            .copied()
            .filter(u8::is_ascii_alphabetic)
            .collect();
        let class: String = letters.iter().map(|&b| char::from(b)).collect();
        let re = regex::Regex::new(&format!("(?i)^[{class}]$")).unwrap_or_else(|e| panic!("{e}"));
        let mut buffer = [0u8; 4];
        let folding: Vec<char> = (0x80..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| re.is_match(c.encode_utf8(&mut buffer)))
            .collect();
        assert_eq!(folding, ['\u{17F}', '\u{212A}']);
    }

    #[test]
    fn every_alternative_has_an_anchor() {
        for phrase in [
            "Does anyone know",
            "SOMEBODY KNOWS WHETHER",
            "could someone explain",
            "Would anybody help",
            "can you please tell me",
            "Just wondering if",
            "I'd like to know",
            "please advise",
            "Alguien sabe",
            "me podrían decir",
            "me puedes indicar",
            "quisiera saber",
            "me gustaría saber",
            "does anyone \u{212A}now",
        ] {
            assert!(super::super::ASKING_PHRASE_RE.is_match(phrase), "{phrase}");
            assert!(may_ask(phrase.as_bytes()), "{phrase}");
        }
    }

    #[test]
    fn finds_marks_and_anchors() {
        assert!(may_hold_question_mark(
            "is it twelve o'clock yet?".as_bytes()
        ));
        assert!(may_hold_question_mark("¿Qué?".as_bytes()));
        assert!(!may_hold_question_mark(
            "no question here at all.".as_bytes()
        ));
        assert_eq!(scan(b"you know?"), (true, true));
        assert!(may_ask(b"alguien SABE"));
        assert!(!may_ask(b"be sb"));
        assert!(may_ask(b"Does anyone KNOW"));
        assert!(may_ask("\u{212A}now".as_bytes()));
        assert!(may_ask("\u{17F}".as_bytes()));
        assert!(!may_ask(b"the city council meets on Tuesday"));
    }

    proptest! {
        /// The question-mark flag is exact, whatever else the text holds.
        #[test]
        fn mark_flag_equals_byte_scan(text in "([a-z ?]|know|you |¿|？|؟|é|\u{2019}|\u{212A}){0,40}") {
            let naive = text.bytes().any(|b| matches!(b, b'?' | 0xBF | 0x9F));
            prop_assert_eq!(may_hold_question_mark(text.as_bytes()), naive);
        }

        /// Wherever the regex matches, the prefilter lets it run: phrases of every alternative (some
        /// spelt with the Kelvin sign or the long s) among other words, in random case.
        #[test]
        fn asking_phrases_pass_the_prefilter(
            words in proptest::collection::vec(
                "does anyone know|does somebody know|someone knows whether|anybody know how|\
                 can anyone tell|could somebody explain|would someone help|can you tell me|\
                 could you please explain me|can you let me|i was wondering if|just wondering whether|\
                 wondering if|i'd like to know|i would like to know|please advise|please let me know|\
                 please tell me|alguien sabe|sabe alguien|me pueden decir|me podría explicar|\
                 me podrian ayudar|me podrías informar|me puedes indicar|quisiera saber|\
                 me gustaría saber|me gustaria saber|does anyone \u{212A}now|alguien \u{17F}abe|\
                 the|city|[a-z]{1,5}|[,.!']", 0..8),
            upper in proptest::collection::vec(any::<bool>(), 0..80),
        ) {
            let text: String = words
                .join(" ")
                .chars()
                .zip(upper.iter().chain(std::iter::repeat(&false)))
                .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c })
                .collect();
            prop_assert!(
                !super::super::ASKING_PHRASE_RE.is_match(&text) || may_ask(text.as_bytes()),
                "{:?}", text
            );
        }
    }
}
