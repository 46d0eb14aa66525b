//! `townhall trials` and `townhall campaigns`: what runs with employees first, and the idea campaigns.

use crate::cli::StrategiesArgs;
use std::process::ExitCode;
use townhall_app::Store;

pub fn trials(store: &Store, args: &StrategiesArgs) -> anyhow::Result<ExitCode> {
    let insights = townhall_app::insights::Insights::new();
    let views = townhall_app::trials::list(store)?
        .iter()
        .map(|t| townhall_app::trials::view(store, &insights, t.subject, t.id))
        .collect::<Result<Vec<_>, _>>()?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&views)?);
        return Ok(ExitCode::SUCCESS);
    }
    if views.is_empty() {
        println!("Nothing on trial.");
    }
    for v in &views {
        println!(
            "{} {} \"{}\": {}, {} of {} review(s) found it clear",
            v.subject.as_str(),
            v.id,
            v.title,
            v.audience,
            v.check.clear,
            v.check.reviews
        );
        if v.audience == "employees" {
            let waiting = v.check.waiting();
            if waiting.is_empty() {
                println!("  ready for the public");
            } else {
                println!("  waits: {}", waiting.join("; "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn campaigns(store: &Store, args: &StrategiesArgs) -> anyhow::Result<ExitCode> {
    let all = townhall_app::campaigns::list(store)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&all)?);
        return Ok(ExitCode::SUCCESS);
    }
    if all.is_empty() {
        println!("No idea campaigns.");
    }
    for c in &all {
        println!(
            "{} \"{}\" ({}): {} idea(s), {} adopted{}\n  {}",
            c.slug,
            c.title,
            townhall_app::campaigns::audience_label(&c.audience),
            c.ideas,
            c.adopted,
            c.strategy
                .as_deref()
                .map(|s| format!("; strategy {s}"))
                .unwrap_or_default(),
            c.question
        );
    }
    Ok(ExitCode::SUCCESS)
}
