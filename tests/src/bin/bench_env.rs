//! `cargo xtask bench` driver for the plugin environment: starts 50 copies of `env_plugin` (the
//! path is the first argument), each bundled and installed by the installer into a fresh plugins
//! directory, and prints `figure` lines:
//! - `env_activate_50_s`: `start_enabled` of 50 enabled plugins;
//! - `fanout_post_p50_us_{1,10,50}`: `message_will_be_posted` through 1, 10 and 50 plugins that
//!   all allow (the chain calls them one after another);
//! - `host_threads_per_plugin`: threads this host process gained per idle plugin, where idle
//!   means idle for longer than the environment's `idle_thread_exit` (the threads a burst
//!   started have left; counted after that delay plus a second);
//! - `host_threads_per_plugin_busy`: the same right after activation (the threads the
//!   activation calls left behind, before they exit), for reference;
//! - `rss_per_idle_plugin_mib`: resident memory of this host's growth plus every plugin process,
//!   per idle plugin.
//! - `pss_per_idle_plugin_mib`, for reference: the same with each plugin's proportional set size
//!   (`Pss` in `/proc/<pid>/smaps_rollup`), where a page shared by several processes (the C
//!   library's, above all) is divided among them instead of counted whole in each: what the
//!   plugins cost the machine, where RSS counts the shared pages fifty times.
//! - `raw_pipe_chain_p50_us_50`, for reference: the same chain with nothing but pipes, 64 bytes
//!   written to each of 50 `cat` processes in turn and read back, blocking. A plugin called
//!   once per chain has gone to sleep since its last turn, so each turn costs a wake-up (the
//!   1-plugin chain, called back to back, finds its plugin awake); this is that floor.

use api_definitions::api::Api;
use api_definitions::model::{Context, Post};
use plugin_host::environment::hooks::{message_will_be_posted, PostOutcome};
use plugin_host::environment::{Environment, EnvironmentConfig, MattermostDriver};
use plugin_host::manifest::platform;
use plugin_host::package::bundle::{self, BundleOptions};
use plugin_host::package::install::{self, InstallOptions};
use plugin_host::settings::{PluginStateSetting, PluginStates};
use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let plugin = std::env::args().nth(1).expect("usage: bench_env <env_plugin executable>");
    let dir = tempfile::tempdir().expect("temp dir");
    let plugins = dir.path().join("plugins");
    let ids: Vec<String> = (0..50).map(|i| format!("bench.plugin{i:02}")).collect();
    fs::create_dir(&plugins).unwrap();
    let sources = dir.path().join("sources");
    let options = BundleOptions { executables: [(platform::current(), PathBuf::from(&plugin))].into() };
    let mut states = PluginStates::default();
    let installing = Instant::now();
    for id in &ids {
        // Each plugin goes in as an admin's would: a bundle, then the installer. How the
        // executable's file was written decides the page-cache folios it sits in, and so how
        // much of it a page fault maps (docs/plugin-environment.md): a plain copy
        // (`copy_file_range`) would measure a file the installer never writes.
        let source = sources.join(id);
        fs::create_dir_all(&source).unwrap();
        fs::write(
            source.join("plugin.json"),
            format!(
                r#"{{"id": "{id}", "name": "{id}", "version": "1.0.0", "server": {{"executable": "server/plugin"}}}}"#
            ),
        )
        .unwrap();
        let file = sources.join(format!("{id}.tar.gz"));
        bundle::bundle_to_file(&source, &options, &file).unwrap();
        install::install_file(&file, None, &plugins, &InstallOptions::default()).unwrap();
        states.states.insert(id.clone(), PluginStateSetting { enable: true });
    }
    eprintln!("bench_env: 50 plugins bundled and installed in {:.1} s", installing.elapsed().as_secs_f64());
    let states_file = dir.path().join("states.json");
    states.save(&states_file).unwrap();

    let threads_before = threads();
    let rss_before = rss_kib(std::process::id());
    let mut config = EnvironmentConfig::new(&plugins, &states_file);
    config.health.enabled = false;
    let idle_after = config.idle_thread_exit + Duration::from_secs(1);
    let env = Environment::new(config, MattermostDriver::new(|_: &str| no_api())).unwrap();
    let started = Instant::now();
    let errors = env.start_enabled();
    let activate = started.elapsed();
    assert!(
        errors.is_empty(),
        "plugins failed to start: {}",
        errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ")
    );
    println!("figure env_activate_50_s {:.3}", activate.as_secs_f64());
    println!("figure host_threads_per_plugin_busy {:.2}", (threads() - threads_before) as f64 / 50.0);

    // Idle for longer than the idle-thread exit, so the threads activation started have left.
    std::thread::sleep(idle_after);
    let running = env.running();
    let plugin_rss: u64 = running.iter().filter_map(|r| r.process.as_ref()).map(|p| rss_kib(p.pid())).sum();
    let plugin_pss: u64 = running.iter().filter_map(|r| r.process.as_ref()).map(|p| pss_kib(p.pid())).sum();
    let host_growth = rss_kib(std::process::id()).saturating_sub(rss_before);
    println!("figure host_threads_per_plugin {:.2}", (threads() - threads_before) as f64 / 50.0);
    println!("figure rss_per_idle_plugin_mib {:.2}", (plugin_rss + host_growth) as f64 / 1024.0 / 50.0);
    println!("figure pss_per_idle_plugin_mib {:.2}", (plugin_pss + host_growth) as f64 / 1024.0 / 50.0);

    let post = Post { message: "hello".into(), ..Post::default() };
    for (count, rounds) in [(50, 400), (10, 1000), (1, 3000)] {
        for id in ids.iter().skip(count) {
            if env.is_enabled(id) {
                env.disable(id).unwrap();
            }
        }
        assert_eq!(env.running().len(), count);
        let mut times = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let t = Instant::now();
            let outcome = message_will_be_posted(&env, &Context::default(), post.clone());
            times.push(t.elapsed());
            assert!(matches!(outcome, PostOutcome::Allow(_)));
        }
        times.sort();
        println!("figure fanout_post_p50_us_{count} {:.1}", times[times.len() / 2].as_secs_f64() * 1e6);
    }
    env.shutdown();
    println!("figure raw_pipe_chain_p50_us_50 {:.1}", raw_chain_p50_us(50, 400));
}

