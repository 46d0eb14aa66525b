//! Lingua 1.8's high-accuracy detection (`compute_language_confidence_values` for our 17 languages),
//! reimplemented over the merged n-gram table: where lingua looks each n-gram up once per language in that
//! language's FST, backing off to shorter n-grams, we look each substring up once and get every language.
//!
//! For each word position the n-grams starting there are looked up from length 1 upwards; the table is
//! prefix-closed per language (every model that holds an n-gram holds its prefixes), so the longest prefix
//! a language knows — lingua's back-off value for the n-gram of each length — is simply the last value seen
//! for that language on the way up. As in lingua, each distinct n-gram counts once per order.

use super::lingua_rules::{decide_by_rules, filter_by_rules, latin_languages, Words, LINGUA_RANK};
use super::ngram_table::{
    char_id, fetch, locate, longer_key_part, touch_directory, touch_record, unigram,
    unigram_quanta, Probe, Row,
};
use super::table_format::{MAX_ORDER, VALUE_SCALE};

/// Confidence per language (index into `SUPPORTED_LANGUAGES`), best first, ties in lingua's order.
pub(super) type Confidences = Vec<(usize, f64)>;

/// Texts with at least this many letters are scored on trigrams only in lingua.
const LINGUA_TRIGRAMS_ONLY_FROM: usize = 120;

/// Which n-gram lengths score a text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Orders {
    /// As lingua: 1 to 5, but only 3 for texts of 120 letters or more.
    AsLingua,
    /// 1 to 5 at every length (more accurate on long texts; the table makes it cheap), except that a text
    /// of at least `min_letters` letters whose best language already has `min_confidence` on lengths 1 to
    /// 3 is decided there: those tables are small enough to stay in the processor's cache, the larger
    /// tables of lengths 4 and 5 are not.
    AllLengths {
        min_letters: usize,
        min_confidence: f64,
    },
}

/// How a text was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decision {
    /// By lingua's rules (a script or letter unique to one language, or one candidate left).
    Rules,
    /// By n-grams of length 1 to 3 (a clear case, see [`Orders::AllLengths`]).
    ShortNgrams,
    /// By n-grams of the full range of lengths.
    Ngrams,
}

/// Lingua's confidence values for the text: every language, best first; all zero when nothing is known.
pub(super) fn confidence_values(text: &str, orders: Orders) -> Confidences {
    detect(text, orders).0
}

/// As [`confidence_values`], also telling how the text was decided.
pub(super) fn detect(text: &str, orders: Orders) -> (Confidences, Decision) {
    let words = Words::of(text);
    let mut values = [0.0f64; 17];
    if words.is_empty() {
        return (sorted(values), Decision::Rules);
    }
    // ASCII text: every word is Latin letters without a letter unique to one language, so the rules
    // decide nothing and leave the Latin-script languages (what the two calls below return for it).
    let ascii = text.is_ascii();
    if !ascii {
        if let Some(language) = decide_by_rules(&words) {
            values[language] = 1.0;
            return (sorted(values), Decision::Rules);
        }
    }
    let candidates = if ascii {
        latin_languages()
    } else {
        filter_by_rules(&words)
    };
    if candidates.count_ones() == 1 {
        values[candidates.trailing_zeros() as usize] = 1.0;
        return (sorted(values), Decision::Rules);
    }
    let letters = words.char_count();
    match orders {
        Orders::AsLingua if letters >= LINGUA_TRIGRAMS_ONLY_FROM => {
            let mut lookups = Lookups::new(&words);
            lookups.extend_to(3);
            (lookups.confidences(candidates, 3, 3), Decision::Ngrams)
        }
        Orders::AsLingua => {
            let mut lookups = Lookups::new(&words);
            lookups.extend_to(MAX_ORDER);
            (
                lookups.confidences(candidates, 1, MAX_ORDER),
                Decision::Ngrams,
            )
        }
        Orders::AllLengths {
            min_letters,
            min_confidence,
        } => {
            let mut lookups = Lookups::new(&words);
            lookups.extend_to(3);
            if letters >= min_letters {
                let short = lookups.confidences(candidates, 1, 3);
                if short[0].1 >= min_confidence {
                    return (short, Decision::ShortNgrams);
                }
            }
            lookups.extend_to(MAX_ORDER);
            (
                lookups.confidences(candidates, 1, MAX_ORDER),
                Decision::Ngrams,
            )
        }
    }
}

