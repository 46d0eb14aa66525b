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
#[derive(Clone, Copy)]
pub(super) struct OrderTable {
    key_bits: u32,
    bucket_bits: u32,
    directory: &'static [u8],
    records: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/ngram_tables.rs"));

/// [`ORDER_TABLES`] as read: from a copy in huge pages where the platform gives one (see `resident`).
static TABLES: Lazy<[OrderTable; 5]> = Lazy::new(|| {
    let parts: Vec<&'static [u8]> = ORDER_TABLES
        .iter()
        .flat_map(|table| [table.directory, table.records])
        .collect();
    let mut tables = ORDER_TABLES;
    if let Some(copies) = super::resident::copy_to_huge_pages(&parts) {
        for (table, pair) in tables.iter_mut().zip(copies.chunks_exact(2)) {
            table.directory = pair[0];
            table.records = pair[1];
        }
    }
    tables
});

/// The table of n-grams of length `order` (1..=5).
#[inline]
fn table_of(order: usize) -> Option<&'static OrderTable> {
    TABLES.get(order.wrapping_sub(1))
}

/// An n-gram's entry: the languages (bit i = `SUPPORTED_LANGUAGES[i]`) whose model holds it and their
/// log-probabilities.
#[cfg(test)]
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    pub(super) mask: u32,
    values: &'static [u8],
}

#[cfg(test)]
impl Row {
    /// The log-probabilities in mask order (lowest language index first).
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

/// Where an n-gram's entry would be in its length's table: its bucket and its remainder (the key
/// scrambled once, for both the directory read ahead and the look-up).
#[derive(Debug, Clone, Copy)]
pub(super) struct Address {
    bucket: usize,
    remainder: u32,
}

/// The address of the n-gram of length `order` (1..=5) with this packed key.
#[inline]
pub(super) fn address(order: usize, key: u64) -> Option<Address> {
    let table = table_of(order)?;
    debug_assert_eq!(table.key_bits, key_bits(order));
    let mixed = mix(key, table.key_bits);
    let remainder_bits = table.key_bits - table.bucket_bits;
    Some(Address {
        bucket: (mixed >> remainder_bits) as usize,
        remainder: (mixed & ((1u64 << remainder_bits) - 1)) as u32,
    })
}

/// First half of a look-up: read the bucket's bounds from the directory.
pub(super) fn locate(order: usize, key: u64) -> Option<Probe> {
    locate_at(order, address(order, key)?)
}

/// [`locate`] from the n-gram's address.
#[inline]
pub(super) fn locate_at(order: usize, address: Address) -> Option<Probe> {
    let table = table_of(order)?;
    let bucket = address.bucket;
    let bounds = table.directory.get(4 * bucket..4 * bucket + 8)?;
    Some(Probe {
        order,
        start: u32::from_le_bytes([bounds[0], bounds[1], bounds[2], bounds[3]]) as usize,
        end: u32::from_le_bytes([bounds[4], bounds[5], bounds[6], bounds[7]]) as usize,
        remainder: address.remainder,
    })
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

/// Second half of a look-up: find the n-gram in its bucket's record (the entry as a slice of its values;
/// the scorer uses [`fetch_packed`], tested against this).
#[cfg(test)]
pub(super) fn fetch(probe: Probe) -> Option<Row> {
    let table = table_of(probe.order)?;
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

/// An n-gram's entry in 8 bytes: the languages whose model holds it (never none) and where its values
/// start in the records of its length's table (the caller knows the length). What `fetch` gives as a
/// `Row`, without the slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PackedRow {
    pub(super) mask: u32,
    start: u32,
}

impl PackedRow {
    /// No entry (no entry has an empty mask).
    pub(super) const ABSENT: PackedRow = PackedRow { mask: 0, start: 0 };

    /// Write the stored values, `round(-ln p × VALUE_SCALE)`, of the languages of the mask into their
    /// slots of `quanta`, for this entry of an n-gram of length `order` (as `Row::scatter_quanta`).
    #[inline]
    pub(super) fn scatter_quanta(self, order: usize, quanta: &mut [u32; 17]) {
        if let Some(table) = table_of(order) {
            self.scatter_quanta_in(table.records, quanta);
        }
    }

    /// [`scatter_quanta`](Self::scatter_quanta) from the records of the entry's table.
    fn scatter_quanta_in(self, records: &[u8], quanta: &mut [u32; 17]) {
        let values = records.get(self.start as usize..).unwrap_or_default();
        let mut mask = self.mask;
        // One value per set bit of the mask: the pairs run out no earlier than the bits.
        for pair in values.chunks_exact(2) {
            if mask == 0 {
                break;
            }
            let language = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            if let Some(slot) = quanta.get_mut(language) {
                *slot = u32::from(u16::from_le_bytes([pair[0], pair[1]]));
            }
        }
    }
}

/// The second half of a look-up (`fetch` as a [`PackedRow`]): find the n-gram in its bucket's record.
pub(super) fn fetch_packed(probe: Probe) -> Option<PackedRow> {
    let table = table_of(probe.order)?;
    let record = table.records.get(probe.start..probe.end)?;
    let (&count, rest) = record.split_first()?;
    let count = usize::from(count);
    let (remainders, rest) = rest.split_at_checked(4 * count)?;
    let position = remainders.chunks_exact(4).position(|chunk| {
        u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]) == probe.remainder
    })?;
    let masks = rest.get(..MASK_BYTES * count)?;
    let mask_at = |index: usize| {
        let bytes = &masks[MASK_BYTES * index..MASK_BYTES * (index + 1)];
        u32::from(bytes[0]) | u32::from(bytes[1]) << 8 | u32::from(bytes[2]) << 16
    };
    // Set bits by byte table (the default x86-64 target has no population-count instruction, and
    // `count_ones` there is a dozen instructions per mask).
    let skipped: usize = masks
        .get(..MASK_BYTES * position)?
        .iter()
        .map(|&b| usize::from(BITS_SET[usize::from(b)]))
        .sum();
    let mask = mask_at(position);
    let start = probe.start + 1 + (4 + MASK_BYTES) * count + 2 * skipped;
    Some(PackedRow {
        mask,
        start: u32::try_from(start).ok()?,
    })
}

