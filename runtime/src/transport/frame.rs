//! The wire's frames: the 16-byte header, the body layout of each frame kind, and
//! [`FrameReader`], the buffered decoder that turns a byte source into frames without ever
//! allocating more than the configured frame limit.
//!
//! Everything here is pure (no threads, no file descriptors), so the decoder can be fed random
//! bytes by the property tests. `docs/wire-protocol.md` is the prose version of this file.

use crate::RpcError;
use std::io::{self, Read};

/// The first byte of every frame header. It catches a peer that writes anything but frames
/// (a stray `println!` into the channel, a wrong fd) at the first byte, as a protocol error.
pub const MAGIC: u8 = 0xB7;

/// Size of the fixed frame header.
pub const HEADER_LEN: usize = 16;

/// Size of the trailer at the end of a CALL body.
pub const CALL_TRAILER_LEN: usize = 12;

/// Size of the trailer at the end of a REPLY body.
pub const REPLY_TRAILER_LEN: usize = 4;

/// Flag of REPLY: the payload is an encoded [`RpcError`], not the method's result.
pub const FLAG_ERROR: u8 = 0x01;

/// Capacity of the reader's buffer: small frames are parsed out of it, many per `read`.
const BUFFER_LEN: usize = 64 * 1024;

/// How much of the buffer is in use at first. The rest of the capacity is reserved but not
/// touched, so not resident, until reads fill what is in use (traffic is heavy) or a frame
/// needs more: an idle plugin, and the host's reader of it, keep 4 KiB instead of 64.
const INITIAL_LEN: usize = 4 * 1024;

/// Bodies larger than this skip the buffer: they get their own allocation, filled straight from
/// the source, so a large payload or stream chunk is copied once.
const DIRECT_BODY_MIN: usize = 16 * 1024;

// A body below the direct size always fits the whole buffer, after its header.
const _: () = assert!(HEADER_LEN + DIRECT_BODY_MIN <= BUFFER_LEN);

/// The kind of a frame (header byte 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    Hello = 1,
    Call = 2,
    Reply = 3,
    Cancel = 4,
    Data = 5,
    End = 6,
    Window = 7,
    Reset = 8,
    Ping = 9,
    Pong = 10,
    Goodbye = 11,
    /// Protocol version 2: a call will follow soon (see `Frame::Expect`).
    Expect = 12,
}

impl Kind {
    fn from_byte(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::Hello,
            2 => Kind::Call,
            3 => Kind::Reply,
            4 => Kind::Cancel,
            5 => Kind::Data,
            6 => Kind::End,
            7 => Kind::Window,
            8 => Kind::Reset,
            9 => Kind::Ping,
            10 => Kind::Pong,
            11 => Kind::Goodbye,
            12 => Kind::Expect,
            _ => return None,
        })
    }
}

/// A decoded frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub kind: Kind,
    pub flags: u8,
    /// Length of the body that follows the header.
    pub len: u32,
    /// Call id, stream id or ping nonce, depending on the kind.
    pub id: u64,
}

impl Header {
    /// The header's 16 bytes.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[0] = MAGIC;
        out[1] = self.kind as u8;
        out[2] = self.flags;
        out[4..8].copy_from_slice(&self.len.to_le_bytes());
        out[8..16].copy_from_slice(&self.id.to_le_bytes());
        out
    }
}

/// Decodes a header, refusing a bad magic byte, an unknown kind, or a body longer than `limit`
/// (before anything is allocated for it).
pub fn decode_header(bytes: &[u8; HEADER_LEN], limit: u32) -> Result<Header, RpcError> {
    if bytes[0] != MAGIC {
        return Err(protocol(format!(
            "bad frame magic byte 0x{:02x} (expected 0x{MAGIC:02x}): the peer wrote something that is not a frame",
            bytes[0]
        )));
    }
    let kind = Kind::from_byte(bytes[1]).ok_or_else(|| protocol(format!("unknown frame kind {}", bytes[1])))?;
    let len = u32::from_le_bytes(bytes[4..8].try_into().expect("4 bytes"));
    if len > limit {
        return Err(RpcError::FrameTooLarge { size: u64::from(len), limit: u64::from(limit) });
    }
    let id = u64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes"));
    Ok(Header { kind, flags: bytes[2], len, id })
}

