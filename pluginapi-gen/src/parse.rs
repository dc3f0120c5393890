//! Lowering from syn's syntax tree to the [`crate::model`]. Parsing never fails on a shape it
//! dislikes: it records the shape (or an `Unsupported` problem) in the model and leaves the
//! verdict to [`crate::validate()`], so all problems of a trait are reported together.

use crate::model::*;
use proc_macro2::Span;
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, FnArg, GenericArgument, Lit, Meta, Pat, PathArguments, ReturnType, TraitItem, Type};

/// The doc line that gives a method's permanent wire id.
pub const WIRE_ID_PREFIX: &str = "Wire id:";
/// The doc line that gives the server version a method appeared in.
pub const MIN_VERSION_PREFIX: &str = "Minimum server version:";

/// Finds the trait named `name` among a file's top-level items.
pub fn find_trait<'a>(file: &'a syn::File, name: &str) -> Option<&'a syn::ItemTrait> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Trait(t) if t.ident == name => Some(t),
        _ => None,
    })
}

/// Lowers a trait into the model.
pub fn parse_trait(item: &syn::ItemTrait) -> Interface {
    let generics =
        (!item.generics.params.is_empty() || item.generics.where_clause.is_some()).then(|| item.generics.span());
    let mut methods = Vec::new();
    let mut other_items = Vec::new();
    for trait_item in &item.items {
        match trait_item {
            TraitItem::Fn(f) => methods.push(parse_method(f)),
            other => other_items.push(other.span()),
        }
    }
    Interface { ident: item.ident.clone(), methods, other_items, generics }
}

fn parse_method(f: &syn::TraitItemFn) -> Method {
    let sig = &f.sig;
    let docs = doc_lines(&f.attrs);
    let mut wire_id = None;
    let mut bad_wire_id = None;
    let mut min_version = None;
    let mut repeated_directives = Vec::new();
    let (mut id_lines, mut version_lines) = (0, 0);
    for (line, span) in &docs {
        let line = line.trim();
        // A second line of a kind is kept aside for validation to report: which one is meant?
        let counter = if line.starts_with(WIRE_ID_PREFIX) {
            Some((&mut id_lines, WIRE_ID_PREFIX))
        } else if line.starts_with(MIN_VERSION_PREFIX) {
            Some((&mut version_lines, MIN_VERSION_PREFIX))
        } else {
            None
        };
        if let Some((count, prefix)) = counter {
            *count += 1;
            if *count > 1 {
                repeated_directives.push(Spanned { value: prefix.to_owned(), span: *span });
                continue;
            }
        }
        if let Some(rest) = line.strip_prefix(WIRE_ID_PREFIX) {
            let rest = rest.trim().trim_end_matches('.');
            match rest.parse::<u32>() {
                Ok(id) => wire_id = Some(Spanned { value: id, span: *span }),
                Err(_) => bad_wire_id = Some(Spanned { value: rest.to_owned(), span: *span }),
            }
        } else if let Some(rest) = line.strip_prefix(MIN_VERSION_PREFIX) {
            min_version = Some(Spanned { value: rest.trim().trim_end_matches('.').to_owned(), span: *span });
        }
    }

    let mut attrs = method_attrs(&f.attrs, &sig.ident);
    let mut refused = Vec::new();
    let mut receiver = Receiver::Missing(sig.ident.span());
    let mut params = Vec::new();
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(r) => {
                receiver = if r.reference.is_none() || r.colon_token.is_some() {
                    Receiver::Value(r.span())
                } else if r.mutability.is_some() {
                    Receiver::RefMut(r.span())
                } else {
                    Receiver::Ref
                };
            }
            FnArg::Typed(pt) => {
                refused.extend(pt.attrs.iter().map(|attr| {
                    problem(
                        attr.span(),
                        format!("attribute `#[{}]` on a parameter of `{}` is not supported", attr_name(attr), sig.ident),
                        "remove it: every parameter crosses the wire, so a parameter cannot be conditional or changed by an attribute",
                    )
                }));
                let ident = match &*pt.pat {
                    Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => Some(pi.ident.clone()),
                    _ => None,
                };
                params.push(Param {
                    ident,
                    pat_span: pt.pat.span(),
                    ty: (*pt.ty).clone(),
                    kind: classify_param(&pt.ty),
                });
            }
        }
    }

    let generics =
        (!sig.generics.params.is_empty() || sig.generics.where_clause.is_some()).then(|| sig.generics.span());
    let unsafety = sig
        .unsafety
        .map(|u| u.span)
        .or_else(|| sig.abi.as_ref().map(|a| a.span()))
        .or_else(|| sig.variadic.as_ref().map(|v| v.span()));

    attrs.refused.extend(refused);
    Method {
        ident: sig.ident.clone(),
        wire_id,
        bad_wire_id,
        min_version,
        repeated_directives,
        receiver,
        generics,
        asyncness: sig.asyncness.map(|a| a.span),
        unsafety,
        params,
        output: classify_output(&sig.output, sig.ident.span()),
        attrs,
    }
}

