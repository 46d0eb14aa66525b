//! The scorer against the simpler code it replaced and against lingua's own look-ups.

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

/// The values, best first, ties in lingua's order, by sorting them all (as before `sorted`).
fn sorted_before(values: [f64; 17]) -> Confidences {
    let mut list: Confidences = values.iter().copied().enumerate().collect();
    list.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(LINGUA_RANK[a.0].cmp(&LINGUA_RANK[b.0]))
    });
    list
}

/// The scoring as it was before `Lookups::scores`: from the sums of every length (all converted to
/// log-probabilities first), sorted with `sorted_before`.
fn confidences_before(
    per_order: &[[u32; 17]; MAX_ORDER],
    unigram_hits: &[u32; 17],
    letters: usize,
    candidates: u32,
    low: usize,
    high: usize,
) -> Confidences {
    let per_order = per_order.map(|sums| {
        sums.map(|quanta| {
            if quanta == 0 {
                0.0
            } else {
                -f64::from(quanta) / VALUE_SCALE
            }
        })
    });
    let used_orders = (low..=high).filter(|order| letters >= *order);
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
        return sorted_before(values);
    }
    let denominator: f64 = languages(present)
        .map(|language| probabilities[language])
        .sum();
    if denominator == 0.0 {
        let best = languages(candidates)
            .filter(|language| per_order[low - 1][*language] < 0.0)
            .max_by(|a, b| per_order[low - 1][*a].total_cmp(&per_order[low - 1][*b]));
        if let Some(best) = best {
            values[best] = 1.0;
        }
        return sorted_before(values);
    }
    for language in languages(present) {
        values[language] = probabilities[language] / denominator;
    }
    sorted_before(values)
}

/// Scores of every kind the sort can meet: zeros of both signs, ties, negatives, NaNs, extremes.
fn any_score() -> impl proptest::strategy::Strategy<Value = f64> {
    use proptest::prelude::*;
    prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(1.0),
        Just(0.25),
        Just(f64::NAN),
        Just(-f64::NAN),
        Just(f64::INFINITY),
        Just(f64::MIN_POSITIVE),
        0.0f64..1.0,
        any::<f64>(),
    ]
}

/// Sums so large that every exponent underflows take lingua's fallback (the best language of the
/// first length gets 1.0), with and without unigrams.
#[test]
fn underflowing_scores_equal_the_former_ones() {
    let mut per_order = [[0u32; 17]; MAX_ORDER];
    for (order, sums) in per_order.iter_mut().enumerate() {
        for (language, sum) in sums.iter_mut().enumerate() {
            *sum = if language % 5 == 0 {
                0
            } else {
                3_000_000 + (language as u32 * 7919 + order as u32 * 13) % 5
            };
        }
    }
    let unigram_hits = [1u32; 17];
    let mut scratch = Scratch::default();
    let words = Words::of("x");
    let mut lookups = Lookups::new(&words, &mut scratch);
    lookups.per_order = per_order;
    lookups.unigram_hits = unigram_hits;
    lookups.summed = [true; MAX_ORDER];
    lookups.letters = 500;
    let mut winners = HashSet::new();
    for (low, high) in [(1, 3), (1, MAX_ORDER), (3, 3)] {
        for candidates in [ALL, latin_languages(), 0b1011_0110_0000_0110] {
            let ours = lookups.confidences(candidates, low, high);
            let before = confidences_before(&per_order, &unigram_hits, 500, candidates, low, high);
            assert_eq!(ours, before);
            assert_eq!(ours[0].1, 1.0);
            winners.insert(ours[0].0);
        }
    }
    assert!(winners.len() > 1, "{winners:?}");
}

/// A very long text is scored, but its working memory is not kept for the thread; an ordinary one's is.
#[test]
fn only_ordinary_texts_keep_their_scratch() {
    let kept_slots = || {
        SCRATCH.with(|cell| {
            let scratch = cell.take();
            let slots = scratch.as_ref().map(|scratch| scratch.index.slots.len());
            cell.set(scratch);
            slots
        })
    };
    let score = |text: &str| {
        let words = Words::of(text);
        with_scratch(|scratch| {
            let mut lookups = Lookups::new(&words, scratch);
            lookups.extend_to(MAX_ORDER);
            lookups.confidences(ALL, 1, MAX_ORDER)
        })
    };
    let ordinary = score("the quick brown fox jumps over the lazy dog");
    assert!(ordinary[0].1 > 0.0);
    assert!(kept_slots().is_some_and(|slots| slots <= MAX_KEPT_SLOTS));
    let long = score(&"abcdefghij ".repeat(4_000));
    assert!(long[0].1 > 0.0);
    assert_eq!(kept_slots(), None);
}

/// The trie's index after its generation counter wraps (every slot emptied), and texts scored one
/// after the other with one scratch, give the sums computed without them.
#[test]
fn sums_stay_right_across_texts_and_a_generation_wrap() {
    let texts = [
        "the quick brown fox jumps over the lazy dog",
        "der schnelle braune fuchs springt über den faulen hund",
        "el rápido zorro marrón salta sobre el perro perezoso",
        "the the the and and other others",
    ];
    let mut scratch = Scratch::default();
    for (round, text) in texts.iter().cycle().take(12).enumerate() {
        if round == 5 {
            scratch.index.generation = u32::MAX;
        }
        let words = Words::of(text);
        let calls = [(1, 3), (1, MAX_ORDER)];
        let before = sums_before(&words, ALL, &calls);
        let mut lookups = Lookups::new(&words, &mut scratch);
        for (low, high) in calls {
            lookups.extend_to(high);
            lookups.sum_orders(low, high);
        }
        assert_eq!(lookups.per_order, before.0, "{text}");
        assert_eq!(lookups.unigram_hits, before.1, "{text}");
        assert!(lookups.per_order[MAX_ORDER - 1].iter().any(|sum| *sum > 0));
    }
    assert_eq!(scratch.index.generation, 7);
}

proptest::proptest! {
    /// The split sort equals the full one (bit for bit: NaNs compare by their bits).
    #[test]
    fn sorted_equals_the_full_sort(values in proptest::array::uniform17(any_score())) {
        let bits = |list: Confidences| -> Vec<(usize, u64)> {
            list.into_iter().map(|(language, value)| (language, value.to_bits())).collect()
        };
        proptest::prop_assert_eq!(bits(sorted(values)), bits(sorted_before(values)));
    }
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
            // This thread's scratch, as the scorer uses it: left over from the cases before.
            let (per_order, unigram_hits, scored) = with_scratch(|scratch| {
                let mut lookups = Lookups::new(&words, scratch);
                let mut scored = Vec::new();
                for &(low, high) in calls {
                    lookups.extend_to(high);
                    scored.push((low, high, lookups.confidences(candidates, low, high)));
                }
                (lookups.per_order, lookups.unigram_hits, scored)
            });
            for language in languages(candidates) {
                for order in 1..=MAX_ORDER {
                    proptest::prop_assert_eq!(
                        per_order[order - 1][language],
                        before.0[order - 1][language],
                        "order {} language {}", order, language
                    );
                }
                proptest::prop_assert_eq!(unigram_hits[language], before.1[language]);
            }
            // The scoring from the sums, as it was.
            for (low, high, confidences) in scored {
                let expected = confidences_before(
                    &per_order, &unigram_hits, words.char_count(), candidates, low, high,
                );
                proptest::prop_assert_eq!(confidences, expected);
            }
        }
    }
}
