//! HTML → plain text for Mastodon `content` and feed items: paragraphs and line breaks become
//! newlines, entities are decoded, links keep their visible text (Mastodon's hidden URL parts
//! included, so a shortened link reads as the full URL).

use html2text::render::TrivialDecorator;

/// Wide enough that html2text never wraps a paragraph of public text.
const NO_WRAP_WIDTH: usize = 1 << 20;

/// Nesting deeper than this is not real post or feed markup; html2text's time grows with the
/// square of the depth (5,000 levels took 2 s), so such input is only stripped of its tags.
const MAX_RENDERED_DEPTH: usize = 256;

/// Render `html` as plain text. Never fails: for absurdly nested markup, or if the renderer
/// gives up, the tags are stripped instead (entities are still decoded).
pub fn html_to_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return html.trim().to_string();
    }
    let source = if nesting_depth(html) > MAX_RENDERED_DEPTH {
        strip_tags(html)
    } else {
        html.to_string()
    };
    let rendered = html2text::config::with_decorator(TrivialDecorator::new())
        .allow_width_overflow()
        .no_link_wrapping()
        .string_from_read(source.as_bytes(), NO_WRAP_WIDTH);
    let text = match rendered {
        Ok(text) => text,
        Err(_) => strip_tags(&source),
    };
    tidy_lines(&text)
}

/// Elements that never have a closing tag, so they do not nest.
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The deepest element nesting, roughly (unclosed tags count as open): enough to spot abuse.
fn nesting_depth(html: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        if let Some(closing) = tag.strip_prefix('/') {
            if !closing.is_empty() {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || tag.ends_with('/') || VOID_ELEMENTS.contains(&name.as_str()) {
            continue;
        }
        depth += 1;
        deepest = deepest.max(depth);
    }
    deepest
}

/// Trailing spaces off every line, at most one blank line in a row, no blank lines at the ends.
fn tidy_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0usize;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

/// Last resort: drop everything between `<` and `>`; `&`-entities stay for the renderer.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Twitter escapes `&`, `<` and `>` in tweet text; nothing else.
pub fn decode_twitter_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_breaks_entities_and_links() {
        let html = "<p>&quot;Hi&quot; &amp; welcome</p><p>line one<br>line two</p>\
            <p><a href=\"https://example.org/a/b\"><span class=\"invisible\">https://</span>\
            <span class=\"ellipsis\">example.org/a</span><span class=\"invisible\">/b</span></a></p>";
        assert_eq!(
            html_to_text(html),
            "\"Hi\" & welcome\n\nline one\nline two\n\nhttps://example.org/a/b"
        );
    }

    #[test]
    fn absurd_nesting_is_stripped_not_rendered() {
        let html = format!("{}a &amp; b{}", "<div>".repeat(1000), "</div>".repeat(1000));
        assert_eq!(nesting_depth(&html), 1000);
        assert_eq!(html_to_text(&html), "a & b");
        assert_eq!(nesting_depth("<p>a<br>b<img src=x/></p><p>c</p>"), 1);
    }

    #[test]
    fn plain_text_passes_through() {
        assert_eq!(html_to_text("  no markup  "), "no markup");
    }

    #[test]
    fn twitter_entities() {
        assert_eq!(
            decode_twitter_entities("a &amp; b &lt;3 &amp;gt;"),
            "a & b <3 &gt;"
        );
    }
}
