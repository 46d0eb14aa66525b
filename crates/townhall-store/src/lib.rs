//! Townhall's storage layer: the embedded SQLite system of record and the tantivy full-text index
//! derived from it. Only this crate knows SQL.
//!
//! Durability rule: a post is in SQLite (one transaction per batch) before it is in the index; the
//! index records the highest post id it has committed, and [`Store::open`] indexes whatever lies
//! beyond it, so a killed import never leaves a half-written post or a post that cannot be found.

mod accounts;
mod campaigns;
mod case_counts;
mod case_queue;
mod case_work;
mod cases;
mod column_cache;
mod column_filter;
mod consult;
mod engage;
mod error;
mod ideas;
mod inbox_settings;
mod index;
mod migrate;
mod pool;
mod posts;
mod pseudonym;
mod query;
mod readiness;
mod reception;
mod strategies;
mod tracked;
mod trials;

pub use accounts::{AuditEntry, AuditRecord, NewUserRecord, SessionRecord, UserChange, UserRecord};
pub use campaigns::{CampaignRow, NewCampaign};
pub use case_queue::{
    AssigneeFilter, CaseDetail, CaseEventRecord, CaseFactRow, CaseFilter, CaseRow, Presence,
    ReplyRecord,
};
pub use case_work::{
    BulkAction, BulkOutcome, CaseChange, CaseField, OutboxItem, OutboxRecord, ReplyWrite,
};
pub use cases::{CaseCandidate, CaseFiling, FilingCounts};
pub use consult::{
    AddedStatements, ConsultationChange, ConsultationRow, NewConsultation, NewStatement, NewVote,
    ParticipationDay, StatementRow, VoteRow,
};
pub use error::StoreError;
pub use ideas::{IdeaChange, IdeaComment, IdeaDetail, IdeaEvent, IdeaFilter, IdeaRow, NewIdea};
pub use inbox_settings::{
    IntakeRule, RoutingRule, RuleFilters, RuleTable, SavedReply, TeamSettings,
};
pub use index::{SearchHits, Sort};
pub use posts::{ImportCounts, NewPost, RejectRecord};
pub use readiness::{AssessmentRow, ReadinessCounts};
pub use reception::OwnPostReception;
pub use strategies::{NewReview, NewStrategy, ReviewRow, StrategyRow};
pub use tracked::TrackedTopic;
pub use trials::{FeedbackRow, NewFeedback, NewOutbound, OutboundRow, TrialSubject};

use pool::ReadPool;
use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use townhall_core::query::Query;
use townhall_core::{Channel, ChannelKey, ChannelKind, ChannelSettings, StoredPost};

/// A page of search results.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// Number of posts matching the query.
    pub total: usize,
    pub posts: Vec<StoredPost>,
}

/// A post in its conversation: what it answers and what answers it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Thread {
    pub post: StoredPost,
    pub parent: Option<StoredPost>,
    pub replies: Vec<StoredPost>,
}

/// The embedded store in one folder: `townhall.sqlite` and `index/`.
pub struct Store {
    dir: PathBuf,
    /// The one writer connection; holding this lock also orders index additions by post id.
    writer: Mutex<posts::Writer>,
    readers: ReadPool,
    index: index::SearchIndex,
    /// Queue counts kept between requests.
    case_counts: case_counts::CaseCounts,
}

const DB_FILE: &str = "townhall.sqlite";
const READERS: usize = 4;

impl Store {
    /// Open (or create) the store in `dir`, run pending migrations and bring the index up to date.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let db_path = dir.join(DB_FILE);
        let mut conn = open_connection(&db_path)?;
        // The writer gets a larger page cache: imports touch the posts table's indexes a lot.
        conn.pragma_update(None, "cache_size", -65_536)?;
        migrate::run(&mut conn)?;
        let key = pseudonym::load_or_create_key(&conn)?;
        let readers = ReadPool::open(&db_path, READERS)?;
        let index = index::SearchIndex::open(&dir.join("index"))?;
        let store = Store {
            dir: dir.to_path_buf(),
            writer: Mutex::new(posts::Writer::new(conn, key)),
            readers,
            index,
            case_counts: case_counts::CaseCounts::default(),
        };
        store.catch_up_index()?;
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Index every stored post the index has not committed yet (after a crash, or a lost index).
    fn catch_up_index(&self) -> Result<(), StoreError> {
        let writer = self.lock_writer()?;
        let watermark = self.index.watermark()?;
        let max_id = writer.max_post_id()?;
        if max_id <= watermark {
            return Ok(());
        }
        tracing::info!(
            from = watermark,
            to = max_id,
            "indexing posts missing from the search index"
        );
        let mut after = watermark;
        loop {
            let batch = writer.posts_after(after, 5_000)?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            self.index.add(batch.iter().map(index::IndexDoc::from))?;
        }
        self.index.commit(max_id)?;
        Ok(())
    }

