//! Cluster events between the instances of a plugin: the event one instance sends to its
//! instances on the other nodes of the cluster, and how it is sent.

use plugin_runtime::unknown::UnknownFields;
use serde::{Deserialize, Serialize};

/// An event one instance of a plugin sends to its instances on the other nodes of a cluster.
/// Upstream: `model.PluginClusterEvent` (all fields; no JSON tags upstream, so the names are the
/// Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PluginClusterEvent {
    /// Identifies the kind of event, as the plugin chooses.
    #[serde(rename = "Id")]
    pub id: String,
    /// The event's payload.
    #[serde(rename = "Data", with = "plugin_runtime::codec::bytes")]
    pub data: Vec<u8>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PluginClusterEvent);

/// `PluginClusterEventSendOptions::send_type` for delivery over the reliable (TCP) channel.
pub const PLUGIN_CLUSTER_EVENT_SEND_TYPE_RELIABLE: &str = "reliable";
/// `PluginClusterEventSendOptions::send_type` for best-effort delivery.
pub const PLUGIN_CLUSTER_EVENT_SEND_TYPE_BEST_EFFORT: &str = "best_effort";

/// How to send a plugin event to the other nodes of the cluster. Upstream:
/// `model.PluginClusterEventSendOptions` (no JSON tags: Go field names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct PluginClusterEventSendOptions {
    /// One of the `PLUGIN_CLUSTER_EVENT_SEND_TYPE_*` values.
    #[serde(rename = "SendType")]
    pub send_type: String,
    /// The cluster node to send to; empty sends to all other nodes.
    #[serde(rename = "TargetId")]
    pub target_id: String,
    /// Wait until the event has been sent before returning.
    #[serde(rename = "Synchronous")]
    pub synchronous: bool,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(PluginClusterEventSendOptions);
