//! The `Api` trait: everything a plugin may ask of the server, ported from Mattermost's
//! `plugin.API` (server/public/plugin/api.go). It is the single source of truth for the API's
//! RPC glue, which `cargo xtask pluginapi` generates into `generated/api.rs` (module [`rpc`]).
//!
//! To add a method: declare it here with its doc ending in `Wire id: N` (the next free id, which
//! the generator names if you leave the line out) and `Minimum server version: X.Y`, implement it
//! in the host, and run `cargo xtask pluginapi`. See `docs/porting-conventions.md` for how Go
//! shapes map to Rust.

use crate::model::*;
use plugin_runtime::{ByteStream, RpcError};
use std::collections::BTreeMap;

/// What a plugin may ask of the server: data access and actions on the plugin's behalf. Most
/// methods mirror a REST API endpoint.
///
/// Every method returns a `Result`: a call that fails in transport (the server went away, the
/// reply could not be decoded) is an `Err` whose error type records the [`RpcError`], never a
/// default value that looks like an answer.
///
/// A host implements the methods it supports; the others keep their default body, which
/// answers "not implemented" naming the method. With `#[plugin_macros::implemented]` on the
/// impl block and `rpc::Dispatcher::declared`, plugins learn at the handshake which methods the
/// host has, and a call to one it lacks fails at once, with no round trip.
// The default bodies ignore their arguments.
#[allow(unused_variables)]
pub trait Api: Send + Sync {
    /// Returns this plugin's settings, as saved by the server, in JSON form. The caller
    /// deserializes the value into its own configuration type.
    ///
    /// Wire id: 0
    /// Minimum server version: 5.2
    fn load_plugin_configuration(&self) -> Result<serde_json::Value, PluginError> {
        Err(plugin_runtime::not_implemented("load_plugin_configuration"))
    }

