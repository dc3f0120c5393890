//! Installing a bundle into a plugins directory: signature first, then unpack into a staging
//! directory, check, and swap into place, so that whatever fails the plugins directory is exactly
//! as it was.
//!
//! Steps, in order (each failure stops the install and removes the staging directory):
//! 1. take the plugins directory's install lock (`.install.lock`), so two installs never race,
//!    and remove staging directories a killed installer left behind;
//! 2. if a signature is given or required, check it against the trusted keys, streaming the
//!    bundle (a bundle that is not a file is first spooled to disk in the staging directory, never
//!    held in memory);
//! 3. unpack under [`Limits`] into `.staging-<random>/unpacked/` inside the plugins directory (the
//!    same file system, so the final rename is atomic);
//! 4. descend into the single top-level directory if there is one (as upstream does), read and
//!    validate the manifest, check the id and every file the manifest names;
//! 5. apply the replace policy against what is installed;
//! 6. rename the plugin into place — for a replacement, exchange the two directories in one
//!    `renameat2(RENAME_EXCHANGE)` on Linux — then remove the staging directory with the old copy.

use super::signature::{self, Keyring, SignatureError, Signer};
use super::unpack::{self, Limits, UnpackError};
use crate::manifest::{self, platform, ManifestError};
use api_definitions::model::Manifest;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};

/// Name of the lock file inside the plugins directory.
pub const LOCK_FILE: &str = ".install.lock";
/// Prefix of staging directories inside the plugins directory. Names starting with `.` are never
/// plugins (a valid id may start with `.`, but such an id is refused by the installer).
pub const STAGING_PREFIX: &str = ".staging-";

/// What to do when a plugin with the same id is installed already (upstream's installation
/// strategies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReplacePolicy {
    /// Refuse: the default, so an upload never replaces a plugin by accident.
    #[default]
    OnlyIfNew,
    /// Replace only if the bundle's version is newer (semver); otherwise keep the installed one.
    IfNewer,
    /// Always replace (`--force`).
    Always,
}

/// Everything an install may be told. `Default` is: only if new, default limits, no signature
/// required, no keys.
#[derive(Debug, Clone, Default)]
pub struct InstallOptions {
    pub policy: ReplacePolicy,
    pub limits: Limits,
    /// Refuse bundles without a valid signature by a trusted key.
    pub require_signature: bool,
    /// The trusted keys; a signature given with no keys configured is an error.
    pub keyring: Keyring,
    /// Refuse a plugin whose `min_server_version` is above this server's version.
    pub server_version: Option<semver::Version>,
}

/// What an install did.
#[derive(Debug, Clone)]
pub struct Installed {
    pub manifest: Manifest,
    /// Where the plugin now lives (`<plugins dir>/<id>`).
    pub path: PathBuf,
    pub outcome: Outcome,
    /// Who signed the bundle, when a signature was checked.
    pub signer: Option<Signer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Installed where no plugin with this id was.
    New,
    /// Replaced the plugin that was installed, of this version.
    Replaced { previous_version: String },
    /// With [`ReplacePolicy::IfNewer`]: the installed version is not older, so nothing changed.
    KeptInstalled { installed_version: String },
}

/// Why an install was refused. Nothing in the plugins directory changed.
#[derive(Debug)]
pub enum InstallError {
    /// The plugins directory, the bundle or the staging area could not be used.
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    Unpack(UnpackError),
    /// The bundle holds no manifest, or an invalid one.
    Manifest(ManifestError),
    /// The manifest names a file the bundle does not hold (or that is not a regular file).
    MissingFile {
        field: String,
        path: String,
    },
    /// The id would not be a safe directory name of its own.
    UnsafeId {
        id: String,
    },
    AlreadyInstalled {
        id: String,
        version: String,
    },
    /// The plugin needs a newer server.
    ServerTooOld {
        id: String,
        required: String,
        server: String,
    },
    /// Signatures are required and none was given.
    SignatureRequired,
    Signature(SignatureError),
}

impl fmt::Display for InstallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstallError::Io { action, path, source } => write!(f, "could not {action} `{}`: {source}", path.display()),
            InstallError::Unpack(e) => e.fmt(f),
            InstallError::Manifest(e) => write!(f, "the bundle's manifest is not usable: {e}"),
            InstallError::MissingFile { field, path } => write!(
                f,
                "the manifest's `{field}` names `{path}`, which is not a file in the bundle; add the file or fix \
                 the path (relative to the manifest)"
            ),
            InstallError::UnsafeId { id } => {
                write!(f, "plugin id `{id}` cannot be used as a directory name (it starts with `.`)")
            }
            InstallError::AlreadyInstalled { id, version } => write!(
                f,
                "plugin `{id}` is already installed (version {version}); install with --force to replace it, \
                 or --if-newer to replace it only with a newer version"
            ),
            InstallError::ServerTooOld { id, required, server } => {
                write!(f, "plugin `{id}` needs server version {required} or later; this server is {server}")
            }
            InstallError::SignatureRequired => f.write_str(
                "this server requires plugin signatures (PluginSettings.RequirePluginSignature) and the bundle came \
                 without one; give its detached signature (<bundle>.sig)",
            ),
            // The signature errors say "the bundle's signature ..." themselves.
            InstallError::Signature(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for InstallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InstallError::Io { source, .. } => Some(source),
            InstallError::Unpack(e) => Some(e),
            InstallError::Manifest(e) => Some(e),
            InstallError::Signature(e) => Some(e),
            _ => None,
        }
    }
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> InstallError {
    let path = path.to_path_buf();
    move |source| InstallError::Io { action, path, source }
}

