//! Writing and reading posts, channels and import records.

use crate::pseudonym::{self, Key};
use crate::{parse_kind, StoreError};
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::collections::HashMap;
use townhall_core::{
    Analysis, Channel, ChannelKey, ChannelSettings, Engagement, IncomingPost, PostKind, Sentiment,
    StoredPost,
};

/// An analysed post ready to store. `post.text` is what will be stored (already redacted where
/// the channel asks for it).
#[derive(Debug, Clone)]
pub struct NewPost {
    pub post: IncomingPost,
    pub analysis: Analysis,
    /// The agency's own post.
    pub own: bool,
}

/// What an import (or one batch of it) did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportCounts {
    pub imported: u64,
    pub duplicates: u64,
    pub rejected: u64,
}

impl ImportCounts {
    pub fn add(&mut self, other: ImportCounts) {
        self.imported += other.imported;
        self.duplicates += other.duplicates;
        self.rejected += other.rejected;
    }
}

/// A rejected record as kept in the store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RejectRecord {
    pub file: String,
    pub location: String,
    pub reason: String,
}

/// A post that a batch added: (position in the batch, new id, author as stored).
pub(crate) type Inserted = (usize, i64, Option<String>);

pub(crate) struct Writer {
    conn: Connection,
    key: Key,
    channels: HashMap<ChannelKey, Channel>,
    authors: HashMap<(String, String), i64>,
}

const POST_COLUMNS: &str = "p.id, c.kind, c.account, p.external_id, a.handle, a.pseudonym, p.kind,
    p.text, p.title, p.created_at, p.reply_to, p.thread_root, p.repost_of, p.quote_of, p.url,
    p.likes, p.reposts, p.replies, p.quotes, p.own, p.lang, p.lang_confidence, p.compound, p.pos,
    p.neu, p.neg, p.is_question, p.hashtags, p.mentions, p.urls, p.key_phrases, p.personal_data";

const POST_FROM: &str =
    "FROM posts p JOIN channels c ON c.id = p.channel_id LEFT JOIN authors a ON a.id = p.author_id";

