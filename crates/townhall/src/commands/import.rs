use crate::cli::{FormatArg, ImportArgs};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;
use std::sync::Mutex;
use townhall_app::import::{import_files, ImportProgress, ImportRequest};
use townhall_app::Store;
use townhall_ingest::{AccountsRegistry, FieldMapping, Format, ImportOptions};

fn format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
        FormatArg::Congresstweets => Format::CongressTweets,
        FormatArg::Mastodon => Format::Mastodon,
        FormatArg::Bluesky => Format::Bluesky,
        FormatArg::XArchive => Format::XArchive,
        FormatArg::Publicreplies => Format::PublicReplies,
        FormatArg::Feed => Format::Feed,
        FormatArg::RegulationsGov => Format::RegulationsGov,
    }
}

/// A progress bar per file, by bytes read, with the running post count.
struct Bar {
    bar: Mutex<Option<ProgressBar>>,
    quiet: bool,
}

impl ImportProgress for Bar {
    fn file_started(&self, file: &str, bytes: Option<u64>) {
        if self.quiet {
            return;
        }
        let bar = ProgressBar::new(bytes.unwrap_or(0));
        let style = ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} ({eta}) {prefix} posts",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(file.to_string());
        if let Ok(mut slot) = self.bar.lock() {
            *slot = Some(bar);
        }
    }

    fn advanced(&self, bytes_read: u64, posts: u64) {
        if let Ok(slot) = self.bar.lock() {
            if let Some(bar) = slot.as_ref() {
                bar.set_position(bytes_read);
                bar.set_prefix(posts.to_string());
            }
        }
    }

    fn file_finished(&self, _file: &str) {
        if let Ok(mut slot) = self.bar.lock() {
            if let Some(bar) = slot.take() {
                bar.finish();
            }
        }
    }
}

pub fn run(store: &Store, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let accounts_registry = match &args.accounts_registry {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Some(
                AccountsRegistry::from_json(&text)
                    .with_context(|| format!("{}: not an accounts registry", path.display()))?,
            )
        }
        None => None,
    };
    let request = ImportRequest {
        paths: args.paths.clone(),
        format: args.format.map(format),
        ingest: ImportOptions {
            mapping: FieldMapping {
                text: args.text_field.clone(),
                time: args.time_field.clone(),
                id: args.id_field.clone(),
                author: args.author_field.clone(),
                reply_to: args.reply_to_field.clone(),
            },
            accounts_registry,
            account: args.account.clone(),
        },
        own: args.own,
        own_accounts: args.own_accounts.clone(),
        keep_public_handles: args.keep_handles.then_some(true),
        redact: args.no_redact.then_some(false),
    };
    let progress = Bar {
        bar: Mutex::new(None),
        quiet: args.quiet || args.json,
    };
    let summary = import_files(store, &request, &progress)?;
    super::audit_cli(
        store,
        "import.finish",
        &summary.files.join(", "),
        &format!(
            "imported {}, duplicates {}, rejected {}",
            summary.imported, summary.duplicates, summary.rejected
        ),
    )?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        for reject in &summary.rejects {
            eprintln!(
                "rejected: {} ({}): {}",
                reject.file, reject.location, reject.reason
            );
        }
        if summary.rejected as usize > summary.rejects.len() {
            eprintln!(
                "… and {} more rejects (all are kept in the store, import #{})",
                summary.rejected as usize - summary.rejects.len(),
                summary.import_id
            );
        }
        println!(
            "Imported {} posts, {} duplicates, {} rejected in {:.1} s ({:.0} posts/s).",
            summary.imported,
            summary.duplicates,
            summary.rejected,
            summary.seconds,
            summary.posts_per_second
        );
    }
    Ok(ExitCode::SUCCESS)
}
