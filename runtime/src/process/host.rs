//! The host's side of a plugin process: start it in a process group of its own with its RPC
//! pipes, connect, watch its output and its exit, and stop it together with everything it
//! started.

use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::watch::{self, WatchKey, Watched};
use super::{output, Cookie, StartError, CHILD_READ_FD, CHILD_WRITE_FD, FDS_ENV, PLUGIN_ID_ENV};
use crate::transport::{self, Config, Connection, Role};
use crate::{Dispatch, MethodSet, RpcError};

/// The deadline [`HostConfig::new`] gives every call to a plugin that no
/// [`with_deadline`](crate::with_deadline) scope bounds: a plugin that never answers costs its
/// caller this long at most.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// What the host calls when a plugin process ends by itself (it exited, crashed, or something
/// other than the host killed it), with how it ended; see [`HostConfig::on_exit`].
#[derive(Clone)]
pub struct ExitHook(pub Arc<dyn Fn(ExitStatus) + Send + Sync>);

impl ExitHook {
    pub fn new(f: impl Fn(ExitStatus) + Send + Sync + 'static) -> Self {
        ExitHook(Arc::new(f))
    }
}

impl std::fmt::Debug for ExitHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExitHook(..)")
    }
}

/// How the host starts and stops a plugin.
///
/// Deadlines: every call to the plugin has one. [`HostConfig::new`] sets the connection's
/// default, `transport.call_timeout`, to [`DEFAULT_CALL_TIMEOUT`]; change it per plugin there
/// (`None` lets calls wait until the reply or the plugin's end). A single call or hook gets
/// its own deadline, shorter or longer than the default, with
/// [`with_deadline`](crate::with_deadline) around it: a scope replaces the connection's
/// default, so streaming hooks (uploads, HTTP bodies) that need longer than 30 seconds should be
/// called under one.
#[derive(Debug, Clone)]
pub struct HostConfig {
    /// The plugin's id: in its environment, in the handshake and as the `log` target
    /// (`plugin::<id>`) of its output.
    pub id: String,
    /// The connection's settings (frame limit, stream window, default call timeout, threads
    /// kept when idle).
    pub transport: Config,
    /// How long the plugin has to start and complete the handshake.
    pub start_timeout: Duration,
    /// How long [`PluginProcess::shutdown`] (and `Drop`) waits for the plugin to exit after
    /// closing its pipes, before killing it.
    pub shutdown_timeout: Duration,
    pub cookie: Cookie,
    /// Called once, on the host's exit-watcher thread, when the plugin process ends by itself
    /// or is killed by anyone but the host (after its calls have failed and its process group
    /// was killed); not when the host stops it ([`PluginProcess::shutdown`],
    /// [`PluginProcess::kill`], drop). A plugin environment restarts crashed plugins from it.
    /// The one watcher thread serves every plugin of this process: hand long work (such as
    /// starting the plugin again) to another thread.
    pub on_exit: Option<ExitHook>,
}

impl HostConfig {
    /// Defaults for a plugin with this id: calls time out after [`DEFAULT_CALL_TIMEOUT`], the
    /// start after 30 s, the shutdown after 5 s; no exit hook.
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into();
        HostConfig {
            transport: Config {
                name: format!("host of {id}"),
                call_timeout: Some(DEFAULT_CALL_TIMEOUT),
                ..Config::default()
            },
            id,
            start_timeout: Duration::from_secs(30),
            shutdown_timeout: Duration::from_secs(5),
            cookie: Cookie::default(),
            on_exit: None,
        }
    }
}

