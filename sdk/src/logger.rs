//! A `log` backend for plugins: each record goes to the server's log through the API's
//! `log_debug` / `log_info` / `log_warn` / `log_error`, with its key/values as `LogField`s, and
//! the server tags the line with the plugin's id. So `log::info!(user = id; "greeted")` in a
//! plugin reads `plugin com.example.hello: greeted user="u1"` in the server's log.
//!
//! A record goes to the plugin's stderr instead (which the server also logs, as the plugin's
//! output) when sending it could not work or could hang:
//! - before the connection serves (a record logged while the plugin is being built, in
//!   [`serve!`](crate::serve!)'s constructor, would be written before the handshake ends);
//! - records of the runtime itself (`plugin_runtime::...`, warnings and errors only): the
//!   transport reporting on itself must not go through that transport, and may do so on its
//!   reader thread, which a call would wait on forever;
//! - a record logged while this thread is already sending one (by the API client, or by a
//!   test double): no recursion;
//! - a record the server did not take (the call failed, or the server lacks the method).

use api_definitions::api::Api;
use api_definitions::model::{LogField, LogValue};
use log::kv::{self, Key, Value, VisitSource};
use log::{Level, LevelFilter, Log, Metadata, Record};
use plugin_runtime::RpcError;
use std::cell::Cell;
#[cfg(not(test))]
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// A `log::Log` that forwards records to the server through `api` (see the module docs).
pub struct ApiLogger<A> {
    api: A,
    level: LevelFilter,
    /// False until the connection serves calls: until then records go to stderr.
    connected: AtomicBool,
}

impl<A: Api> ApiLogger<A> {
    /// A logger that sends records at `level` and above through `api` from now on.
    pub fn new(api: A, level: LevelFilter) -> Self {
        ApiLogger { api, level, connected: AtomicBool::new(true) }
    }

    /// A logger that writes records to stderr until [`ApiLogger::connected`] is called.
    pub(crate) fn before_connection(api: A, level: LevelFilter) -> Self {
        ApiLogger { api, level, connected: AtomicBool::new(false) }
    }

    /// The connection serves calls: send records from now on.
    pub(crate) fn connected(&self) {
        // Called on every call the plugin serves: read first, so serving threads do not keep
        // writing the same cache line.
        if !self.connected.load(Ordering::Acquire) {
            self.connected.store(true, Ordering::Release);
        }
    }

    /// Makes this the process's logger (`log::set_logger`) at its level. Fails, leaving the
    /// logger in place, if the process already has one.
    pub fn install(self) -> Result<&'static Self, log::SetLoggerError>
    where
        A: 'static,
    {
        let level = self.level;
        // A logger lives as long as the process: `log` keeps a `&'static`.
        let logger: &'static Self = Box::leak(Box::new(self));
        log::set_logger(logger)?;
        log::set_max_level(level);
        Ok(logger)
    }

    /// Sends `record` to the server.
    fn send(&self, record: &Record<'_>) -> Result<(), RpcError> {
        let formatted;
        let message = match record.args().as_str() {
            Some(text) => text,
            None => {
                formatted = record.args().to_string();
                &formatted
            }
        };
        let fields = fields(record.key_values());
        match record.level() {
            Level::Error => self.api.log_error(message, &fields),
            Level::Warn => self.api.log_warn(message, &fields),
            Level::Info => self.api.log_info(message, &fields),
            // The API has no trace level; trace records pass only when the level lets them.
            Level::Debug | Level::Trace => self.api.log_debug(message, &fields),
        }
    }
}

impl<A: Api> Log for ApiLogger<A> {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= self.level
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        if record.target().starts_with("plugin_runtime") {
            // Only its warnings and errors: the server logs stderr lines at info level, and
            // would promote the transport's debug chatter (a connection closing) to that.
            if record.level() <= Level::Warn {
                to_stderr(record, None);
            }
            return;
        }
        if !self.connected.load(Ordering::Acquire) {
            return to_stderr(record, None);
        }
        let Some(_sending) = Sending::enter() else {
            return to_stderr(record, None);
        };
        if let Err(e) = self.send(record) {
            to_stderr(record, Some(&e));
        }
    }

    fn flush(&self) {}
}

thread_local! {
    /// Whether this thread is sending a record to the server.
    static SENDING: Cell<bool> = const { Cell::new(false) };
}

/// Marks this thread as sending a record until dropped (also when a panic unwinds through it, as
/// a test double's "unexpected call" does).
struct Sending;

impl Sending {
    /// `None` when this thread is already sending one, or is being torn down (its thread-locals
    /// are gone, so it cannot tell).
    fn enter() -> Option<Sending> {
        SENDING.try_with(|sending| (!sending.replace(true)).then_some(Sending)).ok().flatten()
    }
}

impl Drop for Sending {
    fn drop(&mut self) {
        let _ = SENDING.try_with(|sending| sending.set(false));
    }
}

