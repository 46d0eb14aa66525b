#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Inbox cases from the public's real replies to a member of Congress (imported with that account as the
//! agency's own): every question addressed to the account is filed exactly once.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use townhall_app::cases::{cases, open_cases};
use townhall_app::import::{import_files, ImportRequest, NoProgress};
use townhall_app::Store;
use townhall_core::StoredPost;
use townhall_ingest::Format;

fn threads() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/publicreplies");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn import(store: &Store, paths: Vec<PathBuf>) {
    let request = ImportRequest {
        paths,
        format: Some(Format::PublicReplies),
        own_accounts: vec!["AOC".into()],
        ..ImportRequest::default()
    };
    import_files(store, &request, &NoProgress).unwrap();
}

fn posts_matching(store: &Store, q: &str) -> Vec<StoredPost> {
    let ids = store
        .matching_ids(&townhall_core::query::parse(q).unwrap())
        .unwrap();
    store.posts_by_ids(&ids).unwrap()
}

#[test]
fn the_publics_questions_to_the_account_become_cases_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let files = threads();
    assert!(files.len() >= 3);
    let (first, rest) = files.split_at(files.len() - 1);
    import(&store, first.to_vec());

    // Independently: the public's questions that answer one of the account's posts or mention it.
    let own: HashSet<(String, String)> = posts_matching(&store, "own:true")
        .into_iter()
        .map(|p| (p.channel.to_string(), p.external_id))
        .collect();
    assert!(!own.is_empty());
    let addressed: Vec<StoredPost> = posts_matching(&store, "question:true own:false")
        .into_iter()
        .filter(|p| {
            p.reply_to
                .as_ref()
                .is_some_and(|r| own.contains(&(p.channel.to_string(), r.clone())))
                || p.analysis
                    .mentions
                    .iter()
                    .any(|m| m.trim_start_matches('@').eq_ignore_ascii_case("aoc"))
        })
        .collect();
    assert!(addressed.len() > 50, "{} questions", addressed.len());

    let scan = open_cases(&store).unwrap();
    assert_eq!(scan.addressed, addressed.len() as u64);
    assert_eq!(scan.filed.opened + scan.filed.joined, scan.addressed);
    let listed = cases(&store, None, Some("open"), 100_000).unwrap();
    assert_eq!(listed.len() as u64, scan.filed.opened);
    // Every addressed question is in exactly one case.
    let filed: u64 = listed.iter().map(|c| c.posts).sum();
    assert_eq!(filed, addressed.len() as u64);
    // A person's follow-ups in one conversation share a case: there are at most as many cases as
    // (conversation, author) pairs.
    let mut per_author_thread: HashMap<(String, String), usize> = HashMap::new();
    for p in &addressed {
        let conversation = p
            .thread_root
            .clone()
            .or(p.reply_to.clone())
            .unwrap_or_default();
        *per_author_thread
            .entry((conversation, p.author.clone().unwrap_or_default()))
            .or_default() += 1;
    }
    assert!(listed.len() <= per_author_thread.len());
    assert!(listed
        .iter()
        .all(|c| c.reason == "question" || c.reason == "mention"));
    assert!(listed
        .iter()
        .all(|c| c.status == "open" && c.team.is_none()));

    // Scanning again files nothing twice; new posts are scanned alone.
    let again = open_cases(&store).unwrap();
    assert_eq!(
        (again.questions, again.filed.opened, again.filed.joined),
        (0, 0, 0)
    );
    import(&store, rest.to_vec());
    let more = open_cases(&store).unwrap();
    assert!(more.questions > 0);
    let total = cases(&store, None, None, 100_000).unwrap();
    assert_eq!(total.len() as u64, scan.filed.opened + more.filed.opened);

    assert!(cases(&store, None, Some("lost"), 10).is_err());
}
