//! Unpacking an untrusted `.tar.gz` into a fresh directory, refusing anything unsafe before it is
//! written.
//!
//! The threat model is a hostile bundle: entries that escape the target (absolute paths, `..`,
//! backslashes that another OS reads as separators), links that point out of it, devices and
//! fifos, decompression bombs, millions of tiny entries, names long enough to hit OS limits,
//! duplicate entries that overwrite what was checked, permission bits that make files setuid or
//! writable by others, and archives that are truncated, corrupt or carry trailing data. Every
//! check runs on the entry's header before any of its bytes touch the disk, and every refusal
//! names the entry. The caller unpacks into a staging directory it removes on error, so a refused
//! bundle leaves nothing behind.

use flate2::bufread::GzDecoder;
use std::cell::Cell;
use std::collections::BTreeSet;
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

/// Bounds on what one bundle may unpack to. The defaults fit a plugin with executables for five
/// platforms and a web app with room to spare; the server and CLI let an admin change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most entries (files and directories) in the archive.
    pub max_entries: u64,
    /// Most bytes the gzip stream may decompress to (the tar stream: headers, data, padding).
    /// This is what stops a gzip bomb: counting stops the stream, whatever the headers claim.
    pub max_unpacked_bytes: u64,
    /// Longest path of an entry, in bytes.
    pub max_path_bytes: usize,
    /// Longest single path component, in bytes (most file systems allow 255).
    pub max_name_bytes: usize,
    /// Deepest nesting of directories.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 10_000,
            max_unpacked_bytes: 2 << 30,
            max_path_bytes: 1024,
            max_name_bytes: 255,
            max_depth: 32,
        }
    }
}

/// What was unpacked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unpacked {
    /// Files and directories written.
    pub entries: u64,
    /// Bytes of file data written.
    pub file_bytes: u64,
}

/// Why an archive was refused. Entry names are shown as the archive spells them.
#[derive(Debug)]
pub enum UnpackError {
    /// The stream is not gzip at all.
    NotGzip,
    /// The archive ends early or does not decode; `entry` is the entry being read, if any.
    Corrupt { entry: Option<String>, reason: String },
    /// Bytes follow the end of the gzip stream.
    TrailingData,
    /// An entry that is refused on its own.
    Entry { entry: String, reason: EntryRefusal },
    /// More entries than [`Limits::max_entries`].
    TooManyEntries { limit: u64 },
    /// The archive decompresses to more than [`Limits::max_unpacked_bytes`].
    TooLarge { limit: u64 },
    /// Writing into the target directory failed.
    Io { path: PathBuf, source: io::Error },
}

/// Why one entry was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryRefusal {
    Absolute,
    ParentComponent,
    Backslash,
    NulByte,
    NotUtf8,
    Empty,
    PathTooLong {
        limit: usize,
    },
    NameTooLong {
        limit: usize,
    },
    TooDeep {
        limit: usize,
    },
    Symlink {
        target: String,
    },
    Hardlink {
        target: String,
    },
    Device,
    Fifo,
    OtherType {
        type_byte: u8,
    },
    Duplicate,
    /// A file stands where this entry needs a directory (`a` is a file, then `a/b` comes).
    UnderFile {
        file: String,
    },
}

impl fmt::Display for EntryRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryRefusal::Absolute => f.write_str("is an absolute path; entries must be relative to the bundle"),
            EntryRefusal::ParentComponent => f.write_str("contains `..`, which could escape the plugin directory"),
            EntryRefusal::Backslash => f.write_str("contains a backslash, a path separator on Windows; use `/`"),
            EntryRefusal::NulByte => f.write_str("contains a NUL byte"),
            EntryRefusal::NotUtf8 => f.write_str("is not valid UTF-8"),
            EntryRefusal::Empty => f.write_str("has an empty name"),
            EntryRefusal::PathTooLong { limit } => write!(f, "is longer than {limit} bytes"),
            EntryRefusal::NameTooLong { limit } => write!(f, "has a path component longer than {limit} bytes"),
            EntryRefusal::TooDeep { limit } => write!(f, "is nested deeper than {limit} directories"),
            EntryRefusal::Symlink { target } => {
                write!(f, "is a symbolic link (to `{target}`); bundles may hold only files and directories")
            }
            EntryRefusal::Hardlink { target } => {
                write!(f, "is a hard link (to `{target}`); bundles may hold only files and directories")
            }
            EntryRefusal::Device => f.write_str("is a device node; bundles may hold only files and directories"),
            EntryRefusal::Fifo => f.write_str("is a named pipe (fifo); bundles may hold only files and directories"),
            EntryRefusal::OtherType { type_byte } => write!(
                f,
                "has tar entry type `{}`, which is not a file or directory",
                char::from(*type_byte).escape_default()
            ),
            EntryRefusal::Duplicate => f.write_str("appears twice in the archive"),
            EntryRefusal::UnderFile { file } => write!(f, "would be inside `{file}`, which is a file"),
        }
    }
}