/// Where an n-gram's entry would be in its bucket's record (what [`Probe`] holds, without the length: the
/// [`OrderTable`] methods know it).
#[derive(Debug, Clone, Copy)]
pub(super) struct Bucket {
    start: u32,
    end: u32,
    remainder: u32,
}

/// The table of n-grams of length `order` (1..=5), for a batch of look-ups of that length through its
/// methods: the same steps as [`address`], [`locate_at`], [`fetch_packed`] and
/// [`PackedRow::scatter_quanta`], with the table found once per batch instead of once per step.
#[inline]
pub(super) fn order_table(order: usize) -> Option<&'static OrderTable> {
    table_of(order)
}

impl OrderTable {
    /// [`address`] in this table, the table of n-grams of length `ORDER` (its key width a constant).
    #[inline]
    pub(super) fn address<const ORDER: usize>(&self, key: u64) -> Address {
        debug_assert_eq!(self.key_bits, key_bits(ORDER));
        let mixed = mix(key, key_bits(ORDER));
        let remainder_bits = key_bits(ORDER) - self.bucket_bits;
        Address {
            bucket: (mixed >> remainder_bits) as usize,
            remainder: (mixed & ((1u64 << remainder_bits) - 1)) as u32,
        }
    }

    /// A byte of the directory entry [`bucket`](Self::bucket) will read for this address (0 if none):
    /// reading it ahead brings the entry into the cache.
    #[inline]
    pub(super) fn touch_directory(&self, address: Address) -> u8 {
        self.directory.get(4 * address.bucket).copied().unwrap_or(0)
    }

