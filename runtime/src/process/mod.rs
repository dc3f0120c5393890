//! Plugin processes: the host starts a plugin executable with two dedicated pipes (fds 3 and 4
//! in the child), checks it with a magic cookie and the handshake, forwards the plugin's
//! stdout and stderr to the `log` crate, and shuts it down; the plugin side finds its pipes,
//! refuses to run when not started by a host, and exits when the host goes away.
//!
//! - `host`: [`PluginProcess`] and [`HostConfig`]; each plugin runs in a process group of its
//!   own, killed with it.
//! - `watch`: the one thread per host process that notices plugin processes exiting.
//! - [`plugin`]: the plugin's side ([`plugin::run`], [`plugin::connect`]).
//! - `output`: line-by-line forwarding of every plugin's stdout and stderr, on one thread per
//!   host process (Linux; a thread per stream elsewhere).

mod host;
mod output;
pub mod plugin;
mod watch;

pub use host::{kill_group, spawn_with_pipes, ExitHook, HostConfig, PluginProcess, DEFAULT_CALL_TIMEOUT};

use crate::RpcError;
use std::fmt;

/// The environment variable the host sets to [`DEFAULT_COOKIE_VALUE`] (or its configured
/// cookie) so a plugin knows it was started by a host and not by hand.
pub const DEFAULT_COOKIE_KEY: &str = "PLUGIN_RUNTIME_MAGIC_COOKIE";

/// The cookie's value. It is no secret: it only tells "started by a host" from "run by hand".
pub const DEFAULT_COOKIE_VALUE: &str = "7c1d9e0a-plugin-runtime-rpc";

/// The environment variable naming the child's RPC descriptors: `"<read fd>,<write fd>"`.
pub const FDS_ENV: &str = "PLUGIN_RUNTIME_RPC_FDS";

/// The environment variable with the id the host gave the plugin (for its logs).
pub const PLUGIN_ID_ENV: &str = "PLUGIN_RUNTIME_PLUGIN_ID";

/// The descriptor the child reads the host's frames from.
pub const CHILD_READ_FD: i32 = 3;

/// The descriptor the child writes its frames to.
pub const CHILD_WRITE_FD: i32 = 4;

/// The magic cookie: an environment variable and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie {
    pub key: String,
    pub value: String,
}

impl Default for Cookie {
    fn default() -> Self {
        Cookie { key: DEFAULT_COOKIE_KEY.to_owned(), value: DEFAULT_COOKIE_VALUE.to_owned() }
    }
}

/// Why a plugin could not be started or connected.
#[derive(Debug)]
pub enum StartError {
    /// The executable could not be started, or the pipes set up.
    Io(std::io::Error),
    /// The plugin was run without the host's cookie (by hand).
    NotLaunchedByHost,
    /// The handshake failed: timeout, exit during start-up, protocol mismatch.
    Rpc(RpcError),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Io(e) => write!(f, "cannot start the plugin: {e}"),
            StartError::NotLaunchedByHost => f.write_str("not started by a plugin host (the magic cookie is missing)"),
            StartError::Rpc(e) => write!(f, "the plugin did not connect: {e}"),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Io(e) => Some(e),
            StartError::Rpc(e) => Some(e),
            StartError::NotLaunchedByHost => None,
        }
    }
}

impl From<std::io::Error> for StartError {
    fn from(e: std::io::Error) -> Self {
        StartError::Io(e)
    }
}

impl From<RpcError> for StartError {
    fn from(e: RpcError) -> Self {
        StartError::Rpc(e)
    }
}