/// Installs the bundle file at `bundle`. The file is read twice when a signature is checked
/// (hash, then unpack) and never held in memory.
pub fn install_file(
    bundle: &Path,
    signature: Option<&[u8]>,
    plugins_dir: &Path,
    options: &InstallOptions,
) -> Result<Installed, InstallError> {
    let mut file = File::open(bundle).map_err(io_error("open the bundle", bundle))?;
    let session = Session::begin(plugins_dir)?;
    let signer = match check_needed(signature, options)? {
        Some(signature) => {
            let signer = verify(options, signature, &mut file)?;
            file.rewind().map_err(io_error("read the bundle", bundle))?;
            Some(signer)
        }
        None => None,
    };
    session.finish(file, signer, options)
}

/// Installs a bundle read from a stream (an upload). With a signature to check, the stream is
/// first spooled into the staging directory, then hashed and unpacked from there.
pub fn install_reader(
    mut bundle: impl Read,
    signature: Option<&[u8]>,
    plugins_dir: &Path,
    options: &InstallOptions,
) -> Result<Installed, InstallError> {
    let session = Session::begin(plugins_dir)?;
    match check_needed(signature, options)? {
        Some(signature) => {
            let spool_path = session.staging.path().join("bundle.tar.gz");
            let mut spool = File::options()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&spool_path)
                .map_err(io_error("create", &spool_path))?;
            io::copy(&mut bundle, &mut spool).map_err(io_error("spool the bundle into", &spool_path))?;
            spool.rewind().map_err(io_error("read", &spool_path))?;
            let signer = verify(options, signature, &mut spool)?;
            spool.rewind().map_err(io_error("read", &spool_path))?;
            session.finish(spool, Some(signer), options)
        }
        None => session.finish(bundle, None, options),
    }
}

/// The signature to check, if any; an error when one is required and missing.
fn check_needed<'s>(signature: Option<&'s [u8]>, options: &InstallOptions) -> Result<Option<&'s [u8]>, InstallError> {
    match signature {
        None if options.require_signature => Err(InstallError::SignatureRequired),
        other => Ok(other),
    }
}

fn verify(options: &InstallOptions, signature: &[u8], data: impl Read) -> Result<Signer, InstallError> {
    signature::verify(&options.keyring, signature, data).map_err(InstallError::Signature)
}

/// One install in progress: the lock held and the staging directory that is removed on drop.
struct Session {
    plugins_dir: PathBuf,
    staging: tempfile::TempDir,
    /// Held for the whole install; released when dropped.
    _lock: File,
}

impl Session {
    fn begin(plugins_dir: &Path) -> Result<Session, InstallError> {
        let meta = fs::metadata(plugins_dir).map_err(io_error("use the plugins directory", plugins_dir))?;
        if !meta.is_dir() {
            return Err(InstallError::Io {
                action: "use the plugins directory",
                path: plugins_dir.to_path_buf(),
                source: io::Error::new(io::ErrorKind::NotADirectory, "not a directory"),
            });
        }
        let lock_path = plugins_dir.join(LOCK_FILE);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_error("create the install lock", &lock_path))?;
        lock.lock().map_err(io_error("lock", &lock_path))?;
        remove_stale_staging(plugins_dir)?;
        let staging = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(plugins_dir)
            .map_err(io_error("create a staging directory in", plugins_dir))?;
        Ok(Session { plugins_dir: plugins_dir.to_path_buf(), staging, _lock: lock })
    }

    fn finish(
        self,
        bundle: impl Read,
        signer: Option<Signer>,
        options: &InstallOptions,
    ) -> Result<Installed, InstallError> {
        let unpacked = self.staging.path().join("unpacked");
        fs::create_dir(&unpacked).map_err(io_error("create", &unpacked))?;
        unpack::unpack(bundle, &unpacked, &options.limits).map_err(InstallError::Unpack)?;
        let root = plugin_root(&unpacked)?;
        let manifest = manifest::load(&root).map_err(InstallError::Manifest)?.manifest;
        check_contents(&root, &manifest)?;
        if let (Some(server), Ok(required)) =
            (&options.server_version, semver::Version::parse(&manifest.min_server_version))
        {
            if &required > server {
                return Err(InstallError::ServerTooOld {
                    id: manifest.id.clone(),
                    required: manifest.min_server_version.clone(),
                    server: server.to_string(),
                });
            }
        }

        let path = self.plugins_dir.join(&manifest.id);
        let installed = installed_version(&path)?;
        let outcome = match (&installed, options.policy) {
            (None, _) => Outcome::New,
            (Some(version), ReplacePolicy::OnlyIfNew) => {
                return Err(InstallError::AlreadyInstalled { id: manifest.id.clone(), version: version.clone() });
            }
            (Some(version), ReplacePolicy::IfNewer) if !is_newer(&manifest.version, version) => {
                return Ok(Installed {
                    manifest,
                    path,
                    outcome: Outcome::KeptInstalled { installed_version: version.clone() },
                    signer,
                });
            }
            (Some(version), _) => Outcome::Replaced { previous_version: version.clone() },
        };
        match outcome {
            Outcome::New => fs::rename(&root, &path).map_err(io_error("move the plugin into", &path))?,
            _ => exchange(&root, &path)?,
        }
        sync_dir(&self.plugins_dir)?;
        // Dropping the session removes the staging directory, which now holds the old copy.
        Ok(Installed { manifest, path, outcome, signer })
    }
}