/// The languages of a set, lowest index first (one step per member, not per language).
fn languages(set: u32) -> impl Iterator<Item = usize> + Clone {
    let mut rest = set & ((1 << 17) - 1);
    std::iter::from_fn(move || {
        (rest != 0).then(|| {
            let language = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            language
        })
    })
}

fn sorted(values: [f64; 17]) -> Confidences {
    let mut list: Confidences = values.iter().copied().enumerate().collect();
    list.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(LINGUA_RANK[a.0].cmp(&LINGUA_RANK[b.0]))
    });
    list
}

/// The table entries of the n-grams starting at every word position of a text, looked up length by
/// length: all positions of one length together (independent look-ups, so the processor overlaps their
/// memory reads), and only where the next shorter n-gram was found (the table is prefix-closed).
struct Lookups<'w> {
    /// Model character ids of all letters, word after word.
    ids: Vec<Option<u32>>,
    /// Per word position: index of its first letter in `ids`, and its letters up to `MAX_ORDER`.
    starts: Vec<(usize, &'w [char])>,
    /// rows[p][n - 1]: the entry of the n-gram of length n at position p.
    rows: Vec<[Option<Row>; MAX_ORDER]>,
    longer_keys: Vec<Option<u64>>,
    /// Positions whose n-gram of length `done` was found.
    alive: Vec<usize>,
    done: usize,
    letters: usize,
    /// per_order[n - 1][language]: the sum over the distinct n-grams of length n of the language's
    /// backed-off log-probability, for the candidate languages whose model knows a prefix of the n-gram.
    /// Each length's sum depends on nothing else, so a text scored on lengths 1 to 3 and then 1 to 5 sums
    /// lengths 1 to 3 only once.
    ///
    /// Kept as integers in units of the table's quantum (1 / `VALUE_SCALE`, negated): every value is such a
    /// multiple and every sum stays far below 2^53 quanta, so adding them as floats was exact and gives
    /// exactly `-(sum as f64) / VALUE_SCALE`; integers let the 17 lanes be added together.
    per_order: [[u32; 17]; MAX_ORDER],
    /// The candidates `per_order` and `unigram_hits` were summed for.
    summed_for: u32,
    /// Per language: the distinct letters of the text its model knows.
    unigram_hits: [u32; 17],
    /// Which lengths `per_order` holds already.
    summed: [bool; MAX_ORDER],
}

impl<'w> Lookups<'w> {
    fn new(words: &'w Words) -> Self {
        let mut ids: Vec<Option<u32>> = Vec::with_capacity(words.char_count());
        let mut starts: Vec<(usize, &[char])> = Vec::with_capacity(words.char_count());
        for word in words.iter() {
            let base = ids.len();
            ids.extend(word.iter().map(|c| char_id(*c)));
            for start in 0..word.len() {
                let longest = MAX_ORDER.min(word.len() - start);
                starts.push((base + start, &word[start..start + longest]));
            }
        }
        let count = starts.len();
        Lookups {
            ids,
            starts,
            rows: vec![[None; MAX_ORDER]; count],
            longer_keys: vec![Some(0); count],
            alive: (0..count).collect(),
            done: 0,
            letters: words.char_count(),
            per_order: [[0; 17]; MAX_ORDER],
            unigram_hits: [0; 17],
            summed: [false; MAX_ORDER],
            summed_for: 0,
        }
    }

