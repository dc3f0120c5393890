//! The threads that serve a connection. Idle ones are pollers (they wait for the pipe while no
//! caller leads the reads) or wait for jobs (calls handed over by a reading caller, stream
//! pumps, small control frames).
//!
//! On Linux two pollers wait side by side, each in its own epoll instance with
//! `EPOLLEXCLUSIVE`, so a frame wakes only one of them: the poller that reads a call serves it
//! at once while the other keeps watching, and nothing is woken on the way. Elsewhere one
//! poller waits with `poll`. When the last poller leaves to serve a call, it first wakes or
//! starts a replacement. Threads are started on demand and leave after a while idle; serving
//! threads are capped (calls queue beyond the cap), pollers are not, so the pipe is always read.
//!
//! How many threads stay when idle is the connection's choice ([`Config::min_idle_threads`],
//! [`Config::idle_exit`]): by default three (two pollers and a spare to promote). With fewer,
//! fewer pollers are kept (one below two threads): a floor of one leaves a single poller, which
//! starts (or wakes) its replacement before it serves a call, as any last poller does, so the
//! pipe is still always read; the price is a thread start or wake on a cold call. Only threads
//! waiting for jobs leave, never a poller, and one leaves only when nothing needs it: no job
//! is queued and some poller is left. (A thread sent to replace the last poller may time out in
//! the very moment it is woken and lose the wake; it then stays and becomes the poller.)
//!
//! Calls a poller reads in one go are served by that poller, one after another, rather than
//! each waking a thread of its own: under load a wake costs more than a typical call. So that a
//! call that blocks cannot hold up (or deadlock with) the calls read with it, a timer wakes a
//! poller after [`RESCUE_AFTER`]; calls still waiting then are queued as jobs (Linux, where the
//! pollers wait in epoll and can watch a `timerfd`; elsewhere they are queued at once).
//!
//! Queued jobs wake threads one at a time: at most one woken (or starting) thread is on its
//! way to the queue, and a thread that takes a job and leaves more behind sends the next one.
//! Every queued job still gets a thread of its own as long as the cap allows, so a job that
//! blocks never holds up the ones behind it for longer than one wake. A thread that finds no
//! poller left becomes one before it takes any work: the pipe is always read.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::calls::IncomingCall;
use super::config::{Config, Role, MIN_THREADS};
use super::flow::SendState;
#[cfg(linux_events)]
use super::io as fdio;
use super::reader::{Handler, PipeWait, Reader};
use super::sync::{lock, wait_timeout};
use crate::ByteStream;

/// Calls read together wait this long for the thread serving the ones before them; then each
/// gets a thread of its own (see [`Pool::take_batch`]).
#[cfg_attr(not(linux_events), allow(dead_code))] // Only the epoll path reads it.
const RESCUE_AFTER: Duration = Duration::from_millis(1);

/// Work for a pool thread.
pub(crate) enum Job {
    /// Serve a call the peer made.
    Serve(IncomingCall),
    /// Copy a local reader into a stream.
    Pump(Arc<SendState>, ByteStream),
    /// Write a small, already encoded frame.
    Send(Vec<u8>),
    /// Finish a writer's turn that an async caller could not finish without waiting,
    /// starting with these bytes.
    Flush(Vec<u8>),
    /// Run a blocking call for an async caller (one whose sinks need a thread to write them).
    Run(Box<dyn FnOnce() + Send>),
}

/// What the pool's threads need from the connection: its reader (idle threads poll the pipe
/// through it), and how to run each kind of job. Implemented by the connection (statically
/// dispatched: there is one implementation).
pub(crate) trait PoolConn: Handler + Send + Sync + Sized + 'static {
    fn pool(&self) -> &Pool;
    fn reader(&self) -> &Reader;
    fn role(&self) -> Role;
    /// Serves one call on this thread.
    fn serve(self: &Arc<Self>, call: IncomingCall);
    /// Copies a local reader into a stream.
    fn pump(self: &Arc<Self>, state: Arc<SendState>, source: ByteStream);
    /// Writes a small, already encoded frame.
    fn send_bytes(self: &Arc<Self>, bytes: &[u8]);
    /// Finishes a writer's turn left unfinished, starting with `rest`.
    fn flush(self: &Arc<Self>, rest: &[u8]);
}

