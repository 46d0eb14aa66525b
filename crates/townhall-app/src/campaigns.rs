//! Idea campaigns: a strategy's call for ideas on one question. A campaign runs with employees first
//! (only employees' own ideas join it), then with the public (its public page takes ideas from anyone,
//! and ideas captured from public posts, cases and consultation statements join too), then closes.

use crate::actor::Actor;
use crate::AppError;
use serde::{Deserialize, Serialize};
use townhall_core::Permission;
use townhall_store::{CampaignRow, IdeaFilter, IdeaRow, NewCampaign, Store, StoreError};

pub const MAX_QUESTION_CHARS: usize = 500;
/// Ideas a campaign page lists.
const IDEAS_SHOWN: usize = 500;

/// Who a campaign hears from now.
pub const AUDIENCES: [(&str, &str); 3] = [
    ("employees", "Employees only"),
    ("public", "Employees and the public"),
    ("closed", "Closed"),
];

pub fn audience_label(audience: &str) -> &'static str {
    AUDIENCES
        .iter()
        .find(|(a, _)| *a == audience)
        .map_or("Unknown", |(_, l)| l)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CampaignInput {
    pub slug: String,
    pub title: String,
    pub question: String,
    #[serde(default)]
    pub strategy: Option<String>,
}

/// A campaign with its ideas and how far they got.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignView {
    pub campaign: CampaignRow,
    pub ideas: Vec<IdeaRow>,
    /// Ideas per stage, in pipeline order.
    pub stages: Vec<(String, u64)>,
}

fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 60
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub fn create(
    store: &Store,
    actor: &Actor,
    input: &CampaignInput,
) -> Result<CampaignRow, AppError> {
    actor.require(Permission::ManageIdeas)?;
    let slug = input.slug.trim();
    if !valid_slug(slug) {
        return Err(AppError::Invalid(
            "slug: 1 to 60 lower-case letters, digits and hyphens".into(),
        ));
    }
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > crate::ideas::MAX_TITLE_CHARS {
        return Err(AppError::Invalid(format!(
            "title: 1 to {} characters",
            crate::ideas::MAX_TITLE_CHARS
        )));
    }
    let question = input.question.trim();
    if question.is_empty() || question.chars().count() > MAX_QUESTION_CHARS {
        return Err(AppError::Invalid(format!(
            "question: 1 to {MAX_QUESTION_CHARS} characters"
        )));
    }
    let strategy = input
        .strategy
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    store
        .create_campaign(
            &NewCampaign {
                slug,
                title,
                question,
                strategy,
                created_by: &actor.name,
            },
            &actor.audit("campaign.create", slug, question),
        )
        .map_err(|e| match e {
            StoreError::Conflict(m) => AppError::Invalid(format!("slug: {m}")),
            e => e.into(),
        })?;
    store
        .campaign(slug)?
        .ok_or_else(|| AppError::from(StoreError::NotFound(format!("campaign {slug}"))))
}

pub fn list(store: &Store) -> Result<Vec<CampaignRow>, AppError> {
    Ok(store.campaigns()?)
}

pub fn view(store: &Store, key: &str) -> Result<CampaignView, AppError> {
    let campaign = store
        .campaign(key)?
        .ok_or_else(|| AppError::from(StoreError::NotFound(format!("idea campaign {key}"))))?;
    let ideas = store.ideas(&IdeaFilter {
        campaign_id: Some(campaign.id),
        limit: IDEAS_SHOWN,
        ..IdeaFilter::default()
    })?;
    let stages = townhall_engage::IdeaStage::ALL
        .iter()
        .map(|s| {
            let n = ideas.iter().filter(|i| i.stage == s.as_str()).count() as u64;
            (s.as_str().to_string(), n)
        })
        .collect();
    Ok(CampaignView {
        campaign,
        ideas,
        stages,
    })
}

pub fn set_audience(
    store: &Store,
    actor: &Actor,
    key: &str,
    audience: &str,
) -> Result<CampaignRow, AppError> {
    actor.require(Permission::ManageIdeas)?;
    if !AUDIENCES.iter().any(|(a, _)| *a == audience) {
        return Err(AppError::Invalid(
            "audience: employees, public or closed".into(),
        ));
    }
    let c = store
        .campaign(key)?
        .ok_or_else(|| AppError::from(StoreError::NotFound(format!("idea campaign {key}"))))?;
    store.set_campaign_audience(
        c.id,
        audience,
        &actor.audit("campaign.audience", &c.slug, audience),
    )?;
    store
        .campaign(&c.slug)?
        .ok_or_else(|| AppError::from(StoreError::NotFound(format!("idea campaign {key}"))))
}

