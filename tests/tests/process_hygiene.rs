//! Process hygiene with hostile plugins (`hostile_plugin`): a plugin that forks a child holding
//! its pipes and exits fails its calls at once and takes the child with it; helpers a plugin
//! starts die with it; the host's exit hook hears of exits the host did not cause, once; every
//! call has a deadline by default, which a scope can lengthen; the plugin's descriptors can be
//! taken once; and one watcher thread and one output thread serve every plugin.

mod support;

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use plugin_runtime::process::{ExitHook, HostConfig, PluginProcess, DEFAULT_CALL_TIMEOUT};
use plugin_runtime::{with_deadline, RpcError};
use pluginapi_tests::fixture::rpc::Client;
use pluginapi_tests::fixture::{GreetError, Greeter, Greeting};
use pluginapi_tests::fixture_host::rpc::Dispatcher;
use support::{host_config, Harness, TestHost};

/// Far below the 30 s default deadline: a failure this fast was noticed, not timed out.
const PROMPTLY: Duration = Duration::from_secs(10);

/// How long a killed process may take to disappear.
const GONE_WITHIN: Duration = Duration::from_secs(5);

fn start_hostile(envs: &[(&str, &str)], config: HostConfig) -> Harness {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hostile_plugin"));
    command.envs(envs.iter().copied());
    let host = Arc::new(TestHost::default());
    let served = host.clone();
    let process = PluginProcess::spawn(command, config, move |_| Dispatcher::new(served))
        .unwrap_or_else(|e| panic!("the hostile plugin did not start: {e}"));
    let plugin = Client::with_peer_methods(process.connection().clone(), process.peer_methods());
    Harness { process, plugin, host }
}

/// A fresh path for the plugin to write a pid to.
fn pid_file(name: &str) -> std::path::PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    std::env::temp_dir().join(format!("hostile-plugin-{}-{n}-{name}.pid", std::process::id()))
}

/// Polls `f` up to `limit`; false if it never held.
fn within(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if f() {
            return true;
        }
        if start.elapsed() >= limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The pid the plugin wrote to `path` (waiting for the file to appear).
fn read_pid(path: &std::path::Path) -> u32 {
    let mut pid = None;
    assert!(
        within(Duration::from_secs(60), || {
            pid = std::fs::read_to_string(path).ok().and_then(|s| s.trim().parse().ok());
            pid.is_some()
        }),
        "the plugin never wrote {}",
        path.display()
    );
    let _ = std::fs::remove_file(path);
    pid.unwrap()
}

/// Whether process `pid` is gone: no such process, or a zombie (dead, waiting to be reaped by
/// whoever inherited it).
fn gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/status")) {
        Err(_) => true,
        Ok(status) => status.lines().any(|l| l.starts_with("State:") && l.contains('Z')),
    }
}

fn disconnected_detail(r: &Result<Greeting, GreetError>) -> Option<&str> {
    match r {
        Err(GreetError::Rpc(RpcError::Disconnected { detail })) => Some(detail),
        _ => None,
    }
}

/// An exit hook that counts its calls and sends each status.
fn counting_hook() -> (ExitHook, Arc<AtomicU64>, mpsc::Receiver<ExitStatus>) {
    let calls = Arc::new(AtomicU64::new(0));
    let (tx, rx) = mpsc::channel();
    let counted = calls.clone();
    let tx = std::sync::Mutex::new(tx);
    let hook = ExitHook::new(move |status| {
        counted.fetch_add(1, Ordering::SeqCst);
        let _ = tx.lock().unwrap().send(status);
    });
    (hook, calls, rx)
}