/// The record as one line on stderr: level, target, message, fields, and why it was not sent.
/// Errors writing are ignored: a plugin whose stderr is gone has nowhere left to log to.
fn to_stderr(record: &Record<'_>, unsent: Option<&RpcError>) {
    let mut line = format!("{} {}: {}", record.level(), record.target(), record.args());
    for field in fields(record.key_values()) {
        line.push_str(&format!(" {}={}", field.key, field.value));
    }
    if let Some(e) = unsent {
        line.push_str(&format!(" (not sent to the server: {e})"));
    }
    line.push('\n');
    #[cfg(not(test))]
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
    // The SDK's own tests: through the test harness's output capture, which only `eprint!`
    // reaches, so passing tests stay quiet. (`eprint!` panics when stderr is gone, which a
    // plugin must not.)
    #[cfg(test)]
    eprint!("{line}");
}

/// The record's key/values as the API's fields, in the order they were written.
fn fields(source: &dyn kv::Source) -> Vec<LogField> {
    struct Collect(Vec<LogField>);
    impl<'kvs> VisitSource<'kvs> for Collect {
        fn visit_pair(&mut self, key: Key<'kvs>, value: Value<'kvs>) -> Result<(), kv::Error> {
            self.0.push(LogField { key: key.as_str().to_owned(), value: log_value(&value) });
            Ok(())
        }
    }
    let mut collect = Collect(Vec::with_capacity(source.count()));
    // Collecting cannot fail.
    let _ = source.visit(&mut collect);
    collect.0
}

