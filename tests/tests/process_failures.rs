//! Failures over the process transport with a real plugin process: a crash mid-call ends every
//! outstanding call, a hang ends at its deadline or cancellation (and the plugin hears of it),
//! garbage and oversize frames close the connection with typed errors while the host lives on,
//! failed starts (including every kind of broken handshake) are reported and leave no process,
//! and a plugin exits by itself when its host dies.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use plugin_runtime::process::StartError;
use plugin_runtime::transport::DEFAULT_MAX_FRAME;
use plugin_runtime::{with_cancel, with_deadline, CancelToken, RpcError};
use pluginapi_tests::fixture::{GreetError, Greeter, Greeting};
use support::*;

fn is_disconnected(r: &Result<Greeting, GreetError>) -> bool {
    matches!(r, Err(GreetError::Rpc(RpcError::Disconnected { .. })))
}

#[test]
fn a_crash_mid_call_ends_every_outstanding_call() {
    let h = Arc::new(start());
    let waiting: Vec<_> = ["hang", "hang", "sleep:600000", "sleep:600000", "nest:3", "hang"]
        .into_iter()
        .map(|name| {
            let h = h.clone();
            std::thread::spawn(move || h.plugin.greet(name))
        })
        .collect();
    // Let the calls reach the plugin, then crash it from a seventh call.
    std::thread::sleep(Duration::from_millis(300));
    let crash = h.plugin.greet("crash");
    assert!(is_disconnected(&crash), "{crash:?}");
    for w in waiting {
        let r = w.join().unwrap();
        // `nest:3` may have finished before the crash; everything else must fail.
        assert!(is_disconnected(&r) || r.as_ref().is_ok_and(|g| g.text.starts_with("p3")), "{r:?}");
    }
    // New calls fail at once, and the plugin is gone.
    assert!(is_disconnected(&h.plugin.greet("again")));
    eventually("the crashed plugin to be reaped", || h.process.try_wait().unwrap().is_some());
    assert!(!h.process.try_wait().unwrap().unwrap().success());
}

