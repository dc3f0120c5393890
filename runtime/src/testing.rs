//! Helpers for the generated round-trip tests: deterministic, non-default sample values of any
//! `Deserialize` type, and sample streams and HTTP messages.
//!
//! [`sample`] drives a type's own `Deserialize` impl with a synthetic deserializer that fills
//! every field, picks a variant of every enum, and puts elements into every collection, so a
//! round trip of the sample exercises each field's encoding, not just `Default` values. It needs
//! no derive on the model types: anything the wire can carry can be sampled.
//!
//! One sample has one variant of each enum and one value of each bool. [`Samples`] makes the
//! rounds of a generated round-trip test: round `r` takes, for every enum, the variant `r` places
//! after the one the seed picks, and flips every bool on odd rounds, and the test runs as many
//! rounds as the widest enum it sampled has variants. So every variant of an argument's, the
//! `Ok` value's and the error's enums crosses the wire (`Verdict::Replace(Post)` through
//! `message_will_be_posted`, every `RpcError`), and every bool both ways. (An enum inside a
//! variant only some rounds pick is sampled in those rounds only.) When the samples had options,
//! a last round has every option `None`, so both states of every option cross too.

mod block_on;
mod faults;
mod round_trip;

pub use block_on::block_on;
pub use faults::{Fault, Faults, FaultyChannel};
pub use round_trip::{called, check_method, encoded, Answered, Called, Recording};

use crate::{ByteStream, RpcError};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// How deep sampling goes before options become `None` and collections become empty, which
/// bounds recursive types.
const MAX_DEPTH: u32 = 6;

/// A deterministic sample of `T`, different for different seeds.
///
/// # Panics
/// If `T`'s `Deserialize` impl needs self-describing input (`deserialize_any`, e.g.
/// `#[serde(untagged)]`) in a way that a string does not satisfy.
pub fn sample<T: DeserializeOwned>(seed: u64) -> T {
    try_sample(seed).unwrap_or_else(|e| panic!("cannot sample {}: {e}", std::any::type_name::<T>()))
}

/// Like [`sample`], returning the failure instead of panicking.
pub fn try_sample<T: DeserializeOwned>(seed: u64) -> Result<T, SampleError> {
    try_sample_in_round(seed, 0, false, (&AtomicU64::new(0), &AtomicU64::new(0)))
}

/// The sample of `seed` in round `round` (see [`Samples`]), every option `None` if `nones`,
/// noting in `seen.0` the largest number of variants of an enum it chose among (2 for a bool)
/// and in `seen.1` how many options it filled.
fn try_sample_in_round<T: DeserializeOwned>(
    seed: u64,
    round: u64,
    nones: bool,
    seen: (&AtomicU64, &AtomicU64),
) -> Result<T, SampleError> {
    T::deserialize(SampleDeserializer { seed: mix(seed), depth: 0, round, nones, widest: seen.0, options: seen.1 })
}

/// The samples of the rounds of one round-trip test: the same seeds give, round after round,
/// every variant of every enum and both values of every bool (see the module's documentation).
///
/// The test runs its round trip once per round ([`check_method`] does), taking every sample
/// from here, until [`Samples::rounds`] say it has seen all.
#[derive(Debug, Default)]
pub struct Samples {
    round: AtomicU64,
    widest: AtomicU64,
    /// Options filled with a value so far: if any, one more round has them all `None`.
    options: AtomicU64,
}

impl Samples {
    /// The sample of `seed` in the current round.
    ///
    /// # Panics
    /// As [`sample`].
    pub fn sample<T: DeserializeOwned>(&self, seed: u64) -> T {
        let nones = self.round() >= self.widest.load(Ordering::SeqCst).max(1);
        try_sample_in_round(seed, self.round(), nones, (&self.widest, &self.options))
            .unwrap_or_else(|e| panic!("cannot sample {}: {e}", std::any::type_name::<T>()))
    }

    /// The current round, from 0.
    pub fn round(&self) -> u64 {
        self.round.load(Ordering::SeqCst)
    }

    /// Moves to round `round`.
    pub fn set_round(&self, round: u64) {
        self.round.store(round, Ordering::SeqCst);
    }

