//! Readers on fixtures built field for field from each platform's public documentation
//! (`tests/fixtures/`, see its README), with malformed records placed among good ones.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use townhall_core::{ChannelKind, IncomingPost, PostKind};
use townhall_ingest::{detect, read, read_file, Format, ImportOptions, Location, Reject};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn collect_with(name: &str, opts: &ImportOptions) -> (Vec<IncomingPost>, Vec<Reject>) {
    let path = fixture(name);
    let head = std::fs::read(&path).unwrap();
    let detected = detect(name, &head[..head.len().min(16 * 1024)]);
    let mut posts = Vec::new();
    let mut rejects = Vec::new();
    for record in read_file(&path, detected, opts).unwrap() {
        match record {
            Ok(p) => posts.push(p),
            Err(r) => rejects.push(r),
        }
    }
    (posts, rejects)
}

fn collect(name: &str) -> (Vec<IncomingPost>, Vec<Reject>) {
    collect_with(name, &ImportOptions::default())
}

fn locations(rejects: &[Reject]) -> Vec<Location> {
    rejects.iter().map(|r| r.location.clone()).collect()
}

fn by_id<'p>(posts: &'p [IncomingPost], id: &str) -> &'p IncomingPost {
    posts
        .iter()
        .find(|p| p.external_id == id)
        .unwrap_or_else(|| panic!("no post {id}"))
}

#[test]
fn formats_are_detected() {
    for (name, format) in [
        ("mastodon-timeline.json", Format::Mastodon),
        ("mastodon-statuses.jsonl", Format::Mastodon),
        ("bluesky-author-feed.json", Format::Bluesky),
        ("bluesky-search-posts.json", Format::Bluesky),
        ("tweets.js", Format::XArchive),
        ("agency-news.rss", Format::Feed),
        ("agency-updates.atom", Format::Feed),
        ("regulations-comments.csv", Format::RegulationsGov),
        ("posts.jsonl", Format::Jsonl),
        ("posts.csv", Format::Csv),
    ] {
        let head = std::fs::read(fixture(name)).unwrap();
        assert_eq!(
            detect(name, &head[..head.len().min(16 * 1024)]),
            Some(format),
            "{name}"
        );
    }
}

#[test]
fn mastodon_timeline_array() {
    let (posts, rejects) = collect("mastodon-timeline.json");
    assert_eq!(posts.len(), 5);
    assert_eq!(
        locations(&rejects),
        vec![Location::Index(3), Location::Index(6)]
    );
    assert!(
        rejects[0].reason.contains("missing field `account`"),
        "{}",
        rejects[0]
    );
    assert!(rejects[1].reason.contains("last tuesday"), "{}", rejects[1]);

    let reblog = by_id(&posts, "103270300000000001");
    assert_eq!(reblog.kind, PostKind::Repost);
    assert_eq!(reblog.repost_of.as_deref(), Some("103270115826048975"));
    assert_eq!(reblog.target_handle.as_deref(), Some("Gargron"));
    assert_eq!(
        reblog.channel.to_string(),
        "mastodon:jane@social.example.gov"
    );
    assert_eq!(
        reblog.author.handle.as_deref(),
        Some("jane@social.example.gov")
    );
    assert!(
        reblog.text.starts_with("\"I lost my inheritance"),
        "{}",
        reblog.text
    );
    assert_eq!(reblog.declared_lang.as_deref(), Some("en"));

    let reply = by_id(&posts, "103270400000000002");
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(reply.reply_to.as_deref(), Some("103270115826048975"));
    assert_eq!(reply.target_handle.as_deref(), Some("Gargron"));
    assert_eq!(reply.title.as_deref(), Some("banking"));
    assert_eq!(
        reply.text,
        "@Gargron Which bank was it? We're collecting cases & will follow up."
    );
    assert_eq!(reply.engagement.likes, Some(3));
    assert_eq!(reply.engagement.replies, Some(1));

    let quote = by_id(&posts, "103270500000000003");
    assert_eq!(quote.kind, PostKind::Quote);
    assert_eq!(quote.quote_of.as_deref(), Some("103270115826048975"));
    assert_eq!(quote.target_handle.as_deref(), Some("Gargron"));
    assert_eq!(quote.text, "Worth reading.\nCheck your sort code twice.");

    let shallow = by_id(&posts, "103270600000000004");
    assert_eq!(shallow.kind, PostKind::Quote);
    assert_eq!(shallow.quote_of.as_deref(), Some("103270115826048975"));
    assert_eq!(shallow.target_handle, None);
}

