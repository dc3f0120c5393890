//! Web-app bundles: at activation a plugin's `webapp.bundle_path` file is copied into the client
//! directory under a name made from its content hash, `<client_dir>/<id>/<id>_<hash>_bundle.js`,
//! so clients may cache it forever (a new version is a new name). Upstream:
//! `Environment.UnpackWebappBundle` in `plugin/environment.go`.
//!
//! Beyond upstream: only the bundle file is copied (upstream copies its whole directory), the
//! hash is SHA-256 rather than 64-bit FNV, the copy is written to a temporary file and renamed
//! into place (a reader never sees half a bundle), the bundle is opened without following a
//! symbolic link, and the bundles an older version left behind are removed.

use crate::manifest;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Hex digits of the content hash in a bundle's name: the first 128 bits of its SHA-256. The
/// hash only has to tell versions of one plugin apart (the id is in the name too), and a
/// collision would serve a stale bundle for as long as clients cache it: 128 bits keep even a
/// deliberately made collision out of reach (about 2^64 work) while the URL stays short.
pub const HASH_HEX_LEN: usize = 32;

/// The suffix of every bundle's file name.
const SUFFIX: &str = "_bundle.js";

/// Read and write buffer of the copy.
const COPY_CHUNK: usize = 64 << 10;

/// A plugin's web-app bundle as copied into the client directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebappBundle {
    /// [`HASH_HEX_LEN`] lower-case hex digits of the bundle's SHA-256.
    pub hash: String,
    /// `<id>_<hash>_bundle.js`, the file's name in `<client_dir>/<id>/`.
    pub file_name: String,
    /// The copy's full path.
    pub path: PathBuf,
}

/// `<id>_<hash>_bundle.js` (upstream's name, `%s_%x_bundle.js`).
pub fn bundle_file_name(id: &str, hash: &str) -> String {
    format!("{id}_{hash}{SUFFIX}")
}

