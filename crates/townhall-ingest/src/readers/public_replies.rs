//! publicreplies thread files (`<origin id>.json`): `{"origin": [10 values], "replies": [[13
//! values], …]}`, positional arrays as described in the data README.
//!
//! Every post goes to the channel `x:<origin author handle>`: the origin as that author's post,
//! each reply as a reply to the origin (`reply_to` = `thread_root` = origin id; the reply's own
//! context id `[1]` is not reliable). A reply by the origin's own author continues their thread
//! and stays `Original` (with `reply_to` set), as in the other readers.
//!
//! The origin's display time (`8:33 AM - 1 Mar 2019`) has no time zone and may be empty, so
//! its time is decoded from the tweet id (a snowflake, exact to the millisecond); if the id is
//! not a snowflake, the earliest reply time stands in for it.

use super::x_archive::twitter_lang;
use crate::common::{loose_count, loose_string, read_whole, reject, strip_bom};
use crate::time::{from_twitter_snowflake, parse_unix};
use crate::{ImportOptions, IngestError, Location, Records, Reject};
use serde_json::Value;
use std::io::BufRead;
use townhall_core::{AuthorRef, ChannelKey, ChannelKind, Engagement, IncomingPost, PostKind};

mod origin_field {
    pub const ID: usize = 0;
    pub const DISPLAY_NAME: usize = 2;
    pub const HANDLE: usize = 3;
    pub const TEXT: usize = 5;
    pub const QUOTED_HANDLE: usize = 6;
    pub const LIKES: usize = 8;
    pub const RETWEETS: usize = 9;
}

mod reply_field {
    pub const ID: usize = 0;
    pub const UNIX_TIME: usize = 2;
    pub const DISPLAY_NAME: usize = 3;
    pub const HANDLE: usize = 4;
    pub const TEXT: usize = 8;
    pub const LANG: usize = 9;
    pub const LIKES: usize = 11;
    pub const RETWEETS: usize = 12;
}

fn status_url(handle: &str, id: &str) -> String {
    format!("https://twitter.com/{handle}/status/{id}")
}

struct Origin {
    id: String,
    handle: String,
}

pub fn read<R: BufRead>(
    name: &str,
    reader: R,
    _opts: &ImportOptions,
) -> Result<Records, IngestError> {
    let bytes = read_whole(name, reader)?;
    let document = match serde_json::from_slice::<Value>(strip_bom(&bytes)) {
        Ok(document) => document,
        Err(e) => {
            return Ok(crate::common::file_reject(
                name,
                format!("invalid JSON: {e}"),
            ))
        }
    };
    let (Some(origin), Some(replies)) = (
        document.get("origin").and_then(Value::as_array),
        document.get("replies").and_then(Value::as_array),
    ) else {
        return Ok(crate::common::file_reject(
            name,
            "expected an object with `origin` and `replies` arrays",
        ));
    };
    let origin_id = loose_string(origin.get(origin_field::ID));
    let origin_handle = loose_string(origin.get(origin_field::HANDLE));
    let (Some(origin_id), Some(origin_handle)) = (origin_id, origin_handle) else {
        return Ok(crate::common::file_reject(
            name,
            "origin has no tweet id [0] or handle [3]",
        ));
    };
    let thread = Origin {
        id: origin_id,
        handle: origin_handle,
    };
    let channel = ChannelKey::new(ChannelKind::X, thread.handle.clone());

    let mut out: Vec<Result<IncomingPost, Reject>> = Vec::with_capacity(replies.len() + 1);
    for (index, reply) in replies.iter().enumerate() {
        let at = Location::Index(index as u64);
        let post = match reply.as_array() {
            Some(fields) => reply_post(fields, &thread, &channel),
            None => Err("reply is not an array".to_string()),
        };
        out.push(post.map_err(|r| reject(name, at, format!("replies[{index}]: {r}"))));
    }
    let earliest_reply = out
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|p| p.created_at)
        .min();
    let origin_time = from_twitter_snowflake(&thread.id).or(earliest_reply);
    let origin_post = match origin_time {
        Some(created_at) => Ok(origin_post(origin, &thread, &channel, created_at)),
        None => Err(reject(
            name,
            Location::File,
            "origin: no time (id is not a snowflake and no reply has a time)",
        )),
    };
    out.insert(0, origin_post);
    Ok(Box::new(out.into_iter()))
}

fn origin_post(
    fields: &[Value],
    thread: &Origin,
    channel: &ChannelKey,
    created_at: chrono::DateTime<chrono::Utc>,
) -> IncomingPost {
    let text = loose_string(fields.get(origin_field::TEXT)).unwrap_or_default();
    let mut post = IncomingPost::new(channel.clone(), thread.id.clone(), text, created_at);
    post.author = AuthorRef {
        external_id: None,
        handle: Some(thread.handle.clone()),
        display_name: loose_string(fields.get(origin_field::DISPLAY_NAME)),
    };
    post.url = Some(status_url(&thread.handle, &thread.id));
    post.engagement = Engagement {
        likes: loose_count(fields.get(origin_field::LIKES)),
        reposts: loose_count(fields.get(origin_field::RETWEETS)),
        replies: None,
        quotes: None,
    };
    if let Some(quoted) = loose_string(fields.get(origin_field::QUOTED_HANDLE)) {
        post.kind = PostKind::Quote;
        post.target_handle = Some(quoted);
    }
    post
}

fn reply_post(
    fields: &[Value],
    thread: &Origin,
    channel: &ChannelKey,
) -> Result<IncomingPost, String> {
    let id = loose_string(fields.get(reply_field::ID)).ok_or("no tweet id [0]")?;
    let raw_time = loose_string(fields.get(reply_field::UNIX_TIME)).ok_or("no Unix time [2]")?;
    let created_at = parse_unix(&raw_time)
        .ok_or_else(|| format!("time [2] `{raw_time}` is not Unix seconds"))?;
    let handle = loose_string(fields.get(reply_field::HANDLE)).ok_or("no handle [4]")?;
    let text = loose_string(fields.get(reply_field::TEXT)).unwrap_or_default();
    let mut post = IncomingPost::new(channel.clone(), id.clone(), text, created_at);
    post.url = Some(status_url(&handle, &id));
    post.author = AuthorRef {
        external_id: None,
        handle: Some(handle.clone()),
        display_name: loose_string(fields.get(reply_field::DISPLAY_NAME)),
    };
    post.reply_to = Some(thread.id.clone());
    post.thread_root = Some(thread.id.clone());
    if !handle.eq_ignore_ascii_case(&thread.handle) {
        post.kind = PostKind::Reply;
        post.target_handle = Some(thread.handle.clone());
    }
    post.declared_lang = twitter_lang(loose_string(fields.get(reply_field::LANG)));
    post.engagement = Engagement {
        likes: loose_count(fields.get(reply_field::LIKES)),
        reposts: loose_count(fields.get(reply_field::RETWEETS)),
        replies: None,
        quotes: None,
    };
    Ok(post)
}
