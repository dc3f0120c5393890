//! Emission of mockall mocks: a `mock!` invocation that implements the trait on `Mock<Trait>`,
//! from the same validated model as the RPC glue, for `cargo xtask plugin-mocks` and the
//! attribute's `mocks = true`. A method's `#[cfg]` goes onto its mock method, and mockall puts
//! it on everything it makes for the method (`expect_<method>` among them).

use crate::emit::{cfg_of, signature_of};
use crate::valid::ValidInterface;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Emits `mock! { pub <Trait> {} impl <Trait> for <Trait> { ... } }` (the struct is
/// `Mock<Trait>`), reaching mockall through `mockall` (a path such as `::mockall`).
pub fn emit_mock(valid: &ValidInterface, mockall: &syn::Path) -> TokenStream {
    let trait_ident = &valid.interface.ident;
    let methods = valid.interface.methods.iter().zip(&valid.methods).map(|(m, v)| {
        let (cfg, sig) = (cfg_of(v), signature_of(&m.ident, v));
        quote!(#cfg #sig;)
    });
    let doc = format!(
        " A mockall mock of [`{trait_ident}`]: `Mock{trait_ident}::new()`, then `expect_<method>()` for each call the \
         test expects. An unexpected call panics with the method's name and arguments."
    );
    let mock_name = format_ident!("{}", trait_ident);
    quote! {
        #mockall::mock! {
            #[doc = #doc]
            pub #mock_name {}
            impl #trait_ident for #mock_name {
                #(#methods)*
            }
        }
    }
}

/// The mock as formatted source. prettyplease cannot lay out a macro's body, so the method
/// signatures are formatted as the trait they mirror, and that layout is placed in the
/// `mock!` invocation; the tokens are the same as [`emit_mock`]'s.
pub fn format_mock(valid: &ValidInterface, mockall: &syn::Path) -> String {
    let trait_ident = &valid.interface.ident;
    let signatures = valid.interface.methods.iter().zip(&valid.methods).map(|(m, v)| {
        let (cfg, sig) = (cfg_of(v), signature_of(&m.ident, v));
        quote!(#cfg #sig;)
    });
    let as_trait: syn::File = syn::parse_quote!(trait #trait_ident { #(#signatures)* });
    let body = prettyplease::unparse(&as_trait);
    let mut lines = body.lines();
    let _ = lines.next(); // `trait X {`, replaced by the impl header below
    let mut out = format!("{}::mock! {{\n", quote!(#mockall).to_string().replace(' ', ""));
    out.push_str(&format!(
        "    /// A mockall mock of [`{trait_ident}`]: `Mock{trait_ident}::new()`, then `expect_<method>()` for each\n    /// call the test expects. An unexpected call panics with the method's name and arguments.\n"
    ));
    out.push_str(&format!("    pub {trait_ident} {{}}\n    impl {trait_ident} for {trait_ident} {{\n"));
    for line in lines {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("}\n");
    out
}
