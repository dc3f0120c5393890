//! The steps of the generated round-trip tests, written once here instead of once per method:
//! a [`Recording`] that the generated recording implementation answers from, and
//! [`check_method`], which calls a method through a working client and a broken one and checks
//! what arrived each way.
//!
//! Generated code hands over everything in encoded form (arguments, results, errors), so these
//! helpers need no knowledge of the interface: the emitted test for a method is the sample
//! bindings, the call and the expected values, nothing more.

use crate::{Channel, Request, Response, RpcError};
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

/// The values a method's test expects: `ok` (already encoded), the `Err` sample of `err_seed`,
/// and the error a [`BrokenChannel`]'s failure converts to.
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
        self.fail.store(true, Ordering::SeqCst);
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
/// back intact; then, with the implementation failing, its error comes back intact; and
/// through `broken` (a client on a channel that fails every call), the call is an `Err`
/// carrying the transport failure, never a default value (fail-closed).
///
/// `call` makes the call with fresh sample arguments each time it runs.
///
/// # Panics
/// On the first check that fails, naming `method` and the check.
pub fn check_method<C>(
    method: &'static str,
    recording: &Recording,
    working: &C,
    broken: &C,
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

    match call(broken).result {
        Err(error) => {
            assert_eq!(
                error, expected.broken,
                "{method}: a transport failure must come back as the error it converts to"
            )
        }
        Ok(_) => panic!("{method}: a broken channel produced Ok: the client fails open"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in client: `true` reaches the recording, `false` is the broken one.
    fn call_with(ok: Vec<u8>, broken_ok: bool) -> impl Fn(&bool) -> Called {
        move |working: &bool| {
            let result = if *working {
                // What a client would get from the recording's answer.
                RECORDING
                    .with(|r| r.answer::<Vec<u8>, String>("m", vec![vec![1]], 7, || ok.clone()))
                    .map_err(|e| e.into_bytes())
            } else if broken_ok {
                Ok(Vec::new())
            } else {
                Err(b"down".to_vec())
            };
            Called { result, expected: vec![vec![1]], sinks: Vec::new() }
        }
    }

    thread_local!(static RECORDING: Recording = Recording::default());

    fn expected() -> Expected {
        Expected { ok: vec![9], err: super::super::sample::<String>(7).into_bytes(), broken: b"down".to_vec() }
    }

    fn run(call: impl Fn(&bool) -> Called) {
        RECORDING.with(|r| check_method("m", r, &true, &false, call, expected()));
    }

    #[test]
    fn a_method_that_carries_everything_intact_passes() {
        run(call_with(vec![9], false));
    }

    #[test]
    #[should_panic(expected = "m: the Ok value arrived changed")]
    fn a_changed_ok_value_fails() {
        run(call_with(vec![8], false));
    }

    #[test]
    #[should_panic(expected = "m: a broken channel produced Ok: the client fails open")]
    fn a_client_that_fails_open_fails() {
        run(call_with(vec![9], true));
    }
}