/// Whether a doc line is one of the generator's metadata lines.
fn is_metadata_line(line: &str) -> bool {
    let line = line.trim();
    line.starts_with(WIRE_ID_PREFIX) || line.starts_with(MIN_VERSION_PREFIX)
}

/// An attribute's path as written, for messages (`cfg_attr`, `tracing::instrument`).
fn attr_name(attr: &Attribute) -> String {
    type_text(attr.path())
}

/// Sorts a method's attributes (see [`MethodAttrs`] for what each kind becomes).
fn method_attrs(attrs: &[Attribute], method: &syn::Ident) -> MethodAttrs {
    let mut out = MethodAttrs::default();
    let mut deprecated_seen = false;
    for attr in attrs {
        let path = attr.path();
        let name = attr_name(attr);
        if path.is_ident("doc") {
            // `#[doc(hidden)]` and `#[doc(alias = ..)]` are for the trait's documentation only.
            let Meta::NameValue(nv) = &attr.meta else { continue };
            match &nv.value {
                Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => {
                    // `split`, not `lines`: an empty doc line (`///` alone) is a paragraph break.
                    let text = s.value();
                    let lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
                    out.carried.docs.extend(lines.filter(|l| !is_metadata_line(l)).map(str::to_owned));
                }
                _ => out.refused.push(problem(
                    attr.span(),
                    format!("the doc of `{method}` is not a string literal"),
                    "write the doc comment out (`///`): the generator reads the method's wire id from it",
                )),
            }
        } else if path.is_ident("cfg") {
            match &attr.meta {
                Meta::List(list) if !list.tokens.is_empty() => out.carried.cfgs.push(list.tokens.clone()),
                _ => out.refused.push(problem(
                    attr.span(),
                    format!("`#[{name}]` on `{method}` has no predicate"),
                    "write `#[cfg(predicate)]`, e.g. `#[cfg(feature = \"x\")]`",
                )),
            }
        } else if path.is_ident("deprecated") {
            if deprecated_seen {
                out.refused.push(problem(
                    attr.span(),
                    format!("`{method}` is deprecated twice"),
                    "keep one `#[deprecated]`",
                ));
                continue;
            }
            deprecated_seen = true;
            match deprecation(attr, method) {
                Ok(d) => out.carried.deprecated = Some(d),
                Err(p) => out.refused.push(p),
            }
        } else if ["allow", "expect", "warn", "deny", "forbid", "must_use"].iter().any(|k| path.is_ident(k)) {
            // Lint levels and `must_use` act on the trait's declaration and default body;
            // generated items neither have that body nor need the levels.
        } else if path.is_ident("cfg_attr") {
            out.refused.push(problem(
                attr.span(),
                format!("`#[cfg_attr]` on `{method}` is not supported"),
                "write the attribute it would add directly (`#[cfg(..)]`, `#[deprecated]`), so the generator sees it",
            ));
        } else {
            out.refused.push(problem(
                attr.span(),
                format!("attribute `#[{name}]` on `{method}` is not supported in an RPC trait"),
                "remove it; the generator carries `#[cfg(..)]`, `#[deprecated]` and doc comments to the generated items, leaves lint levels (`#[allow(..)]`, `#[expect(..)]`, `#[warn(..)]`, `#[deny(..)]`, `#[forbid(..)]`) and `#[must_use]` on the trait, and refuses other attributes, which could change the method without the generated glue following",
            ));
        }
    }
    while out.carried.docs.last().is_some_and(|l| l.trim().is_empty()) {
        out.carried.docs.pop();
    }
    out
}