    /// [`locate_at`] in this table.
    #[inline]
    pub(super) fn bucket(&self, address: Address) -> Option<Bucket> {
        let at = 4 * address.bucket;
        let bounds: &[u8; 8] = self.directory.get(at..at + 8)?.try_into().ok()?;
        let [a, b, c, d, e, f, g, h] = *bounds;
        Some(Bucket {
            start: u32::from_le_bytes([a, b, c, d]),
            end: u32::from_le_bytes([e, f, g, h]),
            remainder: address.remainder,
        })
    }

    /// The first and last bytes of the record [`find`](Self::find) will read for this bucket (0 if
    /// none), to bring it into the cache: the record holds its entries' values too, which often lie on
    /// its next cache line.
    #[inline]
    pub(super) fn touch_bucket(&self, bucket: Bucket) -> u8 {
        let first = self.records.get(bucket.start as usize).copied();
        let last = (bucket.end as usize)
            .checked_sub(1)
            .and_then(|at| self.records.get(at))
            .copied();
        first.unwrap_or(0) ^ last.unwrap_or(0)
    }

    /// [`fetch_packed`] in this table.
    #[inline]
    pub(super) fn find(&self, bucket: Bucket) -> Option<PackedRow> {
        let record = self
            .records
            .get(bucket.start as usize..bucket.end as usize)?;
        let (&count, rest) = record.split_first()?;
        let count = usize::from(count);
        let (remainders, masks) = rest.split_at_checked(4 * count)?;
        let position = remainders.chunks_exact(4).position(|chunk| {
            u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]) == bucket.remainder
        })?;
        let (skipped, masks) = masks.split_at_checked(MASK_BYTES * position)?;
        let mask = match masks {
            [a, b, c, ..] => u32::from(*a) | u32::from(*b) << 8 | u32::from(*c) << 16,
            _ => return None,
        };
        let skipped: u32 = skipped
            .iter()
            .map(|&b| u32::from(BITS_SET[usize::from(b)]))
            .sum();
        let start = bucket.start + 1 + (4 + MASK_BYTES as u32) * count as u32 + 2 * skipped;
        Some(PackedRow { mask, start })
    }

    /// The first byte of this entry's values (0 if none): reading it ahead brings them into the cache for
    /// [`scatter_quanta`](Self::scatter_quanta).
    #[inline]
    pub(super) fn touch_values(&self, row: PackedRow) -> u8 {
        self.records.get(row.start as usize).copied().unwrap_or(0)
    }

    /// [`PackedRow::scatter_quanta`] in this table: the entry's values into their languages' lanes.
    ///
    /// Without a branch per language: the mask is taken a byte at a time, and each byte's eight slots
    /// are written whatever the byte, from [`SET_POSITIONS`] — the values of its set bits into their
    /// lanes, the following (unrelated) values into lanes past the 17 that are dropped.
    #[cfg(test)]
    pub(super) fn scatter_quanta(&self, row: PackedRow, quanta: &mut [u32; 17]) {
        let mut lanes = [0u32; 32];
        lanes[..17].copy_from_slice(quanta);
        self.scatter_quanta_wide(row, &mut lanes);
        quanta.copy_from_slice(&lanes[..17]);
    }

    /// [`scatter_quanta`](Self::scatter_quanta) into the first 17 of 32 lanes, the others scratch space
    /// (their values are left unspecified).
    #[inline(always)]
    pub(super) fn scatter_quanta_wide(&self, row: PackedRow, lanes: &mut [u32; 32]) {
        let start = row.start as usize;
        // At most 17 values (one per language): all within these 34 bytes, unless the table ends first.
        let values = self
            .records
            .get(start..start + 34)
            .and_then(|values| <&[u8; 34]>::try_from(values).ok());
        let (Some(values), true) = (values, row.mask < 1 << 17) else {
            if let Some(quanta) = lanes.first_chunk_mut::<17>() {
                row.scatter_quanta_in(self.records, quanta);
            }
            return;
        };
        // The `i`th value of the entry, for `i` < 16.
        let value = |i: usize| {
            let at = 2 * (i & 15);
            u32::from(u16::from_le_bytes([values[at], values[at + 1]]))
        };
        let low = (row.mask & 0xFF) as usize;
        let high = (row.mask >> 8 & 0xFF) as usize;
        let low_count = usize::from(BITS_SET[low]);
        for (i, &position) in SET_POSITIONS[low].iter().enumerate() {
            lanes[usize::from(position) & 31] = value(i);
        }
        // The second byte's values follow the first's: at most 8 of them, 16 bytes from there.
        if let Some(high_values) = values
            .get(2 * low_count..)
            .and_then(|rest| rest.first_chunk::<16>())
        {
            for (pair, &position) in high_values.chunks_exact(2).zip(&SET_POSITIONS[high]) {
                lanes[(8 + usize::from(position)) & 31] =
                    u32::from(u16::from_le_bytes([pair[0], pair[1]]));
            }
        }
        if row.mask >> 16 != 0 {
            let at = 2 * (low_count + usize::from(BITS_SET[high]));
            if let Some(pair) = values.get(at..at + 2) {
                lanes[16] = u32::from(u16::from_le_bytes([pair[0], pair[1]]));
            }
        }
    }
}

