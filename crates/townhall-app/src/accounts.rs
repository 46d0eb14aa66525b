//! Staff accounts: first-run admin, argon2id passwords, sessions with CSRF tokens, login rate limiting,
//! role checks, and the audit log of every change (who, what, when), readable and exportable by admins.

use crate::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use once_cell::sync::Lazy;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use townhall_core::{Permission, Role};
use townhall_store::{
    AuditEntry, AuditRecord, NewUserRecord, SessionRecord, Store, StoreError, UserChange,
    UserRecord,
};

/// Shortest password accepted (NIST SP 800-63B asks for at least 8; staff accounts get more).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted, in bytes: hashing cost must not be steerable by the client.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// Longest user name.
pub const MAX_USERNAME_CHARS: usize = 64;
/// How long a session lasts after login.
pub const SESSION_HOURS: i64 = 12;
/// Characters of generated one-time passwords (no 0/O, 1/l/I look-alikes): 32 symbols, 5 bits each.
const PASSWORD_ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz23456789-";
/// 20 symbols × 5 bits = 100 bits.
const GENERATED_PASSWORD_CHARS: usize = 20;

/// Login attempts allowed before refusing, and over which window.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    /// Failed attempts per account name within the window.
    pub per_account: usize,
    /// Failed attempts per client (address) within the window.
    pub per_client: usize,
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_account: 5,
            per_client: 20,
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// The signed-in staff member behind a request.
#[derive(Debug, Clone, Serialize)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: Option<String>,
    pub must_change_password: bool,
    /// The token every form of this session must send back.
    #[serde(skip)]
    pub csrf_token: String,
}

impl SessionUser {
    pub fn can(&self, permission: Permission) -> bool {
        self.role.allows(permission)
    }

    /// `Forbidden` unless this user's role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden { permission })
        }
    }

    fn audit<'a>(&'a self, action: &'a str, target: &'a str, detail: &'a str) -> AuditEntry<'a> {
        AuditEntry {
            actor_id: Some(self.id),
            actor: &self.username,
            action,
            target,
            detail,
        }
    }

    fn from_record(record: SessionRecord) -> SessionUser {
        SessionUser::signed_in(record.user, record.csrf_token)
    }

    fn signed_in(user: UserRecord, csrf_token: String) -> SessionUser {
        SessionUser {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            role: user.role,
            team: user.team,
            must_change_password: user.must_change_password,
            csrf_token,
        }
    }
}

/// A session just started: the token goes to the client (as a cookie) and nowhere else.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub user: SessionUser,
    /// Milliseconds since the Unix epoch.
    pub expires_at: i64,
}

/// The first administrator, created on first run with a one-time password to print once.
#[derive(Debug, Clone)]
pub struct FirstAdmin {
    pub username: String,
    pub password: String,
}

/// An account an administrator creates.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: Option<String>,
}

/// Formats of the audit export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditFormat {
    Csv,
    Jsonl,
}

/// Failed logins in the recent window, per account name and per client.
#[derive(Default)]
struct Failures {
    by_account: HashMap<String, VecDeque<Instant>>,
    by_client: HashMap<String, VecDeque<Instant>>,
}

impl Failures {
    fn recent(map: &mut HashMap<String, VecDeque<Instant>>, key: &str, window: Duration) -> usize {
        let Some(times) = map.get_mut(key) else {
            return 0;
        };
        while times.front().is_some_and(|t| t.elapsed() >= window) {
            times.pop_front();
        }
        let count = times.len();
        if count == 0 {
            map.remove(key);
        }
        count
    }

    /// Seconds until the oldest failure that keeps `key` blocked leaves the window.
    fn retry_after(map: &HashMap<String, VecDeque<Instant>>, key: &str, window: Duration) -> u64 {
        map.get(key)
            .and_then(|times| times.front())
            .map_or(1, |oldest| {
                window.saturating_sub(oldest.elapsed()).as_secs().max(1)
            })
    }
}

