//! Consultations for staff: the list with a form to start one (`/consultations`), one consultation
//! with its phase, settings, seed statements and live results (`/consultations/{id}`), the moderation
//! queue, and the printable report (also shared read-only at `/r/{token}`).

use crate::charts::{column_chart, Chart};
use crate::chrome::Chrome;
use crate::error::{blocking, PageError};
use crate::inbox_pages::when;
use crate::opinion_map::opinion_map;
use crate::pages::render;
use crate::pages::MessageQuery;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;
use townhall_app::accounts::SessionUser;
use townhall_app::actor::Actor;
use townhall_app::consultations::{
    self, parse_seed_csv, ConsultResults, ConsultationSettings, Moderation, Phase, SettingsChange,
};
use townhall_app::AppError;
use townhall_app::{ConsultationRow, StatementRow};
use townhall_core::Permission;

/// Largest seed CSV accepted.
pub(crate) const MAX_SEED_UPLOAD: usize = 2 * 1024 * 1024;

pub(crate) struct ConsultationLine {
    id: i64,
    question: String,
    phase: &'static str,
    participants: u64,
    statements: u64,
    pending: u64,
    votes: u64,
    slug: String,
}

fn phase_label(phase: &str) -> &'static str {
    match phase {
        "draft" => "Draft",
        "employees" => "Employees only",
        "public" => "Open to the public",
        "closed" => "Closed",
        _ => "Unknown",
    }
}

impl ConsultationLine {
    fn of(c: &ConsultationRow) -> ConsultationLine {
        ConsultationLine {
            id: c.id,
            question: c.question.clone(),
            phase: phase_label(&c.phase),
            participants: c.participants,
            statements: c.statements,
            pending: c.pending,
            votes: c.votes,
            slug: c.slug.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "consultations.html")]
struct ConsultationsPage {
    title: &'static str,
    chrome: Chrome,
    lines: Vec<ConsultationLine>,
    can_run: bool,
    message: String,
}

pub(crate) async fn consultations(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Query(query): Query<MessageQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let rows = blocking(move || Ok(store.consultations()?)).await?;
    Ok(render(
        StatusCode::OK,
        &ConsultationsPage {
            title: "Consultations",
            chrome: Chrome::of(Some(&user)),
            lines: rows.iter().map(ConsultationLine::of).collect(),
            can_run: user.can(Permission::RunConsultations),
            message: query.shown(300),
        },
    ))
}

/// The form that starts a consultation.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NewConsultationForm {
    #[serde(default)]
    question: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    moderation: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    accept_statements: Option<String>,
    #[serde(default)]
    slug: String,
    /// Seed statements, one per line.
    #[serde(default)]
    seeds: String,
    #[serde(default)]
    strategy: String,
}

pub(crate) fn settings_from(form: &NewConsultationForm) -> Result<ConsultationSettings, AppError> {
    let mut settings = ConsultationSettings::new(&form.question);
    settings.description = form.description.clone();
    if !form.moderation.is_empty() {
        settings.moderation = Moderation::parse(&form.moderation)?;
    }
    settings.languages = form
        .languages
        .split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    settings.accept_statements = form.accept_statements.is_some();
    settings.slug = Some(form.slug.clone()).filter(|s| !s.trim().is_empty());
    settings.strategy = Some(form.strategy.clone()).filter(|s| !s.trim().is_empty());
    Ok(settings)
}

pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Form(form): Form<NewConsultationForm>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let (row, report) = blocking(move || {
        let settings = settings_from(&form)?;
        let seeds: Vec<String> = form.seeds.lines().map(str::to_string).collect();
        consultations::create(&store, &actor, &settings, &seeds)
    })
    .await?;
    let message = seed_message(report.added, report.duplicates, &report.rejected);
    Ok(back_with(&format!("/consultations/{}", row.id), &message))
}

