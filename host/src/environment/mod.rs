//! The plugin environment: the installed plugins of a plugins directory, which are enabled
//! (kept in the settings across restarts), their processes and states, health checks and
//! restarts, hooks run across all of them, and the web-app bundles of the running plugins
//! ([`webapp`]). Upstream: `plugin/environment.go`, `health_check.go`, `supervisor.go`.
//!
//! Concurrency: one mutex guards the table of plugins and is never held across a call to a
//! plugin or a process start or stop. A plugin's `generation` changes whenever it is started or
//! stopped, so a late exit report, health failure or scheduled restart for an older process is
//! recognised and ignored.
//!
//! Whoever embeds the environment may listen to its plugins starting and stopping
//! ([`Environment::set_listener`], [`Change`]): every way a plugin comes up or goes down —
//! enable, disable, removal, a replacement's restart, a crash and its restart — is told there,
//! in order. The server turns it into its `plugin_enabled` / `plugin_disabled` WebSocket events.

mod driver;
mod health;
pub mod hooks;
mod state;
pub mod webapp;

pub use driver::{ApiSource, Driver, MattermostDriver};
pub use health::HealthConfig;
pub use state::{PluginState, PluginStatus};
pub use webapp::WebappBundle;

use crate::manifest::{self, platform};
use crate::settings::{PluginStateSetting, PluginStates, SettingsError};
use api_definitions::model::Manifest;
use plugin_runtime::process::{ExitHook, HostConfig, PluginProcess};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// How the environment runs plugins. Every number is configurable; the defaults are upstream's
/// where it has one.
#[derive(Debug, Clone)]
pub struct EnvironmentConfig {
    /// Where plugins are installed, one directory per id.
    pub plugins_dir: PathBuf,
    /// The JSON file that keeps which plugins are enabled.
    pub states_file: PathBuf,
    /// Where the web-app bundles of activated plugins are copied (upstream's
    /// `PluginSettings.ClientDirectory`): `<client_dir>/<id>/<id>_<hash>_bundle.js`, see
    /// [`webapp`]. `None` (the default) copies nothing, and no plugin reports a bundle.
    pub client_dir: Option<PathBuf>,
    /// This server's version, checked against each manifest's `min_server_version`.
    pub server_version: semver::Version,
    /// How long a plugin has to start and complete the handshake.
    pub start_timeout: Duration,
    /// The deadline of `on_deactivate`.
    pub deactivate_timeout: Duration,
    /// How long a plugin has to exit after its pipes are closed, before it is killed.
    pub stop_grace: Duration,
    /// The most a whole [`Environment::shutdown`] takes: past it, what is still running is killed.
    pub shutdown_cap: Duration,
    /// How many plugins are started or stopped at once by the bulk operations.
    pub parallelism: usize,
    /// The default deadline of every call to a plugin (per call, `with_deadline` overrides it).
    pub call_timeout: Duration,
    /// `PATH` in the plugin's otherwise empty environment.
    pub plugin_path_env: String,
    /// Host threads kept per plugin while it is idle, to serve its calls to the host
    /// (`transport::Config::min_idle_threads`; at least 1, the thread that watches its pipe).
    /// 1 by default: plugins mostly sit idle between hooks, and with many plugins the idle
    /// threads are most of the host's cost per plugin. The price is paid by the first call a
    /// plugin makes to the host after a quiet spell: a thread start (tens of microseconds),
    /// not a round trip. The connection's own default, 3, suits a host with few plugins.
    pub idle_threads_per_plugin: usize,
    /// How long a plugin's extra host threads wait for work before they leave
    /// (`transport::Config::idle_exit`). 2 s by default: long enough that a plugin in
    /// steady use (hooks and its calls back within seconds of each other) keeps its threads
    /// and pays no thread starts, short enough that a burst's threads go soon after it.
    pub idle_thread_exit: Duration,
    pub health: HealthConfig,
}

impl EnvironmentConfig {
    pub fn new(plugins_dir: impl Into<PathBuf>, states_file: impl Into<PathBuf>) -> Self {
        EnvironmentConfig {
            plugins_dir: plugins_dir.into(),
            states_file: states_file.into(),
            client_dir: None,
            server_version: semver::Version::new(11, 0, 0),
            start_timeout: Duration::from_secs(30),
            deactivate_timeout: Duration::from_secs(5),
            stop_grace: Duration::from_secs(5),
            shutdown_cap: Duration::from_secs(15),
            parallelism: 8,
            call_timeout: Duration::from_secs(30),
            plugin_path_env: "/usr/local/bin:/usr/bin:/bin".to_owned(),
            idle_threads_per_plugin: 1,
            idle_thread_exit: Duration::from_secs(2),
            health: HealthConfig::default(),
        }
    }
}

