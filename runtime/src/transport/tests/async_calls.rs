//! The async path over real pipes: calls started without blocking and awaited as futures,
//! woken by the thread that reads the reply, with deadlines, cancellation by drop, the
//! connection's end, streams both ways, sinks, and a peer that stops reading.

use super::*;
use crate::testing::block_on;
use crate::AsyncChannel;
use std::sync::atomic::Ordering;

fn start(conn: &Connection, method: u32, payload: Vec<u8>) -> crate::PendingCall {
    conn.start_call(Request { method, payload, ..Request::default() })
}

#[test]
fn many_calls_in_flight_at_once_each_get_their_own_reply() {
    let p = pair();
    let calls: Vec<_> = (0..200u32).map(|i| (i, start(&p.host, ECHO, i.to_le_bytes().to_vec()))).collect();
    for (i, call) in calls.into_iter().rev() {
        assert_eq!(block_on(call).unwrap().payload, i.to_le_bytes());
    }
    // And from the plugin's side, where the calls come back to this process's host.
    assert_eq!(block_on(start(&p.plugin, ECHO, b"back".to_vec())).unwrap().payload, b"back");
}

#[test]
fn the_deadline_wakes_a_waiting_task_and_the_late_reply_is_discarded() {
    let p = pair();
    let begun = Instant::now();
    let call = with_deadline(Duration::from_millis(150), || start(&p.host, SLEEP_MS, 1500u64.to_le_bytes().to_vec()));
    let r = block_on(call);
    let took = begun.elapsed();
    assert!(matches!(r, Err(RpcError::Timeout { .. })), "{r:?}");
    assert!(took >= Duration::from_millis(150) && took < Duration::from_millis(1400), "gave up after {took:?}");
    // The connection is still good: the late reply was dropped, not taken for another call.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(block_on(start(&p.host, ECHO, b"after".to_vec())).unwrap().payload, b"after");
}

#[test]
fn the_connections_call_timeout_applies_to_async_calls() {
    let p = pair_with(
        Config { name: "host".into(), call_timeout: Some(Duration::from_millis(100)), ..Config::default() },
        Config { name: "plugin".into(), ..Config::default() },
    );
    let r = block_on(start(&p.host, SLEEP_MS, 2000u64.to_le_bytes().to_vec()));
    assert!(matches!(r, Err(RpcError::Timeout { .. })), "{r:?}");
}

