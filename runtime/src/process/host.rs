//! The host's side of a plugin process: start it with its RPC pipes, connect, watch its
//! output, and stop it.

use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{output, Cookie, StartError, CHILD_READ_FD, CHILD_WRITE_FD, FDS_ENV, PLUGIN_ID_ENV};
use crate::transport::{self, Config, Connection, Role};
use crate::{Dispatch, MethodSet, RpcError};

/// How the host starts and stops a plugin.
#[derive(Debug, Clone)]
pub struct HostConfig {
    /// The plugin's id: in its environment, in the handshake and as the `log` target
    /// (`plugin::<id>`) of its output.
    pub id: String,
    /// The connection's settings (frame limit, stream window, default call timeout).
    pub transport: Config,
    /// How long the plugin has to start and complete the handshake.
    pub start_timeout: Duration,
    /// How long [`PluginProcess::shutdown`] (and `Drop`) waits for the plugin to exit after
    /// closing its pipes, before killing it.
    pub shutdown_timeout: Duration,
    pub cookie: Cookie,
}

impl HostConfig {
    /// Defaults for a plugin with this id.
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into();
        HostConfig {
            transport: Config { name: format!("host of {id}"), ..Config::default() },
            id,
            start_timeout: Duration::from_secs(30),
            shutdown_timeout: Duration::from_secs(5),
            cookie: Cookie::default(),
        }
    }
}