#[derive(Default)]
struct PoolState {
    jobs: VecDeque<Job>,
    threads: usize,
    /// Threads waiting on the condvar.
    idle: usize,
    /// Threads woken or started for the queue that have not yet looked at it (at most one is
    /// sent at a time; see the module docs).
    searching: usize,
    pollers: usize,
    /// Threads serving a call or running a job now: at most `max_threads`.
    serving: usize,
    closed: bool,
    /// Calls read in one batch after the first, left for the thread that read them (no thread
    /// is woken for them), with the time they were left.
    batch: VecDeque<(Instant, IncomingCall)>,
    /// The rescue timer is set (and has not yet been seen to expire).
    #[cfg_attr(not(linux_events), allow(dead_code))] // Only the epoll path reads it.
    rescue_armed: bool,
}

pub(crate) struct Pool {
    state: Mutex<PoolState>,
    cv: Condvar,
    max_threads: usize,
    /// Threads kept when idle (at least 1: the poller).
    min_threads: usize,
    /// How long a thread waits for a job before it leaves (down to `min_threads`).
    idle_exit: Duration,
    /// Pollers wait exclusively (one is woken per frame): keep a spare one waiting.
    exclusive: bool,
    /// The thread cap was hit (warned once, not per call).
    saturated: std::sync::atomic::AtomicBool,
    /// Wakes a poller when batched calls have waited [`RESCUE_AFTER`] (Linux; elsewhere calls
    /// read together are queued as jobs at once).
    #[cfg(linux_events)]
    rescue: Option<fdio::Timer>,
}

impl Pool {
    pub fn new(config: &Config) -> Self {
        Pool {
            state: Mutex::new(PoolState::default()),
            cv: Condvar::new(),
            max_threads: config.max_serving_threads.max(MIN_THREADS),
            min_threads: config.min_idle_threads.max(1),
            idle_exit: config.idle_exit,
            exclusive: cfg!(linux_events),
            saturated: std::sync::atomic::AtomicBool::new(false),
            #[cfg(linux_events)]
            rescue: match fdio::Timer::new() {
                Ok(timer) => Some(timer),
                Err(e) => {
                    log::debug!("no rescue timer ({e}): calls read together get a thread each");
                    None
                }
            },
        }
    }

    /// The rescue timer's descriptor, for the pollers to wait on.
    #[cfg(linux_events)]
    pub fn rescue_fd(&self) -> Option<std::os::fd::RawFd> {
        self.rescue.as_ref().map(fdio::Timer::fd)
    }

    /// Takes the calls a poller read in one go: returns the first, for the poller to serve,
    /// and keeps the rest for it to serve next, one after another, without waking a thread
    /// for each (a wake costs more than serving a typical call). A call that blocks must not
    /// hold up the ones behind it for long, nor deadlock with them: a timer wakes a poller
    /// after [`RESCUE_AFTER`], and calls that waited that long are queued as jobs, each to get
    /// a thread of its own (see [`Pool::rescue`]). Without a timer, the rest are queued at once.
    pub fn take_batch<C: PoolConn>(&self, conn: &Arc<C>, calls: Vec<IncomingCall>) -> Option<IncomingCall> {
        let mut calls = calls.into_iter();
        let first = calls.next()?;
        if calls.len() == 0 {
            return Some(first);
        }
        let mut st = lock(&self.state);
        if st.closed {
            return Some(first);
        }
        #[cfg(linux_events)]
        if let Some(timer) = &self.rescue {
            let now = Instant::now();
            st.batch.extend(calls.map(|call| (now, call)));
            if !st.rescue_armed {
                match timer.arm(RESCUE_AFTER) {
                    Ok(()) => st.rescue_armed = true,
                    Err(e) => {
                        Self::queue_batch(&mut st, &e);
                        self.send_searcher(conn, &mut st);
                    }
                }
            }
            return Some(first);
        }
        st.jobs.extend(calls.map(Job::Serve));
        self.send_searcher(conn, &mut st);
        Some(first)
    }

    /// Queues every batched call as a job, when the rescue timer cannot be set (nothing would
    /// rescue them otherwise). Returns how many there were.
    #[cfg(linux_events)]
    fn queue_batch(st: &mut PoolState, why: &std::io::Error) -> usize {
        log::warn!("cannot set the rescue timer ({why}): queueing batched calls");
        let waiting: Vec<_> = st.batch.drain(..).map(|(_, call)| Job::Serve(call)).collect();
        let n = waiting.len();
        st.jobs.extend(waiting);
        n
    }

