//! `townhall-bench`: reproducible benchmark inputs and measurements (see bench/RESULTS.md).

mod consult;
mod generate;
mod inbox;
mod insights;
mod measure;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(about = "Townhall benchmark harness")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write N posts as JSONL, resampled from the real texts under --shared.
    GenPosts {
        #[arg(long, default_value_t = 1_000_000)]
        n: usize,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value = "../shared/data")]
        shared: PathBuf,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Write the texts of the real corpus, one per line (input for the Python pipeline).
    GenTexts {
        #[arg(long, default_value_t = 20_000)]
        n: usize,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value = "../shared/data")]
        shared: PathBuf,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Search latency: run each query of --queries (one per line) --runs times against a store.
    Search {
        #[arg(long)]
        data: PathBuf,
        #[arg(long, default_value = "bench/search-queries.txt")]
        queries: PathBuf,
        #[arg(long, default_value_t = 50)]
        runs: usize,
    },
    /// Analysis throughput on texts (one per line), on one thread and on all cores.
    Analyze {
        #[arg(long)]
        texts: PathBuf,
    },
    /// Insight reports over a store: load, first report, repeated reports, report after new posts.
    Insights {
        #[arg(long)]
        data: PathBuf,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// A JSONL file of new posts to import before the last report.
        #[arg(long)]
        add: Option<PathBuf>,
    },
    /// Build a store with N open inbox cases (four teams, some assigned to `responder`).
    InboxStore {
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 11)]
        seed: u64,
    },
    /// Time the inbox's queue and case views in process over a store built by inbox-store.
    Inbox {
        #[arg(long)]
        data: PathBuf,
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// Build a store with one public consultation (/c/bench) of planted votes.
    ConsultStore {
        #[arg(long, default_value_t = 33_000)]
        participants: usize,
        #[arg(long, default_value_t = 800)]
        statements: usize,
        #[arg(long, default_value_t = 2_000_000)]
        votes: usize,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 3)]
        seed: u64,
    },
    /// Time a consultation's live results over a store built by consult-store: cold, then updates.
    ConsultLive {
        #[arg(long)]
        data: PathBuf,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// New votes before each update.
        #[arg(long, default_value_t = 1_000)]
        batch: usize,
    },
    /// Make participants of a consultation over HTTP; write their tokens for bench/http/votes.lua.
    ConsultParticipants {
        #[arg(long)]
        url: String,
        #[arg(long, default_value = "bench")]
        slug: String,
        #[arg(long, default_value_t = 2_000)]
        n: usize,
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::GenPosts {
            n,
            out,
            shared,
            seed,
        } => generate::posts(&shared, &out, n, seed),
        Command::GenTexts {
            n,
            out,
            shared,
            seed,
        } => generate::texts(&shared, &out, n, seed),
        Command::Search {
            data,
            queries,
            runs,
        } => measure::search(&data, &queries, runs),
        Command::Analyze { texts } => measure::analyze(&texts),
        Command::Insights { data, runs, add } => insights::run(&data, runs, add.as_deref()),
        Command::InboxStore { cases, out, seed } => inbox::build(&out, cases, seed),
        Command::Inbox { data, runs } => inbox::measure(&data, runs),
        Command::ConsultStore {
            participants,
            statements,
            votes,
            out,
            seed,
        } => consult::build(&out, participants, statements, votes, seed),
        Command::ConsultLive {
            data,
            rounds,
            batch,
        } => consult::live(&data, rounds, batch),
        Command::ConsultParticipants { url, slug, n, out } => {
            consult::participants(&url, &slug, n, &out)
        }
    }
}