/// Accounts, sessions and the audit log over a store.
pub struct Accounts {
    limits: LoginLimits,
    failures: Mutex<Failures>,
    hasher: Argon2<'static>,
}

impl Default for Accounts {
    fn default() -> Self {
        Self::new()
    }
}

/// Verified against when an account does not exist, so that a wrong name takes as long as a wrong password.
static DUMMY_HASH: Lazy<Option<String>> = Lazy::new(|| {
    let password = random_password().ok()?;
    hash_with(&Argon2::default(), &password).ok()
});

impl Accounts {
    pub fn new() -> Self {
        Self::with_limits(LoginLimits::default())
    }

    pub fn with_limits(limits: LoginLimits) -> Self {
        Accounts {
            limits,
            failures: Mutex::new(Failures::default()),
            // argon2id, 19 MiB, 2 passes, 1 lane: OWASP's recommended minimum.
            hasher: Argon2::default(),
        }
    }

    /// On first run (no accounts yet) create the administrator `username` with a one-time password that
    /// must be changed at first login; `None` when accounts exist.
    pub fn ensure_first_admin(
        &self,
        store: &Store,
        username: &str,
    ) -> Result<Option<FirstAdmin>, AppError> {
        if store.user_count()? > 0 {
            return Ok(None);
        }
        check_username(username)?;
        let password = random_password()?;
        let hash = hash_with(&self.hasher, &password)?;
        store.create_user(
            &NewUserRecord {
                username,
                display_name: "Administrator",
                password_hash: &hash,
                role: Role::Admin,
                team: None,
                must_change_password: true,
            },
            &AuditEntry {
                actor_id: None,
                actor: "townhall",
                action: "account.create",
                target: username,
                detail: "first administrator, one-time password",
            },
        )?;
        Ok(Some(FirstAdmin {
            username: username.to_string(),
            password,
        }))
    }

    /// Check a name and password and start a session. `client` (the remote address) is rate-limited
    /// alongside the account name; refusals are audited.
    pub fn login(
        &self,
        store: &Store,
        username: &str,
        password: &str,
        client: &str,
    ) -> Result<NewSession, AppError> {
        let account_key = username.trim().to_lowercase();
        let shown_name: String = username.trim().chars().take(MAX_USERNAME_CHARS).collect();
        {
            let mut failures = self.failures.lock().map_err(|_| AppError::Poisoned)?;
            let window = self.limits.window;
            let by_account = Failures::recent(&mut failures.by_account, &account_key, window);
            let by_client = Failures::recent(&mut failures.by_client, client, window);
            if by_account >= self.limits.per_account || by_client >= self.limits.per_client {
                let retry_after_secs = if by_account >= self.limits.per_account {
                    Failures::retry_after(&failures.by_account, &account_key, window)
                } else {
                    Failures::retry_after(&failures.by_client, client, window)
                };
                drop(failures);
                store.append_audit(&AuditEntry {
                    actor_id: None,
                    actor: &shown_name,
                    action: "session.login_refused",
                    target: &shown_name,
                    detail: &format!("too many failed attempts; client {client}"),
                })?;
                return Err(AppError::TooManyAttempts { retry_after_secs });
            }
        }
        let user = if password.len() > MAX_PASSWORD_BYTES || username.len() > 4 * MAX_USERNAME_CHARS
        {
            None
        } else {
            store.user_by_name(username.trim())?
        };
        let verified = match &user {
            Some(user) => verify(&self.hasher, password, &user.password_hash),
            None => {
                // Same work as for a real account, then refuse.
                if let Some(dummy) = DUMMY_HASH.as_deref() {
                    verify(&self.hasher, password, dummy);
                }
                false
            }
        };
        let user = match user {
            Some(user) if verified && !user.disabled => user,
            other => {
                let reason = match other {
                    Some(user) if verified && user.disabled => "account disabled",
                    _ => "wrong name or password",
                };
                {
                    let mut failures = self.failures.lock().map_err(|_| AppError::Poisoned)?;
                    let now = Instant::now();
                    failures
                        .by_account
                        .entry(account_key)
                        .or_default()
                        .push_back(now);
                    failures
                        .by_client
                        .entry(client.to_string())
                        .or_default()
                        .push_back(now);
                }
                store.append_audit(&AuditEntry {
                    actor_id: None,
                    actor: &shown_name,
                    action: "session.login_refused",
                    target: &shown_name,
                    detail: &format!("{reason}; client {client}"),
                })?;
                return Err(AppError::Unauthorized);
            }
        };
        if let Ok(mut failures) = self.failures.lock() {
            failures.by_account.remove(&account_key);
        }
        let token = random_hex(32)?;
        let csrf_token = random_hex(32)?;
        let expires_at = chrono::Utc::now().timestamp_millis() + SESSION_HOURS * 3_600_000;
        store.create_session(
            &token_hash(&token),
            user.id,
            &csrf_token,
            expires_at,
            &AuditEntry {
                actor_id: Some(user.id),
                actor: &user.username,
                action: "session.login",
                target: &user.username,
                detail: &format!("client {client}"),
            },
        )?;
        Ok(NewSession {
            token,
            expires_at,
            user: SessionUser::signed_in(user, csrf_token),
        })
    }

