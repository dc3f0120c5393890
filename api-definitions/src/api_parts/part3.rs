//! Part 3 of the plugin API trait while it is being ported (merged into api.rs later).

use crate::model::*;
use plugin_runtime::{ByteStream, RpcError};

pub trait ApiPart3: Send + Sync {
    /// Lists the slash commands of a team that plugins registered through `register_command`.
    /// An empty list means no plugin command exists for that team.
    ///
    /// Minimum server version: 5.28
    fn list_plugin_commands(&self, team_id: &str) -> Result<Vec<Command>, PluginError>;

    /// Lists the slash commands built into the server itself, which are the same for every team.
    ///
    /// Minimum server version: 5.28
    fn list_built_in_commands(&self) -> Result<Vec<Command>, PluginError>;

    /// Looks up one slash command by its id; an unknown id is an error.
    ///
    /// Minimum server version: 5.28
    fn get_command(&self, command_id: &str) -> Result<Command, PluginError>;

    /// Replaces the stored definition of the command `command_id` with `updated_cmd` and returns
    /// the result. Its id, token, creation and deletion times and plugin id stay as they were; an
    /// empty team id in `updated_cmd` keeps the command's current team.
    ///
    /// Minimum server version: 5.28
    fn update_command(
        &self,
        command_id: &str,
        updated_cmd: &Command,
    ) -> Result<Command, PluginError>;

    /// Removes the slash command with the given id.
    ///
    /// Minimum server version: 5.28
    fn delete_command(&self, command_id: &str) -> Result<(), PluginError>;

    /// Registers a new OAuth 2.0 client application and returns it as stored, with its id and
    /// secret filled in.
    ///
    /// Minimum server version: 5.38
    fn create_oauth_app(&self, app: &OAuthApp) -> Result<OAuthApp, AppError>;

    /// Fetches the OAuth application with the given id; an unknown id is an error.
    ///
    /// Minimum server version: 5.38
    fn get_oauth_app(&self, app_id: &str) -> Result<OAuthApp, AppError>;

    /// Saves changes to an existing OAuth application (matched by its id) and returns the stored
    /// version.
    ///
    /// Minimum server version: 5.38
    fn update_oauth_app(&self, app: &OAuthApp) -> Result<OAuthApp, AppError>;

    /// Removes the OAuth application with the given id.
    ///
    /// Minimum server version: 5.38
    fn delete_oauth_app(&self, app_id: &str) -> Result<(), AppError>;

    /// Sends `ev` to the copies of this same plugin running on the other nodes of a
    /// high-availability cluster, which receive it in their `on_plugin_cluster_event` hook. `opts`
    /// chooses how it is delivered (e.g. reliably or best-effort).
    ///
    /// Minimum server version: 5.36
    fn publish_plugin_cluster_event(
        &self,
        ev: &PluginClusterEvent,
        opts: &PluginClusterEventSendOptions,
    ) -> Result<(), PluginError>;

    /// Asks for a trial license for `users` seats on behalf of `requester_id` and, when granted,
    /// installs it on the server. The two flags record whether the terms were accepted and whether
    /// the requester agreed to receive emails.
    ///
    /// Minimum server version: 5.36
    fn request_trial_license(
        &self,
        requester_id: &str,
        users: i64,
        terms_accepted: bool,
        receive_emails_accepted: bool,
    ) -> Result<(), AppError>;

    /// Returns the product limits that apply to this workspace when it runs in Mattermost Cloud.
    /// On a server that is not a cloud workspace the limits come back empty.
    ///
    /// Minimum server version: 7.0
    fn get_cloud_limits(&self) -> Result<ProductLimits, PluginError>;

    /// Makes sure the described bot exists: it is created when missing and updated otherwise.
    /// Returns the bot's user id.
    ///
    /// Minimum server version: 7.1
    fn ensure_bot_user(&self, bot: &Bot) -> Result<String, PluginError>;

