//! The WebSocket events plugins publish (`publish_web_socket_event`): numbered, kept in a short
//! ring for late readers, and broadcast to live subscribers (the server's WebSocket, when a
//! client is connected). Publishing never blocks a plugin: a subscriber that falls behind loses
//! the oldest events, it does not hold the publisher.

use api_definitions::model::WebsocketBroadcast;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// How many recent events are kept, and how many a slow subscriber may fall behind.
pub const KEPT_EVENTS: usize = 256;

/// One published event, in upstream's WebSocket shape (`model.WebSocketEvent`): the event
/// name is `custom_<plugin id>_<event>`, as upstream names plugins' events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedEvent {
    pub event: String,
    pub data: BTreeMap<String, serde_json::Value>,
    pub broadcast: BroadcastTarget,
    /// Increases by one per event, from 1, for the server's lifetime.
    pub seq: u64,
    /// The plugin that published it; empty for the server's own events.
    #[serde(skip)]
    pub plugin_id: String,
}

/// Who an event is for, as sent to clients (upstream's JSON names).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BroadcastTarget {
    pub omit_users: BTreeMap<String, bool>,
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
}

impl From<&WebsocketBroadcast> for BroadcastTarget {
    fn from(b: &WebsocketBroadcast) -> Self {
        BroadcastTarget {
            omit_users: b.omit_users.clone(),
            user_id: b.user_id.clone(),
            channel_id: b.channel_id.clone(),
            team_id: b.team_id.clone(),
        }
    }
}

/// The server's event hub.
pub struct Events {
    sender: broadcast::Sender<Arc<PublishedEvent>>,
    recent: Mutex<(u64, VecDeque<Arc<PublishedEvent>>)>,
}

impl Default for Events {
    fn default() -> Self {
        Events { sender: broadcast::channel(KEPT_EVENTS).0, recent: Mutex::new((0, VecDeque::new())) }
    }
}

impl Events {
    /// Records and broadcasts `event` of plugin `plugin_id`; returns its number.
    pub fn publish(
        &self,
        plugin_id: &str,
        event: &str,
        data: BTreeMap<String, serde_json::Value>,
        broadcast: &WebsocketBroadcast,
    ) -> u64 {
        self.record(format!("custom_{plugin_id}_{event}"), plugin_id, data, broadcast)
    }

    /// Records and broadcasts one of the server's own events (`ephemeral_message`, ...), by
    /// upstream's name; returns its number.
    pub fn publish_server(
        &self,
        event: &str,
        data: BTreeMap<String, serde_json::Value>,
        broadcast: &WebsocketBroadcast,
    ) -> u64 {
        self.record(event.to_owned(), "", data, broadcast)
    }

    fn record(
        &self,
        event: String,
        plugin_id: &str,
        data: BTreeMap<String, serde_json::Value>,
        broadcast: &WebsocketBroadcast,
    ) -> u64 {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent.0 += 1;
        let published = Arc::new(PublishedEvent {
            event,
            data,
            broadcast: broadcast.into(),
            seq: recent.0,
            plugin_id: plugin_id.to_owned(),
        });
        if recent.1.len() == KEPT_EVENTS {
            recent.1.pop_front();
        }
        recent.1.push_back(published.clone());
        // Sent under the lock, so subscribers see events in `seq` order. No receiver is fine.
        let _ = self.sender.send(published);
        recent.0
    }

    /// The kept events, oldest first.
    pub fn recent(&self) -> Vec<Arc<PublishedEvent>> {
        self.recent.lock().unwrap_or_else(|e| e.into_inner()).1.iter().cloned().collect()
    }

    /// Live events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<PublishedEvent>> {
        self.sender.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_named_numbered_kept_and_broadcast() {
        let events = Events::default();
        let mut live = events.subscribe();
        let data = BTreeMap::from([("n".to_owned(), serde_json::json!(1))]);
        let broadcast = WebsocketBroadcast { channel_id: "c1".into(), ..Default::default() };
        assert_eq!(events.publish("com.example.a", "ping", data.clone(), &broadcast), 1);
        let got = live.try_recv().unwrap();
        assert_eq!(
            (got.event.as_str(), got.seq, got.broadcast.channel_id.as_str()),
            ("custom_com.example.a_ping", 1, "c1")
        );
        assert_eq!(got.data, data);
        for _ in 0..KEPT_EVENTS {
            events.publish("com.example.a", "ping", BTreeMap::new(), &broadcast);
        }
        let recent = events.recent();
        assert_eq!(recent.len(), KEPT_EVENTS);
        assert_eq!((recent[0].seq, recent[KEPT_EVENTS - 1].seq), (2, KEPT_EVENTS as u64 + 1));
    }
}
