//! `GET /api/v4/websocket` against a real server with real plugin processes, spoken to as a
//! client with `tungstenite`: upstream's `authentication_challenge` (accepted, refused and
//! closed, never taken from the URL), plugins' published events, the server's
//! `plugin_enabled` / `plugin_disabled` on enable, disable, a crash and its restart, and a
//! client that does not read holding nobody up.

mod server_support;

use plugin_host::server::Background;
use serde_json::{json, Value};
use server_support::{process_bundle, process_bundle_with_files, start, Client};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

const ID: &str = "com.example.ws";
const WEB_ID: &str = "com.example.wsweb";

fn token(client: &Client) -> String {
    client.auth.strip_prefix("Bearer ").unwrap().to_owned()
}

/// A socket to the server's `path` (with any query), reads timing out after `timeout`.
fn connect(server: &Background, path: &str) -> Socket {
    let (socket, response) = tungstenite::connect(format!("ws://{}{path}", server.local_addr())).unwrap();
    assert_eq!(response.status().as_u16(), 101);
    if let MaybeTlsStream::Plain(tcp) = socket.get_ref() {
        tcp.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    }
    socket
}

fn send(socket: &mut Socket, value: Value) {
    socket.send(Message::text(value.to_string())).unwrap();
}

/// What a read gave.
#[derive(Debug)]
enum Read {
    Json(Value),
    /// The server closed the socket (a close frame, or the connection ended).
    Closed,
    /// Nothing within `wait`.
    Nothing,
}

fn read(socket: &mut Socket, wait: Duration) -> Read {
    let deadline = Instant::now() + wait;
    loop {
        match socket.read() {
            Ok(Message::Text(text)) => return Read::Json(serde_json::from_str(&text).unwrap()),
            Ok(Message::Close(_)) => return Read::Closed,
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) =>
            {
                if Instant::now() > deadline {
                    return Read::Nothing;
                }
            }
            Err(_) => return Read::Closed,
        }
    }
}

/// The next message, which must come within 10 s.
fn next(socket: &mut Socket) -> Value {
    match read(socket, Duration::from_secs(10)) {
        Read::Json(value) => value,
        other => panic!("wanted a message, got {other:?}"),
    }
}

/// The next event named `name`, skipping others (posts, other plugins').
fn next_event(socket: &mut Socket, name: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        assert!(Instant::now() < deadline, "no {name} event within 20 s");
        if let Read::Json(value) = read(socket, Duration::from_secs(1)) {
            if value["event"] == name {
                return value;
            }
        }
    }
}

/// A socket that passed the challenge, past its `hello`.
fn authenticated(server: &Background, client: &Client) -> Socket {
    let mut socket = connect(server, "/api/v4/websocket");
    send(&mut socket, json!({"seq": 1, "action": "authentication_challenge", "data": {"token": token(client)}}));
    assert_eq!(next(&mut socket), json!({"status": "OK", "seq_reply": 1}));
    let hello = next(&mut socket);
    assert_eq!(hello["event"], "hello", "{hello}");
    assert_eq!(hello["seq"], 0);
    socket
}

fn publish(client: &Client, name: &str) {
    let (code, _) = client.post(&format!("/plugins/{ID}/event?name={name}"));
    assert_eq!(code, 200);
}

fn running_plugin(client: &Client) {
    assert_eq!(client.upload(&process_bundle(ID, "1.0.0"), false).0, 201);
    assert_eq!(client.post(&format!("/api/v4/plugins/{ID}/enable")).0, 200);
}

#[test]
fn an_authenticated_socket_gets_plugins_events_in_upstreams_shape() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    running_plugin(&client);
    let mut socket = authenticated(&server, &client);

    publish(&client, "greeting");
    let event = next_event(&mut socket, &format!("custom_{ID}_greeting"));
    assert_eq!(event["data"], json!({"from": ID}));
    assert_eq!(event["broadcast"], json!({"omit_users": {}, "user_id": "", "channel_id": "", "team_id": ""}));
    let first = event["seq"].as_u64().unwrap();
    assert!(first > 0);
    publish(&client, "greeting");
    assert_eq!(next_event(&mut socket, &format!("custom_{ID}_greeting"))["seq"].as_u64().unwrap(), first + 1);

    // An action after the challenge: upstream's reply shape, an error for what this server lacks.
    send(&mut socket, json!({"seq": 2, "action": "user_typing", "data": {}}));
    let reply = next(&mut socket);
    assert_eq!((reply["status"].as_str(), reply["seq_reply"].as_i64()), (Some("FAIL"), Some(2)), "{reply}");
    server.stop().unwrap();
}

#[test]
fn a_wrong_token_is_answered_with_an_error_and_the_socket_closed() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    running_plugin(&client);
    let mut socket = connect(&server, "/api/v4/websocket");
    send(&mut socket, json!({"seq": 1, "action": "authentication_challenge", "data": {"token": "not-the-token"}}));
    let reply = next(&mut socket);
    assert_eq!(reply["status"], "FAIL", "{reply}");
    assert_eq!(reply["seq_reply"], 1);
    assert_eq!(reply["error"]["id"], "api.web_socket_router.not_authenticated.app_error");
    publish(&client, "after");
    assert!(matches!(read(&mut socket, Duration::from_secs(5)), Read::Closed));
    server.stop().unwrap();
}

