//! Plugins' pipes read on tokio's own event loop: the first async call to a plugin starts a
//! task that watches the connection's read end (`AsyncFd`) and handles what arrives, so the
//! plugin's replies wake the requests waiting for them on the worker that read them, with no
//! hand-off from a connection thread. The connection's own pollers stay as the safety net
//! (they back off while this task reads), so if this task cannot start, nothing is lost but
//! time. A second task flushes the connection's corked calls: the calls requests start in one
//! turn of the worker go to the plugin in one write (see `CallCork`).

use plugin_runtime::transport::{Available, CallCork, ExternalReader};
use plugin_runtime::Connection;
use tokio::io::unix::AsyncFd;
use tokio::io::Interest;

/// Starts the watching task for `connection`, once per connection (later calls do nothing).
pub fn watch(connection: &Connection) {
    if let Some(reader) = connection.external_reader() {
        tokio::spawn(read_loop(reader));
        if let Some(cork) = connection.cork_async_calls() {
            tokio::spawn(flush_loop(cork));
        }
    }
}

/// Flushes the held calls once per turn: the first call held wakes this task, which yields
/// until the worker has run the other ready tasks (and polled its event loop), whose calls are
/// then held too, and writes them all at once. Ends when the connection closes.
async fn flush_loop(cork: CallCork) {
    while std::future::poll_fn(|cx| cork.poll_ready(cx)).await {
        tokio::task::yield_now().await;
        cork.flush();
    }
}

async fn read_loop(reader: ExternalReader) {
    // SAFETY: the descriptor is the connection's read end, which the connection owns and
    // closes only when its last handle goes; the reader is such a handle and lives inside the
    // `AsyncFd`, so the descriptor stays open, and the same, for the `AsyncFd`'s whole life.
    let registered = unsafe { AsyncFd::register_with_interest(reader, Interest::READABLE) };
    let fd = match registered {
        Ok(fd) => fd,
        Err(e) => {
            log::debug!("cannot watch a plugin's pipe on the async runtime ({e}); its own threads read it");
            return;
        }
    };
    loop {
        let Ok(mut ready) = fd.readable().await else { return };
        match ready.get_inner().read_available() {
            // Empty, or another thread reads it now: wait for the next readiness.
            Available::Drained | Available::Busy => ready.clear_ready(),
            // A whole batch: more may be there; let other tasks run first.
            Available::More => {
                drop(ready);
                tokio::task::yield_now().await;
            }
            Available::Closed => return,
        }
    }
}
