//! The value codec of the wire: MessagePack with named struct fields (rmp-serde).
//!
//! Named fields make the encoding self-describing, so a peer built against an older or newer
//! copy of the definitions skips fields it does not know and defaults fields it lacks, instead
//! of misreading positions (the failure mode of gob with version skew). Byte payloads use
//! MessagePack's `bin` type through [`bytes`] and [`ByteBuf`], so a 1 MiB blob is one copy, not a
//! million integers.

use crate::RpcError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Encodes a value for `method`, appending to `out`.
pub fn encode_into<T: Serialize + ?Sized>(method: &str, value: &T, out: &mut Vec<u8>) -> Result<(), RpcError> {
    value.serialize(&mut rmp_serde::Serializer::new(out).with_struct_map()).map_err(|e| RpcError::codec(method, e))
}

/// Encodes a value for `method`.
pub fn encode<T: Serialize + ?Sized>(method: &str, value: &T) -> Result<Vec<u8>, RpcError> {
    let mut out = Vec::with_capacity(64);
    encode_into(method, value, &mut out)?;
    Ok(out)
}

/// Decodes a value for `method`; a malformed or mismatched payload is an [`RpcError::Codec`].
pub fn decode<T: DeserializeOwned>(method: &str, bytes: &[u8]) -> Result<T, RpcError> {
    rmp_serde::from_slice(bytes).map_err(|e| RpcError::codec(method, e))
}

/// `#[serde(skip_serializing_if = "...::codec::is_default")]`: leaves out a field equal to its
/// default. Only for structs decoded with `#[serde(default)]`, where a missing field decodes as
/// that same default.
pub fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// `#[serde(with = "...::codec::bytes")]` for `&[u8]` and `Vec<u8>` fields: encoded as one
/// binary blob.
pub mod bytes {
    use super::*;

    /// Serializes a byte slice as a binary blob.
    pub fn serialize<S: Serializer, B: AsRef<[u8]> + ?Sized>(value: &B, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(value.as_ref())
    }

    /// Deserializes a binary blob (or, from a lenient peer, a sequence of integers).
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        ByteBuf::deserialize(deserializer).map(|b| b.0)
    }
}

/// `#[serde(with = "...::codec::option_bytes")]` for `Option<Vec<u8>>` fields.
pub mod option_bytes {
    use super::*;

    /// Serializes an optional byte slice as nil or a binary blob.
    pub fn serialize<S: Serializer>(value: &Option<Vec<u8>>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.serialize_some(&BytesRef(v)),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes nil or a binary blob.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<ByteBuf>::deserialize(deserializer).map(|o| o.map(|b| b.0))
    }
}

/// A borrowed byte slice that serializes as a binary blob.
#[derive(Debug, Clone, Copy)]
pub struct BytesRef<'a>(pub &'a [u8]);

impl Serialize for BytesRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// An owned byte buffer that deserializes from a binary blob (or a sequence of integers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ByteBuf(pub Vec<u8>);

impl Serialize for ByteBuf {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for ByteBuf {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ByteBuf;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a byte array")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<ByteBuf, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                while let Some(b) = seq.next_element::<u8>()? {
                    out.push(b);
                }
                Ok(ByteBuf(out))
            }
        }
        deserializer.deserialize_byte_buf(Visitor)
    }
}
