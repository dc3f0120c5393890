//! Keeping plugins alive: the health settings, and the one thread per environment that pings
//! running plugins and carries out scheduled restarts. A plugin that exits is noticed at once by
//! the runtime's exit watcher (upstream notices only at the next ping); the pings catch a plugin
//! that hangs.

use super::{lock, Driver, Environment, Inner};
use std::sync::{Condvar, Mutex, Weak};
use std::time::{Duration, Instant};

/// When a plugin counts as failed, and what happens then.
#[derive(Debug, Clone)]
pub struct HealthConfig {
    /// Ping running plugins at all (upstream: `PluginSettings.EnableHealthCheck`).
    pub enabled: bool,
    /// Time between two rounds of pings (upstream: 30 s).
    pub ping_interval: Duration,
    /// How long one ping may take.
    pub ping_timeout: Duration,
    /// Failed pings in a row that count as one failure (upstream: 3).
    pub failed_pings: u32,
    /// Failures within [`failure_window`](Self::failure_window) after which the plugin is left
    /// "failed to stay running" (upstream: 3 within an hour).
    pub max_failures: u32,
    pub failure_window: Duration,
    /// Delay before the first restart; doubled for each further failure in the window, up to
    /// [`max_backoff`](Self::max_backoff).
    pub backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for HealthConfig {
    fn default() -> Self {
        HealthConfig {
            enabled: true,
            ping_interval: Duration::from_secs(30),
            ping_timeout: Duration::from_secs(5),
            failed_pings: 3,
            max_failures: 3,
            failure_window: Duration::from_secs(60 * 60),
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
        }
    }
}

impl HealthConfig {
    /// The delay before restarting after the `failures`-th failure in the window.
    pub fn backoff(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(16);
        self.backoff.saturating_mul(1 << doublings).min(self.max_backoff)
    }
}

/// A duration in the words the failure message uses.
pub(super) fn minutes(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 && secs.is_multiple_of(60) {
        format!("{} minutes", secs / 60)
    } else {
        format!("{d:?}")
    }
}

/// Restarts due, and the signal that wakes the health thread.
#[derive(Default)]
pub(super) struct Schedule {
    state: Mutex<ScheduleState>,
    wake: Condvar,
}

#[derive(Default)]
struct ScheduleState {
    restarts: Vec<(Instant, String, u64)>,
    stopped: bool,
}

impl Schedule {
    pub(super) fn schedule(&self, id: String, generation: u64, at: Instant) {
        lock(&self.state).restarts.push((at, id, generation));
        self.wake.notify_all();
    }

    pub(super) fn stop(&self) {
        lock(&self.state).stopped = true;
        self.wake.notify_all();
    }
}

/// Starts the environment's health thread; it ends when the environment is shut down or
/// dropped (it holds only a weak reference).
pub(super) fn start<D: Driver>(inner: Weak<Inner<D>>) {
    let spawned = std::thread::Builder::new().name("plugin-health".into()).spawn(move || run(inner));
    if let Err(e) = spawned {
        log::error!("cannot start the plugin health thread: {e}; plugins will not be restarted");
    }
}

fn run<D: Driver>(weak: Weak<Inner<D>>) {
    let mut next_ping = Instant::now();
    loop {
        let Some(inner) = weak.upgrade() else { return };
        let health = inner.config.health.clone();
        if health.enabled && Instant::now() >= next_ping {
            next_ping = Instant::now() + health.ping_interval;
            Environment { inner: inner.clone() }.check_health();
        }
        let due = take_due(&inner);
        let Some(due) = due else { return };
        for (id, generation) in due {
            Environment { inner: inner.clone() }.restart_scheduled(&id, generation);
        }
        // Sleep until the next ping or restart, waking early for a newly scheduled restart; at
        // most a second, so a dropped environment ends this thread soon.
        let state = lock(&inner.health.state);
        if state.stopped {
            return;
        }
        let next_restart = state.restarts.iter().map(|r| r.0).min();
        let wake_at = match (health.enabled, next_restart) {
            (true, Some(r)) => r.min(next_ping),
            (true, None) => next_ping,
            (false, Some(r)) => r,
            (false, None) => Instant::now() + Duration::from_secs(1),
        };
        let timeout = wake_at.saturating_duration_since(Instant::now()).min(Duration::from_secs(1));
        drop(inner.health.wake.wait_timeout(state, timeout));
    }
}

/// The restarts that are due, or `None` once the environment shut down.
fn take_due<D: Driver>(inner: &Inner<D>) -> Option<Vec<(String, u64)>> {
    let mut state = lock(&inner.health.state);
    if state.stopped {
        return None;
    }
    let now = Instant::now();
    let (due, later) = std::mem::take(&mut state.restarts).into_iter().partition(|r| r.0 <= now);
    state.restarts = later;
    Some(due.into_iter().map(|(_, id, generation)| (id, generation)).collect::<Vec<_>>())
}
