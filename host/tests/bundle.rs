//! The bundler and the command line: a plugin directory bundles to the same bytes every time,
//! installs back to the same files, and every mistake is reported at once; the CLI's output is
//! kept as insta snapshots.

mod support;

use plugin_host::package::bundle::{bundle, bundle_to_file, BundleOptions};
use plugin_host::package::install::{install_file, InstallOptions};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use support::{tree, write_plugin_dir, ID};

fn bundle_bytes(dir: &Path, options: &BundleOptions) -> Vec<u8> {
    let mut out = Vec::new();
    bundle(dir, options, &mut out).unwrap();
    out
}

#[test]
fn the_same_directory_bundles_to_the_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    write_plugin_dir(a.path(), ID, "1.0.0");
    // Another copy, written in another order at another time, with other permissions on the
    // non-executables.
    write_plugin_dir(b.path(), ID, "1.0.0");
    fs::set_permissions(b.path().join("plugin.json"), fs::Permissions::from_mode(0o600)).unwrap();
    fs::create_dir(a.path().join("assets")).unwrap();
    fs::create_dir(b.path().join("assets")).unwrap();
    for name in ["z.txt", "a.txt", "m.txt"] {
        fs::write(a.path().join("assets").join(name), name).unwrap();
    }
    for name in ["m.txt", "a.txt", "z.txt"] {
        fs::write(b.path().join("assets").join(name), name).unwrap();
    }
    let first = bundle_bytes(a.path(), &BundleOptions::default());
    assert_eq!(first, bundle_bytes(a.path(), &BundleOptions::default()));
    assert_eq!(first, bundle_bytes(b.path(), &BundleOptions::default()));
}

#[test]
fn a_bundle_installs_back_to_the_plugin_it_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let plugin = dir.path().join("src");
    write_plugin_dir(&plugin, ID, "1.2.3");
    fs::create_dir_all(plugin.join("public/img")).unwrap();
    fs::write(plugin.join("public/img/logo.txt"), "logo").unwrap();
    // Sources and build output are not part of a bundle.
    fs::create_dir_all(plugin.join("target/release")).unwrap();
    fs::write(plugin.join("target/release/junk"), "junk").unwrap();
    fs::write(plugin.join("main.rs"), "fn main() {}").unwrap();

    let file = dir.path().join("out.tar.gz");
    let bundled = bundle_to_file(&plugin, &BundleOptions::default(), &file).unwrap();
    assert_eq!(
        bundled.files,
        [
            "plugin.json",
            "public/img/logo.txt",
            "server/dist/plugin",
            "server/dist/plugin-linux-amd64",
            "webapp/dist/main.js"
        ]
    );
    let plugins = dir.path().join("plugins");
    fs::create_dir(&plugins).unwrap();
    let installed = install_file(&file, None, &plugins, &InstallOptions::default()).unwrap();
    assert_eq!(installed.manifest.version, "1.2.3");

    // The installed tree is the plugin's, less what is not bundled (the fixture's files are
    // 0644 and 0755 already, the modes the bundler writes).
    let mut expected = tree(&plugin);
    expected.retain(|path, _| !path.starts_with("target") && path != "main.rs");
    assert_eq!(tree(&installed.path), expected);
    let exe = installed.path.join("server/dist/plugin-linux-amd64");
    assert_eq!(fs::metadata(exe).unwrap().permissions().mode() & 0o777, 0o755);
}

#[test]
fn an_executable_override_takes_the_built_file() {
    let dir = tempfile::tempdir().unwrap();
    let plugin = dir.path().join("src");
    write_plugin_dir(&plugin, ID, "1.0.0");
    fs::remove_file(plugin.join("server/dist/plugin-linux-amd64")).unwrap();
    let built = dir.path().join("built");
    fs::write(&built, "#!/bin/sh\necho built\n").unwrap();
    fs::set_permissions(&built, fs::Permissions::from_mode(0o755)).unwrap();
    let options = BundleOptions { executables: [("linux-amd64".to_owned(), built)].into() };
    let file = dir.path().join("out.tar.gz");
    bundle_to_file(&plugin, &options, &file).unwrap();
    let plugins = dir.path().join("plugins");
    fs::create_dir(&plugins).unwrap();
    let installed = install_file(&file, None, &plugins, &InstallOptions::default()).unwrap();
    assert_eq!(
        fs::read_to_string(installed.path.join("server/dist/plugin-linux-amd64")).unwrap(),
        "#!/bin/sh\necho built\n"
    );
    assert_eq!(fs::read_to_string(installed.path.join("server/dist/plugin")).unwrap(), "#!/bin/sh\necho any\n");
}