    /// Rescues batched calls that waited [`RESCUE_AFTER`], for a poller standing aside while a
    /// calling thread leads the reads (it does not wait in epoll then, so it would not see the
    /// timer; the batched calls may be what that caller's reply waits for).
    pub fn rescue_if_due<C: PoolConn>(&self, conn: &Arc<C>) {
        #[cfg(linux_events)]
        {
            let due = lock(&self.state).batch.front().is_some_and(|(since, _)| since.elapsed() >= RESCUE_AFTER);
            if due {
                self.rescue(conn);
            }
        }
        #[cfg(not(linux_events))]
        let _ = conn;
    }

    /// The rescue timer expired (a poller saw it): batched calls that waited
    /// [`RESCUE_AFTER`] become jobs, and threads are sent for them; the timer is set again
    /// for younger ones.
    #[cfg(linux_events)]
    pub fn rescue<C: PoolConn>(&self, conn: &Arc<C>) {
        let Some(timer) = &self.rescue else { return };
        timer.clear();
        let mut st = lock(&self.state);
        st.rescue_armed = false;
        let now = Instant::now();
        let mut rescued = 0;
        while let Some((since, _)) = st.batch.front() {
            if now.duration_since(*since) < RESCUE_AFTER {
                break;
            }
            let (_, call) = st.batch.pop_front().expect("just looked");
            st.jobs.push_back(Job::Serve(call));
            rescued += 1;
        }
        if let Some((since, _)) = st.batch.front() {
            match timer.arm((*since + RESCUE_AFTER).saturating_duration_since(now)) {
                Ok(()) => st.rescue_armed = true,
                Err(e) => rescued += Self::queue_batch(&mut st, &e),
            }
        }
        if rescued > 0 {
            log::debug!("{rescued} call(s) waited behind a busy one; serving them apart");
            self.send_searcher(conn, &mut st);
        }
    }

    /// How a pool thread waits for the pipe: exclusively (Linux epoll, also woken by the
    /// rescue timer), so a second poller can stand by for free, or with plain `poll`.
    fn pipe_wait(&self, reader: &Reader) -> PipeWait {
        reader.pipe_wait(
            self.exclusive,
            #[cfg(linux_events)]
            self.rescue_fd(),
        )
    }

    /// Pollers to keep: with exclusive waits, a second one stands by, so the poller that reads
    /// a call can serve it without first waking a replacement; unless the connection keeps
    /// fewer than two threads when idle (pollers never leave, so they must fit in the floor).
    fn target_pollers(&self) -> usize {
        if self.exclusive && self.min_threads >= 2 {
            2
        } else {
            1
        }
    }

    /// The pool's threads now (started and not yet left), for tests.
    #[cfg(test)]
    pub fn threads(&self) -> usize {
        lock(&self.state).threads
    }

    pub fn start<C: PoolConn>(&self, conn: &Arc<C>) {
        let mut st = lock(&self.state);
        for _ in 0..self.min_threads {
            Self::spawn(conn, &mut st, false);
        }
    }

    pub fn submit<C: PoolConn>(&self, conn: &Arc<C>, job: Job) {
        let mut st = lock(&self.state);
        if st.closed {
            return;
        }
        st.jobs.push_back(job);
        self.send_searcher(conn, &mut st);
    }

    /// Makes sure a thread is on its way to the queued jobs: wakes an idle one or starts one,
    /// unless one is already on its way (it sends the next when it takes a job).
    fn send_searcher<C: PoolConn>(&self, conn: &Arc<C>, st: &mut PoolState) {
        if st.searching > 0 {
            return;
        }
        if st.idle > 0 {
            st.searching += 1;
            self.cv.notify_one();
        } else if st.threads - st.pollers < self.max_threads {
            st.searching += 1;
            Self::spawn(conn, st, true);
        } else if !self.saturated.swap(true, std::sync::atomic::Ordering::Relaxed) {
            log::warn!("all {} serving threads are busy; calls wait in the queue", self.max_threads);
        }
    }

    /// Marks the pool closed, wakes every thread so it leaves, and returns the jobs that will
    /// never run (for the caller to drop where their `Drop` is harmless).
    pub fn close(&self) -> Vec<Job> {
        let mut st = lock(&self.state);
        st.closed = true;
        let mut jobs: Vec<Job> = st.jobs.drain(..).collect();
        jobs.extend(st.batch.drain(..).map(|(_, call)| Job::Serve(call)));
        drop(st);
        self.cv.notify_all();
        jobs
    }

