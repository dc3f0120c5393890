//! The admin CLI (`plugin-host plugin add|enable|disable|delete|list|status`) against a real
//! plugin server running real plugin processes (`env_plugin`): the `plugin-host` binary is run
//! as an admin would run it, and what it prints is kept as insta snapshots (ports and temporary
//! paths replaced). The client library itself is `plugin_host::client`.

use plugin_host::manifest::platform;
use plugin_host::package::bundle::{bundle_to_file, BundleOptions};
use plugin_host::server::{Background, ServeOptions};
use serde_json::json;
use std::fs;
use std::path::Path;
use std::process::Command;

/// The `plugin-host` program, as this package's `plugin_host_cli` binary (the same
/// `plugin_host::cli::main`; cargo shows a package's tests only its own binaries).
fn plugin_host() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_plugin_host_cli"))
}

/// A site directory: settings, plugins, the admin token the server makes, and bundles.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new(settings: serde_json::Value) -> Site {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("settings.json"), settings.to_string()).unwrap();
        fs::create_dir(dir.path().join("bundles")).unwrap();
        Site { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn start(&self) -> Background {
        Background::start(ServeOptions {
            settings_file: self.path().join("settings.json"),
            listen: Some("127.0.0.1:0".into()),
        })
        .unwrap()
    }

    /// Writes a bundle of `env_plugin` as `id` at `version` to `bundles/`, by its path relative
    /// to the site (the CLI runs in the site directory).
    fn bundle(&self, id: &str, version: &str) -> String {
        let work = tempfile::tempdir().unwrap();
        let manifest = json!({"id": id, "name": format!("Test {id}"), "version": version, "server": {"executable": "server/plugin"}});
        fs::write(work.path().join("plugin.json"), manifest.to_string()).unwrap();
        let options = BundleOptions {
            executables: [(platform::current(), env!("CARGO_BIN_EXE_env_plugin").into())].into_iter().collect(),
        };
        let relative = format!("bundles/{id}-{version}.tar.gz");
        bundle_to_file(work.path(), &options, &self.path().join(&relative)).unwrap();
        relative
    }

    fn installed(&self, id: &str) -> bool {
        self.path().join("plugins").join(id).exists()
    }

    fn activations(&self, id: &str) -> usize {
        fs::read_to_string(self.path().join("plugins").join(id).join("activations"))
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }

    fn token(&self) -> String {
        fs::read_to_string(self.path().join("admin-token")).unwrap().trim().to_owned()
    }

    /// Runs `plugin-host plugin ARGS` in the site directory with `env` as its only
    /// PLUGIN_HOST_* variables; the output with the server's URL and the site's path replaced.
    fn cli(&self, server: Option<&Background>, env: &[(&str, &str)], args: &[&str]) -> String {
        let mut command = Command::new(plugin_host());
        command.arg("plugin").args(args).current_dir(self.path());
        command.env_remove("PLUGIN_HOST_URL").env_remove("PLUGIN_HOST_TOKEN").envs(env.iter().copied());
        let output = command.output().unwrap();
        let text = format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        // The token must never be printed, whatever happened.
        if let Ok(token) = fs::read_to_string(self.path().join("admin-token")) {
            assert!(!text.contains(token.trim()), "the admin token was printed:\n{text}");
        }
        let text = text.replace(&self.path().display().to_string(), "[site]");
        match server {
            Some(server) => text.replace(&server.local_addr().to_string(), "[server]"),
            None => text,
        }
    }
}

/// `--url` of a server, as the tests pass it.
fn url(server: &Background) -> String {
    format!("http://{}", server.local_addr())
}

