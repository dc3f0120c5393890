//! A gigabyte through a plugin's HTTP route, each way, at flat memory: the server (in this
//! process, alone in this test binary so nothing else moves its peak) streams the upload to
//! the plugin and the plugin's download to the client without holding either. The plugin
//! checks every byte it got (length and SHA-256).

mod server_support;

use server_support::{process_bundle, start, Client};
use std::io::{self, Read};

const GIB: u64 = 1 << 30;

/// Peak resident memory of this process so far, in MiB (`VmHWM`).
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() / 1024
}

/// `len` bytes of a pattern, made as they are read.
struct Pattern {
    left: u64,
    at: u64,
}

const PERIOD: usize = 251;
const READ: usize = 64 << 10;

/// Byte `i` is `i % 251`, long enough to copy any read from (a loop per byte, unoptimised,
/// would make this test take a minute).
fn table() -> &'static [u8] {
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| (0..READ + PERIOD).map(|i| (i % PERIOD) as u8).collect())
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(READ).min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let from = (self.at % PERIOD as u64) as usize;
        buf[..n].copy_from_slice(&table()[from..from + n]);
        self.at += n as u64;
        self.left -= n as u64;
        Ok(n)
    }
}

/// What the plugin answers for `len` bytes of the pattern: the length and the SHA-256.
fn expected_answer(len: u64) -> String {
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    let mut source = Pattern { left: len, at: 0 };
    let mut buf = vec![0u8; READ];
    loop {
        match source.read(&mut buf).unwrap() {
            0 => break,
            n => hash.update(&buf[..n]),
        }
    }
    let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("{len} {hex}")
}

#[test]
fn a_gigabyte_each_way_through_a_plugin_route_at_flat_memory() {
    let site = tempfile::tempdir().unwrap();
    let server = start(site.path());
    let client = Client::new(&server);
    let id = "com.example.big";
    assert_eq!(client.upload(&process_bundle(id, "1.0.0"), false).0, 201);
    assert_eq!(client.post(&format!("/api/v4/plugins/{id}/enable")).0, 200);
    // Warm up the paths once, so the baseline has every thread and buffer already made.
    let warm = Client::agent()
        .post(format!("{}/plugins/{id}/count", client.base))
        .send(ureq::SendBody::from_owned_reader(Pattern { left: 8 << 20, at: 0 }))
        .unwrap();
    assert_eq!(warm.status(), 200);
    let before = peak_rss_mib();

    let mut response = Client::agent()
        .post(format!("{}/plugins/{id}/count", client.base))
        .send(ureq::SendBody::from_owned_reader(Pattern { left: GIB, at: 0 }))
        .unwrap();
    assert_eq!(response.status(), 200);
    let answer = response.body_mut().read_to_string().unwrap();
    assert_eq!(answer, expected_answer(GIB));

    let mut response = Client::agent().get(format!("{}/plugins/{id}/bytes?n={GIB}", client.base)).call().unwrap();
    assert_eq!(response.status(), 200);
    let mut body = response.body_mut().with_config().limit(u64::MAX).reader();
    let (mut total, mut buf, xs) = (0u64, vec![0u8; 64 << 10], vec![b'x'; 64 << 10]);
    loop {
        let n = body.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        assert!(buf[..n] == xs[..n], "a byte of the download is not the plugin's");
        total += n as u64;
    }
    assert_eq!(total, GIB);

    let grown = peak_rss_mib().saturating_sub(before);
    eprintln!("peak RSS {before} MiB before, grew by {grown} MiB over 2 GiB of bodies");
    assert!(grown < 32, "the peak grew by {grown} MiB while 2 GiB passed: bodies are being held");
    server.stop().unwrap();
}
