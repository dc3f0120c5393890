//! Forwards plugins' stdout and stderr to the `log` crate line by line (target `plugin::<id>`,
//! text `stdout: ...` or `stderr: ...`): a plugin's output never mixes with the RPC pipes.
//!
//! On Linux one thread per host process, `plugin-output`, forwards the output of every plugin:
//! the host's ends of the pipes are non-blocking and sit in one epoll set, and on each wake
//! the thread reads at most [`READ_SLICE`] from each pipe that has data before it moves on to
//! the next. A plugin that floods its output therefore holds up the others' output by one slice
//! per turn at most (epoll reports ready pipes round-robin), and it never holds up the exit
//! watcher or any call, which run on other threads. A pipe leaves the set at end of file (the
//! plugin and whatever inherited its output are gone), after its partial last line is logged.
//! A thread for all plugins rather than two per plugin: most plugins print little, and threads
//! are the host's cost per plugin.
//!
//! A separate thread from the exit watcher's (`watch`): a slow logger or a flood must never
//! delay noticing an exit, and the watcher's bookkeeping stays as simple as it is.
//!
//! Elsewhere, or when the shared thread or its epoll set cannot be had, each stream gets a
//! thread of its own that reads it blocking, with the same line rules.

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::OwnedFd;

/// Longer lines are logged in pieces of this many bytes, so one endless line cannot grow
/// memory.
const MAX_LINE: usize = 16 * 1024;

/// The most read from one pipe per turn, before the other pipes get theirs (a pipe holds 64 KiB
/// by default, so a turn usually empties it).
#[cfg_attr(not(linux_events), allow(dead_code))] // Only the epoll path reads it.
const READ_SLICE: usize = 64 * 1024;

/// Forwards each line of `pipe` (a plugin's stdout or stderr, named by `stream`) at info level
/// with target `plugin::<id>`, until its end.
pub(crate) fn forward(pipe: impl Into<OwnedFd>, id: &str, stream: &'static str) -> io::Result<()> {
    let file = File::from(pipe.into());
    let lines = Lines::new(id, stream);
    #[cfg(linux_events)]
    let (file, lines) = match shared::forward(file, lines) {
        Ok(()) => return Ok(()),
        Err(back) => back,
    };
    on_own_thread(file, lines)
}

