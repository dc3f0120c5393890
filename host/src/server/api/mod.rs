//! The reference host API the server's plugins call back into: one [`HostApi`] per plugin, so
//! every call knows which plugin made it (upstream binds an API per plugin id the same way).
//!
//! Implemented: the key-value store on the server's SQLite store ([`crate::store`]), the
//! `log_*` methods (into the server's log, with the plugin id and the fields), the server
//! version, the plugin's own id and bundle path, the configuration and plugin settings
//! ([`config`]), slash commands ([`commands`]) and WebSocket events ([`events`]). Every other
//! method keeps `Api`'s default body, which answers "not implemented" naming the method; the
//! impl block is `#[plugin_macros::implemented]`, so plugins learn at the handshake which
//! methods exist and a call to another fails at once. `docs/plugin-server.md` lists what is
//! real.

pub mod commands;
pub mod config;
pub mod events;

use crate::environment::{ApiSource, Environment, MattermostDriver, WeakEnvironment};
use crate::store::{PluginKv, Store, StoreError};
use api_definitions::api::Api;
use api_definitions::hooks::Hooks;
use api_definitions::model::{
    AppError, Command, CommandArgs, CommandResponse, Config, Context, LogField, LogValue, PluginError,
    PluginKVSetOptions, WebsocketBroadcast,
};
use commands::Commands;
use config::PluginSettingsStore;
use events::Events;
use plugin_runtime::RpcError;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// The environment of this server's plugins.
pub type ServerEnv = Environment<MattermostDriver<Shared>>;

/// What every plugin's API shares.
#[derive(Clone)]
pub struct Shared {
    pub store: Arc<Store>,
    pub server_version: String,
    pub plugins_dir: PathBuf,
    pub settings: Arc<PluginSettingsStore>,
    pub commands: Arc<Commands>,
    pub events: Arc<Events>,
    /// The environment the plugins run in, set once it exists (it is made with this value
    /// inside it, hence weak and late).
    pub env: Arc<OnceLock<WeakEnvironment<MattermostDriver<Shared>>>>,
}

impl Shared {
    /// The plugins' environment, unless the server is going away.
    pub fn env(&self) -> Option<ServerEnv> {
        self.env.get()?.upgrade()
    }
}

impl ApiSource for Shared {
    type Api = HostApi;

    fn api_for(&self, plugin_id: &str) -> HostApi {
        HostApi::new(plugin_id, self.clone())
    }
}

/// The host API of one plugin.
pub struct HostApi {
    plugin_id: String,
    /// `Err` for an id the store refuses (too long): every KV call then answers that error.
    kv: Result<PluginKv, StoreError>,
    shared: Shared,
}

impl HostApi {
    pub fn new(plugin_id: &str, shared: Shared) -> HostApi {
        HostApi { plugin_id: plugin_id.to_owned(), kv: shared.store.kv(plugin_id), shared }
    }

    fn kv<T>(&self, method: &str, f: impl FnOnce(&PluginKv) -> Result<T, StoreError>) -> Result<T, AppError> {
        let kv = self.kv.as_ref().map_err(|e| app_error(method, e))?;
        f(kv).map_err(|e| app_error(method, &e))
    }

    fn log(&self, level: log::Level, msg: &str, fields: &[LogField]) {
        let mut line = String::from(msg);
        for field in fields {
            line.push(' ');
            line.push_str(&field.key);
            line.push('=');
            line.push_str(&log_value(&field.value));
        }
        log::log!(target: "plugin", level, "plugin {}: {line}", self.plugin_id);
    }
}

fn log_value(value: &LogValue) -> String {
    match value {
        LogValue::Null => "null".to_owned(),
        LogValue::Bool(v) => v.to_string(),
        LogValue::Int(v) => v.to_string(),
        LogValue::Uint(v) => v.to_string(),
        LogValue::Float(v) => v.to_string(),
        // Quoted (with escapes) so a value cannot fake further fields or lines in the log.
        LogValue::Str(v) => format!("{v:?}"),
        LogValue::Json(v) => v.to_string(),
    }
}

/// A store error as upstream's `AppError` (ids from `docs/reference-api-store.md`): the caller's
/// mistakes are 400, the server's 500.
fn app_error(method: &str, e: &StoreError) -> AppError {
    let id = match e {
        StoreError::InvalidKey { .. } => "model.plugin_key_value.is_valid.key.app_error",
        StoreError::InvalidPluginId { .. } => "model.plugin_key_value.is_valid.plugin_id.app_error",
        StoreError::OldValueWithoutAtomic { .. } => "model.plugin_kvset_options.is_valid.old_value.app_error",
        _ => "app.plugin_store.app_error",
    };
    let status = if e.is_bad_request() { 400 } else { 500 };
    AppError::new(id, &format!("Api::{method}"), &e.to_string(), status)
}

