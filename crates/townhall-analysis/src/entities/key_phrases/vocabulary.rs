//! The distinct words of a post's key-phrase candidates, told apart by their packed bytes.

use crate::short_words::MAX_BYTES;

/// A distinct word of the candidates, with its RAKE counts.
pub(super) struct WordStats {
    /// Its [`identity`].
    identity: u128,
    /// Byte range of its first occurrence in the lower-cased buffer.
    start: usize,
    end: usize,
    /// Occurrences in candidates, and the summed lengths of those candidates.
    pub(super) freq: u32,
    pub(super) degree: u32,
}

/// Per length: the bits of a packed key that hold the word (all of them from [`MAX_BYTES`] on).
static KEEP: [u128; MAX_BYTES + 1] = {
    let mut table = [u128::MAX; MAX_BYTES + 1];
    let mut len = 0;
    while len < MAX_BYTES {
        table[len] = (1u128 << (8 * len)) - 1;
        len += 1;
    }
    table
};

/// The word's first [`MAX_BYTES`] bytes packed as `short_words` packs them (zero past its end). The
/// lower-cased buffer holds [`MAX_BYTES`] bytes of padding after every word, so this is one load.
#[inline]
pub(super) fn word_key(bytes: &[u8], start: usize, len: usize) -> u128 {
    let window = bytes
        .get(start..start + MAX_BYTES)
        .and_then(|window| <[u8; MAX_BYTES]>::try_from(window).ok())
        .unwrap_or([0; MAX_BYTES]);
    u128::from_le_bytes(window) & KEEP[len.min(MAX_BYTES)]
}

/// [`word_key`] with the length in the top byte when it is shorter than [`MAX_BYTES`] (that byte is zero
/// in its key, and never a small number in a word of [`MAX_BYTES`] bytes, whose bytes are word
/// characters): equal for two words of up to [`MAX_BYTES`] bytes exactly when the words are equal. Longer
/// words share it with every word of the same first [`MAX_BYTES`] bytes.
#[inline]
fn identity(bytes: &[u8], start: usize, len: usize) -> u128 {
    let key = word_key(bytes, start, len);
    if len < MAX_BYTES {
        key | (len as u128) << 120
    } else {
        key
    }
}

/// The distinct words of a post's candidates, found by [`identity`] in an open-addressing table of ids.
pub(super) struct Vocabulary<'a> {
    bytes: &'a [u8],
    pub(super) words: Vec<WordStats>,
    /// Per slot: 0 if empty, else 1 + the id of a word.
    slots: &'a mut [u32],
    shift: u32,
}

impl<'a> Vocabulary<'a> {
    /// Slots for `max_words` words at most half full, on the stack when few.
    pub(super) fn slots_for(max_words: usize) -> usize {
        (2 * max_words).next_power_of_two().max(16)
    }

    pub(super) fn new(bytes: &'a [u8], max_words: usize, slots: &'a mut [u32]) -> Self {
        Vocabulary {
            bytes,
            words: Vec::with_capacity(max_words),
            shift: 64 - slots.len().trailing_zeros(),
            slots,
        }
    }

    /// The id of the word at `start..end` of the lower-cased buffer, added if new.
    #[inline]
    pub(super) fn id(&mut self, start: usize, end: usize) -> usize {
        let bytes = self.bytes;
        let len = end - start;
        let identity = identity(bytes, start, len);
        let folded = (identity as u64) ^ ((identity >> 64) as u64).rotate_left(29);
        let mask = self.slots.len() - 1;
        let mut at = (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                let id = self.words.len();
                self.slots[at] = id as u32 + 1;
                self.words.push(WordStats {
                    identity,
                    start,
                    end,
                    freq: 0,
                    degree: 0,
                });
                return id;
            }
            let id = slot as usize - 1;
            let w = &self.words[id];
            // Words longer than a key are compared in full.
            if w.identity == identity
                && (len < MAX_BYTES || bytes.get(w.start..w.end) == bytes.get(start..end))
            {
                return id;
            }
            at = (at + 1) & mask;
        }
    }
}
