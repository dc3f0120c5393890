//! `POST /api/v4/plugins`: a bundle uploaded as multipart form data, streamed into the
//! installer as it arrives — chunks go through a bounded channel to
//! [`install_reader`] on a blocking thread, so a bundle is never held in memory — then the
//! environment is rescanned and a replaced running plugin restarted.
//!
//! Form fields: `plugin` (the bundle, required); `force=true` (replace an installed plugin;
//! also accepted as the query parameter `?force=true`); `signature` (the bundle's detached
//! OpenPGP signature, at most 64 KiB). The installer reads the bundle as it streams, so
//! `force` and `signature` count only when they come before `plugin`.

use super::auth::Admin;
use super::body::ChannelReader;
use super::error::ApiError;
use super::{blocking, AppState};
use crate::environment::PluginState;
use crate::package::install::{install_reader, InstallError, InstallOptions, Outcome, ReplacePolicy};
use api_definitions::model::Manifest;
use axum::body::Bytes;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{Multipart, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use std::io;
use tokio::sync::mpsc;

/// The most a `signature` field may hold.
pub const MAX_SIGNATURE_BYTES: usize = 64 << 10;
/// Room for everything in the request besides the bundle (multipart framing, the signature,
/// `force`): the request body may be this much larger than `MaxUploadBytes`.
pub const FORM_OVERHEAD_BYTES: u64 = 1 << 20;
/// Chunks in flight between the connection and the installer.
const CHANNEL_CHUNKS: usize = 8;
/// How long a refused upload is read on and thrown away so the client, still sending, gets to
/// read the answer (the body limit layer bounds how much).
const DRAIN_FOR: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Deserialize)]
pub struct UploadQuery {
    force: Option<String>,
}

fn too_large(max: u64) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "api.plugin.upload.file_too_large.app_error",
        format!("the bundle is larger than this server accepts (MaxUploadBytes: {max} bytes)"),
    )
}

fn bad_form(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "api.plugin.upload.form.app_error",
        format!("could not read the upload form: {e}"),
    )
}

fn multipart_error(e: MultipartError, max: u64) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(max)
    } else {
        bad_form(e.body_text())
    }
}

pub async fn upload(
    _: Admin,
    State(state): State<AppState>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Manifest>), ApiError> {
    let settings = &state.settings;
    if !settings.enable {
        return Err(ApiError::plugins_disabled());
    }
    if !settings.enable_uploads {
        return Err(ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            "app.plugin.upload_disabled.app_error",
            "plugin uploads are disabled on this server (PluginSettings.EnableUploads)",
        ));
    }
    let max = settings.max_upload_bytes;
    // Refuse what announces itself too large before reading any of it.
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max.saturating_add(FORM_OVERHEAD_BYTES)) {
        return Err(too_large(max));
    }
    let mut multipart = multipart.map_err(|e| bad_form(e.body_text()))?;

    let mut force = query.force.as_deref() == Some("true");
    let mut signature: Option<Vec<u8>> = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| multipart_error(e, max))? {
        match field.name() {
            Some("force") => force = field.text().await.map_err(|e| multipart_error(e, max))?.trim() == "true",
            Some("signature") => signature = Some(read_small(field, MAX_SIGNATURE_BYTES, max).await?),
            Some("plugin") => {
                let manifest = install(&state, field, signature, force).await?;
                return Ok((StatusCode::CREATED, Json(manifest)));
            }
            // Other fields are skipped by the next `next_field`.
            _ => {}
        }
    }
    Err(ApiError::new(
        StatusCode::BAD_REQUEST,
        "api.plugin.upload.no_file.app_error",
        "the upload has no `plugin` field holding the bundle",
    ))
}

