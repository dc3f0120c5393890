//! Tests of the connection over real pipes inside one process ([`connect_pair`]), with a
//! hand-written dispatcher whose methods exercise each path (echo, sleep, streams, sinks,
//! panics, calling back). The workspace's integration tests repeat the important ones with
//! generated glue and real plugin processes.

use super::*;

mod async_calls;
mod corked_calls;
use crate::{ByteSink, ByteStream, Channel, InterfaceInfo, MethodInfo, Request, Response, RpcError, SharedBuffer};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const ECHO: u32 = 0;
const SLEEP_MS: u32 = 1;
const COUNT_STREAM: u32 = 2;
const FILL_SINK: u32 = 3;
const GIVE_STREAM: u32 = 4;
const PANIC: u32 = 5;
const CALL_PEER: u32 = 6;
const WAIT_CANCEL: u32 = 7;
const GATE_WAIT: u32 = 8;
const GATE_OPEN: u32 = 9;
const PEER_GATE_WAIT: u32 = 10;
/// Sleeps 200 ms counting how many of these are served at once (only one test calls it).
const COUNTED_SLEEP: u32 = 11;
/// Answers as many zero bytes as the payload's u64 says.
const BIG_REPLY: u32 = 12;

static METHODS: [MethodInfo; 13] = [
    MethodInfo { id: ECHO, name: "echo" },
    MethodInfo { id: SLEEP_MS, name: "sleep_ms" },
    MethodInfo { id: COUNT_STREAM, name: "count_stream" },
    MethodInfo { id: FILL_SINK, name: "fill_sink" },
    MethodInfo { id: GIVE_STREAM, name: "give_stream" },
    MethodInfo { id: PANIC, name: "panic" },
    MethodInfo { id: CALL_PEER, name: "call_peer" },
    MethodInfo { id: WAIT_CANCEL, name: "wait_cancel" },
    MethodInfo { id: GATE_WAIT, name: "gate_wait" },
    MethodInfo { id: GATE_OPEN, name: "gate_open" },
    MethodInfo { id: PEER_GATE_WAIT, name: "peer_gate_wait" },
    MethodInfo { id: COUNTED_SLEEP, name: "counted_sleep" },
    MethodInfo { id: BIG_REPLY, name: "big_reply" },
];

/// Gates for `GATE_WAIT` (blocks until the gate opens) and `GATE_OPEN`, chosen by the first
/// payload byte, each with how long its wait took; one per test that uses them, as tests run
/// at once. `PEER_GATE_WAIT` has the peer wait instead.
/// `COUNTED_SLEEP` calls being served now, and the most at once.
static COUNTED: (AtomicUsize, AtomicUsize) = (AtomicUsize::new(0), AtomicUsize::new(0));
static GATES: [Mutex<(bool, Option<Duration>)>; 2] = [Mutex::new((false, None)), Mutex::new((false, None))];
static TEST_IFACE: InterfaceInfo = InterfaceInfo { name: "Test", methods: &METHODS };

/// Serves the test methods; payloads are raw bytes or little-endian u64s.
struct TestService {
    peer: Connection,
    saw_cancel: Arc<Mutex<u32>>,
    /// WAIT_CANCEL calls that have begun: a test cancels only once its call is being served.
    waiting: Arc<Mutex<u32>>,
}

fn u64_of(payload: &[u8]) -> u64 {
    u64::from_le_bytes(payload[..8].try_into().unwrap())
}

