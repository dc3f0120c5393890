//! The time the store reads when it sets or checks an expiry: the system clock in the server,
//! a clock the caller moves by hand in tests (expiry is then tested without sleeping).

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, upstream's unit for `ExpireAt` (`model.GetMillis`).
pub trait Clock: Send + Sync {
    fn now_millis(&self) -> i64;
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> i64 {
        // A clock before 1970 is a broken machine; reading it as the epoch keeps expiry
        // arithmetic defined instead of panicking in every KV call.
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

/// A clock that stands still until told to move: for tests, and for replaying a sequence of
/// operations at chosen times.
#[derive(Debug, Default)]
pub struct ManualClock {
    now: AtomicI64,
}

impl ManualClock {
    pub fn new(now_millis: i64) -> ManualClock {
        ManualClock { now: AtomicI64::new(now_millis) }
    }

    pub fn set(&self, now_millis: i64) {
        self.now.store(now_millis, Ordering::SeqCst);
    }

    pub fn advance(&self, millis: i64) {
        self.now.fetch_add(millis, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }
}
