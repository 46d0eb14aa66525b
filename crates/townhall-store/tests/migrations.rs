#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Upgrading a store made by an earlier build: the ideas table is rebuilt (to let ideas come from the
//! public) with every row, vote and reference kept.

use rusqlite::Connection;
use std::path::Path;
use townhall_store::{NewIdea, Store};

fn migration(n: usize) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    std::fs::read_to_string(dir.join(&names[n - 1])).unwrap()
}

#[test]
fn a_version_9_store_upgrades_with_its_ideas_votes_and_references_intact() {
    let dir = tempfile::tempdir().unwrap();
    {
        // The schema as a build with nine migrations left it, with an idea, a merged idea and votes.
        let conn = Connection::open(dir.path().join("townhall.sqlite")).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        for n in 1..=9 {
            conn.execute_batch(&migration(n)).unwrap();
        }
        conn.pragma_update(None, "user_version", 9).unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, username, display_name, password_hash, role, created_at)
                 VALUES (7, 'vic', 'Vic', 'x', 'viewer', 0);
             INSERT INTO idea_campaigns (id, slug, title, question, created_by, created_at, updated_at)
                 VALUES (3, 'buses', 'Buses', 'What would help?', 'vic', 0, 0);
             INSERT INTO ideas (id, title, source_kind, submitted_by, created_at, updated_at, campaign_id, stage)
                 VALUES (1, 'Bus screens', 'employee', 'vic', 1, 2, 3, 'piloting');
             INSERT INTO ideas (id, title, source_kind, submitted_by, created_at, updated_at, merged_into)
                 VALUES (2, 'Screens at stops', 'employee', 'vic', 1, 2, 1);
             INSERT INTO idea_votes (idea_id, user_id, value, at) VALUES (1, 7, 1, 5);
             INSERT INTO idea_comments (idea_id, user_id, author, body, at) VALUES (1, 7, 'Vic', 'Yes', 6);",
        )
        .unwrap();
        // Before the upgrade, the public is not a source an idea may have.
        assert!(conn
            .execute(
                "INSERT INTO ideas (title, source_kind, submitted_by, created_at, updated_at)
                 VALUES ('x', 'public', 'a member of the public', 0, 0)",
                [],
            )
            .is_err());
    }
    let store = Store::open(dir.path()).unwrap();
    let ideas = store
        .ideas(&townhall_store::IdeaFilter {
            include_merged: true,
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ideas.len(), 2);
    let screens = ideas.iter().find(|i| i.id == 1).unwrap();
    assert_eq!(
        (
            screens.stage.as_str(),
            screens.campaign_id,
            screens.votes_for,
            screens.comments
        ),
        ("piloting", Some(3), 1, 1)
    );
    assert_eq!(
        ideas.iter().find(|i| i.id == 2).unwrap().merged_into,
        Some(1)
    );
    // After it, an idea can come from the public, and references are still enforced.
    let id = store
        .create_idea(
            &NewIdea {
                title: "Timetables at every stop",
                body: "",
                source_kind: "public",
                source_ref: None,
                source_post: None,
                submitted_by_id: None,
                submitted_by: "a member of the public",
                strategy: None,
                campaign_id: Some(3),
            },
            &townhall_store::AuditEntry {
                actor_id: None,
                actor: "public",
                action: "idea.submit",
                target: "idea",
                detail: "",
            },
        )
        .unwrap();
    assert!(id > 2);
    let conn = Connection::open(dir.path().join("townhall.sqlite")).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let migrations =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite"))
            .unwrap()
            .count() as u32;
    assert_eq!(version, migrations, "every migration ran");
    assert!(version >= 10);
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0);
    assert!(
        conn.execute(
            "INSERT INTO idea_votes (idea_id, user_id, value, at) VALUES (999, 7, 1, 0)",
            []
        )
        .is_err(),
        "a vote for an idea that does not exist is still refused"
    );
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
}