/// The arguments of a `#[deprecated]` attribute.
fn deprecation(attr: &Attribute, method: &syn::Ident) -> Result<Deprecation, Problem> {
    let string = |expr: &Expr| match expr {
        Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Ok(s.value()),
        other => Err(problem(
            other.span(),
            format!("in `#[deprecated]` of `{method}`: expected a string literal"),
            "write `\"text\"`",
        )),
    };
    match &attr.meta {
        Meta::Path(_) => Ok(Deprecation::default()),
        Meta::NameValue(nv) => Ok(Deprecation { since: None, note: Some(string(&nv.value)?) }),
        Meta::List(list) => {
            let mut d = Deprecation::default();
            let mut error = None;
            let parsed = list.parse_nested_meta(|meta| {
                let slot = if meta.path.is_ident("since") {
                    &mut d.since
                } else if meta.path.is_ident("note") {
                    &mut d.note
                } else {
                    return Err(meta.error("expected `since` or `note`"));
                };
                let value: Expr = meta.value()?.parse()?;
                match string(&value) {
                    Ok(text) => *slot = Some(text),
                    Err(p) => error = Some(p),
                }
                Ok(())
            });
            match (parsed, error) {
                (Err(e), _) => Err(problem(
                    e.span(),
                    format!("in `#[deprecated(..)]` of `{method}`: {e}"),
                    "write `#[deprecated(since = \"1.2\", note = \"use `other` instead\")]`",
                )),
                (Ok(()), Some(p)) => Err(p),
                (Ok(()), None) => Ok(d),
            }
        }
    }
}

/// The doc comment's lines, each with the span of the attribute it came from.
fn doc_lines(attrs: &[Attribute]) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    for attr in attrs {
        if let Meta::NameValue(nv) = &attr.meta {
            if nv.path.is_ident("doc") {
                if let Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) = &nv.value {
                    for line in s.value().lines() {
                        out.push((line.strip_prefix(' ').unwrap_or(line).to_owned(), attr.span()));
                    }
                }
            }
        }
    }
    out
}

/// The last path segment's name and its generic type arguments, if `ty` is a path type.
fn path_tail(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(tp) = ty else { return None };
    if tp.qself.is_some() {
        return None;
    }
    let last = tp.path.segments.last()?;
    let args = match &last.arguments {
        PathArguments::AngleBracketed(a) => {
            a.args.iter().filter_map(|g| if let GenericArgument::Type(t) = g { Some(t) } else { None }).collect()
        }
        _ => Vec::new(),
    };
    Some((last.ident.to_string(), args))
}

fn is_named(ty: &Type, name: &str) -> bool {
    matches!(path_tail(ty), Some((n, args)) if n == name && args.is_empty())
}

fn is_u8(ty: &Type) -> bool {
    is_named(ty, "u8")
}

fn is_vec_u8(ty: &Type) -> bool {
    matches!(path_tail(ty), Some((n, args)) if n == "Vec" && args.len() == 1 && is_u8(args[0]))
}

fn is_option_vec_u8(ty: &Type) -> bool {
    matches!(path_tail(ty), Some((n, args)) if n == "Option" && args.len() == 1 && is_vec_u8(args[0]))
}

/// `http::Request<ByteStream>` or `http::Response<ByteStream>` (by last segment).
fn is_http(ty: &Type, name: &str) -> bool {
    matches!(path_tail(ty), Some((n, args)) if n == name && args.len() == 1 && is_named(args[0], "ByteStream"))
}

fn problem(span: Span, message: impl Into<String>, help: impl Into<String>) -> Problem {
    Problem { span, message: message.into(), help: help.into() }
}

