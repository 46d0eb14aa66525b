//! Lingua 1.8's high-accuracy detection (`compute_language_confidence_values` for our 17 languages),
//! reimplemented over the merged n-gram table: where lingua looks each n-gram up once per language in that
//! language's FST, backing off to shorter n-grams, we look each substring up once and get every language.
//!
//! The distinct n-grams of the text (as in lingua, each counts once per order) are gathered in a trie and
//! looked up length by length; the table is prefix-closed per language (every model that holds an n-gram
//! holds its prefixes, which `build.rs` checks), so the longest prefix a language knows — lingua's back-off
//! value for an n-gram — is its prefix's back-off value, overwritten for the languages that know the
//! n-gram itself.

use std::cell::Cell;

use super::lingua_rules::{decide_by_rules, filter_by_rules, latin_languages, Words, LINGUA_RANK};
use super::ngram_table::{
    char_id, longer_key_part, order_table, unigram, unigram_quanta_table, Address, Bucket,
    OrderTable, PackedRow,
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
    with_scratch(|scratch| match orders {
        Orders::AsLingua if letters >= LINGUA_TRIGRAMS_ONLY_FROM => {
            let mut lookups = Lookups::new(&words, scratch);
            lookups.extend_to(3);
            (lookups.confidences(candidates, 3, 3), Decision::Ngrams)
        }
        Orders::AsLingua => {
            let mut lookups = Lookups::new(&words, scratch);
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
            let mut lookups = Lookups::new(&words, scratch);
            lookups.extend_to(3);
            if letters >= min_letters {
                let short = lookups.scores(candidates, 1, 3);
                // The best confidence: the first of `sorted(short)`, sorted only if it decides.
                let best = short.iter().copied().max_by(f64::total_cmp).unwrap_or(0.0);
                if best >= min_confidence {
                    return (sorted(short), Decision::ShortNgrams);
                }
            }
            lookups.extend_to(MAX_ORDER);
            (
                lookups.confidences(candidates, 1, MAX_ORDER),
                Decision::Ngrams,
            )
        }
    })
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

/// The languages in lingua's order (`LINGUA_RANK` ascending).
const BY_RANK: [usize; 17] = {
    let mut order = [0usize; 17];
    let mut language = 0;
    while language < 17 {
        order[LINGUA_RANK[language] as usize] = language;
        language += 1;
    }
    order
};

/// The values, best first, ties in lingua's order (`LINGUA_RANK`). Taken in lingua's order and sorted by
/// value with a stable sort, split around zero: the values above zero (the few candidates lingua found)
/// sorted, then the zeros as they are (already in lingua's order), then any below zero sorted.
fn sorted(values: [f64; 17]) -> Confidences {
    let mut list: Confidences = Vec::with_capacity(17);
    let mut zeros = 0u32;
    let mut below = 0u32;
    for language in BY_RANK {
        let value = values[language];
        match value.total_cmp(&0.0) {
            std::cmp::Ordering::Greater => list.push((language, value)),
            std::cmp::Ordering::Equal => zeros |= 1 << language,
            std::cmp::Ordering::Less => below |= 1 << language,
        }
    }
    let by_value = |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1);
    list.sort_by(by_value);
    let members = |set: u32| {
        BY_RANK
            .iter()
            .filter(move |language| (set >> **language) & 1 != 0)
            .map(|&language| (language, values[language]))
    };
    list.extend(members(zeros));
    if below != 0 {
        let from = list.len();
        list.extend(members(below));
        if let Some(part) = list.get_mut(from..) {
            part.sort_by(by_value);
        }
    }
    list
}

