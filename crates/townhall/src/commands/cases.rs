//! `townhall cases`: open cases for new posts to the agency, then list cases or change them in bulk.

use crate::cli::CasesArgs;
use anyhow::bail;
use std::process::ExitCode;
use townhall_app::cases::open_cases;
use townhall_app::inbox::{bulk, list_cases, matching_case_ids, BulkCommand, QueueRequest};
use townhall_app::Store;

fn bulk_command(args: &CasesArgs) -> Option<BulkCommand> {
    if args.close {
        Some(BulkCommand::Close)
    } else if let Some(user) = &args.assign {
        Some(BulkCommand::Assign {
            user: Some(user.clone()).filter(|u| !u.trim().is_empty()),
        })
    } else if let Some(team) = &args.route {
        Some(BulkCommand::Route {
            team: Some(team.clone()),
        })
    } else {
        args.tag
            .as_ref()
            .map(|tag| BulkCommand::Tag { tag: tag.clone() })
    }
}

pub fn run(store: &Store, args: &CasesArgs) -> anyhow::Result<ExitCode> {
    let scan = open_cases(store)?;
    if scan.filed.opened + scan.filed.joined > 0 {
        super::audit_cli(
            store,
            "cases.open",
            "inbox",
            &format!(
                "opened {}, joined {} (of {} public questions; {} posts matched an intake rule)",
                scan.filed.opened, scan.filed.joined, scan.questions, scan.addressed
            ),
        )?;
    }
    if let Some(command) = bulk_command(args) {
        let ids = if args.ids.is_empty() {
            if args.team.is_none() && args.status.is_none() {
                bail!("a bulk change needs --ids, --team or --status to say which cases");
            }
            matching_case_ids(
                store,
                &QueueRequest {
                    team: args.team.clone(),
                    status: Some(args.status.clone().unwrap_or_else(|| "any".into())),
                    ..QueueRequest::default()
                },
            )?
        } else {
            args.ids.clone()
        };
        let outcome = bulk(store, &super::cli_actor(), &ids, &command)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&outcome)?);
        } else {
            println!(
                "Changed {} cases ({} skipped: closed or unknown).",
                outcome.changed, outcome.skipped
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let listed = list_cases(
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
    println!("case\tstatus\treason\tteam\tassignee\tposts\topened (UTC)\tfirst response (UTC)\tfirst post");
    let time = |ms: Option<i64>| {
        ms.and_then(chrono::DateTime::from_timestamp_millis)
            .map_or_else(
                || "-".to_string(),
                |t| t.format("%Y-%m-%d %H:%M").to_string(),
            )
    };
    for c in &listed {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            c.id,
            c.status,
            c.reason,
            c.team.as_deref().unwrap_or("-"),
            c.assignee.as_deref().unwrap_or("-"),
            c.posts,
            time(Some(c.opened_at)),
            time(c.first_response_at),
            c.post
        );
    }
    Ok(ExitCode::SUCCESS)
}
