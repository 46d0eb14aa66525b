//! The analyser as it was before tokens carried flags and ids (commit 9c26256), on the simple general
//! path only (`str.split()`, `_strip_punc_if_word`, `str.lower()`, a hash map look-up per word): the
//! property tests hold the fast path to it.

use std::borrow::Cow;

use townhall_core::Sentiment;

use super::rules::{self, C_INCR, N_SCALAR};
use super::valence::{
    but_rescale_by_scan, but_rescale_indexed, normalize, BUT_QUADRATIC_MAX_TOKENS,
};
use super::{pystr, Vader};

/// One whitespace-separated token with what the rules ask of it, computed once.
struct Token<'t> {
    lower: Cow<'t, str>,
    /// Lexicon valence of the lower-cased token.
    valence: Option<f64>,
    is_upper: bool,
    /// Booster / dampener value of the lower-cased token (`rules::booster`), looked up once.
    booster: Option<f64>,
}

/// Each emoji of the lexicon replaced by its description, spaced as the reference does (it also strips
/// the result, which changes nothing here).
fn replace_emoji(vader: &Vader, text: &str) -> String {
    let mut out = String::new();
    let mut prev_space = true;
    for ch in text.chars() {
        match vader.emoji.descriptions.get(&ch) {
            Some(description) => {
                if !prev_space {
                    out.push(' ');
                }
                out.push_str(description);
                prev_space = false;
            }
            None => {
                out.push(ch);
                prev_space = ch == ' ';
            }
        }
    }
    out
}

/// `polarity_scores` as the reference computes it.
pub(super) fn polarity_scores(vader: &Vader, text: &str) -> Sentiment {
    let text = replace_emoji(vader, text);
    let tokens: Vec<Token<'_>> = pystr::split_whitespace(&text)
        .map(pystr::strip_punc_if_word_simple)
        .map(|word| {
            let lower = pystr::lower(word);
            Token {
                valence: vader.lexicon.get(lower.as_ref()).copied(),
                is_upper: pystr::is_upper(word),
                booster: rules::booster(&lower),
                lower,
            }
        })
        .collect();
    if tokens.is_empty() {
        return Sentiment::default();
    }
    let upper_count = tokens.iter().filter(|t| t.is_upper).count();
    let is_cap_diff = upper_count > 0 && upper_count < tokens.len();

    let mut sentiments = Vec::with_capacity(tokens.len());
    for i in 0..tokens.len() {
        let item = tokens[i].lower.as_ref();
        let starts_kind_of =
            item == "kind" && tokens.get(i + 1).is_some_and(|next| next.lower == "of");
        if tokens[i].booster.is_some() || starts_kind_of {
            sentiments.push(0.0);
        } else {
            sentiments.push(sentiment_valence(&tokens, i, is_cap_diff));
        }
    }
    but_check(&tokens, &mut sentiments);
    score_valence(&sentiments, &text)
}

