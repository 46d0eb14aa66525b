//! Import: files → ingest readers → analysis (all cores) → store, one transaction per batch.
//!
//! Bad records and unreadable files become rejects (kept in the store with file, place and
//! reason) while every good record beside them is imported.

use crate::AppError;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;
use std::time::Instant;
use townhall_analysis::{analyze_many, personal_data};
use townhall_core::{Analysis, Channel, ChannelKey, ChannelSettings, IncomingPost};
use townhall_ingest::{Format, ImportOptions, Location, Records, Reject};
use townhall_store::{ImportCounts, NewPost, RejectRecord, Store};

/// Posts per transaction: large enough to amortise the commit, small enough to keep memory flat.
const BATCH: usize = 2_000;
/// Rejects kept in the summary (all are stored).
const SUMMARY_REJECTS: usize = 100;

/// What to import and how to treat it.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    pub paths: Vec<PathBuf>,
    /// Detected per file when `None`.
    pub format: Option<Format>,
    pub ingest: ImportOptions,
    /// Every post in these files is the agency's own.
    pub own: bool,
    /// Handles (without `@`, any case) whose posts are the agency's own.
    pub own_accounts: Vec<String>,
    /// For the channels these files fill: keep the public's handles (default: pseudonyms only).
    pub keep_public_handles: Option<bool>,
    /// For the channels these files fill: redact personal data in the public's posts (default: yes).
    pub redact: Option<bool>,
}

/// Told how an import goes, for progress bars and upload pages.
pub trait ImportProgress: Sync {
    fn file_started(&self, _file: &str, _bytes: Option<u64>) {}
    /// Bytes of the current file read so far, and posts handled in this import so far.
    fn advanced(&self, _bytes_read: u64, _posts: u64) {}
    fn file_finished(&self, _file: &str) {}
}

/// Progress that goes nowhere.
pub struct NoProgress;
impl ImportProgress for NoProgress {}

#[derive(Debug, Clone, Serialize)]
pub struct ImportSummary {
    pub import_id: i64,
    pub files: Vec<String>,
    pub imported: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// The first rejects (all of them are in the store).
    pub rejects: Vec<RejectRecord>,
    pub seconds: f64,
    pub posts_per_second: f64,
}

/// Counts bytes as they are read, for progress.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn reject_record(r: &Reject) -> RejectRecord {
    RejectRecord {
        file: r.file.clone(),
        location: match r.location {
            Location::Line(n) => format!("line {n}"),
            Location::Index(n) => format!("record {n}"),
            Location::File => "file".to_string(),
        },
        reason: r.reason.clone(),
    }
}

/// Open one file as a stream of records, detecting its format from its name and first bytes.
fn open_file(
    path: &std::path::Path,
    format: Option<Format>,
    opts: &ImportOptions,
    bytes_read: Arc<AtomicU64>,
) -> Result<Records, Reject> {
    let name = path.display().to_string();
    let file_reject = |reason: String| Reject {
        file: name.clone(),
        location: Location::File,
        reason,
    };
    let format = match format {
        Some(f) => f,
        None => {
            let mut head = vec![0u8; townhall_ingest::DETECT_HEAD_BYTES];
            let mut f = File::open(path).map_err(|e| file_reject(e.to_string()))?;
            let n = read_up_to(&mut f, &mut head).map_err(|e| file_reject(e.to_string()))?;
            head.truncate(n);
            townhall_ingest::detect(&name, &head).ok_or_else(|| {
                file_reject("cannot tell the format; name it with --format".to_string())
            })?
        }
    };
    let file = File::open(path).map_err(|e| file_reject(e.to_string()))?;
    let reader = BufReader::with_capacity(
        1 << 16,
        CountingReader {
            inner: file,
            count: bytes_read,
        },
    );
    townhall_ingest::read(&name, reader, format, opts).map_err(|e| file_reject(e.to_string()))
}