impl crate::Dispatch for TestService {
    fn interface(&self) -> &'static InterfaceInfo {
        &TEST_IFACE
    }

    fn dispatch(&self, mut request: Request) -> Result<Response, RpcError> {
        let payload = match request.method {
            ECHO => request.payload,
            BIG_REPLY => vec![0; u64_of(&request.payload) as usize],
            COUNTED_SLEEP => {
                let now = COUNTED.0.fetch_add(1, Ordering::SeqCst) + 1;
                COUNTED.1.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(200));
                COUNTED.0.fetch_sub(1, Ordering::SeqCst);
                Vec::new()
            }
            SLEEP_MS => {
                std::thread::sleep(Duration::from_millis(u64_of(&request.payload)));
                Vec::new()
            }
            COUNT_STREAM => {
                let mut stream = std::mem::take(&mut request.streams[0]);
                let mut buf = vec![0u8; 100_000];
                let (mut total, mut sum) = (0u64, 0u64);
                loop {
                    let n = stream.read(&mut buf).map_err(|e| RpcError::Protocol { detail: e.to_string() })?;
                    if n == 0 {
                        break;
                    }
                    total += n as u64;
                    sum = buf[..n].iter().fold(sum, |a, b| a.wrapping_mul(31).wrapping_add(u64::from(*b)));
                }
                [total.to_le_bytes(), sum.to_le_bytes()].concat()
            }
            FILL_SINK => {
                let n = u64_of(&request.payload);
                let mut sink = std::mem::take(&mut request.sinks[0]);
                let chunk: Vec<u8> = (0..10_000u32).map(|i| i as u8).collect();
                let mut left = n;
                while left > 0 {
                    let k = left.min(chunk.len() as u64) as usize;
                    sink.write_all(&chunk[..k]).map_err(|e| RpcError::Protocol { detail: e.to_string() })?;
                    left -= k as u64;
                }
                Vec::new()
            }
            GIVE_STREAM => {
                let n = u64_of(&request.payload);
                let stream = ByteStream::new(std::io::repeat(7).take(n));
                return Ok(Response { payload: Vec::new(), streams: vec![stream] });
            }
            PANIC => panic!("asked to panic"),
            CALL_PEER => {
                let depth = u64_of(&request.payload);
                if depth == 0 {
                    b"bottom".to_vec()
                } else {
                    let reply = self.peer.call(Request {
                        method: CALL_PEER,
                        payload: (depth - 1).to_le_bytes().to_vec(),
                        ..Request::default()
                    })?;
                    [format!("{depth}/").into_bytes(), reply.payload].concat()
                }
            }
            WAIT_CANCEL => {
                *self.waiting.lock().unwrap() += 1;
                let start = Instant::now();
                while !is_cancelled() && start.elapsed() < Duration::from_secs(30) {
                    std::thread::sleep(Duration::from_millis(2));
                }
                *self.saw_cancel.lock().unwrap() += 1;
                Vec::new()
            }
            GATE_WAIT => {
                let gate = &GATES[usize::from(request.payload[0])];
                let start = Instant::now();
                while !gate.lock().unwrap().0 && start.elapsed() < Duration::from_secs(20) {
                    std::thread::sleep(Duration::from_millis(1));
                }
                gate.lock().unwrap().1 = Some(start.elapsed());
                Vec::new()
            }
            GATE_OPEN => {
                GATES[usize::from(request.payload[0])].lock().unwrap().0 = true;
                Vec::new()
            }
            PEER_GATE_WAIT => {
                self.peer.call(Request { method: GATE_WAIT, payload: request.payload, ..Request::default() })?;
                Vec::new()
            }
            other => return Err(crate::unknown_method(&TEST_IFACE, other)),
        };
        Ok(Response { payload, streams: Vec::new() })
    }
}

struct Pair {
    host: Connection,
    plugin: Connection,
    plugin_cancels: Arc<Mutex<u32>>,
    plugin_waiting: Arc<Mutex<u32>>,
}

fn pair_with(host_config: Config, plugin_config: Config) -> Pair {
    try_pair_with(host_config, plugin_config).expect("pair connects")
}

fn try_pair_with(host_config: Config, plugin_config: Config) -> Result<Pair, RpcError> {
    let plugin_cancels = Arc::new(Mutex::new(0));
    let pc = plugin_cancels.clone();
    let plugin_waiting = Arc::new(Mutex::new(0));
    let pw = plugin_waiting.clone();
    let (host, plugin) = connect_pair(
        host_config,
        |c| TestService { peer: c, saw_cancel: Arc::new(Mutex::new(0)), waiting: Arc::new(Mutex::new(0)) },
        plugin_config,
        move |c| TestService { peer: c, saw_cancel: pc, waiting: pw },
    )?;
    Ok(Pair { host, plugin, plugin_cancels, plugin_waiting })
}

fn pair() -> Pair {
    pair_with(
        Config { name: "host".into(), ..Config::default() },
        Config { name: "plugin".into(), ..Config::default() },
    )
}

fn call(conn: &Connection, method: u32, payload: Vec<u8>) -> Result<Response, RpcError> {
    conn.call(Request { method, payload, ..Request::default() })
}