#[test]
fn calls_in_flight_fail_at_once_when_the_plugin_exits_leaving_a_child_on_its_pipes() {
    let pids = pid_file("fork");
    let h = Arc::new(start_hostile(&[("HOSTILE_PLUGIN_PID_FILE", pids.to_str().unwrap())], host_config()));
    assert_eq!(h.process.connection().config().call_timeout, Some(DEFAULT_CALL_TIMEOUT));
    let hangs: Vec<_> = (0..4)
        .map(|_| {
            let h = h.clone();
            std::thread::spawn(move || {
                let r = h.plugin.greet("hang");
                (r, Instant::now())
            })
        })
        .collect();
    support::eventually("the hanging calls to reach the plugin", || h.plugin.greet("hanging").unwrap().text == "4");

    let start = Instant::now();
    let r = h.plugin.greet("fork-and-exit");
    assert!(start.elapsed() < PROMPTLY, "the call took {:?}", start.elapsed());
    let detail = disconnected_detail(&r).unwrap_or_else(|| panic!("expected Disconnected, got {r:?}"));
    assert!(detail.contains("exited") && detail.contains("exit status: 3"), "{detail}");
    for hang in hangs {
        let (r, ended) = hang.join().unwrap();
        assert!(ended.duration_since(start) < PROMPTLY, "a hanging call took {:?}", ended.duration_since(start));
        let detail = disconnected_detail(&r).unwrap_or_else(|| panic!("expected Disconnected, got {r:?}"));
        assert!(detail.contains("exit status: 3"), "{detail}");
    }
    // Later calls fail at once with the same reason.
    let later = h.plugin.greet("again");
    assert!(disconnected_detail(&later).is_some_and(|d| d.contains("exit status: 3")), "{later:?}");
    assert_eq!(h.process.try_wait().unwrap().and_then(|s| s.code()), Some(3));
    let _ = read_pid(&pids);
}

#[test]
fn the_child_a_plugin_forked_before_exiting_is_killed() {
    let pids = pid_file("fork-child");
    let h = start_hostile(&[("HOSTILE_PLUGIN_PID_FILE", pids.to_str().unwrap())], host_config());
    assert!(disconnected_detail(&h.plugin.greet("fork-and-exit")).is_some());
    let child = read_pid(&pids);
    assert!(within(GONE_WITHIN, || gone(child)), "the forked child {child} outlived the plugin");
}

#[test]
fn a_helper_the_plugin_started_is_gone_after_shutdown() {
    let pids = pid_file("helper-shutdown");
    let h = start_hostile(
        &[("HOSTILE_PLUGIN_MODE", "spawn-helper"), ("HOSTILE_PLUGIN_PID_FILE", pids.to_str().unwrap())],
        host_config(),
    );
    let helper = read_pid(&pids);
    assert!(!gone(helper), "the helper {helper} is not running");
    assert_eq!(h.plugin.greet("x").unwrap().text, "hello x");
    let status = h.process.shutdown(Duration::from_secs(30)).unwrap();
    assert!(status.success(), "{status}");
    assert!(within(GONE_WITHIN, || gone(helper)), "the helper {helper} outlived the shutdown");
}

#[test]
fn a_helper_the_plugin_started_is_gone_after_kill() {
    let pids = pid_file("helper-kill");
    let h = start_hostile(
        &[("HOSTILE_PLUGIN_MODE", "spawn-helper"), ("HOSTILE_PLUGIN_PID_FILE", pids.to_str().unwrap())],
        host_config(),
    );
    let helper = read_pid(&pids);
    assert!(!gone(helper), "the helper {helper} is not running");
    // Killed, or exited at the end of its pipe that `kill` closes first: gone either way.
    h.process.kill().unwrap();
    assert!(h.process.try_wait().unwrap().is_some());
    assert!(within(GONE_WITHIN, || gone(helper)), "the helper {helper} outlived the kill");
}

