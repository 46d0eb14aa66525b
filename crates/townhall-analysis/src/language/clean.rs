//! Post cleaning for language ID: what carries no language signal (URLs, e-mail addresses, mentions,
//! hashtags, emoji, digits, punctuation) is dropped; letters, their marks and in-word apostrophes stay.
//! ASCII posts take byte paths, each tested against the general one it replaces (tests in `super`).

/// Zero bytes after the cleaned text (which holds none), so that a 16-byte window starting at any of its
/// bytes can be read whole.
pub(super) const WINDOW_PADDING: &str = "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// Remove what carries no language signal in a post: URLs, e-mail addresses, @mentions, #hashtags,
/// emoji, digits and punctuation. Letters (with their combining marks) and in-word apostrophes stay.
pub fn clean_post(text: &str) -> String {
    clean_post_into(text, Vec::new()).0
}

/// [`clean_post`] written to the bytes of `buffer` (emptied first, and taken over: no allocation when it
/// is large enough), followed by `WINDOW_PADDING` when `padded`; for an ASCII text also the number of
/// letters kept.
pub(super) fn clean_post_padded(
    text: &str,
    buffer: Vec<u8>,
    padded: bool,
) -> (String, Option<usize>) {
    let mut buffer = buffer;
    if text.is_ascii() {
        let letters = clean_ascii_post_into(text, &mut buffer);
        if padded {
            buffer.extend_from_slice(WINDOW_PADDING.as_bytes());
        }
        // Only ASCII bytes of the text, spaces and zero bytes were written.
        return (String::from_utf8(buffer).unwrap_or_default(), Some(letters));
    }
    buffer.clear();
    // (An empty buffer is valid UTF-8.)
    let mut cleaned = String::from_utf8(buffer).unwrap_or_default();
    clean_chars_post_into(text, &mut cleaned);
    if padded {
        cleaned.push_str(WINDOW_PADDING);
    }
    (cleaned, None)
}

/// [`clean_post_padded`] without the padding.
pub(super) fn clean_post_into(text: &str, buffer: Vec<u8>) -> (String, Option<usize>) {
    clean_post_padded(text, buffer, false)
}

/// [`clean_post`] for any text, character by character.
#[cfg(test)]
pub(super) fn clean_chars_post(text: &str) -> String {
    let mut cleaned = String::new();
    clean_chars_post_into(text, &mut cleaned);
    cleaned
}

/// [`clean_chars_post`] appended to the empty `cleaned`.
pub(super) fn clean_chars_post_into(text: &str, cleaned: &mut String) {
    cleaned.reserve(text.len() + WINDOW_PADDING.len());
    for token in text.split_whitespace() {
        clean_token(token, cleaned);
    }
}

/// [`clean_post`] of ASCII text, over bytes: tokens split at the ASCII whitespace of `char::is_whitespace`,
/// and [`clean_token`]'s steps with their ASCII meaning (letters are ASCII letters, no marks, no
/// typographic apostrophe). A token of letters only (the common case) is found by one scan and copied
/// whole; any other goes through the steps.
#[cfg(test)]
pub(super) fn clean_ascii_post(text: &str) -> String {
    let mut cleaned = Vec::new();
    clean_ascii_post_into(text, &mut cleaned);
    String::from_utf8(cleaned).unwrap_or_default()
}