/// Starts `command` with two fresh pipes installed as its fds 3 (it reads the host's frames)
/// and 4 (it writes its own), and [`FDS_ENV`] naming them. Returns the child, the end to
/// read its frames from, and the end to write to it. The pipes are close-on-exec on the host
/// side, so other children never inherit them and the plugin's exit is seen as end of file.
///
/// The child leads a new process group (`process_group(0)`, i.e. `setpgid(0, 0)` before exec),
/// so the host can kill it together with everything it starts ([`kill_group`] with the child's
/// pid). A process group rather than `setsid`: it is all that killing needs, it leaves the
/// plugin in the host's session (its output and the terminal behave as before), and it needs
/// no code of ours in the forked child. It also keeps a Ctrl-C at the terminal from reaching
/// the plugin directly: the plugin exits when its host goes away and closes its pipe.
pub fn spawn_with_pipes(command: &mut Command) -> io::Result<(Child, OwnedFd, OwnedFd)> {
    let (child_read, host_write) = transport::pipe()?;
    let (host_read, child_write) = transport::pipe()?;
    transport::set_pipe_capacity(host_write.as_fd(), transport::PIPE_CAPACITY);
    transport::set_pipe_capacity(host_read.as_fd(), transport::PIPE_CAPACITY);
    let (cr, cw) = (child_read.as_raw_fd(), child_write.as_raw_fd());
    command.env(FDS_ENV, format!("{CHILD_READ_FD},{CHILD_WRITE_FD}"));
    command.process_group(0);
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

/// Sends SIGKILL to the process group `pgid` (a plugin's pid, see [`spawn_with_pipes`]): the
/// plugin and every descendant still in its group. An empty group (ESRCH) is fine.
///
/// The limit: a descendant that leaves the group (`setsid`, `setpgid`) escapes it. Containing
/// those too takes a cgroup per plugin, which is out of scope here.
pub fn kill_group(pgid: u32) {
    // Never 0 or 1: killpg(0) would signal the host's own group.
    let Ok(pgid) = libc::pid_t::try_from(pgid) else { return };
    if pgid <= 1 {
        return;
    }
    // SAFETY: killpg only sends a signal; the group is the plugin's own, never the host's.
    if unsafe { libc::killpg(pgid, libc::SIGKILL) } < 0 {
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::ESRCH) {
            log::debug!("killing the process group of plugin process {pgid}: {e}");
        }
    }
}

