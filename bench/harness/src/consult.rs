//! Consultations at scale: build a store with a planted 33,000 × 800 × 2,000,000 conversation, time the
//! live results (first load from the store, then an update after new votes arrive), and make
//! participants over HTTP for the voting load test (`bench/http/votes.lua`).

use anyhow::Context;
use std::io::Write;
use std::path::Path;
use std::time::Instant;
use townhall_app::actor::Actor;
use townhall_app::consultations::{self, ConsultationSettings, Consultations, Phase};
use townhall_app::Store;
use townhall_consult::synthetic;
use townhall_store::NewVote;

/// Build a store in `out` with one public consultation (`/c/bench`) holding a planted conversation.
pub fn build(
    out: &Path,
    participants: usize,
    statements: usize,
    votes: usize,
    seed: u64,
) -> anyhow::Result<()> {
    let store = Store::open(out)?;
    let actor = Actor::cli("bench");
    let mut settings = ConsultationSettings::new("Benchmark consultation");
    settings.slug = Some("bench".into());
    let seeds: Vec<String> = (0..statements)
        .map(|i| format!("Benchmark statement number {i}"))
        .collect();
    let (row, report) = consultations::create(&store, &actor, &settings, &seeds)?;
    anyhow::ensure!(report.added == statements, "seeds: {report:?}");
    consultations::set_phase(&store, &actor, row.id, Phase::Public)?;
    let statement_ids: Vec<i64> = store
        .statements(row.id, None)?
        .iter()
        .map(|s| s.id)
        .collect();
    let planted = synthetic::planted(participants, statements, votes, 3, seed);
    let external: Vec<String> = (0..participants).map(|p| format!("bench:{p}")).collect();
    let started = Instant::now();
    let participant_ids = store.consult_participants(row.id, &external)?;
    let new: Vec<NewVote> = planted
        .events
        .iter()
        .map(|e| NewVote {
            consultation_id: row.id,
            participant_id: participant_ids[e.participant_id as usize],
            statement_id: statement_ids[e.statement_id as usize],
            vote: e.vote,
            voted_at: e.timestamp_ms,
        })
        .collect();
    for chunk in new.chunks(100_000) {
        store.record_votes(chunk)?;
    }
    println!(
        "consultation {} (/c/bench): {participants} participants, {statements} statements, {} votes stored in {:.1} s",
        row.id,
        new.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Time the live results over the store in `data`: the first (cold) results, then `rounds` updates,
/// each after `batch` new votes arrive through the same path the server uses.
pub fn live(data: &Path, rounds: usize, batch: usize) -> anyhow::Result<()> {
    let store = Store::open(data)?;
    let row = store
        .consultation_by_slug("bench")?
        .context("no /c/bench consultation: run consult-store first")?;
    let service = Consultations::new(consultations::ParticipationLimits {
        votes_per_participant: consultations::Limit::new(1e9, 1e9),
        votes_per_address: consultations::Limit::new(1e9, 1e9),
        ..Default::default()
    });
    let started = Instant::now();
    let results = service.results(&store, row.id)?;
    println!(
        "cold results (read {} votes from the store, analyse): {:.0} ms; {} groups, {} clustered; peak RSS {:.0} MB",
        results.votes,
        started.elapsed().as_secs_f64() * 1e3,
        results.groups.len(),
        results.clustered,
        peak_rss_mb()
    );
    let statements: Vec<i64> = store
        .statements(row.id, Some("accepted"))?
        .iter()
        .map(|s| s.id)
        .collect();
    let mut rng = fastrand::Rng::with_seed(5);
    let mut update_ms = Vec::new();
    let mut vote_us = Vec::new();
    for _ in 0..rounds {
        let (who, _) = service.join(&store, &row, None, None)?;
        for _ in 0..batch {
            let s = statements[rng.usize(0..statements.len())];
            let t = Instant::now();
            service.vote(&store, &who, "bench", s, rng.i8(-1..=1))?;
            vote_us.push(t.elapsed().as_secs_f64() * 1e6);
        }
        let t = Instant::now();
        let refreshed = service.refresh_all(&store)?;
        anyhow::ensure!(refreshed == 1, "the update did not run");
        update_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    update_ms.sort_by(f64::total_cmp);
    vote_us.sort_by(f64::total_cmp);
    let pct = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    println!(
        "update after {batch} new votes: median {:.0} ms, max {:.0} ms over {rounds} rounds; votes in process: median {:.0} µs, p99 {:.0} µs; peak RSS {:.0} MB",
        pct(&update_ms, 0.5),
        pct(&update_ms, 1.0),
        pct(&vote_us, 0.5),
        pct(&vote_us, 0.99),
        peak_rss_mb()
    );
    Ok(())
}

/// Make `n` participants of `/c/{slug}` over HTTP and write their tokens, one per line (input for
/// `bench/http/votes.lua`).
pub fn participants(base: &str, slug: &str, n: usize, out: &Path) -> anyhow::Result<()> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    for _ in 0..n {
        let mut r = agent
            .post(&format!("{base}/api/c/{slug}/participants"))
            .send_empty()?;
        let body: serde_json::Value = serde_json::from_str(&r.body_mut().read_to_string()?)?;
        let token = body["participant_token"]
            .as_str()
            .with_context(|| format!("joining failed: {body}"))?;
        writeln!(file, "{token}")?;
    }
    file.flush()?;
    println!("{n} participants written to {}", out.display());
    Ok(())
}
