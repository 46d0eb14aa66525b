//! `townhall cases`: open cases for new questions, then list cases.

use crate::cli::CasesArgs;
use std::process::ExitCode;
use townhall_app::cases::{cases, open_cases};
use townhall_app::Store;

pub fn run(store: &Store, args: &CasesArgs) -> anyhow::Result<ExitCode> {
    let scan = open_cases(store)?;
    if scan.filed.opened + scan.filed.joined > 0 {
        super::audit_cli(
            store,
            "cases.open",
            "inbox",
            &format!(
                "opened {}, joined {} (of {} public questions, {} addressed to the agency)",
                scan.filed.opened, scan.filed.joined, scan.questions, scan.addressed
            ),
        )?;
    }
    let listed = cases(
        store,
        args.team.as_deref(),
        args.status.as_deref(),
        args.limit,
    )?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&listed)?);
        return Ok(ExitCode::SUCCESS);
    }
    if scan.filed.opened > 0 {
        eprintln!(
            "Opened {} new cases ({} posts joined open ones).",
            scan.filed.opened, scan.filed.joined
        );
    }
    println!("case\tstatus\treason\tteam\tassignee\tposts\topened (UTC)\tfirst post");
    for c in &listed {
        let opened = chrono::DateTime::from_timestamp_millis(c.opened_at)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            c.id,
            c.status,
            c.reason,
            c.team.as_deref().unwrap_or("-"),
            c.assignee.as_deref().unwrap_or("-"),
            c.posts,
            opened,
            c.post
        );
    }
    Ok(ExitCode::SUCCESS)
}
