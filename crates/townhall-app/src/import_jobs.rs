//! Imports started from the web: each runs on its own thread while the page that started it watches its
//! progress; the outcome (counts and every rejected record with its reason) stays readable afterwards.

use crate::accounts::SessionUser;
use crate::import::{import_files, ImportProgress, ImportRequest, ImportSummary};
use crate::AppError;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use townhall_core::Permission;
use townhall_ingest::Format;
use townhall_store::{AuditEntry, RejectRecord, Store};

/// Jobs remembered (the oldest finished ones are forgotten first; their results stay in the store).
const KEPT_JOBS: usize = 50;
/// Rejected records shown with a finished job.
const SHOWN_REJECTS: usize = 500;

/// What to import, from a file already saved on disk.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub path: PathBuf,
    /// The name the user gave the file (shown instead of the saved path).
    pub original_name: String,
    pub format: Option<Format>,
    /// Every post in the file is the agency's own.
    pub own: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Running,
    Done,
    Failed,
}

/// A job as pages and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct JobView {
    pub id: u64,
    pub file: String,
    pub started_by: String,
    pub status: JobStatus,
    pub bytes_read: u64,
    pub total_bytes: u64,
    /// Whole percent of the file read.
    pub percent: u64,
    pub posts_handled: u64,
    pub summary: Option<ImportSummary>,
    /// Every rejected record of a finished job (at most 500), with file, place and reason.
    pub rejects: Vec<RejectRecord>,
    pub error: Option<String>,
}

/// How a job ended: its summary and rejects, or why it failed.
type Outcome = Result<(ImportSummary, Vec<RejectRecord>), String>;

struct Job {
    file: String,
    started_by: String,
    total_bytes: u64,
    bytes_read: AtomicU64,
    posts: AtomicU64,
    outcome: Mutex<Option<Outcome>>,
}

impl ImportProgress for Job {
    fn advanced(&self, bytes_read: u64, posts: u64) {
        self.bytes_read.store(bytes_read, Ordering::Relaxed);
        self.posts.store(posts, Ordering::Relaxed);
    }
}

impl Job {
    fn view(&self, id: u64) -> JobView {
        let outcome = self.outcome.lock().ok().and_then(|o| o.clone());
        let bytes_read = self.bytes_read.load(Ordering::Relaxed);
        let (status, summary, rejects, error) = match outcome {
            None => (JobStatus::Running, None, Vec::new(), None),
            Some(Ok((summary, rejects))) => (JobStatus::Done, Some(summary), rejects, None),
            Some(Err(error)) => (JobStatus::Failed, None, Vec::new(), Some(error)),
        };
        let done = !matches!(status, JobStatus::Running);
        JobView {
            id,
            file: self.file.clone(),
            started_by: self.started_by.clone(),
            percent: if done {
                100
            } else {
                (bytes_read * 100)
                    .checked_div(self.total_bytes)
                    .unwrap_or(0)
                    .min(99)
            },
            bytes_read,
            total_bytes: self.total_bytes,
            posts_handled: self.posts.load(Ordering::Relaxed),
            status,
            summary,
            rejects,
            error,
        }
    }
}

/// The imports started from the web in this process.
#[derive(Default)]
pub struct ImportJobs {
    jobs: Mutex<BTreeMap<u64, Arc<Job>>>,
    next: AtomicU64,
}

impl ImportJobs {
    pub fn new() -> ImportJobs {
        ImportJobs::default()
    }

    /// Start importing `upload` on its own thread (needs the import permission); audited when it starts and
    /// when it ends. Returns the job's id.
    pub fn start(
        &self,
        store: Arc<Store>,
        user: &SessionUser,
        upload: UploadedFile,
    ) -> Result<u64, AppError> {
        user.require(Permission::Import)?;
        let total_bytes = std::fs::metadata(&upload.path)
            .map(|m| m.len())
            .unwrap_or(0);
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = Arc::new(Job {
            file: upload.original_name.clone(),
            started_by: user.username.clone(),
            total_bytes,
            bytes_read: AtomicU64::new(0),
            posts: AtomicU64::new(0),
            outcome: Mutex::new(None),
        });
        {
            let mut jobs = self.jobs.lock().map_err(|_| AppError::Poisoned)?;
            while jobs.len() >= KEPT_JOBS {
                let finished = jobs
                    .iter()
                    .find(|(_, j)| j.outcome.lock().map(|o| o.is_some()).unwrap_or(true))
                    .map(|(k, _)| *k);
                match finished {
                    Some(k) => {
                        jobs.remove(&k);
                    }
                    None => break,
                }
            }
            jobs.insert(id, job.clone());
        }
        store.append_audit(&AuditEntry {
            actor_id: Some(user.id),
            actor: &user.username,
            action: "import.start",
            target: &upload.original_name,
            detail: &format!(
                "format {}; own {}",
                upload.format.map_or("detected", |f| f.as_str()),
                upload.own
            ),
        })?;
        let (actor_id, actor) = (user.id, user.username.clone());
        std::thread::Builder::new()
            .name(format!("import-{id}"))
            .spawn(move || {
                let request = ImportRequest {
                    paths: vec![upload.path.clone()],
                    format: upload.format,
                    own: upload.own,
                    ..ImportRequest::default()
                };
                let result = import_files(&store, &request, job.as_ref())
                    .and_then(|summary| {
                        let rejects = store.rejects(summary.import_id)?;
                        Ok((summary, rejects))
                    })
                    .map(|(summary, mut rejects)| {
                        // Reject records name the saved file; show the user's name for it.
                        let saved = upload.path.display().to_string();
                        for reject in &mut rejects {
                            if reject.file == saved {
                                reject.file = upload.original_name.clone();
                            }
                        }
                        rejects.truncate(SHOWN_REJECTS);
                        (summary, rejects)
                    });
                let detail = match &result {
                    Ok((s, _)) => format!(
                        "imported {}, duplicates {}, rejected {}",
                        s.imported, s.duplicates, s.rejected
                    ),
                    Err(e) => format!("failed: {e}"),
                };
                let _ = store.append_audit(&AuditEntry {
                    actor_id: Some(actor_id),
                    actor: &actor,
                    action: "import.finish",
                    target: &upload.original_name,
                    detail: &detail,
                });
                let _ = std::fs::remove_file(&upload.path);
                if let Some(folder) = upload.path.parent() {
                    // The upload's own folder (see the web layer), empty now.
                    let _ = std::fs::remove_dir(folder);
                }
                if let Ok(mut outcome) = job.outcome.lock() {
                    *outcome = Some(result.map_err(|e| e.to_string()));
                }
            })
            .map_err(|e| AppError::Invalid(format!("cannot start the import: {e}")))?;
        Ok(id)
    }

    pub fn view(&self, id: u64) -> Option<JobView> {
        let jobs = self.jobs.lock().ok()?;
        jobs.get(&id).map(|job| job.view(id))
    }

    /// Jobs of this process, newest first.
    pub fn recent(&self) -> Vec<JobView> {
        match self.jobs.lock() {
            Ok(jobs) => jobs.iter().rev().map(|(id, job)| job.view(*id)).collect(),
            Err(_) => Vec::new(),
        }
    }
}
