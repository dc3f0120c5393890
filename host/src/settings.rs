//! Settings files the host keeps, written so that a crash at any moment leaves the old file or
//! the new one, never a broken one; and the plugin states kept in them (upstream:
//! `PluginSettings.PluginStates`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, written and
/// synced, renamed over `path`, then the directory synced so the rename itself is durable.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    File::open(dir)?.sync_all()
}

/// Whether a plugin is enabled (upstream: `PluginState`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginStateSetting {
    #[serde(rename = "Enable")]
    pub enable: bool,
}

/// The enabled state of every plugin an admin enabled or disabled, kept in a JSON file
/// (`{"PluginStates": {"com.example.demo": {"Enable": true}}}`, upstream's names).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginStates {
    #[serde(rename = "PluginStates", default)]
    pub states: BTreeMap<String, PluginStateSetting>,
}

/// Why the states file could not be used.
#[derive(Debug)]
pub struct SettingsError {
    pub path: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "settings file `{}`: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for SettingsError {}

impl PluginStates {
    /// Reads the file; a missing file is no states (every plugin disabled), as upstream's
    /// default.
    pub fn load(path: &Path) -> Result<PluginStates, SettingsError> {
        let error = |reason: String| SettingsError { path: path.to_path_buf(), reason };
        match fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| error(format!("not valid JSON: {e}"))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(PluginStates::default()),
            Err(e) => Err(error(e.to_string())),
        }
    }

    /// Writes the file atomically.
    pub fn save(&self, path: &Path) -> Result<(), SettingsError> {
        let mut bytes = serde_json::to_vec_pretty(self)
            .map_err(|e| SettingsError { path: path.to_path_buf(), reason: e.to_string() })?;
        bytes.push(b'\n');
        write_atomically(path, &bytes).map_err(|e| SettingsError { path: path.to_path_buf(), reason: e.to_string() })
    }

    pub fn is_enabled(&self, id: &str) -> bool {
        self.states.get(id).is_some_and(|s| s.enable)
    }
}
