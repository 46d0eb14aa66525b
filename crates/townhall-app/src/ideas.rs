//! The idea pipeline: ideas captured from a post, a case, a consultation statement or an employee; similar
//! ideas offered for merging; votes and comments; stages from submitted to adopted or declined (with the
//! reason), an owner and a linked strategy; and news for the public source of an idea when its stage
//! changes, recorded in the outbox.

use crate::actor::Actor;
use crate::inbox::clip;
use crate::AppError;
use serde::{Deserialize, Serialize};
use townhall_core::Permission;
use townhall_engage::{idea_transition, IdeaStage, SimilarityIndex, MERGE_SUGGESTION_SCORE};
use townhall_store::{
    IdeaChange, IdeaDetail, IdeaFilter, IdeaRow, NewIdea, OutboxItem, Store, StoreError,
};

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 5_000;
/// Ideas compared when looking for similar ones.
const SIMILARITY_POOL: usize = 20_000;

/// Where an idea came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum IdeaSource {
    /// A stored post (store id).
    Post(i64),
    Case(i64),
    /// A consultation statement (its id).
    Statement(i64),
    Employee,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdeaInput {
    pub title: String,
    #[serde(default)]
    pub body: String,
    pub source: IdeaSource,
    pub strategy: Option<String>,
    /// The idea campaign it answers (its address), if any.
    #[serde(default)]
    pub campaign: Option<String>,
}

/// An idea like another, offered for merging.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimilarIdea {
    pub id: i64,
    pub title: String,
    pub stage: String,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct IdeaCreated {
    pub id: i64,
    pub similar: Vec<SimilarIdea>,
}

fn idea_text(title: &str, body: &str) -> String {
    format!("{title}\n{body}")
}

/// Ideas (not merged ones) like `text`, best first, leaving out `except`.
pub fn similar_ideas(
    store: &Store,
    text: &str,
    except: Option<i64>,
) -> Result<Vec<SimilarIdea>, AppError> {
    let pool = store.ideas(&IdeaFilter {
        limit: SIMILARITY_POOL,
        ..IdeaFilter::default()
    })?;
    let index = SimilarityIndex::new(
        pool.iter()
            .filter(|i| Some(i.id) != except)
            .map(|i| (i.id, idea_text(&i.title, &i.body))),
    );
    Ok(index
        .similar(text, 5, MERGE_SUGGESTION_SCORE)
        .into_iter()
        .filter_map(|(id, score)| {
            pool.iter().find(|i| i.id == id).map(|i| SimilarIdea {
                id,
                title: i.title.clone(),
                stage: i.stage.clone(),
                score: (score * 100.0).round() / 100.0,
            })
        })
        .collect())
}

/// Capture an idea. Returns it with the similar ideas already in the pipeline.
pub fn submit(store: &Store, actor: &Actor, input: &IdeaInput) -> Result<IdeaCreated, AppError> {
    actor.require(Permission::ContributeIdeas)?;
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Err(AppError::Invalid(format!(
            "title: 1 to {MAX_TITLE_CHARS} characters"
        )));
    }
    let body = clip(input.body.trim(), MAX_BODY_CHARS);
    let (kind, source_ref, source_post) = match input.source {
        IdeaSource::Post(id) => {
            store
                .post(id)?
                .ok_or_else(|| AppError::Invalid(format!("source: there is no post {id}")))?;
            ("post", Some(id), Some(id))
        }
        IdeaSource::Case(id) => {
            let case = store
                .case_row(id)?
                .ok_or_else(|| AppError::Invalid(format!("source: there is no case {id}")))?;
            ("case", Some(id), Some(case.post).filter(|p| *p > 0))
        }
        IdeaSource::Statement(id) => ("statement", Some(id), None),
        IdeaSource::Employee => ("employee", None, None),
    };
    let campaign_id = match input.campaign.as_deref().map(str::trim) {
        Some(key) if !key.is_empty() => Some(crate::campaigns::accepting(store, key, kind)?),
        _ => None,
    };
    let similar = similar_ideas(store, &idea_text(title, &body), None)?;
    let strategy = input
        .strategy
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| clip(s, 100));
    let id = store.create_idea(
        &NewIdea {
            title,
            body: &body,
            source_kind: kind,
            source_ref,
            source_post,
            submitted_by_id: actor.id,
            submitted_by: &actor.name,
            strategy: strategy.as_deref(),
            campaign_id,
        },
        &actor.audit("idea.submit", "idea", title),
    )?;
    Ok(IdeaCreated { id, similar })
}

