//! The `townhall` binary: command line, configuration and process roles.

mod cli;
mod commands;
mod config;
mod demo_data;

use clap::Parser;

fn main() -> std::process::ExitCode {
    // The settings file first: it fills the environment variables that flags then override.
    let args: Vec<String> = std::env::args().collect();
    if let Err(err) = config::apply(&args) {
        eprintln!("error: {err:#}");
        return std::process::ExitCode::FAILURE;
    }
    let cli = cli::Cli::parse();
    init_logging(cli.verbose, cli.log_format);
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Structured logs on stderr, as text or JSON lines; `RUST_LOG` overrides the level.
fn init_logging(verbose: bool, format: cli::LogFormat) {
    let default = if verbose { "info" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        cli::LogFormat::Json => logs.json().init(),
        cli::LogFormat::Text => logs.init(),
    }
}