/// Back to a staff page, with a status message for it to show.
fn back_with(path: &str, message: &str) -> Response {
    Redirect::to(&format!(
        "{path}?message={}",
        crate::pages::url_encode(message)
    ))
    .into_response()
}

fn seed_message(added: usize, duplicates: usize, rejected: &[String]) -> String {
    let mut message = format!("{added} seed statements added");
    if duplicates > 0 {
        message.push_str(&format!(", {duplicates} already there"));
    }
    if !rejected.is_empty() {
        let shown: Vec<&str> = rejected.iter().take(5).map(String::as_str).collect();
        message.push_str(&format!(
            "; {} refused: {}",
            rejected.len(),
            shown.join("; ")
        ));
    }
    message.push('.');
    message
}

/// A statement line of a results list.
pub(crate) struct LineView {
    text: String,
    side: &'static str,
    percent: String,
}

pub(crate) struct GroupView {
    label: String,
    participants: usize,
    lines: Vec<LineView>,
}

pub(crate) struct DivisiveView {
    text: String,
    leanings: String,
}

pub(crate) struct TallyView {
    text: String,
    agree: u64,
    disagree: u64,
    pass: u64,
    consensus: String,
}

/// Results as the staff page and the report show them.
pub(crate) struct ResultsView {
    /// One chart each (a list, so the shared chart template can be included in a loop).
    map: Vec<Chart>,
    participation: Vec<Chart>,
    groups: Vec<GroupView>,
    consensus: Vec<LineView>,
    divisive: Vec<DivisiveView>,
    tallies: Vec<TallyView>,
    voters: usize,
    votes: usize,
    clustered: usize,
    computed: String,
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

impl ResultsView {
    pub(crate) fn of(r: &ConsultResults) -> ResultsView {
        let group_sizes: Vec<(usize, usize, (f64, f64))> = r
            .groups
            .iter()
            .map(|g| (g.id, g.participants, g.centroid))
            .collect();
        let participation: Vec<(String, f64)> = r
            .participation
            .iter()
            .map(|d| (d.day.clone(), d.votes as f64))
            .collect();
        let line = |l: &townhall_app::consult::StatementLine| LineView {
            text: l.text.clone(),
            side: if l.side == "agree" {
                "agreed"
            } else {
                "disagreed"
            },
            percent: percent(l.share),
        };
        ResultsView {
            map: vec![opinion_map("opinion-map", &r.map, &group_sizes, None)],
            participation: vec![column_chart(
                "participation",
                "Votes per day",
                &format!(
                    "{} current votes from {} participants, by the day each was cast.",
                    r.votes, r.voters
                ),
                ("Day", "Votes"),
                &participation,
            )],
            groups: r
                .groups
                .iter()
                .map(|g| GroupView {
                    label: g.label.clone(),
                    participants: g.participants,
                    lines: g.representative.iter().map(line).collect(),
                })
                .collect(),
            consensus: r.consensus.iter().map(line).collect(),
            divisive: r
                .divisive
                .iter()
                .map(|d| DivisiveView {
                    text: d.text.clone(),
                    leanings: d
                        .by_group
                        .iter()
                        .map(|(label, net)| {
                            let lean = if *net > 0.1 {
                                "leans agree"
                            } else if *net < -0.1 {
                                "leans disagree"
                            } else {
                                "split"
                            };
                            format!("group {label} {lean} ({net:+.2})")
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                })
                .collect(),
            tallies: r
                .statements
                .iter()
                .map(|s| TallyView {
                    text: s.text.clone(),
                    agree: s.agree,
                    disagree: s.disagree,
                    pass: s.pass,
                    consensus: s.consensus.map(|c| format!("{c:.3}")).unwrap_or_default(),
                })
                .collect(),
            voters: r.voters,
            votes: r.votes,
            clustered: r.clustered,
            computed: match (r.computed_at_ms, r.compute_ms) {
                (Some(at), Some(ms)) => format!("{} (took {ms:.0} ms)", when(at)),
                _ => "not yet: nobody has voted".into(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "consultation.html")]
struct ConsultationPage {
    title: &'static str,
    chrome: Chrome,
    c: ConsultationRow,
    phase: &'static str,
    phases: Vec<(&'static str, &'static str, bool)>,
    approve_first: bool,
    can_run: bool,
    can_moderate: bool,
    results: ResultsView,
    message: String,
    seed_csrf: String,
}

pub(crate) async fn consultation(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Query(query): Query<MessageQuery>,
) -> Result<Response, PageError> {
    let (store, service) = (state.store.clone(), state.consultations.clone());
    let results = blocking(move || service.results(&store, id)).await?;
    let c = results.consultation.clone();
    let current = consultations::phase_of(&c);
    Ok(render(
        StatusCode::OK,
        &ConsultationPage {
            title: "Consultation",
            chrome: Chrome::of(Some(&user)),
            phase: phase_label(&c.phase),
            phases: Phase::ALL
                .into_iter()
                .map(|p| (p.as_str(), phase_label(p.as_str()), p == current))
                .collect(),
            approve_first: c.moderation == "approve_first",
            can_run: user.can(Permission::RunConsultations),
            can_moderate: user.can(Permission::Moderate),
            results: ResultsView::of(&results),
            message: query.shown(600),
            seed_csrf: crate::pages::url_encode(&user.csrf_token),
            c,
        },
    ))
}

/// The forms on a consultation's page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ConsultationForm {
    /// `phase`, `settings` or `seeds`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    phase: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    moderation: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    accept_statements: Option<String>,
    #[serde(default)]
    seeds: String,
}

pub(crate) async fn consultation_post(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Form(form): Form<ConsultationForm>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let message = blocking(move || match form.action.as_str() {
        "phase" => {
            let phase = Phase::parse(&form.phase)?;
            let row = consultations::set_phase(&store, &actor, id, phase)?;
            Ok(format!("Now: {}.", phase_label(&row.phase)))
        }
        "settings" => {
            consultations::change_settings(
                &store,
                &actor,
                id,
                &SettingsChange {
                    question: Some(form.question.clone()),
                    description: Some(form.description.clone()),
                    moderation: Some(Moderation::parse(&form.moderation)?),
                    languages: Some(
                        form.languages
                            .split([',', ' '])
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect(),
                    ),
                    accept_statements: Some(form.accept_statements.is_some()),
                    strategy: None,
                },
            )?;
            Ok("Settings saved.".to_string())
        }
        "seeds" => {
            let seeds: Vec<String> = form.seeds.lines().map(str::to_string).collect();
            let report = consultations::add_seeds(&store, &actor, id, &seeds)?;
            Ok(seed_message(
                report.added,
                report.duplicates,
                &report.rejected,
            ))
        }
        other => Err(AppError::Invalid(format!("unknown action {other:?}"))),
    })
    .await?;
    Ok(back_with(&format!("/consultations/{id}"), &message))
}

/// Seed statements from a CSV file (multipart; the CSRF token travels in the address).
pub(crate) async fn upload_seeds(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::Invalid(format!("the upload was cut off: {e}")))?
    {
        if field.name() == Some("file") {
            let name = field
                .file_name()
                .unwrap_or("seeds.csv")
                .chars()
                .take(100)
                .collect::<String>();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::Invalid(format!("the upload was cut off: {e}")))?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let (name, bytes) = file.ok_or_else(|| AppError::Invalid("choose a CSV file".into()))?;
    let store = state.store.clone();
    let actor = Actor::from(&user);
    let message = blocking(move || {
        let (texts, mut rejects) = parse_seed_csv(bytes.as_slice(), &name)?;
        let report = consultations::add_seeds(&store, &actor, id, &texts)?;
        rejects.extend(report.rejected);
        Ok(seed_message(report.added, report.duplicates, &rejects))
    })
    .await?;
    Ok(back_with(&format!("/consultations/{id}"), &message))
}

struct PendingLine {
    id: i64,
    text: String,
    flags: String,
    origin: String,
    at: String,
}

#[derive(Template)]
#[template(path = "consult_moderation.html")]
struct ModerationPage {
    title: &'static str,
    chrome: Chrome,
    c: ConsultationRow,
    pending: Vec<PendingLine>,
    /// Participants' statements already shown (the ones a remove-after moderator may take down).
    shown: Vec<PendingLine>,
    message: String,
}

fn pending_line(s: &StatementRow) -> PendingLine {
    PendingLine {
        id: s.id,
        text: s.text.clone(),
        flags: s.flags.clone(),
        origin: s.origin.clone(),
        at: when(s.created_at),
    }
}

pub(crate) async fn moderation(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Query(query): Query<MessageQuery>,
) -> Result<Response, PageError> {
    let (store, service) = (state.store.clone(), state.consultations.clone());
    let actor = Actor::from(&user);
    let (c, pending, shown) = blocking(move || {
        let c = consultations::get(&store, id)?;
        let pending = service.moderation_queue(&store, &actor, id)?;
        let mut shown: Vec<StatementRow> = store
            .statements(id, Some("accepted"))?
            .into_iter()
            .filter(|s| s.origin == "participant")
            .collect();
        shown.reverse();
        shown.truncate(200);
        Ok((c, pending, shown))
    })
    .await?;
    Ok(render(
        StatusCode::OK,
        &ModerationPage {
            title: "Moderation",
            chrome: Chrome::of(Some(&user)),
            c,
            pending: pending.iter().map(pending_line).collect(),
            shown: shown.iter().map(pending_line).collect(),
            message: query.shown(300),
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ModerationForm {
    statement_id: i64,
    /// `accept` or `reject`.
    decision: String,
}

pub(crate) async fn moderate(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
    Form(form): Form<ModerationForm>,
) -> Result<Response, PageError> {
    let (store, service) = (state.store.clone(), state.consultations.clone());
    let actor = Actor::from(&user);
    let accept = match form.decision.as_str() {
        "accept" => true,
        "reject" => false,
        other => {
            return Err(AppError::Invalid(format!("decision {other:?}: accept or reject")).into())
        }
    };
    let statement =
        blocking(move || service.moderate(&store, &actor, id, form.statement_id, accept)).await?;
    let message = format!(
        "Statement {} {}.",
        statement.id,
        if accept { "accepted" } else { "rejected" }
    );
    Ok(back_with(
        &format!("/consultations/{id}/moderation"),
        &message,
    ))
}

#[derive(Template)]
#[template(path = "consult_report.html")]
struct ReportPage {
    title: &'static str,
    chrome: Chrome,
    c: ConsultationRow,
    phase: &'static str,
    results: ResultsView,
    printed: String,
    shared: bool,
}

fn report_page(user: Option<&SessionUser>, results: &ConsultResults, shared: bool) -> Response {
    let c = results.consultation.clone();
    render(
        StatusCode::OK,
        &ReportPage {
            title: "Consultation report",
            chrome: Chrome::of(user),
            phase: phase_label(&c.phase),
            results: ResultsView::of(results),
            printed: when(chrono::Utc::now().timestamp_millis()),
            shared,
            c,
        },
    )
}

pub(crate) async fn report(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (store, service) = (state.store.clone(), state.consultations.clone());
    let results = blocking(move || service.results(&store, id)).await?;
    Ok(report_page(Some(&user), &results, false))
}

/// The report shared read-only by its secret link: no account needed, nothing to change.
pub(crate) async fn shared_report(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let (store, service) = (state.store.clone(), state.consultations.clone());
    let results = blocking(move || {
        let c = store
            .consultation_by_share_token(&token)?
            .ok_or_else(|| AppError::Store(townhall_app::StoreError::NotFound("report".into())))?;
        service.results(&store, c.id)
    })
    .await?;
    Ok(report_page(None, &results, true))
}