#[test]
fn mastodon_jsonl_streams_and_locates_bad_lines() {
    let (posts, rejects) = collect("mastodon-statuses.jsonl");
    let ids: Vec<&str> = posts.iter().map(|p| p.external_id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "103270115826048975",
            "103270400000000002",
            "103270500000000003"
        ]
    );
    assert_eq!(locations(&rejects), vec![Location::Line(4)]);
    assert!(
        rejects[0].reason.starts_with("invalid JSON"),
        "{}",
        rejects[0]
    );
    assert!(rejects[0]
        .to_string()
        .contains("mastodon-statuses.jsonl:4: invalid JSON"));
}

#[test]
fn mastodon_account_option_overrides_the_channel() {
    let opts = ImportOptions {
        account: Some("tag-timeline-transit".into()),
        ..ImportOptions::default()
    };
    let (posts, _) = collect_with("mastodon-timeline.json", &opts);
    assert!(posts
        .iter()
        .all(|p| p.channel.to_string() == "mastodon:tag-timeline-transit"));
}

#[test]
fn bluesky_author_feed() {
    let (posts, rejects) = collect("bluesky-author-feed.json");
    assert_eq!(posts.len(), 4);
    assert_eq!(locations(&rejects), vec![Location::Index(3)]);
    assert!(
        rejects[0].reason.contains("missing field `author`"),
        "{}",
        rejects[0]
    );

    let first = &posts[0];
    assert_eq!(
        first.external_id,
        "at://did:plc:agency7x2k4m/app.bsky.feed.post/3kq2a7vq2xc2a"
    );
    assert_eq!(first.channel.kind, ChannelKind::Bluesky);
    assert_eq!(first.channel.account, "transport.example.gov");
    // The link facet's byte range sits after accents and emoji: the full URI replaces the
    // shortened display text exactly, and the tag facet is left as written.
    assert_eq!(
        first.text,
        "Café-Öffnungszeiten 🚆🎉 ändern sich: https://transport.example.gov/timetables/spring-2024?lang=de #Bahn"
    );
    assert_eq!(first.kind, PostKind::Original);
    assert_eq!(first.declared_lang.as_deref(), Some("de"));
    assert_eq!(
        first.author.external_id.as_deref(),
        Some("did:plc:agency7x2k4m")
    );
    assert_eq!(
        first.author.display_name.as_deref(),
        Some("Dept. of Transport")
    );
    assert_eq!(
        first.url.as_deref(),
        Some("https://bsky.app/profile/transport.example.gov/post/3kq2a7vq2xc2a")
    );
    assert_eq!(first.engagement.likes, Some(40));
    assert_eq!(first.engagement.reposts, Some(12));
    assert_eq!(first.engagement.replies, Some(4));
    assert_eq!(first.engagement.quotes, Some(1));
    assert_eq!(first.created_at.to_rfc3339(), "2024-03-05T09:30:00+00:00");

    let reply = &posts[1];
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(reply.channel.account, "ana.bsky.social");
    assert_eq!(reply.reply_to.as_deref(), Some(first.external_id.as_str()));
    assert_eq!(
        reply.thread_root.as_deref(),
        Some(first.external_id.as_str())
    );
    assert_eq!(
        reply.target_handle.as_deref(),
        Some("transport.example.gov")
    );
    assert_eq!(reply.author.display_name.as_deref(), Some("Ana Müller"));

    let repost = &posts[2];
    assert_eq!(repost.kind, PostKind::Repost);
    assert_eq!(repost.channel.account, "transport.example.gov");
    assert_eq!(
        repost.external_id,
        "at://did:plc:news99zz/app.bsky.feed.post/3kq1zzzzzzz2c#repost-by-did:plc:agency7x2k4m"
    );
    assert_eq!(
        repost.repost_of.as_deref(),
        Some("at://did:plc:news99zz/app.bsky.feed.post/3kq1zzzzzzz2c")
    );
    assert_eq!(repost.target_handle.as_deref(), Some("news.example.com"));
    assert_eq!(repost.text, "Rail strike ends tonight.");
    assert_eq!(repost.created_at.to_rfc3339(), "2024-03-05T08:15:00+00:00");

    let quote = &posts[3];
    assert_eq!(quote.kind, PostKind::Quote);
    assert_eq!(
        quote.quote_of.as_deref(),
        Some("at://did:plc:news99zz/app.bsky.feed.post/3kq1zzzzzzz2c")
    );
    assert_eq!(quote.target_handle.as_deref(), Some("news.example.com"));
}

