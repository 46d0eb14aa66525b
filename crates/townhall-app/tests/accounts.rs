#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Accounts, sessions, rate limiting and the audit log over a real SQLite store.

use std::time::Duration;
use townhall_app::accounts::Accounts;
use townhall_app::accounts::{AuditFormat, LoginLimits, NewUser, SessionUser, MIN_PASSWORD_CHARS};
use townhall_app::{AppError, Store};
use townhall_core::{Permission, Role};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

/// The first admin, signed in and with a password of their own.
fn admin(accounts: &Accounts, store: &Store) -> SessionUser {
    let first = accounts
        .ensure_first_admin(store, "admin")
        .unwrap()
        .expect("no accounts yet");
    let session = accounts
        .login(store, "admin", &first.password, "127.0.0.1")
        .unwrap();
    assert!(session.user.must_change_password);
    accounts
        .change_password(
            store,
            &session.user,
            &first.password,
            "a long admin passphrase",
        )
        .unwrap();
    accounts
        .login(store, "admin", "a long admin passphrase", "127.0.0.1")
        .unwrap()
        .user
}

#[test]
fn first_run_creates_one_admin_whose_password_is_stored_as_argon2id() {
    let (dir, store) = store();
    let accounts = Accounts::new();
    let first = accounts
        .ensure_first_admin(&store, "admin")
        .unwrap()
        .unwrap();
    assert_eq!(first.password.len(), 20);
    // Only once.
    assert!(accounts
        .ensure_first_admin(&store, "someone")
        .unwrap()
        .is_none());
    assert_eq!(store.user_count().unwrap(), 1);

    // What is on disk is an argon2id hash, not the password.
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("townhall.sqlite")).unwrap();
    let hash: String = conn
        .query_row(
            "SELECT password_hash FROM users WHERE username = 'admin'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains(&first.password));
    // Session tokens are not on disk either: only their hashes.
    drop(conn);
    let store = Store::open(dir.path()).unwrap();
    let session = accounts
        .login(&store, "ADMIN", &first.password, "10.0.0.1")
        .unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("townhall.sqlite")).unwrap();
    let stored: String = conn
        .query_row("SELECT token_hash FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, session.token);
    assert_eq!(stored.len(), 64);
}

#[test]
fn login_sessions_and_logout() {
    let (_dir, store) = store();
    let accounts = Accounts::new();
    let admin = admin(&accounts, &store);
    assert_eq!(admin.role, Role::Admin);
    assert!(!admin.must_change_password);

    let session = accounts
        .login(&store, "admin", "a long admin passphrase", "127.0.0.1")
        .unwrap();
    let seen = accounts.session(&store, &session.token).unwrap().unwrap();
    assert_eq!(seen.username, "admin");
    assert_eq!(seen.csrf_token, session.user.csrf_token);
    assert_eq!(seen.csrf_token.len(), 64);
    // A made-up token is nobody.
    assert!(accounts.session(&store, &"0".repeat(64)).unwrap().is_none());
    assert!(accounts.session(&store, "short").unwrap().is_none());

    accounts.logout(&store, &seen, &session.token).unwrap();
    assert!(accounts.session(&store, &session.token).unwrap().is_none());

    assert!(matches!(
        accounts.login(&store, "admin", "wrong password!!", "127.0.0.1"),
        Err(AppError::Unauthorized)
    ));
    assert!(matches!(
        accounts.login(&store, "nobody", "whatever at all", "127.0.0.1"),
        Err(AppError::Unauthorized)
    ));
}

#[test]
fn repeated_failures_lock_the_account_name_for_a_while() {
    let (_dir, store) = store();
    let limits = LoginLimits {
        per_account: 3,
        per_client: 100,
        window: Duration::from_millis(1500),
    };
    let accounts = Accounts::with_limits(limits);
    let _admin = admin(&accounts, &store);
    for _ in 0..3 {
        assert!(matches!(
            accounts.login(&store, "admin", "guess guess guess", "192.0.2.7"),
            Err(AppError::Unauthorized)
        ));
    }
    // Now even the right password is refused, from any client.
    let refused = accounts.login(&store, "admin", "a long admin passphrase", "198.51.100.1");
    assert!(
        matches!(refused, Err(AppError::TooManyAttempts { retry_after_secs }) if retry_after_secs >= 1),
        "{refused:?}"
    );
    std::thread::sleep(Duration::from_millis(1600));
    assert!(accounts
        .login(&store, "admin", "a long admin passphrase", "198.51.100.1")
        .is_ok());

    // One client guessing many names is stopped too.
    let per_client = Accounts::with_limits(LoginLimits {
        per_account: 100,
        per_client: 4,
        window: Duration::from_secs(60),
    });
    for name in ["a1", "a2", "a3", "a4"] {
        assert!(per_client
            .login(&store, name, "guess guess guess", "203.0.113.9")
            .is_err());
    }
    assert!(matches!(
        per_client.login(&store, "admin", "a long admin passphrase", "203.0.113.9"),
        Err(AppError::TooManyAttempts { .. })
    ));
    assert!(per_client
        .login(&store, "admin", "a long admin passphrase", "203.0.113.10")
        .is_ok());
}

