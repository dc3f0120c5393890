//! The plugin surface: the [`api::Api`] trait (what a plugin may ask of the server) and the
//! [`hooks::Hooks`] trait (what the server tells a plugin), the model types they use, and the RPC
//! glue generated from them by `cargo xtask pluginapi` ([`api::rpc`] and [`hooks::rpc`]).

// `AppError` carries upstream's fields (about 180 bytes). Errors are the cold path of a call
// that already crossed a process boundary, so moving them is not worth boxing every field.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod hooks;
pub mod model;
