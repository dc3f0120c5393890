//! The server's settings file: upstream's `PluginSettings` (same JSON names) plus what this
//! server needs of its own (listen address, upload limit, admin token), with documented
//! defaults and paths relative to the settings file's directory.

use crate::settings::{write_atomically, PluginStateSetting, SettingsError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The default of `ListenAddress`: loopback only, upstream's port.
pub const DEFAULT_LISTEN_ADDRESS: &str = "127.0.0.1:8065";
/// The default of `MaxUploadBytes`: 256 MiB.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 256 << 20;

/// The settings file. Keys this build does not know are kept in `other` and written back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerSettings {
    /// Plugins at all: with `false` no plugin starts and every plugin endpoint answers 501.
    #[serde(rename = "Enable")]
    pub enable: bool,
    /// Whether `POST /api/v4/plugins` accepts bundles. Default `true` (upstream: `false`):
    /// uploading is this server's way of installing and needs the admin token anyway.
    #[serde(rename = "EnableUploads")]
    pub enable_uploads: bool,
    /// The plugins directory (default `plugins`, relative to the settings file's directory).
    #[serde(rename = "Directory")]
    pub directory: String,
    /// Where the running plugins' web-app bundles are copied and served from, one directory
    /// per id (default `client/plugins`); created at start.
    #[serde(rename = "ClientDirectory")]
    pub client_directory: String,
    /// Each plugin's own settings, by id (a JSON object each), as upstream's `Plugins`.
    #[serde(rename = "Plugins")]
    pub plugins: BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
    /// Which plugins are enabled. The environment owns this key at run time and writes it
    /// (keeping the other keys, `PluginStates::save`).
    #[serde(rename = "PluginStates")]
    pub plugin_states: BTreeMap<String, PluginStateSetting>,
    /// Refuse uploads without a valid signature by a key of `SignaturePublicKeyFiles`.
    #[serde(rename = "RequirePluginSignature")]
    pub require_plugin_signature: bool,
    /// Trusted OpenPGP public key files (relative to the settings file's directory).
    #[serde(rename = "SignaturePublicKeyFiles")]
    pub signature_public_key_files: Vec<String>,
    /// Ping running plugins and restart hung ones (default `true`).
    #[serde(rename = "EnableHealthCheck")]
    pub enable_health_check: bool,
    /// Where the REST API listens (default `127.0.0.1:8065`).
    #[serde(rename = "ListenAddress")]
    pub listen_address: String,
    /// The largest bundle an upload may carry (default 256 MiB).
    #[serde(rename = "MaxUploadBytes")]
    pub max_upload_bytes: u64,
    /// The file holding the admin token (default `admin-token`), made at first start.
    #[serde(rename = "AdminTokenFile")]
    pub admin_token_file: String,
    /// The admin token itself; when set, `AdminTokenFile` is not used.
    #[serde(rename = "AdminToken", skip_serializing_if = "Option::is_none")]
    pub admin_token: Option<String>,
    /// The reference host API's SQLite database (default `plugin-host.db`, relative to the
    /// settings file's directory): the plugins' KV store. Made at first start.
    #[serde(rename = "DatabaseFile")]
    pub database_file: String,
    /// The user a request with the admin token acts as: plugins' HTTP routes see this id in
    /// `Mattermost-User-Id`, and posts made through the REST API are theirs. Empty (the
    /// default): the user `admin` the server makes in its database at first start.
    #[serde(rename = "AdminUserId")]
    pub admin_user_id: String,
    /// How long a plugin has to answer a request to its HTTP routes with a status and headers
    /// (default 300 s; the body may take longer). Upstream has no limit: a hung plugin holds
    /// the request forever.
    #[serde(rename = "PluginRequestTimeoutSeconds")]
    pub plugin_request_timeout_seconds: u64,
    /// The async runtime's worker threads, which answer HTTP requests and wait for plugins
    /// (default 0: automatic, see [`ServerSettings::worker_threads`]).
    #[serde(rename = "WorkerThreads")]
    pub worker_threads: usize,
    /// Keys this build does not know, written back unchanged.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            enable: true,
            enable_uploads: true,
            directory: "plugins".to_owned(),
            client_directory: "client/plugins".to_owned(),
            plugins: BTreeMap::new(),
            plugin_states: BTreeMap::new(),
            require_plugin_signature: false,
            signature_public_key_files: Vec::new(),
            enable_health_check: true,
            listen_address: DEFAULT_LISTEN_ADDRESS.to_owned(),
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            admin_token_file: "admin-token".to_owned(),
            admin_token: None,
            database_file: "plugin-host.db".to_owned(),
            admin_user_id: String::new(),
            plugin_request_timeout_seconds: 300,
            worker_threads: 0,
            other: serde_json::Map::new(),
        }
    }
}