#[test]
fn bluesky_search_posts() {
    let (posts, rejects) = collect("bluesky-search-posts.json");
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].kind, PostKind::Reply);
    assert_eq!(posts[0].text, "When will the 7:40 train run again?");
    // searchPosts has no hydrated parent, so the replied-to handle is unknown.
    assert_eq!(posts[0].target_handle, None);
    assert_eq!(posts[1].kind, PostKind::Quote);
}

#[test]
fn x_archive_tweets_js() {
    let (posts, rejects) = collect("tweets.js");
    assert_eq!(posts.len(), 6);
    assert_eq!(locations(&rejects), vec![Location::Index(5)]);
    assert!(
        rejects[0].reason.contains("2022-03-02 17:00"),
        "{}",
        rejects[0]
    );
    // The owner is found from the self-reply (its parent is in the archive).
    assert!(posts
        .iter()
        .all(|p| p.channel.to_string() == "x:TransportDept"));
    assert!(posts.iter().all(|p| p.own == Some(true)));

    let first = by_id(&posts, "1499070000000000001");
    assert_eq!(first.kind, PostKind::Original);
    assert_eq!(
        first.text,
        "Spring timetables are out: https://transport.example.gov/timetables & more to come"
    );
    assert_eq!(first.created_at.to_rfc3339(), "2022-03-02T14:05:17+00:00");
    assert_eq!(first.engagement.likes, Some(15));
    assert_eq!(first.engagement.reposts, Some(4));
    assert_eq!(
        first.url.as_deref(),
        Some("https://twitter.com/TransportDept/status/1499070000000000001")
    );
    assert_eq!(first.declared_lang.as_deref(), Some("en"));

    let thread = by_id(&posts, "1499070500000000002");
    assert_eq!(thread.kind, PostKind::Original);
    assert_eq!(thread.reply_to.as_deref(), Some("1499070000000000001"));

    let reply = by_id(&posts, "1499080000000000003");
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(reply.target_handle.as_deref(), Some("ana_commuter"));
    assert_eq!(reply.reply_to.as_deref(), Some("1499075000000000000"));

    let retweet = by_id(&posts, "1499090000000000004");
    assert_eq!(retweet.kind, PostKind::Repost);
    assert_eq!(retweet.target_handle.as_deref(), Some("CityNews"));
    assert_eq!(retweet.text, "Rail strike ends tonight.");
    assert_eq!(retweet.engagement.reposts, Some(50));

    let quote = by_id(&posts, "1499095000000000005");
    assert_eq!(quote.kind, PostKind::Quote);
    assert_eq!(quote.quote_of.as_deref(), Some("1499000000000000000"));
    assert_eq!(quote.target_handle.as_deref(), Some("CityNews"));

    assert_eq!(
        by_id(&posts, "1499099500000000007")
            .declared_lang
            .as_deref(),
        Some("es")
    );
}

#[test]
fn x_archive_account_option_wins() {
    let opts = ImportOptions {
        account: Some("dot_press".into()),
        ..ImportOptions::default()
    };
    let (posts, _) = collect_with("tweets.js", &opts);
    assert!(posts.iter().all(|p| p.channel.account == "dot_press"));
    // With another owner name, the self-reply is a reply to someone else.
    assert_eq!(by_id(&posts, "1499070500000000002").kind, PostKind::Reply);
}

#[test]
fn rss_feed() {
    let (posts, rejects) = collect("agency-news.rss");
    assert_eq!(posts.len(), 2);
    assert_eq!(locations(&rejects), vec![Location::Index(2)]);
    assert!(rejects[0].reason.contains("no date"), "{}", rejects[0]);
    let first = &posts[0];
    assert_eq!(
        first.channel.to_string(),
        "feed:https://transport.example.gov/news/feed.rss"
    );
    assert_eq!(first.external_id, "news-2024-0142");
    assert_eq!(first.title.as_deref(), Some("Spring timetables published"));
    assert_eq!(
        first.text,
        "Spring timetables published\n\nNew timetables start on March 18.\n\nDetails & maps: timetables page"
    );
    assert_eq!(
        first.url.as_deref(),
        Some("https://transport.example.gov/news/spring-timetables")
    );
    assert_eq!(first.created_at.to_rfc3339(), "2024-03-05T08:30:00+00:00");
    let second = &posts[1];
    assert_eq!(
        second.external_id,
        "https://transport.example.gov/news/cycle-lanes"
    );
    assert_eq!(
        second.text,
        "Consultation on cycle lanes opens\n\nTell us where you need safer cycling.\nOpen until 30 April."
    );
}

