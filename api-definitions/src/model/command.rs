//! Slash commands: the command a plugin or integration registers, its autocomplete description,
//! the arguments of one invocation and the response to it.

use super::SlackAttachment;
use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `Command::method`: the command's URL is called with POST.
pub const COMMAND_METHOD_POST: &str = "P";
/// `Command::method`: the command's URL is called with GET.
pub const COMMAND_METHOD_GET: &str = "G";

/// A slash command. Upstream: `model.Command` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct Command {
    pub id: String,
    /// The secret sent with each invocation, so the receiver can check where it comes from.
    pub token: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    /// The user who made the command; empty for commands made by plugins.
    pub creator_id: String,
    pub team_id: String,
    /// The word after the slash, e.g. `weather` for `/weather`.
    pub trigger: String,
    /// [`COMMAND_METHOD_POST`] or [`COMMAND_METHOD_GET`].
    pub method: String,
    /// The username the response is posted as.
    pub username: String,
    pub icon_url: String,
    /// Whether the command is listed in autocomplete.
    pub auto_complete: bool,
    pub auto_complete_desc: String,
    pub auto_complete_hint: String,
    pub display_name: String,
    pub description: String,
    /// Where invocations are sent (commands not made by plugins).
    pub url: String,
    /// The plugin that registered the command; empty for other commands.
    pub plugin_id: String,
    /// Rich autocomplete: subcommands and arguments.
    pub autocomplete_data: Option<AutocompleteData>,
    /// The command's icon, a base64-encoded SVG.
    pub autocomplete_icon_data: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(Command);

/// The kind of an autocomplete argument: one of the `AUTOCOMPLETE_ARG_TYPE_*` values. Upstream:
/// `model.AutocompleteArgType`.
pub type AutocompleteArgType = String;

/// Free text; `AutocompleteArg::data` is an [`AutocompleteTextArg`].
pub const AUTOCOMPLETE_ARG_TYPE_TEXT: &str = "TextInput";
/// One of a fixed list; `AutocompleteArg::data` is an [`AutocompleteStaticListArg`].
pub const AUTOCOMPLETE_ARG_TYPE_STATIC_LIST: &str = "StaticList";
/// One of a list fetched from a URL; `AutocompleteArg::data` is an
/// [`AutocompleteDynamicListArg`].
pub const AUTOCOMPLETE_ARG_TYPE_DYNAMIC_LIST: &str = "DynamicList";

/// How a slash command autocompletes: its hint, help, subcommands and arguments. Upstream:
/// `model.AutocompleteData` (all fields; no JSON tags upstream, so the names are the Go field
/// names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AutocompleteData {
    /// The command or subcommand word.
    #[serde(rename = "Trigger")]
    pub trigger: String,
    #[serde(rename = "Hint")]
    pub hint: String,
    #[serde(rename = "HelpText")]
    pub help_text: String,
    /// The role a user needs to see this entry: `system_admin`, `system_user` or empty for all.
    #[serde(rename = "RoleID")]
    pub role_id: String,
    /// The arguments; positional ones (empty name) first. A command has arguments or
    /// subcommands, not both.
    #[serde(rename = "Arguments")]
    pub arguments: Vec<AutocompleteArg>,
    #[serde(rename = "SubCommands")]
    pub sub_commands: Vec<AutocompleteData>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AutocompleteData);

/// One argument in a command's autocomplete. Upstream: `model.AutocompleteArg` (all fields; Go
/// field names). Its `Data` depends on `Type` and is carried as JSON: decode it into
/// [`AutocompleteTextArg`], [`AutocompleteStaticListArg`] or [`AutocompleteDynamicListArg`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AutocompleteArg {
    /// The flag name of a named argument (`--name value`); empty for a positional one.
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "HelpText")]
    pub help_text: String,
    /// One of the `AUTOCOMPLETE_ARG_TYPE_*` values.
    #[serde(rename = "Type")]
    pub arg_type: AutocompleteArgType,
    #[serde(rename = "Required")]
    pub required: bool,
    /// The type-specific description, as JSON.
    #[serde(rename = "Data")]
    pub data: serde_json::Value,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AutocompleteArg);

