//! `cargo xtask bench` driver for the reference host API: runs `env_plugin` (the path is the
//! first argument) in an environment in this process and prints `figure` lines:
//! - `kv_set_get_memory_per_s`: the plugin's `/kvloop` (8 threads, each `kv_set` then `kv_get`
//!   of a 16-byte value on its own key) against a host API whose KV store is a locked hash map,
//!   so the figure is the transport's and the plugin's share; the server part of the bench runs
//!   the same loop against the real server's SQLite store (`kv_set_get_per_s`);
//! - `create_post_through_3_plugins_p50_us`: the reference host API's `create_post` (the
//!   server's code: `message_will_be_posted` through 3 running plugins that allow the post, the
//!   save in SQLite with `synchronous=FULL`, `message_has_been_posted` started in the
//!   background), called on this host, median of 1000 posts.

use api_definitions::api::Api;
use api_definitions::hooks::Hooks;
use api_definitions::model::{AppError, Context};
use plugin_host::environment::{Environment, EnvironmentConfig, MattermostDriver};
use plugin_host::settings::{PluginStateSetting, PluginStates};
use plugin_runtime::ByteStream;
use std::collections::HashMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Mutex;

/// Iterations per thread of the KV loop.
const KV_LOOP: &str = "/kvloop?threads=8&n=5000";

/// A host API with only a KV store, in memory.
#[derive(Default)]
struct MemoryKv {
    map: Mutex<HashMap<String, Vec<u8>>>,
}

impl Api for MemoryKv {
    fn kv_set(&self, key: &str, value: &[u8]) -> Result<(), AppError> {
        self.map.lock().unwrap().insert(key.to_owned(), value.to_vec());
        Ok(())
    }

    fn kv_get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        Ok(self.map.lock().unwrap().get(key).cloned())
    }
}

/// Installs `env_plugin` as each of `ids` under `dir`, enabled; returns the states file.
pub fn install(dir: &Path, plugin: &str, ids: &[&str]) -> std::path::PathBuf {
    let mut states = PluginStates::default();
    for id in ids {
        let p = dir.join("plugins").join(id);
        fs::create_dir_all(p.join("server")).unwrap();
        let manifest = format!(
            r#"{{"id": "{id}", "name": "{id}", "version": "1.0.0", "server": {{"executable": "server/plugin"}}}}"#
        );
        fs::write(p.join("plugin.json"), manifest).unwrap();
        fs::copy(plugin, p.join("server/plugin")).unwrap();
        fs::set_permissions(p.join("server/plugin"), fs::Permissions::from_mode(0o755)).unwrap();
        states.states.insert(id.to_string(), PluginStateSetting { enable: true });
    }
    let states_file = dir.join("states.json");
    states.save(&states_file).unwrap();
    states_file
}

/// `GET path` through the plugin's `serve_http`; the body as text.
fn get<C: Hooks>(client: &C, path: &str) -> String {
    let request = http::Request::builder().uri(path).body(ByteStream::empty()).unwrap();
    let response = client.serve_http(&Context::default(), request).unwrap();
    let status = response.status();
    let body = String::from_utf8(response.into_body().read_all().unwrap()).unwrap();
    assert!(status.is_success(), "{path}: {status} {body}");
    body
}

fn main() {
    let plugin = std::env::args().nth(1).expect("usage: bench_api <env_plugin executable>");
    let dir = tempfile::tempdir().expect("temp dir");
    let states = install(dir.path(), &plugin, &["bench.kv"]);
    let mut config = EnvironmentConfig::new(dir.path().join("plugins"), &states);
    config.health.enabled = false;
    let env = Environment::new(config, MattermostDriver::new(|_: &str| MemoryKv::default())).unwrap();
    if let Some(e) = env.start_enabled().first() {
        panic!("{e}");
    }
    let running = env.running_plugin("bench.kv").expect("running");
    let client = running.client.as_ref().expect("a hooks client");
    get(client, "/kvloop?threads=8&n=200"); // warm up: threads started, pages touched
    let per_s: f64 = get(client, KV_LOOP).parse().unwrap();
    println!("figure kv_set_get_memory_per_s {per_s:.0}");
    env.shutdown();
    create_posts(&plugin);
}

/// `create_post` through 3 plugins on the server's own host API and store.
fn create_posts(plugin: &str) {
    use plugin_host::server::api::{config::PluginSettingsStore, posts, Shared};
    use plugin_host::server::seed;
    use plugin_host::store::Store;
    use std::sync::Arc;

    let dir = tempfile::tempdir().expect("temp dir");
    let states = install(dir.path(), plugin, &["bench.post1", "bench.post2", "bench.post3"]);
    let store = Arc::new(Store::open(&dir.path().join("plugin-host.db")).unwrap());
    let seeded = seed::seed(&store, "").unwrap();
    let channel = seeded.town_square.expect("a first channel").id;
    let shared = Shared {
        store,
        server_version: "11.0.0".into(),
        plugins_dir: dir.path().join("plugins"),
        settings: Arc::new(PluginSettingsStore::new(dir.path().join("settings.json"), Default::default())),
        commands: Default::default(),
        events: Default::default(),
        env: Default::default(),
    };
    let mut config = EnvironmentConfig::new(dir.path().join("plugins"), &states);
    config.health.enabled = false;
    let late = shared.env.clone();
    let env = Environment::new(config, MattermostDriver::declared(shared.clone())).unwrap();
    let _ = late.set(env.downgrade());
    if let Some(e) = env.start_enabled().first() {
        panic!("{e}");
    }
    let post = |i: usize| api_definitions::model::Post {
        channel_id: channel.clone(),
        user_id: seeded.admin_user_id.clone(),
        message: format!("post {i}"),
        ..Default::default()
    };
    for i in 0..100 {
        posts::create_post(&shared, "bench", &post(i)).unwrap();
    }
    let mut times: Vec<std::time::Duration> = (0..1000)
        .map(|i| {
            let started = std::time::Instant::now();
            posts::create_post(&shared, "bench", &post(i)).unwrap();
            started.elapsed()
        })
        .collect();
    times.sort();
    println!("figure create_post_through_3_plugins_p50_us {:.1}", times[times.len() / 2].as_secs_f64() * 1e6);
    env.shutdown();
}
