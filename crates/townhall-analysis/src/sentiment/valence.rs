//! The reference's per-token rules (`sentiment_valence` and the checks it calls), `_but_check` and
//! `score_valence`, on tokens whose words are known by flags and ids (see `words`).

use std::collections::{BTreeSet, HashMap};

use townhall_core::Sentiment;

use super::pystr;
use super::rules::{B_DECR, B_INCR, C_INCR, N_SCALAR};
use super::tokens::{Token, Tokenized, UPPER};
use super::words::{self, BOOST_DOWN, BOOST_UP, NEGATION, VALENCE};

/// Above this many scored tokens the "but" rule switches from the reference's quadratic scan to an
/// index that gives identical results in O(n log n), so very long posts stay cheap.
pub(super) const BUT_QUADRATIC_MAX_TOKENS: usize = 128;

/// The reference's `sentiments` list, keeping only the tokens that `sentiment_valence` scored (lexicon
/// words that are no booster and no "kind" of "kind of"): every other entry is 0, which neither the
/// "but" rule (0 scaled is 0, and no other value equals 0) nor the sums (adding 0 changes no sum that
/// starts at +0) can tell from the scores here.
#[derive(Default)]
pub(super) struct Scores {
    /// Token index of each score.
    positions: Vec<usize>,
    values: Vec<f64>,
}

/// The scores of a text's tokens and "!"/"?" emphasis, as `polarity_scores` returns them.
pub(super) fn polarity(tokenized: &Tokenized, scores: &mut Scores) -> Sentiment {
    let tokens = &tokenized.tokens[..];
    if tokens.is_empty() {
        return Sentiment::default();
    }
    // Caps emphasis counts only when some, but not all, tokens are in capitals.
    let is_cap_diff = tokenized.upper_count > 0 && tokenized.upper_count < tokens.len();

    scores.positions.clear();
    scores.values.clear();
    for &i in &tokenized.lexicon_words {
        let starts_kind_of =
            tokens[i].word == words::KIND && tokens.get(i + 1).is_some_and(|t| t.word == words::OF);
        if !starts_kind_of {
            scores.positions.push(i);
            scores
                .values
                .push(sentiment_valence(tokens, i, is_cap_diff));
        }
    }
    let but_index = if tokenized.ids_seen & 1 << words::BUT != 0 {
        tokens.iter().position(|t| t.word == words::BUT)
    } else {
        None
    };
    if let Some(but_index) = but_index {
        // Scores before `halve_below` come before the "but", those from `grow_from` on after it.
        let halve_below = scores.positions.partition_point(|&p| p < but_index);
        let grow_from = scores.positions.partition_point(|&p| p <= but_index);
        if scores.values.len() <= BUT_QUADRATIC_MAX_TOKENS {
            but_rescale_by_scan(&mut scores.values, halve_below, grow_from);
        } else {
            but_rescale_indexed(&mut scores.values, halve_below, grow_from);
        }
    }
    score_valence(
        &scores.values,
        tokens.len(),
        punctuation_emphasis(tokenized.exclamations, tokenized.questions),
    )
}

/// `SentimentIntensityAnalyzer.sentiment_valence` for the lexicon word at `i`.
fn sentiment_valence(tokens: &[Token], i: usize, is_cap_diff: bool) -> f64 {
    let word = |k: usize| tokens[k].word;
    let lexicon_valence = tokens[i].valence;
    let mut valence = lexicon_valence;

    // "no" before another lexicon word negates that word instead of counting itself.
    if word(i) == words::NO && tokens.get(i + 1).is_some_and(|t| t.flags & VALENCE != 0) {
        valence = 0.0;
    }
    if (i > 0 && word(i - 1) == words::NO)
        || (i > 1 && word(i - 2) == words::NO)
        || (i > 2 && word(i - 3) == words::NO && matches!(word(i - 1), words::OR | words::NOR))
    {
        valence = lexicon_valence * N_SCALAR;
    }

    if tokens[i].flags & UPPER != 0 && is_cap_diff {
        if valence > 0.0 {
            valence += C_INCR;
        } else {
            valence -= C_INCR;
        }
    }

    for start_i in 0..3 {
        if i > start_i && tokens[i - (start_i + 1)].flags & VALENCE == 0 {
            let mut scalar = scalar_inc_dec(&tokens[i - (start_i + 1)], valence, is_cap_diff);
            if start_i == 1 && scalar != 0.0 {
                scalar *= 0.95;
            }
            if start_i == 2 && scalar != 0.0 {
                scalar *= 0.9;
            }
            valence += scalar;
            valence = negation_check(valence, tokens, start_i, i);
            if start_i == 2 {
                valence = special_idioms_check(valence, tokens, i);
            }
        }
    }
    least_check(valence, tokens, i)
}