/// Why an environment operation failed.
#[derive(Debug)]
pub enum EnvError {
    NotInstalled {
        id: String,
    },
    /// The plugin did not come up; it is left "failed to start" with this reason.
    Activation {
        id: String,
        reason: String,
    },
    Settings(SettingsError),
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

impl std::fmt::Display for EnvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnvError::NotInstalled { id } => write!(f, "plugin `{id}` is not installed"),
            EnvError::Activation { id, reason } => write!(f, "plugin `{id}` did not start: {reason}"),
            EnvError::Settings(e) => e.fmt(f),
            EnvError::Io { action, path, source } => write!(f, "could not {action} `{}`: {source}", path.display()),
        }
    }
}

impl std::error::Error for EnvError {}

/// A started plugin: its process (none for a web-app-only plugin), the client of its hooks, and
/// its web-app bundle in the client directory.
pub struct Running<D: Driver> {
    pub id: String,
    pub process: Option<PluginProcess>,
    pub client: Option<D::Client>,
    /// Copied at this start; none without a web app or without a client directory.
    pub webapp_bundle: Option<WebappBundle>,
    /// Health checks failed in a row.
    failed_pings: AtomicU32,
}

/// A plugin started running or stopped running, as told to the listener
/// ([`Environment::set_listener`]).
#[derive(Debug, Clone)]
pub enum Change {
    /// It runs now (enabled, restarted after a crash, or started on a new version's files).
    Started { id: String, manifest: Manifest, webapp_bundle: Option<WebappBundle> },
    /// It stopped running (disabled, removed, being replaced, crashed or hung): told when it
    /// stops serving, before its process is asked to stop.
    Stopped { id: String, manifest: Manifest, webapp_bundle: Option<WebappBundle> },
}

/// What hears the changes: called under the environment's lock, so changes arrive in the
/// order they happened; it must be quick and must not call the environment.
type Listener = Box<dyn Fn(&Change) + Send + Sync>;

struct Entry<D: Driver> {
    manifest: Manifest,
    dir: PathBuf,
    state: PluginState,
    error: Option<String>,
    running: Option<Arc<Running<D>>>,
    /// When the plugin failed, within the failure window.
    failures: Vec<Instant>,
    generation: u64,
}

struct Inner<D: Driver> {
    config: EnvironmentConfig,
    driver: D,
    plugins: Mutex<BTreeMap<String, Entry<D>>>,
    states: Mutex<PluginStates>,
    health: health::Schedule,
    listener: OnceLock<Listener>,
}

/// The plugins of one plugins directory. Cloning gives another handle to the same environment.
pub struct Environment<D: Driver> {
    inner: Arc<Inner<D>>,
}

impl<D: Driver> Clone for Environment<D> {
    fn clone(&self) -> Self {
        Environment { inner: self.inner.clone() }
    }
}

/// A handle that does not keep the environment alive: for what the environment itself owns
/// (the host API it gives plugins) and must reach it without a reference cycle.
pub struct WeakEnvironment<D: Driver> {
    inner: std::sync::Weak<Inner<D>>,
}

impl<D: Driver> Clone for WeakEnvironment<D> {
    fn clone(&self) -> Self {
        WeakEnvironment { inner: self.inner.clone() }
    }
}

