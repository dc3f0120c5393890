//! The store as the host will use it: plugins kept apart, compare-and-set under a race of
//! threads, acknowledged writes surviving a SIGKILL of the writer, schema versions on reopen, and
//! the KV store checked against a plain in-memory model over random operation sequences.

use api_definitions::model::PluginKVSetOptions;
use plugin_host::store::{ManualClock, PluginKv, Store, StoreError, SCHEMA_VERSION};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("host.db");
    (dir, path)
}

// ---------------------------------------------------------------------------------------------
// Isolation

#[test]
fn a_plugin_cannot_see_or_change_another_plugins_keys() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let a = store.kv("com.example.a").unwrap();
    // A second handle from a clone of the store: isolation must not depend on the handle.
    let b = store.clone().kv("com.example.b").unwrap();
    // An id that is a prefix of another's, and one that would break a string-built query.
    let prefix = store.kv("com.example").unwrap();
    let sneaky = store.kv("com.example.b' OR '1'='1").unwrap();

    b.set("shared", b"b's value").unwrap();
    b.set("only-b", b"secret").unwrap();
    b.set_with_expiry("b-expiring", b"v", 60).unwrap();

    for intruder in [&a, &prefix, &sneaky] {
        let who = intruder.plugin_id();
        assert_eq!(intruder.get("shared").unwrap(), None, "{who} read b's key");
        assert_eq!(intruder.get("only-b").unwrap(), None, "{who} read b's key");
        assert!(intruder.list(0, 100).unwrap().is_empty(), "{who} listed b's keys");
        assert!(!intruder.compare_and_set("shared", b"b's value", b"stolen").unwrap(), "{who} CAS on b's key");
        assert!(!intruder.compare_and_delete("only-b", b"secret").unwrap(), "{who} CAD on b's key");
        let atomic_on_b =
            PluginKVSetOptions { atomic: true, old_value: Some(b"secret".to_vec()), ..PluginKVSetOptions::default() };
        assert!(!intruder.set_with_options("only-b", b"stolen", &atomic_on_b).unwrap(), "{who} atomic set");
        intruder.delete("only-b").unwrap();
        intruder.set("shared", b"").unwrap();
        intruder.delete_all().unwrap();
    }
    // Writing "its own" copy of a key b has: a separate row, b's stays.
    assert!(a.compare_and_set("shared", b"", b"a's value").unwrap(), "a's insert-if-absent saw b's row");
    a.set("only-b", b"a's own").unwrap();

    assert_eq!(b.get("shared").unwrap().as_deref(), Some(&b"b's value"[..]));
    assert_eq!(b.get("only-b").unwrap().as_deref(), Some(&b"secret"[..]));
    assert_eq!(b.list(0, 100).unwrap(), ["b-expiring", "only-b", "shared"]);
    assert_eq!(a.get("shared").unwrap().as_deref(), Some(&b"a's value"[..]));
    assert_eq!(a.list(0, 100).unwrap(), ["only-b", "shared"]);

    a.delete_all().unwrap();
    assert!(a.list(0, 100).unwrap().is_empty());
    assert_eq!(b.list(0, 100).unwrap().len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Concurrency

const THREADS: usize = 16;
const ROUNDS: usize = 60;

#[test]
fn racing_compare_and_set_has_exactly_one_winner_per_round() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let kv = store.kv("racer").unwrap();
    kv.set("counter", b"0").unwrap();

    // Per round, three races: update (counter r -> r+1), insert-if-absent (round-r, valued with
    // the thread's number) and compare-and-delete of round-r against the insert's winner.
    let update_wins: Vec<AtomicUsize> = (0..ROUNDS).map(|_| AtomicUsize::new(0)).collect();
    let insert_wins: Vec<AtomicUsize> = (0..ROUNDS).map(|_| AtomicUsize::new(0)).collect();
    let insert_winner: Vec<AtomicUsize> = (0..ROUNDS).map(|_| AtomicUsize::new(usize::MAX)).collect();
    let delete_wins: Vec<AtomicUsize> = (0..ROUNDS).map(|_| AtomicUsize::new(0)).collect();
    // Errors are collected, not panicked on: a thread that stopped early would leave the others
    // waiting at the barrier forever.
    let errors = Mutex::new(Vec::<String>::new());
    let barrier = Barrier::new(THREADS);

    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let kv = kv.clone();
            let (barrier, errors) = (&barrier, &errors);
            let (update_wins, insert_wins, insert_winner, delete_wins) =
                (&update_wins, &insert_wins, &insert_winner, &delete_wins);
            scope.spawn(move || {
                let won = |result: Result<bool, StoreError>, what: &str| match result {
                    Ok(won) => won,
                    Err(err) => {
                        errors.lock().unwrap().push(format!("thread {thread}, {what}: {err}"));
                        false
                    }
                };
                for round in 0..ROUNDS {
                    // Everyone starts each race together, so they really race.
                    barrier.wait();
                    let (old, new) = (round.to_string(), (round + 1).to_string());
                    if won(kv.compare_and_set("counter", old.as_bytes(), new.as_bytes()), "update") {
                        update_wins[round].fetch_add(1, Ordering::SeqCst);
                    }
                    let key = format!("round-{round}");
                    if won(kv.compare_and_set(&key, b"", thread.to_string().as_bytes()), "insert") {
                        insert_wins[round].fetch_add(1, Ordering::SeqCst);
                        insert_winner[round].store(thread, Ordering::SeqCst);
                    }
                    // Every insert has happened before anyone deletes.
                    barrier.wait();
                    let owner = insert_winner[round].load(Ordering::SeqCst).to_string();
                    if won(kv.compare_and_delete(&key, owner.as_bytes()), "delete") {
                        delete_wins[round].fetch_add(1, Ordering::SeqCst);
                    }
                }
            });
        }
    });

    assert_eq!(errors.into_inner().unwrap(), Vec::<String>::new());
    for round in 0..ROUNDS {
        assert_eq!(update_wins[round].load(Ordering::SeqCst), 1, "round {round}: update winners");
        assert_eq!(insert_wins[round].load(Ordering::SeqCst), 1, "round {round}: insert winners");
        assert_eq!(delete_wins[round].load(Ordering::SeqCst), 1, "round {round}: delete winners");
    }
    assert_eq!(kv.get("counter").unwrap().as_deref(), Some(ROUNDS.to_string().as_bytes()));
    assert_eq!(kv.list(0, 1000).unwrap(), ["counter"], "every round's key was deleted exactly once");
}

