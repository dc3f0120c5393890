//! The steps of the generated round-trip tests, written once here instead of once per method:
//! a [`Recording`] that the generated recording implementation answers from, and
//! [`check_method`], which calls a method through a working client and through one whose
//! channel spoils calls ([`Faults`]) and checks what arrived each way.
//!
//! Generated code hands over everything in encoded form (arguments, results, errors), so these
//! helpers need no knowledge of the interface: the emitted test for a method is the sample
//! bindings, the call and the expected values, nothing more.

use super::faults::{Fault, Faults, DOWN};
use crate::RpcError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// A value as the codec encodes it, for comparisons.
///
/// # Panics
/// If the value cannot be encoded.
pub fn encoded<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    crate::codec::encode("test", value).expect("test values encode")
}

/// A call in comparable form: its result (the `Ok` value made bytes by `ok`), what the
/// implementation must have received, and each sink's bytes.
pub fn called<T, E: Serialize>(
    result: Result<T, E>,
    ok: impl FnOnce(T) -> Vec<u8>,
    expected: Vec<Vec<u8>>,
    sinks: Vec<(Vec<u8>, Vec<u8>)>,
) -> Called {
    Called { result: result.map(ok).map_err(|e| encoded(&e)), expected, sinks }
}

/// The values a method's test expects: `ok` (already encoded), the `Err` sample of `err_seed`,
/// and the error a dead channel's failure ([`Fault::Down`]) converts to.
pub fn expected<E>(ok: Vec<u8>, err_seed: u64) -> Expected
where
    E: Serialize + DeserializeOwned + From<RpcError>,
{
    let broken = E::from(RpcError::Disconnected { detail: DOWN.to_owned() });
    Expected { ok, err: encoded(&super::sample::<E>(err_seed)), broken: encoded(&broken) }
}

