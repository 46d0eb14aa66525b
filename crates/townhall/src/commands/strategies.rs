//! `townhall strategies`: each strategy's goals against their live values, and whether it may move on.

use crate::cli::StrategiesArgs;
use std::process::ExitCode;
use townhall_app::strategies::{list, view};
use townhall_app::Store;
use townhall_strategy::goals::format_value;

pub fn run(store: &Store, args: &StrategiesArgs) -> anyhow::Result<ExitCode> {
    let now = chrono::Utc::now().timestamp_millis();
    let views = list(store)?
        .iter()
        .map(|s| view(store, s.id, now))
        .collect::<Result<Vec<_>, _>>()?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&views)?);
        return Ok(ExitCode::SUCCESS);
    }
    for v in &views {
        let s = &v.strategy;
        println!(
            "{} ({}, {}{})",
            s.name,
            s.kind.label(),
            s.phase.label(),
            s.team
                .as_deref()
                .map(|t| format!(", {t}"))
                .unwrap_or_default()
        );
        for g in &v.goals {
            println!(
                "  {} {}: now {}",
                if g.met { "met    " } else { "not met" },
                g.description,
                g.value
                    .map_or("no data".into(), |x| format_value(&g.goal.metric, x))
            );
        }
        match v.recommendation.next {
            Some(next) if v.recommendation.move_now => {
                println!("  ready to move to {}", next.label())
            }
            Some(next) => println!(
                "  not ready for {}: {}",
                next.label(),
                v.recommendation
                    .reasons
                    .iter()
                    .filter(|r| !r.met)
                    .map(|r| r.text.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            None => println!("  in its last phase"),
        }
    }
    Ok(ExitCode::SUCCESS)
}
