//! `plugin-host new`: the plugin it writes is formatted, builds, passes its own tests (unit tests
//! against a `MockApi` and its executable across a pipe), says what it is when run by hand, and
//! bundles; a mistake is refused before anything is written. What the command prints is kept as
//! insta snapshots.
//!
//! The new plugin is built by cargo with this workspace's `Cargo.lock` (the same dependency
//! versions, nothing to resolve) into a target directory of its own under `target/tmp`, kept
//! between runs so that a re-run compiles little more than the plugin. It cannot share the
//! workspace's target directory: its own workspace gives the SDK's crates other hashes.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sdk() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sdk").canonicalize().unwrap()
}

/// Runs `plugin-host ARGS` in `cwd`: exit code, stdout and stderr, with `cwd` and the SDK's path
/// replaced so the snapshot is the same on every machine.
fn cli(args: &[&str], cwd: &Path) -> String {
    support::cli(args, cwd, &[(&sdk(), "[sdk]")])
}

/// Runs `cargo ARGS` on the plugin in `dir`, failing the test with cargo's output if it fails.
fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        // Built once and run once: what costs CI time is compiling the SDK's dependencies, and
        // neither incremental state nor full debug info for them pays off here.
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo {} failed in the new plugin:\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn a_new_plugin_is_formatted_builds_passes_its_tests_and_bundles() {
    let dir = tempfile::tempdir().unwrap();
    // The default SDK: the one of the checkout `plugin-host` was built from (this one).
    insta::assert_snapshot!("cli_new", cli(&["new", "com.example.hello"], dir.path()));
    let plugin = dir.path().join("hello");
    let toml = fs::read_to_string(plugin.join("Cargo.toml")).unwrap();
    assert!(toml.contains(&format!("plugin-sdk = {{ path = \"{}\" }}", sdk().display())), "{toml}");

    fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"), plugin.join("Cargo.lock")).unwrap();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("new-plugin");
    cargo(&plugin, &target, &["fmt", "--check"]);
    let tests = cargo(&plugin, &target, &["test"]);
    let report = String::from_utf8_lossy(&tests.stdout);
    for test in [
        "hello_greets_the_signed_in_user",
        "a_failed_lookup_fails_the_request",
        "activation_logs_to_the_server",
        "the_server_learns_which_hooks_the_plugin_has",
    ] {
        assert!(report.contains(&format!("{test} ... ok")), "{test} did not pass:\n{report}");
    }

    // `cargo test` built the executable for its process test.
    let executable = target.join("debug/hello");
    let by_hand = Command::new(&executable).output().unwrap();
    assert_eq!(by_hand.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&by_hand.stderr),
        "hello: the com.example.hello server plugin; this is a plugin, started by its host, not a program to run by hand\n"
    );

    let executable = executable.to_str().unwrap();
    insta::assert_snapshot!(
        "cli_new_bundle",
        cli(&["bundle", "hello", "--executable", executable, "-o", "hello.tar.gz"], dir.path())
    );
}

#[test]
fn new_refuses_before_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("hello")).unwrap();
    fs::write(dir.path().join("hello/notes.txt"), "mine").unwrap();
    insta::assert_snapshot!("cli_new_bad_id", cli(&["new", "x!"], dir.path()));
    insta::assert_snapshot!("cli_new_capitals", cli(&["new", "com.Example.hello"], dir.path()));
    insta::assert_snapshot!("cli_new_not_empty", cli(&["new", "com.example.hello"], dir.path()));
    insta::assert_snapshot!("cli_new_bad_package", cli(&["new", "com.example.9lives"], dir.path()));
    insta::assert_snapshot!("cli_new_no_sdk", cli(&["new", "com.example.other", "--sdk", "nowhere"], dir.path()));
    // Only what was there before: no plugin, no staging directory left behind.
    let mut left: Vec<String> =
        walk(dir.path()).iter().map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string()).collect();
    left.sort();
    assert_eq!(left, ["hello", "hello/notes.txt"]);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}

#[test]
fn new_writes_where_dir_says_with_that_name_as_the_package() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("empty-already")).unwrap();
    let sdk = sdk();
    let out =
        cli(&["new", "com.example.greeter", "--dir", "empty-already", "--sdk", sdk.to_str().unwrap()], dir.path());
    assert!(out.starts_with("exit: 0\n"), "{out}");
    let toml = fs::read_to_string(dir.path().join("empty-already/Cargo.toml")).unwrap();
    assert!(toml.contains("name = \"empty-already\""), "{toml}");
    let manifest = fs::read_to_string(dir.path().join("empty-already/plugin.json")).unwrap();
    assert!(manifest.contains("\"id\": \"com.example.greeter\""), "{manifest}");
    assert!(manifest.contains("\"executable\": \"server/dist/empty-already\""), "{manifest}");
}
