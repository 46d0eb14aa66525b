//! `townhall consult analyze DIR`: Townhall's opinion groups for a Pol.is export.

use crate::cli::ConsultCommand;
use std::process::ExitCode;

pub fn run(command: &ConsultCommand) -> anyhow::Result<ExitCode> {
    match command {
        ConsultCommand::Analyze { dir, json } => {
            let report = townhall_app::consult::analyze_polis_export(dir)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(ExitCode::SUCCESS);
            }
            if let Some(topic) = &report.topic {
                println!("{topic}");
            }
            println!(
                "{} participants ({} clustered), {} statements, {} votes; {} opinion groups.",
                report.participants,
                report.clustered,
                report.statements,
                report.votes,
                report.group_reports.len()
            );
            if let Some(ari) = report.agreement_with_export {
                println!("Agreement with the export's own groups (adjusted Rand index): {ari:.3}");
            }
            for group in &report.group_reports {
                println!(
                    "\nGroup {} ({} participants) stands out on:",
                    group.id, group.participants
                );
                for s in &group.representative {
                    println!(
                        "  {:>3.0}% {}: {} [{}]",
                        s.share * 100.0,
                        s.side,
                        s.text,
                        s.id
                    );
                }
            }
            println!("\nCommon ground:");
            for s in &report.consensus {
                println!(
                    "  {:>3.0}% {}: {} [{}]",
                    s.share * 100.0,
                    s.side,
                    s.text,
                    s.id
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