    /// Starts a thread; a `searcher` counts as on its way to the queue until it looks.
    fn spawn<C: PoolConn>(conn: &Arc<C>, st: &mut PoolState, searcher: bool) {
        let conn = conn.clone();
        let name = format!("plugin-rpc-{}", if conn.role() == Role::Host { "host" } else { "plugin" });
        match std::thread::Builder::new().name(name).spawn(move || worker(conn, searcher)) {
            Ok(_) => st.threads += 1,
            Err(e) => {
                if searcher {
                    st.searching -= 1;
                }
                log::error!("cannot start a connection thread: {e}")
            }
        }
    }

    /// Called when the poller leaves to serve a call: make sure another thread polls.
    fn replace_poller<C: PoolConn>(&self, conn: &Arc<C>, st: &mut PoolState) {
        if st.pollers > 0 || st.closed {
            return;
        }
        // An idle thread not already sent for a job; otherwise a new one. Either looks at the
        // queue first, so it counts as searching.
        st.searching += 1;
        if st.idle >= st.searching {
            self.cv.notify_one();
        } else {
            Self::spawn(conn, st, true);
        }
    }
}

fn worker<C: PoolConn>(conn: Arc<C>, mut searching: bool) {
    let pool = conn.pool();
    let mut wait = None;
    let mut st = lock(&pool.state);
    loop {
        if searching {
            searching = false;
            st.searching = st.searching.saturating_sub(1);
        }
        if st.closed {
            break;
        }
        // The pipe must always be read (a reply that a blocked call waits for may be on it), so
        // with no poller left this thread becomes one before it takes any work; the work gets
        // another thread.
        // Work waits while `max_threads` threads are serving; one of them takes it when done.
        let may_serve = st.serving < pool.max_threads;
        if st.pollers > 0 && may_serve {
            if let Some(job) = st.jobs.pop_front() {
                if !st.jobs.is_empty() {
                    pool.send_searcher(&conn, &mut st);
                }
                st.serving += 1;
                drop(st);
                run(&conn, job);
                st = lock(&pool.state);
                st.serving -= 1;
                continue;
            }
            if let Some((_, call)) = st.batch.pop_front() {
                st.serving += 1;
                drop(st);
                conn.serve(call);
                st = lock(&pool.state);
                st.serving -= 1;
                continue;
            }
        } else if st.pollers == 0 && !st.jobs.is_empty() {
            pool.send_searcher(&conn, &mut st);
        }
        if st.pollers < pool.target_pollers() {
            st.pollers += 1;
            drop(st);
            let calls = conn.reader().poll_loop(&conn, wait.get_or_insert_with(|| pool.pipe_wait(conn.reader())));
            let call = pool.take_batch(&conn, calls);
            st = lock(&pool.state);
            st.pollers -= 1;
            if let Some(call) = call {
                if st.serving >= pool.max_threads {
                    // At the cap: the call waits for a serving thread, and this one polls on.
                    st.jobs.push_back(Job::Serve(call));
                    continue;
                }
                pool.replace_poller(&conn, &mut st);
                st.serving += 1;
                drop(st);
                conn.serve(call);
                st = lock(&pool.state);
                st.serving -= 1;
            }
            continue;
        }
        st.idle += 1;
        let (guard, timed_out) = wait_timeout(&pool.cv, st, pool.idle_exit);
        st = guard;
        st.idle -= 1;
        // Woken (or timed out, or spuriously): either way this thread now looks at the queue,
        // so one fewer is on its way. Counting every return from the wait (saturating) can only
        // undercount, which sends an extra thread later; overcounting would strand the queue.
        st.searching = st.searching.saturating_sub(1);
        // Leave only when nothing needs this thread: a wake lost to the timeout (a job queued,
        // or the last poller to replace, in the same moment) must not leave the work or the
        // pipe without a thread; it loops and takes the job or becomes the poller. The
        // missing poller matters with a floor of one: the last poller, leaving to serve, sent
        // this thread to take its place.
        if timed_out && st.jobs.is_empty() && st.pollers > 0 && st.threads > pool.min_threads {
            break;
        }
    }
    st.threads -= 1;
}

fn run<C: PoolConn>(conn: &Arc<C>, job: Job) {
    match job {
        Job::Serve(call) => conn.serve(call),
        Job::Pump(state, source) => conn.pump(state, source),
        Job::Send(bytes) => conn.send_bytes(&bytes),
        Job::Flush(rest) => conn.flush(&rest),
        Job::Run(work) => work(),
    }
}
