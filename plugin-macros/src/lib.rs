//! Attributes that generate plugin RPC glue for any trait, the same glue `cargo xtask pluginapi`
//! writes for Mattermost's API and Hooks. This crate is a shim: every expansion is a call into
//! `pluginapi_gen::attribute`, so the attribute and the xtask cannot drift apart.
//!
//! ```ignore
//! #[plugin_macros::interface]
//! pub trait Greeter: Send + Sync {
//!     /// Greets someone.
//!     ///
//!     /// Wire id: 0
//!     fn greet(&self, name: &str) -> Result<String, plugin_runtime::RpcError>;
//! }
//! // -> `greeter_rpc::{Client, Dispatcher, Timed, INTERFACE, methods, wire}`
//! ```

use proc_macro::TokenStream;

/// Generates RPC glue for the trait it is attached to, in a module next to it (`<trait>_rpc`
/// unless `module = name` is given). Arguments: `module = name`, `runtime = ::path` (the
/// runtime crate's path if it is renamed), `tests = true` (also emit a round-trip test per
/// method), `mocks = true` (also emit a mockall `Mock<Trait>`; the crate needs `mockall`),
/// `require_min_version = true` (demand `Minimum server version:` doc lines).
#[proc_macro_attribute]
pub fn interface(attr: TokenStream, item: TokenStream) -> TokenStream {
    pluginapi_gen::attribute::expand_interface(attr.into(), item.into()).into()
}

/// On `impl Trait for Type { ... }`: records at compile time which methods the block defines,
/// as an `Implements<dyn Trait>` impl, so `Dispatcher::declared` tells hosts to skip the rest.
#[proc_macro_attribute]
pub fn implemented(attr: TokenStream, item: TokenStream) -> TokenStream {
    pluginapi_gen::attribute::expand_implemented(attr.into(), item.into()).into()
}

/// `#[implemented]` for plugins built on `plugin-sdk`, which re-exports it as
/// `plugin_sdk::implemented`: the same, with the runtime reached through `::plugin_sdk::runtime`,
/// so a plugin needs no dependency on `plugin-runtime` of its own. `runtime = ::path` still
/// overrides it.
#[proc_macro_attribute]
pub fn sdk_implemented(attr: TokenStream, item: TokenStream) -> TokenStream {
    let attr: proc_macro2::TokenStream = attr.into();
    let attr = if attr.is_empty() { quote::quote!(runtime = ::plugin_sdk::runtime) } else { attr };
    pluginapi_gen::attribute::expand_implemented(attr, item.into()).into()
}
