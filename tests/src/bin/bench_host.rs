//! The benchmark driver behind `cargo xtask bench` (run it from a release build). Each mode
//! prints `figure <name> <value>` lines:
//!
//! - `raw`: a 256-byte ping-pong and a bulk copy between this process and a copy of itself
//!   (`raw-peer`), over the same kind of pipes the transport uses, with plain blocking reads and
//!   writes: the floor the transport is compared with. It also prints the same ping-pong with
//!   both sides spinning on non-blocking reads (`raw_pipe_spin_*`, yielding the CPU while
//!   the pipe is empty and never sleeping): the floor for a transport that, like ours, reads
//!   the pipe for a moment before it sleeps. It is shown for reference, not as a target.
//! - `calls <plugin>`: first the CPU both processes use in two idle seconds after a burst of
//!   calls (`idle_cpu_ticks_per_2s`: the transport spins only briefly, after activity); then
//!   calls into the `greeter_plugin` executable: an empty hook, a ~1 KiB
//!   struct of small strings echoed (and the same size as one string), eight threads calling
//!   at once, a 1 MiB byte-slice argument; and into `hooks_bench_plugin`, which serves the real
//!   `Hooks`: `message_will_be_posted` with a typical post (allowed: `post_rtt_*`; rewritten
//!   and returned: `post_replace_rtt_p50_us`; allowed through the async client:
//!   `post_async_rtt_p50_us`).
//! - `stream <plugin>`: 256 MiB through a `ByteStream` argument, and the larger peak RSS of the
//!   two processes (run in fresh processes, as peak RSS only grows).

use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use plugin_runtime::process::{plugin, spawn_with_pipes, HostConfig, PluginProcess};
use plugin_runtime::transport::NoService;
use plugin_runtime::{ByteSink, ByteStream, Connection};
use pluginapi_tests::fixture::rpc::Client;
use pluginapi_tests::fixture::{Greeter, Greeting};

const PING_BYTES: usize = 256;
const BULK_BYTES: u64 = 256 << 20;
const BULK_CHUNK: usize = 64 * 1024;
/// Bulk figures are the median of this many runs: one 256 MiB copy takes a fraction of a
/// second, short enough for a noisy neighbour to halve it.
const REPEATS: usize = 5;

/// The parts of `calls` that `BENCH_ONLY` can pick.
const CALLS_PARTS: [&str; 6] = ["idle", "empty", "struct", "post", "callers8", "blob"];

/// `BENCH_ONLY=empty,struct,post,callers8,blob` (or `idle`) limits `calls` to those parts (for
/// profiling). A `BENCH_ONLY` that names none of them (`cargo xtask bench` reads the same
/// variable, where `calls` or `transport` picks the transport parts) runs them all, rather than
/// silently measuring nothing.
fn wanted(part: &str) -> bool {
    let Ok(only) = std::env::var("BENCH_ONLY") else { return true };
    let named: Vec<&str> = only.split(',').filter(|p| CALLS_PARTS.contains(p)).collect();
    named.is_empty() || named.contains(&part)
}

/// `BENCH_DIAG=1` prints, after each `calls` part, the context switches per call of this
/// process and the plugin (from `/proc/<pid>/task/*/status`) to stderr, for profiling.
fn diag_enabled() -> bool {
    std::env::var_os("BENCH_DIAG").is_some()
}

/// Context switches (voluntary, involuntary) summed over a process's live threads.
fn ctx_switches(pid: u32) -> (u64, u64) {
    let mut total = (0, 0);
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return total };
    for task in tasks.flatten() {
        let Ok(status) = std::fs::read_to_string(task.path().join("status")) else { continue };
        for line in status.lines() {
            let value = |l: &str| l.split_whitespace().last().and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            if line.starts_with("voluntary_ctxt_switches") {
                total.0 += value(line);
            } else if line.starts_with("nonvoluntary_ctxt_switches") {
                total.1 += value(line);
            }
        }
    }
    total
}