#[test]
fn many_threads_on_two_stores_of_one_file_never_fail() {
    // Two `Store`s on one file stand for two processes: their writers do not share a mutex, so
    // they meet at SQLite's file lock and the busy timeout must absorb it.
    let (_dir, path) = temp_db();
    let first = Store::open(&path).unwrap();
    let second = Store::open(&path).unwrap();
    std::thread::scope(|scope| {
        for thread in 0..8 {
            let store = if thread % 2 == 0 { first.clone() } else { second.clone() };
            scope.spawn(move || {
                let kv = store.kv(&format!("plugin-{}", thread % 4)).unwrap();
                for i in 0..40 {
                    let key = format!("t{thread}-{i}");
                    kv.set(&key, key.as_bytes()).unwrap();
                    assert_eq!(kv.get(&key).unwrap().as_deref(), Some(key.as_bytes()));
                    kv.list(0, 5).unwrap();
                }
            });
        }
    });
    let total: usize = (0..4).map(|p| first.kv(&format!("plugin-{p}")).unwrap().list(0, 1000).unwrap().len()).sum();
    assert_eq!(total, 8 * 40);
}

// ---------------------------------------------------------------------------------------------
// Durability

/// Set in the child process: the database file it writes to.
const WRITER_ENV: &str = "PLUGIN_HOST_STORE_TEST_WRITER_DB";

