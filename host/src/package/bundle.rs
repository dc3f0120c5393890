//! Writing a plugin bundle (`.tar.gz`) from a plugin directory, for plugin authors.
//!
//! The bundle holds, under one top-level directory named after the plugin id: the manifest, every
//! file the manifest names (server executables, web app bundle, icon) and the `assets/` and
//! `public/` directories if present — nothing else, so a `target/` directory or sources never
//! leak into a bundle. The same input gives the same bytes: entries are sorted, and times, owners
//! and modes are fixed (0755 for directories and executables, 0644 for the rest).

use crate::manifest::{self, platform, ManifestError};
use api_definitions::model::Manifest;
use flate2::{Compression, GzBuilder};
use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Directories copied whole when present (upstream's conventions: `assets/` for files the
/// plugin reads at run time, `public/` for files it serves).
pub const EXTRA_DIRS: [&str; 2] = ["assets", "public"];

/// The modification time written for every entry (2000-01-01): fixed so bundles are
/// reproducible, and not zero, which some tools show as "no date".
const FIXED_MTIME: u64 = 946_684_800;

/// Options of [`bundle`].
#[derive(Debug, Clone, Default)]
pub struct BundleOptions {
    /// Per platform (`linux-amd64`), a built file to put where the manifest's executable for that
    /// platform goes, instead of the file at that path in the plugin directory. A Rust plugin
    /// builds into `target/`, which the manifest cannot point into.
    pub executables: BTreeMap<String, PathBuf>,
}

/// What a bundle holds.
#[derive(Debug, Clone)]
pub struct Bundled {
    pub manifest: Manifest,
    /// The files written, as paths inside the bundle's top-level directory, sorted.
    pub files: Vec<String>,
}

#[derive(Debug)]
pub enum BundleError {
    Manifest(ManifestError),
    /// Every problem with the files the manifest names, found in one pass.
    Contents {
        dir: PathBuf,
        problems: Vec<String>,
    },
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::Manifest(e) => e.fmt(f),
            BundleError::Contents { dir, problems } => {
                let count = problems.len();
                write!(
                    f,
                    "{}: {count} problem{} with the plugin's files:",
                    dir.display(),
                    if count == 1 { "" } else { "s" }
                )?;
                problems.iter().try_for_each(|p| write!(f, "\n  {p}"))
            }
            BundleError::Io { action, path, source } => write!(f, "could not {action} `{}`: {source}", path.display()),
        }
    }
}

impl std::error::Error for BundleError {}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> BundleError {
    let path = path.to_path_buf();
    move |source| BundleError::Io { action, path, source }
}

/// The conventional file name of a bundle: `<id>-<version>.tar.gz`.
pub fn file_name(manifest: &Manifest) -> String {
    if manifest.version.is_empty() {
        format!("{}.tar.gz", manifest.id)
    } else {
        format!("{}-{}.tar.gz", manifest.id, manifest.version)
    }
}

/// One file to put in the bundle.
struct Item {
    /// Where it comes from.
    source: PathBuf,
    executable: bool,
}

/// Checks the plugin directory and writes its bundle to `out`.
pub fn bundle(plugin_dir: &Path, options: &BundleOptions, out: impl Write) -> Result<Bundled, BundleError> {
    let loaded = manifest::load(plugin_dir).map_err(BundleError::Manifest)?;
    let items = collect(plugin_dir, &loaded.file, &loaded.manifest, options)?;
    write(&loaded.manifest.id, &items, out)?;
    Ok(Bundled { manifest: loaded.manifest, files: items.into_keys().collect() })
}

/// [`bundle`] into the file `out`, written whole or not at all (temporary file, then rename).
pub fn bundle_to_file(plugin_dir: &Path, options: &BundleOptions, out: &Path) -> Result<Bundled, BundleError> {
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp =
        tempfile::Builder::new().prefix(".bundle-").tempfile_in(dir).map_err(io_error("create a file in", dir))?;
    let bundled = bundle(plugin_dir, options, io::BufWriter::new(temp.as_file_mut()))?;
    temp.as_file().sync_all().map_err(io_error("write", out))?;
    temp.as_file().set_permissions(fs::Permissions::from_mode(0o644)).map_err(io_error("write", out))?;
    temp.persist(out).map_err(|e| BundleError::Io { action: "write", path: out.to_path_buf(), source: e.error })?;
    Ok(bundled)
}

