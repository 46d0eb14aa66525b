//! Fitting: vocabulary (phrases, document-frequency limits), TF-IDF rows, the rows NMF learns from, and the
//! automatic choice of the number of topics.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::coherence::{intersection_size, npmi_from_counts, COHERENCE_TOP_TERMS};
use super::lexicon::{find_phrases, merge_terms, tokenize_corpus, Lexicon, PhraseRule};
use super::matrix::Csr;
use super::nmf::{factorize, NmfOptions};
use super::TopicConfig;

/// Posts subsampled for choosing the number of topics automatically.
const AUTO_K_SAMPLE: usize = 20_000;
/// Topic counts tried at most when choosing automatically.
const AUTO_K_CANDIDATES: usize = 6;

pub(crate) fn nmf_options(config: &TopicConfig) -> NmfOptions {
    NmfOptions {
        max_iter: config.max_iter,
        tol: config.tol,
        seed: config.seed,
    }
}

/// `count` indices spread evenly over `0..n` (all of them when `n <= count`).
pub(crate) fn even_sample(n: usize, count: usize) -> Vec<usize> {
    if n <= count {
        return (0..n).collect();
    }
    (0..count).map(|i| i * n / count).collect()
}

/// The fitted vocabulary and the TF-IDF matrix of the fitted posts.
pub(crate) struct Prepared {
    pub(crate) lexicon: Lexicon,
    pub(crate) vocabulary: Vec<String>,
    pub(crate) idf: Vec<f32>,
    pub(crate) x: Csr,
}

pub(crate) fn prepare(docs: &[&str], config: &TopicConfig) -> Prepared {
    let corpus = tokenize_corpus(docs);
    let rule = PhraseRule {
        min_count: config.phrase_min_count,
        min_npmi: config.phrase_min_npmi,
    };
    let phrases = find_phrases(&corpus, rule);
    let word_count = corpus.words.len();
    // Unified term ids: words are 0..W, phrases W + their index.
    let phrase_ids: FxHashMap<(u32, u32), u32> = phrases
        .iter()
        .enumerate()
        .map(|(i, &pair)| (pair, to_u32(word_count + i)))
        .collect();
    let doc_terms: Vec<Vec<u32>> = corpus
        .docs
        .par_iter()
        .map(|ids| {
            let mut out = Vec::with_capacity(ids.len());
            merge_terms(ids, |a, b| phrase_ids.get(&(a, b)).copied(), Some, &mut out);
            out.sort_unstable();
            out
        })
        .collect();

    let total_terms = word_count + phrases.len();
    let mut df = vec![0usize; total_terms];
    for terms in &doc_terms {
        let mut previous = None;
        for &t in terms {
            if previous != Some(t) {
                df[t as usize] += 1;
            }
            previous = Some(t);
        }
    }
    let max_df = (config.max_df_ratio * docs.len() as f64).floor() as usize;
    let mut kept: Vec<u32> = (0..total_terms)
        .filter(|&t| df[t] >= config.min_df.max(1) && df[t] <= max_df.max(1))
        .map(to_u32)
        .collect();
    if kept.len() > config.max_terms {
        kept.sort_by(|&a, &b| df[b as usize].cmp(&df[a as usize]).then(a.cmp(&b)));
        kept.truncate(config.max_terms);
        kept.sort_unstable();
    }
    let mut vocab_of = vec![None; total_terms];
    let mut vocabulary = Vec::with_capacity(kept.len());
    let mut idf = Vec::with_capacity(kept.len());
    let n = docs.len() as f64;
    for (vocab_id, &t) in kept.iter().enumerate() {
        vocab_of[t as usize] = Some(to_u32(vocab_id));
        let text = match (t as usize).checked_sub(word_count) {
            None => corpus.words[t as usize].clone(),
            Some(p) => {
                let (a, b) = phrases[p];
                format!("{} {}", corpus.words[a as usize], corpus.words[b as usize])
            }
        };
        vocabulary.push(text);
        // Smoothed IDF, as scikit-learn's TfidfVectorizer(smooth_idf=True).
        idf.push((((1.0 + n) / (1.0 + df[t as usize] as f64)).ln() + 1.0) as f32);
    }
    let lexicon = Lexicon::new(
        &corpus.words,
        &phrases,
        &vocab_of[..word_count],
        &vocab_of[word_count..],
    );

    let rows: Vec<(Vec<u32>, Vec<f32>)> = doc_terms
        .par_iter()
        .map(|terms| {
            let mut mapped: Vec<u32> = terms.iter().filter_map(|&t| vocab_of[t as usize]).collect();
            let (mut indices, mut values) = (Vec::new(), Vec::new());
            weigh(&mut mapped, &idf, &mut indices, &mut values);
            (indices, values)
        })
        .collect();
    let mut x = Csr {
        cols: vocabulary.len(),
        indptr: Vec::with_capacity(rows.len() + 1),
        ..Csr::default()
    };
    x.indptr.push(0);
    for (indices, values) in rows {
        x.indices.extend(indices);
        x.values.extend(values);
        x.indptr.push(x.indices.len());
    }
    Prepared {
        lexicon,
        vocabulary,
        idf,
        x,
    }
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// TF-IDF of one post from its term ids (any order, repeats counted): sublinear term frequency (1 + ln tf)
/// times IDF, scaled to unit length. Fills `indices` (ascending) and `values`.
pub(crate) fn weigh(terms: &mut [u32], idf: &[f32], indices: &mut Vec<u32>, values: &mut Vec<f32>) {
    terms.sort_unstable();
    indices.clear();
    values.clear();
    let mut i = 0;
    while i < terms.len() {
        let term = terms[i];
        let mut j = i;
        while j < terms.len() && terms[j] == term {
            j += 1;
        }
        let tf = (j - i) as f32;
        let sublinear = if j - i == 1 { 1.0 } else { 1.0 + tf.ln() };
        indices.push(term);
        values.push(sublinear * idf[term as usize]);
        i = j;
    }
    let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for v in values.iter_mut() {
            *v /= norm;
        }
    }
}

