//! The exit watcher: one thread per host process that notices a plugin process exiting the
//! moment it does, for all plugins at once.
//!
//! End of file on the RPC pipe is not enough to tell that a plugin died: a child the plugin
//! forked keeps the pipe open, and every call would wait for its deadline. So the host also
//! watches the process itself. On Linux each plugin's `pidfd_open` descriptor sits in one epoll
//! set, and the thread sleeps in `epoll_wait` until one becomes readable (its process exited).
//! A pidfd's readiness does not reap the process, so `std::process::Child` stays the only
//! reaper and `try_wait`/`wait` on it keep working. Where there is no pidfd (other systems,
//! kernels before 5.3, or a failed `pidfd_open`), the same thread polls the registered processes
//! every [`POLL_INTERVAL`] instead, and sleeps while none is registered.
//!
//! The thread is started with the first registration and lives as long as the process: one
//! thread for all plugins, not one per plugin.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

/// How often processes without a pidfd are checked.
pub(super) const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// A process the watcher keeps an eye on.
pub(super) trait Watched: Send + Sync {
    /// Its process id.
    fn pid(&self) -> u32;
    /// Whether it has exited (asked only for processes without a pidfd, every
    /// [`POLL_INTERVAL`]). Should not block.
    fn has_exited(&self) -> bool;
    /// It exited: called once, on the watcher thread, with no watcher lock held.
    fn exited(&self);
}

/// A registration, to [`forget`] it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct WatchKey(u64);

/// Starts watching `process` (and the watcher thread, the first time). `None` when the thread
/// cannot be started: the host then notices a plugin's exit only by end of file on its pipe.
pub(super) fn watch(process: Arc<dyn Watched>) -> Option<WatchKey> {
    let watcher = watcher()?;
    Some(watcher.add(process))
}

/// Stops watching: the process's exit, if it comes later, is not reported. Doing nothing for a
/// key already reported or forgotten.
pub(super) fn forget(key: WatchKey) {
    if let Some(watcher) = WATCHER.get().copied().flatten() {
        watcher.remove(key);
    }
}

static WATCHER: OnceLock<Option<&'static Watcher>> = OnceLock::new();

fn watcher() -> Option<&'static Watcher> {
    *WATCHER.get_or_init(|| {
        // Leaked on purpose: the watcher lives as long as the process.
        let watcher: &'static Watcher = Box::leak(Box::new(Watcher::new()));
        match std::thread::Builder::new().name("plugin-watch".into()).spawn(move || watcher.run()) {
            Ok(_) => Some(watcher),
            Err(e) => {
                log::warn!(
                    "cannot start the plugin exit watcher ({e}); a plugin's exit is seen only at the end of its pipe"
                );
                None
            }
        }
    })
}

struct Entry {
    process: Arc<dyn Watched>,
    /// The process's pidfd, in the epoll set; `None`: polled.
    #[cfg(linux_events)]
    pidfd: Option<std::os::fd::OwnedFd>,
}

impl Entry {
    fn polled(&self) -> bool {
        #[cfg(linux_events)]
        return self.pidfd.is_none();
        #[cfg(not(linux_events))]
        return true;
    }
}

