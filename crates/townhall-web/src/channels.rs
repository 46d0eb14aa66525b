//! Channels and imports: the channels in the store, a form to upload a file, and a page per import that
//! shows its progress, then its counts and every rejected record with the reason.

use crate::chrome::Chrome;
use crate::error::ApiError;
use crate::pages::render;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use std::io::Write;
use townhall_app::accounts::SessionUser;
use townhall_app::import_jobs::{JobStatus, JobView, UploadedFile};
use townhall_app::AppError;
use townhall_core::Permission;
use townhall_ingest::Format;

/// Largest file accepted from the browser.
pub(crate) const MAX_UPLOAD_BYTES: usize = 1 << 30;

struct ChannelRow {
    name: String,
    owned: bool,
    keep_handles: bool,
    redact: bool,
}

#[derive(Template)]
#[template(path = "channels.html")]
struct ChannelsPage {
    title: &'static str,
    chrome: Chrome,
    channels: Vec<ChannelRow>,
    can_import: bool,
    formats: Vec<&'static str>,
    jobs: Vec<JobView>,
    error: Option<String>,
}

async fn channels_page(state: &AppState, user: &SessionUser, error: Option<String>) -> Response {
    let store = state.store.clone();
    let channels = match tokio::task::spawn_blocking(move || store.channels()).await {
        Ok(Ok(channels)) => channels,
        Ok(Err(e)) => return ApiError::App(e.into()).into_response(),
        Err(e) => return ApiError::Join(e).into_response(),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render(
        status,
        &ChannelsPage {
            title: "Channels",
            chrome: Chrome::of(Some(user)),
            channels: channels
                .iter()
                .map(|c| ChannelRow {
                    name: c.key.to_string(),
                    owned: c.owned,
                    keep_handles: c.keep_public_handles,
                    redact: c.redact_personal_data,
                })
                .collect(),
            can_import: user.can(Permission::Import),
            formats: Format::ALL.iter().map(|f| f.as_str()).collect(),
            jobs: state.imports.recent(),
            error,
        },
    )
}

pub(crate) async fn channels(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
) -> Response {
    channels_page(&state, &user, None).await
}

/// Keep letters, digits, dots, dashes and underscores of a file name (for the saved copy's name).
fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .rev()
        .take_while(|c| *c != '/' && *c != '\\')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    if cleaned.trim_matches(['.', '_']).is_empty() {
        "upload".into()
    } else {
        cleaned
    }
}

/// Read the upload form: the file goes to `uploads/` in the store's folder as it arrives. A form that fails
/// (cut off, empty file, bad format) leaves nothing behind.
async fn receive(state: &AppState, form: Multipart) -> Result<UploadedFile, AppError> {
    let mut folder = None;
    let received = receive_into(state, form, &mut folder).await;
    if received.is_err() {
        if let Some(folder) = folder {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
    received
}

async fn receive_into(
    state: &AppState,
    mut form: Multipart,
    folder_made: &mut Option<std::path::PathBuf>,
) -> Result<UploadedFile, AppError> {
    let bad = |m: String| AppError::Invalid(m);
    let (mut saved, mut format, mut own) = (None, None, false);
    let dir = state.store.dir().join("uploads");
    std::fs::create_dir_all(&dir).map_err(|e| bad(format!("cannot store the upload: {e}")))?;
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|e| bad(format!("the upload was cut off: {e}")))?
    {
        match field.name().unwrap_or_default() {
            "file" => {
                let original = field.file_name().unwrap_or("upload").to_string();
                // One folder per upload keeps the file's own name, which generic CSV/JSONL imports use as
                // the channel's account (the same file uploaded twice must land in the same channel).
                if saved.is_some() {
                    return Err(bad("file: send one file per import".into()));
                }
                let nonce = townhall_app::accounts::new_form_token()?;
                let folder = dir.join(&nonce[..16]);
                std::fs::create_dir_all(&folder)
                    .map_err(|e| bad(format!("cannot store the upload: {e}")))?;
                *folder_made = Some(folder.clone());
                let path = folder.join(safe_file_name(&original));
                let mut file = std::fs::File::create(&path)
                    .map_err(|e| bad(format!("cannot store the upload: {e}")))?;
                let mut bytes = 0u64;
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| bad(format!("the upload was cut off: {e}")))?
                {
                    bytes += chunk.len() as u64;
                    file.write_all(&chunk)
                        .map_err(|e| bad(format!("cannot store the upload: {e}")))?;
                }
                if bytes == 0 {
                    return Err(bad("file: choose a file that is not empty".into()));
                }
                saved = Some((path, original.chars().take(200).collect::<String>()));
            }
            "format" => {
                let value = field.text().await.unwrap_or_default();
                format = match value.as_str() {
                    "" | "auto" => None,
                    other => Some(Format::parse(other).ok_or_else(|| {
                        bad(format!(
                            "format: unknown {:?}",
                            other.chars().take(40).collect::<String>()
                        ))
                    })?),
                };
            }
            "own" => own = true,
            _ => {}
        }
    }
    let (path, original_name) = saved.ok_or_else(|| bad("file: choose a file to import".into()))?;
    Ok(UploadedFile {
        path,
        original_name,
        format,
        own,
    })
}

pub(crate) async fn upload(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    form: Multipart,
) -> Response {
    let upload = match receive(&state, form).await {
        Ok(upload) => upload,
        Err(AppError::Invalid(message)) => {
            return channels_page(&state, &user, Some(message)).await
        }
        Err(e) => return ApiError::App(e).into_response(),
    };
    let (imports, store, who) = (state.imports.clone(), state.store.clone(), user.clone());
    match tokio::task::spawn_blocking(move || imports.start(store, &who, upload)).await {
        Ok(Ok(id)) => Redirect::to(&format!("/imports/{id}")).into_response(),
        Ok(Err(e)) => ApiError::App(e).into_response(),
        Err(e) => ApiError::Join(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    title: &'static str,
    chrome: Chrome,
    job: JobView,
    running: bool,
    failed: bool,
}

pub(crate) async fn job_page(
    State(state): State<AppState>,
    Extension(user): Extension<SessionUser>,
    Path(id): Path<u64>,
) -> Response {
    match state.imports.view(id) {
        Some(job) => render(
            StatusCode::OK,
            &ImportPage {
                title: "Import",
                chrome: Chrome::of(Some(&user)),
                running: matches!(job.status, JobStatus::Running),
                failed: matches!(job.status, JobStatus::Failed),
                job,
            },
        ),
        None => crate::pages::not_found().await,
    }
}

/// The channels in the store and their settings (the JSON twin of `/channels`).
pub(crate) async fn api_channels(
    State(state): State<AppState>,
) -> Result<Json<Vec<townhall_core::Channel>>, ApiError> {
    let store = state.store.clone();
    Ok(Json(
        tokio::task::spawn_blocking(move || store.channels())
            .await?
            .map_err(AppError::from)?,
    ))
}

pub(crate) async fn api_job(
    State(state): State<AppState>,
    Path(id): Path<u64>,
) -> Result<Json<JobView>, ApiError> {
    state.imports.view(id).map(Json).ok_or(ApiError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_names_keep_only_harmless_characters() {
        assert_eq!(safe_file_name("posts 2024.jsonl"), "posts_2024.jsonl");
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\data\\x.csv"), "x.csv");
        assert_eq!(safe_file_name(".."), "upload");
        assert_eq!(safe_file_name("<script>.json"), "_script_.json");
    }
}
