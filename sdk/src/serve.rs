//! Serving a plugin: the whole of its `main`. Upstream's `plugin.ClientMain(&MyPlugin{})`, with
//! the hooks the server may call derived from the impl block (never "all of them"), and the
//! plugin's log records going to the server.

use crate::logger::ApiLogger;
use api_definitions::api;
use api_definitions::hooks::{self, Hooks};
use log::LevelFilter;
use plugin_runtime::process::plugin::{self, PluginConfig};
use plugin_runtime::{Connection, Dispatch, Implements, InterfaceInfo, MethodSet, Request, Response, RpcError};

/// The server's API as a plugin gets it: the generated client over the connection to the
/// server, calling only the methods the server said it has (the others fail at once with
/// `RpcError::NotImplemented`).
pub type ApiClient = api::rpc::Client<Connection>;

/// How [`serve_with`] runs a plugin. [`options!`](crate::options!) fills it from the plugin's
/// `Cargo.toml`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The plugin's name: in the handshake, and in what the executable prints when run by hand.
    pub name: String,
    /// One line saying what the plugin is, printed when the executable is run by hand.
    pub description: String,
    /// The least severe records sent to the server (default `Debug`: the server's own log
    /// settings decide what it keeps, as upstream's; `Trace` records go as debug lines).
    pub log_level: LevelFilter,
}

impl Options {
    /// Options for the plugin `name`, described by `description` (a generic line when empty).
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Self {
        let description = description.into();
        let description = if description.trim().is_empty() { "a server plugin".to_owned() } else { description };
        Options { name: name.into(), description, log_level: LevelFilter::Debug }
    }

    /// These options with records below `level` kept in the plugin.
    pub fn log_level(mut self, level: LevelFilter) -> Self {
        self.log_level = level;
        self
    }
}

/// [`Options`] for the calling crate: its package name and description from `Cargo.toml`.
#[macro_export]
macro_rules! options {
    () => {
        $crate::Options::new(::core::env!("CARGO_PKG_NAME"), ::core::env!("CARGO_PKG_DESCRIPTION"))
    };
}

/// The whole `main` of a plugin: `fn main() { plugin_sdk::serve!(MyPlugin::new) }`.
///
/// `MyPlugin::new` gets the server's API ([`ApiClient`]) and returns the plugin, whose
/// `impl Hooks` block must carry `#[plugin_sdk::implemented]`. Named and described by the
/// crate's `Cargo.toml`; see [`serve_with`] for what it does and [`Options`] to change it
/// (`plugin_sdk::serve_with(plugin_sdk::options!().log_level(LevelFilter::Info), MyPlugin::new)`).
#[macro_export]
macro_rules! serve {
    ($plugin:expr $(,)?) => {
        $crate::serve_with($crate::options!(), $plugin)
    };
}

/// Serves the plugin `plugin` builds, until the server closes the connection or goes away, then
/// exits the process (0 when the server simply went away, 2 when the connection broke). Run by
/// hand, the executable prints one line saying what it is and exits with 1.
///
/// Before building the plugin it installs [`ApiLogger`] as the process's logger (unless the
/// plugin installed one first), so records reach the server's log from the first hook call on;
/// records logged earlier, while the plugin is built, go to stderr, which the server logs as
/// the plugin's output.
///
/// The server learns at the handshake which hooks the plugin implements: those its
/// `#[plugin_sdk::implemented]` impl block defines, and only those. A plugin type without that
/// attribute does not compile here (the bound `Implements<dyn Hooks>` names the fix), rather
/// than claiming every hook.
pub fn serve_with<P, F>(options: Options, plugin: F) -> !
where
    P: Hooks + Implements<dyn Hooks> + 'static,
    F: FnOnce(ApiClient) -> P,
{
    let Options { name, description, log_level } = options;
    let mut config = PluginConfig::new(name, description);
    // A host that does not serve the server API is not a server this plugin can work with.
    config.transport.peer_interface = Some(api::rpc::INTERFACE.name.to_owned());
    plugin::run(config, move |host| {
        let client = || ApiClient::with_peer_methods(host.clone(), host.peer_methods());
        let logger = ApiLogger::before_connection(client(), log_level).install().ok();
        let dispatcher = hooks::rpc::Dispatcher::declared(plugin(client()));
        Serving { dispatcher, logger }
    })
}

/// The plugin's dispatcher, telling the logger when the connection serves: the first call
/// arrives only after this side's handshake has gone out, so calls to the server can follow.
struct Serving<D> {
    dispatcher: D,
    logger: Option<&'static ApiLogger<ApiClient>>,
}

impl<D: Dispatch> Dispatch for Serving<D> {
    fn interface(&self) -> &'static InterfaceInfo {
        self.dispatcher.interface()
    }

    fn implemented(&self) -> MethodSet {
        self.dispatcher.implemented()
    }

    fn dispatch(&self, request: Request) -> Result<Response, RpcError> {
        if let Some(logger) = self.logger {
            logger.connected();
        }
        self.dispatcher.dispatch(request)
    }
}
