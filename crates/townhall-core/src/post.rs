//! Posts as they arrive from a source, before analysis and storage.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Public text is untrusted: anything longer is cut (at a char boundary) on the way in.
pub const MAX_TEXT_BYTES: usize = 16 * 1024;

/// Where a post was published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    X,
    Mastodon,
    Bluesky,
    Feed,
    RegulationsGov,
    Generic,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 6] = [
        ChannelKind::X,
        ChannelKind::Mastodon,
        ChannelKind::Bluesky,
        ChannelKind::Feed,
        ChannelKind::RegulationsGov,
        ChannelKind::Generic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::X => "x",
            ChannelKind::Mastodon => "mastodon",
            ChannelKind::Bluesky => "bluesky",
            ChannelKind::Feed => "feed",
            ChannelKind::RegulationsGov => "regulations_gov",
            ChannelKind::Generic => "generic",
        }
    }

    pub fn parse(s: &str) -> Option<ChannelKind> {
        ChannelKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A channel is one account or feed on one platform: `x:RepErikPaulsen`, `feed:https://…`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ChannelKey {
    pub kind: ChannelKind,
    /// Account handle (without `@`), feed URL, docket id…: unique within the kind.
    pub account: String,
}

impl ChannelKey {
    pub fn new(kind: ChannelKind, account: impl Into<String>) -> Self {
        ChannelKey {
            kind,
            account: account.into(),
        }
    }
}

impl fmt::Display for ChannelKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.account)
    }
}

/// Who wrote a post, as the source names them. The store keeps only a pseudonymous id unless the
/// channel's settings allow handles to be kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorRef {
    /// The platform's stable id of the author, when the source has one.
    pub external_id: Option<String>,
    /// Handle without the leading `@`.
    pub handle: Option<String>,
    pub display_name: Option<String>,
}

impl AuthorRef {
    /// The most stable identifier the source gave: id, else handle, else display name.
    pub fn identity(&self) -> Option<&str> {
        self.external_id
            .as_deref()
            .or(self.handle.as_deref())
            .or(self.display_name.as_deref())
    }
}

/// What a post does in the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    /// A new post, broadcast to followers.
    #[default]
    Original,
    /// A reply to someone else's post.
    Reply,
    /// A repost (retweet, boost) of someone else's post, without own words.
    Repost,
    /// Own words with someone else's post quoted.
    Quote,
}

impl PostKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Original => "original",
            PostKind::Reply => "reply",
            PostKind::Repost => "repost",
            PostKind::Quote => "quote",
        }
    }

    pub fn parse(s: &str) -> Option<PostKind> {
        [
            PostKind::Original,
            PostKind::Reply,
            PostKind::Repost,
            PostKind::Quote,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Engagement counts, where the source has them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engagement {
    pub likes: Option<u64>,
    pub reposts: Option<u64>,
    pub replies: Option<u64>,
    pub quotes: Option<u64>,
}

/// One post as an importer produces it: source fields only, no analysis yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncomingPost {
    pub channel: ChannelKey,
    /// The source's id of the post; (channel, external_id) is unique in the store.
    pub external_id: String,
    pub author: AuthorRef,
    pub text: String,
    /// Title, for feed items and comments that have one.
    pub title: Option<String>,
    pub created_at: DateTime<Utc>,
    pub kind: PostKind,
    /// External id of the post this one replies to.
    pub reply_to: Option<String>,
    /// External id of the first post of the thread.
    pub thread_root: Option<String>,
    /// External id (or URL) of the reposted post.
    pub repost_of: Option<String>,
    /// External id (or URL) of the quoted post.
    pub quote_of: Option<String>,
    /// Handle of the author replied to, reposted or quoted, when the source names one.
    pub target_handle: Option<String>,
    pub url: Option<String>,
    pub engagement: Engagement,
    /// `Some(true)` when the source itself says this is the agency's own post (an account
    /// archive, a registry of official accounts); `None` leaves it to the channel's setting.
    pub own: Option<bool>,
    /// Language the source declared (ISO 639-1), if any; analysis decides on its own.
    pub declared_lang: Option<String>,
}

impl IncomingPost {
    /// A post with the required fields and every optional one empty.
    pub fn new(
        channel: ChannelKey,
        external_id: impl Into<String>,
        text: impl Into<String>,
        created_at: DateTime<Utc>,
    ) -> Self {
        IncomingPost {
            channel,
            external_id: external_id.into(),
            author: AuthorRef::default(),
            text: cap_text(text.into()),
            title: None,
            created_at,
            kind: PostKind::Original,
            reply_to: None,
            thread_root: None,
            repost_of: None,
            quote_of: None,
            target_handle: None,
            url: None,
            engagement: Engagement::default(),
            own: None,
            declared_lang: None,
        }
    }
}

/// Cut `text` to at most [`MAX_TEXT_BYTES`], on a char boundary.
pub fn cap_text(mut text: String) -> String {
    if text.len() > MAX_TEXT_BYTES {
        let mut end = MAX_TEXT_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_text_cuts_on_char_boundary() {
        let long = "é".repeat(MAX_TEXT_BYTES);
        let capped = cap_text(long);
        assert!(capped.len() <= MAX_TEXT_BYTES);
        assert!(capped.chars().all(|c| c == 'é'));
    }

    #[test]
    fn channel_kind_round_trips() {
        for k in ChannelKind::ALL {
            assert_eq!(ChannelKind::parse(k.as_str()), Some(k));
        }
    }
}

/// A post as stored, with its analysis, ready to show (text is already redacted where the channel
/// asks for it; the author is a handle only where the channel keeps handles, else a pseudonym).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredPost {
    pub id: i64,
    pub channel: ChannelKey,
    pub external_id: String,
    /// Handle, or a pseudonym like `p-1f3a9c0d` when handles are not kept.
    pub author: Option<String>,
    pub kind: PostKind,
    pub text: String,
    pub title: Option<String>,
    pub created_at: DateTime<Utc>,
    pub reply_to: Option<String>,
    pub thread_root: Option<String>,
    pub repost_of: Option<String>,
    pub quote_of: Option<String>,
    pub url: Option<String>,
    pub engagement: Engagement,
    pub own: bool,
    pub analysis: crate::Analysis,
}

/// A channel and its settings, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub id: i64,
    pub key: ChannelKey,
    /// The agency's own account or feed.
    pub owned: bool,
    /// Keep the public's handles; otherwise authors are stored as pseudonyms only.
    pub keep_public_handles: bool,
    /// Replace personal data in the public's posts before the text is stored.
    pub redact_personal_data: bool,
}

/// Settings for a channel that does not exist yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSettings {
    pub owned: bool,
    pub keep_public_handles: bool,
    pub redact_personal_data: bool,
}

impl Default for ChannelSettings {
    /// Privacy first: pseudonymise the public and redact their personal data.
    fn default() -> Self {
        ChannelSettings {
            owned: false,
            keep_public_handles: false,
            redact_personal_data: true,
        }
    }
}
