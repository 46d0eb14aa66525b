//! X (Twitter) account archive `tweets.js`: `window.YTD.tweets.part0 = [ {"tweet": {…}} ]`.
//! These are the archive owner's own posts, so `own = Some(true)`.
//!
//! The archive's tweets do not name their author. The channel account is, in order:
//! `ImportOptions.account`; the handle this account replies to when it continues its own
//! threads (a reply whose parent is in the same archive); the file stem.

use crate::common::{file_stem, loose_count, loose_string, read_whole, reject, strip_bom};
use crate::html::decode_twitter_entities;
use crate::time::parse_twitter;
use crate::{ImportOptions, IngestError, Location, Records};
use serde_json::Value;
use std::collections::HashSet;
use std::io::BufRead;
use townhall_core::{AuthorRef, ChannelKey, ChannelKind, Engagement, IncomingPost, PostKind};

/// Language tags Twitter uses for "no language": undetermined, media only, no text.
pub fn twitter_lang(lang: Option<String>) -> Option<String> {
    lang.filter(|l| {
        !matches!(
            l.as_str(),
            "und" | "qme" | "qmt" | "zxx" | "qht" | "qam" | "qct" | ""
        )
    })
}

/// The JSON part of `window.YTD.<name>.part<N> = [...]` (or the whole input if it is plain JSON).
fn json_part(bytes: &[u8]) -> &[u8] {
    let bytes = strip_bom(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    if bytes[start..].starts_with(b"window.") {
        if let Some(eq) = bytes.iter().position(|&b| b == b'=') {
            return &bytes[eq + 1..];
        }
    }
    bytes
}

/// `(handle, status id)` of a link to a tweet.
fn tweet_link(url: &str) -> Option<(&str, &str)> {
    let rest = url.split("://").nth(1)?;
    let mut parts = rest.split('/');
    let host = parts.next()?;
    let host = host
        .strip_prefix("www.")
        .or_else(|| host.strip_prefix("mobile."))
        .unwrap_or(host);
    if host != "twitter.com" && host != "x.com" {
        return None;
    }
    let handle = parts.next()?;
    if parts.next()? != "status" {
        return None;
    }
    let id = parts.next()?.split(['?', '#']).next()?;
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some((handle, id))
}

pub fn read<R: BufRead>(
    name: &str,
    reader: R,
    opts: &ImportOptions,
) -> Result<Records, IngestError> {
    let bytes = read_whole(name, reader)?;
    let items = match serde_json::from_slice::<Value>(json_part(&bytes)) {
        Ok(Value::Array(items)) => items,
        Ok(_) => {
            return Ok(crate::common::file_reject(
                name,
                "expected `window.YTD.tweets.part0 = [ … ]`",
            ))
        }
        Err(e) => {
            return Ok(crate::common::file_reject(
                name,
                format!("invalid JSON after `=`: {e}"),
            ))
        }
    };
    let tweets: Vec<Option<&serde_json::Map<String, Value>>> = items
        .iter()
        .map(|item| item.get("tweet").unwrap_or(item).as_object())
        .collect();
    let owner = opts
        .account
        .clone()
        .or_else(|| owner_from_self_replies(&tweets))
        .unwrap_or_else(|| file_stem(name));
    let channel = ChannelKey::new(ChannelKind::X, owner.clone());
    let mut out = Vec::with_capacity(tweets.len());
    for (index, tweet) in tweets.into_iter().enumerate() {
        let at = Location::Index(index as u64);
        let Some(tweet) = tweet else {
            out.push(Err(reject(
                name,
                at,
                "expected an object with a `tweet` object",
            )));
            continue;
        };
        out.push(to_post(tweet, &channel, &owner).map_err(|r| reject(name, at, r)));
    }
    Ok(Box::new(out.into_iter()))
}

/// The handle replied to by replies whose parent is also in the archive: those parents are the
/// owner's own tweets, so that handle is the owner's.
fn owner_from_self_replies(tweets: &[Option<&serde_json::Map<String, Value>>]) -> Option<String> {
    let ids: HashSet<String> = tweets
        .iter()
        .flatten()
        .filter_map(|t| loose_string(t.get("id_str").or_else(|| t.get("id"))))
        .collect();
    tweets.iter().flatten().find_map(|t| {
        let parent = loose_string(t.get("in_reply_to_status_id_str"))?;
        if !ids.contains(&parent) {
            return None;
        }
        loose_string(t.get("in_reply_to_screen_name"))
    })
}

fn to_post(
    tweet: &serde_json::Map<String, Value>,
    channel: &ChannelKey,
    owner: &str,
) -> Result<IncomingPost, String> {
    let id =
        loose_string(tweet.get("id_str").or_else(|| tweet.get("id"))).ok_or("missing id_str")?;
    let raw_text = tweet
        .get("full_text")
        .or_else(|| tweet.get("text"))
        .and_then(Value::as_str)
        .ok_or("missing full_text")?;
    let raw_time = tweet
        .get("created_at")
        .and_then(Value::as_str)
        .ok_or("missing created_at")?;
    let created_at = parse_twitter(raw_time).ok_or_else(|| {
        format!("created_at `{raw_time}` is not like `Wed Jun 21 14:05:17 +0000 2017`")
    })?;
    let urls: Vec<(&str, &str)> = tweet
        .get("entities")
        .and_then(|e| e.get("urls"))
        .and_then(Value::as_array)
        .map(|urls| {
            urls.iter()
                .filter_map(|u| Some((u.get("url")?.as_str()?, u.get("expanded_url")?.as_str()?)))
                .filter(|(short, _)| !short.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut text = decode_twitter_entities(raw_text);
    for (short, expanded) in &urls {
        text = text.replace(short, expanded);
    }
    let mut post = IncomingPost::new(channel.clone(), id.clone(), String::new(), created_at);
    post.own = Some(true);
    post.author = AuthorRef {
        external_id: None,
        handle: Some(owner.to_string()),
        display_name: None,
    };
    post.url = Some(format!("https://twitter.com/{owner}/status/{id}"));
    post.declared_lang = twitter_lang(loose_string(tweet.get("lang")));
    post.engagement = Engagement {
        likes: loose_count(tweet.get("favorite_count")),
        reposts: loose_count(tweet.get("retweet_count")),
        replies: None,
        quotes: None,
    };
    if let Some(rest) = text.strip_prefix("RT @") {
        let handle_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        post.kind = PostKind::Repost;
        post.target_handle = (handle_len > 0).then(|| rest[..handle_len].to_string());
        let words = rest[handle_len..].trim_start_matches(':').trim_start();
        text = words.to_string();
    } else if let Some(parent) = loose_string(tweet.get("in_reply_to_status_id_str")) {
        post.reply_to = Some(parent);
        let parent_handle = loose_string(tweet.get("in_reply_to_screen_name"));
        if parent_handle
            .as_deref()
            .is_some_and(|h| h.eq_ignore_ascii_case(owner))
        {
            // Continuing one's own thread is not a reply to someone else.
            post.kind = PostKind::Original;
        } else {
            post.kind = PostKind::Reply;
            post.target_handle = parent_handle;
        }
    }
    if post.kind == PostKind::Original {
        // A quote tweet's archive entry links the quoted tweet at the end of the text.
        let quoted = urls
            .iter()
            .rev()
            .find_map(|(_, expanded)| tweet_link(expanded));
        if let Some((handle, quoted_id)) = quoted {
            post.kind = PostKind::Quote;
            post.quote_of = Some(quoted_id.to_string());
            post.target_handle = Some(handle.to_string());
        }
    }
    post.text = townhall_core::cap_text(text);
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tweet_links() {
        assert_eq!(
            tweet_link("https://twitter.com/NASA/status/123?s=20"),
            Some(("NASA", "123"))
        );
        assert_eq!(tweet_link("https://x.com/a/status/9"), Some(("a", "9")));
        assert_eq!(tweet_link("https://example.org/a/status/9"), None);
    }

    #[test]
    fn strips_the_assignment() {
        assert_eq!(json_part(b"window.YTD.tweets.part0 = [1]"), b" [1]");
        assert_eq!(json_part(b"[1]"), b"[1]");
    }
}
