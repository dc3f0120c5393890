//! `GET /api/v4/websocket`: the live events of the server for web clients (upstream:
//! `api4/websocket.go`, `app/platform/web_conn.go`, `web_socket_router.go`).
//!
//! The protocol is upstream's. A client connects, then authenticates with an action message,
//! `{"seq": 1, "action": "authentication_challenge", "data": {"token": "<admin token>"}}`, and
//! is answered `{"status": "OK", "seq_reply": 1}` followed by a `hello` event; from then on it
//! receives every event of the server's hub ([`Events`](super::api::events::Events)) meant for
//! the admin's user, one JSON text message each, in upstream's `WebSocketEvent` shape
//! `{"event", "data", "broadcast", "seq"}`: plugins' `custom_<plugin id>_<event>`, the server's
//! `plugin_enabled` / `plugin_disabled` ([`announce`]) and `ephemeral_message`.
//!
//! The token is taken from the challenge only: never from the URL (where it would end in logs
//! and histories), a cookie or a header. A wrong token is answered `{"status": "FAIL", ...,
//! "error": {...}}` and the socket is closed (upstream closes it without a word); until a
//! challenge succeeds the socket gets no event, and one that has not authenticated within
//! [`AUTH_TIMEOUT`] is closed.
//!
//! A slow client never holds the server: events reach each socket through its own receiver of
//! the hub's broadcast channel, so publishing never waits; a client that falls more than
//! [`KEPT_EVENTS`](super::api::events::KEPT_EVENTS) events behind loses the oldest (its `seq`s
//! show the gap), and one that does not take a message within [`SEND_TIMEOUT`] is
//! disconnected. When the server stops, every socket is closed with 1001 (going away).

use super::api::events::PublishedEvent;
use super::api::ServerEnv;
use super::webapp::client_manifest;
use super::AppState;
use crate::environment::Change;
use api_definitions::model::WebsocketBroadcast;
use axum::extract::ws::{close_code, CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

pub const WEBSOCKET_PATH: &str = "/api/v4/websocket";

/// How long a new socket has to authenticate.
pub const AUTH_TIMEOUT: Duration = Duration::from_secs(60);
/// How long one message may take to go out before the client is taken for stuck.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest message a client may send (action messages are small).
const MAX_MESSAGE: usize = 64 << 10;

/// Upstream's action names and event names.
pub const AUTHENTICATION_CHALLENGE: &str = "authentication_challenge";
pub const HELLO: &str = "hello";
pub const PLUGIN_ENABLED: &str = "plugin_enabled";
pub const PLUGIN_DISABLED: &str = "plugin_disabled";

const NOT_AUTHENTICATED: &str = "api.web_socket_router.not_authenticated.app_error";
const BAD_ACTION: &str = "api.web_socket_router.bad_action.app_error";

/// `GET /api/v4/websocket`: the upgrade. Nothing of the request is read but the upgrade
/// itself: no token in the URL is looked at.
pub async fn upgrade(ws: WebSocketUpgrade, State(state): State<AppState>) -> Response {
    ws.max_message_size(MAX_MESSAGE).max_frame_size(MAX_MESSAGE).on_upgrade(move |socket| serve(socket, state))
}

/// An action message from the client (upstream: `WebSocketRequest`).
#[derive(Debug, Deserialize)]
struct Request {
    #[serde(default)]
    seq: i64,
    #[serde(default)]
    action: String,
    #[serde(default)]
    data: Value,
}

/// The answer to an action (upstream: `WebSocketResponse`).
#[derive(Debug, Serialize)]
struct Reply {
    status: &'static str,
    seq_reply: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Value>,
}

impl Reply {
    fn ok(seq: i64) -> Reply {
        Reply { status: "OK", seq_reply: seq, error: None }
    }

    fn fail(seq: i64, id: &str, message: &str, status_code: u16) -> Reply {
        let error = json!({"id": id, "message": message, "status_code": status_code});
        Reply { status: "FAIL", seq_reply: seq, error: Some(error) }
    }
}

/// Why a socket's loop ended.
enum End {
    /// The client closed it, went away, or was too slow: nothing more to say.
    Gone,
    /// We close it, with this code and reason.
    Close(u16, &'static str),
}

async fn serve(mut socket: WebSocket, state: AppState) {
    let end = match authenticate(&mut socket, &state).await {
        Ok(()) => forward(&mut socket, &state).await,
        Err(end) => end,
    };
    if let End::Close(code, reason) = end {
        let frame = CloseFrame { code, reason: Utf8Bytes::from_static(reason) };
        let _ = tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Close(Some(frame)))).await;
    }
}

