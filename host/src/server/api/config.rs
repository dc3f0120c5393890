//! What plugins read and write of the server's settings: the server configuration as upstream's
//! `model.Config` (the plugin section filled from this server's settings file), each plugin's
//! own settings (`PluginSettings.Plugins[id]`), and saving them back into the settings file
//! atomically, keeping every other key.

use crate::server::config::ServerSettings;
use crate::settings::{update_object, SettingsError};
use api_definitions::model::{Config, Manifest, PluginState};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

type PluginConfig = BTreeMap<String, serde_json::Value>;

/// The settings the plugins see, kept in memory and written through to the settings file.
pub struct PluginSettingsStore {
    path: PathBuf,
    settings: Mutex<ServerSettings>,
}

impl PluginSettingsStore {
    pub fn new(path: PathBuf, settings: ServerSettings) -> Self {
        PluginSettingsStore { path, settings: Mutex::new(settings) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ServerSettings> {
        self.settings.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The server configuration as upstream's `GetConfig` gives it to plugins: this server has
    /// only the plugin section; the rest is upstream's defaults (unset). `enabled` is the
    /// plugin states of the moment (the environment owns them). Nothing secret is in it: the
    /// admin token is not a `Config` setting.
    pub fn config(&self, enabled: impl IntoIterator<Item = (String, bool)>) -> Config {
        let settings = self.lock();
        let mut config = Config::default();
        let p = &mut config.plugin_settings;
        p.enable = Some(settings.enable);
        p.enable_uploads = Some(settings.enable_uploads);
        p.enable_health_check = Some(settings.enable_health_check);
        p.directory = Some(settings.directory.clone());
        p.client_directory = Some(settings.client_directory.clone());
        p.require_plugin_signature = Some(settings.require_plugin_signature);
        p.signature_public_key_files = settings.signature_public_key_files.clone();
        p.plugins = settings.plugins.iter().map(|(id, c)| (id.clone(), to_map(c))).collect();
        p.plugin_states =
            enabled.into_iter().map(|(id, enable)| (id, PluginState { enable, ..Default::default() })).collect();
        config
    }

    /// Plugin `id`'s settings as saved (upstream's `GetPluginConfig`), empty when it has none.
    pub fn plugin_config(&self, id: &str) -> PluginConfig {
        self.lock().plugins.get(id).map(to_map).unwrap_or_default()
    }

    /// What `load_plugin_configuration` gives plugin `id`: each setting of its manifest's
    /// schema at its default, overridden by the saved settings; keys lowercased, as upstream
    /// (whose configuration loader lowercases every key).
    pub fn plugin_configuration(&self, id: &str, manifest: Option<&Manifest>) -> serde_json::Value {
        let mut merged = serde_json::Map::new();
        if let Some(schema) = manifest.and_then(|m| m.settings_schema.as_ref()) {
            for setting in &schema.settings {
                merged.insert(setting.key.to_lowercase(), setting.default.clone());
            }
        }
        for (key, value) in self.plugin_config(id) {
            merged.insert(key.to_lowercase(), value);
        }
        serde_json::Value::Object(merged)
    }

    /// Saves plugin `id`'s settings (upstream's `SavePluginConfig`): the settings file is
    /// rewritten atomically with only `Plugins.<id>` changed, then the copy in memory. The lock
    /// is held across both, so readers never see a value the file does not hold.
    pub fn save_plugin_config(&self, id: &str, config: PluginConfig) -> Result<(), SettingsError> {
        let mut settings = self.lock();
        let object: serde_json::Map<String, serde_json::Value> = config.into_iter().collect();
        update_object(&self.path, |file| {
            let plugins = file.entry("Plugins").or_insert_with(|| serde_json::Value::Object(Default::default()));
            if !plugins.is_object() {
                *plugins = serde_json::Value::Object(Default::default());
            }
            if let Some(plugins) = plugins.as_object_mut() {
                plugins.insert(id.to_owned(), serde_json::Value::Object(object.clone()));
            }
        })?;
        settings.plugins.insert(id.to_owned(), object);
        Ok(())
    }
}

fn to_map(object: &serde_json::Map<String, serde_json::Value>) -> PluginConfig {
    object.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_definitions::model::{PluginSetting, PluginSettingsSchema};

    #[test]
    fn saving_a_plugins_settings_changes_only_its_key_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, r#"{"ListenAddress": "127.0.0.1:1", "Plugins": {"b": {"x": 1}}}"#).unwrap();
        let store = PluginSettingsStore::new(path.clone(), ServerSettings::load(&path).unwrap());
        store.save_plugin_config("a", BTreeMap::from([("Greeting".into(), serde_json::json!("hi"))])).unwrap();
        let file: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(file["ListenAddress"], "127.0.0.1:1");
        assert_eq!(file["Plugins"], serde_json::json!({"a": {"Greeting": "hi"}, "b": {"x": 1}}));
        assert_eq!(store.plugin_config("a")["Greeting"], "hi");
        assert!(store.plugin_config("c").is_empty());
        let config = store.config([("a".to_owned(), true)]);
        assert_eq!(config.plugin_settings.plugins["b"]["x"], 1);
        assert!(config.plugin_settings.plugin_states["a"].enable);
    }

    #[test]
    fn the_configuration_is_the_schemas_defaults_overridden_by_the_saved_settings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let store = PluginSettingsStore::new(path, ServerSettings::default());
        let setting = |key: &str, default| PluginSetting { key: key.into(), default, ..Default::default() };
        let manifest = Manifest {
            settings_schema: Some(PluginSettingsSchema {
                settings: vec![setting("Greeting", serde_json::json!("hello")), setting("Limit", serde_json::json!(3))],
                ..Default::default()
            }),
            ..Default::default()
        };
        store.save_plugin_config("a", BTreeMap::from([("limit".into(), serde_json::json!(5))])).unwrap();
        assert_eq!(
            store.plugin_configuration("a", Some(&manifest)),
            serde_json::json!({"greeting": "hello", "limit": 5})
        );
    }
}
