//! Daily series of a group of posts (a topic, a tracked query) and the spikes in them, overall and
//! per channel, with the posts that caused each spike.

use crate::corpus::{day_to_date, Corpus, PostIx};
use crate::spikes::{negative_spikes, volume_spikes, DaySpike, SpikeKind};
use crate::vocabulary::NEGATIVE_BELOW;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// The days a report covers: from the first to the last day with a post in scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayRange {
    /// Days since the Unix epoch (UTC).
    pub first: i64,
    pub days: usize,
}

impl DayRange {
    pub fn of(corpus: &Corpus, scope: &[PostIx]) -> DayRange {
        let mut first = i64::MAX;
        let mut last = i64::MIN;
        for &ix in scope {
            let d = corpus.day_of(ix);
            first = first.min(d);
            last = last.max(d);
        }
        if first > last {
            return DayRange { first: 0, days: 0 };
        }
        DayRange {
            first,
            days: (last - first + 1) as usize,
        }
    }

    fn slot(&self, day: i64) -> Option<usize> {
        let i = day - self.first;
        (i >= 0 && (i as usize) < self.days).then_some(i as usize)
    }
}

/// Posts and negative posts per day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailySeries {
    pub first_date: String,
    pub posts: Vec<u64>,
    pub negative: Vec<u64>,
}

pub fn daily(corpus: &Corpus, posts: &[PostIx], range: DayRange) -> DailySeries {
    let mut counts = vec![0u64; range.days];
    let mut negative = vec![0u64; range.days];
    for &ix in posts {
        if let Some(slot) = range.slot(corpus.day_of(ix)) {
            counts[slot] += 1;
            if corpus.post(ix).compound <= NEGATIVE_BELOW {
                negative[slot] += 1;
            }
        }
    }
    DailySeries {
        first_date: day_to_date(range.first),
        posts: counts,
        negative,
    }
}

/// A spike with what caused it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spike {
    pub date: String,
    pub kind: SpikeKind,
    /// The channel it happened in, or `None` for all channels together.
    pub channel: Option<String>,
    pub observed: u64,
    pub expected: f64,
    pub z: f64,
    /// The posts behind it: that day's posts (the most negative first for a sentiment spike, the
    /// most engaging first for a volume spike), at most `top`.
    pub posts: Vec<i64>,
}

/// Volume and negative-sentiment spikes of `posts`, over all channels and per channel.
pub fn spikes(corpus: &Corpus, posts: &[PostIx], range: DayRange, top: usize) -> Vec<Spike> {
    let mut found = Vec::new();
    let mut by_channel: FxHashMap<u32, Vec<PostIx>> = FxHashMap::default();
    for &ix in posts {
        by_channel
            .entry(corpus.post(ix).channel)
            .or_default()
            .push(ix);
    }
    let mut groups: Vec<(Option<u32>, &[PostIx])> = vec![(None, posts)];
    // With one channel, the per-channel series is the overall one.
    if by_channel.len() > 1 {
        let mut channels: Vec<_> = by_channel.iter().collect();
        channels.sort_by_key(|(c, _)| **c);
        groups.extend(channels.into_iter().map(|(c, p)| (Some(*c), p.as_slice())));
    }
    for (channel, group) in groups {
        let series = daily(corpus, group, range);
        let day_spikes: Vec<DaySpike> = volume_spikes(&series.posts)
            .into_iter()
            .chain(negative_spikes(&series.posts, &series.negative))
            .collect();
        for s in day_spikes {
            let day = range.first + s.day as i64;
            let mut that_day: Vec<PostIx> = group
                .iter()
                .copied()
                .filter(|&ix| corpus.day_of(ix) == day)
                .collect();
            match s.kind {
                SpikeKind::NegativeSentiment => that_day
                    .sort_by(|&a, &b| corpus.post(a).compound.total_cmp(&corpus.post(b).compound)),
                SpikeKind::Volume => that_day.sort_by_key(|&ix| {
                    let p = corpus.post(ix);
                    std::cmp::Reverse(
                        u64::from(p.stored_replies) + p.platform_engagement.unwrap_or(0),
                    )
                }),
            }
            found.push(Spike {
                date: day_to_date(day),
                kind: s.kind,
                channel: channel.map(|c| corpus.channels().get(c).to_string()),
                observed: s.observed,
                expected: s.expected,
                z: s.z,
                posts: that_day
                    .iter()
                    .take(top)
                    .map(|&ix| corpus.post(ix).id)
                    .collect(),
            });
        }
    }
    found.sort_by(|a, b| b.z.total_cmp(&a.z).then(a.date.cmp(&b.date)));
    found
}