/// A protocol error with this detail.
pub fn protocol(detail: impl Into<String>) -> RpcError {
    RpcError::Protocol { detail: detail.into() }
}

/// The error for a connection that is gone (the peer closed it, or a pipe failed).
pub(crate) fn disconnected(detail: &str) -> RpcError {
    RpcError::Disconnected { detail: detail.to_owned() }
}

/// A frame, its body decoded according to its kind.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// Handshake; the body is a MessagePack map (see `handshake.rs`).
    Hello(Vec<u8>),
    Call(CallFrame),
    Reply(ReplyFrame),
    /// The caller gave up on call `id`.
    Cancel {
        id: u64,
    },
    /// A chunk of stream `id`.
    Data {
        id: u64,
        bytes: Vec<u8>,
    },
    /// Stream `id` ended, cleanly or with the sender's error.
    End {
        id: u64,
        error: Option<String>,
    },
    /// The receiver of stream `id` consumed `credit` more bytes: the sender may send them.
    Window {
        id: u64,
        credit: u32,
    },
    /// The receiver of stream `id` wants no more of it.
    Reset {
        id: u64,
    },
    Ping {
        id: u64,
    },
    Pong {
        id: u64,
    },
    /// The peer is closing the connection, and why.
    Goodbye {
        reason: String,
    },
    /// A heads-up: the peer will send a call soon (the host sends it to the next plugin of a
    /// hook chain while the one before works), so a thread waiting for the pipe should stay
    /// awake for a moment rather than sleep. Needs no answer; means nothing else.
    Expect,
}

/// A call: the method, the encoded arguments and the ids of the streams beside them.
#[derive(Debug, PartialEq, Eq)]
pub struct CallFrame {
    pub id: u64,
    pub method: u32,
    /// The caller's remaining time in milliseconds; 0 when it has no deadline.
    pub timeout_ms: u32,
    /// Streams the caller sends (the callee reads them).
    pub streams: Vec<u64>,
    /// Sinks the callee writes into (the caller receives the data).
    pub sinks: Vec<u64>,
    pub payload: Vec<u8>,
}

/// A reply: the encoded result (or an encoded [`RpcError`]) and the ids of returned streams.
#[derive(Debug, PartialEq, Eq)]
pub struct ReplyFrame {
    pub id: u64,
    pub error: bool,
    pub streams: Vec<u64>,
    pub payload: Vec<u8>,
}