    /// The signed-in user of a session token, if the session is live and the account enabled.
    pub fn session(&self, store: &Store, token: &str) -> Result<Option<SessionUser>, AppError> {
        if token.len() != 64 {
            return Ok(None);
        }
        let now = chrono::Utc::now().timestamp_millis();
        Ok(store
            .session(&token_hash(token), now)?
            .map(SessionUser::from_record))
    }

    /// End the session of `token`.
    pub fn logout(&self, store: &Store, user: &SessionUser, token: &str) -> Result<(), AppError> {
        store.end_session(
            &token_hash(token),
            &user.audit("session.logout", &user.username, ""),
        )?;
        Ok(())
    }

    /// Create an account (admins only); returns it with a one-time password to hand over.
    pub fn create_user(
        &self,
        store: &Store,
        actor: &SessionUser,
        new: &NewUser,
    ) -> Result<(UserRecord, String), AppError> {
        actor.require(Permission::ManageUsers)?;
        check_username(&new.username)?;
        let display_name = new.display_name.trim();
        if display_name.is_empty() || display_name.chars().count() > 100 {
            return Err(AppError::Invalid(
                "display name: give 1 to 100 characters".into(),
            ));
        }
        let team = new.team.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if team.is_some_and(|t| t.chars().count() > 100) {
            return Err(AppError::Invalid("team: at most 100 characters".into()));
        }
        let password = random_password()?;
        let hash = hash_with(&self.hasher, &password)?;
        let detail = format!("role {}; team {}", new.role, team.unwrap_or("none"));
        let user = store.create_user(
            &NewUserRecord {
                username: &new.username,
                display_name,
                password_hash: &hash,
                role: new.role,
                team,
                must_change_password: true,
            },
            &actor.audit("account.create", &new.username, &detail),
        )?;
        Ok((user, password))
    }

    /// Give an account another role (admins only; nobody demotes themselves, so one admin always remains).
    pub fn set_role(
        &self,
        store: &Store,
        actor: &SessionUser,
        username: &str,
        role: Role,
    ) -> Result<UserRecord, AppError> {
        actor.require(Permission::ManageUsers)?;
        let user = self.existing(store, username)?;
        if user.id == actor.id && role != Role::Admin {
            return Err(AppError::Invalid(
                "you cannot take the admin role from yourself; ask another admin".into(),
            ));
        }
        let detail = format!("{} -> {}", user.role, role);
        Ok(store.change_user(
            user.id,
            &UserChange::Role(role),
            &actor.audit("account.role", &user.username, &detail),
        )?)
    }