#[test]
fn handshake_exchanges_methods_and_calls_go_both_ways() {
    let p = pair();
    assert_eq!(p.host.peer_interface(), "Test");
    assert_eq!(p.host.peer_methods().len(), METHODS.len());
    assert_eq!(p.plugin.peer_name(), "host");
    assert_eq!(p.host.protocol_version(), 2);
    assert_eq!(call(&p.host, ECHO, b"to plugin".to_vec()).unwrap().payload, b"to plugin");
    assert_eq!(call(&p.plugin, ECHO, b"to host".to_vec()).unwrap().payload, b"to host");
    assert!(p.host.ping(Duration::from_secs(10)).is_ok());
    assert!(p.plugin.ping(Duration::from_secs(10)).is_ok());
}

/// The frame kinds a raw peer that chose protocol `version` receives from a host that pings it,
/// runs `between_pings` with the connection, pings it again and closes.
fn kinds_a_raw_peer_receives(version: u32, between_pings: impl FnOnce(&Connection)) -> Vec<frame::Kind> {
    let (host_read, peer_write) = io::pipe().unwrap();
    let (peer_read, host_write) = io::pipe().unwrap();
    let peer = std::thread::spawn(move || {
        let (mut input, mut output) = (std::fs::File::from(peer_read), std::fs::File::from(peer_write));
        let mut frames = Vec::new();
        loop {
            let mut header = [0u8; frame::HEADER_LEN];
            if input.read_exact(&mut header).is_err() {
                return frames;
            }
            let header = frame::decode_header(&header, u32::MAX).unwrap();
            let mut body = vec![0u8; header.len as usize];
            input.read_exact(&mut body).unwrap();
            match header.kind {
                frame::Kind::Hello => {
                    let hello = handshake::Hello {
                        magic: HELLO_MAGIC.into(),
                        version,
                        max_frame: 1 << 20,
                        window: 1 << 20,
                        interface: "Test".into(),
                        name: "raw".into(),
                        ..handshake::Hello::default()
                    };
                    output.write_all(&hello.to_frame().unwrap()).unwrap();
                }
                frame::Kind::Ping => {
                    let pong = frame::Header { kind: frame::Kind::Pong, flags: 0, len: 0, id: header.id };
                    output.write_all(&pong.encode()).unwrap();
                    frames.push(header.kind);
                }
                kind => frames.push(kind),
            }
        }
    });
    let host =
        Connection::establish(host_read, host_write, Role::Host, Config::default(), Duration::from_secs(30), |c| {
            TestService { peer: c, saw_cancel: Arc::new(Mutex::new(0)), waiting: Arc::new(Mutex::new(0)) }
        })
        .unwrap();
    assert_eq!(host.protocol_version(), version);
    host.ping(Duration::from_secs(30)).unwrap();
    between_pings(&host);
    host.ping(Duration::from_secs(30)).unwrap();
    host.close();
    peer.join().unwrap()
}

/// The heads-up (EXPECT) reaches only a peer on version 2: a version-1 peer would take it for
/// garbage.
#[test]
fn a_heads_up_reaches_only_a_peer_that_chose_version_2() {
    use frame::Kind::{Expect, Goodbye, Ping};
    assert_eq!(kinds_a_raw_peer_receives(2, Connection::heads_up), [Ping, Expect, Ping, Goodbye]);
    assert_eq!(kinds_a_raw_peer_receives(1, Connection::heads_up), [Ping, Ping, Goodbye]);
}

/// `with_heads_up` sends one heads-up once the first call inside it (here to another peer) is
/// written, none for the calls after it, and none when the block makes no call.
#[test]
fn with_heads_up_warns_once_after_the_first_call_inside_it() {
    use frame::Kind::{Expect, Goodbye, Ping};
    let other = pair();
    let kinds = kinds_a_raw_peer_receives(2, |next| {
        let answers = next.with_heads_up(|| {
            [call(&other.host, ECHO, b"first".to_vec()).unwrap(), call(&other.host, ECHO, b"second".to_vec()).unwrap()]
        });
        assert_eq!(answers.map(|r| r.payload), [b"first".to_vec(), b"second".to_vec()]);
        next.with_heads_up(|| ());
        // The block above ended without a call: what it set does not leak into this one.
        call(&other.host, ECHO, b"outside".to_vec()).unwrap();
    });
    assert_eq!(kinds, [Ping, Expect, Ping, Goodbye]);
}

