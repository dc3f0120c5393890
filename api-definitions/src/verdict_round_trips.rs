//! The generated round-trip tests carry every variant of a "will be" hook's `Verdict`: checked
//! here for `message_will_be_posted`, with the seeds its generated test uses, through the same
//! runtime checks (`plugin_runtime::testing::check_method`), the generated client and dispatcher.

use crate::hooks::{rpc, Hooks};
use crate::model::{Context, Post, Verdict};
use plugin_runtime::testing::{called, check_method, encoded, Faults, Recording, Samples};
use plugin_runtime::{Channel, Loopback, RpcError};
use std::collections::BTreeSet;
use std::sync::Mutex;

const METHOD: &str = "message_will_be_posted";

/// The seeds of a method's generated test: the generator gives method number `index` (in
/// declaration order) `(index + 1) * 1000 + 500` for its `Ok` value and `+ 600` for its error.
fn seeds(method: &str) -> (u64, u64) {
    let index = rpc::INTERFACE.methods.iter().position(|m| m.name == method).expect("a hook") as u64;
    ((index + 1) * 1000 + 500, (index + 1) * 1000 + 600)
}

/// Answers `message_will_be_posted` as the generated recorder does.
struct Recorder(Recording);

impl Hooks for Recorder {
    fn message_will_be_posted(&self, c: &Context, post: &Post) -> Result<Verdict<Post>, RpcError> {
        let (ok_seed, err_seed) = seeds(METHOD);
        self.0.answer(METHOD, vec![encoded(&(c, post))], err_seed, ok_seed)
    }
}

fn kind(verdict: &Verdict<Post>) -> &'static str {
    match verdict {
        Verdict::Allow => "Allow",
        Verdict::Replace(_) => "Replace",
        Verdict::Reject(_) => "Reject",
    }
}

#[test]
fn these_are_the_seeds_of_the_generated_test() {
    let (ok_seed, err_seed) = seeds(METHOD);
    let generated = include_str!("generated/hooks.rs");
    let recorder = &generated[generated.find("impl Hooks for Recorder").expect("the generated recorder")..];
    let answer = recorder.find(&format!("\"{METHOD}\",")).map(|at| &recorder[at..at + 300]).expect("its answer");
    assert!(answer.contains(&format!("{err_seed}u64,")) && answer.contains(&format!("{ok_seed}u64")), "{answer}");
}

/// Every round of the generated test's check answers a verdict that reaches the caller intact;
/// over the rounds, `Allow`, `Replace(post)` and `Reject(reason)` all cross.
#[test]
fn message_will_be_posted_carries_every_verdict() {
    type TestClient<'a> = rpc::Client<Box<dyn Channel + 'a>>;
    let recorder = Recorder(Recording::default());
    let working: TestClient<'_> = rpc::Client::new(Box::new(Loopback::new(rpc::Dispatcher::new(&recorder))));
    let faults = Faults::default();
    let faulty: TestClient<'_> =
        rpc::Client::new(Box::new(faults.channel(Loopback::new(rpc::Dispatcher::new(&recorder)))));
    let received = Mutex::new(Vec::new());
    check_method(METHOD, &recorder.0, &working, &faulty, &faults, |client, samples| {
        let (c, post): (Context, Post) = (samples.sample(1), samples.sample(2));
        let result = client.message_will_be_posted(&c, &post);
        if let Ok(verdict) = &result {
            received.lock().unwrap().push(verdict.clone());
        }
        called(result, |v| encoded(&v), vec![encoded(&(&c, &post))], Vec::new())
    });
    let received = received.into_inner().unwrap();
    let kinds: BTreeSet<&str> = received.iter().map(kind).collect();
    assert_eq!(kinds, BTreeSet::from(["Allow", "Reject", "Replace"]), "{received:?}");
    assert!(received.iter().any(|v| matches!(v, Verdict::Replace(p) if *p != Post::default())));
}

/// The same holds for every hook's seeds: whichever variant a seed picks first, the rounds
/// its test needs bring the others.
#[test]
fn every_hooks_seeds_reach_every_verdict() {
    for method in rpc::INTERFACE.methods {
        let (ok_seed, _) = seeds(method.name);
        let samples = Samples::default();
        let mut kinds = BTreeSet::new();
        let mut round = 0;
        while round < samples.rounds() {
            samples.set_round(round);
            kinds.insert(kind(&samples.sample(ok_seed)));
            round += 1;
        }
        assert_eq!(kinds.len(), 3, "{}: {kinds:?}", method.name);
    }
}
