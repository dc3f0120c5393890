//! `cargo xtask bench`: measures the process transport, bundle installation and the plugin
//! environment. Builds the test binaries and `plugin-host` in release mode, runs the `bench_host`
//! driver against the `greeter_plugin` executable (each part in fresh processes, since peak RSS
//! only grows), `plugin-host install` against `tar xzf` (see [`crate::bench_install`]) and the
//! `bench_env` driver (50 `env_plugin` processes in an environment), a real `plugin-host
//! serve` under `wrk` (see [`crate::bench_server`]) and the `bench_api` driver (the reference
//! host API's KV loop in memory, `create_post` through 3 plugins), prints every figure
//! as `figure <name> <value>` and then how each compares with its target (and a few ratios for
//! reference).
//!
//! Shared machines are noisy: the whole set runs [`ROUNDS`] times, interleaved, and each
//! figure is the median of its rounds (peak RSS: the largest).
//!
//! `BENCH_ONLY` (comma-separated) narrows a run for quick iteration: `install` runs the install
//! part, `env` the environment part, `server` the server part, `api` the reference host API
//! part (`bench_api`); any other name (`transport`, say) runs the transport parts, and
//! `bench_host` reads the same variable to pick among its `calls` parts (`empty`, `struct`,
//! `post`, `callers8`, `blob`, `idle`; naming none runs them all). Unset, everything runs.

use crate::{bench_install, bench_server};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// A target: `figure` compared with `factor` times `base` (or with a constant when `base` is
/// `None`).
struct Target {
    figure: &'static str,
    at_most: bool,
    factor: f64,
    base: Option<&'static str>,
}

/// How many times every part runs.
const ROUNDS: usize = 3;

const TARGETS: &[Target] = &[
    Target { figure: "post_rtt_p50_us", at_most: true, factor: 1.5, base: Some("raw_pipe_rtt_p50_us") },
    Target { figure: "callers8_calls_per_s", at_most: false, factor: 2.0, base: Some("raw_pipe_rt_per_s") },
    Target { figure: "stream_mb_s", at_most: false, factor: 0.7, base: Some("raw_pipe_bulk_mb_s") },
    Target { figure: "stream_peak_rss_mib", at_most: true, factor: 32.0, base: None },
    Target { figure: "install_64mib_mb_s", at_most: false, factor: 0.8, base: Some("tar_xzf_64mib_mb_s") },
    Target { figure: "install_64mib_peak_rss_mib", at_most: true, factor: 32.0, base: None },
    // The chain through 50 plugins costs at most 1.2 x fifty single-plugin chains: linear.
    Target { figure: "fanout_post_p50_us_50", at_most: true, factor: 60.0, base: Some("fanout_post_p50_us_1") },
    Target { figure: "host_threads_per_plugin", at_most: true, factor: 2.0, base: None },
    Target { figure: "rss_per_idle_plugin_mib", at_most: true, factor: 4.0, base: None },
    Target { figure: "http_plugin_route_rps", at_most: false, factor: 0.5, base: Some("http_static_route_rps") },
    Target { figure: "upload_1gib_peak_rss_mib", at_most: true, factor: 64.0, base: None },
];

/// Ratios printed for reference, not checked: our figures against the spinning ping-pong,
/// the floor for a transport that (like ours) reads the pipe for a moment before it sleeps.
const REFERENCES: &[(&str, &str)] = &[
    ("empty_hook_rtt_p50_us", "raw_pipe_spin_rtt_p50_us"),
    ("post_rtt_p50_us", "raw_pipe_spin_rtt_p50_us"),
    // The async client's call (woken by the connection's poller) against the blocking one.
    ("post_async_rtt_p50_us", "post_rtt_p50_us"),
    ("callers8_calls_per_s", "raw_pipe_spin_rt_per_s"),
    // The 50-plugin chain against the same chain through 50 `cat` processes: its floor (each
    // plugin of a long chain has gone to sleep since its last turn).
    ("fanout_post_p50_us_50", "raw_pipe_chain_p50_us_50"),
    // The database's share of a plugin's KV calls: the same loop on SQLite and in memory.
    ("kv_set_get_per_s", "kv_set_get_memory_per_s"),
];