/// Finds every file that goes into the bundle, keyed by its path in the bundle, reporting every
/// missing or unusable file at once.
fn collect(
    dir: &Path,
    manifest_file: &Path,
    manifest: &Manifest,
    options: &BundleOptions,
) -> Result<BTreeMap<String, Item>, BundleError> {
    let mut items = BTreeMap::new();
    let mut problems = Vec::new();
    let manifest_name = manifest_file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    items.insert(manifest_name, Item { source: manifest_file.to_path_buf(), executable: false });

    for (platform_name, built) in &options.executables {
        if platform::server_executable(manifest, platform_name).is_none() {
            problems.push(format!(
                "--executable {platform_name}={}: the manifest names no server executable for {platform_name} \
                 (set server.executables.{platform_name} or server.executable)",
                built.display()
            ));
        }
    }
    for (field, named) in platform::named_files(manifest) {
        let Ok(relative) = manifest::relative_path(&named) else { continue };
        let inside = relative.to_string_lossy().replace('\\', "/");
        let is_executable = field.starts_with("server.");
        // An override replaces the file of its platform; the fallback `server.executable` is
        // replaced only when no platform-specific path exists for that platform.
        let source = options
            .executables
            .iter()
            .find(|(p, _)| platform::server_executable(manifest, p) == Some(named.as_str()) && is_executable)
            .map(|(_, built)| built.clone())
            .unwrap_or_else(|| dir.join(&relative));
        match fs::metadata(&source) {
            Err(e) if is_executable => problems.push(format!(
                "{field}: `{named}` cannot be read ({}): {e}; build it first, or take a built file with \
                 `--executable [PLATFORM=]PATH`",
                source.display()
            )),
            Err(e) => problems.push(format!("{field}: `{named}` cannot be read ({}): {e}", source.display())),
            Ok(meta) if !meta.is_file() => {
                problems.push(format!("{field}: `{named}` is not a regular file ({})", source.display()))
            }
            Ok(meta) if is_executable && meta.permissions().mode() & 0o111 == 0 => problems
                .push(format!("{field}: `{named}` is not executable ({}); run `chmod +x` on it", source.display())),
            Ok(_) => {
                items.insert(inside, Item { source, executable: is_executable });
            }
        }
    }
    for extra in EXTRA_DIRS {
        let path = dir.join(extra);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, extra, &mut items, &mut problems),
            Ok(_) => problems.push(format!("{extra}: expected a directory ({})", path.display())),
            Err(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(BundleError::Contents { dir: dir.to_path_buf(), problems })
    }
}

/// Adds every file under `dir` (bundle path `prefix`), following symbolic links to files and
/// refusing those to directories (which could loop).
fn walk(dir: &Path, prefix: &str, items: &mut BTreeMap<String, Item>, problems: &mut Vec<String>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return problems.push(format!("{prefix}: cannot be listed ({}): {e}", dir.display())),
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => return problems.push(format!("{prefix}: cannot be listed ({}): {e}", dir.display())),
        };
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            problems.push(format!("{prefix}: a file name is not valid UTF-8 ({})", path.display()));
            continue;
        };
        let inside = format!("{prefix}/{name}");
        let is_link = entry.file_type().map(|t| t.is_symlink()).unwrap_or(false);
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() && is_link => problems
                .push(format!("{inside}: a symbolic link to a directory cannot be bundled ({})", path.display())),
            Ok(meta) if meta.is_dir() => walk(&path, &inside, items, problems),
            Ok(meta) if meta.is_file() => {
                let executable = meta.permissions().mode() & 0o111 != 0;
                items.insert(inside, Item { source: path, executable });
            }
            Ok(_) => problems.push(format!("{inside}: not a regular file or directory ({})", path.display())),
            Err(e) => problems.push(format!("{inside}: cannot be read ({}): {e}", path.display())),
        }
    }
}

/// Writes the sorted items as `<id>/...` into a gzip-compressed tar stream.
fn write(id: &str, items: &BTreeMap<String, Item>, out: impl Write) -> Result<(), BundleError> {
    let gz = GzBuilder::new().mtime(0).write(out, Compression::default());
    let mut tar = tar::Builder::new(gz);
    let mut dirs_written = std::collections::BTreeSet::new();
    let tar_error = |path: &Path| io_error("write the bundle entry for", path);
    for (inside, item) in items {
        let full = format!("{id}/{inside}");
        // Directory entries for every parent, each once, before the file.
        let mut parent = String::new();
        for part in full.split('/').take(full.split('/').count() - 1) {
            parent.push_str(part);
            parent.push('/');
            if dirs_written.insert(parent.clone()) {
                let mut header = header(tar::EntryType::Directory, 0o755, 0);
                tar.append_data(&mut header, &parent, io::empty()).map_err(tar_error(Path::new(&parent)))?;
            }
        }
        let file = File::open(&item.source).map_err(io_error("read", &item.source))?;
        let size = file.metadata().map_err(io_error("read", &item.source))?.len();
        let mode = if item.executable { 0o755 } else { 0o644 };
        let mut header = header(tar::EntryType::Regular, mode, size);
        // `append_data` writes a GNU long-name record first when the path needs one.
        tar.append_data(&mut header, &full, io::BufReader::new(file).take_exact(size))
            .map_err(tar_error(&item.source))?;
    }
    let gz = tar.into_inner().map_err(io_error("finish", Path::new("the bundle")))?;
    gz.finish().and_then(|mut out| out.flush()).map_err(io_error("finish", Path::new("the bundle")))
}

fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(kind);
    header.set_mode(mode);
    header.set_size(size);
    header.set_mtime(FIXED_MTIME);
    header.set_uid(0);
    header.set_gid(0);
    header
}

/// A reader that yields exactly `size` bytes or fails: a file that changes size while it is
/// being bundled must not produce an entry whose header lies about its length.
trait TakeExact: Sized {
    fn take_exact(self, size: u64) -> ExactReader<Self>;
}

impl<R: io::Read> TakeExact for R {
    fn take_exact(self, size: u64) -> ExactReader<Self> {
        ExactReader { inner: self, left: size }
    }
}

struct ExactReader<R> {
    inner: R,
    left: u64,
}

impl<R: io::Read> io::Read for ExactReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the file shrank while it was being bundled"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}