    /// Disable (ending its sessions) or re-enable an account (admins only, never their own).
    pub fn set_disabled(
        &self,
        store: &Store,
        actor: &SessionUser,
        username: &str,
        disabled: bool,
    ) -> Result<UserRecord, AppError> {
        actor.require(Permission::ManageUsers)?;
        let user = self.existing(store, username)?;
        if user.id == actor.id {
            return Err(AppError::Invalid(
                "you cannot disable your own account".into(),
            ));
        }
        let action = if disabled {
            "account.disable"
        } else {
            "account.enable"
        };
        Ok(store.change_user(
            user.id,
            &UserChange::Disabled(disabled),
            &actor.audit(action, &user.username, ""),
        )?)
    }

    /// Replace a user's password with a new one-time password (admins only); ends their sessions.
    pub fn reset_password(
        &self,
        store: &Store,
        actor: &SessionUser,
        username: &str,
    ) -> Result<String, AppError> {
        actor.require(Permission::ManageUsers)?;
        let user = self.existing(store, username)?;
        let password = random_password()?;
        let hash = hash_with(&self.hasher, &password)?;
        store.change_user(
            user.id,
            &UserChange::Password {
                hash: &hash,
                must_change: true,
            },
            &actor.audit("account.password_reset", &user.username, ""),
        )?;
        Ok(password)
    }

    /// Change one's own password (the current one is checked); ends every session of the account, so the
    /// caller logs in again.
    pub fn change_password(
        &self,
        store: &Store,
        user: &SessionUser,
        current: &str,
        new: &str,
    ) -> Result<(), AppError> {
        let record = self.existing(store, &user.username)?;
        if current.len() > MAX_PASSWORD_BYTES
            || !verify(&self.hasher, current, &record.password_hash)
        {
            return Err(AppError::Invalid(
                "current password: it is not right".into(),
            ));
        }
        check_new_password(new, &user.username)?;
        if new == current {
            return Err(AppError::Invalid(
                "new password: choose one different from the current one".into(),
            ));
        }
        let hash = hash_with(&self.hasher, new)?;
        store.change_user(
            record.id,
            &UserChange::Password {
                hash: &hash,
                must_change: false,
            },
            &user.audit("account.password", &user.username, ""),
        )?;
        Ok(())
    }

    pub fn users(&self, store: &Store, actor: &SessionUser) -> Result<Vec<UserRecord>, AppError> {
        actor.require(Permission::ManageUsers)?;
        Ok(store.users()?)
    }

    /// A page of the audit log, newest first (admins only).
    pub fn audit_page(
        &self,
        store: &Store,
        actor: &SessionUser,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Vec<AuditRecord>, AppError> {
        actor.require(Permission::ReadAudit)?;
        Ok(store.audit_page(before, limit.clamp(1, 1_000))?)
    }

    /// Write the whole audit log, oldest first, as CSV or JSON lines (admins only). The export itself is
    /// audited.
    pub fn export_audit(
        &self,
        store: &Store,
        actor: &SessionUser,
        format: AuditFormat,
        out: &mut dyn Write,
    ) -> Result<u64, AppError> {
        actor.require(Permission::ReadAudit)?;
        let label = match format {
            AuditFormat::Csv => "csv",
            AuditFormat::Jsonl => "jsonl",
        };
        store.append_audit(&actor.audit("audit.export", "audit log", label))?;
        let io = |e: std::io::Error| StoreError::Io {
            path: "audit export".into(),
            source: e,
        };
        let mut written = 0u64;
        if format == AuditFormat::Csv {
            writeln!(out, "id,at,actor_id,actor,action,target,detail").map_err(io)?;
        }
        store.audit_each(&mut |record| {
            match format {
                AuditFormat::Csv => {
                    let at = chrono::DateTime::from_timestamp_millis(record.at)
                        .map(|t| t.to_rfc3339())
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "{},{},{},{},{},{},{}",
                        record.id,
                        at,
                        record.actor_id.map(|i| i.to_string()).unwrap_or_default(),
                        csv_field(&record.actor),
                        csv_field(&record.action),
                        csv_field(&record.target),
                        csv_field(&record.detail)
                    )
                    .map_err(io)?;
                }
                AuditFormat::Jsonl => {
                    let line = serde_json::to_string(&record)
                        .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
                    writeln!(out, "{line}").map_err(io)?;
                }
            }
            written += 1;
            Ok(())
        })?;
        Ok(written)
    }

