//! Format detection from the file name and the first bytes. Content wins over the extension
//! where they disagree, since uploads are often misnamed.

use crate::common::strip_bom;
use crate::Format;

fn extension(name: &str) -> String {
    std::path::Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn file_name(name: &str) -> String {
    std::path::Path::new(name)
        .file_name()
        .map(|f| f.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn has_all(head: &str, markers: &[&str]) -> bool {
    markers.iter().all(|m| head.contains(m))
}

fn has_any(head: &str, markers: &[&str]) -> bool {
    markers.iter().any(|m| head.contains(m))
}

fn looks_like_mastodon(head: &str) -> bool {
    has_any(
        head,
        &[
            "\"favourites_count\"",
            "\"reblogs_count\"",
            "\"spoiler_text\"",
        ],
    ) || has_all(head, &["\"account\"", "\"content\"", "\"visibility\""])
}

fn looks_like_bluesky(head: &str) -> bool {
    head.contains("at://") && has_any(head, &["\"feed\"", "\"posts\"", "\"record\"", "\"post\""])
}

/// True when the first line of a CSV names the columns of a regulations.gov comment export.
fn looks_like_regulations_header(head: &str) -> bool {
    let first_line = head.lines().next().unwrap_or("").to_ascii_lowercase();
    (first_line.contains("document id") || first_line.contains("documentid"))
        && first_line.contains("comment")
        && (first_line.contains("docket id") || first_line.contains("posted date"))
}

/// Guess the format from the file name and its first bytes.
pub fn detect(name: &str, head: &[u8]) -> Option<Format> {
    let text = String::from_utf8_lossy(strip_bom(head));
    let body = text.trim_start();
    let extension = extension(name);
    let file_name = file_name(name);

    if body.starts_with("window.YTD.") || file_name == "tweets.js" || file_name == "tweet.js" {
        return Some(Format::XArchive);
    }
    if body.starts_with('<') {
        let is_feed = has_any(body, &["<rss", "<feed", "<rdf:RDF", "<channel"]);
        return (is_feed || matches!(extension.as_str(), "rss" | "atom" | "xml"))
            .then_some(Format::Feed);
    }
    if body.starts_with('[') {
        if has_all(body, &["\"screen_name\"", "\"user_id\"", "\"link\""]) {
            return Some(Format::CongressTweets);
        }
        if has_all(body, &["\"tweet\"", "\"full_text\""]) {
            return Some(Format::XArchive);
        }
        if looks_like_bluesky(body) {
            return Some(Format::Bluesky);
        }
        if looks_like_mastodon(body) {
            return Some(Format::Mastodon);
        }
        if file_name.starts_with("congresstweets") {
            return Some(Format::CongressTweets);
        }
        return None;
    }
    if body.starts_with('{') {
        if has_all(body, &["\"origin\"", "\"replies\""]) {
            return Some(Format::PublicReplies);
        }
        if looks_like_bluesky(body) {
            return Some(Format::Bluesky);
        }
        if looks_like_mastodon(body) {
            return Some(Format::Mastodon);
        }
        return matches!(extension.as_str(), "jsonl" | "ndjson" | "json").then_some(Format::Jsonl);
    }
    if matches!(extension.as_str(), "csv" | "tsv") {
        if looks_like_regulations_header(body) {
            return Some(Format::RegulationsGov);
        }
        return Some(Format::Csv);
    }
    match extension.as_str() {
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "rss" | "atom" => Some(Format::Feed),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_content() {
        assert_eq!(
            detect("x", b"window.YTD.tweets.part0 = ["),
            Some(Format::XArchive)
        );
        assert_eq!(
            detect("x", b"<?xml version=\"1.0\"?><rss version=\"2.0\">"),
            Some(Format::Feed)
        );
        assert_eq!(
            detect(
                "d.json",
                b"[{\"id\":\"1\",\"screen_name\":\"a\",\"user_id\":\"2\",\"link\":\"l\"}]"
            ),
            Some(Format::CongressTweets)
        );
        assert_eq!(
            detect("t.json", b"{\"origin\": [], \"replies\": []}"),
            Some(Format::PublicReplies)
        );
        assert_eq!(
            detect(
                "f.json",
                b"{\"feed\":[{\"post\":{\"uri\":\"at://did:plc:x/app.bsky.feed.post/1\"}}]}"
            ),
            Some(Format::Bluesky)
        );
        assert_eq!(
            detect(
                "s.json",
                b"[{\"id\":\"1\",\"spoiler_text\":\"\",\"favourites_count\":1}]"
            ),
            Some(Format::Mastodon)
        );
        assert_eq!(
            detect("a.jsonl", b"{\"text\":\"hi\"}\n"),
            Some(Format::Jsonl)
        );
        assert_eq!(
            detect(
                "c.csv",
                b"\"Document ID\",\"Docket ID\",\"Comment\",\"Posted Date\"\n"
            ),
            Some(Format::RegulationsGov)
        );
        assert_eq!(detect("c.csv", b"id,text,created_at\n"), Some(Format::Csv));
        assert_eq!(detect("notes.txt", b"hello"), None);
    }
}
