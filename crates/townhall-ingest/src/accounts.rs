//! The congresstweets accounts registry (`congresstweets-accounts.json`): entities (members,
//! committees, caucuses, parties) with their office and campaign accounts, joined to posts on
//! the Twitter user id.

use crate::IngestError;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// Whether an account is paid for by the office (the agency's own voice) or a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountType {
    Office,
    Campaign,
    Other,
}

impl AccountType {
    fn parse(s: &str) -> AccountType {
        match s {
            "office" => AccountType::Office,
            "campaign" => AccountType::Campaign,
            _ => AccountType::Other,
        }
    }

    /// What this says about whether posts are the institution's own: office → yes,
    /// campaign → no, anything else → unknown.
    pub fn own(self) -> Option<bool> {
        match self {
            AccountType::Office => Some(true),
            AccountType::Campaign => Some(false),
            AccountType::Other => None,
        }
    }
}

/// One account of the registry with the entity it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredAccount {
    pub user_id: String,
    pub screen_name: String,
    pub account_type: AccountType,
    /// `member`, `committee`, `caucus`, `party`.
    pub entity_type: String,
    pub entity_name: String,
    /// `house`, `senate`, `joint`.
    pub chamber: Option<String>,
    pub party: Option<String>,
    pub state: Option<String>,
    pub bioguide: Option<String>,
}

/// Lookup by Twitter user id. Cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct AccountsRegistry {
    by_user_id: Arc<HashMap<String, RegisteredAccount>>,
}

#[derive(Deserialize)]
struct RawEntity {
    name: String,
    #[serde(rename = "type")]
    entity_type: String,
    chamber: Option<String>,
    party: Option<String>,
    state: Option<String>,
    id: Option<RawEntityIds>,
    #[serde(default)]
    accounts: Vec<RawAccount>,
}

#[derive(Deserialize)]
struct RawEntityIds {
    bioguide: Option<String>,
}

#[derive(Deserialize)]
struct RawAccount {
    id: String,
    screen_name: String,
    account_type: String,
}

impl AccountsRegistry {
    pub fn from_json(json: &str) -> Result<AccountsRegistry, IngestError> {
        let entities: Vec<RawEntity> =
            serde_json::from_str(json).map_err(|e| IngestError::Registry {
                reason: e.to_string(),
            })?;
        let mut by_user_id = HashMap::new();
        for entity in entities {
            for account in entity.accounts {
                let registered = RegisteredAccount {
                    user_id: account.id.clone(),
                    screen_name: account.screen_name,
                    account_type: AccountType::parse(&account.account_type),
                    entity_type: entity.entity_type.clone(),
                    entity_name: entity.name.clone(),
                    chamber: entity.chamber.clone(),
                    party: entity.party.clone(),
                    state: entity.state.clone(),
                    bioguide: entity.id.as_ref().and_then(|ids| ids.bioguide.clone()),
                };
                by_user_id.insert(account.id, registered);
            }
        }
        Ok(AccountsRegistry {
            by_user_id: Arc::new(by_user_id),
        })
    }

    pub fn lookup(&self, user_id: &str) -> Option<&RegisteredAccount> {
        self.by_user_id.get(user_id)
    }

    /// `(entity type, entity name)` of the account, e.g. `("member", "Erik Paulsen")`.
    pub fn entity(&self, user_id: &str) -> Option<(&str, &str)> {
        self.lookup(user_id)
            .map(|a| (a.entity_type.as_str(), a.entity_name.as_str()))
    }

    pub fn len(&self) -> usize {
        self.by_user_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_user_id.is_empty()
    }
}