/// Reports the context switches per call that `part` cost, as `diag` lines on stderr.
fn with_diag<R>(part: &str, plugin: u32, calls: usize, f: impl FnOnce() -> R) -> R {
    if !diag_enabled() {
        return f();
    }
    let (h0, p0) = (ctx_switches(std::process::id()), ctx_switches(plugin));
    let r = f();
    let (h1, p1) = (ctx_switches(std::process::id()), ctx_switches(plugin));
    let per = |a: u64, b: u64| (b - a) as f64 / calls as f64;
    eprintln!(
        "diag {part}: ctx switches per call: host {:.2} voluntary + {:.2} involuntary, plugin {:.2} + {:.2}",
        per(h0.0, h1.0),
        per(h0.1, h1.1),
        per(p0.0, p1.0),
        per(p0.1, p1.1)
    );
    r
}

fn figure(name: &str, value: f64) {
    println!("figure {name} {value:.1}");
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort_unstable();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i].as_secs_f64() * 1e6
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("raw") => raw(),
        Some("raw-peer") => raw_peer(),
        Some("calls") => calls(&args[2]),
        Some("stream") => stream(&args[2]),
        _ => Err(io::Error::other("usage: bench_host raw | calls <plugin> | stream <plugin>")),
    };
    if let Err(e) = result {
        eprintln!("bench_host: {e}");
        std::process::exit(1);
    }
}

// ----- raw pipes -----

fn raw() -> io::Result<()> {
    let mut command = Command::new(std::env::current_exe()?);
    command.arg("raw-peer");
    let (mut child, read, write) = spawn_with_pipes(&mut command)?;
    let mut rx = std::fs::File::from(read);
    let mut tx = std::fs::File::from(write);
    let mut buf = [0u8; PING_BYTES];
    let msg = [7u8; PING_BYTES];
    let rounds = 30_000;
    tx.write_all(b"p")?;
    tx.write_all(&((rounds + 3_000) as u64).to_le_bytes())?;
    for _ in 0..3_000 {
        tx.write_all(&msg)?;
        rx.read_exact(&mut buf)?;
    }
    let mut samples = Vec::with_capacity(rounds);
    let start = Instant::now();
    for _ in 0..rounds {
        let t = Instant::now();
        tx.write_all(&msg)?;
        rx.read_exact(&mut buf)?;
        samples.push(t.elapsed());
    }
    let total = start.elapsed();
    figure("raw_pipe_rtt_p50_us", percentile(&mut samples, 0.5));
    figure("raw_pipe_rt_per_s", rounds as f64 / total.as_secs_f64());

    // The same with both sides spinning (the peer switches when told).
    tx.write_all(b"s")?;
    tx.write_all(&((rounds + 3_000) as u64).to_le_bytes())?;
    set_nonblocking(&rx)?;
    for _ in 0..3_000 {
        tx.write_all(&msg)?;
        spin_read_exact(&mut rx, &mut buf)?;
    }
    let mut samples = Vec::with_capacity(rounds);
    let start = Instant::now();
    for _ in 0..rounds {
        let t = Instant::now();
        tx.write_all(&msg)?;
        spin_read_exact(&mut rx, &mut buf)?;
        samples.push(t.elapsed());
    }
    let total = start.elapsed();
    figure("raw_pipe_spin_rtt_p50_us", percentile(&mut samples, 0.5));
    figure("raw_pipe_spin_rt_per_s", rounds as f64 / total.as_secs_f64());
    set_blocking(&rx)?;

    let chunk = vec![0x5au8; BULK_CHUNK];
    let mut rates = Vec::new();
    for _ in 0..REPEATS {
        tx.write_all(b"b")?;
        tx.write_all(&BULK_BYTES.to_le_bytes())?;
        let start = Instant::now();
        let mut left = BULK_BYTES;
        while left > 0 {
            let n = left.min(BULK_CHUNK as u64) as usize;
            tx.write_all(&chunk[..n])?;
            left -= n as u64;
        }
        rx.read_exact(&mut buf[..1])?;
        rates.push(BULK_BYTES as f64 / 1e6 / start.elapsed().as_secs_f64());
    }
    figure("raw_pipe_bulk_mb_s", median(rates));
    drop(tx);
    child.wait()?;
    Ok(())
}

