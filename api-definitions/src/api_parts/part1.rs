//! Part 1 of the plugin API trait while it is being ported (merged into api.rs later).

use crate::model::*;
use plugin_runtime::RpcError;
use std::collections::BTreeMap;

pub trait ApiPart1: Send + Sync {
    /// Returns this plugin's settings, as saved by the server, in JSON form. The caller
    /// deserializes the value into its own configuration type.
    ///
    /// Minimum server version: 5.2
    fn load_plugin_configuration(&self) -> Result<serde_json::Value, PluginError>;

    /// Adds a custom slash command owned by this plugin. Invocations of it are delivered to the
    /// plugin's `execute_command` hook.
    ///
    /// Minimum server version: 5.2
    fn register_command(&self, command: &Command) -> Result<(), PluginError>;

    /// Removes a slash command this plugin registered earlier, identified by the team it was
    /// registered for and its trigger word.
    ///
    /// Minimum server version: 5.2
    fn unregister_command(&self, team_id: &str, trigger: &str) -> Result<(), PluginError>;

    /// Runs a slash command as though it had been typed with the given arguments, and returns
    /// whatever response the command produced.
    ///
    /// Minimum server version: 5.26
    fn execute_slash_command(
        &self,
        command_args: &CommandArgs,
    ) -> Result<CommandResponse, PluginError>;

    /// Returns the server configuration as currently stored, with secret values masked out.
    ///
    /// Minimum server version: 5.2
    fn get_config(&self) -> Result<Config, RpcError>;

    /// Returns the server configuration as currently stored, secrets included. Handle the result
    /// with care.
    ///
    /// Minimum server version: 5.16
    fn get_unsanitized_config(&self) -> Result<Config, RpcError>;

    /// Replaces the server configuration with the given one and writes it to the config store.
    ///
    /// Minimum server version: 5.2
    fn save_config(&self, config: &Config) -> Result<(), AppError>;

    /// Returns this plugin's stored settings as a map from setting key to JSON value. An empty
    /// map means nothing has been saved for the plugin.
    ///
    /// Minimum server version: 5.6
    fn get_plugin_config(&self) -> Result<BTreeMap<String, serde_json::Value>, RpcError>;

    /// Overwrites this plugin's stored settings with the given map and persists them.
    ///
    /// Minimum server version: 5.6
    fn save_plugin_config(
        &self,
        config: BTreeMap<String, serde_json::Value>,
    ) -> Result<(), AppError>;

    /// Returns the absolute filesystem path of the directory this plugin's bundle was extracted
    /// into.
    ///
    /// Minimum server version: 5.10
    fn get_bundle_path(&self) -> Result<String, PluginError>;

    /// Returns the license the server is running under, or `None` when the server is
    /// unlicensed.
    ///
    /// Minimum server version: 5.10
    fn get_license(&self) -> Result<Option<License>, RpcError>;

    /// Tells whether the server build is Enterprise Ready.
    ///
    /// Minimum server version: 5.10
    fn is_enterprise_ready(&self) -> Result<bool, RpcError>;

    /// Returns the version string of the running Mattermost server.
    ///
    /// Minimum server version: 5.4
    fn get_server_version(&self) -> Result<String, RpcError>;

    /// Returns when the server was first installed and started, in milliseconds since the Unix
    /// epoch.
    ///
    /// Minimum server version: 5.10
    fn get_system_install_date(&self) -> Result<i64, AppError>;

    /// Returns the identifier this server attaches to its diagnostic reports.
    ///
    /// Minimum server version: 5.10
    fn get_diagnostic_id(&self) -> Result<String, RpcError>;

    /// Returns the identifier this server attaches to its telemetry reports.
    ///
    /// Minimum server version: 5.28
    fn get_telemetry_id(&self) -> Result<String, RpcError>;

    /// Creates a new user account from the given user and returns the stored account.
    ///
    /// Minimum server version: 5.2
    fn create_user(&self, user: &User) -> Result<User, AppError>;

