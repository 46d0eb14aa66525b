//! Read access to the merged n-gram table that `build.rs` derives from lingua's 17 language models: one
//! look-up per n-gram gives every language's log-probability. The table is compiled in (`include_bytes!`)
//! and read in place, so there is nothing to load at start-up.

#[cfg(test)]
use super::table_format::VALUE_SCALE;
use super::table_format::{key_bits, mix, CHAR_BITS, MASK_BYTES, UNIGRAM_KEY_BITS};
use once_cell::sync::Lazy;

/// The table of one n-gram order: `directory` holds `2^bucket_bits + 1` little-endian `u32` offsets into
/// `records`; a bucket's record is `[count: u8][count × remainder: u32][count × mask: u24][values: u16…]`,
/// with one value per set mask bit, n-gram by n-gram.
pub(super) struct OrderTable {
    key_bits: u32,
    bucket_bits: u32,
    directory: &'static [u8],
    records: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/ngram_tables.rs"));

/// An n-gram's entry: the languages (bit i = `SUPPORTED_LANGUAGES[i]`) whose model holds it and their
/// log-probabilities.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    pub(super) mask: u32,
    values: &'static [u8],
}

impl Row {
    /// The log-probabilities in mask order (lowest language index first).
    #[cfg(test)]
    pub(super) fn log_probabilities(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        let mut mask = self.mask;
        self.values.chunks_exact(2).map(move |pair| {
            let language = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            let scaled = u16::from_le_bytes([pair[0], pair[1]]);
            (language, -f64::from(scaled) / VALUE_SCALE)
        })
    }

    /// Write the stored values, `round(-ln p × VALUE_SCALE)`, of the languages of the mask into their
    /// slots of `quanta` (the log-probability is `-quanta / VALUE_SCALE`, see `log_probabilities`).
    #[inline]
    pub(super) fn scatter_quanta(&self, quanta: &mut [u32; 17]) {
        let mut mask = self.mask;
        for pair in self.values.chunks_exact(2) {
            let language = mask.trailing_zeros() as usize;
            mask &= mask.wrapping_sub(1);
            if let Some(slot) = quanta.get_mut(language) {
                *slot = u32::from(u16::from_le_bytes([pair[0], pair[1]]));
            }
        }
    }
}

/// The id of a character in the models, if any of them contains it.
pub(super) fn char_id(c: char) -> Option<u32> {
    let code = c as usize;
    let page = read_u16(CHAR_PAGE_INDEX, code >> 8)?;
    if page == 0 {
        return None;
    }
    let id = read_u16(CHAR_PAGES, (usize::from(page) - 1) * 256 + (code & 0xFF))?;
    id.checked_sub(1).map(u32::from)
}

/// A character's part of the key of an n-gram of order 2 to 5 at `position`; `None` if no such n-gram in
/// any model contains the character.
pub(super) fn longer_key_part(id: u32, position: usize) -> Option<u64> {
    (id < LONGER_NGRAM_CHARS).then(|| u64::from(id) << (CHAR_BITS as usize * position))
}

/// Where an n-gram's entry would be: its bucket's record and its remainder. Splitting the look-up in
/// two lets the caller issue many independent directory reads before the record reads that depend on them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Probe {
    order: usize,
    start: usize,
    end: usize,
    remainder: u32,
}

/// First half of a look-up: read the bucket's bounds from the directory.
pub(super) fn locate(order: usize, key: u64) -> Option<Probe> {
    let table = ORDER_TABLES.get(order.wrapping_sub(1))?;
    debug_assert_eq!(table.key_bits, key_bits(order));
    let mixed = mix(key, table.key_bits);
    let remainder_bits = table.key_bits - table.bucket_bits;
    let bucket = (mixed >> remainder_bits) as usize;
    let bounds = table.directory.get(4 * bucket..4 * bucket + 8)?;
    Some(Probe {
        order,
        start: u32::from_le_bytes([bounds[0], bounds[1], bounds[2], bounds[3]]) as usize,
        end: u32::from_le_bytes([bounds[4], bounds[5], bounds[6], bounds[7]]) as usize,
        remainder: (mixed & ((1u64 << remainder_bits) - 1)) as u32,
    })
}