struct Watcher {
    entries: Mutex<HashMap<u64, Entry>>,
    /// Wakes the polling loop when the first process is registered (no epoll set).
    added: Condvar,
    next_key: AtomicU64,
    #[cfg(linux_events)]
    epoll: Option<linux::Epoll>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section leaves the map consistent; a panic elsewhere must not stop watching.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Watcher {
    fn new() -> Self {
        Self::build(true)
    }

    /// `pidfds: false` polls every process (the fallback, for its tests).
    fn build(pidfds: bool) -> Self {
        let _ = pidfds;
        Watcher {
            entries: Mutex::new(HashMap::new()),
            added: Condvar::new(),
            next_key: AtomicU64::new(0),
            #[cfg(linux_events)]
            epoll: match linux::Epoll::new() {
                _ if !pidfds => None,
                Ok(epoll) => Some(epoll),
                Err(e) => {
                    log::debug!("no epoll set for the exit watcher ({e}); plugin processes are polled");
                    None
                }
            },
        }
    }

    fn add(&self, process: Arc<dyn Watched>) -> WatchKey {
        let key = self.next_key.fetch_add(1, Ordering::Relaxed);
        let mut entries = lock(&self.entries);
        #[cfg(linux_events)]
        {
            let pid = process.pid();
            // Inserted before it joins the epoll set, so a process that already exited is found
            // when its event comes. The caller has not reaped the process (it is a fresh child
            // nobody waited for yet), so the pid cannot name another process.
            let pidfd = self.epoll.as_ref().and_then(|epoll| match linux::pidfd_open(pid) {
                Ok(fd) => Some((epoll, fd)),
                Err(e) => {
                    log::debug!("no pidfd for plugin process {pid} ({e}); polling it");
                    None
                }
            });
            let pidfd = pidfd.and_then(|(epoll, fd)| match epoll.add(&fd, key) {
                Ok(()) => Some(fd),
                Err(e) => {
                    log::debug!("cannot watch the pidfd of plugin process {pid} ({e}); polling it");
                    None
                }
            });
            let polled = pidfd.is_none();
            entries.insert(key, Entry { process, pidfd });
            if polled {
                // The thread may be asleep in epoll_wait without a timeout.
                if let Some(epoll) = &self.epoll {
                    epoll.wake();
                }
            }
        }
        #[cfg(not(linux_events))]
        entries.insert(key, Entry { process });
        self.added.notify_all();
        WatchKey(key)
    }

    fn remove(&self, key: WatchKey) -> Option<Entry> {
        let entry = lock(&self.entries).remove(&key.0)?;
        #[cfg(linux_events)]
        if let (Some(epoll), Some(fd)) = (&self.epoll, &entry.pidfd) {
            epoll.remove(fd);
        }
        Some(entry)
    }

    fn run(&self) {
        let mut ready = Vec::new();
        loop {
            ready.clear();
            self.wait(&mut ready);
            // The candidates: pidfds that fired, and every polled process.
            let candidates: Vec<(u64, bool, Arc<dyn Watched>)> = lock(&self.entries)
                .iter()
                .filter_map(|(key, entry)| {
                    let fired = ready.contains(key);
                    (fired || entry.polled()).then(|| (*key, fired, entry.process.clone()))
                })
                .collect();
            for (key, fired, process) in candidates {
                // A readable pidfd means the process exited; a polled one is asked.
                if !fired && !process.has_exited() {
                    continue;
                }
                // Whoever removes the entry reports it: a process the host forgot meanwhile
                // (it is stopping it) is not reported.
                if self.remove(WatchKey(key)).is_none() {
                    continue;
                }
                if catch_unwind(AssertUnwindSafe(|| process.exited())).is_err() {
                    log::error!("handling the exit of plugin process {} panicked", process.pid());
                }
            }
        }
    }

    /// Sleeps until a pidfd fires (its key is pushed to `ready`) or it is time to poll.
    fn wait(&self, ready: &mut Vec<u64>) {
        #[cfg(linux_events)]
        if let Some(epoll) = &self.epoll {
            let poll = lock(&self.entries).values().any(Entry::polled);
            let timeout = if poll { Some(POLL_INTERVAL) } else { None };
            if let Err(e) = epoll.wait(timeout, ready) {
                log::warn!("the plugin exit watcher's epoll_wait failed ({e}); retrying");
                std::thread::sleep(POLL_INTERVAL);
            }
            return;
        }
        let _ = ready;
        let entries = lock(&self.entries);
        if entries.is_empty() {
            drop(self.added.wait_while(entries, |e| e.is_empty()).unwrap_or_else(|e| e.into_inner()));
        } else {
            drop(entries);
            std::thread::sleep(POLL_INTERVAL);
        }
    }
}

#[cfg(linux_events)]
pub(super) mod linux {
    //! The Linux system calls of the watcher: `pidfd_open`, epoll, and an eventfd to wake it.
    //! The output forwarder (`output`) uses the same epoll wrapper.

    use std::io;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::time::Duration;

    /// The epoll data of the eventfd (registration keys count up from 0).
    const WAKE_KEY: u64 = u64::MAX;

    fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
        if ret < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(ret)
        }
    }

    /// A descriptor that becomes readable when process `pid` exits (close-on-exec, always).
    pub fn pidfd_open(pid: u32) -> io::Result<OwnedFd> {
        // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0 as libc::c_uint) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: the kernel just returned this descriptor to us; nothing else owns it.
        Ok(unsafe { OwnedFd::from_raw_fd(fd as libc::c_int) })
    }

    pub struct Epoll {
        epfd: OwnedFd,
        wake: OwnedFd,
    }

    impl Epoll {
        pub fn new() -> io::Result<Self> {
            // SAFETY: epoll_create1 and eventfd return new descriptors (or -1), which we own.
            let epfd = unsafe { OwnedFd::from_raw_fd(check(libc::epoll_create1(libc::EPOLL_CLOEXEC))?) };
            // SAFETY: as above.
            let wake =
                unsafe { OwnedFd::from_raw_fd(check(libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK))?) };
            let epoll = Epoll { epfd, wake };
            epoll.add(&epoll.wake, WAKE_KEY)?;
            Ok(epoll)
        }

        pub fn add(&self, fd: &impl AsRawFd, key: u64) -> io::Result<()> {
            let mut event = libc::epoll_event { events: libc::EPOLLIN as u32, u64: key };
            // SAFETY: both descriptors are open; `event` is a valid epoll_event.
            check(unsafe { libc::epoll_ctl(self.epfd.as_raw_fd(), libc::EPOLL_CTL_ADD, fd.as_raw_fd(), &mut event) })?;
            Ok(())
        }

        pub fn remove(&self, fd: &impl AsRawFd) {
            // SAFETY: both descriptors are open; DEL ignores the event argument. A failure
            // leaves nothing behind: closing the descriptor removes it from the set too.
            unsafe {
                libc::epoll_ctl(self.epfd.as_raw_fd(), libc::EPOLL_CTL_DEL, fd.as_raw_fd(), std::ptr::null_mut());
            }
        }

        /// Wakes [`Epoll::wait`].
        pub fn wake(&self) {
            let one = 1u64.to_ne_bytes();
            // SAFETY: writes 8 bytes from a live buffer to our eventfd; a full counter (it
            // cannot be, it is drained on every wake) would only mean it is already awake.
            unsafe {
                libc::write(self.wake.as_raw_fd(), one.as_ptr().cast(), one.len());
            }
        }

        /// Waits for events up to `timeout` (`None`: without end) and pushes the keys of the
        /// descriptors that fired, other than the wake-up, to `ready`.
        pub fn wait(&self, timeout: Option<Duration>, ready: &mut Vec<u64>) -> io::Result<()> {
            let mut events = [libc::epoll_event { events: 0, u64: 0 }; 32];
            let timeout_ms = timeout.map_or(-1, |t| t.as_millis().min(i32::MAX as u128) as libc::c_int);
            // SAFETY: `events` has room for the number of events passed.
            let n = unsafe {
                libc::epoll_wait(self.epfd.as_raw_fd(), events.as_mut_ptr(), events.len() as libc::c_int, timeout_ms)
            };
            if n < 0 {
                let e = io::Error::last_os_error();
                return if e.kind() == io::ErrorKind::Interrupted { Ok(()) } else { Err(e) };
            }
            for event in &events[..n as usize] {
                let key = event.u64;
                if key == WAKE_KEY {
                    let mut buf = [0u8; 8];
                    // SAFETY: reads at most 8 bytes into a live buffer from our non-blocking
                    // eventfd, which resets its counter.
                    unsafe {
                        libc::read(self.wake.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len());
                    }
                } else {
                    ready.push(key);
                }
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Child, Command};
    use std::sync::mpsc;

    /// A child process that reports its exit on a channel.
    struct Probe {
        child: Mutex<Child>,
        exits: Mutex<mpsc::Sender<u32>>,
    }

    impl Watched for Probe {
        fn pid(&self) -> u32 {
            lock(&self.child).id()
        }
        fn has_exited(&self) -> bool {
            lock(&self.child).try_wait().map_or(true, |s| s.is_some())
        }
        fn exited(&self) {
            let _ = lock(&self.exits).send(self.pid());
        }
    }

    fn probe(script: &str, exits: &mpsc::Sender<u32>) -> Arc<Probe> {
        let child = Command::new("sh").arg("-c").arg(script).spawn().unwrap();
        Arc::new(Probe { child: Mutex::new(child), exits: Mutex::new(exits.clone()) })
    }

    /// Runs a private watcher (not the process-wide one) on a thread of its own.
    fn private_watcher(pidfds: bool) -> &'static Watcher {
        let watcher: &'static Watcher = Box::leak(Box::new(Watcher::build(pidfds)));
        std::thread::spawn(move || watcher.run());
        watcher
    }

    fn exits_are_reported_once_and_forgotten_ones_never(watcher: &'static Watcher, polled: bool) {
        let (tx, rx) = mpsc::channel();
        let quick = probe("exit 4", &tx);
        let forgotten = probe("sleep 0.2", &tx);
        let slow = probe("sleep 0.5", &tx);
        watcher.add(quick.clone());
        let key = watcher.add(forgotten.clone());
        watcher.add(slow.clone());
        assert!(lock(&watcher.entries).values().all(|e| e.polled() == polled));
        watcher.remove(key);
        let first = rx.recv_timeout(Duration::from_secs(30)).unwrap();
        let second = rx.recv_timeout(Duration::from_secs(30)).unwrap();
        assert_eq!((first, second), (quick.pid(), slow.pid()));
        // The forgotten one exited (it is shorter than `slow`) and was not reported; nothing
        // was reported twice.
        assert!(rx.try_recv().is_err());
        assert!(lock(&watcher.entries).is_empty());
        for p in [quick, forgotten, slow] {
            let _ = lock(&p.child).wait();
        }
    }

    #[test]
    fn the_polling_fallback_reports_exits() {
        exits_are_reported_once_and_forgotten_ones_never(private_watcher(false), true);
    }

    #[cfg(linux_events)]
    #[test]
    fn pidfds_report_exits() {
        let watcher = private_watcher(true);
        if watcher.epoll.is_none() || linux::pidfd_open(std::process::id()).is_err() {
            return; // no epoll or pidfds here: the fallback's test covers it
        }
        exits_are_reported_once_and_forgotten_ones_never(watcher, false);
    }
}