/// One recorded call: the method, and what it received.
type Call = (&'static str, Vec<Vec<u8>>);

/// What a recording implementation was called with, and whether it answers with errors.
#[derive(Default)]
pub struct Recording {
    calls: Mutex<Vec<Call>>,
    fail: AtomicBool,
}

impl Recording {
    /// Records a call of `method` that received `received` (its encoded arguments, then the
    /// contents of its streams), and answers it: the `Err` sample of `err_seed` when failing,
    /// else `ok()`.
    pub fn answer<T, E: DeserializeOwned>(
        &self,
        method: &'static str,
        received: Vec<Vec<u8>>,
        err_seed: u64,
        ok: impl FnOnce() -> T,
    ) -> Result<T, E> {
        self.calls.lock().unwrap_or_else(|e| e.into_inner()).push((method, received));
        if self.fail.load(Ordering::SeqCst) {
            Err(super::sample(err_seed))
        } else {
            Ok(ok())
        }
    }

    /// The one call recorded since the last `take`, which must be of `method`.
    ///
    /// # Panics
    /// If there was not exactly one call, or it was of another method.
    pub fn take(&self, method: &str) -> Vec<Vec<u8>> {
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(calls.len(), 1, "{method}: expected exactly one call to reach the implementation");
        let (name, received) = calls.remove(0);
        assert_eq!(name, method, "the call reached the wrong method");
        received
    }

    /// From now on, answer with errors.
    pub fn fail(&self) {
        self.set_failing(true);
    }

    /// From now on, answer with errors (`true`) or `Ok` values (`false`).
    pub fn set_failing(&self, failing: bool) {
        self.fail.store(failing, Ordering::SeqCst);
    }

    /// Forgets the calls recorded since the last `take`, returning how many there were.
    pub fn drain(&self) -> usize {
        std::mem::take(&mut *self.calls.lock().unwrap_or_else(|e| e.into_inner())).len()
    }
}

/// One call of the method under test, in comparable form.
pub struct Called {
    /// The encoded `Ok` value (a stream's contents, an HTTP message's fingerprint), or the
    /// encoded error.
    pub result: Result<Vec<u8>, Vec<u8>>,
    /// What the implementation must have received: the encoded arguments, then the contents of
    /// each stream argument.
    pub expected: Vec<Vec<u8>>,
    /// For each sink argument: what reached the caller, and what the implementation wrote.
    pub sinks: Vec<(Vec<u8>, Vec<u8>)>,
}

/// The values a method's test expects back.
pub struct Expected {
    /// The encoded `Ok` sample the implementation answers with.
    pub ok: Vec<u8>,
    /// The encoded `Err` sample it answers with when failing.
    pub err: Vec<u8>,
    /// The encoded error a transport failure converts to.
    pub broken: Vec<u8>,
}

/// Checks one method of an interface: through `working` (a client whose calls reach the
/// implementation behind `recording`), the arguments arrive intact and the `Ok` value comes
/// back intact; then, with the implementation failing, its error comes back intact. Then, through
/// `faulty` (a client whose channel spoils calls as `faults` says), the client fails closed:
/// a dead channel's failure comes back as the error it converts to, and a reply with a malformed
/// payload (of an `Ok` or an `Err` answer) or missing the streams it returns is an `Err`, never a
/// value; and a request missing its streams or sinks is refused before it reaches the
/// implementation.
///
/// `call` makes the call with fresh sample arguments each time it runs.
///
/// # Panics
/// On the first check that fails, naming `method` and the check.
pub fn check_method<C>(
    method: &'static str,
    recording: &Recording,
    working: &C,
    faulty: &C,
    faults: &Faults,
    call: impl Fn(&C) -> Called,
    expected: Expected,
) {
    let Called { result, expected: args, sinks } = call(working);
    assert_eq!(recording.take(method), args, "{method}: the arguments arrived changed");
    for (got, written) in sinks {
        assert_eq!(got, written, "{method}: bytes written to the sink did not reach the caller");
    }
    match result {
        Ok(value) => assert_eq!(value, expected.ok, "{method}: the Ok value arrived changed"),
        Err(_) => panic!("{method}: expected Ok, got Err"),
    }

    recording.fail();
    let Called { result, expected: args, .. } = call(working);
    assert_eq!(recording.take(method), args, "{method}: the arguments arrived changed");
    match result {
        Err(error) => assert_eq!(error, expected.err, "{method}: the error arrived changed"),
        Ok(_) => panic!("{method}: expected Err, got Ok"),
    }

    faults.set(Fault::Down);
    match call(faulty).result {
        Err(error) => {
            assert_eq!(
                error, expected.broken,
                "{method}: a transport failure must come back as the error it converts to"
            )
        }
        Ok(_) => panic!("{method}: a broken channel produced Ok: the client fails open"),
    }

    for failing in [false, true] {
        recording.set_failing(failing);
        for fault in Fault::MALFORMED {
            faults.set(fault);
            let result = call(faulty).result;
            recording.drain();
            let answer = if failing { "an Err" } else { "an Ok" };
            assert!(
                result.is_err(),
                "{method}: a malformed reply ({fault:?}, of {answer}) produced Ok: the client fails open"
            );
        }
    }

    recording.set_failing(false);
    faults.set(Fault::ReplyWithoutStreams);
    let result = call(faulty).result;
    recording.drain();
    if faults.dropped() > 0 {
        assert!(result.is_err(), "{method}: a reply missing its streams produced Ok: the client fails open");
    }

    faults.set(Fault::RequestWithoutStreams);
    let result = call(faulty).result;
    if faults.dropped() > 0 {
        assert_eq!(recording.drain(), 0, "{method}: a request missing its streams or sinks reached the implementation");
        assert!(result.is_err(), "{method}: a request missing its streams or sinks produced Ok");
    }
    recording.drain();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{codec, ByteStream, Channel, Request, Response};

    thread_local!(static RECORDING: Recording = Recording::default());

    /// Serves method "m": records the call and answers `Ok([9])` (or the recording's error)
    /// with one returned stream. Unless `lenient`, a request without its stream is refused
    /// before the recording sees it.
    struct Serve {
        lenient: bool,
    }

    impl Channel for Serve {
        fn call(&self, request: Request) -> Result<Response, RpcError> {
            let result = if request.streams.is_empty() && !self.lenient {
                Err("no stream".to_owned())
            } else {
                RECORDING.with(|r| r.answer::<Vec<u8>, String>("m", vec![vec![1]], 7, || vec![9]))
            };
            Ok(Response { payload: codec::encode("m", &result)?, streams: vec![ByteStream::from("s")] })
        }
    }

    /// A stand-in for a generated client of "m", which sends one stream and returns one; it
    /// fails open on `lenient` (for the fault the test wants to see caught).
    struct Client<'a> {
        channel: Box<dyn Channel + 'a>,
        lenient: Option<Fault>,
    }

    impl Client<'_> {
        fn call(&self) -> Called {
            let lenient = |fault| self.lenient == Some(fault);
            let request = Request { streams: vec![ByteStream::from("a")], ..Request::default() };
            let result = match self.channel.call(request) {
                Err(_) if lenient(Fault::Down) => Ok(Vec::new()),
                Err(_) => Err(b"down".to_vec()),
                Ok(response) => match codec::decode::<Result<Vec<u8>, String>>("m", &response.payload) {
                    Ok(Ok(_)) if response.streams.is_empty() && !lenient(Fault::ReplyWithoutStreams) => {
                        Err(b"no stream".to_vec())
                    }
                    Ok(Ok(value)) => Ok(value),
                    Ok(Err(e)) => Err(e.into_bytes()),
                    Err(_) if Fault::MALFORMED.iter().copied().any(lenient) => Ok(Vec::new()),
                    Err(_) => Err(b"malformed".to_vec()),
                },
            };
            Called { result, expected: vec![vec![1]], sinks: Vec::new() }
        }
    }

    fn expected() -> Expected {
        Expected { ok: vec![9], err: super::super::sample::<String>(7).into_bytes(), broken: b"down".to_vec() }
    }

    /// Runs the checks on the stand-in client, failing open on `lenient`.
    fn run(lenient: Option<Fault>) {
        let faults = Faults::default();
        let serve = || Serve { lenient: lenient == Some(Fault::RequestWithoutStreams) };
        let working = Client { channel: Box::new(serve()), lenient };
        let faulty = Client { channel: Box::new(faults.channel(serve())), lenient };
        RECORDING.with(|r| check_method("m", r, &working, &faulty, &faults, Client::call, expected()));
    }

    #[test]
    fn a_method_that_carries_everything_intact_and_fails_closed_passes() {
        run(None);
    }

    #[test]
    #[should_panic(expected = "m: a broken channel produced Ok: the client fails open")]
    fn a_client_that_fails_open_on_a_dead_channel_fails() {
        run(Some(Fault::Down));
    }

    #[test]
    #[should_panic(expected = "m: a malformed reply (EmptyReply, of an Ok) produced Ok")]
    fn a_client_that_takes_a_malformed_reply_fails() {
        run(Some(Fault::EmptyReply));
    }

    #[test]
    #[should_panic(expected = "m: a reply missing its streams produced Ok")]
    fn a_client_that_ignores_a_missing_returned_stream_fails() {
        run(Some(Fault::ReplyWithoutStreams));
    }

    #[test]
    #[should_panic(expected = "m: a request missing its streams or sinks reached the implementation")]
    fn a_dispatcher_that_serves_a_request_missing_its_stream_fails() {
        run(Some(Fault::RequestWithoutStreams));
    }
}