#[test]
fn dropping_the_future_cancels_the_call_on_the_peer() {
    let p = pair();
    let call = start(&p.host, WAIT_CANCEL, Vec::new());
    let begun = Instant::now();
    while *p.plugin_waiting.lock().unwrap() == 0 {
        assert!(begun.elapsed() < Duration::from_secs(20), "the call never began");
        std::thread::sleep(Duration::from_millis(2));
    }
    drop(call);
    while *p.plugin_cancels.lock().unwrap() == 0 {
        assert!(begun.elapsed() < Duration::from_secs(20), "the plugin never saw the cancel");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn closing_ends_waiting_async_calls_at_once() {
    let p = pair();
    let calls: Vec<_> = (0..4).map(|_| start(&p.host, SLEEP_MS, 60_000u64.to_le_bytes().to_vec())).collect();
    std::thread::sleep(Duration::from_millis(50));
    let begun = Instant::now();
    p.plugin.close();
    for call in calls {
        let r = block_on(call);
        assert!(matches!(r, Err(RpcError::Disconnected { .. })), "{r:?}");
    }
    assert!(begun.elapsed() < Duration::from_secs(30));
    let r = block_on(start(&p.host, ECHO, Vec::new()));
    assert!(matches!(r, Err(RpcError::Disconnected { .. })), "{r:?}");
}

#[test]
fn streams_go_out_inline_or_pumped_and_come_back_polled() {
    let p = pair();
    let sum = |bytes: &[u8]| bytes.iter().fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(u64::from(*b)));
    let small: Vec<u8> = (0..1000u32).map(|i| i as u8).collect();
    let large: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    for (body, stream) in [
        (small.clone(), ByteStream::from(small.clone())),
        (large.clone(), ByteStream::new(std::io::Cursor::new(large.clone()).chain(&[][..]))),
    ] {
        let request = Request { method: COUNT_STREAM, streams: vec![stream], ..Request::default() };
        let reply = block_on(p.host.start_call(request)).unwrap();
        assert_eq!(reply.payload, [(body.len() as u64).to_le_bytes(), sum(&body).to_le_bytes()].concat());
    }

    let n = 5_000_000u64;
    let mut reply = block_on(start(&p.host, GIVE_STREAM, n.to_le_bytes().to_vec())).unwrap();
    let mut stream = reply.streams.remove(0);
    assert!(stream.reads_without_blocking(), "a stream from the peer can be polled");
    let total = block_on(async {
        let mut total = 0u64;
        while let Some(chunk) = stream.next_chunk().await.unwrap() {
            assert!(chunk.iter().all(|&b| b == 7));
            total += chunk.len() as u64;
        }
        total
    });
    assert_eq!(total, n, "every byte arrived, through windows of {DEFAULT_STREAM_WINDOW} bytes");
}

#[test]
fn a_call_with_a_sink_runs_on_a_pool_thread_and_fills_the_sink() {
    let p = pair();
    let buffer = SharedBuffer::new();
    let request = Request {
        method: FILL_SINK,
        payload: 300_000u64.to_le_bytes().to_vec(),
        sinks: vec![buffer.sink()],
        ..Request::default()
    };
    block_on(p.host.start_call(request)).unwrap();
    assert_eq!(buffer.contents().len(), 300_000);
}

/// A peer that stops reading its pipe cannot hold up the async caller: calls worth four pipes
/// are started at once (what does not fit waits for a pool thread), and once the peer reads
/// again, every one comes back intact and in its own reply.
#[test]
fn a_peer_that_stops_reading_never_blocks_the_async_caller() {
    let p = Arc::new(pair());
    let stalled = p.plugin.inner.reader.stall();
    // Started on a thread of its own, so a caller that blocks fails the test instead of
    // hanging it.
    let (tx, rx) = std::sync::mpsc::channel();
    let host = p.clone();
    std::thread::spawn(move || {
        let calls: Vec<_> = (0..64u8).map(|i| (i, start(&host.host, ECHO, vec![i; 64 << 10]))).collect();
        let _ = tx.send(calls);
    });
    let calls = rx.recv_timeout(Duration::from_secs(10)).expect("starting the calls blocked on the full pipe");
    drop(stalled);
    for (i, call) in calls {
        let reply = block_on(call).unwrap();
        assert!(reply.payload.len() == 64 << 10 && reply.payload.iter().all(|&b| b == i), "call {i} came back altered");
    }
}

/// Waits until `reader`'s pipe is readable, then reads it, until `stop` is set: what an async
/// runtime's reactor does with an [`ExternalReader`].
fn reactor(reader: ExternalReader, stop: Arc<std::sync::atomic::AtomicBool>) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        use std::os::fd::AsRawFd;
        let mut reads = 0;
        while !stop.load(Ordering::SeqCst) {
            let mut pfd = libc::pollfd { fd: reader.as_raw_fd(), events: libc::POLLIN, revents: 0 };
            // SAFETY: one valid pollfd.
            if unsafe { libc::poll(&mut pfd, 1, 10) } > 0 {
                reads += 1;
                if reader.read_available() == Available::Closed {
                    break;
                }
            }
        }
        reads
    })
}

#[test]
fn an_external_reader_reads_the_replies_and_the_pollers_stay_off_the_pipe() {
    let p = pair();
    let reader = p.host.external_reader().expect("the first external reader");
    assert!(p.host.external_reader().is_none(), "one external reader per connection");
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watching = reactor(reader, stop.clone());
    let begun = Instant::now();
    for i in 0..100u32 {
        assert_eq!(block_on(start(&p.host, ECHO, i.to_le_bytes().to_vec())).unwrap().payload, i.to_le_bytes());
    }
    // Calls from the peer are read by the external reader too, and served by the pool.
    assert_eq!(call(&p.plugin, ECHO, b"from the plugin".to_vec()).unwrap().payload, b"from the plugin");
    // Frames the pollers may take: the two pollers asleep in their wait when the external
    // reader came read one each as they wake and see it, and their safety-net look (every
    // 100 ms, `EXTERNAL_CHECK`) may take one now and then.
    let looks = 2 + (begun.elapsed().as_millis() / 100) as usize;
    stop.store(true, Ordering::SeqCst);
    let reads = watching.join().unwrap();
    assert!(reads + looks >= 101, "the external reader read the replies ({reads} reads, {looks} looks)");

    // Dropped: the pollers read the pipe again, so async calls still get their replies.
    assert_eq!(block_on(start(&p.host, ECHO, b"pollers".to_vec())).unwrap().payload, b"pollers");
    assert!(p.host.external_reader().is_some(), "a new one can be had once the old one is gone");
}

#[test]
fn a_stalled_external_reader_still_gets_the_peers_calls_served() {
    let p = pair();
    let _stalled = p.host.external_reader().expect("the first external reader");
    let begun = Instant::now();
    assert_eq!(call(&p.plugin, ECHO, b"anyone?".to_vec()).unwrap().payload, b"anyone?");
    assert!(begun.elapsed() < Duration::from_secs(5), "served by the pollers' look behind it");
    // A reply to an async caller too (nobody waits on a thread for it).
    assert_eq!(block_on(start(&p.host, ECHO, b"late".to_vec())).unwrap().payload, b"late");
}