impl ServerSettings {
    /// Reads the settings file; a missing file is the defaults (and is not written).
    pub fn load(path: &Path) -> Result<ServerSettings, SettingsError> {
        let error = |reason: String| SettingsError { path: path.to_path_buf(), reason };
        match fs::read(path) {
            Ok(bytes) => {
                let mut de = serde_json::Deserializer::from_slice(&bytes);
                serde_path_to_error::deserialize(&mut de).map_err(|e| error(format!("not valid settings: {e}")))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(ServerSettings::default()),
            Err(e) => Err(error(e.to_string())),
        }
    }

    /// How many async workers to start on a machine with `cores` cores: `WorkerThreads` when
    /// set, else one per core but one, at least one. The core left over is for the plugins'
    /// processes, which do the work of every plugin request: with a worker on every core, a
    /// worker that finds a second task ready wakes a sleeping sibling to take it, and on a
    /// small machine that sibling takes the core a plugin (or the blocking pool) needed. On 2
    /// cores, one worker cut the server's CPU per plugin request by about a tenth and removed
    /// its futex calls (`docs/plugin-server.md`, "Worker threads").
    pub fn worker_threads(&self, cores: usize) -> usize {
        match self.worker_threads {
            0 => cores.saturating_sub(1).max(1),
            n => n,
        }
    }

    /// Writes the settings file atomically.
    pub fn save(&self, path: &Path) -> Result<(), SettingsError> {
        let error = |reason: String| SettingsError { path: path.to_path_buf(), reason };
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|e| error(e.to_string()))?;
        bytes.push(b'\n');
        write_atomically(path, &bytes).map_err(|e| error(e.to_string()))
    }
}

/// A path of the settings resolved against the settings file's directory.
pub fn resolve(settings_file: &Path, path: &str) -> PathBuf {
    let base = match settings_file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    base.join(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_the_defaults_and_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let settings = ServerSettings::load(&path).unwrap();
        assert_eq!(settings, ServerSettings::default());
        assert_eq!(settings.listen_address, "127.0.0.1:8065");
        assert_eq!(settings.max_upload_bytes, 256 << 20);
        assert!(!path.exists());
        assert_eq!(resolve(&path, &settings.directory), dir.path().join("plugins"));
    }

    #[test]
    fn unknown_keys_survive_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        fs::write(&path, r#"{"EnableUploads": false, "MarketplaceURL": "https://example.com"}"#).unwrap();
        let settings = ServerSettings::load(&path).unwrap();
        assert!(!settings.enable_uploads);
        assert!(settings.enable);
        settings.save(&path).unwrap();
        let again = ServerSettings::load(&path).unwrap();
        assert_eq!(again.other["MarketplaceURL"], "https://example.com");
        assert_eq!(again, settings);
    }

    #[test]
    fn workers_leave_a_core_to_the_plugins_unless_set() {
        let mut settings = ServerSettings::default();
        assert_eq!([1, 2, 4, 16].map(|cores| settings.worker_threads(cores)), [1, 1, 3, 15]);
        settings.worker_threads = 6;
        assert_eq!(settings.worker_threads(2), 6);
    }

    #[test]
    fn a_wrong_type_names_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        fs::write(&path, r#"{"MaxUploadBytes": "big"}"#).unwrap();
        let e = ServerSettings::load(&path).unwrap_err().to_string();
        assert!(e.contains("MaxUploadBytes"), "{e}");
    }
}