fn durable_value(i: u64) -> Vec<u8> {
    // Some kilobytes, so a write spans several pages and a kill can land inside one.
    format!("value {i} ").repeat(200 + (i % 50) as usize).into_bytes()
}

/// Not a test on its own: the writer role of [`acknowledged_writes_survive_sigkill`], run in a
/// child process (this same test binary, selected by `WRITER_ENV`). Without it, returns at once.
#[test]
fn durability_writer_child() {
    let Some(path) = std::env::var_os(WRITER_ENV) else { return };
    let store = Store::open(Path::new(&path)).unwrap();
    let kv = store.kv("durability").unwrap();
    let mut stdout = std::io::stdout().lock();
    let mut last = Vec::new();
    // Bounded, though the parent kills it long before.
    for i in 0..200_000u64 {
        kv.set(&format!("key-{i:07}"), &durable_value(i)).unwrap();
        let next = i.to_string().into_bytes();
        assert!(kv.compare_and_set("last", &last, &next).unwrap(), "the writer is alone");
        last = next;
        // Printed only once both writes have returned: every line is an acknowledged write.
        writeln!(stdout, "ACK {i}").unwrap();
        stdout.flush().unwrap();
    }
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    for round in 0..4u64 {
        let (dir, path) = temp_db();
        let stderr_path = dir.path().join("child.stderr");
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "durability_writer_child", "--nocapture", "--test-threads=1"])
            .env(WRITER_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr_path).unwrap())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        // Kill at a different point each round.
        let kill_after = 30 + round * 41;
        let mut acknowledged: Option<u64> = None;
        let mut killed = false;
        for line in stdout.lines() {
            let line = line.unwrap();
            let Some(i) = line.strip_prefix("ACK ") else { continue };
            acknowledged = Some(i.parse().unwrap());
            if !killed && acknowledged >= Some(kill_after) {
                child.kill().unwrap(); // SIGKILL on Unix.
                killed = true;
            }
            // Lines already in the pipe when the kill lands were acknowledged too: keep reading.
        }
        let status = child.wait().unwrap();
        let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
        assert_eq!(
            status.signal(),
            Some(libc::SIGKILL),
            "round {round}: the writer was not killed: {status}\n{stderr}"
        );
        let acknowledged = acknowledged.expect("the writer acknowledged writes");

        let store = Store::open(&path).unwrap();
        let kv = store.kv("durability").unwrap();
        for i in 0..=acknowledged {
            let value = kv.get(&format!("key-{i:07}")).unwrap();
            assert_eq!(value, Some(durable_value(i)), "round {round}: acknowledged key {i} lost or damaged");
        }
        // The counter is at least the last acknowledged step, at most one unacknowledged step
        // further (the write in flight when the kill landed may or may not have committed).
        let last: u64 = String::from_utf8(kv.get("last").unwrap().unwrap()).unwrap().parse().unwrap();
        assert!(
            (acknowledged..=acknowledged + 1).contains(&last),
            "round {round}: last = {last}, acked {acknowledged}"
        );
        let check: String = rusqlite::Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .unwrap();
        assert_eq!(check, "ok", "round {round}");
    }
}

// ---------------------------------------------------------------------------------------------
// Migrations

#[test]
fn a_fresh_database_gets_the_current_schema_and_reopening_keeps_it() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    store.kv("p").unwrap().set("k", b"v").unwrap();
    drop(store);

    let schema = |path: &Path| -> Vec<String> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut stmt = conn.prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name").unwrap();
        stmt.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let before = schema(&path);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(schema(&path), before, "reopening changed the schema");
    assert_eq!(store.kv("p").unwrap().get("k").unwrap().as_deref(), Some(&b"v"[..]));
}

