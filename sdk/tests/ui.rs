//! Compile-fail tests of the SDK's promises: a plugin whose `impl Hooks` block lacks
//! `#[plugin_sdk::implemented]` does not compile in `serve!`, and the message says what to add.
//! Bless new output with `TRYBUILD=overwrite cargo test -p plugin-sdk --test ui`.

#[test]
fn forgetting_the_attribute_is_a_compile_error_naming_the_fix() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
