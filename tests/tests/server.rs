//! The plugin server with real plugin processes (`env_plugin`) behind its REST API: a bundle
//! with a server executable is uploaded, enabled (a process starts), fails to activate (500,
//! left enabled and "failed to start"), is replaced while running (restarted on the new files)
//! and comes back after a server restart. The API-level tests are in `host/tests/server.rs`.

use serde_json::json;
use std::fs;

mod server_support;

use server_support::{activations, process_bundle, start, Client};

#[test]
fn process_plugins_through_the_rest_api() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);

    assert_eq!(client.upload(&process_bundle("com.example.proc", "1.0.0"), false).0, 201);
    assert_eq!(client.post("/api/v4/plugins/com.example.proc/enable"), (200, json!({"status": "OK"})));
    assert_eq!(client.status("com.example.proc").0, 2);
    assert_eq!(activations(site.path(), "com.example.proc"), 1);

    // Replaced while running: restarted on the new files (a fresh directory, so one activation).
    let (code, manifest) = client.upload(&process_bundle("com.example.proc", "2.0.0"), true);
    assert_eq!((code, manifest["version"].as_str()), (201, Some("2.0.0")), "{manifest}");
    assert_eq!(client.status("com.example.proc").0, 2);
    assert_eq!(activations(site.path(), "com.example.proc"), 1);

    // A plugin whose activation fails: 500 with the reason; it stays enabled, failed to start.
    assert_eq!(client.upload(&process_bundle("com.example.failing", "1.0.0"), false).0, 201);
    fs::write(site.path().join("plugins/com.example.failing/behaviour"), "fail-activate").unwrap();
    let (code, error) = client.post("/api/v4/plugins/com.example.failing/enable");
    assert_eq!((code, error["id"].as_str()), (500, Some("app.plugin.activate.app_error")), "{error}");
    assert!(error["message"].as_str().unwrap().contains("on_activate"), "{error}");
    let (state, reason) = client.status("com.example.failing");
    assert_eq!(state, 3);
    assert!(reason.contains("on_activate"), "{reason}");
    server.stop().unwrap();

    // After a restart the enabled plugin runs again, in a new process.
    let server = start(site.path());
    let client = Client::new(&server);
    assert_eq!(client.status("com.example.proc").0, 2);
    assert_eq!(activations(site.path(), "com.example.proc"), 2);
    assert_eq!(client.post("/api/v4/plugins/com.example.proc/disable").0, 200);
    assert_eq!(client.status("com.example.proc").0, 0);
    server.stop().unwrap();
}