    /// Deletes the user with the given id.
    ///
    /// Minimum server version: 5.2
    fn delete_user(&self, user_id: &str) -> Result<(), AppError>;

    /// Lists the users matching the given filter and paging options. Some fields of the options
    /// are ignored by this call; an empty list means nobody matched.
    ///
    /// Minimum server version: 5.10
    fn get_users(&self, options: &UserGetOptions) -> Result<Vec<User>, AppError>;

    /// Looks up several users at once by their ids. Ids that match no user are left out of the
    /// result.
    ///
    /// Minimum server version: 9.8
    fn get_users_by_ids(&self, user_ids: &[String]) -> Result<Vec<User>, AppError>;

    /// Fetches a single user by id.
    ///
    /// Minimum server version: 5.2
    fn get_user(&self, user_id: &str) -> Result<User, AppError>;

    /// Fetches the user who has the given email address.
    ///
    /// Minimum server version: 5.2
    fn get_user_by_email(&self, email: &str) -> Result<User, AppError>;

    /// Fetches the user who has the given username.
    ///
    /// Minimum server version: 5.2
    fn get_user_by_username(&self, name: &str) -> Result<User, AppError>;

    /// Looks up several users at once by their usernames. Names that match no user are left out
    /// of the result.
    ///
    /// Minimum server version: 5.6
    fn get_users_by_usernames(&self, usernames: &[String]) -> Result<Vec<User>, AppError>;