/// A byte of the directory entry `locate` will read for this key (0 if none): reading it ahead brings the
/// entry into the cache.
pub(super) fn touch_directory(order: usize, key: u64) -> u8 {
    let Some(table) = ORDER_TABLES.get(order.wrapping_sub(1)) else {
        return 0;
    };
    let mixed = mix(key, table.key_bits);
    let bucket = (mixed >> (table.key_bits - table.bucket_bits)) as usize;
    table.directory.get(4 * bucket).copied().unwrap_or(0)
}

/// The first byte of the record `fetch` will read for this probe (0 if none), to bring it into the cache.
pub(super) fn touch_record(probe: Probe) -> u8 {
    ORDER_TABLES
        .get(probe.order.wrapping_sub(1))
        .and_then(|table| table.records.get(probe.start))
        .copied()
        .unwrap_or(0)
}

/// The number of set bits of every byte.
static BITS_SET: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).count_ones() as u8;
        b += 1;
    }
    table
};

/// Second half of a look-up: find the n-gram in its bucket's record.
pub(super) fn fetch(probe: Probe) -> Option<Row> {
    let table = ORDER_TABLES.get(probe.order.wrapping_sub(1))?;
    let record = table.records.get(probe.start..probe.end)?;
    let (&count, rest) = record.split_first()?;
    let count = usize::from(count);
    let (remainders, rest) = rest.split_at_checked(4 * count)?;
    let position = remainders.chunks_exact(4).position(|chunk| {
        u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]) == probe.remainder
    })?;
    let (masks, values) = rest.split_at_checked(MASK_BYTES * count)?;
    let mask_at = |index: usize| {
        let bytes = &masks[MASK_BYTES * index..MASK_BYTES * (index + 1)];
        u32::from(bytes[0]) | u32::from(bytes[1]) << 8 | u32::from(bytes[2]) << 16
    };
    // Set bits by byte table (the default x86-64 target has no population-count instruction, and
    // `count_ones` there is a dozen instructions per mask).
    let bits_set = |bytes: &[u8]| -> usize {
        bytes
            .iter()
            .map(|&b| usize::from(BITS_SET[usize::from(b)]))
            .sum()
    };
    let skipped = bits_set(masks.get(..MASK_BYTES * position)?);
    let own = bits_set(masks.get(MASK_BYTES * position..MASK_BYTES * (position + 1))?);
    let mask = mask_at(position);
    let values = values.get(2 * skipped..2 * (skipped + own))?;
    Some(Row { mask, values })
}

/// Every character's unigram entry, by character id: looked up once, on first use (about 16,000
/// look-ups, under a millisecond), then read by index instead of hashed.
static UNIGRAM_ROWS: Lazy<Vec<Option<Row>>> = Lazy::new(|| {
    (0..1u64 << UNIGRAM_KEY_BITS)
        .map(|id| locate(1, id).and_then(fetch))
        .collect()
});

/// The unigram entry of the character with this id (what `locate(1, id)` and `fetch` give).
pub(super) fn unigram(id: u32) -> Option<Row> {
    UNIGRAM_ROWS.get(id as usize).copied().flatten()
}

/// Every character's unigram values as all 17 lanes (0 for the languages whose model lacks it), by
/// character id: what [`Row::scatter_quanta`] of its entry writes into zeros, as one copy. Filled with
/// `UNIGRAM_ROWS`, on first use.
static UNIGRAM_QUANTA: Lazy<Vec<[u32; 17]>> = Lazy::new(|| {
    UNIGRAM_ROWS
        .iter()
        .map(|row| {
            let mut quanta = [0u32; 17];
            if let Some(row) = row {
                row.scatter_quanta(&mut quanta);
            }
            quanta
        })
        .collect()
});

/// The unigram values of the character with this id, all lanes (see `UNIGRAM_QUANTA`).
pub(super) fn unigram_quanta(id: u32) -> Option<&'static [u32; 17]> {
    UNIGRAM_QUANTA.get(id as usize)
}

/// The entry of the n-gram with this packed key (`order` = its length, 1..=5).
#[cfg(test)]
pub(super) fn look_up(order: usize, key: u64) -> Option<Row> {
    locate(order, key).and_then(fetch)
}

fn read_u16(bytes: &[u8], index: usize) -> Option<u16> {
    let pair = bytes.get(2 * index..2 * index + 2)?;
    Some(u16::from_le_bytes([pair[0], pair[1]]))
}
