//! The reference host API's database: one SQLite file, opened durably (WAL, `synchronous=FULL`),
//! with a versioned schema, and on it the plugins' key-value store.
//!
//! Leaves first: [`error`] and [`clock`] depend on nothing; [`migrations`] holds the schema;
//! [`db`] opens the file and hands out connections ([`Store`]); [`kv`] is the per-plugin KV store
//! on top ([`Store::kv`], [`PluginKv`]). `docs/reference-api-store.md` says how data is kept and
//! where the KV semantics come from.

pub mod clock;
pub mod db;
pub mod error;
pub mod kv;
mod migrations;

pub use clock::{Clock, ManualClock, SystemClock};
pub use db::Store;
pub use error::{StoreError, KEY_MAX_CHARS, PLUGIN_ID_MAX_CHARS};
pub use kv::{PluginKv, DEFAULT_LIST_PER_PAGE};
pub use migrations::SCHEMA_VERSION;
