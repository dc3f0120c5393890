//! Hosts and plugins built from different versions of the definitions interoperate: fields one
//! side lacks decode as their defaults, fields it does not know are skipped, and a method the
//! peer lacks is a `NotImplemented` error (known from the handshake, or from the peer when the
//! caller did not ask).

use plugin_runtime::process::{HostConfig, PluginProcess};
use plugin_runtime::transport::NoService;
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
    let note = v2::Note { id: "n1".into(), text: "ship it".into(), pinned: true, tags: vec!["release".into()] };

    // The shared method works; the v1 plugin skips the fields it does not know.
    let signed = v2::Notes::sign(&notes, &note, "ann").expect("sign works across versions");
    assert_eq!(signed.id, "n1");
    assert_eq!(signed.text, "ship it -- ann (v1)");

    // The method v1 lacks: refused from the handshake's method set, without a round trip ...
    assert!(matches!(v2::Notes::pin(&notes, &note), Err(RpcError::NotImplemented { .. })));
    // ... and by the older plugin itself when the host calls without asking.
    let blind = v2::notes_rpc::Client::new(plugin.connection().clone());
    assert!(matches!(v2::Notes::pin(&blind, &note), Err(RpcError::NotImplemented { .. })));
    plugin.shutdown(Duration::from_secs(5)).expect("exits");
}

#[test]
fn an_older_host_calls_a_newer_plugin() {
    let plugin = start(env!("CARGO_BIN_EXE_notes_plugin_v2"));
    let notes = v1::notes_rpc::Client::with_peer_methods(plugin.connection().clone(), plugin.peer_methods());
    let note = v1::Note { id: "n2".into(), text: "draft".into() };
    // The v2 plugin decodes the missing fields as their defaults; the v1 host skips the extra
    // fields of the reply.
    let signed = v1::Notes::sign(&notes, &note, "bo").expect("sign works across versions");
    assert_eq!(signed, v1::Note { id: "n2".into(), text: "draft -- bo (v2)".into() });
    plugin.shutdown(Duration::from_secs(5)).expect("exits");
}