fn raw_peer() -> io::Result<()> {
    let (read, write): (OwnedFd, OwnedFd) = plugin::inherited_fds()?;
    let mut rx = std::fs::File::from(read);
    let mut tx = std::fs::File::from(write);
    let mut cmd = [0u8; 9];
    let mut buf = vec![0u8; BULK_CHUNK];
    while rx.read_exact(&mut cmd).is_ok() {
        let n = u64::from_le_bytes(cmd[1..9].try_into().expect("8 bytes"));
        match cmd[0] {
            b'p' => {
                for _ in 0..n {
                    rx.read_exact(&mut buf[..PING_BYTES])?;
                    tx.write_all(&buf[..PING_BYTES])?;
                }
            }
            b's' => {
                set_nonblocking(&rx)?;
                for _ in 0..n {
                    spin_read_exact(&mut rx, &mut buf[..PING_BYTES])?;
                    tx.write_all(&buf[..PING_BYTES])?;
                }
                set_blocking(&rx)?;
            }
            b'b' => {
                let mut left = n;
                while left > 0 {
                    let got = rx.read(&mut buf[..left.min(BULK_CHUNK as u64) as usize])?;
                    if got == 0 {
                        return Err(io::ErrorKind::UnexpectedEof.into());
                    }
                    left -= got as u64;
                }
                tx.write_all(b"k")?;
            }
            _ => return Err(io::Error::other("unknown raw command")),
        }
    }
    Ok(())
}

fn set_flags(file: &std::fs::File, nonblocking: bool) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: F_GETFL/F_SETFL on a descriptor this process owns (borrowed from `file`).
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    let flags = if nonblocking { flags | libc::O_NONBLOCK } else { flags & !libc::O_NONBLOCK };
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn set_nonblocking(file: &std::fs::File) -> io::Result<()> {
    set_flags(file, true)
}

fn set_blocking(file: &std::fs::File) -> io::Result<()> {
    set_flags(file, false)
}

/// Fills `buf` from a non-blocking pipe, yielding the CPU while it is empty (never sleeping).
fn spin_read_exact(rx: &mut std::fs::File, mut buf: &mut [u8]) -> io::Result<()> {
    while !buf.is_empty() {
        match rx.read(buf) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => buf = &mut buf[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::yield_now(),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

// ----- calls -----

/// A post as a channel sees it: ids, timestamps, a two-sentence message, a few props.
fn typical_post() -> api_definitions::model::Post {
    let mut props = std::collections::BTreeMap::new();
    props.insert("disable_group_highlight".to_string(), serde_json::json!(false));
    props.insert("from_bot".to_string(), serde_json::json!("false"));
    api_definitions::model::Post {
        id: "a1b2c3d4e5f6g7h8i9j0k1l2m3".into(),
        create_at: 1_764_000_000_000,
        update_at: 1_764_000_000_000,
        user_id: "u1v2w3x4y5z6a7b8c9d0e1f2g3".into(),
        channel_id: "c9h8a7n6n5e4l3i2d1x0y9z8w7".into(),
        message: "Deploy of build 4512 finished on staging; the smoke tests passed.                   Can someone from QA look at the checkout flow before we promote it to production?"
            .into(),
        props,
        hashtags: String::new(),
        pending_post_id: "u1v2w3x4y5z6a7b8c9d0e1f2g3:1764000000000".into(),
        ..api_definitions::model::Post::default()
    }
}

fn start_plugin(path: &str) -> io::Result<(PluginProcess, Client<Connection>)> {
    let mut config = HostConfig::new("bench");
    config.start_timeout = Duration::from_secs(60);
    let process = PluginProcess::spawn(Command::new(path), config, |_| NoService).map_err(io::Error::other)?;
    let client = Client::with_peer_methods(process.connection().clone(), process.peer_methods());
    Ok((process, client))
}

fn rpc<T, E: std::fmt::Debug>(r: Result<T, E>) -> io::Result<T> {
    r.map_err(|e| io::Error::other(format!("call failed: {e:?}")))
}

fn time_calls(rounds: usize, mut call: impl FnMut() -> io::Result<()>) -> io::Result<Vec<Duration>> {
    for _ in 0..rounds / 10 {
        call()?;
    }
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        call()?;
        samples.push(t.elapsed());
    }
    Ok(samples)
}

/// CPU time (user + system) a process has used so far, in clock ticks (`/proc/<pid>/stat`).
fn cpu_ticks(pid: u32) -> io::Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) start at the closing parenthesis;
    // utime and stime are fields 14 and 15, so the 12th and 13th after it.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let mut fields = rest.split_whitespace().skip(11);
    let mut next = || fields.next().and_then(|f| f.parse::<u64>().ok()).ok_or_else(|| io::Error::other("bad stat"));
    Ok(next()? + next()?)
}

