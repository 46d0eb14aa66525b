//! The inbox at scale: build a store with N open cases (the public's questions to an agency, routed to four
//! teams, some assigned to one responder), then time the queue and case views in process.

use anyhow::Context;
use std::io::Write;
use std::path::Path;
use std::time::Instant;
use townhall_app::accounts::{Accounts, NewUser};
use townhall_app::actor::Actor;
use townhall_app::import::{import_files, ImportRequest, NoProgress};
use townhall_app::inbox::{bulk, case_view, queue, BulkCommand, QueueRequest, QueueView};
use townhall_app::Store;
use townhall_core::Role;

/// The passphrase of every account the bench store creates (a local, throw-away store).
pub const PASSPHRASE: &str = "bench passphrase 2026";
const TEAMS: [&str; 4] = ["Benefits", "Parks", "Permits", "Transit"];
const QUESTIONS: [&str; 8] = [
    "When will my benefits payment arrive this month?",
    "Is the park pool open on Sundays this summer?",
    "How long does a building permit take to approve?",
    "Why was the bus late again on route",
    "Where do I renew my parking permit online?",
    "Can I bring my dog to the riverside park?",
    "Who do I call about a missed benefits letter?",
    "Will the night buses run during the festival?",
];

/// Build the store in `out` with `cases` open cases.
pub fn build(out: &Path, cases: usize, seed: u64) -> anyhow::Result<()> {
    std::fs::create_dir_all(out)?;
    let jsonl = out.join("inbox-posts.jsonl");
    let mut rng = fastrand::Rng::with_seed(seed);
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&jsonl)?);
        for i in 0..20 {
            let line = serde_json::json!({
                "id": format!("agency-{i}"), "author": "agency",
                "text": format!("Service update number {i}: tell us what you need."),
                "created_at": format!("2026-10-{:02}T09:00:00Z", 1 + i),
            });
            writeln!(f, "{line}")?;
        }
        for i in 0..cases {
            let day = 1 + rng.usize(0..55);
            let line = serde_json::json!({
                "id": format!("q{i}"), "author": format!("resident{i}"),
                "text": format!("{} Ref {i}.", QUESTIONS[rng.usize(0..QUESTIONS.len())]),
                "created_at": format!("2026-{:02}-{:02}T{:02}:{:02}:00Z",
                    if day > 31 { 11 } else { 10 }, if day > 31 { day - 31 } else { day },
                    rng.u32(0..24), rng.u32(0..60)),
                "reply_to": format!("agency-{}", rng.usize(0..20)),
            });
            writeln!(f, "{line}")?;
        }
    }
    let store = Store::open(&out.join("store"))?;
    let started = Instant::now();
    import_files(
        &store,
        &ImportRequest {
            paths: vec![jsonl],
            own_accounts: vec!["agency".into()],
            ingest: townhall_ingest::ImportOptions {
                account: Some("city".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        &NoProgress,
    )?;
    println!(
        "imported {} posts in {:.1} s",
        cases + 20,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let scan = townhall_app::cases::open_cases(&store)?;
    println!(
        "opened {} cases in {:.1} s",
        scan.filed.opened,
        started.elapsed().as_secs_f64()
    );

    let accounts = Accounts::new();
    let first = accounts
        .ensure_first_admin(&store, "admin")?
        .context("the store already has accounts")?;
    let session = accounts.login(&store, "admin", &first.password, "bench")?;
    accounts.change_password(&store, &session.user, &first.password, PASSPHRASE)?;
    let admin = accounts.login(&store, "admin", PASSPHRASE, "bench")?.user;
    let (_, one_time) = accounts.create_user(
        &store,
        &admin,
        &NewUser {
            username: "responder".into(),
            display_name: "Rita Responder".into(),
            role: Role::Responder,
            team: Some(TEAMS[0].into()),
        },
    )?;
    let session = accounts.login(&store, "responder", &one_time, "bench")?;
    accounts.change_password(&store, &session.user, &one_time, PASSPHRASE)?;

    let actor = Actor::from(&admin);
    let ids: Vec<i64> =
        townhall_app::inbox::list_cases(&store, None, Some("open"), usize::MAX >> 1)?
            .into_iter()
            .map(|c| c.id)
            .collect();
    let started = Instant::now();
    for (team, chunk) in TEAMS
        .iter()
        .zip(ids.chunks(ids.len().div_ceil(TEAMS.len())))
    {
        bulk(
            &store,
            &actor,
            chunk,
            &BulkCommand::Route {
                team: Some(team.to_string()),
            },
        )?;
    }
    let assigned: Vec<i64> = ids.iter().step_by(50).copied().collect();
    bulk(
        &store,
        &actor,
        &assigned,
        &BulkCommand::Assign {
            user: Some("responder".into()),
        },
    )?;
    println!(
        "routed {} cases to 4 teams and assigned {} to the responder in {:.1} s",
        ids.len(),
        assigned.len(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "store: {}; sign in as responder / {PASSPHRASE:?}",
        out.join("store").display()
    );
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Time the inbox views over the store in `data` (no HTTP: the use cases behind the pages).
pub fn measure(data: &Path, runs: usize) -> anyhow::Result<()> {
    let store = Store::open(data)?;
    let responder = Actor::from(
        &store
            .user_by_name("responder")?
            .context("no responder: build the store with inbox-store first")?,
    );
    let now = chrono::Utc::now().timestamp_millis();
    let total = townhall_app::inbox::queue(
        &store,
        &responder,
        &QueueRequest {
            view: QueueView::All,
            ..Default::default()
        },
        now,
    )?
    .total;
    println!("{total} open or snoozed cases");
    let mut rng = fastrand::Rng::with_seed(3);
    let views: Vec<(&str, QueueRequest)> = vec![
        (
            "mine",
            QueueRequest {
                view: QueueView::Mine,
                ..Default::default()
            },
        ),
        (
            "team",
            QueueRequest {
                view: QueueView::Team,
                ..Default::default()
            },
        ),
        (
            "all",
            QueueRequest {
                view: QueueView::All,
                ..Default::default()
            },
        ),
        (
            "all, newest first",
            QueueRequest {
                view: QueueView::All,
                newest_first: true,
                ..Default::default()
            },
        ),
        (
            "all, page 1000",
            QueueRequest {
                view: QueueView::All,
                page: 1000,
                ..Default::default()
            },
        ),
        (
            "unassigned, tag filter",
            QueueRequest {
                view: QueueView::Unassigned,
                tag: Some("none".into()),
                ..Default::default()
            },
        ),
    ];
    for (name, request) in &views {
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            let page = queue(&store, &responder, request, now)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(page);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "queue {name:<24} median {:>7.2} ms  p95 {:>7.2} ms",
            percentile(&times, 50.0),
            percentile(&times, 95.0)
        );
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let id = 1 + rng.i64(0..total.max(1) as i64);
        let t = Instant::now();
        let view = case_view(&store, &responder, id, now)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(view);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "case view (random case)        median {:>7.2} ms  p95 {:>7.2} ms",
        percentile(&times, 50.0),
        percentile(&times, 95.0)
    );
    Ok(())
}
