//! Setting a consultation up: its question, moderation, languages, phase and seed statements.

use super::{Moderation, Phase, MAX_STATEMENT_CHARS, MIN_STATEMENT_CHARS};
use crate::actor::Actor;
use crate::AppError;
use std::io::Read;
use townhall_core::Permission;
use townhall_store::{ConsultationChange, ConsultationRow, NewConsultation, NewStatement, Store};

/// What an organiser fills in.
#[derive(Debug, Clone)]
pub struct ConsultationSettings {
    pub question: String,
    pub description: String,
    pub moderation: Moderation,
    /// Language codes, e.g. `["en", "es"]`.
    pub languages: Vec<String>,
    pub accept_statements: bool,
    /// The public address `/c/{slug}`; made from the question when not given.
    pub slug: Option<String>,
    pub strategy: Option<String>,
}

impl ConsultationSettings {
    pub fn new(question: &str) -> ConsultationSettings {
        ConsultationSettings {
            question: question.to_string(),
            description: String::new(),
            moderation: Moderation::ApproveFirst,
            languages: vec!["en".to_string()],
            accept_statements: true,
            slug: None,
            strategy: None,
        }
    }
}

/// What adding seed statements did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SeedReport {
    pub added: usize,
    pub duplicates: usize,
    /// Statements refused, each with where it was and why.
    pub rejected: Vec<String>,
}

const MAX_QUESTION_CHARS: usize = 300;
const MAX_DESCRIPTION_CHARS: usize = 5_000;

fn clean_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A statement's text made one line, or why it cannot be a statement.
pub(crate) fn statement_text(text: &str) -> Result<String, String> {
    let text = clean_line(text);
    let chars = text.chars().count();
    if chars < MIN_STATEMENT_CHARS {
        return Err(format!(
            "too short ({chars} characters; at least {MIN_STATEMENT_CHARS})"
        ));
    }
    if chars > MAX_STATEMENT_CHARS {
        return Err(format!(
            "too long ({chars} characters; at most {MAX_STATEMENT_CHARS})"
        ));
    }
    Ok(text)
}

fn slug_from(question: &str) -> String {
    let mut slug = String::new();
    for word in question
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > 48 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    if slug.len() < 3 {
        slug = "consultation".to_string();
    }
    slug
}

fn check_slug(slug: &str) -> Result<(), AppError> {
    let ok = (3..=60).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(AppError::Invalid(format!(
            "address {slug:?}: use 3 to 60 lower-case letters, digits and dashes"
        )))
    }
}

fn check_languages(languages: &[String]) -> Result<String, AppError> {
    let mut codes = Vec::new();
    for code in languages {
        let code = code.trim().to_ascii_lowercase();
        if code.is_empty() {
            continue;
        }
        if !(2..=3).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(AppError::Invalid(format!(
                "language {code:?}: use ISO 639-1 codes such as en, es, zh"
            )));
        }
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    if codes.is_empty() {
        codes.push("en".to_string());
    }
    Ok(codes.join(","))
}

fn check_question(question: &str, description: &str) -> Result<(), AppError> {
    if question.trim().is_empty() {
        return Err(AppError::Invalid(
            "question: write the question to ask".into(),
        ));
    }
    if question.chars().count() > MAX_QUESTION_CHARS {
        return Err(AppError::Invalid(format!(
            "question: at most {MAX_QUESTION_CHARS} characters"
        )));
    }
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(AppError::Invalid(format!(
            "description: at most {MAX_DESCRIPTION_CHARS} characters"
        )));
    }
    Ok(())
}

fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 18];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Invalid(format!("random: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Create a consultation (in the draft phase) with its seed statements.
pub fn create(
    store: &Store,
    actor: &Actor,
    settings: &ConsultationSettings,
    seeds: &[String],
) -> Result<(ConsultationRow, SeedReport), AppError> {
    actor.require(Permission::RunConsultations)?;
    check_question(&settings.question, &settings.description)?;
    let languages = check_languages(&settings.languages)?;
    let slug = match &settings.slug {
        Some(slug) if !slug.trim().is_empty() => {
            let slug = slug.trim().to_ascii_lowercase();
            check_slug(&slug)?;
            slug
        }
        _ => {
            let base = slug_from(&settings.question);
            let mut slug = base.clone();
            let mut n = 2;
            while store.consultation_by_slug(&slug)?.is_some() {
                slug = format!("{base}-{n}");
                n += 1;
            }
            slug
        }
    };
    let share_token = random_token()?;
    let question = clean_line(&settings.question);
    let detail = format!("/c/{slug}: {question}");
    let id = store.create_consultation(
        &NewConsultation {
            slug: &slug,
            question: &question,
            description: settings.description.trim(),
            moderation: settings.moderation.as_str(),
            phase: Phase::Draft.as_str(),
            languages: &languages,
            accept_statements: settings.accept_statements,
            share_token: &share_token,
            strategy: settings
                .strategy
                .as_deref()
                .filter(|s| !s.trim().is_empty()),
            created_by: &actor.name,
        },
        &actor.audit(
            "consultation.create",
            &format!("consultation:{slug}"),
            &detail,
        ),
    )?;
    let report = add_seeds(store, actor, id, seeds)?;
    let row = store
        .consultation(id)?
        .ok_or_else(|| AppError::Invalid(format!("consultation {id} vanished")))?;
    Ok((row, report))
}

/// The consultation with this id, or a clear error.
pub fn get(store: &Store, id: i64) -> Result<ConsultationRow, AppError> {
    store
        .consultation(id)?
        .ok_or_else(|| AppError::Invalid(format!("no consultation {id}")))
}

/// Add the organiser's seed statements (accepted at once). Bad ones are reported and skipped.
pub fn add_seeds(
    store: &Store,
    actor: &Actor,
    consultation_id: i64,
    seeds: &[String],
) -> Result<SeedReport, AppError> {
    actor.require(Permission::RunConsultations)?;
    let mut report = SeedReport::default();
    let mut texts = Vec::new();
    for (i, seed) in seeds.iter().enumerate() {
        match statement_text(seed) {
            Ok(text) => texts.push(text),
            Err(why) => report.rejected.push(format!("statement {}: {why}", i + 1)),
        }
    }
    if texts.is_empty() {
        return Ok(report);
    }
    let new: Vec<NewStatement<'_>> = texts
        .iter()
        .map(|text| NewStatement {
            text,
            origin: "seed",
            participant_id: None,
            status: "accepted",
            flags: "",
        })
        .collect();
    let detail = format!("{} seed statements", texts.len());
    let added = store.add_statements(
        consultation_id,
        &new,
        Some(&actor.audit(
            "consultation.seed",
            &format!("consultation:{consultation_id}"),
            &detail,
        )),
    )?;
    report.added = added.added();
    report.duplicates = added.duplicates();
    Ok(report)
}

/// Seed statements from a CSV file: the column named `text`, `statement`, `comment-body` or `body`
/// (or the only column). Rows that cannot be read are reported by line, the rest kept.
pub fn parse_seed_csv(
    input: impl Read,
    name: &str,
) -> Result<(Vec<String>, Vec<String>), AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| AppError::Invalid(format!("{name}: line 1: {e}")))?
        .clone();
    let column = headers
        .iter()
        .position(|h| {
            matches!(
                h.to_ascii_lowercase().as_str(),
                "text" | "statement" | "comment-body" | "body"
            )
        })
        .or((headers.len() == 1).then_some(0))
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "{name}: line 1: no column named text, statement, comment-body or body"
            ))
        })?;
    let (mut texts, mut rejects) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i as u64 + 2, |p| p.line());
        match record {
            Ok(r) => match r.get(column).map(str::trim) {
                Some(text) if !text.is_empty() => texts.push(text.to_string()),
                _ => rejects.push(format!("{name}: line {line}: the text is empty")),
            },
            Err(e) => rejects.push(format!("{name}: line {line}: {e}")),
        }
    }
    Ok((texts, rejects))
}

