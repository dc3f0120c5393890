//! Running a plugin the way the server does (upstream's supervisor): start the process, tell
//! it its configuration, activate it, and on the way out deactivate it under a timeout before
//! closing and, if it lingers, killing it.

use crate::api::{self, Api};
use crate::hooks::{self, Hooks};
use crate::model::PluginError;
use plugin_runtime::process::{HostConfig, PluginProcess, StartError};
use plugin_runtime::{with_deadline, Connection, RpcError};
use std::process::{Command, ExitStatus};
use std::time::Duration;

/// Why a plugin could not be brought up.
#[derive(Debug)]
pub enum ActivationError {
    /// The process did not start or did not complete the handshake.
    Start(StartError),
    /// `on_activate` returned an error (or the call failed); the plugin was stopped.
    Activate(PluginError),
}

impl std::fmt::Display for ActivationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ActivationError::Start(e) => write!(f, "the plugin did not start: {e}"),
            ActivationError::Activate(e) => write!(f, "the plugin refused to activate: {e}"),
        }
    }
}

impl std::error::Error for ActivationError {}

/// An active plugin process.
pub struct ActivePlugin {
    process: PluginProcess,
    hooks: hooks::rpc::Client<Connection>,
}

impl ActivePlugin {
    /// Starts `command` as plugin `config.id`, serving its API calls with `api`, then calls
    /// `on_configuration_change` (an error is logged, as upstream: the plugin must cope) and
    /// `on_activate` (an error stops the plugin). Hooks the plugin does not implement are
    /// skipped without a round trip.
    pub fn start(command: Command, mut config: HostConfig, api: impl Api + 'static) -> Result<Self, ActivationError> {
        config.transport.peer_interface = Some(hooks::rpc::INTERFACE.name.to_owned());
        let process = PluginProcess::spawn(command, config, move |_| api::rpc::Dispatcher::new(api))
            .map_err(ActivationError::Start)?;
        let hooks = hooks::rpc::Client::with_peer_methods(process.connection().clone(), process.peer_methods());
        let plugin = ActivePlugin { process, hooks };
        match plugin.hooks.on_configuration_change() {
            Err(PluginError::Rpc(e)) if e.is_not_implemented() => {}
            Err(e) => log::warn!("plugin {}: on_configuration_change failed: {e}", plugin.process.id()),
            Ok(()) => {}
        }
        match plugin.hooks.on_activate() {
            Ok(()) => Ok(plugin),
            Err(PluginError::Rpc(e)) if e.is_not_implemented() => Ok(plugin),
            Err(e) => {
                let _ = plugin.process.shutdown(Duration::from_secs(5));
                Err(ActivationError::Activate(e))
            }
        }
    }

    /// The plugin's hooks.
    pub fn hooks(&self) -> &hooks::rpc::Client<Connection> {
        &self.hooks
    }

    /// The plugin process (id, pid, ping, ...).
    pub fn process(&self) -> &PluginProcess {
        &self.process
    }

    /// Calls `on_deactivate` (at most `timeout`), then closes the connection and waits up to
    /// `timeout` for the process to exit before killing it.
    pub fn stop(self, timeout: Duration) -> std::io::Result<ExitStatus> {
        match with_deadline(timeout, || self.hooks.on_deactivate()) {
            Ok(()) => {}
            Err(PluginError::Rpc(e)) if e.is_not_implemented() => {}
            Err(PluginError::Rpc(e @ RpcError::Timeout { .. })) => {
                log::warn!("plugin {}: on_deactivate did not finish in time: {e}", self.process.id())
            }
            Err(e) => log::warn!("plugin {}: on_deactivate failed: {e}", self.process.id()),
        }
        self.process.shutdown(timeout)
    }
}
