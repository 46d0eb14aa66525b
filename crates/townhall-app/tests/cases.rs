#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Inbox cases from the public's real replies to a member of Congress (imported with that account as the
//! agency's own): every question addressed to the account is filed exactly once.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use townhall_app::cases::open_cases;
use townhall_app::import::{import_files, ImportRequest, NoProgress};
use townhall_app::inbox::list_cases as cases;
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
    let questions_filed = scan.by_reason.get("question").copied().unwrap_or(0)
        + scan.by_reason.get("mention").copied().unwrap_or(0);
    assert_eq!(questions_filed, addressed.len() as u64);
    assert_eq!(scan.filed.opened + scan.filed.joined, scan.addressed);
    let all_open = cases(&store, None, Some("open"), 100_000).unwrap();
    assert_eq!(all_open.len() as u64, scan.filed.opened);
    // The default rules also open cases for negative posts to the account on days negativity spikes;
    // those are not questions.
    let listed: Vec<_> = all_open
        .iter()
        .filter(|c| c.reason != "negative_spike")
        .cloned()
        .collect();
    // Every addressed question is in exactly one case (a person's negative follow-up in the same
    // conversation joins their question's case, so cases may hold more than questions).
    let question_ids: HashSet<i64> = addressed.iter().map(|p| p.id).collect();
    let mut seen = HashSet::new();
    for c in &all_open {
        let detail = store.case_detail(c.id).unwrap().unwrap();
        for post in detail.post_ids {
            assert!(seen.insert(post), "post {post} is in two cases");
        }
    }
    assert!(question_ids.iter().all(|id| seen.contains(id)));
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
    assert!(all_open
        .iter()
        .all(|c| c.status == "open" && c.team.is_none()));
    for c in all_open.iter().filter(|c| c.reason == "negative_spike") {
        assert!(
            c.sentiment.unwrap() <= -0.05,
            "case {} is not negative",
            c.id
        );
    }

    // Scanning again files nothing twice; new posts are scanned alone.
    let again = open_cases(&store).unwrap();
    assert_eq!(
        (again.questions, again.filed.opened, again.filed.joined),
        (0, 0, 0)
    );
    eprintln!("first scan: {scan:?}");
    import(&store, rest.to_vec());
    let more = open_cases(&store).unwrap();
    assert!(more.questions > 0);
    let total = cases(&store, None, None, 100_000).unwrap();
    assert_eq!(total.len() as u64, scan.filed.opened + more.filed.opened);

    assert!(cases(&store, None, Some("lost"), 10).is_err());
}