    fn existing(&self, store: &Store, username: &str) -> Result<UserRecord, AppError> {
        store
            .user_by_name(username.trim())?
            .ok_or_else(|| AppError::Invalid(format!("no account named {username:?}")))
    }
}

/// A fresh random token for a form that has no session yet (the sign-in form).
pub fn new_form_token() -> Result<String, AppError> {
    random_hex(32)
}

/// Whether a form's CSRF token is the session's, compared in constant time.
pub fn csrf_matches(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn check_username(username: &str) -> Result<(), AppError> {
    let ok = !username.is_empty()
        && username.chars().count() <= MAX_USERNAME_CHARS
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(())
    } else {
        Err(AppError::Invalid(format!(
            "user name: 1 to {MAX_USERNAME_CHARS} letters, digits, '.', '_', '-' or '@'"
        )))
    }
}

fn check_new_password(password: &str, username: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::Invalid(format!(
            "new password: at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::Invalid(format!(
            "new password: at most {MAX_PASSWORD_BYTES} bytes"
        )));
    }
    if password.eq_ignore_ascii_case(username) {
        return Err(AppError::Invalid(
            "new password: must not be the user name".into(),
        ));
    }
    Ok(())
}

fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Invalid(format!("the system gave no random numbers: {e}")))?;
    Ok(bytes)
}

fn random_hex(bytes: usize) -> Result<String, AppError> {
    let raw: [u8; 64] = random_bytes()?;
    Ok(raw[..bytes.min(64)]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn random_password() -> Result<String, AppError> {
    let raw: [u8; GENERATED_PASSWORD_CHARS] = random_bytes()?;
    Ok(raw
        .iter()
        .map(|b| char::from(PASSWORD_ALPHABET[usize::from(b & 31)]))
        .collect())
}

fn hash_with(hasher: &Argon2<'_>, password: &str) -> Result<String, AppError> {
    let salt_bytes: [u8; 16] = random_bytes()?;
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| AppError::Invalid(format!("password salt: {e}")))?;
    hasher
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Invalid(format!("password hashing failed: {e}")))
}

fn verify(hasher: &Argon2<'_>, password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| hasher.verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn csv_field(value: &str) -> String {
    // Cells starting with = + - @ are formulas to a spreadsheet: prefix them so an exported log
    // cannot run anything when opened.
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_long_and_unambiguous() {
        let a = random_password().expect("random");
        let b = random_password().expect("random");
        assert_eq!(a.len(), GENERATED_PASSWORD_CHARS);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| PASSWORD_ALPHABET.contains(&c)));
        assert!(check_new_password(&a, "admin").is_ok());
    }

    #[test]
    fn csrf_tokens_compare_exactly() {
        assert!(csrf_matches("abc123", "abc123"));
        assert!(!csrf_matches("abc123", "abc124"));
        assert!(!csrf_matches("abc123", "abc12"));
        assert!(!csrf_matches("", ""));
    }

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
    }

    #[test]
    fn usernames_and_passwords_are_checked() {
        assert!(check_username("ana.lopez@agency").is_ok());
        assert!(check_username("").is_err());
        assert!(check_username("<script>").is_err());
        assert!(check_new_password("short", "x").is_err());
        assert!(check_new_password("Administrator", "administrator").is_err());
        assert!(check_new_password("correct horse battery", "ana").is_ok());
    }
}