/// Settings an organiser can change after creating the consultation.
#[derive(Debug, Clone, Default)]
pub struct SettingsChange {
    pub question: Option<String>,
    pub description: Option<String>,
    pub moderation: Option<Moderation>,
    pub languages: Option<Vec<String>>,
    pub accept_statements: Option<bool>,
    pub strategy: Option<Option<String>>,
}

pub fn change_settings(
    store: &Store,
    actor: &Actor,
    id: i64,
    change: &SettingsChange,
) -> Result<ConsultationRow, AppError> {
    actor.require(Permission::RunConsultations)?;
    let current = get(store, id)?;
    check_question(
        change.question.as_deref().unwrap_or(&current.question),
        change
            .description
            .as_deref()
            .unwrap_or(&current.description),
    )?;
    let languages = change
        .languages
        .as_deref()
        .map(check_languages)
        .transpose()?;
    let question = change.question.as_deref().map(clean_line);
    store.change_consultation(
        id,
        &ConsultationChange {
            question: question.as_deref(),
            description: change.description.as_deref().map(str::trim),
            moderation: change.moderation.map(Moderation::as_str),
            phase: None,
            languages: languages.as_deref(),
            accept_statements: change.accept_statements,
            strategy: change
                .strategy
                .as_ref()
                .map(|s| s.as_deref().filter(|s| !s.trim().is_empty())),
        },
        &actor.audit("consultation.settings", &format!("consultation:{id}"), ""),
    )?;
    get(store, id)
}

/// Move a consultation to another phase. Once people have voted it cannot go back to draft.
pub fn set_phase(
    store: &Store,
    actor: &Actor,
    id: i64,
    phase: Phase,
) -> Result<ConsultationRow, AppError> {
    actor.require(Permission::RunConsultations)?;
    let current = get(store, id)?;
    let from = super::phase_of(&current);
    if phase == Phase::Draft && current.participants > 0 {
        return Err(AppError::Invalid(format!(
            "{} people have taken part: the consultation cannot go back to draft (close it instead)",
            current.participants
        )));
    }
    if phase == from {
        return Ok(current);
    }
    let detail = format!("{} → {}", from.as_str(), phase.as_str());
    store.change_consultation(
        id,
        &ConsultationChange {
            phase: Some(phase.as_str()),
            ..ConsultationChange::default()
        },
        &actor.audit("consultation.phase", &format!("consultation:{id}"), &detail),
    )?;
    get(store, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_the_question() {
        assert_eq!(
            slug_from("How should the city spend its park budget?"),
            "how-should-the-city-spend-its-park-budget"
        );
        assert_eq!(slug_from("¿Qué?"), "consultation");
        assert!(check_slug("parks-2026").is_ok());
        assert!(check_slug("Parks").is_err());
        assert!(check_slug("-parks").is_err());
    }

    #[test]
    fn statements_are_one_line_and_capped() {
        assert_eq!(
            statement_text("  More   benches\nin the park ").unwrap(),
            "More benches in the park"
        );
        assert!(statement_text("ok").is_err());
        assert!(statement_text(&"a".repeat(MAX_STATEMENT_CHARS + 1)).is_err());
        assert!(statement_text(&"é".repeat(MAX_STATEMENT_CHARS)).is_ok());
    }

    #[test]
    fn seed_csv_keeps_good_rows_and_names_bad_lines() {
        let csv = "id,text\n1,More benches in the park\n2,\n3,\"Open the pool earlier\"\n";
        let (texts, rejects) = parse_seed_csv(csv.as_bytes(), "seeds.csv").unwrap();
        assert_eq!(
            texts,
            vec!["More benches in the park", "Open the pool earlier"]
        );
        assert_eq!(rejects, vec!["seeds.csv: line 3: the text is empty"]);
        let err = parse_seed_csv("a,b\n1,2\n".as_bytes(), "x.csv").unwrap_err();
        assert!(err.to_string().contains("x.csv: line 1"), "{err}");
        let (one, _) =
            parse_seed_csv("Statements\nFix the potholes\n".as_bytes(), "y.csv").unwrap();
        assert_eq!(one, vec!["Fix the potholes"]);
    }
}