fn classify_param(ty: &Type) -> ParamKind {
    if is_named(ty, "ByteStream") {
        return ParamKind::Stream;
    }
    if is_named(ty, "ByteSink") {
        return ParamKind::Sink;
    }
    if is_http(ty, "Request") {
        return ParamKind::HttpRequest;
    }
    if let Type::Reference(r) = ty {
        if r.mutability.is_some() {
            return ParamKind::Unsupported(problem(
                ty.span(),
                format!(
                    "parameter type `{}` is a mutable reference, which cannot cross a process boundary",
                    type_text(ty)
                ),
                "take the value by shared reference (`&T`) or by value, and return what the callee changes",
            ));
        }
        if let Some(lt) = &r.lifetime {
            return ParamKind::Unsupported(problem(
                lt.span(),
                format!("parameter type `{}` names a lifetime", type_text(ty)),
                "drop the lifetime: write `&T`, `&str` or `&[T]`",
            ));
        }
        let elem = &*r.elem;
        if is_named(elem, "str") {
            return ParamKind::Value(ValueParam {
                passing: Passing::Borrowed,
                owned: syn::parse_quote!(::std::string::String),
                bytes: false,
            });
        }
        if let Type::Slice(s) = elem {
            if let Err(p) = check_wire_type(&s.elem) {
                return ParamKind::Unsupported(p);
            }
            let inner = &*s.elem;
            return ParamKind::Value(ValueParam {
                passing: Passing::Borrowed,
                owned: syn::parse_quote!(::std::vec::Vec<#inner>),
                bytes: is_u8(inner),
            });
        }
        if is_named(elem, "ByteStream") || is_named(elem, "ByteSink") || is_http(elem, "Request") {
            return ParamKind::Unsupported(problem(
                ty.span(),
                format!("`{}` borrows a stream; streams are handed over, not lent", type_text(ty)),
                format!("take `{}` by value", type_text(elem)),
            ));
        }
        if let Err(p) = check_wire_type(elem) {
            return ParamKind::Unsupported(p);
        }
        return ParamKind::Value(ValueParam {
            passing: Passing::Borrowed,
            owned: elem.clone(),
            bytes: is_vec_u8(elem),
        });
    }
    if let Err(p) = check_wire_type(ty) {
        return ParamKind::Unsupported(p);
    }
    ParamKind::Value(ValueParam { passing: Passing::Owned, owned: ty.clone(), bytes: is_vec_u8(ty) })
}

fn classify_output(output: &ReturnType, name_span: Span) -> Output {
    let fix = "return `Result<T, E>` with `E: From<plugin_runtime::RpcError>` (use `Result<(), RpcError>` for no value), so that a failed call reaches the caller as an error instead of a default value";
    let ty = match output {
        ReturnType::Default => {
            return Output::Unsupported(problem(
                name_span,
                "method returns nothing, so a failed call could not be reported",
                fix,
            ))
        }
        ReturnType::Type(_, ty) => &**ty,
    };
    let Some((name, args)) = path_tail(ty) else {
        if let Type::Reference(_) = ty {
            return Output::Unsupported(borrowed_return(ty));
        }
        return Output::Unsupported(problem(
            ty.span(),
            format!("return type `{}` is not a `Result`", type_text(ty)),
            fix,
        ));
    };
    if name != "Result" || args.len() != 2 {
        return Output::Unsupported(problem(
            ty.span(),
            format!("return type `{}` is not a `Result<T, E>`", type_text(ty)),
            fix,
        ));
    }
    let (ok_ty, err_ty) = (args[0].clone(), args[1].clone());
    let ok = if is_named(&ok_ty, "ByteStream") {
        OkKind::Stream
    } else if is_http(&ok_ty, "Response") {
        OkKind::HttpResponse
    } else if let Err(p) = check_return_type(&ok_ty) {
        OkKind::Unsupported(p)
    } else if is_vec_u8(&ok_ty) {
        OkKind::Value { bytes: BytesShape::Vec }
    } else if is_option_vec_u8(&ok_ty) {
        OkKind::Value { bytes: BytesShape::OptionVec }
    } else {
        OkKind::Value { bytes: BytesShape::No }
    };
    let ok = match (&ok, check_return_type(&err_ty)) {
        (OkKind::Unsupported(_), _) | (_, Ok(())) => ok,
        (_, Err(p)) => OkKind::Unsupported(p),
    };
    Output::Result { ok, ok_ty, err_ty, span: ty.span() }
}

fn borrowed_return(ty: &Type) -> Problem {
    problem(
        ty.span(),
        format!(
            "return type `{}` borrows, but the value is decoded on the caller's side and cannot borrow from the callee",
            type_text(ty)
        ),
        "return an owned type (`String` for `&str`, `Vec<T>` for `&[T]`, `T` for `&T`)",
    )
}

fn check_return_type(ty: &Type) -> Result<(), Problem> {
    if let Type::Reference(_) = ty {
        return Err(borrowed_return(ty));
    }
    check_wire_type(ty)
}

/// Types that have no meaning on the other side of a process boundary.
const PROCESS_LOCAL: &[&str] = &["Rc", "Arc", "RefCell", "Cell", "Mutex", "RwLock", "Weak", "Pin", "PhantomData"];

/// Checks that an encoded type (not a top-level parameter) can cross the wire.
pub fn check_wire_type(ty: &Type) -> Result<(), Problem> {
    match ty {
        Type::Path(tp) => {
            if tp.qself.is_some() {
                return Err(problem(
                    ty.span(),
                    format!("`{}` is a qualified associated type", type_text(ty)),
                    "name a concrete type",
                ));
            }
            let last = tp.path.segments.last().expect("a path has a segment");
            let name = last.ident.to_string();
            if name == "ByteStream"
                || name == "ByteSink"
                || ((name == "Request" || name == "Response") && is_http(ty, &name))
            {
                return Err(problem(
                    ty.span(),
                    format!(
                        "`{}` is nested inside another type; streams travel beside the encoded values",
                        type_text(ty)
                    ),
                    "make the stream a parameter of its own, or the whole `Ok` type of the result",
                ));
            }
            if PROCESS_LOCAL.contains(&name.as_str()) {
                return Err(problem(
                    ty.span(),
                    format!("`{}` is shared process-local state, which the wire cannot carry", type_text(ty)),
                    "send the value itself (`T` instead of a shared pointer or lock)",
                ));
            }
            for seg in &tp.path.segments {
                if let PathArguments::AngleBracketed(args) = &seg.arguments {
                    for arg in &args.args {
                        match arg {
                            GenericArgument::Type(t) => check_wire_type(t)?,
                            GenericArgument::Lifetime(lt) => {
                                return Err(problem(
                                    lt.span(),
                                    format!("`{}` borrows with a lifetime", type_text(ty)),
                                    "use an owned type",
                                ))
                            }
                            _ => {}
                        }
                    }
                } else if let PathArguments::Parenthesized(_) = &seg.arguments {
                    return Err(problem(
                        ty.span(),
                        format!("`{}` is a closure trait", type_text(ty)),
                        "functions cannot cross the wire; send data",
                    ));
                }
            }
            Ok(())
        }
        Type::Tuple(t) => t.elems.iter().try_for_each(check_wire_type),
        Type::Array(a) => check_wire_type(&a.elem),
        Type::Paren(p) => check_wire_type(&p.elem),
        Type::Group(g) => check_wire_type(&g.elem),
        Type::Reference(_) => Err(problem(
            ty.span(),
            format!("`{}` is a reference nested inside another type", type_text(ty)),
            "use the owned type inside (`String`, `Vec<T>`, `T`); only a whole parameter may be a reference",
        )),
        Type::Slice(_) => Err(problem(ty.span(), format!("`{}` is unsized", type_text(ty)), "use `Vec<T>`")),
        Type::TraitObject(_) | Type::ImplTrait(_) => Err(problem(
            ty.span(),
            format!("`{}` is a trait type; the other side needs a concrete type to decode", type_text(ty)),
            "use a concrete serde type",
        )),
        Type::BareFn(_) => Err(problem(
            ty.span(),
            format!("`{}` is a function pointer", type_text(ty)),
            "functions cannot cross the wire; send data",
        )),
        Type::Ptr(_) => {
            Err(problem(ty.span(), format!("`{}` is a raw pointer", type_text(ty)), "send the value it points to"))
        }
        Type::Never(_) => Err(problem(ty.span(), "`!` cannot be sent", "use `()`")),
        _ => Err(problem(
            ty.span(),
            format!("`{}` is not a type the generator understands", type_text(ty)),
            "use a concrete serde type",
        )),
    }
}