    /// Returns one page of the members of a team; `page` counts from 0 and `per_page` sets the
    /// page size.
    ///
    /// Minimum server version: 5.6
    fn get_users_in_team(
        &self,
        team_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<User>, AppError>;

    /// Fetches one preference of a user, identified by category and name. Fails when the user
    /// has no such preference.
    ///
    /// Minimum server version: 9.5
    fn get_preference_for_user(
        &self,
        user_id: &str,
        category: &str,
        name: &str,
    ) -> Result<Preference, AppError>;

    /// Returns every preference stored for a user; an empty list means none are set.
    ///
    /// Minimum server version: 5.26
    fn get_preferences_for_user(&self, user_id: &str) -> Result<Vec<Preference>, AppError>;

    /// Creates or overwrites the given preferences for a user.
    ///
    /// Minimum server version: 5.26
    fn update_preferences_for_user(
        &self,
        user_id: &str,
        preferences: &[Preference],
    ) -> Result<(), AppError>;

    /// Removes the given preferences from a user.
    ///
    /// Minimum server version: 5.26
    fn delete_preferences_for_user(
        &self,
        user_id: &str,
        preferences: &[Preference],
    ) -> Result<(), AppError>;

    /// Fetches the session with the given id.
    ///
    /// Minimum server version: 5.2
    fn get_session(&self, session_id: &str) -> Result<Session, AppError>;

    /// Opens a new login session for a user from the given session and returns it as stored.
    ///
    /// Minimum server version: 6.2
    fn create_session(&self, session: &Session) -> Result<Session, AppError>;

    /// Moves the expiry of an existing session to `new_expiry`, in milliseconds since the Unix
    /// epoch.
    ///
    /// Minimum server version: 6.2
    fn extend_session_expiry(&self, session_id: &str, new_expiry: i64) -> Result<(), AppError>;

    /// Ends an existing session so it can no longer be used.
    ///
    /// Minimum server version: 6.2
    fn revoke_session(&self, session_id: &str) -> Result<(), AppError>;

    /// Issues a new personal access token described by `token` and returns it, including the
    /// token value.
    ///
    /// Minimum server version: 5.38
    fn create_user_access_token(
        &self,
        token: &UserAccessToken,
    ) -> Result<UserAccessToken, AppError>;

    /// Revokes the personal access token with the given id.
    ///
    /// Minimum server version: 5.38
    fn revoke_user_access_token(&self, token_id: &str) -> Result<(), AppError>;

    /// Returns the raw image bytes of a team's icon.
    ///
    /// Minimum server version: 5.6
    fn get_team_icon(&self, team_id: &str) -> Result<Vec<u8>, AppError>;

    /// Replaces a team's icon with the given image bytes.
    ///
    /// Minimum server version: 5.6
    fn set_team_icon(&self, team_id: &str, data: &[u8]) -> Result<(), AppError>;

    /// Deletes a team's custom icon.
    ///
    /// Minimum server version: 5.6
    fn remove_team_icon(&self, team_id: &str) -> Result<(), AppError>;

    /// Saves changes to an existing user and returns the updated account.
    ///
    /// Minimum server version: 5.2
    fn update_user(&self, user: &User) -> Result<User, AppError>;

    /// Returns the current presence status of a user.
    ///
    /// Minimum server version: 5.2
    fn get_user_status(&self, user_id: &str) -> Result<Status, AppError>;

    /// Returns the presence statuses of the given users; an empty list means none were found.
    ///
    /// Minimum server version: 5.2
    fn get_user_statuses_by_ids(&self, user_ids: &[String]) -> Result<Vec<Status>, AppError>;

    /// Sets a user's presence to `status` ("online", "away", "dnd" or "offline"). It stays that
    /// way until the user or some integration changes it again.
    ///
    /// Minimum server version: 5.2
    fn update_user_status(&self, user_id: &str, status: &str) -> Result<Status, AppError>;

    /// Puts a user into Do Not Disturb until `endtime` (a Unix timestamp), unless the user or
    /// another integration changes the status sooner.
    ///
    /// Minimum server version: 5.35
    fn set_user_status_timed_dnd(&self, user_id: &str, endtime: i64) -> Result<Status, AppError>;

    /// Activates (`active` true) or deactivates (`active` false) a user account.
    ///
    /// Minimum server version: 5.8
    fn update_user_active(&self, user_id: &str, active: bool) -> Result<(), AppError>;

    /// Sets a user's custom status (an emoji and a short text), which stays until the user or
    /// another integration clears or replaces it.
    ///
    /// Minimum server version: 6.2
    fn update_user_custom_status(
        &self,
        user_id: &str,
        custom_status: &CustomStatus,
    ) -> Result<(), AppError>;

    /// Clears a user's custom status.
    ///
    /// Minimum server version: 6.2
    fn remove_user_custom_status(&self, user_id: &str) -> Result<(), AppError>;

    /// Returns one page of a channel's members, with `page` counting from 0. `sort_by` is
    /// either "username" or "status".
    ///
    /// Minimum server version: 5.6
    fn get_users_in_channel(
        &self,
        channel_id: &str,
        sort_by: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<User>, AppError>;

    /// Reads the named LDAP attributes of a user and returns them keyed by attribute name. Only
    /// works on a licensed server with LDAP configured, for a user who signs in through LDAP.
    ///
    /// Minimum server version: 5.3
    fn get_ldap_user_attributes(
        &self,
        user_id: &str,
        attributes: &[String],
    ) -> Result<BTreeMap<String, String>, AppError>;

    /// Creates a new team from the given team and returns it as stored.
    ///
    /// Minimum server version: 5.2
    fn create_team(&self, team: &Team) -> Result<Team, AppError>;

    /// Deletes the team with the given id.
    ///
    /// Minimum server version: 5.2
    fn delete_team(&self, team_id: &str) -> Result<(), AppError>;

    /// Lists every team on the server; an empty list means there are none.
    ///
    /// Minimum server version: 5.2
    fn get_teams(&self) -> Result<Vec<Team>, AppError>;

    /// Fetches a single team by id.
    ///
    /// Minimum server version: 5.2
    fn get_team(&self, team_id: &str) -> Result<Team, AppError>;

    /// Fetches the team with the given name (its URL name, not the display name).
    ///
    /// Minimum server version: 5.2
    fn get_team_by_name(&self, name: &str) -> Result<Team, AppError>;

    /// Returns, for each team the user belongs to, how many unread messages and mentions the
    /// user has there.
    ///
    /// Minimum server version: 5.6
    fn get_teams_unread_for_user(&self, user_id: &str) -> Result<Vec<TeamUnread>, AppError>;

    /// Saves changes to an existing team and returns the updated team.
    ///
    /// Minimum server version: 5.2
    fn update_team(&self, team: &Team) -> Result<Team, AppError>;

    /// Finds the teams matching the search `term`; an empty list means nothing matched.
    ///
    /// Minimum server version: 5.8
    fn search_teams(&self, term: &str) -> Result<Vec<Team>, AppError>;

    /// Lists the teams the given user is a member of.
    ///
    /// Minimum server version: 5.6
    fn get_teams_for_user(&self, user_id: &str) -> Result<Vec<Team>, AppError>;

    /// Adds a user to a team and returns the new membership.
    ///
    /// Minimum server version: 5.2
    fn create_team_member(&self, team_id: &str, user_id: &str) -> Result<TeamMember, AppError>;

    /// Adds each of the given users to a team on behalf of `requestor_id` and returns the new
    /// memberships.
    ///
    /// Minimum server version: 5.2
    fn create_team_members(
        &self,
        team_id: &str,
        user_ids: &[String],
        requestor_id: &str,
    ) -> Result<Vec<TeamMember>, AppError>;

    /// Like `create_team_members`, but keeps going past individual failures: each entry of the
    /// result says whether that user was added or why not.
    ///
    /// Minimum server version: 5.20
    fn create_team_members_gracefully(
        &self,
        team_id: &str,
        user_ids: &[String],
        requestor_id: &str,
    ) -> Result<Vec<TeamMemberWithError>, AppError>;

    /// Removes a user from a team, recording `requestor_id` as the one who asked for it.
    ///
    /// Minimum server version: 5.2
    fn delete_team_member(
        &self,
        team_id: &str,
        user_id: &str,
        requestor_id: &str,
    ) -> Result<(), AppError>;

    /// Returns one page of a team's memberships, with `page` counting from 0.
    ///
    /// Minimum server version: 5.2
    fn get_team_members(
        &self,
        team_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<TeamMember>, AppError>;

    /// Fetches one user's membership in one team.
    ///
    /// Minimum server version: 5.2
    fn get_team_member(&self, team_id: &str, user_id: &str) -> Result<TeamMember, AppError>;

    /// Returns one page of the team memberships a user holds, with `page` counting from 0.
    ///
    /// Minimum server version: 5.10
    fn get_team_members_for_user(
        &self,
        user_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<TeamMember>, AppError>;

    /// Replaces the roles of a team membership with `new_roles`, a space-separated list of role
    /// names.
    ///
    /// Minimum server version: 5.2
    fn update_team_member_roles(
        &self,
        team_id: &str,
        user_id: &str,
        new_roles: &str,
    ) -> Result<TeamMember, AppError>;

    /// Creates a new channel from the given channel and returns it as stored.
    ///
    /// Minimum server version: 5.2
    fn create_channel(&self, channel: &Channel) -> Result<Channel, AppError>;

    /// Deletes (archives) the channel with the given id.
    ///
    /// Minimum server version: 5.2
    fn delete_channel(&self, channel_id: &str) -> Result<(), AppError>;

    /// Brings back a channel that was deleted (archived) earlier.
    ///
    /// Minimum server version: 11.10
    fn restore_channel(&self, channel_id: &str) -> Result<(), AppError>;

    /// Fetches a channel by id, succeeding only if it has the given type. Unlike `get_channel`,
    /// this also reaches internal backing channel types (such as spaces) that callers must ask
    /// for by their exact type.
    ///
    /// Minimum server version: 11.10
    fn get_channel_of_type(
        &self,
        channel_id: &str,
        channel_type: &ChannelType,
    ) -> Result<Channel, AppError>;

    /// Returns one page of a team's public channels, with `page` counting from 0.
    ///
    /// Minimum server version: 5.2
    fn get_public_channels_for_team(
        &self,
        team_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<Channel>, AppError>;

    /// Fetches a single channel by id.
    ///
    /// Minimum server version: 5.2
    fn get_channel(&self, channel_id: &str) -> Result<Channel, AppError>;

    /// Fetches a channel by its name within the team with id `team_id`; archived channels are
    /// considered only when `include_deleted` is true.
    ///
    /// Minimum server version: 5.2
    fn get_channel_by_name(
        &self,
        team_id: &str,
        name: &str,
        include_deleted: bool,
    ) -> Result<Channel, AppError>;

    /// Fetches a channel by its name within the team named `team_name`; archived channels are
    /// considered only when `include_deleted` is true.
    ///
    /// Minimum server version: 5.2
    fn get_channel_by_name_for_team_name(
        &self,
        team_name: &str,
        channel_name: &str,
        include_deleted: bool,
    ) -> Result<Channel, AppError>;

    /// Lists the channels a user belongs to in a team, direct and group messages included. An
    /// empty `team_id` returns the user's channels across all teams.
    ///
    /// Minimum server version: 5.6
    fn get_channels_for_team_for_user(
        &self,
        team_id: &str,
        user_id: &str,
        include_deleted: bool,
    ) -> Result<Vec<Channel>, AppError>;

    /// Returns counts about a channel, such as how many members it has.
    ///
    /// Minimum server version: 5.6
    fn get_channel_stats(&self, channel_id: &str) -> Result<ChannelStats, AppError>;

    /// Returns the direct message channel between two users, creating it first if it does not
    /// exist yet.
    ///
    /// Minimum server version: 5.2
    fn get_direct_channel(&self, user_id1: &str, user_id2: &str) -> Result<Channel, AppError>;

    /// Returns the group message channel for exactly the given users, creating it first if it
    /// does not exist yet.
    ///
    /// Minimum server version: 5.2
    fn get_group_channel(&self, user_ids: &[String]) -> Result<Channel, AppError>;

    /// Saves changes to an existing channel and returns the updated channel.
    ///
    /// Minimum server version: 5.2
    fn update_channel(&self, channel: &Channel) -> Result<Channel, AppError>;

    /// Marks the channel as guarded by this plugin, telling the server its default handling of
    /// the channel is unsafe without the plugin. Several plugins may guard one channel; calling
    /// again from the same plugin changes nothing.
    ///
    /// Minimum server version: 11.9
    fn register_channel_guard(&self, channel_id: &str) -> Result<(), AppError>;

    /// Drops this plugin's guard on the channel. Guards other plugins hold on the same channel
    /// stay in place.
    ///
    /// Minimum server version: 11.9
    fn unregister_channel_guard(&self, channel_id: &str) -> Result<(), AppError>;

    /// Finds the channels of a team that match `term`; an empty list means no match.
    ///
    /// Minimum server version: 5.6
    fn search_channels(&self, team_id: &str, term: &str) -> Result<Vec<Channel>, AppError>;

    /// Adds a new sidebar category, with the channels it lists, to a user's sidebar in a team
    /// and returns the stored category.
    ///
    /// Minimum server version: 5.38
    fn create_channel_sidebar_category(
        &self,
        user_id: &str,
        team_id: &str,
        new_category: &SidebarCategoryWithChannels,
    ) -> Result<SidebarCategoryWithChannels, AppError>;

    /// Returns a user's sidebar categories in a team, together with their display order.
    ///
    /// Minimum server version: 5.38
    fn get_channel_sidebar_categories(
        &self,
        user_id: &str,
        team_id: &str,
    ) -> Result<OrderedSidebarCategories, AppError>;

    /// Saves changes to existing sidebar categories of a user in a team and returns the updated
    /// categories.
    ///
    /// Minimum server version: 5.38
    fn update_channel_sidebar_categories(
        &self,
        user_id: &str,
        team_id: &str,
        categories: &[SidebarCategoryWithChannels],
    ) -> Result<Vec<SidebarCategoryWithChannels>, AppError>;
}
