//! `plugin-host`: the plugin system around the RPC glue — manifests, bundles and their safe
//! installation, signatures, the environment that runs the installed plugins, and the server
//! and admin client that manage them.
//!
//! Layers, each depending only on those above it in this list:
//! - [`manifest`]: finding, parsing and validating a plugin's `plugin.json` / `plugin.yaml`;
//! - [`package`]: `.tar.gz` bundles — writing them ([`package::bundle`]), checking detached
//!   OpenPGP signatures ([`package::signature`]), unpacking untrusted archives under limits
//!   ([`package::unpack`]) and installing into a plugins directory atomically
//!   ([`package::install`]);
//! - [`settings`]: settings files written atomically, and the plugins' enabled states;
//! - [`store`]: the reference host API's SQLite database (durable, migrated) and the plugins'
//!   key-value store on it;
//! - [`environment`]: the installed plugins of a plugins directory — enabled state, processes,
//!   health checks and restarts, hooks across all plugins;
//! - [`server`]: the plugin server (`plugin-host serve`): settings, admin token, REST API;
//! - [`client`]: a blocking client of that REST API (it reads the server's own response types);
//! - [`admin`]: the admin CLI's plugin commands (`plugin-host plugin ...`) over the client;
//! - [`scaffold`]: a new plugin directory from the SDK's template (`plugin-host new`);
//! - [`cli`]: the `plugin-host` command line over all of the above.

pub mod admin;
pub mod cli;
pub mod client;
pub mod environment;
pub mod manifest;
pub mod package;
pub mod scaffold;
pub mod server;
pub mod settings;
pub mod store;
