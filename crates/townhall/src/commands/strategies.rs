//! `townhall strategies`: each strategy's goals against their live values, and whether it may move on.

use crate::cli::{ReportArgs, StrategiesArgs};
use anyhow::Context;
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

/// `townhall report --since --until --out FILE`: the progress report as a PDF (by the binary itself) or
/// an HTML page.
pub fn report(store: &Store, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let insights = townhall_app::insights::Insights::new();
    let consultations = townhall_app::consultations::Consultations::default();
    let report = townhall_app::progress_report::build(
        store,
        &insights,
        &consultations,
        args.since.as_deref(),
        args.until.as_deref(),
        chrono::Utc::now().timestamp_millis(),
    )?;
    let extension = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("pdf") => townhall_app::progress_report::write_pdf(&report, &args.out)?,
        Some("html" | "htm") => std::fs::write(&args.out, townhall_web::report_html(&report))
            .with_context(|| format!("writing {}", args.out.display()))?,
        _ => anyhow::bail!("{}: name a .pdf or .html file", args.out.display()),
    }
    println!(
        "Wrote the progress report ({} strategies) to {}.",
        report.strategies.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