/// `scalar_inc_dec`: the boost (or dampening) a preceding booster word gives, signed like `valence`.
fn scalar_inc_dec(token: &Token, valence: f64, is_cap_diff: bool) -> f64 {
    let mut scalar = if token.flags & BOOST_UP != 0 {
        B_INCR
    } else if token.flags & BOOST_DOWN != 0 {
        B_DECR
    } else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar *= -1.0;
    }
    if token.flags & UPPER != 0 && is_cap_diff {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

/// `_negation_check` for the word `start_i + 1` places before `i`.
fn negation_check(valence: f64, tokens: &[Token], start_i: usize, i: usize) -> f64 {
    let word = |k: usize| tokens[k].word;
    let negated = |k: usize| tokens[k].flags & NEGATION != 0;
    let so_or_this = |w: u8| w == words::SO || w == words::THIS;
    match start_i {
        0 if negated(i - 1) => valence * N_SCALAR,
        1 if word(i - 2) == words::NEVER && so_or_this(word(i - 1)) => valence * 1.25,
        1 if word(i - 2) == words::WITHOUT && word(i - 1) == words::DOUBT => valence,
        1 if negated(i - 2) => valence * N_SCALAR,
        // The reference's `A and B or C` makes "so"/"this" just before the word enough on its own.
        2 if (word(i - 3) == words::NEVER && so_or_this(word(i - 2)))
            || so_or_this(word(i - 1)) =>
        {
            valence * 1.25
        }
        2 if word(i - 3) == words::WITHOUT
            && (word(i - 2) == words::DOUBT || word(i - 1) == words::DOUBT) =>
        {
            valence
        }
        2 if negated(i - 3) => valence * N_SCALAR,
        _ => valence,
    }
}

/// `_special_idioms_check` (called only with `i >= 3`).
fn special_idioms_check(mut valence: f64, tokens: &[Token], i: usize) -> f64 {
    let word = |k: usize| tokens[k].word;
    let (w3, w2, w1, w0) = (word(i - 3), word(i - 2), word(i - 1), word(i));
    // Same order as the reference: onezero, twoonezero, twoone, threetwoone, threetwo; first hit wins.
    let preceding = words::special_case_bigram(w1, w0)
        .or_else(|| words::special_case_trigram(w2, w1, w0))
        .or_else(|| words::special_case_bigram(w2, w1))
        .or_else(|| words::special_case_trigram(w3, w2, w1))
        .or_else(|| words::special_case_bigram(w3, w2));
    if let Some(value) = preceding {
        valence = value;
    }
    if tokens.len() - 1 > i {
        if let Some(value) = words::special_case_bigram(w0, word(i + 1)) {
            valence = value;
        }
    }
    if tokens.len() - 1 > i + 1 {
        if let Some(value) = words::special_case_trigram(w0, word(i + 1), word(i + 2)) {
            valence = value;
        }
    }
    // Booster/dampener bigrams such as "sort of" before the word (threetwoone has no 3-word key).
    for (first, second) in [(w3, w2), (w2, w1)] {
        if let Some(value) = words::booster_bigram(first, second) {
            valence += value;
        }
    }
    valence
}

/// `_least_check`: "least good" negates, "at least good" and "very least good" do not.
fn least_check(valence: f64, tokens: &[Token], i: usize) -> f64 {
    let previous_is_least =
        i > 0 && tokens[i - 1].flags & VALENCE == 0 && tokens[i - 1].word == words::LEAST;
    if !previous_is_least {
        return valence;
    }
    if i > 1 {
        let before = tokens[i - 2].word;
        if before != words::AT && before != words::VERY {
            return valence * N_SCALAR;
        }
        return valence;
    }
    valence * N_SCALAR
}

/// The reference's `_but_check` loop verbatim: for each position, rescale the *first* entry equal to
/// that entry's current value (`sentiments.index(sentiment)`), which with repeated values is not the
/// position itself; entries before `halve_below` are halved, from `grow_from` on multiplied by 1.5
/// (between the two is the "but" itself).
pub(super) fn but_rescale_by_scan(sentiments: &mut [f64], halve_below: usize, grow_from: usize) {
    for k in 0..sentiments.len() {
        let value = sentiments[k];
        let first = sentiments[..=k]
            .iter()
            .position(|&s| s == value)
            .unwrap_or(k);
        if first < halve_below {
            sentiments[first] = value * 0.5;
        } else if first >= grow_from {
            sentiments[first] = value * 1.5;
        }
    }
}

/// Same result as [`but_rescale_by_scan`], finding first occurrences through an index by value.
pub(super) fn but_rescale_indexed(sentiments: &mut [f64], halve_below: usize, grow_from: usize) {
    // Python compares numbers, so 0.0 and -0.0 are one key.
    let key = |value: f64| if value == 0.0 { 0 } else { value.to_bits() };
    let mut positions: HashMap<u64, BTreeSet<usize>> = HashMap::new();
    for (at, &value) in sentiments.iter().enumerate() {
        positions.entry(key(value)).or_default().insert(at);
    }
    for k in 0..sentiments.len() {
        let value = sentiments[k];
        let first = positions
            .get(&key(value))
            .and_then(|set| set.first().copied())
            .unwrap_or(k);
        let rescaled = if first < halve_below {
            value * 0.5
        } else if first >= grow_from {
            value * 1.5
        } else {
            continue;
        };
        if key(rescaled) != key(value) {
            if let Some(set) = positions.get_mut(&key(value)) {
                set.remove(&first);
            }
            positions.entry(key(rescaled)).or_default().insert(first);
        }
        sentiments[first] = rescaled;
    }
}

/// `score_valence` from the scored tokens' values (in token order) and the token count: every other
/// token scored 0.
fn score_valence(scored: &[f64], token_count: usize, emphasis: f64) -> Sentiment {
    let mut sum = scored.iter().fold(0.0, |acc, &s| acc + s);
    if sum > 0.0 {
        sum += emphasis;
    } else if sum < 0.0 {
        sum -= emphasis;
    }
    let compound = normalize(sum);

    let mut pos_sum = 0.0;
    let mut neg_sum = 0.0;
    let mut neu_count = token_count - scored.len();
    for &s in scored {
        // +1 / -1 compensate for neutral words being counted as 1.
        if s > 0.0 {
            pos_sum += s + 1.0;
        }
        if s < 0.0 {
            neg_sum += s - 1.0;
        }
        if s == 0.0 {
            neu_count += 1;
        }
    }
    if pos_sum > f64::abs(neg_sum) {
        pos_sum += emphasis;
    } else if pos_sum < f64::abs(neg_sum) {
        neg_sum -= emphasis;
    }
    let neu_count = neu_count as f64;
    let total = pos_sum + f64::abs(neg_sum) + neu_count;
    Sentiment {
        compound: pystr::round(compound, 4),
        pos: pystr::round(f64::abs(pos_sum / total), 3),
        neu: pystr::round(f64::abs(neu_count / total), 3),
        neg: pystr::round(f64::abs(neg_sum / total), 3),
    }
}

/// `_punctuation_emphasis`: up to four "!" add 0.292 each; two or three "?" add 0.18 each, more add 0.96.
fn punctuation_emphasis(exclamations: usize, questions: usize) -> f64 {
    let exclamation_amplifier = exclamations.min(4) as f64 * 0.292;
    let question_amplifier = match questions {
        0 | 1 => 0.0,
        2 | 3 => questions as f64 * 0.18,
        _ => 0.96,
    };
    exclamation_amplifier + question_amplifier
}

/// `normalize` with alpha = 15: maps a sum of valences into [-1, 1].
pub(super) fn normalize(score: f64) -> f64 {
    let normalized = score / (score * score + 15.0).sqrt();
    normalized.clamp(-1.0, 1.0)
}