// --- the command line ----------------------------------------------------------------------

fn cli(args: &[&str], cwd: &Path) -> String {
    support::cli(args, cwd, &[(&fixtures(), "[fixtures]")])
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
fn cli_bundle_then_install() {
    let dir = tempfile::tempdir().unwrap();
    write_plugin_dir(&dir.path().join("plugin"), ID, "1.0.0");
    fs::create_dir(dir.path().join("plugins")).unwrap();
    insta::assert_snapshot!("cli_bundle", cli(&["bundle", "plugin"], dir.path()));
    let bundle = format!("{ID}-1.0.0.tar.gz");
    insta::assert_snapshot!("cli_install", cli(&["install", &bundle, "--plugins-dir", "plugins"], dir.path()));
    insta::assert_snapshot!("cli_install_again", cli(&["install", &bundle, "--plugins-dir", "plugins"], dir.path()));
    insta::assert_snapshot!(
        "cli_install_if_newer",
        cli(&["install", &bundle, "--plugins-dir", "plugins", "--if-newer"], dir.path())
    );
    insta::assert_snapshot!(
        "cli_install_force",
        cli(&["install", &bundle, "--plugins-dir", "plugins", "--force"], dir.path())
    );
}

#[test]
fn cli_bundle_reports_every_missing_file_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let plugin = dir.path().join("plugin");
    write_plugin_dir(&plugin, ID, "1.0.0");
    fs::remove_file(plugin.join("webapp/dist/main.js")).unwrap();
    fs::set_permissions(plugin.join("server/dist/plugin"), fs::Permissions::from_mode(0o644)).unwrap();
    insta::assert_snapshot!(
        "cli_bundle_problems",
        cli(&["bundle", "plugin", "--executable", "linux-amd64=nowhere", "-o", "x.tar.gz"], dir.path())
    );
    assert!(!dir.path().join("x.tar.gz").exists());
}

#[test]
fn cli_install_with_signatures() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("plugins")).unwrap();
    let bundle = fixtures().join("bundles/com.example.signed-1.0.0.tar.gz");
    let bundle = bundle.to_str().unwrap();
    // Installs the signed fixture bundle trusting only `key`, signatures required.
    let install_trusting = |key: &str| {
        let key = fixtures().join("signing").join(key);
        let args = ["install", bundle, "--plugins-dir", "plugins", "--require-signature", "--public-key"];
        let mut args: Vec<&str> = args.to_vec();
        args.push(key.to_str().unwrap());
        cli(&args, dir.path())
    };
    insta::assert_snapshot!("cli_install_unknown_key", install_trusting("untrusted.asc"));
    // `<bundle>.sig` beside the bundle is found without --signature.
    insta::assert_snapshot!("cli_install_signed", install_trusting("rsa.asc"));
}

#[test]
fn cli_install_refusal_names_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("plugins")).unwrap();
    let mut entries = support::plugin_entries(ID, ID, "1.0.0");
    entries.push(support::Raw::file("../../etc/cron.d/evil", "* * * * * root sh"));
    fs::write(dir.path().join("evil.tar.gz"), support::tar_gz(&entries)).unwrap();
    insta::assert_snapshot!(
        "cli_install_hostile",
        cli(&["install", "evil.tar.gz", "--plugins-dir", "plugins"], dir.path())
    );
    insta::assert_snapshot!(
        "cli_install_bad_size",
        cli(&["install", "evil.tar.gz", "--plugins-dir", "plugins", "--max-unpacked-size", "12XB"], dir.path())
    );
}

#[test]
fn the_demo_plugin_manifest_is_valid() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/demo-plugin");
    let loaded = plugin_host::manifest::load(&demo).unwrap();
    assert_eq!(loaded.manifest.id, "com.example.demo");
    assert_eq!(
        plugin_host::manifest::platform::server_executable(&loaded.manifest, "linux-amd64"),
        Some("server/dist/demo-plugin")
    );
}
