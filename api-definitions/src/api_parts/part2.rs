//! Part 2 of the plugin API trait while it is being ported (merged into api.rs later).

use crate::model::*;
use plugin_runtime::{ByteStream, RpcError};
use std::collections::BTreeMap;

pub trait ApiPart2: Send + Sync {
    /// Finds users matching the criteria in `search` (term, team or channel scope, limits, ...).
    /// An empty list means nobody matched.
    ///
    /// Minimum server version: 5.6
    fn search_users(&self, search: &UserSearch) -> Result<Vec<User>, AppError>;

    /// Runs a post search inside one team. Every entry of `params_list` is evaluated and the
    /// matching posts are returned together; an empty list means no post matched.
    ///
    /// Minimum server version: 5.10
    fn search_posts_in_team(
        &self,
        team_id: &str,
        params_list: &[SearchParams],
    ) -> Result<Vec<Post>, AppError>;

    /// Searches the posts of a team as seen by the given user (only channels that user may read),
    /// using the raw search parameters. The result carries the matching posts and their order.
    ///
    /// Minimum server version: 5.26
    fn search_posts_in_team_for_user(
        &self,
        team_id: &str,
        user_id: &str,
        search_params: &SearchParameter,
    ) -> Result<PostSearchResults, AppError>;

    /// Makes the user a member of the channel as though they had joined by themselves, so no
    /// "added to channel" notification is produced. Returns the new membership.
    ///
    /// Minimum server version: 5.2
    fn add_channel_member(
        &self,
        channel_id: &str,
        user_id: &str,
    ) -> Result<ChannelMember, AppError>;

    /// Adds the user to the channel on behalf of `as_user_id`, as if that user had invited them;
    /// the usual notifications for being added are sent. Returns the new membership.
    ///
    /// Minimum server version: 5.18
    fn add_user_to_channel(
        &self,
        channel_id: &str,
        user_id: &str,
        as_user_id: &str,
    ) -> Result<ChannelMember, AppError>;

    /// Looks up one user's membership in a channel. Errors when the user is not a member.
    ///
    /// Minimum server version: 5.2
    fn get_channel_member(
        &self,
        channel_id: &str,
        user_id: &str,
    ) -> Result<ChannelMember, AppError>;