#[test]
fn atom_feed() {
    let (posts, rejects) = collect("agency-updates.atom");
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(posts.len(), 2);
    let first = &posts[0];
    assert_eq!(
        first.channel.to_string(),
        "feed:https://roads.example.gov/updates.atom"
    );
    assert_eq!(
        first.external_id,
        "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    );
    assert_eq!(first.created_at.to_rfc3339(), "2024-03-05T17:00:00+00:00");
    assert_eq!(first.author.display_name.as_deref(), Some("Roads Agency"));
    assert_eq!(
        first.url.as_deref(),
        Some("https://roads.example.gov/updates/a12-night-closures")
    );
    assert!(
        first.text.starts_with(
            "A12 night closures\n\nThe A12 closes between junctions 4 and 5\nfrom 22:00"
        ),
        "{}",
        first.text
    );
    assert!(first.text.contains("Diversion via B1002"), "{}", first.text);
    // No published date: the updated date stands in.
    assert_eq!(
        posts[1].created_at.to_rfc3339(),
        "2024-03-04T12:00:00+00:00"
    );
    assert_eq!(
        posts[1].text,
        "Bridge inspection finished\n\nNo defects found on bridge 42."
    );
}

#[test]
fn regulations_gov_comment_export() {
    let (posts, rejects) = collect("regulations-comments.csv");
    assert_eq!(posts.len(), 3);
    assert_eq!(
        locations(&rejects),
        vec![Location::Line(5), Location::Line(6)]
    );
    assert!(
        rejects[0]
            .reason
            .contains("`Proposed Rule` is not a public comment"),
        "{}",
        rejects[0]
    );
    assert!(rejects[1].reason.contains("`not yet`"), "{}", rejects[1]);

    let first = &posts[0];
    assert_eq!(
        first.channel.to_string(),
        "regulations_gov:DOT-OST-2024-0012"
    );
    assert_eq!(first.external_id, "DOT-OST-2024-0012-0002");
    assert_eq!(
        first.text,
        "Please keep the night buses.\nMany of us work late shifts."
    );
    assert_eq!(first.title.as_deref(), Some("Comment from Maria Lopez"));
    assert_eq!(first.author.display_name.as_deref(), Some("Maria Lopez"));
    assert_eq!(first.created_at.to_rfc3339(), "2024-03-07T05:00:00+00:00");
    assert_eq!(first.kind, PostKind::Reply);
    assert_eq!(first.reply_to.as_deref(), Some("DOT-OST-2024-0012-0001"));
    assert_eq!(
        first.url.as_deref(),
        Some("https://www.regulations.gov/comment/DOT-OST-2024-0012-0002")
    );
    assert_eq!(
        posts[1].author.display_name.as_deref(),
        Some("Riders Alliance")
    );
    // No posted date: the received date stands in.
    assert_eq!(
        posts[2].created_at.to_rfc3339(),
        "2024-03-09T05:00:00+00:00"
    );
    assert_eq!(posts[2].text, "Fares should stay at €2 – “fair” for all.");
}

#[test]
fn generic_jsonl_with_rejects_on_exact_lines() {
    let (posts, rejects) = collect("posts.jsonl");
    let ids: Vec<&str> = posts.iter().map(|p| p.external_id.as_str()).collect();
    assert_eq!(ids, vec!["p1", "2", "p3", "p7"]);
    assert_eq!(
        locations(&rejects),
        vec![
            Location::Line(5),
            Location::Line(6),
            Location::Line(7),
            Location::Line(9)
        ]
    );
    assert_eq!(rejects[0].reason, "missing time field `created_at`");
    assert!(rejects[1].reason.starts_with("invalid JSON"));
    assert_eq!(rejects[2].reason, "expected a JSON object");
    assert!(rejects[3].reason.contains("05/03/2024 9am"));
    assert_eq!(posts[0].channel.to_string(), "generic:posts");
    assert_eq!(posts[0].author.handle.as_deref(), Some("reader1"));
    assert_eq!(posts[1].kind, PostKind::Reply);
    assert_eq!(posts[1].reply_to.as_deref(), Some("p1"));
    assert_eq!(
        posts[1].created_at.to_rfc3339(),
        "2024-03-05T09:30:00+00:00"
    );
    assert_eq!(posts[2].created_at.timestamp(), 1_709_631_000);
    assert_eq!(posts[3].created_at.timestamp_millis(), 1_709_631_000_123);
}

#[test]
fn generic_csv_with_mapping_and_rejects() {
    let (posts, rejects) = collect("posts.csv");
    let ids: Vec<&str> = posts.iter().map(|p| p.external_id.as_str()).collect();
    assert_eq!(ids, vec!["c1", "c2", "c4"]);
    assert_eq!(locations(&rejects), vec![Location::Line(5)]);
    assert_eq!(rejects[0].reason, "missing time field `created_at`");
    assert_eq!(
        posts[0].created_at.to_rfc3339(),
        "2024-03-05T08:00:00+00:00"
    );
    assert_eq!(posts[1].text, "Multi-line\ncomment");
    assert_eq!(posts[1].reply_to.as_deref(), Some("c1"));

    let opts = ImportOptions {
        mapping: townhall_ingest::FieldMapping {
            text: "body".into(),
            ..Default::default()
        },
        account: Some("city-survey".into()),
        ..ImportOptions::default()
    };
    let (posts, rejects) = collect_with("posts.csv", &opts);
    assert!(posts.is_empty());
    assert_eq!(locations(&rejects), vec![Location::File]);
    assert!(
        rejects[0]
            .reason
            .contains("column `body` not in the header"),
        "{}",
        rejects[0]
    );
}

#[test]
fn csv_mapping_by_other_names_and_line_number_ids() {
    let csv = "Message,Posted,From\n\"hi, there\",2024-01-02 03:04:05,@ann\nbye,1704164645,bob\n";
    let opts = ImportOptions {
        mapping: townhall_ingest::FieldMapping {
            text: "Message".into(),
            time: "Posted".into(),
            id: String::new(),
            author: "From".into(),
            reply_to: "InReplyTo".into(),
        },
        account: Some("survey".into()),
        ..ImportOptions::default()
    };
    let posts: Vec<_> = read(
        "upload.csv",
        std::io::Cursor::new(csv.as_bytes().to_vec()),
        Format::Csv,
        &opts,
    )
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].external_id, "2");
    assert_eq!(posts[0].text, "hi, there");
    assert_eq!(posts[0].author.handle.as_deref(), Some("ann"));
    assert_eq!(posts[1].external_id, "3");
    assert_eq!(posts[1].channel.to_string(), "generic:survey");
}