pub fn list(store: &Store, stage: Option<&str>, limit: usize) -> Result<Vec<IdeaRow>, AppError> {
    let stage = match stage.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse::<IdeaStage>()
                .map_err(|e| AppError::Invalid(format!("stage: {e}")))?
                .as_str()
                .to_string(),
        ),
        None => None,
    };
    Ok(store.ideas(&IdeaFilter {
        stage,
        include_merged: false,
        limit,
        ..IdeaFilter::default()
    })?)
}

#[derive(Debug, Clone, Serialize)]
pub struct IdeaView {
    #[serde(flatten)]
    pub detail: IdeaDetail,
    pub similar: Vec<SimilarIdea>,
    /// Stages it may move to next.
    pub next_stages: Vec<IdeaStage>,
}

pub fn view(store: &Store, id: i64) -> Result<IdeaView, AppError> {
    let detail = store
        .idea_detail(id)?
        .ok_or_else(|| StoreError::NotFound(format!("idea {id}")))?;
    let similar = if detail.idea.merged_into.is_none() {
        similar_ideas(
            store,
            &idea_text(&detail.idea.title, &detail.idea.body),
            Some(id),
        )?
    } else {
        Vec::new()
    };
    let stage: IdeaStage = detail
        .idea
        .stage
        .parse()
        .map_err(|e| AppError::Invalid(format!("{e}")))?;
    let next_stages = IdeaStage::ALL
        .into_iter()
        .filter(|to| idea_transition(stage, *to, "reason").is_ok())
        .collect();
    Ok(IdeaView {
        detail,
        similar,
        next_stages,
    })
}