#[plugin_macros::implemented]
impl Api for HostApi {
    fn kv_set(&self, key: &str, value: &[u8]) -> Result<(), AppError> {
        self.kv("kv_set", |kv| kv.set(key, value))
    }

    fn kv_compare_and_set(&self, key: &str, old_value: &[u8], new_value: &[u8]) -> Result<bool, AppError> {
        self.kv("kv_compare_and_set", |kv| kv.compare_and_set(key, old_value, new_value))
    }

    fn kv_compare_and_delete(&self, key: &str, old_value: &[u8]) -> Result<bool, AppError> {
        self.kv("kv_compare_and_delete", |kv| kv.compare_and_delete(key, old_value))
    }

    fn kv_set_with_options(&self, key: &str, value: &[u8], options: &PluginKVSetOptions) -> Result<bool, AppError> {
        self.kv("kv_set_with_options", |kv| kv.set_with_options(key, value, options))
    }

    fn kv_set_with_expiry(&self, key: &str, value: &[u8], expire_in_seconds: i64) -> Result<(), AppError> {
        self.kv("kv_set_with_expiry", |kv| kv.set_with_expiry(key, value, expire_in_seconds))
    }

    fn kv_get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        self.kv("kv_get", |kv| kv.get(key))
    }

    fn kv_delete(&self, key: &str) -> Result<(), AppError> {
        self.kv("kv_delete", |kv| kv.delete(key))
    }

    fn kv_delete_all(&self) -> Result<(), AppError> {
        self.kv("kv_delete_all", |kv| kv.delete_all())
    }

    fn kv_list(&self, page: i64, per_page: i64) -> Result<Vec<String>, AppError> {
        self.kv("kv_list", |kv| kv.list(page, per_page))
    }

    fn log_debug(&self, msg: &str, key_value_pairs: &[LogField]) -> Result<(), RpcError> {
        self.log(log::Level::Debug, msg, key_value_pairs);
        Ok(())
    }

    fn log_info(&self, msg: &str, key_value_pairs: &[LogField]) -> Result<(), RpcError> {
        self.log(log::Level::Info, msg, key_value_pairs);
        Ok(())
    }

    fn log_warn(&self, msg: &str, key_value_pairs: &[LogField]) -> Result<(), RpcError> {
        self.log(log::Level::Warn, msg, key_value_pairs);
        Ok(())
    }

    fn log_error(&self, msg: &str, key_value_pairs: &[LogField]) -> Result<(), RpcError> {
        self.log(log::Level::Error, msg, key_value_pairs);
        Ok(())
    }

    fn get_server_version(&self) -> Result<String, RpcError> {
        Ok(self.shared.server_version.clone())
    }

    fn get_plugin_id(&self) -> Result<String, RpcError> {
        Ok(self.plugin_id.clone())
    }

    /// The plugin's directory, absolute, as upstream's `GetBundlePath`.
    fn get_bundle_path(&self) -> Result<String, PluginError> {
        Ok(self.shared.plugins_dir.join(&self.plugin_id).display().to_string())
    }

    fn get_config(&self) -> Result<Config, RpcError> {
        Ok(self.config())
    }

    /// The same as `get_config`: this server's configuration holds no secret to sanitise.
    fn get_unsanitized_config(&self) -> Result<Config, RpcError> {
        Ok(self.config())
    }

    fn get_plugin_config(&self) -> Result<BTreeMap<String, serde_json::Value>, RpcError> {
        Ok(self.shared.settings.plugin_config(&self.plugin_id))
    }

    fn load_plugin_configuration(&self) -> Result<serde_json::Value, PluginError> {
        let manifest = self.shared.env().and_then(|env| env.manifest(&self.plugin_id));
        Ok(self.shared.settings.plugin_configuration(&self.plugin_id, manifest.as_ref()))
    }

    /// Saves the settings, then tells every running plugin (`on_configuration_change`), as
    /// upstream's configuration listener does; the plugins hear it on another thread, so the
    /// caller's own hook may run while it still waits for this answer.
    fn save_plugin_config(&self, config: BTreeMap<String, serde_json::Value>) -> Result<(), AppError> {
        self.shared.settings.save_plugin_config(&self.plugin_id, config).map_err(|e| {
            AppError::new("app.plugin.save_config.app_error", "Api::save_plugin_config", &e.to_string(), 500)
        })?;
        if let Some(env) = self.shared.env() {
            std::thread::spawn(move || {
                crate::environment::hooks::notify(&env, "on_configuration_change", |client| {
                    client.on_configuration_change()
                })
            });
        }
        Ok(())
    }

    fn register_command(&self, command: &Command) -> Result<(), PluginError> {
        let env = self.shared.env();
        let running = |id: &str| env.as_ref().is_some_and(|env| env.running_plugin(id).is_some());
        self.shared
            .commands
            .register(&self.plugin_id, command, running)
            .map_err(|e| PluginError::msg(format!("plugin `{}`: {e}", self.plugin_id)))
    }

    fn unregister_command(&self, team_id: &str, trigger: &str) -> Result<(), PluginError> {
        self.shared.commands.unregister(&self.plugin_id, team_id, trigger);
        Ok(())
    }

    fn execute_slash_command(&self, command_args: &CommandArgs) -> Result<CommandResponse, PluginError> {
        execute_command(&self.shared, command_args).map_err(|e| PluginError::msg(e.to_string()))
    }

    fn publish_web_socket_event(
        &self,
        event: &str,
        payload: BTreeMap<String, serde_json::Value>,
        broadcast: &WebsocketBroadcast,
    ) -> Result<(), RpcError> {
        let seq = self.shared.events.publish(&self.plugin_id, event, payload, broadcast);
        log::debug!(target: "plugin", "plugin {}: published WebSocket event {event} (#{seq})", self.plugin_id);
        Ok(())
    }
}

