//! `pluginapi-gen`: generates plugin RPC glue from Rust trait definitions.
//!
//! The pipeline has separate stages over one model ([`model::Interface`]):
//! [`parse`] lowers a syn trait into the model without stopping at problems, [`validate()`]
//! checks every rule and reports all findings with spans, and [`emit()`] turns a valid model into
//! tokens. [`interface_from_file`] runs the first two stages for a trait of a source file and
//! [`format_tokens`] formats what `emit` made; both the `cargo xtask pluginapi` command and the
//! `plugin-macros` attribute are thin front ends over these functions, so they produce the same
//! code.

pub mod attribute;
pub mod emit;
mod emit_async;
mod emit_mocks;
mod emit_tests;
pub mod lock;
pub mod model;
pub mod parse;
pub mod valid;
pub mod validate;

pub use emit::{emit, Options};
pub use emit_mocks::{emit_mock, format_mock};
pub use valid::ValidInterface;
pub use validate::{validate, Diagnostic, Rules};

use proc_macro2::TokenStream;

/// Parses and validates one trait of a parsed file.
pub fn interface_from_file(
    file: &syn::File,
    trait_name: &str,
    rules: &Rules,
) -> Result<ValidInterface, Vec<Diagnostic>> {
    let item = parse::find_trait(file, trait_name).ok_or_else(|| {
        vec![Diagnostic::new(
            proc_macro2::Span::call_site(),
            format!("no trait named `{trait_name}` at the top level of the file"),
            "check the trait name the generator was given",
        )]
    })?;
    validate(parse::parse_trait(item), rules)
}

/// Formats generated tokens as Rust source with prettyplease (deterministic for equal tokens).
pub fn format_tokens(tokens: TokenStream) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(tokens)?;
    Ok(prettyplease::unparse(&file))
}
