//! The installer against hostile and valid bundles: every refusal names what is wrong, and a
//! refused bundle leaves the plugins directory and its parent exactly as they were (compared by
//! a listing with modes, sizes and hashes).

mod support;

use plugin_host::package::install::{
    install_file, install_reader, InstallError, InstallOptions, Outcome, ReplacePolicy,
};
use plugin_host::package::unpack::Limits;
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use support::{tar_bytes, tar_gz, tree, valid_bundle, Raw, ID};
use tar::EntryType;

/// A parent directory holding `plugins/` (with one plugin installed already, so "unchanged"
/// means something) and the bundle file outside it.
struct Site {
    _dir: tempfile::TempDir,
    parent: PathBuf,
    plugins: PathBuf,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path().join("site");
        let plugins = parent.join("plugins");
        fs::create_dir_all(&plugins).unwrap();
        let site = Site { _dir: dir, parent, plugins };
        site.install(&valid_bundle("com.example.present", "1.0.0"), &InstallOptions::default()).unwrap();
        site
    }

    fn install(
        &self,
        bundle: &[u8],
        options: &InstallOptions,
    ) -> Result<plugin_host::package::install::Installed, InstallError> {
        let path = self._dir.path().join("bundle.tar.gz");
        fs::write(&path, bundle).unwrap();
        install_file(&path, None, &self.plugins, options)
    }

    /// Installs, expects a refusal, and checks nothing under the parent changed (the lock file
    /// is created by the first install, so it is part of the "before" listing too).
    fn refuses(&self, bundle: &[u8], options: &InstallOptions) -> String {
        let before = tree(&self.parent);
        let error = match self.install(bundle, options) {
            Ok(installed) => panic!("installed {:?}, expected a refusal", installed.path),
            Err(e) => e.to_string(),
        };
        assert_eq!(tree(&self.parent), before, "the refused bundle changed the disk: {error}");
        error
    }
}

fn small_limits() -> InstallOptions {
    InstallOptions {
        limits: Limits { max_entries: 20, max_unpacked_bytes: 1 << 20, ..Limits::default() },
        ..InstallOptions::default()
    }
}

/// A valid plugin with one more entry.
fn with(extra: Raw) -> Vec<u8> {
    let mut entries = support::plugin_entries(ID, ID, "1.0.0");
    entries.push(extra);
    tar_gz(&entries)
}

fn refusal(extra: Raw) -> String {
    Site::new().refuses(&with(extra), &InstallOptions::default())
}

#[test]
fn absolute_paths_are_refused() {
    let e = refusal(Raw::file("/etc/evil", "x"));
    assert_eq!(e, "bundle entry `/etc/evil` is an absolute path; entries must be relative to the bundle");
}

#[test]
fn parent_components_are_refused_wherever_they_are() {
    for name in ["../evil", "com.example.fixture/../../evil", "./../evil", "a/./../../evil", ".."] {
        let e = refusal(Raw::file(name, "x"));
        assert_eq!(e, format!("bundle entry `{name}` contains `..`, which could escape the plugin directory"));
    }
}

#[test]
fn prefix_tricks_do_not_escape() {
    // `plugins-evil` shares a prefix with `plugins`; a check by string prefix would pass it.
    let e = refusal(Raw::file("../plugins-evil/x", "x"));
    assert!(e.contains("contains `..`"), "{e}");
    let e = refusal(Raw::file("..\\plugins-evil\\x", "x"));
    assert!(e.ends_with("contains a backslash, a path separator on Windows; use `/`"), "{e}");
}

