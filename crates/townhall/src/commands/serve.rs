use crate::cli::ServeArgs;
use crate::demo_data;
use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use townhall_app::import::{import_files, ImportRequest, NoProgress};
use townhall_app::Store;
use townhall_ingest::{AccountsRegistry, Format, ImportOptions};

pub fn serve(store: Arc<Store>, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let defaults = townhall_app::consultations::ParticipationLimits::default();
    let limits = townhall_app::consultations::ParticipationLimits {
        votes_per_address: townhall_app::consultations::Limit::new(
            args.votes_per_address,
            5.0 * args.votes_per_address,
        ),
        votes_per_participant: townhall_app::consultations::Limit::new(
            args.votes_per_participant,
            10.0 * args.votes_per_participant,
        ),
        ..defaults
    };
    let state = townhall_web::AppState::new(store.clone())
        .with_secure_cookies(args.secure_cookies)
        .with_participation_limits(limits);
    // First run: an administrator with a one-time password, shown here once.
    if let Some(first) = state
        .accounts
        .ensure_first_admin(&store, &args.admin)
        .context("creating the first administrator")?
    {
        println!(
            "First run: sign in as {} with the one-time password {} (you will choose your own).",
            first.username, first.password
        );
    }
    // Load the posts' facts and compute the overview's report in the background, so that the first visitor
    // of a large store does not wait for them (it takes seconds on a million posts).
    {
        let (store, insights) = (store.clone(), state.insights.clone());
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            match insights.report(&store, &townhall_app::insights::InsightRequest::default()) {
                Ok(r) => tracing::info!(
                    posts = r.scope.stored_posts,
                    seconds = started.elapsed().as_secs_f64(),
                    "insight engine warmed up"
                ),
                Err(e) => tracing::warn!(error = %e, "warming up the insight engine failed"),
            }
        });
    }
    spawn_inbox_intake(store.clone());
    spawn_consultation_updates(store.clone(), state.consultations.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let addr = listener.local_addr()?;
        println!("Townhall is serving on http://{addr}/  (Ctrl-C stops it)");
        tracing::info!(%addr, "serving");
        townhall_web::serve(listener, state)
            .await
            .context("serving HTTP")?;
        Ok(ExitCode::SUCCESS)
    })
}

