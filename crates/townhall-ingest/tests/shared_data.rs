//! Readers on the real public data in `/work/shared/data` (see each folder's README).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use townhall_core::{ChannelKind, IncomingPost, PostKind};
use townhall_ingest::{
    detect, read_file, AccountType, AccountsRegistry, Format, ImportOptions, Reject,
};

fn shared(relative: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(relative);
    assert!(
        path.exists(),
        "shared test data missing: {} (CI provides /work/shared/data)",
        path.display()
    );
    path
}

fn collect(
    path: &Path,
    format: Option<Format>,
    opts: &ImportOptions,
) -> (Vec<IncomingPost>, Vec<Reject>) {
    let mut posts = Vec::new();
    let mut rejects = Vec::new();
    for record in read_file(path, format, opts).unwrap() {
        match record {
            Ok(p) => posts.push(p),
            Err(r) => rejects.push(r),
        }
    }
    (posts, rejects)
}

fn registry() -> AccountsRegistry {
    let json = std::fs::read_to_string(shared("govposts/congresstweets-accounts.json")).unwrap();
    AccountsRegistry::from_json(&json).unwrap()
}

#[test]
fn congresstweets_kinds_match_the_readme() {
    let path = shared("govposts/congresstweets-2017-06-21.json");
    let head = std::fs::read(&path).unwrap();
    assert_eq!(
        detect(&path.display().to_string(), &head[..4096]),
        Some(Format::CongressTweets)
    );
    let (posts, rejects) = collect(&path, None, &ImportOptions::default());
    assert!(rejects.is_empty(), "{rejects:?}");
    // README: 2,728 objects, 2,727 distinct posts = 1,841 original, 273 quote, 504 repost, 109 reply.
    assert_eq!(posts.len(), 2727);
    let mut kinds: HashMap<PostKind, usize> = HashMap::new();
    for p in &posts {
        *kinds.entry(p.kind).or_default() += 1;
    }
    assert_eq!(kinds[&PostKind::Original], 1841);
    assert_eq!(kinds[&PostKind::Quote], 273);
    assert_eq!(kinds[&PostKind::Repost], 504);
    assert_eq!(kinds[&PostKind::Reply], 109);
    assert_eq!(
        posts
            .iter()
            .filter(|p| p.external_id == "877601815331708928")
            .count(),
        1
    );
    // No registry: ownership is left to the channel settings.
    assert!(posts.iter().all(|p| p.own.is_none()));

    let first = &posts[0];
    assert_eq!(first.external_id, "877527850420776961");
    assert_eq!(first.channel.kind, ChannelKind::X);
    assert_eq!(first.channel.account, "RepErikPaulsen");
    assert_eq!(first.author.external_id.as_deref(), Some("17513304"));
    assert_eq!(first.kind, PostKind::Repost);
    assert_eq!(first.target_handle.as_deref(), Some("CRN_Supplements"));
    assert_eq!(first.repost_of.as_deref(), Some("877509166285414401"));
    assert!(
        first
            .text
            .starts_with("Thank you @RepErikPaulsen for speaking"),
        "{}",
        first.text
    );
    assert_eq!(first.created_at.to_rfc3339(), "2017-06-21T14:05:17+00:00");

    let quote = posts
        .iter()
        .find(|p| p.external_id == "877651596791996416")
        .unwrap();
    assert_eq!(quote.kind, PostKind::Quote);
    assert_eq!(quote.target_handle.as_deref(), Some("WhiteHouse"));
    assert_eq!(
        quote.text,
        "Another reason why we must #RepealAndReplace #Obamacare… https://t.co/wzd1s0vy90"
    );
    assert_eq!(
        quote.url.as_deref(),
        Some("https://www.twitter.com/RepKristiNoem/statuses/877651596791996416")
    );
    // Twitter's HTML escapes are decoded.
    let norcross = posts
        .iter()
        .find(|p| p.external_id == "877601815331708928")
        .unwrap();
    assert!(
        norcross.text.contains("jobs & strengthening"),
        "{}",
        norcross.text
    );
}

#[test]
fn congresstweets_with_registry_marks_office_and_campaign_accounts() {
    let registry = registry();
    assert_eq!(
        registry.entity("17513304"),
        Some(("member", "Erik Paulsen"))
    );
    assert_eq!(
        registry.lookup("17513304").unwrap().account_type,
        AccountType::Office
    );
    let opts = ImportOptions {
        accounts_registry: Some(registry.clone()),
        ..ImportOptions::default()
    };
    let (posts, _) = collect(
        &shared("govposts/congresstweets-2017-06-21.json"),
        None,
        &opts,
    );
    let mut by_type: HashMap<(String, AccountType), usize> = HashMap::new();
    for post in &posts {
        let user_id = post.author.external_id.as_deref().unwrap();
        match registry.lookup(user_id) {
            Some(account) => {
                assert_eq!(post.own, account.account_type.own(), "{}", post.external_id);
                *by_type
                    .entry((account.entity_type.clone(), account.account_type))
                    .or_default() += 1;
            }
            None => assert_eq!(post.own, None),
        }
    }
    // README, "By entity/account type": member-office 2,005, committee-office 211, party-office 133.
    assert_eq!(by_type[&("member".to_string(), AccountType::Office)], 2005);
    assert_eq!(
        by_type[&("committee".to_string(), AccountType::Office)],
        211
    );
    assert_eq!(by_type[&("party".to_string(), AccountType::Office)], 133);
    assert!(posts.iter().any(|p| p.own == Some(false)));
    let paulsen = posts
        .iter()
        .find(|p| p.channel.account == "RepErikPaulsen")
        .unwrap();
    assert_eq!(paulsen.own, Some(true));
}