/// The working memory of [`Lookups`], kept per thread from one text to the next (its vectors keep their
/// capacity, the trie's index is emptied by a new generation instead of zeroing).
#[derive(Default)]
struct Scratch {
    /// `nodes[n - 1]`: the distinct n-grams of length n, in order of first occurrence.
    nodes: [Vec<Node>; MAX_ORDER],
    index: TrieIndex,
    /// The characters of the word being entered, each with its id among the characters of n-grams of
    /// lengths 2 to 5 (as `longer_key_part` at position 0), [`NO_KEY`] if none.
    ids: Vec<(char, u64)>,
    /// The positions with n-grams of lengths 4 and 5, entered only when those lengths are needed.
    later: Vec<Later>,
    /// Look-ups of one or two lengths: (node, its address), then (node, its bucket).
    keys: [Vec<(u32, Address)>; 2],
    buckets: [Vec<(u32, Bucket)>; 2],
    /// `backed_off[n - 1][k]`: per language, in quanta, the log-probability of the longest prefix of the
    /// n-gram `nodes[n - 1][k]` that the language's model knows (lingua's back-off), 0 for a language
    /// that knows none. Filled length by length as the sums need them; the longest n-grams are no one's
    /// prefix and are not kept.
    backed_off: [Vec<[u32; 17]>; MAX_ORDER - 1],
}

thread_local! {
    static SCRATCH: Cell<Option<Box<Scratch>>> = const { Cell::new(None) };
}

/// Slots of the trie's index beyond which a thread's [`Scratch`] is not kept (a very long text, e.g. in
/// lingua's mode, would otherwise hold its memory for the thread's life): 65,536 slots, texts of about
/// 8,000 letters.
const MAX_KEPT_SLOTS: usize = 1 << 16;

/// Run `f` with this thread's [`Scratch`] (a new one if there is none, e.g. while the thread ends).
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    let mut scratch = SCRATCH
        .try_with(Cell::take)
        .ok()
        .flatten()
        .unwrap_or_default();
    let result = f(&mut scratch);
    if scratch.index.slots.len() <= MAX_KEPT_SLOTS {
        let _ = SCRATCH.try_with(|cell| cell.set(Some(scratch)));
    }
    result
}

/// A position where n-grams of length 4 (and 5) start: its trigram's node and key, and the characters
/// that follow it (the second `None` past the word's end).
#[derive(Debug, Clone, Copy)]
struct Later {
    parent: u32,
    prefix_key: u64,
    next: [(char, u64); 2],
    len: u8,
}

/// The distinct n-grams of a text (lingua counts each distinct n-gram once per length), as a trie: the
/// n-grams of length n are `nodes[n - 1]`, each linked to its prefix one character shorter, each looked
/// up once in the table — all n-grams of two lengths together (lengths 2 and 3, then 4 and 5: independent
/// look-ups, so the processor overlaps their memory reads), and only where the prefix was found (the table
/// is prefix-closed). The sums then take every distinct n-gram once, with no per-position work. The
/// n-grams of lengths 4 and 5 are entered only when a look-up of those lengths is asked for (a text
/// decided on lengths 1 to 3 never needs them).
struct Lookups<'s> {
    scratch: &'s mut Scratch,
    /// Lengths looked up so far.
    done: usize,
    /// Whether the n-grams of lengths 4 and 5 are in the trie.
    long_entered: bool,
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
    /// Length 1: the character's id in the models, `u32::MAX` if none (unused for longer n-grams).
    id: u32,
    /// Its key among the n-grams of lengths 2 to 5 (the `longer_key_part`s of its characters), as a
    /// prefix of longer ones too; [`NO_KEY`] if one of its characters occurs in no such n-gram.
    longer_key: u64,
    /// Its entry, `PackedRow::ABSENT` if none (or not looked up: its prefix has none).
    row: PackedRow,
}

/// No key among the n-grams of lengths 2 to 5 (keys have at most 50 bits).
const NO_KEY: u64 = u64::MAX;

/// One slot of [`TrieIndex`]: a node's key (length, index of its prefix, last character) and its index
/// among the n-grams of its length, valid in the index's current generation only.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u64,
    node: u32,
    generation: u32,
}

