//! Pseudonymous author ids: a keyed hash of the platform identity, so the same person is the same
//! pseudonym across imports, but the store does not keep who they are unless the channel allows it.

use crate::StoreError;
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

const KEY_SETTING: &str = "pseudonym_key";

pub(crate) type Key = [u8; 32];

pub(crate) fn load_or_create_key(conn: &Connection) -> Result<Key, StoreError> {
    load_or_create_named_key(conn, KEY_SETTING)
}

/// A random key kept in the settings table under `name`, made on first use.
pub(crate) fn load_or_create_named_key(conn: &Connection, name: &str) -> Result<Key, StoreError> {
    let stored: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(hex) = stored.as_deref().and_then(decode_hex) {
        return Ok(hex);
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| StoreError::Random(e.to_string()))?;
    conn.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
        (name, encode_hex(&key)),
    )?;
    Ok(key)
}

/// `p-` and 12 hex digits: short enough to read, long enough not to collide in practice.
pub(crate) fn pseudonym(key: &Key, platform: &str, identity: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(key);
    hasher.update(platform.as_bytes());
    hasher.update([0]);
    hasher.update(identity.to_lowercase().as_bytes());
    let digest = hasher.finalize();
    format!("p-{}", encode_hex(&digest[..6]))
}

fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(s: &str) -> Option<Key> {
    if s.len() != 64 {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_case_insensitive_and_keyed() {
        let k1 = [1u8; 32];
        let k2 = [2u8; 32];
        let a = pseudonym(&k1, "x", "Alice");
        assert_eq!(a, pseudonym(&k1, "x", "alice"));
        assert_ne!(a, pseudonym(&k2, "x", "alice"));
        assert_ne!(a, pseudonym(&k1, "mastodon", "alice"));
        assert_eq!(a.len(), 14);
        assert_eq!(decode_hex(&encode_hex(&k1)), Some(k1));
    }
}