/// Whether `name` has the shape of a bundle name of plugin `id`: `<id>_`, exactly
/// [`HASH_HEX_LEN`] lower-case hex digits, `_bundle.js`. Any other name (a traversal, another
/// plugin's file, a stray temporary file) is not a bundle.
pub fn is_bundle_file_name(id: &str, name: &str) -> bool {
    let Some(hash) = name.strip_prefix(id).and_then(|rest| rest.strip_prefix('_')) else {
        return false;
    };
    let Some(hash) = hash.strip_suffix(SUFFIX) else {
        return false;
    };
    hash.len() == HASH_HEX_LEN && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether `id` can name a directory of the client directory: a plugin id's characters
/// (`[A-Za-z0-9._-]`) and not starting with `.` (no `.`, `..`, hidden or installer names).
/// Manifest validation already holds ids to this; the check is repeated where an id becomes a
/// path, so that no later change elsewhere can turn it into a way out of the directory.
pub fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Copies plugin `id`'s bundle (`bundle_path`, relative to `plugin_dir`) into
/// `<client_dir>/<id>/` under its hashed name, then removes everything else in that directory
/// (the bundles of older versions, temporary files a crash left). Err is the reason the plugin
/// does not start, naming the file.
pub(super) fn copy_bundle(
    client_dir: &Path,
    id: &str,
    plugin_dir: &Path,
    bundle_path: &str,
) -> Result<WebappBundle, String> {
    if !is_plain_id(id) {
        return Err(format!("the id {id:?} cannot name a directory of the client directory"));
    }
    let relative = manifest::relative_path(bundle_path).map_err(|e| format!("webapp.bundle_path: {e}"))?;
    let source = plugin_dir.join(&relative);
    let unreadable = |e: io::Error| {
        format!(
            "the web-app bundle `{bundle_path}` (webapp.bundle_path) could not be read at `{}`: {e}",
            source.display()
        )
    };
    let mut input = open_inside(plugin_dir, &relative).map_err(unreadable)?;

    let target_dir = client_dir.join(id);
    let unwritable =
        |path: &Path, e: io::Error| format!("could not write the web-app bundle to `{}`: {e}", path.display());
    fs::create_dir_all(&target_dir).map_err(|e| unwritable(&target_dir, e))?;
    let mut temp =
        tempfile::Builder::new().prefix(".tmp-").tempfile_in(&target_dir).map_err(|e| unwritable(&target_dir, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; COPY_CHUNK];
    loop {
        let n = match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(unreadable(e)),
        };
        hasher.update(&buffer[..n]);
        temp.write_all(&buffer[..n]).map_err(|e| unwritable(temp.path(), e))?;
    }
    // Readable by all, as a web server's static files are: the client directory may also be
    // served by a proxy in front of this server (the temporary file is created owner-only).
    temp.as_file().set_permissions(fs::Permissions::from_mode(0o644)).map_err(|e| unwritable(temp.path(), e))?;
    // No fsync: the copy is derived data, rewritten at every activation, and a server restart
    // activates its enabled plugins again; a flush per plugin would only slow starts down.
    let hash = hex(&hasher.finalize()[..HASH_HEX_LEN / 2]);
    let file_name = bundle_file_name(id, &hash);
    let path = target_dir.join(&file_name);
    temp.persist(&path).map_err(|e| unwritable(&path, e.error))?;
    remove_all_but(&target_dir, &file_name);
    Ok(WebappBundle { hash, file_name, path })
}

/// Removes plugin `id`'s directory of the client directory, if there is one.
pub(super) fn remove(client_dir: &Path, id: &str) -> io::Result<()> {
    if !is_plain_id(id) {
        return Ok(()); // Never made one (see `copy_bundle`); nothing to remove.
    }
    match fs::remove_dir_all(client_dir.join(id)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Opens `dir/relative` for reading only if it is a regular file reached without a symbolic
/// link. The installer refuses links in bundles, so this is a second line; it costs a `stat`
/// per directory of the path. `O_NONBLOCK` keeps a FIFO planted there from blocking the open
/// (it is then refused as not a regular file); on a regular file it changes nothing.
fn open_inside(dir: &Path, relative: &Path) -> io::Result<File> {
    let mut at = dir.to_path_buf();
    let mut components = relative.components().peekable();
    while let Some(component) = components.next() {
        at.push(component);
        if components.peek().is_some() && fs::symlink_metadata(&at)?.file_type().is_symlink() {
            return Err(io::Error::other(format!("`{}` is a symbolic link; links are not followed", at.display())));
        }
    }
    let file =
        fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(&at).map_err(|e| {
            match e.raw_os_error() {
                // What O_NOFOLLOW answers for a link, worded as what it means here.
                Some(libc::ELOOP) => io::Error::other("it is a symbolic link; links are not followed"),
                _ => e,
            }
        })?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("it is not a regular file"));
    }
    Ok(file)
}

/// Removes every entry of `dir` but `keep`. A failure is logged, not returned: the plugin's
/// new bundle is in place, and only the current bundle is ever served.
fn remove_all_but(dir: &Path, keep: &str) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            log::warn!("could not list `{}` to remove old web-app bundles: {e}", dir.display());
            return;
        }
    };
    for entry in entries.flatten() {
        if entry.file_name() == keep {
            continue;
        }
        let path = entry.path();
        let removed = match entry.file_type() {
            Ok(kind) if kind.is_dir() => fs::remove_dir_all(&path),
            _ => fs::remove_file(&path),
        };
        if let Err(e) = removed {
            log::warn!("could not remove the old web-app file `{}`: {e}", path.display());
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)] as char, DIGITS[usize::from(b & 0xf)] as char]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    const ID: &str = "com.example.web";

    /// A plugin directory holding `webapp/dist/main.js` with `js`, and an empty client directory.
    fn setup(js: &[u8]) -> (tempfile::TempDir, PathBuf, PathBuf) {
        let root = tempfile::tempdir().unwrap();
        let plugin = root.path().join("plugins").join(ID);
        fs::create_dir_all(plugin.join("webapp/dist")).unwrap();
        fs::write(plugin.join("webapp/dist/main.js"), js).unwrap();
        let client = root.path().join("client/plugins");
        (root, plugin, client)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn the_copy_is_named_by_the_sha256_of_its_content() {
        let (_root, plugin, client) = setup(b"registerPlugin('x', {});\n");
        let bundle = copy_bundle(&client, ID, &plugin, "webapp/dist/main.js").unwrap();
        let full = hex(&Sha256::digest(b"registerPlugin('x', {});\n"));
        assert_eq!(bundle.hash, full[..HASH_HEX_LEN]);
        assert_eq!(bundle.file_name, format!("{ID}_{}_bundle.js", bundle.hash));
        assert_eq!(bundle.path, client.join(ID).join(&bundle.file_name));
        assert_eq!(fs::read(&bundle.path).unwrap(), b"registerPlugin('x', {});\n");
        assert_eq!(fs::metadata(&bundle.path).unwrap().permissions().mode() & 0o777, 0o644);
        assert_eq!(names(&client.join(ID)), [bundle.file_name.as_str()]);
        assert!(is_bundle_file_name(ID, &bundle.file_name));
    }

    #[test]
    fn a_new_version_replaces_the_old_bundle_and_leftovers() {
        let (_root, plugin, client) = setup(b"one");
        let first = copy_bundle(&client, ID, &plugin, "webapp/dist/main.js").unwrap();
        fs::write(client.join(ID).join(".tmp-left-by-a-crash"), b"x").unwrap();
        fs::write(plugin.join("webapp/dist/main.js"), b"two").unwrap();
        let second = copy_bundle(&client, ID, &plugin, "webapp/dist/main.js").unwrap();
        assert_ne!(first.hash, second.hash);
        assert_eq!(names(&client.join(ID)), [second.file_name.as_str()]);
        // The same content again keeps its name: URLs survive a restart.
        let again = copy_bundle(&client, ID, &plugin, "webapp/dist/main.js").unwrap();
        assert_eq!(again, second);
        assert_eq!(names(&client.join(ID)), [second.file_name]);
    }

    #[test]
    fn a_missing_bundle_is_refused_naming_the_file() {
        let (_root, plugin, client) = setup(b"x");
        let e = copy_bundle(&client, ID, &plugin, "webapp/dist/gone.js").unwrap_err();
        assert!(e.contains("`webapp/dist/gone.js`") && e.contains("webapp.bundle_path"), "{e}");
        assert!(e.contains(&plugin.join("webapp/dist/gone.js").display().to_string()), "{e}");
        // Refused before anything is written.
        assert!(!client.exists());
    }

    #[test]
    fn paths_out_of_the_plugin_directory_are_refused() {
        let (root, plugin, client) = setup(b"x");
        fs::write(root.path().join("secret.js"), b"secret").unwrap();
        for path in ["../../secret.js", "/etc/passwd", "webapp\\dist\\main.js"] {
            let e = copy_bundle(&client, ID, &plugin, path).unwrap_err();
            assert!(e.starts_with("webapp.bundle_path: "), "{path}: {e}");
        }
        // A link as the file, or on the way to it, is not followed.
        symlink(root.path().join("secret.js"), plugin.join("webapp/link.js")).unwrap();
        let e = copy_bundle(&client, ID, &plugin, "webapp/link.js").unwrap_err();
        assert!(e.contains("symbolic link"), "{e}");
        symlink(root.path(), plugin.join("up")).unwrap();
        let e = copy_bundle(&client, ID, &plugin, "up/secret.js").unwrap_err();
        assert!(e.contains("symbolic link"), "{e}");
        // A directory is not a bundle.
        let e = copy_bundle(&client, ID, &plugin, "webapp/dist").unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
        assert!(!client.exists());
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let (_root, plugin, client) = setup(b"x");
        let fifo = plugin.join("webapp/fifo.js");
        let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
        let e = copy_bundle(&client, ID, &plugin, "webapp/fifo.js").unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
    }

    #[test]
    fn ids_that_are_not_plain_names_get_no_directory() {
        let (_root, plugin, client) = setup(b"x");
        for id in ["..", ".hidden", "a/b", ""] {
            assert!(copy_bundle(&client, id, &plugin, "webapp/dist/main.js").is_err(), "{id}");
            assert!(!is_plain_id(id), "{id}");
        }
        assert!(!client.exists());
    }

    #[test]
    fn remove_takes_the_directory_and_tolerates_its_absence() {
        let (_root, plugin, client) = setup(b"x");
        copy_bundle(&client, ID, &plugin, "webapp/dist/main.js").unwrap();
        remove(&client, ID).unwrap();
        assert!(!client.join(ID).exists());
        remove(&client, ID).unwrap();
        assert!(client.is_dir());
    }

    #[test]
    fn only_well_formed_names_of_the_plugin_are_bundle_names() {
        let hash = "0123456789abcdef0123456789abcdef";
        assert!(is_bundle_file_name(ID, &format!("{ID}_{hash}_bundle.js")));
        for name in [
            format!("{ID}_{}_bundle.js", &hash[1..]),
            format!("{ID}_{hash}0_bundle.js"),
            format!("{ID}_{}_bundle.js", hash.to_uppercase()),
            format!("com.example.other_{hash}_bundle.js"),
            format!("{ID}_{hash}_bundle.js.map"),
            format!("{ID}{hash}_bundle.js"),
            format!("../{ID}_{hash}_bundle.js"),
            "passwd".to_owned(),
        ] {
            assert!(!is_bundle_file_name(ID, &name), "{name}");
        }
    }
}
