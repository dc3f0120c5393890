//! The plugin key-value store (upstream: `PluginKeyValueStore` behind `KVSet`, `KVGet`,
//! `KVCompareAndSet`, ...), with upstream's semantics: empty values delete, expired keys are
//! absent, compare-and-set is atomic, keys are 1 to 150 characters.
//!
//! Isolation: a [`PluginKv`] is bound to one plugin id when it is made, and every statement below
//! binds that id as a parameter next to the key, so one plugin's handle can neither see nor touch
//! another plugin's rows, whatever key it passes.
//!
//! Expiry: `expire_at` is milliseconds since the epoch on the store's clock, 0 for never. A row
//! with `expire_at <= now` is expired: reads, listing and the compare operations treat it as
//! absent; any set overwrites it. Expired rows stay in the file until [`Store::purge_expired`]
//! removes them (upstream runs the same clean-up as a scheduled job), so a read never writes.

use super::db::Store;
use super::error::{StoreError, KEY_MAX_CHARS, PLUGIN_ID_MAX_CHARS};
use api_definitions::model::PluginKVSetOptions;
use rusqlite::{params, OptionalExtension};

/// The page size `kv_list` uses when asked for `per_page <= 0` (upstream:
/// `defaultPluginKeyFetchLimit`).
pub const DEFAULT_LIST_PER_PAGE: i64 = 10;

impl Store {
    /// The KV store of plugin `plugin_id`. Fails when the id is empty or longer than
    /// [`PLUGIN_ID_MAX_CHARS`] characters (upstream refuses such ids on every write).
    pub fn kv(&self, plugin_id: &str) -> Result<PluginKv, StoreError> {
        let chars = plugin_id.chars().count();
        if chars == 0 || chars > PLUGIN_ID_MAX_CHARS {
            return Err(StoreError::InvalidPluginId { plugin_id: plugin_id.to_owned() });
        }
        Ok(PluginKv { store: self.clone(), plugin_id: plugin_id.to_owned() })
    }

    /// Deletes every expired key of every plugin; returns how many. The host calls it
    /// periodically (upstream: `DeleteAllExpiredPluginKeys`); between calls expired keys only
    /// take space, they are never visible.
    pub fn purge_expired(&self) -> Result<usize, StoreError> {
        self.write(
            || "purging expired KV keys".into(),
            |tx| {
                tx.prepare_cached("DELETE FROM plugin_kv WHERE expire_at <> 0 AND expire_at <= ?1")?
                    .execute(params![self.now_millis()])
            },
        )
    }
}

/// One plugin's KV store. Cheap to clone; all clones share the store's connections.
#[derive(Debug, Clone)]
pub struct PluginKv {
    store: Store,
    plugin_id: String,
}

impl PluginKv {
    /// The plugin whose keys this handle reads and writes.
    pub fn plugin_id(&self) -> &str {
        &self.plugin_id
    }

