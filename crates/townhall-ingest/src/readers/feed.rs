//! RSS 2.0 / Atom (and RSS 1.0, JSON Feed) via `feed-rs`: one post per item. Text is the title
//! and the content (or summary) rendered to plain text; the title is also kept as `title`.
//! Channel `feed:<feed link>` (the feed's own `self` link, else its site link), else
//! `feed:<file name>`; `ImportOptions.account` overrides it. Items with neither a published nor
//! an updated date take the feed's date; with none at all they are rejected.

use crate::common::{read_whole, reject, strip_bom};
use crate::html::html_to_text;
use crate::{ImportOptions, IngestError, Location, Records};
use feed_rs::model::{Entry, Feed, Text};
use std::io::BufRead;
use townhall_core::{AuthorRef, ChannelKey, ChannelKind, IncomingPost};

fn text_of(text: &Text) -> String {
    let is_html = text.content_type.essence().to_string().contains("html");
    if is_html {
        html_to_text(&text.content)
    } else {
        text.content.trim().to_string()
    }
}

fn feed_account(feed: &Feed, name: &str) -> String {
    let by_rel = |rel: &str| {
        feed.links
            .iter()
            .find(|l| l.rel.as_deref() == Some(rel))
            .map(|l| l.href.clone())
    };
    by_rel("self")
        .or_else(|| by_rel("alternate"))
        .or_else(|| feed.links.first().map(|l| l.href.clone()))
        .filter(|href| !href.trim().is_empty())
        .unwrap_or_else(|| {
            std::path::Path::new(name)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| name.to_string())
        })
}

fn entry_text(entry: &Entry) -> String {
    let title = entry.title.as_ref().map(text_of).unwrap_or_default();
    let body = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .map(html_to_text)
        .or_else(|| entry.summary.as_ref().map(text_of))
        .unwrap_or_default();
    match (title.is_empty(), body.is_empty()) {
        (false, false) => format!("{title}\n\n{body}"),
        (false, true) => title,
        _ => body,
    }
}

pub fn read<R: BufRead>(
    name: &str,
    reader: R,
    opts: &ImportOptions,
) -> Result<Records, IngestError> {
    let bytes = read_whole(name, reader)?;
    let feed = match feed_rs::parser::parse(strip_bom(&bytes)) {
        Ok(feed) => feed,
        Err(e) => {
            return Ok(crate::common::file_reject(
                name,
                format!("not an RSS/Atom feed: {e}"),
            ))
        }
    };
    let account = opts
        .account
        .clone()
        .unwrap_or_else(|| feed_account(&feed, name));
    let channel = ChannelKey::new(ChannelKind::Feed, account);
    let feed_date = feed.updated.or(feed.published);
    let feed_author = feed.authors.first().and_then(|p| p.name.clone());
    let out: Vec<_> = feed
        .entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let Some(created_at) = entry.published.or(entry.updated).or(feed_date) else {
                return Err(reject(
                    name,
                    Location::Index(index as u64),
                    format!(
                        "item {:?} has no date (pubDate/published/updated)",
                        entry.id
                    ),
                ));
            };
            let mut post = IncomingPost::new(
                channel.clone(),
                entry.id.clone(),
                entry_text(entry),
                created_at,
            );
            post.title = entry.title.as_ref().map(text_of).filter(|t| !t.is_empty());
            post.url = entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(entry.links.first())
                .map(|l| l.href.clone());
            let author = entry
                .authors
                .first()
                .and_then(|p| p.name.clone())
                .or_else(|| feed_author.clone());
            post.author = AuthorRef {
                external_id: None,
                handle: None,
                display_name: author.filter(|a| !a.trim().is_empty()),
            };
            post.declared_lang = entry.language.clone().or_else(|| feed.language.clone());
            Ok(post)
        })
        .collect();
    Ok(Box::new(out.into_iter()))
}
