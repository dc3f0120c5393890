//! Calls over the process transport with a real plugin process: both directions, nested
//! (re-entrant) calls, many threads at once, both sides calling each other at once, panics,
//! the handshake's method set, health checks, and a plugin run by hand.

mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use plugin_runtime::process::{HostConfig, PluginProcess, DEFAULT_COOKIE_KEY};
use plugin_runtime::transport::NoService;
use plugin_runtime::RpcError;
use pluginapi_tests::fixture::rpc::{methods, Client};
use pluginapi_tests::fixture::{GreetError, Greeter, Greeting};
use pluginapi_tests::fixture_host::support::Checksum;
use support::*;

#[test]
fn host_calls_the_plugin_and_the_plugin_calls_the_host() {
    let h = start();
    let g = h.plugin.greet("ann").unwrap();
    assert_eq!(g.text, "hello ann");
    assert_eq!(g.language.as_deref(), Some("en"));
    // While serving `greet`, the plugin calls the host's `lookup` and waits for it.
    assert_eq!(h.plugin.greet("lookup:color").unwrap().text, "host says blue");
    match h.plugin.greet("lookup:shape") {
        Err(GreetError::Refused(why)) => assert!(why.contains("shape"), "{why}"),
        other => panic!("expected the host's NotFound to come through, got {other:?}"),
    }
    assert!(h.host.calls.load(std::sync::atomic::Ordering::SeqCst) >= 2);
}

#[test]
fn reentrant_calls_nest_both_ways() {
    let h = start();
    // plugin greet -> host greet_back -> plugin greet -> ... five levels each way.
    let g = h.plugin.greet("nest:5").unwrap();
    assert_eq!(g.text, "p5(h5:p4(h4:p3(h3:p2(h2:p1(h1:bottom)))))");
}