#[test]
fn on_exit_is_called_once_with_the_status_when_the_plugin_exits_by_itself() {
    let (hook, calls, statuses) = counting_hook();
    let mut config = host_config();
    config.on_exit = Some(hook);
    let h = start_hostile(&[], config);
    let r = h.plugin.greet("exit:7");
    assert!(disconnected_detail(&r).is_some(), "{r:?}");
    let status = statuses.recv_timeout(Duration::from_secs(60)).expect("the exit hook was called");
    assert_eq!(status.code(), Some(7));
    // The host agrees, and stopping the exited plugin calls nothing more.
    assert_eq!(h.process.try_wait().unwrap().and_then(|s| s.code()), Some(7));
    assert_eq!(h.process.shutdown(Duration::from_secs(5)).unwrap().code(), Some(7));
    drop(h);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn on_exit_reports_a_kill_from_outside_and_calls_fail_with_the_signal() {
    let (hook, calls, statuses) = counting_hook();
    let mut config = host_config();
    config.on_exit = Some(hook);
    let h = Arc::new(start_hostile(&[], config));
    let hang = {
        let h = h.clone();
        std::thread::spawn(move || h.plugin.greet("hang"))
    };
    support::eventually("the hanging call to reach the plugin", || h.plugin.greet("hanging").unwrap().text == "1");
    let killed = Command::new("kill").arg("-9").arg(h.process.pid().to_string()).status().unwrap();
    assert!(killed.success());
    let status = statuses.recv_timeout(Duration::from_secs(60)).expect("the exit hook was called");
    assert_eq!(status.signal(), Some(9));
    let r = hang.join().unwrap();
    assert!(disconnected_detail(&r).is_some(), "{r:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn on_exit_is_not_called_when_the_host_stops_the_plugin() {
    let (hook, calls, _statuses) = counting_hook();
    let mut config = host_config();
    config.on_exit = Some(hook);
    let shut = start_hostile(&[], config.clone());
    shut.process.shutdown(Duration::from_secs(30)).unwrap();
    let killed = start_hostile(&[], config.clone());
    killed.process.kill().unwrap();
    drop(start_hostile(&[], config));

    // A plugin that exits by itself afterwards is reported; the one watcher thread has then
    // dealt with everything before it, and the three the host stopped were not reported.
    let (other_hook, _, other_statuses) = counting_hook();
    let mut other = host_config();
    other.on_exit = Some(other_hook);
    let h = start_hostile(&[], other);
    let _ = h.plugin.greet("exit:5");
    assert_eq!(other_statuses.recv_timeout(Duration::from_secs(60)).unwrap().code(), Some(5));
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    drop((shut, killed));
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[test]
fn a_hanging_call_times_out_at_the_connection_deadline() {
    let mut config = host_config();
    config.transport.call_timeout = Some(Duration::from_millis(300));
    let h = start_hostile(&[], config);
    let r = h.plugin.greet("hang");
    assert!(matches!(r, Err(GreetError::Rpc(RpcError::Timeout { after_ms: 300 }))), "{r:?}");
    // The connection lives on.
    assert_eq!(h.plugin.greet("x").unwrap().text, "hello x");
}

#[test]
fn every_call_has_a_30_second_deadline_by_default() {
    assert_eq!(DEFAULT_CALL_TIMEOUT, Duration::from_secs(30));
    assert_eq!(HostConfig::new("any").transport.call_timeout, Some(Duration::from_secs(30)));
}

#[test]
fn a_longer_with_deadline_lets_a_slow_call_finish() {
    let mut config = host_config();
    config.transport.call_timeout = Some(Duration::from_millis(300));
    let h = start_hostile(&[], config);
    // Without a scope the connection's deadline applies ...
    let r = h.plugin.greet("slow:1500");
    assert!(matches!(r, Err(GreetError::Rpc(RpcError::Timeout { after_ms: 300 }))), "{r:?}");
    // ... and a scope longer than it replaces it for the calls inside.
    let r = with_deadline(Duration::from_secs(60), || h.plugin.greet("slow:1500"));
    assert_eq!(r.unwrap().text, "slow but done");
}

#[test]
fn inherited_fds_refuses_a_second_call() {
    let h = start_hostile(&[], host_config());
    match h.plugin.greet("fds-again") {
        Err(GreetError::Refused(why)) => assert!(why.contains("already taken"), "{why}"),
        other => panic!("expected the second inherited_fds to fail, got {other:?}"),
    }
    // The plugin's pipes are untouched.
    assert_eq!(h.plugin.greet("x").unwrap().text, "hello x");
}

#[test]
fn one_exit_watcher_thread_serves_every_plugin() {
    let plugins: Vec<_> = (0..3).map(|_| start_hostile(&[], host_config())).collect();
    let watchers = std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim() == "plugin-watch")
        .count();
    assert_eq!(watchers, 1);
    drop(plugins);
}

/// Plugin output is forwarded by one thread for all plugins (Linux), not two per plugin.
#[cfg(target_os = "linux")]
#[test]
fn one_output_thread_forwards_every_plugin() {
    if option_env!("PLUGIN_RPC_PORTABLE").is_some() {
        // The runtime was built for its portable path, which forwards on a thread per pipe.
        return;
    }
    let plugins: Vec<_> = (0..3).map(|_| start_hostile(&[], host_config())).collect();
    let names: Vec<String> = std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .map(|name| name.trim().to_owned())
        .collect();
    assert_eq!(names.iter().filter(|n| *n == "plugin-output").count(), 1, "{names:?}");
    assert!(!names.iter().any(|n| n == "plugin-stdout" || n == "plugin-stderr"), "{names:?}");
    drop(plugins);
}