/// Picks the topic count in `min..=max` with the highest mean NPMI of topics fitted on a sample.
pub(crate) fn choose_topic_count(
    docs: &[&str],
    config: &TopicConfig,
    min: usize,
    max: usize,
) -> usize {
    let (min, max) = (min.max(1), max.max(min.max(1)));
    let sample: Vec<&str> = even_sample(docs.len(), AUTO_K_SAMPLE)
        .into_iter()
        .map(|i| docs[i])
        .collect();
    let prepared = prepare(&sample, config);
    let informative = informative_rows(&prepared.x, config.min_fit_terms);
    let xt = informative.transpose();
    let postings = term_postings(&prepared.x);
    let span = max - min;
    let steps = span.min(AUTO_K_CANDIDATES.saturating_sub(1));
    let mut candidates: Vec<usize> = (0..=steps)
        .map(|i| min + (i * span).checked_div(steps).unwrap_or(0))
        .collect();
    candidates.dedup();
    // Candidates are independent: fit them side by side (each fit is only partly parallel inside).
    let means: Vec<Option<f64>> = candidates
        .par_iter()
        .map(|&k| {
            let factors = factorize(&informative, &xt, k, nmf_options(config));
            let scores: Vec<f64> = (0..factors.k)
                .filter_map(|c| {
                    let top = top_terms(&factors.ht, factors.k, c, COHERENCE_TOP_TERMS);
                    topic_npmi(&postings, prepared.x.rows(), &top)
                })
                .collect();
            (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
        })
        .collect();
    let mut best = (f64::NEG_INFINITY, min);
    for (k, mean) in candidates.iter().zip(means) {
        if let Some(mean) = mean {
            if mean > best.0 {
                best = (mean, *k);
            }
        }
    }
    best.1
}

/// The rows the factorisation learns from: posts with at least `min_terms` distinct terms (a post of one or two
/// words says nothing about which terms go together), each distinct post once (reposts and copy-paste campaigns
/// would otherwise become topics of their own by sheer weight).
pub(crate) fn informative_rows(x: &Csr, min_terms: usize) -> Csr {
    let mut seen: FxHashSet<&[u32]> = FxHashSet::default();
    let mut out = Csr {
        cols: x.cols,
        indptr: vec![0],
        ..Csr::default()
    };
    for r in 0..x.rows() {
        let (indices, values) = x.row(r);
        if indices.len() >= min_terms.max(1) && seen.insert(indices) {
            out.indices.extend_from_slice(indices);
            out.values.extend_from_slice(values);
            out.indptr.push(out.indices.len());
        }
    }
    out
}

/// Per vocabulary term, the (ascending) rows that contain it.
pub(crate) fn term_postings(x: &Csr) -> Vec<Vec<u32>> {
    let xt = x.transpose();
    (0..xt.rows()).map(|t| xt.row(t).0.to_vec()).collect()
}

/// Mean NPMI over pairs of `terms` (vocabulary ids) using document postings.
pub(crate) fn topic_npmi(
    postings: &[Vec<u32>],
    documents: usize,
    terms: &[(u32, f64)],
) -> Option<f64> {
    let mut sum = 0.0;
    let mut pairs = 0usize;
    for (i, &(a, _)) in terms.iter().enumerate() {
        for &(b, _) in &terms[i + 1..] {
            let (pa, pb) = (&postings[a as usize], &postings[b as usize]);
            sum += npmi_from_counts(documents, pa.len(), pb.len(), intersection_size(pa, pb));
            pairs += 1;
        }
    }
    (pairs > 0).then(|| sum / pairs as f64)
}

/// The `count` strongest terms of component `c` (positive weights only), strongest first.
pub(crate) fn top_terms(ht: &[f64], k: usize, c: usize, count: usize) -> Vec<(u32, f64)> {
    let mut terms: Vec<(u32, f64)> = ht
        .chunks(k.max(1))
        .enumerate()
        .filter_map(|(t, row)| (row[c] > 0.0).then_some((to_u32(t), row[c])))
        .collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    terms.truncate(count);
    terms
}
