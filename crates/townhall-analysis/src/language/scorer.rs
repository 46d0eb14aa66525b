//! Lingua 1.8's high-accuracy detection (`compute_language_confidence_values` for our 17 languages),
//! reimplemented over the merged n-gram table: where lingua looks each n-gram up once per language in that
//! language's FST, backing off to shorter n-grams, we look each substring up once and get every language.
//!
//! The distinct n-grams of the text (as in lingua, each counts once per order) are gathered in a trie and
//! looked up length by length; the table is prefix-closed per language (every model that holds an n-gram
//! holds its prefixes, which `build.rs` checks), so the longest prefix a language knows — lingua's back-off
//! value for an n-gram — is its prefix's back-off value, overwritten for the languages that know the
//! n-gram itself.

use super::lingua_rules::{decide_by_rules, filter_by_rules, latin_languages, Words, LINGUA_RANK};
use super::ngram_table::{
    address, char_id, fetch_packed, locate_at, longer_key_part, touch_directory, touch_record,
    unigram, unigram_quanta, Address, PackedRow, Probe,
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

/// The distinct n-grams of a text (lingua counts each distinct n-gram once per length), as a trie: the
/// n-grams of length n are `nodes[n - 1]`, each linked to its prefix one character shorter, each looked
/// up once in the table, length by length — all n-grams of one length together (independent look-ups,
/// so the processor overlaps their memory reads), and only where the prefix was found (the table is
/// prefix-closed). The sums then take every distinct n-gram once, with no per-position work.
struct Lookups {
    /// `nodes[n - 1]`: the distinct n-grams of length n, in order of first occurrence.
    nodes: [Vec<Node>; MAX_ORDER],
    /// `backed_off[n - 1][k]`: per language, in quanta, the log-probability of the longest prefix of the
    /// n-gram `nodes[n - 1][k]` that the language's model knows (lingua's back-off), 0 for a language
    /// that knows none. Filled length by length as the sums need them.
    backed_off: [Vec<[u32; 17]>; MAX_ORDER],
    /// Lengths looked up so far.
    done: usize,
    letters: usize,
    /// `per_order[n - 1][language]`: the sum over the distinct n-grams of length n of the language's
    /// backed-off log-probability, where the language's model knows a prefix of the n-gram (0 for the
    /// others). Each length's sum depends on nothing else, so a text scored on lengths 1 to 3 and then 1 to
    /// 5 sums lengths 1 to 3 only once. Every language is summed, candidate or not (17 lanes added
    /// together, no mask): the scoring reads only the candidates' lanes.
    ///
    /// Kept as integers in units of the table's quantum (1 / `VALUE_SCALE`, negated): every value is such a
    /// multiple and every sum stays far below 2^53 quanta, so adding them as floats was exact and gives
    /// exactly `-(sum as f64) / VALUE_SCALE`; integers let the 17 lanes be added together.
    per_order: [[u32; 17]; MAX_ORDER],
    /// Per language: the distinct letters of the text its model knows.
    unigram_hits: [u32; 17],
    /// Which lengths `per_order` holds already.
    summed: [bool; MAX_ORDER],
}

/// One distinct n-gram of a text.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Index of its prefix one character shorter in the nodes of that length (unused for length 1).
    parent: u32,
    /// Its last character.
    last: char,
    /// Its key among the n-grams of lengths 2 to 5 (the `longer_key_part`s of its characters), as a
    /// prefix of longer ones too; [`NO_KEY`] if one of its characters occurs in no such n-gram.
    longer_key: u64,
    /// Its entry, `PackedRow::ABSENT` if none (or not looked up: its prefix has none).
    row: PackedRow,
}

/// No key among the n-grams of lengths 2 to 5 (keys have at most 50 bits).
const NO_KEY: u64 = u64::MAX;

/// The trie's index while it is built: open addressing over `u32` slots (0 empty, else the node's length
/// in the top 3 bits and 1 + its index among the n-grams of that length below), keyed by (length, index of
/// the prefix, last character); the key is checked against the slot's length and the node.
struct TrieIndex {
    slots: Vec<u32>,
    shift: u32,
}