    /// How many rounds the samples taken so far need for each of their enums to have crossed
    /// in every variant and each bool both ways (the most variants of any of them, at least 1),
    /// and then, if they had options, one more in which every option is `None`.
    pub fn rounds(&self) -> u64 {
        self.widest.load(Ordering::SeqCst).max(1) + u64::from(self.options.load(Ordering::SeqCst) > 0)
    }
}

/// Spreads a seed over all bits (splitmix64's finaliser). The generated tests use seeds a
/// thousand apart; taken as they are, every one picks the same variant of an enum whose
/// number of variants divides a thousand, and the same value of every top-level bool.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A sample byte stream, with its expected contents.
pub fn sample_stream(seed: u64) -> ByteStream {
    ByteStream::from(sample_stream_bytes(seed))
}

/// The contents of [`sample_stream`]`(seed)`.
pub fn sample_stream_bytes(seed: u64) -> Vec<u8> {
    (0..(64 + seed % 512)).map(|i: u64| i.wrapping_mul(31).wrapping_add(seed) as u8).collect()
}

/// A sample HTTP request with headers and a body.
pub fn sample_http_request(seed: u64) -> http::Request<ByteStream> {
    http::Request::builder()
        .method(if seed.is_multiple_of(2) { "POST" } else { "PUT" })
        .uri(format!("/plugins/sample/{seed}?q={}", seed * 7))
        .header("x-sample", format!("{seed}"))
        .header("content-type", "application/octet-stream")
        .body(sample_stream(seed))
        .expect("sample request is valid")
}

/// A sample HTTP response with headers and a body.
pub fn sample_http_response(seed: u64) -> http::Response<ByteStream> {
    http::Response::builder()
        .status(200 + (seed % 7) as u16)
        .header("x-sample", format!("{seed}"))
        .body(sample_stream(seed + 1))
        .expect("sample response is valid")
}

/// A comparable picture of an HTTP request: its encoded head and its whole body.
pub fn http_request_fingerprint(request: http::Request<ByteStream>) -> Result<(Vec<u8>, Vec<u8>), RpcError> {
    let (head, body) = crate::http_wire::split_request(request);
    Ok((crate::codec::encode("fingerprint", &head)?, read_stream(body)?))
}

/// A comparable picture of an HTTP response: its encoded head and its whole body.
pub fn http_response_fingerprint(response: http::Response<ByteStream>) -> Result<(Vec<u8>, Vec<u8>), RpcError> {
    let (head, body) = crate::http_wire::split_response(response);
    Ok((crate::codec::encode("fingerprint", &head)?, read_stream(body)?))
}

/// Reads a stream to its end, as an `RpcError` on failure.
pub fn read_stream(stream: ByteStream) -> Result<Vec<u8>, RpcError> {
    stream.read_all().map_err(|e| RpcError::Disconnected { detail: e.to_string() })
}

/// Why a type could not be sampled.
#[derive(Debug)]
pub struct SampleError(String);

impl fmt::Display for SampleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SampleError {}

impl de::Error for SampleError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SampleError(msg.to_string())
    }
}

#[derive(Clone, Copy)]
struct SampleDeserializer<'w> {
    seed: u64,
    depth: u32,
    /// Added to every enum's and bool's choice (see [`Samples`]).
    round: u64,
    /// Every option is `None` (the last round).
    nones: bool,
    /// The most choices any enum or bool sampled so far had.
    widest: &'w AtomicU64,
    /// How many options were filled so far.
    options: &'w AtomicU64,
}

impl SampleDeserializer<'_> {
    fn child(self, index: u64) -> Self {
        let seed = self
            .seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(index.wrapping_mul(1_442_695_040_888_963_407) | 1);
        SampleDeserializer { seed: seed >> 8, depth: self.depth + 1, ..self }
    }

    /// One of `choices` choices: the seed's, moved on by the round, so that consecutive rounds
    /// take every choice in turn.
    fn choose(self, choices: u64) -> u64 {
        self.widest.fetch_max(choices, Ordering::SeqCst);
        (self.seed % choices + self.round % choices) % choices
    }

    fn small(self, modulo: u64) -> u64 {
        self.seed % modulo + 1
    }

    fn deep(self) -> bool {
        self.depth >= MAX_DEPTH
    }
}

macro_rules! sample_int {
    ($($method:ident $visit:ident $ty:ty, $modulo:expr;)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
            visitor.$visit(self.small($modulo) as $ty)
        })*
    };
}

