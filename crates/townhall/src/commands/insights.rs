use crate::cli::{InsightsArgs, TrackCommand};
use std::process::ExitCode;
use townhall_app::insights::{InsightRequest, InsightResponse, Insights};
use townhall_app::tracked::{track as save, tracked, untrack};
use townhall_app::{AppError, Store};

pub fn run(store: &Store, args: &InsightsArgs) -> anyhow::Result<ExitCode> {
    let request = InsightRequest {
        since: args.since.clone(),
        until: args.until.clone(),
        channels: args.channels.clone(),
        query: args.query.clone(),
        utc_offset_minutes: args.utc_offset,
        top: args.top,
    };
    let response = match Insights::new().report(store, &request) {
        Ok(r) => r,
        Err(AppError::Query {
            message, pointer, ..
        }) => {
            eprintln!("error: --query: {message}\n{pointer}");
            return Ok(ExitCode::from(2));
        }
        Err(AppError::Invalid(message)) => {
            eprintln!("error: {message}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&response)?);
    } else {
        print_summary(&response);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn track(store: &Store, command: &TrackCommand) -> anyhow::Result<ExitCode> {
    let result = match command {
        TrackCommand::Add { name, query } => save(store, name, query).map(|t| {
            println!("Tracking '{}': {}", t.name, t.query);
            Some(("tracked_topic.save", t.name, t.query))
        }),
        TrackCommand::List { json } => tracked(store).map(|topics| {
            if *json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&topics).unwrap_or_default()
                );
            } else if topics.is_empty() {
                println!("No tracked topics. Add one with: townhall track add NAME QUERY");
            } else {
                for t in topics {
                    println!("{}\t{}", t.name, t.query);
                }
            }
            None
        }),
        TrackCommand::Remove { name } => untrack(store, name).map(|()| {
            println!("Stopped tracking '{}'.", name.trim());
            Some((
                "tracked_topic.remove",
                name.trim().to_string(),
                String::new(),
            ))
        }),
    };
    match result {
        Ok(change) => {
            if let Some((action, target, detail)) = change {
                super::audit_cli(store, action, &target, &detail)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(AppError::Query {
            message, pointer, ..
        }) => {
            eprintln!("error: {message}\n{pointer}");
            Ok(ExitCode::from(2))
        }
        Err(AppError::Invalid(message)) => {
            eprintln!("error: {message}");
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(e.into()),
    }
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn print_summary(r: &InsightResponse) {
    let rep = &r.report;
    println!(
        "Insights over {} posts ({} stored).",
        r.scope.posts, r.scope.stored_posts
    );

    println!("\nWHERE PEOPLE ARE");
    for c in &rep.where_.channels {
        println!(
            "  {:<40} {:>7} posts  {:>6} own  {:>7} public  {:>6} questions  {:?}",
            c.channel, c.posts, c.own_posts, c.public_posts, c.public_questions, c.role
        );
    }
    if let Some((day, hour, n)) = rep.where_.hour_of_week.public_peak {
        println!(
            "  The public posts most on {} at {:02}:00 (UTC{:+}min): {n} posts.",
            DAYS[day], hour, rep.where_.hour_of_week.utc_offset_minutes
        );
    }

    let t = &rep.topics;
    println!(
        "\nWHAT THEY CARE ABOUT ({} topics, coherence {})",
        t.discovered.len(),
        t.coherence.map_or("n/a".into(), |c| format!("{c:.3}"))
    );
    for topic in &t.discovered {
        println!(
            "  {:>2}. {:<50} {:>7} posts ({}), {} negative",
            topic.id,
            topic.label,
            topic.size,
            percent(topic.share),
            percent(topic.sentiment.negative_share)
        );
    }
    for tracked in &t.tracked {
        println!("  tracked '{}': {} posts", tracked.name, tracked.posts);
    }
    for spike in t.spikes.iter().take(5) {
        println!(
            "  spike {} {:?} in '{}'{}: {} posts vs {:.1} expected (z {:.1})",
            spike.spike.date,
            spike.spike.kind,
            spike.topic,
            spike
                .spike
                .channel
                .as_ref()
                .map_or(String::new(), |c| format!(" on {c}")),
            spike.spike.observed,
            spike.spike.expected,
            spike.spike.z
        );
    }

    println!("\nWHAT LANGUAGE THEY USE");
    let langs: Vec<String> = rep
        .language
        .languages
        .iter()
        .take(8)
        .map(|l| format!("{} {}", l.lang, percent(l.share)))
        .collect();
    println!("  {}", langs.join(", "));
    let gap = &rep.language.vocabulary_gap;
    let terms = |v: &[townhall_insight::vocabulary::GapTerm]| {
        v.iter()
            .map(|g| g.term.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "  The public says, the agency never: {}",
        terms(&gap.public_only)
    );
    println!(
        "  The agency says, the public never: {}",
        terms(&gap.agency_only)
    );

    let s = &rep.sentiment;
    println!("\nWHAT MAKES THEM TICK");
    println!(
        "  Public: mean {:+.2}, {} negative, {} positive.",
        s.public.mean_compound,
        percent(s.public.negative_share),
        percent(s.public.positive_share)
    );
    let drivers = |v: &[townhall_insight::vocabulary::Driver]| {
        v.iter()
            .map(|d| d.term.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "  Negative posts speak of: {}",
        drivers(&s.drivers.negative)
    );
    println!(
        "  Positive posts speak of: {}",
        drivers(&s.drivers.positive)
    );
    println!(
        "  {} of {} own posts drew a response.",
        s.reception.drew_any, s.reception.own_posts
    );

    let c = &rep.communities;
    println!("\nWHAT MAKES THEM STICK");
    println!(
        "  {} voices, {} ties, {} communities, modularity {:.3}.",
        c.voices, c.ties, c.community_count, c.modularity
    );
    for community in c.communities.iter().take(5) {
        let voices: Vec<&str> = community
            .voices
            .iter()
            .take(3)
            .map(|v| v.voice.as_str())
            .collect();
        println!(
            "  community {}: {} voices, around {}",
            community.id,
            community.size,
            voices.join(", ")
        );
    }

    let e = &rep.engagement;
    println!("\nENGAGEMENT, NOT BROADCAST");
    println!(
        "  Own posts: {} original, {} quote, {} repost, {} reply ({} conversational).",
        e.kinds.original,
        e.kinds.quote,
        e.kinds.repost,
        e.kinds.reply,
        percent(e.kinds.conversational_share)
    );
    println!(
        "  Public questions: {} asked, {} answered ({}), median first answer {}.",
        e.questions.public_questions,
        e.questions.answered,
        percent(e.questions.answered_share),
        e.questions
            .median_minutes_to_first_answer
            .map_or("n/a".into(), |m| format!("{m:.0} min"))
    );
}