#[test]
fn links_devices_and_fifos_are_refused() {
    let cases = [
        (
            Raw::special(format!("{ID}/link"), EntryType::Symlink, Some(b"/etc/passwd")),
            "is a symbolic link (to `/etc/passwd`)",
        ),
        (
            Raw::special(format!("{ID}/hard"), EntryType::Link, Some(b"/etc/passwd")),
            "is a hard link (to `/etc/passwd`)",
        ),
        (Raw::special(format!("{ID}/tty"), EntryType::Char, None), "is a device node"),
        (Raw::special(format!("{ID}/disk"), EntryType::Block, None), "is a device node"),
        (Raw::special(format!("{ID}/pipe"), EntryType::Fifo, None), "is a named pipe (fifo)"),
    ];
    for (entry, expected) in cases {
        let name = String::from_utf8(entry.name.clone()).unwrap();
        let e = refusal(entry);
        assert!(e.starts_with(&format!("bundle entry `{name}` {expected}")), "{e}");
    }
}

#[test]
fn a_symlink_to_a_directory_cannot_be_used_to_write_through_it() {
    // The classic two-step escape: a link, then a file "inside" it.
    let mut entries = support::plugin_entries(ID, ID, "1.0.0");
    entries.push(Raw::special(format!("{ID}/out"), EntryType::Symlink, Some(b"../../")));
    entries.push(Raw::file(format!("{ID}/out/evil"), "x"));
    let e = Site::new().refuses(&tar_gz(&entries), &InstallOptions::default());
    assert!(e.contains("is a symbolic link"), "{e}");
}

#[test]
fn too_many_entries_are_refused() {
    let mut entries = support::plugin_entries(ID, ID, "1.0.0");
    entries.extend((0..30).map(|i| Raw::file(format!("{ID}/assets/{i}"), "x")));
    let e = Site::new().refuses(&tar_gz(&entries), &small_limits());
    assert_eq!(e, "the bundle has more than 20 entries (the configured limit)");
}

#[test]
fn a_gzip_bomb_is_stopped_at_the_limit() {
    // 64 MiB of zeros compress to about 64 KiB; the limit is 1 MiB.
    let e = Site::new().refuses(&with(Raw::file(format!("{ID}/zeros"), vec![0u8; 64 << 20])), &small_limits());
    assert_eq!(
        e,
        "the bundle unpacks to more than 1 MiB (the configured limit); a plugin this large, or a compression bomb, is refused"
    );
}

#[test]
fn a_header_that_lies_about_its_size_is_a_truncated_archive() {
    let lying = Raw { size: Some(1 << 30), ..Raw::file(format!("{ID}/big"), "short") };
    let e = refusal(lying);
    assert!(e.starts_with(&format!("the bundle is truncated or corrupt (at entry `{ID}/big`)")), "{e}");
}

#[test]
fn long_names_and_deep_nesting_are_refused() {
    let long = format!("{ID}/{}", "n".repeat(300));
    let e = refusal(Raw::file(&long, "x"));
    assert_eq!(e, format!("bundle entry `{long}` has a path component longer than 255 bytes"));
    let longer = format!("{ID}/{}", "abcdefgh/".repeat(130));
    let e = refusal(Raw::file(&longer, "x"));
    assert!(e.ends_with("is longer than 1024 bytes"), "{e}");
    let deep = format!("{ID}/{}x", "d/".repeat(40));
    let e = refusal(Raw::file(&deep, "x"));
    assert!(e.ends_with("is nested deeper than 32 directories"), "{e}");
}

#[test]
fn names_that_are_not_utf8_are_refused() {
    let e = refusal(Raw::file(b"com.example.fixture/\xff\xfe", "x"));
    assert!(e.ends_with("is not valid UTF-8"), "{e}");
}

#[test]
fn duplicate_files_and_files_under_files_are_refused() {
    let e = refusal(Raw::file(format!("{ID}/plugin.json"), "{}"));
    assert_eq!(e, format!("bundle entry `{ID}/plugin.json` appears twice in the archive"));
    let e = refusal(Raw::file(format!("{ID}/plugin.json/x"), "{}"));
    assert_eq!(e, format!("bundle entry `{ID}/plugin.json/x` would be inside `{ID}/plugin.json`, which is a file"));
}