impl HostApi {
    fn config(&self) -> Config {
        let enabled = self.shared.env().map(|env| env.statuses()).unwrap_or_default();
        self.shared.settings.config(enabled.into_iter().map(|s| (s.id, s.enabled)))
    }
}

/// Runs the slash command `args.command` through the plugin that registered its trigger
/// (upstream's `ExecuteCommand` for plugin commands). A command nobody registered is 404.
pub fn execute_command(shared: &Shared, args: &CommandArgs) -> Result<CommandResponse, AppError> {
    const WHERE: &str = "execute_command";
    let Some(trigger) = commands::trigger_of(&args.command) else {
        let message = format!("`{}` is not a command: it must start with `/`", args.command);
        return Err(AppError::new("api.command.execute_command.format.app_error", WHERE, &message, 400));
    };
    let not_found =
        |message: String| AppError::new("api.command.execute_command.not_found.app_error", WHERE, &message, 404);
    let Some(registered) = shared.commands.find(&args.team_id, &trigger) else {
        return Err(not_found(format!("no command `/{trigger}` is registered")));
    };
    let client = shared.env().and_then(|env| env.running_plugin(&registered.plugin_id)).filter(|r| r.client.is_some());
    let Some(running) = client else {
        return Err(not_found(format!(
            "`/{trigger}` belongs to plugin `{}`, which is not running",
            registered.plugin_id
        )));
    };
    let client = running.client.as_ref().expect("filtered on a client");
    client.execute_command(&Context::default(), args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(dir: &std::path::Path, id: &str) -> HostApi {
        let store = Arc::new(Store::open(&dir.join("data.db")).unwrap());
        let settings = config::PluginSettingsStore::new(dir.join("settings.json"), Default::default());
        let shared = Shared {
            store,
            server_version: "11.0.0".into(),
            plugins_dir: dir.join("plugins"),
            settings: Arc::new(settings),
            commands: Default::default(),
            events: Default::default(),
            env: Default::default(),
        };
        HostApi::new(id, shared)
    }

    #[test]
    fn kv_calls_reach_this_plugins_keys_and_errors_are_app_errors() {
        let dir = tempfile::tempdir().unwrap();
        let api = api(dir.path(), "com.example.a");
        api.kv_set("k", b"v").unwrap();
        assert_eq!(api.kv_get("k").unwrap(), Some(b"v".to_vec()));
        assert!(api.kv_compare_and_set("k", b"v", b"w").unwrap());
        assert_eq!(api.kv_list(0, 10).unwrap(), ["k"]);
        let e = api.kv_set(&"x".repeat(151), b"v").unwrap_err().into_details();
        assert_eq!((e.id.as_str(), e.status_code), ("model.plugin_key_value.is_valid.key.app_error", 400));
        assert!(e.where_.contains("kv_set"), "{}", e.where_);
    }

    #[test]
    fn what_is_not_implemented_says_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let e = api(dir.path(), "com.example.a").get_user("user-1").unwrap_err().to_string();
        assert!(e.contains("get_user"), "{e}");
    }

    #[test]
    fn the_implemented_set_is_what_the_impl_defines() {
        use plugin_runtime::Implements;
        let methods = <HostApi as Implements<dyn Api>>::METHODS;
        assert!(methods.contains(&"kv_compare_and_set") && methods.contains(&"log_info"), "{methods:?}");
        assert!(!methods.contains(&"get_user"), "{methods:?}");
    }

    #[test]
    fn log_values_cannot_forge_lines() {
        assert_eq!(log_value(&LogValue::Str("a\nb=c".into())), "\"a\\nb=c\"");
    }
}
