//! Per-call deadlines and cancellation without touching generated code: a thread-local scope
//! that [`with_deadline`] and [`with_cancel`] set around a block of calls, and that the
//! transport reads when a call starts. On the serving side the transport sets the scope around
//! each dispatch from the caller's deadline and a token the caller's CANCEL trips, so an
//! implementation can ask [`is_cancelled`] and its own nested calls inherit both.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::thread::Thread;
use std::time::{Duration, Instant};

use super::io::WakePipe;
use super::sync::lock;

/// A handle that cancels the calls made under it ([`with_cancel`]). Cloning shares the token.
#[derive(Clone, Default)]
pub struct CancelToken {
    inner: Arc<TokenInner>,
}

#[derive(Default)]
struct TokenInner {
    cancelled: AtomicBool,
    next_key: AtomicU64,
    /// Threads waiting in calls under this token, woken when it is cancelled.
    waiters: Mutex<Vec<(u64, Waiter)>>,
}

/// A thread waiting for a call, and the wake pipe of the connection whose reads it may be
/// leading (blocked in `poll`, where only that pipe reaches it). Weak: a token outliving the
/// connection must not keep its descriptors open.
#[derive(Clone)]
pub(crate) struct Waiter {
    pub thread: Thread,
    pub wake: Weak<WakePipe>,
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every call made under this token: waiting calls return
    /// [`RpcError::Cancelled`](crate::RpcError::Cancelled) at once and the peer is told; later
    /// calls under it fail without being sent.
    pub fn cancel(&self) {
        if self.inner.cancelled.swap(true, Ordering::SeqCst) {
            return;
        }
        let waiters = lock(&self.inner.waiters).clone();
        for (_, w) in waiters {
            w.thread.unpark();
            if let Some(wake) = w.wake.upgrade() {
                wake.wake();
            }
        }
    }

    /// Whether [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    pub(crate) fn register(&self, waiter: Waiter) -> u64 {
        let key = self.inner.next_key.fetch_add(1, Ordering::Relaxed);
        lock(&self.inner.waiters).push((key, waiter));
        key
    }

    pub(crate) fn unregister(&self, key: u64) {
        lock(&self.inner.waiters).retain(|(k, _)| *k != key);
    }
}

impl std::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CancelToken").field("cancelled", &self.is_cancelled()).finish()
    }
}

/// What the calls made on this thread right now are bound by.
#[derive(Clone, Default)]
pub(crate) struct Scope {
    pub deadline: Option<Instant>,
    pub tokens: Vec<CancelToken>,
}

impl Scope {
    pub fn cancelled(&self) -> bool {
        self.tokens.iter().any(CancelToken::is_cancelled)
    }
}

thread_local! {
    static SCOPE: RefCell<Scope> = RefCell::new(Scope::default());
}

/// The scope in force on this thread.
pub(crate) fn current() -> Scope {
    SCOPE.with(|s| {
        let s = s.borrow();
        // The common case (no scope) allocates nothing.
        if s.deadline.is_none() && s.tokens.is_empty() {
            Scope::default()
        } else {
            s.clone()
        }
    })
}

/// Restores the previous scope when a scoped block ends, even by unwinding.
struct Restore(Option<Scope>);

impl Drop for Restore {
    fn drop(&mut self) {
        if let Some(prev) = self.0.take() {
            SCOPE.with(|s| *s.borrow_mut() = prev);
        }
    }
}

fn scoped<R>(change: impl FnOnce(&mut Scope), f: impl FnOnce() -> R) -> R {
    let prev = SCOPE.with(|s| {
        let mut s = s.borrow_mut();
        let prev = s.clone();
        change(&mut s);
        prev
    });
    let _restore = Restore(Some(prev));
    f()
}

/// Runs `f` with every call it makes through a process transport bound by a deadline `timeout`
/// from now: a call still waiting then returns [`RpcError::Timeout`](crate::RpcError::Timeout),
/// the peer is told to cancel, and the late reply is discarded. It replaces the channel's
/// default timeout; nested scopes can only shorten the deadline.
///
/// ```ignore
/// let greeting = plugin_runtime::with_deadline(Duration::from_secs(2), || client.greet("ann"));
/// ```
pub fn with_deadline<R>(timeout: Duration, f: impl FnOnce() -> R) -> R {
    let deadline = Instant::now().checked_add(timeout);
    scoped(
        |s| {
            s.deadline = match (s.deadline, deadline) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        },
        f,
    )
}

/// Runs `f` with every call it makes through a process transport cancellable by `token`.
/// Scopes nest: a call is cancelled by any token in force.
pub fn with_cancel<R>(token: &CancelToken, f: impl FnOnce() -> R) -> R {
    scoped(|s| s.tokens.push(token.clone()), f)
}

/// Runs `f` in exactly `scope` (the serving side's scope of one incoming call).
pub(crate) fn with_scope<R>(scope: Scope, f: impl FnOnce() -> R) -> R {
    scoped(|s| *s = scope, f)
}

thread_local! {
    /// What to do once the next blocking call on this thread has written its CALL frame (see
    /// [`with_after_send`]).
    static AFTER_SEND: RefCell<Option<Box<dyn FnOnce()>>> = const { RefCell::new(None) };
}

/// Clears what [`with_after_send`] set when its block ends, even by unwinding, whether or not a
/// call used it.
struct ClearAfterSend(Option<Box<dyn FnOnce()>>);

impl Drop for ClearAfterSend {
    fn drop(&mut self) {
        let previous = self.0.take();
        AFTER_SEND.with(|a| *a.borrow_mut() = previous);
    }
}

/// Runs `f`; the first blocking call it makes on this thread runs `then` right after its CALL
/// frame is written, before it waits for the reply. For `Connection::with_heads_up`.
pub(crate) fn with_after_send<R>(then: Box<dyn FnOnce()>, f: impl FnOnce() -> R) -> R {
    let previous = AFTER_SEND.with(|a| a.borrow_mut().replace(then));
    let _clear = ClearAfterSend(previous);
    f()
}

/// Called by a blocking call once its CALL frame is written: runs what [`with_after_send`] set,
/// once.
pub(crate) fn after_send() {
    // Taken out before it runs, so that it runs once and may itself call.
    if let Some(then) = AFTER_SEND.with(|a| a.borrow_mut().take()) {
        then();
    }
}

/// In an implementation serving a call from the peer: whether the caller gave up (it cancelled,
/// its deadline passed, or the connection closed). Long-running implementations can poll this
/// and stop early; the result is discarded either way. Outside a call: whether a
/// [`with_cancel`] token in force was cancelled or a [`with_deadline`] deadline passed.
pub fn is_cancelled() -> bool {
    SCOPE.with(|s| {
        let s = s.borrow();
        s.cancelled() || s.deadline.is_some_and(|d| Instant::now() >= d)
    })
}
