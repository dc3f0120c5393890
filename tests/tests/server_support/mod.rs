//! What the server integration tests share: a server on a loopback port in a temporary site,
//! a small HTTP client with the admin token, and bundles of the `env_plugin` executable.

#![allow(dead_code)] // each test file uses its own part of this module

use plugin_host::manifest::platform;
use plugin_host::package::bundle::{bundle, BundleOptions};
use plugin_host::server::{Background, ServeOptions};
use serde_json::{json, Value};
use std::fs;
use std::path::Path;

const BOUNDARY: &str = "server-process-test";

pub struct Client {
    pub base: String,
    pub auth: String,
}

impl Client {
    pub fn new(server: &Background) -> Client {
        let token = fs::read_to_string(server.token_file().unwrap()).unwrap();
        Client { base: format!("http://{}", server.local_addr()), auth: format!("Bearer {}", token.trim()) }
    }

    pub fn agent() -> ureq::Agent {
        ureq::Agent::config_builder().http_status_as_error(false).build().new_agent()
    }

    pub fn answer(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, Value) {
        let mut response = result.unwrap();
        let code = response.status().as_u16();
        (code, response.body_mut().read_json().unwrap_or(Value::Null))
    }

    pub fn post(&self, path: &str) -> (u16, Value) {
        Self::answer(
            Self::agent().post(format!("{}{path}", self.base)).header("Authorization", &self.auth).send_empty(),
        )
    }

    pub fn upload(&self, bundle: &[u8], force: bool) -> (u16, Value) {
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
    pub fn status(&self, id: &str) -> (u64, String) {
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
pub fn process_bundle(id: &str, version: &str) -> Vec<u8> {
    process_bundle_with(id, version, json!({}))
}

/// A bundle of `env_plugin` as `id` at `version`, with the manifest fields of `extra` (a JSON
/// object: `name`, `description`, ...) set over the defaults.
pub fn process_bundle_with(id: &str, version: &str, extra: Value) -> Vec<u8> {
    process_bundle_with_files(id, version, extra, &[])
}

/// [`process_bundle_with`], with `files` (path in the plugin directory, contents) beside the
/// manifest: a web app's bundle named by `extra`'s `webapp.bundle_path`, for example.
pub fn process_bundle_with_files(id: &str, version: &str, extra: Value, files: &[(&str, &str)]) -> Vec<u8> {
    let work = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let path = work.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
    let mut manifest = json!({"id": id, "name": id, "version": version, "server": {"executable": "server/plugin"}});
    for (key, value) in extra.as_object().expect("extra manifest fields are a JSON object") {
        manifest[key] = value.clone();
    }
    fs::write(work.path().join("plugin.json"), manifest.to_string()).unwrap();
    let options = BundleOptions {
        executables: [(platform::current(), env!("CARGO_BIN_EXE_env_plugin").into())].into_iter().collect(),
    };
    let mut out = Vec::new();
    bundle(work.path(), &options, &mut out).unwrap();
    out
}

pub fn start(site: &Path) -> Background {
    Background::start(ServeOptions { settings_file: site.join("settings.json"), listen: Some("127.0.0.1:0".into()) })
        .unwrap()
}

pub fn activations(site: &Path, id: &str) -> usize {
    fs::read_to_string(site.join("plugins").join(id).join("activations")).map(|s| s.lines().count()).unwrap_or(0)
}

/// A `plugin-host serve` process (the `plugin_host_cli` binary) in `site`; stopped with
/// SIGTERM when dropped, however the test ends.
pub struct ServeProcess {
    pub child: std::process::Child,
    pub client: Client,
    /// Kept open (the server may write more) until `close_stdout`.
    stdout: Option<std::io::BufReader<std::process::ChildStdout>>,
}

impl ServeProcess {
    pub fn start(site: &Path) -> ServeProcess {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_plugin_host_cli"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .current_dir(site)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let addr = line.split("http://").nth(1).and_then(|r| r.split_whitespace().next()).unwrap().to_owned();
        let token = fs::read_to_string(site.join("admin-token")).unwrap();
        let client = Client { base: format!("http://{addr}"), auth: format!("Bearer {}", token.trim()) };
        ServeProcess { child, client, stdout: Some(stdout) }
    }

    /// Closes the reading end of the server's stdout, as a supervisor that read the first line
    /// and went away.
    pub fn close_stdout(&mut self) {
        self.stdout = None;
    }

    /// SIGKILL: no shutdown, no flush, as a crash or a power cut of the process.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        // SAFETY: kill(2) takes plain integers; the child is not yet reaped, so its pid is
        // still ours.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}
