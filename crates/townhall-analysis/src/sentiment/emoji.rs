//! The reference's emoji step: each emoji code point becomes its description.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::{pystr, FxHasher};

/// The emoji lexicon's single-code-point keys and their descriptions.
pub(super) struct Emoji {
    pub(super) descriptions: HashMap<char, &'static str, BuildHasherDefault<FxHasher>>,
    /// One bit per code point of the Basic Multilingual Plane: is it a key? Most non-ASCII characters of
    /// posts are letters of that plane and are answered here without decoding or hashing them.
    bmp: Vec<u64>,
    /// Which bytes start the UTF-8 form of a key: a character starting with another byte is no key.
    lead_bytes: [bool; 256],
}

impl Emoji {
    pub(super) fn new(lexicon_text: &'static str) -> Self {
        let descriptions = parse_emoji_lexicon(lexicon_text);
        let mut bmp = vec![0u64; 0x1_0000 / 64];
        for &ch in descriptions.keys() {
            let code = u32::from(ch) as usize;
            if let Some(word) = bmp.get_mut(code / 64) {
                *word |= 1 << (code % 64);
            }
        }
        let mut lead_bytes = [false; 256];
        for &ch in descriptions.keys() {
            let mut utf8 = [0u8; 4];
            lead_bytes[usize::from(ch.encode_utf8(&mut utf8).as_bytes()[0])] = true;
        }
        Emoji {
            descriptions,
            bmp,
            lead_bytes,
        }
    }

    fn bmp_key(&self, code: u32) -> bool {
        let code = code as usize;
        self.bmp
            .get(code / 64)
            .is_some_and(|word| word & (1 << (code % 64)) != 0)
    }

    /// The description of `ch` if it is a key.
    fn description(&self, ch: char) -> Option<&'static str> {
        let code = u32::from(ch);
        if code < 0x1_0000 && !self.bmp_key(code) {
            return None;
        }
        self.descriptions.get(&ch).copied()
    }

    /// The position of the first byte of `bytes` that starts some key: eight ASCII bytes are passed
    /// over at once (texts with a few accented letters are mostly ASCII).
    fn next_lead(&self, bytes: &[u8]) -> Option<usize> {
        let mut chunks = bytes.chunks_exact(8);
        let mut at = 0;
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or_default());
            if word & 0x8080_8080_8080_8080 != 0 {
                if let Some(offset) = chunk.iter().position(|&b| self.lead_bytes[usize::from(b)]) {
                    return Some(at + offset);
                }
            }
            at += 8;
        }
        let rest = chunks.remainder();
        rest.iter()
            .position(|&b| self.lead_bytes[usize::from(b)])
            .map(|offset| at + offset)
    }

    /// Whether `text` holds a key: characters of two or three bytes are read off the bitmap from their
    /// bytes, four-byte ones looked up.
    pub(super) fn any_in(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let continuation = |at: usize| u32::from(bytes.get(at).copied().unwrap_or(0) & 0x3F);
        let mut at = 0;
        // ASCII and continuation bytes are never a key's lead byte, so each position found starts a
        // character.
        while let Some(offset) = bytes.get(at..).and_then(|rest| self.next_lead(rest)) {
            at += offset;
            let lead = u32::from(bytes[at]);
            let key = match lead {
                0xC2..=0xDF => self.bmp_key((lead & 0x1F) << 6 | continuation(at + 1)),
                0xE0..=0xEF => self.bmp_key(
                    (lead & 0x0F) << 12 | continuation(at + 1) << 6 | continuation(at + 2),
                ),
                _ => text
                    .get(at..)
                    .and_then(|rest| rest.chars().next())
                    .is_some_and(|ch| self.descriptions.contains_key(&ch)),
            };
            if key {
                return true;
            }
            at += 1;
        }
        false
    }

    /// Replace each emoji code point by its description, spaced as the reference does.
    pub(super) fn replace<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if text.is_ascii() {
            return Cow::Borrowed(text);
        }
        if !self.any_in(text) {
            return Cow::Borrowed(text);
        }
        let mut replaced: Option<String> = None;
        let mut prev_space = true;
        for (at, ch) in text.char_indices() {
            let description = if ch.is_ascii() {
                None
            } else {
                self.description(ch)
            };
            if let Some(description) = description {
                let out = replaced.get_or_insert_with(|| {
                    let mut out = String::with_capacity(text.len() + 64);
                    out.push_str(&text[..at]);
                    out
                });
                if !prev_space {
                    out.push(' ');
                }
                out.push_str(description);
                prev_space = false;
            } else {
                if let Some(out) = replaced.as_mut() {
                    out.push(ch);
                }
                prev_space = ch == ' ';
            }
        }
        // The reference strips the result; leading/trailing whitespace changes neither the tokens nor the
        // "!"/"?" counts, so it is left in place.
        replaced.map_or(Cow::Borrowed(text), Cow::Owned)
    }
}

/// `make_emoji_dict`, keeping the single-code-point emoji (the only ones the reference can match).
fn parse_emoji_lexicon(
    text: &'static str,
) -> HashMap<char, &'static str, BuildHasherDefault<FxHasher>> {
    let mut emoji = HashMap::with_capacity_and_hasher(2048, BuildHasherDefault::default());
    for line in text.trim_end_matches('\n').split('\n') {
        let mut fields = line.trim_matches(pystr::is_whitespace).split('\t');
        if let (Some(key), Some(description)) = (fields.next(), fields.next()) {
            let mut chars = key.chars();
            if let (Some(ch), None) = (chars.next(), chars.next()) {
                emoji.insert(ch, description);
            }
        }
    }
    emoji
}