    /// Kept only for compatibility: the server no longer supports collections and topics, and the
    /// call does nothing.
    ///
    /// Minimum server version: 7.6
    fn register_collection_and_topic(
        &self,
        collection_type: &str,
        topic_type: &str,
    ) -> Result<(), PluginError>;

    /// Starts a resumable upload described by `us` and returns the stored session, whose id is used
    /// to send the data with `upload_data`.
    ///
    /// Minimum server version: 7.6
    fn create_upload_session(&self, us: &UploadSession) -> Result<UploadSession, PluginError>;

    /// Appends `data` to the upload session `us`. Returns `None` while the upload is still
    /// incomplete, and the new file's info once the last byte has been received.
    ///
    /// Minimum server version: 7.6
    fn upload_data(
        &self,
        us: &UploadSession,
        data: ByteStream,
    ) -> Result<Option<FileInfo>, PluginError>;

    /// Fetches the upload session with the given id, including how many bytes have arrived so far.
    ///
    /// Minimum server version: 7.6
    fn get_upload_session(&self, upload_id: &str) -> Result<UploadSession, PluginError>;

    /// Pushes `notification` to every mobile session of the user `user_id`. The plugin must itself
    /// honour the server's push settings and license; the `notification_will_be_pushed` hook still
    /// runs for it.
    ///
    /// Minimum server version: 9.0
    fn send_push_notification(
        &self,
        notification: &PushNotification,
        user_id: &str,
    ) -> Result<(), AppError>;

    /// Changes how a user authenticates (auth service and auth data) and returns what was stored.
    /// Meant for non-email services only: it cannot switch a user to email login with a password hash.
    ///
    /// Minimum server version: 9.3
    fn update_user_auth(&self, user_id: &str, user_auth: &UserAuth) -> Result<UserAuth, AppError>;

    /// Makes the plugin a shared-channels remote, so it gets sync messages through the
    /// `on_shared_channels_sync_msg` hook. Returns the remote id; calling it again with the same
    /// plugin id gives back the same id.
    ///
    /// Minimum server version: 9.5
    fn register_plugin_for_shared_channels(
        &self,
        opts: &RegisterPluginOpts,
    ) -> Result<String, PluginError>;

    /// Removes every shared-channels remote that belongs to the plugin `plugin_id`, which then stops
    /// getting sync messages. Typically called when the plugin deactivates.
    ///
    /// Minimum server version: 9.5
    fn unregister_plugin_for_shared_channels(&self, plugin_id: &str) -> Result<(), PluginError>;

    /// Removes a single shared-channels remote of the calling plugin, by its remote id, leaving the
    /// plugin's other remotes in place. The server checks that the remote is the caller's.
    ///
    /// Minimum server version: 11.7
    fn unregister_plugin_remote_for_shared_channels(
        &self,
        remote_id: &str,
    ) -> Result<(), PluginError>;

    /// Flags a channel as shared and returns the stored shared-channel record. No remote is invited
    /// by this; use `invite_remote_to_channel` to start syncing.
    ///
    /// Minimum server version: 9.5
    fn share_channel(&self, sc: &SharedChannel) -> Result<SharedChannel, PluginError>;

    /// Saves changes to a shared channel's details (share name, display name, purpose, header and
    /// so on) and returns the stored record.
    ///
    /// Minimum server version: 9.5
    fn update_shared_channel(&self, sc: &SharedChannel) -> Result<SharedChannel, PluginError>;

    /// Stops sharing a channel and uninvites all of its remotes. Returns whether the channel was
    /// actually unshared (false when it was not shared).
    ///
    /// Minimum server version: 9.5
    fn unshare_channel(&self, channel_id: &str) -> Result<bool, PluginError>;

    /// Moves the sync position of `remote_id` in a shared channel, forwards to skip old posts or
    /// backwards to send history again. It does not trigger a sync by itself. (`cusror` keeps
    /// upstream's spelling of the parameter name.)
    ///
    /// Minimum server version: 9.5
    fn update_shared_channel_cursor(
        &self,
        channel_id: &str,
        remote_id: &str,
        cusror: &GetPostsSinceForSyncCursor,
    ) -> Result<(), PluginError>;