#[test]
fn publicreplies_thread() {
    let path = shared("publicreplies/1101218752220315648.json");
    let head = std::fs::read(&path).unwrap();
    assert_eq!(
        detect(&path.display().to_string(), &head[..2048]),
        Some(Format::PublicReplies)
    );
    let (posts, rejects) = collect(&path, None, &ImportOptions::default());
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(posts.len(), 1 + 335);
    let origin = &posts[0];
    assert_eq!(origin.external_id, "1101218752220315648");
    assert_eq!(origin.channel.to_string(), "x:AlexLJanin");
    assert_eq!(origin.author.display_name.as_deref(), Some("Alex Janin"));
    assert_eq!(origin.kind, PostKind::Original);
    assert_eq!(origin.engagement.likes, Some(29382));
    assert_eq!(origin.engagement.reposts, Some(6304));
    // Display time "12:33 PM - 28 Feb 2019" (US Pacific) = 20:33 UTC, from the snowflake id.
    assert_eq!(
        origin.created_at.to_rfc3339().get(..16),
        Some("2019-02-28T20:33")
    );

    let reply = posts
        .iter()
        .find(|p| p.external_id == "1101222822188384261")
        .unwrap();
    assert_eq!(reply.kind, PostKind::Reply);
    assert_eq!(reply.channel.to_string(), "x:AlexLJanin");
    assert_eq!(reply.reply_to.as_deref(), Some("1101218752220315648"));
    assert_eq!(reply.thread_root.as_deref(), Some("1101218752220315648"));
    assert_eq!(reply.target_handle.as_deref(), Some("AlexLJanin"));
    assert_eq!(reply.author.handle.as_deref(), Some("DorianGrayy_"));
    assert_eq!(reply.author.display_name.as_deref(), Some("Dorian Gray"));
    assert_eq!(reply.text, "people like that dont care about facts.");
    assert_eq!(reply.created_at.timestamp(), 1551386955);
    assert_eq!(reply.declared_lang.as_deref(), Some("en"));
    assert_eq!(reply.engagement.likes, Some(2));
    assert_eq!(reply.engagement.reposts, None);
    // "und" is Twitter's "no language", not a language.
    assert_eq!(
        posts.iter().filter(|p| p.declared_lang.is_none()).count(),
        1 + 24
    );
}

#[test]
fn publicreplies_origin_with_empty_display_time_and_unreliable_context_ids() {
    let (posts, rejects) = collect(
        &shared("publicreplies/1067972969320697857.json"),
        Some(Format::PublicReplies),
        &ImportOptions::default(),
    );
    assert!(rejects.is_empty(), "{rejects:?}");
    let origin = &posts[0];
    assert_eq!(origin.external_id, "1067972969320697857");
    // The display time is empty here (also in 00_origin_tweets.csv); the id still dates it:
    // 29 Nov 2018 02:46 UTC, before the first reply (1 Dec 2018).
    assert_eq!(
        origin.created_at.to_rfc3339().get(..16),
        Some("2018-11-29T02:46")
    );
    // Context ids [1] point elsewhere (950869167577513984); replies still hang on the origin.
    assert!(posts[1..]
        .iter()
        .all(|p| p.reply_to.as_deref() == Some("1067972969320697857")));
    // The origin author's own follow-ups continue the thread instead of replying to others.
    let own_follow_up = posts[1..]
        .iter()
        .find(|p| p.author.handle.as_deref() == Some("ifindkarma"))
        .unwrap();
    assert_eq!(own_follow_up.kind, PostKind::Original);
}

#[test]
fn all_publicreplies_files_import_cleanly() {
    let dir = shared("publicreplies");
    let mut replies = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let (posts, rejects) = collect(&path, None, &ImportOptions::default());
        assert!(rejects.is_empty(), "{}: {rejects:?}", path.display());
        replies += posts.len() - 1;
    }
    // README: 20 thread files, 5,673 replies.
    assert_eq!(replies, 5673);
}

#[test]
fn mastodon_documentation_example() {
    let path = shared("formats/mastodon-status-example.json");
    let (posts, rejects) = collect(&path, None, &ImportOptions::default());
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(posts.len(), 1);
    let p = &posts[0];
    assert_eq!(p.channel.to_string(), "mastodon:Gargron@mastodon.social");
    assert_eq!(p.external_id, "103270115826048975");
    assert_eq!(
        p.text,
        "\"I lost my inheritance with one wrong digit on my sort code\"\n\n\
         https://www.theguardian.com/money/2019/dec/07/i-lost-my-193000-inheritance-with-one-wrong-digit-on-my-sort-code"
    );
    assert_eq!(p.author.external_id.as_deref(), Some("1"));
    assert_eq!(p.author.handle.as_deref(), Some("Gargron"));
    assert_eq!(p.author.display_name.as_deref(), Some("Eugen"));
    assert_eq!(p.kind, PostKind::Original);
    assert_eq!(p.title, None);
    assert_eq!(p.declared_lang.as_deref(), Some("en"));
    assert_eq!(
        p.url.as_deref(),
        Some("https://mastodon.social/@Gargron/103270115826048975")
    );
    assert_eq!(p.engagement.likes, Some(11));
    assert_eq!(p.engagement.reposts, Some(6));
    assert_eq!(p.engagement.replies, Some(5));
    assert_eq!(p.engagement.quotes, Some(2));
    assert_eq!(p.created_at.to_rfc3339(), "2019-12-08T03:48:33.901+00:00");
}
