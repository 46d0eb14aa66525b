//! Fitting a topic model over a window of posts, and assigning posts to its topics.

use std::cell::RefCell;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::coherence::COHERENCE_TOP_TERMS;
use super::fit::{
    choose_topic_count, even_sample, informative_rows, nmf_options, prepare, term_postings,
    top_terms, topic_npmi, weigh, Prepared,
};
use super::label::{key_phrases, SEPARATOR};
use super::lexicon::Lexicon;
use super::nmf::{factorize, ProjectionWork, Projector};
use super::tokenize::Tokenizer;
use super::{TopicConfig, TopicCount};

/// One discovered topic.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Topic {
    /// 0 for the largest topic, then by size.
    pub id: usize,
    /// Its key phrases joined with " · ", e.g. "health care · medicaid".
    pub label: String,
    pub key_phrases: Vec<String>,
    /// Strongest terms with weights relative to the strongest (1.0).
    pub terms: Vec<(String, f64)>,
    /// Posts assigned to the topic.
    pub size: usize,
    /// Indices of the most typical posts, most typical first (near-duplicates, such as reposts, listed once).
    pub representatives: Vec<usize>,
    /// NPMI coherence of its top terms over the posts it was fitted on (see [`super::CoOccurrence`]).
    pub coherence: Option<f64>,
}

/// The topic of one post.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct DocTopic {
    pub topic: usize,
    /// Share of the post's TF-IDF vector (squared length) that the topic explains, in [0, 1].
    pub weight: f64,
}

/// Posts per day of one topic, every day of the window listed (zeros included).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TopicTrend {
    pub topic: usize,
    pub per_day: Vec<(NaiveDate, usize)>,
}

/// A fitted topic model: the topics, each post's topic, and what is needed to assign new posts.
#[derive(Debug, Clone)]
pub struct TopicModel {
    pub topics: Vec<Topic>,
    /// Per input post, in input order: its topic, or `None` when no topic explains enough of it.
    pub documents: Vec<Option<DocTopic>>,
    /// The terms (words, `#hashtags`, "two-word phrases") the topics are made of.
    pub vocabulary: Vec<String>,
    /// Posts the factorisation was fitted on (all, or an evenly spaced sample of large windows).
    pub fitted_on: usize,
    /// NMF iterations run.
    pub iterations: usize,
    lexicon: Lexicon,
    idf: Vec<f32>,
    projector: Projector,
    /// NMF component → public topic id (`None` for a component that came out empty).
    topic_of_component: Vec<Option<usize>>,
    min_weight: f64,
}

/// Ranked candidates scanned when choosing representatives (enough to skip reposts of the same text).
const REPRESENTATIVE_SCAN: usize = 500;

/// Finds topics in `docs` (texts of posts). See the module documentation of [`super`] for the method.
pub fn discover<S: AsRef<str> + Sync>(docs: &[S], config: &TopicConfig) -> TopicModel {
    let fit_indices = even_sample(docs.len(), config.max_fit_docs.max(1));
    let fit_docs: Vec<&str> = fit_indices.iter().map(|&i| docs[i].as_ref()).collect();
    let k = match config.topics {
        TopicCount::Fixed(k) => k,
        TopicCount::Auto { min, max } => choose_topic_count(&fit_docs, config, min, max),
    };
    let prepared = prepare(&fit_docs, config);
    let informative = informative_rows(&prepared.x, config.min_fit_terms);
    let xt = informative.transpose();
    let factors = factorize(&informative, &xt, k, nmf_options(config));
    build_model(
        docs,
        &fit_indices,
        prepared,
        factors.ht,
        factors.k,
        factors.iterations,
        config,
    )
}

