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
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .and_then(|_| tx.pragma_update(None, "user_version", version))
            .map_err(|source| StoreError::Migration { version, source })?;
        tx.commit()?;
    }
    Ok(())
}
