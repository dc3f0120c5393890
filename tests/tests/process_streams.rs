//! Byte streams over the process transport with a real plugin process: request streams the
//! plugin reads, sinks it writes back into during the call, streams it returns that the host
//! reads after the call, streams from the plugin to the host, and HTTP bodies. The 64 MiB
//! streams are generated and checksummed on the fly on both sides, so memory stays flat
//! (flow control bounds what is buffered; this test checks the bytes, the bench measures RSS).

mod support;

use std::io::Read;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use plugin_runtime::{ByteSink, ByteStream};
use pluginapi_tests::fixture::{GreetError, Greeter, Greeting};
use pluginapi_tests::fixture_host::support::{Checksum, ChecksumWriter, Pattern};
use support::*;

const BIG: u64 = 64 << 20;

fn greeting(text: &str) -> Greeting {
    Greeting { text: text.into(), ..Greeting::default() }
}

#[test]
fn a_64_mib_request_stream_is_read_and_echoed_through_a_sink() {
    let h = start();
    let sink = ChecksumWriter::default();
    let n =
        h.plugin.filter(&greeting("echo"), ByteStream::new(Pattern::new(BIG)), ByteSink::new(sink.clone())).unwrap();
    assert_eq!(n, BIG, "the plugin read the whole stream");
    // Every byte the plugin wrote to the sink arrived before the call returned.
    assert_eq!(sink.get(), Checksum::of_pattern(BIG));
}

#[test]
fn a_64_mib_returned_stream_is_read_after_the_call() {
    let h = start();
    let stream = h.plugin.download(&format!("gen:{BIG}")).unwrap();
    // Other calls go on while the returned stream is still open.
    assert_eq!(h.plugin.greet("meanwhile").unwrap().text, "hello meanwhile");
    assert_eq!(Checksum::of_reader(stream).unwrap(), Checksum::of_pattern(BIG));
    match h.plugin.download("nothing") {
        Err(GreetError::Refused(_)) => {}
        other => panic!("expected Refused, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn the_plugin_streams_to_the_host() {
    let h = start();
    // The plugin calls the host's `upload` with a 16 MiB stream, inside a call from the host.
    assert_eq!(h.plugin.greet(&format!("upload:{}", 16 << 20)).unwrap().text, (16u64 << 20).to_string());
}

#[test]
fn http_bodies_travel_as_streams() {
    let h = start();
    let request = http::Request::builder()
        .method("POST")
        .uri("/plugins/greeter/echo?x=1")
        .header("content-type", "text/plain")
        .body(ByteStream::from("hello body"))
        .unwrap();
    let response = h.plugin.serve(request).unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["x-path"], "/plugins/greeter/echo");
    assert_eq!(response.into_body().read_all().unwrap(), b"ydob olleh");
}

/// A source that counts the bytes read from it and says when it was dropped.
#[derive(Clone, Default)]
struct Watched {
    read: Arc<AtomicU64>,
    dropped: Arc<AtomicBool>,
}

impl Watched {
    fn source(&self, len: u64) -> impl Read + Send + 'static {
        struct Source(Pattern, Watched);
        impl Read for Source {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.read(buf)?;
                self.1.read.fetch_add(n as u64, Ordering::SeqCst);
                Ok(n)
            }
        }
        impl Drop for Source {
            fn drop(&mut self) {
                self.1.dropped.store(true, Ordering::SeqCst);
            }
        }
        Source(Pattern::new(len), self.clone())
    }
}

#[test]
fn streams_left_unread_are_stopped_and_the_connection_stays_usable() {
    let h = start();
    // The plugin returns without reading its input: the host's pump is told to stop, and drops
    // its source having read at most about a window of it.
    let input = Watched::default();
    let n = h.plugin.filter(&greeting("skip"), ByteStream::new(input.source(1 << 40)), ByteSink::discard()).unwrap();
    assert_eq!(n, 0);
    eventually("the host's pump to drop the unread source", || input.dropped.load(Ordering::SeqCst));
    let read = input.read.load(Ordering::SeqCst);
    assert!(read <= 64 << 20, "the host's pump read {read} bytes of a stream nobody reads");

    // The host drops a returned stream after a little of it: the plugin's pump is told to stop
    // and drops its generator.
    let mut stream = h.plugin.download(&format!("gen:{}", 1u64 << 40)).unwrap();
    let mut buf = vec![0u8; 1 << 20];
    stream.read_exact(&mut buf).unwrap();
    assert_eq!(h.plugin.greet("downloads").unwrap().text, "1");
    drop(stream);
    eventually("the plugin's pump to drop its generator", || h.plugin.greet("downloads").unwrap().text == "0");
    for i in 0..20 {
        assert_eq!(h.plugin.greet(&i.to_string()).unwrap().text, format!("hello {i}"));
    }
    h.process.ping(std::time::Duration::from_secs(60)).unwrap();
}

#[test]
fn several_streams_flow_at_once() {
    let h = std::sync::Arc::new(start());
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let h = h.clone();
            std::thread::spawn(move || {
                let len = (4u64 << 20) + i;
                let sink = ChecksumWriter::default();
                let n = h
                    .plugin
                    .filter(&greeting("echo"), ByteStream::new(Pattern::new(len)), ByteSink::new(sink.clone()))
                    .unwrap();
                assert_eq!(n, len);
                assert_eq!(sink.get(), Checksum::of_pattern(len));
                let stream = h.plugin.download(&format!("gen:{len}")).unwrap();
                assert_eq!(Checksum::of_reader(stream).unwrap(), Checksum::of_pattern(len));
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}