impl<D: Driver> WeakEnvironment<D> {
    /// The environment, unless it was dropped.
    pub fn upgrade(&self) -> Option<Environment<D>> {
        self.inner.upgrade().map(|inner| Environment { inner })
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<D: Driver> Environment<D> {
    /// Reads the enabled states and the plugins directory and starts the health checker. Call
    /// [`start_enabled`](Self::start_enabled) to bring the enabled plugins up.
    pub fn new(mut config: EnvironmentConfig, driver: D) -> Result<Self, EnvError> {
        // Plugins start in their own directories, so a relative plugins directory would point
        // somewhere else from there.
        config.plugins_dir = std::path::absolute(&config.plugins_dir).map_err(|source| EnvError::Io {
            action: "resolve",
            path: config.plugins_dir.clone(),
            source,
        })?;
        let states = PluginStates::load(&config.states_file).map_err(EnvError::Settings)?;
        let inner = Arc::new(Inner {
            config,
            driver,
            plugins: Mutex::new(BTreeMap::new()),
            states: Mutex::new(states),
            health: health::Schedule::default(),
            listener: OnceLock::new(),
        });
        let env = Environment { inner };
        env.scan()?;
        health::start(Arc::downgrade(&env.inner));
        Ok(env)
    }

    /// Sets what hears plugins start and stop ([`Change`]); once: `false` if one was set
    /// already. It is called with the environment's lock held, so it must return quickly and
    /// never call the environment. Set it before [`start_enabled`](Self::start_enabled) to hear
    /// every start. A [`shutdown`](Self::shutdown) is not told: everything is going away.
    pub fn set_listener(&self, listener: impl Fn(&Change) + Send + Sync + 'static) -> bool {
        self.inner.listener.set(Box::new(listener)).is_ok()
    }

    fn tell(&self, change: Change) {
        if let Some(listener) = self.inner.listener.get() {
            listener(&change);
        }
    }

    fn tell_stopped(&self, entry: &Entry<D>, running: &Running<D>) {
        self.tell(Change::Stopped {
            id: running.id.clone(),
            manifest: entry.manifest.clone(),
            webapp_bundle: running.webapp_bundle.clone(),
        });
    }

    pub fn downgrade(&self) -> WeakEnvironment<D> {
        WeakEnvironment { inner: Arc::downgrade(&self.inner) }
    }

    /// The manifest of an installed plugin.
    pub fn manifest(&self, id: &str) -> Option<Manifest> {
        lock(&self.inner.plugins).get(id).map(|e| e.manifest.clone())
    }

    pub fn config(&self) -> &EnvironmentConfig {
        &self.inner.config
    }

    /// Re-reads the plugins directory: adds newly installed plugins, refreshes the manifests of
    /// plugins that are not running, and forgets those whose directory is gone. Directories
    /// whose name starts with `.` (the installer's own) are not plugins. Returns the
    /// directories that hold no valid plugin, with why.
    pub fn scan(&self) -> Result<Vec<(PathBuf, String)>, EnvError> {
        let dir = &self.inner.config.plugins_dir;
        let io = |source| EnvError::Io { action: "list the plugins directory", path: dir.clone(), source };
        let mut found = BTreeMap::new();
        let mut problems = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') || !path.is_dir() {
                continue;
            }
            match manifest::load(&path) {
                Ok(loaded) => {
                    found.insert(loaded.manifest.id.clone(), (loaded.manifest, path));
                }
                Err(e) => {
                    log::warn!("plugins directory: {} holds no usable plugin: {e}", path.display());
                    problems.push((path, e.to_string()));
                }
            }
        }
        let mut plugins = lock(&self.inner.plugins);
        plugins.retain(|id, entry| found.contains_key(id) || entry.running.is_some());
        for (id, (manifest, path)) in found {
            match plugins.get_mut(&id) {
                Some(entry) if entry.running.is_none() => {
                    entry.manifest = manifest;
                    entry.dir = path;
                }
                Some(_) => {}
                None => {
                    plugins.insert(
                        id,
                        Entry {
                            manifest,
                            dir: path,
                            state: PluginState::NotRunning,
                            error: None,
                            running: None,
                            failures: Vec::new(),
                            generation: 0,
                        },
                    );
                }
            }
        }
        Ok(problems)
    }

    /// Every installed plugin's status, by id.
    pub fn statuses(&self) -> Vec<PluginStatus> {
        let states = lock(&self.inner.states).clone();
        lock(&self.inner.plugins)
            .iter()
            .map(|(id, e)| PluginStatus {
                id: id.clone(),
                name: e.manifest.name.clone(),
                version: e.manifest.version.clone(),
                state: e.state,
                error: e.error.clone(),
                enabled: states.is_enabled(id),
                dir: e.dir.clone(),
                manifest: e.manifest.clone(),
                webapp_bundle: e.running.as_ref().and_then(|r| r.webapp_bundle.clone()),
            })
            .collect()
    }

