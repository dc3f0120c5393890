//! The system calls under the transport: anonymous pipes, `poll`, non-blocking reads and
//! `writev`, wrapped in safe functions over `OwnedFd`/`BorrowedFd`.

use std::io::{self, Read};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

/// Pipe capacity the transport asks for (Linux `F_SETPIPE_SZ`; 1 MiB is the unprivileged
/// maximum by default). A larger pipe lets a whole stream window be in flight.
pub const PIPE_CAPACITY: i32 = 1 << 20;

fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// A pipe as `(read end, write end)`, both close-on-exec (a plugin started later must not
/// inherit another plugin's pipe, or that plugin's death would go unnoticed) and numbered 3 or
/// higher (so setting up a child's stdio can never clobber them).
pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    check(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) })?;
    #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
    {
        // SAFETY: as above; close-on-exec is set right after (racy against a concurrent fork
        // only on platforms without pipe2).
        check(unsafe { libc::pipe(fds.as_mut_ptr()) })?;
        for fd in fds {
            check(unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) })?;
        }
    }
    // SAFETY: pipe2 returned two fresh descriptors that nothing else owns.
    let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    Ok((above_stdio(r)?, above_stdio(w)?))
}

fn above_stdio(fd: OwnedFd) -> io::Result<OwnedFd> {
    if fd.as_raw_fd() > 2 {
        return Ok(fd);
    }
    // SAFETY: F_DUPFD_CLOEXEC returns a new descriptor that we then own.
    let new = check(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 3) })?;
    // SAFETY: `new` is the fresh descriptor fcntl just returned; nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}

/// Sets or clears `O_NONBLOCK`.
pub fn set_nonblocking(fd: BorrowedFd<'_>, on: bool) -> io::Result<()> {
    // SAFETY: fcntl on a valid borrowed descriptor.
    let flags = check(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) })?;
    let flags = if on { flags | libc::O_NONBLOCK } else { flags & !libc::O_NONBLOCK };
    // SAFETY: as above.
    check(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags) })?;
    Ok(())
}

/// Sets `FD_CLOEXEC`, so children the process starts do not inherit the descriptor.
pub fn set_cloexec(fd: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: fcntl on a valid borrowed descriptor.
    check(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) })?;
    Ok(())
}

/// Asks for a larger pipe buffer; best effort (other systems, or a lower system limit, keep the
/// default).
pub fn set_pipe_capacity(fd: BorrowedFd<'_>, bytes: i32) {
    #[cfg(target_os = "linux")]
    // SAFETY: fcntl on a valid borrowed descriptor; failure is harmless.
    unsafe {
        libc::fcntl(fd.as_raw_fd(), libc::F_SETPIPE_SZ, bytes);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (fd, bytes);
}

/// Whether a descriptor number is open in this process.
pub fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD only inspects the descriptor table.
    unsafe { libc::fcntl(fd, libc::F_GETFD) >= 0 }
}

/// Reads from a non-blocking descriptor: `WouldBlock` when nothing is there.
pub struct FdReader<'a>(pub BorrowedFd<'a>);

impl Read for FdReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // SAFETY: `buf` is valid for `buf.len()` bytes of writes.
        let n = unsafe { libc::read(self.0.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(n as usize)
        }
    }
}

/// Which of the polled descriptors are ready.
#[derive(Debug, Default, Clone, Copy)]
pub struct Ready {
    /// Readable, or hung up (a read will then return end of stream).
    pub data: bool,
    pub wake: bool,
    pub close: bool,
    /// The pool's rescue timer expired (exclusive waits only).
    #[cfg_attr(not(linux_events), allow(dead_code))] // Only the epoll path reads it.
    pub timer: bool,
}

/// The milliseconds left until `deadline` for `poll` or `epoll_wait` (`None`: no deadline,
/// `Some(0)`: passed), rounded up, so a wait never ends just before its deadline and spins.
fn timeout_ms(deadline: Option<Instant>) -> Option<i32> {
    let left = deadline?.saturating_duration_since(Instant::now());
    Some(left.as_nanos().div_ceil(1_000_000).min(i32::MAX as u128) as i32)
}

/// What each descriptor of an [`ExclusiveWait`] is registered as.
#[cfg(linux_events)]
const TOKEN_DATA: u64 = 0;
#[cfg(linux_events)]
const TOKEN_CLOSE: u64 = 1;
#[cfg(linux_events)]
const TOKEN_TIMER: u64 = 2;
#[cfg(linux_events)]
const TOKEN_WAKE: u64 = 3;

