//! Where the generated timing layer reports each call: the counterpart of upstream's
//! `ObservePluginAPIDuration` / `ObservePluginHookDuration` metrics interface.

use crate::{InterfaceInfo, MethodInfo};
use std::time::Duration;

/// Receives one observation per call made through a generated timing layer.
pub trait CallMetrics: Send + Sync {
    /// `method` of `interface` took `elapsed` and returned `Ok` (`success`) or `Err`.
    fn observe_call(
        &self,
        interface: &'static InterfaceInfo,
        method: &'static MethodInfo,
        elapsed: Duration,
        success: bool,
    );
}

impl<M: CallMetrics + ?Sized> CallMetrics for &M {
    fn observe_call(
        &self,
        interface: &'static InterfaceInfo,
        method: &'static MethodInfo,
        elapsed: Duration,
        success: bool,
    ) {
        (**self).observe_call(interface, method, elapsed, success)
    }
}

impl<M: CallMetrics + ?Sized> CallMetrics for std::sync::Arc<M> {
    fn observe_call(
        &self,
        interface: &'static InterfaceInfo,
        method: &'static MethodInfo,
        elapsed: Duration,
        success: bool,
    ) {
        (**self).observe_call(interface, method, elapsed, success)
    }
}

/// One call through a generated timing layer: runs `call`, then reports how long it took and
/// whether it succeeded. (The layer's methods are this one line each, rather than the timing
/// written out per method.)
#[doc(hidden)]
pub fn time_call<T, E, M: CallMetrics + ?Sized>(
    metrics: &M,
    interface: &'static InterfaceInfo,
    method: &'static MethodInfo,
    call: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    let start = std::time::Instant::now();
    let result = call();
    metrics.observe_call(interface, method, start.elapsed(), result.is_ok());
    result
}
