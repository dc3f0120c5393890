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

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::conn::{lock, IncomingCall, Inner};
use super::streams::{self, SendState};
use crate::ByteStream;

/// A pool thread idle this long leaves (down to [`MIN_THREADS`]).
const IDLE_EXIT: Duration = Duration::from_secs(30);

/// Threads kept even when idle: the pollers and a spare to promote.
const MIN_THREADS: usize = 3;

/// Work for a pool thread.
pub(crate) enum Job {
    /// Serve a call the peer made.
    Serve(IncomingCall),
    /// Copy a local reader into a stream.
    Pump(Arc<SendState>, ByteStream),
    /// Write a small, already encoded frame.
    Send(Vec<u8>),
}

#[derive(Default)]
struct PoolState {
    jobs: VecDeque<Job>,
    threads: usize,
    /// Threads waiting on the condvar.
    idle: usize,
    pollers: usize,
    closed: bool,
}

pub(crate) struct Pool {
    state: Mutex<PoolState>,
    cv: Condvar,
    max_threads: usize,
    /// Pollers wait exclusively (one is woken per frame): keep a spare one waiting.
    exclusive: bool,
    /// The thread cap was hit (warned once, not per call).
    saturated: std::sync::atomic::AtomicBool,
}

impl Pool {
    pub fn new(max_threads: usize) -> Self {
        Pool {
            state: Mutex::new(PoolState::default()),
            cv: Condvar::new(),
            max_threads: max_threads.max(MIN_THREADS),
            exclusive: cfg!(target_os = "linux"),
            saturated: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub fn exclusive_wait(&self) -> bool {
        self.exclusive
    }

    /// Pollers to keep: with exclusive waits, a second one stands by, so the poller that reads
    /// a call can serve it without first waking a replacement.
    fn target_pollers(&self) -> usize {
        if self.exclusive {
            2
        } else {
            1
        }
    }

    pub fn start(&self, conn: &Arc<Inner>) {
        let mut st = lock(&self.state);
        for _ in 0..MIN_THREADS {
            Self::spawn(conn, &mut st);
        }
    }

    pub fn submit(&self, conn: &Arc<Inner>, job: Job) {
        let mut st = lock(&self.state);
        if st.closed {
            return;
        }
        st.jobs.push_back(job);
        if st.idle >= st.jobs.len() {
            self.cv.notify_one();
        } else if st.threads - st.pollers < self.max_threads {
            Self::spawn(conn, &mut st);
        } else if !self.saturated.swap(true, std::sync::atomic::Ordering::Relaxed) {
            log::warn!("all {} serving threads are busy; calls wait in the queue", self.max_threads);
        }
    }

    /// Marks the pool closed, wakes every thread so it leaves, and returns the jobs that will
    /// never run (for the caller to drop where their `Drop` is harmless).
    pub fn close(&self) -> Vec<Job> {
        let mut st = lock(&self.state);
        st.closed = true;
        let jobs = st.jobs.drain(..).collect();
        drop(st);
        self.cv.notify_all();
        jobs
    }

    fn spawn(conn: &Arc<Inner>, st: &mut PoolState) {
        let conn = conn.clone();
        let name = format!("plugin-rpc-{}", if conn.role == super::Role::Host { "host" } else { "plugin" });
        match std::thread::Builder::new().name(name).spawn(move || worker(conn)) {
            Ok(_) => st.threads += 1,
            Err(e) => log::error!("cannot start a connection thread: {e}"),
        }
    }

    /// Called when the poller leaves to serve a call: make sure another thread polls.
    fn replace_poller(&self, conn: &Arc<Inner>, st: &mut PoolState) {
        if st.pollers > 0 || st.closed {
            return;
        }
        if st.idle > st.jobs.len() {
            self.cv.notify_one();
        } else {
            Self::spawn(conn, st);
        }
    }
}

fn worker(conn: Arc<Inner>) {
    let pool = &conn.pool;
    let mut wait = None;
    let mut st = lock(&pool.state);
    loop {
        if st.closed {
            break;
        }
        if let Some(job) = st.jobs.pop_front() {
            drop(st);
            run(&conn, job);
            st = lock(&pool.state);
            continue;
        }
        if st.pollers < pool.target_pollers() {
            st.pollers += 1;
            drop(st);
            let call = conn.poll_loop(wait.get_or_insert_with(|| conn.pipe_wait()));
            st = lock(&pool.state);
            st.pollers -= 1;
            if let Some(call) = call {
                pool.replace_poller(&conn, &mut st);
                drop(st);
                conn.serve(call);
                st = lock(&pool.state);
            }
            continue;
        }
        st.idle += 1;
        let (guard, timeout) = pool.cv.wait_timeout(st, IDLE_EXIT).unwrap_or_else(|e| e.into_inner());
        st = guard;
        st.idle -= 1;
        if timeout.timed_out() && st.jobs.is_empty() && st.threads > MIN_THREADS {
            break;
        }
    }
    st.threads -= 1;
}

fn run(conn: &Arc<Inner>, job: Job) {
    match job {
        Job::Serve(call) => conn.serve(call),
        Job::Pump(state, source) => streams::pump(conn, state, source),
        Job::Send(bytes) => {
            let _ = conn.send(&[&bytes]);
        }
    }
}
