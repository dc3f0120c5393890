//! The admin's plugin endpoints besides the upload: listing, statuses, enabling, disabling,
//! removing. Every environment call runs on a blocking thread.

use super::auth::Admin;
use super::error::ApiError;
use super::{blocking, AppState, ServerEnv};
use crate::environment::{EnvError, PluginState, PluginStatus};
use api_definitions::model::Manifest;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// `GET /api/v4/plugins` (upstream: `PluginsResponse`). The admin client reads the same type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PluginsResponse {
    pub active: Vec<Manifest>,
    pub inactive: Vec<Manifest>,
}

/// One entry of `GET /api/v4/plugins/statuses` (upstream: `PluginStatus`, plus `state_name`).
/// The admin client reads the same type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatusResponse {
    pub plugin_id: String,
    pub name: String,
    pub description: String,
    pub version: String,
    /// Upstream's numeric state (`PluginState::code`).
    pub state: u8,
    pub state_name: String,
    pub enabled: bool,
    pub error: String,
}

fn enabled_check(state: &AppState) -> Result<(), ApiError> {
    if state.settings.enable {
        Ok(())
    } else {
        Err(ApiError::plugins_disabled())
    }
}

fn env_error(e: EnvError) -> ApiError {
    match e {
        EnvError::NotInstalled { id } => ApiError::not_installed(&id),
        EnvError::Activation { .. } => {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "app.plugin.activate.app_error", e.to_string())
        }
        other => ApiError::internal(other.to_string()),
    }
}

pub async fn list(_: Admin, State(state): State<AppState>) -> Result<Json<PluginsResponse>, ApiError> {
    let statuses = current_statuses(&state).await?;
    let (active, inactive): (Vec<_>, Vec<_>) = statuses.into_iter().partition(|s| s.state == PluginState::Running);
    Ok(Json(PluginsResponse {
        active: active.into_iter().map(|s| s.manifest).collect(),
        inactive: inactive.into_iter().map(|s| s.manifest).collect(),
    }))
}

pub async fn statuses(_: Admin, State(state): State<AppState>) -> Result<Json<Vec<StatusResponse>>, ApiError> {
    let statuses = current_statuses(&state).await?;
    Ok(Json(
        statuses
            .into_iter()
            .map(|s| StatusResponse {
                plugin_id: s.id,
                name: s.name,
                description: s.manifest.description,
                version: s.version,
                state: s.state.code(),
                state_name: s.state.to_string(),
                enabled: s.enabled,
                error: s.error.unwrap_or_default(),
            })
            .collect(),
    ))
}

/// `POST /api/v4/plugins/{id}/enable`: persisted, then started. A plugin that does not start
/// stays enabled and "failed to start" (as upstream); the answer is 500 with the reason.
pub async fn enable(_: Admin, State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    env_op(&state, move |env| env.enable(&id)).await
}

pub async fn disable(_: Admin, State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    env_op(&state, move |env| env.disable(&id)).await
}

/// `DELETE /api/v4/plugins/{id}`: stopped, its directory deleted, its enabled state forgotten.
pub async fn remove(_: Admin, State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    env_op(&state, move |env| env.remove(&id)).await
}

/// Every installed plugin's status, read on a blocking thread (the environment's lock may be
/// held by a plugin starting).
pub(super) async fn current_statuses(state: &AppState) -> Result<Vec<PluginStatus>, ApiError> {
    enabled_check(state)?;
    let env = state.env.clone();
    blocking(move || Ok(env.statuses())).await
}

/// Runs one environment operation on a blocking thread; `{"status": "OK"}` when it succeeds.
async fn env_op(
    state: &AppState,
    op: impl FnOnce(&ServerEnv) -> Result<(), EnvError> + Send + 'static,
) -> Result<Json<Value>, ApiError> {
    enabled_check(state)?;
    let env = state.env.clone();
    blocking(move || op(&env).map_err(env_error)).await?;
    Ok(Json(json!({"status": "OK"})))
}