    /// Makes a shared channel send its pending changes to all of its remotes now.
    ///
    /// Minimum server version: 9.5
    fn sync_shared_channel(&self, channel_id: &str) -> Result<(), PluginError>;

    /// Adds the remote `remote_id` (another server, or this plugin) as a sync target of a channel,
    /// acting as `user_id`. With `share_if_not_shared` the channel is shared first when it is not
    /// already.
    ///
    /// Minimum server version: 9.5
    fn invite_remote_to_channel(
        &self,
        channel_id: &str,
        remote_id: &str,
        user_id: &str,
        share_if_not_shared: bool,
    ) -> Result<(), PluginError>;

    /// Removes the remote `remote_id` from a channel's sync targets, so it no longer gets that
    /// channel's changes.
    ///
    /// Minimum server version: 9.5
    fn uninvite_remote_from_channel(
        &self,
        channel_id: &str,
        remote_id: &str,
    ) -> Result<(), PluginError>;

    /// Feeds a sync message coming from the plugin's remote `remote_id` into the server (posts,
    /// reactions, users, statuses, memberships...); the inbound twin of the
    /// `on_shared_channels_sync_msg` hook. An empty channel id with only users performs a global
    /// user sync. Returns how far the sync got.
    ///
    /// Minimum server version: 11.7
    fn receive_shared_channel_sync_msg(
        &self,
        remote_id: &str,
        msg: &SyncMsg,
    ) -> Result<SyncResponse, PluginError>;

    /// Stores a file attachment arriving from the plugin's remote `remote_id` into a shared channel:
    /// `fi` carries its metadata and `data` its bytes. Redelivering the same file returns the
    /// existing record instead of a duplicate.
    ///
    /// Minimum server version: 11.7
    fn receive_shared_channel_attachment_sync_msg(
        &self,
        remote_id: &str,
        channel_id: &str,
        fi: &FileInfo,
        data: ByteStream,
    ) -> Result<FileInfo, PluginError>;

    /// Sets the profile image of a user that belongs to the plugin's remote `remote_id` to the given
    /// image bytes.
    ///
    /// Minimum server version: 11.7
    fn receive_shared_channel_profile_image_sync_msg(
        &self,
        remote_id: &str,
        user_id: &str,
        image: &[u8],
    ) -> Result<(), PluginError>;

    /// Puts a user in a group, or refreshes the membership when it already exists, and returns it.
    ///
    /// Minimum server version: 10.7
    fn upsert_group_member(&self, group_id: &str, user_id: &str) -> Result<GroupMember, AppError>;

    /// Puts several users in a group at once (refreshing memberships that already exist) and
    /// returns the resulting memberships.
    ///
    /// Minimum server version: 10.7
    fn upsert_group_members(
        &self,
        group_id: &str,
        user_ids: &[String],
    ) -> Result<Vec<GroupMember>, AppError>;

    /// Finds a group by the id it has in its external source (e.g. LDAP or a plugin) together
    /// with that source.
    ///
    /// Minimum server version: 10.7
    fn get_group_by_remote_id(
        &self,
        remote_id: &str,
        group_source: &GroupSource,
    ) -> Result<Group, AppError>;

    /// Creates a group and returns it as stored.
    ///
    /// Minimum server version: 10.7
    fn create_group(&self, group: &Group) -> Result<Group, AppError>;

    /// Saves changes to an existing group and returns the stored version.
    ///
    /// Minimum server version: 10.7
    fn update_group(&self, group: &Group) -> Result<Group, AppError>;

    /// Marks a group as deleted (it can be brought back with `restore_group`) and returns it.
    ///
    /// Minimum server version: 10.7
    fn delete_group(&self, group_id: &str) -> Result<Group, AppError>;

