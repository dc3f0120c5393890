//! The install part of `cargo xtask bench`: generates a plugin directory of about 64 MiB that
//! looks like a real plugin (server executables for five platforms, a web app bundle, ~200
//! assets), bundles it once with `plugin-host bundle`, then each round times `plugin-host
//! install` against GNU `tar xzf` of the same bundle, and takes the installer's peak RSS from
//! `wait4`.
//!
//! Both read the same bundle file, which the bundler has just written and every round reads
//! again, so it is in the page cache for both and no cache dropping is needed (or possible
//! without root). The comparison is not quite like for like, on purpose: the installer fsyncs
//! every file before it renames the plugin into place and tar does not, so the target's ratio
//! leaves room for that durability.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const PLUGIN_ID: &str = "com.example.bench";
/// The platforms upstream builds plugins for: one server executable each.
const PLATFORMS: [&str; 5] = ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64"];
/// With the web app and assets this makes about 64 MiB of file data.
const EXECUTABLE_BYTES: usize = 11 << 20;
const WEBAPP_BYTES: usize = 6 << 20;
const ASSETS: usize = 200;
/// Asset sizes are drawn below this; the mean (15 KiB) puts the assets at about 3 MiB.
const ASSET_MAX_BYTES: u64 = 30 << 10;
/// Fixed, so every run measures the same bytes.
const SEED: u64 = 0x5eed_0000_0000_0064;

/// The generated bundle, ready for rounds.
pub struct Prepared {
    bundle: PathBuf,
    /// Fresh empty directories are made (and removed) here each round.
    runs: PathBuf,
    /// Bytes of file data in the plugin: the numerator of both rates.
    file_bytes: u64,
}

/// Creates `work` afresh, writes the plugin directory and its bundle there.
pub fn prepare(work: &Path, plugin_host: &Path) -> Result<Prepared, String> {
    match fs::remove_dir_all(work) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(format!("cannot remove {}: {e}", work.display()));
        }
        _ => {}
    }
    let plugin = work.join("plugin");
    let runs = work.join("runs");
    let file_bytes =
        generate(&plugin).map_err(|e| format!("cannot generate the bench plugin in {}: {e}", plugin.display()))?;
    fs::create_dir_all(&runs).map_err(|e| format!("cannot create {}: {e}", runs.display()))?;
    let bundle = work.join("bundle.tar.gz");
    let status = Command::new(plugin_host)
        .arg("bundle")
        .arg(&plugin)
        .arg("--output")
        .arg(&bundle)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", plugin_host.display()))?;
    if !status.success() {
        return Err(format!("plugin-host bundle {} failed ({status})", plugin.display()));
    }
    let compressed = fs::metadata(&bundle).map_err(|e| format!("cannot read {}: {e}", bundle.display()))?.len();
    eprintln!(
        "bench: install: {:.1} MiB of files bundled into {:.1} MiB ({:.2}x)",
        file_bytes as f64 / f64::from(1 << 20),
        compressed as f64 / f64::from(1 << 20),
        file_bytes as f64 / compressed as f64
    );
    // `ru_maxrss` of a child can include what this process has resident when it forks (see
    // `generate`): say how much, so a figure at that floor is read for what it is.
    eprintln!("bench: install: peak RSS figures may floor at this process's RSS, {:.1} MiB", own_rss_mib());
    Ok(Prepared { bundle, runs, file_bytes })
}

