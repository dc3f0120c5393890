//! The plugin server end to end: the `plugin-host serve` binary on a loopback port, driven over
//! HTTP. The plugins here are web-app-only (the host crate has no plugin executable; the
//! environment runs such plugins without a process); process-backed plugins behind the server
//! are tested in `tests/tests/server.rs`.

use serde_json::{json, Value};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const BOUNDARY: &str = "plugin-host-test-boundary";

/// A running `plugin-host serve` over a site directory (settings, plugins, token).
struct Server {
    child: Child,
    base: String,
    token: String,
}

impl Server {
    fn start(site: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plugin-host"))
            .args(["serve", "--listen", "127.0.0.1:0", "--config"])
            .arg(site.join("settings.json"))
            .stdout(Stdio::piped())
            // Its log lines would interleave with the test output; statuses say what matters.
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        // plugin-host: listening on http://127.0.0.1:PORT (admin token in FILE)
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("{line}"));
        let token = fs::read_to_string(site.join("admin-token")).unwrap().trim().to_owned();
        Server { child, base: url.to_owned(), token }
    }

    /// SIGTERM, then waits: the server stops its plugins and exits successfully.
    fn stop(mut self) {
        // SAFETY: signalling our own child by its pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn auth(&self) -> String {
        format!("Bearer {}", self.token)
    }

    fn get(&self, path: &str, auth: Option<&str>) -> (u16, Value) {
        let mut request = agent().get(self.url(path));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        answer(request.call())
    }

    fn post(&self, path: &str, auth: Option<&str>) -> (u16, Value) {
        let mut request = agent().post(self.url(path));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        answer(request.send_empty())
    }

    fn delete(&self, path: &str, auth: Option<&str>) -> (u16, Value) {
        let mut request = agent().delete(self.url(path));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        answer(request.call())
    }

    fn upload(&self, parts: &[(&str, &[u8])], auth: Option<&str>) -> (u16, Value) {
        let mut request = agent()
            .post(self.url("/api/v4/plugins"))
            .header("Content-Type", format!("multipart/form-data; boundary={BOUNDARY}"));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        answer(request.send(&form(parts)[..]))
    }

    fn statuses(&self) -> Value {
        let (code, body) = self.get("/api/v4/plugins/statuses", Some(&self.auth()));
        assert_eq!(code, 200, "{body}");
        body
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().new_agent()
}

