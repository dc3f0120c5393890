//! Plugins themselves: the manifest describing a plugin bundle and its settings schema, and a
//! plugin's status on each node of the cluster.

use super::Config;
use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A plugin's manifest (`plugin.json`): its identity, what it runs, and its settings. Upstream:
/// `model.Manifest` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Manifest {
    /// The plugin's unique id, e.g. `com.example.myplugin`.
    pub id: String,
    pub name: String,
    pub description: String,
    pub homepage_url: String,
    pub support_url: String,
    pub release_notes_url: String,
    /// Path of the plugin's SVG icon inside the bundle.
    pub icon_path: String,
    /// The plugin's version, preferably semver.
    pub version: String,
    /// The oldest server version the plugin runs on.
    pub min_server_version: String,
    /// The server-side part of the plugin, if any.
    pub server: Option<ManifestServer>,
    /// The web-app part of the plugin, if any.
    pub webapp: Option<ManifestWebapp>,
    /// How the System Console shows the plugin's settings.
    pub settings_schema: Option<PluginSettingsSchema>,
    /// Free-form data, readable by other plugins.
    pub props: BTreeMap<String, serde_json::Value>,
    /// Deprecated upstream: server settings the plugin needs.
    #[serde(rename = "required_configuration")]
    pub required_config: Option<Config>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Manifest);

/// The server-side executables of a plugin. Upstream: `model.ManifestServer` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct ManifestServer {
    /// Executable paths by platform, e.g. `linux-amd64`.
    pub executables: BTreeMap<String, String>,
    /// The executable used when no platform-specific one matches.
    pub executable: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(ManifestServer);

/// The web-app bundle of a plugin. Upstream: `model.ManifestWebapp` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct ManifestWebapp {
    pub bundle_path: String,
    /// The 64-bit FNV-1a hash of the bundle, computed by the server when it loads the plugin.
    /// Hidden from JSON upstream (a manifest file never has it) but carried by its RPC, hence
    /// the Go name.
    #[serde(
        rename = "BundleHash",
        with = "plugin_runtime::codec::bytes",
        skip_serializing_if = "plugin_runtime::codec::is_default"
    )]
    pub bundle_hash: Vec<u8>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(ManifestWebapp);

/// The settings a plugin shows in the System Console. Upstream: `model.PluginSettingsSchema`
/// (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PluginSettingsSchema {
    /// Markdown above the settings.
    pub header: String,
    /// Markdown below the settings.
    pub footer: String,
    pub settings: Vec<PluginSetting>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PluginSettingsSchema);

/// One plugin setting. Upstream: `model.PluginSetting` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PluginSetting {
    /// The key the value is stored under in the plugin's configuration.
    pub key: String,
    pub display_name: String,
    /// `bool`, `dropdown`, `generated`, `radio`, `text`, `longtext`, `number`, `username` or
    /// `custom`.
    #[serde(rename = "type")]
    pub setting_type: String,
    /// Markdown help.
    pub help_text: String,
    /// Help next to the Regenerate button of `generated` settings.
    pub regenerate_help_text: String,
    pub placeholder: String,
    /// The default value, of the setting's type.
    pub default: serde_json::Value,
    /// The choices of `radio` and `dropdown` settings.
    pub options: Vec<PluginOption>,
    /// `cloud` or `on-prem` to show the setting only there; empty for both.
    pub hosting: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PluginSetting);

/// One choice of a `radio` or `dropdown` plugin setting. Upstream: `model.PluginOption` (all
/// fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PluginOption {
    pub display_name: String,
    pub value: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PluginOption);

pub const PLUGIN_STATE_NOT_RUNNING: i64 = 0;
pub const PLUGIN_STATE_STARTING: i64 = 1;
pub const PLUGIN_STATE_RUNNING: i64 = 2;
pub const PLUGIN_STATE_FAILED_TO_START: i64 = 3;
pub const PLUGIN_STATE_FAILED_TO_STAY_RUNNING: i64 = 4;
pub const PLUGIN_STATE_STOPPING: i64 = 5;

/// The state of an installed plugin on one node of the cluster. Upstream: `model.PluginStatus`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PluginStatus {
    pub plugin_id: String,
    pub cluster_id: String,
    pub plugin_path: String,
    /// One of the `PLUGIN_STATE_*` values.
    pub state: i64,
    pub error: String,
    pub name: String,
    pub description: String,
    pub version: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PluginStatus);