#[test]
fn a_heads_up_changes_nothing_but_timing() {
    let p = pair();
    for _ in 0..100 {
        p.host.heads_up();
        assert_eq!(call(&p.host, ECHO, b"after".to_vec()).unwrap().payload, b"after");
        p.plugin.heads_up();
        p.plugin.heads_up();
    }
    // A heads-up with no call after it: the peer's poller gives up waiting and sleeps.
    p.host.heads_up();
    std::thread::sleep(Duration::from_millis(5));
    assert_eq!(call(&p.host, ECHO, b"later".to_vec()).unwrap().payload, b"later");
    assert!(p.plugin.ping(Duration::from_secs(10)).is_ok());
    assert!(!p.host.is_closed() && !p.plugin.is_closed());
}

#[test]
fn reentrant_calls_nest_both_ways() {
    let p = pair();
    let reply = call(&p.host, CALL_PEER, 6u64.to_le_bytes().to_vec()).unwrap();
    assert_eq!(String::from_utf8(reply.payload).unwrap(), "6/5/4/3/2/1/bottom");
}

#[test]
fn many_threads_call_both_ways_at_once() {
    let p = pair();
    let p = Arc::new(p);
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let p = p.clone();
            std::thread::spawn(move || {
                let conn = if t % 2 == 0 { &p.host } else { &p.plugin };
                for i in 0..200u32 {
                    let msg = format!("{t}-{i}").into_bytes();
                    assert_eq!(call(conn, ECHO, msg.clone()).unwrap().payload, msg);
                    if i % 50 == 0 {
                        let r = call(conn, CALL_PEER, 3u64.to_le_bytes().to_vec()).unwrap();
                        assert_eq!(r.payload, b"3/2/1/bottom");
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

/// Many threads on both sides send frames of every size at once, so small frames queue behind
/// the thread writing (and are written in its batches) while large ones wait their turn, and
/// the pipe fills up (2 MB payloads against a 64 KiB pipe): every echo must come back intact,
/// including re-entrant calls made while the writers are busy.
#[test]
fn frames_of_all_sizes_from_many_threads_arrive_intact_under_a_full_pipe() {
    let p = Arc::new(pair());
    let sizes = [0usize, 1, 100, 5_000, 16 * 1024, 16 * 1024 + 1, 70_000, 300_000, 2_000_000];
    let threads: Vec<_> = (0..16u8)
        .map(|t| {
            let p = p.clone();
            std::thread::spawn(move || {
                let conn = if t % 2 == 0 { &p.host } else { &p.plugin };
                for i in 0..40usize {
                    let size = sizes[(i + usize::from(t)) % sizes.len()];
                    let msg: Vec<u8> = (0..size).map(|k| (k as u8).wrapping_mul(31).wrapping_add(t)).collect();
                    let reply = call(conn, ECHO, msg.clone()).unwrap();
                    assert!(reply.payload == msg, "thread {t} call {i}: {size} bytes came back altered");
                    if i % 7 == 0 {
                        let r = call(conn, CALL_PEER, 4u64.to_le_bytes().to_vec()).unwrap();
                        assert_eq!(r.payload, b"4/3/2/1/bottom");
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

/// Calls that arrive together (read from the pipe in one go) are still served at the same
/// time: the pool sends one thread for the queue and each thread that takes a call sends the
/// next, so sixteen 300 ms calls take about 300 ms, not 4.8 s.
#[test]
fn a_burst_of_calls_is_served_concurrently() {
    let p = Arc::new(pair());
    for _ in 0..2 {
        let start = Instant::now();
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let p = p.clone();
                std::thread::spawn(move || call(&p.host, SLEEP_MS, 300u64.to_le_bytes().to_vec()).unwrap())
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let took = start.elapsed();
        assert!(took < Duration::from_millis(2500), "16 concurrent 300 ms calls took {took:?}");
    }
}

/// Writes calls (method, payload) straight onto the pipe to the plugin in one write, so the
/// plugin reads them as one batch. Their replies go to ids nobody waits for.
fn send_as_one_batch(p: &Pair, calls: &[(u32, &[u8])]) {
    let mut bytes = Vec::new();
    for (i, (method, payload)) in calls.iter().enumerate() {
        let tail = frame::call_tail(*method, 0, &[], &[]);
        let len = (payload.len() + tail.len()) as u32;
        let id = (1 << 40) + i as u64;
        bytes.extend_from_slice(&frame::Header { kind: frame::Kind::Call, flags: 0, len, id }.encode());
        bytes.extend_from_slice(payload);
        bytes.extend_from_slice(&tail);
    }
    p.host.write_raw(&bytes).unwrap();
}

/// How long the wait at `gate` took, once it is over.
fn gate_wait_time(gate: usize) -> Duration {
    let start = Instant::now();
    loop {
        if let Some(waited) = GATES[gate].lock().unwrap().1 {
            return waited;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "the wait at gate {gate} never ended");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Calls read together are served one after another by the thread that read them, but one
/// that blocks must not hold up those behind it: here the first waits for the second to open a
/// gate.
#[test]
fn a_blocked_call_does_not_hold_up_the_calls_read_with_it() {
    let p = pair();
    send_as_one_batch(&p, &[(GATE_WAIT, &[0]), (GATE_OPEN, &[0])]);
    let waited = gate_wait_time(0);
    assert!(waited < Duration::from_secs(5), "the call behind the blocked one waited {waited:?}");
    assert_eq!(call(&p.host, ECHO, b"still here".to_vec()).unwrap().payload, b"still here");
}

/// The same when the blocked call is itself waiting for the peer (so its thread leads the
/// reads, and the pollers stand aside): the peer's wait ends only once the second call runs.
#[test]
fn a_call_waiting_on_the_peer_does_not_hold_up_the_calls_read_with_it() {
    let p = pair();
    send_as_one_batch(&p, &[(PEER_GATE_WAIT, &[1]), (GATE_OPEN, &[1])]);
    let waited = gate_wait_time(1);
    assert!(waited < Duration::from_secs(5), "the call behind the blocked one waited {waited:?}");
    assert_eq!(call(&p.host, ECHO, b"still here".to_vec()).unwrap().payload, b"still here");
}

#[test]
fn panics_come_back_as_errors() {
    let p = pair();
    match call(&p.host, PANIC, Vec::new()) {
        Err(RpcError::Panicked { method, message }) => {
            assert_eq!(method, "panic");
            assert!(message.contains("asked to panic"));
        }
        other => panic!("expected Panicked, got {other:?}"),
    }
    assert_eq!(call(&p.host, ECHO, b"still alive".to_vec()).unwrap().payload, b"still alive");
}

#[test]
fn deadline_times_out_and_the_late_reply_is_discarded() {
    let p = pair();
    let start = Instant::now();
    let r = with_deadline(Duration::from_millis(200), || call(&p.host, SLEEP_MS, 1500u64.to_le_bytes().to_vec()));
    // The scope's clock started before the call's, so the call had at most 200 ms of it (less
    // by however long this thread waited between the two on a loaded machine).
    assert!(matches!(r, Err(RpcError::Timeout { after_ms: 100..=200 })), "{r:?}");
    assert!(start.elapsed() < Duration::from_millis(1500), "the call returned at its deadline, not with the reply");
    // Calls made while the late reply is still coming, and after it came, get their own replies.
    for i in 0..20u32 {
        let msg = i.to_le_bytes().to_vec();
        assert_eq!(call(&p.host, ECHO, msg.clone()).unwrap().payload, msg);
        std::thread::sleep(Duration::from_millis(100));
    }
    // The channel default applies without a scope.
    let p =
        pair_with(Config { call_timeout: Some(Duration::from_millis(100)), ..Config::default() }, Config::default());
    let r = call(&p.host, SLEEP_MS, 2000u64.to_le_bytes().to_vec());
    assert!(matches!(r, Err(RpcError::Timeout { after_ms: 100 })), "{r:?}");
    // A scope overrides the default, also upwards.
    let r = with_deadline(Duration::from_secs(60), || call(&p.host, SLEEP_MS, 300u64.to_le_bytes().to_vec()));
    assert!(r.is_ok(), "{r:?}");
}

#[test]
fn cancel_token_cancels_a_waiting_call() {
    let p = pair();
    let token = CancelToken::new();
    let t2 = token.clone();
    let waiting = p.plugin_waiting.clone();
    // Cancels once the call is being served, however long the machine takes to get there (a
    // fixed sleep could cancel before the call was sent, and then no CANCEL frame would go).
    let canceller = std::thread::spawn(move || {
        let wait = Instant::now();
        while *waiting.lock().unwrap() == 0 && wait.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(2));
        }
        t2.cancel();
    });
    let r = with_cancel(&token, || call(&p.host, WAIT_CANCEL, Vec::new()));
    assert!(matches!(r, Err(RpcError::Cancelled)), "{r:?}");
    canceller.join().unwrap();
    let wait = Instant::now();
    while *p.plugin_cancels.lock().unwrap() == 0 && wait.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(*p.plugin_cancels.lock().unwrap(), 1, "the CANCEL frame reached the callee");
    // A cancelled token fails later calls at once.
    assert!(matches!(with_cancel(&token, || call(&p.host, ECHO, Vec::new())), Err(RpcError::Cancelled)));
}

#[test]
fn streams_sinks_and_returned_streams_flow_with_bounded_windows() {
    let small = Config { stream_window: 64 * 1024, ..Config::default() };
    let p = pair_with(small.clone(), small);
    let n: u64 = 5 << 20;
    let data: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
    let expected_sum = data.iter().fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(u64::from(*b)));
    let r = p
        .host
        .call(Request { method: COUNT_STREAM, streams: vec![ByteStream::from(data)], ..Request::default() })
        .unwrap();
    assert_eq!(u64_of(&r.payload), n);
    assert_eq!(u64_of(&r.payload[8..]), expected_sum);

    let buffer = SharedBuffer::new();
    p.host
        .call(Request {
            method: FILL_SINK,
            payload: n.to_le_bytes().to_vec(),
            sinks: vec![buffer.sink()],
            ..Request::default()
        })
        .unwrap();
    assert_eq!(buffer.contents().len() as u64, n);

    let mut r = call(&p.host, GIVE_STREAM, n.to_le_bytes().to_vec()).unwrap();
    let got = r.streams.remove(0).read_all().unwrap();
    assert_eq!(got.len() as u64, n);
    assert!(got.iter().all(|b| *b == 7));
    // Dropping a returned stream early stops its pump; the connection stays usable.
    let r = call(&p.host, GIVE_STREAM, (1u64 << 30).to_le_bytes().to_vec()).unwrap();
    drop(r);
    assert_eq!(call(&p.host, ECHO, b"ok".to_vec()).unwrap().payload, b"ok");
}

#[test]
fn a_failing_sink_does_not_break_the_call() {
    struct Broken;
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let p = pair();
    let r = p.host.call(Request {
        method: FILL_SINK,
        payload: (4u64 << 20).to_le_bytes().to_vec(),
        sinks: vec![ByteSink::new(Broken)],
        ..Request::default()
    });
    // The callee's write fails (the caller reset the sink) and it reports that as its error.
    assert!(matches!(r, Err(RpcError::Protocol { .. })), "{r:?}");
    assert_eq!(call(&p.host, ECHO, b"ok".to_vec()).unwrap().payload, b"ok");
}

#[test]
fn oversize_requests_are_refused_before_sending() {
    let p = pair_with(Config::default(), Config { max_frame: 1 << 16, ..Config::default() });
    let r = call(&p.host, ECHO, vec![0; 1 << 17]);
    assert!(matches!(r, Err(RpcError::FrameTooLarge { limit: 65536, .. })), "{r:?}");
    // Nothing was sent, so the connection is fine, and a request under the limit goes through.
    assert_eq!(call(&p.host, ECHO, vec![1; 60_000]).unwrap().payload, vec![1; 60_000]);
}

#[test]
fn a_reply_over_the_callers_limit_comes_back_as_that_error() {
    let p = pair_with(Config { max_frame: 1 << 16, ..Config::default() }, Config::default());
    // The request is small; the reply the peer would send is over the caller's limit, so the
    // peer refuses to send it and answers the error instead.
    let r = call(&p.host, BIG_REPLY, (1u64 << 17).to_le_bytes().to_vec());
    assert!(matches!(r, Err(RpcError::FrameTooLarge { limit: 65536, .. })), "{r:?}");
    // Just under the limit comes back whole, and the connection stays usable.
    assert_eq!(call(&p.host, BIG_REPLY, 60_000u64.to_le_bytes().to_vec()).unwrap().payload.len(), 60_000);
    assert_eq!(call(&p.host, ECHO, b"ok".to_vec()).unwrap().payload, b"ok");
}

#[test]
fn a_peer_serving_another_interface_is_refused_at_the_handshake() {
    let expect = |name: &str| Config { peer_interface: Some(name.into()), ..Config::default() };
    // Each side names the interface it expects of the other, rightly.
    let p = pair_with(expect("Test"), expect("Test"));
    assert_eq!(call(&p.host, ECHO, b"ok".to_vec()).unwrap().payload, b"ok");
    // The host expects another interface: it refuses the plugin, before any call.
    match try_pair_with(expect("Hooks"), Config::default()) {
        Err(RpcError::Protocol { detail }) => {
            assert!(detail.contains(r#"serves the interface "Test", not "Hooks""#), "{detail}")
        }
        other => panic!("expected a protocol error, got {:?}", other.err()),
    }
    // The plugin expects another host: it says why, and the host hears it.
    match try_pair_with(Config::default(), expect("API")) {
        Err(RpcError::Protocol { detail }) => {
            assert!(detail.contains("refused the handshake") && detail.contains(r#"not "API""#), "{detail}")
        }
        other => panic!("expected a protocol error, got {:?}", other.err()),
    }
}

#[test]
fn garbage_closes_the_connection_with_a_protocol_error() {
    let p = pair();
    let slow = {
        let host = p.host.clone();
        std::thread::spawn(move || call(&host, SLEEP_MS, 2000u64.to_le_bytes().to_vec()))
    };
    std::thread::sleep(Duration::from_millis(100));
    p.plugin.write_raw(b"this is not a frame\n").unwrap();
    let r = slow.join().unwrap();
    assert!(matches!(r, Err(RpcError::Protocol { .. })), "{r:?}");
    assert!(matches!(p.host.close_reason(), Some(RpcError::Protocol { .. })));
    // The plugin side sees the host hang up.
    assert!(p.plugin.wait_closed(Some(Duration::from_secs(30))).is_some());
}

/// Writes a CALL frame with the given request stream ids past the framing layer, as a peer
/// that breaks the protocol would.
fn raw_call(conn: &Connection, id: u64, method: u32, streams: &[u64]) {
    let tail = frame::call_tail(method, 0, streams, &[]);
    let header = frame::Header { kind: frame::Kind::Call, flags: 0, len: tail.len() as u32, id }.encode();
    conn.write_raw(&[&header[..], &tail].concat()).unwrap();
}

fn closes_over_stream_id(conn: &Connection, id: u64) {
    let reason = conn.wait_closed(Some(Duration::from_secs(30)));
    assert!(matches!(reason, Some(RpcError::Protocol { .. })), "{reason:?}");
    let reason = reason.unwrap().to_string();
    assert!(reason.contains(&format!("stream id {id} is already in use")), "{reason}");
}

#[test]
fn a_stream_id_already_in_use_closes_the_connection_with_a_protocol_error() {
    let p = pair();
    // A call whose request stream never sends: its stream id stays in use while it is served.
    raw_call(&p.plugin, 1_000_001, COUNT_STREAM, &[1_000_003]);
    std::thread::sleep(Duration::from_millis(100));
    assert!(!p.host.is_closed());
    raw_call(&p.plugin, 1_000_005, COUNT_STREAM, &[1_000_003]);
    closes_over_stream_id(&p.host, 1_000_003);
    // The plugin side sees the host hang up.
    assert!(p.plugin.wait_closed(Some(Duration::from_secs(30))).is_some());
}

#[test]
fn a_stream_id_listed_twice_in_one_call_closes_the_connection_with_a_protocol_error() {
    let p = pair();
    raw_call(&p.plugin, 1_000_001, COUNT_STREAM, &[1_000_003, 1_000_007, 1_000_003]);
    closes_over_stream_id(&p.host, 1_000_003);
}

#[test]
fn a_reply_reusing_a_stream_id_fails_its_call_and_closes_the_connection() {
    let p = pair();
    let slow = {
        let host = p.host.clone();
        std::thread::spawn(move || call(&host, SLEEP_MS, 2000u64.to_le_bytes().to_vec()))
    };
    std::thread::sleep(Duration::from_millis(100));
    // The reply to the host's first call (id 2: its ids are even, counted from 1), returning
    // the same stream twice. The call was already out of the table when the reply was refused:
    // it must still hear why, not wait on a closed connection.
    let tail = frame::reply_tail(&[1_000_003, 1_000_003]);
    let header = frame::Header { kind: frame::Kind::Reply, flags: 0, len: tail.len() as u32, id: 2 }.encode();
    p.plugin.write_raw(&[&header[..], &tail].concat()).unwrap();
    let r = slow.join().unwrap();
    assert!(matches!(&r, Err(RpcError::Protocol { detail }) if detail.contains("stream id 1000003")), "{r:?}");
    closes_over_stream_id(&p.host, 1_000_003);
}

#[test]
fn closing_ends_outstanding_calls_at_once() {
    let p = pair();
    let waiting: Vec<_> = (0..4)
        .map(|_| {
            let host = p.host.clone();
            std::thread::spawn(move || call(&host, SLEEP_MS, 60_000u64.to_le_bytes().to_vec()))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let start = Instant::now();
    p.plugin.close();
    for w in waiting {
        let r = w.join().unwrap();
        assert!(matches!(r, Err(RpcError::Disconnected { .. })), "{r:?}");
    }
    assert!(start.elapsed() < Duration::from_secs(30));
    assert!(matches!(call(&p.host, ECHO, Vec::new()), Err(RpcError::Disconnected { .. })));
}

/// Keeps a pair alive for the whole test binary, for tests that only need a healthy link.
#[allow(dead_code)]
fn shared_pair() -> &'static Pair {
    static PAIR: OnceLock<Pair> = OnceLock::new();
    PAIR.get_or_init(pair)
}

/// Waits until `conn`'s pool has exactly `threads` threads.
fn pool_settles_at(conn: &Connection, threads: usize) {
    let start = Instant::now();
    while conn.inner.pool.threads() != threads {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the pool kept {} threads, not {threads}",
            conn.inner.pool.threads()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A connection that keeps one thread when idle drops to it, and that one thread (the poller)
/// still serves single, concurrent and re-entrant calls: it starts its replacement before it
/// serves, so the pipe is always read. Both sides keep one, so the calls back are served by a
/// floor-of-one pool too.
#[test]
fn a_floor_of_one_idle_thread_still_serves_every_kind_of_call() {
    let config = |name: &str| Config {
        name: name.into(),
        min_idle_threads: 1,
        idle_exit: Duration::from_millis(100),
        ..Config::default()
    };
    let p = Arc::new(pair_with(config("host"), config("plugin")));
    for round in 0..2 {
        pool_settles_at(&p.host, 1);
        pool_settles_at(&p.plugin, 1);
        // A single call each way.
        assert_eq!(call(&p.plugin, ECHO, b"cold".to_vec()).unwrap().payload, b"cold");
        assert_eq!(call(&p.host, ECHO, b"cold".to_vec()).unwrap().payload, b"cold");
        // Concurrent calls each get a thread: eight 300 ms calls take far less than 2.4 s.
        let start = Instant::now();
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let p = p.clone();
                std::thread::spawn(move || {
                    let side = if i % 2 == 0 { &p.plugin } else { &p.host };
                    call(side, SLEEP_MS, 300u64.to_le_bytes().to_vec()).unwrap()
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let took = start.elapsed();
        assert!(took < Duration::from_millis(1500), "round {round}: 8 concurrent 300 ms calls took {took:?}");
        // Re-entrant calls: each handler calls back the side that called it.
        pool_settles_at(&p.host, 1);
        pool_settles_at(&p.plugin, 1);
        let reply = call(&p.plugin, CALL_PEER, 5u64.to_le_bytes().to_vec()).unwrap().payload;
        assert_eq!(reply, b"5/4/3/2/1/bottom");
        let reply = call(&p.host, CALL_PEER, 4u64.to_le_bytes().to_vec()).unwrap().payload;
        assert_eq!(reply, b"4/3/2/1/bottom");
    }
}

/// `max_serving_threads` caps the threads serving the peer's calls: calls beyond it queue (and
/// are all served), they are not refused.
#[test]
fn calls_beyond_the_serving_thread_cap_queue() {
    const CAP: usize = 4;
    let plugin = Config { max_serving_threads: CAP, ..Config::default() };
    let p = Arc::new(pair_with(Config::default(), plugin));
    let start = Instant::now();
    let callers: Vec<_> = (0..2 * CAP)
        .map(|_| {
            let p = p.clone();
            std::thread::spawn(move || call(&p.host, COUNTED_SLEEP, Vec::new()))
        })
        .collect();
    for caller in callers {
        assert!(caller.join().unwrap().is_ok(), "a call beyond the cap was served, not refused");
    }
    let most = COUNTED.1.load(Ordering::SeqCst);
    assert!((1..=CAP).contains(&most), "{most} calls were served at once, with a cap of {CAP}");
    // Twice the cap of 200 ms calls, at most CAP at a time: at least two rounds.
    assert!(start.elapsed() >= Duration::from_millis(400), "served too many at once: {:?}", start.elapsed());
}
