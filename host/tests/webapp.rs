//! Web-app bundles end to end: web-app-only plugins installed through the REST API of a server
//! on a loopback port (`Background`), their bundles copied into `ClientDirectory` under a
//! content hash, listed by `GET /api/v4/plugins/webapp` and served from `/static/plugins/` —
//! new versions, disable, delete, traversal attempts, a missing bundle. The static requests go
//! over a raw TCP connection, so that no client normalises `..` or re-encodes the path.

use plugin_host::environment::{Environment, EnvironmentConfig, MattermostDriver, PluginState};
use plugin_host::package::bundle::bundle;
use plugin_host::server::{Background, ServeOptions};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const BOUNDARY: &str = "webapp-test-boundary";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A server over a site directory, and an admin client of its API.
struct Site {
    dir: tempfile::TempDir,
    server: Background,
    base: String,
    auth: String,
}

impl Site {
    fn start() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let server = Background::start(ServeOptions {
            settings_file: dir.path().join("settings.json"),
            listen: Some("127.0.0.1:0".into()),
        })
        .unwrap();
        let token = fs::read_to_string(server.token_file().unwrap()).unwrap();
        let base = format!("http://{}", server.local_addr());
        Site { dir, server, base, auth: format!("Bearer {}", token.trim()) }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `<site>/client/plugins/<id>`, the default `ClientDirectory` of the plugin.
    fn client_dir(&self, id: &str) -> PathBuf {
        self.path().join("client/plugins").join(id)
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

    fn delete(&self, path: &str) -> (u16, Value) {
        Self::answer(Self::agent().delete(format!("{}{path}", self.base)).header("Authorization", &self.auth).call())
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

    /// Installs and enables a web-app-only plugin whose bundle holds `js`.
    fn install_enabled(&self, id: &str, version: &str, js: &[u8]) {
        let (code, body) = self.upload(&webapp_bundle(id, version, js), false);
        assert_eq!(code, 201, "{body}");
        assert_eq!(self.post(&format!("/api/v4/plugins/{id}/enable")), (200, json!({"status": "OK"})));
    }

    /// `GET /api/v4/plugins/webapp` (public, so without the token): `webapp.bundle_path` by id.
    fn webapp_listing(&self) -> BTreeMap<String, String> {
        let (code, list) = Self::answer(Self::agent().get(format!("{}/api/v4/plugins/webapp", self.base)).call());
        assert_eq!(code, 200, "{list}");
        list.as_array()
            .unwrap()
            .iter()
            .map(|m| (m["id"].as_str().unwrap().to_owned(), m["webapp"]["bundle_path"].as_str().unwrap().to_owned()))
            .collect()
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

    /// `GET <target>` sent byte for byte, without the token.
    fn raw_get(&self, target: &str) -> Raw {
        let address = self.server.local_addr();
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
        let head = String::from_utf8(bytes[..split].to_vec()).unwrap();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Raw { status, headers, body: bytes[split + 4..].to_vec() }
    }
}

/// An HTTP answer as it came.
struct Raw {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Raw {
    /// A 404 with the JSON error of the bundle route.
    fn assert_bundle_404(&self, target: &str) {
        assert_eq!(self.status, 404, "{target}: {}", String::from_utf8_lossy(&self.body));
        let error: Value = serde_json::from_slice(&self.body).unwrap();
        assert_eq!(error["id"], "api.plugin.webapp_bundle.not_found.app_error", "{target}: {error}");
        assert_eq!(error["status_code"], 404);
        assert_eq!(self.headers["cache-control"], "no-store", "{target}");
    }
}

/// A web-app-only plugin's bundle whose `webapp/main.js` holds `js`.
fn webapp_bundle(id: &str, version: &str, js: &[u8]) -> Vec<u8> {
    let work = tempfile::tempdir().unwrap();
    let manifest = json!({"id": id, "name": id, "version": version, "webapp": {"bundle_path": "webapp/main.js"}});
    fs::write(work.path().join("plugin.json"), manifest.to_string()).unwrap();
    fs::create_dir(work.path().join("webapp")).unwrap();
    fs::write(work.path().join("webapp/main.js"), js).unwrap();
    let mut out = Vec::new();
    bundle(work.path(), &Default::default(), &mut out).unwrap();
    out
}

/// The URL the listing must give for a bundle holding `js`: the first 128 bits of its SHA-256.
fn expected_url(id: &str, js: &[u8]) -> String {
    let hash: String = Sha256::digest(js)[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("/static/plugins/{id}/{id}_{hash}_bundle.js")
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn an_enabled_web_app_is_listed_and_served_by_its_content_hash() {
    let site = Site::start();
    let js = b"registerPlugin('com.example.web', new Plugin());\n".repeat(5000);
    site.install_enabled("com.example.web", "1.0.0", &js);

    let url = expected_url("com.example.web", &js);
    assert_eq!(site.webapp_listing(), BTreeMap::from([("com.example.web".to_owned(), url.clone())]));
    let file = url.rsplit('/').next().unwrap();
    assert_eq!(file_names(&site.client_dir("com.example.web")), [file]);

    let got = site.raw_get(&url);
    assert_eq!(got.status, 200);
    assert_eq!(got.body, js, "the bundle's bytes, exactly");
    assert_eq!(got.headers["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(got.headers["cache-control"], IMMUTABLE);
    assert_eq!(got.headers["x-content-type-options"], "nosniff");
    assert_eq!(got.headers["content-length"], js.len().to_string());
    site.server.stop().unwrap();
}

#[test]
fn a_new_version_gets_a_new_name_and_the_old_file_is_gone() {
    let site = Site::start();
    site.install_enabled("com.example.web", "1.0.0", b"version(1);\n");
    let old = expected_url("com.example.web", b"version(1);\n");
    assert_eq!(site.raw_get(&old).status, 200);

    // Replaced while running: restarted on the new files.
    let (code, body) = site.upload(&webapp_bundle("com.example.web", "2.0.0", b"version(2);\n"), true);
    assert_eq!(code, 201, "{body}");
    let new = expected_url("com.example.web", b"version(2);\n");
    assert_ne!(old, new);
    assert_eq!(site.webapp_listing()["com.example.web"], new);
    assert_eq!(file_names(&site.client_dir("com.example.web")), [new.rsplit('/').next().unwrap()]);
    let got = site.raw_get(&new);
    assert_eq!((got.status, &got.body[..]), (200, &b"version(2);\n"[..]));
    site.raw_get(&old).assert_bundle_404(&old);
    site.server.stop().unwrap();
}

#[test]
fn disable_unlists_and_stops_serving_and_delete_removes_the_files() {
    let site = Site::start();
    let js = b"registerPlugin('x', {});\n";
    site.install_enabled("com.example.web", "1.0.0", js);
    let url = expected_url("com.example.web", js);
    assert_eq!(site.raw_get(&url).status, 200);

    assert_eq!(site.post("/api/v4/plugins/com.example.web/disable").0, 200);
    assert_eq!(site.webapp_listing(), BTreeMap::new());
    site.raw_get(&url).assert_bundle_404(&url);
    // The copy stays on disk while the plugin is installed; enabled again, the same content
    // keeps the same URL.
    assert!(site.client_dir("com.example.web").is_dir());
    assert_eq!(site.post("/api/v4/plugins/com.example.web/enable").0, 200);
    assert_eq!(site.webapp_listing()["com.example.web"], url);
    assert_eq!(site.raw_get(&url).status, 200);

    assert_eq!(site.delete("/api/v4/plugins/com.example.web").0, 200);
    assert!(!site.client_dir("com.example.web").exists());
    assert!(site.path().join("client/plugins").is_dir());
    assert_eq!(site.webapp_listing(), BTreeMap::new());
    site.raw_get(&url).assert_bundle_404(&url);
    site.server.stop().unwrap();
}

#[test]
fn traversal_and_names_other_than_the_current_bundle_are_404() {
    let site = Site::start();
    site.install_enabled("com.example.a", "1.0.0", b"a();\n");
    site.install_enabled("com.example.b", "1.0.0", b"b();\n");
    let a_url = expected_url("com.example.a", b"a();\n");
    let b_url = expected_url("com.example.b", b"b();\n");
    let a_file = a_url.rsplit('/').next().unwrap();
    let b_file = b_url.rsplit('/').next().unwrap();
    // Files in the client directory that are not the current bundle: a secret, and a file
    // named like a bundle of plugin a that the environment did not write.
    fs::write(site.path().join("client/plugins/secret.txt"), b"secret").unwrap();
    fs::write(site.client_dir("com.example.a").join("notes.txt"), b"secret").unwrap();
    let planted = format!("com.example.a_{}_bundle.js", "0".repeat(32));
    fs::write(site.client_dir("com.example.a").join(&planted), b"planted()").unwrap();
    let encoded_a = a_file.replace('.', "%2E");

    let refused = [
        "/static/plugins/..%2F..%2Fetc/passwd".to_owned(),
        "/static/plugins/..%2F..%2F..%2F..%2Fetc/passwd".to_owned(),
        "/static/plugins/com.example.a/..%2F..%2Fsecret.txt".to_owned(),
        "/static/plugins/com.example.a/notes.txt".to_owned(),
        "/static/plugins/com.example.a/%2E%2E".to_owned(),
        format!("/static/plugins/com.example.a/{planted}"),
        // Another plugin's bundle through a crafted id or file.
        format!("/static/plugins/com.example.a/{b_file}"),
        format!("/static/plugins/com.example.a/..%2Fcom.example.b%2F{b_file}"),
        format!("/static/plugins/com.example.b%2F..%2Fcom.example.a/{a_file}"),
        format!("/static/plugins/..%2Fplugins%2Fcom.example.a/{a_file}"),
        format!("/static/plugins/com.example.a%5C..%5Ccom.example.b/{b_file}"),
        format!("/static/plugins/com.example.a/{a_file}%00"),
        format!("/static/plugins/com.example.a/{a_file}%00.png"),
        format!("/static/plugins/com.example.a/{a_file}%FF"),
        format!("/static/plugins/%C0%AE%C0%AE%2F/{a_file}"),
        format!("/static/plugins/.%2Fcom.example.a/{a_file}"),
        format!("/static/plugins/com.example.A/{a_file}"),
        format!("/static/plugins/com.example.a/{}", a_file.to_uppercase()),
        format!("/static/plugins/com.example.nope/{}", a_file.replace("com.example.a", "com.example.nope")),
    ];
    for target in &refused {
        site.raw_get(target).assert_bundle_404(target);
    }
    // Paths with more segments than the route match no route at all: still 404.
    for target in [
        "/static/plugins/../../etc/passwd".to_owned(),
        "/static/plugins/com.example.a/../../secret.txt".to_owned(),
        format!("/static/plugins/com.example.a/../com.example.b/{b_file}"),
        format!("/static/plugins/com.example.a/{a_file}/x"),
        "/static/plugins/secret.txt".to_owned(),
        "/static/plugins/com.example.a".to_owned(),
    ] {
        let got = site.raw_get(&target);
        assert_eq!(got.status, 404, "{target}");
        assert!(!String::from_utf8_lossy(&got.body).contains("secret"), "{target}");
    }
    // The real ones, and a percent-encoded spelling of one (the same name once decoded).
    assert_eq!(site.raw_get(&a_url).body, b"a();\n");
    assert_eq!(site.raw_get(&b_url).body, b"b();\n");
    assert_eq!(site.raw_get(&format!("/static/plugins/com.example.a/{encoded_a}")).body, b"a();\n");
    site.server.stop().unwrap();
}

#[test]
fn a_plugin_whose_bundle_file_is_missing_fails_to_start_naming_the_file() {
    let site = Site::start();
    let (code, body) = site.upload(&webapp_bundle("com.example.web", "1.0.0", b"x();\n"), false);
    assert_eq!(code, 201, "{body}");
    // The installer checks the file is there; it goes missing afterwards.
    fs::remove_file(site.path().join("plugins/com.example.web/webapp/main.js")).unwrap();

    let (code, error) = site.post("/api/v4/plugins/com.example.web/enable");
    assert_eq!((code, error["id"].as_str()), (500, Some("app.plugin.activate.app_error")), "{error}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("`webapp/main.js`") && message.contains("webapp.bundle_path"), "{message}");
    let (state, reason) = site.status("com.example.web");
    assert_eq!(state, 3, "failed to start: {reason}");
    assert!(reason.contains("`webapp/main.js`"), "{reason}");
    assert_eq!(site.webapp_listing(), BTreeMap::new());
    assert!(!site.client_dir("com.example.web").exists());
    site.server.stop().unwrap();
}

/// An environment of its own over a plugins directory holding one web-app-only plugin.
/// A host API for a plugin that never calls: every method answers "not implemented".
struct NoApi;

impl api_definitions::api::Api for NoApi {}

type TestEnv = Environment<MattermostDriver<fn(&str) -> NoApi>>;

fn environment(root: &Path, client_dir: Option<PathBuf>) -> TestEnv {
    let plugin = root.join("plugins/com.example.web");
    fs::create_dir_all(plugin.join("webapp")).unwrap();
    let manifest = json!({"id": "com.example.web", "name": "Web", "webapp": {"bundle_path": "webapp/main.js"}});
    fs::write(plugin.join("plugin.json"), manifest.to_string()).unwrap();
    fs::write(plugin.join("webapp/main.js"), b"x();\n").unwrap();
    let mut config = EnvironmentConfig::new(root.join("plugins"), root.join("states.json"));
    config.client_dir = client_dir;
    Environment::new(config, MattermostDriver::new((|_| NoApi) as fn(&str) -> NoApi)).unwrap()
}

#[test]
fn without_a_client_directory_nothing_is_copied() {
    let root = tempfile::tempdir().unwrap();
    let env = environment(root.path(), None);
    env.activate("com.example.web").unwrap();
    assert_eq!(env.status("com.example.web").unwrap().state, PluginState::Running);
    assert_eq!(env.webapp_bundle("com.example.web"), None);
    assert_eq!(file_names(root.path()), ["plugins"]);
    env.shutdown();
}

#[test]
fn the_environment_reports_the_bundle_only_while_the_plugin_runs() {
    let root = tempfile::tempdir().unwrap();
    let client = root.path().join("client");
    let env = environment(root.path(), Some(client.clone()));
    assert_eq!(env.webapp_bundle("com.example.web"), None);
    env.activate("com.example.web").unwrap();
    let bundle = env.webapp_bundle("com.example.web").unwrap();
    assert_eq!(bundle.path, client.join("com.example.web").join(&bundle.file_name));
    assert_eq!(fs::read(&bundle.path).unwrap(), b"x();\n");
    assert_eq!(env.status("com.example.web").unwrap().webapp_bundle.as_ref(), Some(&bundle));

    env.deactivate("com.example.web").unwrap();
    assert_eq!(env.webapp_bundle("com.example.web"), None);
    assert_eq!(env.status("com.example.web").unwrap().webapp_bundle, None);
    assert!(bundle.path.is_file(), "kept on disk while installed");

    env.activate("com.example.web").unwrap();
    assert_eq!(env.webapp_bundle("com.example.web"), Some(bundle));
    env.remove("com.example.web").unwrap();
    assert_eq!(file_names(&client), Vec::<String>::new());
    env.shutdown();
}