impl<'de> de::Deserializer<'de> for SampleDeserializer<'_> {
    type Error = SampleError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        visitor.visit_bool(self.choose(2) == 0)
    }

    sample_int! {
        deserialize_i8 visit_i8 i8, 100;
        deserialize_i16 visit_i16 i16, 30_000;
        deserialize_i32 visit_i32 i32, 2_000_000_000;
        deserialize_i64 visit_i64 i64, 9_000_000_000_000;
        deserialize_u8 visit_u8 u8, 250;
        deserialize_u16 visit_u16 u16, 65_000;
        deserialize_u32 visit_u32 u32, 4_000_000_000;
        deserialize_u64 visit_u64 u64, u64::MAX - 1;
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        visitor.visit_f32(self.small(1000) as f32 + 0.25)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        visitor.visit_f64(self.small(1_000_000) as f64 + 0.125)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        visitor.visit_char((b'a' + (self.seed % 26) as u8) as char)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        visitor.visit_string(format!("s{:x}", self.seed))
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        visitor.visit_byte_buf(self.seed.to_le_bytes().to_vec())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        if self.deep() || self.nones {
            visitor.visit_none()
        } else {
            self.options.fetch_add(1, Ordering::SeqCst);
            visitor.visit_some(self.child(0))
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, SampleError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, SampleError> {
        visitor.visit_newtype_struct(self.child(0))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        let len = if self.deep() { 0 } else { 2 };
        visitor.visit_seq(SampleSeq { parent: self, index: 0, len })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, SampleError> {
        visitor.visit_seq(SampleSeq { parent: self, index: 0, len: len as u64 })
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, SampleError> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        let len = if self.deep() { 0 } else { 2 };
        visitor.visit_map(SampleMap { parent: self, index: 0, len, fields: None })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, SampleError> {
        visitor.visit_map(SampleMap { parent: self, index: 0, len: fields.len() as u64, fields: Some(fields) })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, SampleError> {
        if variants.is_empty() {
            return Err(de::Error::custom("enum without variants"));
        }
        // Deep inside a recursive type, prefer the first variant, which is usually the
        // simplest; elsewhere spread the choice over all variants by seed.
        let index = if self.deep() { 0 } else { self.choose(variants.len() as u64) as usize };
        visitor.visit_enum(SampleEnum { parent: self, variant: variants[index] })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, SampleError> {
        visitor.visit_unit()
    }
}

struct SampleSeq<'w> {
    parent: SampleDeserializer<'w>,
    index: u64,
    len: u64,
}

impl<'de> de::SeqAccess<'de> for SampleSeq<'_> {
    type Error = SampleError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, SampleError> {
        if self.index >= self.len {
            return Ok(None);
        }
        self.index += 1;
        seed.deserialize(self.parent.child(self.index)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.len - self.index) as usize)
    }
}

struct SampleMap<'w> {
    parent: SampleDeserializer<'w>,
    index: u64,
    len: u64,
    fields: Option<&'static [&'static str]>,
}

impl<'de> de::MapAccess<'de> for SampleMap<'_> {
    type Error = SampleError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, SampleError> {
        if self.index >= self.len {
            return Ok(None);
        }
        self.index += 1;
        match self.fields {
            Some(fields) => seed.deserialize(fields[(self.index - 1) as usize].into_deserializer()).map(Some),
            None => seed.deserialize(self.parent.child(1000 + self.index)).map(Some),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, SampleError> {
        seed.deserialize(self.parent.child(self.index))
    }
}

struct SampleEnum<'w> {
    parent: SampleDeserializer<'w>,
    variant: &'static str,
}

impl<'de, 'w> de::EnumAccess<'de> for SampleEnum<'w> {
    type Error = SampleError;
    type Variant = SampleDeserializer<'w>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self::Variant), SampleError> {
        let value = seed.deserialize(self.variant.into_deserializer())?;
        Ok((value, self.parent.child(7)))
    }
}