    /// One plugin's status.
    pub fn status(&self, id: &str) -> Option<PluginStatus> {
        self.statuses().into_iter().find(|s| s.id == id)
    }

    /// The web-app bundle of plugin `id` while it runs: what clients may load. A stopped
    /// plugin's copy stays on disk until it starts again or is removed, but is not reported.
    pub fn webapp_bundle(&self, id: &str) -> Option<WebappBundle> {
        lock(&self.inner.plugins).get(id)?.running.as_ref()?.webapp_bundle.clone()
    }

    /// The running plugins in the environment's hook order: by id.
    pub fn running(&self) -> Vec<Arc<Running<D>>> {
        lock(&self.inner.plugins).values().filter_map(|e| e.running.clone()).collect()
    }

    /// One running plugin, if it is running.
    pub fn running_plugin(&self, id: &str) -> Option<Arc<Running<D>>> {
        lock(&self.inner.plugins).get(id).and_then(|e| e.running.clone())
    }

    /// Marks the plugin enabled in the settings (written atomically) and starts it.
    pub fn enable(&self, id: &str) -> Result<(), EnvError> {
        self.require(id)?;
        self.set_enabled(id, true)?;
        self.activate(id)
    }

    /// Marks the plugin disabled in the settings and stops it.
    pub fn disable(&self, id: &str) -> Result<(), EnvError> {
        self.require(id)?;
        self.set_enabled(id, false)?;
        self.deactivate(id)
    }

    pub fn is_enabled(&self, id: &str) -> bool {
        lock(&self.inner.states).is_enabled(id)
    }

    fn set_enabled(&self, id: &str, enable: bool) -> Result<(), EnvError> {
        let mut states = lock(&self.inner.states);
        let mut next = states.clone();
        next.states.insert(id.to_owned(), PluginStateSetting { enable });
        // Saved first: the in-memory state changes only once the file holds it.
        next.save(&self.inner.config.states_file).map_err(EnvError::Settings)?;
        *states = next;
        Ok(())
    }

    fn require(&self, id: &str) -> Result<(), EnvError> {
        if lock(&self.inner.plugins).contains_key(id) {
            Ok(())
        } else {
            Err(EnvError::NotInstalled { id: id.to_owned() })
        }
    }

    /// Starts every enabled plugin that is not running, several at once.
    pub fn start_enabled(&self) -> Vec<EnvError> {
        let ids: Vec<String> = {
            let states = lock(&self.inner.states);
            lock(&self.inner.plugins).keys().filter(|id| states.is_enabled(id)).cloned().collect()
        };
        self.for_each_parallel(ids, |id| self.activate(id).err()).into_iter().flatten().collect()
    }

    /// Starts the plugin: checks its manifest against this server, copies its web-app bundle
    /// into the client directory (if both are there), starts its executable for this platform
    /// in its directory with an empty environment (but `PATH`), and activates it. Starting a
    /// running plugin does nothing.
    pub fn activate(&self, id: &str) -> Result<(), EnvError> {
        let (manifest, dir, generation) = {
            let mut plugins = lock(&self.inner.plugins);
            let entry = plugins.get_mut(id).ok_or_else(|| EnvError::NotInstalled { id: id.to_owned() })?;
            if matches!(entry.state, PluginState::Running | PluginState::Starting | PluginState::Stopping) {
                return Ok(());
            }
            entry.state = PluginState::Starting;
            entry.error = None;
            entry.generation += 1;
            (entry.manifest.clone(), entry.dir.clone(), entry.generation)
        };
        log::info!("plugin {id}: starting");
        let started = self.start(id, &manifest, &dir, generation);
        let mut plugins = lock(&self.inner.plugins);
        let current = plugins.get_mut(id).filter(|e| e.generation == generation && e.state == PluginState::Starting);
        match (started, current) {
            (Ok(running), Some(entry)) => {
                let exited = running.process.as_ref().and_then(|p| p.try_wait().ok().flatten());
                entry.state = PluginState::Running;
                let change = Change::Started {
                    id: id.to_owned(),
                    manifest: entry.manifest.clone(),
                    webapp_bundle: running.webapp_bundle.clone(),
                };
                entry.running = Some(Arc::new(running));
                log::info!("plugin {id}: running");
                self.tell(change);
                drop(plugins);
                if let Some(status) = exited {
                    // It exited between its activation and now; the exit report was ignored
                    // while it was starting.
                    self.failed(id, generation, format!("the plugin process exited ({status})"));
                }
                Ok(())
            }
            (Err(reason), Some(entry)) => {
                entry.state = PluginState::FailedToStart;
                entry.error = Some(reason.clone());
                log::warn!("plugin {id}: failed to start: {reason}");
                Err(EnvError::Activation { id: id.to_owned(), reason })
            }
            // Stopped or removed while it was starting: the stop wins.
            (Ok(running), None) => {
                let removed = !plugins.contains_key(id);
                drop(plugins);
                self.stop_running(&running);
                if removed {
                    self.remove_webapp_dir(id);
                }
                Ok(())
            }
            (Err(_), None) => {
                let removed = !plugins.contains_key(id);
                drop(plugins);
                if removed {
                    self.remove_webapp_dir(id);
                }
                Ok(())
            }
        }
    }

