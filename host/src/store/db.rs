//! `Store`: the host's SQLite database — opening it durably, migrating its schema, and handing
//! out connections to many plugin threads at once: one writer behind a mutex, a small pool of
//! read-only readers beside it.
//!
//! Why this shape: SQLite lets one transaction write at a time, whatever the number of
//! connections. Queueing writers on an in-process mutex is fair and cheap, where several writer
//! connections would fight over the file lock through the busy handler's sleep-and-retry. In WAL
//! mode readers never block the writer nor each other, so reads get their own connections and run
//! in parallel. A connection serves one thread at a time (`rusqlite::Connection` is not `Sync`),
//! so an idle reader is taken out of the pool for the length of one read and put back after.

use super::clock::{Clock, SystemClock};
use super::error::StoreError;
use super::migrations;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How long a statement waits for a lock held by another process on the same file (a second
/// host, a backup tool, the `sqlite3` shell) before failing. Inside one `Store` writers queue on
/// the mutex and never wait here.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Idle readers kept open for reuse. More can be open at once under load; those beyond this are
/// closed after their read instead of kept.
const MAX_IDLE_READERS: usize = 8;

/// The host's database. Cloning is cheap and shares the connections.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    // Declared before `writer` so readers close first: the writer, closing last, is the one that
    // checkpoints the WAL into the database file and removes it.
    readers: Mutex<Vec<Connection>>,
    writer: Mutex<Connection>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.inner.path).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    /// Expiry is measured on the system clock.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with_clock(path, Arc::new(SystemClock))
    }

    /// [`Store::open`] with the clock that expiry is measured on (a `ManualClock` in tests).
    pub fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> Result<Store, StoreError> {
        let mut writer = open_connection(path, Role::Writer)?;
        migrations::migrate(&mut writer, path)?;
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                clock,
            }),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The schema version of the open file (always [`migrations::SCHEMA_VERSION`] after a
    /// successful open, unless a newer build has since migrated the file).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        migrations::user_version(&lock(&self.inner.writer), &self.inner.path)
    }

    /// Now, in milliseconds since the epoch, on the store's clock.
    pub(crate) fn now_millis(&self) -> i64 {
        self.inner.clock.now_millis()
    }

    /// Runs `f` in one write transaction and commits it; an error from `f` rolls it back.
    /// `operation` (built only on failure) says what was being done, for the error message.
    ///
    /// The transaction is `BEGIN IMMEDIATE`: it takes the write lock at the start, so what `f`
    /// reads cannot change before it writes (compare-and-set relies on it), and a second process
    /// can never make it fail half-way on a lock upgrade, only wait at the start.
    pub(crate) fn write<T>(
        &self,
        operation: impl FnOnce() -> String,
        f: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        self.transaction(operation, |tx| f(tx).map_err(Abort::Sql))
    }

    /// [`Store::write`] for a body that may also refuse the operation on what it finds (a taken
    /// username, a missing channel): it returns [`Abort::Refused`] with the error to report, and
    /// everything it wrote is rolled back. Checks made inside the body hold until the commit,
    /// since no other write can run in between.
    pub(crate) fn transaction<T>(
        &self,
        operation: impl FnOnce() -> String,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, Abort>,
    ) -> Result<T, StoreError> {
        let mut writer = lock(&self.inner.writer);
        let result = (|| {
            let tx = writer.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        })();
        result.map_err(|abort| self.aborted(operation, abort))
    }

    /// Runs `f` on a reader connection. Each statement sees the last committed state as of its
    /// start; a write acknowledged before the call is always visible.
    pub(crate) fn read<T>(
        &self,
        operation: impl FnOnce() -> String,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        self.on_reader(f)?.map_err(|source| self.failed(operation(), source))
    }

    /// Runs `f` in one read transaction on a reader connection: every statement of `f` sees the
    /// same committed state, so a read of several rows or tables is consistent. `f` may refuse
    /// (a record not found) as in [`Store::transaction`].
    pub(crate) fn read_transaction<T>(
        &self,
        operation: impl FnOnce() -> String,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, Abort>,
    ) -> Result<T, StoreError> {
        let result = self.on_reader(|conn| {
            // Deferred: a read transaction takes its snapshot at the first statement.
            let tx = conn.unchecked_transaction()?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        })?;
        result.map_err(|abort| self.aborted(operation, abort))
    }

    /// Runs `f` on an idle reader (opening one if none is idle) and puts the reader back.
    fn on_reader<T>(&self, f: impl FnOnce(&Connection) -> T) -> Result<T, StoreError> {
        let idle = lock(&self.inner.readers).pop();
        let reader = match idle {
            Some(reader) => reader,
            None => open_connection(&self.inner.path, Role::Reader)?,
        };
        let result = f(&reader);
        let mut readers = lock(&self.inner.readers);
        if readers.len() < MAX_IDLE_READERS {
            readers.push(reader);
        }
        Ok(result)
    }

    fn aborted(&self, operation: impl FnOnce() -> String, abort: Abort) -> StoreError {
        match abort {
            Abort::Sql(source) => self.failed(operation(), source),
            Abort::Refused(error) => error,
        }
    }

    fn failed(&self, operation: String, source: rusqlite::Error) -> StoreError {
        StoreError::Database { path: self.inner.path.clone(), operation, source }
    }
}

/// Why the body of a [`Store::transaction`] stopped: a statement failed (reported as
/// [`StoreError::Database`] naming the operation), or the data refused the operation (reported as
/// it is). `?` converts either.
#[derive(Debug)]
pub(crate) enum Abort {
    Sql(rusqlite::Error),
    Refused(StoreError),
}