impl<'de> de::VariantAccess<'de> for SampleDeserializer<'_> {
    type Error = SampleError;

    fn unit_variant(self) -> Result<(), SampleError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, SampleError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, SampleError> {
        de::Deserializer::deserialize_tuple(self, len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, SampleError> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use std::collections::{BTreeMap, BTreeSet};

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Node {
        name: String,
        count: i64,
        tags: Vec<String>,
        props: BTreeMap<String, serde_json::Value>,
        child: Option<Box<Node>>,
        kind: Kind,
    }

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    enum Kind {
        #[default]
        A,
        B(u8),
        C {
            x: i32,
        },
    }

    #[test]
    fn samples_fill_every_field_and_differ_by_seed() {
        let a: Node = sample(1);
        let b: Node = sample(2);
        assert_ne!(a, Node::default());
        assert!(!a.name.is_empty() && a.count != 0 && a.tags.len() == 2 && a.props.len() == 2);
        assert!(a.child.is_some());
        assert_ne!(a, b);
        assert_eq!(a, sample::<Node>(1), "sampling is deterministic");
    }

    /// The variant names of `T`'s samples of `seed` in every round its [`Samples`] need, and
    /// how many rounds that was.
    fn variants_over_rounds<T: DeserializeOwned + fmt::Debug>(seed: u64) -> (BTreeSet<String>, u64) {
        let samples = Samples::default();
        let mut seen = BTreeSet::new();
        let mut round = 0;
        while round < samples.rounds() {
            samples.set_round(round);
            let debug = format!("{:?}", samples.sample::<T>(seed));
            seen.insert(debug.split([' ', '{', '(']).next().unwrap_or_default().to_owned());
            round += 1;
        }
        (seen, round)
    }

    /// The generated tests' seeds (`(index + 1) * 1000 + 600` for errors, `+ 500` for values),
    /// taken over the rounds their `Samples` need, reach every variant of an enum and both
    /// bools for every method, not only across methods.
    #[test]
    fn the_generated_tests_seeds_reach_every_variant_in_every_test() {
        for k in 1..=60u64 {
            let (errors, rounds) = variants_over_rounds::<RpcError>(k * 1000 + 600);
            assert_eq!((errors.len(), rounds), (9, 9), "RpcError has 9 variants; seed {k}: {errors:?}");
            let (kinds, rounds) = variants_over_rounds::<Kind>(k * 1000 + 500);
            assert_eq!((kinds.len(), rounds), (3, 3), "seed {k}: {kinds:?}");
            let (bools, rounds) = variants_over_rounds::<bool>(k * 1000 + 500);
            assert_eq!((bools.len(), rounds), (2, 2), "seed {k}: {bools:?}");
        }
    }

    /// Round 0 is what [`sample`] gives, so the generated tests' first round is unchanged; a
    /// struct's bools flip from one round to the next, each field in its own position.
    #[test]
    fn rounds_start_at_the_plain_sample_and_flip_every_bool() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Flags {
            a: bool,
            b: bool,
            c: bool,
            d: bool,
        }
        let samples = Samples::default();
        let first: Flags = samples.sample(42);
        assert_eq!(first, sample::<Flags>(42));
        samples.set_round(1);
        let second: Flags = samples.sample(42);
        assert_eq!((first.a, first.b, first.c, first.d), (!second.a, !second.b, !second.c, !second.d));
        assert_eq!(samples.rounds(), 2);
    }

    /// Options are filled in the rounds that cover the enums and bools, and all `None` in one
    /// more round after them.
    #[test]
    fn options_are_filled_and_then_none_in_a_last_round() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Maybe {
            flag: bool,
            name: Option<String>,
            inner: Option<Option<u32>>,
        }
        let samples = Samples::default();
        let mut seen = Vec::new();
        let mut round = 0;
        while round < samples.rounds() {
            samples.set_round(round);
            seen.push(samples.sample::<Maybe>(7));
            round += 1;
        }
        assert_eq!(seen.len(), 3, "two rounds for the bool, one for the options: {seen:?}");
        assert!(seen[..2].iter().all(|m| m.name.is_some() && matches!(m.inner, Some(Some(_)))), "{seen:?}");
        assert_eq!((seen[2].name.as_ref(), seen[2].inner), (None, None));
        assert_ne!(seen[0].flag, seen[1].flag);
    }

    #[test]
    fn samples_round_trip_through_the_codec() {
        for seed in 0..50 {
            let value: Node = sample(seed);
            let bytes = crate::codec::encode("t", &value).unwrap();
            let back: Node = crate::codec::decode("t", &bytes).unwrap();
            assert_eq!(back, value);
        }
    }
}
