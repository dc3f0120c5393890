//! The two error types of the plugin surface: [`AppError`], upstream's `*model.AppError`, and
//! [`PluginError`], upstream's plain `error`. Both absorb an [`RpcError`] so that a call that
//! never reached the other side still comes back as an `Err` (fail-closed), and both can tell a
//! caller whether that is what happened.
//!
//! Both also absorb an `io::Error` (an internal error carrying its text), and convert into
//! `RpcError` (a transport failure stays itself, anything else is `RpcError::Failed`), so `?`
//! works in a hook whatever of the three error types it returns.

use plugin_runtime::unknown::UnknownFields;
use plugin_runtime::RpcError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An application error as the server reports it: an i18n id, a message for people, details for
/// logs and an HTTP status code. Upstream: `model.AppError` (all fields but the translation
/// parameters and the wrapped Go error, which are private to the Go value, so upstream's RPC
/// does not carry them either).
///
/// The fields live behind one box (read them directly: `err.message`, through `Deref`), so a
/// `Result<T, AppError>` stays as small as `Result<T, Box<_>>` on the success path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AppError(Box<AppErrorDetails>);

/// The fields of an [`AppError`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(default)]
pub struct AppErrorDetails {
    /// The i18n id, e.g. `app.user.get.app_error`.
    pub id: String,
    /// A message fit to show to a person.
    pub message: String,
    /// Details for logs and administrators.
    pub detailed_error: String,
    /// The id of the request that failed, when there was one.
    pub request_id: String,
    /// The HTTP status code that best describes the failure.
    pub status_code: i32,
    /// The function that produced the error.
    #[serde(rename = "where")]
    pub where_: String,
    /// True for an error of an OAuth flow, which the web app shows on its OAuth error page.
    #[serde(skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub is_oauth: bool,
    /// True when `message` is final text that must not be translated again. Hidden from JSON
    /// upstream but carried by its RPC, hence the Go name.
    #[serde(rename = "SkipTranslation", skip_serializing_if = "plugin_runtime::codec::is_default")]
    pub skip_translation: bool,
    /// Set when the call failed in transport rather than in the server: the RPC failure itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpc: Option<RpcError>,
    /// Fields a newer peer sent that this build does not know, sent back unchanged.
    #[serde(skip)]
    pub unknown_fields: UnknownFields,
}
plugin_runtime::keep_unknown_fields!(AppErrorDetails);

impl AppError {
    /// The id given to errors that stand for a failed RPC call.
    pub const RPC_ERROR_ID: &'static str = "plugin.rpc.call_failed";

    /// The id given to a plugin's own failures that have no id of their own (an I/O error, or
    /// any error a plugin returns with `?`): see [`AppError::internal`].
    pub const INTERNAL_ERROR_ID: &'static str = "plugin.internal_error";

    /// A new error with an id, where it happened, a message and a status code.
    pub fn new(id: &str, where_: &str, message: &str, status_code: i32) -> Self {
        AppError::from(AppErrorDetails {
            id: id.to_owned(),
            where_: where_.to_owned(),
            message: message.to_owned(),
            status_code,
            ..AppErrorDetails::default()
        })
    }

    /// An internal error (500, [`AppError::INTERNAL_ERROR_ID`], where `plugin`) whose message
    /// is `message`: what `?` makes of an error that is not an `AppError`.
    pub fn internal(message: impl fmt::Display) -> Self {
        AppError::new(AppError::INTERNAL_ERROR_ID, "plugin", &message.to_string(), 500)
    }

    /// The transport failure behind this error, if the call never completed.
    pub fn rpc_error(&self) -> Option<&RpcError> {
        self.0.rpc.as_ref()
    }

    /// The fields, by value.
    pub fn into_details(self) -> AppErrorDetails {
        *self.0
    }
}

impl From<AppErrorDetails> for AppError {
    fn from(details: AppErrorDetails) -> Self {
        AppError(Box::new(details))
    }
}

impl std::ops::Deref for AppError {
    type Target = AppErrorDetails;
    fn deref(&self) -> &AppErrorDetails {
        &self.0
    }
}

impl std::ops::DerefMut for AppError {
    fn deref_mut(&mut self) -> &mut AppErrorDetails {
        &mut self.0
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.where_, self.message)?;
        if !self.detailed_error.is_empty() {
            write!(f, ", {}", self.detailed_error)?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

impl From<RpcError> for AppError {
    fn from(err: RpcError) -> Self {
        AppError::from(AppErrorDetails {
            id: AppError::RPC_ERROR_ID.to_owned(),
            message: "The plugin RPC call failed.".to_owned(),
            detailed_error: err.to_string(),
            status_code: 500,
            where_: "plugin.rpc".to_owned(),
            rpc: Some(err),
            ..AppErrorDetails::default()
        })
    }
}

/// `?` on an I/O error in a method that returns `AppError`: an internal error with the I/O
/// error's text (or, for a reader over a call that failed, that call's `RpcError`).
impl From<std::io::Error> for AppError {
    fn from(err: std::io::Error) -> Self {
        match RpcError::from(err) {
            RpcError::Failed { message } => AppError::internal(message),
            rpc => AppError::from(rpc),
        }
    }
}

/// `?` on an `AppError` in a method whose error type is `RpcError`: the transport failure
/// behind it, if that is what it is, else [`RpcError::Failed`] with its text.
impl From<AppError> for RpcError {
    fn from(err: AppError) -> Self {
        let message = err.to_string();
        err.into_details().rpc.unwrap_or(RpcError::Failed { message })
    }
}

/// A plain error (upstream's Go `error`): a message, or the RPC failure that stopped the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PluginError {
    /// The called method failed and said why.
    Message(String),
    /// The call failed in transport and never completed.
    Rpc(RpcError),
}

impl PluginError {
    /// An error with a message.
    pub fn msg(message: impl Into<String>) -> Self {
        PluginError::Message(message.into())
    }

    /// The transport failure behind this error, if the call never completed.
    pub fn rpc_error(&self) -> Option<&RpcError> {
        match self {
            PluginError::Rpc(err) => Some(err),
            PluginError::Message(_) => None,
        }
    }
}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PluginError::Message(message) => f.write_str(message),
            PluginError::Rpc(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for PluginError {}

impl From<RpcError> for PluginError {
    fn from(err: RpcError) -> Self {
        PluginError::Rpc(err)
    }
}

impl From<String> for PluginError {
    fn from(message: String) -> Self {
        PluginError::Message(message)
    }
}

impl From<&str> for PluginError {
    fn from(message: &str) -> Self {
        PluginError::Message(message.to_owned())
    }
}

impl From<AppError> for PluginError {
    fn from(err: AppError) -> Self {
        let message = err.to_string();
        match err.into_details().rpc {
            Some(rpc) => PluginError::Rpc(rpc),
            None => PluginError::Message(message),
        }
    }
}

/// `?` on an I/O error in a method that returns `PluginError`: a message with the I/O error's
/// text (or, for a reader over a call that failed, that call's `RpcError`).
impl From<std::io::Error> for PluginError {
    fn from(err: std::io::Error) -> Self {
        match RpcError::from(err) {
            RpcError::Failed { message } => PluginError::Message(message),
            rpc => PluginError::Rpc(rpc),
        }
    }
}

/// `?` on a `PluginError` in a method whose error type is `RpcError`.
impl From<PluginError> for RpcError {
    fn from(err: PluginError) -> Self {
        match err {
            PluginError::Rpc(rpc) => rpc,
            PluginError::Message(message) => RpcError::Failed { message },
        }
    }
}
