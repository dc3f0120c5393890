//! The reference host API's database: one SQLite file, opened durably (WAL, `synchronous=FULL`),
//! with a versioned schema, and on it the plugins' key-value store and the server's core data
//! (users, teams, channels, memberships, posts).
//!
//! Leaves first: [`error`], [`clock`] and [`ids`] depend on nothing; `migrations` holds the
//! schema; [`db`] opens the file and hands out connections and transactions ([`Store`]); `rows`
//! is what the core-data modules share (documents, paging, checks). On top: [`kv`], the
//! per-plugin KV store ([`Store::kv`], [`PluginKv`]); [`users`]; [`teams`] (which needs users);
//! [`channels`] (teams, users); [`posts`] (channels, users). Each adds methods to [`Store`].
//! `docs/reference-api-store.md` says how data is kept and where the semantics come from.

pub mod channels;
pub mod clock;
pub mod db;
pub mod error;
pub mod ids;
pub mod kv;
mod migrations;
pub mod posts;
mod rows;
pub mod teams;
pub mod users;

pub use clock::{Clock, ManualClock, SystemClock};
pub use db::Store;
pub use error::{StoreError, KEY_MAX_CHARS, PLUGIN_ID_MAX_CHARS};
pub use kv::{PluginKv, DEFAULT_LIST_PER_PAGE};
pub use migrations::SCHEMA_VERSION;
pub use rows::DEFAULT_PER_PAGE;