/// One round: the installer and tar, each into a fresh empty directory, in an order that
/// alternates between rounds so neither always runs on the other's heels. Returns the figures.
pub fn round(prepared: &Prepared, plugin_host: &Path, round: usize) -> Result<Vec<(&'static str, f64)>, String> {
    let mut figures = Vec::new();
    for install in if round % 2 == 1 { [true, false] } else { [false, true] } {
        let dir = prepared.runs.join(format!("{}-{round}", if install { "install" } else { "tar" }));
        fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut command = if install {
            let mut c = Command::new(plugin_host);
            c.arg("install").arg(&prepared.bundle).arg("--plugins-dir").arg(&dir);
            c
        } else {
            let mut c = Command::new("tar");
            c.arg("xzf").arg(&prepared.bundle).arg("-C").arg(&dir);
            c
        };
        // Each run starts with nothing of ours waiting to be written (the generated plugin,
        // the bundle, the previous run's removal): the installer's fsyncs must not pay for it.
        // SAFETY: `sync` takes no arguments and cannot fail.
        unsafe { libc::sync() };
        let (seconds, peak_rss_kib) = run_timed(&mut command)?;
        // A run that left out files would look fast; both must hold every byte.
        let written = tree_bytes(&dir).map_err(|e| format!("cannot measure {}: {e}", dir.display()))?;
        if written != prepared.file_bytes {
            return Err(format!("{command:?} wrote {written} bytes of files, not {}", prepared.file_bytes));
        }
        // Removed at once, outside the timing: deleting the files also drops tar's dirty pages,
        // which would otherwise be written back during the next measurement.
        fs::remove_dir_all(&dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
        // MB of unpacked file data (10^6 bytes, like the other `_mb_s` figures) per second.
        let rate = prepared.file_bytes as f64 / 1e6 / seconds;
        if install {
            figures.push(("install_64mib_mb_s", rate));
            figures.push(("install_64mib_peak_rss_mib", peak_rss_kib as f64 / 1024.0));
        } else {
            figures.push(("tar_xzf_64mib_mb_s", rate));
        }
    }
    Ok(figures)
}

/// Runs `command` to the end and returns its wall time in seconds and its peak RSS in KiB.
/// The child is reaped with `wait4` rather than `Child::wait`, which drops the rusage.
fn run_timed(command: &mut Command) -> Result<(f64, u64), String> {
    let shown = format!("{command:?}");
    let start = Instant::now();
    let child = command.stdout(Stdio::null()).spawn().map_err(|e| format!("cannot run {shown}: {e}"))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| format!("{shown}: odd pid: {e}"))?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain integers, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our child, not yet reaped (`child` is never waited on); `status` and
        // `usage` are valid for writes for the whole call.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(format!("cannot wait for {shown}: {e}"));
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(format!("{shown} failed (wait status {status:#x})"));
    }
    // `ru_maxrss` is in KiB on Linux.
    Ok((seconds, u64::try_from(usage.ru_maxrss).unwrap_or(0)))
}

/// The resident memory of this process now (0 if /proc cannot say).
fn own_rss_mib() -> f64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().strip_suffix("kB"));
    kib.and_then(|v| v.trim().parse::<f64>().ok()).unwrap_or(0.0) / 1024.0
}

/// Sum of the sizes of the files under `dir`.
fn tree_bytes(dir: &Path) -> io::Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            total += tree_bytes(&entry.path())?;
        } else if kind.is_file() {
            total += entry.metadata()?.len();
        }
    }
    Ok(total)
}

/// splitmix64: a few lines, good enough statistics for test data, and the same bytes on every
/// machine (no crate, no version drift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len() as u64) as usize]
    }

    fn fill(&mut self, out: &mut Vec<u8>, len: usize) {
        let end = out.len() + len;
        while out.len() < end {
            let bytes = self.next().to_le_bytes();
            out.extend_from_slice(&bytes[..(end - out.len()).min(8)]);
        }
    }
}

/// Words for symbol tables, JavaScript and JSON: text that gzip compresses the way it compresses
/// the real thing.
const WORDS: &[&str] = &[
    "github.com",
    "mattermost",
    "server",
    "public",
    "model",
    "plugin",
    "runtime",
    "context",
    "http",
    "handler",
    "json",
    "marshal",
    "unmarshal",
    "error",
    "string",
    "func",
    "type",
    "struct",
    "channel",
    "team",
    "user",
    "post",
    "message",
    "config",
    "settings",
    "request",
    "response",
    "writer",
    "reader",
    "buffer",
    "encoding",
    "sync",
    "mutex",
    "lock",
    "slice",
    "map",
    "append",
    "len",
    "value",
    "interface",
    "pointer",
    "method",
    "call",
    "return",
    "props",
    "state",
    "render",
    "component",
    "dispatch",
    "action",
    "reducer",
    "selector",
    "webapp",
    "button",
];

/// Bytes shaped like a compiled executable, in 4 KiB blocks: machine code and compressed
/// sections (random, incompressible), symbol and string tables (words), and padding and
/// zero-filled data (zeros). The mix makes gzip shrink it about 2.3x, about as much as it
/// shrinks real Go plugin binaries.
fn executable(rng: &mut Rng, len: usize, out: &mut impl Write) -> io::Result<()> {
    const BLOCK: usize = 4096;
    let mut buf = Vec::with_capacity(2 * BLOCK);
    let mut left = len;
    while left > 0 {
        let block = BLOCK.min(left);
        buf.clear();
        match rng.below(10) {
            0..=2 => rng.fill(&mut buf, block),
            3..=6 => {
                while buf.len() < block {
                    buf.extend_from_slice(rng.pick(WORDS).as_bytes());
                    buf.push(b"./_\0"[rng.below(4) as usize]);
                }
                buf.truncate(block);
            }
            _ => buf.resize(block, 0),
        }
        out.write_all(&buf)?;
        left -= block;
    }
    Ok(())
}