/// Per byte: the positions of its set bits, lowest first, then [`NO_POSITION`] for the other slots.
static SET_POSITIONS: [[u8; 8]; 256] = {
    let mut table = [[NO_POSITION; 8]; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut bit = 0;
        let mut count = 0;
        while bit < 8 {
            if byte >> bit & 1 != 0 {
                table[byte][count] = bit as u8;
                count += 1;
            }
            bit += 1;
        }
        byte += 1;
    }
    table
};

/// A slot of [`SET_POSITIONS`] with no set bit: a lane past the 17 languages' from either byte of the
/// mask (20 or 28).
const NO_POSITION: u8 = 20;

/// Every character's unigram entry, by character id: looked up once, on first use (about 16,000
/// look-ups, under a millisecond), then read by index instead of hashed. A mask of 0: no entry.
static UNIGRAM_ROWS: Lazy<Vec<PackedRow>> = Lazy::new(|| {
    (0..1u64 << UNIGRAM_KEY_BITS)
        .map(|id| {
            locate(1, id)
                .and_then(fetch_packed)
                .unwrap_or(PackedRow::ABSENT)
        })
        .collect()
});

/// The unigram entry of the character with this id (what `locate(1, id)` and `fetch_packed` give).
pub(super) fn unigram(id: u32) -> Option<PackedRow> {
    UNIGRAM_ROWS
        .get(id as usize)
        .copied()
        .filter(|row| row.mask != 0)
}

/// Every character's unigram values as all 17 lanes (0 for the languages whose model lacks it), by
/// character id: what [`PackedRow::scatter_quanta`] of its entry writes into zeros, as one copy. Filled
/// with `UNIGRAM_ROWS`, on first use.
static UNIGRAM_QUANTA: Lazy<Vec<[u32; 17]>> = Lazy::new(|| {
    UNIGRAM_ROWS
        .iter()
        .map(|row| {
            let mut quanta = [0u32; 17];
            row.scatter_quanta(1, &mut quanta);
            quanta
        })
        .collect()
});

/// The unigram values of the character with this id, all lanes (see `UNIGRAM_QUANTA`).
#[cfg(test)]
pub(super) fn unigram_quanta(id: u32) -> Option<&'static [u32; 17]> {
    UNIGRAM_QUANTA.get(id as usize)
}

