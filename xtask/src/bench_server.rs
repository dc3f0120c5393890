//! The server part of `cargo xtask bench`: a real `plugin-host serve` process with the
//! `env_plugin` executable installed and enabled, loaded by `wrk` (16 connections) on a route
//! the server answers itself (`GET /api/v4/system/ping`) and on a small GET through the
//! plugin's `serve_http` (`/plugins/<id>/hello`), then a 1 GiB upload through the plugin's
//! `POST /count` route (with `curl`), after which the server's peak RSS is read from
//! `/proc/<pid>/status`, then the plugin's KV loop (`kv_set_get_per_s`: `kv_set` then `kv_get`
//! pairs per second from 8 plugin threads, on the server's SQLite store). Each round starts a
//! fresh server, since peak RSS only grows.
//!
//! The load generator, the server and the plugin share the machine's cores, as they would on a
//! small server; the ratio of the two routes, measured back to back, is what is compared.

use std::fs;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Instant;

const PLUGIN_ID: &str = "com.example.benchroute";
const UPLOAD_BYTES: u64 = 1 << 30;
const CONNECTIONS: &str = "16";
const LOAD_SECONDS: &str = "5s";
/// The plugin's KV loop (`env_plugin`'s `/kvloop`): 8 threads, 5000 set-then-get pairs each.
pub const KV_LOOP: &str = "kvloop?threads=8&n=5000";

/// The site (settings, plugins) and the upload file, ready for rounds.
pub struct Prepared {
    settings: PathBuf,
    upload: PathBuf,
}

/// Checks that `wrk` and `curl` are there, and makes the site in `work` afresh: the plugin
/// bundled and installed with `plugin-host`, enabled in the settings.
pub fn prepare(work: &Path, plugin_host: &Path, env_plugin: &Path) -> Result<Prepared, String> {
    for (tool, package) in [("wrk", "wrk"), ("curl", "curl")] {
        let found = Command::new(tool).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
        if found.is_err() {
            return Err(format!("the server bench needs `{tool}` (Debian: `apt-get install {package}`)"));
        }
    }
    let io_error = |what: &str, path: &Path, e: io::Error| format!("cannot {what} {}: {e}", path.display());
    if let Err(e) = fs::remove_dir_all(work) {
        if e.kind() != io::ErrorKind::NotFound {
            return Err(io_error("remove", work, e));
        }
    }
    let plugin = work.join("plugin");
    fs::create_dir_all(&plugin).map_err(|e| io_error("create", &plugin, e))?;
    let manifest = format!(
        r#"{{"id": "{PLUGIN_ID}", "name": "route bench", "version": "1.0.0", "server": {{"executable": "server/plugin"}}}}"#
    );
    fs::write(plugin.join("plugin.json"), manifest).map_err(|e| io_error("write", &plugin, e))?;
    let bundle = work.join("bundle.tar.gz");
    let site = work.join("site");
    run(Command::new(plugin_host)
        .arg("bundle")
        .arg(&plugin)
        .arg("--executable")
        .arg(env_plugin)
        .arg("--output")
        .arg(&bundle))?;
    let plugins = site.join("plugins");
    fs::create_dir_all(&plugins).map_err(|e| io_error("create", &plugins, e))?;
    run(Command::new(plugin_host).arg("install").arg(&bundle).arg("--plugins-dir").arg(&plugins))?;
    let settings = site.join("settings.json");
    let text = format!(r#"{{"PluginStates": {{"{PLUGIN_ID}": {{"Enable": true}}}}, "EnableHealthCheck": false}}"#);
    fs::write(&settings, text).map_err(|e| io_error("write", &settings, e))?;
    // A sparse file: its reads cost no disk, so the upload measures the server and plugin.
    let upload = work.join("upload.bin");
    let file = fs::File::create(&upload).map_err(|e| io_error("create", &upload, e))?;
    file.set_len(UPLOAD_BYTES).map_err(|e| io_error("size", &upload, e))?;
    Ok(Prepared { settings, upload })
}

fn run(command: &mut Command) -> Result<(), String> {
    let output = command.output().map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr)))
    }
}

