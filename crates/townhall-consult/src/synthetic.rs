//! Synthetic conversations with planted opinion groups, for tests and speed measurements.
//!
//! Opinions are two-dimensional, as the model assumes: each statement has a direction in the
//! plane and each group a position on the unit circle (evenly spread), and a member agrees with a
//! statement with probability `0.5 + 0.45 · cos(angle between them)`, passing 10 % of the time.
//! Each participant votes on a random subset of statements. The same arguments always give the
//! same votes (ChaCha8 seeded from `seed`).

use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::matrix::VoteEvent;

/// A planted conversation: the votes and the truth.
#[derive(Clone, Debug, PartialEq)]
pub struct Planted {
    /// Vote events, in time order (participant ids `0..participants`, statement ids
    /// `0..statements`).
    pub events: Vec<VoteEvent>,
    /// Planted group of each participant, by participant id.
    pub group_of: Vec<usize>,
}

/// Plants `groups` opinion groups among `participants` (participant `p` in group `p % groups`)
/// and draws `votes` votes on `statements` statements: each participant votes at least
/// `min(7, statements)` and at most `statements` times, once per statement, so the total is
/// clamped to what those bounds allow. How much each participant votes varies (0 to 2 × the mean
/// extra over the floor).
pub fn planted(
    participants: usize,
    statements: usize,
    votes: usize,
    groups: usize,
    seed: u64,
) -> Planted {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let groups = groups.max(1);
    let angle = |x: f64| x * std::f64::consts::TAU;
    let statement_angle: Vec<f64> = (0..statements).map(|_| angle(rng.gen::<f64>())).collect();
    // Probability that a member of group g agrees with statement s (among non-pass votes).
    let leaning: Vec<Vec<f64>> = (0..groups)
        .map(|g| {
            let group_angle = angle(g as f64 / groups as f64);
            statement_angle
                .iter()
                .map(|a| 0.5 + 0.45 * (a - group_angle).cos())
                .collect()
        })
        .collect();
    let group_of: Vec<usize> = (0..participants).map(|p| p % groups).collect();
    let counts = vote_counts(&mut rng, participants, statements, votes);
    let mut events = Vec::with_capacity(votes);
    let mut t: i64 = 1_700_000_000_000;
    for (p, (&g, &n)) in group_of.iter().zip(&counts).enumerate() {
        for s in sample(&mut rng, statements, n).into_iter() {
            let r: f64 = rng.gen();
            let vote = if r < 0.1 {
                0
            } else if rng.gen::<f64>() < leaning[g][s] {
                1
            } else {
                -1
            };
            t += 1;
            events.push(VoteEvent {
                participant_id: p as i64,
                statement_id: s as i64,
                vote,
                timestamp_ms: t,
            });
        }
    }
    Planted { events, group_of }
}

/// Votes per participant: the floor for everyone, the rest shared out at random, capped at one
/// vote per statement, and topped up round-robin to hit the total exactly.
fn vote_counts(
    rng: &mut ChaCha8Rng,
    participants: usize,
    statements: usize,
    votes: usize,
) -> Vec<usize> {
    let floor = 7.min(statements);
    let total = votes.clamp(participants * floor, participants * statements);
    let mut counts = vec![floor; participants];
    let extra = total - participants * floor;
    let shares: Vec<f64> = (0..participants).map(|_| rng.gen::<f64>()).collect();
    let sum: f64 = shares.iter().sum();
    let mut given = 0;
    if sum > 0.0 {
        for (c, share) in counts.iter_mut().zip(&shares) {
            let add = ((extra as f64 * share / sum) as usize).min(statements - floor);
            *c += add;
            given += add;
        }
    }
    let mut p = 0;
    while given < extra {
        if counts[p] < statements {
            counts[p] += 1;
            given += 1;
        }
        p = (p + 1) % participants;
    }
    counts
}