#[test]
fn add_enable_status_disable_delete_through_the_cli() {
    let site = Site::new(json!({}));
    let server = site.start();
    let one = site.bundle("com.example.one", "1.0.0");
    let two = site.bundle("com.example.two", "1.0.0");
    let url = url(&server);
    let cli = |args: &[&str]| {
        let mut all = vec!["--url", &url, "--config", "settings.json"];
        all.extend_from_slice(args);
        site.cli(Some(&server), &[], &all)
    };

    // A missing bundle is reported; the bundles after it are still added.
    insta::assert_snapshot!("add", cli(&["add", &one, "bundles/missing.tar.gz", &two]));
    assert!(site.installed("com.example.one") && site.installed("com.example.two"));
    insta::assert_snapshot!("add_again", cli(&["add", &one]));
    insta::assert_snapshot!("list_inactive", cli(&["list"]));

    // An unknown id is reported; the ids after it are still enabled.
    insta::assert_snapshot!("enable", cli(&["enable", "com.example.one", "com.example.nope", "com.example.two"]));
    assert_eq!((site.activations("com.example.one"), site.activations("com.example.two")), (1, 1));
    insta::assert_snapshot!("list_active", cli(&["list"]));
    insta::assert_snapshot!("status_running", cli(&["status"]));
    insta::assert_snapshot!("status_json", cli(&["status", "--json"]));
    insta::assert_snapshot!("list_json", cli(&["list", "--json"]));

    // Replaced while running: restarted on the new files.
    let one_v2 = site.bundle("com.example.one", "2.0.0");
    insta::assert_snapshot!("add_force", cli(&["add", "--force", &one_v2]));

    // A plugin whose activation fails: the server's reason, and its state in the status.
    let failing = site.bundle("com.example.failing", "1.0.0");
    assert!(cli(&["add", &failing]).starts_with("exit: 0"));
    fs::write(site.path().join("plugins/com.example.failing/behaviour"), "fail-activate").unwrap();
    insta::assert_snapshot!("enable_failing", cli(&["enable", "com.example.failing"]));
    insta::assert_snapshot!("status_failing", cli(&["status"]));

    insta::assert_snapshot!("disable", cli(&["disable", "com.example.two", "com.example.failing"]));
    insta::assert_snapshot!("list_after_disable", cli(&["list"]));
    insta::assert_snapshot!(
        "delete",
        cli(&["delete", "com.example.one", "com.example.two", "com.example.failing", "com.example.one"])
    );
    assert!(!site.installed("com.example.one") && !site.installed("com.example.two"));
    insta::assert_snapshot!("list_empty", cli(&["list"]));
    insta::assert_snapshot!("status_empty", cli(&["status"]));
    server.stop().unwrap();
}

#[test]
fn the_token_comes_from_the_settings_the_environment_or_a_file_and_a_wrong_one_changes_nothing() {
    let site = Site::new(json!({}));
    let server = site.start();
    let bundle = site.bundle("com.example.guarded", "1.0.0");
    let url = url(&server);

    // Found through the settings in the current directory under serve's default name...
    fs::copy(site.path().join("settings.json"), site.path().join("plugin-settings.json")).unwrap();
    insta::assert_snapshot!("token_default_settings", site.cli(Some(&server), &[], &["--url", &url, "add", &bundle]));
    assert!(site.installed("com.example.guarded"));
    fs::remove_file(site.path().join("plugin-settings.json")).unwrap();
    // ... from the environment, with the URL ...
    let token = site.token();
    let env = [("PLUGIN_HOST_URL", url.as_str()), ("PLUGIN_HOST_TOKEN", token.as_str())];
    insta::assert_snapshot!("token_env", site.cli(Some(&server), &env, &["status"]));

    // A wrong token: refused, the origin named (never the token), the other arguments not tried.
    let wrong = [("PLUGIN_HOST_URL", url.as_str()), ("PLUGIN_HOST_TOKEN", "not-the-token")];
    insta::assert_snapshot!(
        "wrong_token_env",
        site.cli(Some(&server), &wrong, &["enable", "com.example.guarded", "com.example.other"])
    );
    fs::write(site.path().join("wrong-token"), "not-the-token\n").unwrap();
    insta::assert_snapshot!(
        "wrong_token_file",
        site.cli(Some(&server), &[], &["--url", &url, "--token-file", "wrong-token", "delete", "com.example.guarded"])
    );
    let wrong_add =
        site.cli(Some(&server), &[], &["--url", &url, "--token", "not-the-token", "add", "--force", &bundle]);
    insta::assert_snapshot!("wrong_token_flag", wrong_add);
    assert!(!wrong_add.contains("not-the-token"), "{wrong_add}");
    // Nothing changed: still installed, never started.
    assert!(site.installed("com.example.guarded"));
    assert_eq!(site.activations("com.example.guarded"), 0);
    let status = site.cli(Some(&server), &[], &["--url", &url, "--config", "settings.json", "status"]);
    assert!(status.contains("com.example.guarded  1.0.0    not running  no"), "{status}");
    server.stop().unwrap();
}