/// How a plugin process ended, in words, for the error its calls fail with.
fn describe_exit(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("the plugin process exited (exit status: {code})"),
        (None, Some(signal)) => {
            let core = if status.core_dumped() { ", core dumped" } else { "" };
            format!("the plugin process was killed by signal {signal}{core}")
        }
        _ => format!("the plugin process ended ({status})"),
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the [`PluginProcess`] and the exit watcher share about one plugin process.
struct Tracked {
    id: String,
    pid: u32,
    conn: Connection,
    child: Mutex<Child>,
    /// The exit status once known; locked before `child`.
    status: Mutex<Option<ExitStatus>>,
    on_exit: Option<ExitHook>,
}

impl Tracked {
    /// The exit status if the process has exited (`block`: waits for it). Every path that
    /// reaps the plugin goes through here: it kills the process group while the plugin is
    /// still an unreaped zombie, so the group's id cannot have been reused (on Linux, where
    /// the exit can be seen without reaping; elsewhere right after reaping). `exited` runs
    /// first, before the group is killed, with the status: the first time only.
    fn settle(&self, block: bool, exited: impl FnOnce(ExitStatus)) -> io::Result<Option<ExitStatus>> {
        let mut cached = lock(&self.status);
        if let Some(status) = *cached {
            return Ok(Some(status));
        }
        let mut child = lock(&self.child);
        let Some(status) = peek_exit(&mut child, self.pid, block)? else {
            return Ok(None);
        };
        exited(status);
        kill_group(self.pid);
        let _ = child.try_wait(); // reaps (the status is already known)
        *cached = Some(status);
        Ok(Some(status))
    }

    /// Kills the plugin and its group, and reaps it (the host stopping it).
    fn kill(&self) -> io::Result<ExitStatus> {
        let mut cached = lock(&self.status);
        if let Some(status) = *cached {
            return Ok(status);
        }
        let mut child = lock(&self.child);
        let _ = child.kill();
        // Before reaping: the plugin's pid (the group's id) cannot be reused until then.
        kill_group(self.pid);
        let status = child.wait()?;
        *cached = Some(status);
        Ok(status)
    }
}

impl Watched for Tracked {
    fn pid(&self) -> u32 {
        self.pid
    }

    fn has_exited(&self) -> bool {
        #[cfg(target_os = "linux")]
        // Without the child's lock (a shutdown may hold it) and without reaping; an error
        // (ECHILD: already reaped) counts as exited.
        return !matches!(peek_pid(self.pid, false), Ok(None));
        #[cfg(not(target_os = "linux"))]
        return !matches!(self.settle(false, |_| {}), Ok(None));
    }

    fn exited(&self) {
        // Close first, so the calls fail with how the plugin ended rather than with the end of
        // file that killing the group (and with it whoever still holds the pipe) brings.
        let close = |status: ExitStatus| self.conn.close_with(describe_exit(status));
        match self.settle(true, close) {
            Ok(Some(status)) => {
                // A no-op unless `try_wait` had already reaped it (then nothing closed it yet).
                close(status);
                log::debug!("plugin {} (pid {}): {}", self.id, self.pid, describe_exit(status));
                if let Some(hook) = &self.on_exit {
                    (hook.0)(status);
                }
            }
            Ok(None) => log::warn!("plugin {} (pid {}) was reported exited but has not", self.id, self.pid),
            Err(e) => {
                self.conn.close_with(format!("the plugin process exited (its status is unknown: {e})"));
                kill_group(self.pid);
                log::warn!("plugin {} (pid {}) exited; cannot get its status: {e}", self.id, self.pid);
            }
        }
    }
}

/// How process `pid` ended, without reaping it, once it has (`block`: waits for that):
/// `waitid` with `WNOWAIT`. `Err` with `ECHILD` when it was already reaped.
#[cfg(target_os = "linux")]
fn peek_pid(pid: u32, block: bool) -> io::Result<Option<ExitStatus>> {
    let flags = libc::WEXITED | libc::WNOWAIT | if block { 0 } else { libc::WNOHANG };
    // SAFETY: siginfo_t is plain data; all zeroes is a valid value (and si_pid 0 = no child).
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `info` is a valid siginfo_t for waitid to fill in.
        if unsafe { libc::waitid(libc::P_PID, pid as libc::id_t, &mut info, flags) } == 0 {
            break;
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    // SAFETY: waitid filled in the SIGCHLD fields of `info` (or left it zeroed).
    let (child, code, value) = unsafe { (info.si_pid(), info.si_code, info.si_status()) };
    if child == 0 {
        return Ok(None);
    }
    // The raw wait status that std's ExitStatus decodes.
    let raw = match code {
        libc::CLD_EXITED => (value & 0xff) << 8,
        libc::CLD_KILLED => value & 0x7f,
        libc::CLD_DUMPED => (value & 0x7f) | 0x80,
        _ => return Ok(None),
    };
    Ok(Some(ExitStatus::from_raw(raw)))
}

/// The child's exit status once it has exited (`block`: waits for that), without reaping it
/// where the system allows (Linux), or reaping it (elsewhere).
fn peek_exit(child: &mut Child, pid: u32, block: bool) -> io::Result<Option<ExitStatus>> {
    #[cfg(target_os = "linux")]
    {
        match peek_pid(pid, block) {
            // Already reaped by `Child`, which keeps the status.
            Err(e) if e.raw_os_error() == Some(libc::ECHILD) => child.try_wait(),
            other => other,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        if block {
            child.wait().map(Some)
        } else {
            child.try_wait()
        }
    }
}

/// A running plugin process and the connection to it.
///
/// The plugin runs in its own process group; whenever the host learns that the plugin process
/// ended (its own exit, a crash, [`PluginProcess::kill`], [`PluginProcess::shutdown`], drop),
/// it kills that group, so helpers the plugin started and children it forked go with it (see
/// [`kill_group`] for the limit). The host notices the plugin's exit at once, on a watcher
/// thread shared by all plugins of the process, even when a descendant keeps the RPC pipes
/// open: outstanding calls fail with [`RpcError::Disconnected`] saying how the process ended,
/// and [`HostConfig::on_exit`] is called.
///
/// Dropping it shuts the plugin down like [`PluginProcess::shutdown`] with the configured
/// `shutdown_timeout`.
pub struct PluginProcess {
    tracked: Arc<Tracked>,
    /// The exit watcher's registration, forgotten before the host stops the plugin itself.
    watch: Option<WatchKey>,
    shutdown_timeout: Duration,
}

impl std::fmt::Debug for PluginProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginProcess").field("id", &self.tracked.id).field("pid", &self.pid()).finish()
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
        let pid = child.id();
        if let Some(out) = child.stdout.take() {
            output::forward(out, &config.id, "stdout")?;
        }
        if let Some(err) = child.stderr.take() {
            output::forward(err, &config.id, "stderr")?;
        }
        let mut transport = config.transport.clone();
        if transport.name.is_empty() {
            transport.name = format!("host of {}", config.id);
        }
        match Connection::establish(read, write, Role::Host, transport, config.start_timeout, factory) {
            Ok(conn) => {
                log::debug!("plugin {} started (pid {pid})", config.id);
                let tracked = Arc::new(Tracked {
                    id: config.id,
                    pid,
                    conn,
                    child: Mutex::new(child),
                    status: Mutex::new(None),
                    on_exit: config.on_exit,
                });
                // Nobody has waited for the child yet, so its pid still names it.
                let watch = watch::watch(tracked.clone());
                Ok(PluginProcess { tracked, watch, shutdown_timeout: config.shutdown_timeout })
            }
            Err(e) => {
                // Say how it ended if it already exited (the usual reason for a failed start).
                let exited = wait_unreaped(&mut child, pid, Duration::from_millis(200)).ok().flatten();
                let _ = child.kill();
                kill_group(pid);
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
        &self.tracked.conn
    }

    /// The methods the plugin implements, from its handshake.
    pub fn peer_methods(&self) -> MethodSet {
        self.tracked.conn.peer_methods()
    }

    /// The id from the [`HostConfig`].
    pub fn id(&self) -> &str {
        &self.tracked.id
    }

    /// The plugin's process id (also the id of its process group).
    pub fn pid(&self) -> u32 {
        self.tracked.pid
    }

    /// Health check: a PING/PONG round trip over the connection.
    pub fn ping(&self, timeout: Duration) -> Result<Duration, RpcError> {
        self.tracked.conn.ping(timeout)
    }

    /// The exit status, if the plugin has exited (its process group is killed then).
    pub fn try_wait(&self) -> io::Result<Option<ExitStatus>> {
        self.tracked.settle(false, |_| {})
    }

    /// Kills the plugin and its process group at once (SIGKILL) and reaps it.
    /// [`HostConfig::on_exit`] is not called.
    pub fn kill(&self) -> io::Result<ExitStatus> {
        self.forget();
        self.tracked.conn.close();
        self.tracked.kill()
    }

    /// Graceful stop: closes the connection (the plugin sees the end of its pipe and exits),
    /// waits up to `grace` for it to exit, then kills it; either way its process group is
    /// killed. [`HostConfig::on_exit`] is not called.
    pub fn shutdown(&self, grace: Duration) -> io::Result<ExitStatus> {
        self.forget();
        self.tracked.conn.close();
        let deadline = Instant::now() + grace;
        let mut nap = Duration::from_millis(1);
        loop {
            // Locks per check, so the exit watcher is not held up meanwhile.
            if let Some(status) = self.tracked.settle(false, |_| {})? {
                return Ok(status);
            }
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            std::thread::sleep(nap.min(deadline - now));
            nap = (nap * 2).min(Duration::from_millis(50));
        }
        log::warn!("plugin {} did not exit within {grace:?} of shutdown; killing it", self.tracked.id);
        self.tracked.kill()
    }

    /// Tells the exit watcher that the host is stopping the plugin itself.
    fn forget(&self) {
        if let Some(key) = self.watch {
            watch::forget(key);
        }
    }
}

impl Drop for PluginProcess {
    fn drop(&mut self) {
        if let Err(e) = self.shutdown(self.shutdown_timeout) {
            log::warn!("stopping plugin {}: {e}", self.tracked.id);
        }
    }
}

/// Waits up to `timeout` for the child to exit, without reaping it where the system allows.
fn wait_unreaped(child: &mut Child, pid: u32, timeout: Duration) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    let mut nap = Duration::from_millis(1);
    loop {
        if let Some(status) = peek_exit(child, pid, false)? {
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
