//! The plugin server (`plugin-host serve`): the REST API admins install and manage plugins
//! with (upstream: `api4/plugin.go`), over the environment that runs them, on axum and tokio.
//!
//! - [`config`]: the settings file (upstream's `PluginSettings` and ours);
//! - [`auth`]: the admin token and its check;
//! - [`error`]: the JSON error every endpoint answers with;
//! - [`routes`], [`plugins`], [`upload`]: the admin's endpoints;
//! - [`webapp`]: what web clients load: the web-app listing and the bundles;
//! - [`pages`]: what people load: the admin page for plugins (`/admin/plugins`) and the
//!   client (`/`), a channel view that runs plugins' web apps;
//! - [`websocket`]: the live events for web clients (`/api/v4/websocket`);
//! - [`plugin_http`] with [`body`]: plugins' own HTTP routes, bodies streamed both ways;
//! - [`commands`]: plugins' slash commands run from outside; [`posts`]: posts, teams and
//!   channels from outside (posts through the plugins' hooks);
//! - [`api`]: the reference host API the plugins get (KV store on SQLite, logs, ...).
//!
//! The environment blocks (process starts, plugin calls), so every call to it runs through
//! [`blocking`] on tokio's blocking threads, never on the async workers.

pub mod api;
pub mod auth;
pub mod body;
pub mod commands;
pub mod config;
pub mod error;
pub mod json;
pub mod pages;
pub mod plugin_http;
pub mod plugins;
pub mod posts;
pub mod reactor;
pub mod routes;
pub mod seed;
pub mod upload;
pub mod webapp;
pub mod websocket;

use crate::environment::{Environment, EnvironmentConfig, MattermostDriver};
use crate::package::install::InstallOptions;
use crate::package::signature::Keyring;
use crate::store::Store;
use auth::AdminToken;
use config::{resolve, ServerSettings};
use error::ApiError;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use api::ServerEnv;

/// How often expired KV entries are removed from the database (reads never see them anyway).
const PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// What every handler shares, behind one `Arc`: axum clones the state several times per
/// request (each route service it calls, each `State` extractor), and a clone of the fields
/// themselves cost three allocations and a dozen atomic increments, a sixth of a plugin
/// request's allocations on the server.
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

impl std::ops::Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

/// The fields of [`AppState`].
pub struct SharedState {
    pub env: ServerEnv,
    pub settings: Arc<ServerSettings>,
    pub token: Arc<AdminToken>,
    /// The install options but the replace policy: keys, signature requirement, server version.
    pub install: Arc<InstallOptions>,
    pub plugins_dir: PathBuf,
    /// What the plugins' host API shares: the store, commands, events.
    pub api: api::Shared,
    /// Becomes `true` when the server stops: WebSocket connections close then.
    pub closing: tokio::sync::watch::Receiver<bool>,
}

/// Runs `f` on a blocking thread.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| ApiError::internal(format!("the task failed: {e}")))?
}

/// How to start: the settings file, and a listen address that overrides its `ListenAddress`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub settings_file: PathBuf,
    pub listen: Option<String>,
}

/// A server with its plugins started and its port bound, not yet answering.
pub struct Server {
    listener: tokio::net::TcpListener,
    router: axum::Router,
    env: ServerEnv,
    addr: SocketAddr,
    token_file: Option<PathBuf>,
    /// The first team's channel, for the start message.
    town_square: Option<api_definitions::model::Channel>,
    /// Set when the server stops (WebSocket connections close).
    closing: tokio::sync::watch::Sender<bool>,
}