/// Decodes a frame's body. Bodies carry their variable parts first and a fixed trailer last,
/// so the payload is cut off in place (no copy) once the trailer is read.
pub fn parse_frame(header: Header, mut body: Vec<u8>) -> Result<Frame, RpcError> {
    if body.len() != header.len as usize {
        return Err(protocol("frame body length does not match its header"));
    }
    let id = header.id;
    Ok(match header.kind {
        Kind::Hello => Frame::Hello(body),
        Kind::Call => {
            let trailer = take_trailer::<CALL_TRAILER_LEN>(&mut body, "CALL")?;
            let method = u32::from_le_bytes(trailer[0..4].try_into().expect("4 bytes"));
            let timeout_ms = u32::from_le_bytes(trailer[4..8].try_into().expect("4 bytes"));
            let n_streams = u16::from_le_bytes(trailer[8..10].try_into().expect("2 bytes")) as usize;
            let n_sinks = u16::from_le_bytes(trailer[10..12].try_into().expect("2 bytes")) as usize;
            let sinks = take_ids(&mut body, n_sinks, "CALL")?;
            let streams = take_ids(&mut body, n_streams, "CALL")?;
            Frame::Call(CallFrame { id, method, timeout_ms, streams, sinks, payload: body })
        }
        Kind::Reply => {
            let trailer = take_trailer::<REPLY_TRAILER_LEN>(&mut body, "REPLY")?;
            let n_streams = u16::from_le_bytes(trailer[0..2].try_into().expect("2 bytes")) as usize;
            let error = header.flags & FLAG_ERROR != 0;
            if error && n_streams != 0 {
                return Err(protocol("an error REPLY cannot return streams"));
            }
            let streams = take_ids(&mut body, n_streams, "REPLY")?;
            Frame::Reply(ReplyFrame { id, error, streams, payload: body })
        }
        Kind::Cancel => Frame::Cancel { id },
        Kind::Data => Frame::Data { id, bytes: body },
        Kind::End => {
            let error = (header.flags & FLAG_ERROR != 0).then(|| String::from_utf8_lossy(&body).into_owned());
            Frame::End { id, error }
        }
        Kind::Window => {
            let credit: [u8; 4] = body.as_slice().try_into().map_err(|_| protocol("WINDOW body must be 4 bytes"))?;
            Frame::Window { id, credit: u32::from_le_bytes(credit) }
        }
        Kind::Reset => Frame::Reset { id },
        Kind::Ping => Frame::Ping { id },
        Kind::Pong => Frame::Pong { id },
        Kind::Goodbye => Frame::Goodbye { reason: String::from_utf8_lossy(&body).into_owned() },
        Kind::Expect => Frame::Expect,
    })
}

fn take_trailer<const N: usize>(body: &mut Vec<u8>, what: &str) -> Result<[u8; N], RpcError> {
    let at =
        body.len().checked_sub(N).ok_or_else(|| protocol(format!("{what} body shorter than its {N}-byte trailer")))?;
    let trailer: [u8; N] = body[at..].try_into().expect("N bytes");
    body.truncate(at);
    Ok(trailer)
}

/// Takes `n` little-endian u64 ids off the end of `body`, checking the length before
/// allocating for them.
fn take_ids(body: &mut Vec<u8>, n: usize, what: &str) -> Result<Vec<u64>, RpcError> {
    let at = body
        .len()
        .checked_sub(n * 8)
        .ok_or_else(|| protocol(format!("{what} announces {n} stream ids that its body does not hold")))?;
    let ids = body[at..].chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
    body.truncate(at);
    Ok(ids)
}

/// The bytes of a CALL body's ids and trailer (the payload goes before them).
pub fn call_tail(method: u32, timeout_ms: u32, streams: &[u64], sinks: &[u64]) -> Vec<u8> {
    let mut tail = Vec::with_capacity((streams.len() + sinks.len()) * 8 + CALL_TRAILER_LEN);
    for id in streams.iter().chain(sinks) {
        tail.extend_from_slice(&id.to_le_bytes());
    }
    tail.extend_from_slice(&method.to_le_bytes());
    tail.extend_from_slice(&timeout_ms.to_le_bytes());
    tail.extend_from_slice(&(streams.len() as u16).to_le_bytes());
    tail.extend_from_slice(&(sinks.len() as u16).to_le_bytes());
    tail
}

/// The bytes of a REPLY body's ids and trailer (the payload goes before them).
pub fn reply_tail(streams: &[u64]) -> Vec<u8> {
    let mut tail = Vec::with_capacity(streams.len() * 8 + REPLY_TRAILER_LEN);
    for id in streams {
        tail.extend_from_slice(&id.to_le_bytes());
    }
    tail.extend_from_slice(&(streams.len() as u16).to_le_bytes());
    tail.extend_from_slice(&0u16.to_le_bytes());
    tail
}

/// Why [`FrameReader::next_frame`] could not produce a frame.
#[derive(Debug)]
pub enum ReadError {
    /// The source ended; `mid_frame` when it ended inside a frame.
    Eof { mid_frame: bool },
    /// The bytes are not a valid frame (bad magic, unknown kind, too large, bad body).
    Invalid(RpcError),
    /// Reading the source failed.
    Io(io::Error),
}

