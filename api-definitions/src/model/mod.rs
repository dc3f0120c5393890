//! The data types that cross the plugin boundary: Rust ports of the `model` package types the
//! API and Hooks traits use, as serde types. Field names follow upstream's JSON names, and every
//! struct is `#[serde(default)]`, so a peer built against an older or newer copy still decodes it.

mod access_control;
mod audit;
mod bot;
mod channel;
mod command;
mod config;
mod context;
mod draft;
mod emoji;
mod error;
mod file;
mod group;
mod hook_events;
mod license;
mod logging;
mod misc;
mod misc2;
mod notification;
mod oauth;
mod plugin;
mod post;
mod property;
mod session;
mod shared_channel;
mod team;
mod upload;
mod user;
mod verdict;

#[cfg(test)]
mod unknown_fields_tests;

#[cfg(test)]
mod error_conversion_tests;

pub use access_control::*;
pub use audit::*;
pub use bot::*;
pub use channel::*;
pub use command::*;
pub use config::*;
pub use context::*;
pub use draft::*;
pub use emoji::*;
pub use error::*;
pub use file::*;
pub use group::*;
pub use hook_events::*;
pub use license::*;
pub use logging::*;
pub use misc::*;
pub use misc2::*;
pub use notification::*;
pub use oauth::*;
pub use plugin::*;
pub use post::*;
pub use property::*;
pub use session::*;
pub use shared_channel::*;
pub use team::*;
pub use upload::*;
pub use user::*;
pub use verdict::*;
