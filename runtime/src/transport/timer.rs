//! Deadlines of async calls: one thread per process wakes each async call whose deadline
//! passes before its reply arrives. A blocking caller watches its own deadline while it waits;
//! a task cannot, and the transport depends on no async runtime's timers.
//!
//! Entries are kept in order of deadline and removed when their call ends, so the table holds
//! only calls in flight. The thread sleeps until the earliest deadline it saw, and is woken
//! only for a deadline earlier than that: calls share one timeout, so under load it wakes
//! about once per timeout, not once per call (a removed entry's wake-up is kept, and finds
//! nothing due).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, Weak};
use std::time::Instant;

use super::calls::CallSlot;
use super::sync::{lock, wait, wait_timeout};

/// An entry in the table, for removing it.
pub(crate) struct TimerKey(Instant, u64);

struct Timers {
    entries: Mutex<Table>,
    changed: Condvar,
    next: AtomicU64,
}

#[derive(Default)]
struct Table {
    entries: BTreeMap<(Instant, u64), Weak<CallSlot>>,
    /// When the thread wakes up next (`None`: only when told).
    wakes_at: Option<Instant>,
}

/// The table, and whether its thread runs (`None`: it could not be started).
fn timers() -> Option<&'static Timers> {
    static TIMERS: OnceLock<Option<&'static Timers>> = OnceLock::new();
    *TIMERS.get_or_init(|| {
        let timers: &'static Timers = Box::leak(Box::new(Timers {
            entries: Mutex::new(Table::default()),
            changed: Condvar::new(),
            next: AtomicU64::new(0),
        }));
        match std::thread::Builder::new().name("plugin-rpc-timer".into()).spawn(move || run(timers)) {
            Ok(_) => Some(timers),
            Err(e) => {
                log::warn!("cannot start the deadline thread ({e}): async calls end at their deadline only when the peer gives up");
                None
            }
        }
    })
}

/// Wakes `slot`'s task at `deadline`; `None` when no deadline thread could be started.
pub(crate) fn add(deadline: Instant, slot: &Arc<CallSlot>) -> Option<TimerKey> {
    let timers = timers()?;
    let key = TimerKey(deadline, timers.next.fetch_add(1, Ordering::Relaxed));
    let mut table = lock(&timers.entries);
    table.entries.insert((key.0, key.1), Arc::downgrade(slot));
    let sooner = table.wakes_at.is_none_or(|at| deadline < at);
    if sooner {
        table.wakes_at = Some(deadline);
    }
    drop(table);
    if sooner {
        timers.changed.notify_one();
    }
    Some(key)
}

/// Forgets a deadline (its call ended).
pub(crate) fn remove(key: &TimerKey) {
    if let Some(timers) = timers() {
        lock(&timers.entries).entries.remove(&(key.0, key.1));
    }
}

fn run(timers: &Timers) {
    let mut table = lock(&timers.entries);
    loop {
        let now = Instant::now();
        let mut due = Vec::new();
        while let Some(entry) = table.entries.first_entry() {
            if entry.key().0 > now {
                break;
            }
            due.push(entry.remove());
        }
        if !due.is_empty() {
            drop(table);
            for slot in due.iter().filter_map(Weak::upgrade) {
                slot.nudge();
            }
            table = lock(&timers.entries);
            continue;
        }
        table.wakes_at = table.entries.first_key_value().map(|((at, _), _)| *at);
        table = match table.wakes_at {
            Some(at) => wait_timeout(&timers.changed, table, at.saturating_duration_since(now)).0,
            None => wait(&timers.changed, table),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::{Wake, Waker};
    use std::time::Duration;

    struct Flag(std::sync::mpsc::Sender<Instant>);
    impl Wake for Flag {
        fn wake(self: Arc<Self>) {
            let _ = self.0.send(Instant::now());
        }
    }

    #[test]
    fn a_deadline_wakes_its_task_and_a_removed_one_does_not() {
        let (tx, rx) = std::sync::mpsc::channel();
        let waker = Waker::from(Arc::new(Flag(tx)));
        let (kept, removed) = (CallSlot::for_task(), CallSlot::for_task());
        assert!(kept.poll(&waker).is_none());
        assert!(removed.poll(&waker).is_none());
        let start = Instant::now();
        let _key = add(start + Duration::from_millis(30), &kept).expect("the timer thread runs");
        let key = add(start + Duration::from_millis(10), &removed).expect("the timer thread runs");
        remove(&key);
        let woken = rx.recv_timeout(Duration::from_secs(5)).expect("the deadline woke the task");
        assert!(woken >= start + Duration::from_millis(30), "woken at the kept deadline, not the removed one");
        assert!(rx.recv_timeout(Duration::from_millis(50)).is_err(), "woken once");
    }
}