impl TrieIndex {
    /// An index for at most `ngrams` n-grams: at most two thirds of the slots are ever filled.
    fn with_capacity(ngrams: usize) -> Self {
        let size = (ngrams.max(4) * 3 / 2).next_power_of_two();
        TrieIndex {
            slots: vec![0; size],
            shift: 64 - size.trailing_zeros(),
        }
    }
}

impl Lookups {
    /// The trie of the distinct n-grams of the words (nothing looked up yet).
    fn new(words: &Words) -> Self {
        let letters = words.char_count();
        // Per length n, at most one n-gram per position with n letters to go in its word.
        let mut most = [0usize; MAX_ORDER];
        for word in words.iter() {
            for (order, most) in (1..=MAX_ORDER).zip(&mut most) {
                *most += (word.len() + 1).saturating_sub(order);
            }
        }
        let mut nodes: [Vec<Node>; MAX_ORDER] =
            std::array::from_fn(|k| Vec::with_capacity(most[k]));
        let mut index = TrieIndex::with_capacity(most.iter().sum());
        let mask = index.slots.len() - 1;
        for word in words.iter() {
            for start in 0..word.len() {
                let mut parent = 0u32;
                let mut prefix_key = 0u64;
                for (order, &last) in (1..=MAX_ORDER).zip(&word[start..]) {
                    let Some(list) = nodes.get_mut(order - 1) else {
                        break;
                    };
                    let key = (order as u64) << 53 | u64::from(parent) << 21 | u64::from(last);
                    let mut slot =
                        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> index.shift) as usize & mask;
                    let found = loop {
                        match index.slots[slot] {
                            0 => {
                                let part = char_id(last)
                                    .and_then(|id| longer_key_part(id, order - 1))
                                    .filter(|_| prefix_key != NO_KEY);
                                let node = list.len() as u32;
                                list.push(Node {
                                    parent,
                                    last,
                                    longer_key: part.map_or(NO_KEY, |part| prefix_key | part),
                                    row: PackedRow::ABSENT,
                                });
                                index.slots[slot] = (order as u32) << 29 | (node + 1);
                                break node;
                            }
                            stored => {
                                let at = (stored & ((1 << 29) - 1)) as usize;
                                let same = stored >> 29 == order as u32
                                    && list.get(at - 1).is_some_and(|node| {
                                        node.last == last && node.parent == parent
                                    });
                                if same {
                                    break (at - 1) as u32;
                                }
                                slot = (slot + 1) & mask;
                            }
                        }
                    };
                    prefix_key = list
                        .get(found as usize)
                        .map_or(NO_KEY, |node| node.longer_key);
                    parent = found;
                }
            }
        }
        Lookups {
            nodes,
            backed_off: Default::default(),
            done: 0,
            letters,
            per_order: [[0; 17]; MAX_ORDER],
            unigram_hits: [0; 17],
            summed: [false; MAX_ORDER],
        }
    }

    /// Look up the n-grams of the lengths not yet done, up to `order`.
    fn extend_to(&mut self, order: usize) {
        if self.done == 0 && order >= 1 {
            // Single characters: read by character id from a table of their entries.
            for node in &mut self.nodes[0] {
                if let Some(row) = char_id(node.last).and_then(unigram) {
                    node.row = row;
                }
            }
            self.done = 1;
        }
        // At most one look-up per n-gram of the length.
        let most = self
            .nodes
            .get(self.done.min(MAX_ORDER)..order.min(MAX_ORDER))
            .unwrap_or_default()
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0);
        let mut keys: Vec<(usize, Address)> = Vec::with_capacity(most);
        let mut probes: Vec<(usize, Probe)> = Vec::with_capacity(most);
        while self.done < order.min(MAX_ORDER) {
            let order = self.done + 1;
            let (shorter, rest) = self.nodes.split_at_mut(order - 1);
            let (Some(prefixes), Some(nodes)) = (shorter.last(), rest.first_mut()) else {
                break;
            };
            keys.clear();
            probes.clear();
            for (k, node) in nodes.iter().enumerate() {
                // Only where the prefix was found: an n-gram whose prefix no model holds is in none.
                let prefix_found = prefixes
                    .get(node.parent as usize)
                    .is_some_and(|prefix| prefix.row.mask != 0);
                if !prefix_found {
                    continue;
                }
                let key = Some(node.longer_key).filter(|key| *key != NO_KEY);
                if let Some(at) = key.and_then(|key| address(order, key)) {
                    keys.push((k, at));
                }
            }
            // The tables of the longer n-grams are far larger than the caches: read every directory entry
            // and then every record once in a tight loop first, so that their cache misses overlap, before
            // the look-ups proper read them again from the cache.
            let touched = keys
                .iter()
                .fold(0u8, |acc, &(_, at)| acc ^ touch_directory(order, at));
            for &(k, at) in &keys {
                if let Some(probe) = locate_at(order, at) {
                    probes.push((k, probe));
                }
            }
            let touched = probes
                .iter()
                .fold(touched, |acc, &(_, probe)| acc ^ touch_record(probe));
            std::hint::black_box(touched);
            let mut touched = 0u8;
            for &(k, probe) in &probes {
                if let (Some(row), Some(node)) = (fetch_packed(probe), nodes.get_mut(k)) {
                    node.row = row;
                    // The values often lie on the record's next cache line: read them ahead too, for
                    // the sums.
                    touched ^= row.touch_values(order);
                }
            }
            std::hint::black_box(touched);
            self.done = order;
        }
    }

    /// Lingua's scoring over the n-grams of lengths `low..=high` (looked up already): per language and
    /// length, the sum of the (backed-off) log-probabilities of the distinct n-grams; summed over lengths,
    /// divided by the number of the text's distinct letters the language's model knows (when unigrams are
    /// used), exponentiated and normalised.
    fn confidences(&mut self, candidates: u32, low: usize, high: usize) -> Confidences {
        self.sum_orders(low, high);
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

impl Lookups {
    /// Fill `per_order` for the lengths `low..=high` not summed yet (looked up already).
    fn sum_orders(&mut self, low: usize, high: usize) {
        for order in 1..=high.min(MAX_ORDER) {
            let wanted = order >= low && !self.summed[order - 1];
            let (shorter, rest) = self.backed_off.split_at_mut(order - 1);
            let (Some(backed_off), Some(nodes)) = (rest.first_mut(), self.nodes.get(order - 1))
            else {
                break;
            };
            let sums = &mut self.per_order[order - 1];
            // All 17 lanes at once: a language that knows no prefix adds 0.
            let mut add = |lanes: &[u32; 17]| {
                if wanted {
                    for (sum, value) in sums.iter_mut().zip(lanes) {
                        *sum = sum.wrapping_add(*value);
                    }
                }
            };
            if backed_off.len() == nodes.len() {
                // Backed off already (for a shorter range of lengths).
                backed_off.iter().for_each(&mut add);
            } else {
                // Each n-gram's back-off is its prefix's, overwritten in the languages its own entry
                // holds; the longest ones are no one's prefix and are not kept.
                backed_off.clear();
                let keep = order < MAX_ORDER;
                if keep {
                    backed_off.reserve(nodes.len());
                }
                let prefixes: &[[u32; 17]] = shorter.last().map_or(&[], |p| p.as_slice());
                for node in nodes {
                    let mut lanes = if order == 1 {
                        // A single character's entry into zeros: a copy of its lanes.
                        let id = char_id(node.last).filter(|_| node.row.mask != 0);
                        match id.and_then(unigram_quanta) {
                            Some(quanta) => *quanta,
                            None => [0u32; 17],
                        }
                    } else {
                        prefixes
                            .get(node.parent as usize)
                            .copied()
                            .unwrap_or([0u32; 17])
                    };
                    if order > 1 && node.row.mask != 0 {
                        node.row.scatter_quanta(order, &mut lanes);
                    }
                    add(&lanes);
                    if keep {
                        backed_off.push(lanes);
                    }
                }
            }
            if wanted {
                if order == 1 {
                    for node in nodes {
                        for (language, hits) in self.unigram_hits.iter_mut().enumerate() {
                            *hits += (node.row.mask >> language) & 1;
                        }
                    }
                }
                self.summed[order - 1] = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::ngram_table::{look_up, Row};
    use super::*;
    use crate::language::lingua_rules::lang::ALL;
    use std::collections::HashSet;

    /// The sums as they were computed before, independently of [`Lookups`]: per word position the
    /// n-grams starting there (up to 5 characters), looked up with the original `locate` and `fetch` where
    /// the one a character shorter was found; lingua's back-off summed per position from the shortest
    /// length up, each length's n-gram counted if new, and only the candidates' lanes added, masked.
    /// Returns `(per_order, unigram_hits)` after summing `calls` in turn.
    fn sums_before(
        words: &Words,
        candidates: u32,
        calls: &[(usize, usize)],
    ) -> ([[u32; 17]; MAX_ORDER], [u32; 17]) {
        let mut positions: Vec<(Vec<char>, [Option<Row>; MAX_ORDER])> = Vec::new();
        for word in words.iter() {
            for start in 0..word.len() {
                let chars = word[start..start + MAX_ORDER.min(word.len() - start)].to_vec();
                let mut rows = [None; MAX_ORDER];
                let mut longer_key = Some(0u64);
                for order in 1..=chars.len() {
                    let id = char_id(chars[order - 1]);
                    longer_key = longer_key
                        .zip(id.and_then(|id| longer_key_part(id, order - 1)))
                        .map(|(key, part)| key | part);
                    let key = if order == 1 {
                        id.map(u64::from)
                    } else {
                        longer_key
                    };
                    let prefix_found = order == 1 || rows[order - 2].is_some();
                    rows[order - 1] = key
                        .filter(|_| prefix_found)
                        .and_then(|key| look_up(order, key));
                }
                positions.push((chars, rows));
            }
        }
        let mut per_order = [[0u32; 17]; MAX_ORDER];
        let mut unigram_hits = [0u32; 17];
        let mut summed = [false; MAX_ORDER];
        for &(low, high) in calls {
            let mut seen: HashSet<Vec<char>> = HashSet::new();
            for (chars, rows) in &positions {
                let longest = chars.len().min(high);
                let mut backed_off = [0u32; 17];
                let mut known = 0u32;
                for order in 1..=longest {
                    if let Some(row) = rows[order - 1] {
                        row.scatter_quanta(&mut backed_off);
                        known |= row.mask;
                    }
                    if order < low || summed[order - 1] {
                        continue;
                    }
                    if !seen.insert(chars[..order].to_vec()) {
                        continue;
                    }
                    let counted = known & candidates;
                    for (language, (sum, value)) in
                        per_order[order - 1].iter_mut().zip(&backed_off).enumerate()
                    {
                        let lane = 0u32.wrapping_sub((counted >> language) & 1);
                        *sum += value & lane;
                    }
                    if order == 1 {
                        for (language, hits) in unigram_hits.iter_mut().enumerate() {
                            *hits += (counted >> language) & 1;
                        }
                    }
                }
            }
            for order in low..=high {
                summed[order - 1] = true;
            }
        }
        (per_order, unigram_hits)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// The sums over the trie of distinct n-grams (all lanes) equal the masked per-position ones in
        /// every candidate's lane, for each sequence of lengths the scorer sums, on texts with many
        /// repeated words and n-grams, letters in no model, and long words.
        #[test]
        fn sums_equal_the_masked_per_position_ones(
            words in proptest::collection::vec(
                "the|and|of|que|de|la|die|und|[a-zéñçàèäöüß]{1,9}|[a-z]{1,4}|[ابتثجحخدذرسشصضطظعغفقكلمنهوی]{1,6}|x\u{2603}y|[a-zé\u{263a}]{6,14}",
                1..40,
            ),
            candidates in proptest::prelude::any::<u32>(),
            calls in 0usize..3,
        ) {
            let text = words.join(" ");
            let words = Words::of(&text);
            let calls: &[(usize, usize)] = match calls {
                0 => &[(1, 3), (1, MAX_ORDER)],
                1 => &[(1, MAX_ORDER)],
                _ => &[(3, 3)],
            };
            for candidates in [candidates & ALL, ALL, latin_languages()] {
                let before = sums_before(&words, candidates, calls);
                let mut lookups = Lookups::new(&words);
                for &(low, high) in calls {
                    lookups.extend_to(high);
                    lookups.sum_orders(low, high);
                }
                for language in languages(candidates) {
                    for order in 1..=MAX_ORDER {
                        proptest::prop_assert_eq!(
                            lookups.per_order[order - 1][language],
                            before.0[order - 1][language],
                            "order {} language {}", order, language
                        );
                    }
                    proptest::prop_assert_eq!(lookups.unigram_hits[language], before.1[language]);
                }
            }
        }
    }
}
