mod analyze;
mod import;
mod insights;
mod search;
mod serve;

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
        Command::Serve(args) => serve::serve(open_store(&cli.data)?, &args),
        Command::Demo(args) => {
            let store = open_store(&cli.data)?;
            serve::load_demo(&store, &cli.data)?;
            serve::serve(store, &args)
        }
    }
}

fn open_store(dir: &std::path::Path) -> anyhow::Result<Arc<Store>> {
    Ok(Arc::new(Store::open(dir).with_context(|| {
        format!("opening the store in {}", dir.display())
    })?))
}