    /// Look up the n-grams of the lengths not yet done, up to `order`.
    fn extend_to(&mut self, order: usize) {
        let mut keys: Vec<(usize, u64)> = Vec::with_capacity(self.alive.len());
        let mut probes: Vec<(usize, Probe)> = Vec::with_capacity(self.alive.len());
        if self.done == 0 && order >= 1 {
            // Unigrams: read by character id from a table of their entries.
            let alive = std::mem::take(&mut self.alive);
            for position in alive {
                let (first, _) = self.starts[position];
                let id = self.ids[first];
                // The first character's part of the keys of the longer n-grams starting here.
                self.longer_keys[position] = self.longer_keys[position]
                    .zip(id.and_then(|id| longer_key_part(id, 0)))
                    .map(|(key, part)| key | part);
                if let Some(row) = id.and_then(unigram) {
                    self.rows[position][0] = Some(row);
                    self.alive.push(position);
                }
            }
            self.done = 1;
        }
        while self.done < order {
            let order = self.done + 1;
            keys.clear();
            probes.clear();
            for &position in &self.alive {
                let (first, chars) = self.starts[position];
                if chars.len() < order {
                    continue;
                }
                let id = self.ids[first + order - 1];
                let longer_key = self.longer_keys[position]
                    .zip(id.and_then(|id| longer_key_part(id, order - 1)))
                    .map(|(key, part)| key | part);
                self.longer_keys[position] = longer_key;
                let key = if order == 1 {
                    id.map(u64::from)
                } else {
                    longer_key
                };
                if let Some(key) = key {
                    keys.push((position, key));
                }
            }
            // The tables of the longer n-grams are far larger than the caches: read every directory entry
            // and then every record once in a tight loop first, so that their cache misses overlap, before
            // the look-ups proper read them again from the cache.
            let touched = keys
                .iter()
                .fold(0u8, |acc, &(_, key)| acc ^ touch_directory(order, key));
            for &(position, key) in &keys {
                if let Some(probe) = locate(order, key) {
                    probes.push((position, probe));
                }
            }
            let touched = probes
                .iter()
                .fold(touched, |acc, &(_, probe)| acc ^ touch_record(probe));
            std::hint::black_box(touched);
            self.alive.clear();
            for &(position, probe) in &probes {
                if let Some(row) = fetch(probe) {
                    self.rows[position][order - 1] = Some(row);
                    self.alive.push(position);
                }
            }
            self.done = order;
        }
    }

    /// Lingua's scoring over the n-grams of lengths `low..=high` (looked up already): per language and
    /// length, the sum of the (backed-off) log-probabilities of the distinct n-grams; summed over lengths,
    /// divided by the number of the text's distinct letters the language's model knows (when unigrams are
    /// used), exponentiated and normalised.
    fn confidences(&mut self, candidates: u32, low: usize, high: usize) -> Confidences {
        self.sum_orders(candidates, low, high);
        let per_order = self.per_order.map(|sums| {
            sums.map(|quanta| {
                if quanta == 0 {
                    0.0
                } else {
                    -f64::from(quanta) / VALUE_SCALE
                }
            })
        });
        let unigram_hits = &self.unigram_hits;

        let used_orders = (low..=high).filter(|order| self.letters >= *order);
        let mut values = [0.0f64; 17];
        let mut probabilities = [0.0f64; 17];
        let mut present = 0u32;
        for language in languages(candidates) {
            let mut sum: f64 = used_orders
                .clone()
                .map(|order| per_order[order - 1][language])
                .sum();
            if low == 1 && unigram_hits[language] > 0 {
                sum /= f64::from(unigram_hits[language]);
            }
            if sum != 0.0 {
                probabilities[language] = sum.exp();
                present |= 1 << language;
            }
        }
        if present == 0 {
            return sorted(values);
        }
        let denominator: f64 = languages(present)
            .map(|language| probabilities[language])
            .sum();
        if denominator == 0.0 {
            // Every exponent underflowed (very long input): lingua gives 1.0 to the best language of the
            // first length it used.
            let best = languages(candidates)
                .filter(|language| per_order[low - 1][*language] < 0.0)
                .max_by(|a, b| per_order[low - 1][*a].total_cmp(&per_order[low - 1][*b]));
            if let Some(best) = best {
                values[best] = 1.0;
            }
            return sorted(values);
        }
        for language in languages(present) {
            values[language] = probabilities[language] / denominator;
        }
        sorted(values)
    }
}

