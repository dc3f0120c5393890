//! The attribute front end's logic, kept here so the `plugin-macros` crate is a one-line shim
//! per attribute and tests can call exactly what the compiler calls.
//!
//! `#[interface(...)]` on a trait expands to the trait, unchanged, followed by a module holding
//! the same glue `cargo xtask pluginapi` writes. `#[implemented]` on an `impl Trait for X` block
//! adds an `Implements<dyn Trait>` impl listing the methods the block defines.

use crate::{Diagnostic, Options, Rules};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse::Parser;
use syn::spanned::Spanned;

/// The arguments of `#[interface(...)]`.
#[derive(Debug, Clone)]
pub struct InterfaceArgs {
    /// The name of the generated module (default: the trait's name in snake_case + `_rpc`).
    pub module: Option<syn::Ident>,
    pub options: Options,
    pub rules: Rules,
    /// Also emit a mockall mock (`Mock<Trait>`) in the module; the crate needs `mockall`.
    pub mocks: bool,
}

impl Default for InterfaceArgs {
    fn default() -> Self {
        InterfaceArgs {
            module: None,
            options: Options { tests: false, ..Options::default() },
            rules: Rules::default(),
            mocks: false,
        }
    }
}

/// Parses `module = name, runtime = ::path, tests = bool, require_min_version = bool`. An
/// argument given twice is an error at the second one (which value was meant is not clear).
pub fn parse_interface_args(attr: TokenStream) -> syn::Result<InterfaceArgs> {
    let mut args = InterfaceArgs::default();
    let mut seen = std::collections::BTreeSet::new();
    let parser = syn::meta::parser(|meta| {
        if let Some(name) = meta.path.get_ident() {
            if !seen.insert(name.to_string()) {
                return Err(meta.error(format!("`{name}` is given twice; keep one")));
            }
        }
        if meta.path.is_ident("module") {
            args.module = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("runtime") {
            args.options.runtime = meta.value()?.parse()?;
        } else if meta.path.is_ident("tests") {
            args.options.tests = meta.value()?.parse::<syn::LitBool>()?.value;
        } else if meta.path.is_ident("mocks") {
            args.mocks = meta.value()?.parse::<syn::LitBool>()?.value;
        } else if meta.path.is_ident("require_min_version") {
            args.rules.require_min_version = meta.value()?.parse::<syn::LitBool>()?.value;
        } else {
            return Err(meta.error(
                "unknown argument; expected `module = name`, `runtime = ::path`, `tests = bool`, `mocks = bool` or `require_min_version = bool`",
            ));
        }
        Ok(())
    });
    parser.parse2(attr)?;
    Ok(args)
}

/// The module the glue goes into: `Greeter` -> `greeter_rpc`, `HTTPServer` -> `http_server_rpc`.
pub fn default_module_name(trait_ident: &syn::Ident) -> syn::Ident {
    format_ident!("{}_rpc", snake_case(&trait_ident.to_string()))
}

/// `CamelCase` -> `camel_case`, keeping acronyms together: `HTTPServer` -> `http_server`,
/// `ShortURL` -> `short_url`, `Api2Go` -> `api2_go`.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut snake = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let after_lower = chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit();
            let acronym_ends = chars[i - 1].is_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if after_lower || acronym_ends {
                snake.push('_');
            }
        }
        snake.extend(c.to_lowercase());
    }
    snake
}

/// The glue for a parsed trait (and its mock, if asked), or its diagnostics: the shared core of
/// both front ends.
pub fn glue_for_trait(item: &syn::ItemTrait, args: &InterfaceArgs) -> Result<TokenStream, Vec<Diagnostic>> {
    let valid = crate::validate(crate::parse::parse_trait(item), &args.rules)?;
    let mut glue = crate::emit(&valid, &args.options);
    if args.mocks {
        glue.extend(crate::emit_mock(&valid, &syn::parse_quote!(::mockall)));
    }
    Ok(glue)
}

