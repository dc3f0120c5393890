//! Bridges between hyper's async bodies and plugin streams: a request body goes to the plugin
//! as a blocking reader fed through a small bounded channel; a response body from the plugin
//! is polled without blocking. Either way a body of any size crosses at flat memory (the
//! transport's stream windows, the channel's depth) and a slow side slows the other instead
//! of piling bytes up.

use axum::body::Body;
use bytes::Bytes;
use futures_util::StreamExt;
use plugin_runtime::ByteStream;
use std::io::{self, Read};
use tokio::sync::mpsc;

/// How many chunks may wait in either direction.
const DEPTH: usize = 2;
/// The size of the chunks read from a plugin's response.
pub const CHUNK: usize = 64 << 10;

/// The largest request body that is read whole before the call: it then travels with the call
/// in one frame (see [`to_plugin`]).
pub const SMALL: u64 = 64 << 10;

/// A request body for a plugin: one whose declared length is at most [`SMALL`] is read into
/// memory first, so the transport sends it with the call from the calling thread (most
/// requests: a GET without a body, a small JSON POST); any other streams through [`reader`].
pub async fn to_plugin(body: Body) -> ByteStream {
    use axum::body::HttpBody as _;
    if body.size_hint().exact().is_some_and(|n| n <= SMALL) {
        match axum::body::to_bytes(body, SMALL as usize).await {
            Ok(bytes) => ByteStream::from(bytes.to_vec()),
            // The client broke off: the plugin sees the error where it reads.
            Err(e) => ByteStream::new(FailedBody(Some(io::Error::other(format!("reading the request body: {e}"))))),
        }
    } else {
        ByteStream::new(reader(body))
    }
}

/// A body whose reading failed before the call.
struct FailedBody(Option<io::Error>);

impl Read for FailedBody {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// A request body as a blocking reader. A task copies the body's frames into a bounded channel
/// and the reader takes them out; it ends when the reader is dropped (the plugin no longer
/// wants the rest) or the body ends. The reader must not be read on an async worker thread.
pub fn reader(body: Body) -> impl Read + Send + 'static {
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(DEPTH);
    tokio::spawn(async move {
        let mut frames = body.into_data_stream();
        while let Some(frame) = frames.next().await {
            let frame = frame.map_err(|e| io::Error::other(format!("reading the request body: {e}")));
            let failed = frame.is_err();
            if tx.send(frame).await.is_err() || failed {
                break;
            }
        }
    });
    ChannelReader::new(rx)
}

/// The blocking end of a channel of body chunks, as a `Read` (the request bodies plugins read,
/// and uploaded bundles on their way to the installer). An `Err` chunk is returned once, in
/// order; the end of the channel is the end of the data.
pub struct ChannelReader {
    rx: mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
}

impl ChannelReader {
    pub fn new(rx: mpsc::Receiver<io::Result<Bytes>>) -> Self {
        ChannelReader { rx, current: Bytes::new() }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                None => return Ok(0),
                Some(frame) => self.current = frame?,
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// A plugin's response body as a hyper body. A body from the plugin's connection (or in
/// memory) is polled on the async workers, woken by the transport as its chunks arrive: no
/// thread is held for it. Any other (a local reader, which only a host's own channel can
/// produce) is copied on the blocking pool through a bounded channel.
pub fn from_plugin(stream: ByteStream, plugin: String) -> Body {
    if stream.reads_without_blocking() {
        let mut stream = stream;
        // A small body usually arrived with the reply: then it is one chunk of known length
        // (hyper writes it with the head, in one write). Otherwise the chunks already here
        // go first and the rest streams.
        let mut first = Vec::new();
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        let mut ended = false;
        while first.len() < 4 {
            match stream.poll_chunk(&mut cx) {
                std::task::Poll::Ready(Ok(Some(chunk))) => first.push(Ok(Bytes::from(chunk))),
                std::task::Poll::Ready(Ok(None)) => {
                    ended = true;
                    break;
                }
                std::task::Poll::Ready(Err(e)) => {
                    first.push(Err(e));
                    ended = true;
                    break;
                }
                std::task::Poll::Pending => break,
            }
        }
        match (ended, first.len()) {
            (true, 0) => return Body::empty(),
            (true, 1) if first[0].is_ok() => return Body::from(first.pop().expect("one chunk").expect("checked")),
            _ => {}
        }
        let mut first = first.into_iter();
        return Body::from_stream(futures_util::stream::poll_fn(move |cx| {
            if let Some(chunk) = first.next() {
                return std::task::Poll::Ready(Some(chunk));
            }
            if ended {
                return std::task::Poll::Ready(None);
            }
            stream.poll_chunk(cx).map(|chunk| match chunk {
                Ok(Some(chunk)) => Some(Ok(Bytes::from(chunk))),
                Ok(None) => {
                    ended = true;
                    None
                }
                // Passed on, which aborts the response (its status is long sent), so the
                // client sees a broken body, never a short one that looks complete.
                Err(e) => {
                    ended = true;
                    Some(Err(e))
                }
            })
        }));
    }
    let (tx, mut rx) = mpsc::channel::<io::Result<Bytes>>(DEPTH);
    tokio::task::spawn_blocking(move || {
        if !copy(&mut *stream.into_reader(), &tx) {
            log::debug!("plugin {plugin}: the response body was not sent to its end");
        }
    });
    Body::from_stream(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)))
}

/// Copies `source` to its end into `tx`, each read passed on as it comes (a plugin that
/// streams events is not held back to fill a buffer). Stops early, returning `false`, when
/// the client has gone; a read error is passed on (see [`from_plugin`]).
fn copy(source: &mut dyn Read, tx: &mpsc::Sender<io::Result<Bytes>>) -> bool {
    // Small to start with (most responses are), doubled up to a chunk while reads fill it.
    let mut buf = vec![0u8; 4 << 10];
    loop {
        let item = match source.read(&mut buf) {
            Ok(0) => return true,
            Ok(n) => {
                let chunk = Bytes::copy_from_slice(&buf[..n]);
                if n == buf.len() && buf.len() < CHUNK {
                    buf.resize(buf.len() * 2, 0);
                }
                Ok(chunk)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => Err(e),
        };
        let failed = item.is_err();
        if tx.blocking_send(item).is_err() || failed {
            return false;
        }
    }
}
