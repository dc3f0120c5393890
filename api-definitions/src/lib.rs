//! The plugin surface: the [`api::Api`] trait (what a plugin may ask of the server) and the
//! [`hooks::Hooks`] trait (what the server tells a plugin), the model types they use, and the RPC
//! glue generated from them by `cargo xtask pluginapi` ([`api::rpc`] and [`hooks::rpc`]).

pub mod api;
#[cfg(feature = "mocks")]
pub mod harness;
pub mod hooks;
pub mod host;
pub mod model;
#[cfg(test)]
mod verdict_round_trips;