    /// Adds a custom slash command owned by this plugin. Invocations of it are delivered to the
    /// plugin's `execute_command` hook.
    ///
    /// Wire id: 1
    /// Minimum server version: 5.2
    fn register_command(&self, command: &Command) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("register_command"))
    }

    /// Removes a slash command this plugin registered earlier, identified by the team it was
    /// registered for and its trigger word.
    ///
    /// Wire id: 2
    /// Minimum server version: 5.2
    fn unregister_command(&self, team_id: &str, trigger: &str) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("unregister_command"))
    }

    /// Runs a slash command as though it had been typed with the given arguments, and returns
    /// whatever response the command produced.
    ///
    /// Wire id: 3
    /// Minimum server version: 5.26
    fn execute_slash_command(&self, command_args: &CommandArgs) -> Result<CommandResponse, PluginError> {
        Err(plugin_runtime::not_implemented("execute_slash_command"))
    }

    /// Returns the server configuration as currently stored, with secret values masked out.
    ///
    /// Wire id: 4
    /// Minimum server version: 5.2
    fn get_config(&self) -> Result<Config, RpcError> {
        Err(plugin_runtime::not_implemented("get_config"))
    }

    /// Returns the server configuration as currently stored, secrets included. Handle the result
    /// with care.
    ///
    /// Wire id: 5
    /// Minimum server version: 5.16
    fn get_unsanitized_config(&self) -> Result<Config, RpcError> {
        Err(plugin_runtime::not_implemented("get_unsanitized_config"))
    }

    /// Replaces the server configuration with the given one and writes it to the config store.
    ///
    /// Wire id: 6
    /// Minimum server version: 5.2
    fn save_config(&self, config: &Config) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("save_config"))
    }

    /// Returns this plugin's stored settings as a map from setting key to JSON value. An empty
    /// map means nothing has been saved for the plugin.
    ///
    /// Wire id: 7
    /// Minimum server version: 5.6
    fn get_plugin_config(&self) -> Result<BTreeMap<String, serde_json::Value>, RpcError> {
        Err(plugin_runtime::not_implemented("get_plugin_config"))
    }

    /// Overwrites this plugin's stored settings with the given map and persists them.
    ///
    /// Wire id: 8
    /// Minimum server version: 5.6
    fn save_plugin_config(&self, config: BTreeMap<String, serde_json::Value>) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("save_plugin_config"))
    }

    /// Returns the absolute filesystem path of the directory this plugin's bundle was extracted
    /// into.
    ///
    /// Wire id: 9
    /// Minimum server version: 5.10
    fn get_bundle_path(&self) -> Result<String, PluginError> {
        Err(plugin_runtime::not_implemented("get_bundle_path"))
    }

    /// Returns the license the server is running under, or `None` when the server is
    /// unlicensed.
    ///
    /// Wire id: 10
    /// Minimum server version: 5.10
    fn get_license(&self) -> Result<Option<License>, RpcError> {
        Err(plugin_runtime::not_implemented("get_license"))
    }

    /// Tells whether the server build is Enterprise Ready.
    ///
    /// Wire id: 11
    /// Minimum server version: 5.10
    fn is_enterprise_ready(&self) -> Result<bool, RpcError> {
        Err(plugin_runtime::not_implemented("is_enterprise_ready"))
    }

    /// Returns the version string of the running Mattermost server.
    ///
    /// Wire id: 12
    /// Minimum server version: 5.4
    fn get_server_version(&self) -> Result<String, RpcError> {
        Err(plugin_runtime::not_implemented("get_server_version"))
    }

    /// Returns when the server was first installed and started, in milliseconds since the Unix
    /// epoch.
    ///
    /// Wire id: 13
    /// Minimum server version: 5.10
    fn get_system_install_date(&self) -> Result<i64, AppError> {
        Err(plugin_runtime::not_implemented("get_system_install_date"))
    }

    /// Returns the identifier this server attaches to its diagnostic reports.
    ///
    /// Wire id: 14
    /// Minimum server version: 5.10
    fn get_diagnostic_id(&self) -> Result<String, RpcError> {
        Err(plugin_runtime::not_implemented("get_diagnostic_id"))
    }

    /// Returns the identifier this server attaches to its telemetry reports.
    ///
    /// Wire id: 15
    /// Minimum server version: 5.28
    fn get_telemetry_id(&self) -> Result<String, RpcError> {
        Err(plugin_runtime::not_implemented("get_telemetry_id"))
    }

    /// Creates a new user account from the given user and returns the stored account.
    ///
    /// Wire id: 16
    /// Minimum server version: 5.2
    fn create_user(&self, user: &User) -> Result<User, AppError> {
        Err(plugin_runtime::not_implemented("create_user"))
    }

    /// Deletes the user with the given id.
    ///
    /// Wire id: 17
    /// Minimum server version: 5.2
    fn delete_user(&self, user_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("delete_user"))
    }

    /// Lists the users matching the given filter and paging options. Some fields of the options
    /// are ignored by this call; an empty list means nobody matched.
    ///
    /// Wire id: 18
    /// Minimum server version: 5.10
    fn get_users(&self, options: &UserGetOptions) -> Result<Vec<User>, AppError> {
        Err(plugin_runtime::not_implemented("get_users"))
    }

    /// Looks up several users at once by their ids. Ids that match no user are left out of the
    /// result.
    ///
    /// Wire id: 19
    /// Minimum server version: 9.8
    fn get_users_by_ids(&self, user_ids: &[String]) -> Result<Vec<User>, AppError> {
        Err(plugin_runtime::not_implemented("get_users_by_ids"))
    }

    /// Fetches a single user by id.
    ///
    /// Wire id: 20
    /// Minimum server version: 5.2
    fn get_user(&self, user_id: &str) -> Result<User, AppError> {
        Err(plugin_runtime::not_implemented("get_user"))
    }

    /// Fetches the user who has the given email address.
    ///
    /// Wire id: 21
    /// Minimum server version: 5.2
    fn get_user_by_email(&self, email: &str) -> Result<User, AppError> {
        Err(plugin_runtime::not_implemented("get_user_by_email"))
    }

    /// Fetches the user who has the given username.
    ///
    /// Wire id: 22
    /// Minimum server version: 5.2
    fn get_user_by_username(&self, name: &str) -> Result<User, AppError> {
        Err(plugin_runtime::not_implemented("get_user_by_username"))
    }

    /// Looks up several users at once by their usernames. Names that match no user are left out
    /// of the result.
    ///
    /// Wire id: 23
    /// Minimum server version: 5.6
    fn get_users_by_usernames(&self, usernames: &[String]) -> Result<Vec<User>, AppError> {
        Err(plugin_runtime::not_implemented("get_users_by_usernames"))
    }

    /// Returns one page of the members of a team; `page` counts from 0 and `per_page` sets the
    /// page size.
    ///
    /// Wire id: 24
    /// Minimum server version: 5.6
    fn get_users_in_team(&self, team_id: &str, page: i64, per_page: i64) -> Result<Vec<User>, AppError> {
        Err(plugin_runtime::not_implemented("get_users_in_team"))
    }

    /// Fetches one preference of a user, identified by category and name. Fails when the user
    /// has no such preference.
    ///
    /// Wire id: 25
    /// Minimum server version: 9.5
    fn get_preference_for_user(&self, user_id: &str, category: &str, name: &str) -> Result<Preference, AppError> {
        Err(plugin_runtime::not_implemented("get_preference_for_user"))
    }

    /// Returns every preference stored for a user; an empty list means none are set.
    ///
    /// Wire id: 26
    /// Minimum server version: 5.26
    fn get_preferences_for_user(&self, user_id: &str) -> Result<Vec<Preference>, AppError> {
        Err(plugin_runtime::not_implemented("get_preferences_for_user"))
    }

    /// Creates or overwrites the given preferences for a user.
    ///
    /// Wire id: 27
    /// Minimum server version: 5.26
    fn update_preferences_for_user(&self, user_id: &str, preferences: &[Preference]) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("update_preferences_for_user"))
    }

    /// Removes the given preferences from a user.
    ///
    /// Wire id: 28
    /// Minimum server version: 5.26
    fn delete_preferences_for_user(&self, user_id: &str, preferences: &[Preference]) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("delete_preferences_for_user"))
    }

    /// Fetches the session with the given id.
    ///
    /// Wire id: 29
    /// Minimum server version: 5.2
    fn get_session(&self, session_id: &str) -> Result<Session, AppError> {
        Err(plugin_runtime::not_implemented("get_session"))
    }

    /// Opens a new login session for a user from the given session and returns it as stored.
    ///
    /// Wire id: 30
    /// Minimum server version: 6.2
    fn create_session(&self, session: &Session) -> Result<Session, AppError> {
        Err(plugin_runtime::not_implemented("create_session"))
    }

    /// Moves the expiry of an existing session to `new_expiry`, in milliseconds since the Unix
    /// epoch.
    ///
    /// Wire id: 31
    /// Minimum server version: 6.2
    fn extend_session_expiry(&self, session_id: &str, new_expiry: i64) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("extend_session_expiry"))
    }

    /// Ends an existing session so it can no longer be used.
    ///
    /// Wire id: 32
    /// Minimum server version: 6.2
    fn revoke_session(&self, session_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("revoke_session"))
    }

    /// Issues a new personal access token described by `token` and returns it, including the
    /// token value.
    ///
    /// Wire id: 33
    /// Minimum server version: 5.38
    fn create_user_access_token(&self, token: &UserAccessToken) -> Result<UserAccessToken, AppError> {
        Err(plugin_runtime::not_implemented("create_user_access_token"))
    }

    /// Revokes the personal access token with the given id.
    ///
    /// Wire id: 34
    /// Minimum server version: 5.38
    fn revoke_user_access_token(&self, token_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("revoke_user_access_token"))
    }

    /// Returns the raw image bytes of a team's icon.
    ///
    /// Wire id: 35
    /// Minimum server version: 5.6
    fn get_team_icon(&self, team_id: &str) -> Result<Vec<u8>, AppError> {
        Err(plugin_runtime::not_implemented("get_team_icon"))
    }

    /// Replaces a team's icon with the given image bytes.
    ///
    /// Wire id: 36
    /// Minimum server version: 5.6
    fn set_team_icon(&self, team_id: &str, data: &[u8]) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("set_team_icon"))
    }

    /// Deletes a team's custom icon.
    ///
    /// Wire id: 37
    /// Minimum server version: 5.6
    fn remove_team_icon(&self, team_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("remove_team_icon"))
    }

    /// Saves changes to an existing user and returns the updated account.
    ///
    /// Wire id: 38
    /// Minimum server version: 5.2
    fn update_user(&self, user: &User) -> Result<User, AppError> {
        Err(plugin_runtime::not_implemented("update_user"))
    }

    /// Returns the current presence status of a user.
    ///
    /// Wire id: 39
    /// Minimum server version: 5.2
    fn get_user_status(&self, user_id: &str) -> Result<Status, AppError> {
        Err(plugin_runtime::not_implemented("get_user_status"))
    }

    /// Returns the presence statuses of the given users; an empty list means none were found.
    ///
    /// Wire id: 40
    /// Minimum server version: 5.2
    fn get_user_statuses_by_ids(&self, user_ids: &[String]) -> Result<Vec<Status>, AppError> {
        Err(plugin_runtime::not_implemented("get_user_statuses_by_ids"))
    }

    /// Sets a user's presence to `status` ("online", "away", "dnd" or "offline"). It stays that
    /// way until the user or some integration changes it again.
    ///
    /// Wire id: 41
    /// Minimum server version: 5.2
    fn update_user_status(&self, user_id: &str, status: &str) -> Result<Status, AppError> {
        Err(plugin_runtime::not_implemented("update_user_status"))
    }

    /// Puts a user into Do Not Disturb until `endtime` (a Unix timestamp), unless the user or
    /// another integration changes the status sooner.
    ///
    /// Wire id: 42
    /// Minimum server version: 5.35
    fn set_user_status_timed_dnd(&self, user_id: &str, endtime: i64) -> Result<Status, AppError> {
        Err(plugin_runtime::not_implemented("set_user_status_timed_dnd"))
    }

    /// Activates (`active` true) or deactivates (`active` false) a user account.
    ///
    /// Wire id: 43
    /// Minimum server version: 5.8
    fn update_user_active(&self, user_id: &str, active: bool) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("update_user_active"))
    }

    /// Sets a user's custom status (an emoji and a short text), which stays until the user or
    /// another integration clears or replaces it.
    ///
    /// Wire id: 44
    /// Minimum server version: 6.2
    fn update_user_custom_status(&self, user_id: &str, custom_status: &CustomStatus) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("update_user_custom_status"))
    }

    /// Clears a user's custom status.
    ///
    /// Wire id: 45
    /// Minimum server version: 6.2
    fn remove_user_custom_status(&self, user_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("remove_user_custom_status"))
    }

    /// Returns one page of a channel's members, with `page` counting from 0. `sort_by` is
    /// either "username" or "status".
    ///
    /// Wire id: 46
    /// Minimum server version: 5.6
    fn get_users_in_channel(
        &self,
        channel_id: &str,
        sort_by: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<User>, AppError> {
        Err(plugin_runtime::not_implemented("get_users_in_channel"))
    }

    /// Reads the named LDAP attributes of a user and returns them keyed by attribute name. Only
    /// works on a licensed server with LDAP configured, for a user who signs in through LDAP.
    ///
    /// Wire id: 47
    /// Minimum server version: 5.3
    fn get_ldap_user_attributes(
        &self,
        user_id: &str,
        attributes: &[String],
    ) -> Result<BTreeMap<String, String>, AppError> {
        Err(plugin_runtime::not_implemented("get_ldap_user_attributes"))
    }

    /// Creates a new team from the given team and returns it as stored.
    ///
    /// Wire id: 48
    /// Minimum server version: 5.2
    fn create_team(&self, team: &Team) -> Result<Team, AppError> {
        Err(plugin_runtime::not_implemented("create_team"))
    }

    /// Deletes the team with the given id.
    ///
    /// Wire id: 49
    /// Minimum server version: 5.2
    fn delete_team(&self, team_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("delete_team"))
    }

    /// Lists every team on the server; an empty list means there are none.
    ///
    /// Wire id: 50
    /// Minimum server version: 5.2
    fn get_teams(&self) -> Result<Vec<Team>, AppError> {
        Err(plugin_runtime::not_implemented("get_teams"))
    }

    /// Fetches a single team by id.
    ///
    /// Wire id: 51
    /// Minimum server version: 5.2
    fn get_team(&self, team_id: &str) -> Result<Team, AppError> {
        Err(plugin_runtime::not_implemented("get_team"))
    }

    /// Fetches the team with the given name (its URL name, not the display name).
    ///
    /// Wire id: 52
    /// Minimum server version: 5.2
    fn get_team_by_name(&self, name: &str) -> Result<Team, AppError> {
        Err(plugin_runtime::not_implemented("get_team_by_name"))
    }

    /// Returns, for each team the user belongs to, how many unread messages and mentions the
    /// user has there.
    ///
    /// Wire id: 53
    /// Minimum server version: 5.6
    fn get_teams_unread_for_user(&self, user_id: &str) -> Result<Vec<TeamUnread>, AppError> {
        Err(plugin_runtime::not_implemented("get_teams_unread_for_user"))
    }

    /// Saves changes to an existing team and returns the updated team.
    ///
    /// Wire id: 54
    /// Minimum server version: 5.2
    fn update_team(&self, team: &Team) -> Result<Team, AppError> {
        Err(plugin_runtime::not_implemented("update_team"))
    }

    /// Finds the teams matching the search `term`; an empty list means nothing matched.
    ///
    /// Wire id: 55
    /// Minimum server version: 5.8
    fn search_teams(&self, term: &str) -> Result<Vec<Team>, AppError> {
        Err(plugin_runtime::not_implemented("search_teams"))
    }

    /// Lists the teams the given user is a member of.
    ///
    /// Wire id: 56
    /// Minimum server version: 5.6
    fn get_teams_for_user(&self, user_id: &str) -> Result<Vec<Team>, AppError> {
        Err(plugin_runtime::not_implemented("get_teams_for_user"))
    }

    /// Adds a user to a team and returns the new membership.
    ///
    /// Wire id: 57
    /// Minimum server version: 5.2
    fn create_team_member(&self, team_id: &str, user_id: &str) -> Result<TeamMember, AppError> {
        Err(plugin_runtime::not_implemented("create_team_member"))
    }

    /// Adds each of the given users to a team on behalf of `requestor_id` and returns the new
    /// memberships.
    ///
    /// Wire id: 58
    /// Minimum server version: 5.2
    fn create_team_members(
        &self,
        team_id: &str,
        user_ids: &[String],
        requestor_id: &str,
    ) -> Result<Vec<TeamMember>, AppError> {
        Err(plugin_runtime::not_implemented("create_team_members"))
    }

    /// Like `create_team_members`, but keeps going past individual failures: each entry of the
    /// result says whether that user was added or why not.
    ///
    /// Wire id: 59
    /// Minimum server version: 5.20
    fn create_team_members_gracefully(
        &self,
        team_id: &str,
        user_ids: &[String],
        requestor_id: &str,
    ) -> Result<Vec<TeamMemberWithError>, AppError> {
        Err(plugin_runtime::not_implemented("create_team_members_gracefully"))
    }

    /// Removes a user from a team, recording `requestor_id` as the one who asked for it.
    ///
    /// Wire id: 60
    /// Minimum server version: 5.2
    fn delete_team_member(&self, team_id: &str, user_id: &str, requestor_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("delete_team_member"))
    }

    /// Returns one page of a team's memberships, with `page` counting from 0.
    ///
    /// Wire id: 61
    /// Minimum server version: 5.2
    fn get_team_members(&self, team_id: &str, page: i64, per_page: i64) -> Result<Vec<TeamMember>, AppError> {
        Err(plugin_runtime::not_implemented("get_team_members"))
    }

    /// Fetches one user's membership in one team.
    ///
    /// Wire id: 62
    /// Minimum server version: 5.2
    fn get_team_member(&self, team_id: &str, user_id: &str) -> Result<TeamMember, AppError> {
        Err(plugin_runtime::not_implemented("get_team_member"))
    }

    /// Returns one page of the team memberships a user holds, with `page` counting from 0.
    ///
    /// Wire id: 63
    /// Minimum server version: 5.10
    fn get_team_members_for_user(&self, user_id: &str, page: i64, per_page: i64) -> Result<Vec<TeamMember>, AppError> {
        Err(plugin_runtime::not_implemented("get_team_members_for_user"))
    }

    /// Replaces the roles of a team membership with `new_roles`, a space-separated list of role
    /// names.
    ///
    /// Wire id: 64
    /// Minimum server version: 5.2
    fn update_team_member_roles(&self, team_id: &str, user_id: &str, new_roles: &str) -> Result<TeamMember, AppError> {
        Err(plugin_runtime::not_implemented("update_team_member_roles"))
    }

    /// Creates a new channel from the given channel and returns it as stored.
    ///
    /// Wire id: 65
    /// Minimum server version: 5.2
    fn create_channel(&self, channel: &Channel) -> Result<Channel, AppError> {
        Err(plugin_runtime::not_implemented("create_channel"))
    }

    /// Deletes (archives) the channel with the given id.
    ///
    /// Wire id: 66
    /// Minimum server version: 5.2
    fn delete_channel(&self, channel_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("delete_channel"))
    }

    /// Brings back a channel that was deleted (archived) earlier.
    ///
    /// Wire id: 67
    /// Minimum server version: 11.10
    fn restore_channel(&self, channel_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("restore_channel"))
    }

    /// Fetches a channel by id, succeeding only if it has the given type. Unlike `get_channel`,
    /// this also reaches internal backing channel types (such as spaces) that callers must ask
    /// for by their exact type.
    ///
    /// Wire id: 68
    /// Minimum server version: 11.10
    fn get_channel_of_type(&self, channel_id: &str, channel_type: &ChannelType) -> Result<Channel, AppError> {
        Err(plugin_runtime::not_implemented("get_channel_of_type"))
    }

    /// Returns one page of a team's public channels, with `page` counting from 0.
    ///
    /// Wire id: 69
    /// Minimum server version: 5.2
    fn get_public_channels_for_team(&self, team_id: &str, page: i64, per_page: i64) -> Result<Vec<Channel>, AppError> {
        Err(plugin_runtime::not_implemented("get_public_channels_for_team"))
    }

    /// Fetches a single channel by id.
    ///
    /// Wire id: 70
    /// Minimum server version: 5.2
    fn get_channel(&self, channel_id: &str) -> Result<Channel, AppError> {
        Err(plugin_runtime::not_implemented("get_channel"))
    }

    /// Fetches a channel by its name within the team with id `team_id`; archived channels are
    /// considered only when `include_deleted` is true.
    ///
    /// Wire id: 71
    /// Minimum server version: 5.2
    fn get_channel_by_name(&self, team_id: &str, name: &str, include_deleted: bool) -> Result<Channel, AppError> {
        Err(plugin_runtime::not_implemented("get_channel_by_name"))
    }

    /// Fetches a channel by its name within the team named `team_name`; archived channels are
    /// considered only when `include_deleted` is true.
    ///
    /// Wire id: 72
    /// Minimum server version: 5.2
    fn get_channel_by_name_for_team_name(
        &self,
        team_name: &str,
        channel_name: &str,
        include_deleted: bool,
    ) -> Result<Channel, AppError> {
        Err(plugin_runtime::not_implemented("get_channel_by_name_for_team_name"))
    }

    /// Lists the channels a user belongs to in a team, direct and group messages included. An
    /// empty `team_id` returns the user's channels across all teams.
    ///
    /// Wire id: 73
    /// Minimum server version: 5.6
    fn get_channels_for_team_for_user(
        &self,
        team_id: &str,
        user_id: &str,
        include_deleted: bool,
    ) -> Result<Vec<Channel>, AppError> {
        Err(plugin_runtime::not_implemented("get_channels_for_team_for_user"))
    }

    /// Returns counts about a channel, such as how many members it has.
    ///
    /// Wire id: 74
    /// Minimum server version: 5.6
    fn get_channel_stats(&self, channel_id: &str) -> Result<ChannelStats, AppError> {
        Err(plugin_runtime::not_implemented("get_channel_stats"))
    }

    /// Returns the direct message channel between two users, creating it first if it does not
    /// exist yet.
    ///
    /// Wire id: 75
    /// Minimum server version: 5.2
    fn get_direct_channel(&self, user_id1: &str, user_id2: &str) -> Result<Channel, AppError> {
        Err(plugin_runtime::not_implemented("get_direct_channel"))
    }

    /// Returns the group message channel for exactly the given users, creating it first if it
    /// does not exist yet.
    ///
    /// Wire id: 76
    /// Minimum server version: 5.2
    fn get_group_channel(&self, user_ids: &[String]) -> Result<Channel, AppError> {
        Err(plugin_runtime::not_implemented("get_group_channel"))
    }

    /// Saves changes to an existing channel and returns the updated channel.
    ///
    /// Wire id: 77
    /// Minimum server version: 5.2
    fn update_channel(&self, channel: &Channel) -> Result<Channel, AppError> {
        Err(plugin_runtime::not_implemented("update_channel"))
    }

    /// Marks the channel as guarded by this plugin, telling the server its default handling of
    /// the channel is unsafe without the plugin. Several plugins may guard one channel; calling
    /// again from the same plugin changes nothing.
    ///
    /// Wire id: 78
    /// Minimum server version: 11.9
    fn register_channel_guard(&self, channel_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("register_channel_guard"))
    }

    /// Drops this plugin's guard on the channel. Guards other plugins hold on the same channel
    /// stay in place.
    ///
    /// Wire id: 79
    /// Minimum server version: 11.9
    fn unregister_channel_guard(&self, channel_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("unregister_channel_guard"))
    }

    /// Finds the channels of a team that match `term`; an empty list means no match.
    ///
    /// Wire id: 80
    /// Minimum server version: 5.6
    fn search_channels(&self, team_id: &str, term: &str) -> Result<Vec<Channel>, AppError> {
        Err(plugin_runtime::not_implemented("search_channels"))
    }

    /// Adds a new sidebar category, with the channels it lists, to a user's sidebar in a team
    /// and returns the stored category.
    ///
    /// Wire id: 81
    /// Minimum server version: 5.38
    fn create_channel_sidebar_category(
        &self,
        user_id: &str,
        team_id: &str,
        new_category: &SidebarCategoryWithChannels,
    ) -> Result<SidebarCategoryWithChannels, AppError> {
        Err(plugin_runtime::not_implemented("create_channel_sidebar_category"))
    }

    /// Returns a user's sidebar categories in a team, together with their display order.
    ///
    /// Wire id: 82
    /// Minimum server version: 5.38
    fn get_channel_sidebar_categories(
        &self,
        user_id: &str,
        team_id: &str,
    ) -> Result<OrderedSidebarCategories, AppError> {
        Err(plugin_runtime::not_implemented("get_channel_sidebar_categories"))
    }

    /// Saves changes to existing sidebar categories of a user in a team and returns the updated
    /// categories.
    ///
    /// Wire id: 83
    /// Minimum server version: 5.38
    fn update_channel_sidebar_categories(
        &self,
        user_id: &str,
        team_id: &str,
        categories: &[SidebarCategoryWithChannels],
    ) -> Result<Vec<SidebarCategoryWithChannels>, AppError> {
        Err(plugin_runtime::not_implemented("update_channel_sidebar_categories"))
    }

    /// Finds users matching the criteria in `search` (term, team or channel scope, limits, ...).
    /// An empty list means nobody matched.
    ///
    /// Wire id: 84
    /// Minimum server version: 5.6
    fn search_users(&self, search: &UserSearch) -> Result<Vec<User>, AppError> {
        Err(plugin_runtime::not_implemented("search_users"))
    }

    /// Runs a post search inside one team. Every entry of `params_list` is evaluated and the
    /// matching posts are returned together; an empty list means no post matched.
    ///
    /// Wire id: 85
    /// Minimum server version: 5.10
    fn search_posts_in_team(&self, team_id: &str, params_list: &[SearchParams]) -> Result<Vec<Post>, AppError> {
        Err(plugin_runtime::not_implemented("search_posts_in_team"))
    }

    /// Searches the posts of a team as seen by the given user (only channels that user may read),
    /// using the raw search parameters. The result carries the matching posts and their order.
    ///
    /// Wire id: 86
    /// Minimum server version: 5.26
    fn search_posts_in_team_for_user(
        &self,
        team_id: &str,
        user_id: &str,
        search_params: &SearchParameter,
    ) -> Result<PostSearchResults, AppError> {
        Err(plugin_runtime::not_implemented("search_posts_in_team_for_user"))
    }

    /// Makes the user a member of the channel as though they had joined by themselves, so no
    /// "added to channel" notification is produced. Returns the new membership.
    ///
    /// Wire id: 87
    /// Minimum server version: 5.2
    fn add_channel_member(&self, channel_id: &str, user_id: &str) -> Result<ChannelMember, AppError> {
        Err(plugin_runtime::not_implemented("add_channel_member"))
    }

    /// Adds the user to the channel on behalf of `as_user_id`, as if that user had invited them;
    /// the usual notifications for being added are sent. Returns the new membership.
    ///
    /// Wire id: 88
    /// Minimum server version: 5.18
    fn add_user_to_channel(
        &self,
        channel_id: &str,
        user_id: &str,
        as_user_id: &str,
    ) -> Result<ChannelMember, AppError> {
        Err(plugin_runtime::not_implemented("add_user_to_channel"))
    }

    /// Looks up one user's membership in a channel. Errors when the user is not a member.
    ///
    /// Wire id: 89
    /// Minimum server version: 5.2
    fn get_channel_member(&self, channel_id: &str, user_id: &str) -> Result<ChannelMember, AppError> {
        Err(plugin_runtime::not_implemented("get_channel_member"))
    }

    /// Lists one page of a channel's memberships (`page` counts from 0). An empty list means the
    /// page is past the end.
    ///
    /// Wire id: 90
    /// Minimum server version: 5.6
    fn get_channel_members(&self, channel_id: &str, page: i64, per_page: i64) -> Result<Vec<ChannelMember>, AppError> {
        Err(plugin_runtime::not_implemented("get_channel_members"))
    }

    /// Fetches the channel memberships of the listed users. Users who are not members are simply
    /// absent from the result.
    ///
    /// Wire id: 91
    /// Minimum server version: 5.6
    fn get_channel_members_by_ids(
        &self,
        channel_id: &str,
        user_ids: &[String],
    ) -> Result<Vec<ChannelMember>, AppError> {
        Err(plugin_runtime::not_implemented("get_channel_members_by_ids"))
    }

    /// Lists one page of the user's channel memberships within the given team (`page` counts
    /// from 0).
    ///
    /// Wire id: 92
    /// Minimum server version: 5.10
    fn get_channel_members_for_user(
        &self,
        team_id: &str,
        user_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<ChannelMember>, AppError> {
        Err(plugin_runtime::not_implemented("get_channel_members_for_user"))
    }

    /// Replaces a member's channel roles with `new_roles`, a space-separated list of role names.
    /// Returns the updated membership.
    ///
    /// Wire id: 93
    /// Minimum server version: 5.2
    fn update_channel_member_roles(
        &self,
        channel_id: &str,
        user_id: &str,
        new_roles: &str,
    ) -> Result<ChannelMember, AppError> {
        Err(plugin_runtime::not_implemented("update_channel_member_roles"))
    }

    /// Changes a member's notification preferences for a channel using the key/value pairs in
    /// `notifications` (notify props such as `desktop` or `mark_unread`). Returns the updated
    /// membership.
    ///
    /// Wire id: 94
    /// Minimum server version: 5.2
    fn update_channel_member_notifications(
        &self,
        channel_id: &str,
        user_id: &str,
        notifications: BTreeMap<String, String>,
    ) -> Result<ChannelMember, AppError> {
        Err(plugin_runtime::not_implemented("update_channel_member_notifications"))
    }

    /// Applies the same notification-property patch to many channel memberships at once (at most
    /// 200 per call). Only notify props change; nothing else about the memberships is touched.
    ///
    /// Wire id: 95
    /// Minimum server version: 9.5
    fn patch_channel_members_notifications(
        &self,
        members: &[ChannelMemberIdentifier],
        notify_props: BTreeMap<String, String>,
    ) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("patch_channel_members_notifications"))
    }

    /// Looks up a user group by its id.
    ///
    /// Wire id: 96
    /// Minimum server version: 5.18
    fn get_group(&self, group_id: &str) -> Result<Group, AppError> {
        Err(plugin_runtime::not_implemented("get_group"))
    }

    /// Looks up a user group by its unique name.
    ///
    /// Wire id: 97
    /// Minimum server version: 5.18
    fn get_group_by_name(&self, name: &str) -> Result<Group, AppError> {
        Err(plugin_runtime::not_implemented("get_group_by_name"))
    }

    /// Lists one page of the users who belong to a group (`page` counts from 0).
    ///
    /// Wire id: 98
    /// Minimum server version: 5.35
    fn get_group_member_users(&self, group_id: &str, page: i64, per_page: i64) -> Result<Vec<User>, AppError> {
        Err(plugin_runtime::not_implemented("get_group_member_users"))
    }

    /// Lists every group that comes from the given source (upstream `model.GroupSource`, e.g.
    /// `"ldap"`, `"custom"` or a `"plugin_..."` source).
    ///
    /// Wire id: 99
    /// Minimum server version: 5.35
    fn get_groups_by_source(&self, group_source: &str) -> Result<Vec<Group>, AppError> {
        Err(plugin_runtime::not_implemented("get_groups_by_source"))
    }

    /// Lists the groups the user is a member of; empty when they belong to none.
    ///
    /// Wire id: 100
    /// Minimum server version: 5.18
    fn get_groups_for_user(&self, user_id: &str) -> Result<Vec<Group>, AppError> {
        Err(plugin_runtime::not_implemented("get_groups_for_user"))
    }

    /// Removes the user from the channel.
    ///
    /// Wire id: 101
    /// Minimum server version: 5.2
    fn delete_channel_member(&self, channel_id: &str, user_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("delete_channel_member"))
    }

    /// Publishes a new post and returns it as stored, with its id and timestamps filled in.
    ///
    /// Wire id: 102
    /// Minimum server version: 5.2
    fn create_post(&self, post: &Post) -> Result<Post, AppError> {
        Err(plugin_runtime::not_implemented("create_post"))
    }

    /// Puts an emoji reaction on a post on behalf of the reaction's user and returns the saved
    /// reaction.
    ///
    /// Wire id: 103
    /// Minimum server version: 5.3
    fn add_reaction(&self, reaction: &Reaction) -> Result<Reaction, AppError> {
        Err(plugin_runtime::not_implemented("add_reaction"))
    }

    /// Takes an existing emoji reaction off a post.
    ///
    /// Wire id: 104
    /// Minimum server version: 5.3
    fn remove_reaction(&self, reaction: &Reaction) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("remove_reaction"))
    }

    /// Lists all reactions on a post; empty when it has none.
    ///
    /// Wire id: 105
    /// Minimum server version: 5.3
    fn get_reactions(&self, post_id: &str) -> Result<Vec<Reaction>, AppError> {
        Err(plugin_runtime::not_implemented("get_reactions"))
    }

    /// Shows a post to a single user only, without storing it in the channel history. Returns
    /// the post as it was sent.
    ///
    /// Wire id: 106
    /// Minimum server version: 5.2
    fn send_ephemeral_post(&self, user_id: &str, post: &Post) -> Result<Post, RpcError> {
        Err(plugin_runtime::not_implemented("send_ephemeral_post"))
    }

    /// Replaces the content of an ephemeral post that was earlier shown to the user. Upstream
    /// marks this as experimental.
    ///
    /// Wire id: 107
    /// Minimum server version: 5.2
    fn update_ephemeral_post(&self, user_id: &str, post: &Post) -> Result<Post, RpcError> {
        Err(plugin_runtime::not_implemented("update_ephemeral_post"))
    }

    /// Withdraws an ephemeral post previously shown to the user. Upstream marks this as
    /// experimental.
    ///
    /// Wire id: 108
    /// Minimum server version: 5.2
    fn delete_ephemeral_post(&self, user_id: &str, post_id: &str) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("delete_ephemeral_post"))
    }

    /// Deletes the post with the given id.
    ///
    /// Wire id: 109
    /// Minimum server version: 5.2
    fn delete_post(&self, post_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("delete_post"))
    }

    /// Loads the whole thread a post belongs to: the root post and all its replies.
    ///
    /// Wire id: 110
    /// Minimum server version: 5.6
    fn get_post_thread(&self, post_id: &str) -> Result<PostList, AppError> {
        Err(plugin_runtime::not_implemented("get_post_thread"))
    }

    /// Fetches a single post by id.
    ///
    /// Wire id: 111
    /// Minimum server version: 5.2
    fn get_post(&self, post_id: &str) -> Result<Post, AppError> {
        Err(plugin_runtime::not_implemented("get_post"))
    }

    /// Lists the channel's posts created after `time`, a Unix timestamp in milliseconds.
    ///
    /// Wire id: 112
    /// Minimum server version: 5.6
    fn get_posts_since(&self, channel_id: &str, time: i64) -> Result<PostList, AppError> {
        Err(plugin_runtime::not_implemented("get_posts_since"))
    }

    /// Returns one page of the channel's posts that come after the given post (`page` counts
    /// from 0).
    ///
    /// Wire id: 113
    /// Minimum server version: 5.6
    fn get_posts_after(&self, channel_id: &str, post_id: &str, page: i64, per_page: i64) -> Result<PostList, AppError> {
        Err(plugin_runtime::not_implemented("get_posts_after"))
    }

    /// Returns one page of the channel's posts that come before the given post (`page` counts
    /// from 0).
    ///
    /// Wire id: 114
    /// Minimum server version: 5.6
    fn get_posts_before(
        &self,
        channel_id: &str,
        post_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<PostList, AppError> {
        Err(plugin_runtime::not_implemented("get_posts_before"))
    }

    /// Returns one page of a channel's posts (`page` counts from 0).
    ///
    /// Wire id: 115
    /// Minimum server version: 5.6
    fn get_posts_for_channel(&self, channel_id: &str, page: i64, per_page: i64) -> Result<PostList, AppError> {
        Err(plugin_runtime::not_implemented("get_posts_for_channel"))
    }

    /// Reports member counts for a team.
    ///
    /// Wire id: 116
    /// Minimum server version: 5.8
    fn get_team_stats(&self, team_id: &str) -> Result<TeamStats, AppError> {
        Err(plugin_runtime::not_implemented("get_team_stats"))
    }

    /// Saves changes to an existing post (matched by its id) and returns the stored version.
    ///
    /// Wire id: 117
    /// Minimum server version: 5.2
    fn update_post(&self, post: &Post) -> Result<Post, AppError> {
        Err(plugin_runtime::not_implemented("update_post"))
    }

    /// Returns the raw image bytes of the user's profile picture.
    ///
    /// Wire id: 118
    /// Minimum server version: 5.6
    fn get_profile_image(&self, user_id: &str) -> Result<Vec<u8>, AppError> {
        Err(plugin_runtime::not_implemented("get_profile_image"))
    }

    /// Replaces the user's profile picture with the given image bytes.
    ///
    /// Wire id: 119
    /// Minimum server version: 5.6
    fn set_profile_image(&self, user_id: &str, data: &[u8]) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("set_profile_image"))
    }

    /// Lists one page of the server's custom emoji (`page` counts from 0). `sort_by` may be
    /// `"name"`, or empty for the default order.
    ///
    /// Wire id: 120
    /// Minimum server version: 5.6
    fn get_emoji_list(&self, sort_by: &str, page: i64, per_page: i64) -> Result<Vec<Emoji>, AppError> {
        Err(plugin_runtime::not_implemented("get_emoji_list"))
    }

    /// Looks up a custom emoji by its name.
    ///
    /// Wire id: 121
    /// Minimum server version: 5.6
    fn get_emoji_by_name(&self, name: &str) -> Result<Emoji, AppError> {
        Err(plugin_runtime::not_implemented("get_emoji_by_name"))
    }

    /// Looks up a custom emoji by its id.
    ///
    /// Wire id: 122
    /// Minimum server version: 5.6
    fn get_emoji(&self, emoji_id: &str) -> Result<Emoji, AppError> {
        Err(plugin_runtime::not_implemented("get_emoji"))
    }

    /// Clones the metadata of the given files with `user_id` as their new creator, without
    /// copying the stored file contents, and returns the new file ids. The copies are not yet
    /// attached to any post and can be passed to `create_post`.
    ///
    /// Wire id: 123
    /// Minimum server version: 5.2
    fn copy_file_infos(&self, user_id: &str, file_ids: &[String]) -> Result<Vec<String>, AppError> {
        Err(plugin_runtime::not_implemented("copy_file_infos"))
    }

    /// Fetches the metadata of one uploaded file.
    ///
    /// Wire id: 124
    /// Minimum server version: 5.3
    fn get_file_info(&self, file_id: &str) -> Result<FileInfo, AppError> {
        Err(plugin_runtime::not_implemented("get_file_info"))
    }

    /// Sets the text that full-text search indexes for the file, e.g. content extracted by the
    /// plugin.
    ///
    /// Wire id: 125
    /// Minimum server version: 9.1
    fn set_file_searchable_content(&self, file_id: &str, content: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("set_file_searchable_content"))
    }

    /// Lists one page of file metadata (`page` counts from 0), filtered and sorted as `opt`
    /// describes (by user, channel, deleted state, ...).
    ///
    /// Wire id: 126
    /// Minimum server version: 5.22
    fn get_file_infos(&self, page: i64, per_page: i64, opt: &GetFileInfosOptions) -> Result<Vec<FileInfo>, AppError> {
        Err(plugin_runtime::not_implemented("get_file_infos"))
    }

    /// Reads the whole content of an uploaded file, given its id.
    ///
    /// Wire id: 127
    /// Minimum server version: 5.8
    fn get_file(&self, file_id: &str) -> Result<Vec<u8>, AppError> {
        Err(plugin_runtime::not_implemented("get_file"))
    }

    /// Returns a public link to the file. Errors when public links are disabled on the server.
    ///
    /// Wire id: 128
    /// Minimum server version: 5.6
    fn get_file_link(&self, file_id: &str) -> Result<String, AppError> {
        Err(plugin_runtime::not_implemented("get_file_link"))
    }

    /// Reads a file straight from the server's file storage backend, by its storage path.
    ///
    /// Wire id: 129
    /// Minimum server version: 5.3
    fn read_file(&self, path: &str) -> Result<Vec<u8>, AppError> {
        Err(plugin_runtime::not_implemented("read_file"))
    }

    /// Returns a custom emoji's image as raw bytes together with its image format (such as
    /// `"png"` or `"gif"`).
    ///
    /// Wire id: 130
    /// Minimum server version: 5.6
    fn get_emoji_image(&self, emoji_id: &str) -> Result<(Vec<u8>, String), AppError> {
        Err(plugin_runtime::not_implemented("get_emoji_image"))
    }

    /// Uploads `data` as a file named `filename` into the channel and returns its metadata; the
    /// file can then be attached to a post by id.
    ///
    /// Wire id: 131
    /// Minimum server version: 5.6
    fn upload_file(&self, data: &[u8], channel_id: &str, filename: &str) -> Result<FileInfo, AppError> {
        Err(plugin_runtime::not_implemented("upload_file"))
    }

    /// Opens an interactive dialog in the client that produced the request's trigger id (from a
    /// slash command, message button or menu).
    ///
    /// Wire id: 132
    /// Minimum server version: 5.6
    fn open_interactive_dialog(&self, dialog: &OpenDialogRequest) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("open_interactive_dialog"))
    }

    /// Pops up a toast notification with `message` for a user. When `connection_id` is empty every
    /// session of the user sees it; otherwise only that one websocket connection does.
    ///
    /// Wire id: 133
    /// Minimum server version: 11.5
    fn send_toast_message(
        &self,
        user_id: &str,
        connection_id: &str,
        message: &str,
        options: &SendToastMessageOptions,
    ) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("send_toast_message"))
    }

    /// Returns the manifests of the plugins that are currently active.
    ///
    /// Wire id: 134
    /// Minimum server version: 5.6
    fn get_plugins(&self) -> Result<Vec<Manifest>, AppError> {
        Err(plugin_runtime::not_implemented("get_plugins"))
    }

    /// Turns on an installed plugin, given its id.
    ///
    /// Wire id: 135
    /// Minimum server version: 5.6
    fn enable_plugin(&self, id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("enable_plugin"))
    }

    /// Turns off an enabled plugin, given its id.
    ///
    /// Wire id: 136
    /// Minimum server version: 5.6
    fn disable_plugin(&self, id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("disable_plugin"))
    }

    /// Disables a plugin and deletes it from the server.
    ///
    /// Wire id: 137
    /// Minimum server version: 5.6
    fn remove_plugin(&self, id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("remove_plugin"))
    }

    /// Reports the current state of a plugin, given its id.
    ///
    /// Wire id: 138
    /// Minimum server version: 5.6
    fn get_plugin_status(&self, id: &str) -> Result<PluginStatus, AppError> {
        Err(plugin_runtime::not_implemented("get_plugin_status"))
    }

    /// Installs a plugin from a `.tar.gz` bundle read from `file`. An already installed version
    /// is overwritten only when `replace` is true. Returns the new plugin's manifest.
    ///
    /// Wire id: 139
    /// Minimum server version: 5.18
    fn install_plugin(&self, file: ByteStream, replace: bool) -> Result<Manifest, AppError> {
        Err(plugin_runtime::not_implemented("install_plugin"))
    }

    /// Stores `value` under `key` in this plugin's own key-value space. Keys starting with `mmi_`
    /// are reserved for the helper libraries; an empty value removes the key.
    ///
    /// Wire id: 140
    /// Minimum server version: 5.2
    fn kv_set(&self, key: &str, value: &[u8]) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("kv_set"))
    }

    /// Writes `new_value` only if the key currently holds `old_value`; an empty `old_value` means
    /// the key must not exist yet. `Ok(false)` means the condition did not hold and nothing was
    /// written.
    ///
    /// Wire id: 141
    /// Minimum server version: 5.12
    fn kv_compare_and_set(&self, key: &str, old_value: &[u8], new_value: &[u8]) -> Result<bool, AppError> {
        Err(plugin_runtime::not_implemented("kv_compare_and_set"))
    }

    /// Deletes the key only if it currently holds `old_value`. `Ok(false)` means the value
    /// differed or the key was missing, so nothing was deleted.
    ///
    /// Wire id: 142
    /// Minimum server version: 5.16
    fn kv_compare_and_delete(&self, key: &str, old_value: &[u8]) -> Result<bool, AppError> {
        Err(plugin_runtime::not_implemented("kv_compare_and_delete"))
    }

    /// Stores a value with extra controls from `options` (atomic compare against an old value,
    /// expiry). `Ok(true)` means the value was written, `Ok(false)` that a condition stopped it.
    ///
    /// Wire id: 143
    /// Minimum server version: 5.20
    fn kv_set_with_options(&self, key: &str, value: &[u8], options: &PluginKVSetOptions) -> Result<bool, AppError> {
        Err(plugin_runtime::not_implemented("kv_set_with_options"))
    }

    /// Stores a value in the plugin's key-value space that disappears after `expire_in_seconds`
    /// seconds.
    ///
    /// Wire id: 144
    /// Minimum server version: 5.6
    fn kv_set_with_expiry(&self, key: &str, value: &[u8], expire_in_seconds: i64) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("kv_set_with_expiry"))
    }

    /// Reads the value stored under `key` in the plugin's key-value space. `None` means the key
    /// does not exist (or has expired).
    ///
    /// Wire id: 145
    /// Minimum server version: 5.2
    fn kv_get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        Err(plugin_runtime::not_implemented("kv_get"))
    }

    /// Removes a key from the plugin's key-value space; deleting a missing key is not an error.
    ///
    /// Wire id: 146
    /// Minimum server version: 5.2
    fn kv_delete(&self, key: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("kv_delete"))
    }

    /// Wipes every key this plugin has stored.
    ///
    /// Wire id: 147
    /// Minimum server version: 5.6
    fn kv_delete_all(&self) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("kv_delete_all"))
    }

    /// Lists one page of the keys this plugin has stored (`page` counts from 0).
    ///
    /// Wire id: 148
    /// Minimum server version: 5.6
    fn kv_list(&self, page: i64, per_page: i64) -> Result<Vec<String>, AppError> {
        Err(plugin_runtime::not_implemented("kv_list"))
    }

    /// Sends a websocket event to clients. The server prefixes `event` with
    /// `custom_<plugin id>_`; `payload` travels as the event data, and `broadcast` selects who
    /// receives it (a user, a channel, a team, ...).
    ///
    /// Wire id: 149
    /// Minimum server version: 5.2
    fn publish_web_socket_event(
        &self,
        event: &str,
        payload: BTreeMap<String, serde_json::Value>,
        broadcast: &WebsocketBroadcast,
    ) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("publish_web_socket_event"))
    }

    /// Tells whether the user holds `permission` at system level.
    ///
    /// Wire id: 150
    /// Minimum server version: 5.3
    fn has_permission_to(&self, user_id: &str, permission: &Permission) -> Result<bool, RpcError> {
        Err(plugin_runtime::not_implemented("has_permission_to"))
    }

    /// Tells whether the user holds `permission` within the given team.
    ///
    /// Wire id: 151
    /// Minimum server version: 5.3
    fn has_permission_to_team(&self, user_id: &str, team_id: &str, permission: &Permission) -> Result<bool, RpcError> {
        Err(plugin_runtime::not_implemented("has_permission_to_team"))
    }

    /// Tells whether the user holds `permission` within the given channel.
    ///
    /// Wire id: 152
    /// Minimum server version: 5.3
    fn has_permission_to_channel(
        &self,
        user_id: &str,
        channel_id: &str,
        permission: &Permission,
    ) -> Result<bool, RpcError> {
        Err(plugin_runtime::not_implemented("has_permission_to_channel"))
    }

    /// Tells whether any of the named roles grants the permission with id `permission_id`.
    ///
    /// Wire id: 153
    /// Minimum server version: 6.3
    fn roles_grant_permission(&self, role_names: &[String], permission_id: &str) -> Result<bool, RpcError> {
        Err(plugin_runtime::not_implemented("roles_grant_permission"))
    }

    /// Writes a debug-level line to the server log with the given structured fields. The server
    /// already tags the line with the plugin's identity.
    ///
    /// Wire id: 154
    /// Minimum server version: 5.2
    fn log_debug(&self, msg: &str, key_value_pairs: &[LogField]) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("log_debug"))
    }

    /// Writes an info-level line to the server log with the given structured fields. The server
    /// already tags the line with the plugin's identity.
    ///
    /// Wire id: 155
    /// Minimum server version: 5.2
    fn log_info(&self, msg: &str, key_value_pairs: &[LogField]) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("log_info"))
    }

    /// Writes an error-level line to the server log with the given structured fields. The server
    /// already tags the line with the plugin's identity.
    ///
    /// Wire id: 156
    /// Minimum server version: 5.2
    fn log_error(&self, msg: &str, key_value_pairs: &[LogField]) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("log_error"))
    }

    /// Writes a warning-level line to the server log with the given structured fields. The
    /// server already tags the line with the plugin's identity.
    ///
    /// Wire id: 157
    /// Minimum server version: 5.2
    fn log_warn(&self, msg: &str, key_value_pairs: &[LogField]) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("log_warn"))
    }

    /// Emails one recipient through the server's configured mail settings; `html_body` is the
    /// HTML content of the message.
    ///
    /// Wire id: 158
    /// Minimum server version: 5.7
    fn send_mail(&self, to: &str, subject: &str, html_body: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("send_mail"))
    }

    /// Creates a bot account together with its backing user and returns the stored bot.
    ///
    /// Wire id: 159
    /// Minimum server version: 5.10
    fn create_bot(&self, bot: &Bot) -> Result<Bot, AppError> {
        Err(plugin_runtime::not_implemented("create_bot"))
    }

    /// Updates the fields set in `bot_patch` on a bot and its backing user; unset fields are left
    /// unchanged. Returns the updated bot.
    ///
    /// Wire id: 160
    /// Minimum server version: 5.10
    fn patch_bot(&self, bot_user_id: &str, bot_patch: &BotPatch) -> Result<Bot, AppError> {
        Err(plugin_runtime::not_implemented("patch_bot"))
    }

    /// Fetches a bot by its user id; deactivated bots are found only when `include_deleted` is
    /// true.
    ///
    /// Wire id: 161
    /// Minimum server version: 5.10
    fn get_bot(&self, bot_user_id: &str, include_deleted: bool) -> Result<Bot, AppError> {
        Err(plugin_runtime::not_implemented("get_bot"))
    }

    /// Lists the page of bots selected by `options` (paging, owner, whether to include deleted
    /// or orphaned bots).
    ///
    /// Wire id: 162
    /// Minimum server version: 5.10
    fn get_bots(&self, options: &BotGetOptions) -> Result<Vec<Bot>, AppError> {
        Err(plugin_runtime::not_implemented("get_bots"))
    }

    /// Activates or deactivates a bot along with its backing user, returning the updated bot.
    ///
    /// Wire id: 163
    /// Minimum server version: 5.10
    fn update_bot_active(&self, bot_user_id: &str, active: bool) -> Result<Bot, AppError> {
        Err(plugin_runtime::not_implemented("update_bot_active"))
    }

    /// Deletes a bot and its backing user for good; this cannot be undone.
    ///
    /// Wire id: 164
    /// Minimum server version: 5.10
    fn permanent_delete_bot(&self, bot_user_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("permanent_delete_bot"))
    }

    /// Sends an HTTP request to another plugin's HTTP handler and returns its response; the
    /// request path begins with the target plugin's id.
    ///
    /// Wire id: 165
    /// Minimum server version: 5.18
    fn plugin_http(&self, request: http::Request<ByteStream>) -> Result<http::Response<ByteStream>, RpcError> {
        Err(plugin_runtime::not_implemented("plugin_http"))
    }

    /// Broadcasts a "user is typing" websocket event for the channel. `parent_id` names the
    /// thread root and may be empty; the other arguments are required.
    ///
    /// Wire id: 166
    /// Minimum server version: 5.26
    fn publish_user_typing(&self, user_id: &str, channel_id: &str, parent_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("publish_user_typing"))
    }

    /// Creates a slash command owned by the server rather than handled by this plugin, so it
    /// outlives the plugin. The stored command has no creator and this plugin's id as its
    /// plugin id.
    ///
    /// Wire id: 167
    /// Minimum server version: 5.28
    fn create_command(&self, cmd: &Command) -> Result<Command, PluginError> {
        Err(plugin_runtime::not_implemented("create_command"))
    }

    /// Lists every slash command available in the team: custom ones, plugin-registered ones and
    /// the built-in ones.
    ///
    /// Wire id: 168
    /// Minimum server version: 5.28
    fn list_commands(&self, team_id: &str) -> Result<Vec<Command>, PluginError> {
        Err(plugin_runtime::not_implemented("list_commands"))
    }

    /// Lists the team's custom slash commands, i.e. those made through the integrations UI, the
    /// REST API or `create_command`.
    ///
    /// Wire id: 169
    /// Minimum server version: 5.28
    fn list_custom_commands(&self, team_id: &str) -> Result<Vec<Command>, PluginError> {
        Err(plugin_runtime::not_implemented("list_custom_commands"))
    }

    /// Lists the slash commands of a team that plugins registered through `register_command`.
    /// An empty list means no plugin command exists for that team.
    ///
    /// Wire id: 170
    /// Minimum server version: 5.28
    fn list_plugin_commands(&self, team_id: &str) -> Result<Vec<Command>, PluginError> {
        Err(plugin_runtime::not_implemented("list_plugin_commands"))
    }

    /// Lists the slash commands built into the server itself, which are the same for every team.
    ///
    /// Wire id: 171
    /// Minimum server version: 5.28
    fn list_built_in_commands(&self) -> Result<Vec<Command>, PluginError> {
        Err(plugin_runtime::not_implemented("list_built_in_commands"))
    }

    /// Looks up one slash command by its id; an unknown id is an error.
    ///
    /// Wire id: 172
    /// Minimum server version: 5.28
    fn get_command(&self, command_id: &str) -> Result<Command, PluginError> {
        Err(plugin_runtime::not_implemented("get_command"))
    }

    /// Replaces the stored definition of the command `command_id` with `updated_cmd` and returns
    /// the result. Its id, token, creation and deletion times and plugin id stay as they were; an
    /// empty team id in `updated_cmd` keeps the command's current team.
    ///
    /// Wire id: 173
    /// Minimum server version: 5.28
    fn update_command(&self, command_id: &str, updated_cmd: &Command) -> Result<Command, PluginError> {
        Err(plugin_runtime::not_implemented("update_command"))
    }

    /// Removes the slash command with the given id.
    ///
    /// Wire id: 174
    /// Minimum server version: 5.28
    fn delete_command(&self, command_id: &str) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("delete_command"))
    }

    /// Registers a new OAuth 2.0 client application and returns it as stored, with its id and
    /// secret filled in.
    ///
    /// Wire id: 175
    /// Minimum server version: 5.38
    fn create_oauth_app(&self, app: &OAuthApp) -> Result<OAuthApp, AppError> {
        Err(plugin_runtime::not_implemented("create_oauth_app"))
    }

    /// Fetches the OAuth application with the given id; an unknown id is an error.
    ///
    /// Wire id: 176
    /// Minimum server version: 5.38
    fn get_oauth_app(&self, app_id: &str) -> Result<OAuthApp, AppError> {
        Err(plugin_runtime::not_implemented("get_oauth_app"))
    }

    /// Saves changes to an existing OAuth application (matched by its id) and returns the stored
    /// version.
    ///
    /// Wire id: 177
    /// Minimum server version: 5.38
    fn update_oauth_app(&self, app: &OAuthApp) -> Result<OAuthApp, AppError> {
        Err(plugin_runtime::not_implemented("update_oauth_app"))
    }

    /// Removes the OAuth application with the given id.
    ///
    /// Wire id: 178
    /// Minimum server version: 5.38
    fn delete_oauth_app(&self, app_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("delete_oauth_app"))
    }

    /// Sends `ev` to the copies of this same plugin running on the other nodes of a
    /// high-availability cluster, which receive it in their `on_plugin_cluster_event` hook. `opts`
    /// chooses how it is delivered (e.g. reliably or best-effort).
    ///
    /// Wire id: 179
    /// Minimum server version: 5.36
    fn publish_plugin_cluster_event(
        &self,
        ev: &PluginClusterEvent,
        opts: &PluginClusterEventSendOptions,
    ) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("publish_plugin_cluster_event"))
    }

    /// Asks for a trial license for `users` seats on behalf of `requester_id` and, when granted,
    /// installs it on the server. The two flags record whether the terms were accepted and whether
    /// the requester agreed to receive emails.
    ///
    /// Wire id: 180
    /// Minimum server version: 5.36
    fn request_trial_license(
        &self,
        requester_id: &str,
        users: i64,
        terms_accepted: bool,
        receive_emails_accepted: bool,
    ) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("request_trial_license"))
    }

    /// Returns the product limits that apply to this workspace when it runs in Mattermost Cloud.
    /// On a server that is not a cloud workspace the limits come back empty.
    ///
    /// Wire id: 181
    /// Minimum server version: 7.0
    fn get_cloud_limits(&self) -> Result<ProductLimits, PluginError> {
        Err(plugin_runtime::not_implemented("get_cloud_limits"))
    }

    /// Makes sure the described bot exists: it is created when missing and updated otherwise.
    /// Returns the bot's user id.
    ///
    /// Wire id: 182
    /// Minimum server version: 7.1
    fn ensure_bot_user(&self, bot: &Bot) -> Result<String, PluginError> {
        Err(plugin_runtime::not_implemented("ensure_bot_user"))
    }

    /// Kept only for compatibility: the server no longer supports collections and topics, and the
    /// call does nothing.
    ///
    /// Wire id: 183
    /// Minimum server version: 7.6
    fn register_collection_and_topic(&self, collection_type: &str, topic_type: &str) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("register_collection_and_topic"))
    }

    /// Starts a resumable upload described by `us` and returns the stored session, whose id is used
    /// to send the data with `upload_data`.
    ///
    /// Wire id: 184
    /// Minimum server version: 7.6
    fn create_upload_session(&self, us: &UploadSession) -> Result<UploadSession, PluginError> {
        Err(plugin_runtime::not_implemented("create_upload_session"))
    }

    /// Appends `data` to the upload session `us`. Returns `None` while the upload is still
    /// incomplete, and the new file's info once the last byte has been received.
    ///
    /// Wire id: 185
    /// Minimum server version: 7.6
    fn upload_data(&self, us: &UploadSession, data: ByteStream) -> Result<Option<FileInfo>, PluginError> {
        Err(plugin_runtime::not_implemented("upload_data"))
    }

    /// Fetches the upload session with the given id, including how many bytes have arrived so far.
    ///
    /// Wire id: 186
    /// Minimum server version: 7.6
    fn get_upload_session(&self, upload_id: &str) -> Result<UploadSession, PluginError> {
        Err(plugin_runtime::not_implemented("get_upload_session"))
    }

    /// Pushes `notification` to every mobile session of the user `user_id`. The plugin must itself
    /// honour the server's push settings and license; the `notification_will_be_pushed` hook still
    /// runs for it.
    ///
    /// Wire id: 187
    /// Minimum server version: 9.0
    fn send_push_notification(&self, notification: &PushNotification, user_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("send_push_notification"))
    }

    /// Changes how a user authenticates (auth service and auth data) and returns what was stored.
    /// Meant for non-email services only: it cannot switch a user to email login with a password hash.
    ///
    /// Wire id: 188
    /// Minimum server version: 9.3
    fn update_user_auth(&self, user_id: &str, user_auth: &UserAuth) -> Result<UserAuth, AppError> {
        Err(plugin_runtime::not_implemented("update_user_auth"))
    }

    /// Makes the plugin a shared-channels remote, so it gets sync messages through the
    /// `on_shared_channels_sync_msg` hook. Returns the remote id; calling it again with the same
    /// plugin id gives back the same id.
    ///
    /// Wire id: 189
    /// Minimum server version: 9.5
    fn register_plugin_for_shared_channels(&self, opts: &RegisterPluginOpts) -> Result<String, PluginError> {
        Err(plugin_runtime::not_implemented("register_plugin_for_shared_channels"))
    }

    /// Removes every shared-channels remote that belongs to the plugin `plugin_id`, which then stops
    /// getting sync messages. Typically called when the plugin deactivates.
    ///
    /// Wire id: 190
    /// Minimum server version: 9.5
    fn unregister_plugin_for_shared_channels(&self, plugin_id: &str) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("unregister_plugin_for_shared_channels"))
    }

    /// Removes a single shared-channels remote of the calling plugin, by its remote id, leaving the
    /// plugin's other remotes in place. The server checks that the remote is the caller's.
    ///
    /// Wire id: 191
    /// Minimum server version: 11.7
    fn unregister_plugin_remote_for_shared_channels(&self, remote_id: &str) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("unregister_plugin_remote_for_shared_channels"))
    }

    /// Flags a channel as shared and returns the stored shared-channel record. No remote is invited
    /// by this; use `invite_remote_to_channel` to start syncing.
    ///
    /// Wire id: 192
    /// Minimum server version: 9.5
    fn share_channel(&self, sc: &SharedChannel) -> Result<SharedChannel, PluginError> {
        Err(plugin_runtime::not_implemented("share_channel"))
    }

    /// Saves changes to a shared channel's details (share name, display name, purpose, header and
    /// so on) and returns the stored record.
    ///
    /// Wire id: 193
    /// Minimum server version: 9.5
    fn update_shared_channel(&self, sc: &SharedChannel) -> Result<SharedChannel, PluginError> {
        Err(plugin_runtime::not_implemented("update_shared_channel"))
    }

    /// Stops sharing a channel and uninvites all of its remotes. Returns whether the channel was
    /// actually unshared (false when it was not shared).
    ///
    /// Wire id: 194
    /// Minimum server version: 9.5
    fn unshare_channel(&self, channel_id: &str) -> Result<bool, PluginError> {
        Err(plugin_runtime::not_implemented("unshare_channel"))
    }

    /// Moves the sync position of `remote_id` in a shared channel, forwards to skip old posts or
    /// backwards to send history again. It does not trigger a sync by itself..
    ///
    /// Wire id: 195
    /// Minimum server version: 9.5
    fn update_shared_channel_cursor(
        &self,
        channel_id: &str,
        remote_id: &str,
        cursor: &GetPostsSinceForSyncCursor,
    ) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("update_shared_channel_cursor"))
    }

    /// Makes a shared channel send its pending changes to all of its remotes now.
    ///
    /// Wire id: 196
    /// Minimum server version: 9.5
    fn sync_shared_channel(&self, channel_id: &str) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("sync_shared_channel"))
    }

    /// Adds the remote `remote_id` (another server, or this plugin) as a sync target of a channel,
    /// acting as `user_id`. With `share_if_not_shared` the channel is shared first when it is not
    /// already.
    ///
    /// Wire id: 197
    /// Minimum server version: 9.5
    fn invite_remote_to_channel(
        &self,
        channel_id: &str,
        remote_id: &str,
        user_id: &str,
        share_if_not_shared: bool,
    ) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("invite_remote_to_channel"))
    }

    /// Removes the remote `remote_id` from a channel's sync targets, so it no longer gets that
    /// channel's changes.
    ///
    /// Wire id: 198
    /// Minimum server version: 9.5
    fn uninvite_remote_from_channel(&self, channel_id: &str, remote_id: &str) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("uninvite_remote_from_channel"))
    }

    /// Feeds a sync message coming from the plugin's remote `remote_id` into the server (posts,
    /// reactions, users, statuses, memberships...); the inbound twin of the
    /// `on_shared_channels_sync_msg` hook. An empty channel id with only users performs a global
    /// user sync. Returns how far the sync got.
    ///
    /// Wire id: 199
    /// Minimum server version: 11.7
    fn receive_shared_channel_sync_msg(&self, remote_id: &str, msg: &SyncMsg) -> Result<SyncResponse, PluginError> {
        Err(plugin_runtime::not_implemented("receive_shared_channel_sync_msg"))
    }

    /// Stores a file attachment arriving from the plugin's remote `remote_id` into a shared channel:
    /// `fi` carries its metadata and `data` its bytes. Redelivering the same file returns the
    /// existing record instead of a duplicate.
    ///
    /// Wire id: 200
    /// Minimum server version: 11.7
    fn receive_shared_channel_attachment_sync_msg(
        &self,
        remote_id: &str,
        channel_id: &str,
        fi: &FileInfo,
        data: ByteStream,
    ) -> Result<FileInfo, PluginError> {
        Err(plugin_runtime::not_implemented("receive_shared_channel_attachment_sync_msg"))
    }

    /// Sets the profile image of a user that belongs to the plugin's remote `remote_id` to the given
    /// image bytes.
    ///
    /// Wire id: 201
    /// Minimum server version: 11.7
    fn receive_shared_channel_profile_image_sync_msg(
        &self,
        remote_id: &str,
        user_id: &str,
        image: &[u8],
    ) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("receive_shared_channel_profile_image_sync_msg"))
    }

    /// Puts a user in a group, or refreshes the membership when it already exists, and returns it.
    ///
    /// Wire id: 202
    /// Minimum server version: 10.7
    fn upsert_group_member(&self, group_id: &str, user_id: &str) -> Result<GroupMember, AppError> {
        Err(plugin_runtime::not_implemented("upsert_group_member"))
    }

    /// Puts several users in a group at once (refreshing memberships that already exist) and
    /// returns the resulting memberships.
    ///
    /// Wire id: 203
    /// Minimum server version: 10.7
    fn upsert_group_members(&self, group_id: &str, user_ids: &[String]) -> Result<Vec<GroupMember>, AppError> {
        Err(plugin_runtime::not_implemented("upsert_group_members"))
    }

    /// Finds a group by the id it has in its external source (e.g. LDAP or a plugin) together
    /// with that source.
    ///
    /// Wire id: 204
    /// Minimum server version: 10.7
    fn get_group_by_remote_id(&self, remote_id: &str, group_source: &GroupSource) -> Result<Group, AppError> {
        Err(plugin_runtime::not_implemented("get_group_by_remote_id"))
    }

    /// Creates a group and returns it as stored.
    ///
    /// Wire id: 205
    /// Minimum server version: 10.7
    fn create_group(&self, group: &Group) -> Result<Group, AppError> {
        Err(plugin_runtime::not_implemented("create_group"))
    }

    /// Saves changes to an existing group and returns the stored version.
    ///
    /// Wire id: 206
    /// Minimum server version: 10.7
    fn update_group(&self, group: &Group) -> Result<Group, AppError> {
        Err(plugin_runtime::not_implemented("update_group"))
    }

    /// Marks a group as deleted (it can be brought back with `restore_group`) and returns it.
    ///
    /// Wire id: 207
    /// Minimum server version: 10.7
    fn delete_group(&self, group_id: &str) -> Result<Group, AppError> {
        Err(plugin_runtime::not_implemented("delete_group"))
    }

    /// Undoes the soft deletion of a group and returns it.
    ///
    /// Wire id: 208
    /// Minimum server version: 10.7
    fn restore_group(&self, group_id: &str) -> Result<Group, AppError> {
        Err(plugin_runtime::not_implemented("restore_group"))
    }

    /// Takes a user out of a group and returns the removed membership.
    ///
    /// Wire id: 209
    /// Minimum server version: 10.7
    fn delete_group_member(&self, group_id: &str, user_id: &str) -> Result<GroupMember, AppError> {
        Err(plugin_runtime::not_implemented("delete_group_member"))
    }

    /// Fetches the link between a group and one team or channel (`syncable_id`, of the kind given by
    /// `syncable_type`).
    ///
    /// Wire id: 210
    /// Minimum server version: 10.7
    fn get_group_syncable(
        &self,
        group_id: &str,
        syncable_id: &str,
        syncable_type: &GroupSyncableType,
    ) -> Result<GroupSyncable, AppError> {
        Err(plugin_runtime::not_implemented("get_group_syncable"))
    }

    /// Lists a group's links to teams or to channels, depending on `syncable_type`.
    ///
    /// Wire id: 211
    /// Minimum server version: 10.7
    fn get_group_syncables(
        &self,
        group_id: &str,
        syncable_type: &GroupSyncableType,
    ) -> Result<Vec<GroupSyncable>, AppError> {
        Err(plugin_runtime::not_implemented("get_group_syncables"))
    }

    /// Creates a group-to-team or group-to-channel link, or updates it when it already exists, and
    /// returns it.
    ///
    /// Wire id: 212
    /// Minimum server version: 10.7
    fn upsert_group_syncable(&self, group_syncable: &GroupSyncable) -> Result<GroupSyncable, AppError> {
        Err(plugin_runtime::not_implemented("upsert_group_syncable"))
    }

    /// Saves changes to an existing group-to-team or group-to-channel link and returns it.
    ///
    /// Wire id: 213
    /// Minimum server version: 10.7
    fn update_group_syncable(&self, group_syncable: &GroupSyncable) -> Result<GroupSyncable, AppError> {
        Err(plugin_runtime::not_implemented("update_group_syncable"))
    }

    /// Removes the link between a group and a team or channel and returns the removed link.
    ///
    /// Wire id: 214
    /// Minimum server version: 10.7
    fn delete_group_syncable(
        &self,
        group_id: &str,
        syncable_id: &str,
        syncable_type: &GroupSyncableType,
    ) -> Result<GroupSyncable, AppError> {
        Err(plugin_runtime::not_implemented("delete_group_syncable"))
    }

    /// Replaces a user's system roles with `new_roles` (space-separated role names) and returns the
    /// updated user.
    ///
    /// Wire id: 215
    /// Minimum server version: 9.8
    fn update_user_roles(&self, user_id: &str, new_roles: &str) -> Result<User, AppError> {
        Err(plugin_runtime::not_implemented("update_user_roles"))
    }

    /// Returns the id of the calling plugin, as given in its manifest.
    ///
    /// Wire id: 216
    /// Minimum server version: 10.1
    fn get_plugin_id(&self) -> Result<String, RpcError> {
        Err(plugin_runtime::not_implemented("get_plugin_id"))
    }

    /// Returns one page of groups that match `opts`. `view_restrictions`, when given, limits the
    /// result to what those restrictions allow to be seen; `None` applies no restriction.
    ///
    /// Wire id: 217
    /// Minimum server version: 10.7
    fn get_groups(
        &self,
        page: i64,
        per_page: i64,
        opts: &GroupSearchOpts,
        view_restrictions: Option<ViewUsersRestrictions>,
    ) -> Result<Vec<Group>, AppError> {
        Err(plugin_runtime::not_implemented("get_groups"))
    }

    /// Adds users to the teams and channels their groups are linked to, as selected by `params`.
    ///
    /// Wire id: 218
    /// Minimum server version: 10.9
    fn create_default_syncable_memberships(&self, params: &CreateDefaultMembershipParams) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("create_default_syncable_memberships"))
    }

    /// For every team and channel restricted to groups, removes the members that belong to none of
    /// the allowed groups.
    ///
    /// Wire id: 219
    /// Minimum server version: 10.9
    fn delete_group_constrained_memberships(&self) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("delete_group_constrained_memberships"))
    }

    /// Stores a new property field and returns it with its id set. A field that names a linked
    /// template field takes its type, options and security settings from that template.
    ///
    /// Wire id: 220
    /// Minimum server version: 10.10
    fn create_property_field(&self, field: &PropertyField) -> Result<PropertyField, PluginError> {
        Err(plugin_runtime::not_implemented("create_property_field"))
    }

    /// Fetches one property field of the property group `group_id` by its id.
    ///
    /// Wire id: 221
    /// Minimum server version: 10.10
    fn get_property_field(&self, group_id: &str, field_id: &str) -> Result<PropertyField, PluginError> {
        Err(plugin_runtime::not_implemented("get_property_field"))
    }

    /// Fetches the property fields of the group `group_id` whose ids are in `ids`.
    ///
    /// Wire id: 222
    /// Minimum server version: 10.10
    fn get_property_fields(&self, group_id: &str, ids: &[String]) -> Result<Vec<PropertyField>, PluginError> {
        Err(plugin_runtime::not_implemented("get_property_fields"))
    }

    /// Saves changes to an existing property field of the group `group_id` and returns it. The type
    /// and options of a linked field cannot change; an empty linked field id unlinks it.
    ///
    /// Wire id: 223
    /// Minimum server version: 10.10
    fn update_property_field(&self, group_id: &str, field: &PropertyField) -> Result<PropertyField, PluginError> {
        Err(plugin_runtime::not_implemented("update_property_field"))
    }

    /// Soft-deletes a property field. Fails while other fields are still linked to it.
    ///
    /// Wire id: 224
    /// Minimum server version: 10.10
    fn delete_property_field(&self, group_id: &str, field_id: &str) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("delete_property_field"))
    }

    /// Returns the property fields of the group `group_id` that match the filters and paging in
    /// `opts`; an empty list when none match.
    ///
    /// Wire id: 225
    /// Minimum server version: 11.0
    fn search_property_fields(
        &self,
        group_id: &str,
        opts: &PropertyFieldSearchOpts,
    ) -> Result<Vec<PropertyField>, PluginError> {
        Err(plugin_runtime::not_implemented("search_property_fields"))
    }

    /// Counts the property fields of the group `group_id`, counting soft-deleted ones too when
    /// `include_deleted` is set.
    ///
    /// Wire id: 226
    /// Minimum server version: 11.0
    fn count_property_fields(&self, group_id: &str, include_deleted: bool) -> Result<i64, PluginError> {
        Err(plugin_runtime::not_implemented("count_property_fields"))
    }

    /// Counts the property fields of the group `group_id` that belong to one target (its type and
    /// id), counting soft-deleted ones too when `include_deleted` is set.
    ///
    /// Wire id: 227
    /// Minimum server version: 11.0
    fn count_property_fields_for_target(
        &self,
        group_id: &str,
        target_type: &str,
        target_id: &str,
        include_deleted: bool,
    ) -> Result<i64, PluginError> {
        Err(plugin_runtime::not_implemented("count_property_fields_for_target"))
    }

    /// Stores a new property value and returns it with its id set.
    ///
    /// Wire id: 228
    /// Minimum server version: 10.10
    fn create_property_value(&self, value: &PropertyValue) -> Result<PropertyValue, PluginError> {
        Err(plugin_runtime::not_implemented("create_property_value"))
    }

    /// Fetches one property value of the property group `group_id` by its id.
    ///
    /// Wire id: 229
    /// Minimum server version: 10.10
    fn get_property_value(&self, group_id: &str, value_id: &str) -> Result<PropertyValue, PluginError> {
        Err(plugin_runtime::not_implemented("get_property_value"))
    }

    /// Fetches the property values of the group `group_id` whose ids are in `ids`.
    ///
    /// Wire id: 230
    /// Minimum server version: 10.10
    fn get_property_values(&self, group_id: &str, ids: &[String]) -> Result<Vec<PropertyValue>, PluginError> {
        Err(plugin_runtime::not_implemented("get_property_values"))
    }

    /// Saves changes to an existing property value of the group `group_id` and returns it.
    ///
    /// Wire id: 231
    /// Minimum server version: 10.10
    fn update_property_value(&self, group_id: &str, value: &PropertyValue) -> Result<PropertyValue, PluginError> {
        Err(plugin_runtime::not_implemented("update_property_value"))
    }

    /// Stores a property value, replacing the one already held for the same field and target if
    /// there is one, and returns it.
    ///
    /// Wire id: 232
    /// Minimum server version: 10.10
    fn upsert_property_value(&self, value: &PropertyValue) -> Result<PropertyValue, PluginError> {
        Err(plugin_runtime::not_implemented("upsert_property_value"))
    }

    /// Soft-deletes one property value of the group `group_id`.
    ///
    /// Wire id: 233
    /// Minimum server version: 10.10
    fn delete_property_value(&self, group_id: &str, value_id: &str) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("delete_property_value"))
    }

    /// Returns the property values of the group `group_id` that match the filters and paging in
    /// `opts`; an empty list when none match.
    ///
    /// Wire id: 234
    /// Minimum server version: 11.0
    fn search_property_values(
        &self,
        group_id: &str,
        opts: &PropertyValueSearchOpts,
    ) -> Result<Vec<PropertyValue>, PluginError> {
        Err(plugin_runtime::not_implemented("search_property_values"))
    }

    /// Registers a property group under the given name and returns it; when a group of that name
    /// already exists, that group is returned instead of creating another.
    ///
    /// Wire id: 235
    /// Minimum server version: 10.10
    fn register_property_group(&self, name: &str) -> Result<PropertyGroup, PluginError> {
        Err(plugin_runtime::not_implemented("register_property_group"))
    }

    /// Looks up a property group by its name.
    ///
    /// Wire id: 236
    /// Minimum server version: 10.10
    fn get_property_group(&self, name: &str) -> Result<PropertyGroup, PluginError> {
        Err(plugin_runtime::not_implemented("get_property_group"))
    }

    /// Finds the property field called `name` in the group `group_id` for the target `target_id`.
    ///
    /// Wire id: 237
    /// Minimum server version: 10.10
    fn get_property_field_by_name(
        &self,
        group_id: &str,
        target_id: &str,
        name: &str,
    ) -> Result<PropertyField, PluginError> {
        Err(plugin_runtime::not_implemented("get_property_field_by_name"))
    }

    /// Saves changes to several property fields of the group `group_id` in one call and returns the
    /// stored fields.
    ///
    /// Wire id: 238
    /// Minimum server version: 10.10
    fn update_property_fields(
        &self,
        group_id: &str,
        fields: &[PropertyField],
    ) -> Result<Vec<PropertyField>, PluginError> {
        Err(plugin_runtime::not_implemented("update_property_fields"))
    }

    /// Saves changes to several property values of the group `group_id` in one call and returns the
    /// stored values.
    ///
    /// Wire id: 239
    /// Minimum server version: 10.10
    fn update_property_values(
        &self,
        group_id: &str,
        values: &[PropertyValue],
    ) -> Result<Vec<PropertyValue>, PluginError> {
        Err(plugin_runtime::not_implemented("update_property_values"))
    }

    /// Creates or replaces several property values in one call and returns the stored values.
    ///
    /// Wire id: 240
    /// Minimum server version: 10.10
    fn upsert_property_values(&self, values: &[PropertyValue]) -> Result<Vec<PropertyValue>, PluginError> {
        Err(plugin_runtime::not_implemented("upsert_property_values"))
    }

    /// Soft-deletes every property value of the group `group_id` attached to one target (given by
    /// its type and id).
    ///
    /// Wire id: 241
    /// Minimum server version: 10.10
    fn delete_property_values_for_target(
        &self,
        group_id: &str,
        target_type: &str,
        target_id: &str,
    ) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("delete_property_values_for_target"))
    }

    /// Soft-deletes every property value of the group `group_id` that belongs to the field `field_id`.
    ///
    /// Wire id: 242
    /// Minimum server version: 10.10
    fn delete_property_values_for_field(&self, group_id: &str, field_id: &str) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("delete_property_values_for_field"))
    }

    /// Like `upsert_property_values`, but `options` states which caller the plugin acts as; that is
    /// checked against the owners of fields whose values only their owners may manage.
    ///
    /// Wire id: 243
    /// Minimum server version: 11.10
    fn upsert_property_values_with_options(
        &self,
        values: &[PropertyValue],
        options: &PropertyRequestOptions,
    ) -> Result<Vec<PropertyValue>, PluginError> {
        Err(plugin_runtime::not_implemented("upsert_property_values_with_options"))
    }

    /// Like `upsert_property_value`, with `options` stating which caller the plugin acts as.
    ///
    /// Wire id: 244
    /// Minimum server version: 11.10
    fn upsert_property_value_with_options(
        &self,
        value: &PropertyValue,
        options: &PropertyRequestOptions,
    ) -> Result<PropertyValue, PluginError> {
        Err(plugin_runtime::not_implemented("upsert_property_value_with_options"))
    }

    /// Like `delete_property_value`, with `options` stating which caller the plugin acts as.
    ///
    /// Wire id: 245
    /// Minimum server version: 11.10
    fn delete_property_value_with_options(
        &self,
        group_id: &str,
        value_id: &str,
        options: &PropertyRequestOptions,
    ) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("delete_property_value_with_options"))
    }

    /// Like `delete_property_values_for_target`, with `options` stating which caller the plugin
    /// acts as. Needs only the target, which makes it the way to clean up a removed target.
    ///
    /// Wire id: 246
    /// Minimum server version: 11.10
    fn delete_property_values_for_target_with_options(
        &self,
        group_id: &str,
        target_type: &str,
        target_id: &str,
        options: &PropertyRequestOptions,
    ) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("delete_property_values_for_target_with_options"))
    }

    /// Like `delete_property_values_for_field`, with `options` stating which caller the plugin acts as.
    ///
    /// Wire id: 247
    /// Minimum server version: 11.10
    fn delete_property_values_for_field_with_options(
        &self,
        group_id: &str,
        field_id: &str,
        options: &PropertyRequestOptions,
    ) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("delete_property_values_for_field_with_options"))
    }

    /// Writes an audit record through the server's audit logger at its default level.
    ///
    /// Wire id: 248
    /// Minimum server version: 10.10
    fn log_audit_rec(&self, rec: &AuditRecord) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("log_audit_rec"))
    }

    /// Writes an audit record through the server's audit logger at `level`, e.g.
    /// `LogLevel::audit_api()`; the server picks records by the level's id.
    ///
    /// Wire id: 249
    /// Minimum server version: 10.10
    fn log_audit_rec_with_level(&self, rec: &AuditRecord, level: &LogLevel) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("log_audit_rec_with_level"))
    }

    /// Moves the root posts `root_ids`, each with all its replies and edit history, into the
    /// channel `channel_id`, keeping their ids, times and reactions. The target and every
    /// channel the threads are in now must be backing channels without chat of their own
    /// ([`NON_MESSAGE_BACKING_CHANNEL_TYPES`]), since no unread state is kept up to date. Each id
    /// must be a root post (moving a reply alone would split its thread); an id that matches no
    /// post is skipped without error. The server limits how many ids one call may move, so move
    /// a large set in batches.
    ///
    /// Wire id: 250
    /// Minimum server version: 11.11
    fn move_threads_to_backing_channel(&self, root_ids: &[String], channel_id: &str) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("move_threads_to_backing_channel"))
    }

    /// Puts the channels `channel_ids` under the granular data retention policy `policy_id`,
    /// so their content is kept as long as that policy says instead of the team or global one.
    /// Needs a license with data retention; without one it fails with a license error.
    ///
    /// Wire id: 251
    /// Minimum server version: 11.11
    fn add_channels_to_retention_policy(&self, policy_id: &str, channel_ids: &[String]) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("add_channels_to_retention_policy"))
    }

    /// Takes the channels `channel_ids` out of the granular data retention policy `policy_id`.
    /// Needs a license with data retention; without one it fails with a license error.
    ///
    /// Wire id: 252
    /// Minimum server version: 11.11
    fn remove_channels_from_retention_policy(&self, policy_id: &str, channel_ids: &[String]) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("remove_channels_from_retention_policy"))
    }

    /// Asks the server's policy engine whether user `user_id` may do `action` on the plugin's own
    /// resource `resource_id` of type `resource_type`, which must be written
    /// `<this plugin's id>:<type>`. An allow for which [`AccessDecision::is_no_policy`] is true
    /// means no policy covers the resource (the server can tell even when the engine is down),
    /// so the plugin may apply its own defaults. An error means no decision could be made: the
    /// plugin must then deny.
    ///
    /// Wire id: 253
    /// Minimum server version: 11.10
    fn evaluate_access_control(
        &self,
        user_id: &str,
        resource_type: &str,
        resource_id: &str,
        action: &str,
    ) -> Result<AccessDecision, AppError> {
        Err(plugin_runtime::not_implemented("evaluate_access_control"))
    }

    /// Creates or replaces a policy for one of the plugin's resources, on behalf of user
    /// `acting_user_id`. The policy's type must be `<this plugin's id>:<type>` and its id the
    /// resource's permanent 26-character id; the server sets its version to v0.5 and makes it
    /// active. Returns the stored policy.
    ///
    /// Wire id: 254
    /// Minimum server version: 11.10
    fn save_access_control_policy(
        &self,
        acting_user_id: &str,
        policy: &AccessControlPolicy,
    ) -> Result<AccessControlPolicy, AppError> {
        Err(plugin_runtime::not_implemented("save_access_control_policy"))
    }

    /// Returns the policy with id `id`. A policy that exists but belongs to another plugin
    /// answers the same not-found error as a missing one, so its existence does not leak.
    ///
    /// Wire id: 255
    /// Minimum server version: 11.10
    fn get_access_control_policy(&self, id: &str) -> Result<AccessControlPolicy, AppError> {
        Err(plugin_runtime::not_implemented("get_access_control_policy"))
    }

    /// Deletes the policy `id`, on behalf of user `acting_user_id`, if its type is
    /// `resource_type` and belongs to this plugin; otherwise it answers not found and deletes
    /// nothing.
    ///
    /// Wire id: 256
    /// Minimum server version: 11.10
    fn delete_access_control_policy(
        &self,
        acting_user_id: &str,
        resource_type: &str,
        id: &str,
    ) -> Result<(), AppError> {
        Err(plugin_runtime::not_implemented("delete_access_control_policy"))
    }

    /// Compiles and checks the CEL `expression` of a policy for resources of `resource_type`,
    /// as user `acting_user_id` writes it. Returns the problems found; an empty list means the
    /// expression is valid.
    ///
    /// Wire id: 257
    /// Minimum server version: 11.10
    fn check_access_control_expression(
        &self,
        acting_user_id: &str,
        resource_type: &str,
        expression: &str,
    ) -> Result<Vec<CELExpressionError>, AppError> {
        Err(plugin_runtime::not_implemented("check_access_control_expression"))
    }

    /// Lists the users that `expression` matches, so a policy editor can show who a rule lets
    /// in: at most `limit` users whose names match `term`, starting after the user `cursor_id`
    /// (empty for the first page), with the total number of matches.
    ///
    /// Wire id: 258
    /// Minimum server version: 11.10
    fn query_users_for_access_control_expression(
        &self,
        acting_user_id: &str,
        resource_type: &str,
        expression: &str,
        term: &str,
        cursor_id: &str,
        limit: i64,
    ) -> Result<AccessControlPolicyTestResponse, AppError> {
        Err(plugin_runtime::not_implemented("query_users_for_access_control_expression"))
    }

    /// Returns the custom profile attribute fields a policy editor may offer while
    /// `acting_user_id` types an expression: at most `limit` of them, after the field `after`
    /// (empty for the first), and only those that user is allowed to see.
    ///
    /// Wire id: 259
    /// Minimum server version: 11.10
    fn get_access_control_fields_autocomplete(
        &self,
        acting_user_id: &str,
        after: &str,
        limit: i64,
    ) -> Result<Vec<PropertyField>, AppError> {
        Err(plugin_runtime::not_implemented("get_access_control_fields_autocomplete"))
    }

    /// Turns the CEL `expression` into its visual form, the list of conditions a policy
    /// editor's table shows.
    ///
    /// Wire id: 260
    /// Minimum server version: 11.10
    fn get_access_control_visual_ast(
        &self,
        acting_user_id: &str,
        resource_type: &str,
        expression: &str,
    ) -> Result<VisualExpression, AppError> {
        Err(plugin_runtime::not_implemented("get_access_control_visual_ast"))
    }
}

// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "generated/api.rs"]
pub mod rpc;

/// A mockall mock of [`Api`] for plugin tests (feature `mocks`; generated by
/// `cargo xtask plugin-mocks`).
#[cfg(feature = "mocks")]
// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "generated/api_mock.rs"]
pub mod mock;
