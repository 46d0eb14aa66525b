//! Topic coherence: normalised pointwise mutual information (NPMI, Bouma 2009) of a topic's top terms, from
//! document co-occurrence in a reference corpus, averaged over term pairs (Aletras & Stevenson 2013; Röder et
//! al. 2015's C_NPMI with whole documents as the window). Zero co-occurrence is smoothed with ε = 10⁻¹² as in
//! gensim and Palmetto, so such a pair scores close to (not exactly) −1.

use rustc_hash::FxHashMap;

/// Added to the joint probability so that never-co-occurring pairs have a finite score.
pub const NPMI_EPSILON: f64 = 1e-12;

/// How many top terms per topic coherence is usually reported for.
pub const COHERENCE_TOP_TERMS: usize = 10;

/// Which documents of a reference corpus contain each term (each document counted once per term).
#[derive(Debug, Clone, Default)]
pub struct CoOccurrence {
    documents: usize,
    postings: FxHashMap<String, Vec<u32>>,
}

impl CoOccurrence {
    /// Indexes documents given as their terms (repeats within a document are ignored).
    pub fn new<D, T>(documents: D) -> Self
    where
        D: IntoIterator,
        D::Item: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        let mut index = CoOccurrence::default();
        for (doc, terms) in documents.into_iter().enumerate() {
            let doc = u32::try_from(doc).unwrap_or(u32::MAX);
            for term in terms {
                let postings = index.postings.entry(term.as_ref().to_owned()).or_default();
                if postings.last() != Some(&doc) {
                    postings.push(doc);
                }
            }
            index.documents += 1;
        }
        index
    }

    /// Number of documents indexed.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// Documents that contain `term`.
    pub fn document_frequency(&self, term: &str) -> usize {
        self.postings.get(term).map_or(0, Vec::len)
    }

    /// Documents that contain both terms.
    pub fn joint_frequency(&self, a: &str, b: &str) -> usize {
        match (self.postings.get(a), self.postings.get(b)) {
            (Some(x), Some(y)) => intersection_size(x, y),
            _ => 0,
        }
    }

    /// NPMI of two terms, in [−1, 1]. A term that never occurs gives −1 (no evidence that they go together).
    pub fn pair_npmi(&self, a: &str, b: &str) -> f64 {
        npmi_from_counts(
            self.documents,
            self.document_frequency(a),
            self.document_frequency(b),
            self.joint_frequency(a, b),
        )
    }

    /// Mean NPMI over all pairs of `terms` (the caller passes a topic's top terms, usually 10); `None` for fewer
    /// than two terms.
    pub fn npmi<S: AsRef<str>>(&self, terms: &[S]) -> Option<f64> {
        let mut sum = 0.0;
        let mut pairs = 0usize;
        for (i, a) in terms.iter().enumerate() {
            for b in &terms[i + 1..] {
                sum += self.pair_npmi(a.as_ref(), b.as_ref());
                pairs += 1;
            }
        }
        (pairs > 0).then(|| sum / pairs as f64)
    }
}

/// NPMI coherence of each topic (its first `top_n` terms) over `documents` (each given as its terms). Topics
/// with fewer than two terms score `None`.
pub fn npmi_coherence<T, S, D, U>(topics: &[T], documents: D, top_n: usize) -> Vec<Option<f64>>
where
    T: AsRef<[S]>,
    S: AsRef<str>,
    D: IntoIterator,
    D::Item: IntoIterator<Item = U>,
    U: AsRef<str>,
{
    let index = CoOccurrence::new(documents);
    topics
        .iter()
        .map(|topic| {
            let terms = topic.as_ref();
            index.npmi(&terms[..terms.len().min(top_n)])
        })
        .collect()
}

