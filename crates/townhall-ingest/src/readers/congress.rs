//! congresstweets daily files: one JSON array of `{id, screen_name, user_id, time, link, text,
//! source}` (all strings). Kinds are decoded from the collector's text conventions (see the
//! data README): `RT @x ` → repost of x, leading `@` → reply, ` QT @x ` → quote, else original.
//! A repost's text is the reposted words (prefix removed); a quote's text is the account's own
//! words, with the quoted author in `target_handle`. Duplicate ids keep the first.

use crate::common::{parse_json_array, read_whole, reject};
use crate::html::decode_twitter_entities;
use crate::{ImportOptions, IngestError, Location, Records};
use serde::Deserialize;
use std::collections::HashSet;
use std::io::BufRead;
use townhall_core::{AuthorRef, ChannelKey, ChannelKind, IncomingPost, PostKind};

#[derive(Deserialize)]
struct RawTweet {
    id: String,
    screen_name: String,
    user_id: Option<String>,
    time: String,
    link: Option<String>,
    text: String,
}

/// The decoded shape of a collector-formatted tweet text.
#[derive(Debug, PartialEq, Eq)]
pub struct DecodedText<'t> {
    pub kind: PostKind,
    pub target_handle: Option<&'t str>,
    /// The words to keep as the post's text.
    pub text: &'t str,
}

/// A handle at the start of `s` (Twitter handles are ASCII letters, digits and `_`).
fn leading_handle(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// Decide the kind in the README's order: retweet, reply, quote, original.
pub fn decode_text(text: &str) -> DecodedText<'_> {
    if let Some(rest) = text.strip_prefix("RT @") {
        let handle = leading_handle(rest);
        let after = rest[handle.len()..].trim_start_matches(':');
        return DecodedText {
            kind: PostKind::Repost,
            target_handle: (!handle.is_empty()).then_some(handle),
            text: after.strip_prefix(' ').unwrap_or(after),
        };
    }
    if let Some(rest) = text.strip_prefix('@') {
        let handle = leading_handle(rest);
        return DecodedText {
            kind: PostKind::Reply,
            target_handle: (!handle.is_empty()).then_some(handle),
            text,
        };
    }
    if let Some(at) = text.find(" QT @") {
        let handle = leading_handle(&text[at + " QT @".len()..]);
        return DecodedText {
            kind: PostKind::Quote,
            target_handle: (!handle.is_empty()).then_some(handle),
            text: &text[..at],
        };
    }
    DecodedText {
        kind: PostKind::Original,
        target_handle: None,
        text,
    }
}

/// The status id at the end of `https://www.twitter.com/<user>/statuses/<id>`.
fn status_id_of_link(link: &str) -> Option<&str> {
    let (_, id) = link
        .rsplit_once("/statuses/")
        .or_else(|| link.rsplit_once("/status/"))?;
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

pub fn read<R: BufRead>(
    name: &str,
    reader: R,
    opts: &ImportOptions,
) -> Result<Records, IngestError> {
    let bytes = read_whole(name, reader)?;
    let items = match parse_json_array(name, &bytes) {
        Ok(items) => items,
        Err(r) => return Ok(Box::new(std::iter::once(Err(r)))),
    };
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let at = Location::Index(index as u64);
        let raw: RawTweet = match serde_json::from_value(item) {
            Ok(raw) => raw,
            Err(e) => {
                out.push(Err(reject(
                    name,
                    at,
                    format!("not a congresstweets post: {e}"),
                )));
                continue;
            }
        };
        if raw.id.trim().is_empty() {
            out.push(Err(reject(name, at, "empty id")));
            continue;
        }
        if !seen.insert(raw.id.clone()) {
            continue;
        }
        let Some(created_at) = crate::time::parse_flexible(&raw.time) else {
            out.push(Err(reject(
                name,
                at,
                format!("time `{}` is not RFC 3339", raw.time),
            )));
            continue;
        };
        let decoded = decode_text(&raw.text);
        let channel = ChannelKey::new(ChannelKind::X, raw.screen_name.clone());
        let mut post = IncomingPost::new(
            channel,
            raw.id.clone(),
            decode_twitter_entities(decoded.text),
            created_at,
        );
        post.kind = decoded.kind;
        post.target_handle = decoded.target_handle.map(str::to_string);
        post.author = AuthorRef {
            external_id: raw.user_id.clone(),
            handle: Some(raw.screen_name.clone()),
            display_name: None,
        };
        match decoded.kind {
            PostKind::Repost => {
                // The link points at the original tweet; its id is what was reposted.
                post.repost_of = raw
                    .link
                    .as_deref()
                    .map(|l| status_id_of_link(l).unwrap_or(l).to_string());
                post.url = Some(format!(
                    "https://twitter.com/{}/status/{}",
                    raw.screen_name, raw.id
                ));
            }
            _ => post.url = raw.link.clone(),
        }
        if let (Some(registry), Some(user_id)) = (&opts.accounts_registry, &raw.user_id) {
            post.own = registry.lookup(user_id).and_then(|a| a.account_type.own());
        }
        out.push(Ok(post));
    }
    Ok(Box::new(out.into_iter()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_collector_conventions() {
        let rt = decode_text("RT @CRN_Supplements Thank you!");
        assert_eq!(rt.kind, PostKind::Repost);
        assert_eq!(rt.target_handle, Some("CRN_Supplements"));
        assert_eq!(rt.text, "Thank you!");
        let qt = decode_text("Read this https://t.co/x QT @WhiteHouse Their words");
        assert_eq!(qt.kind, PostKind::Quote);
        assert_eq!(qt.target_handle, Some("WhiteHouse"));
        assert_eq!(qt.text, "Read this https://t.co/x");
        let reply = decode_text("@SenSchumer Agreed QT @x y");
        assert_eq!(reply.kind, PostKind::Reply);
        assert_eq!(reply.target_handle, Some("SenSchumer"));
        assert_eq!(decode_text(".@POTUS says").kind, PostKind::Original);
        assert_eq!(decode_text("RT @").kind, PostKind::Repost);
    }

    #[test]
    fn link_ids() {
        assert_eq!(
            status_id_of_link("https://www.twitter.com/a/statuses/877509166285414401"),
            Some("877509166285414401")
        );
        assert_eq!(status_id_of_link("https://example.org/"), None);
    }
}