/// [`clean_ascii_post`] written to `cleaned` (emptied first), returning the number of letters kept. The
/// buffer is sized once and written at a cursor; a run of letters is scanned eight bytes at a time and
/// copied as it is scanned (eight bytes at a time as well, the bytes past its end overwritten or cut off
/// afterwards): no call to find its end or to copy it, no capacity check per byte.
pub(super) fn clean_ascii_post_into(text: &str, cleaned: &mut Vec<u8>) -> usize {
    let bytes = text.as_bytes();
    let is = |b: u8, class: u8| ASCII_CLASS[usize::from(b)] & class != 0;
    // Room for the output and for a chunk copied past a run's end: the output up to a token's start
    // is never longer than the text up to there (each token gives at most its own length, plus one
    // space that stands for the whitespace before it), and a chunk is copied only from within the text.
    let room = bytes.len() + 16;
    cleaned.clear();
    cleaned.resize(room, 0);
    let mut written = 0;
    let mut letters = 0;
    let mut at = 0;
    while let Some(start) = find(bytes, at, |b| !is(b, SPACE)) {
        // Several words at once: the 16 bytes from here start with words of letters separated by single
        // spaces (what the words would give one by one, see below), up to a space.
        if let Some(chunk) = bytes
            .get(start..start + 16)
            .and_then(|chunk| <[u8; 16]>::try_from(chunk).ok())
        {
            if let Some((length, spaces)) = ascii_letter_words(u128::from_le_bytes(chunk)) {
                let to = if written > 0 {
                    cleaned[written] = b' ';
                    written + 1
                } else {
                    written
                };
                cleaned[to..to + 16].copy_from_slice(&chunk);
                written = to + length;
                letters += length - spaces;
                at = start + length + 1;
                continue;
            }
        }
        let token_written = written;
        if written > 0 {
            cleaned[written] = b' ';
            written += 1;
        }
        let run_written = written;
        let mut end = start;
        let run_end = loop {
            let Some(chunk) = bytes
                .get(end..end + 8)
                .and_then(|chunk| <[u8; 8]>::try_from(chunk).ok())
            else {
                // The last few bytes one by one.
                while let Some(&b) = bytes.get(end).filter(|&&b| is(b, LETTER)) {
                    cleaned[run_written + (end - start)] = b;
                    end += 1;
                }
                break end;
            };
            let to = run_written + (end - start);
            cleaned[to..to + 8].copy_from_slice(&chunk);
            let non_letters = ascii_non_letters(u64::from_le_bytes(chunk));
            if non_letters != 0 {
                break end + non_letters.trailing_zeros() as usize / 8;
            }
            end += 8;
        };
        // The token goes on up to the next space; after the letters (if any) only bytes that are neither
        // letters nor '@', '/', ':' (punctuation, digits, "..."): the steps would keep the letters and drop
        // the rest (an apostrophe is kept only before a letter), and the token cannot be noise (it starts
        // with a letter, holds no '@', no "://", no path, and the "www." case is left out).
        let end = find(bytes, run_end, |b| is(b, SPACE | LETTER | URL_MARK)).unwrap_or(bytes.len());
        let www = run_end - start == 3
            && bytes.get(run_end) == Some(&b'.')
            && bytes[start..run_end].eq_ignore_ascii_case(b"www");
        if run_end > start && bytes.get(end).is_none_or(|&b| is(b, SPACE)) && !www {
            written = run_written + (run_end - start);
            letters += run_end - start;
            at = end;
            continue;
        }
        let end = find(bytes, end, |b| is(b, SPACE)).unwrap_or(bytes.len());
        cleaned.truncate(token_written);
        letters += clean_ascii_token_steps(&bytes[start..end], cleaned);
        written = cleaned.len();
        cleaned.resize(room, 0);
        at = end;
    }
    cleaned.truncate(written);
    letters
}

/// For 16 ASCII bytes (little-endian) that start with a letter: the length of their longest prefix made
/// of letters and single spaces (b' ') that is followed by a space, if there is one, and the number of
/// spaces in it. Per byte, exactly (no carries across bytes, every byte being below 0x80): a letter as in
/// [`ascii_non_letters`], a space as a zero byte of `chunk ^ 0x20…` found by adding 0x7F to its low bits.
#[inline]
pub(super) fn ascii_letter_words(chunk: u128) -> Option<(usize, usize)> {
    const ONES: u128 = u128::MAX / 255;
    const HIGH: u128 = ONES << 7;
    const LOW: u128 = ONES * 0x7F;
    let folded = chunk | (ONES * 0x20);
    let from_a = folded + ONES * u128::from(0x80 - b'a');
    let after_z = folded + ONES * u128::from(0x80 - b'z' - 1);
    let letters = from_a & !after_z & HIGH;
    if letters & 0x80 == 0 {
        return None;
    }
    let x = chunk ^ (ONES * u128::from(b' '));
    let spaces = !(((x & LOW) + LOW) | x) & HIGH;
    let other = !(letters | spaces) & HIGH;
    // The bytes before the first byte that is neither.
    let before_other = if other == 0 {
        u128::MAX
    } else {
        (other & other.wrapping_neg()) - 1
    };
    let spaces = spaces & before_other;
    if spaces == 0 || spaces & (spaces >> 8) != 0 {
        return None;
    }
    let length = (127 - spaces.leading_zeros() as usize) / 8;
    // The spaces counted by summing their bytes as 0 or 1 (the sum of eight such bytes fits in the top
    // byte of a product): `count_ones` is a long sequence on targets without a popcount instruction.
    let ones_of = |half: u64| (half.wrapping_mul(u64::MAX / 255) >> 56) as usize;
    let flags = spaces >> 7;
    let count = ones_of(flags as u64) + ones_of((flags >> 64) as u64);
    Some((length, count - 1))
}