async fn send_json(socket: &mut WebSocket, value: &impl Serialize) -> Result<(), End> {
    let text = serde_json::to_string(value).map_err(|e| {
        log::warn!("websocket: cannot encode a message: {e}");
        End::Close(close_code::ERROR, "internal error")
    })?;
    match tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(text.into()))).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(End::Gone),
        Err(_) => {
            log::info!("websocket: a client took more than {SEND_TIMEOUT:?} to take a message; disconnected");
            Err(End::Gone)
        }
    }
}

/// Completes when the server stops.
async fn stopping(closing: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = closing.wait_for(|closing| *closing).await;
}

/// Waits for a successful `authentication_challenge`. Other actions before it are answered
/// with an error; a wrong token closes the socket.
async fn authenticate(socket: &mut WebSocket, state: &AppState) -> Result<(), End> {
    let mut closing = state.closing.clone();
    let deadline = tokio::time::Instant::now() + AUTH_TIMEOUT;
    loop {
        let message = tokio::select! {
            message = tokio::time::timeout_at(deadline, socket.recv()) => match message {
                Ok(Some(Ok(message))) => message,
                Ok(_) => return Err(End::Gone),
                Err(_) => return Err(End::Close(close_code::POLICY, "not authenticated in time")),
            },
            () = stopping(&mut closing) => return Err(End::Close(close_code::AWAY, "the server is stopping")),
        };
        let Some(request) = request(message)? else { continue };
        if request.action != AUTHENTICATION_CHALLENGE {
            let reply =
                Reply::fail(request.seq, NOT_AUTHENTICATED, "authenticate first (authentication_challenge)", 401);
            send_json(socket, &reply).await?;
            continue;
        }
        let offered = request.data.get("token").and_then(Value::as_str).unwrap_or_default();
        if !offered.is_empty() && state.token.matches(offered) {
            send_json(socket, &Reply::ok(request.seq)).await?;
            return Ok(());
        }
        let reply = Reply::fail(request.seq, NOT_AUTHENTICATED, "the token is wrong or missing", 401);
        send_json(socket, &reply).await?;
        return Err(End::Close(close_code::POLICY, "authentication failed"));
    }
}

/// A client's message as an action request: `None` for pings and pongs (answered by the
/// library), `Err` when the client closed or sent what is not an action.
fn request(message: Message) -> Result<Option<Request>, End> {
    match message {
        Message::Text(text) => match serde_json::from_str::<Request>(&text) {
            Ok(request) => Ok(Some(request)),
            Err(_) => Err(End::Close(close_code::INVALID, "not an action message (JSON)")),
        },
        Message::Binary(_) => Err(End::Close(close_code::UNSUPPORTED, "text messages only")),
        Message::Ping(_) | Message::Pong(_) => Ok(None),
        Message::Close(_) => Err(End::Gone),
    }
}

