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
pub mod posts;

use crate::environment::hooks::{self, Outcome, Rejection};
use crate::environment::{ApiSource, Environment, MattermostDriver, WeakEnvironment};
use crate::store::{PluginKv, Store, StoreError};
use api_definitions::api::Api;
use api_definitions::hooks::Hooks;
use api_definitions::model::{
    AppError, Channel, ChannelMember, Command, CommandArgs, CommandResponse, Config, Context, LogField, PluginError,
    PluginKVSetOptions, Post, PostList, Team, TeamMember, User, UserGetOptions, WebsocketBroadcast,
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
        let kv = self.kv.as_ref().map_err(|e| store_error(method, e))?;
        f(kv).map_err(|e| store_error(method, &e))
    }

    fn log(&self, level: log::Level, msg: &str, fields: &[LogField]) {
        let mut line = String::from(msg);
        for field in fields {
            line.push(' ');
            line.push_str(&field.key);
            line.push('=');
            line.push_str(&field.value.to_string());
        }
        log::log!(target: "plugin", level, "plugin {}: {line}", self.plugin_id);
    }
}

/// A store error as upstream's `AppError`, with upstream's id for the case where it has one
/// (the table is in `docs/reference-api-store.md`): the caller's mistakes are 400, what is not
/// there 404, the server's own failures 500. `method` names the API method in `where`.
pub fn store_error(method: &str, e: &StoreError) -> AppError {
    let id: String = match e {
        StoreError::InvalidKey { .. } => "model.plugin_key_value.is_valid.key.app_error".into(),
        StoreError::InvalidPluginId { .. } => "model.plugin_key_value.is_valid.plugin_id.app_error".into(),
        StoreError::OldValueWithoutAtomic { .. } => "model.plugin_kvset_options.is_valid.old_value.app_error".into(),
        StoreError::NotFound { what, .. } => match *what {
            "user" => "app.user.missing_account.const",
            "team" => "app.team.get.find.app_error",
            "team member" => "app.team.get_member.missing.app_error",
            "channel" => "app.channel.get.existing.app_error",
            "channel member" => "app.channel.get_member.missing.app_error",
            "post" => "app.post.get.app_error",
            _ => "app.store.not_found.app_error",
        }
        .into(),
        StoreError::Conflict { field, .. } => match *field {
            "user.username" => "app.user.save.username_exists.app_error",
            "user.email" => "app.user.save.email_exists.app_error",
            "team.name" => "app.team.save.existing.app_error",
            "channel.name" => "store.sql_channel.save_channel.exists.app_error",
            _ => "app.store.conflict.app_error",
        }
        .into(),
        StoreError::Invalid { what, field, .. } => {
            let what = what.replace(' ', "_");
            let field = field.rsplit('.').next().unwrap_or(field);
            format!("model.{what}.is_valid.{field}.app_error")
        }
        _ => "app.plugin_store.app_error".into(),
    };
    let status = if e.is_not_found() {
        404
    } else if e.is_bad_request() {
        400
    } else {
        500
    };
    AppError::new(&id, &format!("Api::{method}"), &e.to_string(), status)
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

    // Core data: straight to the store (`crate::store`), whose checks follow upstream's.

    fn create_user(&self, user: &User) -> Result<User, AppError> {
        self.shared.store.create_user(user).map_err(|e| store_error("create_user", &e))
    }

    fn delete_user(&self, user_id: &str) -> Result<(), AppError> {
        self.shared.store.delete_user(user_id).map_err(|e| store_error("delete_user", &e))
    }

    fn get_users(&self, options: &UserGetOptions) -> Result<Vec<User>, AppError> {
        self.shared.store.get_users(options).map_err(|e| store_error("get_users", &e))
    }

    fn get_user(&self, user_id: &str) -> Result<User, AppError> {
        self.shared.store.get_user(user_id).map_err(|e| store_error("get_user", &e))
    }

    fn get_user_by_email(&self, email: &str) -> Result<User, AppError> {
        self.shared.store.get_user_by_email(email).map_err(|e| store_error("get_user_by_email", &e))
    }

    fn get_user_by_username(&self, name: &str) -> Result<User, AppError> {
        self.shared.store.get_user_by_username(name).map_err(|e| store_error("get_user_by_username", &e))
    }

    fn update_user(&self, user: &User) -> Result<User, AppError> {
        self.shared.store.update_user(user).map_err(|e| store_error("update_user", &e))
    }

    fn create_team(&self, team: &Team) -> Result<Team, AppError> {
        self.shared.store.create_team(team).map_err(|e| store_error("create_team", &e))
    }

    fn delete_team(&self, team_id: &str) -> Result<(), AppError> {
        self.shared.store.delete_team(team_id).map_err(|e| store_error("delete_team", &e))
    }

    fn get_teams(&self) -> Result<Vec<Team>, AppError> {
        self.shared.store.get_teams().map_err(|e| store_error("get_teams", &e))
    }

    fn get_team(&self, team_id: &str) -> Result<Team, AppError> {
        self.shared.store.get_team(team_id).map_err(|e| store_error("get_team", &e))
    }

    fn get_team_by_name(&self, name: &str) -> Result<Team, AppError> {
        self.shared.store.get_team_by_name(name).map_err(|e| store_error("get_team_by_name", &e))
    }

    fn update_team(&self, team: &Team) -> Result<Team, AppError> {
        self.shared.store.update_team(team).map_err(|e| store_error("update_team", &e))
    }

    fn create_team_member(&self, team_id: &str, user_id: &str) -> Result<TeamMember, AppError> {
        self.shared.store.create_team_member(team_id, user_id).map_err(|e| store_error("create_team_member", &e))
    }

    fn get_team_members(&self, team_id: &str, page: i64, per_page: i64) -> Result<Vec<TeamMember>, AppError> {
        self.shared.store.get_team_members(team_id, page, per_page).map_err(|e| store_error("get_team_members", &e))
    }

    fn get_team_member(&self, team_id: &str, user_id: &str) -> Result<TeamMember, AppError> {
        self.shared.store.get_team_member(team_id, user_id).map_err(|e| store_error("get_team_member", &e))
    }

    fn create_channel(&self, channel: &Channel) -> Result<Channel, AppError> {
        self.shared.store.create_channel(channel).map_err(|e| store_error("create_channel", &e))
    }

    fn delete_channel(&self, channel_id: &str) -> Result<(), AppError> {
        self.shared.store.delete_channel(channel_id).map_err(|e| store_error("delete_channel", &e))
    }

    fn get_public_channels_for_team(&self, team_id: &str, page: i64, per_page: i64) -> Result<Vec<Channel>, AppError> {
        self.shared
            .store
            .get_public_channels_for_team(team_id, page, per_page)
            .map_err(|e| store_error("get_public_channels_for_team", &e))
    }

    fn get_channel(&self, channel_id: &str) -> Result<Channel, AppError> {
        self.shared.store.get_channel(channel_id).map_err(|e| store_error("get_channel", &e))
    }

    fn get_channel_by_name(&self, team_id: &str, name: &str, include_deleted: bool) -> Result<Channel, AppError> {
        self.shared
            .store
            .get_channel_by_name(team_id, name, include_deleted)
            .map_err(|e| store_error("get_channel_by_name", &e))
    }

    fn get_direct_channel(&self, user_id1: &str, user_id2: &str) -> Result<Channel, AppError> {
        self.shared.store.get_direct_channel(user_id1, user_id2).map_err(|e| store_error("get_direct_channel", &e))
    }

    /// Upstream's `UpdateChannel`: the plugins' `channel_will_be_updated` chain sees the change
    /// (and the stored channel) before the save, and may replace or refuse it.
    fn update_channel(&self, channel: &Channel) -> Result<Channel, AppError> {
        let method = "update_channel";
        let channel = match self.shared.env() {
            Some(env) => {
                let old = self.shared.store.get_channel(&channel.id).map_err(|e| store_error(method, &e))?;
                match hooks::channel_will_be_updated(&env, &Context::default(), channel.clone(), &old) {
                    Outcome::Allow(channel) => channel,
                    Outcome::Rejected(Rejection { plugin_id, reason }) => {
                        let message = format!("plugin `{plugin_id}` rejected the channel update: {reason}");
                        return Err(AppError::new(
                            "app.channel.update_channel.rejected_by_plugin",
                            method,
                            &message,
                            400,
                        ));
                    }
                }
            }
            None => channel.clone(),
        };
        self.shared.store.update_channel(&channel).map_err(|e| store_error(method, &e))
    }

    fn add_channel_member(&self, channel_id: &str, user_id: &str) -> Result<ChannelMember, AppError> {
        self.shared.store.add_channel_member(channel_id, user_id).map_err(|e| store_error("add_channel_member", &e))
    }

    fn get_channel_member(&self, channel_id: &str, user_id: &str) -> Result<ChannelMember, AppError> {
        self.shared.store.get_channel_member(channel_id, user_id).map_err(|e| store_error("get_channel_member", &e))
    }

    fn get_channel_members(&self, channel_id: &str, page: i64, per_page: i64) -> Result<Vec<ChannelMember>, AppError> {
        self.shared
            .store
            .get_channel_members(channel_id, page, per_page)
            .map_err(|e| store_error("get_channel_members", &e))
    }

    fn delete_channel_member(&self, channel_id: &str, user_id: &str) -> Result<(), AppError> {
        self.shared
            .store
            .delete_channel_member(channel_id, user_id)
            .map_err(|e| store_error("delete_channel_member", &e))
    }

    fn get_post(&self, post_id: &str) -> Result<Post, AppError> {
        self.shared.store.get_post(post_id).map_err(|e| store_error("get_post", &e))
    }

    fn get_posts_for_channel(&self, channel_id: &str, page: i64, per_page: i64) -> Result<PostList, AppError> {
        self.shared
            .store
            .get_posts_for_channel(channel_id, page, per_page)
            .map_err(|e| store_error("get_posts_for_channel", &e))
    }

    /// Upstream checks that `as_user_id` may add members; this server has no permissions, so
    /// it is recorded in the log only.
    fn add_user_to_channel(
        &self,
        channel_id: &str,
        user_id: &str,
        as_user_id: &str,
    ) -> Result<ChannelMember, AppError> {
        log::debug!(target: "plugin", "plugin {}: adds {user_id} to {channel_id} as {as_user_id}", self.plugin_id);
        self.shared.store.add_channel_member(channel_id, user_id).map_err(|e| store_error("add_user_to_channel", &e))
    }

    /// Upstream checks that `requestor_id` may remove members; this server has no permissions.
    fn delete_team_member(&self, team_id: &str, user_id: &str, requestor_id: &str) -> Result<(), AppError> {
        log::debug!(target: "plugin", "plugin {}: removes {user_id} from {team_id} for {requestor_id}", self.plugin_id);
        self.shared.store.delete_team_member(team_id, user_id).map_err(|e| store_error("delete_team_member", &e))
    }

    /// Through the plugins' hooks, as upstream's `CreatePost` ([`posts`]).
    fn create_post(&self, post: &Post) -> Result<Post, AppError> {
        posts::create_post(&self.shared, "create_post", post)
    }

    fn update_post(&self, post: &Post) -> Result<Post, AppError> {
        posts::update_post(&self.shared, "update_post", post)
    }

    fn delete_post(&self, post_id: &str) -> Result<(), AppError> {
        posts::delete_post(&self.shared, "delete_post", post_id)
    }

    /// An ephemeral post is never saved: upstream sends it to the user's clients only. Here it
    /// gets an id and a time, is logged, and goes out as an `ephemeral_message` event.
    fn send_ephemeral_post(&self, user_id: &str, post: &Post) -> Result<Post, RpcError> {
        let mut post = post.clone();
        post.id = crate::store::ids::new_id();
        post.user_id = user_id.to_owned();
        post.post_type = "system_ephemeral".to_owned();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        post.create_at = now.as_millis() as i64;
        post.update_at = post.create_at;
        log::info!(target: "plugin", "plugin {}: ephemeral post to {user_id} in {}: {:?}", self.plugin_id, post.channel_id, post.message);
        let data = [("post".to_owned(), serde_json::to_value(&post).unwrap_or_default())].into();
        let broadcast = WebsocketBroadcast {
            user_id: user_id.to_owned(),
            channel_id: post.channel_id.clone(),
            ..Default::default()
        };
        self.shared.events.publish_server("ephemeral_message", data, &broadcast);
        Ok(post)
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
    use api_definitions::model::LogValue;

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
        let e = api(dir.path(), "com.example.a").get_system_install_date().unwrap_err().to_string();
        assert!(e.contains("get_system_install_date"), "{e}");
    }

    #[test]
    fn the_implemented_set_is_what_the_impl_defines() {
        use plugin_runtime::Implements;
        let methods = <HostApi as Implements<dyn Api>>::METHODS;
        assert!(methods.contains(&"kv_compare_and_set") && methods.contains(&"log_info"), "{methods:?}");
        assert!(!methods.contains(&"get_system_install_date"), "{methods:?}");
    }

    #[test]
    fn log_values_cannot_forge_lines() {
        assert_eq!(LogValue::Str("a\nb=c".into()).to_string(), "\"a\\nb=c\"");
    }
}
