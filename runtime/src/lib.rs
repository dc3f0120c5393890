//! The runtime that generated plugin RPC glue calls into.
//!
//! Generated code (from `cargo xtask pluginapi` or the `plugin-macros` attribute) stays thin: it
//! names the method, packs the arguments into a wire struct and hands them to the functions
//! here, which encode, carry and decode them. Everything generated code touches is reached by an
//! absolute path (`::plugin_runtime::...`), so the items re-exported below are its whole
//! contract.

mod call;
pub mod codec;
mod error;
#[doc(hidden)] // How generated code carries HTTP values; not an API of its own.
pub mod http_wire;
mod metrics;
mod pending;
pub mod process;
mod stream;
#[doc(hidden)] // Sample values for the generated round-trip tests.
pub mod testing;
pub mod transport;
pub mod unknown;

/// The steps generated clients and dispatchers take; hidden from the docs because nothing but
/// generated code should call them (their shapes change with the generator).
#[doc(hidden)]
pub use call::{
    decode_args, dispatch_catching, reply, reply_streaming, take_sink, take_stream, unknown_method, ClientCore,
};
pub use call::{Channel, Dispatch, Implements, InterfaceInfo, Loopback, MethodInfo, MethodSet, Request, Response};
pub use error::{not_implemented, RpcError};
#[doc(hidden)]
pub use metrics::time_call;
pub use metrics::CallMetrics;
#[doc(hidden)]
pub use pending::{finish_streaming, finish_value, Finish};
pub use pending::{AsyncChannel, CallFuture, PendingCall};
pub use stream::{ByteSink, ByteStream, SharedBuffer};
pub use transport::{is_cancelled, with_cancel, with_deadline, CancelToken, Connection};

/// Re-exported so generated code can derive serde traits through the runtime's path, and the
/// crate using the glue needs no serde dependency of its own.
pub use serde;

/// Re-exported for the same reason as [`serde`]: generated signatures name `http` types.
pub use http;
