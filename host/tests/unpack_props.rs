//! Property tests of the installer on mutated bundles: whatever the bytes, no panic, nothing
//! written outside the plugins directory, no staging directory left behind, and either a clean
//! refusal or a plugin installed whole.

mod support;

use plugin_host::package::install::{install_reader, InstallOptions};
use plugin_host::package::unpack::Limits;
use proptest::prelude::*;
use std::fs;
use support::{gzip, tar_bytes, tree, ID};

/// Installs `bytes` into a fresh `plugins/` beside a sentinel file and checks the invariants.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("site");
    let plugins = parent.join("plugins");
    fs::create_dir_all(&plugins).unwrap();
    fs::write(parent.join("sentinel"), "keep").unwrap();
    let outside_before = tree(dir.path());
    let options = InstallOptions {
        limits: Limits { max_entries: 64, max_unpacked_bytes: 1 << 20, ..Limits::default() },
        ..InstallOptions::default()
    };
    let result = install_reader(bytes, None, &plugins, &options);

    // Outside `plugins/`, nothing changed.
    let mut outside_after = tree(dir.path());
    outside_after.retain(|path, _| !path.starts_with("site/plugins/"));
    let mut expected = outside_before;
    expected.retain(|path, _| !path.starts_with("site/plugins/"));
    prop_assert_eq!(outside_after, expected);

    // Inside: only the lock and, on success, the one plugin.
    let mut names: Vec<String> =
        fs::read_dir(&plugins).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    match result {
        Ok(installed) => {
            prop_assert!(installed.path.join("plugin.json").is_file());
            prop_assert_eq!(names, vec![".install.lock".to_owned(), installed.manifest.id.clone()]);
        }
        Err(e) => {
            prop_assert!(!e.to_string().is_empty());
            prop_assert_eq!(names, vec![".install.lock".to_owned()]);
        }
    }
    Ok(())
}

fn valid_tar() -> Vec<u8> {
    tar_bytes(&support::plugin_entries(ID, ID, "1.0.0"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// Mutations of the tar stream before compression reach the tar parser and the checks
    /// behind it (a mutated gzip stream mostly fails its CRC).
    #[test]
    fn mutated_tar_streams(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
                           cut in prop::option::of(any::<prop::sample::Index>())) {
        let mut tar = valid_tar();
        for (at, byte) in edits {
            let i = at.index(tar.len());
            tar[i] = byte;
        }
        if let Some(cut) = cut {
            let n = cut.index(tar.len());
            tar.truncate(n);
        }
        check(&gzip(&tar))?;
    }

    /// Mutations of the compressed bytes: flips, truncation, insertion.
    #[test]
    fn mutated_gzip_streams(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
                            insert in prop::option::of((any::<prop::sample::Index>(), prop::collection::vec(any::<u8>(), 1..16))),
                            cut in prop::option::of(any::<prop::sample::Index>())) {
        let mut bytes = gzip(&valid_tar());
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] ^= byte;
        }
        if let Some((at, extra)) = insert {
            let i = at.index(bytes.len());
            bytes.splice(i..i, extra);
        }
        if let Some(cut) = cut {
            let n = cut.index(bytes.len());
            bytes.truncate(n);
        }
        check(&bytes)?;
    }

    /// Entry names from an alphabet rich in separators, dots and backslashes never land outside.
    #[test]
    fn hostile_names(names in prop::collection::vec("[./a\\\\]{1,12}", 1..6)) {
        let mut entries = support::plugin_entries(ID, ID, "1.0.0");
        for name in names {
            entries.push(support::Raw::file(name, "x"));
        }
        check(&gzip(&tar_bytes(&entries)))?;
    }
}

#[test]
fn the_unmutated_bundle_installs() {
    check(&gzip(&valid_tar())).unwrap();
}