    /// Stores `value` under `key`, with no expiry; an empty value deletes the key.
    pub fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.set_with_expiry(key, value, 0)
    }

    /// Stores `value` under `key`, expiring `expire_in_seconds` from now (0: never; negative:
    /// already expired, so the key reads as absent at once). An empty value deletes the key.
    pub fn set_with_expiry(&self, key: &str, value: &[u8], expire_in_seconds: i64) -> Result<(), StoreError> {
        let options = PluginKVSetOptions { expire_in_seconds, ..PluginKVSetOptions::default() };
        self.set_with_options(key, value, &options).map(drop)
    }

    /// Stores `value` under `key` as `options` say; `Ok(true)` when it was written (or deleted,
    /// for an empty value), `Ok(false)` when an atomic condition did not hold.
    ///
    /// - not `atomic`: like [`PluginKv::set_with_expiry`]; always `Ok(true)`. An `old_value` here
    ///   is an error, as upstream.
    /// - `atomic`, `old_value` absent or empty: writes only if the key is absent (or expired).
    /// - `atomic`, `old_value` given: writes only if the key holds exactly `old_value` and has
    ///   not expired.
    /// - `atomic` with an empty `value`: [`PluginKv::compare_and_delete`] with `old_value`.
    ///
    /// An empty `old_value` counts as none: the wire cannot tell them apart (upstream's gob
    /// encoding sends an empty slice as nil), and no key can hold an empty value.
    pub fn set_with_options(&self, key: &str, value: &[u8], options: &PluginKVSetOptions) -> Result<bool, StoreError> {
        let old_value = options.old_value.as_deref().filter(|old| !old.is_empty());
        // Upstream checks the options before the key; the order decides which error a call
        // with both faults gets.
        if !options.atomic && old_value.is_some() {
            return Err(StoreError::OldValueWithoutAtomic { plugin_id: self.plugin_id.clone(), key: key.to_owned() });
        }
        self.check_key(key)?;
        if options.atomic && value.is_empty() {
            return self.compare_and_delete(key, old_value.unwrap_or_default());
        }
        let operation = || format!("kv_set_with_options of key `{key}` for plugin `{}`", self.plugin_id);
        self.store.write(operation, |tx| {
            let now = self.store.now_millis();
            let expire_at = expire_at(now, options.expire_in_seconds);
            let changed = match (options.atomic, old_value) {
                (false, _) if value.is_empty() => {
                    tx.prepare_cached("DELETE FROM plugin_kv WHERE plugin_id = ?1 AND pkey = ?2")?
                        .execute(params![self.plugin_id, key])?;
                    // Upstream reports a delete-by-empty-value as written.
                    return Ok(true);
                }
                (false, _) => tx
                    .prepare_cached(
                        "INSERT INTO plugin_kv (plugin_id, pkey, pvalue, expire_at) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (plugin_id, pkey) DO UPDATE
                         SET pvalue = excluded.pvalue, expire_at = excluded.expire_at",
                    )?
                    .execute(params![self.plugin_id, key, value, expire_at])?,
                // Insert if absent: one statement that inserts a new row, replaces an expired one
                // (its WHERE), and otherwise changes nothing; the changed-row count decides.
                (true, None) => tx
                    .prepare_cached(
                        "INSERT INTO plugin_kv (plugin_id, pkey, pvalue, expire_at) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (plugin_id, pkey) DO UPDATE
                         SET pvalue = excluded.pvalue, expire_at = excluded.expire_at
                         WHERE plugin_kv.expire_at <> 0 AND plugin_kv.expire_at <= ?5",
                    )?
                    .execute(params![self.plugin_id, key, value, expire_at, now])?,
                (true, Some(old)) => tx
                    .prepare_cached(
                        "UPDATE plugin_kv SET pvalue = ?3, expire_at = ?4
                         WHERE plugin_id = ?1 AND pkey = ?2 AND pvalue = ?5
                           AND (expire_at = 0 OR expire_at > ?6)",
                    )?
                    .execute(params![self.plugin_id, key, value, expire_at, old, now])?,
            };
            Ok(changed == 1)
        })
    }

    /// Writes `new_value` only if `key` holds `old_value` (an empty `old_value`: only if the key
    /// is absent). An empty `new_value` deletes under the same condition. `Ok(false)`: the
    /// condition did not hold and nothing changed. Atomic against every other writer.
    pub fn compare_and_set(&self, key: &str, old_value: &[u8], new_value: &[u8]) -> Result<bool, StoreError> {
        let options =
            PluginKVSetOptions { atomic: true, old_value: Some(old_value.to_vec()), ..PluginKVSetOptions::default() };
        self.set_with_options(key, new_value, &options)
    }

    /// Deletes `key` only if it holds `old_value` and has not expired. An empty `old_value`
    /// never matches (no key holds an empty value), so it answers `Ok(false)`.
    pub fn compare_and_delete(&self, key: &str, old_value: &[u8]) -> Result<bool, StoreError> {
        self.check_key(key)?;
        if old_value.is_empty() {
            return Ok(false);
        }
        let operation = || format!("kv_compare_and_delete of key `{key}` for plugin `{}`", self.plugin_id);
        self.store.write(operation, |tx| {
            let deleted = tx
                .prepare_cached(
                    "DELETE FROM plugin_kv
                     WHERE plugin_id = ?1 AND pkey = ?2 AND pvalue = ?3 AND (expire_at = 0 OR expire_at > ?4)",
                )?
                .execute(params![self.plugin_id, key, old_value, self.store.now_millis()])?;
            Ok(deleted == 1)
        })
    }

    /// The value under `key`; `None` when absent or expired. Keys are not length-checked here,
    /// as upstream: a key too long to store is simply absent.
    pub fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let operation = || format!("kv_get of key `{key}` for plugin `{}`", self.plugin_id);
        self.store.read(operation, |conn| {
            conn.prepare_cached(
                "SELECT pvalue FROM plugin_kv
                 WHERE plugin_id = ?1 AND pkey = ?2 AND (expire_at = 0 OR expire_at > ?3)",
            )?
            .query_row(params![self.plugin_id, key, self.store.now_millis()], |row| row.get(0))
            .optional()
        })
    }

    /// Deletes `key` (expired or not); deleting an absent key is not an error. Not
    /// length-checked, as upstream.
    pub fn delete(&self, key: &str) -> Result<(), StoreError> {
        let operation = || format!("kv_delete of key `{key}` for plugin `{}`", self.plugin_id);
        self.store.write(operation, |tx| {
            tx.prepare_cached("DELETE FROM plugin_kv WHERE plugin_id = ?1 AND pkey = ?2")?
                .execute(params![self.plugin_id, key])
                .map(drop)
        })
    }

    /// Deletes every key of this plugin.
    pub fn delete_all(&self) -> Result<(), StoreError> {
        let operation = || format!("kv_delete_all for plugin `{}`", self.plugin_id);
        self.store.write(operation, |tx| {
            tx.prepare_cached("DELETE FROM plugin_kv WHERE plugin_id = ?1")?.execute(params![self.plugin_id]).map(drop)
        })
    }

    /// One page of this plugin's unexpired keys in ascending byte order; `page` counts from 0.
    ///
    /// As upstream: `per_page <= 0` lists [`DEFAULT_LIST_PER_PAGE`] keys, and the offset is
    /// `page * per_page` computed with the `per_page` given (so any page with `per_page` 0 is
    /// the first page), a negative offset counting as 0.
    pub fn list(&self, page: i64, per_page: i64) -> Result<Vec<String>, StoreError> {
        let limit = if per_page <= 0 { DEFAULT_LIST_PER_PAGE } else { per_page };
        // Saturating: upstream's int product could wrap; a huge offset lists nothing instead.
        let offset = page.saturating_mul(per_page).max(0);
        let operation = || format!("kv_list of page {page} ({per_page} per page) for plugin `{}`", self.plugin_id);
        self.store.read(operation, |conn| {
            conn.prepare_cached(
                "SELECT pkey FROM plugin_kv
                 WHERE plugin_id = ?1 AND (expire_at = 0 OR expire_at > ?2)
                 ORDER BY pkey LIMIT ?3 OFFSET ?4",
            )?
            .query_map(params![self.plugin_id, self.store.now_millis(), limit, offset], |row| row.get(0))?
            .collect()
        })
    }

    /// Upstream's key rule for writes: 1 to [`KEY_MAX_CHARS`] characters (Unicode scalar values,
    /// Go's runes), whatever their byte length.
    fn check_key(&self, key: &str) -> Result<(), StoreError> {
        let chars = key.chars().count();
        if chars == 0 || chars > KEY_MAX_CHARS {
            return Err(StoreError::InvalidKey { plugin_id: self.plugin_id.clone(), key: key.to_owned() });
        }
        Ok(())
    }
}