impl fmt::Display for UnpackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnpackError::NotGzip => f.write_str("the bundle is not a gzip-compressed tar archive (.tar.gz)"),
            UnpackError::Corrupt { entry: Some(entry), reason } => {
                write!(f, "the bundle is truncated or corrupt (at entry `{entry}`): {reason}")
            }
            UnpackError::Corrupt { entry: None, reason } => write!(f, "the bundle is truncated or corrupt: {reason}"),
            UnpackError::TrailingData => f.write_str("the bundle has unexpected data after the end of its gzip stream"),
            UnpackError::Entry { entry, reason } => write!(f, "bundle entry `{entry}` {reason}"),
            UnpackError::TooManyEntries { limit } => {
                write!(f, "the bundle has more than {limit} entries (the configured limit)")
            }
            UnpackError::TooLarge { limit } => write!(
                f,
                "the bundle unpacks to more than {} (the configured limit); a plugin this large, or a \
                 compression bomb, is refused",
                human_bytes(*limit)
            ),
            UnpackError::Io { path, source } => write!(f, "could not write `{}`: {source}", path.display()),
        }
    }
}

impl std::error::Error for UnpackError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UnpackError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Formats a byte count the way the limits are usually written.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {unit}", n / size);
        }
    }
    format!("{n} bytes")
}

/// Unpacks the gzip-compressed tar stream `input` into `target`, which must exist and be empty.
/// On error `target` may hold part of the archive: the caller owns it and removes it.
pub fn unpack(input: impl Read, target: &Path, limits: &Limits) -> Result<Unpacked, UnpackError> {
    let mut source = Source { inner: input, started: false, first: [0; 2], first_len: 0 };
    source.sniff()?;
    let over = Rc::new(Cell::new(false));
    let counted = Counted {
        inner: GzDecoder::new(BufReader::with_capacity(64 * 1024, source)),
        count: 0,
        limit: limits.max_unpacked_bytes,
        over: over.clone(),
    };
    let mut archive = tar::Archive::new(counted);
    let mut state = State {
        target,
        limits,
        over,
        written: Vec::new(),
        seen: BTreeSet::new(),
        files: BTreeSet::new(),
        done: Unpacked::default(),
    };

    let entries = archive.entries().map_err(|e| state.read_error(None, &e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| state.read_error(None, &e))?;
        state.entry(&mut entry)?;
    }
    // Read what follows the end-of-archive blocks to the end of the gzip stream: only then does
    // the decoder check the CRC and length in the gzip trailer, and see data after it.
    let mut counted = archive.into_inner();
    io::copy(&mut counted, &mut io::sink()).map_err(|e| state.read_error(None, &e))?;
    // The buffered decoder leaves whatever follows its stream unread in the buffer.
    match counted.inner.get_mut().fill_buf() {
        Ok([]) => {}
        Ok(_) => return Err(UnpackError::TrailingData),
        Err(e) => return Err(corrupt(None, &e)),
    }
    // Durable before the caller renames the plugin into place. Each file's writeback was
    // started when it was written, so these syncs mostly wait for work already under way
    // (one fsync per file as it is written cost twice the time of the whole unpacking).
    for path in state.written.iter().rev().chain([&target.to_path_buf()]) {
        fs::File::open(path)
            .and_then(|f| f.sync_all())
            .map_err(|source| UnpackError::Io { path: path.clone(), source })?;
    }
    Ok(state.done)
}

fn corrupt(entry: Option<&str>, e: &io::Error) -> UnpackError {
    UnpackError::Corrupt { entry: entry.map(str::to_owned), reason: e.to_string() }
}

/// The raw input, with the first two bytes checked for gzip's magic number so a plain tar or
/// anything else gets a clear error instead of "invalid gzip header".
struct Source<R> {
    inner: R,
    started: bool,
    first: [u8; 2],
    first_len: usize,
}