#[test]
fn eight_threads_call_concurrently() {
    let h = Arc::new(start());
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let h = h.clone();
            std::thread::spawn(move || {
                for i in 0..300 {
                    let name = format!("t{t}-{i}");
                    assert_eq!(h.plugin.greet(&name).unwrap().text, format!("hello {name}"));
                    if i % 100 == 0 {
                        assert_eq!(h.plugin.greet("lookup:color").unwrap().text, "host says blue");
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn both_sides_call_each_other_at_once_without_deadlock() {
    let h = Arc::new(start());
    // The plugin's four threads call the host 200 times each, inside one call ...
    let plugin_side = {
        let h = h.clone();
        std::thread::spawn(move || h.plugin.greet("host-calls:200"))
    };
    // ... while four host threads call the plugin, some of them re-entering the host.
    let host_side: Vec<_> = (0..4)
        .map(|t| {
            let h = h.clone();
            std::thread::spawn(move || {
                for i in 0..200 {
                    let name = if i % 20 == 0 { "nest:2".to_owned() } else { format!("h{t}-{i}") };
                    h.plugin.greet(&name).unwrap();
                }
            })
        })
        .collect();
    for t in host_side {
        t.join().unwrap();
    }
    assert_eq!(plugin_side.join().unwrap().unwrap().text, "800");
}

#[test]
fn a_panicking_method_fails_that_call_only() {
    let h = start();
    match h.plugin.greet("panic") {
        Err(GreetError::Rpc(RpcError::Panicked { method, message })) => {
            assert_eq!(method, "greet");
            assert!(message.contains("asked to panic"), "{message}");
        }
        other => panic!("expected Panicked, got {other:?}"),
    }
    assert_eq!(h.plugin.greet("after").unwrap().text, "hello after");
}

#[test]
fn values_blobs_and_http_travel_intact() {
    let h = start();
    let template = Greeting {
        text: "x".repeat(700),
        language: Some("fr".into()),
        tags: (0..10).map(|i| (format!("k{i}"), format!("v{i}"))).collect(),
    };
    let echoed = h.plugin.greet_all(&["bo".into()], Some(template.clone()), 2).unwrap();
    assert_eq!(echoed.len(), 3);
    assert_eq!(echoed[0], template);
    assert_eq!(echoed[2].text, "hello bo");

    let image: Vec<u8> = (0..(1u32 << 20)).map(|i| (i % 251) as u8).collect();
    let summary = h.plugin.swap_avatar(&template, &image).unwrap().unwrap();
    assert_eq!(summary, Checksum::of(&image).to_bytes());

    let (bytes, sum) = h.plugin.fetch("big:3000000".into()).unwrap();
    assert_eq!(bytes.len(), 3_000_000);
    assert_eq!(sum, Checksum::of(&bytes).hash() as u32);
    assert_eq!(h.plugin.blob().unwrap(), vec![42; 1000]);
}

#[test]
fn the_handshake_carries_the_implemented_methods() {
    let h = start_with(&[("GREETER_PLUGIN_MODE", "no-farewell")], host_config());
    let peer = h.process.peer_methods();
    assert!(peer.contains(methods::GREET.id));
    assert!(!peer.contains(methods::FAREWELL.id));
    assert_eq!(h.process.connection().peer_interface(), "Greeter");
    assert_eq!(h.process.connection().peer_name(), "greeter-plugin");
    assert_eq!(h.process.connection().peer_pid(), h.process.pid());
    // The client built from the handshake fails the missing method without a round trip.
    assert!(matches!(h.plugin.farewell(), Err(RpcError::NotImplemented { .. })));
    // The default plugin implements it.
    let h = start();
    assert!(h.plugin.farewell().is_ok());
}

#[test]
fn ping_checks_health() {
    let h = start();
    for _ in 0..5 {
        h.process.ping(Duration::from_secs(60)).unwrap();
    }
}

#[test]
fn a_host_that_serves_nothing_still_calls_its_plugin() {
    let process = PluginProcess::spawn(plugin_command(&[]), host_config(), |_| NoService).unwrap();
    let plugin = Client::with_peer_methods(process.connection().clone(), process.peer_methods());
    assert_eq!(plugin.greet("solo").unwrap().text, "hello solo");
    // The plugin's call back into this host is refused as not implemented.
    match plugin.greet("lookup:color") {
        Err(GreetError::Rpc(RpcError::NotImplemented { .. })) => {}
        other => panic!("expected NotImplemented, got {other:?}"),
    }
}

#[test]
fn a_plugin_run_by_hand_says_what_it_is_and_fails() {
    let output = Command::new(env!("CARGO_BIN_EXE_greeter_plugin")).env_remove(DEFAULT_COOKIE_KEY).output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("plugin"), "{stderr}");
    assert!(output.stdout.is_empty());
    // A wrong cookie is the same as none.
    let output = Command::new(env!("CARGO_BIN_EXE_greeter_plugin")).env(DEFAULT_COOKIE_KEY, "wrong").output().unwrap();
    assert!(!output.status.success());
}

#[test]
fn shutdown_is_graceful() {
    let h = start();
    assert_eq!(h.plugin.greet("x").unwrap().text, "hello x");
    // Closing the pipes makes the plugin exit by itself, successfully.
    let status = h.process.shutdown(Duration::from_secs(60)).unwrap();
    assert!(status.success(), "{status:?}");
    assert!(matches!(h.plugin.greet("x"), Err(GreetError::Rpc(RpcError::Disconnected { .. }))));
}

#[test]
fn many_plugins_run_side_by_side() {
    let plugins: Vec<_> = (0..4)
        .map(|i| {
            let mut config = HostConfig::new(format!("side-{i}"));
            config.start_timeout = START_TIMEOUT;
            try_start(&[], config).unwrap()
        })
        .collect();
    for (i, h) in plugins.iter().enumerate() {
        assert_eq!(h.plugin.greet(&i.to_string()).unwrap().text, format!("hello {i}"));
    }
    // Killing one leaves the others working: no plugin inherited another's pipes.
    plugins[0].process.kill().unwrap();
    assert!(plugins[0].plugin.greet("x").is_err());
    for h in &plugins[1..] {
        assert_eq!(h.plugin.greet("still").unwrap().text, "hello still");
    }
}
