//! `StoreError`: why a database, plugin KV or core-data operation failed, naming the database
//! file, the operation, the plugin and the key, or the record and the field, with a stable kind
//! name the host maps to upstream's `AppError` ids.

use std::fmt;
use std::path::PathBuf;

/// The longest key upstream accepts, in characters (`model.KeyValueKeyMaxRunes`).
pub const KEY_MAX_CHARS: usize = 150;
/// The longest plugin id upstream accepts, in characters (`model.KeyValuePluginIdMaxRunes`).
pub const PLUGIN_ID_MAX_CHARS: usize = 190;

/// A failed store operation.
#[derive(Debug)]
pub enum StoreError {
    /// A key that is empty or longer than [`KEY_MAX_CHARS`] characters was given to a write.
    InvalidKey { plugin_id: String, key: String },
    /// A plugin id that is empty or longer than [`PLUGIN_ID_MAX_CHARS`] characters.
    InvalidPluginId { plugin_id: String },
    /// `kv_set_with_options` got an `old_value` without `atomic`: upstream refuses it, since the
    /// old value would silently be ignored.
    OldValueWithoutAtomic { plugin_id: String, key: String },
    /// The database file was written by a newer build (its `user_version` is past the last
    /// migration this build knows). Opening it could corrupt data the newer schema relies on.
    SchemaTooNew { path: PathBuf, found: u32, supported: u32 },
    /// A migration failed; its transaction was rolled back, so the file keeps the version before.
    Migration { path: PathBuf, version: u32, name: &'static str, source: rusqlite::Error },
    /// The database could not be opened or set up (WAL mode, sync level, timeouts).
    Open { path: PathBuf, step: &'static str, source: rusqlite::Error },
    /// SQLite would not switch the file to WAL mode (a file system without shared memory
    /// support, or a file opened by a tool that holds it in another mode); `mode` is what it kept.
    WalUnavailable { path: PathBuf, mode: String },
    /// A statement failed while running `operation` (I/O error, disk full, a lock held by another
    /// process past the busy timeout, ...).
    Database { path: PathBuf, operation: String, source: rusqlite::Error },
    /// No `what` (`"user"`, `"team"`, `"team member"`, `"channel"`, `"channel member"`,
    /// `"post"`) has the id (or name, email, ...) `id`. Memberships are named
    /// `<team or channel id>/<user id>`.
    NotFound { what: &'static str, id: String },
    /// Another `what` already has `value` in `field` (a field path such as `user.username`), which
    /// must be unique.
    Conflict { what: &'static str, field: &'static str, value: String },
    /// `field` (a path such as `user.username` or `post.root_id`) of the `what` given is not
    /// acceptable, or the operation is not allowed on the record as it is; `reason` says why and
    /// quotes the value.
    Invalid { what: &'static str, field: &'static str, reason: String },
}

impl StoreError {
    /// A stable name for the kind of error, for matching and for mapping to upstream's
    /// `AppError` ids (`docs/reference-api-store.md` has the table). Never changes once released.
    pub fn kind(&self) -> &'static str {
        match self {
            StoreError::InvalidKey { .. } => "store.kv.invalid_key",
            StoreError::InvalidPluginId { .. } => "store.kv.invalid_plugin_id",
            StoreError::OldValueWithoutAtomic { .. } => "store.kv.old_value_without_atomic",
            StoreError::SchemaTooNew { .. } => "store.schema_too_new",
            StoreError::Migration { .. } => "store.migration_failed",
            StoreError::Open { .. } => "store.open_failed",
            StoreError::WalUnavailable { .. } => "store.wal_unavailable",
            StoreError::Database { .. } => "store.database",
            StoreError::NotFound { .. } => "store.not_found",
            StoreError::Conflict { .. } => "store.conflict",
            StoreError::Invalid { .. } => "store.invalid",
        }
    }

    /// Whether the caller's input was at fault (upstream answers 400) rather than the server
    /// (upstream answers 500).
    pub fn is_bad_request(&self) -> bool {
        matches!(
            self,
            StoreError::InvalidKey { .. }
                | StoreError::InvalidPluginId { .. }
                | StoreError::OldValueWithoutAtomic { .. }
                | StoreError::Conflict { .. }
                | StoreError::Invalid { .. }
        )
    }

    /// Whether the record asked for does not exist (upstream answers 404).
    pub fn is_not_found(&self) -> bool {
        matches!(self, StoreError::NotFound { .. })
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::InvalidKey { plugin_id, key } => {
                let chars = key.chars().count();
                if chars == 0 {
                    write!(f, "plugin `{plugin_id}`: KV key is empty; keys need 1 to {KEY_MAX_CHARS} characters")
                } else {
                    // A long key is shown shortened: the point is its length, not its text.
                    let head: String = key.chars().take(40).collect();
                    write!(
                        f,
                        "plugin `{plugin_id}`: KV key `{head}...` is {chars} characters long; \
                         keys need 1 to {KEY_MAX_CHARS} characters"
                    )
                }
            }
            StoreError::InvalidPluginId { plugin_id } => write!(
                f,
                "plugin id `{plugin_id}` cannot own KV keys: it needs 1 to {PLUGIN_ID_MAX_CHARS} characters, \
                 it has {}",
                plugin_id.chars().count()
            ),
            StoreError::OldValueWithoutAtomic { plugin_id, key } => write!(
                f,
                "plugin `{plugin_id}`: kv_set_with_options of key `{key}` gave an old value without `atomic`; \
                 set `atomic` to compare against it, or drop the old value"
            ),
            StoreError::SchemaTooNew { path, found, supported } => write!(
                f,
                "database `{}` has schema version {found}, but this build only knows versions up to \
                 {supported}; it was written by a newer build: run that build, or restore a backup",
                path.display()
            ),
            StoreError::Migration { path, version, name, source } => write!(
                f,
                "database `{}`: migration {version} ({name}) failed and was rolled back: {source}",
                path.display()
            ),
            StoreError::Open { path, step, source } => {
                write!(f, "database `{}`: could not {step}: {source}", path.display())
            }
            StoreError::WalUnavailable { path, mode } => write!(
                f,
                "database `{}`: could not switch to WAL mode (journal mode stayed `{mode}`); the store needs \
                 WAL for concurrent readers and crash safety: put the file on a local file system",
                path.display()
            ),
            StoreError::Database { path, operation, source } => {
                write!(f, "database `{}`: {operation} failed: {source}", path.display())
            }
            StoreError::NotFound { what, id } => write!(f, "{what} `{id}` not found"),
            StoreError::Conflict { what, field, value } => {
                write!(f, "another {what} already has {field} `{value}`; it must be unique")
            }
            StoreError::Invalid { what, field, reason } => write!(f, "invalid {what}: {field} {reason}"),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Migration { source, .. }
            | StoreError::Open { source, .. }
            | StoreError::Database { source, .. } => Some(source),
            _ => None,
        }
    }
}