/// Waits until `data`, `wake` or `close` is readable or hung up, or `deadline` passes (then
/// every field is false). `wake` is optional: only the thread leading the reads watches it.
pub fn poll_ready(data: RawFd, wake: Option<RawFd>, close: RawFd, deadline: Option<Instant>) -> io::Result<Ready> {
    let mut fds = [
        libc::pollfd { fd: data, events: libc::POLLIN, revents: 0 },
        libc::pollfd { fd: close, events: libc::POLLIN, revents: 0 },
        libc::pollfd { fd: wake.unwrap_or(-1), events: libc::POLLIN, revents: 0 },
    ];
    let nfds = if wake.is_some() { 3 } else { 2 };
    loop {
        let timeout = match timeout_ms(deadline) {
            Some(0) => return Ok(Ready::default()),
            Some(ms) => ms,
            None => -1,
        };
        // SAFETY: `fds` holds `nfds` initialised pollfd entries.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), nfds, timeout) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        let hit = |p: &libc::pollfd| p.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0;
        return Ok(Ready { data: hit(&fds[0]), close: hit(&fds[1]), wake: nfds == 3 && hit(&fds[2]), timer: false });
    }
}

/// One thread's wait for the pipe to become readable, in its own epoll instance registered
/// with `EPOLLEXCLUSIVE`: when several pool threads wait on the same pipe, a frame wakes only
/// one of them, so a spare poller can wait beside the busy one at no cost per frame. The close
/// pipe is registered normally, so closing wakes them all.
#[cfg(linux_events)]
pub struct ExclusiveWait {
    epfd: OwnedFd,
}

#[cfg(linux_events)]
impl ExclusiveWait {
    /// Waits for `data` (exclusively), `close`, and `timer` if given (exclusively too: one
    /// waiter handles an expiry).
    pub fn new(data: RawFd, close: RawFd, timer: Option<RawFd>) -> io::Result<Self> {
        Self::with(data, close, timer.map(|fd| (fd, (libc::EPOLLIN | libc::EPOLLEXCLUSIVE) as u32, TOKEN_TIMER)))
    }

    /// The wait of the thread leading the reads: `data` exclusively, `close`, and the leader's
    /// `wake` pipe (cancellation) normally. Made before any pool thread's wait, so it comes
    /// first among the pipe's exclusive waiters: while the leader sleeps here, a frame wakes
    /// only the leader and the pollers sleep on; while it does not, the frame passes to a
    /// poller. (With `poll`, every frame woke the leader and a poller.)
    pub fn for_leader(data: RawFd, close: RawFd, wake: RawFd) -> io::Result<Self> {
        Self::with(data, close, Some((wake, libc::EPOLLIN as u32, TOKEN_WAKE)))
    }

    fn with(data: RawFd, close: RawFd, extra: Option<(RawFd, u32, u64)>) -> io::Result<Self> {
        // SAFETY: epoll_create1 returns a fresh descriptor that we then own.
        let epfd = unsafe { OwnedFd::from_raw_fd(check(libc::epoll_create1(libc::EPOLL_CLOEXEC))?) };
        let add = |fd: RawFd, events: u32, token: u64| {
            let mut event = libc::epoll_event { events, u64: token };
            // SAFETY: registers a valid descriptor with a valid epoll instance.
            check(unsafe { libc::epoll_ctl(epfd.as_raw_fd(), libc::EPOLL_CTL_ADD, fd, &mut event) })
        };
        add(data, (libc::EPOLLIN | libc::EPOLLEXCLUSIVE) as u32, TOKEN_DATA)?;
        add(close, libc::EPOLLIN as u32, TOKEN_CLOSE)?;
        if let Some((fd, events, token)) = extra {
            add(fd, events, token)?;
        }
        Ok(ExclusiveWait { epfd })
    }

    /// Blocks until the data pipe is readable (or hung up) or the connection closes.
    pub fn wait(&self) -> io::Result<Ready> {
        self.wait_until(None)
    }