    /// Undoes the soft deletion of a group and returns it.
    ///
    /// Minimum server version: 10.7
    fn restore_group(&self, group_id: &str) -> Result<Group, AppError>;

    /// Takes a user out of a group and returns the removed membership.
    ///
    /// Minimum server version: 10.7
    fn delete_group_member(&self, group_id: &str, user_id: &str) -> Result<GroupMember, AppError>;

    /// Fetches the link between a group and one team or channel (`syncable_id`, of the kind given by
    /// `syncable_type`).
    ///
    /// Minimum server version: 10.7
    fn get_group_syncable(
        &self,
        group_id: &str,
        syncable_id: &str,
        syncable_type: &GroupSyncableType,
    ) -> Result<GroupSyncable, AppError>;

    /// Lists a group's links to teams or to channels, depending on `syncable_type`.
    ///
    /// Minimum server version: 10.7
    fn get_group_syncables(
        &self,
        group_id: &str,
        syncable_type: &GroupSyncableType,
    ) -> Result<Vec<GroupSyncable>, AppError>;

    /// Creates a group-to-team or group-to-channel link, or updates it when it already exists, and
    /// returns it.
    ///
    /// Minimum server version: 10.7
    fn upsert_group_syncable(
        &self,
        group_syncable: &GroupSyncable,
    ) -> Result<GroupSyncable, AppError>;

    /// Saves changes to an existing group-to-team or group-to-channel link and returns it.
    ///
    /// Minimum server version: 10.7
    fn update_group_syncable(
        &self,
        group_syncable: &GroupSyncable,
    ) -> Result<GroupSyncable, AppError>;

    /// Removes the link between a group and a team or channel and returns the removed link.
    ///
    /// Minimum server version: 10.7
    fn delete_group_syncable(
        &self,
        group_id: &str,
        syncable_id: &str,
        syncable_type: &GroupSyncableType,
    ) -> Result<GroupSyncable, AppError>;

    /// Replaces a user's system roles with `new_roles` (space-separated role names) and returns the
    /// updated user.
    ///
    /// Minimum server version: 9.8
    fn update_user_roles(&self, user_id: &str, new_roles: &str) -> Result<User, AppError>;

    /// Returns the id of the calling plugin, as given in its manifest.
    ///
    /// Minimum server version: 10.1
    fn get_plugin_id(&self) -> Result<String, RpcError>;

    /// Returns one page of groups that match `opts`. `view_restrictions`, when given, limits the
    /// result to what those restrictions allow to be seen; `None` applies no restriction.
    ///
    /// Minimum server version: 10.7
    fn get_groups(
        &self,
        page: i64,
        per_page: i64,
        opts: &GroupSearchOpts,
        view_restrictions: Option<ViewUsersRestrictions>,
    ) -> Result<Vec<Group>, AppError>;

    /// Adds users to the teams and channels their groups are linked to, as selected by `params`.
    ///
    /// Minimum server version: 10.9
    fn create_default_syncable_memberships(
        &self,
        params: &CreateDefaultMembershipParams,
    ) -> Result<(), AppError>;

    /// For every team and channel restricted to groups, removes the members that belong to none of
    /// the allowed groups.
    ///
    /// Minimum server version: 10.9
    fn delete_group_constrained_memberships(&self) -> Result<(), AppError>;

    /// Stores a new property field and returns it with its id set. A field that names a linked
    /// template field takes its type, options and security settings from that template.
    ///
    /// Minimum server version: 10.10
    fn create_property_field(&self, field: &PropertyField) -> Result<PropertyField, PluginError>;

    /// Fetches one property field of the property group `group_id` by its id.
    ///
    /// Minimum server version: 10.10
    fn get_property_field(
        &self,
        group_id: &str,
        field_id: &str,
    ) -> Result<PropertyField, PluginError>;

    /// Fetches the property fields of the group `group_id` whose ids are in `ids`.
    ///
    /// Minimum server version: 10.10
    fn get_property_fields(
        &self,
        group_id: &str,
        ids: &[String],
    ) -> Result<Vec<PropertyField>, PluginError>;

