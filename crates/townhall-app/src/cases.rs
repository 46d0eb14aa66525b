//! The inbox's first loop: the public's questions addressed to the agency become cases. A question is
//! addressed to the agency when it answers one of the agency's own posts or mentions one of its accounts.
//! A person's follow-ups in the same conversation, and the same text posted again, join the open case
//! instead of opening another.

use crate::AppError;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use townhall_store::{CaseCandidate, CaseFiling, CaseRow, FilingCounts, Store};

/// Posts examined per store round trip.
const SCAN_PAGE: usize = 5_000;

/// What a scan for new cases did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CaseScan {
    /// Public questions examined.
    pub questions: u64,
    /// Of those, addressed to the agency.
    pub addressed: u64,
    #[serde(flatten)]
    pub filed: FilingCounts,
}

/// The text of a question reduced to what makes it the same question: lower case, letters and digits, no
/// mentions or links.
pub fn text_key(text: &str) -> String {
    let mut normal = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if word.starts_with('@') || word.contains("://") {
            continue;
        }
        let cleaned: String = word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if !cleaned.is_empty() {
            if !normal.is_empty() {
                normal.push(' ');
            }
            normal.push_str(&cleaned);
        }
    }
    Sha256::digest(normal.as_bytes())
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Channel, conversation and author of a candidate: its follow-ups share it.
fn thread_key(candidate: &CaseCandidate) -> String {
    let conversation = candidate
        .thread_root
        .as_deref()
        .or(candidate.reply_to.as_deref())
        .map_or_else(|| format!("post {}", candidate.post_id), str::to_string);
    let author = candidate
        .author_id
        .map_or_else(|| format!("post {}", candidate.post_id), |a| a.to_string());
    format!("{}|{conversation}|{author}", candidate.channel_id)
}

/// Why a candidate is addressed to the agency, if it is.
fn reason(candidate: &CaseCandidate, own_handles: &HashSet<String>) -> Option<&'static str> {
    if candidate.replies_to_own {
        return Some("question");
    }
    candidate
        .mentions
        .iter()
        .any(|m| own_handles.contains(&m.trim_start_matches('@').to_lowercase()))
        .then_some("mention")
}

/// Open cases for the public's questions stored since the last scan.
pub fn open_cases(store: &Store) -> Result<CaseScan, AppError> {
    let own: HashSet<String> = store.own_handles()?.into_iter().collect();
    let mut scan = CaseScan::default();
    let mut after = store.cases_watermark()?;
    loop {
        let page = store.case_candidates(after, SCAN_PAGE)?;
        let Some(last) = page.last().map(|c| c.post_id) else {
            break;
        };
        scan.questions += page.len() as u64;
        let filings: Vec<CaseFiling> = page
            .iter()
            .filter_map(|c| {
                reason(c, &own).map(|reason| CaseFiling {
                    post_id: c.post_id,
                    created_at: c.created_at,
                    reason,
                    thread_key: thread_key(c),
                    text_key: text_key(&c.text),
                })
            })
            .collect();
        scan.addressed += filings.len() as u64;
        let filed = store.file_cases(&filings, last)?;
        scan.filed.opened += filed.opened;
        scan.filed.joined += filed.joined;
        scan.filed.already_filed += filed.already_filed;
        after = last;
    }
    Ok(scan)
}

/// Cases, newest first (at most `limit`), optionally of one team and status.
pub fn cases(
    store: &Store,
    team: Option<&str>,
    status: Option<&str>,
    limit: usize,
) -> Result<Vec<CaseRow>, AppError> {
    if let Some(status) = status {
        if !["open", "snoozed", "answered", "closed"].contains(&status) {
            return Err(AppError::Invalid(format!(
                "status: use open, snoozed, answered or closed, not {status:?}"
            )));
        }
    }
    Ok(store.cases(team, status, limit)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_question_has_the_same_text_key() {
        assert_eq!(
            text_key("When is the office open?"),
            text_key("@agency when is the OFFICE open ?? https://t.co/x")
        );
        assert_ne!(
            text_key("When is the office open?"),
            text_key("When is the office closed?")
        );
    }
}