    /// Blocks as [`wait`](Self::wait) does, or until `deadline` passes (then every field is
    /// false).
    pub fn wait_until(&self, deadline: Option<Instant>) -> io::Result<Ready> {
        let mut events = [libc::epoll_event { events: 0, u64: 0 }; 3];
        loop {
            let timeout = match timeout_ms(deadline) {
                Some(0) => return Ok(Ready::default()),
                Some(ms) => ms,
                None => -1,
            };
            // SAFETY: `events` has room for the 3 entries we ask for.
            let n = unsafe { libc::epoll_wait(self.epfd.as_raw_fd(), events.as_mut_ptr(), 3, timeout) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            let mut ready = Ready::default();
            for event in &events[..n as usize] {
                match event.u64 {
                    TOKEN_DATA => ready.data = true,
                    TOKEN_CLOSE => ready.close = true,
                    TOKEN_WAKE => ready.wake = true,
                    _ => ready.timer = true,
                }
            }
            return Ok(ready);
        }
    }
}

/// A one-shot monotonic timer whose descriptor becomes readable when it expires (Linux
/// `timerfd`), so threads already waiting in epoll can also wait for it.
#[cfg(linux_events)]
pub struct Timer {
    fd: OwnedFd,
}

#[cfg(linux_events)]
impl Timer {
    pub fn new() -> io::Result<Self> {
        // SAFETY: timerfd_create returns a fresh descriptor that we then own.
        let fd = unsafe { check(libc::timerfd_create(libc::CLOCK_MONOTONIC, libc::TFD_NONBLOCK | libc::TFD_CLOEXEC))? };
        // SAFETY: as above.
        Ok(Timer { fd: unsafe { OwnedFd::from_raw_fd(fd) } })
    }

    pub fn fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// Expires once, `after` from now (replacing any earlier setting).
    pub fn arm(&self, after: Duration) -> io::Result<()> {
        // A zero value would disarm it instead.
        let after = after.max(Duration::from_nanos(1));
        let spec = libc::itimerspec {
            it_interval: libc::timespec { tv_sec: 0, tv_nsec: 0 },
            it_value: libc::timespec {
                tv_sec: after.as_secs() as libc::time_t,
                tv_nsec: after.subsec_nanos() as libc::c_long,
            },
        };
        // SAFETY: `spec` is a valid itimerspec; the old value is not asked for.
        check(unsafe { libc::timerfd_settime(self.fd.as_raw_fd(), 0, &spec, std::ptr::null_mut()) }).map(drop)
    }

