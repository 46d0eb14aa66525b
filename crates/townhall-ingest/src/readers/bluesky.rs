//! Bluesky: `app.bsky.feed.getAuthorFeed` output (`{"feed": [feedViewPost]}`) and
//! `app.bsky.feed.searchPosts` output (`{"posts": [postView]}`), one response per file, a JSON
//! array of either, or JSONL with one response (page) per line.
//!
//! Channel `bluesky:<author handle>` (or `ImportOptions.account`). A repost (`reasonRepost`)
//! becomes a post of the reposter whose id is the repost record's at-uri when the server
//! gives it (`reason.uri`), else `<post at-uri>#repost-by-<reposter did>`.

use super::json_shapes::{not_object, read_array_object_or_lines};
use crate::common::{json_kind, reject};
use crate::time::parse_flexible;
use crate::{ImportOptions, IngestError, Location, Records, Reject};
use serde::Deserialize;
use serde_json::Value;
use std::io::BufRead;
use std::sync::Arc;
use townhall_core::{AuthorRef, ChannelKey, ChannelKind, Engagement, IncomingPost, PostKind};

const REASON_REPOST: &str = "app.bsky.feed.defs#reasonRepost";
const FACET_LINK: &str = "app.bsky.richtext.facet#link";
const EMBED_RECORD: &str = "app.bsky.embed.record";
const EMBED_RECORD_WITH_MEDIA: &str = "app.bsky.embed.recordWithMedia";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FeedViewPost {
    post: PostView,
    reply: Option<ReplyRef>,
    reason: Option<Reason>,
}