#[test]
fn truncated_corrupt_and_padded_archives_are_refused() {
    let good = valid_bundle(ID, "1.0.0");
    let site = Site::new();
    let e = site.refuses(&good[..good.len() / 2], &InstallOptions::default());
    assert!(e.starts_with("the bundle is truncated or corrupt"), "{e}");
    // A flipped byte in the compressed data: either the deflate stream or the CRC catches it.
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x55;
    let e = site.refuses(&flipped, &InstallOptions::default());
    assert!(e.starts_with("the bundle is truncated or corrupt") || e.contains("bundle entry"), "{e}");
    let mut trailing = good.clone();
    trailing.extend_from_slice(b"more");
    let e = site.refuses(&trailing, &InstallOptions::default());
    assert_eq!(e, "the bundle has unexpected data after the end of its gzip stream");
    // The gzip trailer's CRC is checked even though tar stops reading before it.
    let mut bad_crc = good.clone();
    let n = bad_crc.len();
    bad_crc[n - 8] ^= 1;
    let e = site.refuses(&bad_crc, &InstallOptions::default());
    assert!(e.starts_with("the bundle is truncated or corrupt"), "{e}");
}

#[test]
fn a_plain_tar_or_anything_else_is_not_a_bundle() {
    let site = Site::new();
    let plain = tar_bytes(&support::plugin_entries(ID, ID, "1.0.0"));
    for bytes in [plain.as_slice(), b"", b"\x1f"] {
        let e = site.refuses(bytes, &InstallOptions::default());
        assert_eq!(e, "the bundle is not a gzip-compressed tar archive (.tar.gz)");
    }
}

#[test]
fn a_missing_or_invalid_manifest_is_refused() {
    let site = Site::new();
    let e = site.refuses(&tar_gz(&[Raw::dir("x/"), Raw::file("x/readme", "hi")]), &InstallOptions::default());
    assert!(e.starts_with("the bundle's manifest is not usable:"), "{e}");
    assert!(e.contains("no plugin.yml, plugin.yaml or plugin.json") || e.contains("manifest"), "{e}");
    let e = site.refuses(&support::valid_bundle("x", "1.0.0"), &InstallOptions::default());
    assert!(e.contains("id"), "{e}");
    let e = site.refuses(&support::valid_bundle("com.example.fixture", "one"), &InstallOptions::default());
    assert!(e.contains("version"), "{e}");
}

#[test]
fn a_manifest_naming_a_missing_file_is_refused() {
    let mut entries = support::plugin_entries(ID, ID, "1.0.0");
    entries.retain(|e| !e.name.ends_with(b"main.js"));
    let e = Site::new().refuses(&tar_gz(&entries), &InstallOptions::default());
    assert_eq!(
        e,
        "the manifest's `webapp.bundle_path` names `webapp/dist/main.js`, which is not a file in the bundle; add \
         the file or fix the path (relative to the manifest)"
    );
}

#[test]
fn an_id_starting_with_a_dot_is_refused() {
    let e = Site::new().refuses(&valid_bundle(".hidden", "1.0.0"), &InstallOptions::default());
    assert!(e.contains(".hidden"), "{e}");
}

#[test]
fn a_bundle_installs_with_execute_bits_and_nothing_writable_by_others() {
    let site = Site::new();
    let mut entries = support::plugin_entries(ID, ID, "1.0.0");
    entries.push(Raw { mode: 0o6777, ..Raw::file(format!("{ID}/assets/setuid"), "x") });
    let installed = site.install(&tar_gz(&entries), &InstallOptions::default()).unwrap();
    assert_eq!(installed.outcome, Outcome::New);
    assert_eq!(installed.path, site.plugins.join(ID));
    let mode = |p: &str| fs::metadata(installed.path.join(p)).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode("server/dist/plugin-linux-amd64"), 0o755);
    assert_eq!(mode("plugin.json"), 0o644);
    assert_eq!(mode("assets/setuid"), 0o755);
    assert_eq!(mode("server"), 0o755);
    assert_eq!(installed.manifest.id, ID);
    // No staging directory is left, only the plugins and the lock.
    let names: Vec<_> =
        fs::read_dir(&site.plugins).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, [".install.lock", "com.example.fixture", "com.example.present"]);
}

