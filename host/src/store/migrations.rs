//! The database schema as an ordered list of migrations, and applying the missing ones: the
//! schema version is SQLite's `PRAGMA user_version`, and each migration runs in its own
//! transaction together with the version bump, so a crash or a failing statement leaves the file
//! at the version before, never half-migrated.

use super::error::StoreError;
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// One step of the schema. `version` is the `user_version` the database has after it.
pub(crate) struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, in order, versions 1, 2, 3, ... without gaps (a unit test checks it).
/// Released migrations are never edited: a database already past one would not run the edit.
/// Change the schema by appending a migration.
pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "plugin key-value store",
    // Upstream's `PluginKeyValueStore` columns (`PluginId`, `PKey`, `PValue`, `ExpireAt`). The
    // plugin id leads the primary key, so every statement of one plugin reads a range of its
    // own rows and listing in key order is an index walk. WITHOUT ROWID stores rows in that
    // key order. STRICT refuses a key bound as a blob or a value bound as text by mistake.
    // `expire_at` is milliseconds since the epoch, 0 for never (upstream's encoding).
    sql: "CREATE TABLE plugin_kv (
              plugin_id TEXT NOT NULL,
              pkey TEXT NOT NULL,
              pvalue BLOB NOT NULL,
              expire_at INTEGER NOT NULL,
              PRIMARY KEY (plugin_id, pkey)
          ) WITHOUT ROWID, STRICT;
          -- Purging expired keys reads only the rows that can expire.
          CREATE INDEX plugin_kv_expiring ON plugin_kv (expire_at) WHERE expire_at <> 0;",
}];

/// The schema version this build creates and understands.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the database at `path` (already open on `conn`) to [`SCHEMA_VERSION`]; returns it.
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<u32, StoreError> {
    apply(conn, path, MIGRATIONS)
}

/// Applies the migrations of `migrations` the database lacks. Separate from [`migrate`] so tests
/// can run lists with a failing step.
pub(crate) fn apply(conn: &mut Connection, path: &Path, migrations: &[Migration]) -> Result<u32, StoreError> {
    let supported = migrations.last().map_or(0, |m| m.version);
    let found = user_version(conn, path)?;
    if found > supported {
        return Err(StoreError::SchemaTooNew { path: path.to_path_buf(), found, supported });
    }
    for migration in migrations.iter().filter(|m| m.version > found) {
        let failed = |source| StoreError::Migration {
            path: path.to_path_buf(),
            version: migration.version,
            name: migration.name,
            source,
        };
        // IMMEDIATE takes the write lock before reading the version: another process opening
        // the same file at the same moment waits here instead of applying the step twice.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(failed)?;
        let current = user_version(&tx, path)?;
        if current > supported {
            return Err(StoreError::SchemaTooNew { path: path.to_path_buf(), found: current, supported });
        }
        if current >= migration.version {
            // Applied by that other process meanwhile; dropping `tx` rolls back our empty one.
            continue;
        }
        tx.execute_batch(migration.sql).map_err(failed)?;
        tx.pragma_update(None, "user_version", migration.version).map_err(failed)?;
        tx.commit().map_err(failed)?;
    }
    user_version(conn, path)
}

/// The database's schema version (`PRAGMA user_version`, 0 for a new file).
pub(crate) fn user_version(conn: &Connection, path: &Path) -> Result<u32, StoreError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(|source| {
        StoreError::Database { path: path.to_path_buf(), operation: "reading the schema version".into(), source }
    })?;
    // user_version is a signed 32-bit header field; a negative one was not written by us.
    Ok(u32::try_from(version).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dir: &tempfile::TempDir) -> (Connection, std::path::PathBuf) {
        let path = dir.path().join("test.db");
        (Connection::open(&path).unwrap(), path)
    }

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").unwrap();
        stmt.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    }

    #[test]
    fn versions_count_up_from_one_without_gaps() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version as usize, index + 1, "migration `{}` is out of order", migration.name);
        }
        assert_eq!(SCHEMA_VERSION, MIGRATIONS.last().unwrap().version);
    }

    #[test]
    fn applies_each_missing_migration_once() {
        let dir = tempfile::tempdir().unwrap();
        let (mut conn, path) = open(&dir);
        let steps = [
            Migration { version: 1, name: "a", sql: "CREATE TABLE a (x INTEGER);" },
            Migration { version: 2, name: "b", sql: "CREATE TABLE b (x INTEGER);" },
        ];
        assert_eq!(apply(&mut conn, &path, &steps[..1]).unwrap(), 1);
        assert_eq!(tables(&conn), ["a"]);
        // Re-running with one more step applies only that one (re-running `a` would fail:
        // its table exists).
        assert_eq!(apply(&mut conn, &path, &steps).unwrap(), 2);
        assert_eq!(tables(&conn), ["a", "b"]);
        assert_eq!(apply(&mut conn, &path, &steps).unwrap(), 2);
    }

    #[test]
    fn a_failing_migration_rolls_back_with_its_version() {
        let dir = tempfile::tempdir().unwrap();
        let (mut conn, path) = open(&dir);
        let steps = [
            Migration { version: 1, name: "good", sql: "CREATE TABLE a (x INTEGER);" },
            // The first statement succeeds, the second fails: the table must not survive.
            Migration { version: 2, name: "bad", sql: "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);" },
        ];
        let err = apply(&mut conn, &path, &steps).unwrap_err();
        assert_eq!(err.kind(), "store.migration_failed");
        let message = err.to_string();
        assert!(message.contains("migration 2 (bad)") && message.contains("test.db"), "{message}");
        assert_eq!(user_version(&conn, &path).unwrap(), 1);
        assert_eq!(tables(&conn), ["a"]);
    }

    #[test]
    fn a_newer_database_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let (mut conn, path) = open(&dir);
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 5).unwrap();
        let err = migrate(&mut conn, &path).unwrap_err();
        match &err {
            StoreError::SchemaTooNew { found, supported, .. } => {
                assert_eq!((*found, *supported), (SCHEMA_VERSION + 5, SCHEMA_VERSION));
            }
            other => panic!("expected SchemaTooNew, got {other:?}"),
        }
        assert!(tables(&conn).is_empty());
    }
}