#[test]
fn only_admins_manage_accounts_and_changes_end_sessions() {
    let (_dir, store) = store();
    let accounts = Accounts::new();
    let admin = admin(&accounts, &store);
    let (analyst, password) = accounts
        .create_user(
            &store,
            &admin,
            &NewUser {
                username: "ana".into(),
                display_name: "Ana Analyst".into(),
                role: Role::Analyst,
                team: Some("Digital engagement".into()),
            },
        )
        .unwrap();
    assert_eq!(analyst.team.as_deref(), Some("Digital engagement"));
    assert!(analyst.must_change_password);
    assert!(password.len() >= MIN_PASSWORD_CHARS);
    assert_eq!(store.teams().unwrap(), vec!["Digital engagement"]);
    // Same name twice: refused.
    let again = accounts.create_user(
        &store,
        &admin,
        &NewUser {
            username: "ANA".into(),
            display_name: "Other".into(),
            role: Role::Viewer,
            team: None,
        },
    );
    assert!(again.is_err());

    let ana = accounts
        .login(&store, "ana", &password, "127.0.0.1")
        .unwrap();
    // The analyst cannot manage accounts or read the audit log.
    let denied = accounts.create_user(
        &store,
        &ana.user,
        &NewUser {
            username: "mallory".into(),
            display_name: "M".into(),
            role: Role::Admin,
            team: None,
        },
    );
    assert!(matches!(
        denied,
        Err(AppError::Forbidden {
            permission: Permission::ManageUsers
        })
    ));
    assert!(matches!(
        accounts.set_role(&store, &ana.user, "ana", Role::Admin),
        Err(AppError::Forbidden { .. })
    ));
    assert!(matches!(
        accounts.audit_page(&store, &ana.user, None, 10),
        Err(AppError::Forbidden {
            permission: Permission::ReadAudit
        })
    ));

    // Role changes apply to the live session; disabling ends it.
    accounts
        .set_role(&store, &admin, "ana", Role::Responder)
        .unwrap();
    let live = accounts.session(&store, &ana.token).unwrap().unwrap();
    assert_eq!(live.role, Role::Responder);
    accounts.set_disabled(&store, &admin, "ana", true).unwrap();
    assert!(accounts.session(&store, &ana.token).unwrap().is_none());
    assert!(matches!(
        accounts.login(&store, "ana", &password, "127.0.0.1"),
        Err(AppError::Unauthorized)
    ));
    accounts.set_disabled(&store, &admin, "ana", false).unwrap();
    let reset = accounts.reset_password(&store, &admin, "ana").unwrap();
    assert!(accounts
        .login(&store, "ana", &password, "127.0.0.1")
        .is_err());
    assert!(accounts.login(&store, "ana", &reset, "127.0.0.1").is_ok());

    // Admins cannot lock themselves out.
    assert!(accounts
        .set_disabled(&store, &admin, "admin", true)
        .is_err());
    assert!(accounts
        .set_role(&store, &admin, "admin", Role::Viewer)
        .is_err());
}

#[test]
fn every_change_is_in_the_append_only_audit_log_and_exports() {
    let (dir, store) = store();
    let accounts = Accounts::new();
    let admin = admin(&accounts, &store);
    let (_, password) = accounts
        .create_user(
            &store,
            &admin,
            &NewUser {
                username: "rita".into(),
                display_name: "Rita Responder".into(),
                role: Role::Responder,
                team: Some("Service desk".into()),
            },
        )
        .unwrap();
    accounts
        .set_role(&store, &admin, "rita", Role::Moderator)
        .unwrap();
    let _ = accounts.login(&store, "rita", "not her password", "127.0.0.1");
    let rita = accounts
        .login(&store, "rita", &password, "127.0.0.1")
        .unwrap();
    accounts
        .change_password(&store, &rita.user, &password, "rita's own long passphrase")
        .unwrap();

    let page = accounts.audit_page(&store, &admin, None, 100).unwrap();
    let actions: Vec<(&str, &str, &str)> = page
        .iter()
        .rev()
        .map(|r| (r.actor.as_str(), r.action.as_str(), r.target.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("townhall", "account.create", "admin"),
            ("admin", "session.login", "admin"),
            ("admin", "account.password", "admin"),
            ("admin", "session.login", "admin"),
            ("admin", "account.create", "rita"),
            ("admin", "account.role", "rita"),
            ("rita", "session.login_refused", "rita"),
            ("rita", "session.login", "rita"),
            ("rita", "account.password", "rita"),
        ]
    );
    let role_change = page.iter().find(|r| r.action == "account.role").unwrap();
    assert_eq!(role_change.detail, "responder -> moderator");
    assert_eq!(role_change.actor_id, Some(admin.id));
    assert!(page
        .windows(2)
        .all(|w| w[0].at >= w[1].at && w[0].id > w[1].id));
    // Paging: older than the third newest.
    let older = accounts
        .audit_page(&store, &admin, Some(page[2].id), 2)
        .unwrap();
    assert_eq!(older, page[3..5].to_vec());

    let mut csv = Vec::new();
    let rows = accounts
        .export_audit(&store, &admin, AuditFormat::Csv, &mut csv)
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(rows, 10, "nine changes and the export itself");
    assert_eq!(csv.lines().count(), 11);
    assert!(csv.starts_with("id,at,actor_id,actor,action,target,detail\n"));
    assert!(csv.contains(",admin,account.role,rita,responder -> moderator"));
    let mut jsonl = Vec::new();
    accounts
        .export_audit(&store, &admin, AuditFormat::Jsonl, &mut jsonl)
        .unwrap();
    let last: serde_json::Value =
        serde_json::from_str(String::from_utf8(jsonl).unwrap().lines().last().unwrap()).unwrap();
    assert_eq!(last["action"], "audit.export");

    // The log cannot be edited or trimmed, even with SQL on the file.
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("townhall.sqlite")).unwrap();
    let update = conn.execute("UPDATE audit_log SET actor = 'nobody'", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = conn.execute("DELETE FROM audit_log", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    let count: i64 = conn
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 11);
}