    fn lock_writer(&self) -> Result<std::sync::MutexGuard<'_, posts::Writer>, StoreError> {
        self.writer.lock().map_err(|_| StoreError::Poisoned)
    }

    /// The channel with this key, created with `settings` if it does not exist yet.
    pub fn ensure_channel(
        &self,
        key: &ChannelKey,
        settings: ChannelSettings,
    ) -> Result<Channel, StoreError> {
        self.lock_writer()?.ensure_channel(key, settings)
    }

    /// Change a channel's settings (they apply to posts imported from now on).
    pub fn update_channel(&self, channel: &Channel) -> Result<(), StoreError> {
        self.lock_writer()?.update_channel(channel)
    }

    pub fn channels(&self) -> Result<Vec<Channel>, StoreError> {
        self.readers.with(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, kind, account, owned, keep_public_handles, redact_personal_data
                 FROM channels ORDER BY kind, account",
            )?;
            let rows = stmt.query_map([], posts::channel_from_row)?;
            rows.collect::<Result<Vec<_>, _>>()
                .map_err(StoreError::from)
        })
    }

    /// Store a batch of analysed posts in one transaction and add the new ones to the index
    /// (visible to search after [`Store::commit_index`]). Posts already stored are counted as
    /// duplicates and left unchanged.
    pub fn insert_posts(&self, batch: &[NewPost]) -> Result<ImportCounts, StoreError> {
        let mut writer = self.lock_writer()?;
        self.index.begin_writing()?;
        let (counts, inserted) = writer.insert_posts(batch)?;
        self.index
            .add(inserted.iter().map(|(position, id, author)| {
                let new = &batch[*position];
                index::IndexDoc {
                    id: *id,
                    channel: &new.post.channel,
                    author: author.as_deref(),
                    kind: new.post.kind,
                    title: new.post.title.as_deref(),
                    text: &new.post.text,
                    created_at: new.post.created_at,
                    own: new.own,
                    analysis: &new.analysis,
                }
            }))?;
        Ok(counts)
    }

    /// Make every post added so far searchable.
    pub fn commit_index(&self) -> Result<(), StoreError> {
        let writer = self.lock_writer()?;
        let max_id = writer.max_post_id()?;
        self.index.commit(max_id)
    }

    /// Posts search can find right now: a cheap count for health checks (`post_count` counts rows).
    pub fn searchable_posts(&self) -> u64 {
        self.index.num_docs()
    }

    pub fn post_count(&self) -> Result<u64, StoreError> {
        self.readers.with(|conn| {
            let n: i64 = conn.query_row("SELECT count(*) FROM posts", [], |r| r.get(0))?;
            Ok(n as u64)
        })
    }

    pub fn post(&self, id: i64) -> Result<Option<StoredPost>, StoreError> {
        Ok(self.posts_by_ids(&[id])?.into_iter().next())
    }

    /// A post with the post it replies to and its first `limit` replies (oldest first).
    pub fn thread(&self, id: i64, limit: usize) -> Result<Option<Thread>, StoreError> {
        let Some(post) = self.post(id)? else {
            return Ok(None);
        };
        self.readers.with(|conn| {
            let parent = posts::load_parent(conn, &post)?;
            let replies = posts::load_replies(conn, &post, limit.min(1_000))?;
            Ok(Some(Thread {
                post,
                parent,
                replies,
            }))
        })
    }

    /// Posts by id, in the order asked (missing ids are skipped).
    pub fn posts_by_ids(&self, ids: &[i64]) -> Result<Vec<StoredPost>, StoreError> {
        self.readers.with(|conn| posts::load_posts(conn, ids))
    }

    /// Run a parsed query. `limit` is capped at 1,000.
    pub fn search(
        &self,
        query: &Query,
        sort: Sort,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults, StoreError> {
        let hits = self.index.search(query, sort, limit.min(1_000), offset)?;
        let posts = self.posts_by_ids(&hits.ids)?;
        Ok(SearchResults {
            total: hits.total,
            posts,
        })
    }

    /// Record the start of an import; returns its id.
    pub fn start_import(&self, files: &[String]) -> Result<i64, StoreError> {
        self.lock_writer()?.start_import(files)
    }

    pub fn add_rejects(&self, import_id: i64, rejects: &[RejectRecord]) -> Result<(), StoreError> {
        self.lock_writer()?.add_rejects(import_id, rejects)
    }

    pub fn finish_import(&self, import_id: i64, counts: &ImportCounts) -> Result<(), StoreError> {
        self.lock_writer()?.finish_import(import_id, counts)
    }

    /// Rejected records of one import, in the order they were found.
    pub fn rejects(&self, import_id: i64) -> Result<Vec<RejectRecord>, StoreError> {
        self.readers
            .with(|conn| posts::load_rejects(conn, import_id))
    }

    /// Look a channel up by key.
    pub fn channel(&self, key: &ChannelKey) -> Result<Option<Channel>, StoreError> {
        self.readers.with(|conn| {
            conn.query_row(
                "SELECT id, kind, account, owned, keep_public_handles, redact_personal_data
                 FROM channels WHERE kind = ?1 AND account = ?2",
                (key.kind.as_str(), key.account.as_str()),
                posts::channel_from_row,
            )
            .optional()
            .map_err(StoreError::from)
        })
    }
}

