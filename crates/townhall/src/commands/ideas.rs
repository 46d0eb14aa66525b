//! `townhall ideas` lists ideas with their stage; `townhall outbox` exports recorded replies.

use crate::cli::{IdeasArgs, OutboxArgs};
use std::io::Write;
use std::process::ExitCode;
use townhall_app::Store;

pub fn run(store: &Store, args: &IdeasArgs) -> anyhow::Result<ExitCode> {
    let ideas = townhall_app::ideas::list(store, args.stage.as_deref(), args.limit)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&ideas)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("idea\tstage\tvotes for\tagainst\towner\tstrategy\tsource\ttitle");
    for i in &ideas {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            i.id,
            i.stage,
            i.votes_for,
            i.votes_against,
            i.owner.as_deref().unwrap_or("-"),
            i.strategy.as_deref().unwrap_or("-"),
            i.source_kind,
            i.title
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn outbox(store: &Store, args: &OutboxArgs) -> anyhow::Result<ExitCode> {
    let entries =
        townhall_app::inbox_settings::outbox(store, &super::cli_actor(), args.after, args.limit)?;
    let mut out = std::io::stdout().lock();
    for entry in &entries {
        writeln!(out, "{}", serde_json::to_string(entry)?)?;
    }
    Ok(ExitCode::SUCCESS)
}
