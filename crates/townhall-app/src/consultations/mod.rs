//! Running consultations: setting them up, taking part (anonymous, signed participant ids), voting,
//! statements with moderation, live opinion groups, results, and moving them to and from Pol.is.
//!
//! The math is `townhall-consult`'s; this module keeps each consultation's votes in memory beside the
//! store, so results are brought up to date within a second or two of a vote (see [`live`]).

mod live;
mod participation;
mod polis_io;
mod rate_limit;
mod results;
mod setup;
mod signing;
mod statements;

pub use live::{priority, LiveResult, StatementCounts};
pub use participation::group_label;
pub use participation::{NextStatement, Standing, VoteReceipt, VotedStatement};
pub use polis_io::{export_polis, import_polis, ImportedConsultation};
pub use rate_limit::{Limit, RateLimiter};
pub use results::{ConsultResults, DivisiveLine, GroupResult, MapPoint, StatementTally};
pub use setup::{
    add_seeds, change_settings, create, get, parse_seed_csv, set_phase, ConsultationSettings,
    SeedReport, SettingsChange,
};
pub use signing::{Participant, Signer};
pub use statements::StatementOutcome;

use crate::AppError;
use std::sync::OnceLock;
use townhall_store::{ConsultationRow, Store};

/// Longest statement, in characters (Pol.is allows 140; agencies' questions draw longer answers).
pub const MAX_STATEMENT_CHARS: usize = 280;
/// Shortest statement worth voting on, in characters.
pub const MIN_STATEMENT_CHARS: usize = 5;

/// Who may take part, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Being prepared: staff who run consultations may look, nobody votes.
    Draft,
    /// Open to the agency's own staff (signed in) first.
    Employees,
    /// Open to anyone with the link.
    Public,
    /// Read-only: results stay, votes and statements stop.
    Closed,
}

impl Phase {
    pub const ALL: [Phase; 4] = [Phase::Draft, Phase::Employees, Phase::Public, Phase::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::Employees => "employees",
            Phase::Public => "public",
            Phase::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Result<Phase, AppError> {
        Phase::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                AppError::Invalid(format!(
                    "phase {s:?}: use draft, employees, public or closed"
                ))
            })
    }

    /// What a participant page says about the phase.
    pub fn describe(self) -> &'static str {
        match self {
            Phase::Draft => "Being prepared: not open yet.",
            Phase::Employees => "Open to the agency's staff first, before the public.",
            Phase::Public => "Open to everyone.",
            Phase::Closed => "Closed: the results stay here to read.",
        }
    }
}

/// When a participant's statement is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Moderation {
    /// Staff approve each statement before anyone votes on it.
    ApproveFirst,
    /// Statements are shown at once; staff remove what breaks the rules.
    RemoveAfter,
}

impl Moderation {
    pub fn as_str(self) -> &'static str {
        match self {
            Moderation::ApproveFirst => "approve_first",
            Moderation::RemoveAfter => "remove_after",
        }
    }

    pub fn parse(s: &str) -> Result<Moderation, AppError> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "approve_first" => Ok(Moderation::ApproveFirst),
            "remove_after" => Ok(Moderation::RemoveAfter),
            _ => Err(AppError::Invalid(format!(
                "moderation {s:?}: use approve_first or remove_after"
            ))),
        }
    }
}

/// A stored consultation's phase and moderation, read back.
pub fn phase_of(row: &ConsultationRow) -> Phase {
    Phase::parse(&row.phase).unwrap_or(Phase::Closed)
}

pub fn moderation_of(row: &ConsultationRow) -> Moderation {
    Moderation::parse(&row.moderation).unwrap_or(Moderation::ApproveFirst)
}

/// How fast one participant and one network address may vote and write.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParticipationLimits {
    pub votes_per_participant: Limit,
    pub votes_per_address: Limit,
    pub statements_per_participant: Limit,
    pub statements_per_address: Limit,
}

