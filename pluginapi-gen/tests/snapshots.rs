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