/// `SentimentIntensityAnalyzer.sentiment_valence` for the token at `i`.
fn sentiment_valence(tokens: &[Token<'_>], i: usize, is_cap_diff: bool) -> f64 {
    let Some(lexicon_valence) = tokens[i].valence else {
        return 0.0;
    };
    let word = |k: usize| tokens[k].lower.as_ref();
    let mut valence = lexicon_valence;

    // "no" before another lexicon word negates that word instead of counting itself.
    if word(i) == "no" && i + 1 < tokens.len() && tokens[i + 1].valence.is_some() {
        valence = 0.0;
    }
    if (i > 0 && word(i - 1) == "no")
        || (i > 1 && word(i - 2) == "no")
        || (i > 2 && word(i - 3) == "no" && matches!(word(i - 1), "or" | "nor"))
    {
        valence = lexicon_valence * N_SCALAR;
    }

    if tokens[i].is_upper && is_cap_diff {
        if valence > 0.0 {
            valence += C_INCR;
        } else {
            valence -= C_INCR;
        }
    }

    for start_i in 0..3 {
        if i > start_i && tokens[i - (start_i + 1)].valence.is_none() {
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
fn scalar_inc_dec(token: &Token<'_>, valence: f64, is_cap_diff: bool) -> f64 {
    let Some(mut scalar) = token.booster else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar *= -1.0;
    }
    if token.is_upper && is_cap_diff {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

/// `_negation_check` for the word `start_i + 1` places before `i`.
fn negation_check(valence: f64, tokens: &[Token<'_>], start_i: usize, i: usize) -> f64 {
    let word = |k: usize| tokens[k].lower.as_ref();
    let so_or_this = |w: &str| w == "so" || w == "this";
    match start_i {
        0 if rules::is_negation(word(i - 1)) => valence * N_SCALAR,
        1 if word(i - 2) == "never" && so_or_this(word(i - 1)) => valence * 1.25,
        1 if word(i - 2) == "without" && word(i - 1) == "doubt" => valence,
        1 if rules::is_negation(word(i - 2)) => valence * N_SCALAR,
        // The reference's `A and B or C` makes "so"/"this" just before the word enough on its own.
        2 if (word(i - 3) == "never" && so_or_this(word(i - 2))) || so_or_this(word(i - 1)) => {
            valence * 1.25
        }
        2 if word(i - 3) == "without" && (word(i - 2) == "doubt" || word(i - 1) == "doubt") => {
            valence
        }
        2 if rules::is_negation(word(i - 3)) => valence * N_SCALAR,
        _ => valence,
    }
}

/// `_special_idioms_check` (called only with `i >= 3`).
fn special_idioms_check(mut valence: f64, tokens: &[Token<'_>], i: usize) -> f64 {
    let word = |k: usize| tokens[k].lower.as_ref();
    let (w3, w2, w1, w0) = (word(i - 3), word(i - 2), word(i - 1), word(i));
    // Same order as the reference: onezero, twoonezero, twoone, threetwoone, threetwo; first hit wins.
    let preceding = rules::special_case_bigram(w1, w0)
        .or_else(|| rules::special_case_trigram(w2, w1, w0))
        .or_else(|| rules::special_case_bigram(w2, w1))
        .or_else(|| rules::special_case_trigram(w3, w2, w1))
        .or_else(|| rules::special_case_bigram(w3, w2));
    if let Some(value) = preceding {
        valence = value;
    }
    if tokens.len() - 1 > i {
        if let Some(value) = rules::special_case_bigram(w0, word(i + 1)) {
            valence = value;
        }
    }
    if tokens.len() - 1 > i + 1 {
        if let Some(value) = rules::special_case_trigram(w0, word(i + 1), word(i + 2)) {
            valence = value;
        }
    }
    // Booster/dampener bigrams such as "sort of" before the word (threetwoone has no 3-word key).
    for (first, second) in [(w3, w2), (w2, w1)] {
        if let Some(value) = rules::booster_bigram(first, second) {
            valence += value;
        }
    }
    valence
}

/// `_least_check`: "least good" negates, "at least good" and "very least good" do not.
fn least_check(valence: f64, tokens: &[Token<'_>], i: usize) -> f64 {
    let previous_is_least =
        i > 0 && tokens[i - 1].valence.is_none() && tokens[i - 1].lower == "least";
    if !previous_is_least {
        return valence;
    }
    if i > 1 {
        let before = tokens[i - 2].lower.as_ref();
        if before != "at" && before != "very" {
            return valence * N_SCALAR;
        }
        return valence;
    }
    valence * N_SCALAR
}

/// `_but_check`: scores before the first "but" are halved, after it multiplied by 1.5.
fn but_check(tokens: &[Token<'_>], sentiments: &mut [f64]) {
    let Some(but_index) = tokens.iter().position(|t| t.lower == "but") else {
        return;
    };
    if sentiments.len() <= BUT_QUADRATIC_MAX_TOKENS {
        but_rescale_by_scan(sentiments, but_index, but_index + 1);
    } else {
        but_rescale_indexed(sentiments, but_index, but_index + 1);
    }
}

/// `score_valence`: compound and proportions from the per-token scores and the punctuation emphasis.
fn score_valence(sentiments: &[f64], text: &str) -> Sentiment {
    let mut sum = sentiments.iter().fold(0.0, |acc, &s| acc + s);
    let emphasis = punctuation_emphasis(text);
    if sum > 0.0 {
        sum += emphasis;
    } else if sum < 0.0 {
        sum -= emphasis;
    }
    let compound = normalize(sum);

    let mut pos_sum = 0.0;
    let mut neg_sum = 0.0;
    let mut neu_count = 0usize;
    for &s in sentiments {
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
fn punctuation_emphasis(text: &str) -> f64 {
    let exclamations = text.bytes().filter(|&b| b == b'!').count().min(4);
    let questions = text.bytes().filter(|&b| b == b'?').count();
    let exclamation_amplifier = exclamations as f64 * 0.292;
    let question_amplifier = match questions {
        0 | 1 => 0.0,
        2 | 3 => questions as f64 * 0.18,
        _ => 0.96,
    };
    exclamation_amplifier + question_amplifier
}