impl From<rusqlite::Error> for Abort {
    fn from(source: rusqlite::Error) -> Abort {
        Abort::Sql(source)
    }
}

impl From<StoreError> for Abort {
    fn from(error: StoreError) -> Abort {
        Abort::Refused(error)
    }
}

/// Locks a mutex even if a thread panicked while holding it. Safe here: a panic inside
/// [`Store::write`] drops its `Transaction`, which rolls back, so the connection is left outside
/// any transaction; the reader list is only pushed to and popped from.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Writer,
    Reader,
}

/// Opens one connection to `path` and sets it up for its role.
fn open_connection(path: &Path, role: Role) -> Result<Connection, StoreError> {
    let failed = |step: &'static str| {
        let path = path.to_path_buf();
        move |source| StoreError::Open { path, step, source }
    };
    let flags = match role {
        Role::Writer => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        // Readers need write access to the WAL index (`-shm`) even when they only read;
        // `query_only` below keeps them from writing the database.
        Role::Reader => OpenFlags::SQLITE_OPEN_READ_WRITE,
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(failed("open the file"))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(failed("set the busy timeout"))?;
    if role == Role::Writer {
        // WAL: readers run beside the writer, and a commit appends to the log instead of
        // rewriting pages in place, so a crash mid-write leaves the last commit intact. The mode
        // is kept in the file; setting it can fail (a file system without shared memory), so the
        // answer is checked rather than assumed.
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(failed("switch to WAL mode"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::WalUnavailable { path: path.to_path_buf(), mode });
        }
    }
    // FULL: every commit syncs the WAL to disk before it returns. A write the store acknowledged
    // then survives the process being killed (kill -9, OOM) and a power loss or OS crash too;
    // NORMAL in WAL mode would survive the former only and could lose the last commits to the
    // latter. The cost is one fsync per write transaction, which a plugin KV write can afford.
    // (Per connection, not stored in the file: set on readers too, so no connection of ours
    // ever syncs less.)
    conn.pragma_update(None, "synchronous", "FULL").map_err(failed("set synchronous=FULL"))?;
    // Off by default in SQLite, per connection; later tables may rely on references.
    conn.pragma_update(None, "foreign_keys", true).map_err(failed("enable foreign keys"))?;
    if role == Role::Reader {
        conn.pragma_update(None, "query_only", true).map_err(failed("make the reader read-only"))?;
    }
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pragma<T: rusqlite::types::FromSql>(conn: &Connection, name: &str) -> T {
        conn.pragma_query_value(None, name, |row| row.get(0)).unwrap()
    }

    #[test]
    fn connections_are_durable_wal_with_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("host.db")).unwrap();
        store
            .write(String::new, |tx| {
                assert_eq!(pragma::<String>(tx, "journal_mode"), "wal");
                // 2 = FULL.
                assert_eq!(pragma::<i64>(tx, "synchronous"), 2);
                assert_eq!(pragma::<i64>(tx, "foreign_keys"), 1);
                assert_eq!(pragma::<i64>(tx, "busy_timeout"), 5000);
                Ok(())
            })
            .unwrap();
        store
            .read(String::new, |conn| {
                assert_eq!(pragma::<String>(conn, "journal_mode"), "wal");
                assert_eq!(pragma::<i64>(conn, "synchronous"), 2);
                assert_eq!(pragma::<i64>(conn, "query_only"), 1);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn readers_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("host.db")).unwrap();
        let err = store
            .read(
                || "writing through a reader".into(),
                |conn| conn.execute("INSERT INTO plugin_kv VALUES ('p', 'k', x'00', 0)", []),
            )
            .unwrap_err();
        assert_eq!(err.kind(), "store.database");
        assert!(err.to_string().contains("writing through a reader failed"), "{err}");
    }

    #[test]
    fn a_failing_write_rolls_back_everything_it_did() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("host.db")).unwrap();
        let err = store
            .write(
                || "a two-step write".into(),
                |tx| {
                    tx.execute("INSERT INTO plugin_kv VALUES ('p', 'k', x'00', 0)", [])?;
                    tx.execute("INSERT INTO nowhere VALUES (1)", [])
                },
            )
            .unwrap_err();
        assert!(err.to_string().contains("a two-step write failed"), "{err}");
        let rows: i64 =
            store.read(String::new, |conn| conn.query_row("SELECT count(*) FROM plugin_kv", [], |r| r.get(0))).unwrap();
        assert_eq!(rows, 0);
    }

    #[test]
    fn a_missing_directory_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-dir").join("host.db");
        let err = Store::open(&path).unwrap_err();
        assert_eq!(err.kind(), "store.open_failed");
        assert!(err.to_string().contains("no-such-dir"), "{err}");
    }

    #[test]
    fn idle_readers_are_reused_and_capped() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("host.db")).unwrap();
        for _ in 0..3 {
            store.read(String::new, |_| Ok(())).unwrap();
        }
        assert_eq!(lock(&store.inner.readers).len(), 1);
        // Many reads at once open many readers; only MAX_IDLE_READERS stay.
        let barrier = std::sync::Barrier::new(12);
        std::thread::scope(|scope| {
            for _ in 0..12 {
                scope.spawn(|| {
                    store
                        .read(String::new, |_| {
                            barrier.wait();
                            Ok(())
                        })
                        .unwrap()
                });
            }
        });
        assert_eq!(lock(&store.inner.readers).len(), MAX_IDLE_READERS);
    }
}
