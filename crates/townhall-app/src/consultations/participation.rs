//! Taking part: joining (no account needed), voting, the next statement to vote on, and where a
//! participant stands.

use super::statements::open_message;
use super::{phase_of, Consultations, Participant, Phase};
use crate::AppError;
use std::collections::{HashMap, HashSet};
use std::time::Instant;
use townhall_consult::VoteEvent;
use townhall_store::{ConsultationRow, NewVote, Store};

/// Longest external id accepted (an id from the organiser's own system).
const MAX_EXTERNAL_ID: usize = 100;

/// A vote the store has recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct VoteReceipt {
    pub statement_id: i64,
    pub vote: i8,
    pub voted_at: i64,
}

/// The statement to show a participant next.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NextStatement {
    pub id: i64,
    pub text: String,
    /// Statements this participant has not voted on yet, this one included.
    pub remaining: usize,
}

/// A statement a participant voted on, and how many others voted the same way.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VotedStatement {
    pub id: i64,
    pub text: String,
    pub vote: i8,
    /// Share of everyone who voted on the statement who voted the same way (at the last update).
    pub same_share: Option<f64>,
}

/// Where a participant stands.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Standing {
    pub votes_cast: usize,
    pub statements_open: usize,
    /// Votes needed before the participant is placed in a group (Pol.is: 7).
    pub votes_to_be_placed: usize,
    /// The participant's opinion group (its letter) and its size, once placed.
    pub group: Option<(String, usize)>,
    /// Position on the opinion map, once the participant has voted.
    pub position: Option<(f64, f64)>,
    pub votes: Vec<VotedStatement>,
}

pub(crate) fn check_open(phase: Phase, participant: &Participant) -> Result<(), AppError> {
    match phase {
        Phase::Public => Ok(()),
        Phase::Employees if participant.employee => Ok(()),
        _ => Err(AppError::NotOpen(open_message(phase).to_string())),
    }
}