#[test]
fn a_bundle_without_a_top_level_directory_installs_too() {
    let site = Site::new();
    let installed =
        site.install(&tar_gz(&support::plugin_entries("", ID, "1.0.0")), &InstallOptions::default()).unwrap();
    assert!(installed.path.join("server/dist/plugin").is_file());
    // The same with `./` names, as `tar czf x.tar.gz -C dir .` writes them.
    let site = Site::new();
    let mut entries = vec![Raw::dir("./")];
    entries.extend(support::plugin_entries(".", ID, "1.0.0").into_iter().skip(1));
    let installed = site.install(&tar_gz(&entries), &InstallOptions::default()).unwrap();
    assert!(installed.path.join("plugin.json").is_file());
}

#[test]
fn replace_policies_follow_upstream() {
    let site = Site::new();
    let v1 = valid_bundle(ID, "1.0.0");
    let v2 = valid_bundle(ID, "2.0.0");
    site.install(&v1, &InstallOptions::default()).unwrap();

    let e = site.refuses(&v2, &InstallOptions::default());
    assert_eq!(
        e,
        "plugin `com.example.fixture` is already installed (version 1.0.0); install with --force to replace it, \
         or --if-newer to replace it only with a newer version"
    );

    let if_newer = InstallOptions { policy: ReplacePolicy::IfNewer, ..InstallOptions::default() };
    let before = tree(&site.parent);
    let kept = site.install(&v1, &if_newer).unwrap();
    assert_eq!(kept.outcome, Outcome::KeptInstalled { installed_version: "1.0.0".into() });
    assert_eq!(tree(&site.parent), before);

    let replaced = site.install(&v2, &if_newer).unwrap();
    assert_eq!(replaced.outcome, Outcome::Replaced { previous_version: "1.0.0".into() });
    assert!(fs::read_to_string(site.plugins.join(ID).join("plugin.json")).unwrap().contains("2.0.0"));

    let force = InstallOptions { policy: ReplacePolicy::Always, ..InstallOptions::default() };
    let downgraded = site.install(&v1, &force).unwrap();
    assert_eq!(downgraded.outcome, Outcome::Replaced { previous_version: "2.0.0".into() });
    assert!(fs::read_to_string(site.plugins.join(ID).join("plugin.json")).unwrap().contains("1.0.0"));
}

#[test]
fn a_refused_replacement_keeps_the_installed_plugin() {
    let site = Site::new();
    site.install(&valid_bundle(ID, "1.0.0"), &InstallOptions::default()).unwrap();
    let force = InstallOptions { policy: ReplacePolicy::Always, ..InstallOptions::default() };
    let e = site.refuses(&with(Raw::file("../evil", "x")), &force);
    assert!(e.contains("contains `..`"), "{e}");
}

#[test]
fn staging_left_by_a_killed_installer_is_removed_by_the_next_install() {
    let site = Site::new();
    let stale = site.plugins.join(".staging-killed");
    fs::create_dir_all(stale.join("unpacked/half")).unwrap();
    site.install(&valid_bundle(ID, "1.0.0"), &InstallOptions::default()).unwrap();
    assert!(!stale.exists());
}

#[test]
fn a_missing_plugins_directory_is_an_error_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("b.tar.gz");
    fs::write(&bundle, valid_bundle(ID, "1.0.0")).unwrap();
    let missing = dir.path().join("nope");
    let e = install_file(&bundle, None, &missing, &InstallOptions::default()).unwrap_err().to_string();
    assert!(e.starts_with(&format!("could not use the plugins directory `{}`", missing.display())), "{e}");
    assert!(!missing.exists());
}

#[test]
fn a_stream_installs_like_a_file() {
    let site = Site::new();
    let bundle = valid_bundle(ID, "1.0.0");
    let installed = install_reader(bundle.as_slice(), None, &site.plugins, &InstallOptions::default()).unwrap();
    assert!(installed.path.join("plugin.json").is_file());
}