impl Writer {
    /// The writer's connection, for small writes outside the import path.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn new(conn: Connection, key: Key) -> Writer {
        Writer {
            conn,
            key,
            channels: HashMap::new(),
            authors: HashMap::new(),
        }
    }

    pub(crate) fn max_post_id(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM posts", [], |r| r.get(0))?)
    }

    pub(crate) fn posts_after(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<StoredPost>, StoreError> {
        load_posts_after(&self.conn, after, limit)
    }

    pub(crate) fn ensure_channel(
        &mut self,
        key: &ChannelKey,
        settings: ChannelSettings,
    ) -> Result<Channel, StoreError> {
        if let Some(channel) = self.channels.get(key) {
            return Ok(channel.clone());
        }
        self.conn.execute(
            "INSERT INTO channels (kind, account, owned, keep_public_handles, redact_personal_data, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (kind, account) DO NOTHING",
            params![
                key.kind.as_str(),
                key.account,
                settings.owned,
                settings.keep_public_handles,
                settings.redact_personal_data,
                Utc::now().timestamp_millis()
            ],
        )?;
        let channel = self.conn.query_row(
            "SELECT id, kind, account, owned, keep_public_handles, redact_personal_data
             FROM channels WHERE kind = ?1 AND account = ?2",
            (key.kind.as_str(), key.account.as_str()),
            channel_from_row,
        )?;
        self.channels.insert(key.clone(), channel.clone());
        Ok(channel)
    }

    pub(crate) fn update_channel(&mut self, channel: &Channel) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE channels SET owned = ?2, keep_public_handles = ?3, redact_personal_data = ?4
             WHERE id = ?1",
            params![
                channel.id,
                channel.owned,
                channel.keep_public_handles,
                channel.redact_personal_data
            ],
        )?;
        self.channels.remove(&channel.key);
        Ok(())
    }

    /// Insert in one transaction; returns the counts and, for each post that was new, its
    /// position in the batch, its id and its author as stored (handle or pseudonym).
    pub(crate) fn insert_posts(
        &mut self,
        batch: &[NewPost],
    ) -> Result<(ImportCounts, Vec<Inserted>), StoreError> {
        // Channels first (outside the borrow of the transaction); most are cached already.
        for item in batch {
            if !self.channels.contains_key(&item.post.channel) {
                self.ensure_channel(&item.post.channel, ChannelSettings::default())?;
            }
        }
        let now = Utc::now().timestamp_millis();
        let mut counts = ImportCounts::default();
        let mut inserted = Vec::new();
        let tx = self.conn.transaction()?;
        {
            let mut insert_author = tx.prepare_cached(
                "INSERT INTO authors (channel_kind, pseudonym, handle, display_name) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (channel_kind, pseudonym) DO UPDATE SET
                   handle = coalesce(excluded.handle, authors.handle),
                   display_name = coalesce(excluded.display_name, authors.display_name)
                 RETURNING id",
            )?;
            let mut insert_post = tx.prepare_cached(
                "INSERT INTO posts (channel_id, external_id, author_id, kind, text, title, created_at,
                   reply_to, thread_root, repost_of, quote_of, target_handle, url, likes, reposts,
                   replies, quotes, own, declared_lang, imported_at, lang, lang_confidence, compound,
                   pos, neu, neg, is_question, hashtags, mentions, urls, key_phrases, personal_data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                   ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)
                 ON CONFLICT (channel_id, external_id) DO NOTHING",
            )?;
            for (position, item) in batch.iter().enumerate() {
                let post = &item.post;
                let Some(channel) = self.channels.get(&post.channel) else {
                    continue;
                };
                let mut shown_author = None;
                let author_id = match post.author.identity() {
                    Some(identity) => {
                        let platform = post.channel.kind.as_str();
                        let pseudonym = pseudonym::pseudonym(&self.key, platform, identity);
                        let keep = item.own || channel.keep_public_handles;
                        shown_author = if keep {
                            post.author
                                .handle
                                .clone()
                                .or_else(|| Some(pseudonym.clone()))
                        } else {
                            Some(pseudonym.clone())
                        };
                        let cache_key = (platform.to_string(), pseudonym.clone());
                        match self.authors.get(&cache_key) {
                            Some(id) if !keep => Some(*id),
                            _ => {
                                let (handle, name) = if keep {
                                    (
                                        post.author.handle.as_deref(),
                                        post.author.display_name.as_deref(),
                                    )
                                } else {
                                    (None, None)
                                };
                                let id: i64 = insert_author
                                    .query_row(params![platform, pseudonym, handle, name], |r| {
                                        r.get(0)
                                    })?;
                                self.authors.insert(cache_key, id);
                                Some(id)
                            }
                        }
                    }
                    None => None,
                };
                let a = &item.analysis;
                let changed = insert_post.execute(params![
                    channel.id,
                    post.external_id,
                    author_id,
                    post.kind.as_str(),
                    post.text,
                    post.title,
                    post.created_at.timestamp_millis(),
                    post.reply_to,
                    post.thread_root,
                    post.repost_of,
                    post.quote_of,
                    post.target_handle,
                    post.url,
                    post.engagement.likes.map(|v| v as i64),
                    post.engagement.reposts.map(|v| v as i64),
                    post.engagement.replies.map(|v| v as i64),
                    post.engagement.quotes.map(|v| v as i64),
                    item.own,
                    post.declared_lang,
                    now,
                    a.lang,
                    a.lang_confidence,
                    a.sentiment.compound,
                    a.sentiment.pos,
                    a.sentiment.neu,
                    a.sentiment.neg,
                    a.is_question,
                    json(&a.hashtags),
                    json(&a.mentions),
                    json(&a.urls),
                    json(&a.key_phrases),
                    json(&a.personal_data),
                ])?;
                if changed == 1 {
                    counts.imported += 1;
                    inserted.push((position, tx.last_insert_rowid(), shown_author));
                } else {
                    counts.duplicates += 1;
                }
            }
        }
        tx.commit()?;
        Ok((counts, inserted))
    }

    pub(crate) fn start_import(&mut self, files: &[String]) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO imports (started_at, files) VALUES (?1, ?2)",
            params![Utc::now().timestamp_millis(), json(files)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub(crate) fn add_rejects(
        &mut self,
        import_id: i64,
        rejects: &[RejectRecord],
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO import_rejects (import_id, file, location, reason) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for r in rejects {
                stmt.execute(params![import_id, r.file, r.location, r.reason])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn finish_import(
        &mut self,
        import_id: i64,
        counts: &ImportCounts,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE imports SET finished_at = ?2, imported = ?3, duplicates = ?4, rejected = ?5 WHERE id = ?1",
            params![
                import_id,
                Utc::now().timestamp_millis(),
                counts.imported as i64,
                counts.duplicates as i64,
                counts.rejected as i64
            ],
        )?;
        Ok(())
    }
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_string())
}

fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