impl<R: Read> Source<R> {
    fn sniff(&mut self) -> Result<(), UnpackError> {
        while self.first_len < 2 {
            match self.inner.read(&mut self.first[self.first_len..]) {
                Ok(0) => break,
                Ok(n) => self.first_len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(corrupt(None, &e)),
            }
        }
        if self.first_len < 2 || self.first != [0x1f, 0x8b] {
            return Err(UnpackError::NotGzip);
        }
        Ok(())
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.started {
            self.started = true;
            if !buf.is_empty() && self.first_len > 0 {
                let n = self.first_len.min(buf.len());
                buf[..n].copy_from_slice(&self.first[..n]);
                if n < self.first_len {
                    self.first.copy_within(n..self.first_len, 0);
                    self.first_len -= n;
                    self.started = false;
                } else {
                    self.first_len = 0;
                }
                return Ok(n);
            }
        }
        self.inner.read(buf)
    }
}

/// Counts the decompressed bytes and fails the stream past the limit. The tar reader wraps our
/// error in its own, so the shared flag is what tells a bomb from a corrupt stream.
struct Counted<R> {
    inner: R,
    count: u64,
    limit: u64,
    over: Rc<Cell<bool>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        if self.count > self.limit {
            self.over.set(true);
            return Err(io::Error::other("the archive is larger than the unpacked size limit"));
        }
        Ok(n)
    }
}

struct State<'a> {
    target: &'a Path,
    limits: &'a Limits,
    /// Set by the counter when the decompressed stream passed the limit.
    over: Rc<Cell<bool>>,
    /// Every file and directory created, in order, to be synced at the end.
    written: Vec<PathBuf>,
    /// Every path written, files and directories, normalised.
    seen: BTreeSet<PathBuf>,
    /// The subset of `seen` that are files.
    files: BTreeSet<PathBuf>,
    done: Unpacked,
}

impl State<'_> {
    fn entry<R: Read>(
        &mut self,
        entry: &mut tar::Entry<'_, Counted<GzDecoder<BufReader<R>>>>,
    ) -> Result<(), UnpackError> {
        let raw = entry.path_bytes().into_owned();
        let shown = String::from_utf8_lossy(&raw).into_owned();
        let refuse = |reason| UnpackError::Entry { entry: shown.clone(), reason };
        let kind = entry.header().entry_type();

        // Metadata records carry no file: a global PAX header (`git archive` writes one) is
        // skipped; per-entry PAX and GNU long-name records are applied by the tar reader itself.
        if kind == tar::EntryType::XGlobalHeader {
            return Ok(());
        }
        self.done.entries += 1;
        if self.done.entries > self.limits.max_entries {
            return Err(UnpackError::TooManyEntries { limit: self.limits.max_entries });
        }
        let is_dir = match kind {
            tar::EntryType::Regular | tar::EntryType::Continuous => false,
            tar::EntryType::Directory => true,
            tar::EntryType::Symlink | tar::EntryType::Link => {
                let target =
                    entry.link_name_bytes().map(|t| String::from_utf8_lossy(&t).into_owned()).unwrap_or_default();
                return Err(refuse(if kind == tar::EntryType::Symlink {
                    EntryRefusal::Symlink { target }
                } else {
                    EntryRefusal::Hardlink { target }
                }));
            }
            tar::EntryType::Char | tar::EntryType::Block => return Err(refuse(EntryRefusal::Device)),
            tar::EntryType::Fifo => return Err(refuse(EntryRefusal::Fifo)),
            other => return Err(refuse(EntryRefusal::OtherType { type_byte: other.as_byte() })),
        };
        let Some(path) = entry_path(&raw, self.limits).map_err(refuse)? else {
            // `./` itself: the root, which exists.
            return Ok(());
        };
        if self.seen.contains(&path) {
            // A directory listed again is harmless (GNU tar can do it); a file is not, since the
            // second copy would replace bytes already checked.
            if is_dir && !self.files.contains(&path) {
                return Ok(());
            }
            return Err(refuse(EntryRefusal::Duplicate));
        }
        for ancestor in path.ancestors().skip(1) {
            if self.files.contains(ancestor) {
                return Err(refuse(EntryRefusal::UnderFile { file: ancestor.display().to_string() }));
            }
        }

        let full = self.target.join(&path);
        self.make_parents(&path)?;
        if is_dir {
            create_dir(&full)?;
            self.written.push(full.clone());
        } else {
            // Only the execute bits of the archive's mode are honoured: no setuid, setgid or
            // sticky bits, and nothing writable by group or others.
            let mode = if entry.header().mode().unwrap_or(0) & 0o111 != 0 { 0o755 } else { 0o644 };
            let io_err = |source| UnpackError::Io { path: full.clone(), source };
            // `create_new` never follows or replaces an existing name.
            let mut file = OpenOptions::new().write(true).create_new(true).mode(mode).open(&full).map_err(io_err)?;
            let copied = copy(entry, &mut file).map_err(|e| match e {
                CopyError::Read(e) => self.read_error(Some(&shown), &e),
                CopyError::Write(source) => UnpackError::Io { path: full.clone(), source },
            })?;
            if copied != entry.size() {
                let reason = format!("the archive ends after {copied} of the entry's {} bytes", entry.size());
                return Err(UnpackError::Corrupt { entry: Some(shown), reason });
            }
            // The process umask may have removed bits; set exactly what was decided.
            file.set_permissions(fs::Permissions::from_mode(mode)).map_err(io_err)?;
            start_writeback(&file);
            self.written.push(full.clone());
            self.done.file_bytes += copied;
            self.files.insert(path.clone());
        }
        self.seen.insert(path);
        Ok(())
    }

    /// Creates the entry's missing parent directories (archives often omit them).
    fn make_parents(&mut self, path: &Path) -> Result<(), UnpackError> {
        let mut missing: Vec<&Path> = path.ancestors().skip(1).take_while(|a| !a.as_os_str().is_empty()).collect();
        missing.retain(|a| !self.seen.contains(*a));
        for dir in missing.into_iter().rev() {
            create_dir(&self.target.join(dir))?;
            self.written.push(self.target.join(dir));
            self.seen.insert(dir.to_path_buf());
        }
        Ok(())
    }

    /// A read error from the archive: over the size limit, or a truncated or corrupt stream.
    fn read_error(&self, entry: Option<&str>, e: &io::Error) -> UnpackError {
        if self.over.get() {
            return UnpackError::TooLarge { limit: self.limits.max_unpacked_bytes };
        }
        corrupt(entry, e)
    }
}