// --- signatures, with keys and signatures made by GnuPG (tests/fixtures/signing) ----------

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn keys(files: &[&str]) -> plugin_host::package::signature::Keyring {
    let paths: Vec<PathBuf> = files.iter().map(|f| fixture(&format!("signing/{f}"))).collect();
    plugin_host::package::signature::Keyring::load(&paths).unwrap()
}

/// The signed fixture bundle (made by `plugin-host bundle`, signed by `make-fixtures.sh sign`).
fn signed_bundle() -> PathBuf {
    fixture("bundles/com.example.signed-1.0.0.tar.gz")
}

fn signature(ext: &str) -> Vec<u8> {
    fs::read(format!("{}.{ext}", signed_bundle().display())).unwrap()
}

fn install_signed(
    site: &Site,
    sig: Option<&[u8]>,
    options: &InstallOptions,
) -> Result<plugin_host::package::install::Installed, InstallError> {
    install_file(&signed_bundle(), sig, &site.plugins, options)
}

fn refuses_signed(site: &Site, sig: Option<&[u8]>, options: &InstallOptions) -> String {
    let before = tree(&site.parent);
    let e = install_signed(site, sig, options).unwrap_err().to_string();
    assert_eq!(tree(&site.parent), before, "{e}");
    e
}

#[test]
fn a_bundle_signed_by_a_trusted_key_installs() {
    for (ext, key) in [("sig", "rsa.asc"), ("asc", "ed25519.asc")] {
        let site = Site::new();
        let options = InstallOptions { require_signature: true, keyring: keys(&[key]), ..InstallOptions::default() };
        let installed = install_signed(&site, Some(&signature(ext)), &options).unwrap();
        let signer = installed.signer.unwrap();
        assert!(signer.user_id.unwrap().starts_with("Plugin Test Signer"));
        // The stream path spools to disk and checks the same way.
        let site = Site::new();
        let file = fs::File::open(signed_bundle()).unwrap();
        install_reader(file, Some(&signature(ext)), &site.plugins, &options).unwrap();
    }
}

#[test]
fn signature_refusals() {
    let site = Site::new();
    let required = InstallOptions { require_signature: true, keyring: keys(&["rsa.asc"]), ..InstallOptions::default() };
    let e = refuses_signed(&site, None, &required);
    assert!(e.starts_with("this server requires plugin signatures"), "{e}");

    // Signed by a key the server does not trust.
    let e = refuses_signed(&site, Some(&signature("asc")), &required);
    assert!(e.starts_with("the bundle's signature was made by key 0x"), "{e}");
    assert!(e.contains("which is not among the trusted keys"), "{e}");

    // A signature given with no keys at all is refused, not ignored.
    let e = refuses_signed(&site, Some(&signature("sig")), &InstallOptions::default());
    assert!(e.starts_with("no public keys are trusted for plugin signatures"), "{e}");

    // A signature of other bytes by the trusted key.
    let other = fs::read(fixture("signing/data.bin.rsa.sig")).unwrap();
    let e = refuses_signed(&site, Some(&other), &required);
    assert!(e.contains("does not match the bundle"), "{e}");

    // Garbage instead of a signature, through the stream path too.
    let before = tree(&site.parent);
    let e = install_reader(fs::File::open(signed_bundle()).unwrap(), Some(b"garbage"), &site.plugins, &required)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("the bundle's signature file is not a detached OpenPGP signature"), "{e}");
    assert_eq!(tree(&site.parent), before);
}

#[test]
fn a_writer_can_use_the_plugins_dir_while_nothing_is_installed() {
    // The lock file is the only thing an install adds besides the plugin.
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins");
    fs::create_dir(&plugins).unwrap();
    let bundle = dir.path().join("b.tar.gz");
    fs::File::create(&bundle).unwrap().write_all(&valid_bundle(ID, "1.0.0")).unwrap();
    install_file(&bundle, None, &plugins, &InstallOptions::default()).unwrap();
    let mut names: Vec<_> = fs::read_dir(&plugins).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(names, [".install.lock", ID]);
}