#[test]
fn long_text_is_capped() {
    let long = "é".repeat(20_000);
    let line =
        format!("{{\"id\":\"1\",\"text\":\"{long}\",\"created_at\":\"2024-01-01T00:00:00Z\"}}\n");
    let posts: Vec<_> = read(
        "big.jsonl",
        std::io::Cursor::new(line.into_bytes()),
        Format::Jsonl,
        &ImportOptions::default(),
    )
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap();
    assert_eq!(posts[0].text.len(), townhall_core::MAX_TEXT_BYTES);
}

#[test]
fn broken_documents_are_one_file_reject() {
    for format in [
        Format::CongressTweets,
        Format::XArchive,
        Format::PublicReplies,
        Format::Feed,
        Format::Bluesky,
        Format::Mastodon,
    ] {
        let records: Vec<_> = read(
            "broken.json",
            std::io::Cursor::new(b"[{\"id\": ".to_vec()),
            format,
            &ImportOptions::default(),
        )
        .unwrap()
        .collect();
        assert_eq!(records.len(), 1, "{format}");
        let reject = records[0].as_ref().unwrap_err();
        assert_eq!(reject.location, Location::File, "{format}");
        assert_eq!(reject.file, "broken.json");
    }
}

#[test]
fn mastodon_jsonl_named_json_falls_back_to_lines() {
    let bytes = std::fs::read(fixture("mastodon-statuses.jsonl")).unwrap();
    let records: Vec<_> = read(
        "statuses.json",
        std::io::Cursor::new(bytes),
        Format::Mastodon,
        &ImportOptions::default(),
    )
    .unwrap()
    .collect();
    let posts = records.iter().filter(|r| r.is_ok()).count();
    let rejects: Vec<_> = records.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(posts, 3);
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0].location, Location::Line(4));
}

#[test]
fn bluesky_jsonl_pages_locate_items_by_line() {
    let page = std::fs::read_to_string(fixture("bluesky-author-feed.json")).unwrap();
    let page: serde_json::Value = serde_json::from_str(&page).unwrap();
    let search = std::fs::read_to_string(fixture("bluesky-search-posts.json")).unwrap();
    let search: serde_json::Value = serde_json::from_str(&search).unwrap();
    let jsonl = format!("{page}\n{search}\n");
    let records: Vec<_> = read(
        "pages.jsonl",
        std::io::Cursor::new(jsonl.into_bytes()),
        Format::Bluesky,
        &ImportOptions::default(),
    )
    .unwrap()
    .collect();
    assert_eq!(records.iter().filter(|r| r.is_ok()).count(), 4 + 2);
    let rejects: Vec<_> = records.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0].location, Location::Line(1));
    assert!(rejects[0].reason.starts_with("item 3: "), "{}", rejects[0]);
}
