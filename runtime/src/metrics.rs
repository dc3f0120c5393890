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
