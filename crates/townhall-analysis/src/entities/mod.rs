//! Hashtags, mentions, URLs, question detection and key phrases.
//!
//! Everything here is a pure function over the post text; regexes are compiled once and reused.

mod key_phrases;
mod question;

use once_cell::sync::Lazy;
use regex::Regex;

pub use key_phrases::key_phrases;
pub(crate) use key_phrases::key_phrases_with;
pub use question::is_question;
pub(crate) use question::is_question_with;

/// Hashtags, mentions and URLs of one post, each in order of first appearance.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Entities {
    /// Lower-cased, without `#`, deduplicated.
    pub hashtags: Vec<String>,
    /// Lower-cased, without `@`, deduplicated; a Mastodon handle `@user@instance` is `user@instance`.
    pub mentions: Vec<String>,
    /// As written, minus trailing punctuation; deduplicated.
    pub urls: Vec<String>,
}

/// `http(s)://…`, bare `www.…`, and Twitter's scheme-less `pic.twitter.com/…` links. The ellipsis is excluded
/// because it is never literal in a URL but scrapers glue it to truncated links.
static URL_RE: Lazy<Regex> =
    Lazy::new(|| compile(r"(?i)(?:https?://|www\.|pic\.twitter\.com/)[^\s<>\x22\x60“”‘’…{}|\\^]+"));

/// Letters, combining marks, digits and underscore, as Twitter and Mastodon define a tag.
static HASHTAG_RE: Lazy<Regex> = Lazy::new(|| compile(r"[#＃]([\p{L}\p{M}\p{N}_]+)"));

/// A handle, optionally followed by `@instance.domain` (Mastodon / fediverse).
static MENTION_RE: Lazy<Regex> =
    Lazy::new(|| compile(r"[@＠]([\p{L}\p{M}\p{N}_]+)(?:@([\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+))?"));

/// Compiles a pattern written in this crate. The patterns are constants covered by tests, so failure is a
/// programming error; an impossible-to-match regex keeps the library panic-free all the same.
pub(crate) fn compile(pattern: &str) -> Regex {
    match Regex::new(pattern) {
        Ok(re) => re,
        Err(err) => {
            debug_assert!(false, "invalid built-in regex {pattern}: {err}");
            #[allow(clippy::unwrap_used)] // `[^\s\S]` is a valid pattern that never matches.
            Regex::new(r"[^\s\S]").unwrap()
        }
    }
}

/// Extracts hashtags, mentions and URLs.
pub fn extract(text: &str) -> Entities {
    extract_with(text, &url_spans(text))
}

/// [`extract`] given the text's [`url_spans`] (computed once per post by `analyze`).
pub(crate) fn extract_with(text: &str, url_spans: &[(usize, usize)]) -> Entities {
    let mut found = Entities {
        urls: Vec::with_capacity(url_spans.len()),
        ..Entities::default()
    };
    for &(start, end) in url_spans {
        push_unique(&mut found.urls, &text[start..end]);
    }
    // Each pattern's captured group is its match without the leading '#' / '@' (with the instance, for a
    // mention): the match positions are all that is needed, and finding them is cheaper than capturing.
    if text.as_bytes().contains(&b'#') || text.contains('＃') {
        for whole in HASHTAG_RE.find_iter(text) {
            let tag = without_first_char(whole.as_str());
            if inside(url_spans, whole.start())
                || !may_precede_hashtag(text[..whole.start()].chars().next_back())
                || !tag.chars().any(char::is_alphabetic)
                || text[whole.end()..].starts_with("://")
            {
                continue;
            }
            push_unique_lower(&mut found.hashtags, tag);
        }
    }
    if text.as_bytes().contains(&b'@') || text.contains('＠') {
        for whole in MENTION_RE.find_iter(text) {
            if inside(url_spans, whole.start())
                || !may_precede_mention(text[..whole.start()].chars().next_back())
            {
                continue;
            }
            push_unique_lower(&mut found.mentions, without_first_char(whole.as_str()));
        }
    }
    found
}

