//! A plugin's stdout and stderr are not the RPC channel: they are read line by line on their
//! own threads and forwarded to the `log` crate under the target `plugin::<id>`, so a stray
//! `println!` breaks nothing and a plugin flooding its output cannot stall its calls.

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use pluginapi_tests::fixture::Greeter;
use support::*;

/// Keeps the forwarded lines that are not flood lines, and counts the flood lines.
struct Capture {
    lines: Mutex<Vec<(String, String)>>,
    flood_lines: AtomicU64,
}

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        if !record.target().starts_with("plugin::") {
            return;
        }
        let message = record.args().to_string();
        if message.contains("flood line") {
            self.flood_lines.fetch_add(1, Ordering::Relaxed);
        } else {
            self.lines.lock().unwrap().push((record.target().to_owned(), message));
        }
    }

    fn flush(&self) {}
}

static CAPTURE: Capture = Capture { lines: Mutex::new(Vec::new()), flood_lines: AtomicU64::new(0) };

fn install_logger() {
    let _ = log::set_logger(&CAPTURE);
    log::set_max_level(log::LevelFilter::Info);
}

fn saw(target: &str, text: &str) -> bool {
    CAPTURE.lines.lock().unwrap().iter().any(|(t, m)| t == target && m.contains(text))
}

#[test]
fn stray_prints_are_logged_and_break_nothing() {
    install_logger();
    let mut config = host_config();
    config.id = "printer".into();
    let h = start_with(&[], config);
    assert_eq!(h.plugin.greet("stdout").unwrap().text, "printed");
    assert_eq!(h.plugin.greet("after").unwrap().text, "hello after");
    eventually("the stray lines to be logged", || {
        saw("plugin::printer", "stdout: a stray println from the plugin")
            && saw("plugin::printer", "stderr: a stray eprintln from the plugin")
    });
}

#[test]
fn a_plugin_flooding_its_output_does_not_stall_calls() {
    install_logger();
    let mut config = host_config();
    config.id = "flooder".into();
    let h = start_with(&[], config);
    let lines_per_stream = 50_000;
    assert_eq!(h.plugin.greet(&format!("flood:{lines_per_stream}")).unwrap().text, "flooding");
    // Calls keep working while about 20 MB of output pours in.
    for i in 0..300 {
        assert_eq!(h.plugin.greet(&i.to_string()).unwrap().text, format!("hello {i}"));
    }
    eventually("both floods to finish", || {
        saw("plugin::flooder", "flood done on stream 0") && saw("plugin::flooder", "flood done on stream 1")
    });
    eventually("every flood line to be forwarded", || {
        CAPTURE.flood_lines.load(Ordering::Relaxed) >= 2 * lines_per_stream
    });
}
