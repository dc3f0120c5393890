//! The host's side of the process-transport fixtures: a small trait the host serves and a
//! plugin calls back into, so the integration tests can run calls in both directions (and
//! nested both ways) over real pipes. Its generated glue is checked in next to it.

use plugin_runtime::{ByteStream, RpcError};
use serde::{Deserialize, Serialize};

/// The host fixture's error type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum HostError {
    NotFound(String),
    Rpc(RpcError),
}

impl From<RpcError> for HostError {
    fn from(e: RpcError) -> Self {
        HostError::Rpc(e)
    }
}

/// What a test host offers the plugins it starts.
pub trait HostApi: Send + Sync {
    /// Looks up the value the host keeps under `key`.
    ///
    /// Wire id: 0
    fn lookup(&self, key: &str) -> Result<String, HostError>;

    /// Calls the plugin's `greet` with `name` from inside this call and returns the greeting's
    /// text, prefixed with `depth`: a call that re-enters the plugin while the plugin waits.
    ///
    /// Wire id: 1
    fn greet_back(&self, name: &str, depth: u32) -> Result<String, HostError>;

    /// Waits `millis` milliseconds, then returns `text`.
    ///
    /// Wire id: 2
    fn slow_echo(&self, text: &str, millis: u64) -> Result<String, RpcError>;

    /// Reads `data` to its end and returns how many bytes it had.
    ///
    /// Wire id: 3
    fn upload(&self, name: &str, data: ByteStream) -> Result<u64, HostError>;
}

// Generated glue is formatted by the generator (prettyplease), never by rustfmt.
#[rustfmt::skip]
#[path = "generated/fixture_host.rs"]
pub mod rpc;

/// Data helpers shared by the test host, the test plugin and the bench: deterministic streams
/// of any length that cost no memory, and a checksum to compare them on both sides.
pub mod support {
    use std::io::{self, Read, Write};

    /// The byte at `offset` of every pattern stream.
    pub fn pattern_byte(offset: u64) -> u8 {
        (offset.wrapping_mul(31) ^ (offset >> 9)) as u8
    }

    /// A reader of `len` pattern bytes, generated as they are read.
    #[derive(Debug, Clone)]
    pub struct Pattern {
        offset: u64,
        len: u64,
    }

    impl Pattern {
        pub fn new(len: u64) -> Self {
            Pattern { offset: 0, len }
        }
    }

    impl Read for Pattern {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min((self.len - self.offset) as usize);
            for (i, b) in buf[..n].iter_mut().enumerate() {
                *b = pattern_byte(self.offset + i as u64);
            }
            self.offset += n as u64;
            Ok(n)
        }
    }

    /// A running order-sensitive checksum (Fletcher-style sums over the bytes) and byte
    /// count: cheap enough that checking a 64 MiB stream does not dominate a test or bench.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub struct Checksum {
        pub sum: u64,
        pub sum_of_sums: u64,
        pub len: u64,
    }

    impl Checksum {
        pub fn update(&mut self, bytes: &[u8]) {
            let (mut a, mut b) = (self.sum, self.sum_of_sums);
            for byte in bytes {
                a = a.wrapping_add(u64::from(*byte));
                b = b.wrapping_add(a);
            }
            (self.sum, self.sum_of_sums) = (a, b);
            self.len += bytes.len() as u64;
        }

        /// One number for the whole checksum.
        pub fn hash(&self) -> u64 {
            self.sum ^ self.sum_of_sums.rotate_left(32) ^ self.len.rotate_left(17)
        }

        pub fn of(bytes: &[u8]) -> Self {
            let mut c = Checksum::default();
            c.update(bytes);
            c
        }

        /// The checksum of `len` pattern bytes.
        pub fn of_pattern(len: u64) -> Self {
            let mut c = Checksum::default();
            let mut buf = vec![0u8; 64 * 1024];
            let mut p = Pattern::new(len);
            loop {
                let n = p.read(&mut buf).expect("patterns do not fail");
                if n == 0 {
                    return c;
                }
                c.update(&buf[..n]);
            }
        }

        /// Reads `reader` to its end.
        pub fn of_reader(mut reader: impl Read) -> io::Result<Self> {
            let mut c = Checksum::default();
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = reader.read(&mut buf)?;
                if n == 0 {
                    return Ok(c);
                }
                c.update(&buf[..n]);
            }
        }

        /// As 16 bytes: length then hash, little-endian.
        pub fn to_bytes(self) -> Vec<u8> {
            [self.len.to_le_bytes(), self.hash().to_le_bytes()].concat()
        }
    }

    /// A writer that only checksums what it is given (a sink with flat memory).
    #[derive(Debug, Clone, Default)]
    pub struct ChecksumWriter(pub std::sync::Arc<std::sync::Mutex<Checksum>>);

    impl ChecksumWriter {
        pub fn get(&self) -> Checksum {
            *self.0.lock().unwrap()
        }
    }

    impl Write for ChecksumWriter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().update(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}