fn read_up_to(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = f.read(&mut buf[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}

/// Decides channel settings and own-ness for the posts of one import.
struct Policy<'a> {
    store: &'a Store,
    request: &'a ImportRequest,
    own_accounts: Vec<String>,
    channels: HashMap<ChannelKey, Channel>,
}

impl<'a> Policy<'a> {
    fn new(store: &'a Store, request: &'a ImportRequest) -> Self {
        Policy {
            store,
            request,
            own_accounts: request
                .own_accounts
                .iter()
                .map(|h| h.trim_start_matches('@').to_lowercase())
                .collect(),
            channels: HashMap::new(),
        }
    }

    fn is_own_account(&self, handle: Option<&str>) -> bool {
        handle.is_some_and(|h| {
            let h = h.trim_start_matches('@').to_lowercase();
            self.own_accounts.contains(&h)
        })
    }

    fn channel(&mut self, key: &ChannelKey) -> Result<Channel, AppError> {
        if let Some(c) = self.channels.get(key) {
            return Ok(c.clone());
        }
        let defaults = ChannelSettings::default();
        let settings = ChannelSettings {
            owned: self.request.own || self.is_own_account(Some(&key.account)),
            keep_public_handles: self
                .request
                .keep_public_handles
                .unwrap_or(defaults.keep_public_handles),
            redact_personal_data: self.request.redact.unwrap_or(defaults.redact_personal_data),
        };
        let mut channel = self.store.ensure_channel(key, settings)?;
        let wanted = Channel {
            owned: channel.owned || settings.owned,
            keep_public_handles: self
                .request
                .keep_public_handles
                .unwrap_or(channel.keep_public_handles),
            redact_personal_data: self.request.redact.unwrap_or(channel.redact_personal_data),
            ..channel.clone()
        };
        if wanted != channel {
            self.store.update_channel(&wanted)?;
            channel = wanted;
        }
        self.channels.insert(key.clone(), channel.clone());
        Ok(channel)
    }

    fn is_own(&self, post: &IncomingPost) -> bool {
        self.request.own
            || self.is_own_account(post.author.handle.as_deref())
            || post.own.unwrap_or(false)
    }
}

/// Posts analysed together, component by component (see `townhall_analysis::analyze_many`); a batch
/// is cut into chunks of this size for the cores.
const ANALYSIS_CHUNK: usize = 128;

/// Analyse a batch on all cores and apply the channel's privacy settings.
fn prepare(batch: Vec<(IncomingPost, bool, bool)>) -> Vec<NewPost> {
    let analyses: Vec<Analysis> = batch
        .par_chunks(ANALYSIS_CHUNK)
        .flat_map_iter(|chunk| {
            let posts: Vec<(&str, Option<&str>)> = chunk
                .iter()
                .map(|(post, _, _)| (post.text.as_str(), post.declared_lang.as_deref()))
                .collect();
            analyze_many(&posts)
        })
        .collect();
    batch
        .into_par_iter()
        .zip(analyses)
        .map(|((mut post, own, redact), analysis)| {
            if redact && !own && !analysis.personal_data.is_empty() {
                post.text = personal_data::redact(&post.text, &analysis.personal_data);
            }
            NewPost {
                post,
                analysis,
                own,
            }
        })
        .collect()
}

/// Import every file of the request. Errors of the store abort; errors of the input never do.
pub fn import_files(
    store: &Store,
    request: &ImportRequest,
    progress: &dyn ImportProgress,
) -> Result<ImportSummary, AppError> {
    let names: Vec<String> = request
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let started = Instant::now();
    let import_id = store.start_import(&names)?;
    let mut policy = Policy::new(store, request);
    let mut rejects: Vec<RejectRecord> = Vec::new();
    let mut rejected = 0u64;
    let (sender, receiver) = sync_channel::<Vec<NewPost>>(2);

    let counts = std::thread::scope(|scope| -> Result<ImportCounts, AppError> {
        let writer = scope.spawn(move || -> Result<ImportCounts, AppError> {
            let mut counts = ImportCounts::default();
            for batch in receiver {
                counts.add(store.insert_posts(&batch)?);
            }
            Ok(counts)
        });
        let mut handled = 0u64;
        let mut pending_rejects: Vec<RejectRecord> = Vec::new();
        let result = (|| -> Result<(), AppError> {
            for path in &request.paths {
                let name = path.display().to_string();
                let bytes_read = Arc::new(AtomicU64::new(0));
                progress.file_started(&name, std::fs::metadata(path).ok().map(|m| m.len()));
                let records =
                    match open_file(path, request.format, &request.ingest, bytes_read.clone()) {
                        Ok(r) => r,
                        Err(reject) => {
                            rejected += 1;
                            pending_rejects.push(reject_record(&reject));
                            progress.file_finished(&name);
                            continue;
                        }
                    };
                let mut batch = Vec::with_capacity(BATCH);
                for record in records {
                    match record {
                        Ok(post) => {
                            let channel = policy.channel(&post.channel)?;
                            let own = policy.is_own(&post);
                            batch.push((post, own, channel.redact_personal_data));
                        }
                        Err(reject) => {
                            rejected += 1;
                            pending_rejects.push(reject_record(&reject));
                        }
                    }
                    handled += 1;
                    if batch.len() == BATCH {
                        let ready =
                            prepare(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                        if sender.send(ready).is_err() {
                            return Ok(()); // the writer failed; its error is reported below
                        }
                        progress.advanced(bytes_read.load(Ordering::Relaxed), handled);
                    }
                    if pending_rejects.len() >= 1_000 {
                        store.add_rejects(import_id, &pending_rejects)?;
                        keep_first(&mut rejects, &mut pending_rejects);
                    }
                }
                if !batch.is_empty() {
                    let ready = prepare(batch);
                    if sender.send(ready).is_err() {
                        return Ok(());
                    }
                }
                progress.advanced(bytes_read.load(Ordering::Relaxed), handled);
                progress.file_finished(&name);
            }
            Ok(())
        })();
        drop(sender);
        let written = writer
            .join()
            .map_err(|_| AppError::Invalid("the import's writer thread panicked".into()))?;
        result?;
        store.add_rejects(import_id, &pending_rejects)?;
        keep_first(&mut rejects, &mut pending_rejects);
        written
    })?;

    store.commit_index()?;
    let counts = ImportCounts { rejected, ..counts };
    store.finish_import(import_id, &counts)?;
    let seconds = started.elapsed().as_secs_f64();
    let handled = counts.imported + counts.duplicates;
    Ok(ImportSummary {
        import_id,
        files: names,
        imported: counts.imported,
        duplicates: counts.duplicates,
        rejected: counts.rejected,
        rejects,
        seconds,
        posts_per_second: if seconds > 0.0 {
            handled as f64 / seconds
        } else {
            0.0
        },
    })
}

fn keep_first(kept: &mut Vec<RejectRecord>, pending: &mut Vec<RejectRecord>) {
    let room = SUMMARY_REJECTS.saturating_sub(kept.len());
    kept.extend(pending.drain(..).take(room));
}