    /// Saves changes to an existing property field of the group `group_id` and returns it. The type
    /// and options of a linked field cannot change; an empty linked field id unlinks it.
    ///
    /// Minimum server version: 10.10
    fn update_property_field(
        &self,
        group_id: &str,
        field: &PropertyField,
    ) -> Result<PropertyField, PluginError>;

    /// Soft-deletes a property field. Fails while other fields are still linked to it.
    ///
    /// Minimum server version: 10.10
    fn delete_property_field(&self, group_id: &str, field_id: &str) -> Result<(), PluginError>;

    /// Returns the property fields of the group `group_id` that match the filters and paging in
    /// `opts`; an empty list when none match.
    ///
    /// Minimum server version: 11.0
    fn search_property_fields(
        &self,
        group_id: &str,
        opts: &PropertyFieldSearchOpts,
    ) -> Result<Vec<PropertyField>, PluginError>;

    /// Counts the property fields of the group `group_id`, counting soft-deleted ones too when
    /// `include_deleted` is set.
    ///
    /// Minimum server version: 11.0
    fn count_property_fields(
        &self,
        group_id: &str,
        include_deleted: bool,
    ) -> Result<i64, PluginError>;

    /// Counts the property fields of the group `group_id` that belong to one target (its type and
    /// id), counting soft-deleted ones too when `include_deleted` is set.
    ///
    /// Minimum server version: 11.0
    fn count_property_fields_for_target(
        &self,
        group_id: &str,
        target_type: &str,
        target_id: &str,
        include_deleted: bool,
    ) -> Result<i64, PluginError>;

    /// Stores a new property value and returns it with its id set.
    ///
    /// Minimum server version: 10.10
    fn create_property_value(&self, value: &PropertyValue) -> Result<PropertyValue, PluginError>;

    /// Fetches one property value of the property group `group_id` by its id.
    ///
    /// Minimum server version: 10.10
    fn get_property_value(
        &self,
        group_id: &str,
        value_id: &str,
    ) -> Result<PropertyValue, PluginError>;

    /// Fetches the property values of the group `group_id` whose ids are in `ids`.
    ///
    /// Minimum server version: 10.10
    fn get_property_values(
        &self,
        group_id: &str,
        ids: &[String],
    ) -> Result<Vec<PropertyValue>, PluginError>;

    /// Saves changes to an existing property value of the group `group_id` and returns it.
    ///
    /// Minimum server version: 10.10
    fn update_property_value(
        &self,
        group_id: &str,
        value: &PropertyValue,
    ) -> Result<PropertyValue, PluginError>;

    /// Stores a property value, replacing the one already held for the same field and target if
    /// there is one, and returns it.
    ///
    /// Minimum server version: 10.10
    fn upsert_property_value(&self, value: &PropertyValue) -> Result<PropertyValue, PluginError>;

    /// Soft-deletes one property value of the group `group_id`.
    ///
    /// Minimum server version: 10.10
    fn delete_property_value(&self, group_id: &str, value_id: &str) -> Result<(), PluginError>;

    /// Returns the property values of the group `group_id` that match the filters and paging in
    /// `opts`; an empty list when none match.
    ///
    /// Minimum server version: 11.0
    fn search_property_values(
        &self,
        group_id: &str,
        opts: &PropertyValueSearchOpts,
    ) -> Result<Vec<PropertyValue>, PluginError>;

    /// Registers a property group under the given name and returns it; when a group of that name
    /// already exists, that group is returned instead of creating another.
    ///
    /// Minimum server version: 10.10
    fn register_property_group(&self, name: &str) -> Result<PropertyGroup, PluginError>;

    /// Looks up a property group by its name.
    ///
    /// Minimum server version: 10.10
    fn get_property_group(&self, name: &str) -> Result<PropertyGroup, PluginError>;

