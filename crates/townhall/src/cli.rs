//! Command-line interface.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "townhall",
    version,
    about = "Listen to, engage with and consult the public."
)]
pub struct Cli {
    /// Folder of the embedded store.
    #[arg(
        long,
        global = true,
        env = "TOWNHALL_DATA",
        default_value = "./townhall-data"
    )]
    pub data: PathBuf,
    /// Log more (RUST_LOG overrides).
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Logs as text or as JSON lines (one object per event, for log collectors).
    #[arg(
        long,
        global = true,
        env = "TOWNHALL_LOG_FORMAT",
        default_value = "text"
    )]
    pub log_format: LogFormat,
    /// A TOML file of settings (data, addr, secure_cookies, admin, log_format); flags and environment
    /// variables override it.
    #[arg(long, global = true, env = "TOWNHALL_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load the bundled real sample (first run only) and serve the web app.
    Demo(ServeArgs),
    /// Serve the web app and the JSON API.
    Serve(ServeArgs),
    /// Import files (format detected, or given with --format).
    Import(ImportArgs),
    /// Analyse text from stdin (one text per line, or JSONL with a "text" field) and print JSONL.
    Analyze(AnalyzeArgs),
    /// Search stored posts with the query language (see docs/query-language.md).
    Search(SearchArgs),
    /// Insight over the stored posts: where people are, topics, language, sentiment, communities, engagement.
    Insights(InsightsArgs),
    /// Tracked topics: saved queries that insights count over time.
    #[command(subcommand)]
    Track(TrackCommand),
    /// Inbox cases: opens cases for the public's new posts to the agency (by the intake rules), then lists
    /// cases, or changes all the cases listed at once (--close, --assign, --route, --tag).
    Cases(CasesArgs),
    /// Ideas and their stages.
    Ideas(IdeasArgs),
    /// Replies recorded on cases and idea news, waiting to be sent (JSON lines), for export.
    Outbox(OutboxArgs),
    /// Consultations: opinion groups and common ground (Pol.is's model).
    #[command(subcommand)]
    Consult(ConsultCommand),
    /// Strategies: each one's goals against their live values, and whether it may move to its next phase.
    Strategies(StrategiesArgs),
    /// The progress report (strategies, goals, readiness, highlights) as a PDF or an HTML page.
    Report(ReportArgs),
    /// What runs with employees first: outbound messages and saved replies on trial, with their reviews
    /// and whether each may go to the public.
    Trials(StrategiesArgs),
    /// Idea campaigns: each one's question, who it hears from, and its ideas.
    Campaigns(StrategiesArgs),
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day of the period (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Last day of the period (YYYY-MM-DD, included).
    #[arg(long)]
    pub until: Option<String>,
    /// Where to write it: a `.pdf` file, or `.html`.
    #[arg(long)]
    pub out: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct StrategiesArgs {
    /// Print JSON (each strategy with its goals measured and the recommendation) instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConsultCommand {
    /// Analyse a Pol.is export folder (comments.csv, votes.csv, participants-votes.csv, summary.csv): opinion
    /// groups, each group's representative statements, and consensus.
    Analyze {
        /// The export folder.
        dir: std::path::PathBuf,
        /// Print JSON (`groups`: participant id → group, and the rest) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the store's consultations.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Start a consultation (as a draft), with seed statements from a CSV file.
    Create {
        /// The question to ask.
        question: String,
        #[arg(long, default_value = "")]
        description: String,
        /// approve_first or remove_after.
        #[arg(long, default_value = "approve_first")]
        moderation: String,
        /// Language codes, comma-separated.
        #[arg(long, default_value = "en")]
        languages: String,
        /// Public address: /c/SLUG.
        #[arg(long)]
        slug: Option<String>,
        /// A CSV file of seed statements (a column named text, statement, comment-body or body).
        #[arg(long)]
        seeds: Option<std::path::PathBuf>,
    },
    /// Add seed statements from a CSV file to a consultation.
    Seed { id: i64, csv: std::path::PathBuf },
    /// Move a consultation to a phase: draft, employees, public or closed.
    Phase { id: i64, phase: String },
    /// Import a Pol.is export folder as a new (closed) consultation.
    Import {
        dir: std::path::PathBuf,
        #[arg(long)]
        slug: Option<String>,
    },
    /// Write a consultation as a Pol.is export folder (comments, votes, participants-votes, summary).
    Export { id: i64, dir: std::path::PathBuf },
    /// A consultation's results: groups, what sets each apart, common ground.
    Results {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct IdeasArgs {
    /// Only ideas at this stage: submitted, under_review, piloting, adopted or declined.
    #[arg(long)]
    pub stage: Option<String>,
    /// At most this many ideas, most recently changed first.
    #[arg(long, default_value_t = 1000)]
    pub limit: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct OutboxArgs {
    /// Only entries after this one (the last id of the previous export).
    #[arg(long, default_value_t = 0)]
    pub after: i64,
    #[arg(long, default_value_t = 10_000)]
    pub limit: usize,
}

#[derive(Debug, Args)]
pub struct CasesArgs {
    /// Only this team's cases.
    #[arg(long)]
    pub team: Option<String>,
    /// Only cases with this status: open, snoozed, answered or closed.
    #[arg(long)]
    pub status: Option<String>,
    /// At most this many cases, newest first.
    #[arg(long, default_value_t = 1000)]
    pub limit: usize,
    /// Print JSON (the cases) instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Only these cases (comma-separated ids); with the actions below.
    #[arg(long, value_delimiter = ',')]
    pub ids: Vec<i64>,
    /// Close every case listed (all matching --team and --status, or --ids).
    #[arg(long, conflicts_with_all = ["assign", "route", "tag"])]
    pub close: bool,
    /// Assign every case listed to this user ("" unassigns).
    #[arg(long, conflicts_with_all = ["route", "tag"])]
    pub assign: Option<String>,
    /// Send every case listed to this team.
    #[arg(long, conflicts_with = "tag")]
    pub route: Option<String>,
    /// Tag every case listed.
    #[arg(long)]
    pub tag: Option<String>,
}

#[derive(Debug, Args)]
pub struct InsightsArgs {
    /// Only posts from this time on: 2024-05-01 or an RFC 3339 time.
    #[arg(long)]
    pub since: Option<String>,
    /// Only posts before this time; a date includes the whole day.
    #[arg(long)]
    pub until: Option<String>,
    /// Only these channels (repeatable): x, mastodon, x:AccountName…
    #[arg(long = "channel", value_name = "CHANNEL")]
    pub channels: Vec<String>,
    /// Only posts matching this query (the search language).
    #[arg(long)]
    pub query: Option<String>,
    /// Time zone of hour-of-week figures, as minutes east of UTC (e.g. -300 for US Eastern winter time).
    #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
    pub utc_offset: i32,
    /// Rows per list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Print the whole report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum TrackCommand {
    /// Track a topic: a name and a query, e.g. track add benefits '(snap OR "food stamps")'.
    Add { name: String, query: String },
    /// List tracked topics.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Stop tracking a topic.
    Remove { name: String },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "TOWNHALL_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Mark cookies Secure: set this when Townhall is reached over HTTPS (directly or behind a proxy).
    #[arg(long, env = "TOWNHALL_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Name of the administrator account created on first run.
    #[arg(long, env = "TOWNHALL_ADMIN", default_value = "admin")]
    pub admin: String,
    /// Consultation votes accepted per second from one network address (bursts of five times as many).
    /// Many people can share an address; raise it for large events behind one proxy.
    #[arg(long, env = "TOWNHALL_VOTES_PER_ADDRESS", default_value_t = 200.0)]
    pub votes_per_address: f64,
    /// Consultation votes accepted per second from one participant (bursts of ten times as many).
    #[arg(long, env = "TOWNHALL_VOTES_PER_PARTICIPANT", default_value_t = 2.0)]
    pub votes_per_participant: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Jsonl,
    Csv,
    Congresstweets,
    Mastodon,
    Bluesky,
    XArchive,
    Publicreplies,
    Feed,
    RegulationsGov,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The files' format (detected from each file when not given).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Account (channel) name for generic CSV/JSONL files (default: the file name).
    #[arg(long)]
    pub account: Option<String>,
    /// Every post in these files is the agency's own.
    #[arg(long)]
    pub own: bool,
    /// A handle whose posts are the agency's own (repeatable), e.g. --own-account AOC.
    #[arg(long = "own-account", value_name = "HANDLE")]
    pub own_accounts: Vec<String>,
    /// Keep the public's handles for these channels (default: pseudonyms only).
    #[arg(long)]
    pub keep_handles: bool,
    /// Do not redact personal data in the public's posts of these channels.
    #[arg(long)]
    pub no_redact: bool,
    /// congresstweets accounts registry (tells office accounts from campaign accounts).
    #[arg(long, value_name = "FILE")]
    pub accounts_registry: Option<PathBuf>,
    /// CSV/JSONL: field holding the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// CSV/JSONL: field holding the time.
    #[arg(long, default_value = "created_at")]
    pub time_field: String,
    /// CSV/JSONL: field holding the post id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// CSV/JSONL: field holding the author.
    #[arg(long, default_value = "author")]
    pub author_field: String,
    /// CSV/JSONL: field holding the id of the post replied to.
    #[arg(long, default_value = "reply_to")]
    pub reply_to_field: String,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AnalyzeInput {
    /// One text per line.
    Text,
    /// JSON objects with a "text" field (and optionally "lang"), one per line.
    Jsonl,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[arg(long, value_enum, default_value = "text")]
    pub input: AnalyzeInput,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query, e.g. '(snap OR "food stamps") question:true lang:en'.
    pub query: String,
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortArg,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
