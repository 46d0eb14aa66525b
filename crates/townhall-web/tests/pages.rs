#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The pages over HTTP: the overview's charts come with summaries and tables, and hostile text imported
//! from the public never reaches a page as markup.

mod common;

use common::*;
use townhall_app::import::{import_files, ImportRequest, NoProgress};
use townhall_ingest::ImportOptions;

/// Payloads from the usual XSS cheat sheets, as a member of the public could post them.
const XSS: &[&str] = &[
    "<script>alert('xss1')</script>",
    "\"><img src=x onerror=alert('xss2')>",
    "<svg onload=alert('xss3')>",
    "<iframe src=\"javascript:alert('xss4')\"></iframe>",
    "<a href=\"javascript:alert('xss5')\">click</a>",
    "';alert('xss6');//",
    "</textarea><script>alert('xss7')</script>",
    "<body onload=alert('xss8')>",
    "<math><mtext></mtext><mglyph><svg><mtext><style><img src=x onerror=alert('xss9')>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
];

/// Markup that must never appear in a page as it was sent.
const FORBIDDEN: &[&str] = &[
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "<iframe",
    "href=\"javascript:",
    "<body onload",
    "<style>",
];

fn hostile_site() -> Site {
    site_with(|store| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hostile.jsonl");
        let lines: Vec<String> = XSS
            .iter()
            .enumerate()
            .map(|(i, payload)| {
                serde_json::json!({
                    "id": format!("x{i}"),
                    "text": format!("health care question? {payload}"),
                    "created_at": "2024-03-01T12:00:00Z",
                    "author": payload,
                    "url": format!("javascript:alert('url{i}')"),
                })
                .to_string()
            })
            .collect();
        std::fs::write(&path, lines.join("\n")).unwrap();
        let summary = import_files(
            store,
            &ImportRequest {
                paths: vec![path],
                ingest: ImportOptions {
                    account: Some("<script>alert('channel')</script>".into()),
                    ..ImportOptions::default()
                },
                keep_public_handles: Some(true),
                ..ImportRequest::default()
            },
            &NoProgress,
        )
        .unwrap();
        assert_eq!(summary.imported, XSS.len() as u64, "{:?}", summary.rejects);
    })
}

fn assert_inert(url: &str, reply: &Reply) {
    assert_eq!(reply.status, 200, "{url}: {}", reply.body);
    for bad in FORBIDDEN {
        assert!(
            !reply.body.contains(bad),
            "{url} carries {bad:?} unescaped:\n{}",
            reply.body
        );
    }
}

#[test]
fn hostile_public_text_is_escaped_on_every_page() {
    let site = hostile_site();
    let admin = token_of(&sign_in(&site, "admin", &passphrase("admin")));
    let get = |path: &str| {
        send(
            "GET",
            &format!("{}{path}", site.base),
            Some(&admin),
            None,
            &[],
            None,
        )
    };
    let results = get("/api/search?q=%22health%20care%22%20question:true&limit=50");
    let found: serde_json::Value = serde_json::from_str(&results.body).unwrap();
    let ids: Vec<i64> = found["posts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["external_id"].as_str().unwrap_or("").starts_with('x'))
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), XSS.len(), "{}", results.body);
    let mut pages: Vec<String> = vec![
        "/".into(),
        "/explore".into(),
        "/topics".into(),
        "/language".into(),
        "/communities".into(),
        "/engagement".into(),
        "/explore?q=health".into(),
        "/explore?q=%3Cscript%3Ealert(1)%3C/script%3E".into(),
        "/explore?q=question:true&sort=newest".into(),
        "/settings".into(),
        "/audit".into(),
        "/account/password".into(),
    ];
    pages.extend(ids.iter().map(|id| format!("/posts/{id}")));
    for page in &pages {
        let reply = get(page);
        assert_inert(page, &reply);
    }
    // The payloads are shown, as text.
    let posts: Vec<Reply> = ids.iter().map(|id| get(&format!("/posts/{id}"))).collect();
    let shown: Vec<&str> = posts
        .iter()
        .flat_map(|p| p.body.lines())
        .filter(|l| l.contains("xss1"))
        .collect();
    assert!(
        shown
            .iter()
            .any(|l| l.contains("&#60;script&#62;alert(&#39;xss1&#39;)&#60;/script&#62;")),
        "{shown:?}"
    );
    let post = &posts[0];
    // Links are only ever http(s).
    assert!(!post.body.contains("javascript:alert('url"));
    // Every page says where scripts may come from: only our own files.
    let csp = ureq_csp(&site.base, &admin);
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
}

fn ureq_csp(base: &str, token: &str) -> String {
    let response = agent()
        .get(&format!("{base}/"))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_overview_shows_each_chart_with_its_summary_and_table() {
    let site = site();
    let viewer = token_of(&sign_in(&site, "viewer", &passphrase("viewer")));
    let page = send(
        "GET",
        &format!("{}/", site.base),
        Some(&viewer),
        None,
        &[],
        None,
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let html = &page.body;
    assert!(html.contains("<h1>Overview</h1>"));
    // A day of Congress: every post counted, one day of posts.
    assert!(html.contains(
        "<a href=\"/explore\">2727</a></span> <span class=\"figure-label\">Posts</span>"
    ));
    // The day's posts fall on two UTC dates.
    assert!(html.contains("2727 posts over 2 days; the busiest day, 2017-06-21, had 2563."));
    for chart in ["posts-per-day", "top-topics"] {
        assert!(
            html.contains(&format!("aria-labelledby=\"{chart}-title {chart}-desc\"")),
            "{chart}"
        );
        assert!(html.contains(&format!("<figcaption id=\"{chart}-caption\">")));
    }
    assert_eq!(
        html.matches("<figure class=\"chart-figure\"").count(),
        html.matches("<summary>Data table").count()
    );
    assert!(
        html.contains(
            "<caption>Channels, what they carry and the public&#39;s questions</caption>"
        ) || html
            .contains("<caption>Channels, what they carry and the public's questions</caption>")
    );
}