/// `s` without its first character.
fn without_first_char(s: &str) -> &str {
    let mut chars = s.chars();
    chars.next();
    chars.as_str()
}

/// Byte spans of the URLs in `text`, trailing punctuation excluded. No allocation when there is no URL.
pub(crate) fn url_spans(text: &str) -> Vec<(usize, usize)> {
    if !might_contain_url(text) {
        return Vec::new();
    }
    URL_RE
        .find_iter(text)
        .filter_map(|m| {
            // "a.www.example.com" or "user@www.x.org" are not links that start here.
            let prev = text[..m.start()].chars().next_back();
            if prev.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '@' | '/' | '-' | '_'))
            {
                return None;
            }
            let url = trim_url(m.as_str());
            // A bare prefix ("www." or "http://") with nothing after it is not a link.
            let prefix_len = match url.find("//") {
                Some(i) if i < 8 => i + 2,
                _ => url.find(['.', '/']).map_or(url.len(), |i| i + 1),
            };
            (url.len() > prefix_len).then(|| (m.start(), m.start() + url.len()))
        })
        .collect()
}

/// Whether `text` holds "http", "www." or "pic." in any case. Only where a byte is an 'h', 'w' or 'p' (in
/// any case) are the four bytes there compared; such bytes are found eight at a time.
fn might_contain_url(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(last_start) = bytes.len().checked_sub(4) else {
        return false;
    };
    let starts_url = |at: usize| {
        bytes.get(at..at + 4).is_some_and(|w| {
            w.eq_ignore_ascii_case(b"http")
                || w.eq_ignore_ascii_case(b"www.")
                || w.eq_ignore_ascii_case(b"pic.")
        })
    };
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // High bit of each byte of `word` that is zero (exact as to whether any is; a byte above a zero
    // byte may be flagged too, which only costs a comparison).
    let zero_bytes = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS;
    let mut chunk_start = 0;
    while chunk_start + 8 <= bytes.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[chunk_start..chunk_start + 8]);
        // Lower-case ASCII letters ('H' -> 'h'); other bytes only need to stay apart from 'h', 'w', 'p'.
        let folded = u64::from_le_bytes(word) | (ONES * 0x20);
        let mut flagged = zero_bytes(folded ^ (ONES * u64::from(b'h')))
            | zero_bytes(folded ^ (ONES * u64::from(b'w')))
            | zero_bytes(folded ^ (ONES * u64::from(b'p')));
        while flagged != 0 {
            let at = chunk_start + (flagged.trailing_zeros() / 8) as usize;
            if at <= last_start && starts_url(at) {
                return true;
            }
            flagged &= flagged - 1;
        }
        chunk_start += 8;
    }
    (chunk_start..=last_start)
        .any(|at| matches!(bytes[at] | 0x20, b'h' | b'w' | b'p') && starts_url(at))
}

/// Strips sentence punctuation that follows a link; a closing bracket stays when the URL opened it
/// (`https://en.wikipedia.org/wiki/Foo_(bar)`).
fn trim_url(mut url: &str) -> &str {
    loop {
        let Some(last) = url.chars().next_back() else {
            return url;
        };
        let strip = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '»' => true,
            ')' => url.matches('(').count() < url.matches(')').count(),
            ']' => url.matches('[').count() < url.matches(']').count(),
            _ => false,
        };
        if !strip {
            return url;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
}

pub(crate) fn inside(spans: &[(usize, usize)], pos: usize) -> bool {
    spans.iter().any(|&(start, end)| start <= pos && pos < end)
}

fn is_word_char(c: char) -> bool {
    crate::chars::is_alphanumeric(c) || c == '_'
}

/// Twitter does not link `#` after a word character or `&` (HTML entities such as `&#39;`).
fn may_precede_hashtag(prev: Option<char>) -> bool {
    prev.is_none_or(|c| !(is_word_char(c) || matches!(c, '&' | '#' | '＃' | '@' | '＠')))
}

/// An `@` after a word character is an e-mail address (`foo@bar.com`), not a mention; the rest is Twitter's
/// list. A dot is allowed: ".@user" is the usual way to make a reply public.
fn may_precede_mention(prev: Option<char>) -> bool {
    prev.is_none_or(|c| {
        !(is_word_char(c) || matches!(c, '@' | '＠' | '!' | '#' | '$' | '%' | '&' | '*'))
    })
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|existing| existing == item) {
        list.push(item.to_string());
    }
}