#[derive(Deserialize)]
struct ReplyRef {
    parent: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reason {
    #[serde(rename = "$type")]
    kind: Option<String>,
    by: Option<Profile>,
    indexed_at: Option<String>,
    uri: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PostView {
    uri: String,
    author: Profile,
    record: PostRecord,
    embed: Option<Value>,
    like_count: Option<u64>,
    repost_count: Option<u64>,
    reply_count: Option<u64>,
    quote_count: Option<u64>,
    indexed_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    did: String,
    handle: String,
    display_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PostRecord {
    #[serde(default)]
    text: String,
    created_at: Option<String>,
    #[serde(default)]
    langs: Vec<String>,
    reply: Option<RecordReply>,
    #[serde(default)]
    facets: Vec<Facet>,
    embed: Option<Value>,
}

#[derive(Deserialize)]
struct RecordReply {
    root: Option<StrongRef>,
    parent: Option<StrongRef>,
}

#[derive(Deserialize)]
struct StrongRef {
    uri: String,
}

#[derive(Deserialize)]
struct Facet {
    index: ByteSlice,
    #[serde(default)]
    features: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ByteSlice {
    byte_start: u64,
    byte_end: u64,
}

/// Replace the display text of each link facet with its full URI. Facet offsets count UTF-8
/// bytes; facets that overlap, run past the text or cut a character are left alone.
fn expand_link_facets(text: &str, facets: &[Facet]) -> String {
    let mut links: Vec<(usize, usize, &str)> = facets
        .iter()
        .filter_map(|facet| {
            let uri = facet.features.iter().find_map(|f| {
                (f.get("$type")?.as_str()? == FACET_LINK)
                    .then(|| f.get("uri")?.as_str())
                    .flatten()
            })?;
            let start = usize::try_from(facet.index.byte_start).ok()?;
            let end = usize::try_from(facet.index.byte_end).ok()?;
            let valid = start <= end
                && end <= text.len()
                && text.is_char_boundary(start)
                && text.is_char_boundary(end);
            valid.then_some((start, end, uri))
        })
        .collect();
    links.sort_by_key(|&(start, end, _)| (start, end));
    let mut out = String::with_capacity(text.len());
    let mut copied_to = 0;
    for (start, end, uri) in links {
        if start < copied_to {
            continue;
        }
        out.push_str(&text[copied_to..start]);
        out.push_str(uri);
        copied_to = end;
    }
    out.push_str(&text[copied_to..]);
    out
}

/// The did in `at://<did>/<collection>/<rkey>`.
fn did_of(at_uri: &str) -> Option<&str> {
    at_uri.strip_prefix("at://")?.split('/').next()
}

fn web_url(handle: &str, at_uri: &str) -> Option<String> {
    let rest = at_uri.strip_prefix("at://")?;
    let mut parts = rest.split('/');
    let (_did, collection, rkey) = (parts.next()?, parts.next()?, parts.next()?);
    (collection == "app.bsky.feed.post" && !rkey.is_empty())
        .then(|| format!("https://bsky.app/profile/{handle}/post/{rkey}"))
}

/// The at-uri of the post quoted by a record's embed, if it quotes a post.
fn quoted_uri(record_embed: &Value) -> Option<String> {
    let kind = record_embed.get("$type")?.as_str()?;
    let strong_ref = match kind {
        EMBED_RECORD => record_embed.get("record")?,
        EMBED_RECORD_WITH_MEDIA => record_embed.get("record")?.get("record")?,
        _ => return None,
    };
    let uri = strong_ref.get("uri")?.as_str()?;
    uri.contains("/app.bsky.feed.post/")
        .then(|| uri.to_string())
}

/// The quoted post's author handle from the hydrated embed view.
fn quoted_handle(view_embed: &Value) -> Option<String> {
    let record = view_embed.get("record")?;
    let view_record = record.get("record").filter(|r| r.get("author").is_some());
    let author = view_record.unwrap_or(record).get("author")?;
    author.get("handle")?.as_str().map(str::to_string)
}

fn author_ref(profile: &Profile) -> AuthorRef {
    AuthorRef {
        external_id: Some(profile.did.clone()),
        handle: Some(profile.handle.clone()),
        display_name: profile
            .display_name
            .clone()
            .filter(|n| !n.trim().is_empty()),
    }
}

fn channel(opts: &ImportOptions, handle: &str) -> ChannelKey {
    ChannelKey::new(
        ChannelKind::Bluesky,
        opts.account.clone().unwrap_or_else(|| handle.to_string()),
    )
}

fn post_from_view(
    view: &PostView,
    parent_view: Option<&Value>,
    opts: &ImportOptions,
) -> Result<IncomingPost, String> {
    let raw_time = view
        .record
        .created_at
        .as_deref()
        .or(view.indexed_at.as_deref())
        .ok_or("record has no createdAt and the view no indexedAt")?;
    let created_at = parse_flexible(raw_time)
        .ok_or_else(|| format!("createdAt `{raw_time}` is not RFC 3339"))?;
    let text = expand_link_facets(&view.record.text, &view.record.facets);
    let mut post = IncomingPost::new(
        channel(opts, &view.author.handle),
        view.uri.clone(),
        text,
        created_at,
    );
    post.author = author_ref(&view.author);
    post.url = web_url(&view.author.handle, &view.uri);
    post.declared_lang = view.record.langs.first().cloned();
    post.engagement = Engagement {
        likes: view.like_count,
        reposts: view.repost_count,
        replies: view.reply_count,
        quotes: view.quote_count,
    };
    if let Some(quoted) = view.record.embed.as_ref().and_then(quoted_uri) {
        post.kind = PostKind::Quote;
        post.quote_of = Some(quoted);
        post.target_handle = view.embed.as_ref().and_then(quoted_handle);
    }
    if let Some(reply) = &view.record.reply {
        post.thread_root = reply.root.as_ref().map(|r| r.uri.clone());
        if let Some(parent) = &reply.parent {
            post.reply_to = Some(parent.uri.clone());
            // Continuing one's own thread is not a reply to someone else.
            if did_of(&parent.uri) != Some(view.author.did.as_str()) {
                post.kind = PostKind::Reply;
                post.target_handle = parent_view
                    .and_then(|p| p.get("author")?.get("handle")?.as_str())
                    .map(str::to_string);
            }
        }
    }
    Ok(post)
}

fn repost_from_item(
    item: &FeedViewPost,
    reason: &Reason,
    opts: &ImportOptions,
) -> Result<IncomingPost, String> {
    let by = reason.by.as_ref().ok_or("reasonRepost without `by`")?;
    let raw_time = reason
        .indexed_at
        .as_deref()
        .ok_or("reasonRepost without indexedAt")?;
    let created_at = parse_flexible(raw_time)
        .ok_or_else(|| format!("indexedAt `{raw_time}` is not RFC 3339"))?;
    let original = &item.post;
    let id = reason
        .uri
        .clone()
        .unwrap_or_else(|| format!("{}#repost-by-{}", original.uri, by.did));
    let text = expand_link_facets(&original.record.text, &original.record.facets);
    let mut post = IncomingPost::new(channel(opts, &by.handle), id, text, created_at);
    post.author = author_ref(by);
    post.kind = PostKind::Repost;
    post.repost_of = Some(original.uri.clone());
    post.target_handle = Some(original.author.handle.clone());
    post.url = web_url(&original.author.handle, &original.uri);
    post.declared_lang = original.record.langs.first().cloned();
    Ok(post)
}

/// Posts of one element: a whole response, a feed item or a post view.
fn parse_element(
    file: &str,
    value: Value,
    at: Location,
    opts: &ImportOptions,
) -> Vec<Result<IncomingPost, Reject>> {
    let Value::Object(mut object) = value else {
        return vec![Err(not_object(file, at, &value))];
    };
    let list = object.remove("feed").or_else(|| object.remove("posts"));
    match list {
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                // Inside a response read whole, the index is the place; inside a JSONL
                // line, the line is, and the index goes into the reason.
                let (item_at, prefix) = match &at {
                    Location::File => (Location::Index(i as u64), String::new()),
                    other => (other.clone(), format!("item {i}: ")),
                };
                parse_item(item, opts).map_err(|r| reject(file, item_at, format!("{prefix}{r}")))
            })
            .collect(),
        Some(other) => vec![Err(reject(
            file,
            at,
            format!("`feed`/`posts` is {}, not an array", json_kind(&other)),
        ))],
        None => vec![parse_item(Value::Object(object), opts).map_err(|r| reject(file, at, r))],
    }
}

/// A feed item (`{"post": …}`) or a bare post view (`{"uri": …}`).
fn parse_item(item: Value, opts: &ImportOptions) -> Result<IncomingPost, String> {
    if item.get("post").is_some() {
        let feed_item: FeedViewPost =
            serde_json::from_value(item).map_err(|e| format!("not a Bluesky feed item: {e}"))?;
        if let Some(reason) = &feed_item.reason {
            if reason.kind.as_deref() == Some(REASON_REPOST) {
                return repost_from_item(&feed_item, reason, opts);
            }
        }
        let parent = feed_item.reply.as_ref().and_then(|r| r.parent.as_ref());
        post_from_view(&feed_item.post, parent, opts)
    } else {
        let view: PostView =
            serde_json::from_value(item).map_err(|e| format!("not a Bluesky post view: {e}"))?;
        post_from_view(&view, None, opts)
    }
}

pub fn read<R: BufRead + Send + 'static>(
    name: &str,
    reader: R,
    opts: &ImportOptions,
) -> Result<Records, IngestError> {
    let file = name.to_string();
    let opts = opts.clone();
    read_array_object_or_lines(
        name,
        reader,
        Arc::new(move |value, at| parse_element(&file, value, at, &opts)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link_facet(start: u64, end: u64, uri: &str) -> Facet {
        Facet {
            index: ByteSlice {
                byte_start: start,
                byte_end: end,
            },
            features: vec![serde_json::json!({"$type": FACET_LINK, "uri": uri})],
        }
    }

    #[test]
    fn facets_use_byte_offsets() {
        // "Café 🎉 see " is 11 chars but 15 bytes: é is 2 bytes, the emoji 4.
        let text = "Café 🎉 see example.org/lo... now";
        let start = text.find("example").unwrap_or(0) as u64;
        let end = start + "example.org/lo...".len() as u64;
        assert_eq!(start, 15);
        let facets = [link_facet(start, end, "https://example.org/long/path")];
        assert_eq!(
            expand_link_facets(text, &facets),
            "Café 🎉 see https://example.org/long/path now"
        );
    }

    #[test]
    fn bad_facets_are_ignored() {
        let text = "é";
        let facets = [
            link_facet(1, 2, "x"),
            link_facet(0, 99, "y"),
            link_facet(2, 1, "z"),
        ];
        assert_eq!(expand_link_facets(text, &facets), "é");
    }
}