/// A body larger than [`DIRECT_BODY_MIN`], being filled straight from the source.
struct PartialBody {
    header: Header,
    body: Vec<u8>,
    filled: usize,
}

/// Decodes frames from a byte source, buffering so that a `read` can bring in many small
/// frames at once. It never allocates more than its fixed buffer plus one body of at most
/// `limit` bytes, and it refuses an oversize header before allocating its body.
pub struct FrameReader {
    /// Capacity [`BUFFER_LEN`], allocated once; its length is the part in use (zeroed so far),
    /// grown by [`grow`](Self::grow) and never shrunk.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    limit: u32,
    partial: Option<PartialBody>,
    /// Expect a large frame next: read its header alone, so its body goes straight into its
    /// own buffer instead of through (and out of) ours.
    expect_large: bool,
    /// Consumed large bodies, reused for the next ones (no allocation, no zeroing).
    spares: Vec<Vec<u8>>,
    /// The last read from the source got less than it asked for: the source (a pipe) was
    /// empty then, and another read now would most likely find nothing.
    drained: bool,
}

/// How many consumed bodies a reader keeps for reuse.
const MAX_SPARES: usize = 4;

impl FrameReader {
    /// Whether the last read from the source found it empty or emptied it (a short read): a
    /// reader waiting on a level-triggered readiness can skip the read that would only say
    /// "nothing more" and wait instead.
    pub fn drained(&self) -> bool {
        self.drained
    }

    /// The next frame already buffered, reading nothing (and leaving [`drained`](Self::drained)
    /// as the last real read set it).
    pub fn next_buffered(&mut self) -> Result<Option<(Header, Vec<u8>)>, ReadError> {
        let drained = self.drained;
        let frame = self.next_frame(&mut NothingMore);
        self.drained = drained;
        frame
    }

    /// A reader that accepts bodies of up to `limit` bytes.
    pub fn new(limit: u32) -> Self {
        FrameReader {
            buf: {
                let mut buf = Vec::with_capacity(BUFFER_LEN);
                buf.resize(INITIAL_LEN, 0);
                buf
            },
            start: 0,
            end: 0,
            limit,
            partial: None,
            drained: false,
            expect_large: false,
            spares: Vec::new(),
        }
    }

    /// Puts at least `len` bytes of the buffer in use (doubling, up to [`BUFFER_LEN`]), within
    /// the capacity allocated at the start: no reallocation, no copy.
    fn grow(&mut self, len: usize) {
        let mut to = self.buf.len();
        while to < len {
            to *= 2;
        }
        self.buf.resize(to.min(BUFFER_LEN), 0);
    }

    /// Hints that the next frame is probably large (stream data is flowing).
    pub fn expect_large(&mut self, on: bool) {
        self.expect_large = on;
    }

    /// Offers a consumed body for reuse. Its bytes are all initialised up to its length, so a
    /// later body of at most that length can reuse it by truncation.
    pub fn recycle(&mut self, body: Vec<u8>) {
        if body.len() >= DIRECT_BODY_MIN && self.spares.len() < MAX_SPARES {
            self.spares.push(body);
        }
    }

    fn body_buffer(&mut self, len: usize) -> Vec<u8> {
        match self.spares.iter().position(|s| s.len() >= len) {
            Some(i) => {
                let mut body = self.spares.swap_remove(i);
                body.truncate(len);
                body
            }
            None => vec![0u8; len],
        }
    }

