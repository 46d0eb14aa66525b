//! The in-memory, column-friendly facts of stored posts that every insight is computed from.
//!
//! The corpus is append-only and keyed by the store's post id, so the app layer can keep one alive
//! and feed it only the posts stored since it last looked (incremental insight).

use crate::intern::Interner;
use crate::topics::TokenKind;
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};
use townhall_core::{PostKind, StoredPost};

/// Index of a post in a [`Corpus`].
pub type PostIx = u32;

/// What insight needs of one post; strings are interned into the corpus' tables.
#[derive(Debug, Clone)]
pub struct PostFact {
    /// The store's post id (ascending in the corpus).
    pub id: i64,
    pub channel: u32,
    /// The voice who wrote it (see [`Corpus::voices`]).
    pub author: Option<u32>,
    pub kind: PostKind,
    pub created_ms: i64,
    pub own: bool,
    pub lang: Option<u16>,
    pub compound: f32,
    pub question: bool,
    /// The post it replies to, when that post is stored too.
    pub parent: Option<PostIx>,
    /// The post it quotes or reposts, when stored.
    pub source: Option<PostIx>,
    /// Likes + reposts + replies + quotes as the platform counted them, when it did.
    pub platform_engagement: Option<u64>,
    /// Replies stored in the corpus (filled as they arrive).
    pub stored_replies: u32,
    mentions: (u32, u32),
    terms: (u32, u32),
}

/// Posts whose parent (or source) was not stored yet: resolved when it arrives.
#[derive(Default)]
struct Pending {
    replies: FxHashMap<u64, Vec<PostIx>>,
    sources: FxHashMap<u64, Vec<PostIx>>,
}

/// The facts of every post loaded so far, with interned channels, voices, languages and terms.
#[derive(Default)]
pub struct Corpus {
    posts: Vec<PostFact>,
    /// `kind:account` of each channel, and whether the agency owns it.
    channels: Interner,
    channel_owned: Vec<bool>,
    /// People and accounts: authors (handle or pseudonym) and the handles mentioned, per platform.
    voices: Interner,
    langs: Interner,
    terms: Interner,
    mention_pool: Vec<u32>,
    term_pool: Vec<u32>,
    /// Each post's text, for topic discovery (which learns its phrases from the window it looks at).
    texts: Vec<Box<str>>,
    by_external: FxHashMap<u64, PostIx>,
    pending: Pending,
}

/// A term list for one post (see [`post_terms`]).
pub type Terms<'a> = &'a [String];

/// The terms of a post for vocabulary comparisons: its words and hashtags as topic discovery tokenizes
/// them (stop words, links, mentions and numbers gone), plus each pair of adjacent words, so that
/// phrases such as "food stamps" can be compared too.
pub fn post_terms(text: &str) -> Vec<String> {
    let tokens = crate::topics::tokenize(text);
    let mut terms: Vec<String> = Vec::with_capacity(tokens.len() * 2);
    for (i, token) in tokens.iter().enumerate() {
        terms.push(token.text.clone());
        if i > 0 && !token.breaks_before {
            let previous = &tokens[i - 1];
            if previous.kind == TokenKind::Word && token.kind == TokenKind::Word {
                terms.push(format!("{} {}", previous.text, token.text));
            }
        }
    }
    terms
}

impl Corpus {
    pub fn new() -> Corpus {
        Corpus::default()
    }