fn push_unique_lower(list: &mut Vec<String>, item: &str) {
    let lower = item.to_lowercase();
    if !list.contains(&lower) {
        list.push(lower);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hashtags and mentions as first extracted, from the patterns' capture groups.
    fn tags_and_mentions_as_before(
        text: &str,
        url_spans: &[(usize, usize)],
    ) -> (Vec<String>, Vec<String>) {
        let mut hashtags = Vec::new();
        let mut mentions = Vec::new();
        for caps in HASHTAG_RE.captures_iter(text) {
            let (Some(whole), Some(tag)) = (caps.get(0), caps.get(1)) else {
                continue;
            };
            if inside(url_spans, whole.start())
                || !may_precede_hashtag(text[..whole.start()].chars().next_back())
                || !tag.as_str().chars().any(char::is_alphabetic)
                || text[whole.end()..].starts_with("://")
            {
                continue;
            }
            push_unique_lower(&mut hashtags, tag.as_str());
        }
        for caps in MENTION_RE.captures_iter(text) {
            let (Some(whole), Some(user)) = (caps.get(0), caps.get(1)) else {
                continue;
            };
            if inside(url_spans, whole.start())
                || !may_precede_mention(text[..whole.start()].chars().next_back())
            {
                continue;
            }
            match caps.get(2) {
                Some(instance) => {
                    push_unique_lower(&mut mentions, &text[user.start()..instance.end()])
                }
                None => push_unique_lower(&mut mentions, user.as_str()),
            }
        }
        (hashtags, mentions)
    }

    proptest! {
        /// Taking the match minus its first character gives what the capture groups gave.
        #[test]
        fn matches_equal_capture_groups(
            words in proptest::collection::vec(
                "#[a-zA-Z0-9_]{0,6}|＃[a-zé]{1,4}|@[a-zA-Z0-9_]{0,6}|＠[a-z]{1,3}|@[a-z]{1,4}@[a-z-]{1,4}(\\.[a-z0-9-]{1,3}){0,2}\\.?|\
                 [a-z]{1,5}|[.,!&#@:/]|https://t\\.co/x#y|é\u{301}|#\u{301}x|٣|日本", 0..10),
            separator in " |",
        ) {
            let text = words.join(&separator);
            let urls = url_spans(&text);
            let found = extract_with(&text, &urls);
            prop_assert_eq!((found.hashtags, found.mentions), tags_and_mentions_as_before(&text, &urls));
        }

        /// The eight-bytes-at-a-time search agrees with comparing every window.
        #[test]
        fn url_prefilter_equals_window_scan(text in "([a-zA-Z .:/]|http|HTTP|www\\.|pic\\.|Pic\\.|é){0,30}") {
            let naive = text.as_bytes().windows(4).any(|w| {
                w.eq_ignore_ascii_case(b"http")
                    || w.eq_ignore_ascii_case(b"www.")
                    || w.eq_ignore_ascii_case(b"pic.")
            });
            prop_assert_eq!(might_contain_url(&text), naive);
        }
    }

    #[test]
    fn trailing_punctuation_and_balanced_brackets() {
        assert_eq!(trim_url("https://a.org/x)."), "https://a.org/x");
        assert_eq!(
            trim_url("https://en.wikipedia.org/wiki/Foo_(bar)"),
            "https://en.wikipedia.org/wiki/Foo_(bar)"
        );
        assert_eq!(trim_url("https://a.org/?q=1?!"), "https://a.org/?q=1");
    }
}
