//! Turning posts into term ids: word interning, collocation ("phrase") detection and merging, used the same way
//! when fitting and when assigning new posts, so that a post gets the same terms either way.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::tokenize::{stop_word_flags, stop_words, TokenKind, Tokenizer, NO_WORD};

/// Marks a break between runs of adjacent words inside a post's word-id sequence.
pub(crate) const BREAK: u32 = u32::MAX;

/// Posts tokenized per parallel task; fixed so that word ids do not depend on the number of threads.
const CHUNK_DOCS: usize = 2048;

/// Words and phrases known to a fitted model.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexicon {
    /// Word (or `#hashtag`) → word id ([`NO_WORD`] for a stop word kept only for its flags) and stop-list
    /// flags: one lookup per token when assigning.
    words: FxHashMap<String, (u32, u8)>,
    /// Adjacent word pair → term id of the phrase.
    phrases: FxHashMap<(u32, u32), u32>,
    /// Word id → term id (`None`: the word is only known as part of a phrase, or never a term).
    word_terms: Vec<Option<u32>>,
}

/// What fitting needs from the training posts: word ids per post (with [`BREAK`]s) and the word table.
pub(crate) struct TokenizedCorpus {
    pub(crate) docs: Vec<Vec<u32>>,
    pub(crate) words: Vec<String>,
    pub(crate) kinds: Vec<TokenKind>,
}

/// Tokenizes and interns the posts; word ids follow first appearance in post order.
pub(crate) fn tokenize_corpus<S: AsRef<str> + Sync>(docs: &[S]) -> TokenizedCorpus {
    struct Chunk {
        docs: Vec<Vec<u32>>,
        words: Vec<(String, TokenKind)>,
    }
    let chunks: Vec<Chunk> = docs
        .par_chunks(CHUNK_DOCS)
        .map(|chunk| {
            let mut tokenizer = Tokenizer::default();
            let mut local: FxHashMap<String, u32> = FxHashMap::default();
            let mut words = Vec::new();
            let docs = chunk
                .iter()
                .map(|doc| {
                    tokenizer.run(doc.as_ref());
                    let mut ids = Vec::with_capacity(tokenizer.pieces().len() + 4);
                    for piece in tokenizer.pieces() {
                        if piece.breaks_before && !ids.is_empty() {
                            ids.push(BREAK);
                        }
                        let text = tokenizer.text(piece);
                        let id = match local.get(text) {
                            Some(&id) => id,
                            None => {
                                let id = u32::try_from(words.len()).unwrap_or(BREAK - 1);
                                local.insert(text.to_owned(), id);
                                words.push((text.to_owned(), piece.kind));
                                id
                            }
                        };
                        ids.push(id);
                    }
                    ids
                })
                .collect();
            Chunk { docs, words }
        })
        .collect();

    let mut global: FxHashMap<String, u32> = FxHashMap::default();
    let mut corpus = TokenizedCorpus {
        docs: Vec::with_capacity(docs.len()),
        words: Vec::new(),
        kinds: Vec::new(),
    };
    for chunk in chunks {
        let mapping: Vec<u32> = chunk
            .words
            .into_iter()
            .map(|(word, kind)| {
                *global.entry(word).or_insert_with_key(|word| {
                    corpus.words.push(word.clone());
                    corpus.kinds.push(kind);
                    u32::try_from(corpus.words.len() - 1).unwrap_or(BREAK - 1)
                })
            })
            .collect();
        corpus.docs.extend(chunk.docs.into_iter().map(|ids| {
            ids.into_iter()
                .map(|id| {
                    if id == BREAK {
                        BREAK
                    } else {
                        mapping[id as usize]
                    }
                })
                .collect()
        }));
    }
    corpus
}

/// Settings for collocation detection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PhraseRule {
    pub(crate) min_count: u32,
    pub(crate) min_npmi: f64,
}

