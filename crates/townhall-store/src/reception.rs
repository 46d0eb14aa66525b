//! How the agency's own posts were received: replies and the mean sentiment of the public's replies.

use crate::StoreError;
use rusqlite::Connection;

/// One own post and its reception.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnPostReception {
    pub id: i64,
    pub text: String,
    /// Replies: the platform's count when the source gave one, else the replies stored.
    pub replies: u64,
    /// Mean VADER compound of the public's stored replies.
    pub reply_sentiment: Option<f64>,
}

pub(crate) fn recent(conn: &Connection, limit: usize) -> Result<Vec<OwnPostReception>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.text, p.replies, count(r.id), avg(r.compound)
         FROM (SELECT id, text, external_id, channel_id, replies FROM posts
               WHERE own = 1 AND kind <> 'repost' ORDER BY created_at DESC LIMIT ?1) p
         LEFT JOIN posts r ON r.reply_to = p.external_id AND r.channel_id = p.channel_id AND r.own = 0
         GROUP BY p.id ORDER BY p.id DESC",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        let platform: Option<i64> = r.get(2)?;
        let stored: i64 = r.get(3)?;
        Ok(OwnPostReception {
            id: r.get(0)?,
            text: r.get(1)?,
            replies: platform.unwrap_or(0).max(stored).max(0) as u64,
            reply_sentiment: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl crate::Store {
    /// The agency's most recent `limit` own posts (not reposts) and how the public received them.
    pub fn own_post_reception(&self, limit: usize) -> Result<Vec<OwnPostReception>, StoreError> {
        self.readers.with(|c| recent(c, limit))
    }
}
