//! Test harnesses that put a generated mock on one side of a real connection (feature `mocks`):
//! [`PluginUnderTest`] runs a real plugin executable against a host whose API is a
//! [`MockApi`], and [`MockPlugin`] stands a [`MockHooks`] in for a plugin in a host's tests.
//! The counterpart of go-plugin's reattach and upstream's example_reattach_test, with no
//! wiring to write: start, call, [`finish`](PluginUnderTest::finish).
//!
//! An unexpected call (one the mock has no expectation for) fails the calling side with an
//! error, and `finish` fails the test with the method and its arguments; an expectation that
//! was not met fails `finish` too.

use crate::api::mock::MockApi;
use crate::api::{self, Api};
use crate::hooks;
use crate::hooks::mock::MockHooks;
use plugin_runtime::process::{HostConfig, PluginProcess, StartError};
use plugin_runtime::transport::{connect_pair, Config};
use plugin_runtime::{Connection, Dispatch, InterfaceInfo, MethodSet, Request, Response, RpcError};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Serves like `inner` and remembers every call the implementation panicked on (a mock's
/// "no matching expectation"), so the test thread can report it.
struct Watched<D> {
    inner: D,
    failures: Arc<Mutex<Vec<String>>>,
}

impl<D: Dispatch> Dispatch for Watched<D> {
    fn interface(&self) -> &'static InterfaceInfo {
        self.inner.interface()
    }

    fn implemented(&self) -> MethodSet {
        self.inner.implemented()
    }

    fn dispatch(&self, request: Request) -> Result<Response, RpcError> {
        let result = plugin_runtime::dispatch_catching(&self.inner, request);
        if let Err(RpcError::Panicked { method, message }) = &result {
            self.failures.lock().unwrap_or_else(|e| e.into_inner()).push(format!("`{method}`: {message}"));
        }
        result
    }
}

/// Reports what went wrong on the mock's side: unexpected calls first, then unmet
/// expectations (the mock's `checkpoint`).
fn verify<M>(what: &str, failures: &Mutex<Vec<String>>, mock: Arc<M>, checkpoint: impl FnOnce(&mut M)) {
    let failures = std::mem::take(&mut *failures.lock().unwrap_or_else(|e| e.into_inner()));
    if !failures.is_empty() {
        panic!("{what} received {} unexpected call(s):\n  {}", failures.len(), failures.join("\n  "));
    }
    // The connection's serving threads let go of the dispatcher (and the mock in it) shortly
    // after it closes; give them a moment.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut mock = mock;
    loop {
        match Arc::try_unwrap(mock) {
            Ok(mut owned) => return checkpoint(&mut owned),
            Err(shared) if std::time::Instant::now() < deadline => {
                mock = shared;
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(_) => panic!("{what} is still in use by a connection that did not close"),
        }
    }
}

/// A real plugin process whose host API is a [`MockApi`].
pub struct PluginUnderTest {
    process: Option<PluginProcess>,
    hooks: hooks::rpc::Client<Connection>,
    api: Option<Arc<MockApi>>,
    failures: Arc<Mutex<Vec<String>>>,
}

impl PluginUnderTest {
    /// Starts the plugin `executable`, serving its API calls with `api`.
    pub fn start(executable: impl AsRef<Path>, api: MockApi) -> Result<Self, StartError> {
        let api = Arc::new(api);
        let failures = Arc::new(Mutex::new(Vec::new()));
        let (served, watched) = (Arc::clone(&api), Arc::clone(&failures));
        let id = executable.as_ref().file_stem().map_or("plugin".into(), |s| s.to_string_lossy().into_owned());
        let mut config = HostConfig::new(id);
        config.transport.peer_interface = Some(hooks::rpc::INTERFACE.name.to_owned());
        let process = PluginProcess::spawn(std::process::Command::new(executable.as_ref()), config, move |_| {
            Watched { inner: api::rpc::Dispatcher::new(served), failures: watched }
        })?;
        let hooks = hooks::rpc::Client::with_peer_methods(process.connection().clone(), process.peer_methods());
        Ok(PluginUnderTest { process: Some(process), hooks, api: Some(api), failures })
    }

    /// The plugin's hooks, to drive it (hooks it does not implement fail at once with
    /// `RpcError::NotImplemented`).
    pub fn hooks(&self) -> &hooks::rpc::Client<Connection> {
        &self.hooks
    }

    /// Stops the plugin and fails the test if the plugin made an API call the mock did not
    /// expect, or left an expectation unmet.
    pub fn finish(mut self) {
        self.finish_inner();
    }

    fn finish_inner(&mut self) {
        if let Some(process) = self.process.take() {
            let _ = process.shutdown(Duration::from_secs(5));
            process.connection().wait_closed(Some(Duration::from_secs(5)));
        }
        if let Some(api) = self.api.take() {
            verify("the mock API", &self.failures, api, |m| m.checkpoint());
        }
    }
}

impl Drop for PluginUnderTest {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.finish_inner();
        }
    }
}

/// A [`MockHooks`] standing in for a plugin, over a real connection (two pipes in this
/// process), in front of the host's own [`Api`] implementation.
pub struct MockPlugin {
    host: Option<Connection>,
    plugin: Option<Connection>,
    hooks: hooks::rpc::Client<Connection>,
    mock: Option<Arc<MockHooks>>,
    failures: Arc<Mutex<Vec<String>>>,
}

impl MockPlugin {
    /// Connects `hooks` as the plugin to a host serving `host_api`. The plugin declares
    /// every hook implemented; use `expect_*` on the mock for the ones the test drives.
    pub fn start(hooks: MockHooks, host_api: impl Api + 'static) -> Result<Self, RpcError> {
        let mock = Arc::new(hooks);
        let failures = Arc::new(Mutex::new(Vec::new()));
        let (served, watched) = (Arc::clone(&mock), Arc::clone(&failures));
        let (host, plugin) = connect_pair(
            Config { name: "host".into(), ..Config::default() },
            move |_| api::rpc::Dispatcher::new(host_api),
            Config { name: "mock plugin".into(), ..Config::default() },
            move |_| Watched { inner: hooks::rpc::Dispatcher::new(served), failures: watched },
        )?;
        let hooks = hooks::rpc::Client::with_peer_methods(host.clone(), host.peer_methods());
        Ok(MockPlugin { host: Some(host), plugin: Some(plugin), hooks, mock: Some(mock), failures })
    }

    /// The hooks client the host under test calls.
    pub fn hooks(&self) -> &hooks::rpc::Client<Connection> {
        &self.hooks
    }

    /// Closes the connection and fails the test on unexpected hook calls or unmet
    /// expectations.
    pub fn finish(mut self) {
        self.finish_inner();
    }

    fn finish_inner(&mut self) {
        for conn in [self.host.take(), self.plugin.take()].into_iter().flatten() {
            conn.close();
            conn.wait_closed(Some(Duration::from_secs(5)));
        }
        if let Some(mock) = self.mock.take() {
            verify("the mock hooks", &self.failures, mock, |m| m.checkpoint());
        }
    }
}

impl Drop for MockPlugin {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.finish_inner();
        }
    }
}
