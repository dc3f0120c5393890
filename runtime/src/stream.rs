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
    inner: Source,
}

/// Bytes already in memory are kept as such, so a transport can send a small body with its
/// call or reply from the calling thread instead of handing a reader to another thread.
enum Source {
    Memory(io::Cursor<Vec<u8>>),
    Reader(Box<dyn Read + Send>),
}

impl ByteStream {
    /// Wraps any reader.
    pub fn new(reader: impl Read + Send + 'static) -> Self {
        ByteStream { inner: Source::Reader(Box::new(reader)) }
    }

    /// A stream with no bytes.
    pub fn empty() -> Self {
        ByteStream::from(Vec::new())
    }

    /// Reads the whole stream into memory.
    pub fn read_all(self) -> io::Result<Vec<u8>> {
        match self.inner {
            Source::Memory(cursor) => Ok(remaining(cursor)),
            Source::Reader(mut reader) => {
                let mut out = Vec::new();
                reader.read_to_end(&mut out)?;
                Ok(out)
            }
        }
    }

    /// The underlying reader.
    pub fn into_reader(self) -> Box<dyn Read + Send> {
        match self.inner {
            Source::Memory(cursor) => Box::new(cursor),
            Source::Reader(reader) => reader,
        }
    }

    /// The bytes not yet read, if the stream holds them in memory (made from a `Vec`, a
    /// `String` or [`empty`](Self::empty)); otherwise the stream back, untouched.
    pub fn into_bytes(self) -> Result<Vec<u8>, ByteStream> {
        match self.inner {
            Source::Memory(cursor) => Ok(remaining(cursor)),
            reader => Err(ByteStream { inner: reader }),
        }
    }
}

fn remaining(cursor: io::Cursor<Vec<u8>>) -> Vec<u8> {
    let position = usize::try_from(cursor.position()).unwrap_or(usize::MAX);
    let mut bytes = cursor.into_inner();
    bytes.drain(..position.min(bytes.len()));
    bytes
}

impl Read for ByteStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.inner {
            Source::Memory(cursor) => cursor.read(buf),
            Source::Reader(reader) => reader.read(buf),
        }
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
        ByteStream { inner: Source::Memory(io::Cursor::new(bytes)) }
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
