//! Struct fields this build does not know, kept and sent on unchanged.
//!
//! With version skew a peer may send a struct with more fields than this side's copy of the
//! definitions has. Plain serde skips them, so an older plugin that receives a `Post` in
//! `message_will_be_posted`, changes its message and returns it would silently drop every field
//! added since it was built (upstream hand-writes that hook's glue for exactly this). A struct
//! that opts in keeps such fields in an [`UnknownFields`] member and writes them back after its
//! own fields, so they survive a round trip through the older side.
//!
//! Opting in keeps serde's derive for the known fields:
//!
//! ```
//! use plugin_runtime::serde::{Deserialize, Serialize};
//! use plugin_runtime::unknown::UnknownFields;
//!
//! #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
//! #[serde(crate = "plugin_runtime::serde", remote = "Self", default)]
//! pub struct Note {
//!     pub text: String,
//!     #[serde(skip)]
//!     pub unknown_fields: UnknownFields,
//! }
//! plugin_runtime::keep_unknown_fields!(Note);
//!
//! // A newer peer's note, with a field this build lacks.
//! #[derive(Serialize)]
//! #[serde(crate = "plugin_runtime::serde")]
//! struct NewerNote { text: String, pinned: bool }
//! let bytes = plugin_runtime::codec::encode("m", &NewerNote { text: "hi".into(), pinned: true }).unwrap();
//!
//! let note: Note = plugin_runtime::codec::decode("m", &bytes).unwrap();
//! assert_eq!(note.unknown_fields.names().collect::<Vec<_>>(), ["pinned"]);
//! assert_eq!(plugin_runtime::codec::encode("m", &note).unwrap(), bytes);
//! ```
//!
//! `remote = "Self"` makes the derives emit inherent `serialize`/`deserialize` functions instead
//! of the trait impls; [`keep_unknown_fields!`](crate::keep_unknown_fields) writes the trait impls around them. Decoding
//! costs nothing extra for known fields: the wrapper only notices when the derived code asks to
//! skip a value (serde's `deserialize_ignored_any`), and captures that value instead. A struct
//! with no unknown fields encodes exactly as it would without the wrapper.

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// A value of an unknown field, as self-describing MessagePack data.
pub use rmpv::Value;

/// The fields of a struct that this build does not know, by name, with their values.
///
/// Equality compares floats bit for bit, so it is an equivalence (a NaN equals itself) and
/// structs holding these can still derive `Eq`.
#[derive(Debug, Clone, Default)]
pub struct UnknownFields(BTreeMap<String, Value>);

impl PartialEq for UnknownFields {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self.0.iter().zip(&other.0).all(|((n1, v1), (n2, v2))| n1 == n2 && same(v1, v2))
    }
}

impl Eq for UnknownFields {}

/// Structural equality with floats compared by their bits.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::F32(x), Value::F32(y)) => x.to_bits() == y.to_bits(),
        (Value::F64(x), Value::F64(y)) => x.to_bits() == y.to_bits(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k1, v1), (k2, v2))| same(k1, k2) && same(v1, v2))
        }
        _ => a == b,
    }
}

impl UnknownFields {
    /// No unknown fields.
    pub fn new() -> Self {
        UnknownFields::default()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Their names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// The value of the field `name`, if it was kept.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// Keeps `value` under `name`, to be sent after the known fields. A name the struct knows
    /// would be sent twice: only use names the struct lacks.
    pub fn insert(&mut self, name: impl Into<String>, value: Value) -> Option<Value> {
        self.0.insert(name.into(), value)
    }

    /// Drops the field `name`.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.0.remove(name)
    }
}

/// Writes `Serialize` and `Deserialize` for structs that keep unknown fields. Each struct
/// derives both traits with `#[serde(remote = "Self")]` and has a `#[serde(skip)]` member
/// `unknown_fields: UnknownFields`; see the [module docs](crate::unknown).
#[macro_export]
macro_rules! keep_unknown_fields {
    ($($ty:ident),+ $(,)?) => {$(
        impl $crate::serde::Serialize for $ty {
            fn serialize<__S: $crate::serde::Serializer>(
                &self,
                __serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                $crate::unknown::serialize(__serializer, &self.unknown_fields, |__s| $ty::serialize(self, __s))
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $ty {
            fn deserialize<__D: $crate::serde::Deserializer<'de>>(
                __deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                let (mut __value, __unknown) = $crate::unknown::deserialize(__deserializer, |__d| $ty::deserialize(__d))?;
                __value.unknown_fields = __unknown;
                ::core::result::Result::Ok(__value)
            }
        }
    )+};
}

/// Runs a struct's derived (remote) deserializer, returning the fields it skipped as well.
pub fn deserialize<'de, D, T, F>(deserializer: D, known: F) -> Result<(T, UnknownFields), D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(Capture<'_, D>) -> Result<T, D::Error>,
{
    let mut unknown = UnknownFields::new();
    let value = known(Capture { inner: deserializer, unknown: &mut unknown })?;
    Ok((value, unknown))
}