/// The campaign's id if it takes an idea from this kind of source now; why not otherwise.
pub(crate) fn accepting(store: &Store, key: &str, source_kind: &str) -> Result<i64, AppError> {
    let c = store
        .campaign(key)?
        .ok_or_else(|| AppError::Invalid(format!("campaign: there is no idea campaign {key:?}")))?;
    match (c.audience.as_str(), source_kind) {
        ("closed", _) => Err(AppError::Invalid(format!(
            "campaign: {:?} is closed and takes no more ideas",
            c.title
        ))),
        ("employees", kind) if kind != "employee" => Err(AppError::Invalid(format!(
            "campaign: {:?} runs with employees only for now; ideas from public posts, cases and \
             statements join when it opens to the public",
            c.title
        ))),
        _ => Ok(c.id),
    }
}

/// Longest idea body from the public page.
pub const MAX_PUBLIC_BODY_CHARS: usize = 2_000;

/// Ideas sent by members of the public on a campaign's public page (`/i/{address}`): no account, a
/// limit per network address, and no personal data kept (an idea with any is sent back to be fixed).
pub struct PublicIdeas {
    per_address: crate::consultations::RateLimiter,
}

impl Default for PublicIdeas {
    /// Five ideas at once, then one a minute, from one address: enough for a family or an office
    /// behind one address, too few to flood the pipeline.
    fn default() -> Self {
        PublicIdeas {
            per_address: crate::consultations::RateLimiter::new(crate::consultations::Limit::new(
                1.0 / 60.0,
                5.0,
            )),
        }
    }
}

/// What the public page says after an idea is sent.
#[derive(Debug, Clone, Serialize)]
pub struct PublicIdeaOutcome {
    pub id: i64,
    pub message: String,
}

impl PublicIdeas {
    /// A campaign open to the public, as its public page shows it.
    pub fn open_campaign(&self, store: &Store, key: &str) -> Result<CampaignRow, AppError> {
        match store.campaign(key)? {
            Some(c) if c.audience == "public" => Ok(c),
            Some(c) if c.audience == "closed" => Err(AppError::NotOpen(format!(
                "\"{}\" is closed: thank you to everyone who sent an idea.",
                c.title
            ))),
            // A campaign still with employees is not shown to the public at all.
            _ => Err(StoreError::NotFound(format!("idea campaign {key}")).into()),
        }
    }

    pub fn submit(
        &self,
        store: &Store,
        key: &str,
        title: &str,
        body: &str,
        address: &str,
    ) -> Result<PublicIdeaOutcome, AppError> {
        let c = self.open_campaign(store, key)?;
        let title = title.trim();
        let body = body.trim();
        if title.is_empty() || title.chars().count() > crate::ideas::MAX_TITLE_CHARS {
            return Err(AppError::Invalid(format!(
                "title: write your idea in a line (up to {} characters)",
                crate::ideas::MAX_TITLE_CHARS
            )));
        }
        if body.chars().count() > MAX_PUBLIC_BODY_CHARS {
            return Err(AppError::Invalid(format!(
                "details: up to {MAX_PUBLIC_BODY_CHARS} characters"
            )));
        }
        let mut kinds: Vec<String> =
            townhall_analysis::personal_data::find(&format!("{title}\n{body}"))
                .iter()
                .map(|m| m.kind.as_str().to_string())
                .collect();
        kinds.sort();
        kinds.dedup();
        if !kinds.is_empty() {
            return Err(AppError::Invalid(format!(
                "personal data: please take out the {} and send it again; we do not keep personal details with ideas",
                kinds.join(", ").replace('_', " ")
            )));
        }
        self.per_address.take_or_refuse(
            &format!("a:{address}"),
            std::time::Instant::now(),
            "several ideas came from your network just now",
        )?;
        let id = store.create_idea(
            &townhall_store::NewIdea {
                title,
                body,
                source_kind: "public",
                source_ref: None,
                source_post: None,
                submitted_by_id: None,
                submitted_by: "a member of the public",
                strategy: c.strategy.as_deref(),
                campaign_id: Some(c.id),
            },
            &townhall_store::AuditEntry {
                actor_id: None,
                actor: "public",
                action: "idea.submit",
                target: "idea",
                detail: &c.slug,
            },
        )?;
        Ok(PublicIdeaOutcome {
            id,
            message: "Thank you. Your idea is with the team, who read every one.".into(),
        })
    }
}
