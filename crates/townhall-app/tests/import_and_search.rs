#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Import into a real SQLite store in a temporary folder, then search it.

use std::io::Write;
use std::path::PathBuf;
use townhall_app::import::{import_files, ImportRequest, NoProgress};
use townhall_app::search::search;
use townhall_app::{AppError, Sort, Store};
use townhall_ingest::{AccountsRegistry, Format, ImportOptions};

fn shared(path: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(path);
    assert!(
        p.exists(),
        "test data missing: {} (CI keeps shared/ beside the repo)",
        p.display()
    );
    p
}

fn total(store: &Store, q: &str) -> usize {
    search(store, q, Sort::Relevance, 1, 0).unwrap().total
}

fn congress_request() -> ImportRequest {
    let registry =
        std::fs::read_to_string(shared("govposts/congresstweets-accounts.json")).unwrap();
    ImportRequest {
        paths: vec![shared("govposts/congresstweets-2017-06-21.json")],
        format: None,
        ingest: ImportOptions {
            accounts_registry: Some(AccountsRegistry::from_json(&registry).unwrap()),
            ..ImportOptions::default()
        },
        keep_public_handles: Some(true),
        ..ImportRequest::default()
    }
}

#[test]
fn congress_day_imports_once_classifies_and_searches() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let first = import_files(&store, &congress_request(), &NoProgress).unwrap();
    assert_eq!(first.imported, 2_727, "2,727 distinct posts (README)");
    assert_eq!(first.rejected, 0);
    assert_eq!(store.post_count().unwrap(), 2_727);

    // Re-importing the same file adds nothing.
    let again = import_files(&store, &congress_request(), &NoProgress).unwrap();
    assert_eq!(again.imported, 0);
    assert_eq!(again.duplicates, 2_727);
    assert_eq!(store.post_count().unwrap(), 2_727);

    // The README's classification, through the query language.
    assert_eq!(total(&store, "kind:original"), 1_841);
    assert_eq!(total(&store, "kind:quote"), 273);
    assert_eq!(total(&store, "kind:repost"), 504);
    assert_eq!(total(&store, "kind:reply"), 109);
    assert_eq!(total(&store, ""), 2_727);

    // Office accounts are the agency's own; campaign accounts are not.
    let own = total(&store, "own:true");
    let public = total(&store, "own:false");
    assert_eq!(own + public, 2_727);
    assert!(own > 2_000 && public > 300, "own {own}, public {public}");

    // Free text, phrases, prefixes, fields and boolean logic agree with each other.
    let health = total(&store, "health");
    let care = total(&store, "care");
    let both = total(&store, "health care");
    let phrase = total(&store, "\"health care\"");
    let either = total(&store, "health OR care");
    assert!(phrase > 0 && phrase <= both && both <= health.min(care));
    assert_eq!(either, health + care - both);
    assert_eq!(total(&store, "health -care"), health - both);
    assert!(total(&store, "health*") >= health);
    let tagged = total(&store, "#trumpcare");
    assert!(tagged > 0);
    for post in search(&store, "#trumpcare", Sort::Newest, 50, 0)
        .unwrap()
        .posts
    {
        assert!(post.analysis.hashtags.iter().any(|h| h == "trumpcare"));
    }
    let from = search(&store, "from:BernieSanders", Sort::Oldest, 100, 0).unwrap();
    assert!(from.total > 0);
    assert!(from
        .posts
        .iter()
        .all(|p| p.author.as_deref() == Some("BernieSanders")));
    assert!(from
        .posts
        .windows(2)
        .all(|w| w[0].created_at <= w[1].created_at));

    // Time filters: the whole day (Eastern) spans two UTC dates.
    let day = total(&store, "since:2017-06-21 until:2017-06-21");
    let next = total(&store, "since:2017-06-22");
    assert_eq!(day + next, 2_727);
    assert_eq!(total(&store, "until:2017-06-20"), 0);

    // Sentiment ranges partition the posts.
    let neg = total(&store, "sentiment:<0");
    let non_neg = total(&store, "sentiment:>=0");
    assert_eq!(neg + non_neg, 2_727);
    assert!(neg > 100);

    // Ranges beside words filter the words' matches post by post: the same posts as checking each by hand.
    let ids_of = |q: &str| {
        let query = townhall_core::query::parse(q).unwrap();
        store.matching_ids(&query).unwrap()
    };
    let posts_of = |q: &str| store.posts_by_ids(&ids_of(q)).unwrap();
    let noon = chrono::DateTime::parse_from_rfc3339("2017-06-21T16:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    for word in [
        "health",
        "care",
        "#trumpcare",
        "senate OR house",
        "\"health care\"",
    ] {
        let all = posts_of(word);
        let pick = |keep: &dyn Fn(&townhall_core::StoredPost) -> bool| {
            let mut ids: Vec<i64> = all.iter().filter(|p| keep(p)).map(|p| p.id).collect();
            ids.sort_unstable();
            ids
        };
        let compound = |p: &townhall_core::StoredPost| p.analysis.sentiment.compound;
        let cases: Vec<(String, Vec<i64>)> = vec![
            (
                format!("({word}) sentiment:<-0.05"),
                pick(&|p| compound(p) < -0.05),
            ),
            (
                format!("({word}) sentiment:>=0.3"),
                pick(&|p| compound(p) >= 0.3),
            ),
            (
                format!("sentiment:<=0 ({word}) since:2017-06-21T16:00:00Z"),
                pick(&|p| compound(p) <= 0.0 && p.created_at >= noon),
            ),
            (
                format!("({word}) until:2017-06-21T16:00:00Z"),
                pick(&|p| p.created_at < noon),
            ),
            (
                format!("({word}) -sentiment:<0"),
                pick(&|p| compound(p) >= 0.0),
            ),
        ];
        for (query, expected) in cases {
            let mut got = ids_of(&query);
            got.sort_unstable();
            assert_eq!(got, expected, "{query}");
            assert_eq!(total(&store, &query), expected.len(), "{query}");
        }
    }
    // Only flags and ranges: the flags lead.
    let everything = posts_of("own:true OR own:false");
    assert_eq!(everything.len(), 2_727);
    let mut expected: Vec<i64> = everything
        .iter()
        .filter(|p| p.own && !p.analysis.is_question && p.analysis.sentiment.compound > 0.05)
        .map(|p| p.id)
        .collect();
    expected.sort_unstable();
    let mut got = ids_of("own:true question:false sentiment:>0.05");
    got.sort_unstable();
    assert_eq!(got, expected);
    assert!(expected.len() > 100);
}