    /// Finds the property field called `name` in the group `group_id` for the target `target_id`.
    ///
    /// Minimum server version: 10.10
    fn get_property_field_by_name(
        &self,
        group_id: &str,
        target_id: &str,
        name: &str,
    ) -> Result<PropertyField, PluginError>;

    /// Saves changes to several property fields of the group `group_id` in one call and returns the
    /// stored fields.
    ///
    /// Minimum server version: 10.10
    fn update_property_fields(
        &self,
        group_id: &str,
        fields: &[PropertyField],
    ) -> Result<Vec<PropertyField>, PluginError>;

    /// Saves changes to several property values of the group `group_id` in one call and returns the
    /// stored values.
    ///
    /// Minimum server version: 10.10
    fn update_property_values(
        &self,
        group_id: &str,
        values: &[PropertyValue],
    ) -> Result<Vec<PropertyValue>, PluginError>;

    /// Creates or replaces several property values in one call and returns the stored values.
    ///
    /// Minimum server version: 10.10
    fn upsert_property_values(
        &self,
        values: &[PropertyValue],
    ) -> Result<Vec<PropertyValue>, PluginError>;

    /// Soft-deletes every property value of the group `group_id` attached to one target (given by
    /// its type and id).
    ///
    /// Minimum server version: 10.10
    fn delete_property_values_for_target(
        &self,
        group_id: &str,
        target_type: &str,
        target_id: &str,
    ) -> Result<(), PluginError>;

    /// Soft-deletes every property value of the group `group_id` that belongs to the field `field_id`.
    ///
    /// Minimum server version: 10.10
    fn delete_property_values_for_field(
        &self,
        group_id: &str,
        field_id: &str,
    ) -> Result<(), PluginError>;

    /// Like `upsert_property_values`, but `options` states which caller the plugin acts as; that is
    /// checked against the owners of fields whose values only their owners may manage.
    ///
    /// Minimum server version: 11.10
    fn upsert_property_values_with_options(
        &self,
        values: &[PropertyValue],
        options: &PropertyRequestOptions,
    ) -> Result<Vec<PropertyValue>, PluginError>;

    /// Like `upsert_property_value`, with `options` stating which caller the plugin acts as.
    ///
    /// Minimum server version: 11.10
    fn upsert_property_value_with_options(
        &self,
        value: &PropertyValue,
        options: &PropertyRequestOptions,
    ) -> Result<PropertyValue, PluginError>;

    /// Like `delete_property_value`, with `options` stating which caller the plugin acts as.
    ///
    /// Minimum server version: 11.10
    fn delete_property_value_with_options(
        &self,
        group_id: &str,
        value_id: &str,
        options: &PropertyRequestOptions,
    ) -> Result<(), PluginError>;

    /// Like `delete_property_values_for_target`, with `options` stating which caller the plugin
    /// acts as. Needs only the target, which makes it the way to clean up a removed target.
    ///
    /// Minimum server version: 11.10
    fn delete_property_values_for_target_with_options(
        &self,
        group_id: &str,
        target_type: &str,
        target_id: &str,
        options: &PropertyRequestOptions,
    ) -> Result<(), PluginError>;

    /// Like `delete_property_values_for_field`, with `options` stating which caller the plugin acts as.
    ///
    /// Minimum server version: 11.10
    fn delete_property_values_for_field_with_options(
        &self,
        group_id: &str,
        field_id: &str,
        options: &PropertyRequestOptions,
    ) -> Result<(), PluginError>;

    /// Writes an audit record through the server's audit logger at its default level.
    ///
    /// Minimum server version: 10.10
    fn log_audit_rec(&self, rec: &AuditRecord) -> Result<(), RpcError>;

    /// Writes an audit record through the server's audit logger at the log level named by `level`
    /// (e.g. "info", "error").
    ///
    /// Minimum server version: 10.10
    fn log_audit_rec_with_level(&self, rec: &AuditRecord, level: &str) -> Result<(), RpcError>;
}