#[test]
fn a_token_in_the_url_is_not_accepted_and_unauthenticated_sockets_get_nothing() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    running_plugin(&client);
    let t = token(&client);
    let mut socket = connect(&server, &format!("/api/v4/websocket?token={t}&access_token={t}"));
    publish(&client, "secret");
    assert!(
        matches!(read(&mut socket, Duration::from_secs(1)), Read::Nothing),
        "an event reached a socket that did not authenticate"
    );
    // Actions other than the challenge are refused until it succeeds.
    send(&mut socket, json!({"seq": 7, "action": "get_statuses", "data": {}}));
    let reply = next(&mut socket);
    assert_eq!((reply["status"].as_str(), reply["seq_reply"].as_i64()), (Some("FAIL"), Some(7)), "{reply}");
    assert_eq!(reply["error"]["id"], "api.web_socket_router.not_authenticated.app_error");
    // The same socket can still authenticate properly, and then hears events.
    send(&mut socket, json!({"seq": 8, "action": "authentication_challenge", "data": {"token": t}}));
    assert_eq!(next(&mut socket), json!({"status": "OK", "seq_reply": 8}));
    publish(&client, "open");
    next_event(&mut socket, &format!("custom_{ID}_open"));
    server.stop().unwrap();
}

#[test]
fn enabling_disabling_and_a_crash_are_told_with_the_client_manifest() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    let extra = json!({"webapp": {"bundle_path": "webapp/main.js"}});
    let bundle = process_bundle_with_files(WEB_ID, "1.0.0", extra, &[("webapp/main.js", "// web app\n")]);
    assert_eq!(client.upload(&bundle, false).0, 201);
    // A plugin without a web app is of no interest to web clients: not announced.
    assert_eq!(client.upload(&process_bundle(ID, "1.0.0"), false).0, 201);
    let mut socket = authenticated(&server, &client);

    assert_eq!(client.post(&format!("/api/v4/plugins/{ID}/enable")).0, 200);
    assert_eq!(client.post(&format!("/api/v4/plugins/{WEB_ID}/enable")).0, 200);
    let enabled = next_event(&mut socket, "plugin_enabled");
    let manifest = &enabled["data"]["manifest"];
    assert_eq!(manifest["id"], WEB_ID, "{enabled}");
    assert!(manifest["server"].is_null(), "the client manifest has no server part: {manifest}");
    let (code, listed) = Client::answer(Client::agent().get(format!("{}/api/v4/plugins/webapp", client.base)).call());
    assert_eq!(code, 200);
    assert_eq!(&listed[0], manifest, "the event's manifest is the listing's");
    let path = manifest["webapp"]["bundle_path"].as_str().unwrap();
    assert!(path.starts_with(&format!("/static/plugins/{WEB_ID}/{WEB_ID}_")), "{path}");

    assert_eq!(client.post(&format!("/api/v4/plugins/{WEB_ID}/disable")).0, 200);
    let disabled = next_event(&mut socket, "plugin_disabled");
    assert_eq!(&disabled["data"]["manifest"], manifest);
    assert!(disabled["seq"].as_u64() > enabled["seq"].as_u64());

    // A crash: the clients are told it went, and told again when the restart brings it back.
    assert_eq!(client.post(&format!("/api/v4/plugins/{WEB_ID}/enable")).0, 200);
    next_event(&mut socket, "plugin_enabled");
    let _ = Client::agent().get(format!("{}/plugins/{WEB_ID}/exit", client.base)).call();
    assert_eq!(next_event(&mut socket, "plugin_disabled")["data"]["manifest"]["id"], WEB_ID);
    assert_eq!(next_event(&mut socket, "plugin_enabled")["data"]["manifest"]["id"], WEB_ID);
    server.stop().unwrap();
}

#[test]
fn a_client_that_does_not_read_holds_nobody_up() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    running_plugin(&client);
    let mut slow = authenticated(&server, &client);
    let mut fast = authenticated(&server, &client);
    const N: usize = 600; // more than the hub keeps for a subscriber (256)
    let started = Instant::now();
    for _ in 0..N {
        publish(&client, "burst");
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(60), "publishing {N} events took {took:?}");
    let name = format!("custom_{ID}_burst");
    let mut seqs = Vec::new();
    for _ in 0..N {
        seqs.push(next_event(&mut fast, &name)["seq"].as_u64().unwrap());
    }
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "the reading client got every event, in order");
    // The slow one reads at last: what it gets is in order and ends with the newest event
    // (with a gap where it fell behind, if it did).
    let mut last = 0;
    while let Read::Json(event) = read(&mut slow, Duration::from_secs(2)) {
        let seq = event["seq"].as_u64().unwrap();
        assert!(seq > last, "{seq} after {last}");
        last = seq;
    }
    assert_eq!(last, *seqs.last().unwrap());
    server.stop().unwrap();
}

#[test]
fn sockets_are_closed_when_the_server_stops() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    let mut socket = authenticated(&server, &client);
    let stopped = std::thread::spawn(move || server.stop());
    assert!(matches!(read(&mut socket, Duration::from_secs(10)), Read::Closed));
    stopped.join().unwrap().unwrap();
}