/// The authenticated socket: `hello`, then every event for the admin's user as it comes,
/// while answering the client's actions.
async fn forward(socket: &mut WebSocket, state: &AppState) -> End {
    // Subscribed before the hello, so nothing published after it is missed.
    let mut events = state.api.events.subscribe();
    let mut closing = state.closing.clone();
    let user_id = state.settings.admin_user_id.clone();
    let hello = json!({
        "event": HELLO,
        "data": {"server_version": state.api.server_version, "connection_id": ""},
        "broadcast": {"omit_users": null, "user_id": user_id, "channel_id": "", "team_id": ""},
        "seq": 0,
    });
    if let Err(end) = send_json(socket, &hello).await {
        return end;
    }
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(event) if is_for(&event, &user_id) => {
                    if let Err(end) = send_json(socket, &*event).await {
                        return end;
                    }
                }
                Ok(_) => {}
                Err(RecvError::Lagged(missed)) => {
                    log::info!("websocket: a slow client missed {missed} events");
                }
                Err(RecvError::Closed) => return End::Close(close_code::AWAY, "the server is stopping"),
            },
            message = socket.recv() => {
                let message = match message {
                    Some(Ok(message)) => message,
                    _ => return End::Gone,
                };
                let request = match request(message) {
                    Ok(Some(request)) => request,
                    Ok(None) => continue,
                    Err(end) => return end,
                };
                // Authenticated already: a repeated challenge is fine; no other action exists here.
                let reply = if request.action == AUTHENTICATION_CHALLENGE {
                    Reply::ok(request.seq)
                } else {
                    Reply::fail(request.seq, BAD_ACTION, &format!("unknown action {:?}", request.action), 400)
                };
                if let Err(end) = send_json(socket, &reply).await {
                    return end;
                }
            }
            () = stopping(&mut closing) => return End::Close(close_code::AWAY, "the server is stopping"),
        }
    }
}

/// Whether an event is for the admin's user, the only identity of this server (upstream's
/// `ShouldSendEvent` without sessions and memberships: the admin sees every channel and team).
fn is_for(event: &PublishedEvent, user_id: &str) -> bool {
    let target = &event.broadcast;
    if target.omit_users.get(user_id).copied().unwrap_or(false) {
        return false;
    }
    target.user_id.is_empty() || target.user_id == user_id
}

/// Makes the environment's changes the server's events, as upstream's
/// `syncPluginsActiveState`: a plugin with a web app that starts running is `plugin_enabled`,
/// one that stops is `plugin_disabled`, each with `{"manifest": <client manifest>}` (the one
/// `GET /api/v4/plugins/webapp` gives, `webapp.bundle_path` its bundle's URL), broadcast to all.
/// Plugins without a web app are not announced (clients have nothing to do with them).
pub fn announce(env: &ServerEnv, events: Arc<super::api::events::Events>) {
    env.set_listener(move |change| {
        let (event, manifest, bundle) = match change {
            Change::Started { manifest, webapp_bundle, .. } => (PLUGIN_ENABLED, manifest, webapp_bundle),
            Change::Stopped { manifest, webapp_bundle, .. } => (PLUGIN_DISABLED, manifest, webapp_bundle),
        };
        let Some(client) = client_manifest(manifest.clone(), bundle.as_ref()) else { return };
        let manifest = serde_json::to_value(client).unwrap_or(Value::Null);
        let data = BTreeMap::from([("manifest".to_owned(), manifest)]);
        events.publish_server(event, data, &WebsocketBroadcast::default());
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::api::events::BroadcastTarget;

    fn event(target: BroadcastTarget) -> PublishedEvent {
        PublishedEvent { event: "e".into(), data: BTreeMap::new(), broadcast: target, seq: 1, plugin_id: String::new() }
    }

    #[test]
    fn events_for_everyone_or_the_admin_are_sent_others_not() {
        assert!(is_for(&event(BroadcastTarget::default()), "admin"));
        assert!(is_for(&event(BroadcastTarget { user_id: "admin".into(), ..Default::default() }), "admin"));
        assert!(is_for(&event(BroadcastTarget { channel_id: "c".into(), ..Default::default() }), "admin"));
        assert!(!is_for(&event(BroadcastTarget { user_id: "bob".into(), ..Default::default() }), "admin"));
        let omit = BroadcastTarget { omit_users: [("admin".to_owned(), true)].into(), ..Default::default() };
        assert!(!is_for(&event(omit), "admin"));
    }

    #[test]
    fn replies_have_upstreams_shape() {
        assert_eq!(serde_json::to_value(Reply::ok(1)).unwrap(), json!({"status": "OK", "seq_reply": 1}));
        let fail = serde_json::to_value(Reply::fail(2, NOT_AUTHENTICATED, "no", 401)).unwrap();
        assert_eq!(fail["status"], "FAIL");
        assert_eq!(fail["seq_reply"], 2);
        assert_eq!(fail["error"]["id"], NOT_AUTHENTICATED);
    }
}