/// `#[interface(...)]`: the trait, then `mod <module> { <glue> }`. Problems become compile
/// errors at their spans, all of them, and the trait is still emitted so the rest of the crate
/// does not drown in follow-on errors.
pub fn expand_interface(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item_trait: syn::ItemTrait = match syn::parse2(item.clone()) {
        Ok(t) => t,
        Err(_) => {
            let err = syn::Error::new(item.span(), "#[interface] goes on a trait definition").to_compile_error();
            return quote!(#item #err);
        }
    };
    let args = match parse_interface_args(attr) {
        Ok(args) => args,
        Err(e) => {
            let err = e.to_compile_error();
            return quote!(#item_trait #err);
        }
    };
    match glue_for_trait(&item_trait, &args) {
        Ok(glue) => {
            let module = args.module.unwrap_or_else(|| default_module_name(&item_trait.ident));
            let vis = &item_trait.vis;
            let doc = format!(" RPC glue of [`{}`], generated by `#[plugin_macros::interface]`.", item_trait.ident);
            quote! {
                #item_trait
                #[doc = #doc]
                #vis mod #module {
                    #glue
                }
            }
        }
        Err(diags) => {
            let errors = diags.iter().map(|d| d.to_syn_error().to_compile_error());
            quote! {
                #item_trait
                #(#errors)*
            }
        }
    }
}

/// `#[implemented]` (or `#[implemented(runtime = ::path)]`) on `impl Trait for X { ... }`.
pub fn expand_implemented(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut runtime: syn::Path = syn::parse_quote!(::plugin_runtime);
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("runtime") {
            runtime = meta.value()?.parse()?;
            Ok(())
        } else {
            Err(meta.error("unknown argument; expected `runtime = ::path`"))
        }
    });
    if let Err(e) = parser.parse2(attr) {
        let err = e.to_compile_error();
        return quote!(#item #err);
    }
    let item_impl: syn::ItemImpl = match syn::parse2(item.clone()) {
        Ok(i) => i,
        Err(_) => {
            let err = syn::Error::new(item.span(), "#[implemented] goes on an `impl Trait for Type` block")
                .to_compile_error();
            return quote!(#item #err);
        }
    };
    let Some((_, trait_path, _)) = &item_impl.trait_ else {
        let err = syn::Error::new(
            item_impl.self_ty.span(),
            "#[implemented] needs a trait impl (`impl Trait for Type`), not an inherent impl",
        )
        .to_compile_error();
        return quote!(#item_impl #err);
    };
    // A method under `#[cfg]` is listed under the same `#[cfg]`: implemented only where it exists.
    let names = item_impl.items.iter().filter_map(|i| match i {
        syn::ImplItem::Fn(f) => {
            let cfgs = f.attrs.iter().filter(|a| a.path().is_ident("cfg"));
            let name = f.sig.ident.to_string();
            Some(quote!(#(#cfgs)* #name))
        }
        _ => None,
    });
    let (impl_generics, _, where_clause) = item_impl.generics.split_for_impl();
    let self_ty = &item_impl.self_ty;
    quote! {
        #item_impl
        impl #impl_generics #runtime::Implements<dyn #trait_path> for #self_ty #where_clause {
            const METHODS: &'static [&'static str] = &[#(#names),*];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(name: &str) -> String {
        default_module_name(&format_ident!("{name}")).to_string()
    }

    #[test]
    fn module_names_are_snake_case_with_acronyms_kept_together() {
        assert_eq!(module("Greeter"), "greeter_rpc");
        assert_eq!(module("HostApi"), "host_api_rpc");
        assert_eq!(module("HTTPServer"), "http_server_rpc");
        assert_eq!(module("ShortURL"), "short_url_rpc");
        assert_eq!(module("Api2Go"), "api2_go_rpc");
        assert_eq!(module("A"), "a_rpc");
    }

    #[test]
    fn an_argument_given_twice_is_an_error_naming_it() {
        let error = parse_interface_args(quote!(tests = true, tests = false)).unwrap_err();
        assert_eq!(error.to_string(), "`tests` is given twice; keep one");
        assert!(parse_interface_args(quote!(tests = true, mocks = false)).is_ok());
    }
}