fn calls(plugin: &str) -> io::Result<()> {
    let (process, client) = start_plugin(plugin)?;
    if wanted("idle") {
        // A connection with nothing to do must not spin: CPU of both processes over two idle
        // seconds right after a burst of calls (clock ticks, usually 10 ms each).
        for _ in 0..1_000 {
            rpc(client.farewell())?;
        }
        let before = cpu_ticks(std::process::id())? + cpu_ticks(process.pid())?;
        std::thread::sleep(Duration::from_secs(2));
        let after = cpu_ticks(std::process::id())? + cpu_ticks(process.pid())?;
        figure("idle_cpu_ticks_per_2s", (after - before) as f64);
    }
    if wanted("empty") {
        let mut samples = with_diag("empty", process.pid(), 22_000, || time_calls(20_000, || rpc(client.farewell())))?;
        figure("empty_hook_rtt_p50_us", percentile(&mut samples, 0.5));
    }

    let greeting = Greeting {
        text: "p".repeat(600),
        language: Some("en".into()),
        tags: (0..12).map(|i| (format!("prop_{i:02}"), format!("value number {i:02}"))).collect(),
    };
    if wanted("struct") {
        // A ~1 KiB fixture struct of 25 small strings, echoed: a codec-heavy shape.
        let mut samples = time_calls(20_000, || {
            let echoed = rpc(client.greet_all(&[], Some(greeting.clone()), 1))?;
            assert_eq!(echoed.len(), 1);
            Ok(())
        })?;
        figure("struct_1kib_echo_rtt_p50_us", percentile(&mut samples, 0.5));
    }
    if wanted("post") {
        // The real hook: `message_will_be_posted` with a typical post, against a plugin
        // serving `api_definitions::hooks::Hooks` (it inspects the post and allows it), and
        // once more with a post the plugin rewrites and returns.
        let hooks_plugin = std::path::Path::new(plugin).with_file_name("hooks_bench_plugin");
        let mut config = HostConfig::new("hooks-bench");
        config.start_timeout = Duration::from_secs(60);
        let hooks_process =
            PluginProcess::spawn(Command::new(&hooks_plugin), config, |_| NoService).map_err(io::Error::other)?;
        let hooks = api_definitions::hooks::rpc::Client::with_peer_methods(
            hooks_process.connection().clone(),
            hooks_process.peer_methods(),
        );
        let c = api_definitions::model::Context {
            session_id: "k3x9q1w8e7r6t5y4u3i2o1p0as".into(),
            request_id: "z9y8x7w6v5u4t3s2r1q0p9o8nm".into(),
            ip_address: "10.1.2.3".into(),
            accept_language: "en-US".into(),
            user_agent: "Mozilla/5.0 (X11; Linux x86_64)".into(),
            ..Default::default()
        };
        let post = typical_post();
        let mut samples = with_diag("post", hooks_process.pid(), 22_000, || {
            time_calls(20_000, || {
                let verdict = rpc(api_definitions::hooks::Hooks::message_will_be_posted(&hooks, &c, &post))?;
                assert!(matches!(verdict, api_definitions::model::Verdict::Allow));
                Ok(())
            })
        })?;
        figure("post_rtt_p50_us", percentile(&mut samples, 0.5));
        figure("post_rtt_p99_us", percentile(&mut samples, 0.99));
        // The same call through the generated async client, driven by a minimal executor: the
        // caller's thread parks and the connection's poller, reading the reply, wakes it (an
        // async host without its own reader of the pipe sees this hand-off on every call).
        let async_hooks = hooks.to_async();
        let mut samples = time_calls(20_000, || {
            let verdict = rpc(plugin_runtime::testing::block_on(async_hooks.message_will_be_posted(&c, &post)))?;
            assert!(matches!(verdict, api_definitions::model::Verdict::Allow));
            Ok(())
        })?;
        figure("post_async_rtt_p50_us", percentile(&mut samples, 0.5));
        drop(async_hooks);
        let rewrite = api_definitions::model::Post { message: format!("rewrite:{}", post.message), ..post.clone() };
        let mut samples = time_calls(20_000, || {
            let verdict = rpc(api_definitions::hooks::Hooks::message_will_be_posted(&hooks, &c, &rewrite))?;
            assert!(matches!(verdict, api_definitions::model::Verdict::Replace(_)));
            Ok(())
        })?;
        figure("post_replace_rtt_p50_us", percentile(&mut samples, 0.5));
        drop(hooks);
        let _ = hooks_process.shutdown(Duration::from_secs(5));
    }
    if wanted("struct") {
        // The same size in one string: the codec's share of the struct (few allocations).
        let flat = Greeting { text: "p".repeat(1000), ..Greeting::default() };
        let mut samples = time_calls(20_000, || {
            let echoed = rpc(client.greet_all(&[], Some(flat.clone()), 1))?;
            assert_eq!(echoed.len(), 1);
            Ok(())
        })?;
        figure("struct_1kib_flat_rtt_p50_us", percentile(&mut samples, 0.5));
    }

    let client = Arc::new(client);
    let per_thread = 6_000;
    let run = |per_thread: usize| -> io::Result<Duration> {
        let start = Instant::now();
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let client = client.clone();
                std::thread::spawn(move || (0..per_thread).try_for_each(|_| rpc(client.farewell())))
            })
            .collect();
        for t in threads {
            t.join().map_err(|_| io::Error::other("a caller panicked"))??;
        }
        Ok(start.elapsed())
    };
    if wanted("callers8") {
        run(per_thread / 10)?;
        let elapsed = with_diag("callers8", process.pid(), 8 * per_thread, || run(per_thread))?;
        figure("callers8_calls_per_s", (8 * per_thread) as f64 / elapsed.as_secs_f64());
    }

    let image = vec![0xa5u8; 1 << 20];
    let owner = Greeting::default();
    if wanted("blob") {
        let rounds = 300;
        rpc(client.swap_avatar(&owner, &image))?;
        let start = Instant::now();
        for _ in 0..rounds {
            rpc(client.swap_avatar(&owner, &image))?;
        }
        figure("blob_1mib_mb_s", (rounds << 20) as f64 / 1e6 / start.elapsed().as_secs_f64());
    }
    drop(client);
    process.shutdown(Duration::from_secs(10))?;
    Ok(())
}

