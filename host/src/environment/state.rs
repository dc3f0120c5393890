//! The states a plugin goes through in the environment, and the status reported for it.

use super::WebappBundle;
use api_definitions::model::Manifest;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// Where a plugin is in its life (upstream: `PluginStateNotRunning` ... `PluginStateStopping`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PluginState {
    NotRunning,
    Starting,
    Running,
    /// The last start failed; the reason is in the status's error.
    FailedToStart,
    /// It failed too often within the failure window and is not restarted any more.
    FailedToStayRunning,
    Stopping,
}

impl PluginState {
    /// Upstream's numeric state (`model.PluginState*`), for API compatibility.
    pub fn code(self) -> u8 {
        match self {
            PluginState::NotRunning => 0,
            PluginState::Starting => 1,
            PluginState::Running => 2,
            PluginState::FailedToStart => 3,
            PluginState::FailedToStayRunning => 4,
            PluginState::Stopping => 5,
        }
    }
}

impl fmt::Display for PluginState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PluginState::NotRunning => "not running",
            PluginState::Starting => "starting",
            PluginState::Running => "running",
            PluginState::FailedToStart => "failed to start",
            PluginState::FailedToStayRunning => "failed to stay running",
            PluginState::Stopping => "stopping",
        })
    }
}

/// One installed plugin as the environment sees it.
#[derive(Debug, Clone)]
pub struct PluginStatus {
    pub id: String,
    pub name: String,
    pub version: String,
    pub state: PluginState,
    /// Why it failed, or what is pending (a restart), if anything.
    pub error: Option<String>,
    /// Enabled in the settings.
    pub enabled: bool,
    pub dir: PathBuf,
    pub manifest: Manifest,
    /// The web-app bundle clients load, while the plugin runs (see
    /// [`Environment::webapp_bundle`](super::Environment::webapp_bundle)).
    pub webapp_bundle: Option<WebappBundle>,
}
