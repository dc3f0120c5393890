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

/// Serialises the read-modify-write cycles of [`update_object`]: the environment (plugin
/// states) and the host API (plugins' settings) change different keys of one file, and two
/// cycles at once would each write back the other's old value.
static UPDATES: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Changes some keys of a JSON settings file and writes it back atomically, keeping every other
/// key. A missing file starts empty; a file that is not a JSON object is refused, not
/// overwritten (it may be a mistake worth keeping).
pub fn update_object(
    path: &Path,
    change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> Result<(), SettingsError> {
    let error = |reason: String| SettingsError { path: path.to_path_buf(), reason };
    let _one_at_a_time = UPDATES.lock().unwrap_or_else(|e| e.into_inner());
    let mut object = match fs::read(path) {
        Ok(bytes) => match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(serde_json::Value::Object(object)) => object,
            Ok(_) => return Err(error("not a JSON object; refusing to overwrite it".to_owned())),
            Err(e) => return Err(error(format!("not valid JSON: {e}; refusing to overwrite it"))),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => serde_json::Map::new(),
        Err(e) => return Err(error(e.to_string())),
    };
    change(&mut object);
    let mut bytes = serde_json::to_vec_pretty(&object).map_err(|e| error(e.to_string()))?;
    bytes.push(b'\n');
    write_atomically(path, &bytes).map_err(|e| error(e.to_string()))
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

    /// Writes the states into the file atomically, keeping every other key the file holds: the
    /// states live inside the server's settings file (`PluginSettings`), and saving them must
    /// not drop the rest.
    pub fn save(&self, path: &Path) -> Result<(), SettingsError> {
        let states = serde_json::to_value(&self.states)
            .map_err(|e| SettingsError { path: path.to_path_buf(), reason: e.to_string() })?;
        update_object(path, |object| {
            object.insert("PluginStates".to_owned(), states);
        })
    }

    pub fn is_enabled(&self, id: &str) -> bool {
        self.states.get(id).is_some_and(|s| s.enable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_the_states_keeps_the_other_keys_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        fs::write(
            &path,
            r#"{"Enable": true, "Plugins": {"a.b.c": {"x": 1}}, "PluginStates": {"old.one": {"Enable": true}}}"#,
        )
        .unwrap();
        let mut states = PluginStates::load(&path).unwrap();
        assert!(states.is_enabled("old.one"));
        states.states.insert("new.one".to_owned(), PluginStateSetting { enable: true });
        states.save(&path).unwrap();
        let saved: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(saved["Enable"], serde_json::json!(true));
        assert_eq!(saved["Plugins"], serde_json::json!({"a.b.c": {"x": 1}}));
        assert_eq!(saved["PluginStates"]["new.one"], serde_json::json!({"Enable": true}));
        assert_eq!(PluginStates::load(&path).unwrap(), states);
    }

    #[test]
    fn a_file_that_is_not_a_json_object_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        fs::write(&path, "[1, 2]").unwrap();
        assert!(PluginStates::default().save(&path).is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "[1, 2]");
    }
}
