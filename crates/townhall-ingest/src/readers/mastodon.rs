//! Mastodon API `Status` entities: a JSON array (timelines, search), a single object, or JSONL.
//!
//! Channel: `mastodon:<acct>` of the status's author, written as `user@instance` even for
//! accounts local to the server that answered (their `acct` has no domain, so it is taken from
//! the account URL). One channel per account matches `x:<handle>`, and the `user@instance`
//! form is how the legislators registry lists Mastodon accounts. `ImportOptions.account`
//! overrides it (e.g. one channel for a whole hashtag timeline).

use super::json_shapes::{not_object, read_array_object_or_lines};
use crate::common::reject;
use crate::html::html_to_text;
use crate::time::parse_flexible;
use crate::{ImportOptions, IngestError, Location, Records, Reject};
use serde::Deserialize;
use serde_json::Value;
use std::io::BufRead;
use std::sync::Arc;
use townhall_core::{AuthorRef, ChannelKey, ChannelKind, Engagement, IncomingPost, PostKind};

#[derive(Deserialize)]
struct Status {
    id: String,
    created_at: String,
    in_reply_to_id: Option<String>,
    in_reply_to_account_id: Option<String>,
    spoiler_text: Option<String>,
    language: Option<String>,
    uri: Option<String>,
    url: Option<String>,
    replies_count: Option<u64>,
    reblogs_count: Option<u64>,
    favourites_count: Option<u64>,
    quotes_count: Option<u64>,
    content: Option<String>,
    reblog: Option<Box<Status>>,
    account: Account,
    #[serde(default)]
    mentions: Vec<Mention>,
    quote: Option<Quote>,
}

#[derive(Deserialize)]
struct Account {
    id: String,
    acct: String,
    display_name: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
struct Mention {
    id: String,
    acct: String,
}

/// Mastodon 4.4+: a full quote (`quoted_status`) or a shallow one (`quoted_status_id`).
#[derive(Deserialize)]
struct Quote {
    quoted_status: Option<Box<Status>>,
    quoted_status_id: Option<String>,
}

/// `user@instance`: `acct` is bare for accounts local to the answering server.
fn qualified_acct(account: &Account) -> String {
    if account.acct.contains('@') {
        return account.acct.clone();
    }
    let host = account
        .url
        .as_deref()
        .and_then(|u| u.split("://").nth(1))
        .and_then(|rest| rest.split('/').next())
        .filter(|h| !h.is_empty());
    match host {
        Some(host) => format!("{}@{}", account.acct, host),
        None => account.acct.clone(),
    }
}

fn nonempty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn to_post(status: Status, opts: &ImportOptions) -> Result<IncomingPost, String> {
    let created_at = parse_flexible(&status.created_at)
        .ok_or_else(|| format!("created_at `{}` is not RFC 3339", status.created_at))?;
    let account = opts
        .account
        .clone()
        .unwrap_or_else(|| qualified_acct(&status.account));
    // A boost carries no words of its own: text, title and language come from the boosted status.
    let words = status.reblog.as_deref().unwrap_or(&status);
    let text = html_to_text(words.content.as_deref().unwrap_or(""));
    let mut post = IncomingPost::new(
        ChannelKey::new(ChannelKind::Mastodon, account),
        status.id.clone(),
        text,
        created_at,
    );
    post.title = nonempty(words.spoiler_text.as_deref());
    post.declared_lang = nonempty(words.language.as_deref());
    post.author = AuthorRef {
        external_id: Some(status.account.id.clone()),
        handle: Some(status.account.acct.clone()),
        display_name: nonempty(status.account.display_name.as_deref()),
    };
    post.url = nonempty(status.url.as_deref()).or_else(|| nonempty(status.uri.as_deref()));
    post.engagement = Engagement {
        likes: status.favourites_count,
        reposts: status.reblogs_count,
        replies: status.replies_count,
        quotes: status.quotes_count,
    };
    let quoted = status.quote.as_ref().and_then(|q| {
        let from_status = q
            .quoted_status
            .as_deref()
            .map(|s| (s.id.clone(), Some(s.account.acct.clone())));
        from_status.or_else(|| q.quoted_status_id.clone().map(|id| (id, None)))
    });
    if let Some(reblogged) = status.reblog.as_deref() {
        post.kind = PostKind::Repost;
        post.repost_of = Some(reblogged.id.clone());
        post.target_handle = Some(reblogged.account.acct.clone());
    } else if let Some(parent) = nonempty(status.in_reply_to_id.as_deref()) {
        post.reply_to = Some(parent);
        let parent_account = status.in_reply_to_account_id.as_deref();
        if parent_account == Some(status.account.id.as_str()) {
            // Continuing one's own thread is not a reply to someone else.
            post.kind = if quoted.is_some() {
                PostKind::Quote
            } else {
                PostKind::Original
            };
        } else {
            post.kind = PostKind::Reply;
            post.target_handle = status
                .mentions
                .iter()
                .find(|m| Some(m.id.as_str()) == parent_account)
                .map(|m| m.acct.clone());
        }
    } else if quoted.is_some() {
        post.kind = PostKind::Quote;
    }
    if let Some((quoted_id, quoted_acct)) = quoted {
        post.quote_of = Some(quoted_id);
        if post.kind == PostKind::Quote {
            post.target_handle = quoted_acct;
        }
    }
    Ok(post)
}

fn parse_element(
    file: &str,
    value: Value,
    at: Location,
    opts: &ImportOptions,
) -> Result<IncomingPost, Reject> {
    if !value.is_object() {
        return Err(not_object(file, at, &value));
    }
    let status: Status = serde_json::from_value(value)
        .map_err(|e| reject(file, at.clone(), format!("not a Mastodon status: {e}")))?;
    to_post(status, opts).map_err(|reason| reject(file, at, reason))
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
        Arc::new(move |value, at| vec![parse_element(&file, value, at, &opts)]),
    )
}
