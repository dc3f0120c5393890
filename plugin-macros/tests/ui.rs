//! Compile-fail tests: each rejected trait shape produces an error at the offending token with
//! a sentence on how to fix it, and all errors of one trait appear in one compile.
//! Bless new output with `TRYBUILD=overwrite cargo test -p plugin-macros --test ui`.

#[test]
fn rejected_shapes() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
