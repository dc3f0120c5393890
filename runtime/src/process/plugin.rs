//! The plugin's side: check that a host started us (the magic cookie), take the RPC pipes the
//! host installed, connect, serve, and exit when the host goes away.
//!
//! ```ignore
//! fn main() {
//!     let config = PluginConfig::new("greeter", "a plugin that greets people");
//!     plugin_runtime::process::plugin::run(config, |host| {
//!         let api = host_api::rpc::Client::with_peer_methods(host.clone(), host.peer_methods());
//!         greeter::rpc::Dispatcher::new(MyGreeter { api })
//!     })
//! }
//! ```

use std::io;
use std::os::fd::{AsFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::{Cookie, StartError, FDS_ENV};
use crate::transport::{self, Config, Connection, Role};
use crate::{Dispatch, RpcError};

/// How a plugin connects to its host.
#[derive(Debug, Clone)]
pub struct PluginConfig {
    /// The plugin's name (in the handshake and in the message printed when run by hand).
    pub name: String,
    /// One line saying what the plugin is, printed when it is run by hand.
    pub description: String,
    pub transport: Config,
    /// How long the host has to send its handshake.
    pub start_timeout: Duration,
    pub cookie: Cookie,
}

impl PluginConfig {
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Self {
        let name = name.into();
        PluginConfig {
            transport: Config { name: name.clone(), ..Config::default() },
            name,
            description: description.into(),
            start_timeout: Duration::from_secs(30),
            cookie: Cookie::default(),
        }
    }
}

/// Whether the host's cookie is in the environment.
pub fn launched_by_host(cookie: &Cookie) -> bool {
    std::env::var_os(&cookie.key).is_some_and(|v| v == cookie.value.as_str())
}

/// Whether [`inherited_fds`] has taken the descriptors (they are this process's to take once).
static FDS_TAKEN: AtomicBool = AtomicBool::new(false);

/// Takes the RPC descriptors the host installed (named by [`FDS_ENV`]) as `(read, write)`,
/// close-on-exec so the plugin's own children do not inherit them (or the host would not see
/// the plugin's death), and removes [`FDS_ENV`] from the environment, so a child the plugin
/// starts (another program built on this runtime, say) does not adopt whatever its fds 3 and 4
/// happen to be. It can be called once per process: a second call is an error (it would own,
/// and close, the same descriptors twice).
pub fn inherited_fds() -> io::Result<(OwnedFd, OwnedFd)> {
    if FDS_TAKEN.load(Ordering::SeqCst) {
        return Err(already_taken());
    }
    let spec = std::env::var(FDS_ENV).map_err(|_| io::Error::other(format!("{FDS_ENV} is not set")))?;
    let parse = |s: &str| s.trim().parse::<i32>().ok().filter(|fd| *fd > 2 && transport::is_open(*fd));
    let (read, write) = match spec.split_once(',') {
        Some((r, w)) => (parse(r), parse(w)),
        None => (None, None),
    };
    let (Some(read), Some(write)) = (read, write) else {
        return Err(io::Error::other(format!("{FDS_ENV}={spec:?} does not name two open descriptors")));
    };
    if read == write {
        return Err(io::Error::other(format!("{FDS_ENV}={spec:?} names one descriptor twice")));
    }
    // Two threads calling at once: only one takes them.
    if FDS_TAKEN.swap(true, Ordering::SeqCst) {
        return Err(already_taken());
    }
    // Thread safety: changing the environment races with other threads reading it (through
    // libc's getenv). This runs as the plugin starts, from `connect`/`run` at the top of
    // `main`, before the plugin starts threads of its own.
    std::env::remove_var(FDS_ENV);
    // SAFETY: both descriptors are open, distinct, and were installed by the host for us; the
    // flag above makes sure they are taken once.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(read), OwnedFd::from_raw_fd(write)) };
    transport::set_cloexec(read.as_fd())?;
    transport::set_cloexec(write.as_fd())?;
    Ok((read, write))
}

fn already_taken() -> io::Error {
    io::Error::other(format!(
        "the RPC descriptors named by {FDS_ENV} were already taken: inherited_fds can be called once per process"
    ))
}

/// Connects to the host and starts serving its calls with the dispatcher `factory` builds
/// (from the connection, on which the plugin calls the host). Fails with
/// [`StartError::NotLaunchedByHost`] when the cookie is missing.
pub fn connect<D, F>(config: PluginConfig, factory: F) -> Result<Connection, StartError>
where
    D: Dispatch + 'static,
    F: FnOnce(Connection) -> D,
{
    if !launched_by_host(&config.cookie) {
        return Err(StartError::NotLaunchedByHost);
    }
    let (read, write) = inherited_fds()?;
    Ok(Connection::establish(read, write, Role::Plugin, config.transport, config.start_timeout, factory)?)
}

/// A plugin's whole `main`: connects like [`connect`], serves until the host closes the
/// connection or goes away, then exits the process (0 when the host simply went away, 2 when
/// the connection broke). Run by hand, it prints one line saying what it is and exits with 1.
pub fn run<D, F>(config: PluginConfig, factory: F) -> !
where
    D: Dispatch + 'static,
    F: FnOnce(Connection) -> D,
{
    let name = config.name.clone();
    let description = config.description.clone();
    match connect(config, factory) {
        Ok(conn) => {
            let code = match conn.wait_closed(None) {
                None | Some(RpcError::Disconnected { .. }) => 0,
                Some(e) => {
                    eprintln!("{name}: the connection to the host broke: {e}");
                    2
                }
            };
            std::process::exit(code)
        }
        Err(StartError::NotLaunchedByHost) => {
            eprintln!("{name}: {description}; this is a plugin, started by its host, not a program to run by hand");
            std::process::exit(1)
        }
        Err(e) => {
            eprintln!("{name}: {e}");
            std::process::exit(1)
        }
    }
}
