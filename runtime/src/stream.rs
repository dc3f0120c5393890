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
use std::task::{Context, Poll};

/// A readable stream of bytes handed from one side of a call to the other.
pub struct ByteStream {
    inner: Source,
}

/// Bytes already in memory are kept as such, so a transport can send a small body with its
/// call or reply from the calling thread instead of handing a reader to another thread.
enum Source {
    Memory(io::Cursor<Vec<u8>>),
    Reader(Box<dyn Read + Send>),
    /// Bytes arriving from the peer, readable by an async task without blocking.
    Polled(Box<dyn PollRead>),
}

/// A reader whose chunks an async task can also take without blocking: the transport's
/// streams from the peer.
pub(crate) trait PollRead: Read + Send {
    /// The next chunk (`None` at the end), or `Pending` with the task registered to be woken.
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>>;
}

impl ByteStream {
    /// Wraps any reader. A cursor over bytes already in memory (`Cursor<Vec<u8>>` or
    /// `Cursor<String>`, at any position) is recognised and kept as memory, as if made with
    /// `ByteStream::from`: a plugin that answers `ByteStream::new(Cursor::new(body))` gets the
    /// same one-frame reply.
    pub fn new<R: Read + Send + 'static>(reader: R) -> Self {
        // `Any` on an `Option` lets the reader be taken out by value once its type is known,
        // without boxing it first (and losing `Read` on the other path).
        let mut slot = Some(reader);
        let any: &mut dyn std::any::Any = &mut slot;
        if let Some(cursor) = any.downcast_mut::<Option<io::Cursor<Vec<u8>>>>().and_then(Option::take) {
            return ByteStream { inner: Source::Memory(cursor) };
        }
        if let Some(cursor) = any.downcast_mut::<Option<io::Cursor<String>>>().and_then(Option::take) {
            let position = cursor.position();
            let mut bytes = io::Cursor::new(cursor.into_inner().into_bytes());
            bytes.set_position(position);
            return ByteStream { inner: Source::Memory(bytes) };
        }
        let reader = slot.expect("taken only when its type matched");
        ByteStream { inner: Source::Reader(Box::new(reader)) }
    }

    /// A stream an async task can read (see [`ByteStream::poll_chunk`]).
    pub(crate) fn polled(reader: impl PollRead + 'static) -> Self {
        ByteStream { inner: Source::Polled(Box::new(reader)) }
    }

    /// Whether [`poll_chunk`](Self::poll_chunk) never blocks: true for bytes in memory and
    /// for streams from the peer of a connection (a request's or response's body); false for
    /// a stream made from a local reader, which can only be read in place.
    pub fn reads_without_blocking(&self) -> bool {
        !matches!(self.inner, Source::Reader(_))
    }

    /// Takes the next chunk of bytes for an async task: `Ready(Ok(None))` at the end,
    /// `Pending` when none has arrived yet (the task is woken when one does). Bytes in memory
    /// come as one chunk. A stream made from a local reader is read in place, which blocks
    /// like any read of it: check [`reads_without_blocking`](Self::reads_without_blocking)
    /// and read such a stream on a thread that may block.
    pub fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>> {
        match &mut self.inner {
            Source::Memory(cursor) => {
                let rest = remaining(std::mem::take(cursor));
                Poll::Ready(Ok((!rest.is_empty()).then_some(rest)))
            }
            Source::Polled(reader) => reader.poll_chunk(cx),
            Source::Reader(reader) => {
                let mut chunk = vec![0; 64 << 10];
                let n = loop {
                    match reader.read(&mut chunk) {
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        other => break other?,
                    }
                };
                chunk.truncate(n);
                Poll::Ready(Ok((n > 0).then_some(chunk)))
            }
        }
    }

    /// The next chunk, as [`poll_chunk`](Self::poll_chunk) takes it, awaited.
    pub async fn next_chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        std::future::poll_fn(|cx| self.poll_chunk(cx)).await
    }

    /// A stream with no bytes.
    pub fn empty() -> Self {
        ByteStream::from(Vec::new())
    }

    /// Reads the whole stream into memory.
    pub fn read_all(self) -> io::Result<Vec<u8>> {
        match self.inner {
            Source::Memory(cursor) => Ok(remaining(cursor)),
            other => {
                let mut out = Vec::new();
                ByteStream { inner: other }.into_reader().read_to_end(&mut out)?;
                Ok(out)
            }
        }
    }

    /// The underlying reader.
    pub fn into_reader(self) -> Box<dyn Read + Send> {
        match self.inner {
            Source::Memory(cursor) => Box::new(cursor),
            Source::Reader(reader) => reader,
            Source::Polled(reader) => reader,
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
            Source::Polled(reader) => reader.read(buf),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_over_memory_stay_memory_from_their_position() {
        let mut cursor = io::Cursor::new(b"skip:kept".to_vec());
        cursor.set_position(5);
        assert_eq!(ByteStream::new(cursor).into_bytes().ok(), Some(b"kept".to_vec()));
        let mut cursor = io::Cursor::new("skip:text".to_owned());
        cursor.set_position(5);
        assert_eq!(ByteStream::new(cursor).into_bytes().ok(), Some(b"text".to_vec()));
        // Any other reader stays a reader, and reads the same.
        let other = ByteStream::new(io::Cursor::new(&b"borrowed"[..]));
        let other = other.into_bytes().expect_err("a slice cursor is not kept as memory");
        assert_eq!(other.read_all().unwrap(), b"borrowed");
    }
}