impl Default for ParticipationLimits {
    fn default() -> Self {
        ParticipationLimits {
            // A person reads before voting: 2 votes a second, bursts of 20.
            votes_per_participant: Limit::new(2.0, 20.0),
            // Many people can share one address (an office, a library, a phone carrier).
            votes_per_address: Limit::new(200.0, 1_000.0),
            statements_per_participant: Limit::new(1.0 / 30.0, 5.0),
            statements_per_address: Limit::new(1.0, 60.0),
        }
    }
}

/// The consultations service, shared by every request: cookie signing, rate limits and the live
/// results kept in memory.
pub struct Consultations {
    signer: OnceLock<Signer>,
    limits: ParticipationLimits,
    votes_per_participant: RateLimiter,
    votes_per_address: RateLimiter,
    statements_per_participant: RateLimiter,
    statements_per_address: RateLimiter,
    live: live::Live,
    /// The background updates run here, on one thread, so recomputing a large conversation never
    /// takes every core from the requests that answer votes.
    background: OnceLock<Option<rayon::ThreadPool>>,
}

impl Default for Consultations {
    fn default() -> Self {
        Consultations::new(ParticipationLimits::default())
    }
}

impl Consultations {
    pub fn new(limits: ParticipationLimits) -> Consultations {
        Consultations {
            signer: OnceLock::new(),
            limits,
            votes_per_participant: RateLimiter::new(limits.votes_per_participant),
            votes_per_address: RateLimiter::new(limits.votes_per_address),
            statements_per_participant: RateLimiter::new(limits.statements_per_participant),
            statements_per_address: RateLimiter::new(limits.statements_per_address),
            live: live::Live::default(),
            background: OnceLock::new(),
        }
    }

    pub fn limits(&self) -> ParticipationLimits {
        self.limits
    }

    /// The key that signs participant cookies (kept in the store, made on first use).
    pub fn signer(&self, store: &Store) -> Result<&Signer, AppError> {
        if let Some(signer) = self.signer.get() {
            return Ok(signer);
        }
        let key = store.secret("consult_participant_key")?;
        Ok(self.signer.get_or_init(|| Signer::new(key)))
    }

    /// [`Consultations::refresh_all`] on the background thread (one core): what the server's updater
    /// calls.
    pub fn refresh_all_in_background(&self, store: &Store) -> Result<usize, AppError> {
        self.computing(|| self.refresh_all(store))
    }

    /// The consultation's results, no more than [`results::MAX_AGE_MS`] old (or one update behind while
    /// an update runs), recomputed on the one-thread pool when needed.
    pub(crate) fn fresh_result(
        &self,
        store: &Store,
        consultation_id: i64,
    ) -> Result<Option<std::sync::Arc<LiveResult>>, AppError> {
        match self.live.ready(consultation_id, results::MAX_AGE_MS) {
            Some(result) => Ok(Some(result)),
            None => self.computing(|| self.live.current(store, consultation_id)),
        }
    }

    /// Run analysis work on the one-thread pool (a page that finds its results stale computes there
    /// too), so that at most one core ever does it.
    pub(crate) fn computing<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        let pool = self.background.get_or_init(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .thread_name(|_| "consult-updates".into())
                .build()
                .ok()
        });
        match pool {
            Some(pool) => pool.install(work),
            // No thread could be started for the pool: compute here instead.
            None => work(),
        }
    }

    /// Bring the results of every open consultation up to date; returns how many were recomputed.
    pub fn refresh_all(&self, store: &Store) -> Result<usize, AppError> {
        let mut refreshed = 0;
        for row in store.consultation_settings_all()? {
            if matches!(phase_of(&row), Phase::Employees | Phase::Public)
                || self.live.never_analysed(row.id)
            {
                refreshed += usize::from(self.live.refresh(store, row.id)?);
            }
        }
        Ok(refreshed)
    }
}