pub(crate) fn channel_from_row(row: &Row<'_>) -> rusqlite::Result<Channel> {
    let kind: String = row.get(1)?;
    Ok(Channel {
        id: row.get(0)?,
        key: ChannelKey::new(parse_kind(&kind), row.get::<_, String>(2)?),
        owned: row.get(3)?,
        keep_public_handles: row.get(4)?,
        redact_personal_data: row.get(5)?,
    })
}

fn time_from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

fn count(row: &Row<'_>, i: usize) -> rusqlite::Result<Option<u64>> {
    Ok(row.get::<_, Option<i64>>(i)?.map(|v| v.max(0) as u64))
}

pub(crate) fn post_from_row(row: &Row<'_>) -> rusqlite::Result<StoredPost> {
    let kind: String = row.get(1)?;
    let handle: Option<String> = row.get(4)?;
    let pseudonym: Option<String> = row.get(5)?;
    let post_kind: String = row.get(6)?;
    let personal: String = row.get(31)?;
    Ok(StoredPost {
        id: row.get(0)?,
        channel: ChannelKey::new(parse_kind(&kind), row.get::<_, String>(2)?),
        external_id: row.get(3)?,
        author: handle.or(pseudonym),
        kind: PostKind::parse(&post_kind).unwrap_or_default(),
        text: row.get(7)?,
        title: row.get(8)?,
        created_at: time_from_millis(row.get(9)?),
        reply_to: row.get(10)?,
        thread_root: row.get(11)?,
        repost_of: row.get(12)?,
        quote_of: row.get(13)?,
        url: row.get(14)?,
        engagement: Engagement {
            likes: count(row, 15)?,
            reposts: count(row, 16)?,
            replies: count(row, 17)?,
            quotes: count(row, 18)?,
        },
        own: row.get(19)?,
        analysis: Analysis {
            lang: row.get(20)?,
            lang_confidence: row.get(21)?,
            sentiment: Sentiment {
                compound: row.get(22)?,
                pos: row.get(23)?,
                neu: row.get(24)?,
                neg: row.get(25)?,
            },
            is_question: row.get(26)?,
            hashtags: json_list(&row.get::<_, String>(27)?),
            mentions: json_list(&row.get::<_, String>(28)?),
            urls: json_list(&row.get::<_, String>(29)?),
            key_phrases: json_list(&row.get::<_, String>(30)?),
            // Spans refer to the text as analysed, before any redaction.
            personal_data: serde_json::from_str(&personal).unwrap_or_default(),
        },
    })
}

pub(crate) fn load_posts(conn: &Connection, ids: &[i64]) -> Result<Vec<StoredPost>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {POST_COLUMNS} {POST_FROM} WHERE p.id = ?1"
    ))?;
    let mut posts = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(post) = stmt.query_row([id], post_from_row).optional()? {
            posts.push(post);
        }
    }
    Ok(posts)
}

pub(crate) fn load_rejects(
    conn: &Connection,
    import_id: i64,
) -> Result<Vec<RejectRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT file, location, reason FROM import_rejects WHERE import_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([import_id], |r| {
        Ok(RejectRecord {
            file: r.get(0)?,
            location: r.get(1)?,
            reason: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The stored post that `post` replies to, on the same platform, if it is stored.
pub(crate) fn load_posts_after(
    conn: &Connection,
    after: i64,
    limit: usize,
) -> Result<Vec<StoredPost>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {POST_COLUMNS} {POST_FROM} WHERE p.id > ?1 ORDER BY p.id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![after, limit as i64], post_from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(crate) fn load_parent(
    conn: &Connection,
    post: &StoredPost,
) -> Result<Option<StoredPost>, StoreError> {
    let Some(parent) = post.reply_to.as_deref() else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {POST_COLUMNS} {POST_FROM} WHERE p.external_id = ?1 AND c.kind = ?2 LIMIT 1"
    ))?;
    Ok(stmt
        .query_row((parent, post.channel.kind.as_str()), post_from_row)
        .optional()?)
}

/// Stored replies to `post` on the same platform, oldest first.
pub(crate) fn load_replies(
    conn: &Connection,
    post: &StoredPost,
    limit: usize,
) -> Result<Vec<StoredPost>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {POST_COLUMNS} {POST_FROM} WHERE p.reply_to = ?1 AND c.kind = ?2
         ORDER BY p.created_at, p.id LIMIT ?3"
    ))?;
    let rows = stmt.query_map(
        rusqlite::params![post.external_id, post.channel.kind.as_str(), limit as i64],
        post_from_row,
    )?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