/// The high bit of every byte of `word` (eight ASCII bytes, little-endian) that is not an ASCII letter.
/// Folded to lower case (`| 0x20` maps exactly the letters into `a..=z`), a byte is a letter iff adding
/// `0x80 - b'a'` sets its high bit and adding `0x80 - b'z' - 1` does not; no sum carries into the next
/// byte, as every byte is below 0x80.
#[inline]
pub(super) fn ascii_non_letters(word: u64) -> u64 {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    let folded = word | (ONES * 0x20);
    let from_a = folded + ONES * u64::from(0x80 - b'a');
    let after_z = folded + ONES * u64::from(0x80 - b'z' - 1);
    (!from_a | after_z) & HIGH
}

/// [`clean_ascii_post`] as it was before the eight-byte scan: the single pass over bytes, copying each
/// run of letters found by a byte search.
#[cfg(test)]
pub(super) fn clean_ascii_post_by_bytes(text: &str) -> String {
    let bytes = text.as_bytes();
    let is = |b: u8, class: u8| ASCII_CLASS[usize::from(b)] & class != 0;
    let mut cleaned: Vec<u8> = Vec::with_capacity(text.len());
    let mut at = 0;
    while let Some(start) = find(bytes, at, |b| !is(b, SPACE)) {
        let letters_end = find(bytes, start, |b| !is(b, LETTER)).unwrap_or(bytes.len());
        if bytes.get(letters_end).is_none_or(|&b| is(b, SPACE)) {
            if !cleaned.is_empty() {
                cleaned.push(b' ');
            }
            cleaned.extend_from_slice(&bytes[start..letters_end]);
            at = letters_end;
            continue;
        }
        let end = find(bytes, letters_end, |b| is(b, SPACE)).unwrap_or(bytes.len());
        clean_ascii_token_steps(&bytes[start..end], &mut cleaned);
        at = end;
    }
    String::from_utf8(cleaned).unwrap_or_default()
}

/// The first index from `from` on whose byte satisfies `wanted`.
#[inline]
pub(super) fn find(bytes: &[u8], from: usize, wanted: impl Fn(u8) -> bool) -> Option<usize> {
    let rest = bytes.get(from..)?;
    rest.iter().position(|&b| wanted(b)).map(|n| from + n)
}

/// Classes of ASCII bytes for [`clean_ascii_post`]: the whitespace of `char::is_whitespace`, letters, URL marks.
pub(super) const SPACE: u8 = 1;
pub(super) const LETTER: u8 = 2;
/// '@', '/' and ':', which can make a token noise (an address, a path, a scheme).
pub(super) const URL_MARK: u8 = 4;
pub(super) static ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if matches!(byte, b'\t'..=b'\r' | b' ') {
            table[b] = SPACE;
        } else if byte.is_ascii_alphabetic() {
            table[b] = LETTER;
        } else if matches!(byte, b'@' | b'/' | b':') {
            table[b] = URL_MARK;
        }
        b += 1;
    }
    table
};

/// [`clean_token_steps`] of an ASCII token (letters are ASCII letters, no marks, no typographic
/// apostrophe), appending to `cleaned`; returns the number of letters appended.
pub(super) fn clean_ascii_token_steps(token: &[u8], cleaned: &mut Vec<u8>) -> usize {
    let skip = token
        .iter()
        .position(|&b| b.is_ascii_alphanumeric() || b == b'@' || b == b'#')
        .unwrap_or(token.len());
    let core = &token[skip..];
    if is_noise_bytes(core) {
        return 0;
    }
    let start_len = cleaned.len();
    if start_len > 0 {
        cleaned.push(b' ');
    }
    let mut letters = 0;
    let mut previous_kept = false;
    for (at, &b) in core.iter().enumerate() {
        let letter = b.is_ascii_alphabetic();
        let keep = letter
            || (b == b'\''
                && previous_kept
                && core.get(at + 1).is_some_and(u8::is_ascii_alphabetic));
        if keep {
            letters += usize::from(letter);
            cleaned.push(b);
        } else if previous_kept {
            cleaned.push(b' ');
        }
        previous_kept = keep;
    }
    // Drop trailing separators so repeated noise does not pile up spaces.
    while cleaned.len() > start_len && cleaned.last() == Some(&b' ') {
        cleaned.pop();
    }
    letters
}

/// [`clean_ascii_post`] as it was before the single pass: the tokens split first, each tested for
/// letters only, then copied or taken through the steps.
#[cfg(test)]
pub(super) fn clean_ascii_post_by_split(text: &str) -> String {
    let mut cleaned: Vec<u8> = Vec::with_capacity(text.len());
    let tokens = text
        .as_bytes()
        .split(|b| matches!(b, b'\t'..=b'\r' | b' '))
        .filter(|token| !token.is_empty());
    for token in tokens {
        if token.iter().all(u8::is_ascii_alphabetic) {
            if !cleaned.is_empty() {
                cleaned.push(b' ');
            }
            cleaned.extend_from_slice(token);
            continue;
        }
        clean_ascii_token_steps(token, &mut cleaned);
    }
    String::from_utf8(cleaned).unwrap_or_default()
}