/// The `expire_at` of a key written at `now` that should live `expire_in_seconds` (upstream:
/// `NewPluginKeyValueFromOptions`): 0 for never, else now plus the seconds, negative seconds
/// landing in the past.
fn expire_at(now: i64, expire_in_seconds: i64) -> i64 {
    if expire_in_seconds == 0 {
        return 0;
    }
    let at = now.saturating_add(expire_in_seconds.saturating_mul(1000));
    // 0 in the column means never; an expiry that lands exactly on it (a clock near the epoch)
    // is moved one millisecond earlier rather than turning into "never".
    if at == 0 {
        -1
    } else {
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ManualClock;
    use std::sync::Arc;

    const T0: i64 = 1_700_000_000_000;

    fn store() -> (tempfile::TempDir, Store, Arc<ManualClock>) {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(T0));
        let store = Store::open_with_clock(&dir.path().join("kv.db"), clock.clone()).unwrap();
        (dir, store, clock)
    }

    /// One call and what it must answer.
    enum Op {
        Set(&'static str, &'static [u8]),
        SetExpiry(&'static str, &'static [u8], i64),
        SetOptions(&'static str, &'static [u8], bool, Option<&'static [u8]>, i64),
        Cas(&'static str, &'static [u8], &'static [u8]),
        Cad(&'static str, &'static [u8]),
        Delete(&'static str),
        DeleteAll,
        /// Moves the clock forward by this many milliseconds.
        Advance(i64),
    }

    #[derive(Debug, PartialEq)]
    enum Answer {
        Done,
        Written(bool),
        Error(&'static str),
    }
    use Answer::{Done, Error, Written};

    /// A case: steps run on a fresh plugin, then the values its keys must read as.
    struct Case {
        name: &'static str,
        steps: &'static [(Op, Answer)],
        then: &'static [(&'static str, Option<&'static [u8]>)],
    }

    /// 50 characters, to build keys around the 150-character limit.
    macro_rules! fifty {
        ($c:literal) => {
            concat!(
                $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c,
                $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c, $c
            )
        };
    }
    const LONG_150: &str = concat!(fifty!("k"), fifty!("k"), fifty!("k"));
    const LONG_151: &str = concat!(fifty!("k"), fifty!("k"), fifty!("k"), "k");
    // 150 two-byte characters: 300 bytes, still a valid key (the limit counts characters).
    const WIDE_150: &str = concat!(fifty!("é"), fifty!("é"), fifty!("é"));

    const CASES: &[Case] = &[
        Case { name: "set then get", steps: &[(Op::Set("k", b"v"), Done)], then: &[("k", Some(b"v"))] },
        Case {
            name: "set overwrites",
            steps: &[(Op::Set("k", b"v1"), Done), (Op::Set("k", b"v2"), Done)],
            then: &[("k", Some(b"v2"))],
        },
        Case {
            name: "set with an empty value deletes",
            steps: &[(Op::Set("k", b"v"), Done), (Op::Set("k", b""), Done), (Op::Set("absent", b""), Done)],
            then: &[("k", None), ("absent", None)],
        },
        Case {
            name: "key length is 1 to 150 characters",
            steps: &[
                (Op::Set(LONG_150, b"v"), Done),
                (Op::Set(WIDE_150, b"w"), Done),
                (Op::Set(LONG_151, b"v"), Error("store.kv.invalid_key")),
                (Op::Set("", b"v"), Error("store.kv.invalid_key")),
                // Even a delete-by-empty-value checks the key.
                (Op::Set(LONG_151, b""), Error("store.kv.invalid_key")),
                (Op::SetExpiry(LONG_151, b"v", 10), Error("store.kv.invalid_key")),
                (Op::SetOptions(LONG_151, b"v", true, None, 0), Error("store.kv.invalid_key")),
                (Op::Cas(LONG_151, b"", b"v"), Error("store.kv.invalid_key")),
                (Op::Cad(LONG_151, b"v"), Error("store.kv.invalid_key")),
                (Op::Cad("", b"v"), Error("store.kv.invalid_key")),
                // Upstream does not check keys on delete: an unstorable key is just absent.
                (Op::Delete(LONG_151), Done),
            ],
            then: &[(LONG_150, Some(b"v")), (WIDE_150, Some(b"w")), (LONG_151, None), ("", None)],
        },
        Case {
            name: "expiry: visible until the second it ends",
            steps: &[(Op::SetExpiry("k", b"v", 2), Done), (Op::Advance(1_999), Done)],
            then: &[("k", Some(b"v"))],
        },
        Case {
            name: "expiry: absent from the millisecond it ends",
            steps: &[(Op::SetExpiry("k", b"v", 2), Done), (Op::Advance(2_000), Done)],
            then: &[("k", None)],
        },
        Case {
            name: "a negative expiry is already expired",
            steps: &[(Op::Set("k", b"old"), Done), (Op::SetExpiry("k", b"v", -1), Done)],
            then: &[("k", None)],
        },
        Case {
            name: "a set without expiry clears an earlier expiry",
            steps: &[(Op::SetExpiry("k", b"v", 1), Done), (Op::Set("k", b"v2"), Done), (Op::Advance(5_000), Done)],
            then: &[("k", Some(b"v2"))],
        },
        Case {
            name: "set_with_options without atomic always writes",
            steps: &[
                (Op::SetOptions("k", b"v", false, None, 0), Written(true)),
                (Op::SetOptions("k", b"v2", false, None, 0), Written(true)),
                (Op::SetOptions("gone", b"", false, None, 0), Written(true)),
            ],
            then: &[("k", Some(b"v2"))],
        },
        Case {
            name: "set_with_options refuses an old value without atomic",
            steps: &[
                (Op::Set("k", b"v"), Done),
                (Op::SetOptions("k", b"x", false, Some(b"v"), 0), Error("store.kv.old_value_without_atomic")),
                // Options are checked before the key, as upstream.
                (Op::SetOptions(LONG_151, b"x", false, Some(b"v"), 0), Error("store.kv.old_value_without_atomic")),
                // An empty old value is no old value.
                (Op::SetOptions("k", b"y", false, Some(b""), 0), Written(true)),
            ],
            then: &[("k", Some(b"y"))],
        },
        Case {
            name: "atomic without old value inserts only if absent",
            steps: &[
                (Op::SetOptions("k", b"first", true, None, 0), Written(true)),
                (Op::SetOptions("k", b"second", true, None, 0), Written(false)),
                (Op::SetOptions("k", b"third", true, Some(b""), 0), Written(false)),
            ],
            then: &[("k", Some(b"first"))],
        },
        Case {
            name: "atomic without old value replaces an expired key",
            steps: &[
                (Op::SetExpiry("k", b"stale", 1), Done),
                (Op::Advance(1_000), Done),
                (Op::SetOptions("k", b"fresh", true, None, 0), Written(true)),
                (Op::Advance(1_000_000), Done),
            ],
            then: &[("k", Some(b"fresh"))],
        },
        Case {
            name: "atomic with old value writes only on a match",
            steps: &[
                (Op::SetOptions("k", b"v2", true, Some(b"v1"), 0), Written(false)),
                (Op::Set("k", b"v1"), Done),
                (Op::SetOptions("k", b"v2", true, Some(b"nope"), 0), Written(false)),
                (Op::SetOptions("k", b"v2", true, Some(b"v1"), 0), Written(true)),
                // Equal old and new values still count as written (Postgres' answer upstream).
                (Op::SetOptions("k", b"v2", true, Some(b"v2"), 0), Written(true)),
            ],
            then: &[("k", Some(b"v2"))],
        },
        Case {
            name: "atomic with old value never matches an expired key",
            steps: &[
                (Op::SetExpiry("k", b"v1", 1), Done),
                (Op::Advance(1_000), Done),
                (Op::SetOptions("k", b"v2", true, Some(b"v1"), 0), Written(false)),
            ],
            then: &[("k", None)],
        },
        Case {
            name: "atomic writes carry their expiry",
            steps: &[
                (Op::SetOptions("a", b"v", true, None, 3), Written(true)),
                (Op::Set("b", b"v1"), Done),
                (Op::SetOptions("b", b"v2", true, Some(b"v1"), 3), Written(true)),
                (Op::Advance(3_000), Done),
            ],
            then: &[("a", None), ("b", None)],
        },
        Case {
            name: "atomic with an empty value is compare-and-delete",
            steps: &[
                (Op::Set("k", b"v"), Done),
                (Op::SetOptions("k", b"", true, None, 0), Written(false)),
                (Op::SetOptions("k", b"", true, Some(b"other"), 0), Written(false)),
                (Op::SetOptions("k", b"", true, Some(b"v"), 0), Written(true)),
            ],
            then: &[("k", None)],
        },
        Case {
            name: "compare_and_set: empty old value means absent",
            steps: &[
                (Op::Cas("k", b"", b"v1"), Written(true)),
                (Op::Cas("k", b"", b"v2"), Written(false)),
                (Op::Cas("k", b"v1", b"v3"), Written(true)),
                (Op::Cas("k", b"v1", b"v4"), Written(false)),
                (Op::Cas("k", b"v3", b""), Written(true)),
                (Op::Cas("k", b"", b""), Written(false)),
            ],
            then: &[("k", None)],
        },
        Case {
            name: "compare_and_delete deletes only a live match",
            steps: &[
                (Op::Cad("k", b"v"), Written(false)),
                (Op::Set("k", b"v"), Done),
                (Op::Cad("k", b""), Written(false)),
                (Op::Cad("k", b"other"), Written(false)),
                (Op::Cad("k", b"v"), Written(true)),
                (Op::Cad("k", b"v"), Written(false)),
                (Op::SetExpiry("e", b"v", 1), Done),
                (Op::Advance(1_000), Done),
                (Op::Cad("e", b"v"), Written(false)),
            ],
            then: &[("k", None), ("e", None)],
        },
        Case {
            name: "delete and delete_all",
            steps: &[
                (Op::Set("a", b"1"), Done),
                (Op::Set("b", b"2"), Done),
                (Op::Delete("a"), Done),
                (Op::Delete("a"), Done),
                (Op::Delete("never"), Done),
            ],
            then: &[("a", None), ("b", Some(b"2"))],
        },
        Case {
            name: "delete_all empties the plugin",
            steps: &[(Op::Set("a", b"1"), Done), (Op::Set("b", b"2"), Done), (Op::DeleteAll, Done)],
            then: &[("a", None), ("b", None)],
        },
    ];

    fn run(kv: &PluginKv, clock: &ManualClock, op: &Op) -> Answer {
        let answer = |result: Result<Option<bool>, StoreError>| match result {
            Ok(None) => Done,
            Ok(Some(written)) => Written(written),
            Err(err) => Error(err.kind()),
        };
        answer(match *op {
            Op::Set(key, value) => kv.set(key, value).map(|()| None),
            Op::SetExpiry(key, value, seconds) => kv.set_with_expiry(key, value, seconds).map(|()| None),
            Op::SetOptions(key, value, atomic, old, seconds) => {
                let options = PluginKVSetOptions {
                    atomic,
                    old_value: old.map(<[u8]>::to_vec),
                    expire_in_seconds: seconds,
                    ..PluginKVSetOptions::default()
                };
                kv.set_with_options(key, value, &options).map(Some)
            }
            Op::Cas(key, old, new) => kv.compare_and_set(key, old, new).map(Some),
            Op::Cad(key, old) => kv.compare_and_delete(key, old).map(Some),
            Op::Delete(key) => kv.delete(key).map(|()| None),
            Op::DeleteAll => kv.delete_all().map(|()| None),
            Op::Advance(millis) => {
                clock.advance(millis);
                Ok(None)
            }
        })
    }

    #[test]
    fn upstream_semantics_table() {
        assert_eq!((LONG_150.chars().count(), LONG_151.chars().count(), WIDE_150.chars().count()), (150, 151, 150));
        let (_dir, store, clock) = store();
        for (index, case) in CASES.iter().enumerate() {
            clock.set(T0);
            // A plugin per case: the cases cannot see each other's keys.
            let kv = store.kv(&format!("case-{index}")).unwrap();
            for (step, (op, expected)) in case.steps.iter().enumerate() {
                assert_eq!(&run(&kv, &clock, op), expected, "case `{}`, step {step}", case.name);
            }
            for (key, expected) in case.then {
                assert_eq!(kv.get(key).unwrap().as_deref(), *expected, "case `{}`, key `{key}`", case.name);
            }
        }
    }

    #[test]
    fn list_pages_through_sorted_live_keys() {
        let (_dir, store, clock) = store();
        let kv = store.kv("lister").unwrap();
        let mut keys: Vec<String> = (0..25).map(|i| format!("key-{i:02}")).collect();
        for key in keys.iter().rev() {
            kv.set(key, b"v").unwrap();
        }
        assert_eq!(kv.list(0, 10).unwrap(), keys[..10]);
        assert_eq!(kv.list(1, 10).unwrap(), keys[10..20]);
        assert_eq!(kv.list(2, 10).unwrap(), keys[20..]);
        assert!(kv.list(3, 10).unwrap().is_empty());
        assert_eq!(kv.list(0, 100).unwrap(), keys);
        // per_page <= 0: upstream's default of 10, from offset page * per_page (= 0).
        assert_eq!(kv.list(0, 0).unwrap(), keys[..10]);
        assert_eq!(kv.list(2, 0).unwrap(), keys[..10]);
        assert_eq!(kv.list(0, -5).unwrap(), keys[..10]);
        // A negative page is offset 0.
        assert_eq!(kv.list(-1, 10).unwrap(), keys[..10]);
        assert!(kv.list(i64::MAX, i64::MAX).unwrap().is_empty());

        // Expired keys drop out of the listing and the pages close up.
        kv.set_with_expiry("key-00", b"v", 1).unwrap();
        kv.set_with_expiry("key-05", b"v", 1).unwrap();
        clock.advance(1_000);
        keys.retain(|k| k != "key-00" && k != "key-05");
        assert_eq!(kv.list(0, 10).unwrap(), keys[..10]);
        assert_eq!(kv.list(2, 10).unwrap(), keys[20..]);

        // Byte order (SQLite's BINARY collation): upper case before lower case, multi-byte
        // characters after ASCII.
        let kv = store.kv("order").unwrap();
        for key in ["b", "a", "B", "é", "A"] {
            kv.set(key, b"v").unwrap();
        }
        assert_eq!(kv.list(0, 10).unwrap(), ["A", "B", "a", "b", "é"]);
    }

    #[test]
    fn purge_removes_only_expired_rows_of_every_plugin() {
        let (_dir, store, clock) = store();
        let a = store.kv("a").unwrap();
        let b = store.kv("b").unwrap();
        a.set("keep", b"v").unwrap();
        a.set_with_expiry("soon", b"v", 1).unwrap();
        a.set_with_expiry("later", b"v", 100).unwrap();
        b.set_with_expiry("soon", b"v", 1).unwrap();
        assert_eq!(store.purge_expired().unwrap(), 0);
        clock.advance(1_000);
        assert_eq!(store.purge_expired().unwrap(), 2);
        assert_eq!(store.purge_expired().unwrap(), 0);
        let rows: i64 =
            store.read(String::new, |conn| conn.query_row("SELECT count(*) FROM plugin_kv", [], |r| r.get(0))).unwrap();
        assert_eq!(rows, 2);
        assert_eq!(a.list(0, 10).unwrap(), ["keep", "later"]);
    }

    #[test]
    fn plugin_ids_are_1_to_190_characters() {
        let (_dir, store, _clock) = store();
        assert_eq!(store.kv("").unwrap_err().kind(), "store.kv.invalid_plugin_id");
        assert!(store.kv(&"p".repeat(190)).is_ok());
        let err = store.kv(&"p".repeat(191)).unwrap_err();
        assert_eq!(err.kind(), "store.kv.invalid_plugin_id");
        assert!(err.to_string().contains("it has 191"), "{err}");
    }

    #[test]
    fn errors_name_the_plugin_and_the_key() {
        let (_dir, store, _clock) = store();
        let kv = store.kv("com.example.demo").unwrap();
        let err = kv.set(&"x".repeat(151), b"v").unwrap_err();
        assert!(err.is_bad_request());
        let message = err.to_string();
        assert!(message.contains("com.example.demo") && message.contains("151 characters"), "{message}");
        let options = PluginKVSetOptions { old_value: Some(b"v".to_vec()), ..PluginKVSetOptions::default() };
        let message = kv.set_with_options("the-key", b"x", &options).unwrap_err().to_string();
        assert!(message.contains("the-key") && message.contains("atomic"), "{message}");
    }

    #[test]
    fn expire_at_follows_upstream_and_never_means_never_by_accident() {
        assert_eq!(expire_at(T0, 0), 0);
        assert_eq!(expire_at(T0, 5), T0 + 5_000);
        assert_eq!(expire_at(T0, -5), T0 - 5_000);
        assert_eq!(expire_at(5_000, -5), -1);
        assert_eq!(expire_at(T0, i64::MAX), i64::MAX);
        // Huge expiries saturate instead of wrapping around to the other side of now.
        assert!(expire_at(T0, i64::MIN) < T0);
    }
}
