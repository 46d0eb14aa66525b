//! What every page's frame shows: who is signed in, the navigation their role may use, and the CSRF token
//! the sign-out form sends back.

use townhall_app::accounts::SessionUser;
use townhall_core::Permission;

pub(crate) struct Chrome {
    pub signed_in: bool,
    pub display_name: String,
    pub role: &'static str,
    pub csrf: String,
    pub manage_users: bool,
    pub read_audit: bool,
}

impl Chrome {
    pub(crate) fn of(user: Option<&SessionUser>) -> Chrome {
        match user {
            Some(user) => Chrome {
                signed_in: true,
                display_name: user.display_name.clone(),
                role: user.role.as_str(),
                csrf: user.csrf_token.clone(),
                manage_users: user.can(Permission::ManageUsers),
                read_audit: user.can(Permission::ReadAudit),
            },
            None => Chrome {
                signed_in: false,
                display_name: String::new(),
                role: "",
                csrf: String::new(),
                manage_users: false,
                read_audit: false,
            },
        }
    }
}