    /// After a removal that raced with a start: the start may have copied the bundle after
    /// `remove` deleted the plugin's client directory.
    fn remove_webapp_dir(&self, id: &str) {
        if let Some(client_dir) = &self.inner.config.client_dir {
            if let Err(e) = webapp::remove(client_dir, id) {
                log::warn!("plugin {id}: could not remove its web-app directory: {e}");
            }
        }
    }

    fn start(&self, id: &str, manifest: &Manifest, dir: &Path, generation: u64) -> Result<Running<D>, String> {
        let config = &self.inner.config;
        if let Ok(required) = semver::Version::parse(&manifest.min_server_version) {
            if required > config.server_version {
                return Err(format!(
                    "it needs server version {required} or later; this server is {}",
                    config.server_version
                ));
            }
        }
        // Before the server part, as upstream: the bundle is in place by the time the plugin is
        // reported running, so every URL the web-app listing gives can be fetched.
        let webapp_bundle = match (&config.client_dir, &manifest.webapp) {
            (Some(client_dir), Some(webapp)) => Some(webapp::copy_bundle(client_dir, id, dir, &webapp.bundle_path)?),
            _ => None,
        };
        if manifest.server.is_none() {
            // A web-app-only plugin has no process.
            return Ok(Running {
                id: id.to_owned(),
                process: None,
                client: None,
                webapp_bundle,
                failed_pings: AtomicU32::new(0),
            });
        }
        let this_platform = platform::current();
        let executable = platform::server_executable(manifest, &this_platform)
            .ok_or_else(|| format!("the manifest names no server executable for {this_platform}"))?;
        let relative = manifest::relative_path(executable).map_err(|e| format!("server executable: {e}"))?;
        let program = dir.join(relative);
        let mut command = Command::new(&program);
        command.current_dir(dir).env_clear().env("PATH", &config.plugin_path_env);

        let mut host = HostConfig::new(id);
        host.transport.call_timeout = Some(config.call_timeout);
        host.transport.peer_interface = Some(self.inner.driver.plugin_interface().to_owned());
        host.transport.min_idle_threads = config.idle_threads_per_plugin;
        host.transport.idle_exit = config.idle_thread_exit;
        host.start_timeout = config.start_timeout;
        host.shutdown_timeout = config.stop_grace;
        let weak = Arc::downgrade(&self.inner);
        let owner = id.to_owned();
        host.on_exit = Some(ExitHook::new(move |status| {
            if let Some(inner) = weak.upgrade() {
                Environment { inner }.failed(&owner, generation, format!("the plugin process exited ({status})"));
            }
        }));
        let driver = &self.inner.driver;
        let process = PluginProcess::spawn(command, host, |connection| driver.serve(id, connection))
            .map_err(|e| format!("{e} (executable `{}`)", program.display()))?;
        let client = driver.client(&process);
        if let Err(reason) = driver.activate(id, &client) {
            let _ = process.shutdown(config.stop_grace);
            return Err(reason);
        }
        Ok(Running {
            id: id.to_owned(),
            process: Some(process),
            client: Some(client),
            webapp_bundle,
            failed_pings: AtomicU32::new(0),
        })
    }