    /// Takes the expiry, so the descriptor is no longer readable.
    pub fn clear(&self) {
        let mut count = [0u8; 8];
        // SAFETY: reads at most 8 bytes into `count`; a non-blocking read of an unexpired timer
        // fails with EAGAIN, which is fine here.
        let _ = unsafe { libc::read(self.fd.as_raw_fd(), count.as_mut_ptr().cast(), count.len()) };
    }
}

/// Writes all of `parts` in order, as one `writev` when the pipe has room (the usual case).
/// The write end is non-blocking (so async callers can try a write without waiting; see
/// [`writev_some`]); when the pipe is full, this makes it blocking for the rest of the write
/// and non-blocking again after, so a bulk stream is written by the kernel as the reader
/// frees room, not a page per wake-up. Callers hold the connection's write lock, so no
/// non-blocking try sees the blocking mode.
pub fn writev_all(fd: BorrowedFd<'_>, parts: &[&[u8]]) -> io::Result<()> {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let mut skip = writev_some(fd, parts, 0)?;
    if skip == total {
        return Ok(());
    }
    set_nonblocking(fd, false)?;
    let mut result = Ok(());
    while skip < total {
        match writev_some(fd, parts, skip) {
            Ok(n) => skip += n,
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    set_nonblocking(fd, true)?;
    result
}

/// One `writev` of `parts` after the first `skip` bytes: how many bytes it wrote, 0 when the
/// pipe is full (and the descriptor non-blocking).
pub fn writev_some(fd: BorrowedFd<'_>, parts: &[&[u8]], skip: usize) -> io::Result<usize> {
    const MAX_PARTS: usize = 8;
    assert!(parts.len() <= MAX_PARTS, "at most {MAX_PARTS} parts per frame");
    let mut iov = [libc::iovec { iov_base: std::ptr::null_mut(), iov_len: 0 }; MAX_PARTS];
    let mut count = 0;
    let mut offset = skip;
    for part in parts {
        if offset >= part.len() {
            offset -= part.len();
            continue;
        }
        let rest = &part[offset..];
        offset = 0;
        iov[count] = libc::iovec { iov_base: rest.as_ptr() as *mut libc::c_void, iov_len: rest.len() };
        count += 1;
    }
    if count == 0 {
        return Ok(0);
    }
    loop {
        // SAFETY: each iovec points into a live slice of `parts` for its length.
        let n = unsafe { libc::writev(fd.as_raw_fd(), iov.as_ptr(), count as libc::c_int) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = io::Error::last_os_error();
        match e.kind() {
            io::ErrorKind::Interrupted => continue,
            io::ErrorKind::WouldBlock => return Ok(0),
            _ => return Err(e),
        }
    }
}

/// A self-pipe: writing a byte wakes a thread blocked in [`poll_ready`] on the read end.
pub struct WakePipe {
    read: OwnedFd,
    write: OwnedFd,
}

impl WakePipe {
    pub fn new() -> io::Result<Self> {
        let (read, write) = pipe()?;
        set_nonblocking(read.as_fd(), true)?;
        set_nonblocking(write.as_fd(), true)?;
        Ok(WakePipe { read, write })
    }

    /// The end to poll.
    pub fn fd(&self) -> RawFd {
        self.read.as_raw_fd()
    }

    /// Makes the read end readable (a full pipe is readable already, so EAGAIN is fine).
    pub fn wake(&self) {
        // SAFETY: writes one byte from a live buffer.
        unsafe {
            libc::write(self.write.as_raw_fd(), [1u8].as_ptr().cast(), 1);
        }
    }

    /// Empties the read end.
    pub fn drain(&self) {
        let mut buf = [0u8; 64];
        // SAFETY: reads into a live buffer; the fd is non-blocking, so this ends at EAGAIN.
        while unsafe { libc::read(self.read.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
    }
}

/// How long until `deadline`, or `None` for no deadline.
pub fn remaining(deadline: Option<Instant>) -> Option<Duration> {
    deadline.map(|d| d.saturating_duration_since(Instant::now()))
}

#[cfg(all(test, linux_events))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// What the leader's wait relies on: a frame wakes the sleeping leader and no poller, and
    /// passes to a poller while the leader does not sleep.
    #[test]
    fn a_sleeping_leader_takes_the_wake_and_the_poller_sleeps_on() {
        let (read, write) = pipe().unwrap();
        set_nonblocking(read.as_fd(), true).unwrap();
        let (close, wake) = (WakePipe::new().unwrap(), WakePipe::new().unwrap());
        let leader = ExclusiveWait::for_leader(read.as_raw_fd(), close.fd(), wake.fd()).unwrap();
        let poller = Arc::new(ExclusiveWait::new(read.as_raw_fd(), close.fd(), None).unwrap());
        let poller_woke = Arc::new(AtomicUsize::new(0));
        let watcher = {
            let (poller, poller_woke) = (poller.clone(), poller_woke.clone());
            std::thread::spawn(move || loop {
                let ready = poller.wait().unwrap();
                if ready.close {
                    return;
                }
                poller_woke.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
            })
        };
        let write_byte = |fd: &OwnedFd| {
            // SAFETY: writes one byte from a live buffer.
            assert_eq!(unsafe { libc::write(fd.as_raw_fd(), [7u8].as_ptr().cast(), 1) }, 1);
        };
        let take_byte = |fd: &OwnedFd| {
            let mut b = [0u8; 1];
            // SAFETY: reads into a live buffer.
            assert_eq!(unsafe { libc::read(fd.as_raw_fd(), b.as_mut_ptr().cast(), 1) }, 1);
        };
        std::thread::sleep(Duration::from_millis(50)); // the poller is asleep in its wait
        for _ in 0..5 {
            std::thread::scope(|s| {
                let sleeper = s.spawn(|| leader.wait_until(Some(Instant::now() + Duration::from_secs(5))).unwrap());
                std::thread::sleep(Duration::from_millis(30)); // the leader is asleep too
                write_byte(&write);
                assert!(sleeper.join().unwrap().data, "the leader was not woken for data");
            });
            take_byte(&read);
        }
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(poller_woke.load(Ordering::SeqCst), 0, "a frame for a sleeping leader also woke the poller");

        // Nobody sleeps in the leader's wait: the frame goes to the poller.
        write_byte(&write);
        let started = Instant::now();
        while poller_woke.load(Ordering::SeqCst) == 0 {
            assert!(started.elapsed() < Duration::from_secs(5), "the poller was not woken");
            std::thread::sleep(Duration::from_millis(1));
        }
        take_byte(&read);
        close.wake();
        watcher.join().unwrap();
    }
}
