//! The workspace's conventions, checked rather than hoped for: every source file says what it is
//! for, every crate states a `rust-version` no older than what its dependencies need and uses
//! the workspace's lints, and the declared licenses have their texts.
//!
//! What a `rust-version` cannot promise from here (this machine has one toolchain) is that our
//! own code compiles on that version: clippy's `incompatible_msrv` lint, which runs in CI with
//! `-D warnings`, catches standard-library items newer than the declared version, and the
//! dependency check below catches crates that need a newer compiler.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_owned()
}

fn git_files(pattern: &str) -> Vec<PathBuf> {
    let output = Command::new("git").args(["ls-files", pattern]).current_dir(root()).output().expect("git runs");
    assert!(output.status.success(), "git ls-files failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("paths are UTF-8").lines().map(|l| root().join(l)).collect()
}

#[test]
fn every_source_file_starts_with_a_line_saying_what_it_is_for() {
    let missing: Vec<String> = git_files("*.rs")
        .into_iter()
        // trybuild's inputs: their line numbers are part of the expected compiler output.
        .filter(|p| !p.components().any(|c| c.as_os_str() == "ui"))
        .filter(|p| !std::fs::read_to_string(p).expect("readable").starts_with("//!"))
        .map(|p| p.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a `//!` first line: {missing:#?}");
}

/// `1.88` or `1.88.0` as a comparable triple.
fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap_or_else(|_| panic!("bad version {text}")));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

#[test]
fn every_crate_states_a_rust_version_its_dependencies_allow() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let packages: BTreeMap<&str, &Value> =
        metadata["packages"].as_array().unwrap().iter().map(|p| (p["id"].as_str().unwrap(), p)).collect();
    let nodes: BTreeMap<&str, &Value> =
        metadata["resolve"]["nodes"].as_array().unwrap().iter().map(|n| (n["id"].as_str().unwrap(), n)).collect();
    // A node's dependencies of the given kinds (`null` is a normal dependency).
    let deps = |id: &str, dev_too: bool| -> Vec<&str> {
        nodes[id]["deps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| {
                d["dep_kinds"].as_array().unwrap().iter().any(|k| match k["kind"].as_str() {
                    None | Some("build") => true,
                    Some("dev") => dev_too,
                    Some(_) => false,
                })
            })
            .map(|d| d["pkg"].as_str().unwrap())
            .collect()
    };

    let mut problems = Vec::new();
    for member in metadata["workspace_members"].as_array().unwrap() {
        let id = member.as_str().unwrap();
        let name = packages[id]["name"].as_str().unwrap();
        let Some(declared) = packages[id]["rust_version"].as_str() else {
            problems.push(format!("{name}: no rust-version"));
            continue;
        };
        // Everything building the crate and its tests needs: its own dev-dependencies, and the
        // normal and build dependencies of everything below.
        let mut seen = BTreeSet::new();
        let mut todo = deps(id, true);
        while let Some(dep) = todo.pop() {
            if seen.insert(dep) {
                todo.extend(deps(dep, false));
            }
        }
        for dep in seen {
            if let Some(needed) = packages[dep]["rust_version"].as_str() {
                if version(needed) > version(declared) {
                    let dep_name = packages[dep]["name"].as_str().unwrap();
                    problems.push(format!("{name}: rust-version {declared}, but {dep_name} needs {needed}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_crate_uses_the_workspace_lints() {
    let manifests = git_files("*Cargo.toml");
    let missing: Vec<String> = manifests
        .iter()
        .filter(|p| p.parent() != Some(&root()))
        .filter(|p| !std::fs::read_to_string(p).unwrap().contains("\n[lints]\nworkspace = true\n"))
        .map(|p| p.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    assert!(missing.is_empty(), "crates without `[lints] workspace = true`: {missing:?}");
}

#[test]
fn the_declared_licenses_have_their_texts() {
    let workspace = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(workspace.contains("license = \"MIT OR Apache-2.0\""), "the license changed: update this test");
    for (file, marker) in [("LICENSE-MIT", "Permission is hereby granted"), ("LICENSE-APACHE", "Apache License")] {
        let text = std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(text.contains(marker), "{file} is not the license's text");
    }
}
