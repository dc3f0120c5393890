//! The plugin server with real plugin processes (`env_plugin`) behind its REST API: a bundle
//! with a server executable is uploaded, enabled (a process starts), fails to activate (500,
//! left enabled and "failed to start"), is replaced while running (restarted on the new files)
//! and comes back after a server restart. The API-level tests are in `host/tests/server.rs`.

use plugin_host::manifest::platform;
use plugin_host::package::bundle::{bundle, BundleOptions};
use plugin_host::server::{Background, ServeOptions};
use serde_json::{json, Value};
use std::fs;
use std::path::Path;

const BOUNDARY: &str = "server-process-test";

struct Client {
    base: String,
    auth: String,
}

impl Client {
    fn new(server: &Background) -> Client {
        let token = fs::read_to_string(server.token_file().unwrap()).unwrap();
        Client { base: format!("http://{}", server.local_addr()), auth: format!("Bearer {}", token.trim()) }
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder().http_status_as_error(false).build().new_agent()
    }

    fn answer(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, Value) {
        let mut response = result.unwrap();
        let code = response.status().as_u16();
        (code, response.body_mut().read_json().unwrap_or(Value::Null))
    }

    fn post(&self, path: &str) -> (u16, Value) {
        Self::answer(
            Self::agent().post(format!("{}{path}", self.base)).header("Authorization", &self.auth).send_empty(),
        )
    }

    fn upload(&self, bundle: &[u8], force: bool) -> (u16, Value) {
        let mut body = Vec::new();
        if force {
            body.extend(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"force\"\r\n\r\ntrue\r\n").bytes(),
            );
        }
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"plugin\"; filename=\"p.tar.gz\"\r\n\r\n")
                .bytes(),
        );
        body.extend_from_slice(bundle);
        body.extend(format!("\r\n--{BOUNDARY}--\r\n").bytes());
        Self::answer(
            Self::agent()
                .post(format!("{}/api/v4/plugins", self.base))
                .header("Authorization", &self.auth)
                .header("Content-Type", format!("multipart/form-data; boundary={BOUNDARY}"))
                .send(&body[..]),
        )
    }

    /// (state code, error) of one plugin.
    fn status(&self, id: &str) -> (u64, String) {
        let (code, statuses) = Self::answer(
            Self::agent()
                .get(format!("{}/api/v4/plugins/statuses", self.base))
                .header("Authorization", &self.auth)
                .call(),
        );
        assert_eq!(code, 200);
        let entry = statuses.as_array().unwrap().iter().find(|s| s["plugin_id"] == id).unwrap().clone();
        (entry["state"].as_u64().unwrap(), entry["error"].as_str().unwrap_or_default().to_owned())
    }
}

/// A bundle of `env_plugin` as `id` at `version`.
fn process_bundle(id: &str, version: &str) -> Vec<u8> {
    let work = tempfile::tempdir().unwrap();
    let manifest = json!({"id": id, "name": id, "version": version, "server": {"executable": "server/plugin"}});
    fs::write(work.path().join("plugin.json"), manifest.to_string()).unwrap();
    let options = BundleOptions {
        executables: [(platform::current(), env!("CARGO_BIN_EXE_env_plugin").into())].into_iter().collect(),
    };
    let mut out = Vec::new();
    bundle(work.path(), &options, &mut out).unwrap();
    out
}

fn start(site: &Path) -> Background {
    Background::start(ServeOptions { settings_file: site.join("settings.json"), listen: Some("127.0.0.1:0".into()) })
        .unwrap()
}

fn activations(site: &Path, id: &str) -> usize {
    fs::read_to_string(site.join("plugins").join(id).join("activations")).map(|s| s.lines().count()).unwrap_or(0)
}

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