/// The trie's index while it is built: open addressing, keyed by (length, index of the prefix, last
/// character). A slot of another generation is empty: a new text starts a new generation instead of
/// zeroing the slots.
#[derive(Default)]
struct TrieIndex {
    slots: Vec<Slot>,
    /// Slots in use for this text (a power of two, at most `slots.len()`) minus one.
    mask: usize,
    shift: u32,
    generation: u32,
}

impl TrieIndex {
    /// Empty the index for at most `ngrams` n-grams: at most two thirds of the slots are ever filled.
    fn reset(&mut self, ngrams: usize) {
        let size = (ngrams.max(4) * 3 / 2).next_power_of_two();
        if self.slots.len() < size {
            self.slots.clear();
            self.slots.resize(size, Slot::default());
            self.generation = 0;
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Every slot may hold any generation after a wrap: empty them all.
            self.slots.fill(Slot::default());
            self.generation = 1;
        }
        self.mask = size - 1;
        self.shift = 64 - size.trailing_zeros();
    }

    /// The index of the n-gram (`order`, `parent`, `last`) among those of its length if it is entered;
    /// else it is entered as `fresh`, which is returned.
    #[inline]
    fn find_or_enter(&mut self, order: usize, parent: u32, last: char, fresh: u32) -> u32 {
        let key = (order as u64) << 53 | u64::from(parent) << 21 | u64::from(last);
        let mut slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        loop {
            let Some(entry) = self.slots.get_mut(slot & self.mask) else {
                return fresh;
            };
            if entry.generation != self.generation {
                *entry = Slot {
                    key,
                    node: fresh,
                    generation: self.generation,
                };
                return fresh;
            }
            if entry.key == key {
                return entry.node;
            }
            slot = slot.wrapping_add(1);
        }
    }
}

/// Enter the n-gram of length `order` with prefix `parent` (its key `prefix_key`) and last character
/// `last` (its `longer_key_part` at position 0 `id`, `NO_KEY` if none): returns its node and key.
#[inline]
fn enter(
    index: &mut TrieIndex,
    list: &mut Vec<Node>,
    order: usize,
    (parent, prefix_key): (u32, u64),
    (last, id): (char, u64),
) -> (u32, u64) {
    let longer_key = if prefix_key == NO_KEY || id == NO_KEY {
        NO_KEY
    } else {
        prefix_key | id << (super::table_format::CHAR_BITS as usize * (order - 1))
    };
    let fresh = list.len() as u32;
    let node = index.find_or_enter(order, parent, last, fresh);
    if node == fresh {
        list.push(Node {
            parent,
            id: u32::MAX,
            longer_key,
            row: PackedRow::ABSENT,
        });
    }
    (node, longer_key)
}

