//! What the process-transport integration tests share: the host's `HostApi` implementation,
//! and starting the `greeter_plugin` executable with a connected `Greeter` client.

#![allow(dead_code)] // each test file uses its own part of this module

use std::io::Read;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use plugin_runtime::process::{HostConfig, PluginProcess, StartError};
use plugin_runtime::{ByteStream, Connection, RpcError};
use pluginapi_tests::fixture::rpc::Client;
use pluginapi_tests::fixture::{GreetError, Greeter};
use pluginapi_tests::fixture_host::rpc::Dispatcher;
use pluginapi_tests::fixture_host::{HostApi, HostError};

/// The generated `Greeter` client over the process transport.
pub type Plugin = Client<Connection>;

/// Generous: the machines running these tests are shared and slow at times.
pub const START_TIMEOUT: Duration = Duration::from_secs(120);

/// The host side the test plugin calls back into.
#[derive(Default)]
pub struct TestHost {
    /// The client to the plugin, for `greet_back` (set once the plugin has started).
    pub plugin: OnceLock<Plugin>,
    pub calls: AtomicU64,
    /// `slow_echo` calls that stopped early because their caller gave up (its deadline passed
    /// or it cancelled): proof that the caller's deadline reached this implementation.
    pub gave_up: AtomicU64,
}

impl HostApi for TestHost {
    fn lookup(&self, key: &str) -> Result<String, HostError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        match key {
            "color" => Ok("blue".to_owned()),
            other => Err(HostError::NotFound(other.to_owned())),
        }
    }

    fn greet_back(&self, name: &str, depth: u32) -> Result<String, HostError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let plugin = self.plugin.get().ok_or_else(|| HostError::NotFound("plugin".into()))?;
        match plugin.greet(name) {
            Ok(g) => Ok(format!("h{depth}:{}", g.text)),
            Err(GreetError::Rpc(e)) => Err(HostError::Rpc(e)),
            Err(GreetError::Refused(why)) => Err(HostError::NotFound(why)),
        }
    }

    fn slow_echo(&self, text: &str, millis: u64) -> Result<String, RpcError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let start = std::time::Instant::now();
        while start.elapsed() < Duration::from_millis(millis) {
            if plugin_runtime::is_cancelled() {
                self.gave_up.fetch_add(1, Ordering::SeqCst);
                return Err(RpcError::Cancelled);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok(text.to_owned())
    }

    fn upload(&self, _name: &str, mut data: ByteStream) -> Result<u64, HostError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            match data.read(&mut buf) {
                Ok(0) => return Ok(total),
                Ok(n) => total += n as u64,
                Err(e) => return Err(HostError::NotFound(format!("upload broke: {e}"))),
            }
        }
    }
}

/// A started test plugin.
pub struct Harness {
    pub process: PluginProcess,
    pub plugin: Plugin,
    pub host: Arc<TestHost>,
}

/// The test plugin's command, with extra environment.
pub fn plugin_command(envs: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_greeter_plugin"));
    command.envs(envs.iter().copied());
    command
}

/// A host configuration with test-friendly timeouts.
pub fn host_config() -> HostConfig {
    let mut config = HostConfig::new("greeter-test");
    config.start_timeout = START_TIMEOUT;
    config.shutdown_timeout = Duration::from_secs(30);
    config
}

pub fn try_start(envs: &[(&str, &str)], config: HostConfig) -> Result<Harness, StartError> {
    let host = Arc::new(TestHost::default());
    let served = host.clone();
    let process = PluginProcess::spawn(plugin_command(envs), config, move |_| Dispatcher::new(served))?;
    let plugin = Client::with_peer_methods(process.connection().clone(), process.peer_methods());
    let _ = host.plugin.set(Client::with_peer_methods(process.connection().clone(), process.peer_methods()));
    Ok(Harness { process, plugin, host })
}

/// Starts the test plugin with extra environment.
pub fn start_with(envs: &[(&str, &str)], config: HostConfig) -> Harness {
    try_start(envs, config).unwrap_or_else(|e| panic!("the test plugin did not start: {e}"))
}

/// Starts the test plugin.
pub fn start() -> Harness {
    start_with(&[], host_config())
}

impl Drop for Harness {
    fn drop(&mut self) {
        // Break the host -> client -> connection -> dispatcher -> host cycle.
        self.process.connection().close();
    }
}

/// Polls `f` until it returns true or a generous time passes.
pub fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !f() {
        assert!(start.elapsed() < Duration::from_secs(120), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}