    pub fn len(&self) -> usize {
        self.posts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    /// The highest store id loaded (0 when empty): load posts after it to bring the corpus up to date.
    pub fn watermark(&self) -> i64 {
        self.posts.last().map_or(0, |p| p.id)
    }

    pub fn posts(&self) -> &[PostFact] {
        &self.posts
    }

    pub fn post(&self, ix: PostIx) -> &PostFact {
        &self.posts[ix as usize]
    }

    pub fn channels(&self) -> &Interner {
        &self.channels
    }

    pub fn channel_owned(&self, channel: u32) -> bool {
        self.channel_owned
            .get(channel as usize)
            .copied()
            .unwrap_or(false)
    }

    pub fn voices(&self) -> &Interner {
        &self.voices
    }

    pub fn langs(&self) -> &Interner {
        &self.langs
    }

    pub fn terms(&self) -> &Interner {
        &self.terms
    }

    /// The voices a post mentions.
    pub fn mentions(&self, ix: PostIx) -> &[u32] {
        let (start, end) = self.posts[ix as usize].mentions;
        &self.mention_pool[start as usize..end as usize]
    }

    /// The post's terms (interned), in text order.
    pub fn post_terms(&self, ix: PostIx) -> &[u32] {
        let (start, end) = self.posts[ix as usize].terms;
        &self.term_pool[start as usize..end as usize]
    }

    /// Position of the post with this store id.
    pub fn position(&self, id: i64) -> Option<PostIx> {
        self.posts
            .binary_search_by_key(&id, |p| p.id)
            .ok()
            .map(|i| i as PostIx)
    }

    /// Add stored posts (ascending ids), extracting their terms in parallel.
    pub fn extend(&mut self, posts: &[StoredPost]) {
        let terms: Vec<Vec<String>> = posts.par_iter().map(|p| post_terms(&p.text)).collect();
        for (post, terms) in posts.iter().zip(&terms) {
            self.push(post, terms);
        }
    }

    /// A post's text as stored.
    pub fn text(&self, ix: PostIx) -> &str {
        &self.texts[ix as usize]
    }

    /// Add a stored post with its terms. Posts must come in ascending id order; an id at or below the
    /// watermark is ignored (already loaded), so the caller may safely re-feed overlapping pages.
    pub fn push(&mut self, post: &StoredPost, terms: Terms<'_>) {
        if post.id <= self.watermark() {
            return;
        }
        let ix = self.posts.len() as PostIx;
        let platform = post.channel.kind.as_str();
        let channel_key = format!("{}:{}", platform, post.channel.account);
        let channel = self.channels.intern(&channel_key);
        if channel as usize >= self.channel_owned.len() {
            self.channel_owned.resize(channel as usize + 1, false);
        }
        if post.own {
            // A channel is the agency's when its posts are marked own (imports set both together).
            self.channel_owned[channel as usize] = true;
        }
        let author = post
            .author
            .as_deref()
            .map(|a| self.voices.intern(&voice_key(platform, a)));

        let mention_start = self.mention_pool.len() as u32;
        for handle in &post.analysis.mentions {
            let voice = self.voices.intern(&voice_key(platform, handle));
            if Some(voice) != author {
                self.mention_pool.push(voice);
            }
        }
        let mention_end = self.mention_pool.len() as u32;
        let term_start = self.term_pool.len() as u32;
        for term in terms {
            let t = self.terms.intern(term);
            self.term_pool.push(t);
        }
        let term_end = self.term_pool.len() as u32;

        let parent = post.reply_to.as_deref().and_then(|parent| {
            let key = external_key(platform, parent);
            match self.by_external.get(&key) {
                Some(&p) => Some(p),
                None => {
                    self.pending.replies.entry(key).or_default().push(ix);
                    None
                }
            }
        });
        let source_id = post.quote_of.as_deref().or(post.repost_of.as_deref());
        let source = source_id.and_then(|source| {
            let key = external_key(platform, source);
            match self.by_external.get(&key) {
                Some(&p) => Some(p),
                None => {
                    self.pending.sources.entry(key).or_default().push(ix);
                    None
                }
            }
        });
        let e = &post.engagement;
        let platform_engagement = [e.likes, e.reposts, e.replies, e.quotes]
            .into_iter()
            .flatten()
            .reduce(|a, b| a + b);

        self.texts.push(post.text.as_str().into());
        self.posts.push(PostFact {
            id: post.id,
            channel,
            author,
            kind: post.kind,
            created_ms: post.created_at.timestamp_millis(),
            own: post.own,
            lang: post
                .analysis
                .lang
                .as_deref()
                .map(|l| self.langs.intern(l) as u16),
            compound: post.analysis.sentiment.compound as f32,
            question: post.analysis.is_question,
            parent,
            source,
            platform_engagement,
            stored_replies: 0,
            mentions: (mention_start, mention_end),
            terms: (term_start, term_end),
        });
        if let Some(p) = parent {
            self.posts[p as usize].stored_replies += 1;
        }

        // This post may be the parent or source of posts loaded before it.
        let key = external_key(platform, &post.external_id);
        self.by_external.insert(key, ix);
        if let Some(children) = self.pending.replies.remove(&key) {
            self.posts[ix as usize].stored_replies += children.len() as u32;
            for child in children {
                self.posts[child as usize].parent = Some(ix);
            }
        }
        if let Some(quoting) = self.pending.sources.remove(&key) {
            for q in quoting {
                self.posts[q as usize].source = Some(ix);
            }
        }
    }

    /// The day (UTC, days since the Unix epoch) a post was made.
    pub fn day_of(&self, ix: PostIx) -> i64 {
        self.posts[ix as usize].created_ms.div_euclid(86_400_000)
    }

    /// A human-readable name for a voice: `@handle` or the pseudonym, without the platform.
    pub fn voice_label(&self, voice: u32) -> &str {
        let key = self.voices.get(voice);
        key.split_once(':').map_or(key, |(_, v)| v)
    }
}

/// Voices are per platform: the same handle on Mastodon and on X need not be the same person.
fn voice_key(platform: &str, label: &str) -> String {
    format!(
        "{platform}:{}",
        label.trim_start_matches('@').to_lowercase()
    )
}

/// External ids are unique per platform; a 64-bit hash keeps the look-up table small
/// (a collision among a million posts has a chance of about 3e-8).
fn external_key(platform: &str, external_id: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    platform.hash(&mut h);
    external_id.hash(&mut h);
    h.finish()
}

/// Days since the epoch → ISO date.
pub fn day_to_date(day: i64) -> String {
    DateTime::<Utc>::from_timestamp(day * 86_400, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}