    /// Stops the plugin: `on_deactivate` under its deadline, then the process is closed and, if
    /// it lingers, killed with its descendants. Also clears a "failed" state.
    pub fn deactivate(&self, id: &str) -> Result<(), EnvError> {
        let (running, generation) = {
            let mut plugins = lock(&self.inner.plugins);
            let entry = plugins.get_mut(id).ok_or_else(|| EnvError::NotInstalled { id: id.to_owned() })?;
            entry.generation += 1;
            entry.failures.clear();
            match entry.running.take() {
                Some(running) => {
                    entry.state = PluginState::Stopping;
                    self.tell_stopped(entry, &running);
                    (running, entry.generation)
                }
                None => {
                    if entry.state != PluginState::Starting {
                        entry.state = PluginState::NotRunning;
                        entry.error = None;
                    }
                    return Ok(());
                }
            }
        };
        log::info!("plugin {id}: stopping");
        self.stop_running(&running);
        let mut plugins = lock(&self.inner.plugins);
        if let Some(entry) = plugins.get_mut(id).filter(|e| e.generation == generation) {
            entry.state = PluginState::NotRunning;
            entry.error = None;
        }
        log::info!("plugin {id}: stopped");
        Ok(())
    }

    fn stop_running(&self, running: &Running<D>) {
        let config = &self.inner.config;
        if let Some(client) = &running.client {
            match plugin_runtime::with_deadline(config.deactivate_timeout, || {
                self.inner.driver.deactivate(&running.id, client)
            }) {
                Ok(()) => {}
                Err(reason) => log::warn!("plugin {}: {reason}", running.id),
            }
        }
        if let Some(process) = &running.process {
            if let Err(e) = process.shutdown(config.stop_grace) {
                log::warn!("plugin {}: stopping the process: {e}", running.id);
            }
        }
    }

    /// Stops and starts the plugin.
    pub fn restart(&self, id: &str) -> Result<(), EnvError> {
        self.deactivate(id)?;
        self.activate(id)
    }

    /// Stops the plugin, deletes its directory and its web-app directory (`<client_dir>/<id>`),
    /// and forgets its enabled state.
    pub fn remove(&self, id: &str) -> Result<(), EnvError> {
        self.deactivate(id)?;
        let dir = {
            let mut plugins = lock(&self.inner.plugins);
            plugins.remove(id).map(|e| e.dir).ok_or_else(|| EnvError::NotInstalled { id: id.to_owned() })?
        };
        std::fs::remove_dir_all(&dir).map_err(|source| EnvError::Io { action: "remove", path: dir.clone(), source })?;
        if let Some(client_dir) = &self.inner.config.client_dir {
            webapp::remove(client_dir, id).map_err(|source| EnvError::Io {
                action: "remove the web-app directory",
                path: client_dir.join(id),
                source,
            })?;
        }
        let mut states = lock(&self.inner.states);
        if states.states.contains_key(id) {
            let mut next = states.clone();
            next.states.remove(id);
            next.save(&self.inner.config.states_file).map_err(EnvError::Settings)?;
            *states = next;
        }
        log::info!("plugin {id}: removed");
        Ok(())
    }

    /// Stops every running plugin, several at once, all within [`EnvironmentConfig::shutdown_cap`]:
    /// a plugin still running when the cap is reached is killed.
    pub fn shutdown(&self) {
        self.inner.health.stop();
        let ids: Vec<String> =
            lock(&self.inner.plugins).iter().filter(|(_, e)| e.running.is_some()).map(|(id, _)| id.clone()).collect();
        let cap = self.inner.config.shutdown_cap;
        let started = Instant::now();
        // Each stop gets what is left of the cap, split between deactivation and exit.
        self.for_each_parallel(ids, |id| {
            let left = cap.saturating_sub(started.elapsed());
            let running = {
                let mut plugins = lock(&self.inner.plugins);
                let entry = plugins.get_mut(id)?;
                entry.generation += 1;
                entry.state = PluginState::Stopping;
                entry.running.take()
            }?;
            if let Some(client) = &running.client {
                let deadline = self.inner.config.deactivate_timeout.min(left / 2);
                if let Err(reason) =
                    plugin_runtime::with_deadline(deadline, || self.inner.driver.deactivate(id, client))
                {
                    log::warn!("plugin {id}: {reason}");
                }
            }
            if let Some(process) = &running.process {
                let grace = self.inner.config.stop_grace.min(cap.saturating_sub(started.elapsed()));
                let _ = process.shutdown(grace);
            }
            if let Some(entry) = lock(&self.inner.plugins).get_mut(id) {
                entry.state = PluginState::NotRunning;
            }
            Some(())
        });
    }