/// Scratch buffers for vectorising and projecting one post.
#[derive(Default)]
struct Scratch {
    tokenizer: Tokenizer,
    ids: Vec<u32>,
    terms: Vec<u32>,
    indices: Vec<u32>,
    values: Vec<f32>,
    projection: ProjectionWork,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// A post's best NMF component, its share, and how many distinct terms the post has.
#[derive(Debug, Clone, Copy)]
struct Placement {
    component: usize,
    share: f64,
    terms: usize,
}

fn build_model<S: AsRef<str> + Sync>(
    docs: &[S],
    fit_indices: &[usize],
    prepared: Prepared,
    ht: Vec<f64>,
    k: usize,
    iterations: usize,
    config: &TopicConfig,
) -> TopicModel {
    let postings = term_postings(&prepared.x);
    let fitted_on = prepared.x.rows();
    let mut model = TopicModel {
        topics: Vec::new(),
        documents: Vec::new(),
        vocabulary: prepared.vocabulary,
        fitted_on,
        iterations,
        lexicon: prepared.lexicon,
        idf: prepared.idf,
        projector: Projector::new(ht, k),
        topic_of_component: vec![None; k],
        min_weight: config.min_weight,
    };

    // Place every post: fitted posts from their rows, the rest through the same path as `assign`.
    let mut placements: Vec<Option<Placement>> = vec![None; docs.len()];
    let fitted: Vec<Option<Placement>> = (0..fitted_on)
        .into_par_iter()
        .map_init(Scratch::default, |scratch, row| {
            let (indices, values) = prepared.x.row(row);
            model.place(indices, values, scratch)
        })
        .collect();
    let mut is_fitted = vec![false; docs.len()];
    for (&doc, placement) in fit_indices.iter().zip(fitted) {
        placements[doc] = placement;
        is_fitted[doc] = true;
    }
    let others: Vec<(usize, Option<Placement>)> = (0..docs.len())
        .into_par_iter()
        .filter(|&doc| !is_fitted[doc])
        .map_init(Scratch::default, |scratch, doc| {
            (doc, model.place_text(docs[doc].as_ref(), scratch))
        })
        .collect();
    for (doc, placement) in others {
        placements[doc] = placement;
    }

    // Topics: non-empty components, largest first.
    let mut sizes = vec![0usize; k];
    for placement in placements.iter().flatten() {
        sizes[placement.component] += 1;
    }
    let mut components: Vec<usize> = (0..k)
        .filter(|&c| model.projector.ht.chunks(k.max(1)).any(|row| row[c] > 0.0))
        .collect();
    components.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    for (id, &c) in components.iter().enumerate() {
        model.topic_of_component[c] = Some(id);
    }
    model.documents = placements
        .iter()
        .map(|p| {
            p.and_then(|p| {
                model.topic_of_component[p.component].map(|topic| DocTopic {
                    topic,
                    weight: p.share,
                })
            })
        })
        .collect();

    let mut members: Vec<Vec<(f64, usize)>> = vec![Vec::new(); components.len()];
    for (doc, placement) in placements.iter().enumerate() {
        if let Some(p) = placement {
            if let Some(topic) = model.topic_of_component[p.component] {
                // Typical: the topic explains most of the post, and the post has enough terms to say something.
                let substance = p.terms as f64 / (p.terms as f64 + 4.0);
                members[topic].push((p.share * substance, doc));
            }
        }
    }
    let mut topics = Vec::with_capacity(components.len());
    for (id, &c) in components.iter().enumerate() {
        let listed = top_terms(
            &model.projector.ht,
            k,
            c,
            config.top_terms.max(COHERENCE_TOP_TERMS),
        );
        let strongest = listed.first().map_or(1.0, |t| t.1);
        let terms: Vec<(String, f64)> = listed
            .iter()
            .take(config.top_terms)
            .map(|&(t, w)| (model.vocabulary[t as usize].clone(), w / strongest))
            .collect();
        let coherence = topic_npmi(
            &postings,
            fitted_on,
            &listed[..listed.len().min(COHERENCE_TOP_TERMS)],
        );
        let phrases = key_phrases(&terms);
        let representatives = model.representatives(docs, &mut members[id], config.representatives);
        topics.push(Topic {
            id,
            label: phrases.join(SEPARATOR),
            key_phrases: phrases,
            terms,
            size: sizes[c],
            representatives,
            coherence,
        });
    }
    model.topics = topics;
    model
}

impl TopicModel {
    /// The topic of a new post, or `None` when no topic explains at least `min_weight` of it. Matches what
    /// [`discover`] gave the posts it saw. Cheap: tokenize, look up, and a k-dimensional non-negative projection.
    pub fn assign(&self, text: &str) -> Option<DocTopic> {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            self.place_text(text, &mut scratch)
                .and_then(|p| self.to_doc_topic(p))
        })
    }

    /// [`TopicModel::assign`] for many posts, in parallel; results in input order.
    pub fn assign_all<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Option<DocTopic>> {
        texts
            .par_iter()
            .map_init(Scratch::default, |scratch, text| {
                self.place_text(text.as_ref(), scratch)
                    .and_then(|p| self.to_doc_topic(p))
            })
            .collect()
    }

    /// Mean NPMI coherence of the topics (over the posts fitted on); `None` without topics.
    pub fn coherence(&self) -> Option<f64> {
        let scores: Vec<f64> = self.topics.iter().filter_map(|t| t.coherence).collect();
        (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
    }

    /// The terms of a post as the model sees them (vocabulary terms, phrases merged), in order of appearance.
    pub fn terms_of(&self, text: &str) -> Vec<String> {
        let mut scratch = Scratch::default();
        self.lexicon.terms(
            &mut scratch.tokenizer,
            text,
            &mut scratch.ids,
            &mut scratch.terms,
        );
        scratch
            .terms
            .iter()
            .map(|&t| self.vocabulary[t as usize].clone())
            .collect()
    }

    /// Posts per topic per day; `days[i]` is the day of post `i` (as passed to [`discover`]). Every day from the
    /// earliest to the latest post with a topic is listed.
    pub fn trend(&self, days: &[NaiveDate]) -> Vec<TopicTrend> {
        let dated: Vec<(usize, NaiveDate)> = self
            .documents
            .iter()
            .zip(days)
            .filter_map(|(doc, &day)| doc.map(|d| (d.topic, day)))
            .collect();
        let (Some(first), Some(last)) = (
            dated.iter().map(|d| d.1).min(),
            dated.iter().map(|d| d.1).max(),
        ) else {
            return self
                .topics
                .iter()
                .map(|t| TopicTrend {
                    topic: t.id,
                    per_day: Vec::new(),
                })
                .collect();
        };
        let span = usize::try_from((last - first).num_days()).unwrap_or(0) + 1;
        let mut counts = vec![vec![0usize; span]; self.topics.len()];
        for (topic, day) in dated {
            let offset = usize::try_from((day - first).num_days()).unwrap_or(0);
            counts[topic][offset] += 1;
        }
        counts
            .into_iter()
            .enumerate()
            .map(|(topic, per_day)| TopicTrend {
                topic,
                per_day: first.iter_days().zip(per_day).collect(),
            })
            .collect()
    }

    fn to_doc_topic(&self, placement: Placement) -> Option<DocTopic> {
        self.topic_of_component[placement.component].map(|topic| DocTopic {
            topic,
            weight: placement.share,
        })
    }

    fn place_text(&self, text: &str, scratch: &mut Scratch) -> Option<Placement> {
        let Scratch {
            tokenizer,
            ids,
            terms,
            indices,
            values,
            ..
        } = scratch;
        self.lexicon.terms(tokenizer, text, ids, terms);
        weigh(terms, &self.idf, indices, values);
        let (indices, values) = (std::mem::take(indices), std::mem::take(values));
        let placement = self.place(&indices, &values, scratch);
        scratch.indices = indices;
        scratch.values = values;
        placement
    }

    /// Best component for a TF-IDF vector, if it explains at least `min_weight`.
    fn place(&self, indices: &[u32], values: &[f32], scratch: &mut Scratch) -> Option<Placement> {
        if indices.is_empty() || self.projector.k == 0 {
            return None;
        }
        self.projector
            .project(indices, values, &mut scratch.projection);
        let mut best: Option<(usize, f64)> = None;
        for (c, &share) in scratch.projection.shares.iter().enumerate() {
            if best.is_none_or(|(_, s)| share > s) {
                best = Some((c, share));
            }
        }
        let (component, share) = best?;
        (share > 0.0 && share >= self.min_weight).then_some(Placement {
            component,
            share: share.min(1.0),
            terms: indices.len(),
        })
    }

    /// The most typical members, skipping posts whose terms repeat an earlier pick (reposts, copies).
    fn representatives<S: AsRef<str>>(
        &self,
        docs: &[S],
        members: &mut [(f64, usize)],
        count: usize,
    ) -> Vec<usize> {
        members.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut picked = Vec::new();
        let mut seen: Vec<Vec<u32>> = Vec::new();
        let mut scratch = Scratch::default();
        for &(_, doc) in members.iter().take(REPRESENTATIVE_SCAN) {
            if picked.len() == count {
                break;
            }
            self.lexicon.terms(
                &mut scratch.tokenizer,
                docs[doc].as_ref(),
                &mut scratch.ids,
                &mut scratch.terms,
            );
            let mut terms = scratch.terms.clone();
            terms.sort_unstable();
            if seen.contains(&terms) {
                continue;
            }
            seen.push(terms);
            picked.push(doc);
        }
        picked
    }
}