/// A running `plugin-host serve`, stopped with SIGTERM on drop.
struct Server {
    child: Child,
    addr: String,
    /// Kept open: a server whose stdout is closed would fail its next print.
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(plugin_host: &Path, settings: &Path) -> Result<Server, String> {
        let mut child = Command::new(plugin_host)
            .arg("serve")
            .arg("--config")
            .arg(settings)
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", plugin_host.display()))?;
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        stdout.read_line(&mut line).map_err(|e| format!("reading the server's first line: {e}"))?;
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .ok_or_else(|| format!("the server did not say where it listens: {line:?}"))?
            .to_owned();
        let server = Server { child, addr, _stdout: stdout };
        // The enabled plugin is started before the server listens; check its route answers.
        let status = server.get(&format!("/plugins/{PLUGIN_ID}/hello"))?;
        if status != 200 {
            return Err(format!("the bench plugin's route answered {status}"));
        }
        Ok(server)
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The status of a plain GET (one request on its own connection).
    fn get(&self, path: &str) -> Result<u16, String> {
        self.get_text(path).map(|(status, _)| status)
    }

    /// The status and body of a plain GET.
    fn get_text(&self, path: &str) -> Result<(u16, String), String> {
        crate::http::request(&self.addr, "GET", path, &[], "")
    }

    fn peak_rss_mib(&self) -> Result<f64, String> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).map_err(|e| e.to_string())?;
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .ok_or("no VmHWM in the server's status")?;
        Ok(kib / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM: the server stops its plugin on the way out.
        // SAFETY: kill(2) takes plain integers; the child is not yet reaped, so its pid is
        // still ours.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

/// One round: both routes under load, then the upload.
pub fn round(prepared: &Prepared, plugin_host: &Path) -> Result<Vec<(&'static str, f64)>, String> {
    let server = Server::start(plugin_host, &prepared.settings)?;
    let mut figures = Vec::new();
    let (rps, p50) = wrk(&server.url("/api/v4/system/ping"))?;
    figures.push(("http_static_route_rps", rps));
    figures.push(("http_static_route_p50_us", p50));
    let (rps, p50) = wrk(&server.url(&format!("/plugins/{PLUGIN_ID}/hello")))?;
    figures.push(("http_plugin_route_rps", rps));
    figures.push(("http_plugin_route_p50_us", p50));

    let started = Instant::now();
    let output = Command::new("curl")
        .args(["-sS", "-X", "POST", "-H", "Content-Type: application/octet-stream", "-T"])
        .arg(&prepared.upload)
        .arg(server.url(&format!("/plugins/{PLUGIN_ID}/count")))
        .output()
        .map_err(|e| format!("cannot run curl: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let answer = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || !answer.starts_with(&format!("{UPLOAD_BYTES} ")) {
        return Err(format!(
            "the upload failed ({}): {answer} {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    figures.push(("upload_1gib_mb_s", UPLOAD_BYTES as f64 / 1e6 / seconds));
    figures.push(("upload_1gib_peak_rss_mib", server.peak_rss_mib()?));

    // The plugin's KV loop against the server's SQLite store; `bench_api` runs the same loop
    // against a KV store in memory.
    let path = format!("/plugins/{PLUGIN_ID}/{KV_LOOP}");
    match server.get_text(&path)? {
        (200, body) => figures.push(("kv_set_get_per_s", body.trim().parse().map_err(|_| format!("{path}: {body}"))?)),
        (status, body) => return Err(format!("{path} answered {status}: {body}")),
    }
    Ok(figures)
}

/// Requests per second and the median latency in microseconds, from `wrk --latency`.
fn wrk(url: &str) -> Result<(f64, f64), String> {
    let output = Command::new("wrk")
        .args(["-t", "2", "-c", CONNECTIONS, "-d", LOAD_SECONDS, "--latency", url])
        .output()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || text.contains("Non-2xx") || text.contains("Socket errors") {
        return Err(format!("wrk on {url} failed or saw errors ({}):\n{text}", output.status));
    }
    let rps = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no Requests/sec in wrk's output:\n{text}"))?;
    let p50 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("50%"))
        .and_then(|v| micros(v.trim()))
        .ok_or_else(|| format!("no 50% latency in wrk's output:\n{text}"))?;
    Ok((rps, p50))
}

/// wrk's durations (`412.00us`, `1.20ms`, `2.00s`) in microseconds.
fn micros(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    match unit {
        "us" => Some(number),
        "ms" => Some(number * 1e3),
        "s" => Some(number * 1e6),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::micros;

    #[test]
    fn wrk_durations_are_read_in_microseconds() {
        assert_eq!(micros("412.00us"), Some(412.0));
        assert_eq!(micros("1.20ms"), Some(1200.0));
        assert_eq!(micros("2.00s"), Some(2e6));
        assert_eq!(micros("3m"), None);
    }
}