/// Text shaped like minified JavaScript: short mangled names, words, punctuation.
fn javascript(rng: &mut Rng, len: usize, out: &mut impl Write) -> io::Result<()> {
    const PUNCTUATION: &[&str] = &["(", ")", "{", "}", ";", ",", ".", "=", "=>", "return ", "function ", "const "];
    let mut buf = Vec::with_capacity(4096 + 64);
    let mut left = len;
    while left > 0 {
        buf.clear();
        while buf.len() < 4096 {
            match rng.below(3) {
                0 => {
                    for _ in 0..=rng.below(2) {
                        buf.push(b'a' + rng.below(26) as u8);
                    }
                }
                1 => buf.extend_from_slice(rng.pick(WORDS).as_bytes()),
                _ => buf.extend_from_slice(rng.pick(PUNCTUATION).as_bytes()),
            }
        }
        let n = buf.len().min(left);
        out.write_all(&buf[..n])?;
        left -= n;
    }
    Ok(())
}

/// JSON shaped like a translation file.
fn translations(rng: &mut Rng, len: usize, out: &mut impl Write) -> io::Result<()> {
    let mut buf = b"{\n".to_vec();
    let mut n = 0;
    while buf.len() < len {
        n += 1;
        let line = format!("  \"{}.{n}\": \"{} {}\",\n", rng.pick(WORDS), rng.pick(WORDS), rng.pick(WORDS));
        buf.extend_from_slice(line.as_bytes());
    }
    out.write_all(&buf[..len])
}

/// Writes the plugin under `dir` and returns the bytes of file data written. Files are
/// streamed in small blocks: a forked child starts with the parent's resident pages, and the
/// kernel carries that peak over the exec into the child's `ru_maxrss` (whole files held here
/// once put 15 MiB under a 5 MiB installer), so this process must stay small.
fn generate(dir: &Path) -> io::Result<u64> {
    let executables: Vec<(&str, String)> = PLATFORMS
        .iter()
        .map(|p| (*p, format!("server/dist/plugin-{p}{}", if p.starts_with("windows") { ".exe" } else { "" })))
        .collect();
    let named = executables.iter().map(|(p, path)| format!("\"{p}\":\"{path}\"")).collect::<Vec<_>>().join(",");
    let manifest = format!(
        "{{\"id\":\"{PLUGIN_ID}\",\"name\":\"Bench\",\"version\":\"1.0.0\",\"server\":{{\"executables\":{{{named}}}}},\
         \"webapp\":{{\"bundle_path\":\"webapp/dist/main.js\"}}}}\n"
    );
    fs::create_dir_all(dir)?;
    fs::write(dir.join("plugin.json"), &manifest)?;
    let mut total = manifest.len() as u64;
    let mut rng = Rng(SEED);
    let mut write = |relative: &str,
                     len: usize,
                     mode: u32,
                     rng: &mut Rng,
                     content: fn(&mut Rng, usize, &mut BufWriter<File>) -> io::Result<()>|
     -> io::Result<()> {
        let path = dir.join(relative);
        fs::create_dir_all(path.parent().unwrap_or(dir))?;
        let mut out = BufWriter::with_capacity(64 << 10, File::create(&path)?);
        content(rng, len, &mut out)?;
        out.into_inner().map_err(io::IntoInnerError::into_error)?.set_permissions(fs::Permissions::from_mode(mode))?;
        total += len as u64;
        Ok(())
    };

    for (_, path) in &executables {
        write(path, EXECUTABLE_BYTES, 0o755, &mut rng, executable)?;
    }
    write("webapp/dist/main.js", WEBAPP_BYTES, 0o644, &mut rng, javascript)?;

    // Assets in thirds: images (already compressed, so random), translations (JSON), templates.
    for i in 0..ASSETS {
        let len = 1024 + rng.below(ASSET_MAX_BYTES - 1024) as usize;
        match i % 3 {
            0 => write(&format!("assets/images/image-{i:03}.png"), len, 0o644, &mut rng, |rng, len, out| {
                let mut data = Vec::with_capacity(len);
                rng.fill(&mut data, len);
                out.write_all(&data)
            })?,
            1 => write(&format!("assets/i18n/strings-{i:03}.json"), len, 0o644, &mut rng, translations)?,
            _ => write(&format!("assets/templates/template-{i:03}.html"), len, 0o644, &mut rng, javascript)?,
        }
    }
    Ok(total)
}
