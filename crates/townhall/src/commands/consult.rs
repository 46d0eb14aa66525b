//! `townhall consult …`: analyse a Pol.is export folder, and run the store's consultations (list, create,
//! seed, phase, import, export, results).

use crate::cli::ConsultCommand;
use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;
use townhall_app::consult::ConsultReport;
use townhall_app::consultations::{self, ConsultationSettings, Consultations, Moderation, Phase};

pub fn run(data: &Path, command: &ConsultCommand) -> anyhow::Result<ExitCode> {
    if let ConsultCommand::Analyze { dir, json } = command {
        let report = townhall_app::consult::analyze_polis_export(dir)?;
        if *json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            print_report(&report);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let store = super::open_store(data)?;
    let actor = super::cli_actor();
    let service = Consultations::default();
    match command {
        ConsultCommand::Analyze { .. } => unreachable!("handled above"),
        ConsultCommand::List { json } => {
            let rows = store.consultations()?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                println!("id\tphase\tparticipants\tstatements\tpending\tvotes\taddress\tquestion");
                for c in &rows {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t/c/{}\t{}",
                        c.id,
                        c.phase,
                        c.participants,
                        c.statements,
                        c.pending,
                        c.votes,
                        c.slug,
                        c.question
                    );
                }
            }
        }
        ConsultCommand::Create {
            question,
            description,
            moderation,
            languages,
            slug,
            seeds,
        } => {
            let mut settings = ConsultationSettings::new(question);
            settings.description = description.clone();
            settings.moderation = Moderation::parse(moderation)?;
            settings.languages = languages.split(',').map(str::to_string).collect();
            settings.slug = slug.clone();
            let (texts, rejects) = match seeds {
                Some(path) => read_seeds(path)?,
                None => (Vec::new(), Vec::new()),
            };
            let (row, report) = consultations::create(&store, &actor, &settings, &texts)?;
            for line in rejects.iter().chain(&report.rejected) {
                eprintln!("skipped: {line}");
            }
            println!(
                "Consultation {} created as a draft at /c/{}: {} seed statements ({} already there).",
                row.id, row.slug, report.added, report.duplicates
            );
        }
        ConsultCommand::Seed { id, csv } => {
            let (texts, rejects) = read_seeds(csv)?;
            let report = consultations::add_seeds(&store, &actor, *id, &texts)?;
            for line in rejects.iter().chain(&report.rejected) {
                eprintln!("skipped: {line}");
            }
            println!(
                "{} seed statements added ({} already there, {} skipped).",
                report.added,
                report.duplicates,
                rejects.len() + report.rejected.len()
            );
        }
        ConsultCommand::Phase { id, phase } => {
            let row = consultations::set_phase(&store, &actor, *id, Phase::parse(phase)?)?;
            println!("Consultation {} is now {}.", row.id, row.phase);
        }
        ConsultCommand::Import { dir, slug } => {
            let imported =
                consultations::import_polis(&store, &service, &actor, dir, slug.as_deref())?;
            println!(
                "Imported {} as consultation {} (/c/{}, closed): {} statements, {} participants, {} votes.",
                dir.display(),
                imported.consultation.id,
                imported.consultation.slug,
                imported.statements,
                imported.participants,
                imported.votes
            );
        }
        ConsultCommand::Export { id, dir } => {
            let export = consultations::export_polis(&store, &service, &actor, *id, dir)?;
            println!(
                "Wrote {} statements and {} votes to {} (comments.csv, votes.csv, participants-votes.csv, summary.csv).",
                export.comments.len(),
                export.votes.len(),
                dir.display()
            );
        }
        ConsultCommand::Results { id, json } => {
            let results = service.results(&store, *id)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&results)?);
            } else {
                println!("{}", results.consultation.question);
                println!(
                    "{} participants voted ({} placed in groups), {} votes; {} opinion groups.",
                    results.voters,
                    results.clustered,
                    results.votes,
                    results.groups.len()
                );
                for g in &results.groups {
                    println!(
                        "\nGroup {} ({} participants) stands out on:",
                        g.label, g.participants
                    );
                    for s in &g.representative {
                        println!("  {:>3.0}% {}: {}", s.share * 100.0, s.side, s.text);
                    }
                }
                println!("\nCommon ground:");
                for s in &results.consensus {
                    println!("  {:>3.0}% {}: {}", s.share * 100.0, s.side, s.text);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_seeds(path: &Path) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(consultations::parse_seed_csv(
        file,
        &path.display().to_string(),
    )?)
}

fn print_report(report: &ConsultReport) {
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
}
