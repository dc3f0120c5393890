//! The steps of the generated round-trip tests, written once here instead of once per method:
//! a [`Recording`] that the generated recording implementation answers from, and
//! [`check_method`], which calls a method through a working client and through one whose channel
//! spoils calls ([`Faults`]) and checks what arrived each way, in as many rounds of samples as it takes for every variant of the
//! sampled enums to cross (see [`Samples`]).
//!
//! Generated code hands over everything in encoded form (arguments, results, errors), so these
//! helpers need no knowledge of the interface: the emitted test for a method is the sample
//! bindings and the call, nothing more. The values expected back are the ones the recording
//! answered with, recorded as it answered.

use super::faults::{Fault, Faults, DOWN};
use super::Samples;
use crate::{ByteStream, RpcError};
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

/// What a call answered, comparable with [`Called::result`]: the `Ok` value in the form the
/// test's [`called`] gives it, or the encoded error.
pub type Answered = Result<Vec<u8>, Vec<u8>>;

/// One recorded call: the method, what it received, and what it answered.
type Call = (&'static str, Vec<Vec<u8>>, Answered);

/// What a recording implementation was called with and answered, whether it answers with
/// errors, and the samples of the current round, which it answers with and the test calls with.
#[derive(Default)]
pub struct Recording {
    calls: Mutex<Vec<Call>>,
    fail: AtomicBool,
    samples: Samples,
    /// The encoded error a transport failure converts to, in the error type of the method
    /// answered last.
    broken: Mutex<Option<Vec<u8>>>,
}

impl Recording {
    /// Records a call of `method` that received `received` (its encoded arguments, then the
    /// contents of its streams), and answers it with a sample of this round: the `Err` of
    /// `err_seed` when failing, else the `Ok` value of `ok_seed`.
    pub fn answer<T, E>(
        &self,
        method: &'static str,
        received: Vec<Vec<u8>>,
        err_seed: u64,
        ok_seed: u64,
    ) -> Result<T, E>
    where
        T: Serialize + DeserializeOwned,
        E: Serialize + DeserializeOwned + From<RpcError>,
    {
        self.answer_with(method, received, err_seed, |samples| {
            let value: T = samples.sample(ok_seed);
            (encoded(&value), value)
        })
    }

    /// [`Recording::answer`] for a method that returns a stream: the `Ok` value is
    /// [`sample_stream`](super::sample_stream)`(ok_seed)`.
    pub fn answer_stream<E>(
        &self,
        method: &'static str,
        received: Vec<Vec<u8>>,
        err_seed: u64,
        ok_seed: u64,
    ) -> Result<ByteStream, E>
    where
        E: Serialize + DeserializeOwned + From<RpcError>,
    {
        self.answer_with(method, received, err_seed, |_| {
            (super::sample_stream_bytes(ok_seed), super::sample_stream(ok_seed))
        })
    }

    /// [`Recording::answer`] for a method that returns an HTTP response: the `Ok` value is
    /// [`sample_http_response`](super::sample_http_response)`(ok_seed)`.
    pub fn answer_http_response<E>(
        &self,
        method: &'static str,
        received: Vec<Vec<u8>>,
        err_seed: u64,
        ok_seed: u64,
    ) -> Result<http::Response<ByteStream>, E>
    where
        E: Serialize + DeserializeOwned + From<RpcError>,
    {
        self.answer_with(method, received, err_seed, |_| {
            let fingerprint = super::http_response_fingerprint(super::sample_http_response(ok_seed));
            (encoded(&fingerprint.expect("a sample response reads")), super::sample_http_response(ok_seed))
        })
    }

    /// Records the call and answers it: an error sample when failing, else `ok`'s value, whose
    /// comparable bytes are recorded with it.
    fn answer_with<T, E>(
        &self,
        method: &'static str,
        received: Vec<Vec<u8>>,
        err_seed: u64,
        ok: impl FnOnce(&Samples) -> (Vec<u8>, T),
    ) -> Result<T, E>
    where
        E: Serialize + DeserializeOwned + From<RpcError>,
    {
        let broken = E::from(RpcError::Disconnected { detail: DOWN.to_owned() });
        *self.broken.lock().unwrap_or_else(|e| e.into_inner()) = Some(encoded(&broken));
        let (answered, result) = if self.fail.load(Ordering::SeqCst) {
            let error: E = self.samples.sample(err_seed);
            (Err(encoded(&error)), Err(error))
        } else {
            let (bytes, value) = ok(&self.samples);
            (Ok(bytes), Ok(value))
        };
        self.calls.lock().unwrap_or_else(|e| e.into_inner()).push((method, received, answered));
        result
    }

    /// The samples of the current round.
    pub fn samples(&self) -> &Samples {
        &self.samples
    }

    /// The one call recorded since the last `take`, which must be of `method`: what it
    /// received and what it answered.
    ///
    /// # Panics
    /// If there was not exactly one call, or it was of another method.
    pub fn take(&self, method: &str) -> (Vec<Vec<u8>>, Answered) {
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(calls.len(), 1, "{method}: expected exactly one call to reach the implementation");
        let (name, received, answered) = calls.remove(0);
        assert_eq!(name, method, "the call reached the wrong method");
        (received, answered)
    }

    /// From now on, answer with errors (`true`) or values (`false`).
    pub fn set_failing(&self, failing: bool) {
        self.fail.store(failing, Ordering::SeqCst);
    }

    /// Forgets the calls recorded since the last `take`, returning how many there were.
    pub fn drain(&self) -> usize {
        std::mem::take(&mut *self.calls.lock().unwrap_or_else(|e| e.into_inner())).len()
    }

    /// The encoded error a transport failure converts to, in the error type of the method
    /// answered last.
    fn broken(&self) -> Option<Vec<u8>> {
        self.broken.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// One call of the method under test, in comparable form.
pub struct Called {
    /// The `Ok` value in comparable form (encoded; a stream's contents; an HTTP response's
    /// encoded fingerprint), or the encoded error.
    pub result: Result<Vec<u8>, Vec<u8>>,
    /// What the implementation must have received: the encoded arguments, then the contents of
    /// each stream argument.
    pub expected: Vec<Vec<u8>>,
    /// For each sink argument: what reached the caller, and what the implementation wrote.
    pub sinks: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Checks one method of an interface: through `working` (a client whose calls reach the
/// implementation behind `recording`), the arguments arrive intact and the `Ok` value the
/// implementation answered comes back intact; then, with the implementation failing, its error
/// comes back intact. Then, through `faulty` (a client whose channel spoils calls as `faults`
/// says), the client fails closed: a dead channel's failure comes back as the error it converts
/// to, and a reply with a malformed payload (of an `Ok` or an `Err` answer) or missing the streams
/// it returns is an `Err`, never a value; and a request missing its streams or sinks is refused
/// before it reaches the implementation.
///
/// `call` makes the call with fresh sample arguments of the round it is given each time it
/// runs. The first two checks run in as many rounds as the samples taken need (see
/// [`Samples`]), so every variant of each sampled enum (in the arguments, the `Ok` value and the
/// error) crosses the wire; the fail-closed check, which is about the client and not the
/// values, runs in the first round only.
///
/// # Panics
/// On the first check that fails, naming `method`, the check and the round.
pub fn check_method<C>(
    method: &'static str,
    recording: &Recording,
    working: &C,
    faulty: &C,
    faults: &Faults,
    call: impl Fn(&C, &Samples) -> Called,
) {
    let samples = recording.samples();
    let mut round = 0;
    while round < samples.rounds() {
        samples.set_round(round);
        recording.set_failing(false);
        let Called { result, expected: args, sinks } = call(working, samples);
        let (received, answered) = recording.take(method);
        assert_eq!(received, args, "{method}: the arguments arrived changed (round {round})");
        for (got, written) in sinks {
            assert_eq!(got, written, "{method}: bytes written to the sink did not reach the caller");
        }
        match (result, answered) {
            (Ok(value), Ok(answered)) => {
                assert_eq!(value, answered, "{method}: the Ok value arrived changed (round {round})")
            }
            _ => panic!("{method}: expected Ok, got Err (round {round})"),
        }

        recording.set_failing(true);
        let Called { result, expected: args, .. } = call(working, samples);
        let (received, answered) = recording.take(method);
        assert_eq!(received, args, "{method}: the arguments arrived changed (round {round})");
        match (result, answered) {
            (Err(error), Err(answered)) => {
                assert_eq!(error, answered, "{method}: the error arrived changed (round {round})")
            }
            _ => panic!("{method}: expected Err, got Ok (round {round})"),
        }

        if round == 0 {
            check_fails_closed(method, recording, faults, || call(faulty, samples));
        }
        round += 1;
    }
}

/// The fail-closed checks of [`check_method`], with `call` calling through the faulty client.
fn check_fails_closed(method: &'static str, recording: &Recording, faults: &Faults, call: impl Fn() -> Called) {
    let expected = recording.broken().expect("the recording answered");
    faults.set(Fault::Down);
    match call().result {
        Err(error) => {
            assert_eq!(error, expected, "{method}: a transport failure must come back as the error it converts to")
        }
        Ok(_) => panic!("{method}: a broken channel produced Ok: the client fails open"),
    }

    for failing in [false, true] {
        recording.set_failing(failing);
        for fault in Fault::MALFORMED {
            faults.set(fault);
            let result = call().result;
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
    let result = call().result;
    recording.drain();
    if faults.dropped() > 0 {
        assert!(result.is_err(), "{method}: a reply missing its streams produced Ok: the client fails open");
    }

    faults.set(Fault::RequestWithoutStreams);
    let result = call().result;
    if faults.dropped() > 0 {
        assert_eq!(recording.drain(), 0, "{method}: a request missing its streams or sinks reached the implementation");
        assert!(result.is_err(), "{method}: a request missing its streams or sinks produced Ok");
    }
    recording.drain();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{codec, Channel, Request, Response};
    use std::cell::RefCell;
    use std::collections::BTreeSet;

    thread_local!(static RECORDING: Recording = Recording::default());

    /// Serves method "m": records the call and answers a `String` sample (or the recording's
    /// error) with one returned stream. Unless `lenient`, a request without its stream is
    /// refused before the recording sees it.
    struct Serve {
        lenient: bool,
    }

    impl Channel for Serve {
        fn call(&self, request: Request) -> Result<Response, RpcError> {
            let result = if request.streams.is_empty() && !self.lenient {
                Err(RpcError::Protocol { detail: "no stream".to_owned() })
            } else {
                RECORDING.with(|r| r.answer::<String, RpcError>("m", vec![vec![1]], 7, 9))
            };
            Ok(Response { payload: codec::encode("m", &result)?, streams: vec![ByteStream::from("s")] })
        }
    }

    /// A stand-in for a generated client of "m", which sends one stream and returns one; it
    /// fails open on `lenient` (the fault the test wants to see caught) or changes the `Ok`
    /// value on the way back (`change`).
    struct Client<'a> {
        channel: Box<dyn Channel + 'a>,
        lenient: Option<Fault>,
        change: bool,
    }

    impl Client<'_> {
        fn call(&self, _: &Samples) -> Called {
            let lenient = |fault| self.lenient == Some(fault);
            let request = Request { streams: vec![ByteStream::from("a")], ..Request::default() };
            let result = match self.channel.call(request) {
                Err(_) if lenient(Fault::Down) => Ok(Vec::new()),
                Err(e) => Err(encoded(&e)),
                Ok(response) => match codec::decode::<Result<String, RpcError>>("m", &response.payload) {
                    Ok(Ok(_)) if response.streams.is_empty() && !lenient(Fault::ReplyWithoutStreams) => {
                        Err(encoded(&RpcError::Protocol { detail: "no stream".to_owned() }))
                    }
                    Ok(Ok(value)) => Ok(encoded(&if self.change { format!("{value}!") } else { value })),
                    Ok(Err(e)) => Err(encoded(&e)),
                    Err(_) if Fault::MALFORMED.iter().copied().any(lenient) => Ok(Vec::new()),
                    Err(e) => Err(encoded(&e)),
                },
            };
            Called { result, expected: vec![vec![1]], sinks: Vec::new() }
        }
    }

    /// Runs the checks on the stand-in client, failing open on `lenient`.
    fn run(lenient: Option<Fault>, change: bool) {
        let faults = Faults::default();
        let serve = || Serve { lenient: lenient == Some(Fault::RequestWithoutStreams) };
        let working = Client { channel: Box::new(serve()), lenient, change };
        let faulty = Client { channel: Box::new(faults.channel(serve())), lenient, change };
        RECORDING.with(|r| check_method("m", r, &working, &faulty, &faults, Client::call));
    }

    #[test]
    fn a_method_that_carries_everything_intact_and_fails_closed_passes() {
        run(None, false);
    }

    #[test]
    #[should_panic(expected = "m: the Ok value arrived changed")]
    fn a_changed_ok_value_fails() {
        run(None, true);
    }

    #[test]
    #[should_panic(expected = "m: a broken channel produced Ok: the client fails open")]
    fn a_client_that_fails_open_on_a_dead_channel_fails() {
        run(Some(Fault::Down), false);
    }

    #[test]
    #[should_panic(expected = "m: a malformed reply (EmptyReply, of an Ok) produced Ok")]
    fn a_client_that_takes_a_malformed_reply_fails() {
        run(Some(Fault::EmptyReply), false);
    }

    #[test]
    #[should_panic(expected = "m: a reply missing its streams produced Ok")]
    fn a_client_that_ignores_a_missing_returned_stream_fails() {
        run(Some(Fault::ReplyWithoutStreams), false);
    }

    #[test]
    #[should_panic(expected = "m: a request missing its streams or sinks reached the implementation")]
    fn a_dispatcher_that_serves_a_request_missing_its_stream_fails() {
        run(Some(Fault::RequestWithoutStreams), false);
    }

    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    enum Answer {
        Yes,
        No(String),
        Maybe { why: String, sure: bool },
        Later(u8),
    }

    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    enum Failure {
        Refused(String),
        Lost(String),
        Other { code: i32 },
    }

    impl From<RpcError> for Failure {
        fn from(e: RpcError) -> Self {
            Failure::Lost(e.to_string())
        }
    }

    /// A method answering an enum is checked once per variant, each variant answered and
    /// compared, and its error (a 3-variant enum) goes around too; the faulty client is tried in
    /// the first round only.
    #[test]
    fn every_variant_of_the_answer_crosses_in_its_own_round() {
        let recording = Recording::default();
        let (answered, errors, broken_calls) = (RefCell::new(Vec::new()), RefCell::new(Vec::new()), RefCell::new(0));
        let call = |working: &bool, _: &Samples| {
            let result = if *working {
                recording.answer::<Answer, Failure>("m", Vec::new(), 600, 500)
            } else {
                *broken_calls.borrow_mut() += 1;
                Err(Failure::from(RpcError::Disconnected { detail: DOWN.to_owned() }))
            };
            match &result {
                Ok(answer) if *working => answered.borrow_mut().push(format!("{answer:?}")),
                Err(failure) if *working => errors.borrow_mut().push(format!("{failure:?}")),
                _ => {}
            }
            Called {
                result: result.map(|a| encoded(&a)).map_err(|e| encoded(&e)),
                expected: Vec::new(),
                sinks: Vec::new(),
            }
        };
        let faults = Faults::default();
        check_method("m", &recording, &true, &false, &faults, call);
        let kinds = |seen: &RefCell<Vec<String>>| -> BTreeSet<String> {
            seen.borrow().iter().map(|d| d.split([' ', '(', '{']).next().unwrap_or_default().to_owned()).collect()
        };
        assert_eq!(answered.borrow().len(), 4, "one round per variant of the widest enum");
        assert_eq!(kinds(&answered).len(), 4, "{:?}", answered.borrow());
        assert_eq!(kinds(&errors).len(), 3, "{:?}", errors.borrow());
        // Round 0 only: a dead channel, three malformed replies each of an Ok and an Err, a
        // reply and a request without streams.
        assert_eq!(*broken_calls.borrow(), 9);
    }
}
