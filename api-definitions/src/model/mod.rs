//! The data types that cross the plugin boundary: Rust ports of the `model` package types the
//! API and Hooks traits use, as serde types. Field names follow upstream's JSON names, and every
//! struct is `#[serde(default)]`, so a peer built against an older or newer copy still decodes it.

mod access_control;
mod audit;
mod bot;
mod channel;
mod cluster;
mod command;
mod config;
mod context;
mod dialog;
mod draft;
mod emoji;
mod error;
mod file;
mod group;
mod hook_events;
mod kv;
mod license;
mod logging;
mod notification;
mod oauth;
mod permission;
mod plugin;
mod post;
mod property;
mod session;
mod shared_channel;
mod team;
mod upload;
mod user;
mod verdict;
mod websocket;

#[cfg(test)]
mod unknown_fields_tests;

#[cfg(test)]
mod error_conversion_tests;

pub use access_control::*;
pub use audit::*;
pub use bot::*;
pub use channel::*;
pub use cluster::*;
pub use command::*;
pub use config::*;
pub use context::*;
pub use dialog::*;
pub use draft::*;
pub use emoji::*;
pub use error::*;
pub use file::*;
pub use group::*;
pub use hook_events::*;
pub use kv::*;
pub use license::*;
pub use logging::*;
pub use notification::*;
pub use oauth::*;
pub use permission::*;
pub use plugin::*;
pub use post::*;
pub use property::*;
pub use session::*;
pub use shared_channel::*;
pub use team::*;
pub use upload::*;
pub use user::*;
pub use verdict::*;
pub use websocket::*;