    /// The next frame, reading from `src` as needed. `Ok(None)` when `src` reports
    /// [`io::ErrorKind::WouldBlock`] before a whole frame is in: call again when it is readable.
    pub fn next_frame<R: Read + ?Sized>(&mut self, src: &mut R) -> Result<Option<(Header, Vec<u8>)>, ReadError> {
        loop {
            if let Some(p) = &mut self.partial {
                let want = p.header.len as usize - p.filled;
                let from_buf = want.min(self.end - self.start);
                p.body[p.filled..p.filled + from_buf].copy_from_slice(&self.buf[self.start..self.start + from_buf]);
                p.filled += from_buf;
                self.start += from_buf;
                if p.filled == p.header.len as usize {
                    let p = self.partial.take().expect("partial body present");
                    return Ok(Some((p.header, p.body)));
                }
                let want = p.body.len() - p.filled;
                match read_some(src, &mut p.body[p.filled..])? {
                    Some(0) => return Err(ReadError::Eof { mid_frame: true }),
                    Some(n) => {
                        p.filled += n;
                        self.drained = n < want;
                    }
                    None => {
                        self.drained = true;
                        return Ok(None);
                    }
                }
                continue;
            }
            let available = self.end - self.start;
            if available >= HEADER_LEN {
                let bytes: &[u8; HEADER_LEN] =
                    self.buf[self.start..self.start + HEADER_LEN].try_into().expect("header bytes");
                let header = decode_header(bytes, self.limit).map_err(ReadError::Invalid)?;
                let len = header.len as usize;
                if available - HEADER_LEN >= len {
                    let body_start = self.start + HEADER_LEN;
                    let body = self.buf[body_start..body_start + len].to_vec();
                    self.start = body_start + len;
                    return Ok(Some((header, body)));
                }
                if len < DIRECT_BODY_MIN && HEADER_LEN + len > self.buf.len() {
                    self.grow(HEADER_LEN + len);
                }
                if len >= DIRECT_BODY_MIN {
                    // `len` was checked against the limit by `decode_header`: this is the only
                    // allocation whose size the peer chooses.
                    self.start += HEADER_LEN;
                    let body = self.body_buffer(len);
                    self.partial = Some(PartialBody { header, body, filled: 0 });
                    continue;
                }
            }
            // Not enough buffered for the next header or small body: make room and read.
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            let want = if self.expect_large && self.end < HEADER_LEN { HEADER_LEN } else { self.buf.len() };
            let asked = want - self.end;
            match read_some(src, &mut self.buf[self.end..want])? {
                Some(0) => return Err(ReadError::Eof { mid_frame: self.end > 0 }),
                Some(n) => {
                    self.end += n;
                    self.drained = n < asked;
                    if n == asked && want == self.buf.len() && want < BUFFER_LEN {
                        // The read filled the buffer: more is waiting, read more at a time.
                        self.grow(self.buf.len() + 1);
                    }
                }
                None => {
                    self.drained = true;
                    return Ok(None);
                }
            }
        }
    }
}

/// A source with nothing (more) to give right now: [`FrameReader::next_frame`] on it yields
/// only frames that are already buffered.
pub struct NothingMore;

impl Read for NothingMore {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Err(io::ErrorKind::WouldBlock.into())
    }
}

