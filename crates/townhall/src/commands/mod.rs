mod analyze;
mod cases;
mod consult;
mod ideas;
mod import;
mod insights;
mod search;
mod serve;
mod strategies;
mod trials;

use crate::cli::{Cli, Command};
use anyhow::Context;
use std::process::ExitCode;
use std::sync::Arc;
use townhall_app::Store;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Import(args) => import::run(&*open_store(&cli.data)?, &args),
        Command::Search(args) => search::run(&*open_store(&cli.data)?, &args),
        Command::Insights(args) => insights::run(&*open_store(&cli.data)?, &args),
        Command::Track(command) => insights::track(&*open_store(&cli.data)?, &command),
        Command::Cases(args) => cases::run(&*open_store(&cli.data)?, &args),
        Command::Ideas(args) => ideas::run(&*open_store(&cli.data)?, &args),
        Command::Outbox(args) => ideas::outbox(&*open_store(&cli.data)?, &args),
        Command::Consult(command) => consult::run(&cli.data, &command),
        Command::Report(args) => strategies::report(&*open_store(&cli.data)?, &args),
        Command::Strategies(args) => strategies::run(&*open_store(&cli.data)?, &args),
        Command::Trials(args) => trials::trials(&*open_store(&cli.data)?, &args),
        Command::Campaigns(args) => trials::campaigns(&*open_store(&cli.data)?, &args),
        Command::Serve(args) => serve::serve(open_store(&cli.data)?, &args),
        Command::Demo(args) => {
            let store = open_store(&cli.data)?;
            serve::load_demo(&store, &cli.data)?;
            serve::serve(store, &args)
        }
    }
}

pub(crate) fn open_store(dir: &std::path::Path) -> anyhow::Result<Arc<Store>> {
    Ok(Arc::new(Store::open(dir).with_context(|| {
        format!("opening the store in {}", dir.display())
    })?))
}

/// Record a change made from the command line in the audit log. There is no signed-in account here, so the
/// actor is `cli:` and the operating-system user who ran the command.
pub(crate) fn audit_cli(
    store: &Store,
    action: &str,
    target: &str,
    detail: &str,
) -> anyhow::Result<()> {
    let user = cli_login();
    store
        .append_audit(&townhall_app::AuditEntry {
            actor_id: None,
            actor: &format!("cli:{user}"),
            action,
            target,
            detail,
        })
        .context("writing the audit log")?;
    Ok(())
}

/// The operating-system user running the command.
fn cli_login() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into())
}

/// The command line as an actor of the inbox and idea pipeline.
pub(crate) fn cli_actor() -> townhall_app::actor::Actor {
    townhall_app::actor::Actor::cli(&cli_login())
}