/// A group's letter: A, B, C…
pub fn group_label(group_id: usize) -> String {
    char::from(b'A' + (group_id % 26) as u8).to_string()
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Consultations {
    /// Join a consultation as a new participant (or the one already known by the staff account or
    /// external id). Returns the participant and the token for their cookie.
    pub fn join(
        &self,
        store: &Store,
        consultation: &ConsultationRow,
        user_id: Option<i64>,
        external_id: Option<&str>,
    ) -> Result<(Participant, String), AppError> {
        let phase = phase_of(consultation);
        let employee = user_id.is_some();
        check_open(
            phase,
            &Participant {
                consultation_id: consultation.id,
                participant_id: 0,
                employee,
            },
        )?;
        let external_id = external_id.map(str::trim).filter(|x| !x.is_empty());
        if let Some(x) = external_id {
            if x.chars().count() > MAX_EXTERNAL_ID || x.chars().any(char::is_control) {
                return Err(AppError::Invalid(format!(
                    "external id: at most {MAX_EXTERNAL_ID} characters, no control characters"
                )));
            }
        }
        let participant_id = store.consult_participant(consultation.id, external_id, user_id)?;
        let participant = Participant {
            consultation_id: consultation.id,
            participant_id,
            employee,
        };
        let token = self.signer(store)?.token(&participant);
        Ok((participant, token))
    }

    /// Record a vote (1 agree, -1 disagree, 0 pass), replacing the participant's earlier vote on the
    /// statement. Once this returns, the vote is in the store.
    pub fn vote(
        &self,
        store: &Store,
        participant: &Participant,
        address: &str,
        statement_id: i64,
        vote: i8,
    ) -> Result<VoteReceipt, AppError> {
        if !(-1..=1).contains(&vote) {
            return Err(AppError::Invalid(
                "vote: use 1 (agree), -1 (disagree) or 0 (pass)".into(),
            ));
        }
        let now = Instant::now();
        let what = "too many votes at once";
        self.votes_per_participant.take_or_refuse(
            &format!("p:{}", participant.participant_id),
            now,
            what,
        )?;
        self.votes_per_address
            .take_or_refuse(&format!("a:{address}"), now, what)?;
        let consultation = store
            .consultation_settings(participant.consultation_id)?
            .ok_or_else(|| {
                AppError::Invalid(format!("no consultation {}", participant.consultation_id))
            })?;
        check_open(phase_of(&consultation), participant)?;
        let voted_at = now_ms();
        let recorded = store.record_vote(&NewVote {
            consultation_id: participant.consultation_id,
            participant_id: participant.participant_id,
            statement_id,
            vote,
            voted_at,
        })?;
        if !recorded {
            return Err(AppError::Invalid(format!(
                "statement {statement_id} is not open to votes in this consultation"
            )));
        }
        self.live.record(
            participant.consultation_id,
            VoteEvent {
                participant_id: participant.participant_id,
                statement_id,
                vote,
                timestamp_ms: voted_at,
            },
        );
        Ok(VoteReceipt {
            statement_id,
            vote,
            voted_at,
        })
    }

    /// The statement to offer next: a weighted choice among those the participant has not voted
    /// on, weighted by Pol.is's priority (few votes first). The choice is fixed for a given
    /// participant and number of votes, so reloading the page shows the same statement.
    pub fn next_statement(
        &self,
        store: &Store,
        consultation_id: i64,
        participant: Option<&Participant>,
    ) -> Result<Option<NextStatement>, AppError> {
        let open = store.statements(consultation_id, Some("accepted"))?;
        let voted: HashSet<i64> = match participant {
            Some(p) => store
                .participant_votes(p.participant_id)?
                .into_iter()
                .map(|v| v.statement_id)
                .collect(),
            None => HashSet::new(),
        };
        let candidates: Vec<_> = open.iter().filter(|s| !voted.contains(&s.id)).collect();
        if candidates.is_empty() {
            return Ok(None);
        }
        let latest = self.live.latest(consultation_id);
        let unseen = super::live::priority(0, 0, 0, 0.0);
        let weights: Vec<f64> = candidates
            .iter()
            .map(|s| {
                latest
                    .as_ref()
                    .and_then(|r| r.priorities.get(&s.id).copied())
                    .unwrap_or(unseen)
                    .max(1e-9)
            })
            .collect();
        let seed =
            participant.map_or(0, |p| p.participant_id as u64) ^ ((voted.len() as u64) << 40);
        let pick = weighted_choice(&weights, unit_interval(seed ^ consultation_id as u64));
        let chosen = candidates[pick];
        Ok(Some(NextStatement {
            id: chosen.id,
            text: chosen.text.clone(),
            remaining: candidates.len(),
        }))
    }

    /// Where a participant stands: their votes and how others voted, their group and place on the
    /// map (from the latest update).
    pub fn standing(&self, store: &Store, participant: &Participant) -> Result<Standing, AppError> {
        let open = store.statements(participant.consultation_id, Some("accepted"))?;
        let text: HashMap<i64, &str> = open.iter().map(|s| (s.id, s.text.as_str())).collect();
        let votes = store.participant_votes(participant.participant_id)?;
        let latest = self.fresh_result(store, participant.consultation_id)?;
        let min_votes = townhall_consult::Settings::default().min_votes;
        let mut group = None;
        let mut position = None;
        if let Some(result) = &latest {
            let analysis = &result.analysis;
            if let Some(&g) = analysis.group_of.get(&participant.participant_id) {
                let size = analysis
                    .groups
                    .iter()
                    .find(|x| x.id == g)
                    .map_or(0, |x| x.members.len());
                group = Some((group_label(g), size));
            }
            position = analysis
                .pca
                .projections
                .iter()
                .find(|p| p.participant_id == participant.participant_id)
                .map(|p| (p.x, p.y));
        }
        let votes = votes
            .into_iter()
            .filter_map(|v| {
                let text = text.get(&v.statement_id)?;
                let same_share = latest.as_ref().and_then(|r| {
                    let c = r.counts.get(&v.statement_id)?;
                    let same = match v.vote {
                        1 => c.agree,
                        -1 => c.disagree,
                        _ => c.seen - c.agree - c.disagree,
                    };
                    (c.seen > 0).then(|| same as f64 / c.seen as f64)
                });
                Some(VotedStatement {
                    id: v.statement_id,
                    text: text.to_string(),
                    vote: v.vote,
                    same_share,
                })
            })
            .collect::<Vec<_>>();
        Ok(Standing {
            votes_cast: votes.len(),
            statements_open: open.len(),
            votes_to_be_placed: min_votes.saturating_sub(votes.len()),
            group,
            position,
            votes,
        })
    }
}

/// A number in [0, 1) from a seed (SplitMix64): the weighted choice needs no other randomness.
fn unit_interval(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// The index whose cumulative weight first passes `u` of the total.
fn weighted_choice(weights: &[f64], u: f64) -> usize {
    let total: f64 = weights.iter().sum();
    let mut target = u * total;
    for (i, w) in weights.iter().enumerate() {
        if target < *w {
            return i;
        }
        target -= w;
    }
    weights.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_choice_follows_the_weights() {
        let weights = [1.0, 3.0, 0.0, 6.0];
        let mut hits = [0usize; 4];
        for seed in 0..20_000u64 {
            hits[weighted_choice(&weights, unit_interval(seed))] += 1;
        }
        assert_eq!(hits[2], 0);
        for (i, expected) in [(0, 0.1), (1, 0.3), (3, 0.6)] {
            let share = hits[i] as f64 / 20_000.0;
            assert!((share - expected).abs() < 0.02, "{i}: {share}");
        }
    }

    #[test]
    fn group_letters() {
        assert_eq!(group_label(0), "A");
        assert_eq!(group_label(2), "C");
    }
}