#[test]
fn a_syntax_error_points_at_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    match search(&store, "health AND (care", Sort::Relevance, 10, 0) {
        Err(AppError::Query {
            position, pointer, ..
        }) => {
            assert_eq!(position, 11);
            assert!(pointer.contains('^'));
        }
        other => panic!("expected a query error, got {other:?}"),
    }
}

fn write_jsonl(dir: &std::path::Path, name: &str, lines: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).unwrap();
    for line in lines {
        writeln!(f, "{line}").unwrap();
    }
    path
}

#[test]
fn bad_records_are_reported_and_good_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let path = write_jsonl(
        dir.path(),
        "mixed.jsonl",
        &[
            r#"{"id":"1","text":"How do I renew my passport?","created_at":"2024-05-01T10:00:00Z","author":"ann"}"#,
            r#"{"id":"2","text":"broken"#,
            r#"{"id":"3","text":"Thanks, that helped a lot!","created_at":"2024-05-01T11:00:00Z","author":"bob"}"#,
            r#"{"id":"4","created_at":"2024-05-01T11:00:00Z","author":"bob"}"#,
        ],
    );
    let missing = dir.path().join("does-not-exist.jsonl");
    let request = ImportRequest {
        paths: vec![path.clone(), missing],
        ..ImportRequest::default()
    };
    let summary = import_files(&store, &request, &NoProgress).unwrap();
    assert_eq!(summary.imported, 2);
    assert_eq!(summary.rejected, 3);
    let rejects = store.rejects(summary.import_id).unwrap();
    assert_eq!(rejects.len(), 3);
    assert_eq!(rejects[0].location, "line 2");
    assert_eq!(rejects[1].location, "line 4");
    assert!(rejects[1].reason.contains("text"), "{}", rejects[1].reason);
    assert!(rejects[2].file.ends_with("does-not-exist.jsonl"));
    assert_eq!(rejects[2].location, "file");

    let q = search(&store, "question:true", Sort::Relevance, 10, 0).unwrap();
    assert_eq!(q.total, 1);
    assert!(q.posts[0].text.contains("passport"));
    let positive = search(&store, "sentiment:>0.3", Sort::Relevance, 10, 0).unwrap();
    assert_eq!(positive.total, 1);
    assert!(positive.posts[0].text.starts_with("Thanks"));
}