impl Server {
    /// Reads the settings (the defaults if the file is missing; nothing is written), creates
    /// the plugins and client directories, gets the admin token, starts the enabled plugins
    /// (those that fail are logged and stay "failed to start"; their web-app bundles go to the
    /// client directory) and binds the listen address.
    pub async fn bind(options: &ServeOptions) -> Result<Server, String> {
        let path = options.settings_file.clone();
        let settings = ServerSettings::load(&path).map_err(|e| e.to_string())?;
        let plugins_dir = resolve(&path, &settings.directory);
        let client_dir = resolve(&path, &settings.client_directory);
        for dir in [&plugins_dir, &client_dir] {
            std::fs::create_dir_all(dir).map_err(|e| format!("could not create `{}`: {e}", dir.display()))?;
        }
        let token = AdminToken::load_or_create(&settings, &path)?;
        let keyring = keyring(&settings, &path)?;

        let mut config = EnvironmentConfig::new(&plugins_dir, &path);
        config.client_dir = Some(client_dir);
        config.health.enabled = settings.enable_health_check;
        let install = InstallOptions {
            require_signature: settings.require_plugin_signature,
            keyring,
            server_version: Some(config.server_version.clone()),
            ..InstallOptions::default()
        };
        let start = settings.enable;
        let database = resolve(&path, &settings.database_file);
        let configured_admin = settings.admin_user_id.clone();
        let (store, seeded) = tokio::task::spawn_blocking(move || -> Result<_, String> {
            let store = Store::open(&database).map_err(|e| e.to_string())?;
            let seeded = seed::seed(&store, &configured_admin).map_err(|e| format!("setting up the database: {e}"))?;
            Ok((store, seeded))
        })
        .await
        .map_err(|e| e.to_string())??;
        let store = Arc::new(store);
        let mut settings = settings;
        settings.admin_user_id = seeded.admin_user_id.clone();
        let shared = api::Shared {
            store: store.clone(),
            server_version: config.server_version.to_string(),
            plugins_dir: std::path::absolute(&plugins_dir).map_err(|e| e.to_string())?,
            settings: Arc::new(api::config::PluginSettingsStore::new(path.clone(), settings.clone())),
            commands: Default::default(),
            events: Default::default(),
            env: Default::default(),
        };
        let api = shared.clone();
        let env = tokio::task::spawn_blocking(move || -> Result<ServerEnv, String> {
            let late = shared.env.clone();
            let events = shared.events.clone();
            let env = Environment::new(config, MattermostDriver::declared(shared)).map_err(|e| e.to_string())?;
            // Before any plugin starts: `on_activate` may already call back for the environment,
            // and web clients hear of every start.
            let _ = late.set(env.downgrade());
            websocket::announce(&env, events);
            if start {
                for e in env.start_enabled() {
                    log::warn!("{e}");
                }
            }
            Ok(env)
        })
        .await
        .map_err(|e| e.to_string())??;

        let listen = options.listen.clone().unwrap_or_else(|| settings.listen_address.clone());
        let listener = match tokio::net::TcpListener::bind(&listen).await {
            Ok(listener) => listener,
            Err(e) => {
                shutdown_env(env.clone()).await;
                return Err(format!("could not listen on `{listen}`: {e}"));
            }
        };
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        tokio::spawn(purge_expired(store));
        let (closing, closing_rx) = tokio::sync::watch::channel(false);
        let state = AppState(Arc::new(SharedState {
            env: env.clone(),
            settings: Arc::new(settings),
            token: Arc::new(token),
            install: Arc::new(install),
            plugins_dir,
            api,
            closing: closing_rx,
        }));
        let token_file = state.token.file.clone();
        let town_square = seeded.town_square;
        Ok(Server { listener, router: routes::router(state), env, addr, token_file, town_square, closing })
    }

    /// The address it listens on (the real port when `:0` was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The file holding the admin token, unless the token is in the settings.
    pub fn token_file(&self) -> Option<&Path> {
        self.token_file.as_deref()
    }

    /// The environment (for embedding and tests).
    pub fn env(&self) -> &ServerEnv {
        &self.env
    }

    /// Answers requests until `shutdown` completes, lets requests in progress finish, then
    /// stops every plugin.
    pub async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), String> {
        use axum::serve::ListenerExt;
        // Without TCP_NODELAY a response written in pieces (the head, then a streamed body and
        // its last chunk) waits on the client's delayed ACK: tens of milliseconds per request
        // on a kept-alive connection.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                log::debug!("cannot set TCP_NODELAY on a connection: {e}");
            }
        });
        let closing = self.closing;
        // Upgraded connections (WebSockets) are not the server's to wait for: they are told to
        // close as the server stops.
        let shutdown = async move {
            shutdown.await;
            let _ = closing.send(true);
        };
        let served = axum::serve(listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown)
            .await;
        shutdown_env(self.env).await;
        served.map_err(|e| e.to_string())
    }
}