/// Append the letters of one whitespace-separated token of a post to `cleaned` (see [`clean_post`]).
pub(super) fn clean_token(token: &str, cleaned: &mut String) {
    // The common case, a word of letters only: kept whole (what the steps below do with it: a letter
    // is alphanumeric, so nothing is trimmed; no '@', '#', '.', '/' or ':', so no noise; every letter is
    // kept).
    if token.chars().all(crate::chars::is_alphabetic) {
        if !cleaned.is_empty() {
            cleaned.push(' ');
        }
        cleaned.push_str(token);
        return;
    }
    clean_token_steps(token, cleaned);
}

/// [`clean_token`] step by step.
pub(super) fn clean_token_steps(token: &str, cleaned: &mut String) {
    let core = token
        .trim_start_matches(|c: char| !crate::chars::is_alphanumeric(c) && c != '@' && c != '#');
    if is_noise_token(core) {
        return;
    }
    let start_len = cleaned.len();
    if start_len > 0 {
        cleaned.push(' ');
    }
    let mut previous_kept = false;
    if core.is_ascii() {
        // The loop below for ASCII: no marks, no typographic apostrophe, letters are ASCII letters.
        let bytes = core.as_bytes();
        for (at, &b) in bytes.iter().enumerate() {
            let keep = b.is_ascii_alphabetic()
                || (b == b'\''
                    && previous_kept
                    && bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic));
            if keep {
                cleaned.push(char::from(b));
            } else if previous_kept {
                cleaned.push(' ');
            }
            previous_kept = keep;
        }
    } else {
        let mut chars = core.chars().peekable();
        while let Some(c) = chars.next() {
            let keep = is_letter_or_mark(c)
                || (is_apostrophe(c)
                    && previous_kept
                    && chars
                        .peek()
                        .is_some_and(|n| crate::chars::is_alphabetic(*n)));
            if keep {
                cleaned.push(c);
            } else if previous_kept {
                cleaned.push(' ');
            }
            previous_kept = keep;
        }
    }
    // Drop trailing separators so repeated noise does not pile up spaces.
    while cleaned.len() > start_len && cleaned.ends_with(' ') {
        cleaned.pop();
    }
}

/// A token that is a mention, a hashtag, a URL (with or without its scheme) or an e-mail address: one
/// that starts with '@' or '#', contains "://", starts with "www." (any case), contains both '@' and '.',
/// or is a domain with a path. One pass over the bytes finds what the tests need.
pub(super) fn is_noise_token(token: &str) -> bool {
    is_noise_bytes(token.as_bytes())
}

/// [`is_noise_token`] of a token's bytes.
pub(super) fn is_noise_bytes(bytes: &[u8]) -> bool {
    if matches!(bytes.first(), Some(b'@' | b'#')) {
        return true;
    }
    let (mut at, mut dot, mut slash, mut scheme) = (false, false, false, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'@' => at = true,
            b'.' => dot = true,
            b'/' => slash = true,
            b':' => scheme |= bytes[i + 1..].starts_with(b"//"),
            _ => {}
        }
    }
    scheme
        || bytes
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"www."))
        || (at && dot)
        || (slash && is_domain_with_path(bytes))
}

/// "pic.twitter.com/AbC", "nypost.com/2019/02/28/…": a URL without its scheme.
pub(super) fn is_domain_with_path(token: &[u8]) -> bool {
    let Some(slash) = token.iter().position(|&b| b == b'/') else {
        return false;
    };
    // The host: two or more non-empty dot-separated labels of ASCII letters, digits and '-'.
    let mut labels = token[..slash].split(|&b| b == b'.');
    let label_ok =
        |l: &[u8]| !l.is_empty() && l.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-');
    let first_ok = labels.next().is_some_and(label_ok);
    let mut rest = labels.peekable();
    first_ok && rest.peek().is_some() && rest.all(label_ok)
}

pub(super) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

pub(super) fn is_letter_or_mark(c: char) -> bool {
    if crate::chars::is_alphabetic(c) {
        return true;
    }
    // Combining marks that are not "Alphabetic" in Unicode but belong inside words (accents, viramas,
    // Arabic harakat, kana voicing marks).
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{0900}'..='\u{0963}'
        | '\u{0971}'..='\u{097F}'
        | '\u{3099}'..='\u{309A}'
    ) && !c.is_numeric()
}