    /// Lists one page of a channel's memberships (`page` counts from 0). An empty list means the
    /// page is past the end.
    ///
    /// Minimum server version: 5.6
    fn get_channel_members(
        &self,
        channel_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<ChannelMember>, AppError>;

    /// Fetches the channel memberships of the listed users. Users who are not members are simply
    /// absent from the result.
    ///
    /// Minimum server version: 5.6
    fn get_channel_members_by_ids(
        &self,
        channel_id: &str,
        user_ids: &[String],
    ) -> Result<Vec<ChannelMember>, AppError>;

    /// Lists one page of the user's channel memberships within the given team (`page` counts
    /// from 0).
    ///
    /// Minimum server version: 5.10
    fn get_channel_members_for_user(
        &self,
        team_id: &str,
        user_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<ChannelMember>, AppError>;

    /// Replaces a member's channel roles with `new_roles`, a space-separated list of role names.
    /// Returns the updated membership.
    ///
    /// Minimum server version: 5.2
    fn update_channel_member_roles(
        &self,
        channel_id: &str,
        user_id: &str,
        new_roles: &str,
    ) -> Result<ChannelMember, AppError>;

    /// Changes a member's notification preferences for a channel using the key/value pairs in
    /// `notifications` (notify props such as `desktop` or `mark_unread`). Returns the updated
    /// membership.
    ///
    /// Minimum server version: 5.2
    fn update_channel_member_notifications(
        &self,
        channel_id: &str,
        user_id: &str,
        notifications: BTreeMap<String, String>,
    ) -> Result<ChannelMember, AppError>;

    /// Applies the same notification-property patch to many channel memberships at once (at most
    /// 200 per call). Only notify props change; nothing else about the memberships is touched.
    ///
    /// Minimum server version: 9.5
    fn patch_channel_members_notifications(
        &self,
        members: &[ChannelMemberIdentifier],
        notify_props: BTreeMap<String, String>,
    ) -> Result<(), AppError>;

    /// Looks up a user group by its id.
    ///
    /// Minimum server version: 5.18
    fn get_group(&self, group_id: &str) -> Result<Group, AppError>;

    /// Looks up a user group by its unique name.
    ///
    /// Minimum server version: 5.18
    fn get_group_by_name(&self, name: &str) -> Result<Group, AppError>;

    /// Lists one page of the users who belong to a group (`page` counts from 0).
    ///
    /// Minimum server version: 5.35
    fn get_group_member_users(
        &self,
        group_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<User>, AppError>;

    /// Lists every group that comes from the given source (upstream `model.GroupSource`, e.g.
    /// `"ldap"`, `"custom"` or a `"plugin_..."` source).
    ///
    /// Minimum server version: 5.35
    fn get_groups_by_source(&self, group_source: &str) -> Result<Vec<Group>, AppError>;

    /// Lists the groups the user is a member of; empty when they belong to none.
    ///
    /// Minimum server version: 5.18
    fn get_groups_for_user(&self, user_id: &str) -> Result<Vec<Group>, AppError>;

    /// Removes the user from the channel.
    ///
    /// Minimum server version: 5.2
    fn delete_channel_member(&self, channel_id: &str, user_id: &str) -> Result<(), AppError>;

    /// Publishes a new post and returns it as stored, with its id and timestamps filled in.
    ///
    /// Minimum server version: 5.2
    fn create_post(&self, post: &Post) -> Result<Post, AppError>;

    /// Puts an emoji reaction on a post on behalf of the reaction's user and returns the saved
    /// reaction.
    ///
    /// Minimum server version: 5.3
    fn add_reaction(&self, reaction: &Reaction) -> Result<Reaction, AppError>;

    /// Takes an existing emoji reaction off a post.
    ///
    /// Minimum server version: 5.3
    fn remove_reaction(&self, reaction: &Reaction) -> Result<(), AppError>;

    /// Lists all reactions on a post; empty when it has none.
    ///
    /// Minimum server version: 5.3
    fn get_reactions(&self, post_id: &str) -> Result<Vec<Reaction>, AppError>;

    /// Shows a post to a single user only, without storing it in the channel history. Returns
    /// the post as it was sent.
    ///
    /// Minimum server version: 5.2
    fn send_ephemeral_post(&self, user_id: &str, post: &Post) -> Result<Post, RpcError>;

    /// Replaces the content of an ephemeral post that was earlier shown to the user. Upstream
    /// marks this as experimental.
    ///
    /// Minimum server version: 5.2
    fn update_ephemeral_post(&self, user_id: &str, post: &Post) -> Result<Post, RpcError>;

    /// Withdraws an ephemeral post previously shown to the user. Upstream marks this as
    /// experimental.
    ///
    /// Minimum server version: 5.2
    fn delete_ephemeral_post(&self, user_id: &str, post_id: &str) -> Result<(), RpcError>;

    /// Deletes the post with the given id.
    ///
    /// Minimum server version: 5.2
    fn delete_post(&self, post_id: &str) -> Result<(), AppError>;

    /// Loads the whole thread a post belongs to: the root post and all its replies.
    ///
    /// Minimum server version: 5.6
    fn get_post_thread(&self, post_id: &str) -> Result<PostList, AppError>;

    /// Fetches a single post by id.
    ///
    /// Minimum server version: 5.2
    fn get_post(&self, post_id: &str) -> Result<Post, AppError>;

    /// Lists the channel's posts created after `time`, a Unix timestamp in milliseconds.
    ///
    /// Minimum server version: 5.6
    fn get_posts_since(&self, channel_id: &str, time: i64) -> Result<PostList, AppError>;

    /// Returns one page of the channel's posts that come after the given post (`page` counts
    /// from 0).
    ///
    /// Minimum server version: 5.6
    fn get_posts_after(
        &self,
        channel_id: &str,
        post_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<PostList, AppError>;

    /// Returns one page of the channel's posts that come before the given post (`page` counts
    /// from 0).
    ///
    /// Minimum server version: 5.6
    fn get_posts_before(
        &self,
        channel_id: &str,
        post_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<PostList, AppError>;

    /// Returns one page of a channel's posts (`page` counts from 0).
    ///
    /// Minimum server version: 5.6
    fn get_posts_for_channel(
        &self,
        channel_id: &str,
        page: i64,
        per_page: i64,
    ) -> Result<PostList, AppError>;

    /// Reports member counts for a team.
    ///
    /// Minimum server version: 5.8
    fn get_team_stats(&self, team_id: &str) -> Result<TeamStats, AppError>;

    /// Saves changes to an existing post (matched by its id) and returns the stored version.
    ///
    /// Minimum server version: 5.2
    fn update_post(&self, post: &Post) -> Result<Post, AppError>;

    /// Returns the raw image bytes of the user's profile picture.
    ///
    /// Minimum server version: 5.6
    fn get_profile_image(&self, user_id: &str) -> Result<Vec<u8>, AppError>;

    /// Replaces the user's profile picture with the given image bytes.
    ///
    /// Minimum server version: 5.6
    fn set_profile_image(&self, user_id: &str, data: &[u8]) -> Result<(), AppError>;

    /// Lists one page of the server's custom emoji (`page` counts from 0). `sort_by` may be
    /// `"name"`, or empty for the default order.
    ///
    /// Minimum server version: 5.6
    fn get_emoji_list(
        &self,
        sort_by: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<Emoji>, AppError>;

    /// Looks up a custom emoji by its name.
    ///
    /// Minimum server version: 5.6
    fn get_emoji_by_name(&self, name: &str) -> Result<Emoji, AppError>;

    /// Looks up a custom emoji by its id.
    ///
    /// Minimum server version: 5.6
    fn get_emoji(&self, emoji_id: &str) -> Result<Emoji, AppError>;

    /// Clones the metadata of the given files with `user_id` as their new creator, without
    /// copying the stored file contents, and returns the new file ids. The copies are not yet
    /// attached to any post and can be passed to `create_post`.
    ///
    /// Minimum server version: 5.2
    fn copy_file_infos(&self, user_id: &str, file_ids: &[String]) -> Result<Vec<String>, AppError>;

    /// Fetches the metadata of one uploaded file.
    ///
    /// Minimum server version: 5.3
    fn get_file_info(&self, file_id: &str) -> Result<FileInfo, AppError>;

    /// Sets the text that full-text search indexes for the file, e.g. content extracted by the
    /// plugin.
    ///
    /// Minimum server version: 9.1
    fn set_file_searchable_content(&self, file_id: &str, content: &str) -> Result<(), AppError>;

    /// Lists one page of file metadata (`page` counts from 0), filtered and sorted as `opt`
    /// describes (by user, channel, deleted state, ...).
    ///
    /// Minimum server version: 5.22
    fn get_file_infos(
        &self,
        page: i64,
        per_page: i64,
        opt: &GetFileInfosOptions,
    ) -> Result<Vec<FileInfo>, AppError>;

    /// Reads the whole content of an uploaded file, given its id.
    ///
    /// Minimum server version: 5.8
    fn get_file(&self, file_id: &str) -> Result<Vec<u8>, AppError>;

    /// Returns a public link to the file. Errors when public links are disabled on the server.
    ///
    /// Minimum server version: 5.6
    fn get_file_link(&self, file_id: &str) -> Result<String, AppError>;

    /// Reads a file straight from the server's file storage backend, by its storage path.
    ///
    /// Minimum server version: 5.3
    fn read_file(&self, path: &str) -> Result<Vec<u8>, AppError>;

    /// Returns a custom emoji's image as raw bytes together with its image format (such as
    /// `"png"` or `"gif"`).
    ///
    /// Minimum server version: 5.6
    fn get_emoji_image(&self, emoji_id: &str) -> Result<(Vec<u8>, String), AppError>;

    /// Uploads `data` as a file named `filename` into the channel and returns its metadata; the
    /// file can then be attached to a post by id.
    ///
    /// Minimum server version: 5.6
    fn upload_file(
        &self,
        data: &[u8],
        channel_id: &str,
        filename: &str,
    ) -> Result<FileInfo, AppError>;

    /// Opens an interactive dialog in the client that produced the request's trigger id (from a
    /// slash command, message button or menu).
    ///
    /// Minimum server version: 5.6
    fn open_interactive_dialog(&self, dialog: &OpenDialogRequest) -> Result<(), AppError>;

    /// Pops up a toast notification with `message` for a user. When `connection_id` is empty every
    /// session of the user sees it; otherwise only that one websocket connection does.
    ///
    /// Minimum server version: 11.5
    fn send_toast_message(
        &self,
        user_id: &str,
        connection_id: &str,
        message: &str,
        options: &SendToastMessageOptions,
    ) -> Result<(), AppError>;

    /// Returns the manifests of the plugins that are currently active.
    ///
    /// Minimum server version: 5.6
    fn get_plugins(&self) -> Result<Vec<Manifest>, AppError>;

    /// Turns on an installed plugin, given its id.
    ///
    /// Minimum server version: 5.6
    fn enable_plugin(&self, id: &str) -> Result<(), AppError>;

    /// Turns off an enabled plugin, given its id.
    ///
    /// Minimum server version: 5.6
    fn disable_plugin(&self, id: &str) -> Result<(), AppError>;

    /// Disables a plugin and deletes it from the server.
    ///
    /// Minimum server version: 5.6
    fn remove_plugin(&self, id: &str) -> Result<(), AppError>;

    /// Reports the current state of a plugin, given its id.
    ///
    /// Minimum server version: 5.6
    fn get_plugin_status(&self, id: &str) -> Result<PluginStatus, AppError>;

    /// Installs a plugin from a `.tar.gz` bundle read from `file`. An already installed version
    /// is overwritten only when `replace` is true. Returns the new plugin's manifest.
    ///
    /// Minimum server version: 5.18
    fn install_plugin(&self, file: ByteStream, replace: bool) -> Result<Manifest, AppError>;

    /// Stores `value` under `key` in this plugin's own key-value space. Keys starting with `mmi_`
    /// are reserved for the helper libraries; an empty value removes the key.
    ///
    /// Minimum server version: 5.2
    fn kv_set(&self, key: &str, value: &[u8]) -> Result<(), AppError>;

    /// Writes `new_value` only if the key currently holds `old_value`; an empty `old_value` means
    /// the key must not exist yet. `Ok(false)` means the condition did not hold and nothing was
    /// written.
    ///
    /// Minimum server version: 5.12
    fn kv_compare_and_set(
        &self,
        key: &str,
        old_value: &[u8],
        new_value: &[u8],
    ) -> Result<bool, AppError>;

    /// Deletes the key only if it currently holds `old_value`. `Ok(false)` means the value
    /// differed or the key was missing, so nothing was deleted.
    ///
    /// Minimum server version: 5.16
    fn kv_compare_and_delete(&self, key: &str, old_value: &[u8]) -> Result<bool, AppError>;

    /// Stores a value with extra controls from `options` (atomic compare against an old value,
    /// expiry). `Ok(true)` means the value was written, `Ok(false)` that a condition stopped it.
    ///
    /// Minimum server version: 5.20
    fn kv_set_with_options(
        &self,
        key: &str,
        value: &[u8],
        options: &PluginKVSetOptions,
    ) -> Result<bool, AppError>;

    /// Stores a value in the plugin's key-value space that disappears after `expire_in_seconds`
    /// seconds.
    ///
    /// Minimum server version: 5.6
    fn kv_set_with_expiry(
        &self,
        key: &str,
        value: &[u8],
        expire_in_seconds: i64,
    ) -> Result<(), AppError>;

    /// Reads the value stored under `key` in the plugin's key-value space. `None` means the key
    /// does not exist (or has expired).
    ///
    /// Minimum server version: 5.2
    fn kv_get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError>;

    /// Removes a key from the plugin's key-value space; deleting a missing key is not an error.
    ///
    /// Minimum server version: 5.2
    fn kv_delete(&self, key: &str) -> Result<(), AppError>;

    /// Wipes every key this plugin has stored.
    ///
    /// Minimum server version: 5.6
    fn kv_delete_all(&self) -> Result<(), AppError>;

    /// Lists one page of the keys this plugin has stored (`page` counts from 0).
    ///
    /// Minimum server version: 5.6
    fn kv_list(&self, page: i64, per_page: i64) -> Result<Vec<String>, AppError>;

    /// Sends a websocket event to clients. The server prefixes `event` with
    /// `custom_<plugin id>_`; `payload` travels as the event data, and `broadcast` selects who
    /// receives it (a user, a channel, a team, ...).
    ///
    /// Minimum server version: 5.2
    fn publish_web_socket_event(
        &self,
        event: &str,
        payload: BTreeMap<String, serde_json::Value>,
        broadcast: &WebsocketBroadcast,
    ) -> Result<(), RpcError>;

    /// Tells whether the user holds `permission` at system level.
    ///
    /// Minimum server version: 5.3
    fn has_permission_to(&self, user_id: &str, permission: &Permission) -> Result<bool, RpcError>;

    /// Tells whether the user holds `permission` within the given team.
    ///
    /// Minimum server version: 5.3
    fn has_permission_to_team(
        &self,
        user_id: &str,
        team_id: &str,
        permission: &Permission,
    ) -> Result<bool, RpcError>;

    /// Tells whether the user holds `permission` within the given channel.
    ///
    /// Minimum server version: 5.3
    fn has_permission_to_channel(
        &self,
        user_id: &str,
        channel_id: &str,
        permission: &Permission,
    ) -> Result<bool, RpcError>;

    /// Tells whether any of the named roles grants the permission with id `permission_id`.
    ///
    /// Minimum server version: 6.3
    fn roles_grant_permission(
        &self,
        role_names: &[String],
        permission_id: &str,
    ) -> Result<bool, RpcError>;

    /// Writes a debug-level line to the server log with the given structured fields. The server
    /// already tags the line with the plugin's identity.
    ///
    /// Minimum server version: 5.2
    fn log_debug(&self, msg: &str, key_value_pairs: &[LogField]) -> Result<(), RpcError>;

    /// Writes an info-level line to the server log with the given structured fields. The server
    /// already tags the line with the plugin's identity.
    ///
    /// Minimum server version: 5.2
    fn log_info(&self, msg: &str, key_value_pairs: &[LogField]) -> Result<(), RpcError>;

    /// Writes an error-level line to the server log with the given structured fields. The server
    /// already tags the line with the plugin's identity.
    ///
    /// Minimum server version: 5.2
    fn log_error(&self, msg: &str, key_value_pairs: &[LogField]) -> Result<(), RpcError>;

    /// Writes a warning-level line to the server log with the given structured fields. The
    /// server already tags the line with the plugin's identity.
    ///
    /// Minimum server version: 5.2
    fn log_warn(&self, msg: &str, key_value_pairs: &[LogField]) -> Result<(), RpcError>;

    /// Emails one recipient through the server's configured mail settings; `html_body` is the
    /// HTML content of the message.
    ///
    /// Minimum server version: 5.7
    fn send_mail(&self, to: &str, subject: &str, html_body: &str) -> Result<(), AppError>;

    /// Creates a bot account together with its backing user and returns the stored bot.
    ///
    /// Minimum server version: 5.10
    fn create_bot(&self, bot: &Bot) -> Result<Bot, AppError>;

    /// Updates the fields set in `bot_patch` on a bot and its backing user; unset fields are left
    /// unchanged. Returns the updated bot.
    ///
    /// Minimum server version: 5.10
    fn patch_bot(&self, bot_user_id: &str, bot_patch: &BotPatch) -> Result<Bot, AppError>;

    /// Fetches a bot by its user id; deactivated bots are found only when `include_deleted` is
    /// true.
    ///
    /// Minimum server version: 5.10
    fn get_bot(&self, bot_user_id: &str, include_deleted: bool) -> Result<Bot, AppError>;

    /// Lists the page of bots selected by `options` (paging, owner, whether to include deleted
    /// or orphaned bots).
    ///
    /// Minimum server version: 5.10
    fn get_bots(&self, options: &BotGetOptions) -> Result<Vec<Bot>, AppError>;

    /// Activates or deactivates a bot along with its backing user, returning the updated bot.
    ///
    /// Minimum server version: 5.10
    fn update_bot_active(&self, bot_user_id: &str, active: bool) -> Result<Bot, AppError>;

    /// Deletes a bot and its backing user for good; this cannot be undone.
    ///
    /// Minimum server version: 5.10
    fn permanent_delete_bot(&self, bot_user_id: &str) -> Result<(), AppError>;

    /// Sends an HTTP request to another plugin's HTTP handler and returns its response; the
    /// request path begins with the target plugin's id.
    ///
    /// Minimum server version: 5.18
    fn plugin_http(
        &self,
        request: http::Request<ByteStream>,
    ) -> Result<http::Response<ByteStream>, RpcError>;

    /// Broadcasts a "user is typing" websocket event for the channel. `parent_id` names the
    /// thread root and may be empty; the other arguments are required.
    ///
    /// Minimum server version: 5.26
    fn publish_user_typing(
        &self,
        user_id: &str,
        channel_id: &str,
        parent_id: &str,
    ) -> Result<(), AppError>;

    /// Creates a slash command owned by the server rather than handled by this plugin, so it
    /// outlives the plugin. The stored command has no creator and this plugin's id as its
    /// plugin id.
    ///
    /// Minimum server version: 5.28
    fn create_command(&self, cmd: &Command) -> Result<Command, PluginError>;

    /// Lists every slash command available in the team: custom ones, plugin-registered ones and
    /// the built-in ones.
    ///
    /// Minimum server version: 5.28
    fn list_commands(&self, team_id: &str) -> Result<Vec<Command>, PluginError>;

    /// Lists the team's custom slash commands, i.e. those made through the integrations UI, the
    /// REST API or `create_command`.
    ///
    /// Minimum server version: 5.28
    fn list_custom_commands(&self, team_id: &str) -> Result<Vec<Command>, PluginError>;
}