/// Something done to an idea.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum IdeaCommand {
    /// Move to a stage; adopted and declined need the reason.
    Move {
        stage: String,
        #[serde(default)]
        reason: String,
    },
    /// Give it an owner by user name (none clears).
    Own {
        user: Option<String>,
    },
    Strategy {
        strategy: Option<String>,
    },
    /// `1` for, `-1` against, `0` withdraws.
    Vote {
        value: i64,
    },
    Comment {
        text: String,
    },
    /// Merge this idea into another.
    MergeInto {
        idea: i64,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct IdeaOutcome {
    pub idea_id: i64,
    pub message: String,
    /// The public source was sent news of the change (recorded in the outbox).
    pub source_told: bool,
}

/// The news for an idea's public source, when it has one.
fn notice(
    store: &Store,
    idea: &IdeaRow,
    stage: IdeaStage,
    reason: &str,
) -> Result<Option<OutboxItem>, AppError> {
    let Some(post_id) = idea.source_post else {
        return Ok(None);
    };
    let Some(post) = store.post(post_id)? else {
        return Ok(None);
    };
    let who = post
        .author
        .as_deref()
        .filter(|a| !a.starts_with("p-"))
        .map(|a| format!("@{} ", a.trim_start_matches('@')))
        .unwrap_or_default();
    let mut body = format!(
        "{who}Thank you for your idea \"{}\". Update: it is now {}.",
        clip(&idea.title, 120),
        stage.label().to_lowercase()
    );
    if !reason.trim().is_empty() {
        body.push(' ');
        body.push_str(&clip(reason.trim(), 400));
    }
    Ok(Some(OutboxItem {
        kind: "idea_update",
        in_reply_to: Some(post_id),
        channel: format!("{}:{}", post.channel.kind.as_str(), post.channel.account),
        recipient: post.author.clone(),
        body,
    }))
}

pub fn act(
    store: &Store,
    actor: &Actor,
    id: i64,
    version: Option<i64>,
    command: &IdeaCommand,
) -> Result<IdeaOutcome, AppError> {
    let idea = store
        .idea(id)?
        .ok_or_else(|| StoreError::NotFound(format!("idea {id}")))?;
    let target = format!("idea {id}");
    let expected_version = version.unwrap_or(idea.version);
    let outcome = |message: String, source_told: bool| IdeaOutcome {
        idea_id: id,
        message,
        source_told,
    };
    match command {
        IdeaCommand::Vote { value } => {
            actor.require(Permission::ContributeIdeas)?;
            let Some(user) = actor.id else {
                return Err(AppError::Invalid("only a signed-in person can vote".into()));
            };
            if ![-1, 0, 1].contains(value) {
                return Err(AppError::Invalid("value: 1, -1 or 0".into()));
            }
            let detail = value.to_string();
            store.vote_idea(
                id,
                user,
                *value,
                &actor.audit("idea.vote", &target, &detail),
            )?;
            Ok(outcome("vote recorded".into(), false))
        }
        IdeaCommand::Comment { text } => {
            actor.require(Permission::ContributeIdeas)?;
            let text = text.trim();
            if text.is_empty() {
                return Err(AppError::Invalid("comment: write something".into()));
            }
            let text = clip(text, MAX_BODY_CHARS);
            store.comment_idea(
                id,
                actor.id,
                &actor.name,
                &text,
                &actor.audit("idea.comment", &target, &text),
            )?;
            Ok(outcome("comment added".into(), false))
        }
        IdeaCommand::Move { stage, reason } => {
            actor.require(Permission::ManageIdeas)?;
            let to: IdeaStage = stage
                .parse()
                .map_err(|e| AppError::Invalid(format!("stage: {e}")))?;
            let from: IdeaStage = idea
                .stage
                .parse()
                .map_err(|e| AppError::Invalid(format!("{e}")))?;
            let reason = clip(reason.trim(), 1_000);
            idea_transition(from, to, &reason).map_err(|e| AppError::Invalid(e.to_string()))?;
            let notice = notice(store, &idea, to, &reason)?;
            let told = notice.is_some();
            let detail = if reason.is_empty() {
                format!("{} → {}", from.label(), to.label())
            } else {
                format!("{} → {}: {reason}", from.label(), to.label())
            };
            store.change_idea(
                &IdeaChange {
                    idea_id: id,
                    expected_version,
                    stage: Some(to.as_str()),
                    reason: Some(&reason),
                    owner: None,
                    strategy: None,
                    kind: "stage",
                    detail: detail.clone(),
                    notice,
                },
                &actor.audit("idea.stage", &target, &detail),
            )?;
            Ok(outcome(
                format!("moved to {}", to.label().to_lowercase()),
                told,
            ))
        }
        IdeaCommand::Own { user } => {
            actor.require(Permission::ManageIdeas)?;
            let (owner, detail) = match user.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
                Some(name) => {
                    let u = store
                        .user_by_name(name)?
                        .filter(|u| !u.disabled)
                        .ok_or_else(|| {
                            AppError::Invalid(format!("user: no active account is called {name:?}"))
                        })?;
                    (Some(u.id), format!("owner {}", u.username))
                }
                None => (None, "no owner".to_string()),
            };
            store.change_idea(
                &IdeaChange {
                    idea_id: id,
                    expected_version,
                    stage: None,
                    reason: None,
                    owner: Some(owner),
                    strategy: None,
                    kind: "owner",
                    detail: detail.clone(),
                    notice: None,
                },
                &actor.audit("idea.owner", &target, &detail),
            )?;
            Ok(outcome(detail, false))
        }
        IdeaCommand::Strategy { strategy } => {
            actor.require(Permission::ManageIdeas)?;
            let strategy = strategy
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| clip(s, 100));
            let detail = match &strategy {
                Some(s) => format!("strategy {s}"),
                None => "no strategy".into(),
            };
            store.change_idea(
                &IdeaChange {
                    idea_id: id,
                    expected_version,
                    stage: None,
                    reason: None,
                    owner: None,
                    strategy: Some(strategy.as_deref()),
                    kind: "strategy",
                    detail: detail.clone(),
                    notice: None,
                },
                &actor.audit("idea.strategy", &target, &detail),
            )?;
            Ok(outcome(detail, false))
        }
        IdeaCommand::MergeInto { idea: into } => {
            actor.require(Permission::ManageIdeas)?;
            let detail = format!("merged into idea {into}");
            store.merge_ideas(id, *into, &actor.audit("idea.merge", &target, &detail))?;
            Ok(outcome(detail, false))
        }
    }
}