/// Reads a small field whole, refusing more than `cap` bytes.
async fn read_small(mut field: Field<'_>, cap: usize, max: u64) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(e, max))? {
        if bytes.len() + chunk.len() > cap {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "api.plugin.upload.signature_too_large.app_error",
                format!("the signature is larger than {cap} bytes; give the bundle's detached signature"),
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Streams the bundle field into the installer, then brings the environment up to date.
async fn install(
    state: &AppState,
    mut field: Field<'_>,
    signature: Option<Vec<u8>>,
    force: bool,
) -> Result<Manifest, ApiError> {
    let max = state.settings.max_upload_bytes;
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(CHANNEL_CHUNKS);
    let options = InstallOptions {
        policy: if force { ReplacePolicy::Always } else { ReplacePolicy::OnlyIfNew },
        ..(*state.install).clone()
    };
    let plugins_dir = state.plugins_dir.clone();
    let installer = tokio::task::spawn_blocking(move || {
        install_reader(ChannelReader::new(rx), signature.as_deref(), &plugins_dir, &options)
    });

    // Count what arrives, whatever Content-Length said (it may be absent or chunked).
    let mut received: u64 = 0;
    let mut over_limit = false;
    let mut read_error = None;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                received += chunk.len() as u64;
                if received > max {
                    over_limit = true;
                    let _ = tx.send(Err(io::Error::other("the upload is larger than MaxUploadBytes"))).await;
                    break;
                }
                if tx.send(Ok(chunk)).await.is_err() {
                    break; // The installer stopped reading (it failed or is done).
                }
            }
            Ok(None) => break,
            Err(e) => {
                let _ = tx.send(Err(io::Error::other(e.to_string()))).await;
                read_error = Some(e);
                break;
            }
        }
    }
    drop(tx);
    let installed = installer.await.map_err(|e| ApiError::internal(format!("the installer failed: {e}")))?;
    if read_error.is_none() && (over_limit || installed.is_err()) {
        drain(&mut field).await;
    }
    let installed = match (installed, read_error) {
        (Ok(installed), _) => installed,
        (Err(_), _) if over_limit => return Err(too_large(max)),
        // The upload broke off: that, not what the installer made of it, is the answer.
        (Err(_), Some(e)) => return Err(multipart_error(e, max)),
        (Err(e), None) => return Err(install_error(e)),
    };
    log::info!(
        "plugin {}: installed version {} ({:?})",
        installed.manifest.id,
        installed.manifest.version,
        installed.outcome
    );

    let env = state.env.clone();
    let id = installed.manifest.id.clone();
    let replaced = matches!(installed.outcome, Outcome::Replaced { .. });
    blocking(move || {
        // A replaced plugin that was running restarts on its new files.
        let was_running = replaced && env.status(&id).is_some_and(|s| s.state == PluginState::Running);
        if was_running {
            env.deactivate(&id).map_err(|e| ApiError::internal(e.to_string()))?;
        }
        env.scan().map_err(|e| ApiError::internal(e.to_string()))?;
        if was_running {
            // The install stands; a failed start shows in the plugin's status.
            if let Err(e) = env.activate(&id) {
                log::warn!("plugin {id}: restart after the upload failed: {e}");
            }
        }
        Ok(())
    })
    .await?;
    Ok(installed.manifest)
}

/// Reads what is left of a refused bundle and throws it away. A server that answers and closes
/// while the client is still sending makes the client's next write fail (broken pipe, or a reset
/// that also discards the answer), so the client would report a transport error instead of the
/// refusal. The body limit layer bounds how much is read; [`DRAIN_FOR`] bounds for how long.
async fn drain(field: &mut Field<'_>) {
    let _ = tokio::time::timeout(DRAIN_FOR, async { while let Ok(Some(_)) = field.chunk().await {} }).await;
}

/// The installer's refusal as an answer: the client's fault (400), a signature problem (403),
/// or the server's (500).
fn install_error(e: InstallError) -> ApiError {
    let message = e.to_string();
    match e {
        InstallError::SignatureRequired | InstallError::Signature(_) => {
            ApiError::new(StatusCode::FORBIDDEN, "api.plugin.install.signature.app_error", message)
        }
        InstallError::AlreadyInstalled { .. } => {
            ApiError::new(StatusCode::BAD_REQUEST, "app.plugin.install_id.app_error", message)
        }
        InstallError::Io { .. } => {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "app.plugin.install.app_error", message)
        }
        _ => ApiError::new(StatusCode::BAD_REQUEST, "app.plugin.invalid_bundle.app_error", message),
    }
}
