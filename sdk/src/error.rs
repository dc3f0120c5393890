//! Errors for `?` in plugin code. A hook returns one of three error types (`AppError`,
//! `PluginError`, or `RpcError` for hooks upstream gave no error), and `?` needs a conversion
//! into that type. `io::Error` converts into all three as it is (next to each type). Any other
//! error goes through [`Error`]: helpers return [`Result<T>`] and use `?` on anything, and a
//! hook uses `?` on their result, or `.context("...")?` on any `Result` ([`ErrorContext`]).
//!
//! [`Error`] deliberately does not implement `std::error::Error` (as `anyhow::Error` does not):
//! that is what lets it convert from every error type without overlapping `From<T> for T`.

use api_definitions::model::{AppError, PluginError};
use plugin_runtime::RpcError;
use std::fmt;

/// `Result` with [`Error`] as its default error: the return type of a plugin's helpers.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Any error, with the context it was given on the way up, convertible into the error type of
/// every hook with `?`.
///
/// The conversions keep what the server needs to know: an `AppError` inside converts back into
/// itself (id, status and all), a transport failure (`RpcError`, also inside an `AppError` or
/// `PluginError`) stays that transport failure, and anything else becomes the hook type's
/// "plugin failed" error (`AppError::internal`, `PluginError::Message`, `RpcError::Failed`)
/// with the whole chain as its message: `"counting the post: store is down"`.
pub struct Error {
    /// Outermost first: what the plugin was doing, then what it was doing inside that.
    context: Vec<String>,
    cause: Box<dyn std::error::Error + Send + Sync + 'static>,
}

impl Error {
    /// An error with just a message.
    pub fn msg(message: impl fmt::Display) -> Self {
        Error { context: Vec::new(), cause: message.to_string().into() }
    }

    /// This error, saying what was being done when it happened.
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.context.insert(0, context.to_string());
        self
    }

    /// The original error, to inspect (`err.cause().downcast_ref::<io::Error>()`).
    pub fn cause(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.cause
    }

    /// The transport failure this error is, if it is one: an `RpcError`, or an `AppError` or
    /// `PluginError` that carries one.
    pub fn rpc_error(&self) -> Option<&RpcError> {
        let cause = self.cause();
        cause
            .downcast_ref::<RpcError>()
            .or_else(|| cause.downcast_ref::<AppError>().and_then(AppError::rpc_error))
            .or_else(|| cause.downcast_ref::<PluginError>().and_then(PluginError::rpc_error))
    }

    fn into_cause<E: std::error::Error + 'static>(self) -> std::result::Result<(Vec<String>, E), Self> {
        match self.cause.downcast::<E>() {
            Ok(cause) => Ok((self.context, *cause)),
            Err(cause) => Err(Error { context: self.context, cause }),
        }
    }
}

impl fmt::Display for Error {
    /// The context, then the cause and its sources, joined by `": "`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for context in &self.context {
            write!(f, "{context}: ")?;
        }
        write!(f, "{}", self.cause)?;
        let mut source = self.cause.source();
        while let Some(inner) = source {
            write!(f, ": {inner}")?;
            source = inner.source();
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error").field("context", &self.context).field("cause", &self.cause).finish()
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for Error {
    fn from(err: E) -> Self {
        Error { context: Vec::new(), cause: Box::new(err) }
    }
}

/// Joins the context and `message` as [`Error`]'s `Display` does.
fn with_context(context: &[String], message: &str) -> String {
    let mut text = String::new();
    for c in context {
        text.push_str(c);
        text.push_str(": ");
    }
    text.push_str(message);
    text
}

impl From<Error> for AppError {
    fn from(err: Error) -> Self {
        if let Some(rpc) = err.rpc_error().cloned() {
            return AppError::from(rpc);
        }
        match err.into_cause::<AppError>() {
            // The server's own error (its id, status and message) goes back as it came; the
            // context goes into the details, for the log.
            Ok((context, mut app)) => {
                if !context.is_empty() {
                    app.detailed_error = match app.detailed_error.as_str() {
                        "" => context.join(": "),
                        details => with_context(&context, details),
                    };
                }
                app
            }
            Err(err) => AppError::internal(err),
        }
    }
}

impl From<Error> for PluginError {
    fn from(err: Error) -> Self {
        match err.rpc_error() {
            Some(rpc) => PluginError::Rpc(rpc.clone()),
            None => PluginError::Message(err.to_string()),
        }
    }
}

impl From<Error> for RpcError {
    fn from(err: Error) -> Self {
        match err.rpc_error() {
            Some(rpc) => rpc.clone(),
            None => RpcError::Failed { message: err.to_string() },
        }
    }
}

/// `.context("what I was doing")` on any `Result` (and on `Option`: `None` becomes an error
/// with that message), giving a [`Result`] that `?` converts into every hook's error type.
pub trait ErrorContext<T> {
    /// The error, saying what was being done.
    fn context(self, context: impl fmt::Display) -> Result<T>;

    /// Like [`context`](ErrorContext::context), with the text made only on error.
    fn with_context<C: fmt::Display>(self, context: impl FnOnce() -> C) -> Result<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> ErrorContext<T> for std::result::Result<T, E> {
    fn context(self, context: impl fmt::Display) -> Result<T> {
        self.map_err(|e| Error::from(e).context(context))
    }

    fn with_context<C: fmt::Display>(self, context: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|e| Error::from(e).context(context()))
    }
}

impl<T> ErrorContext<T> for Result<T> {
    fn context(self, context: impl fmt::Display) -> Result<T> {
        self.map_err(|e| e.context(context))
    }

    fn with_context<C: fmt::Display>(self, context: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|e| e.context(context()))
    }
}

