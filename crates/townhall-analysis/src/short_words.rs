//! A read-only set of short words (at most [`MAX_BYTES`] bytes) with a value each, for the fixed word lists
//! looked up once or twice per word of every post (function words, stop words, the VADER lexicon).
//! Keys are kept inline as 16-byte integers, so a look-up is a multiply, a few slot reads and integer
//! comparisons: no string hashing and no `memcmp` call, which is what the general hash maps spent their
//! time on for such short keys.

/// The longest key the table holds.
pub(crate) const MAX_BYTES: usize = 16;

#[derive(Clone, Copy)]
struct Slot<V> {
    /// The key's bytes, zero-padded, little-endian; only meaningful when `len > 0`.
    key: u128,
    /// The key's length in bytes; 0 marks an empty slot (the empty word is never a key).
    len: u8,
    value: V,
}

pub(crate) struct ShortWords<V> {
    slots: Vec<Slot<V>>,
    /// Per slot: 0 if empty, else 0x80 | seven bits of the key's hash that the slot index does not use.
    /// A look-up reads this small array first (one byte a slot instead of 32 — the VADER lexicon's
    /// slots fill half a megabyte), and a slot itself only when the tags match: most words of a post
    /// are not in a list, and most of those stop at an empty or a different tag.
    tags: Vec<u8>,
    shift: u32,
}

/// The word packed into an integer, if it is a possible key (1 to `MAX_BYTES` bytes).
#[inline]
fn pack(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_BYTES {
        return None;
    }
    // Byte by byte: a copy of a variable length would be a `memcpy` call.
    Some(
        bytes
            .iter()
            .rev()
            .fold(0u128, |key, &b| key << 8 | u128::from(b)),
    )
}

/// The first `len` (1 to [`MAX_BYTES`]) bytes of `window`, ASCII, lower-cased and packed as [`pack`] packs
/// the lower-cased word: one 16-byte load and a few integer operations on all bytes at once (upper-case
/// letters are found by two additions per byte, which cannot carry into the next byte as every byte is
/// below 0x80). `None` if `len` is out of range or a byte of the word is not ASCII.
#[inline]
pub(crate) fn pack_ascii_lower(window: &[u8; MAX_BYTES], len: usize) -> Option<u128> {
    if len == 0 || len > MAX_BYTES {
        return None;
    }
    const HIGH: u128 = 0x8080_8080_8080_8080_8080_8080_8080_8080;
    const ONES: u128 = HIGH >> 7;
    let keep = if len == MAX_BYTES {
        u128::MAX
    } else {
        (1u128 << (8 * len)) - 1
    };
    let key = u128::from_le_bytes(*window) & keep;
    if key & HIGH != 0 {
        return None;
    }
    // High bit of a byte set iff the byte is >= b'A', and iff it is > b'Z'.
    let from_a = key + ONES * u128::from(0x80 - b'A');
    let after_z = key + ONES * u128::from(0x80 - b'Z' - 1);
    let upper = from_a & !after_z & HIGH;
    Some(key | upper >> 2)
}

impl<V: Copy + Default> ShortWords<V> {
    /// A table of `entries`; keys that are empty or longer than [`MAX_BYTES`] are left out (the caller
    /// keeps those elsewhere). A later duplicate replaces an earlier one.
    pub(crate) fn new<'a>(entries: impl IntoIterator<Item = (&'a str, V)>) -> Self {
        let entries: Vec<(u128, u8, V)> = entries
            .into_iter()
            .filter_map(|(word, value)| pack(word).map(|key| (key, word.len() as u8, value)))
            .collect();
        let size = (2 * entries.len().max(8)).next_power_of_two();
        let mut table = ShortWords {
            slots: vec![
                Slot {
                    key: 0,
                    len: 0,
                    value: V::default(),
                };
                size
            ],
            tags: vec![0; size],
            shift: 64 - size.trailing_zeros(),
        };
        for (key, len, value) in entries {
            let mask = table.slots.len() - 1;
            let (mut at, tag) = table.home(key, len);
            loop {
                let slot = &mut table.slots[at];
                if slot.len == 0 || (slot.len == len && slot.key == key) {
                    *slot = Slot { key, len, value };
                    table.tags[at] = tag;
                    break;
                }
                at = (at + 1) & mask;
            }
        }
        table
    }

    /// The key's home slot and its tag.
    #[inline]
    fn home(&self, key: u128, len: u8) -> (usize, u8) {
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(31) ^ u64::from(len);
        let hash = folded.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        // `shift` is at least 64 - 31 (far fewer entries than 2^30), so the tag bits exist.
        let tag = (hash >> (self.shift - 8)) as u8 | 0x80;
        ((hash >> self.shift) as usize, tag)
    }

    /// The value of `word`, if it is a key.
    #[inline]
    pub(crate) fn get(&self, word: &str) -> Option<V> {
        let key = pack(word)?;
        self.get_packed(key, word.len() as u8)
    }

    /// The value of the word of `len` bytes (1 to [`MAX_BYTES`]) packed as [`pack`] packs it (see
    /// [`pack_ascii_lower`]), if it is a key.
    #[inline]
    pub(crate) fn get_packed(&self, key: u128, len: u8) -> Option<V> {
        let mask = self.slots.len() - 1;
        let (mut at, tag) = self.home(key, len);
        loop {
            match self.tags.get(at).copied() {
                None | Some(0) => return None,
                Some(found) if found == tag => {
                    let slot = &self.slots[at];
                    if slot.len == len && slot.key == key {
                        return Some(slot.value);
                    }
                }
                Some(_) => {}
            }
            at = (at + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// The 16-byte packing equals lower-casing and packing the word.
        #[test]
        fn ascii_packing_equals_pack_of_lowercase(
            word in "[ -~]{0,18}",
            tail in proptest::collection::vec(0u8..=255, 16),
        ) {
            let mut window = [0u8; MAX_BYTES];
            for (at, slot) in window.iter_mut().enumerate() {
                *slot = word.as_bytes().get(at).copied().unwrap_or(tail[at]);
            }
            let len = word.len();
            let expected = pack(&word.to_ascii_lowercase());
            let ours = if len <= MAX_BYTES { pack_ascii_lower(&window, len) } else { None };
            prop_assert_eq!(ours, expected);
        }

        /// Non-ASCII words are refused.
        #[test]
        fn non_ascii_words_are_refused(word in "[a-zé]{1,7}") {
            let mut window = [0u8; MAX_BYTES];
            window[..word.len()].copy_from_slice(word.as_bytes());
            prop_assert_eq!(pack_ascii_lower(&window, word.len()).is_some(), word.is_ascii());
        }

        /// Look-ups answer as a hash map of the same entries does.
        #[test]
        fn answers_as_a_hash_map(
            keys in proptest::collection::vec("[a-c]{1,3}|[a-zé']{0,18}", 0..60),
            probes in proptest::collection::vec("[a-c]{1,3}|[a-zé']{0,18}", 0..60),
        ) {
            let entries: Vec<(&str, usize)> =
                keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
            let map: HashMap<&str, usize> = entries
                .iter()
                .filter(|(k, _)| !k.is_empty() && k.len() <= MAX_BYTES)
                .copied()
                .collect();
            let table = ShortWords::new(entries.iter().copied());
            for probe in probes.iter().chain(&keys) {
                prop_assert_eq!(table.get(probe), map.get(probe.as_str()).copied());
            }
        }
    }
}
