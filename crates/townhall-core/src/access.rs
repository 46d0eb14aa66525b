//! Who may do what: the roles of Townhall's staff and the permissions each grants. The server checks a
//! permission for every route; this table is the one place that says which role has it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A staff member's role. Roles are cumulative only where stated in [`Role::allows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages accounts, teams, channels and settings; reads the audit log.
    Admin,
    /// Imports data, explores it, tracks topics.
    Analyst,
    /// Answers the public from the inbox.
    Responder,
    /// Moderates consultations and ideas.
    Moderator,
    /// Reads dashboards and searches.
    Viewer,
}

/// Something a route does that not everyone may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Dashboards, search, posts and threads.
    Read,
    /// Import files into the store.
    Import,
    /// Save and remove tracked topics.
    ManageTrackedTopics,
    /// Change a channel's settings (ownership, handles, redaction).
    ManageChannels,
    /// Work on inbox cases.
    Respond,
    /// Moderate consultation statements, and approve replies for teams whose replies need approval.
    Moderate,
    /// Create consultations, change their settings and phases, add seed statements, import and export them.
    RunConsultations,
    /// Run strategies: take the readiness assessment, set goals and phases.
    ManageStrategies,
    /// Submit ideas, vote and comment on them.
    ContributeIdeas,
    /// Move ideas through their stages, give them owners and strategies, merge duplicates.
    ManageIdeas,
    /// Create accounts and teams, change roles, disable accounts.
    ManageUsers,
    /// Read and export the audit log.
    ReadAudit,
    /// Change instance settings.
    ManageSettings,
}

impl Permission {
    pub const ALL: [Permission; 13] = [
        Permission::Read,
        Permission::Import,
        Permission::ManageTrackedTopics,
        Permission::ManageChannels,
        Permission::Respond,
        Permission::Moderate,
        Permission::RunConsultations,
        Permission::ManageStrategies,
        Permission::ContributeIdeas,
        Permission::ManageIdeas,
        Permission::ManageUsers,
        Permission::ReadAudit,
        Permission::ManageSettings,
    ];
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Analyst,
        Role::Responder,
        Role::Moderator,
        Role::Viewer,
    ];

    /// Whether this role grants `permission`. Everyone reads and contributes ideas; only admins manage people, channels and
    /// settings or read the audit log.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Analyst => matches!(
                permission,
                Read | Import
                    | ManageTrackedTopics
                    | RunConsultations
                    | ManageStrategies
                    | ContributeIdeas
            ),
            Role::Responder => matches!(permission, Read | Respond | ContributeIdeas),
            Role::Moderator => {
                matches!(
                    permission,
                    Read | Moderate | RunConsultations | ContributeIdeas | ManageIdeas
                )
            }
            Role::Viewer => matches!(permission, Read | ContributeIdeas),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Analyst => "analyst",
            Role::Responder => "responder",
            Role::Moderator => "moderator",
            Role::Viewer => "viewer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one of Townhall's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}: use admin, analyst, responder, moderator or viewer")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            assert_eq!(role.to_string().to_uppercase().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn only_admins_manage_people_and_read_the_audit_log() {
        for role in Role::ALL {
            assert!(role.allows(Permission::Read), "{role} reads");
            for permission in [
                Permission::ManageUsers,
                Permission::ReadAudit,
                Permission::ManageSettings,
                Permission::ManageChannels,
            ] {
                assert_eq!(
                    role.allows(permission),
                    role == Role::Admin,
                    "{role} {permission:?}"
                );
            }
        }
        assert!(Role::Analyst.allows(Permission::Import));
        assert!(!Role::Viewer.allows(Permission::Import));
        assert!(Role::Responder.allows(Permission::Respond));
        assert!(!Role::Analyst.allows(Permission::Respond));
        assert!(Role::Moderator.allows(Permission::Moderate));
        assert!(!Role::Responder.allows(Permission::Moderate));
    }
}
