//! The attribute and `cargo xtask pluginapi` are front ends of one generator: expanding
//! `#[interface(module = rpc, tests = true, require_min_version = true)]` on the api-definitions
//! traits gives, after formatting, exactly the checked-in files the xtask wrote.

use quote::quote;

fn check(source: &str, trait_name: &str, generated: &str) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let text = std::fs::read_to_string(format!("{root}/{source}")).unwrap();
    let file = syn::parse_file(&text).unwrap();
    let item = pluginapi_gen::parse::find_trait(&file, trait_name).expect("trait exists");
    let expanded = pluginapi_gen::attribute::expand_interface(
        quote!(module = rpc, tests = true, require_min_version = true),
        quote!(#item),
    );
    let expanded: syn::File = syn::parse2(expanded).expect("expansion parses");
    let module = expanded
        .items
        .iter()
        .find_map(|i| match i {
            syn::Item::Mod(m) if m.ident == "rpc" => Some(m),
            _ => None,
        })
        .expect("the expansion has the glue module");
    let (_, items) = module.content.as_ref().expect("inline module");
    let from_macro = prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: items.clone() });

    let checked_in = std::fs::read_to_string(format!("{root}/{generated}")).unwrap();
    let body = checked_in.split_once("\n\n").expect("preamble, blank line, code").1;
    assert!(from_macro == body, "the attribute's expansion of `{trait_name}` differs from {generated}");
}

#[test]
fn api_expansion_equals_xtask_output() {
    check("api-definitions/src/api.rs", "Api", "api-definitions/src/generated/api.rs");
}

#[test]
fn hooks_expansion_equals_xtask_output() {
    check("api-definitions/src/hooks.rs", "Hooks", "api-definitions/src/generated/hooks.rs");
}
