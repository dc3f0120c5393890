//! Locking and parking helpers the transport's layers share: a lock that ignores poisoning, a
//! queue of parked threads waiting for their turn, and [`Wakee`], whoever waits for an event
//! (a parked thread or an async task).

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::task::Waker;
use std::thread::Thread;
use std::time::Duration;

/// Who to wake when an event arrives: a thread parked for it (blocking callers and readers),
/// or an async task polling for it (the async client's calls and streams).
#[derive(Clone)]
pub(crate) enum Wakee {
    Thread(Thread),
    Task(Waker),
}

impl Wakee {
    pub fn wake(self) {
        match self {
            Wakee::Thread(t) => t.unpark(),
            Wakee::Task(w) => w.wake(),
        }
    }

    /// Replaces `slot` with the current thread, unless it already holds it (no clone then).
    pub fn set_thread(slot: &mut Option<Wakee>, me: Thread) {
        if !matches!(slot, Some(Wakee::Thread(t)) if t.id() == me.id()) {
            *slot = Some(Wakee::Thread(me));
        }
    }

    /// Replaces `slot` with the task's waker, unless it already holds one that wakes the same
    /// task.
    pub fn set_task(slot: &mut Option<Wakee>, waker: &Waker) {
        if !matches!(slot, Some(Wakee::Task(w)) if w.will_wake(waker)) {
            *slot = Some(Wakee::Task(waker.clone()));
        }
    }
}

/// Locks a mutex, ignoring poisoning: every critical section here leaves its data consistent
/// at each step, and a panicking implementation must not take the connection down.
#[inline]
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Waits on a condition variable, ignoring poisoning (see [`lock`]).
#[inline]
pub(crate) fn wait<'a, T>(cv: &Condvar, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
    cv.wait(guard).unwrap_or_else(|e| e.into_inner())
}

/// Waits on a condition variable for at most `timeout`, ignoring poisoning (see [`lock`]); true
/// when the time ran out.
#[inline]
pub(crate) fn wait_timeout<'a, T>(
    cv: &Condvar,
    guard: MutexGuard<'a, T>,
    timeout: Duration,
) -> (MutexGuard<'a, T>, bool) {
    let (guard, result) = cv.wait_timeout(guard, timeout).unwrap_or_else(|e| e.into_inner());
    (guard, result.timed_out())
}

/// Threads parked until it is their turn (to lead the reads), woken first come, first served.
#[derive(Default)]
pub(crate) struct ParkQueue {
    threads: Mutex<VecDeque<Thread>>,
}

impl ParkQueue {
    /// Adds a thread at the back.
    pub fn push(&self, thread: Thread) {
        lock(&self.threads).push_back(thread);
    }

    /// Takes a thread out of the queue (it no longer waits), wherever it is.
    pub fn remove(&self, thread: &Thread) {
        let mut threads = lock(&self.threads);
        if let Some(pos) = threads.iter().position(|t| t.id() == thread.id()) {
            threads.remove(pos);
        }
    }

    /// Wakes the thread at the front, taking it out of the queue.
    pub fn wake_one(&self) {
        if let Some(next) = lock(&self.threads).pop_front() {
            next.unpark();
        }
    }

    /// Wakes every thread, emptying the queue.
    pub fn wake_all(&self) {
        for t in lock(&self.threads).drain(..) {
            t.unpark();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::thread;

    #[test]
    fn lock_survives_a_poisoned_mutex() {
        let m = Arc::new(Mutex::new(1));
        let m2 = m.clone();
        let _ = thread::spawn(move || {
            let _g = m2.lock().unwrap();
            panic!("poison it");
        })
        .join();
        assert!(m.is_poisoned());
        assert_eq!(*lock(&m), 1);
    }

    #[test]
    fn park_queue_wakes_in_order_and_forgets_removed_threads() {
        let q = ParkQueue::default();
        let me = thread::current();
        q.push(me.clone());
        q.push(me.clone());
        q.remove(&me);
        assert_eq!(lock(&q.threads).len(), 1);
        q.wake_one();
        assert!(lock(&q.threads).is_empty());
        q.push(me.clone());
        q.push(me);
        q.wake_all();
        assert!(lock(&q.threads).is_empty());
    }
}