    /// Runs `f` on each id with up to `parallelism` threads; results in the order of `ids`.
    fn for_each_parallel<T: Send>(&self, ids: Vec<String>, f: impl Fn(&str) -> T + Sync) -> Vec<T> {
        let workers = self.inner.config.parallelism.max(1).min(ids.len().max(1));
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results: Mutex<Vec<Option<T>>> = Mutex::new((0..ids.len()).map(|_| None).collect());
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(id) = ids.get(i) else { break };
                    let result = f(id);
                    lock(&results)[i] = Some(result);
                });
            }
        });
        results.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().flatten().collect()
    }

    /// A running plugin failed (its process exited, or it stopped answering health checks):
    /// restart it after a backoff, or give up after too many failures within the window.
    fn failed(&self, id: &str, generation: u64, reason: String) {
        let health = &self.inner.config.health;
        let running = {
            let mut plugins = lock(&self.inner.plugins);
            // Only a running plugin can fail this way; one still starting fails its start, and
            // `activate` looks for an exit that raced with it.
            let Some(entry) =
                plugins.get_mut(id).filter(|e| e.generation == generation && e.state == PluginState::Running)
            else {
                return;
            };
            let running = entry.running.take();
            if let Some(running) = &running {
                self.tell_stopped(entry, running);
            }
            self.record_failure(id, entry, reason, health);
            running
        };
        if let Some(process) = running.as_ref().and_then(|r| r.process.as_ref()) {
            let _ = process.kill();
        }
    }

    /// Counts a failure and decides: restart later, or "failed to stay running".
    fn record_failure(&self, id: &str, entry: &mut Entry<D>, reason: String, health: &HealthConfig) {
        let now = Instant::now();
        entry.failures.retain(|t| now.duration_since(*t) < health.failure_window);
        entry.failures.push(now);
        entry.generation += 1;
        let count = entry.failures.len() as u32;
        if count >= health.max_failures {
            entry.state = PluginState::FailedToStayRunning;
            let error = format!(
                "{reason}; it failed {count} times within {}, so it is not restarted (enable it again to retry)",
                health::minutes(health.failure_window)
            );
            log::error!("plugin {id}: failed to stay running: {error}");
            entry.error = Some(error);
        } else {
            let delay = health.backoff(count);
            entry.state = PluginState::NotRunning;
            entry.error =
                Some(format!("{reason}; restarting in {delay:?} (failure {count} of {})", health.max_failures));
            log::warn!("plugin {id}: {}", entry.error.as_deref().unwrap_or_default());
            self.inner.health.schedule(id.to_owned(), entry.generation, now + delay);
        }
    }

    /// A scheduled restart: only if nothing happened to the plugin since it was scheduled.
    fn restart_scheduled(&self, id: &str, generation: u64) {
        let due = lock(&self.inner.plugins)
            .get(id)
            .is_some_and(|e| e.generation == generation && e.state == PluginState::NotRunning);
        if !due || !self.is_enabled(id) {
            return;
        }
        if let Err(EnvError::Activation { reason, .. }) = self.activate(id) {
            let health = self.inner.config.health.clone();
            let mut plugins = lock(&self.inner.plugins);
            if let Some(entry) = plugins.get_mut(id).filter(|e| e.state == PluginState::FailedToStart) {
                self.record_failure(id, entry, format!("restart failed: {reason}"), &health);
            }
        }
    }

    /// One round of health checks: ping every running plugin; too many failed pings in a row
    /// count as a failure.
    fn check_health(&self) {
        let health = self.inner.config.health.clone();
        let targets: Vec<(Arc<Running<D>>, u64)> =
            lock(&self.inner.plugins).values().filter_map(|e| e.running.clone().map(|r| (r, e.generation))).collect();
        for (running, generation) in targets {
            let Some(process) = &running.process else { continue };
            match process.ping(health.ping_timeout) {
                Ok(_) => running.failed_pings.store(0, Ordering::Relaxed),
                Err(e) => {
                    let failed = running.failed_pings.fetch_add(1, Ordering::Relaxed) + 1;
                    log::warn!("plugin {}: health check failed ({failed} in a row): {e}", running.id);
                    if failed >= health.failed_pings {
                        let reason = format!("it did not answer {failed} health checks in a row");
                        self.failed(&running.id, generation, reason);
                    }
                }
            }
        }
    }
}