pub fn bench(root: &Path) -> Result<(), String> {
    let start = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let only = std::env::var("BENCH_ONLY").ok();
    let install_part = only.as_deref().is_none_or(|only| only.split(',').any(|p| p == "install"));
    let env_part = only.as_deref().is_none_or(|only| only.split(',').any(|p| p == "env"));
    let server_part = only.as_deref().is_none_or(|only| only.split(',').any(|p| p == "server"));
    let api_part = only.as_deref().is_none_or(|only| only.split(',').any(|p| p == "api"));
    let transport_parts =
        only.as_deref().is_none_or(|only| only.split(',').any(|p| !["install", "env", "server", "api"].contains(&p)));
    eprintln!("bench: building the release binaries ...");
    let status = Command::new(&cargo)
        .current_dir(root)
        .args(["build", "--release", "--quiet", "-p", "pluginapi-tests", "-p", "plugin-host", "--bins"])
        .status()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if !status.success() {
        return Err(format!("`{cargo} build --release -p pluginapi-tests -p plugin-host --bins` failed"));
    }
    let target = target_dir(root);
    let bin = target.join("release");
    let host = bin.join("bench_host");
    let plugin = bin.join("greeter_plugin").to_string_lossy().into_owned();
    let plugin_host = bin.join("plugin-host");
    let install = if install_part {
        eprintln!("bench: generating and bundling the 64 MiB install plugin ...");
        Some(bench_install::prepare(&target.join("bench-install"), &plugin_host)?)
    } else {
        None
    };
    let server = if server_part {
        eprintln!("bench: bundling and installing the route bench plugin ...");
        Some(bench_server::prepare(&target.join("bench-server"), &plugin_host, &bin.join("env_plugin"))?)
    } else {
        None
    };
    let transport: &[Vec<&str>] = if transport_parts {
        &[vec!["raw"], vec!["calls", plugin.as_str()], vec!["stream", plugin.as_str()]]
    } else {
        &[]
    };

    let mut rounds: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for round in 1..=ROUNDS {
        for args in transport {
            eprintln!("bench: round {round}/{ROUNDS}: {} ...", args[0]);
            let output =
                Command::new(&host).args(args).output().map_err(|e| format!("cannot run {}: {e}", host.display()))?;
            if !output.status.success() {
                return Err(format!(
                    "bench_host {} failed ({}): {}",
                    args[0],
                    output.status,
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
            record(&output.stdout, &mut rounds);
        }
        if env_part {
            eprintln!("bench: round {round}/{ROUNDS}: env ...");
            let env_bench = bin.join("bench_env");
            let output = Command::new(&env_bench)
                .arg(bin.join("env_plugin"))
                .output()
                .map_err(|e| format!("cannot run {}: {e}", env_bench.display()))?;
            if !output.status.success() {
                return Err(format!(
                    "bench_env failed ({}): {}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
            record(&output.stdout, &mut rounds);
        }
        if api_part {
            eprintln!("bench: round {round}/{ROUNDS}: api ...");
            let api_bench = bin.join("bench_api");
            let output = Command::new(&api_bench)
                .arg(bin.join("env_plugin"))
                .output()
                .map_err(|e| format!("cannot run {}: {e}", api_bench.display()))?;
            if !output.status.success() {
                return Err(format!(
                    "bench_api failed ({}): {}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
            record(&output.stdout, &mut rounds);
        }
        if let Some(server) = &server {
            eprintln!("bench: round {round}/{ROUNDS}: server ...");
            for (name, value) in bench_server::round(server, &plugin_host)? {
                rounds.entry(name.to_owned()).or_default().push(value);
            }
        }
        if let Some(install) = &install {
            eprintln!("bench: round {round}/{ROUNDS}: install ...");
            for (name, value) in bench_install::round(install, &plugin_host, round)? {
                rounds.entry(name.to_owned()).or_default().push(value);
            }
        }
    }
    let mut figures = BTreeMap::new();
    for (name, mut values) in rounds {
        values.sort_by(f64::total_cmp);
        let value = if name.contains("rss") { values[values.len() - 1] } else { values[values.len() / 2] };
        println!("figure {name} {value:.1}");
        figures.insert(name, value);
    }

    for t in TARGETS {
        let (Some(value), Some(bound)) =
            (figures.get(t.figure), t.base.map_or(Some(t.factor), |b| figures.get(b).map(|v| v * t.factor)))
        else {
            // With `BENCH_ONLY` the parts left out have no figures, and that is no news.
            if only.is_none() {
                println!("target {} unknown (figure missing)", t.figure);
            }
            continue;
        };
        let met = if t.at_most { *value <= bound } else { *value >= bound };
        let relation = if t.at_most { "<=" } else { ">=" };
        let wanted = match t.base {
            Some(base) => format!("{} x {base} = {bound:.1}", t.factor),
            None => format!("{bound:.1}"),
        };
        println!("target {} {} ({value:.1} {relation} {wanted})", t.figure, if met { "met" } else { "MISSED" });
    }
    for (figure, base) in REFERENCES {
        if let (Some(value), Some(base_value)) = (figures.get(*figure), figures.get(*base)) {
            println!("reference {figure} is {:.2} x {base}", value / base_value);
        }
    }
    eprintln!("bench: done in {:.0} s", start.elapsed().as_secs_f64());
    Ok(())
}

/// Adds the `figure <name> <value>` lines of a driver's output to the rounds.
fn record(stdout: &[u8], rounds: &mut BTreeMap<String, Vec<f64>>) {
    for line in String::from_utf8_lossy(stdout).lines() {
        let mut words = line.split_whitespace();
        if let (Some("figure"), Some(name), Some(Ok(value))) =
            (words.next(), words.next(), words.next().map(str::parse::<f64>))
        {
            rounds.entry(name.to_owned()).or_default().push(value);
        }
    }
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}