/// Removes staging directories left by an installer that was killed. The caller holds the
/// lock, so no live install owns one.
fn remove_stale_staging(plugins_dir: &Path) -> Result<(), InstallError> {
    let entries = fs::read_dir(plugins_dir).map_err(io_error("list", plugins_dir))?;
    for entry in entries {
        let entry = entry.map_err(io_error("list", plugins_dir))?;
        if entry.file_name().to_string_lossy().starts_with(STAGING_PREFIX) {
            let path = entry.path();
            fs::remove_dir_all(&path).map_err(io_error("remove the stale staging directory", &path))?;
        }
    }
    Ok(())
}

/// The directory holding the manifest: the archive root, or its single top-level directory.
fn plugin_root(unpacked: &Path) -> Result<PathBuf, InstallError> {
    let mut entries = fs::read_dir(unpacked)
        .map_err(io_error("list", unpacked))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(io_error("list", unpacked))?;
    if entries.len() == 1 {
        let only = entries.remove(0);
        if only.file_type().map_err(io_error("inspect", &only.path()))?.is_dir() {
            return Ok(only.path());
        }
    }
    Ok(unpacked.to_path_buf())
}

/// Checks what the manifest says against what the bundle holds.
fn check_contents(root: &Path, manifest: &Manifest) -> Result<(), InstallError> {
    if manifest.id.starts_with('.') {
        return Err(InstallError::UnsafeId { id: manifest.id.clone() });
    }
    for (field, named) in platform::named_files(manifest) {
        // The manifest was validated, so every named path is relative and stays inside.
        let missing = || InstallError::MissingFile { field: field.clone(), path: named.clone() };
        let relative = manifest::relative_path(&named).map_err(|_| missing())?;
        match fs::symlink_metadata(root.join(relative)) {
            Ok(meta) if meta.is_file() => {}
            _ => return Err(missing()),
        }
    }
    Ok(())
}

/// The version of the plugin installed at `path`, if one is; a directory whose manifest cannot
/// be read counts as installed with an unknown version, so it is never replaced silently.
fn installed_version(path: &Path) -> Result<Option<String>, InstallError> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(InstallError::Io { action: "inspect", path: path.to_path_buf(), source: e }),
        Ok(_) => Ok(Some(match manifest::load(path) {
            Ok(loaded) if !loaded.manifest.version.is_empty() => loaded.manifest.version,
            _ => "unknown".to_owned(),
        })),
    }
}

/// Semver comparison; a version that does not parse is never newer than anything, and anything
/// that parses is newer than an installed version that does not.
fn is_newer(offered: &str, installed: &str) -> bool {
    match (semver::Version::parse(offered), semver::Version::parse(installed)) {
        (Ok(offered), Ok(installed)) => offered > installed,
        (Ok(_), Err(_)) => true,
        (Err(_), _) => false,
    }
}

/// Puts `new` where `current` is and `current` where `new` was, in one step where the OS can.
fn exchange(new: &Path, current: &Path) -> Result<(), InstallError> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
        let (a, b) = (c(new).map_err(io_error("move", new))?, c(current).map_err(io_error("move", current))?);
        // SAFETY: both arguments are valid NUL-terminated paths that outlive the call.
        let done =
            unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
        if done == 0 {
            return Ok(());
        }
        let error = io::Error::last_os_error();
        // Some file systems lack the exchange; fall back to two renames.
        if !matches!(error.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
            return Err(InstallError::Io { action: "replace", path: current.to_path_buf(), source: error });
        }
    }
    // Portable fallback: the old copy moves aside, then the new one in. A crash between the two
    // leaves the plugin missing (never half-written); the next install cleans the staging area.
    let aside = new.with_file_name("previous");
    fs::rename(current, &aside).map_err(io_error("move aside", current))?;
    if let Err(source) = fs::rename(new, current) {
        let _ = fs::rename(&aside, current);
        return Err(InstallError::Io { action: "replace", path: current.to_path_buf(), source });
    }
    Ok(())
}

/// Makes a rename durable.
fn sync_dir(dir: &Path) -> Result<(), InstallError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io_error("sync", dir))
}