impl Lookups<'_> {
    /// Fill `per_order` for the lengths `low..=high` not summed yet (looked up already).
    fn sum_orders(&mut self, candidates: u32, low: usize, high: usize) {
        if candidates != self.summed_for {
            self.per_order = [[0; 17]; MAX_ORDER];
            self.unigram_hits = [0; 17];
            self.summed = [false; MAX_ORDER];
            self.summed_for = candidates;
        }
        let wanted = (low..=high).filter(|order| !self.summed[order - 1]).count();
        if wanted == 0 {
            return;
        }
        let first_wanted = (low..=high)
            .find(|order| !self.summed[order - 1])
            .unwrap_or(high);
        let mut seen = SeenNgrams::with_capacity(self.starts.len() * wanted);
        for ((first, chars), rows) in self.starts.iter().zip(&self.rows) {
            if chars.len() < first_wanted {
                // No n-gram starting here has a length still to sum.
                continue;
            }
            // The longest n-gram starting here first: when it was met before, so were all its
            // prefixes (each position inserts every length it sums), and nothing here counts.
            let longest = chars.len().min(high);
            let longest_wanted = longest >= low && !self.summed[longest - 1];
            if longest_wanted {
                let packed = chars[..longest]
                    .iter()
                    .enumerate()
                    .fold(0u128, |key, (k, c)| key | (*c as u128) << (21 * k));
                if !seen.insert(packed, longest) {
                    continue;
                }
            }
            // Per language, in quanta: the log-probability of the longest prefix it knows (lingua's
            // back-off); each row overwrites the languages it holds.
            let mut backed_off = [0u32; 17];
            let mut known = 0u32;
            // The characters of the n-gram so far, packed for `SeenNgrams`.
            let mut packed = 0u128;
            for order in 1..=longest {
                packed |= (chars[order - 1] as u128) << (21 * (order - 1));
                if let Some(row) = rows[order - 1] {
                    // The unigram (always the first row) into zeros: a copy of its lanes.
                    let dense = (order == 1)
                        .then(|| self.ids.get(*first).copied().flatten())
                        .flatten()
                        .and_then(unigram_quanta);
                    match dense {
                        Some(quanta) => backed_off = *quanta,
                        None => row.scatter_quanta(&mut backed_off),
                    }
                    known |= row.mask;
                }
                if order < low || self.summed[order - 1] {
                    continue;
                }
                // (The longest one is new: it was inserted above.)
                if !(order == longest || seen.insert(packed, order)) {
                    continue;
                }
                let counted = known & candidates;
                let sums = &mut self.per_order[order - 1];
                for ((sum, value), language) in sums.iter_mut().zip(&backed_off).zip(0u32..) {
                    // All lanes at once: a language not counted adds 0.
                    let lane = 0u32.wrapping_sub((counted >> language) & 1);
                    *sum += value & lane;
                }
                if order == 1 {
                    for (language, hits) in self.unigram_hits.iter_mut().enumerate() {
                        *hits += (counted >> language) & 1;
                    }
                }
            }
        }
        for order in low..=high {
            self.summed[order - 1] = true;
        }
    }
}

/// The distinct n-grams met so far (an n-gram of up to 5 characters packs into a u128). The hash table
/// holds indices into `keys` (4 bytes a slot instead of 16: clearing it was a sixth of the scoring time).
struct SeenNgrams {
    /// 0 for an empty slot, else 1 + the index of the key in `keys`.
    slots: Vec<u32>,
    keys: Vec<u128>,
}

impl SeenNgrams {
    fn with_capacity(ngrams: usize) -> Self {
        let size = (2 * ngrams.max(4)).next_power_of_two();
        SeenNgrams {
            slots: vec![0; size],
            keys: Vec::with_capacity(ngrams),
        }
    }

    /// True if the n-gram was not there yet. `packed`: its characters, 21 bits each, the first lowest.
    fn insert(&mut self, packed: u128, length: usize) -> bool {
        // The length in bits 105..108.
        let key = packed | (length as u128) << 105;
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        let mask = self.slots.len() - 1;
        let mut slot = (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask;
        loop {
            match self.slots[slot] {
                0 => {
                    self.keys.push(key);
                    self.slots[slot] = self.keys.len() as u32;
                    return true;
                }
                index if self.keys.get(index as usize - 1) == Some(&key) => return false,
                _ => slot = (slot + 1) & mask,
            }
        }
    }
}
