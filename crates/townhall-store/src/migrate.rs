//! Embedded migrations, applied in order at start; the schema version lives in `PRAGMA user_version`.

use crate::StoreError;
use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/sqlite/0001_init.sql"),
    include_str!("../migrations/sqlite/0002_tracked_topics.sql"),
    include_str!("../migrations/sqlite/0003_accounts.sql"),
    include_str!("../migrations/sqlite/0004_cases.sql"),
    include_str!("../migrations/sqlite/0005_engage.sql"),
    include_str!("../migrations/sqlite/0006_consult.sql"),
    include_str!("../migrations/sqlite/0007_readiness.sql"),
    include_str!("../migrations/sqlite/0008_strategies.sql"),
    include_str!("../migrations/sqlite/0009_trials_campaigns.sql"),
    include_str!("../migrations/sqlite/0010_public_ideas.sql"),
    include_str!("../migrations/sqlite/0011_strategy_reviews.sql"),
];

pub(crate) fn run(conn: &mut Connection) -> Result<(), StoreError> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = MIGRATIONS.len() as u32;
    if current > known {
        return Err(StoreError::TooNew {
            found: current,
            known,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = i as u32 + 1;
        // Changing a constraint means rebuilding the table, which SQLite allows only with foreign keys
        // off (the pragma is ignored inside a transaction, so it is set around it); every reference is
        // checked again before the rebuild commits.
        let rebuilds = sql.starts_with(REBUILDS_TABLES);
        if rebuilds {
            conn.pragma_update(None, "foreign_keys", "OFF")?;
        }
        let applied = apply(conn, version, sql, rebuilds);
        if rebuilds {
            conn.pragma_update(None, "foreign_keys", "ON")?;
        }
        applied?;
    }
    Ok(())
}

/// The first line of a migration that rebuilds tables.
const REBUILDS_TABLES: &str = "-- townhall: rebuilds tables";

fn apply(conn: &mut Connection, version: u32, sql: &str, rebuilds: bool) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    tx.execute_batch(sql)
        .and_then(|_| tx.pragma_update(None, "user_version", version))
        .map_err(|source| StoreError::Migration { version, source })?;
    if rebuilds {
        let broken: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if broken > 0 {
            return Err(StoreError::Migration {
                version,
                source: rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                    Some(format!("{broken} rows would break a foreign key")),
                ),
            });
        }
    }
    tx.commit()?;
    Ok(())
}
