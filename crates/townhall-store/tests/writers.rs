#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Two stores on one folder (as two processes would be): one writer at a time, readers always.

use chrono::{TimeZone, Utc};
use townhall_core::query::Query;
use townhall_core::{Analysis, ChannelKey, ChannelKind, IncomingPost};
use townhall_store::{NewPost, Sort, Store, StoreError};

fn posts(from: usize, n: usize) -> Vec<NewPost> {
    (from..from + n)
        .map(|i| NewPost {
            post: IncomingPost::new(
                ChannelKey::new(ChannelKind::Generic, "test"),
                i.to_string(),
                format!("post number {i} about parks"),
                Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).unwrap(),
            ),
            analysis: Analysis::default(),
            own: false,
        })
        .collect()
}

#[test]
fn one_writer_at_a_time_and_readers_see_commits() {
    let dir = tempfile::tempdir().unwrap();
    let first = Store::open(dir.path()).unwrap();
    let second = Store::open(dir.path()).unwrap();

    let counts = first.insert_posts(&posts(0, 10)).unwrap();
    assert_eq!(counts.imported, 10);
    // While the first writes, the second cannot, and nothing of its batch is stored.
    match second.insert_posts(&posts(10, 5)) {
        Err(StoreError::Busy) => {}
        other => panic!("expected Busy, got {other:?}"),
    }
    assert_eq!(second.post_count().unwrap(), 10);

    first.commit_index().unwrap();
    // The lock is released at commit; the second writes now.
    assert_eq!(second.insert_posts(&posts(10, 5)).unwrap().imported, 5);
    second.commit_index().unwrap();

    // Both see all fifteen, each through its own index reader.
    first.commit_index().unwrap(); // nothing to commit: reloads its reader
    for store in [&first, &second] {
        let found = store.search(&Query::All, Sort::Newest, 50, 0).unwrap();
        assert_eq!(found.total, 15);
    }
}

#[test]
fn a_lost_index_is_rebuilt_from_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store.insert_posts(&posts(0, 25)).unwrap();
        store.commit_index().unwrap();
    }
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let found = store
        .search(&Query::Term("parks".into()), Sort::Relevance, 5, 0)
        .unwrap();
    assert_eq!(found.total, 25);
    assert_eq!(found.posts.len(), 5);
}
