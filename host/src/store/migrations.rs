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
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
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
    },
    Migration {
        version: 2,
        name: "users, teams, channels, memberships and posts",
        // Each record is a row of columns for what statements filter, sort, join and update on,
        // plus `doc`: the whole struct in MessagePack (see `rows.rs`). Times are milliseconds
        // since the epoch, `delete_at` 0 while the record is live (upstream's soft deletes).
        // Uniqueness is enforced by the code inside the write transaction (to name the field in
        // the error) and again by the indexes below, so no path can get past it.
        sql: "CREATE TABLE users (
              id TEXT PRIMARY KEY NOT NULL,
              username TEXT NOT NULL,
              email TEXT NOT NULL,
              roles TEXT NOT NULL,
              create_at INTEGER NOT NULL,
              update_at INTEGER NOT NULL,
              delete_at INTEGER NOT NULL,
              doc BLOB NOT NULL
          ) STRICT;
          -- Usernames and emails are unique among active users; a deactivated user's are free.
          CREATE UNIQUE INDEX users_username_live ON users (username) WHERE delete_at = 0;
          CREATE UNIQUE INDEX users_email_live ON users (email) WHERE delete_at = 0;
          CREATE INDEX users_username ON users (username, delete_at);
          CREATE INDEX users_email ON users (email, delete_at);

          CREATE TABLE teams (
              id TEXT PRIMARY KEY NOT NULL,
              name TEXT NOT NULL UNIQUE,
              create_at INTEGER NOT NULL,
              update_at INTEGER NOT NULL,
              delete_at INTEGER NOT NULL,
              doc BLOB NOT NULL
          ) STRICT;

          CREATE TABLE team_members (
              team_id TEXT NOT NULL REFERENCES teams (id),
              user_id TEXT NOT NULL REFERENCES users (id),
              create_at INTEGER NOT NULL,
              delete_at INTEGER NOT NULL,
              doc BLOB NOT NULL,
              PRIMARY KEY (team_id, user_id)
          ) WITHOUT ROWID, STRICT;
          CREATE INDEX team_members_user ON team_members (user_id);

          -- `team_id` is '' for direct and group channels, so it cannot reference `teams`.
          CREATE TABLE channels (
              id TEXT PRIMARY KEY NOT NULL,
              team_id TEXT NOT NULL,
              type TEXT NOT NULL CHECK (type IN ('O', 'P', 'D', 'G')),
              name TEXT NOT NULL,
              display_name TEXT NOT NULL,
              create_at INTEGER NOT NULL,
              update_at INTEGER NOT NULL,
              delete_at INTEGER NOT NULL,
              last_post_at INTEGER NOT NULL,
              last_root_post_at INTEGER NOT NULL,
              total_msg_count INTEGER NOT NULL,
              total_msg_count_root INTEGER NOT NULL,
              doc BLOB NOT NULL,
              UNIQUE (team_id, name)
          ) STRICT;
          CREATE INDEX channels_team_type ON channels (team_id, type, display_name);

          CREATE TABLE channel_members (
              channel_id TEXT NOT NULL REFERENCES channels (id),
              user_id TEXT NOT NULL REFERENCES users (id),
              doc BLOB NOT NULL,
              PRIMARY KEY (channel_id, user_id)
          ) WITHOUT ROWID, STRICT;
          CREATE INDEX channel_members_user ON channel_members (user_id);

          CREATE TABLE posts (
              id TEXT PRIMARY KEY NOT NULL,
              channel_id TEXT NOT NULL REFERENCES channels (id),
              user_id TEXT NOT NULL REFERENCES users (id),
              root_id TEXT NOT NULL,
              create_at INTEGER NOT NULL,
              update_at INTEGER NOT NULL,
              edit_at INTEGER NOT NULL,
              delete_at INTEGER NOT NULL,
              doc BLOB NOT NULL
          ) STRICT;
          -- A channel's live posts, newest first, is an index walk.
          CREATE INDEX posts_channel_live ON posts (channel_id, create_at DESC, id DESC) WHERE delete_at = 0;
          CREATE INDEX posts_root ON posts (root_id) WHERE root_id <> '';",
    },
];

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
    fn version_2_upgrades_a_version_1_file_keeping_its_kv_rows() {
        let dir = tempfile::tempdir().unwrap();
        let (mut conn, path) = open(&dir);
        assert_eq!(apply(&mut conn, &path, &MIGRATIONS[..1]).unwrap(), 1);
        conn.execute("INSERT INTO plugin_kv VALUES ('p', 'k', x'01', 0)", []).unwrap();
        assert_eq!(migrate(&mut conn, &path).unwrap(), SCHEMA_VERSION);
        let value: Vec<u8> = conn.query_row("SELECT pvalue FROM plugin_kv WHERE pkey = 'k'", [], |r| r.get(0)).unwrap();
        assert_eq!(value, [1]);
        for table in ["channel_members", "channels", "posts", "team_members", "teams", "users"] {
            assert!(tables(&conn).iter().any(|t| t == table), "{table} missing");
        }
        // STRICT: a value of the wrong type is refused rather than stored.
        let err =
            conn.execute("INSERT INTO users VALUES ('i', 'u', 'e', 'r', 'not a time', 0, 0, x'80')", []).unwrap_err();
        assert!(err.to_string().contains("cannot store TEXT value in INTEGER column"), "{err}");
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
