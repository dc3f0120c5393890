//! Snapshot tests of the emitted code for the fixture trait in `tests/src/fixture.rs` (every
//! supported shape), so a change to the emitter is reviewed as a diff of generated code.
//! Bless new output with `cargo insta review` or `INSTA_UPDATE=always cargo test`.

use pluginapi_gen::{Options, Rules};

fn fixture() -> syn::File {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/src/fixture.rs");
    syn::parse_file(&std::fs::read_to_string(path).expect("fixture exists")).expect("fixture parses")
}

fn generate(options: &Options) -> String {
    let iface = pluginapi_gen::interface_from_file(&fixture(), "Greeter", &Rules::default())
        .unwrap_or_else(|d| panic!("fixture is valid: {d:?}"));
    pluginapi_gen::format_tokens(pluginapi_gen::emit(&iface, options)).expect("output parses")
}

#[test]
fn greeter_glue() {
    insta::assert_snapshot!("greeter_glue", generate(&Options { tests: false, ..Options::default() }));
}

#[test]
fn greeter_glue_with_renamed_runtime() {
    let options = Options { runtime: syn::parse_quote!(::my_runtime), tests: false };
    let text = generate(&options);
    assert!(!text.contains("plugin_runtime"), "every runtime path must follow Options::runtime");
    assert!(text.contains("::my_runtime::ClientCore"));
}

#[test]
fn output_is_deterministic() {
    let first = generate(&Options::default());
    for _ in 0..3 {
        assert_eq!(generate(&Options::default()), first);
    }
}

/// A trait whose methods carry `#[cfg]`, `#[deprecated]`, doc comments and attributes left on
/// the trait (lint levels, `#[must_use]`).
const ATTRIBUTES: &str = r#"
pub trait Flags: Send + Sync {
    /// Always there.
    ///
    /// Wire id: 0
    fn stable(&self, name: &str) -> Result<String, RpcError>;

    /// Reads an upload; only with the `beta` feature.
    ///
    /// Wire id: 1
    #[cfg(feature = "beta")]
    fn beta(&self, input: ByteStream) -> Result<u64, RpcError>;

    /// The old name of `stable`.
    ///
    /// It keeps working for one more release.
    ///
    /// Wire id: 2
    /// Minimum server version: 1.0
    #[deprecated(since = "2.0.0", note = "use `stable`")]
    #[allow(unused_variables)]
    fn old(&self, name: &str) -> Result<String, RpcError> {
        Err(plugin_runtime::not_implemented("old"))
    }

    /// Unix only, and going away.
    ///
    /// Wire id: 3
    #[cfg(unix)]
    #[cfg(not(feature = "lean"))]
    #[deprecated = "going away"]
    #[must_use]
    fn legacy(&self) -> Result<(), RpcError>;
}
"#;

fn attributes() -> pluginapi_gen::ValidInterface {
    let file = syn::parse_file(ATTRIBUTES).expect("parses");
    pluginapi_gen::interface_from_file(&file, "Flags", &Rules::default()).unwrap_or_else(|d| panic!("valid: {d:?}"))
}

/// Every item of a `#[cfg]` method is under the same `#[cfg]` (constant, table entry, wire
/// types, client method, dispatch arm, timing and forwarding methods, recorder and test); the
/// deprecated method's constant is `#[deprecated]` and all generated code naming it allows it;
/// the client methods carry the docs without the metadata lines.
#[test]
fn method_attributes_glue() {
    let text = pluginapi_gen::format_tokens(pluginapi_gen::emit(&attributes(), &Options::default())).unwrap();
    insta::assert_snapshot!("method_attributes_glue", text);
}

#[test]
fn method_attributes_mock() {
    insta::assert_snapshot!(
        "method_attributes_mock",
        pluginapi_gen::format_mock(&attributes(), &syn::parse_quote!(::mockall))
    );
}