/// Runs a struct's derived (remote) serializer, appending `unknown` after its fields.
pub fn serialize<S, F>(serializer: S, unknown: &UnknownFields, known: F) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    F: FnOnce(Append<'_, S>) -> Result<S::Ok, S::Error>,
{
    known(Append { inner: serializer, unknown })
}

// ----- decoding -----

/// The deserializer a struct's derived code is given: the caller's, with the struct's map
/// watched for skipped values.
pub struct Capture<'u, D> {
    inner: D,
    unknown: &'u mut UnknownFields,
}

/// Forwards the `deserialize_*` methods that take only a visitor.
macro_rules! forward_deserialize {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.inner.$method(visitor)
        }
    )*};
}

/// Forwards every `deserialize_*` method but `deserialize_struct` (and
/// `deserialize_ignored_any` unless it is named), which the wrappers intercept.
macro_rules! forward_deserialize_all_but_struct {
    ($($extra:ident)*) => {
        forward_deserialize! {
            deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
            deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
            deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
            deserialize_byte_buf deserialize_option deserialize_unit deserialize_seq deserialize_map
            deserialize_identifier
            $($extra)*
        }
        forward_deserialize_named!();
    };
}

/// Forwards the `deserialize_*` methods that take names or lengths as well.
macro_rules! forward_deserialize_named {
    () => {
        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.inner.deserialize_unit_struct(name, visitor)
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.inner.deserialize_newtype_struct(name, visitor)
        }

        fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Self::Error> {
            self.inner.deserialize_tuple(len, visitor)
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            len: usize,
            visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.inner.deserialize_tuple_struct(name, len, visitor)
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            name: &'static str,
            variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.inner.deserialize_enum(name, variants, visitor)
        }

        fn is_human_readable(&self) -> bool {
            self.inner.is_human_readable()
        }
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Capture<'_, D> {
    type Error = D::Error;

    forward_deserialize_all_but_struct!(deserialize_ignored_any);

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.inner.deserialize_struct(name, fields, CaptureVisitor { inner: visitor, unknown: self.unknown })
    }
}

/// The struct's visitor, handed a watched map.
struct CaptureVisitor<'u, V> {
    inner: V,
    unknown: &'u mut UnknownFields,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for CaptureVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(CaptureMap { inner: map, unknown: self.unknown, key: None })
    }

    // A struct sent as a sequence has positions, not names: nothing can be unknown by name.
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(seq)
    }
}

/// A field name as the data holds it.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
    Index(u64),
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Key<'de>, E> {
        std::str::from_utf8(v).map(Key::Borrowed).map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Key<'de>, E> {
        std::str::from_utf8(v)
            .map(|s| Key::Owned(s.to_owned()))
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key<'de>, E> {
        Ok(Key::Index(v))
    }
}

/// The struct's map: remembers each key, so a value the struct skips can be kept under it.
struct CaptureMap<'u, 'de, A> {
    inner: A,
    unknown: &'u mut UnknownFields,
    key: Option<Key<'de>>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for CaptureMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.inner.next_key_seed(KeySeed)? else {
            return Ok(None);
        };
        let field = match &key {
            Key::Borrowed(name) => seed.deserialize(de::value::BorrowedStrDeserializer::new(name))?,
            Key::Owned(name) => seed.deserialize(name.as_str().into_deserializer())?,
            Key::Index(index) => seed.deserialize((*index).into_deserializer())?,
        };
        self.key = Some(key);
        Ok(Some(field))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let key = self.key.take();
        self.inner.next_value_seed(ValueSeed { inner: seed, key, unknown: &mut *self.unknown })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A field's value: read as the struct asks, unless it asks to skip it.
struct ValueSeed<'u, 'de, S> {
    inner: S,
    key: Option<Key<'de>>,
    unknown: &'u mut UnknownFields,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for ValueSeed<'_, 'de, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.inner.deserialize(KeepSkipped { inner: deserializer, key: self.key, unknown: self.unknown })
    }
}

/// Forwards everything to the data's deserializer but `deserialize_ignored_any`, which the
/// derived code calls only for a field it does not know: that value is kept instead.
struct KeepSkipped<'u, 'de, D> {
    inner: D,
    key: Option<Key<'de>>,
    unknown: &'u mut UnknownFields,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for KeepSkipped<'_, 'de, D> {
    type Error = D::Error;

