//! Counting per-post labels (topic, language, …) by community: "community 3 talks mostly about housing, in Spanish".

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::CommunityError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LabelCount {
    pub label: u32,
    pub count: u64,
}

/// For each community (indexed by id, `0..community_count`), its `top` most frequent labels, most frequent first
/// (ties: smaller label first). `items` are `(node, label)` pairs, e.g. one per post with the author's node and the
/// post's language id; the caller maps labels to `u32` and back.
pub fn tally_labels(
    community_of: &[u32],
    items: impl IntoIterator<Item = (u32, u32)>,
    top: usize,
) -> Result<Vec<Vec<LabelCount>>, CommunityError> {
    let node_count = community_of.len();
    let community_count = community_of
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    if community_count > node_count {
        return Err(CommunityError::CommunityIdOutOfRange {
            max_id: community_count - 1,
            node_count,
        });
    }
    let mut counts: FxHashMap<(u32, u32), u64> = FxHashMap::default();
    for (node, label) in items {
        let community = *community_of
            .get(node as usize)
            .ok_or(CommunityError::NodeOutOfRange { node, node_count })?;
        *counts.entry((community, label)).or_insert(0) += 1;
    }
    let mut per_community: Vec<Vec<LabelCount>> = vec![Vec::new(); community_count];
    for ((community, label), count) in counts {
        per_community[community as usize].push(LabelCount { label, count });
    }
    for labels in &mut per_community {
        labels.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
        labels.truncate(top);
    }
    Ok(per_community)
}
