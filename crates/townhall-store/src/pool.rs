//! A small pool of read-only connections: WAL lets readers run beside the one writer.

use crate::StoreError;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub(crate) struct ReadPool {
    conns: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl ReadPool {
    pub(crate) fn open(path: &Path, size: usize) -> Result<ReadPool, StoreError> {
        let mut conns = Vec::with_capacity(size);
        for _ in 0..size {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|source| StoreError::Open {
                path: path.to_path_buf(),
                source,
            })?;
            conn.busy_timeout(std::time::Duration::from_secs(10))?;
            conns.push(Mutex::new(conn));
        }
        Ok(ReadPool {
            conns,
            next: AtomicUsize::new(0),
        })
    }

    /// Run `f` on a free connection (or wait for the next one in turn).
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        for conn in &self.conns {
            if let Ok(guard) = conn.try_lock() {
                return f(&guard);
            }
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.conns.len();
        let guard = self.conns[i].lock().map_err(|_| StoreError::Poisoned)?;
        f(&guard)
    }
}