/// A `log` value as the API's typed value: numbers and booleans keep their type (integers as
/// `Int` when they fit, as upstream's), everything else is its text.
fn log_value(value: &Value<'_>) -> LogValue {
    if let Some(v) = value.to_bool() {
        LogValue::Bool(v)
    } else if let Some(v) = value.to_i64() {
        LogValue::Int(v)
    } else if let Some(v) = value.to_u64() {
        LogValue::Uint(v)
    } else if let Some(v) = value.to_f64() {
        LogValue::Float(v)
    } else if let Some(v) = value.to_borrowed_str() {
        LogValue::Str(v.to_owned())
    } else {
        LogValue::Str(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// Logs through `logger` as `log::info!(...)` would, without installing it process-wide
    /// (tests run in parallel).
    fn log(logger: &dyn Log, level: Level, target: &str, message: std::fmt::Arguments<'_>, kvs: &[(&str, Value<'_>)]) {
        logger.log(&Record::builder().level(level).target(target).args(message).key_values(&kvs).build());
    }

    /// What an API was asked to log: the method, the message and the fields.
    type Line = (&'static str, String, Vec<LogField>);

    /// How a [`Recorder`] answers a line, by its message.
    type Answer = fn(&str) -> Result<(), RpcError>;

    /// An API that records the lines it is asked to log, answers each with what `answer`
    /// says, and may log again itself while doing so (as a client reporting on its own calls
    /// would). Only the log methods: any other call is a "not implemented" error.
    #[derive(Default)]
    struct Recorder {
        lines: Arc<Mutex<Vec<Line>>>,
        answer: Option<Answer>,
        logs_again_through: Mutex<Option<Arc<ApiLogger<Recorder>>>>,
    }

    impl Recorder {
        fn record(&self, method: &'static str, msg: &str, fields: &[LogField]) -> Result<(), RpcError> {
            self.lines.lock().unwrap().push((method, msg.to_owned(), fields.to_vec()));
            let again = self.logs_again_through.lock().unwrap().clone();
            if let Some(logger) = again {
                log(&*logger, Level::Info, "client", format_args!("inner"), &[]);
            }
            self.answer.map_or(Ok(()), |answer| answer(msg))
        }
    }

    impl Api for Recorder {
        fn log_debug(&self, msg: &str, fields: &[LogField]) -> Result<(), RpcError> {
            self.record("log_debug", msg, fields)
        }
        fn log_info(&self, msg: &str, fields: &[LogField]) -> Result<(), RpcError> {
            self.record("log_info", msg, fields)
        }
        fn log_warn(&self, msg: &str, fields: &[LogField]) -> Result<(), RpcError> {
            self.record("log_warn", msg, fields)
        }
        fn log_error(&self, msg: &str, fields: &[LogField]) -> Result<(), RpcError> {
            self.record("log_error", msg, fields)
        }
    }

    fn recorder() -> (Recorder, Arc<Mutex<Vec<Line>>>) {
        let recorder = Recorder::default();
        let lines = recorder.lines.clone();
        (recorder, lines)
    }

    fn line(method: &'static str, msg: &str, fields: Vec<LogField>) -> Line {
        (method, msg.to_owned(), fields)
    }

    #[test]
    fn levels_map_to_the_api_methods_with_typed_fields() {
        let (api, lines) = recorder();
        let logger = ApiLogger::new(api, LevelFilter::Trace);
        let path = String::from("/hello");
        let kvs = [
            ("user", Value::from("u1")),
            ("count", Value::from(3u8)),
            ("big", Value::from(u64::MAX)),
            ("ratio", Value::from(0.5)),
            ("first", Value::from(true)),
            ("path", Value::from_display(&path)),
        ];
        log(&logger, Level::Info, "hello", format_args!("greeted {}", "alice"), &kvs);
        log(&logger, Level::Error, "hello", format_args!("boom"), &[]);
        log(&logger, Level::Warn, "hello", format_args!("careful"), &[]);
        log(&logger, Level::Debug, "hello", format_args!("details"), &[]);
        log(&logger, Level::Trace, "hello", format_args!("more details"), &[]);
        let fields = vec![
            LogField::new("user", "u1"),
            LogField::new("count", 3i64),
            LogField::new("big", u64::MAX),
            LogField::new("ratio", 0.5),
            LogField::new("first", true),
            LogField::new("path", "/hello"),
        ];
        assert_eq!(
            *lines.lock().unwrap(),
            [
                line("log_info", "greeted alice", fields),
                line("log_error", "boom", vec![]),
                line("log_warn", "careful", vec![]),
                line("log_debug", "details", vec![]),
                line("log_debug", "more details", vec![]),
            ]
        );
    }

    #[test]
    fn the_log_macros_reach_the_logger_with_their_key_values() {
        // What a plugin writes, through a logger installed for this test binary alone (the only
        // test here that installs one).
        let (api, lines) = recorder();
        ApiLogger::new(api, LevelFilter::Info).install().unwrap();
        let user = "u1";
        log::info!(user, attempt = 2; "greeted {}", "alice");
        log::debug!("below the level");
        assert_eq!(
            *lines.lock().unwrap(),
            [line("log_info", "greeted alice", vec![LogField::new("user", "u1"), LogField::new("attempt", 2i64)])]
        );
    }

    #[test]
    fn records_below_the_level_are_not_sent() {
        let (api, lines) = recorder();
        let logger = ApiLogger::new(api, LevelFilter::Info);
        assert!(!logger.enabled(&Metadata::builder().level(Level::Debug).build()));
        log(&logger, Level::Debug, "hello", format_args!("details"), &[]);
        assert!(lines.lock().unwrap().is_empty());
    }

    #[test]
    fn nothing_is_sent_before_the_connection_serves_nor_for_the_runtime() {
        let (api, lines) = recorder();
        let logger = ApiLogger::before_connection(api, LevelFilter::Info);
        log(&logger, Level::Info, "hello", format_args!("building"), &[]);
        logger.connected();
        log(&logger, Level::Info, "plugin_runtime::transport", format_args!("pipe closed"), &[]);
        log(&logger, Level::Info, "hello", format_args!("serving"), &[]);
        assert_eq!(*lines.lock().unwrap(), [line("log_info", "serving", vec![])]);
    }

    #[test]
    fn a_record_logged_while_sending_one_is_not_sent() {
        let (api, lines) = recorder();
        let logger = Arc::new(ApiLogger::new(api, LevelFilter::Info));
        *logger.api.logs_again_through.lock().unwrap() = Some(logger.clone());
        log(&*logger, Level::Info, "hello", format_args!("outer"), &[]);
        log(&*logger, Level::Info, "hello", format_args!("again"), &[]);
        // "inner", logged by the API while sending each, went to stderr, not round again.
        assert_eq!(*lines.lock().unwrap(), [line("log_info", "outer", vec![]), line("log_info", "again", vec![])]);
        // Break the cycle so the test does not leak it.
        logger.api.logs_again_through.lock().unwrap().take();
    }

    #[test]
    fn a_failed_send_neither_panics_nor_stops_later_records() {
        let (mut api, lines) = recorder();
        api.answer = Some(|msg| match msg {
            "lost" => Err(RpcError::Disconnected { detail: "server went away".into() }),
            _ => Ok(()),
        });
        let logger = ApiLogger::new(api, LevelFilter::Info);
        log(&logger, Level::Warn, "hello", format_args!("lost"), &[]);
        log(&logger, Level::Warn, "hello", format_args!("kept"), &[]);
        assert_eq!(lines.lock().unwrap().len(), 2);
    }

    #[test]
    fn a_panicking_api_leaves_the_thread_able_to_send_again() {
        let (mut api, lines) = recorder();
        api.answer = Some(|msg| match msg {
            "first" => panic!("unexpected call"),
            _ => Ok(()),
        });
        let logger = ApiLogger::new(api, LevelFilter::Info);
        let first = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            log(&logger, Level::Info, "hello", format_args!("first"), &[]);
        }));
        assert!(first.is_err());
        log(&logger, Level::Info, "hello", format_args!("second"), &[]);
        assert_eq!(lines.lock().unwrap().len(), 2);
    }
}