fn answer(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, Value) {
    let mut response = result.unwrap();
    let code = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (code, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn form(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, data) in parts {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.bin\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A site directory, optionally with a settings file.
fn site(settings: Option<Value>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if let Some(settings) = settings {
        fs::write(dir.path().join("settings.json"), settings.to_string()).unwrap();
    }
    dir
}

/// A web-app-only plugin's bundle, with `extra` bytes of incompressible padding in its web app.
fn webapp_bundle(id: &str, version: &str, extra: usize) -> Vec<u8> {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("plugin");
    fs::create_dir_all(dir.join("webapp")).unwrap();
    let manifest = json!({
        "id": id, "name": format!("Plugin {id}"), "version": version,
        "webapp": {"bundle_path": "webapp/main.js"},
        "settings_schema": {"settings": [{"key": "Secret", "type": "text"}]},
    });
    fs::write(dir.join("plugin.json"), manifest.to_string()).unwrap();
    let mut js = b"console.log('hello');\n".to_vec();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    js.extend((0..extra).map(|_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x as u8
    }));
    fs::write(dir.join("webapp/main.js"), js).unwrap();
    let out = work.path().join("bundle.tar.gz");
    plugin_host::package::bundle::bundle_to_file(&dir, &Default::default(), &out).unwrap();
    fs::read(out).unwrap()
}

/// The plugins directory's entries that are plugins (not the installer's own files).
fn installed(site: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(site.join("plugins"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

fn state_of(statuses: &Value, id: &str) -> (u64, String) {
    let entry = statuses.as_array().unwrap().iter().find(|s| s["plugin_id"] == id).unwrap();
    (entry["state"].as_u64().unwrap(), entry["state_name"].as_str().unwrap().to_owned())
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect()
}

#[test]
fn install_list_enable_statuses_disable_delete() {
    let site = site(None);
    let server = Server::start(site.path());
    // No settings file is written just by starting; the token file is owner-only.
    assert!(!site.path().join("settings.json").exists());
    let mode = fs::metadata(site.path().join("admin-token")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(site.path().join("client/plugins").is_dir());
    let auth = server.auth();
    let bundle = webapp_bundle("com.example.web", "1.0.0", 0);

    let (code, manifest) = server.upload(&[("plugin", &bundle)], Some(&auth));
    assert_eq!(code, 201, "{manifest}");
    assert_eq!(manifest["id"], "com.example.web");
    assert_eq!(installed(site.path()), ["com.example.web"]);
    let (code, list) = server.get("/api/v4/plugins", Some(&auth));
    assert_eq!(code, 200);
    assert_eq!((ids(&list["active"]), ids(&list["inactive"])), (vec![], vec!["com.example.web"]));
    assert_eq!(state_of(&server.statuses(), "com.example.web"), (0, "not running".into()));

    // The same id again is refused without force and replaces with it.
    let (code, error) = server.upload(&[("plugin", &bundle)], Some(&auth));
    assert_eq!((code, error["id"].as_str()), (400, Some("app.plugin.install_id.app_error")), "{error}");
    let newer = webapp_bundle("com.example.web", "1.1.0", 0);
    let (code, manifest) = server.upload(&[("force", b"true"), ("plugin", &newer)], Some(&auth));
    assert_eq!((code, manifest["version"].as_str()), (201, Some("1.1.0")), "{manifest}");

    assert_eq!(server.post("/api/v4/plugins/com.example.web/enable", Some(&auth)), (200, json!({"status": "OK"})));
    assert_eq!(state_of(&server.statuses(), "com.example.web"), (2, "running".into()));
    let (_, list) = server.get("/api/v4/plugins", Some(&auth));
    assert_eq!(ids(&list["active"]), ["com.example.web"]);
    // The web-app list is public and leaves out the settings schema.
    let (code, webapp) = server.get("/api/v4/plugins/webapp", None);
    assert_eq!((code, ids(&webapp)), (200, vec!["com.example.web"]));
    assert!(webapp[0]["settings_schema"].is_null() && webapp[0]["server"].is_null(), "{webapp}");
    // Its bundle's URL under `/static/plugins/` (tests/webapp.rs fetches and checks them).
    let url = webapp[0]["webapp"]["bundle_path"].as_str().unwrap();
    assert!(
        url.starts_with("/static/plugins/com.example.web/com.example.web_") && url.ends_with("_bundle.js"),
        "{url}"
    );
    // Enabled state lives in the settings file now.
    let settings: Value = serde_json::from_slice(&fs::read(site.path().join("settings.json")).unwrap()).unwrap();
    assert_eq!(settings["PluginStates"]["com.example.web"]["Enable"], true);

    assert_eq!(server.post("/api/v4/plugins/com.example.web/disable", Some(&auth)).0, 200);
    assert_eq!(state_of(&server.statuses(), "com.example.web"), (0, "not running".into()));
    assert_eq!(ids(&server.get("/api/v4/plugins/webapp", None).1), Vec::<&str>::new());

    let (code, error) = server.post("/api/v4/plugins/com.example.nope/enable", Some(&auth));
    assert_eq!((code, error["id"].as_str()), (404, Some("app.plugin.not_installed.app_error")), "{error}");
    assert_eq!(error["status_code"], 404);
    assert_eq!(server.delete("/api/v4/plugins/com.example.web", Some(&auth)).0, 200);
    assert_eq!(installed(site.path()), Vec::<String>::new());
    assert!(!site.path().join("client/plugins/com.example.web").exists());
    assert_eq!(server.statuses(), json!([]));
    assert_eq!(server.delete("/api/v4/plugins/com.example.web", Some(&auth)).0, 404);
    server.stop();
}

#[test]
fn without_the_right_token_nothing_is_changed_or_revealed() {
    let site = site(None);
    let server = Server::start(site.path());
    let auth = server.auth();
    let bundle = webapp_bundle("com.example.kept", "1.0.0", 0);
    assert_eq!(server.upload(&[("plugin", &bundle)], Some(&auth)).0, 201);
    assert_eq!(server.post("/api/v4/plugins/com.example.kept/enable", Some(&auth)).0, 200);
    let before = server.statuses();
    let other = webapp_bundle("com.example.other", "1.0.0", 0);

    let wrong = format!("Bearer {}x", server.token);
    for bad in [None, Some(wrong.as_str()), Some("Basic abc")] {
        let refused = |(code, body): (u16, Value)| {
            assert_eq!(code, 401, "{body}");
            assert_eq!(body["id"], "api.context.admin_token.app_error");
            assert_eq!(body["status_code"], 401);
        };
        refused(server.upload(&[("plugin", &other)], bad));
        refused(server.upload(&[("force", b"true"), ("plugin", &bundle)], bad));
        refused(server.post("/api/v4/plugins/com.example.kept/disable", bad));
        refused(server.post("/api/v4/plugins/com.example.kept/enable", bad));
        refused(server.delete("/api/v4/plugins/com.example.kept", bad));
        refused(server.get("/api/v4/plugins", bad));
        refused(server.get("/api/v4/plugins/statuses", bad));
    }
    assert_eq!(installed(site.path()), ["com.example.kept"]);
    assert_eq!(server.statuses(), before);
    assert_eq!(state_of(&before, "com.example.kept").0, 2);
    assert_eq!(server.get("/api/v4/plugins/webapp", None).0, 200);
    server.stop();
}

#[test]
fn uploads_over_the_limit_are_refused_and_install_nothing() {
    let site = site(Some(json!({"MaxUploadBytes": 64 * 1024})));
    let server = Server::start(site.path());
    let auth = server.auth();
    let big = webapp_bundle("com.example.big", "1.0.0", 200 * 1024);
    assert!(big.len() > 150 * 1024);

    // Counted while streaming: sized, then chunked (no Content-Length).
    let (code, error) = server.upload(&[("plugin", &big)], Some(&auth));
    assert_eq!((code, error["id"].as_str()), (413, Some("api.plugin.upload.file_too_large.app_error")), "{error}");
    let body = form(&[("plugin", &big)]);
    let mut reader = &body[..];
    let response = agent()
        .post(server.url("/api/v4/plugins"))
        .header("Content-Type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .header("Authorization", &auth)
        .send(ureq::SendBody::from_reader(&mut reader));
    assert_eq!(answer(response).0, 413);

    // Announced too large: refused before any of the body is sent.
    let address = server.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST /api/v4/plugins HTTP/1.1\r\nHost: {address}\r\nAuthorization: {auth}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: 10737418240\r\n\r\n"
    )
    .unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 413");

    // Counted past the limit while a slow client is still sending: the server reads the rest
    // and throws it away, so every write succeeds and the client reads the refusal (a server
    // that answered and closed at once made the later writes fail with a broken pipe).
    let body = form(&[("plugin", &big)]);
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST /api/v4/plugins HTTP/1.1\r\nHost: {address}\r\nAuthorization: {auth}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    for (i, piece) in body.chunks(16 * 1024).enumerate() {
        if i > 0 {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        stream.write_all(piece).unwrap_or_else(|e| panic!("writing piece {i} of the body: {e}"));
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 413");

    assert_eq!(installed(site.path()), Vec::<String>::new());
    assert_eq!(server.statuses(), json!([]));
    // A small one still goes in.
    let small = webapp_bundle("com.example.small", "1.0.0", 0);
    assert_eq!(server.upload(&[("plugin", &small)], Some(&auth)).0, 201);
    server.stop();
}

#[test]
fn uploads_can_be_disabled() {
    let site = site(Some(json!({"EnableUploads": false})));
    let server = Server::start(site.path());
    let bundle = webapp_bundle("com.example.web", "1.0.0", 0);
    let (code, error) = server.upload(&[("plugin", &bundle)], Some(&server.auth()));
    assert_eq!((code, error["id"].as_str()), (501, Some("app.plugin.upload_disabled.app_error")), "{error}");
    let (code, error) = server.upload(&[("signature", b"x")], Some(&server.auth()));
    assert_eq!(code, 501, "{error}");
    assert_eq!(installed(site.path()), Vec::<String>::new());
    server.stop();
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path)
}

#[test]
fn signatures_are_checked_against_the_configured_keys() {
    let bundle = fs::read(fixture("bundles/com.example.signed-1.0.0.tar.gz")).unwrap();
    let signature = fs::read(fixture("bundles/com.example.signed-1.0.0.tar.gz.sig")).unwrap();
    let settings = |key: &str| json!({"RequirePluginSignature": true, "SignaturePublicKeyFiles": [fixture(&format!("signing/{key}"))]});

    // Signed, but by a key this server does not trust; and not signed at all.
    let untrusting = site(Some(settings("untrusted.asc")));
    let server = Server::start(untrusting.path());
    let (code, error) = server.upload(&[("signature", &signature), ("plugin", &bundle)], Some(&server.auth()));
    assert_eq!((code, error["id"].as_str()), (403, Some("api.plugin.install.signature.app_error")), "{error}");
    let (code, error) = server.upload(&[("plugin", &bundle)], Some(&server.auth()));
    assert_eq!(code, 403, "{error}");
    assert!(error["message"].as_str().unwrap().contains("requires plugin signatures"), "{error}");
    assert_eq!(installed(untrusting.path()), Vec::<String>::new());
    server.stop();

    let trusting = site(Some(settings("rsa.asc")));
    let server = Server::start(trusting.path());
    let (code, manifest) = server.upload(&[("signature", &signature), ("plugin", &bundle)], Some(&server.auth()));
    assert_eq!((code, manifest["id"].as_str()), (201, Some("com.example.signed")), "{manifest}");
    server.stop();
}

#[test]
fn an_enabled_plugin_comes_back_after_a_restart_and_other_settings_survive() {
    let site = site(Some(json!({"EnableHealthCheck": false, "SomeFutureSetting": {"x": 1}})));
    let server = Server::start(site.path());
    let auth = server.auth();
    assert_eq!(server.upload(&[("plugin", &webapp_bundle("com.example.back", "1.0.0", 0))], Some(&auth)).0, 201);
    assert_eq!(server.upload(&[("plugin", &webapp_bundle("com.example.off", "1.0.0", 0))], Some(&auth)).0, 201);
    assert_eq!(server.post("/api/v4/plugins/com.example.back/enable", Some(&auth)).0, 200);
    server.stop();

    let settings: Value = serde_json::from_slice(&fs::read(site.path().join("settings.json")).unwrap()).unwrap();
    assert_eq!(settings["SomeFutureSetting"], json!({"x": 1}));
    assert_eq!(settings["EnableHealthCheck"], false);

    let server = Server::start(site.path());
    let statuses = server.statuses();
    assert_eq!(state_of(&statuses, "com.example.back").0, 2, "{statuses}");
    assert_eq!(state_of(&statuses, "com.example.off").0, 0, "{statuses}");
    server.stop();
}