impl<'s> Lookups<'s> {
    /// The trie of the distinct n-grams of lengths 1 to 3 of the words, single characters looked up.
    fn new(words: &Words, scratch: &'s mut Scratch) -> Self {
        let letters = words.char_count();
        // Per length n, at most one n-gram per position with n letters to go in its word.
        let most: usize = words
            .iter()
            .map(|word| {
                (1..=MAX_ORDER)
                    .map(|order| (word.len() + 1).saturating_sub(order))
                    .sum::<usize>()
            })
            .sum();
        let Scratch {
            nodes,
            index,
            ids,
            later,
            backed_off,
            ..
        } = &mut *scratch;
        index.reset(most);
        nodes.iter_mut().for_each(Vec::clear);
        backed_off.iter_mut().for_each(Vec::clear);
        later.clear();
        let [singles, pairs, triples, ..] = nodes;
        // The single letters of ASCII characters by code (`u32::MAX`: not entered yet); others through
        // the index.
        let mut ascii_singles = [u32::MAX; 128];
        for word in words.iter() {
            ids.clear();
            ids.extend(word.iter().map(|&c| {
                let id = char_id(c)
                    .and_then(|id| longer_key_part(id, 0))
                    .unwrap_or(NO_KEY);
                (c, id)
            }));
            for start in 0..ids.len() {
                let Some(&(first, first_id)) = ids.get(start) else {
                    break;
                };
                let fresh = singles.len() as u32;
                let single = match ascii_singles.get_mut(first as usize) {
                    Some(known) if *known != u32::MAX => *known,
                    Some(known) => {
                        *known = fresh;
                        fresh
                    }
                    None => index.find_or_enter(1, 0, first, fresh),
                };
                if single == fresh {
                    let id = char_id(first);
                    singles.push(Node {
                        parent: 0,
                        id: id.unwrap_or(u32::MAX),
                        longer_key: first_id,
                        row: id.and_then(unigram).unwrap_or(PackedRow::ABSENT),
                    });
                }
                let Some(&second) = ids.get(start + 1) else {
                    continue;
                };
                let pair = enter(index, pairs, 2, (single, first_id), second);
                let Some(&third) = ids.get(start + 2) else {
                    continue;
                };
                let (parent, prefix_key) = enter(index, triples, 3, pair, third);
                if let Some(&fourth) = ids.get(start + 3) {
                    let fifth = ids.get(start + 4).copied();
                    later.push(Later {
                        parent,
                        prefix_key,
                        next: [fourth, fifth.unwrap_or(('\0', NO_KEY))],
                        len: 1 + u8::from(fifth.is_some()),
                    });
                }
            }
        }
        Lookups {
            scratch,
            done: 1,
            long_entered: false,
            letters,
            per_order: [[0; 17]; MAX_ORDER],
            unigram_hits: [0; 17],
            summed: [false; MAX_ORDER],
        }
    }

    /// Enter the n-grams of lengths 4 and 5 (at the positions kept for them in `new`).
    fn enter_long(&mut self) {
        let Scratch {
            nodes,
            index,
            later,
            ..
        } = &mut *self.scratch;
        let [_, _, _, fours, fives] = nodes;
        for position in later.iter() {
            let four = enter(
                index,
                fours,
                4,
                (position.parent, position.prefix_key),
                position.next[0],
            );
            if position.len == 2 {
                enter(index, fives, 5, four, position.next[1]);
            }
        }
        self.long_entered = true;
    }

    /// Look up the n-grams of the lengths not yet done, up to `order`.
    fn extend_to(&mut self, order: usize) {
        let order = order.min(MAX_ORDER);
        if order > 3 && !self.long_entered {
            self.enter_long();
        }
        let Scratch {
            nodes,
            keys,
            buckets,
            ..
        } = &mut *self.scratch;
        while self.done < order {
            let next = self.done + 1;
            if next < order {
                // Two lengths together: the memory reads of both overlap.
                match next {
                    2 => look_up_pair::<2, 3>(nodes, keys, buckets),
                    3 => look_up_pair::<3, 4>(nodes, keys, buckets),
                    _ => look_up_pair::<4, 5>(nodes, keys, buckets),
                }
                self.done = next + 1;
                continue;
            }
            let (shorter, rest) = nodes.split_at_mut(next - 1);
            let (Some(prefixes), Some(nodes)) = (shorter.last(), rest.first_mut()) else {
                break;
            };
            let [keys, _] = keys;
            let [buckets, _] = buckets;
            match next {
                2 => look_up_length::<2>(prefixes, nodes, keys, buckets),
                3 => look_up_length::<3>(prefixes, nodes, keys, buckets),
                4 => look_up_length::<4>(prefixes, nodes, keys, buckets),
                _ => look_up_length::<5>(prefixes, nodes, keys, buckets),
            }
            self.done = next;
        }
    }

    /// Lingua's confidence values over the n-grams of lengths `low..=high` (looked up already), sorted.
    fn confidences(&mut self, candidates: u32, low: usize, high: usize) -> Confidences {
        sorted(self.scores(candidates, low, high))
    }

