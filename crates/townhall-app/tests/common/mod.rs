//! A store with an agency account, the public's questions to it, and staff with each role.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use townhall_app::accounts::{Accounts, NewUser, SessionUser};
use townhall_app::actor::Actor;
use townhall_app::import::{import_files, ImportRequest, NoProgress};
use townhall_app::Store;
use townhall_core::Role;

pub struct Agency {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub accounts: Accounts,
    pub admin: SessionUser,
    files: std::cell::Cell<u32>,
}

impl Agency {
    pub fn new() -> Agency {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store")).unwrap();
        let accounts = Accounts::new();
        let first = accounts
            .ensure_first_admin(&store, "admin")
            .unwrap()
            .unwrap();
        let session = accounts
            .login(&store, "admin", &first.password, "127.0.0.1")
            .unwrap();
        accounts
            .change_password(
                &store,
                &session.user,
                &first.password,
                "a long admin passphrase",
            )
            .unwrap();
        let admin = accounts
            .login(&store, "admin", "a long admin passphrase", "127.0.0.1")
            .unwrap()
            .user;
        Agency {
            dir,
            store,
            accounts,
            admin,
            files: std::cell::Cell::new(0),
        }
    }

    pub fn admin_actor(&self) -> Actor {
        Actor::from(&self.store.user_by_name("admin").unwrap().unwrap())
    }

    /// A staff member with `role` in `team`.
    pub fn staff(&self, username: &str, role: Role, team: Option<&str>) -> Actor {
        let (user, _) = self
            .accounts
            .create_user(
                &self.store,
                &self.admin,
                &NewUser {
                    username: username.into(),
                    display_name: format!("{username} (staff)"),
                    role,
                    team: team.map(str::to_string),
                },
            )
            .unwrap();
        Actor::from(&user)
    }

    /// Import JSON lines (`id`, `text`, `created_at`, `author`, `reply_to`); posts by `cityhall` are the
    /// agency's own.
    pub fn import(&self, lines: &[String]) {
        let n = self.files.get() + 1;
        self.files.set(n);
        let path = write_jsonl(self.dir.path(), &format!("posts-{n}.jsonl"), lines);
        import_at(&self.store, path);
    }
}

pub fn import_at(store: &Store, path: PathBuf) {
    let request = ImportRequest {
        paths: vec![path],
        own_accounts: vec!["cityhall".into()],
        // One channel for every file, so replies find the agency's posts.
        ingest: townhall_ingest::ImportOptions {
            account: Some("city".into()),
            ..townhall_ingest::ImportOptions::default()
        },
        keep_public_handles: Some(true),
        ..ImportRequest::default()
    };
    import_files(store, &request, &NoProgress).unwrap();
}

pub fn write_jsonl(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).unwrap();
    for line in lines {
        writeln!(f, "{line}").unwrap();
    }
    path
}

/// One post as a JSON line.
pub fn post(id: &str, author: &str, text: &str, reply_to: Option<&str>, day: u32) -> String {
    let mut value = serde_json::json!({
        "id": id,
        "author": author,
        "text": text,
        "created_at": format!("2024-05-{:02}T10:{:02}:00Z", day.clamp(1, 28), id.len() % 60),
    });
    if let Some(r) = reply_to {
        value["reply_to"] = serde_json::Value::String(r.to_string());
    }
    value.to_string()
}

/// The agency's post `a1` and `n` distinct people asking about it.
pub fn questions(n: usize, prefix: &str) -> Vec<String> {
    let mut lines = vec![post(
        "a1",
        "cityhall",
        "The new recycling schedule starts on Monday.",
        None,
        1,
    )];
    for i in 0..n {
        lines.push(post(
            &format!("{prefix}{i}"),
            &format!("{prefix}person{i}"),
            &format!("Which day is pickup on street number {i} from now on?"),
            Some("a1"),
            2,
        ));
    }
    lines
}
