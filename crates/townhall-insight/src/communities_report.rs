//! What makes them stick: the reply / mention / quote graph of the voices in scope, its communities,
//! what each talks about and in which languages, its most connected voices, the bridges between
//! communities, and who comes back week after week.

use crate::communities::{
    cohort_retention, detect_communities, summarize, tally_labels, Activity, CommunitySummary,
    DetectOptions, Graph, Interaction, Partition, RetentionOptions, SummaryOptions,
};
use crate::corpus::{day_to_date, Corpus, PostIx};
use crate::engagement::week_start;
use rustc_hash::FxHashMap;
use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize)]
pub struct CommunitiesReport {
    /// Voices (authors and mentioned accounts) and weighted ties in the graph.
    pub voices: usize,
    pub ties: usize,
    pub interactions: u64,
    pub modularity: f64,
    /// Communities found (including those of one voice), and the largest ones described.
    pub community_count: usize,
    pub communities: Vec<CommunityReport>,
    /// Voices whose ties spread across communities.
    pub bridges: Vec<BridgeReport>,
    /// Pairs of communities and what links them.
    pub links: Vec<LinkReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommunityReport {
    pub id: u32,
    pub size: u32,
    pub internal_weight: f64,
    pub external_weight: f64,
    pub own_voices: u32,
    /// Most connected voices first.
    pub voices: Vec<VoiceReport>,
    pub topics: Vec<LabelShare>,
    pub languages: Vec<LabelShare>,
    /// Per week: participants active, new and returning.
    pub weeks: Vec<WeekReport>,
    /// Cohorts by first week: size and the share back 1, 2, 3… weeks later.
    pub cohorts: Vec<CohortReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VoiceReport {
    pub voice: String,
    pub own: bool,
    /// Weighted ties in all, and inside the community.
    pub strength: f64,
    pub internal_strength: f64,
    pub drill: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabelShare {
    pub label: String,
    pub posts: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeekReport {
    /// Monday of the week.
    pub week: String,
    pub active: u32,
    pub new: u32,
    pub returning: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct CohortReport {
    pub week: String,
    pub size: u32,
    /// Share active again 1, 2, … weeks after the first (as far as the data reaches).
    pub returned_share: Vec<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BridgeReport {
    pub voice: String,
    pub community: u32,
    /// Participation coefficient: 0 when all ties are inside one community, towards 1 when spread evenly.
    pub participation: f64,
    pub strength: f64,
    pub linked_communities: Vec<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkReport {
    pub a: u32,
    pub b: u32,
    pub weight: f64,
    /// The voices that carry most of the link.
    pub through: Vec<String>,
}

/// Weeks of return tracked in cohort tables.
const COHORT_WEEKS: u32 = 8;

pub fn communities(
    corpus: &Corpus,
    scope: &[PostIx],
    topic_labels: &[String],
    topic_at: &[Option<usize>],
    top: usize,
) -> CommunitiesReport {
    match detect(corpus, scope, top) {
        Some(found) => describe(corpus, &found, topic_labels, topic_at, top),
        None => CommunitiesReport::default(),
    }
}

/// The graph of a scope and its communities, before they are described by topic (so that detection can run
/// while topics are still being found).
pub struct DetectedCommunities {
    graph: Graph,
    partition: Partition,
    summary: CommunitySummary,
    /// Interactions the graph was built from.
    interactions: u64,
    /// Corpus voice of each graph node.
    voice_of: Vec<u32>,
    /// (node, post) for every post in scope with an author.
    authored: Vec<(u32, PostIx)>,
}

/// Build the reply / mention / quote graph of the scope and find its communities; `None` when there is no
/// graph to speak of.
pub fn detect(corpus: &Corpus, scope: &[PostIx], top: usize) -> Option<DetectedCommunities> {
    // Dense node ids for the voices in scope (authors and the voices they reach).
    let mut node_of: FxHashMap<u32, u32> = FxHashMap::default();
    let mut voice_of: Vec<u32> = Vec::new();
    let mut node = |voice: u32| -> u32 {
        *node_of.entry(voice).or_insert_with(|| {
            voice_of.push(voice);
            (voice_of.len() - 1) as u32
        })
    };
    let mut interactions: Vec<Interaction> = Vec::new();
    let mut authored: Vec<(u32, PostIx)> = Vec::with_capacity(scope.len());
    for &ix in scope {
        let p = corpus.post(ix);
        let Some(author) = p.author else { continue };
        let from = node(author);
        authored.push((from, ix));
        let parent_author = p.parent.and_then(|q| corpus.post(q).author);
        if let Some(to) = parent_author {
            interactions.push(Interaction::new(from, node(to), 1.0));
        }
        if let Some(to) = p.source.and_then(|q| corpus.post(q).author) {
            interactions.push(Interaction::new(from, node(to), 1.0));
        }
        for &m in corpus.mentions(ix) {
            // A reply usually names the person replied to: one tie, not two.
            if Some(m) != parent_author {
                interactions.push(Interaction::new(from, node(m), 1.0));
            }
        }
    }
    let graph = Graph::from_interactions(voice_of.len(), &interactions).ok()?;
    let partition = detect_communities(&graph, &DetectOptions::default()).ok()?;
    let summary = summarize(
        &graph,
        &partition.community_of,
        &SummaryOptions {
            voices_per_community: top,
            bridges: top,
            ties: top,
            brokers_per_tie: 3,
        },
    )
    .ok()?;
    Some(DetectedCommunities {
        graph,
        partition,
        summary,
        interactions: interactions.len() as u64,
        voice_of,
        authored,
    })
}

/// Describe detected communities: their topics, languages, voices, bridges and retention.
pub fn describe(
    corpus: &Corpus,
    found: &DetectedCommunities,
    topic_labels: &[String],
    topic_at: &[Option<usize>],
    top: usize,
) -> CommunitiesReport {
    let DetectedCommunities {
        graph,
        partition,
        summary,
        interactions,
        voice_of,
        authored,
    } = found;
    let n = voice_of.len();
    let label = |node: u32| corpus.voice_label(voice_of[node as usize]).to_string();
    let own_voice: Vec<bool> = {
        let mut own = vec![false; n];
        for &(node, ix) in authored {
            if corpus.post(ix).own {
                own[node as usize] = true;
            }
        }
        own
    };

    // Only communities with ties are described; the rest are people nobody answered.
    let described: Vec<u32> = summary
        .communities
        .iter()
        .filter(|c| c.size > 1)
        .take(top)
        .map(|c| c.community)
        .collect();
    let topics = tally_labels(
        &partition.community_of,
        authored
            .iter()
            .filter_map(|&(node, ix)| topic_at[ix as usize].map(|t| (node, t as u32))),
        top,
    )
    .unwrap_or_default();
    let languages = tally_labels(
        &partition.community_of,
        authored
            .iter()
            .filter_map(|&(node, ix)| corpus.post(ix).lang.map(|l| (node, u32::from(l)))),
        top,
    )
    .unwrap_or_default();

    // Retention: weeks counted from the first week in scope; small communities share one "other" id.
    let first_week = authored
        .iter()
        .map(|&(_, ix)| week_start(corpus.day_of(ix)))
        .min()
        .unwrap_or(0);
    let other = described.len() as u32;
    let mut retention_group = vec![other; n];
    for (i, &c) in described.iter().enumerate() {
        for (node, &community) in partition.community_of.iter().enumerate() {
            if community == c {
                retention_group[node] = i as u32;
            }
        }
    }
    let activity: Vec<Activity> = authored
        .iter()
        .map(|&(node, ix)| Activity {
            node,
            week: ((week_start(corpus.day_of(ix)) - first_week) / 7) as u32,
        })
        .collect();
    let retention = cohort_retention(
        &retention_group,
        &activity,
        &RetentionOptions {
            max_offset: COHORT_WEEKS,
        },
    )
    .unwrap_or_default();
    let week_date = |w: u32| day_to_date(first_week + i64::from(w) * 7);

    let communities = described
        .iter()
        .enumerate()
        .filter_map(|(i, &c)| {
            let profile = summary.communities.iter().find(|p| p.community == c)?;
            let members = partition
                .community_of
                .iter()
                .enumerate()
                .filter(|(_, &x)| x == c)
                .map(|(node, _)| node);
            let own_voices = members.filter(|&node| own_voice[node]).count() as u32;
            let kept = retention.iter().find(|r| r.community == i as u32);
            Some(CommunityReport {
                id: c,
                size: profile.size,
                internal_weight: profile.internal_weight,
                external_weight: profile.external_weight,
                own_voices,
                voices: profile
                    .voices
                    .iter()
                    .map(|v| {
                        let voice = label(v.node);
                        VoiceReport {
                            drill: format!("from:{}", crate::presence::quote_if_needed(&voice)),
                            voice,
                            own: own_voice[v.node as usize],
                            strength: v.strength,
                            internal_strength: v.internal_strength,
                        }
                    })
                    .collect(),
                topics: topics
                    .get(c as usize)
                    .map(|counts| {
                        counts
                            .iter()
                            .map(|t| LabelShare {
                                label: topic_labels
                                    .get(t.label as usize)
                                    .cloned()
                                    .unwrap_or_default(),
                                posts: t.count,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                languages: languages
                    .get(c as usize)
                    .map(|counts| {
                        counts
                            .iter()
                            .map(|l| LabelShare {
                                label: corpus.langs().get(l.label).to_string(),
                                posts: l.count,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                weeks: kept
                    .map(|r| {
                        r.weeks
                            .iter()
                            .map(|w| WeekReport {
                                week: week_date(w.week),
                                active: w.active,
                                new: w.new,
                                returning: w.returning,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                cohorts: kept
                    .map(|r| {
                        r.cohorts
                            .iter()
                            .map(|c| CohortReport {
                                week: week_date(c.week),
                                size: c.size,
                                returned_share: (1..=c.returned.len() as u32)
                                    .filter_map(|k| c.share(k))
                                    .collect(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect();

    CommunitiesReport {
        voices: n,
        ties: graph.edge_count(),
        interactions: *interactions,
        modularity: partition.modularity,
        community_count: partition.community_count(),
        communities,
        bridges: summary
            .bridges
            .iter()
            .map(|b| BridgeReport {
                voice: label(b.node),
                community: b.community,
                participation: b.participation,
                strength: b.strength,
                linked_communities: b.links.iter().map(|l| l.community).collect(),
            })
            .collect(),
        links: summary
            .ties
            .iter()
            .map(|t| LinkReport {
                a: t.a,
                b: t.b,
                weight: t.weight,
                through: t.brokers.iter().map(|b| label(b.node)).collect(),
            })
            .collect(),
    }
}
