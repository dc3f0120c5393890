//! The steps of the generated round-trip tests, written once here instead of once per method:
//! a [`Recording`] that the generated recording implementation answers from, and
//! [`check_method`], which calls a method through a working client and a broken one and checks
//! what arrived each way, in as many rounds of samples as it takes for every variant of the
//! sampled enums to cross (see [`Samples`]).
//!
//! Generated code hands over everything in encoded form (arguments, results, errors), so these
//! helpers need no knowledge of the interface: the emitted test for a method is the sample
//! bindings and the call, nothing more. The values expected back are the ones the recording
//! answered with, recorded as it answered.

use super::Samples;
use crate::{ByteStream, Channel, Request, Response, RpcError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// What a broken channel's calls fail with.
const DOWN: &str = "test channel is down";

/// A channel on which every call fails in transport.
pub struct BrokenChannel;

impl Channel for BrokenChannel {
    fn call(&self, _request: Request) -> Result<Response, RpcError> {
        Err(RpcError::Disconnected { detail: DOWN.to_owned() })
    }
}

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
/// comes back intact; and through `broken` (a client on a channel that fails every call), the
/// call is an `Err` carrying the transport failure, never a default value (fail-closed).
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
    broken: &C,
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
            let expected = recording.broken().expect("the recording answered");
            match call(broken, samples).result {
                Err(error) => {
                    assert_eq!(
                        error, expected,
                        "{method}: a transport failure must come back as the error it converts to"
                    )
                }
                Ok(_) => panic!("{method}: a broken channel produced Ok: the client fails open"),
            }
        }
        round += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::BTreeSet;

    /// A stand-in client: `true` reaches the recording (whose answer `change` may alter on the
    /// way back), `false` is the broken one (which fails open if `broken_ok`).
    fn call_with(change: bool, broken_ok: bool) -> impl Fn(&bool, &Samples) -> Called {
        move |working: &bool, _: &Samples| {
            let result = if *working {
                RECORDING.with(|r| r.answer::<String, RpcError>("m", vec![vec![1]], 7, 9)).map(|v| {
                    let v = if change { format!("{v}!") } else { v };
                    encoded(&v)
                })
            } else if broken_ok {
                Ok(Vec::new())
            } else {
                Err(RpcError::Disconnected { detail: DOWN.to_owned() })
            };
            Called { result: result.map_err(|e| encoded(&e)), expected: vec![vec![1]], sinks: Vec::new() }
        }
    }

    thread_local!(static RECORDING: Recording = Recording::default());

    fn run(call: impl Fn(&bool, &Samples) -> Called) {
        RECORDING.with(|r| check_method("m", r, &true, &false, call));
    }

    #[test]
    fn a_method_that_carries_everything_intact_passes() {
        run(call_with(false, false));
    }

    #[test]
    #[should_panic(expected = "m: the Ok value arrived changed")]
    fn a_changed_ok_value_fails() {
        run(call_with(true, false));
    }

    #[test]
    #[should_panic(expected = "m: a broken channel produced Ok: the client fails open")]
    fn a_client_that_fails_open_fails() {
        run(call_with(false, true));
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
    /// compared, and its error (a 3-variant enum) goes around too; the broken channel is tried
    /// once.
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
        check_method("m", &recording, &true, &false, call);
        let kinds = |seen: &RefCell<Vec<String>>| -> BTreeSet<String> {
            seen.borrow().iter().map(|d| d.split([' ', '(', '{']).next().unwrap_or_default().to_owned()).collect()
        };
        assert_eq!(answered.borrow().len(), 4, "one round per variant of the widest enum");
        assert_eq!(kinds(&answered).len(), 4, "{:?}", answered.borrow());
        assert_eq!(kinds(&errors).len(), 3, "{:?}", errors.borrow());
        assert_eq!(*broken_calls.borrow(), 1);
    }
}