    /// Lingua's scoring over the n-grams of lengths `low..=high` (looked up already): per language and
    /// length, the sum of the (backed-off) log-probabilities of the distinct n-grams; summed over lengths,
    /// divided by the number of the text's distinct letters the language's model knows (when unigrams are
    /// used), exponentiated and normalised. Per language, unsorted.
    fn scores(&mut self, candidates: u32, low: usize, high: usize) -> [f64; 17] {
        self.sum_orders(low, high);
        let per_order = &self.per_order;
        let log_probability = |order: usize, language: usize| {
            let quanta = per_order[order - 1][language];
            if quanta == 0 {
                0.0
            } else {
                -f64::from(quanta) / VALUE_SCALE
            }
        };
        let unigram_hits = &self.unigram_hits;

        let used_orders = (low..=high).filter(|order| self.letters >= *order);
        let mut values = [0.0f64; 17];
        let mut probabilities = [0.0f64; 17];
        let mut present = 0u32;
        for language in languages(candidates) {
            let mut sum: f64 = used_orders
                .clone()
                .map(|order| log_probability(order, language))
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
            return values;
        }
        let denominator: f64 = languages(present)
            .map(|language| probabilities[language])
            .sum();
        if denominator == 0.0 {
            // Every exponent underflowed (very long input): lingua gives 1.0 to the best language of the
            // first length it used.
            let best = languages(candidates)
                .filter(|language| log_probability(low, *language) < 0.0)
                .max_by(|a, b| log_probability(low, *a).total_cmp(&log_probability(low, *b)));
            if let Some(best) = best {
                values[best] = 1.0;
            }
            return values;
        }
        for language in languages(present) {
            values[language] = probabilities[language] / denominator;
        }
        values
    }

    /// Fill `per_order` for the lengths `low..=high` not summed yet (looked up already).
    fn sum_orders(&mut self, low: usize, high: usize) {
        let Scratch {
            nodes, backed_off, ..
        } = &mut *self.scratch;
        for order in 1..=high.min(MAX_ORDER) {
            let wanted = order >= low && !self.summed[order - 1];
            let Some(nodes) = nodes.get(order - 1) else {
                break;
            };
            let (shorter, rest) = backed_off.split_at_mut((order - 1).min(MAX_ORDER - 1));
            let prefixes: &[[u32; 17]] = shorter.last().map_or(&[], |p| p.as_slice());
            let sums = &mut self.per_order[order - 1];
            match rest.first_mut() {
                // Backed off already (for a shorter range of lengths).
                Some(lanes) if lanes.len() == nodes.len() => {
                    if wanted {
                        lanes.iter().for_each(|lanes| add_lanes(sums, lanes));
                    }
                }
                // Kept for the next length.
                Some(lanes) if order < MAX_ORDER => {
                    lanes.clear();
                    if order == 1 {
                        let quanta = unigram_quanta_table();
                        lanes.extend(nodes.iter().map(|node| {
                            // A single character's entry into zeros: a copy of its lanes.
                            let known = node.row.mask != 0;
                            match quanta.get(node.id as usize).filter(|_| known) {
                                Some(quanta) => *quanta,
                                None => [0u32; 17],
                            }
                        }));
                        if wanted {
                            lanes.iter().for_each(|lanes| add_lanes(sums, lanes));
                        }
                    } else if let Some(table) = order_table(order) {
                        lanes.reserve(nodes.len());
                        back_off_each(table, nodes, prefixes, |backed_off| {
                            lanes.push(*backed_off);
                            if wanted {
                                add_lanes(sums, backed_off);
                            }
                        });
                    }
                }
                // The longest n-grams: summed, not kept.
                _ => {
                    if let (true, Some(table)) = (wanted, order_table(order)) {
                        back_off_each(table, nodes, prefixes, |backed_off| {
                            add_lanes(sums, backed_off);
                        });
                    }
                }
            }
            if wanted {
                if order == 1 {
                    count_unigram_hits(&mut self.unigram_hits, nodes);
                }
                self.summed[order - 1] = true;
            }
        }
    }
}