/// The data of a free-text argument. Upstream: `model.AutocompleteTextArg` (Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AutocompleteTextArg {
    #[serde(rename = "Hint")]
    pub hint: String,
    /// A regular expression the input must match.
    #[serde(rename = "Pattern")]
    pub pattern: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AutocompleteTextArg);

/// One choice of a fixed-list argument. Upstream: `model.AutocompleteListItem` (Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AutocompleteListItem {
    #[serde(rename = "Item")]
    pub item: String,
    #[serde(rename = "Hint")]
    pub hint: String,
    #[serde(rename = "HelpText")]
    pub help_text: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AutocompleteListItem);

/// The data of a fixed-list argument. Upstream: `model.AutocompleteStaticListArg` (Go field
/// names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AutocompleteStaticListArg {
    #[serde(rename = "PossibleArguments")]
    pub possible_arguments: Vec<AutocompleteListItem>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AutocompleteStaticListArg);

/// The data of an argument whose choices are fetched from a URL. Upstream:
/// `model.AutocompleteDynamicListArg` (Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AutocompleteDynamicListArg {
    /// An absolute URL, or a path relative to the plugin's HTTP root.
    #[serde(rename = "FetchURL")]
    pub fetch_url: String,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AutocompleteDynamicListArg);

/// One invocation of a slash command: who ran it, where, and the text typed. Upstream:
/// `model.CommandArgs` (all fields but the translation function, a Go function that no RPC
/// carries).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct CommandArgs {
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
    /// The thread the command was run in; empty outside threads.
    pub root_id: String,
    pub parent_id: String,
    /// Lets the command open an interactive dialog in reply.
    pub trigger_id: String,
    /// The full text typed, starting with the slash, e.g. `/weather Paris`.
    pub command: String,
    /// The server's site URL. Upstream hides this and the two mention maps from JSON only: its
    /// RPC delivers them to plugins, so they are carried here under their Go names.
    #[serde(rename = "SiteURL", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub site_url: String,
    /// The users `@`-mentioned in the command: username to user id.
    #[serde(rename = "UserMentions", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub user_mentions: BTreeMap<String, String>,
    /// The channels `~`-mentioned in the command: channel name to channel id.
    #[serde(rename = "ChannelMentions", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub channel_mentions: BTreeMap<String, String>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(CommandArgs);

/// `CommandResponse::response_type`: the response is posted in the channel for everyone.
pub const COMMAND_RESPONSE_TYPE_IN_CHANNEL: &str = "in_channel";
/// `CommandResponse::response_type`: only the user who ran the command sees the response.
pub const COMMAND_RESPONSE_TYPE_EPHEMERAL: &str = "ephemeral";

/// What a slash command answers. Upstream: `model.CommandResponse` (all fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct CommandResponse {
    /// [`COMMAND_RESPONSE_TYPE_IN_CHANNEL`] or [`COMMAND_RESPONSE_TYPE_EPHEMERAL`] (the default).
    pub response_type: String,
    pub text: String,
    /// The username the response is posted as.
    pub username: String,
    /// The channel to post the response in, instead of the one the command ran in.
    pub channel_id: String,
    pub icon_url: String,
    /// The post type of the response.
    #[serde(rename = "type")]
    pub response_post_type: String,
    pub props: BTreeMap<String, serde_json::Value>,
    /// A URL or path to send the user to.
    pub goto_location: String,
    pub trigger_id: String,
    /// Post `text` as is, without converting Slack-style markup.
    pub skip_slack_parsing: bool,
    pub attachments: Vec<SlackAttachment>,
    /// Further responses, posted after this one.
    pub extra_responses: Vec<CommandResponse>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(CommandResponse);