#[test]
fn a_database_from_a_newer_build_is_refused_with_both_versions() {
    let (_dir, path) = temp_db();
    Store::open(&path).unwrap().kv("p").unwrap().set("k", b"v").unwrap();
    let newer = SCHEMA_VERSION + 3;
    rusqlite::Connection::open(&path).unwrap().pragma_update(None, "user_version", newer).unwrap();

    let err = Store::open(&path).unwrap_err();
    match err {
        StoreError::SchemaTooNew { found, supported, .. } => assert_eq!((found, supported), (newer, SCHEMA_VERSION)),
        ref other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    assert_eq!(err.kind(), "store.schema_too_new");
    let message = err.to_string();
    for part in [path.display().to_string(), format!("version {newer}"), format!("up to {SCHEMA_VERSION}")] {
        assert!(message.contains(&part), "`{message}` does not mention `{part}`");
    }
    // Refused, not touched.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0)).unwrap();
    assert_eq!(version, newer);
}

// ---------------------------------------------------------------------------------------------
// The KV store against a model

const PLUGINS: [&str; 2] = ["com.example.a", "com.example.b"];
/// Valid keys, plus an empty one and one a character too long (writes of those must fail).
fn keys() -> [String; 5] {
    ["a".into(), "b".into(), "ä".into(), String::new(), "k".repeat(151)]
}
const VALUES: [&[u8]; 4] = [b"", b"x", b"y", b"zz"];

#[derive(Debug, Clone)]
enum Op {
    Set { plugin: usize, key: usize, value: usize },
    SetWithExpiry { plugin: usize, key: usize, value: usize, seconds: i64 },
    SetWithOptions { plugin: usize, key: usize, value: usize, atomic: bool, old: Option<usize>, seconds: i64 },
    CompareAndSet { plugin: usize, key: usize, old: usize, new: usize },
    CompareAndDelete { plugin: usize, key: usize, old: usize },
    Get { plugin: usize, key: usize },
    Delete { plugin: usize, key: usize },
    DeleteAll { plugin: usize },
    List { plugin: usize, page: i64, per_page: i64 },
    Advance { millis: i64 },
    Purge,
}

fn op() -> impl Strategy<Value = Op> {
    let plugin = 0..PLUGINS.len();
    let key = 0..keys().len();
    let value = 0..VALUES.len();
    let seconds = -1i64..4;
    prop_oneof![
        4 => (plugin.clone(), key.clone(), value.clone())
            .prop_map(|(plugin, key, value)| Op::Set { plugin, key, value }),
        2 => (plugin.clone(), key.clone(), value.clone(), seconds.clone())
            .prop_map(|(plugin, key, value, seconds)| Op::SetWithExpiry { plugin, key, value, seconds }),
        3 => (plugin.clone(), key.clone(), value.clone(), any::<bool>(), proptest::option::of(value.clone()), seconds)
            .prop_map(|(plugin, key, value, atomic, old, seconds)| {
                Op::SetWithOptions { plugin, key, value, atomic, old, seconds }
            }),
        3 => (plugin.clone(), key.clone(), value.clone(), value.clone())
            .prop_map(|(plugin, key, old, new)| Op::CompareAndSet { plugin, key, old, new }),
        2 => (plugin.clone(), key.clone(), value.clone())
            .prop_map(|(plugin, key, old)| Op::CompareAndDelete { plugin, key, old }),
        3 => (plugin.clone(), key.clone()).prop_map(|(plugin, key)| Op::Get { plugin, key }),
        1 => (plugin.clone(), key.clone()).prop_map(|(plugin, key)| Op::Delete { plugin, key }),
        1 => plugin.clone().prop_map(|plugin| Op::DeleteAll { plugin }),
        2 => (plugin, -1i64..4, -1i64..4).prop_map(|(plugin, page, per_page)| Op::List { plugin, page, per_page }),
        2 => (0i64..2_500).prop_map(|millis| Op::Advance { millis }),
        1 => Just(Op::Purge),
    ]
}

/// What a call answered, in a form both the store and the model produce.
#[derive(Debug, PartialEq)]
enum Outcome {
    Done,
    Written(bool),
    Value(Option<Vec<u8>>),
    Keys(Vec<String>),
    Purged(usize),
    Error(&'static str),
}

/// The clocks' start, in ms since the epoch.
const T0: i64 = 1_700_000_000_000;

/// Upstream's KV semantics written as plainly as possible, over a sorted map.
struct Model {
    now: i64,
    /// (plugin, key) -> (value, expire_at in ms, 0 = never).
    rows: BTreeMap<(usize, String), (Vec<u8>, i64)>,
}

impl Model {
    fn live(&self, plugin: usize, key: &str) -> Option<&Vec<u8>> {
        let (value, expire_at) = self.rows.get(&(plugin, key.to_owned()))?;
        (*expire_at == 0 || *expire_at > self.now).then_some(value)
    }

    fn valid(key: &str) -> bool {
        (1..=150).contains(&key.chars().count())
    }

    fn set_with_options(
        &mut self,
        plugin: usize,
        key: &str,
        value: &[u8],
        atomic: bool,
        old: Option<&[u8]>,
        seconds: i64,
    ) -> Outcome {
        let old = old.filter(|old| !old.is_empty());
        if !atomic && old.is_some() {
            return Outcome::Error("store.kv.old_value_without_atomic");
        }
        if !Model::valid(key) {
            return Outcome::Error("store.kv.invalid_key");
        }
        let expire_at = if seconds == 0 { 0 } else { self.now + seconds * 1000 };
        let row = (plugin, key.to_owned());
        if !atomic {
            if value.is_empty() {
                self.rows.remove(&row);
            } else {
                self.rows.insert(row, (value.to_vec(), expire_at));
            }
            return Outcome::Written(true);
        }
        if value.is_empty() {
            return self.compare_and_delete(plugin, key, old.unwrap_or_default());
        }
        let holds = self.live(plugin, key).map(Vec::as_slice);
        if holds == old {
            self.rows.insert(row, (value.to_vec(), expire_at));
            Outcome::Written(true)
        } else {
            Outcome::Written(false)
        }
    }

    fn compare_and_delete(&mut self, plugin: usize, key: &str, old: &[u8]) -> Outcome {
        if !Model::valid(key) {
            return Outcome::Error("store.kv.invalid_key");
        }
        if !old.is_empty() && self.live(plugin, key).map(Vec::as_slice) == Some(old) {
            self.rows.remove(&(plugin, key.to_owned()));
            return Outcome::Written(true);
        }
        Outcome::Written(false)
    }

    fn apply(&mut self, op: &Op) -> Outcome {
        let keys = keys();
        match *op {
            Op::Set { plugin, key, value } => {
                match self.set_with_options(plugin, &keys[key], VALUES[value], false, None, 0) {
                    Outcome::Written(_) => Outcome::Done,
                    other => other,
                }
            }
            Op::SetWithExpiry { plugin, key, value, seconds } => {
                match self.set_with_options(plugin, &keys[key], VALUES[value], false, None, seconds) {
                    Outcome::Written(_) => Outcome::Done,
                    other => other,
                }
            }
            Op::SetWithOptions { plugin, key, value, atomic, old, seconds } => {
                self.set_with_options(plugin, &keys[key], VALUES[value], atomic, old.map(|o| VALUES[o]), seconds)
            }
            Op::CompareAndSet { plugin, key, old, new } => {
                self.set_with_options(plugin, &keys[key], VALUES[new], true, Some(VALUES[old]), 0)
            }
            Op::CompareAndDelete { plugin, key, old } => self.compare_and_delete(plugin, &keys[key], VALUES[old]),
            Op::Get { plugin, key } => Outcome::Value(self.live(plugin, &keys[key]).cloned()),
            Op::Delete { plugin, key } => {
                self.rows.remove(&(plugin, keys[key].clone()));
                Outcome::Done
            }
            Op::DeleteAll { plugin } => {
                self.rows.retain(|(p, _), _| *p != plugin);
                Outcome::Done
            }
            Op::List { plugin, page, per_page } => {
                let limit = if per_page <= 0 { 10 } else { per_page } as usize;
                let offset = (page * per_page).max(0) as usize;
                let live = self.rows.keys().filter(|(p, key)| *p == plugin && self.live(*p, key).is_some());
                Outcome::Keys(live.map(|(_, key)| key.clone()).skip(offset).take(limit).collect())
            }
            Op::Advance { millis } => {
                self.now += millis;
                Outcome::Done
            }
            Op::Purge => {
                let before = self.rows.len();
                let now = self.now;
                self.rows.retain(|_, (_, expire_at)| *expire_at == 0 || *expire_at > now);
                Outcome::Purged(before - self.rows.len())
            }
        }
    }
}

fn run(store: &Store, kvs: &[PluginKv], clock: &ManualClock, op: &Op) -> Outcome {
    let keys = keys();
    let outcome = |result: Result<Outcome, StoreError>| result.unwrap_or_else(|err| Outcome::Error(err.kind()));
    outcome(match *op {
        Op::Set { plugin, key, value } => kvs[plugin].set(&keys[key], VALUES[value]).map(|()| Outcome::Done),
        Op::SetWithExpiry { plugin, key, value, seconds } => {
            kvs[plugin].set_with_expiry(&keys[key], VALUES[value], seconds).map(|()| Outcome::Done)
        }
        Op::SetWithOptions { plugin, key, value, atomic, old, seconds } => {
            let options = PluginKVSetOptions {
                atomic,
                old_value: old.map(|o| VALUES[o].to_vec()),
                expire_in_seconds: seconds,
                ..PluginKVSetOptions::default()
            };
            kvs[plugin].set_with_options(&keys[key], VALUES[value], &options).map(Outcome::Written)
        }
        Op::CompareAndSet { plugin, key, old, new } => {
            kvs[plugin].compare_and_set(&keys[key], VALUES[old], VALUES[new]).map(Outcome::Written)
        }
        Op::CompareAndDelete { plugin, key, old } => {
            kvs[plugin].compare_and_delete(&keys[key], VALUES[old]).map(Outcome::Written)
        }
        Op::Get { plugin, key } => kvs[plugin].get(&keys[key]).map(Outcome::Value),
        Op::Delete { plugin, key } => kvs[plugin].delete(&keys[key]).map(|()| Outcome::Done),
        Op::DeleteAll { plugin } => kvs[plugin].delete_all().map(|()| Outcome::Done),
        Op::List { plugin, page, per_page } => kvs[plugin].list(page, per_page).map(Outcome::Keys),
        Op::Advance { millis } => {
            clock.advance(millis);
            Ok(Outcome::Done)
        }
        Op::Purge => store.purge_expired().map(Outcome::Purged),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_kv_store_behaves_like_the_model(ops in proptest::collection::vec(op(), 1..60)) {
        let (_dir, path) = temp_db();
        // A realistic epoch: the model computes expiry exactly as upstream does, and so cannot
        // land on 0 ("never") the way a clock near the epoch could (the store guards that case).
        let clock = Arc::new(ManualClock::new(T0));
        let store = Store::open_with_clock(&path, clock.clone()).unwrap();
        let kvs: Vec<PluginKv> = PLUGINS.iter().map(|p| store.kv(p).unwrap()).collect();
        let mut model = Model { now: T0, rows: BTreeMap::new() };
        for (step, op) in ops.iter().enumerate() {
            let expected = model.apply(op);
            let got = run(&store, &kvs, &clock, op);
            prop_assert_eq!(got, expected, "step {}: {:?}", step, op);
        }
        // And the end state, key by key and listing by listing.
        for (plugin, kv) in kvs.iter().enumerate() {
            let listed = kv.list(0, 100).unwrap();
            let expected: Vec<String> = model.rows.keys()
                .filter(|(p, key)| *p == plugin && model.live(*p, key).is_some())
                .map(|(_, key)| key.clone())
                .collect();
            prop_assert_eq!(listed, expected);
        }
    }
}