/// Every character's unigram values, by character id (see `UNIGRAM_QUANTA`): for reading many.
pub(super) fn unigram_quanta_table() -> &'static [[u32; 17]] {
    UNIGRAM_QUANTA.as_slice()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry as (mask, its values in all 17 lanes).
    type Lanes = (u32, [u32; 17]);

    /// `locate` as it was before the key was scrambled once for both the directory read ahead and the
    /// look-up: from the key, in one step.
    fn locate_in_one_step(order: usize, key: u64) -> Option<Probe> {
        let table = table_of(order)?;
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

    /// What the look-up of the scorer (`address`, `locate_at`, `fetch_packed`, the values through
    /// `PackedRow`) gives for a key, as (mask, values in all 17 lanes), and what `locate` and `fetch` give.
    fn both_ways(order: usize, key: u64) -> (Option<Lanes>, Option<Lanes>) {
        let packed = address(order, key)
            .and_then(|at| locate_at(order, at))
            .and_then(fetch_packed)
            .map(|row| {
                let mut lanes = [0u32; 17];
                row.scatter_quanta(order, &mut lanes);
                (row.mask, lanes)
            });
        let original = locate_in_one_step(order, key).and_then(fetch).map(|row| {
            let mut lanes = [0u32; 17];
            row.scatter_quanta(&mut lanes);
            (row.mask, lanes)
        });
        (packed, original)
    }

    /// What the batch look-up through [`OrderTable`]'s methods gives for a key, as (mask, values in all 17
    /// lanes), to compare with `both_ways`.
    fn by_order_table(order: usize, key: u64) -> Option<Lanes> {
        let table = order_table(order)?;
        let at = match order {
            1 => table.address::<1>(key),
            2 => table.address::<2>(key),
            3 => table.address::<3>(key),
            4 => table.address::<4>(key),
            _ => table.address::<5>(key),
        };
        let row = table.bucket(at).and_then(|bucket| table.find(bucket))?;
        let mut lanes = [0u32; 17];
        table.scatter_quanta(row, &mut lanes);
        Some((row.mask, lanes))
    }

    /// Every unigram entry (all 16,384 ids) and its dense lanes, read both ways.
    #[test]
    fn packed_unigram_entries_equal_the_original_look_ups() {
        let mut found = 0;
        for id in 0..1u32 << UNIGRAM_KEY_BITS {
            let (packed, original) = both_ways(1, u64::from(id));
            assert_eq!(packed, original, "unigram id {id}");
            assert_eq!(
                unigram(id).map(|row| row.mask),
                original.map(|(mask, _)| mask)
            );
            assert_eq!(
                by_order_table(1, u64::from(id)),
                original,
                "unigram id {id}"
            );
            if let Some((_, lanes)) = original {
                assert_eq!(unigram_quanta(id), Some(&lanes));
                assert_eq!(unigram_quanta_table().get(id as usize), Some(&lanes));
                found += 1;
            }
        }
        assert!(found > 10_000, "{found} unigrams");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]
        /// Longer n-grams, from characters common in the models (mostly found) and from any ids (mostly
        /// absent): the scorer's look-up gives the entry the original one gives, or none when it does.
        #[test]
        fn packed_look_ups_equal_the_original_ones(
            order in 2usize..=5,
            text in "[a-zéñçãàèìòùäöüßąęłśżćńóú]{5}|[ابتثجحخدذرسشصضطظعغفقكلمنهوي]{5}|[a-z]{5}",
            ids in proptest::collection::vec(0u32..LONGER_NGRAM_CHARS, 5),
        ) {
            let from_text = text
                .chars()
                .take(order)
                .enumerate()
                .map(|(position, c)| char_id(c).and_then(|id| longer_key_part(id, position)))
                .try_fold(0u64, |key, part| part.map(|part| key | part));
            let from_ids = ids
                .iter()
                .take(order)
                .enumerate()
                .map(|(position, id)| longer_key_part(*id, position))
                .try_fold(0u64, |key, part| part.map(|part| key | part));
            for key in [from_text, from_ids].into_iter().flatten() {
                let (packed, original) = both_ways(order, key);
                proptest::prop_assert_eq!(packed, original);
                proptest::prop_assert_eq!(by_order_table(order, key), original);
            }
        }
    }
}