    forward_deserialize_all_but_struct!();

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.inner.deserialize_struct(name, fields, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let name = match self.key {
            Some(Key::Borrowed(name)) => name.to_owned(),
            Some(Key::Owned(name)) => name,
            // Without a name the value could not be sent back where it was: skip it.
            Some(Key::Index(_)) | None => return self.inner.deserialize_ignored_any(visitor),
        };
        let value = <Value as serde::Deserialize>::deserialize(self.inner)?;
        self.unknown.0.insert(name, value);
        visitor.visit_unit()
    }
}

// ----- encoding -----

/// The serializer a struct's derived code is given: the caller's, with the struct's fields
/// followed by the unknown ones.
pub struct Append<'u, S> {
    inner: S,
    unknown: &'u UnknownFields,
}

/// The struct being written: as the caller's struct when nothing is appended (the same bytes as
/// without the wrapper), or as a map with room for the unknown fields.
pub enum AppendStruct<'u, S: Serializer> {
    Plain(S::SerializeStruct),
    Extended(S::SerializeMap, &'u UnknownFields),
}

/// Forwards `serialize_*` methods with their arguments.
macro_rules! forward_serialize {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {$(
        fn $method(self, $($arg: $ty),*) -> Result<$ret, S::Error> {
            self.inner.$method($($arg),*)
        }
    )*};
}

impl<'u, S: Serializer> Serializer for Append<'u, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = S::SerializeSeq;
    type SerializeTuple = S::SerializeTuple;
    type SerializeTupleStruct = S::SerializeTupleStruct;
    type SerializeTupleVariant = S::SerializeTupleVariant;
    type SerializeMap = S::SerializeMap;
    type SerializeStruct = AppendStruct<'u, S>;
    type SerializeStructVariant = S::SerializeStructVariant;

    forward_serialize! {
        serialize_bool(v: bool) -> S::Ok;
        serialize_i8(v: i8) -> S::Ok;
        serialize_i16(v: i16) -> S::Ok;
        serialize_i32(v: i32) -> S::Ok;
        serialize_i64(v: i64) -> S::Ok;
        serialize_i128(v: i128) -> S::Ok;
        serialize_u8(v: u8) -> S::Ok;
        serialize_u16(v: u16) -> S::Ok;
        serialize_u32(v: u32) -> S::Ok;
        serialize_u64(v: u64) -> S::Ok;
        serialize_u128(v: u128) -> S::Ok;
        serialize_f32(v: f32) -> S::Ok;
        serialize_f64(v: f64) -> S::Ok;
        serialize_char(v: char) -> S::Ok;
        serialize_str(v: &str) -> S::Ok;
        serialize_bytes(v: &[u8]) -> S::Ok;
        serialize_none() -> S::Ok;
        serialize_unit() -> S::Ok;
        serialize_unit_struct(name: &'static str) -> S::Ok;
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> S::Ok;
        serialize_seq(len: Option<usize>) -> S::SerializeSeq;
        serialize_tuple(len: usize) -> S::SerializeTuple;
        serialize_tuple_struct(name: &'static str, len: usize) -> S::SerializeTupleStruct;
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize)
            -> S::SerializeTupleVariant;
        serialize_map(len: Option<usize>) -> S::SerializeMap;
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize)
            -> S::SerializeStructVariant;
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.inner.serialize_some(value)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, name: &'static str, value: &T) -> Result<S::Ok, S::Error> {
        self.inner.serialize_newtype_struct(name, value)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_newtype_variant(name, index, variant, value)
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<AppendStruct<'u, S>, S::Error> {
        if self.unknown.is_empty() {
            return self.inner.serialize_struct(name, len).map(AppendStruct::Plain);
        }
        // Unknown field names are not `'static`, which a struct's fields must be: write a map,
        // which self-describing formats (MessagePack with named fields, JSON) encode the same way.
        let map = self.inner.serialize_map(Some(len + self.unknown.len()))?;
        Ok(AppendStruct::Extended(map, self.unknown))
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

impl<S: Serializer> SerializeStruct for AppendStruct<'_, S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), S::Error> {
        match self {
            AppendStruct::Plain(s) => s.serialize_field(key, value),
            AppendStruct::Extended(m, _) => m.serialize_entry(key, value),
        }
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        match self {
            AppendStruct::Plain(s) => s.skip_field(key),
            AppendStruct::Extended(..) => Ok(()),
        }
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        match self {
            AppendStruct::Plain(s) => s.end(),
            AppendStruct::Extended(mut m, unknown) => {
                for (name, value) in &unknown.0 {
                    m.serialize_entry(name, value)?;
                }
                m.end()
            }
        }
    }
}

#[cfg(test)]
mod tests;