/// Starts `command` with two fresh pipes installed as its fds 3 (it reads the host's frames)
/// and 4 (it writes its own), and [`FDS_ENV`] naming them. Returns the child, the end to
/// read its frames from, and the end to write to it. The pipes are close-on-exec on the host
/// side, so other children never inherit them and the plugin's exit is seen as end of file.
pub fn spawn_with_pipes(command: &mut Command) -> io::Result<(Child, OwnedFd, OwnedFd)> {
    let (child_read, host_write) = transport::pipe()?;
    let (host_read, child_write) = transport::pipe()?;
    transport::set_pipe_capacity(host_write.as_fd(), transport::PIPE_CAPACITY);
    transport::set_pipe_capacity(host_read.as_fd(), transport::PIPE_CAPACITY);
    let (cr, cw) = (child_read.as_raw_fd(), child_write.as_raw_fd());
    command.env(FDS_ENV, format!("{CHILD_READ_FD},{CHILD_WRITE_FD}"));
    // SAFETY: the closure runs in the forked child before exec and only makes
    // async-signal-safe calls (fcntl, dup2) on descriptors that are open in the child.
    unsafe {
        command.pre_exec(move || {
            // Move both ends above 4 first, so installing one cannot clobber the other.
            let r = libc::fcntl(cr, libc::F_DUPFD_CLOEXEC, 10);
            let w = libc::fcntl(cw, libc::F_DUPFD_CLOEXEC, 10);
            if r < 0 || w < 0 {
                return Err(io::Error::last_os_error());
            }
            // dup2 clears close-on-exec on the copy: fds 3 and 4 survive exec, nothing else.
            if libc::dup2(r, CHILD_READ_FD) < 0 || libc::dup2(w, CHILD_WRITE_FD) < 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = command.spawn()?;
    drop((child_read, child_write));
    Ok((child, host_read, host_write))
}

/// A running plugin process and the connection to it.
///
/// Dropping it shuts the plugin down like [`PluginProcess::shutdown`] with the configured
/// `shutdown_timeout`.
pub struct PluginProcess {
    id: String,
    conn: Connection,
    child: Mutex<Child>,
    status: Mutex<Option<ExitStatus>>,
    shutdown_timeout: Duration,
}

impl std::fmt::Debug for PluginProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginProcess").field("id", &self.id).field("pid", &self.pid()).finish()
    }
}

impl PluginProcess {
    /// Starts the plugin executable `command`, connects to it, and serves its calls with the
    /// dispatcher `factory` builds (the factory gets the connection, for implementations that
    /// call the plugin back). Stdin is null; stdout and stderr are forwarded to `log`.
    pub fn spawn<D, F>(mut command: Command, config: HostConfig, factory: F) -> Result<PluginProcess, StartError>
    where
        D: Dispatch + 'static,
        F: FnOnce(Connection) -> D,
    {
        command
            .env(&config.cookie.key, &config.cookie.value)
            .env(PLUGIN_ID_ENV, &config.id)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let (mut child, read, write) = spawn_with_pipes(&mut command)?;
        if let Some(out) = child.stdout.take() {
            output::forward(out, config.id.clone(), "stdout")?;
        }
        if let Some(err) = child.stderr.take() {
            output::forward(err, config.id.clone(), "stderr")?;
        }
        let mut transport = config.transport.clone();
        if transport.name.is_empty() {
            transport.name = format!("host of {}", config.id);
        }
        match Connection::establish(read, write, Role::Host, transport, config.start_timeout, factory) {
            Ok(conn) => {
                log::debug!("plugin {} started (pid {})", config.id, child.id());
                Ok(PluginProcess {
                    id: config.id,
                    conn,
                    child: Mutex::new(child),
                    status: Mutex::new(None),
                    shutdown_timeout: config.shutdown_timeout,
                })
            }
            Err(e) => {
                // Say how it ended if it already exited (the usual reason for a failed start).
                let exited = wait_timeout(&mut child, Duration::from_millis(200)).ok().flatten();
                let _ = child.kill();
                let _ = child.wait();
                Err(StartError::Rpc(match (e, exited) {
                    (RpcError::Disconnected { detail }, Some(status)) => {
                        RpcError::Disconnected { detail: format!("{detail}; the plugin exited with {status}") }
                    }
                    (e, _) => e,
                }))
            }
        }
    }

    /// The connection to the plugin: build the plugin interface's generated client on it, e.g.
    /// `rpc::Client::with_peer_methods(p.connection().clone(), p.peer_methods())`.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The methods the plugin implements, from its handshake.
    pub fn peer_methods(&self) -> MethodSet {
        self.conn.peer_methods()
    }

    /// The id from the [`HostConfig`].
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The plugin's process id.
    pub fn pid(&self) -> u32 {
        self.child.lock().map(|c| c.id()).unwrap_or(0)
    }

    /// Health check: a PING/PONG round trip over the connection.
    pub fn ping(&self, timeout: Duration) -> Result<Duration, RpcError> {
        self.conn.ping(timeout)
    }

    /// The exit status, if the plugin has exited.
    pub fn try_wait(&self) -> io::Result<Option<ExitStatus>> {
        let mut status = self.status.lock().unwrap_or_else(|e| e.into_inner());
        if status.is_none() {
            *status = self.child.lock().unwrap_or_else(|e| e.into_inner()).try_wait()?;
        }
        Ok(*status)
    }

    /// Kills the plugin at once (SIGKILL) and reaps it.
    pub fn kill(&self) -> io::Result<ExitStatus> {
        self.conn.close();
        let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
        let _ = child.kill();
        let status = child.wait()?;
        *self.status.lock().unwrap_or_else(|e| e.into_inner()) = Some(status);
        Ok(status)
    }

    /// Graceful stop: closes the connection (the plugin sees the end of its pipe and exits),
    /// waits up to `grace` for it to exit, then kills it.
    pub fn shutdown(&self, grace: Duration) -> io::Result<ExitStatus> {
        if let Some(status) = self.try_wait()? {
            self.conn.close();
            return Ok(status);
        }
        self.conn.close();
        let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
        let status = match wait_timeout(&mut child, grace)? {
            Some(status) => status,
            None => {
                log::warn!("plugin {} did not exit within {grace:?} of shutdown; killing it", self.id);
                let _ = child.kill();
                child.wait()?
            }
        };
        *self.status.lock().unwrap_or_else(|e| e.into_inner()) = Some(status);
        Ok(status)
    }
}

impl Drop for PluginProcess {
    fn drop(&mut self) {
        if let Err(e) = self.shutdown(self.shutdown_timeout) {
            log::warn!("stopping plugin {}: {e}", self.id);
        }
    }
}

/// Waits for the child up to `timeout`.
fn wait_timeout(child: &mut Child, timeout: Duration) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    let mut nap = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(None);
        }
        std::thread::sleep(nap.min(deadline - now));
        nap = (nap * 2).min(Duration::from_millis(50));
    }
}