/// Look up the n-grams of length `ORDER` (`nodes`, their prefixes `prefixes`), where the prefix was found.
fn look_up_length<const ORDER: usize>(
    prefixes: &[Node],
    nodes: &mut [Node],
    keys: &mut Vec<(u32, Address)>,
    buckets: &mut Vec<(u32, Bucket)>,
) {
    let Some(table) = order_table(ORDER) else {
        return;
    };
    keys.clear();
    buckets.clear();
    // The tables of the longer n-grams are far larger than the caches: read every directory entry and then
    // every record once in a tight loop first, so that their cache misses overlap, before the look-ups
    // proper read them again from the cache.
    let mut touched = 0u8;
    for (k, node) in nodes.iter().enumerate() {
        // Only where the prefix was found: an n-gram whose prefix no model holds is in none.
        let prefix_found = prefixes
            .get(node.parent as usize)
            .is_some_and(|prefix| prefix.row.mask != 0);
        if prefix_found && node.longer_key != NO_KEY {
            let at = table.address::<ORDER>(node.longer_key);
            touched ^= table.touch_directory(at);
            keys.push((k as u32, at));
        }
    }
    for &(k, at) in keys.iter() {
        if let Some(bucket) = table.bucket(at) {
            buckets.push((k, bucket));
        }
    }
    for &(_, bucket) in buckets.iter() {
        touched ^= table.touch_bucket(bucket);
    }
    std::hint::black_box(touched);
    let mut touched = 0u8;
    for &(k, bucket) in buckets.iter() {
        if let (Some(row), Some(node)) = (table.find(bucket), nodes.get_mut(k as usize)) {
            node.row = row;
            // The values often lie on the record's next cache line: read them ahead too, for the sums.
            touched ^= table.touch_values(row);
        }
    }
    std::hint::black_box(touched);
}

/// The n-grams of lengths up to this are looked up one after the other, without reading their tables
/// ahead: those tables stay in the processor's caches.
const FROM_CACHE: usize = 2;