#[test]
fn an_unreachable_server_or_a_missing_token_is_named() {
    let site = Site::new(json!({}));
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let unreachable = site.cli(
        None,
        &[("PLUGIN_HOST_TOKEN", "some-token")],
        &["--url", &format!("http://127.0.0.1:{port}"), "enable", "com.example.a", "com.example.b"],
    );
    insta::assert_snapshot!("unreachable", unreachable.replace(&port.to_string(), "[port]"));
    // No server ever ran here: no token file. The URL is the settings' ListenAddress.
    fs::write(site.path().join("settings.json"), json!({"ListenAddress": "0.0.0.0:1"}).to_string()).unwrap();
    insta::assert_snapshot!("no_token", site.cli(None, &[], &["--config", "settings.json", "list"]));
    fs::write(site.path().join("admin-token"), "made-by-hand\n").unwrap();
    insta::assert_snapshot!("unreachable_settings_url", site.cli(None, &[], &["--config", "settings.json", "list"]));
    insta::assert_snapshot!(
        "https",
        site.cli(None, &[], &["--url", "https://chat.example.com", "--token", "t", "list"])
    );
}

#[test]
fn a_bundle_larger_than_the_server_accepts_is_refused() {
    let site = Site::new(json!({"MaxUploadBytes": 1000}));
    let server = site.start();
    let bundle = site.bundle("com.example.big", "1.0.0");
    let url = url(&server);
    let output = site.cli(Some(&server), &[], &["--url", &url, "--config", "settings.json", "add", &bundle]);
    insta::assert_snapshot!("too_large", output);
    assert!(!site.installed("com.example.big"));

    // Small enough for the server to start reading (its Content-Length check allows 1 MiB for
    // the form), counted past MaxUploadBytes while the client is still sending: the client
    // still gets the server's answer.
    let web = tempfile::tempdir().unwrap();
    let manifest = json!({"id": "com.example.web", "name": "Web", "version": "1.0.0",
                          "webapp": {"bundle_path": "webapp/main.js"}});
    fs::write(web.path().join("plugin.json"), manifest.to_string()).unwrap();
    fs::create_dir(web.path().join("webapp")).unwrap();
    fs::write(web.path().join("webapp/main.js"), incompressible(900 << 10)).unwrap();
    bundle_to_file(web.path(), &BundleOptions::default(), &site.path().join("bundles/web.tar.gz")).unwrap();
    let output =
        site.cli(Some(&server), &[], &["--url", &url, "--config", "settings.json", "add", "bundles/web.tar.gz"]);
    insta::assert_snapshot!("too_large_streamed", output);
    assert!(!site.installed("com.example.web"));
    server.stop().unwrap();
}

/// Bytes gzip cannot shrink (xorshift), so the bundle is as large as its content.
fn incompressible(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn the_signature_beside_a_bundle_is_sent_with_it() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../host/tests/fixtures");
    let site = Site::new(json!({
        "RequirePluginSignature": true,
        "SignaturePublicKeyFiles": [fixtures.join("signing/rsa.asc")],
    }));
    let server = site.start();
    let bundle = "bundles/com.example.signed-1.0.0.tar.gz";
    fs::copy(fixtures.join("bundles/com.example.signed-1.0.0.tar.gz"), site.path().join(bundle)).unwrap();
    let url = url(&server);
    let cli = |args: &[&str]| {
        let mut all = vec!["--url", &url, "--config", "settings.json", "add"];
        all.extend_from_slice(args);
        site.cli(Some(&server), &[], &all)
    };
    // A signature by a key the server does not trust: refused, and the file sent is named.
    fs::copy(fixtures.join("signing/data.bin.untrusted.sig"), site.path().join(format!("{bundle}.sig"))).unwrap();
    insta::assert_snapshot!("signature_untrusted", cli(&[bundle]));
    fs::copy(fixtures.join("bundles/com.example.signed-1.0.0.tar.gz.sig"), site.path().join(format!("{bundle}.sig")))
        .unwrap();
    insta::assert_snapshot!("signature_left_out", cli(&["--no-signature", bundle]));
    assert!(!site.installed("com.example.signed"));
    insta::assert_snapshot!("signature_checked", cli(&[bundle]));
    assert!(site.installed("com.example.signed"));
    server.stop().unwrap();
}