/// The p50 of `rounds` chains through `count` `cat` processes: 64 bytes written to each in
/// turn and read back, blocking, in microseconds.
fn raw_chain_p50_us(count: usize, rounds: usize) -> f64 {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    let mut cats: Vec<_> = (0..count)
        .map(|_| {
            let mut cat = Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("start cat");
            let (tx, rx) = (cat.stdin.take().expect("stdin"), cat.stdout.take().expect("stdout"));
            (cat, tx, rx)
        })
        .collect();
    let (msg, mut buf) = ([7u8; 64], [0u8; 64]);
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        for (_, tx, rx) in cats.iter_mut() {
            tx.write_all(&msg).expect("write to cat");
            rx.read_exact(&mut buf).expect("read from cat");
        }
        times.push(t.elapsed());
    }
    for (mut cat, tx, _) in cats {
        drop(tx);
        let _ = cat.wait();
    }
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1e6
}

/// The host API the plugins could call; these plugins call nothing, so every method fails.
fn no_api() -> impl Api {
    api_definitions::api::rpc::Client::new(plugin_runtime::Loopback::new(NoDispatch))
}

/// A dispatcher that answers every call "not implemented": the bench plugins never call.
struct NoDispatch;

impl plugin_runtime::Dispatch for NoDispatch {
    fn interface(&self) -> &'static plugin_runtime::InterfaceInfo {
        &api_definitions::api::rpc::INTERFACE
    }
    fn dispatch(&self, request: plugin_runtime::Request) -> Result<plugin_runtime::Response, plugin_runtime::RpcError> {
        Err(plugin_runtime::RpcError::not_implemented(format!("api method {}", request.method)))
    }
}

fn threads() -> usize {
    fs::read_dir("/proc/self/task").map(|d| d.count()).unwrap_or(0)
}

fn rss_kib(pid: u32) -> u64 {
    kib_field(&format!("/proc/{pid}/status"), "VmRSS:")
}

fn pss_kib(pid: u32) -> u64 {
    kib_field(&format!("/proc/{pid}/smaps_rollup"), "Pss:")
}

/// The number after `field` on its line of `path` (a `/proc` file, in KiB). A file that cannot
/// be read stops the bench: counting it as 0 would make the figure look better than it is.
fn kib_field(path: &str, field: &str) -> u64 {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {field} line with a number in {path}"))
}