/// Look up the n-grams of lengths `LOW` and `HIGH` = `LOW + 1` together, as [`look_up_length`] would one
/// length after the other: the memory reads of both lengths are issued before any is waited for. The
/// n-grams of length `HIGH` are read ahead whatever their prefix, but looked up only where their prefix
/// was found, as one length at a time.
fn look_up_pair<const LOW: usize, const HIGH: usize>(
    nodes: &mut [Vec<Node>; MAX_ORDER],
    [low_keys, high_keys]: &mut [Vec<(u32, Address)>; 2],
    [low_buckets, high_buckets]: &mut [Vec<(u32, Bucket)>; 2],
) {
    debug_assert_eq!(LOW + 1, HIGH);
    let (Some(low_table), Some(high_table)) = (order_table(LOW), order_table(HIGH)) else {
        return;
    };
    let (shorter, rest) = nodes.split_at_mut(LOW - 1);
    let (Some(prefixes), [low_nodes, high_nodes, ..]) = (shorter.last(), rest) else {
        return;
    };
    low_keys.clear();
    high_keys.clear();
    low_buckets.clear();
    high_buckets.clear();
    // Only where the prefix was found: an n-gram whose prefix no model holds is in none.
    let low_candidates = |node: &Node| {
        let prefix_found = prefixes
            .get(node.parent as usize)
            .is_some_and(|prefix| prefix.row.mask != 0);
        (prefix_found && node.longer_key != NO_KEY).then_some(node.longer_key)
    };
    if LOW > FROM_CACHE {
        for (k, node) in low_nodes.iter().enumerate() {
            if let Some(key) = low_candidates(node) {
                low_keys.push((k as u32, low_table.address::<LOW>(key)));
            }
        }
    }
    for (k, node) in high_nodes.iter().enumerate() {
        if node.longer_key != NO_KEY {
            high_keys.push((k as u32, high_table.address::<HIGH>(node.longer_key)));
        }
    }
    // Every directory entry, then every record, in tight loops: their cache misses overlap.
    let mut touched = 0u8;
    for &(_, at) in low_keys.iter() {
        touched ^= low_table.touch_directory(at);
    }
    for &(_, at) in high_keys.iter() {
        touched ^= high_table.touch_directory(at);
    }
    for &(k, at) in low_keys.iter() {
        if let Some(bucket) = low_table.bucket(at) {
            low_buckets.push((k, bucket));
        }
    }
    for &(k, at) in high_keys.iter() {
        if let Some(bucket) = high_table.bucket(at) {
            high_buckets.push((k, bucket));
        }
    }
    for &(_, bucket) in low_buckets.iter() {
        touched ^= low_table.touch_bucket(bucket);
    }
    for &(_, bucket) in high_buckets.iter() {
        touched ^= high_table.touch_bucket(bucket);
    }
    std::hint::black_box(touched);
    if LOW <= FROM_CACHE {
        // A table small enough to stay in the caches: looked up at once, while the reads of the longer
        // n-grams' table are under way.
        for node in low_nodes.iter_mut() {
            let row = low_candidates(node).and_then(|key| {
                let at = low_table.address::<LOW>(key);
                low_table
                    .bucket(at)
                    .and_then(|bucket| low_table.find(bucket))
            });
            if let Some(row) = row {
                node.row = row;
            }
        }
    }
    let mut touched = 0u8;
    for &(k, bucket) in low_buckets.iter() {
        if let (Some(row), Some(node)) = (low_table.find(bucket), low_nodes.get_mut(k as usize)) {
            node.row = row;
            touched ^= low_table.touch_values(row);
        }
    }
    for &(k, bucket) in high_buckets.iter() {
        let Some(node) = high_nodes.get_mut(k as usize) else {
            continue;
        };
        let prefix_found = low_nodes
            .get(node.parent as usize)
            .is_some_and(|prefix| prefix.row.mask != 0);
        if let (true, Some(row)) = (prefix_found, high_table.find(bucket)) {
            node.row = row;
            touched ^= high_table.touch_values(row);
        }
    }
    std::hint::black_box(touched);
}

/// Each n-gram's back-off lanes, in turn: its prefix's (zeros if none), overwritten in the languages its
/// own entry holds.
#[inline]
fn back_off_each(
    table: &OrderTable,
    nodes: &[Node],
    prefixes: &[[u32; 17]],
    mut each: impl FnMut(&[u32; 17]),
) {
    let mut lanes = [0u32; 32];
    for node in nodes {
        match prefixes.get(node.parent as usize) {
            Some(prefix) => lanes[..17].copy_from_slice(prefix),
            None => lanes[..17].fill(0),
        }
        if node.row.mask != 0 {
            table.scatter_quanta_wide(node.row, &mut lanes);
        }
        if let Some(backed_off) = lanes.first_chunk::<17>() {
            each(backed_off);
        }
    }
}

/// All 17 lanes at once: a language that knows no prefix adds 0.
#[inline]
fn add_lanes(sums: &mut [u32; 17], lanes: &[u32; 17]) {
    for (sum, value) in sums.iter_mut().zip(lanes) {
        *sum = sum.wrapping_add(*value);
    }
}

/// Per language, add the single characters its model knows (their masks' bits, all lanes at once).
fn count_unigram_hits(hits: &mut [u32; 17], singles: &[Node]) {
    const BITS: [u32; 17] = {
        let mut bits = [0u32; 17];
        let mut language = 0;
        while language < 17 {
            bits[language] = 1 << language;
            language += 1;
        }
        bits
    };
    for node in singles {
        let mask = node.row.mask;
        for (hits, bit) in hits.iter_mut().zip(BITS) {
            *hits += u32::from(mask & bit != 0);
        }
    }
}

#[cfg(test)]
mod tests;
