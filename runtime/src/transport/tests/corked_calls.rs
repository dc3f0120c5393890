//! Corked async calls (`CallCork`): held back until the flush and then written together,
//! taken along by any other frame sent meanwhile, sent when the cork goes, and the flusher
//! told once per batch and when the connection closes.

use super::*;
use crate::testing::block_on;
use crate::AsyncChannel;
use std::future::Future;
use std::sync::atomic::Ordering;
use std::task::{Poll, Wake, Waker};

fn start(conn: &Connection, method: u32, payload: Vec<u8>) -> crate::PendingCall {
    conn.start_call(Request { method, payload, ..Request::default() })
}

/// A waker that counts its wake-ups.
#[derive(Default)]
struct Count(AtomicUsize);

impl Wake for Count {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn poll_ready(cork: &CallCork, waker: &Waker) -> Poll<bool> {
    cork.poll_ready(&mut std::task::Context::from_waker(waker))
}

/// Polls a call once, without waiting: whether it has its answer yet.
fn answered(call: &mut crate::PendingCall) -> bool {
    let mut cx = std::task::Context::from_waker(Waker::noop());
    std::pin::Pin::new(call).poll(&mut cx).is_ready()
}

#[test]
fn corked_calls_wait_for_the_flush_and_the_flusher_is_told_once() {
    let p = pair();
    let cork = p.host.cork_async_calls().expect("the first cork");
    assert!(p.host.cork_async_calls().is_none(), "one cork per connection");
    let count = Arc::new(Count::default());
    let waker = Waker::from(count.clone());
    assert_eq!(poll_ready(&cork, &waker), Poll::Pending, "nothing is held yet");

    let mut calls: Vec<_> = (0..3u32).map(|i| start(&p.host, ECHO, i.to_le_bytes().to_vec())).collect();
    assert_eq!(count.0.load(Ordering::SeqCst), 1, "told once, by the first call held");
    assert_eq!(poll_ready(&cork, &waker), Poll::Ready(true));
    std::thread::sleep(Duration::from_millis(100));
    for call in &mut calls {
        assert!(!answered(call), "a corked call reached the peer before the flush");
    }

    cork.flush();
    assert_eq!(poll_ready(&cork, &waker), Poll::Pending, "the flush sent everything held");
    for (i, call) in (0..3u32).zip(calls) {
        assert_eq!(block_on(call).unwrap().payload, i.to_le_bytes());
    }
}

/// The calls held go out in the same write as the next frame anyone sends, ahead of it: a
/// blocking call made meanwhile takes them along, so nothing waits for the flush and frames
/// keep their order.
#[test]
fn a_frame_sent_meanwhile_takes_the_held_calls_first() {
    let p = pair();
    let _cork = p.host.cork_async_calls().expect("the first cork");
    // A deadline, so a call left behind fails the test instead of hanging it.
    let held = with_deadline(Duration::from_secs(10), || start(&p.host, ECHO, b"held".to_vec()));
    assert_eq!(call(&p.host, ECHO, b"blocking".to_vec()).unwrap().payload, b"blocking");
    assert_eq!(block_on(held).unwrap().payload, b"held");
}

#[test]
fn dropping_the_cork_sends_what_it_held_and_ends_holding() {
    let p = pair();
    let cork = p.host.cork_async_calls().expect("the first cork");
    let held = start(&p.host, ECHO, b"held".to_vec());
    drop(cork);
    assert_eq!(block_on(held).unwrap().payload, b"held");
    // No cork now: calls go out at once.
    assert_eq!(block_on(start(&p.host, ECHO, b"direct".to_vec())).unwrap().payload, b"direct");
    assert!(p.host.cork_async_calls().is_some(), "a new cork can be had once the old one is gone");
}

/// The raw bytes on the pipe: the three calls held arrive in one read, so they were written
/// in one system call.
#[test]
fn the_flush_writes_the_held_calls_in_one_write() {
    let (host_read, peer_write) = io::pipe().unwrap();
    let (peer_read, host_write) = io::pipe().unwrap();
    let peer = std::thread::spawn(move || {
        let (mut input, mut output) = (std::fs::File::from(peer_read), std::fs::File::from(peer_write));
        let mut header = [0u8; frame::HEADER_LEN];
        input.read_exact(&mut header).unwrap();
        let header = frame::decode_header(&header, u32::MAX).unwrap();
        assert_eq!(header.kind, frame::Kind::Hello);
        input.read_exact(&mut vec![0u8; header.len as usize]).unwrap();
        let hello = handshake::Hello {
            magic: HELLO_MAGIC.into(),
            version: 2,
            max_frame: 1 << 20,
            window: 1 << 20,
            interface: "Test".into(),
            name: "raw".into(),
            methods: vec![ECHO],
            ..handshake::Hello::default()
        };
        output.write_all(&hello.to_frame().unwrap()).unwrap();
        // The first read after the handshake: the kinds of the frames it holds.
        let mut buf = vec![0u8; 1 << 16];
        let n = input.read(&mut buf).unwrap();
        let mut kinds = Vec::new();
        let mut at = 0;
        while at + frame::HEADER_LEN <= n {
            let header = frame::decode_header(buf[at..at + frame::HEADER_LEN].try_into().unwrap(), u32::MAX).unwrap();
            kinds.push(header.kind);
            at += frame::HEADER_LEN + header.len as usize;
        }
        assert_eq!(at, n, "whole frames");
        kinds
    });
    let host =
        Connection::establish(host_read, host_write, Role::Host, Config::default(), Duration::from_secs(30), |c| {
            TestService { peer: c, saw_cancel: Arc::new(Mutex::new(0)), waiting: Arc::new(Mutex::new(0)) }
        })
        .unwrap();
    let cork = host.cork_async_calls().unwrap();
    // Apart in time: without the cork, the peer would read the first call on its own.
    let mut calls = vec![start(&host, ECHO, b"first".to_vec())];
    std::thread::sleep(Duration::from_millis(100));
    calls.extend((0..2u32).map(|i| start(&host, ECHO, i.to_le_bytes().to_vec())));
    std::thread::sleep(Duration::from_millis(100));
    cork.flush();
    let kinds = peer.join().unwrap();
    assert_eq!(kinds, [frame::Kind::Call; 3]);
    drop(calls);
    drop(cork);
    host.close();
}

#[test]
fn the_flusher_is_told_when_the_connection_closes() {
    let p = pair();
    let cork = p.host.cork_async_calls().expect("the first cork");
    let count = Arc::new(Count::default());
    let waker = Waker::from(count.clone());
    assert_eq!(poll_ready(&cork, &waker), Poll::Pending);
    let held = start(&p.host, ECHO, b"held".to_vec());
    p.host.close();
    assert!(count.0.load(Ordering::SeqCst) >= 2, "told of the call, then of the close");
    assert_eq!(poll_ready(&cork, &waker), Poll::Ready(false), "closed: the flusher can stop");
    let r = block_on(held);
    assert!(matches!(r, Err(RpcError::Disconnected { .. })), "{r:?}");
}