impl<T> ErrorContext<T> for Option<T> {
    fn context(self, context: impl fmt::Display) -> Result<T> {
        self.ok_or_else(|| Error::msg(context))
    }

    fn with_context<C: fmt::Display>(self, context: impl FnOnce() -> C) -> Result<T> {
        self.ok_or_else(|| Error::msg(context()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    fn not_found() -> io::Error {
        io::Error::new(io::ErrorKind::NotFound, "settings.json: no such file")
    }

    #[test]
    fn any_error_becomes_each_hooks_plugin_failure_with_its_context() {
        let failed = || Err::<(), _>(not_found()).context("loading the settings").unwrap_err();
        let rpc = RpcError::from(failed());
        assert_eq!(rpc, RpcError::Failed { message: "loading the settings: settings.json: no such file".into() });
        let app = AppError::from(failed());
        assert_eq!(
            (app.id.as_str(), app.status_code, app.where_.as_str()),
            (AppError::INTERNAL_ERROR_ID, 500, "plugin")
        );
        assert_eq!(app.message, "loading the settings: settings.json: no such file");
        assert_eq!(PluginError::from(failed()), PluginError::msg("loading the settings: settings.json: no such file"));
    }

    #[test]
    fn an_app_error_comes_back_as_itself_with_the_context_in_its_details() {
        let original = AppError::new("app.user.missing_account.const", "get_user", "No such user.", 404);
        let err = Err::<(), _>(original.clone()).context("greeting").unwrap_err();
        let back = AppError::from(err);
        assert_eq!(
            (back.id.as_str(), back.status_code, back.message.as_str()),
            (original.id.as_str(), 404, "No such user.")
        );
        assert_eq!(back.detailed_error, "greeting");
        // Without context it is the very same error.
        assert_eq!(AppError::from(Error::from(original.clone())), original);
    }

    #[test]
    fn a_transport_failure_stays_a_transport_failure() {
        let lost = RpcError::Disconnected { detail: "server went away".into() };
        let inside_app = || Error::from(AppError::from(lost.clone())).context("counting");
        assert_eq!(RpcError::from(inside_app()), lost);
        assert_eq!(PluginError::from(inside_app()), PluginError::Rpc(lost.clone()));
        assert_eq!(AppError::from(inside_app()).rpc_error(), Some(&lost));
        assert_eq!(RpcError::from(Error::from(PluginError::Rpc(lost.clone()))), lost);
    }

    #[test]
    fn sources_are_part_of_the_message() {
        #[derive(Debug)]
        struct Outer(io::Error);
        impl fmt::Display for Outer {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("cannot read the template")
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let err = Error::from(Outer(not_found())).context("activating");
        assert_eq!(err.to_string(), "activating: cannot read the template: settings.json: no such file");
        assert!(err.cause().downcast_ref::<Outer>().is_some());
    }

    #[test]
    fn a_missing_value_is_an_error_with_the_context_as_message() {
        let err = None::<u8>.context("no user id on the request").unwrap_err();
        assert_eq!(RpcError::from(err), RpcError::Failed { message: "no user id on the request".into() });
    }

    /// What the conversions are for: `?` straight in hooks of each error type.
    #[test]
    fn question_mark_works_in_every_kind_of_hook() {
        fn parse(text: &str) -> Result<u64> {
            Ok(text.trim().parse::<u64>()?)
        }
        fn rpc_hook(text: &str) -> std::result::Result<u64, RpcError> {
            let n = parse(text)?;
            std::fs::metadata("/nonexistent/plugin-sdk-test")?;
            Ok(n)
        }
        fn app_hook(text: &str) -> std::result::Result<u64, AppError> {
            Ok(parse(text).context("reading the count")?)
        }
        fn plugin_hook() -> std::result::Result<(), PluginError> {
            std::fs::read("/nonexistent/plugin-sdk-test")?;
            Ok(())
        }
        assert!(
            matches!(rpc_hook("x"), Err(RpcError::Failed { message }) if message == "invalid digit found in string")
        );
        assert!(matches!(rpc_hook("1"), Err(RpcError::Failed { message }) if message.contains("No such file")));
        assert_eq!(app_hook("x").unwrap_err().message, "reading the count: invalid digit found in string");
        assert!(matches!(plugin_hook(), Err(PluginError::Message(m)) if m.contains("No such file")));
    }
}
