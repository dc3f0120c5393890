//! Plugins' slash commands from outside: `POST /api/v4/commands/execute` runs one as the admin's
//! user (upstream runs it as the session's user; this server's only user is the admin), and
//! `GET /api/v4/commands` lists the registered ones. Both need the admin token.

use super::api::execute_command;
use super::auth::Admin;
use super::error::ApiError;
use super::json::JsonBody;
use super::{blocking, AppState};
use api_definitions::model::{CommandArgs, CommandResponse};
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

/// The body of `POST /api/v4/commands/execute` (upstream's names).
#[derive(Debug, Deserialize)]
pub struct ExecuteBody {
    /// What was typed, slash first: `/weather Paris`.
    pub command: String,
    #[serde(default)]
    pub channel_id: String,
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub root_id: String,
}

pub async fn execute(
    _: Admin,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<ExecuteBody>,
) -> Result<Json<CommandResponse>, ApiError> {
    let args = CommandArgs {
        user_id: state.settings.admin_user_id.clone(),
        channel_id: body.channel_id,
        team_id: body.team_id,
        root_id: body.root_id,
        command: body.command,
        ..Default::default()
    };
    let api = state.api.clone();
    blocking(move || execute_command(&api, &args).map_err(ApiError::from)).await.map(Json)
}

/// One entry of `GET /api/v4/commands`.
#[derive(Debug, Serialize)]
pub struct CommandEntry {
    pub trigger: String,
    pub team_id: String,
    pub plugin_id: String,
    pub description: String,
    pub auto_complete_hint: String,
}

pub async fn list(_: Admin, State(state): State<AppState>) -> Json<Vec<CommandEntry>> {
    let entries = state.api.commands.list().into_iter().map(|r| CommandEntry {
        trigger: r.command.trigger,
        team_id: r.command.team_id,
        plugin_id: r.plugin_id,
        description: r.command.auto_complete_desc,
        auto_complete_hint: r.command.auto_complete_hint,
    });
    Json(entries.collect())
}
