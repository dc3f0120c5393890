//! Forwards a plugin's stdout and stderr to the `log` crate line by line, each on its own
//! thread: the plugin's output never mixes with the RPC pipes, and a plugin that floods its
//! output is drained as fast as the logger takes it, without holding up anything else.

use std::io::{self, BufRead, BufReader, Read};
use std::thread::{self, JoinHandle};

/// Longer lines are logged in pieces of this many bytes, so one endless line cannot grow
/// memory.
const MAX_LINE: usize = 16 * 1024;

/// Starts a thread that logs each line of `reader` at info level with target `plugin::<id>`.
pub(crate) fn forward(
    reader: impl Read + Send + 'static,
    id: String,
    stream: &'static str,
) -> io::Result<JoinHandle<()>> {
    thread::Builder::new().name(format!("plugin-{stream}")).spawn(move || {
        let target = format!("plugin::{id}");
        let mut reader = BufReader::with_capacity(MAX_LINE, reader);
        let mut line = Vec::with_capacity(256);
        loop {
            line.clear();
            match read_line_bounded(&mut reader, &mut line, MAX_LINE) {
                Ok(0) => break,
                Ok(_) => {
                    let text = String::from_utf8_lossy(trim_newline(&line));
                    log::info!(target: &target, "{stream}: {text}");
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
    })
}

/// Reads up to and including the next newline, or `max` bytes, whichever comes first.
fn read_line_bounded(reader: &mut impl BufRead, out: &mut Vec<u8>, max: usize) -> io::Result<usize> {
    let mut total = 0;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(total);
        }
        let room = max - out.len();
        if let Some(i) = buf.iter().take(room).position(|&b| b == b'\n') {
            out.extend_from_slice(&buf[..=i]);
            reader.consume(i + 1);
            return Ok(total + i + 1);
        }
        let n = buf.len().min(room);
        out.extend_from_slice(&buf[..n]);
        reader.consume(n);
        total += n;
        if out.len() >= max {
            return Ok(total);
        }
    }
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_and_bounded() {
        let text = format!("one\r\ntwo\n{}\nlast", "x".repeat(40));
        let mut reader = BufReader::with_capacity(8, text.as_bytes());
        let mut lines = Vec::new();
        let mut line = Vec::new();
        while read_line_bounded(&mut reader, &mut line, 16).unwrap() > 0 {
            lines.push(String::from_utf8(trim_newline(&line).to_vec()).unwrap());
            line.clear();
        }
        assert_eq!(
            lines,
            ["one", "two", "x".repeat(16).as_str(), "x".repeat(16).as_str(), "x".repeat(8).as_str(), "last"]
        );
    }
}
