//! What language they use: the languages of a set of posts and their shares.

use crate::corpus::{Corpus, PostIx};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LanguageShare {
    /// ISO 639-1 code, or `und` when no language was detected.
    pub lang: String,
    pub posts: u64,
    pub share: f64,
    pub public_posts: u64,
    pub own_posts: u64,
    /// Query listing these posts (none for `und`: the query language has no "no language" filter).
    pub drill: Option<String>,
}

/// Languages of `posts`, most used first.
pub fn language_shares(corpus: &Corpus, posts: &[PostIx]) -> Vec<LanguageShare> {
    let n_langs = corpus.langs().len();
    // Slot n_langs counts posts with no detected language.
    let mut counts = vec![(0u64, 0u64); n_langs + 1];
    for &ix in posts {
        let p = corpus.post(ix);
        let slot = p.lang.map_or(n_langs, usize::from);
        if p.own {
            counts[slot].1 += 1;
        } else {
            counts[slot].0 += 1;
        }
    }
    let total = posts.len().max(1) as f64;
    let mut rows: Vec<LanguageShare> = counts
        .into_iter()
        .enumerate()
        .filter(|(_, (public, own))| public + own > 0)
        .map(|(slot, (public, own))| {
            let (lang, drill) = if slot == n_langs {
                ("und".to_string(), None)
            } else {
                let code = corpus.langs().get(slot as u32).to_string();
                (code.clone(), Some(format!("lang:{code}")))
            };
            LanguageShare {
                lang,
                posts: public + own,
                share: (public + own) as f64 / total,
                public_posts: public,
                own_posts: own,
                drill,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.posts.cmp(&a.posts).then(a.lang.cmp(&b.lang)));
    rows
}
