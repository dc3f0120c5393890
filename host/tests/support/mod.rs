//! Helpers shared by the package tests: hand-made archives (including hostile ones the `tar`
//! crate's safe API refuses to write), a fixture plugin, and tree listings to prove that nothing
//! on disk changed; and the CLI's output in snapshot form.
#![allow(dead_code)]

use flate2::{write::GzEncoder, Compression};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// One entry of a hand-made archive.
pub struct Raw {
    pub name: Vec<u8>,
    pub kind: tar::EntryType,
    pub mode: u32,
    pub data: Vec<u8>,
    pub link: Option<Vec<u8>>,
    /// Overrides the size written in the header (a lying header).
    pub size: Option<u64>,
}

impl Raw {
    pub fn file(name: impl AsRef<[u8]>, data: impl AsRef<[u8]>) -> Raw {
        Raw {
            name: name.as_ref().to_vec(),
            kind: tar::EntryType::Regular,
            mode: 0o644,
            data: data.as_ref().to_vec(),
            link: None,
            size: None,
        }
    }
    pub fn exe(name: impl AsRef<[u8]>, data: impl AsRef<[u8]>) -> Raw {
        Raw { mode: 0o755, ..Raw::file(name, data) }
    }
    pub fn dir(name: impl AsRef<[u8]>) -> Raw {
        Raw { kind: tar::EntryType::Directory, mode: 0o755, ..Raw::file(name, b"") }
    }
    pub fn special(name: impl AsRef<[u8]>, kind: tar::EntryType, link: Option<&[u8]>) -> Raw {
        Raw { kind, link: link.map(<[u8]>::to_vec), ..Raw::file(name, b"") }
    }
}

/// A tar stream of the entries, names written verbatim (GNU long-name records for long ones),
/// so paths like `../x` or `/etc/x` can be made.
pub fn tar_bytes(entries: &[Raw]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        if e.name.len() > 99 {
            let mut long = tar::Header::new_gnu();
            long.as_gnu_mut().unwrap().name[..13].copy_from_slice(b"././@LongLink");
            long.set_entry_type(tar::EntryType::GNULongName);
            long.set_size(e.name.len() as u64 + 1);
            long.set_mode(0o644);
            long.set_cksum();
            out.extend_from_slice(long.as_bytes());
            let mut name = e.name.clone();
            name.push(0);
            pad(&mut name);
            out.extend_from_slice(&name);
        }
        let mut h = tar::Header::new_gnu();
        let n = e.name.len().min(99);
        h.as_old_mut().name[..n].copy_from_slice(&e.name[..n]);
        if let Some(link) = &e.link {
            let n = link.len().min(99);
            h.as_old_mut().linkname[..n].copy_from_slice(&link[..n]);
        }
        h.set_entry_type(e.kind);
        h.set_mode(e.mode);
        h.set_size(e.size.unwrap_or(e.data.len() as u64));
        h.set_mtime(946_684_800);
        h.set_cksum();
        out.extend_from_slice(h.as_bytes());
        let mut data = e.data.clone();
        pad(&mut data);
        out.extend_from_slice(&data);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

fn pad(v: &mut Vec<u8>) {
    let rem = v.len() % 512;
    if rem != 0 {
        v.resize(v.len() + 512 - rem, 0);
    }
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

pub fn tar_gz(entries: &[Raw]) -> Vec<u8> {
    gzip(&tar_bytes(entries))
}

pub const ID: &str = "com.example.fixture";

pub fn manifest_json(id: &str, version: &str) -> String {
    format!(
        r#"{{"id": "{id}", "name": "Fixture", "version": "{version}",
  "server": {{"executables": {{"linux-amd64": "server/dist/plugin-linux-amd64"}}, "executable": "server/dist/plugin"}},
  "webapp": {{"bundle_path": "webapp/dist/main.js"}}}}"#
    )
}

/// The entries of a valid plugin under `<top>/` (or at the root when `top` is empty).
pub fn plugin_entries(top: &str, id: &str, version: &str) -> Vec<Raw> {
    let p = |rest: &str| if top.is_empty() { rest.to_owned() } else { format!("{top}/{rest}") };
    let mut v = Vec::new();
    if !top.is_empty() {
        v.push(Raw::dir(format!("{top}/")));
    }
    v.push(Raw::file(p("plugin.json"), manifest_json(id, version)));
    v.push(Raw::exe(p("server/dist/plugin-linux-amd64"), b"#!/bin/sh\necho linux\n"));
    v.push(Raw::exe(p("server/dist/plugin"), b"#!/bin/sh\necho any\n"));
    v.push(Raw::file(p("webapp/dist/main.js"), b"registerPlugin('x', {});\n"));
    v
}

/// A valid plugin bundle.
pub fn valid_bundle(id: &str, version: &str) -> Vec<u8> {
    tar_gz(&plugin_entries(id, id, version))
}

/// Writes a plugin directory (for the bundler) with the fixture manifest and files.
pub fn write_plugin_dir(dir: &Path, id: &str, version: &str) {
    fs::create_dir_all(dir.join("server/dist")).unwrap();
    fs::create_dir_all(dir.join("webapp/dist")).unwrap();
    fs::write(dir.join("plugin.json"), manifest_json(id, version)).unwrap();
    for (name, body) in
        [("server/dist/plugin-linux-amd64", "#!/bin/sh\necho linux\n"), ("server/dist/plugin", "#!/bin/sh\necho any\n")]
    {
        fs::write(dir.join(name), body).unwrap();
        fs::set_permissions(dir.join(name), fs::Permissions::from_mode(0o755)).unwrap();
    }
    fs::write(dir.join("webapp/dist/main.js"), "registerPlugin('x', {});\n").unwrap();
}

/// Every entry under `root` with its kind, permission bits, size and content hash, keyed by
/// path relative to `root`: equal listings mean nothing changed.
pub fn tree(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let rel = path.strip_prefix(root).unwrap().display().to_string();
        let meta = fs::symlink_metadata(&path).unwrap();
        let mode = meta.permissions().mode() & 0o7777;
        if meta.is_dir() {
            out.insert(rel, format!("dir {mode:o}"));
            walk(root, &path, out);
        } else if meta.is_file() {
            let hash = Sha256::digest(fs::read(&path).unwrap());
            out.insert(rel, format!("file {mode:o} {} {hash:x}", meta.len()));
        } else {
            out.insert(rel, format!("other {:?}", meta.file_type()));
        }
    }
}

/// Runs `plugin-host ARGS` in `cwd` and gives its exit code, stdout and stderr as one text, with
/// `cwd` and each `(path, name)` of `replace` written as names, so a snapshot of it is the same
/// on every machine.
pub fn cli(args: &[&str], cwd: &Path, replace: &[(&Path, &str)]) -> String {
    let output =
        std::process::Command::new(env!("CARGO_BIN_EXE_plugin-host")).args(args).current_dir(cwd).output().unwrap();
    let mut text = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for (path, name) in replace.iter().copied().chain([(cwd, "[dir]")]) {
        text = text.replace(&path.display().to_string(), name);
    }
    text
}