/// How often the server looks for new posts that should become cases, and wakes snoozed cases.
const INBOX_SCAN_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Keep the inbox filled while the server runs: new posts (from any import, the web's or the command
/// line's) become cases by the intake rules, and snoozed cases wake when their time comes.
fn spawn_inbox_intake(store: Arc<Store>) {
    std::thread::spawn(move || loop {
        match townhall_app::cases::open_cases(&store) {
            Ok(scan) if scan.filed.opened + scan.filed.joined > 0 => {
                tracing::info!(
                    opened = scan.filed.opened,
                    joined = scan.filed.joined,
                    "inbox: new cases"
                );
                let detail = format!(
                    "opened {}, joined {} ({} posts matched an intake rule)",
                    scan.filed.opened, scan.filed.joined, scan.addressed
                );
                if let Err(e) = store.append_audit(&townhall_app::AuditEntry {
                    actor_id: None,
                    actor: "townhall",
                    action: "cases.open",
                    target: "inbox",
                    detail: &detail,
                }) {
                    tracing::warn!(error = %e, "auditing the inbox scan failed");
                }
            }
            Ok(_) => {}
            // A busy store (an import writing) is tried again at the next turn.
            Err(e) => tracing::warn!(error = %e, "inbox scan failed"),
        }
        if let Err(e) = store.wake_snoozed_cases(chrono::Utc::now().timestamp_millis()) {
            tracing::warn!(error = %e, "waking snoozed cases failed");
        }
        std::thread::sleep(INBOX_SCAN_EVERY);
    });
}

/// How often open consultations' results are brought up to date (when votes arrived).
const CONSULTATION_UPDATE_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Keep open consultations' opinion groups at most a couple of seconds behind the votes.
fn spawn_consultation_updates(
    store: Arc<Store>,
    consultations: Arc<townhall_app::consultations::Consultations>,
) {
    std::thread::spawn(move || loop {
        if let Err(e) = consultations.refresh_all_in_background(&store) {
            tracing::warn!(error = %e, "updating consultation results failed");
        }
        std::thread::sleep(CONSULTATION_UPDATE_EVERY);
    });
}

/// On the first run, import the bundled sample into the store.
pub fn load_demo(store: &Store, data_dir: &Path) -> anyhow::Result<()> {
    if store.post_count()? > 0 {
        println!("Using the posts already stored in {}.", data_dir.display());
        return Ok(());
    }
    let sample_dir = data_dir.join("demo-sample");
    std::fs::create_dir_all(&sample_dir)
        .with_context(|| format!("creating {}", sample_dir.display()))?;
    let write = |f: &demo_data::SampleFile| -> anyhow::Result<std::path::PathBuf> {
        let path = sample_dir.join(f.name);
        std::fs::write(&path, f.bytes).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    };
    let registry = AccountsRegistry::from_json(
        std::str::from_utf8(demo_data::CONGRESS_ACCOUNTS.bytes).context("registry is not UTF-8")?,
    )
    .context("reading the bundled accounts registry")?;
    let congress = ImportRequest {
        paths: vec![write(&demo_data::CONGRESS_TWEETS)?],
        format: Some(Format::CongressTweets),
        // Members of Congress and their offices are public officials: keep their handles.
        keep_public_handles: Some(true),
        ingest: ImportOptions {
            accounts_registry: Some(registry),
            ..ImportOptions::default()
        },
        ..ImportRequest::default()
    };
    let replies = ImportRequest {
        paths: demo_data::PUBLIC_REPLIES
            .iter()
            .map(write)
            .collect::<anyhow::Result<_>>()?,
        format: Some(Format::PublicReplies),
        own_accounts: vec![demo_data::OWN_ACCOUNT.to_string()],
        ..ImportRequest::default()
    };
    let mastodon = ImportRequest {
        paths: vec![write(&demo_data::MASTODON)?],
        format: Some(Format::Mastodon),
        ..ImportRequest::default()
    };
    let mut total = 0;
    for request in [congress, replies, mastodon] {
        let summary = import_files(store, &request, &NoProgress)?;
        super::audit_cli(
            store,
            "import.finish",
            &summary.files.join(", "),
            &format!("demo sample: imported {}", summary.imported),
        )?;
        total += summary.imported;
    }
    println!("Loaded the demo sample: {total} posts (see demo/README.md for sources).");
    load_demo_consultations(store, &sample_dir)?;
    Ok(())
}

/// The demo's consultations: a finished Pol.is conversation (closed, with its groups) and a pilot open to
/// staff and the public, so a new user can take part at once.
fn load_demo_consultations(store: &Store, sample_dir: &Path) -> anyhow::Result<()> {
    use townhall_app::consultations;
    let polis_dir = sample_dir.join("polis-canadian-electoral-reform");
    std::fs::create_dir_all(&polis_dir)
        .with_context(|| format!("creating {}", polis_dir.display()))?;
    for f in &demo_data::POLIS_CONVERSATION {
        std::fs::write(polis_dir.join(f.name), f.bytes)
            .with_context(|| format!("writing {}", polis_dir.join(f.name).display()))?;
    }
    let actor = super::cli_actor();
    let service = consultations::Consultations::default();
    let imported = consultations::import_polis(
        store,
        &service,
        &actor,
        &polis_dir,
        Some("electoral-reform"),
    )?;
    let mut pilot = consultations::ConsultationSettings::new(demo_data::PILOT_QUESTION);
    pilot.slug = Some("answering-online".into());
    pilot.description = "A pilot with staff first: how should we answer what the public asks us on social media? Vote on the statements and add your own.".into();
    let seeds: Vec<String> = demo_data::PILOT_SEEDS.map(String::from).to_vec();
    let (row, _) = consultations::create(store, &actor, &pilot, &seeds)?;
    consultations::set_phase(store, &actor, row.id, consultations::Phase::Public)?;
    println!(
        "Demo consultations: /c/answering-online (open) and /consultations/{} (a finished Pol.is conversation, {} participants).",
        imported.consultation.id, imported.participants
    );
    load_demo_strategies(store, &actor)?;
    Ok(())
}

/// Three example strategies in different phases, so a new user sees the whole idea at once; the
/// innovation strategy runs an idea campaign with employees first, and the outreach strategy tries an
/// outbound message and a saved reply with employees before the public sees them.
fn load_demo_strategies(store: &Store, actor: &townhall_app::actor::Actor) -> anyhow::Result<()> {
    use townhall_app::strategies::{create, StrategyInput};
    use townhall_strategy::goals::{Direction, Goal, Metric};
    let goal = |metric, direction, target| Goal {
        metric,
        direction,
        target,
    };
    townhall_app::campaigns::create(
        store,
        actor,
        &townhall_app::campaigns::CampaignInput {
            slug: "fewer-trips".into(),
            title: "Fewer trips to our offices".into(),
            question:
                "What could the public do online that today needs a visit to one of our offices?"
                    .into(),
            strategy: Some("Ideas from the front line".into()),
        },
    )?;
    let own_channels: Vec<String> = store
        .channels()?
        .into_iter()
        .filter(|c| c.owned)
        .map(|c| c.key.to_string())
        .take(5)
        .collect();
    townhall_app::trials::create_outbound(
        store,
        actor,
        &townhall_app::trials::OutboundInput {
            title: "Winter office hours".into(),
            body: "From December 1 our offices open 9 to 4. You can renew permits online any time at our website. #WinterHours".into(),
            images: vec![townhall_strategy::draft::Image {
                name: "office-door.jpg".into(),
                alt: Some("Our front office door with the new opening hours on a sign".into()),
            }],
            channel: own_channels.first().cloned(),
            strategy: Some("Reach people where they are".into()),
        },
    )?;
    townhall_app::inbox_settings::save_saved_reply(
        store,
        actor,
        &townhall_app::SavedReply {
            id: 0,
            title: "Where to renew online".into(),
            team: None,
            body: "Hi {author}, you can renew online at any time; it takes about ten minutes. {agent}, {team}".into(),
            audience: "employees".into(),
        },
    )?;
    let examples = [
        StrategyInput {
            name: "Reach people where they are".into(),
            kind: "outreach".into(),
            purpose: "Post service news where the public already talks to us, and answer back."
                .into(),
            team: Some("Digital engagement".into()),
            channels: own_channels.clone(),
            goals: vec![goal(Metric::ReplyShareOfOwnPosts, Direction::AtLeast, 0.2)],
            phase: Some("scaled".into()),
            next_review: Some("2027-01-15".into()),
            ..StrategyInput::default()
        },
        StrategyInput {
            name: "Ask before we decide".into(),
            kind: "consultation".into(),
            purpose: "Consult staff first, then the public, on how we answer online.".into(),
            team: Some("Policy".into()),
            consultations: vec!["answering-online".into(), "electoral-reform".into()],
            goals: vec![goal(
                Metric::ConsultationParticipants {
                    consultation: "answering-online".into(),
                },
                Direction::AtLeast,
                300.0,
            )],
            phase: Some("limited_public".into()),
            next_review: Some("2026-12-15".into()),
            ..StrategyInput::default()
        },
        StrategyInput {
            name: "Ideas from the front line".into(),
            kind: "innovation".into(),
            purpose:
                "Turn the public's and staff's ideas into small pilots, tried with employees first."
                    .into(),
            team: Some("Innovation office".into()),
            campaigns: vec!["fewer-trips".into()],
            goals: vec![
                goal(Metric::IdeasAdopted, Direction::AtLeast, 3.0),
                goal(
                    Metric::CampaignIdeas {
                        campaign: "fewer-trips".into(),
                    },
                    Direction::AtLeast,
                    25.0,
                ),
            ],
            phase: Some("pilot".into()),
            next_review: Some("2027-02-01".into()),
            ..StrategyInput::default()
        },
    ];
    for example in &examples {
        create(store, actor, example)?;
    }
    println!("Demo strategies: /strategies (outreach scaled, consultation limited public, innovation pilot); on trial with employees: /trials; an idea campaign: /campaigns/fewer-trips.");
    Ok(())
}
