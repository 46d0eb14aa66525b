//! Engagement, not broadcast: how the agency's own accounts post (replies, quotes, reposts, original
//! broadcasts) and whether the public's questions get answered, and how fast.

use crate::corpus::{day_to_date, Corpus, PostIx};
use crate::stats::median;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;
use townhall_core::PostKind;

/// Own posts by kind, with their shares of all own posts.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct KindMix {
    pub original: u64,
    pub quote: u64,
    pub repost: u64,
    pub reply: u64,
    pub total: u64,
    /// Replies + quotes as a share of all own posts: how much of the posting is conversation.
    pub conversational_share: f64,
}

impl KindMix {
    fn add(&mut self, kind: PostKind) {
        match kind {
            PostKind::Original => self.original += 1,
            PostKind::Quote => self.quote += 1,
            PostKind::Repost => self.repost += 1,
            PostKind::Reply => self.reply += 1,
        }
        self.total += 1;
    }

    fn finish(&mut self) {
        self.conversational_share = share(self.reply + self.quote, self.total);
    }
}

/// The public's questions and the agency's answers.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Answering {
    pub public_questions: u64,
    pub answered: u64,
    pub answered_share: f64,
    /// Median minutes from the question to the agency's first reply to it.
    pub median_minutes_to_first_answer: Option<f64>,
    /// Query listing the public's questions in scope (drill-down).
    pub drill: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EngagementRow {
    /// Account, channel, or week (the Monday it starts, ISO date).
    pub key: String,
    #[serde(flatten)]
    pub kinds: KindMix,
    #[serde(flatten)]
    pub answering: Answering,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Engagement {
    /// All own posts in scope; `original`, `quote`, `repost` and `reply` at the top level.
    #[serde(flatten)]
    pub kinds: KindMix,
    pub questions: Answering,
    pub by_account: Vec<EngagementRow>,
    pub by_channel: Vec<EngagementRow>,
    pub by_week: Vec<EngagementRow>,
}

/// Which of the agency's own posts drew replies and which drew silence.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reception {
    /// Own posts in scope that drew replies (stored ones, or the platform's counts), most first.
    pub drew_replies: Vec<OwnPostReception>,
    /// Own posts that drew nothing, newest first.
    pub drew_silence: Vec<OwnPostReception>,
    /// Own posts (not reposts) in scope, and how many of them drew anything.
    pub own_posts: u64,
    pub drew_any: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OwnPostReception {
    pub post_id: i64,
    pub account: String,
    pub stored_replies: u32,
    /// The platform's own counts (likes + reposts + replies + quotes), where it reported them.
    pub platform_engagement: Option<u64>,
    pub mean_reply_sentiment: Option<f64>,
}

#[derive(Default)]
struct Group {
    kinds: KindMix,
    questions: u64,
    answered: u64,
    minutes: Vec<f64>,
}

impl Group {
    fn row(mut self, key: String, drill: String) -> EngagementRow {
        self.kinds.finish();
        EngagementRow {
            key,
            kinds: self.kinds,
            answering: answering(self.questions, self.answered, self.minutes, drill),
        }
    }
}

fn answering(questions: u64, answered: u64, mut minutes: Vec<f64>, drill: String) -> Answering {
    Answering {
        public_questions: questions,
        answered,
        answered_share: share(answered, questions),
        median_minutes_to_first_answer: median(&mut minutes),
        drill,
    }
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The Monday (days since the epoch) of the week a day falls in.
pub fn week_start(day: i64) -> i64 {
    // 1970-01-01 was a Thursday; Monday-based weekday = (day + 3) mod 7.
    day - (day + 3).rem_euclid(7)
}

/// First own answer to each post that has one: (answer position, minutes after the question).
/// Computed over the whole corpus, so an answer given after the report's window still counts.
pub fn first_answers(corpus: &Corpus) -> FxHashMap<PostIx, (PostIx, f64)> {
    let mut first: FxHashMap<PostIx, (PostIx, f64)> = FxHashMap::default();
    for (ix, p) in corpus.posts().iter().enumerate() {
        let Some(parent) = p.parent else { continue };
        if !p.own {
            continue;
        }
        let q = corpus.post(parent);
        if q.own {
            continue;
        }
        let minutes = ((p.created_ms - q.created_ms) as f64 / 60_000.0).max(0.0);
        let entry = first.entry(parent).or_insert((ix as PostIx, minutes));
        if minutes < entry.1 {
            *entry = (ix as PostIx, minutes);
        }
    }
    first
}

pub fn engagement(corpus: &Corpus, scope: &[PostIx]) -> Engagement {
    let answers = first_answers(corpus);
    let mut all = Group::default();
    let mut by_account: FxHashMap<u32, Group> = FxHashMap::default();
    let mut by_channel: FxHashMap<u32, Group> = FxHashMap::default();
    let mut by_week: BTreeMap<i64, Group> = BTreeMap::new();
    for &ix in scope {
        let p = corpus.post(ix);
        let week = week_start(corpus.day_of(ix));
        if p.own {
            all.kinds.add(p.kind);
            by_channel.entry(p.channel).or_default().kinds.add(p.kind);
            by_week.entry(week).or_default().kinds.add(p.kind);
            if let Some(a) = p.author {
                by_account.entry(a).or_default().kinds.add(p.kind);
            }
        } else if p.question {
            let answer = answers.get(&ix);
            let count = |g: &mut Group| {
                g.questions += 1;
                if let Some(&(_, minutes)) = answer {
                    g.answered += 1;
                    g.minutes.push(minutes);
                }
            };
            count(&mut all);
            count(by_channel.entry(p.channel).or_default());
            count(by_week.entry(week).or_default());
            // A question is credited to the account that answered it, or else to the account asked.
            let account = answer
                .and_then(|&(a, _)| corpus.post(a).author)
                .or_else(|| p.parent.and_then(|parent| corpus.post(parent).author));
            if let Some(a) = account {
                count(by_account.entry(a).or_default());
            }
        }
    }

    let questions_drill = "own:false question:true".to_string();
    let mut accounts: Vec<EngagementRow> = by_account
        .into_iter()
        .filter(|(_, g)| g.kinds.total > 0 || g.answered > 0)
        .map(|(a, g)| {
            let label = corpus.voice_label(a).to_string();
            let drill = format!("from:{}", crate::presence::quote_if_needed(&label));
            g.row(label, drill)
        })
        .collect();
    accounts.sort_by(|a, b| b.kinds.total.cmp(&a.kinds.total).then(a.key.cmp(&b.key)));
    let mut channels: Vec<EngagementRow> = by_channel
        .into_iter()
        .map(|(c, g)| {
            let name = corpus.channels().get(c).to_string();
            let drill = format!("channel:{}", crate::presence::quote_if_needed(&name));
            g.row(name, drill)
        })
        .collect();
    channels.sort_by(|a, b| b.kinds.total.cmp(&a.kinds.total).then(a.key.cmp(&b.key)));
    let weeks = by_week
        .into_iter()
        .map(|(w, g)| {
            let date = day_to_date(w);
            let end = day_to_date(w + 7);
            g.row(date.clone(), format!("since:{date} until:{end}"))
        })
        .collect();

    let mut kinds = all.kinds;
    kinds.finish();
    Engagement {
        kinds,
        questions: answering(all.questions, all.answered, all.minutes, questions_drill),
        by_account: accounts,
        by_channel: channels,
        by_week: weeks,
    }
}

/// Own posts in scope that drew replies and those that drew silence (`top` of each).
pub fn reception(corpus: &Corpus, scope: &[PostIx], top: usize) -> Reception {
    let mut reply_sentiment: FxHashMap<PostIx, (f64, u32)> = FxHashMap::default();
    let mut own_posts: Vec<PostIx> = Vec::new();
    for &ix in scope {
        let p = corpus.post(ix);
        if p.own {
            own_posts.push(ix);
        }
    }
    for p in corpus.posts() {
        if let (false, Some(parent)) = (p.own, p.parent) {
            let s = reply_sentiment.entry(parent).or_default();
            s.0 += f64::from(p.compound);
            s.1 += 1;
        }
    }
    let describe = |ix: PostIx| {
        let p = corpus.post(ix);
        OwnPostReception {
            post_id: p.id,
            account: p
                .author
                .map(|a| corpus.voice_label(a).to_string())
                .unwrap_or_default(),
            stored_replies: p.stored_replies,
            platform_engagement: p.platform_engagement,
            mean_reply_sentiment: reply_sentiment.get(&ix).map(|(s, n)| s / f64::from(*n)),
        }
    };
    // Reposts carry someone else's words: their reception says little about the agency's own post.
    let mut drew: Vec<PostIx> = own_posts
        .iter()
        .copied()
        .filter(|&ix| corpus.post(ix).kind != PostKind::Repost)
        .collect();
    drew.sort_by(|&a, &b| {
        let (pa, pb) = (corpus.post(a), corpus.post(b));
        pb.stored_replies
            .cmp(&pa.stored_replies)
            .then(pb.platform_engagement.cmp(&pa.platform_engagement))
            .then(pa.id.cmp(&pb.id))
    });
    let drew_replies = drew
        .iter()
        .filter(|&&ix| {
            corpus.post(ix).stored_replies > 0
                || corpus.post(ix).platform_engagement.unwrap_or(0) > 0
        })
        .take(top)
        .map(|&ix| describe(ix))
        .collect();
    let drew_silence = drew
        .iter()
        .rev()
        .filter(|&&ix| {
            let p = corpus.post(ix);
            p.stored_replies == 0 && p.platform_engagement.unwrap_or(0) == 0
        })
        .take(top)
        .map(|&ix| describe(ix))
        .collect();

    let drew_any = drew
        .iter()
        .filter(|&&ix| {
            corpus.post(ix).stored_replies > 0
                || corpus.post(ix).platform_engagement.unwrap_or(0) > 0
        })
        .count() as u64;
    Reception {
        drew_replies,
        drew_silence,
        own_posts: drew.len() as u64,
        drew_any,
    }
}