// ----- stream -----

fn peak_rss_kib(pid: u32) -> io::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| io::Error::other("no VmHWM in /proc status"))
}

fn stream(plugin: &str) -> io::Result<()> {
    let (process, client) = start_plugin(plugin)?;
    let count = Greeting { text: "count".into(), ..Greeting::default() };
    // Warm up the path (thread pool, allocator) with a small stream first.
    rpc(client.filter(&count, ByteStream::new(io::repeat(0x5a).take(8 << 20)), ByteSink::discard()))?;
    let mut rates = Vec::new();
    for _ in 0..REPEATS {
        let start = Instant::now();
        let source = ByteStream::new(io::repeat(0x5a).take(BULK_BYTES));
        let n = rpc(client.filter(&count, source, ByteSink::discard()))?;
        let elapsed = start.elapsed();
        if n != BULK_BYTES {
            return Err(io::Error::other(format!("the plugin read {n} bytes, expected {BULK_BYTES}")));
        }
        rates.push(BULK_BYTES as f64 / 1e6 / elapsed.as_secs_f64());
    }
    figure("stream_mb_s", median(rates));
    let peak = peak_rss_kib(std::process::id())?.max(peak_rss_kib(process.pid())?);
    figure("stream_peak_rss_mib", peak as f64 / 1024.0);
    process.shutdown(Duration::from_secs(10))?;
    Ok(())
}
