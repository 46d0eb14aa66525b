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
            shift: 64 - size.trailing_zeros(),
        };
        for (key, len, value) in entries {
            let mask = table.slots.len() - 1;
            let mut at = table.home(key, len);
            loop {
                let slot = &mut table.slots[at];
                if slot.len == 0 || (slot.len == len && slot.key == key) {
                    *slot = Slot { key, len, value };
                    break;
                }
                at = (at + 1) & mask;
            }
        }
        table
    }

    #[inline]
    fn home(&self, key: u128, len: u8) -> usize {
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(31) ^ u64::from(len);
        (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The value of `word`, if it is a key.
    #[inline]
    pub(crate) fn get(&self, word: &str) -> Option<V> {
        let key = pack(word)?;
        let len = word.len() as u8;
        let mask = self.slots.len() - 1;
        let mut at = self.home(key, len);
        loop {
            let slot = &self.slots[at];
            if slot.len == 0 {
                return None;
            }
            if slot.len == len && slot.key == key {
                return Some(slot.value);
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
