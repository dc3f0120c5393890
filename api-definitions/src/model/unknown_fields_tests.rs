//! Every model struct keeps the fields a newer peer sends that this build does not know, so an
//! older plugin that edits a `Post` (or a `Config`, a `User`, ...) and sends it back loses
//! nothing; upstream hand-writes `MessageWillBePosted`'s glue for this one case.

use crate::model;
use plugin_runtime::codec::{decode, encode};
use plugin_runtime::testing::sample;
use plugin_runtime::unknown::Value;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;

/// Model structs that deliberately do not keep unknown fields, with why.
const EXEMPT: &[(&str, &str)] =
    &[("LogField", "a key/value pair of a log line: it only travels to the host and never grows")];

/// Reads every model source file and checks that each struct deriving `Deserialize` with named
/// fields has the `unknown_fields` member and the `keep_unknown_fields!` impls. A struct added
/// without them fails here with its name.
#[test]
fn every_model_struct_keeps_unknown_fields() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/model");
    let mut missing = Vec::new();
    let mut checked = 0;
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(name) = line.strip_prefix("pub struct ").and_then(|rest| rest.strip_suffix(" {")) else {
                continue;
            };
            // The attributes above the struct.
            let attrs: Vec<&str> =
                lines[..i].iter().rev().take_while(|l| l.starts_with("#[") || l.starts_with("///")).copied().collect();
            if !attrs.iter().any(|a| a.starts_with("#[derive(") && a.contains("Deserialize")) {
                continue;
            }
            if EXEMPT.iter().any(|(n, _)| *n == name) {
                continue;
            }
            checked += 1;
            let body_end = i + lines[i..].iter().position(|l| *l == "}").unwrap();
            let ok = attrs.iter().any(|a| a.contains("remote = \"Self\""))
                && lines[i..body_end].iter().any(|l| l.trim() == "pub unknown_fields: UnknownFields,")
                && text.contains(&format!("keep_unknown_fields!({name});"));
            if !ok {
                missing.push(format!("{}: {name}", path.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    assert!(checked > 150, "only {checked} model structs found: has the layout of src/model changed?");
    assert!(missing.is_empty(), "model structs that drop unknown fields (see plugin_runtime::unknown):\n{missing:#?}");
}

/// Encodes a sample of `T`, adds a field it lacks (as a newer peer would), decodes it as `T`,
/// encodes it again and expects the newer peer's value back.
fn survives<T: Serialize + DeserializeOwned + Debug>(seed: u64) {
    let value: T = sample(seed);
    let Value::Map(mut entries) = decode::<Value>("t", &encode("t", &value).unwrap()).unwrap() else {
        panic!("{} is not encoded as a map", std::any::type_name::<T>());
    };
    let added =
        Value::Map(vec![(Value::from("level"), Value::from(3)), (Value::from("blob"), Value::Binary(vec![1, 2]))]);
    entries.push((Value::from("field_from_the_future"), added));
    let newer = encode("t", &Value::Map(entries.clone())).unwrap();

    let older: T = decode("t", &newer).unwrap();
    let Value::Map(mut back) = decode::<Value>("t", &encode("t", &older).unwrap()).unwrap() else { unreachable!() };
    let key = |e: &(Value, Value)| e.0.as_str().unwrap_or_default().to_owned();
    entries.sort_by_key(key);
    back.sort_by_key(key);
    assert_eq!(back, entries, "{} lost a field it does not know", std::any::type_name::<T>());
}

#[test]
fn core_types_carry_a_newer_field_through_an_older_build() {
    survives::<model::Post>(1);
    survives::<model::PostMetadata>(2);
    survives::<model::User>(3);
    survives::<model::Channel>(4);
    survives::<model::Team>(5);
    survives::<model::FileInfo>(6);
    survives::<model::Config>(7);
    survives::<model::ServiceSettings>(8);
    survives::<model::Manifest>(9);
    survives::<model::CommandArgs>(10);
    survives::<model::Context>(11);
}

#[test]
fn a_post_returned_by_an_older_plugin_keeps_nested_fields_it_did_not_know() {
    // A newer server's post, with a new field in the post and in its metadata.
    let post = model::Post {
        message: "hello".into(),
        metadata: Some(model::PostMetadata { expire_at: 5, ..Default::default() }),
        ..Default::default()
    };
    let mut value = decode::<Value>("t", &encode("t", &post).unwrap()).unwrap();
    let Value::Map(top) = &mut value else { unreachable!() };
    top.push((Value::from("burn_after_reading"), Value::Boolean(true)));
    let metadata = top.iter_mut().find(|(k, _)| k.as_str() == Some("metadata")).unwrap();
    let Value::Map(meta) = &mut metadata.1 else { unreachable!() };
    meta.push((Value::from("translations"), Value::Array(vec![Value::from("fr")])));

    // The older plugin rewrites the message and returns the post (Verdict::Replace).
    let mut seen: model::Post = decode("t", &encode("t", &value).unwrap()).unwrap();
    seen.message = "hello, edited".into();
    let replaced = model::Verdict::Replace(seen);

    // The newer server sees both new fields.
    let back = decode::<Value>("t", &encode("t", &replaced).unwrap()).unwrap();
    let text = format!("{back:?}");
    assert!(
        text.contains("burn_after_reading") && text.contains("translations") && text.contains("hello, edited"),
        "{text}"
    );
}