/// Asks the kernel to start writing the file out now, without waiting, so the final sync finds
/// it done or under way.
fn start_writeback(file: &fs::File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a valid open descriptor; the call only schedules I/O on it. A failure is
        // harmless: the final sync writes the file out anyway.
        unsafe {
            libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

fn create_dir(path: &Path) -> Result<(), UnpackError> {
    let io_err = |source| UnpackError::Io { path: path.to_path_buf(), source };
    fs::create_dir(path).map_err(io_err)?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).map_err(io_err)
}

enum CopyError {
    Read(io::Error),
    Write(io::Error),
}

/// Copies an entry's data, telling read errors (the archive) from write errors (the disk).
fn copy(from: &mut impl Read, to: &mut impl Write) -> Result<u64, CopyError> {
    let mut buf = vec![0u8; 128 * 1024];
    let mut total = 0u64;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Read(e)),
        };
        to.write_all(&buf[..n]).map_err(CopyError::Write)?;
        total += n as u64;
    }
}

/// Checks an entry's raw name and returns it as a relative path with `.` components removed;
/// `None` for the archive root (`.` or `./`).
pub fn entry_path(raw: &[u8], limits: &Limits) -> Result<Option<PathBuf>, EntryRefusal> {
    if raw.is_empty() {
        return Err(EntryRefusal::Empty);
    }
    if raw.contains(&0) {
        return Err(EntryRefusal::NulByte);
    }
    let text = std::str::from_utf8(raw).map_err(|_| EntryRefusal::NotUtf8)?;
    if text.contains('\\') {
        return Err(EntryRefusal::Backslash);
    }
    if text.len() > limits.max_path_bytes {
        return Err(EntryRefusal::PathTooLong { limit: limits.max_path_bytes });
    }
    if text.starts_with('/') {
        return Err(EntryRefusal::Absolute);
    }
    let mut path = PathBuf::new();
    let mut depth = 0;
    for component in Path::new(text).components() {
        match component {
            Component::Normal(name) => {
                if name.len() > limits.max_name_bytes {
                    return Err(EntryRefusal::NameTooLong { limit: limits.max_name_bytes });
                }
                depth += 1;
                if depth > limits.max_depth {
                    return Err(EntryRefusal::TooDeep { limit: limits.max_depth });
                }
                path.push(name);
            }
            Component::CurDir => {}
            Component::ParentDir => return Err(EntryRefusal::ParentComponent),
            Component::RootDir | Component::Prefix(_) => return Err(EntryRefusal::Absolute),
        }
    }
    Ok(if path.as_os_str().is_empty() { None } else { Some(path) })
}