/// One `read`, retried on EINTR: `Some(n)` bytes (0 at end of stream), `None` on WouldBlock.
fn read_some<R: Read + ?Sized>(src: &mut R, buf: &mut [u8]) -> Result<Option<usize>, ReadError> {
    loop {
        match src.read(buf) {
            Ok(n) => return Ok(Some(n)),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
            Err(e) => return Err(ReadError::Io(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame_bytes(kind: Kind, flags: u8, id: u64, body: &[u8]) -> Vec<u8> {
        let mut out = Header { kind, flags, len: body.len() as u32, id }.encode().to_vec();
        out.extend_from_slice(body);
        out
    }

    fn call_bytes(id: u64, method: u32, streams: &[u64], sinks: &[u64], payload: &[u8]) -> Vec<u8> {
        let mut body = payload.to_vec();
        body.extend(call_tail(method, 1500, streams, sinks));
        frame_bytes(Kind::Call, 0, id, &body)
    }

    fn read_all(bytes: &[u8], limit: u32) -> Result<Vec<Frame>, ReadError> {
        let mut reader = FrameReader::new(limit);
        let mut src = bytes;
        let mut out = Vec::new();
        loop {
            match reader.next_frame(&mut src) {
                Ok(Some((h, body))) => out.push(parse_frame(h, body).map_err(ReadError::Invalid)?),
                Ok(None) => unreachable!("slices never block"),
                Err(ReadError::Eof { mid_frame: false }) => return Ok(out),
                Err(e) => return Err(e),
            }
        }
    }

    #[test]
    fn the_buffer_in_use_grows_only_with_traffic() {
        let mut reader = FrameReader::new(1 << 20);
        assert_eq!((reader.buf.len(), reader.buf.capacity()), (INITIAL_LEN, BUFFER_LEN));
        // Small frames that fit leave it as it is.
        let small = frame_bytes(Kind::Call, 0, 1, &[5; 100]);
        let (header, body) = reader.next_frame(&mut &small[..]).unwrap().unwrap();
        assert_eq!((header.id, body.len()), (1, 100));
        assert_eq!(reader.buf.len(), INITIAL_LEN);
        // A frame larger than the part in use but below the direct size is still buffered:
        // the part in use grows to hold it, within the capacity (no reallocation).
        let before = reader.buf.as_ptr();
        let mid = frame_bytes(Kind::Call, 0, 2, &[6; 10_000]);
        let (header, body) = reader.next_frame(&mut &mid[..]).unwrap().unwrap();
        assert_eq!((header.id, body, reader.buf.len()), (2, vec![6; 10_000], 16 * 1024));
        // Reads that fill it double it, up to the capacity.
        let many: Vec<u8> = (0..2000u64).flat_map(|id| frame_bytes(Kind::Call, 0, id, &[7; 60])).collect();
        let mut src = &many[..];
        for id in 0..2000u64 {
            let (header, body) = reader.next_frame(&mut src).unwrap().unwrap();
            assert_eq!((header.id, body.len()), (id, 60));
        }
        assert_eq!((reader.buf.len(), reader.buf.as_ptr()), (BUFFER_LEN, before));
    }

    #[test]
    fn frames_round_trip() {
        let big = vec![7u8; 300_000];
        let mut bytes = call_bytes(4, 9, &[10, 12], &[14], b"args");
        let mut reply_body = big.clone();
        reply_body.extend(reply_tail(&[21]));
        bytes.extend(frame_bytes(Kind::Reply, 0, 4, &reply_body));
        bytes.extend(frame_bytes(Kind::Window, 0, 10, &65536u32.to_le_bytes()));
        bytes.extend(frame_bytes(Kind::End, FLAG_ERROR, 10, b"disk on fire"));
        bytes.extend(frame_bytes(Kind::Ping, 0, 99, b""));
        bytes.extend(frame_bytes(Kind::Expect, 0, 0, b""));
        let frames = read_all(&bytes, 1 << 20).unwrap();
        assert_eq!(
            frames,
            vec![
                Frame::Call(CallFrame {
                    id: 4,
                    method: 9,
                    timeout_ms: 1500,
                    streams: vec![10, 12],
                    sinks: vec![14],
                    payload: b"args".to_vec()
                }),
                Frame::Reply(ReplyFrame { id: 4, error: false, streams: vec![21], payload: big }),
                Frame::Window { id: 10, credit: 65536 },
                Frame::End { id: 10, error: Some("disk on fire".into()) },
                Frame::Ping { id: 99 },
                Frame::Expect,
            ]
        );
    }

    #[test]
    fn garbage_is_a_protocol_error() {
        match read_all(b"hello, this is not a frame at all", 1 << 20) {
            Err(ReadError::Invalid(RpcError::Protocol { .. })) => {}
            other => panic!("expected a protocol error, got {other:?}"),
        }
    }

    #[test]
    fn oversize_header_is_refused() {
        let mut bytes = Header { kind: Kind::Data, flags: 0, len: 1 << 30, id: 1 }.encode().to_vec();
        bytes.extend_from_slice(&[0; 100]);
        match read_all(&bytes, 1 << 20) {
            Err(ReadError::Invalid(RpcError::FrameTooLarge { size, limit })) => {
                assert_eq!((size, limit), (1 << 30, 1 << 20))
            }
            other => panic!("expected FrameTooLarge, got {other:?}"),
        }
    }

    #[test]
    fn truncated_frame_is_eof_mid_frame() {
        let bytes = call_bytes(2, 1, &[], &[], &[1; 40_000]);
        match read_all(&bytes[..bytes.len() - 1], 1 << 20) {
            Err(ReadError::Eof { mid_frame: true }) => {}
            other => panic!("expected EOF mid-frame, got {other:?}"),
        }
    }

    #[test]
    fn lying_counts_are_protocol_errors() {
        let mut body = b"x".to_vec();
        body.extend(call_tail(1, 0, &[], &[]));
        let n = body.len();
        body[n - 4..n - 2].copy_from_slice(&u16::MAX.to_le_bytes());
        match read_all(&frame_bytes(Kind::Call, 0, 1, &body), 1 << 20) {
            Err(ReadError::Invalid(RpcError::Protocol { .. })) => {}
            other => panic!("expected a protocol error, got {other:?}"),
        }
    }
}

/// Property tests of the decoder: arbitrary and mutated byte streams, cut into arbitrary reads
/// (with "would block" pauses), never panic and never make the decoder allocate more than the
/// frame limit (or its fixed buffer), whatever sizes the headers claim.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    /// Records the largest single allocation the current thread makes while probing.
    struct Probe;

    thread_local! {
        static PROBING: Cell<bool> = const { Cell::new(false) };
        static LARGEST: Cell<usize> = const { Cell::new(0) };
    }

    fn note(size: usize) {
        let _ = PROBING.try_with(|on| {
            if on.get() {
                let _ = LARGEST.try_with(|l| l.set(l.get().max(size)));
            }
        });
    }

    // SAFETY: forwards to the system allocator unchanged; it only records sizes.
    unsafe impl GlobalAlloc for Probe {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            note(layout.size());
            // SAFETY: the caller upholds GlobalAlloc's contract, which System's method shares.
            unsafe { System.alloc(layout) }
        }
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            note(layout.size());
            // SAFETY: the caller upholds GlobalAlloc's contract, which System's method shares.
            unsafe { System.alloc_zeroed(layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            note(new_size);
            // SAFETY: the caller upholds GlobalAlloc's contract, which System's method shares.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: the caller upholds GlobalAlloc's contract, which System's method shares.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    #[global_allocator]
    static PROBE: Probe = Probe;

    /// Runs `f` and returns the largest single allocation it made on this thread.
    fn largest_allocation(f: impl FnOnce()) -> usize {
        LARGEST.with(|l| l.set(0));
        PROBING.with(|p| p.set(true));
        f();
        PROBING.with(|p| p.set(false));
        LARGEST.with(Cell::get)
    }

    /// Serves `data` in reads of the given sizes (0 = "would block" once), then the rest.
    struct Chunked<'a> {
        data: &'a [u8],
        sizes: Vec<usize>,
        next: usize,
    }

    impl Read for Chunked<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let size = self.sizes.get(self.next).copied();
            self.next += 1;
            if size == Some(0) {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            let n = size.unwrap_or(usize::MAX).min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// Decodes everything in `data`; returns the frames' body lengths.
    fn decode_all(data: &[u8], sizes: Vec<usize>, limit: u32) -> Vec<usize> {
        let mut reader = FrameReader::new(limit);
        let mut src = Chunked { data, sizes, next: 0 };
        let mut lens = Vec::new();
        for _ in 0..10_000 {
            match reader.next_frame(&mut src) {
                Ok(Some((header, body))) => {
                    assert!(header.len <= limit, "a header over the limit was accepted");
                    lens.push(body.len());
                    // Body decoding must not panic either (errors are fine).
                    let _ = parse_frame(header, body);
                }
                Ok(None) => continue,
                Err(_) => break,
            }
        }
        lens
    }

    fn any_frame() -> impl Strategy<Value = Vec<u8>> {
        (1u8..=13, any::<u8>(), any::<u64>(), proptest::collection::vec(any::<u8>(), 0..300)).prop_map(
            |(kind, flags, id, body)| {
                let mut out = vec![MAGIC, kind, flags, 0];
                out.extend_from_slice(&(body.len() as u32).to_le_bytes());
                out.extend_from_slice(&id.to_le_bytes());
                out.extend_from_slice(&body);
                out
            },
        )
    }

    /// Valid-looking frame streams with random damage: flipped bytes, lying lengths, cuts.
    fn mutated_stream() -> impl Strategy<Value = Vec<u8>> {
        (
            proptest::collection::vec(any_frame(), 1..8),
            proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
            proptest::option::of((any::<usize>(), any::<u32>())),
            proptest::option::of(any::<usize>()),
        )
            .prop_map(|(frames, flips, lie, cut)| {
                let mut bytes = frames.concat();
                for (at, value) in flips {
                    let at = at % bytes.len();
                    bytes[at] = value;
                }
                if let Some((at, len)) = lie {
                    // A length field claiming anything, up to 4 GiB.
                    let at = (at % bytes.len()).min(bytes.len().saturating_sub(4));
                    if bytes.len() >= 4 {
                        bytes[at..at + 4].copy_from_slice(&len.to_le_bytes());
                    }
                }
                if let Some(cut) = cut {
                    bytes.truncate(cut % (bytes.len() + 1));
                }
                bytes
            })
    }

    fn read_sizes() -> impl Strategy<Value = Vec<usize>> {
        proptest::collection::vec(0usize..70_000, 0..20)
    }

    #[test]
    fn the_probe_sees_the_decoders_allocations() {
        let mut bytes = Header { kind: Kind::Data, flags: 0, len: 150_000, id: 3 }.encode().to_vec();
        bytes.extend(vec![1u8; 150_000]);
        let largest = largest_allocation(|| {
            assert_eq!(decode_all(&bytes, vec![], 200_000), vec![150_000]);
        });
        assert!(largest >= 150_000, "the probe missed the body allocation ({largest})");
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic_or_overallocate(
            bytes in proptest::collection::vec(any::<u8>(), 0..5000),
            sizes in read_sizes(),
            limit in 16u32..200_000,
        ) {
            let largest = largest_allocation(|| { decode_all(&bytes, sizes, limit); });
            prop_assert!(largest <= (limit as usize).max(BUFFER_LEN), "allocated {largest} with limit {limit}");
        }

        #[test]
        fn mutated_frames_never_panic_or_overallocate(
            bytes in mutated_stream(),
            sizes in read_sizes(),
            limit in 16u32..200_000,
        ) {
            let largest = largest_allocation(|| { decode_all(&bytes, sizes, limit); });
            prop_assert!(largest <= (limit as usize).max(BUFFER_LEN), "allocated {largest} with limit {limit}");
        }

        #[test]
        fn valid_frames_decode_whatever_the_read_sizes(
            frames in proptest::collection::vec(any_frame(), 1..10),
            sizes in read_sizes(),
        ) {
            let expected: Vec<usize> = frames.iter().map(|f| f.len() - HEADER_LEN).collect();
            let lens = decode_all(&frames.concat(), sizes, 1 << 20);
            // Unknown kinds (13) end decoding with an error; everything before is intact.
            let valid = frames.iter().take_while(|f| f[1] <= 12).count();
            prop_assert_eq!(&lens[..], &expected[..valid]);
        }

        #[test]
        fn headers_over_the_limit_are_refused(len in any::<u32>(), limit in any::<u32>(), kind in 1u8..=12) {
            let mut bytes = [0u8; HEADER_LEN];
            bytes[0] = MAGIC;
            bytes[1] = kind;
            bytes[4..8].copy_from_slice(&len.to_le_bytes());
            match decode_header(&bytes, limit) {
                Ok(h) => prop_assert!(h.len <= limit),
                Err(RpcError::FrameTooLarge { size, limit: l }) => {
                    prop_assert!(len > limit);
                    prop_assert_eq!((size, l), (u64::from(len), u64::from(limit)));
                }
                Err(other) => prop_assert!(false, "unexpected {other:?}"),
            }
        }
    }
}
