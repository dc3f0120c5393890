//! The data types that cross the plugin boundary: Rust ports of the `model` package types the
//! API and Hooks traits use, as serde types. Field names follow upstream's JSON names, and every
//! struct is `#[serde(default)]`, so a peer built against an older or newer copy still decodes it.

mod context;
mod error;
mod logging;
mod verdict;
mod user;
mod session;
mod team;
mod channel;
mod post;
mod file;
mod emoji;
mod command;
mod config;
mod license;
mod plugin;
mod hook_events;
mod misc;
mod group;
mod property;
mod bot;
mod oauth;
mod upload;
mod audit;
mod shared_channel;
mod notification;
mod misc2;

pub use context::*;
pub use error::*;
pub use logging::*;
pub use verdict::*;
pub use user::*;
pub use session::*;
pub use team::*;
pub use channel::*;
pub use post::*;
pub use file::*;
pub use emoji::*;
pub use command::*;
pub use config::*;
pub use license::*;
pub use plugin::*;
pub use hook_events::*;
pub use misc::*;
pub use group::*;
pub use property::*;
pub use bot::*;
pub use oauth::*;
pub use upload::*;
pub use audit::*;
pub use shared_channel::*;
pub use notification::*;
pub use misc2::*;
