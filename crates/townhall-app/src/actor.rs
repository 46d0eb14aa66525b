//! Who is acting: a signed-in person, or someone at the command line (who has the store's files, and so
//! acts as an admin). Every change the inbox and the idea pipeline make is audited under this name.

use crate::accounts::SessionUser;
use crate::AppError;
use townhall_core::{Permission, Role};
use townhall_store::AuditEntry;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The account, when there is one.
    pub id: Option<i64>,
    /// User name (or `cli:<login>`), as the audit log records it.
    pub name: String,
    /// What timelines show.
    pub display_name: String,
    pub role: Role,
    pub team: Option<String>,
}

impl Actor {
    /// Someone at the command line.
    pub fn cli(login: &str) -> Actor {
        Actor {
            id: None,
            name: format!("cli:{login}"),
            display_name: format!("{login} (command line)"),
            role: Role::Admin,
            team: None,
        }
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.role.allows(permission)
    }

    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden { permission })
        }
    }

    pub fn audit<'a>(
        &'a self,
        action: &'a str,
        target: &'a str,
        detail: &'a str,
    ) -> AuditEntry<'a> {
        AuditEntry {
            actor_id: self.id,
            actor: &self.name,
            action,
            target,
            detail,
        }
    }
}

impl From<&SessionUser> for Actor {
    fn from(user: &SessionUser) -> Actor {
        Actor {
            id: Some(user.id),
            name: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            team: user.team.clone(),
        }
    }
}

impl From<&townhall_store::UserRecord> for Actor {
    fn from(user: &townhall_store::UserRecord) -> Actor {
        Actor {
            id: Some(user.id),
            name: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            team: user.team.clone(),
        }
    }
}