/// The fallback: a thread that reads `file` blocking until its end.
fn on_own_thread(file: File, mut lines: Lines) -> io::Result<()> {
    std::thread::Builder::new().name(format!("plugin-{}", lines.stream)).spawn(move || {
        let mut buf = vec![0u8; MAX_LINE];
        loop {
            match (&file).read(&mut buf) {
                Ok(0) => break,
                Ok(n) => lines.feed(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        lines.finish();
    })?;
    Ok(())
}

/// One stream's line splitting: what it has read of a line not yet ended.
struct Lines {
    target: String,
    stream: &'static str,
    pending: Vec<u8>,
}

impl Lines {
    fn new(id: &str, stream: &'static str) -> Self {
        Lines { target: format!("plugin::{id}"), stream, pending: Vec::new() }
    }

    /// Logs every line `data` completes and keeps the start of an unfinished one.
    fn feed(&mut self, data: &[u8]) {
        let Lines { target, stream, pending } = self;
        split_lines(pending, data, MAX_LINE, |line| log_line(target, stream, line));
    }

    /// End of file: logs a last line that had no newline.
    fn finish(&mut self) {
        if !self.pending.is_empty() {
            log_line(&self.target, self.stream, &self.pending);
            self.pending.clear();
        }
    }
}

fn log_line(target: &str, stream: &str, line: &[u8]) {
    let text = String::from_utf8_lossy(trim_newline(line));
    log::info!(target: target, "{stream}: {text}");
}

/// Splits `data`, following what `pending` already holds, into lines: each up to and including
/// its newline, or `max` bytes, whichever comes first; `emit` gets each, and the unfinished
/// rest stays in `pending` (never `max` bytes or more).
fn split_lines(pending: &mut Vec<u8>, mut data: &[u8], max: usize, mut emit: impl FnMut(&[u8])) {
    while !data.is_empty() {
        let room = max - pending.len();
        let window = &data[..data.len().min(room)];
        let (piece, ended) = match window.iter().position(|&b| b == b'\n') {
            Some(i) => (&window[..=i], true),
            // Without a newline the piece ends when it fills the line.
            None => (window, window.len() == room),
        };
        data = &data[piece.len()..];
        if !ended {
            pending.extend_from_slice(piece);
        } else if pending.is_empty() {
            // The common case: a whole line in one read, logged without a copy.
            emit(piece);
        } else {
            pending.extend_from_slice(piece);
            emit(pending);
            pending.clear();
        }
    }
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(linux_events)]
mod shared {
    //! The one `plugin-output` thread and its epoll set.

    use super::{Lines, READ_SLICE};
    use crate::process::watch::linux::Epoll;
    use std::collections::HashMap;
    use std::fs::File;
    use std::io::{self, Read};
    use std::os::fd::AsFd;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Mutex, MutexGuard, OnceLock};
    use std::time::Duration;

    /// A stream being forwarded: the host's end of the pipe (non-blocking) and its lines.
    struct Stream {
        file: File,
        lines: Lines,
    }

    struct Forwarder {
        epoll: Epoll,
        /// The streams by epoll key. The thread takes a stream out while it reads it, so
        /// logging never holds the lock registrations take.
        streams: Mutex<HashMap<u64, Stream>>,
        next_key: AtomicU64,
    }

    fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
        // Every critical section leaves the map consistent.
        m.lock().unwrap_or_else(|e| e.into_inner())
    }

    static FORWARDER: OnceLock<Option<&'static Forwarder>> = OnceLock::new();

    fn forwarder() -> Option<&'static Forwarder> {
        *FORWARDER.get_or_init(|| {
            let epoll = match Epoll::new() {
                Ok(epoll) => epoll,
                Err(e) => {
                    log::debug!("no epoll set for plugin output ({e}); a thread per stream forwards it");
                    return None;
                }
            };
            // Leaked on purpose: the forwarder lives as long as the process.
            let forwarder: &'static Forwarder = Box::leak(Box::new(Forwarder {
                epoll,
                streams: Mutex::new(HashMap::new()),
                next_key: AtomicU64::new(0),
            }));
            match std::thread::Builder::new().name("plugin-output".into()).spawn(move || forwarder.run()) {
                Ok(_) => Some(forwarder),
                Err(e) => {
                    log::warn!("cannot start the plugin output thread ({e}); a thread per stream forwards it");
                    None
                }
            }
        })
    }

    /// Hands the stream to the shared thread, or gives it back (still blocking) when that
    /// cannot be done.
    pub(super) fn forward(file: File, lines: Lines) -> Result<(), (File, Lines)> {
        let Some(forwarder) = forwarder() else { return Err((file, lines)) };
        if let Err(e) = crate::transport::set_nonblocking(file.as_fd(), true) {
            log::debug!("cannot make plugin output non-blocking ({e}); a thread forwards it");
            return Err((file, lines));
        }
        let key = forwarder.next_key.fetch_add(1, Ordering::Relaxed);
        let mut streams = lock(&forwarder.streams);
        // In the map before it joins the set, so its first event finds it; under the lock, so
        // the thread cannot take it before a failed `add` takes it back.
        streams.insert(key, Stream { file, lines });
        let added = forwarder.epoll.add(&streams[&key].file, key);
        if let Err(e) = added {
            let Stream { file, lines } = streams.remove(&key).expect("just inserted");
            drop(streams);
            log::debug!("cannot watch plugin output ({e}); a thread forwards it");
            return match crate::transport::set_nonblocking(file.as_fd(), false) {
                Ok(()) => Err((file, lines)),
                // Dropped: blocking reads on a thread would spin on EAGAIN.
                Err(e) => {
                    log::warn!("cannot forward the {} of a plugin: {e}", lines.stream);
                    Ok(())
                }
            };
        }
        Ok(())
    }

    /// How many streams the shared thread forwards now, for tests.
    #[cfg(test)]
    pub(super) fn streams() -> usize {
        FORWARDER.get().copied().flatten().map_or(0, |f| lock(&f.streams).len())
    }

    impl Forwarder {
        fn run(&self) {
            let mut buf = vec![0u8; READ_SLICE];
            let mut ready = Vec::new();
            loop {
                ready.clear();
                if let Err(e) = self.epoll.wait(None, &mut ready) {
                    log::warn!("the plugin output thread's epoll_wait failed ({e}); retrying");
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
                for &key in &ready {
                    // Only this thread removes streams, so one that fired is in the map.
                    let Some(mut stream) = lock(&self.streams).remove(&key) else { continue };
                    if stream.pump(&mut buf) {
                        lock(&self.streams).insert(key, stream);
                    } else {
                        self.epoll.remove(&stream.file);
                        stream.lines.finish();
                        // Dropping the stream closes the pipe.
                    }
                }
            }
        }
    }

    impl Stream {
        /// Reads one slice at most (what the pipe has) and logs the lines it completes.
        /// `false` at end of file or on an error: the stream is done.
        fn pump(&mut self, buf: &mut [u8]) -> bool {
            loop {
                match (&self.file).read(buf) {
                    Ok(0) => return false,
                    Ok(n) => {
                        self.lines.feed(&buf[..n]);
                        return true;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    // Level-triggered: woken for data another read took, or spuriously.
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                    Err(_) => return false,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_all(chunks: &[&[u8]], max: usize) -> Vec<String> {
        let mut lines = Vec::new();
        let mut pending = Vec::new();
        for chunk in chunks {
            split_lines(&mut pending, chunk, max, |line| {
                lines.push(String::from_utf8(trim_newline(line).to_vec()).unwrap())
            });
        }
        if !pending.is_empty() {
            lines.push(String::from_utf8(trim_newline(&pending).to_vec()).unwrap());
        }
        lines
    }

    #[test]
    fn lines_are_split_and_bounded_however_the_bytes_arrive() {
        let text = format!("one\r\ntwo\n{}\nlast", "x".repeat(40));
        let (x16, x8) = ("x".repeat(16), "x".repeat(8));
        let expected = ["one", "two", &x16, &x16, &x8, "last"];
        assert_eq!(split_all(&[text.as_bytes()], 16), expected);
        for size in [1, 3, 8, 16, 17] {
            let chunks: Vec<&[u8]> = text.as_bytes().chunks(size).collect();
            assert_eq!(split_all(&chunks, 16), expected, "in chunks of {size}");
        }
    }

    /// Keeps the lines forwarded for the `output-test` plugins, but only counts flood lines.
    struct Capture(std::sync::Mutex<Vec<(String, String)>>, std::sync::atomic::AtomicUsize);

    impl log::Log for Capture {
        fn enabled(&self, _: &log::Metadata<'_>) -> bool {
            true
        }
        fn log(&self, record: &log::Record<'_>) {
            if record.target().starts_with("plugin::output-test") {
                let message = record.args().to_string();
                if message == "stdout: flood line" {
                    self.1.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                } else {
                    self.0.lock().unwrap().push((record.target().to_owned(), message));
                }
            }
        }
        fn flush(&self) {}
    }

    static CAPTURE: Capture = Capture(std::sync::Mutex::new(Vec::new()), std::sync::atomic::AtomicUsize::new(0));

    fn flood_lines() -> usize {
        CAPTURE.1.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn count(target: &str, text: &str) -> usize {
        CAPTURE.0.lock().unwrap().iter().filter(|(t, m)| t == target && m == text).count()
    }

    fn eventually(what: &str, mut done: impl FnMut() -> bool) {
        let start = std::time::Instant::now();
        while !done() {
            assert!(start.elapsed() < std::time::Duration::from_secs(20), "waited too long for {what}");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    /// While one stream floods, another's lines still come through at once (the shared
    /// thread reads a bounded slice of each in turn); at end of file the partial last line is
    /// logged and the stream leaves the forwarder.
    #[test]
    fn a_flood_holds_up_no_other_stream_and_each_ends_with_its_last_line() {
        let _ = log::set_logger(&CAPTURE);
        log::set_max_level(log::LevelFilter::Info);
        let (flood_read, flood_write) = crate::transport::pipe().unwrap();
        let (quiet_read, quiet_write) = crate::transport::pipe().unwrap();
        forward(flood_read, "output-test-flood", "stdout").unwrap();
        forward(quiet_read, "output-test-quiet", "stderr").unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flooding = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let mut out = File::from(flood_write);
                let mut written = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    out.write_all(&b"flood line\n".repeat(1000)).unwrap();
                    written += 1000;
                }
                out.write_all(b"no newline at the end").unwrap();
                written
            })
        };
        eventually("the flood to start", || flood_lines() > 10_000);
        let mut quiet = File::from(quiet_write);
        for i in 0..20 {
            use std::io::Write;
            let line = format!("quiet line {i}");
            let start = std::time::Instant::now();
            writeln!(quiet, "{line}").unwrap();
            eventually("a quiet line", || count("plugin::output-test-quiet", &format!("stderr: {line}")) == 1);
            let took = start.elapsed();
            assert!(took < std::time::Duration::from_secs(2), "a line behind a flood took {took:?}");
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let written = flooding.join().unwrap();
        drop(quiet);
        eventually("the flood's last line", || {
            count("plugin::output-test-flood", "stdout: no newline at the end") == 1
        });
        eventually("every flood line", || flood_lines() as u64 == written);
        #[cfg(linux_events)]
        eventually("both streams to leave the forwarder", || shared::streams() == 0);
    }

    #[test]
    fn a_line_of_exactly_the_bound_is_one_piece_then_an_empty_line() {
        // As a reader bounded at `max` sees it: the newline starts the next line.
        let text = format!("{}\nz\n", "y".repeat(16));
        assert_eq!(split_all(&[text.as_bytes()], 16), ["y".repeat(16).as_str(), "", "z"]);
    }
}
