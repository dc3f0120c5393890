//! `?` across the three error types a method can return: an `io::Error` becomes the method's
//! own failure (never a lost connection), and a transport failure stays a transport failure
//! through every conversion.

use crate::model::{AppError, PluginError};
use plugin_runtime::RpcError;
use std::io;

fn broken_pipe() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "upload stream: broken pipe")
}

#[test]
fn an_io_error_is_the_plugins_own_failure_in_each_error_type() {
    let app = AppError::from(broken_pipe());
    assert_eq!((app.id.as_str(), app.where_.as_str(), app.status_code), (AppError::INTERNAL_ERROR_ID, "plugin", 500));
    assert_eq!(app.message, "upload stream: broken pipe");
    assert_eq!(app.rpc_error(), None);
    assert_eq!(PluginError::from(broken_pipe()), PluginError::msg("upload stream: broken pipe"));
    assert_eq!(RpcError::from(broken_pipe()), RpcError::Failed { message: "upload stream: broken pipe".into() });
}

#[test]
fn an_io_error_around_a_failed_call_is_that_call_failure() {
    let lost = RpcError::Disconnected { detail: "server went away".into() };
    assert_eq!(AppError::from(io::Error::other(lost.clone())).rpc_error(), Some(&lost));
    assert_eq!(PluginError::from(io::Error::other(lost.clone())), PluginError::Rpc(lost));
}

#[test]
fn app_and_plugin_errors_become_rpc_errors_for_hooks_that_have_no_other() {
    let store = AppError::new("app.plugin.kv", "kv_get", "The store is down.", 500);
    assert_eq!(RpcError::from(store), RpcError::Failed { message: "kv_get: The store is down.".into() });
    let timeout = RpcError::Timeout { after_ms: 500 };
    assert_eq!(RpcError::from(AppError::from(timeout.clone())), timeout);
    assert_eq!(RpcError::from(PluginError::msg("no config")), RpcError::Failed { message: "no config".into() });
    assert_eq!(RpcError::from(PluginError::Rpc(timeout.clone())), timeout);
}
