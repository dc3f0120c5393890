//! Hosts and plugins built from different versions of the definitions interoperate: fields one
//! side lacks decode as their defaults, fields it does not know pass through it unchanged (an
//! older plugin edits a newer note and the newer fields come back), and a method the
//! peer lacks is a `NotImplemented` error (known from the handshake, or from the peer when the
//! caller did not ask).

use plugin_runtime::process::{HostConfig, PluginProcess};
use plugin_runtime::transport::NoService;
use plugin_runtime::unknown::Value;
use plugin_runtime::RpcError;
use pluginapi_tests::skew::{v1, v2};
use std::process::Command;
use std::time::Duration;

fn start(exe: &str) -> PluginProcess {
    PluginProcess::spawn(Command::new(exe), HostConfig::new("notes"), |_| NoService).expect("the plugin starts")
}

#[test]
fn a_newer_host_calls_an_older_plugin() {
    let plugin = start(env!("CARGO_BIN_EXE_notes_plugin_v1"));
    let notes = v2::notes_rpc::Client::with_peer_methods(plugin.connection().clone(), plugin.peer_methods());
    let note = v2::Note {
        id: "n1".into(),
        text: "ship it".into(),
        pinned: true,
        tags: vec!["release".into()],
        ..v2::Note::default()
    };

    // The shared method works. The v1 plugin edits the text of a note whose `pinned` and `tags`
    // it does not know, and they come back as they were sent.
    let signed = v2::Notes::sign(&notes, &note, "ann").expect("sign works across versions");
    assert_eq!(signed, v2::Note { text: "ship it -- ann (v1)".into(), ..note.clone() });

    // The method v1 lacks: refused from the handshake's method set, without a round trip ...
    assert!(matches!(v2::Notes::pin(&notes, &note), Err(RpcError::NotImplemented { .. })));
    // ... and by the older plugin itself when the host calls without asking.
    let blind = v2::notes_rpc::Client::new(plugin.connection().clone());
    assert!(matches!(v2::Notes::pin(&blind, &note), Err(RpcError::NotImplemented { .. })));
    let status = plugin.shutdown(Duration::from_secs(30)).expect("exits");
    assert!(status.success(), "it exits by itself, not killed: {status:?}");
}

#[test]
fn an_older_host_calls_a_newer_plugin() {
    let plugin = start(env!("CARGO_BIN_EXE_notes_plugin_v2"));
    let notes = v1::notes_rpc::Client::with_peer_methods(plugin.connection().clone(), plugin.peer_methods());
    let note = v1::Note { id: "n2".into(), text: "draft".into(), ..v1::Note::default() };
    // The v2 plugin decodes the missing fields as their defaults; the v1 host keeps the extra
    // fields of the reply, which it does not know, ...
    let signed = v1::Notes::sign(&notes, &note, "bo").expect("sign works across versions");
    assert_eq!((signed.id.as_str(), signed.text.as_str()), ("n2", "draft -- bo (v2)"));
    assert_eq!(signed.unknown_fields.names().collect::<Vec<_>>(), ["pinned", "tags"]);
    // ... and sends them back with the note: the v2 plugin sees the tag it added last time.
    let again = v1::Notes::sign(&notes, &signed, "cy").expect("sign works across versions");
    assert_eq!(again.text, "draft -- bo (v2) -- cy (v2)");
    let tags = again.unknown_fields.get("tags").expect("tags kept");
    assert_eq!(tags, &Value::Array(vec![Value::from("signed-by-bo"), Value::from("signed-by-cy")]));
    let status = plugin.shutdown(Duration::from_secs(30)).expect("exits");
    assert!(status.success(), "it exits by itself, not killed: {status:?}");
}