#[test]
fn the_public_is_pseudonymised_and_redacted_unless_the_channel_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let line = r#"{"id":"9","text":"Call me at (202) 555-0143 or mail jane.doe@example.com","created_at":"2024-05-01T10:00:00Z","author":"JaneDoe"}"#;
    let private = write_jsonl(dir.path(), "private.jsonl", &[line]);
    import_files(
        &store,
        &ImportRequest {
            paths: vec![private],
            ..ImportRequest::default()
        },
        &NoProgress,
    )
    .unwrap();
    let post = search(&store, "", Sort::Relevance, 1, 0)
        .unwrap()
        .posts
        .remove(0);
    assert!(!post.text.contains("jane.doe@example.com"), "{}", post.text);
    assert!(!post.text.contains("555-0143"), "{}", post.text);
    let author = post.author.clone().unwrap();
    assert!(author.starts_with("p-"), "pseudonym expected, got {author}");
    assert_eq!(total(&store, &format!("from:{author}")), 1);
    assert_eq!(total(&store, "from:janedoe"), 0);

    // Another channel that keeps handles and does not redact.
    let open = write_jsonl(dir.path(), "open.jsonl", &[line]);
    import_files(
        &store,
        &ImportRequest {
            paths: vec![open],
            keep_public_handles: Some(true),
            redact: Some(false),
            ..ImportRequest::default()
        },
        &NoProgress,
    )
    .unwrap();
    let kept = search(&store, "from:janedoe", Sort::Relevance, 1, 0).unwrap();
    assert_eq!(kept.total, 1);
    assert!(kept.posts[0].text.contains("jane.doe@example.com"));
}

#[test]
fn public_replies_threads_mark_the_agency_account_as_own() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let request = ImportRequest {
        paths: vec![shared("publicreplies/1101514208636792832.json")],
        format: Some(Format::PublicReplies),
        own_accounts: vec!["AOC".into()],
        ..ImportRequest::default()
    };
    let summary = import_files(&store, &request, &NoProgress).unwrap();
    assert!(summary.imported > 200, "{summary:?}");
    let own = search(&store, "own:true", Sort::Relevance, 10, 0).unwrap();
    assert_eq!(own.total, 1, "only the origin post is the agency's");
    assert_eq!(own.posts[0].author.as_deref(), Some("AOC"));
    let replies = total(&store, "kind:reply own:false");
    assert_eq!(replies as u64, summary.imported - 1);

    // Drill-down: the origin post's thread holds its replies, and each reply leads back to it.
    let origin = own.posts[0].clone();
    let thread = store.thread(origin.id, 1_000).unwrap().unwrap();
    assert!(thread.parent.is_none());
    assert_eq!(thread.replies.len(), replies);
    assert!(thread
        .replies
        .windows(2)
        .all(|w| w[0].created_at <= w[1].created_at));
    let reply = &thread.replies[0];
    assert_eq!(reply.reply_to.as_deref(), Some(origin.external_id.as_str()));
    let back = store.thread(reply.id, 10).unwrap().unwrap();
    assert_eq!(back.parent.map(|p| p.id), Some(origin.id));
    assert!(total(&store, "question:true") > 10);
}
