//! The plugin SDK: everything a server plugin needs, as one dependency. Upstream's
//! `plugin.ClientMain(&MyPlugin{})`, and more:
//!
//! - [`prelude`]: the [`Api`](api::Api) and [`Hooks`](hooks::Hooks) traits, the model types,
//!   streams, the error types, the [`implemented`] attribute, `log` and `http`;
//! - [`serve!`]: the whole `main` of a plugin, one call. It serves only the hooks the
//!   `#[plugin_sdk::implemented]` impl block defines; forgetting the attribute does not compile;
//! - [`ApiLogger`]: `log::info!` and friends, with their key/values, land in the server's log
//!   through the API's `log_*` methods, tagged with the plugin's id (installed by `serve!`);
//! - [`Error`] and [`ErrorContext`]: `?` on any error, in a hook or in a helper, gives the
//!   server a sensible error; `?` on an `io::Error` works in every hook as it is;
//! - `mock` (feature `mocks`, for tests): `MockApi`, `MockHooks`, the process harnesses and
//!   mockall.
//!
//! A whole plugin (`plugin-host new <id>` writes one, with its manifest and a test):
//!
//! ```no_run
//! use plugin_sdk::prelude::*;
//!
//! fn main() {
//!     plugin_sdk::serve!(Greeter::new)
//! }
//!
//! /// Generic over the API, so tests can hand it a `MockApi`.
//! pub struct Greeter<A> {
//!     api: A,
//! }
//!
//! impl<A: Api> Greeter<A> {
//!     pub fn new(api: A) -> Self {
//!         Greeter { api }
//!     }
//! }
//!
//! #[plugin_sdk::implemented]
//! impl<A: Api> Hooks for Greeter<A> {
//!     fn on_activate(&self) -> Result<(), PluginError> {
//!         log::info!(version = env!("CARGO_PKG_VERSION"); "greeter activated");
//!         Ok(())
//!     }
//!
//!     fn message_has_been_posted(&self, _c: &Context, post: &Post) -> Result<(), RpcError> {
//!         let author = self.api.get_user(&post.user_id)?;
//!         log::debug!(user = author.username.as_str(); "saw a post");
//!         Ok(())
//!     }
//! }
//! ```
//!
//! This crate holds no plugin machinery of its own beyond serving, logging and errors: it
//! re-exports `api-definitions` (the traits and model), `plugin-runtime` (streams, transport)
//! and `plugin-macros` (the attribute), so a plugin's `Cargo.toml` names one crate and its code
//! spells no generated paths.

mod error;
mod logger;
mod serve;

pub use error::{Error, ErrorContext, Result};
pub use logger::ApiLogger;
pub use serve::{serve_with, ApiClient, Options};

/// The `Api` trait (what a plugin may ask of the server) and its generated client.
pub use api_definitions::api;
/// The `Hooks` trait (what the server tells a plugin) and its generated dispatcher.
pub use api_definitions::hooks;
/// The data types that cross the plugin boundary.
pub use api_definitions::model;
/// The runtime under the generated glue: streams, transport, `Implements`. Also the path the
/// [`implemented`] attribute's expansion reaches it by.
pub use plugin_runtime as runtime;
pub use plugin_runtime::{ByteSink, ByteStream, RpcError};

/// Records which hooks an `impl Hooks for MyPlugin` block defines, so the server calls only
/// those (and [`serve!`] compiles only with it): `#[plugin_sdk::implemented]`.
pub use plugin_macros::sdk_implemented as implemented;

pub use log;
pub use plugin_runtime::http;
pub use serde;
pub use serde_json;

/// What a plugin module imports: `use plugin_sdk::prelude::*;`. Names are glob-imported, so a
/// plugin's own item of the same name wins.
pub mod prelude {
    pub use crate::implemented;
    pub use crate::ErrorContext;
    pub use api_definitions::api::Api;
    pub use api_definitions::hooks::Hooks;
    pub use api_definitions::model::*;
    pub use plugin_runtime::{http, ByteSink, ByteStream, RpcError};
    // `log::info!(...)` with no `log` dependency of the plugin's own.
    pub use log;
}

/// Test doubles (feature `mocks`): mockall mocks of both traits, the harnesses that put them
/// across a real connection, and mockall itself (`Sequence`, `predicate`).
#[cfg(feature = "mocks")]
pub mod mock {
    pub use api_definitions::api::mock::MockApi;
    pub use api_definitions::harness::{MockPlugin, PluginUnderTest};
    pub use api_definitions::hooks::mock::MockHooks;
    pub use mockall::{self, predicate, Sequence};
}