#[test]
fn a_plugin_killed_from_outside_ends_outstanding_calls() {
    let h = Arc::new(start());
    let waiting: Vec<_> = (0..3)
        .map(|_| {
            let h = h.clone();
            std::thread::spawn(move || h.plugin.greet("hang"))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let status = Command::new("kill").arg("-9").arg(h.process.pid().to_string()).status().unwrap();
    assert!(status.success());
    for w in waiting {
        let r = w.join().unwrap();
        assert!(is_disconnected(&r), "{r:?}");
    }
}

#[test]
fn a_hang_ends_at_the_deadline_and_the_plugin_is_told() {
    let h = start();
    let r = with_deadline(Duration::from_millis(500), || h.plugin.greet("hang"));
    match r {
        // At most the scope's 500 ms: its clock started a moment before the call's.
        Err(GreetError::Rpc(RpcError::Timeout { after_ms })) => assert!((250..=500).contains(&after_ms), "{after_ms}"),
        other => panic!("expected Timeout, got {other:?}"),
    }
    // The plugin's implementation saw the cancellation and stopped.
    eventually("the plugin to observe the cancellation", || h.plugin.greet("cancellations").unwrap().text == "1");
    // The connection is still good.
    assert_eq!(h.plugin.greet("after").unwrap().text, "hello after");
}

#[test]
fn the_channel_default_timeout_applies_and_a_scope_overrides_it() {
    let mut config = host_config();
    config.transport.call_timeout = Some(Duration::from_millis(300));
    let h = start_with(&[], config);
    assert!(matches!(h.plugin.greet("hang"), Err(GreetError::Rpc(RpcError::Timeout { after_ms: 300 }))));
    let r = with_deadline(Duration::from_secs(120), || h.plugin.greet("sleep:600"));
    assert_eq!(r.unwrap().text, "slept");
}

#[test]
fn a_cancel_token_ends_a_waiting_call() {
    let h = start();
    let token = CancelToken::new();
    let r = std::thread::scope(|scope| {
        // Cancels once the plugin is serving the call: a fixed sleep could cancel before the
        // call was sent on a loaded machine, and then the plugin would never see a CANCEL.
        scope.spawn(|| {
            eventually("the plugin to start the hang", || h.plugin.greet("hangs").unwrap().text == "1");
            token.cancel();
        });
        with_cancel(&token, || h.plugin.greet("hang"))
    });
    assert!(matches!(r, Err(GreetError::Rpc(RpcError::Cancelled))), "{r:?}");
    eventually("the plugin to observe the cancellation", || h.plugin.greet("cancellations").unwrap().text == "1");
    // Calls under a cancelled token fail without being sent.
    assert!(matches!(with_cancel(&token, || h.plugin.greet("x")), Err(GreetError::Rpc(RpcError::Cancelled))));
    assert_eq!(h.plugin.greet("x").unwrap().text, "hello x");
}

#[test]
fn a_deadline_on_a_nested_call_reaches_the_host_implementation() {
    // The plugin's call back to the host inherits the host caller's remaining time.
    let h = start();
    let r = with_deadline(Duration::from_millis(400), || h.plugin.greet("host-slow:5000"));
    assert!(matches!(r, Err(GreetError::Rpc(RpcError::Timeout { .. }))), "{r:?}");
    // The host's implementation saw its caller's deadline pass and stopped early (it would
    // otherwise have slept 5 s and counted nothing).
    eventually("the host implementation to give up", || h.host.gave_up.load(Ordering::SeqCst) == 1);
    assert_eq!(h.plugin.greet("x").unwrap().text, "hello x");
}

#[test]
fn garbage_on_the_channel_is_a_protocol_error_and_the_host_lives_on() {
    let h = start();
    let r = h.plugin.greet("garbage");
    assert!(matches!(r, Err(GreetError::Rpc(RpcError::Protocol { .. }))), "{r:?}");
    assert!(matches!(h.process.connection().close_reason(), Some(RpcError::Protocol { .. })));
    // The plugin sees the host hang up and exits by itself.
    eventually("the plugin to exit", || h.process.try_wait().unwrap().is_some());
    // This process is fine and can start another plugin.
    let h2 = start();
    assert_eq!(h2.plugin.greet("fresh").unwrap().text, "hello fresh");
}

#[test]
fn an_oversize_frame_is_refused_before_it_is_read() {
    let h = start();
    match h.plugin.greet("oversize") {
        Err(GreetError::Rpc(RpcError::FrameTooLarge { size, limit })) => {
            assert_eq!(size, 1 << 30);
            assert_eq!(limit, u64::from(DEFAULT_MAX_FRAME));
        }
        other => panic!("expected FrameTooLarge, got {other:?}"),
    }
    eventually("the plugin to exit", || h.process.try_wait().unwrap().is_some());
}

#[test]
fn a_request_over_the_peers_limit_is_refused_without_sending() {
    let h = start_with(&[("GREETER_PLUGIN_MAX_FRAME", "1048576")], host_config());
    let owner = Greeting::default();
    let r = h.plugin.swap_avatar(&owner, &vec![1u8; 2 << 20]);
    assert!(matches!(r, Err(RpcError::FrameTooLarge { limit: 1048576, .. })), "{r:?}");
    // Nothing was sent, so the connection is fine.
    assert!(h.plugin.swap_avatar(&owner, &vec![1u8; 512 << 10]).unwrap().is_some());
}

#[test]
fn a_reply_over_the_callers_limit_comes_back_as_an_error() {
    let mut config = host_config();
    config.transport.max_frame = 1 << 20;
    let h = start_with(&[], config);
    let r = h.plugin.fetch("big:2000000".into());
    assert!(matches!(r, Err(RpcError::FrameTooLarge { limit: 1048576, .. })), "{r:?}");
    assert_eq!(h.plugin.fetch("big:1000".into()).unwrap().0.len(), 1000);
}

#[test]
fn failed_starts_are_reported() {
    let mut config = host_config();
    config.start_timeout = Duration::from_millis(500);
    match try_start(&[("GREETER_PLUGIN_MODE", "silent")], config) {
        Err(StartError::Rpc(RpcError::Timeout { .. })) => {}
        other => panic!("expected a start timeout, got {:?}", other.err()),
    }
    match try_start(&[("GREETER_PLUGIN_MODE", "exit-early")], host_config()) {
        Err(StartError::Rpc(RpcError::Disconnected { detail })) => assert!(detail.contains("exit"), "{detail}"),
        other => panic!("expected Disconnected, got {:?}", other.err()),
    }
    let missing =
        plugin_runtime::process::PluginProcess::spawn(Command::new("/nonexistent/plugin"), host_config(), |_| {
            plugin_runtime::transport::NoService
        });
    assert!(matches!(missing, Err(StartError::Io(_))));
}

#[test]
fn a_broken_handshake_fails_the_start_with_a_reason_and_leaves_no_process() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("hello-garbage", "is not a frame"),
        ("hello-magic", "does not speak this protocol"),
        ("hello-version", "chose protocol version 99"),
        ("hello-goodbye", "refused the handshake: this plugin refuses to start"),
        ("hello-call", "expected HELLO"),
    ];
    for (mode, reason) in cases {
        let pid_file = dir.path().join(mode);
        let envs = [("GREETER_PLUGIN_MODE", mode), ("GREETER_PLUGIN_PID_FILE", pid_file.to_str().unwrap())];
        let started = std::time::Instant::now();
        match try_start(&envs, host_config()) {
            Err(StartError::Rpc(RpcError::Protocol { detail })) => {
                assert!(detail.contains(reason), "{mode}: {detail:?} should say {reason:?}")
            }
            other => panic!("{mode}: expected a protocol error, got {:?}", other.err()),
        }
        // Refused on reading the bad frame, not at the start deadline.
        assert!(started.elapsed() < START_TIMEOUT / 2, "{mode}: took {:?}", started.elapsed());
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        eventually(&format!("{mode}: the plugin process to be gone"), || {
            !std::path::Path::new(&format!("/proc/{pid}")).exists()
        });
    }
    // Half a HELLO from a plugin that stays alive is a plugin that never finishes: the start
    // deadline ends it.
    let mut config = host_config();
    config.start_timeout = Duration::from_millis(500);
    let pid_file = dir.path().join("truncated");
    let envs = [("GREETER_PLUGIN_MODE", "hello-truncated"), ("GREETER_PLUGIN_PID_FILE", pid_file.to_str().unwrap())];
    match try_start(&envs, config) {
        Err(StartError::Rpc(RpcError::Timeout { .. })) => {}
        other => panic!("hello-truncated: expected a start timeout, got {:?}", other.err()),
    }
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    eventually("the half-HELLO plugin to be gone", || !std::path::Path::new(&format!("/proc/{pid}")).exists());
}

#[test]
fn a_plugin_exits_by_itself_when_its_host_dies() {
    let mut host = Command::new(env!("CARGO_BIN_EXE_greeter_host"))
        .arg(env!("CARGO_BIN_EXE_greeter_plugin"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(host.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "hello host");
    let pid: u32 = lines.next().unwrap().unwrap().strip_prefix("plugin pid ").unwrap().parse().unwrap();
    host.kill().unwrap();
    host.wait().unwrap();
    // Orphaned, the plugin sees the end of its pipe and exits (a zombie awaiting its new parent
    // counts as exited).
    eventually("the orphaned plugin to exit", || match std::fs::read_to_string(format!("/proc/{pid}/status")) {
        Err(_) => true,
        Ok(status) => status.lines().any(|l| l.starts_with("State:") && l.contains('Z')),
    });
}