/// Adjacent word pairs that occur together far more than chance (normalised PMI over token positions, as in
/// Bouma 2009 and gensim's `Phrases` with the npmi scorer), best first. Hashtags never join a phrase.
pub(crate) fn find_phrases(corpus: &TokenizedCorpus, rule: PhraseRule) -> Vec<(u32, u32)> {
    let mut word_counts = vec![0u64; corpus.words.len()];
    let mut pair_counts: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut total = 0u64;
    for doc in &corpus.docs {
        for (i, &id) in doc.iter().enumerate() {
            if id == BREAK {
                continue;
            }
            word_counts[id as usize] += 1;
            total += 1;
            if let Some(&next) = doc.get(i + 1) {
                if next != BREAK && next != id {
                    *pair_counts.entry((id, next)).or_insert(0) += 1;
                }
            }
        }
    }
    if total == 0 {
        return Vec::new();
    }
    let total = total as f64;
    let mut scored: Vec<(f64, (u32, u32))> = pair_counts
        .into_iter()
        .filter(|&((a, b), count)| {
            count >= rule.min_count
                && corpus.kinds[a as usize] == TokenKind::Word
                && corpus.kinds[b as usize] == TokenKind::Word
        })
        .filter_map(|((a, b), count)| {
            let p_ab = f64::from(count) / total;
            let p_a = word_counts[a as usize] as f64 / total;
            let p_b = word_counts[b as usize] as f64 / total;
            let npmi = if p_ab >= 1.0 {
                1.0
            } else {
                (p_ab / (p_a * p_b)).ln() / -p_ab.ln()
            };
            (npmi >= rule.min_npmi).then_some((npmi, (a, b)))
        })
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    scored.into_iter().map(|(_, pair)| pair).collect()
}

/// Greedy left-to-right merge of a word-id run into term ids: a known pair becomes its phrase, anything else
/// stays a word. `phrase_of` and `word_term` map to term ids; words without one are skipped.
pub(crate) fn merge_terms(
    ids: &[u32],
    phrase_of: impl Fn(u32, u32) -> Option<u32>,
    word_term: impl Fn(u32) -> Option<u32>,
    out: &mut Vec<u32>,
) {
    let mut i = 0;
    while i < ids.len() {
        let id = ids[i];
        if id == BREAK {
            i += 1;
            continue;
        }
        if let Some(&next) = ids.get(i + 1) {
            if next != BREAK {
                if let Some(phrase) = phrase_of(id, next) {
                    out.push(phrase);
                    i += 2;
                    continue;
                }
            }
        }
        if let Some(term) = word_term(id) {
            out.push(term);
        }
        i += 1;
    }
}

impl Lexicon {
    /// Builds the lexicon a model keeps: vocabulary words, every selected phrase (a phrase outside the vocabulary
    /// still consumes its two words, as it did while fitting), and the words the phrases are made of.
    /// `term_of_word` and `term_of_phrase` give the vocabulary term id of each word id / phrase, if any.
    pub(crate) fn new(
        words: &[String],
        phrases: &[(u32, u32)],
        term_of_word: &[Option<u32>],
        term_of_phrase: &[Option<u32>],
    ) -> Self {
        let mut lexicon = Lexicon::default();
        let mut remap: FxHashMap<u32, u32> = FxHashMap::default();
        let mut intern = |lexicon: &mut Lexicon, word: u32| -> u32 {
            *remap.entry(word).or_insert_with(|| {
                let id = u32::try_from(lexicon.word_terms.len()).unwrap_or(BREAK - 1);
                let text = &words[word as usize];
                lexicon
                    .words
                    .insert(text.clone(), (id, stop_word_flags(text)));
                lexicon.word_terms.push(term_of_word[word as usize]);
                id
            })
        };
        for (word, term) in term_of_word.iter().enumerate() {
            if term.is_some() {
                intern(&mut lexicon, u32::try_from(word).unwrap_or(BREAK - 1));
            }
        }
        for (index, &(a, b)) in phrases.iter().enumerate() {
            let (a, b) = (intern(&mut lexicon, a), intern(&mut lexicon, b));
            let term = term_of_phrase[index].unwrap_or(BREAK);
            lexicon.phrases.insert((a, b), term);
        }
        for (word, flags) in stop_words() {
            lexicon
                .words
                .entry(word.to_owned())
                .or_insert((NO_WORD, flags));
        }
        lexicon
    }

    /// Term ids of one post, in order (a term may repeat).
    pub(crate) fn terms(
        &self,
        tokenizer: &mut Tokenizer,
        text: &str,
        ids: &mut Vec<u32>,
        out: &mut Vec<u32>,
    ) {
        tokenizer.run_with(text, |word| {
            self.words
                .get(word)
                .map_or((0, NO_WORD), |&(id, flags)| (flags, id))
        });
        ids.clear();
        out.clear();
        for piece in tokenizer.pieces() {
            if piece.word == NO_WORD {
                // An unknown word can neither be a term nor part of a phrase: it ends the run.
                if ids.last().is_some_and(|&last| last != BREAK) {
                    ids.push(BREAK);
                }
            } else {
                if piece.breaks_before && !ids.is_empty() {
                    ids.push(BREAK);
                }
                ids.push(piece.word);
            }
        }
        merge_terms(
            ids,
            |a, b| self.phrases.get(&(a, b)).copied(),
            |w| self.word_terms.get(w as usize).copied().flatten(),
            out,
        );
        out.retain(|&term| term != BREAK);
    }
}