/// Removes expired KV entries now and then, for as long as the server runs.
async fn purge_expired(store: Arc<Store>) {
    let mut every = tokio::time::interval(PURGE_EVERY);
    loop {
        every.tick().await;
        let store = store.clone();
        match tokio::task::spawn_blocking(move || store.purge_expired()).await {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => log::debug!("removed {n} expired KV entries"),
            Ok(Err(e)) => log::warn!("removing expired KV entries: {e}"),
            Err(e) => log::warn!("removing expired KV entries: the task failed: {e}"),
        }
    }
}

async fn shutdown_env(env: ServerEnv) {
    let _ = tokio::task::spawn_blocking(move || env.shutdown()).await;
}

fn keyring(settings: &ServerSettings, settings_file: &Path) -> Result<Keyring, String> {
    if settings.signature_public_key_files.is_empty() {
        return Ok(Keyring::default());
    }
    let files: Vec<PathBuf> = settings.signature_public_key_files.iter().map(|f| resolve(settings_file, f)).collect();
    Keyring::load(&files).map_err(|e| format!("SignaturePublicKeyFiles: {e}"))
}

/// `plugin-host serve`: starts the server, prints where it listens, serves until SIGINT or
/// SIGTERM, then stops the plugins.
pub fn run(options: ServeOptions) -> Result<(), String> {
    // Read here too, for the worker count the runtime needs before anything runs; a file
    // that cannot be read is reported by `Server::bind` with the rest.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = ServerSettings::load(&options.settings_file).unwrap_or_default().worker_threads(cores);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the async runtime: {e}"))?;
    runtime.block_on(async {
        let server = Server::bind(&options).await?;
        let token = match server.token_file() {
            Some(file) => format!("admin token in {}", file.display()),
            None => "admin token in the settings".to_owned(),
        };
        // Written, not `println!`ed: a closed stdout (a supervisor that read the first line and
        // went) must not stop the server.
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "plugin-host: listening on http://{} ({token})", server.local_addr());
        match &server.town_square {
            Some(channel) => {
                let (name, id) = (&channel.name, &channel.id);
                let _ = writeln!(out, "plugin-host: post to channel `{name}` ({id}) with POST /api/v4/posts");
            }
            None => {
                let (team, channel) = (seed::FIRST_TEAM, seed::FIRST_CHANNEL);
                let _ = writeln!(out, "plugin-host: no channel `{channel}` in a team `{team}` (it was deleted)");
            }
        }
        let _ = out.flush();
        drop(out);
        server.serve(termination()).await
    })
}

/// Completes at the first SIGINT or SIGTERM.
async fn termination() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(term) => term,
        Err(e) => {
            log::warn!("cannot watch SIGTERM: {e}");
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

/// A server on its own thread with its own runtime, for synchronous programs and tests that
/// embed one: started bound and answering, stopped (plugins and all) by [`stop`](Self::stop)
/// or on drop.
pub struct Background {
    addr: SocketAddr,
    token_file: Option<PathBuf>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl Background {
    pub fn start(options: ServeOptions) -> Result<Background, String> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                match Server::bind(&options).await {
                    Ok(server) => {
                        let _ = ready_tx.send(Ok((server.local_addr(), server.token_file().map(Path::to_path_buf))));
                        server
                            .serve(async {
                                let _ = stop_rx.await;
                            })
                            .await
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.clone()));
                        Err(e)
                    }
                }
            })
        });
        let (addr, token_file) =
            ready_rx.recv().map_err(|_| "the server thread ended before it started".to_owned())??;
        Ok(Background { addr, token_file, stop: Some(stop_tx), thread: Some(thread) })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn token_file(&self) -> Option<&Path> {
        self.token_file.as_deref()
    }

    /// Stops answering, stops the plugins, and waits for both.
    pub fn stop(mut self) -> Result<(), String> {
        self.finish()
    }

    fn finish(&mut self) -> Result<(), String> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take() {
            Some(thread) => thread.join().map_err(|_| "the server thread panicked".to_owned())?,
            None => Ok(()),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}
