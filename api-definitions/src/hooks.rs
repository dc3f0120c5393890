//! The `Hooks` trait: the events the server delivers to a plugin, ported from Mattermost's
//! `plugin.Hooks` (server/public/plugin/hooks.go). Each method is one event, identified on the
//! wire by upstream's permanent `<Hook>ID` number, so a Rust plugin and a Go server agree on what
//! each call means. Some hooks only report that something happened; the "will be" hooks run
//! before the server commits a change and let the plugin allow it, replace it or refuse it
//! (see [`Verdict`]).
//!
//! This trait is the single source of truth for the hooks' RPC glue, which `cargo xtask
//! pluginapi` generates. See `docs/porting-conventions.md` for how Go shapes map to Rust.

use crate::model::*;
use plugin_runtime::{ByteSink, ByteStream, RpcError};

/// The reject reason that makes `message_will_be_posted` dismiss the post silently: returning
/// `Verdict::Reject(DISMISS_POST_ERROR.to_string())` drops the pending post without reporting a
/// rejection to its author. Upstream: `plugin.DismissPostError`.
pub const DISMISS_POST_ERROR: &str = "plugin.message_will_be_posted.dismiss_post";

/// The events a plugin can react to. A plugin implements only the hooks it cares about and leaves
/// the others with their default body, which answers "not implemented". The generated glue tells
/// the server which hooks a plugin actually implements (this replaces upstream's `Implemented()`),
/// so the server never calls the others.
///
/// Every hook returns a `Result`: when the call cannot be delivered or its answer cannot be
/// decoded, the caller gets an `Err` carrying the [`RpcError`], never a default that looks like a
/// real answer.
///
/// Wire ids follow upstream's constants. Ids 28 to 33 belonged to six deprecated hooks that were
/// removed upstream; they are retired and must never be reused.
// The default bodies ignore their arguments.
#[allow(unused_variables)]
pub trait Hooks: Send + Sync {
    /// Runs when the server activates the plugin, after the first `on_configuration_change`. The
    /// plugin receives no other hook until this one succeeds. Returning an error makes the server
    /// stop the plugin.
    ///
    /// Wire id: 0
    /// Minimum server version: 5.2
    fn on_activate(&self) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("on_activate"))
    }

    /// Runs when the server deactivates the plugin. Other hooks have already stopped arriving;
    /// this is the last moment the plugin may call the API before its process is shut down. An
    /// error is only logged.
    ///
    /// Wire id: 1
    /// Minimum server version: 5.2
    fn on_deactivate(&self) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("on_deactivate"))
    }

    /// Handles an HTTP request sent to the plugin's routes under `/plugins/{plugin id}`, and
    /// returns the response to send back. The request carries a `Mattermost-User-Id` header only
    /// when an authenticated user made it, so its absence means an anonymous caller.
    ///
    /// Wire id: 2
    /// Minimum server version: 5.2
    fn serve_http(
        &self,
        c: &Context,
        request: http::Request<ByteStream>,
    ) -> Result<http::Response<ByteStream>, RpcError> {
        Err(plugin_runtime::not_implemented("serve_http"))
    }

    /// Runs whenever the configuration may have changed, and once before `on_activate`. The plugin
    /// should reload its settings here and cope with settings it cannot use. An error is logged
    /// but does not stop the plugin.
    ///
    /// Wire id: 3
    /// Minimum server version: 5.2
    fn on_configuration_change(&self) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("on_configuration_change"))
    }

    /// Runs a slash command that this plugin registered with the API's `register_command`, with
    /// the arguments the user typed, and returns what the user should see. An error makes the
    /// command fail with that error.
    ///
    /// Wire id: 4
    /// Minimum server version: 5.2
    fn execute_command(&self, c: &Context, args: &CommandArgs) -> Result<CommandResponse, AppError> {
        Err(plugin_runtime::not_implemented("execute_command"))
    }

    /// Runs when a new post is about to be saved, before anything is written to the database;
    /// posts created by plugins, this one included, pass through it too. Answer
    /// `Verdict::Allow` to save the post as it is, `Verdict::Replace` with a modified post to save
    /// that instead, or `Verdict::Reject` with a reason to refuse it (the reason is reported to
    /// the author). Rejecting with [`DISMISS_POST_ERROR`] drops the post silently. Edits go
    /// through `message_will_be_updated`; to only observe new posts, use
    /// `message_has_been_posted`.
    ///
    /// Wire id: 5
    /// Minimum server version: 5.2
    fn message_will_be_posted(&self, c: &Context, post: &Post) -> Result<Verdict<Post>, RpcError> {
        Err(plugin_runtime::not_implemented("message_will_be_posted"))
    }

    /// Runs when an edit to an existing post is about to be saved, before the database changes;
    /// edits made by plugins, this one included, pass through it too. `new_post` is the edited
    /// version and `old_post` the one currently stored. Answer `Verdict::Allow` to keep the edit,
    /// `Verdict::Replace` with a post to store instead, or `Verdict::Reject` with a reason for the
    /// user, in which case the post stays as it was. To only observe edits, use
    /// `message_has_been_updated`.
    ///
    /// Wire id: 6
    /// Minimum server version: 5.2
    fn message_will_be_updated(
        &self,
        c: &Context,
        new_post: &Post,
        old_post: &Post,
    ) -> Result<Verdict<Post>, RpcError> {
        Err(plugin_runtime::not_implemented("message_will_be_updated"))
    }

    /// Reports a post that has just been saved to the database, including posts created by
    /// plugins. It cannot change or stop the post; `message_will_be_posted` can.
    ///
    /// Wire id: 7
    /// Minimum server version: 5.2
    fn message_has_been_posted(&self, c: &Context, post: &Post) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("message_has_been_posted"))
    }

    /// Reports an edit that has just been saved to the database, including edits made by plugins.
    /// `new_post` is the stored result and `old_post` the version it replaced. It cannot change or
    /// stop the edit; `message_will_be_updated` can.
    ///
    /// Wire id: 8
    /// Minimum server version: 5.2
    fn message_has_been_updated(&self, c: &Context, new_post: &Post, old_post: &Post) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("message_has_been_updated"))
    }

    /// Reports that a user became a member of a channel, once the membership is stored.
    /// `actor` is the user who added them, or `None` when they joined by themselves.
    ///
    /// Wire id: 9
    /// Minimum server version: 5.2
    fn user_has_joined_channel(
        &self,
        c: &Context,
        channel_member: &ChannelMember,
        actor: Option<User>,
    ) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("user_has_joined_channel"))
    }

    /// Reports that a user stopped being a member of a channel, once the membership is deleted.
    /// `actor` is the user who removed them, or `None` when they left by themselves.
    ///
    /// Wire id: 10
    /// Minimum server version: 5.2
    fn user_has_left_channel(
        &self,
        c: &Context,
        channel_member: &ChannelMember,
        actor: Option<User>,
    ) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("user_has_left_channel"))
    }

    /// Reports that a user became a member of a team, once the membership is stored. `actor` is
    /// the user who added them, or `None` when they joined by themselves.
    ///
    /// Wire id: 11
    /// Minimum server version: 5.2
    fn user_has_joined_team(&self, c: &Context, team_member: &TeamMember, actor: Option<User>) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("user_has_joined_team"))
    }

    /// Reports that a user stopped being a member of a team, once the membership is deleted.
    /// `actor` is the user who removed them, or `None` when they left by themselves.
    ///
    /// Wire id: 12
    /// Minimum server version: 5.2
    fn user_has_left_team(&self, c: &Context, team_member: &TeamMember, actor: Option<User>) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("user_has_left_team"))
    }

    /// Reports a channel that has just been created and stored.
    ///
    /// Wire id: 13
    /// Minimum server version: 5.2
    fn channel_has_been_created(&self, c: &Context, channel: &Channel) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("channel_has_been_created"))
    }

    /// Runs when a file is uploaded, before it reaches the file store; uploads made by plugins,
    /// this one included, pass through it too. `info` describes the upload and `file` streams its
    /// content. To change the file, write the replacement content to `output` and answer
    /// `Verdict::Replace` with the updated info (the server recomputes the size). Answer
    /// `Verdict::Reject` with a reason to refuse the upload, or `Verdict::Allow`, writing nothing
    /// to `output`, to keep the file as uploaded.
    ///
    /// Wire id: 14
    /// Minimum server version: 5.2
    fn file_will_be_uploaded(
        &self,
        c: &Context,
        info: &FileInfo,
        file: ByteStream,
        output: ByteSink,
    ) -> Result<Verdict<FileInfo>, RpcError> {
        Err(plugin_runtime::not_implemented("file_will_be_uploaded"))
    }

    /// Runs when a user has authenticated but before the login completes. Answer `None` to let
    /// the login proceed, or `Some(reason)` to refuse it with that reason. To only observe logins,
    /// use `user_has_logged_in`.
    ///
    /// Wire id: 15
    /// Minimum server version: 5.2
    fn user_will_log_in(&self, c: &Context, user: &User) -> Result<Option<String>, RpcError> {
        Err(plugin_runtime::not_implemented("user_will_log_in"))
    }

    /// Reports a user who has just logged in.
    ///
    /// Wire id: 16
    /// Minimum server version: 5.2
    fn user_has_logged_in(&self, c: &Context, user: &User) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("user_has_logged_in"))
    }

    /// Reports a user account that has just been created.
    ///
    /// Wire id: 17
    /// Minimum server version: 5.10
    fn user_has_been_created(&self, c: &Context, user: &User) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("user_has_been_created"))
    }

    /// Reports a reaction that has just been stored, including reactions added by plugins.
    ///
    /// Wire id: 18
    /// Minimum server version: 5.30
    fn reaction_has_been_added(&self, c: &Context, reaction: &Reaction) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("reaction_has_been_added"))
    }

    /// Reports a reaction whose removal has just been stored, including removals made by
    /// plugins.
    ///
    /// Wire id: 19
    /// Minimum server version: 5.30
    fn reaction_has_been_removed(&self, c: &Context, reaction: &Reaction) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("reaction_has_been_removed"))
    }

    /// Delivers an event that another copy of this plugin, running on a different node of a
    /// high-availability cluster, sent with the API's `publish_plugin_cluster_event`. It lets
    /// the copies of one plugin coordinate across nodes.
    ///
    /// Wire id: 20
    /// Minimum server version: 5.36
    fn on_plugin_cluster_event(&self, c: &Context, ev: &PluginClusterEvent) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("on_plugin_cluster_event"))
    }

    /// Reports a newly opened websocket connection: `web_conn_id` identifies the connection and
    /// `user_id` the user who opened it. Useful to track which users are connected.
    ///
    /// Wire id: 21
    /// Minimum server version: 6.0
    fn on_web_socket_connect(&self, web_conn_id: &str, user_id: &str) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("on_web_socket_connect"))
    }

    /// Reports that the websocket connection `web_conn_id` of user `user_id` has closed.
    ///
    /// Wire id: 22
    /// Minimum server version: 6.0
    fn on_web_socket_disconnect(&self, web_conn_id: &str, user_id: &str) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("on_web_socket_disconnect"))
    }

    /// Delivers a message that a client sent over its websocket connection `web_conn_id`, on
    /// behalf of user `user_id`.
    ///
    /// Wire id: 23
    /// Minimum server version: 6.0
    fn web_socket_message_has_been_posted(
        &self,
        web_conn_id: &str,
        user_id: &str,
        req: &WebSocketRequest,
    ) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("web_socket_message_has_been_posted"))
    }

    /// Runs as part of the server's data retention job, so the plugin can delete its own expired
    /// data. `now_time` is the job's reference time in milliseconds since the epoch and
    /// `batch_size` the largest number of items to delete per batch. Returns how many items were
    /// deleted.
    ///
    /// Wire id: 24
    /// Minimum server version: 6.4
    fn run_data_retention(&self, now_time: i64, batch_size: i64) -> Result<i64, PluginError> {
        Err(plugin_runtime::not_implemented("run_data_retention"))
    }

    /// Runs after the plugin has been installed through the onboarding flow, on every such
    /// installation, not only the first. `event` says who installed it.
    ///
    /// Wire id: 25
    /// Minimum server version: 6.5
    fn on_install(&self, c: &Context, event: &OnInstallEvent) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("on_install"))
    }

    /// Runs when the server sends its daily telemetry, so the plugin can send its own.
    ///
    /// Wire id: 26
    /// Minimum server version: 6.5
    fn on_send_daily_telemetry(&self) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("on_send_daily_telemetry"))
    }

    /// Reports new product limits of a Cloud workspace, for instance after its plan changed.
    ///
    /// Wire id: 27
    /// Minimum server version: 7.0
    fn on_cloud_limits_updated(&self, limits: &ProductLimits) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("on_cloud_limits_updated"))
    }

    /// Runs before a new configuration is written to the config store. Answer `Ok(None)` to let
    /// `new_cfg` be saved as it is, `Ok(Some(config))` to save that configuration instead, or an
    /// error to refuse the save.
    ///
    /// Wire id: 34
    /// Minimum server version: 8.0
    fn configuration_will_be_saved(&self, new_cfg: &Config) -> Result<Option<Config>, PluginError> {
        Err(plugin_runtime::not_implemented("configuration_will_be_saved"))
    }

    /// Runs before a push notification for user `user_id` goes to the push notification service,
    /// including notifications caused by plugins. Answer `Verdict::Allow` to send it unchanged,
    /// `Verdict::Replace` with a modified notification to send that instead, or
    /// `Verdict::Reject` with a reason to not send it.
    ///
    /// Wire id: 35
    /// Minimum server version: 9.0
    fn notification_will_be_pushed(
        &self,
        push_notification: &PushNotification,
        user_id: &str,
    ) -> Result<Verdict<PushNotification>, RpcError> {
        Err(plugin_runtime::not_implemented("notification_will_be_pushed"))
    }

    /// Reports a user account that has just been deactivated.
    ///
    /// Wire id: 36
    /// Minimum server version: 9.1
    fn user_has_been_deactivated(&self, c: &Context, user: &User) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("user_has_been_deactivated"))
    }

    /// Reports a post that has just been deleted from the database, including deletions made by
    /// plugins.
    ///
    /// Wire id: 37
    /// Minimum server version: 9.1
    fn message_has_been_deleted(&self, c: &Context, post: &Post) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("message_has_been_deleted"))
    }

    /// Runs when a client fetches posts, before they are sent to it; posts created by plugins are
    /// included. Returns the posts the client should receive: the input unchanged to leave them
    /// alone, or modified copies.
    ///
    /// Wire id: 38
    /// Minimum server version: 9.3
    fn messages_will_be_consumed(&self, posts: &[Post]) -> Result<Vec<Post>, RpcError> {
        Err(plugin_runtime::not_implemented("messages_will_be_consumed"))
    }

    /// Handles an HTTP request that reached the server's metrics listener under
    /// `/plugins/{plugin id}/metrics`, so a plugin can publish its own metrics there. Returns the
    /// response to send back.
    ///
    /// Wire id: 39
    /// Minimum server version: 9.2
    fn serve_metrics(
        &self,
        c: &Context,
        request: http::Request<ByteStream>,
    ) -> Result<http::Response<ByteStream>, RpcError> {
        Err(plugin_runtime::not_implemented("serve_metrics"))
    }

    /// Delivers a batch of Shared Channels changes (posts, reactions, attachments, users) for one
    /// channel that the plugin was invited to share through the API's `invite_remote_to_channel`.
    /// `rc` is the remote the plugin is registered as. The returned [`SyncResponse`] tells the
    /// server how far to move its sync cursor; an error leaves the cursor where it was.
    ///
    /// Wire id: 40
    /// Minimum server version: 9.5
    fn on_shared_channels_sync_msg(&self, msg: &SyncMsg, rc: &RemoteCluster) -> Result<SyncResponse, PluginError> {
        Err(plugin_runtime::not_implemented("on_shared_channels_sync_msg"))
    }

    /// Health check from the Shared Channels service for the remote `rc` the plugin serves.
    /// Answer `true` when the plugin and its upstream service are working, `false` otherwise.
    /// After enough failed pings the server marks the plugin offline, stops sending it sync
    /// messages until it recovers, and shows it offline in the secure connection status.
    ///
    /// Wire id: 41
    /// Minimum server version: 9.5
    fn on_shared_channels_ping(&self, rc: &RemoteCluster) -> Result<bool, RpcError> {
        Err(plugin_runtime::not_implemented("on_shared_channels_ping"))
    }

    /// Reports preferences of one user that have just changed, including changes made by plugins.
    ///
    /// Wire id: 42
    /// Minimum server version: 9.5
    fn preferences_have_changed(&self, c: &Context, preferences: &[Preference]) -> Result<(), RpcError> {
        Err(plugin_runtime::not_implemented("preferences_have_changed"))
    }

    /// Delivers one file attachment to synchronize through Shared Channels: `fi` describes the
    /// file, `post` is the post it belongs to and `rc` the remote the plugin serves. Returning
    /// `Ok` lets the server advance its sync cursor past this attachment.
    ///
    /// Wire id: 43
    /// Minimum server version: 9.5
    fn on_shared_channels_attachment_sync_msg(
        &self,
        fi: &FileInfo,
        post: &Post,
        rc: &RemoteCluster,
    ) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("on_shared_channels_attachment_sync_msg"))
    }

    /// Delivers one user whose profile image should be synchronized through Shared Channels to
    /// the remote `rc`; the image itself can be fetched with the API's `get_profile_image`.
    /// Returning `Ok` lets the server advance its sync cursor past this user.
    ///
    /// Wire id: 44
    /// Minimum server version: 9.5
    fn on_shared_channels_profile_image_sync_msg(&self, user: &User, rc: &RemoteCluster) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("on_shared_channels_profile_image_sync_msg"))
    }

    /// Runs while a Support Packet is generated and returns the files the plugin adds to it. A
    /// plugin whose manifest props declare `support_packet` is offered as an option in the
    /// Support Packet dialog and is only asked when an admin selects it; a plugin without that
    /// prop is always asked.
    ///
    /// Wire id: 45
    /// Minimum server version: 9.8
    fn generate_support_data(&self, c: &Context) -> Result<Vec<FileData>, PluginError> {
        Err(plugin_runtime::not_implemented("generate_support_data"))
    }

    /// Reports a successful SAML login of `user`. `assertion` is the SAML assertion the identity
    /// provider sent (upstream's `gosaml2` `AssertionInfo`), given as its JSON encoding because
    /// that type belongs to a SAML library rather than to the model; it is `null` when the server
    /// had none to pass on.
    ///
    /// Wire id: 46
    /// Minimum server version: 10.7
    fn on_saml_login(&self, c: &Context, user: &User, assertion: serde_json::Value) -> Result<(), PluginError> {
        Err(plugin_runtime::not_implemented("on_saml_login"))
    }

    /// Runs before an email notification goes to its recipient. `email_notification` holds the
    /// notification's context (post, channel, team, sender and recipient ids, channel type and
    /// so on) and the content the email would show. Answer `Verdict::Allow` to send it as it is,
    /// `Verdict::Replace` with new content (subject, titles, message, button, footer) to send that
    /// instead, or `Verdict::Reject` with a reason to not send the email. Only the content can be
    /// changed: the identifiers stay as the server set them.
    ///
    /// Wire id: 47
    /// Minimum server version: 11.0
    fn email_notification_will_be_sent(
        &self,
        email_notification: &EmailNotification,
    ) -> Result<Verdict<EmailNotificationContent>, RpcError> {
        Err(plugin_runtime::not_implemented("email_notification_will_be_sent"))
    }

    /// Runs when a file is requested, before any of it is sent to the client. `file_info`
    /// describes the file, `user_id` is the requesting user (empty for a public link) and
    /// `download_type` says what is asked for: the whole file, its thumbnail, its preview, or
    /// access through a public link. Answer `None` to serve it, or `Some(reason)` to refuse.
    ///
    /// Wire id: 48
    /// Minimum server version: 11.5
    fn file_will_be_downloaded(
        &self,
        c: &Context,
        file_info: &FileInfo,
        user_id: &str,
        download_type: &FileDownloadType,
    ) -> Result<Option<String>, RpcError> {
        Err(plugin_runtime::not_implemented("file_will_be_downloaded"))
    }

    /// Runs when a user is about to be added to a channel, before the membership is stored.
    /// Answer `Verdict::Allow` to store `channel_member` as it is, `Verdict::Replace` with a
    /// modified membership (roles, notification settings, ...) to store that instead, or
    /// `Verdict::Reject` with a reason to refuse the addition.
    ///
    /// Wire id: 49
    /// Minimum server version: 11.7
    fn channel_member_will_be_added(
        &self,
        c: &Context,
        channel_member: &ChannelMember,
    ) -> Result<Verdict<ChannelMember>, RpcError> {
        Err(plugin_runtime::not_implemented("channel_member_will_be_added"))
    }

    /// Runs when a user is about to join a team, before the membership is stored. Answer
    /// `Verdict::Allow` to store `team_member` as it is, `Verdict::Replace` with a modified
    /// membership to store that instead, or `Verdict::Reject` with a reason to refuse the join.
    ///
    /// Wire id: 50
    /// Minimum server version: 11.7
    fn team_member_will_be_added(
        &self,
        c: &Context,
        team_member: &TeamMember,
    ) -> Result<Verdict<TeamMember>, RpcError> {
        Err(plugin_runtime::not_implemented("team_member_will_be_added"))
    }

    /// Runs when a channel is about to be archived, after the request was validated but before
    /// anything changes. Answer `None` to let the archive go ahead, or `Some(reason)` to refuse it.
    ///
    /// Wire id: 51
    /// Minimum server version: 11.7
    fn channel_will_be_archived(&self, c: &Context, channel: &Channel) -> Result<Option<String>, RpcError> {
        Err(plugin_runtime::not_implemented("channel_will_be_archived"))
    }

    /// Runs when a channel's changes are about to be saved, after the request was validated but
    /// before the database changes. `new_channel` is the channel as it would be saved and
    /// `old_channel` as it is stored now, so the plugin can compare them. Answer
    /// `Verdict::Allow` to save `new_channel`, `Verdict::Replace` with a channel to save that
    /// instead, or `Verdict::Reject` with a reason to refuse the change. A plugin that guards the
    /// channel (the API's `register_channel_guard`) may not change its type in a replacement.
    ///
    /// Wire id: 52
    /// Minimum server version: 11.8
    fn channel_will_be_updated(
        &self,
        c: &Context,
        new_channel: &Channel,
        old_channel: &Channel,
    ) -> Result<Verdict<Channel>, RpcError> {
        Err(plugin_runtime::not_implemented("channel_will_be_updated"))
    }

    /// Runs when an archived channel is about to be restored, before anything changes. Answer
    /// `None` to let the restore go ahead, or `Some(reason)` to refuse it.
    ///
    /// Wire id: 53
    /// Minimum server version: 11.8
    fn channel_will_be_restored(&self, c: &Context, channel: &Channel) -> Result<Option<String>, RpcError> {
        Err(plugin_runtime::not_implemented("channel_will_be_restored"))
    }

    /// Runs when a scheduled post is about to be stored, both when it is created and when it is
    /// changed, after validation and before the save. Answer `Verdict::Allow` to store it as it
    /// is, `Verdict::Replace` with a scheduled post to store that instead, or `Verdict::Reject`
    /// with a reason to refuse it, as `message_will_be_posted` does for posts sent now.
    ///
    /// Wire id: 54
    /// Minimum server version: 11.8
    fn scheduled_post_will_be_created(
        &self,
        c: &Context,
        scheduled_post: &ScheduledPost,
    ) -> Result<Verdict<ScheduledPost>, RpcError> {
        Err(plugin_runtime::not_implemented("scheduled_post_will_be_created"))
    }

    /// Runs when a draft is about to be created or updated, before it is stored; deleting a
    /// draft (saving an empty message) does not run it. Answer `Verdict::Allow` to store the
    /// draft as it is, `Verdict::Replace` with a draft to store that instead, or
    /// `Verdict::Reject` with a reason to refuse it.
    ///
    /// Wire id: 55
    /// Minimum server version: 11.8
    fn draft_will_be_upserted(&self, c: &Context, draft: &Draft) -> Result<Verdict<Draft>, RpcError> {
        Err(plugin_runtime::not_implemented("draft_will_be_upserted"))
    }
}

// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "generated/hooks.rs"]
pub mod rpc;

/// A mockall mock of [`Hooks`] for host tests (feature `mocks`; generated by
/// `cargo xtask plugin-mocks`).
#[cfg(feature = "mocks")]
// Formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "generated/hooks_mock.rs"]
pub mod mock;
