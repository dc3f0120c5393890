//! Unknown fields: kept through an older build, nested, with skipped and renamed fields, and
//! invisible when there are none.

use crate::codec::{decode, encode};
use crate::unknown::{UnknownFields, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An older build's note: knows `text`, `inner` and `tags` only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", default)]
struct Note {
    text: String,
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    kind: String,
    inner: Option<Inner>,
    list: Vec<Inner>,
    #[serde(skip)]
    unknown_fields: UnknownFields,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", default)]
struct Inner {
    n: i64,
    #[serde(skip)]
    unknown_fields: UnknownFields,
}

crate::keep_unknown_fields!(Note, Inner);

/// The newer build's note: two more fields at the top, one more in `Inner`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct NewNote {
    text: String,
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    kind: String,
    pinned: bool,
    inner: Option<NewInner>,
    list: Vec<NewInner>,
    #[serde(with = "crate::codec::bytes")]
    blob: Vec<u8>,
    extra: BTreeMap<String, Vec<i32>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct NewInner {
    n: i64,
    label: Option<String>,
}

/// The same struct as [`Note`] with plain serde, for comparing encodings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct PlainNote {
    text: String,
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    kind: String,
    inner: Option<PlainInner>,
    list: Vec<PlainInner>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct PlainInner {
    n: i64,
}

fn newer() -> NewNote {
    NewNote {
        text: "hello".into(),
        kind: String::new(),
        pinned: true,
        inner: Some(NewInner { n: 7, label: Some("seven".into()) }),
        list: vec![NewInner { n: 1, label: None }, NewInner { n: 2, label: Some("two".into()) }],
        blob: vec![0, 1, 2, 255],
        extra: BTreeMap::from([("a".into(), vec![1, -2, 3])]),
    }
}

#[test]
fn fields_a_newer_peer_sent_survive_a_round_trip_through_an_older_build() {
    let sent = newer();
    let old: Note = decode("m", &encode("m", &sent).unwrap()).unwrap();
    assert_eq!(old.text, "hello");
    assert_eq!(old.unknown_fields.names().collect::<Vec<_>>(), ["blob", "extra", "pinned"]);
    assert_eq!(old.unknown_fields.get("pinned"), Some(&Value::Boolean(true)));
    assert_eq!(old.unknown_fields.get("blob"), Some(&Value::Binary(vec![0, 1, 2, 255])));
    let inner = old.inner.as_ref().unwrap();
    assert_eq!(inner.n, 7);
    assert_eq!(inner.unknown_fields.get("label"), Some(&Value::from("seven")));
    assert!(old.list[0].unknown_fields.get("label").is_some(), "a nil label is kept too");

    // The older build edits what it knows and sends the struct back.
    let mut edited = old.clone();
    edited.text = "edited".into();
    edited.list[1].n = 20;
    let back: NewNote = decode("m", &encode("m", &edited).unwrap()).unwrap();
    let expected = NewNote {
        text: "edited".into(),
        list: vec![NewInner { n: 1, label: None }, NewInner { n: 20, label: Some("two".into()) }],
        ..sent
    };
    assert_eq!(back, expected);
}

#[test]
fn without_unknown_fields_the_encoding_is_plain_serde() {
    let note = Note {
        text: "t".into(),
        kind: "k".into(),
        inner: Some(Inner { n: 3, ..Inner::default() }),
        list: vec![Inner::default()],
        ..Note::default()
    };
    let plain = PlainNote {
        text: "t".into(),
        kind: "k".into(),
        inner: Some(PlainInner { n: 3 }),
        list: vec![PlainInner::default()],
    };
    assert_eq!(encode("m", &note).unwrap(), encode("m", &plain).unwrap());
    let skipped = Note { kind: String::new(), ..note };
    let plain_skipped = PlainNote { kind: String::new(), ..plain };
    assert_eq!(encode("m", &skipped).unwrap(), encode("m", &plain_skipped).unwrap());
    assert_eq!(decode::<Note>("m", &encode("m", &skipped).unwrap()).unwrap(), skipped);
}

#[test]
fn a_skipped_known_field_and_unknown_fields_give_a_well_formed_map() {
    // `kind` is skipped (empty) while unknown fields are appended: the map's length must count
    // exactly the entries written, or the next value would be misread.
    let mut note = Note { text: "x".into(), ..Note::default() };
    note.unknown_fields.insert("later", Value::from(5));
    let pair = (note.clone(), 42u8);
    let (decoded, after): (Note, u8) = decode("m", &encode("m", &pair).unwrap()).unwrap();
    assert_eq!(decoded, note);
    assert_eq!(after, 42);
}

#[test]
fn unknown_fields_survive_json_too() {
    let json = serde_json::to_string(&newer()).unwrap();
    let old: Note = serde_json::from_str(&json).unwrap();
    assert!(old.unknown_fields.get("pinned").is_some());
    let back: NewNote = serde_json::from_str(&serde_json::to_string(&old).unwrap()).unwrap();
    assert!(back.pinned);
    assert_eq!(back.extra, newer().extra);
}

#[test]
fn the_sample_generator_still_fills_known_fields() {
    let note: Note = crate::testing::sample(3);
    assert!(!note.text.is_empty());
    assert!(note.inner.is_some());
    assert!(note.unknown_fields.is_empty());
    assert_eq!(decode::<Note>("m", &encode("m", &note).unwrap()).unwrap(), note);
}

#[test]
fn a_malformed_unknown_value_is_a_codec_error() {
    let mut bytes = encode("m", &newer()).unwrap();
    // Cut inside the last (unknown) entries.
    bytes.truncate(bytes.len() - 3);
    assert!(decode::<Note>("m", &bytes).is_err());
}

#[test]
fn equality_is_an_equivalence_even_with_nan() {
    let mut a = UnknownFields::new();
    a.insert("f", Value::Array(vec![Value::F64(f64::NAN), Value::from(1)]));
    assert_eq!(a, a.clone());
    let mut b = a.clone();
    b.insert("g", Value::Nil);
    assert_ne!(a, b);
}