/// Connection settings shared by the writer and the readers.
fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Channel kinds are only ever written by this crate; an unknown one (from a newer build) reads as generic.
fn parse_kind(s: &str) -> ChannelKind {
    ChannelKind::parse(s).unwrap_or(ChannelKind::Generic)
}

/// Reads for the insight engine and tracked topics.
impl Store {
    /// Stored posts with ids above `after`, ascending, at most `limit` (to load insight facts page by page).
    pub fn posts_after(&self, after: i64, limit: usize) -> Result<Vec<StoredPost>, StoreError> {
        self.readers
            .with(|conn| posts::load_posts_after(conn, after, limit))
    }

    /// Ids of every post matching `query`, ascending.
    pub fn matching_ids(&self, query: &Query) -> Result<Vec<i64>, StoreError> {
        self.index.matching_ids(query)
    }

    pub fn tracked_topics(&self) -> Result<Vec<TrackedTopic>, StoreError> {
        self.readers.with(tracked::list)
    }

    /// Save a tracked topic (the caller has checked that `query` parses).
    pub fn save_tracked_topic(&self, name: &str, query: &str) -> Result<TrackedTopic, StoreError> {
        tracked::upsert(self.lock_writer()?.conn(), name, query)
    }

    /// Forget a tracked topic; `false` when none had that name.
    pub fn remove_tracked_topic(&self, name: &str) -> Result<bool, StoreError> {
        tracked::remove(self.lock_writer()?.conn(), name)
    }

    /// Number of staff accounts (none on first run).
    pub fn user_count(&self) -> Result<u64, StoreError> {
        self.readers.with(accounts::user_count)
    }

    /// Create an account and record it in the audit log, in one transaction.
    pub fn create_user(
        &self,
        new: &NewUserRecord<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<UserRecord, StoreError> {
        accounts::create_user(self.lock_writer()?.conn(), new, audit)
    }

    pub fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        self.readers.with(|c| accounts::user_by_name(c, username))
    }

    pub fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        self.readers.with(accounts::users)
    }

    pub fn teams(&self) -> Result<Vec<String>, StoreError> {
        self.readers.with(accounts::teams)
    }

    /// Change an account and record it in the audit log, in one transaction.
    pub fn change_user(
        &self,
        user_id: i64,
        change: &UserChange<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<UserRecord, StoreError> {
        accounts::change_user(self.lock_writer()?.conn(), user_id, change, audit)
    }

    /// Start a session (only the token's hash is stored) and record the login.
    pub fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at: i64,
        audit: &AuditEntry<'_>,
    ) -> Result<(), StoreError> {
        accounts::create_session(
            self.lock_writer()?.conn(),
            token_hash,
            user_id,
            csrf_token,
            expires_at,
            audit,
        )
    }

    /// The live session with this token hash at `now` (ms), if its account is enabled.
    pub fn session(&self, token_hash: &str, now: i64) -> Result<Option<SessionRecord>, StoreError> {
        self.readers.with(|c| accounts::session(c, token_hash, now))
    }

    /// End a session and record the logout; `false` when there was none.
    pub fn end_session(
        &self,
        token_hash: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        accounts::end_session(self.lock_writer()?.conn(), token_hash, audit)
    }

    /// Record something in the audit log on its own (a change stored elsewhere, a refused login).
    pub fn append_audit(&self, entry: &AuditEntry<'_>) -> Result<(), StoreError> {
        accounts::append_audit(self.lock_writer()?.conn(), entry)
    }

    /// Audit records, newest first: up to `limit` older than record `before`.
    pub fn audit_page(
        &self,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        self.readers
            .with(|c| accounts::audit_page(c, before, limit))
    }

    /// Every audit record, oldest first, one at a time.
    pub fn audit_each(
        &self,
        each: &mut dyn FnMut(AuditRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.readers.with(|c| accounts::audit_each(c, each))
    }
}