/// NPMI from document counts: `n` documents, `df_a` and `df_b` containing each term, `df_ab` both.
pub(crate) fn npmi_from_counts(n: usize, df_a: usize, df_b: usize, df_ab: usize) -> f64 {
    if n == 0 || df_a == 0 || df_b == 0 {
        return -1.0;
    }
    let n = n as f64;
    let p_a = df_a as f64 / n;
    let p_b = df_b as f64 / n;
    let p_ab = df_ab as f64 / n + NPMI_EPSILON;
    let denominator = -p_ab.ln();
    if denominator <= 0.0 {
        return 1.0; // both terms in every document
    }
    ((p_ab / (p_a * p_b)).ln() / denominator).clamp(-1.0, 1.0)
}

pub(crate) fn intersection_size(a: &[u32], b: &[u32]) -> usize {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.len() * 16 < large.len() {
        return small
            .iter()
            .filter(|x| large.binary_search(x).is_ok())
            .count();
    }
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < small.len() && j < large.len() {
        match small[i].cmp(&large[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tiny() -> CoOccurrence {
        CoOccurrence::new(vec![
            vec!["a", "b"],
            vec!["a", "b", "a"],
            vec!["a", "c"],
            vec!["c"],
        ])
    }

    #[test]
    fn hand_computed_pairs() {
        let index = tiny();
        assert_eq!(index.documents(), 4);
        assert_eq!(index.document_frequency("a"), 3);
        assert_eq!(index.joint_frequency("a", "b"), 2);
        // P(a)=3/4, P(b)=1/2, P(a,b)=1/2: ln((1/2)/(3/8)) / −ln(1/2) = ln(4/3)/ln 2.
        let ab = (4.0f64 / 3.0).ln() / 2f64.ln();
        assert!((index.pair_npmi("a", "b") - ab).abs() < 1e-9);
        // P(c)=1/2, P(a,c)=1/4: ln((1/4)/(3/8)) / −ln(1/4) = ln(2/3)/ln 4.
        let ac = (2.0f64 / 3.0).ln() / 4f64.ln();
        assert!((index.pair_npmi("a", "c") - ac).abs() < 1e-9);
        // P(b,c)=0: ln(ε/(1/4)) / −ln ε.
        let bc = (NPMI_EPSILON / 0.25).ln() / -NPMI_EPSILON.ln();
        assert!((index.pair_npmi("b", "c") - bc).abs() < 1e-12);
        assert!((bc - (-0.949_83)).abs() < 1e-4);
        let mean = index.npmi(&["a", "b", "c"]).unwrap();
        assert!((mean - (ab + ac + bc) / 3.0).abs() < 1e-9);
        assert!((mean - (-0.275_76)).abs() < 1e-4);
    }

    #[test]
    fn edge_cases() {
        let index = tiny();
        assert_eq!(index.pair_npmi("a", "zzz"), -1.0);
        assert_eq!(index.npmi(&["a"]), None);
        let everywhere = CoOccurrence::new(vec![vec!["x", "y"], vec!["x", "y"]]);
        assert_eq!(everywhere.pair_npmi("x", "y"), 1.0);
        let scores = npmi_coherence(
            &[vec!["a", "b", "c"], vec!["a"]],
            vec![
                vec!["a", "b"],
                vec!["a", "b", "a"],
                vec!["a", "c"],
                vec!["c"],
            ],
            2,
        );
        assert!((scores[0].unwrap() - index.pair_npmi("a", "b")).abs() < 1e-12);
        assert_eq!(scores[1], None);
    }

    proptest! {
        #[test]
        fn npmi_is_bounded_and_symmetric(
            docs in prop::collection::vec(prop::collection::vec(0u8..8, 0..6), 1..40),
            a in 0u8..9,
            b in 0u8..9,
        ) {
            let docs: Vec<Vec<String>> = docs.iter().map(|d| d.iter().map(|t| t.to_string()).collect()).collect();
            let index = CoOccurrence::new(docs);
            let (a, b) = (a.to_string(), b.to_string());
            let ab = index.pair_npmi(&a, &b);
            prop_assert!((-1.0..=1.0).contains(&ab));
            prop_assert!((ab - index.pair_npmi(&b, &a)).abs() < 1e-12);
            if index.document_frequency(&a) > 0 {
                // A term with itself: perfect association unless it is in every document.
                prop_assert!(index.pair_npmi(&a, &a) > 0.999);
            }
        }
    }
}
