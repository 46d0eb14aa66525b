//! Where people are: volume by channel, by account and by hour of the week, and which channels carry
//! the public's questions rather than only the agency's announcements.

use crate::corpus::{Corpus, PostIx};
use serde::Serialize;
use townhall_core::PostKind;

/// What a channel is used for, judged from who posts there and what they post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelRole {
    /// The public asks the agency things here.
    PublicQuestions,
    /// The public talks here but rarely asks anything.
    PublicConversation,
    /// Only the agency's own posts: announcements, no public voice.
    AnnouncementsOnly,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChannelVolume {
    pub channel: String,
    pub owned: bool,
    pub posts: u64,
    pub own_posts: u64,
    pub public_posts: u64,
    pub public_questions: u64,
    /// The agency's original posts (not replies, quotes or reposts).
    pub own_announcements: u64,
    pub role: ChannelRole,
    /// Query that lists these posts (drill-down).
    pub drill: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountVolume {
    pub account: String,
    pub own: bool,
    pub posts: u64,
    pub questions: u64,
    pub drill: String,
}

/// Posts per hour of the week: `counts[day][hour]`, day 0 = Monday, in the report's time zone.
#[derive(Debug, Clone, Serialize)]
pub struct HourOfWeek {
    pub utc_offset_minutes: i32,
    pub counts: [[u64; 24]; 7],
    pub public_counts: [[u64; 24]; 7],
    /// The busiest hour for the public: (day, hour, posts).
    pub public_peak: Option<(usize, usize, u64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Presence {
    pub channels: Vec<ChannelVolume>,
    /// The most active accounts, own first, then the public's, by posts (at most `top` each).
    pub accounts: Vec<AccountVolume>,
    pub hour_of_week: HourOfWeek,
}

/// A channel whose public posts are at least this share questions is where the public asks.
const QUESTION_CHANNEL_SHARE: f64 = 0.1;

pub fn presence(
    corpus: &Corpus,
    scope: &[PostIx],
    utc_offset_minutes: i32,
    top: usize,
) -> Presence {
    let n_channels = corpus.channels().len();
    let mut channels: Vec<[u64; 5]> = vec![[0; 5]; n_channels];
    let mut accounts: rustc_hash::FxHashMap<(u32, bool), (u64, u64)> = Default::default();
    let mut counts = [[0u64; 24]; 7];
    let mut public_counts = [[0u64; 24]; 7];
    let offset_ms = i64::from(utc_offset_minutes) * 60_000;
    for &ix in scope {
        let p = corpus.post(ix);
        let c = &mut channels[p.channel as usize];
        c[0] += 1;
        if p.own {
            c[1] += 1;
            if p.kind == PostKind::Original {
                c[4] += 1;
            }
        } else {
            c[2] += 1;
            if p.question {
                c[3] += 1;
            }
        }
        if let Some(author) = p.author {
            let a = accounts.entry((author, p.own)).or_default();
            a.0 += 1;
            a.1 += u64::from(p.question);
        }
        let local = p.created_ms + offset_ms;
        let hours = local.div_euclid(3_600_000);
        // 1970-01-01 was a Thursday: day 3 when Monday is 0.
        let day = (hours.div_euclid(24) + 3).rem_euclid(7) as usize;
        let hour = hours.rem_euclid(24) as usize;
        counts[day][hour] += 1;
        if !p.own {
            public_counts[day][hour] += 1;
        }
    }

    let mut channel_rows: Vec<ChannelVolume> = channels
        .iter()
        .enumerate()
        .filter(|(_, c)| c[0] > 0)
        .map(|(i, c)| {
            let name = corpus.channels().get(i as u32).to_string();
            let role = if c[2] == 0 {
                ChannelRole::AnnouncementsOnly
            } else if c[3] as f64 >= QUESTION_CHANNEL_SHARE * c[2] as f64 {
                ChannelRole::PublicQuestions
            } else {
                ChannelRole::PublicConversation
            };
            ChannelVolume {
                drill: format!("channel:{}", quote_if_needed(&name)),
                channel: name,
                owned: corpus.channel_owned(i as u32),
                posts: c[0],
                own_posts: c[1],
                public_posts: c[2],
                public_questions: c[3],
                own_announcements: c[4],
                role,
            }
        })
        .collect();
    channel_rows.sort_by(|a, b| b.posts.cmp(&a.posts).then(a.channel.cmp(&b.channel)));

    let mut account_rows: Vec<AccountVolume> = accounts
        .into_iter()
        .map(|((voice, own), (posts, questions))| {
            let label = corpus.voice_label(voice).to_string();
            AccountVolume {
                drill: format!("from:{}", quote_if_needed(&label)),
                account: label,
                own,
                posts,
                questions,
            }
        })
        .collect();
    account_rows.sort_by(|a, b| {
        b.own
            .cmp(&a.own)
            .then(b.posts.cmp(&a.posts))
            .then(a.account.cmp(&b.account))
    });
    let own_rows = account_rows.iter().filter(|a| a.own).take(top).cloned();
    let public_rows = account_rows.iter().filter(|a| !a.own).take(top).cloned();
    let accounts = own_rows.chain(public_rows).collect();

    let mut public_peak = None;
    for (d, row) in public_counts.iter().enumerate() {
        for (h, &n) in row.iter().enumerate() {
            if n > 0 && public_peak.is_none_or(|(_, _, best)| n > best) {
                public_peak = Some((d, h, n));
            }
        }
    }
    Presence {
        channels: channel_rows,
        accounts,
        hour_of_week: HourOfWeek {
            utc_offset_minutes,
            counts,
            public_counts,
            public_peak,
        },
    }
}

/// A value as the query language needs it: quoted when it holds characters a bare word cannot.
pub fn quote_if_needed(value: &str) -> String {
    if value
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/'))
    {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace('"', ""))
    }
}
