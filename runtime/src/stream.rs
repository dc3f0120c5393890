//! Byte streams that travel as call arguments and results: [`ByteStream`] is data the receiver
//! reads (upstream's `io.Reader`), [`ByteSink`] is where the receiver writes data that flows
//! back to the caller (upstream's `io.Writer`).
//!
//! Streams never pass through the serde codec: generated code moves them beside the encoded
//! arguments (see [`crate::Request`]), so a transport can carry them as flow-controlled chunks
//! while the rest of the call stays a small frame.

use std::fmt;
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};

/// A readable stream of bytes handed from one side of a call to the other.
pub struct ByteStream {
    inner: Box<dyn Read + Send>,
}

impl ByteStream {
    /// Wraps any reader.
    pub fn new(reader: impl Read + Send + 'static) -> Self {
        ByteStream { inner: Box::new(reader) }
    }

    /// A stream with no bytes.
    pub fn empty() -> Self {
        ByteStream::new(io::empty())
    }

    /// Reads the whole stream into memory.
    pub fn read_all(mut self) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        self.inner.read_to_end(&mut out)?;
        Ok(out)
    }

    /// The underlying reader.
    pub fn into_reader(self) -> Box<dyn Read + Send> {
        self.inner
    }
}

impl Read for ByteStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::empty()
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ByteStream { .. }")
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream::new(io::Cursor::new(bytes))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        ByteStream::new(bytes)
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        ByteStream::from(text.into_bytes())
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        ByteStream::from(text.as_bytes())
    }
}

/// A writable destination for bytes that the receiver of a call produces for the caller.
pub struct ByteSink {
    inner: Box<dyn Write + Send>,
}

impl ByteSink {
    /// Wraps any writer.
    pub fn new(writer: impl Write + Send + 'static) -> Self {
        ByteSink { inner: Box::new(writer) }
    }

    /// A sink that drops everything written to it.
    pub fn discard() -> Self {
        ByteSink::new(io::sink())
    }

    /// The underlying writer.
    pub fn into_writer(self) -> Box<dyn Write + Send> {
        self.inner
    }
}

impl Write for ByteSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Default for ByteSink {
    fn default() -> Self {
        ByteSink::discard()
    }
}

impl fmt::Debug for ByteSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ByteSink { .. }")
    }
}

/// A cloneable in-memory buffer: give one clone to a [`ByteSink`], read the other afterwards.
#[derive(Clone, Default, Debug)]
pub struct SharedBuffer {
    bytes: Arc<Mutex<Vec<u8>>>,
}

impl SharedBuffer {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// A sink that appends to this buffer.
    pub fn sink(&self) -> ByteSink {
        ByteSink::new(self.clone())
    }

    /// A copy of everything written so far.
    pub fn contents(&self) -> Vec<u8> {
        self.bytes.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
