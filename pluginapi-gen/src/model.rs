//! The one model every stage shares: an [`Interface`] (a trait) and its [`Method`]s, lowered
//! from syn's syntax tree by [`crate::parse`], checked by [`crate::validate()`], and turned into
//! code by [`crate::emit()`].
//!
//! The model can represent invalid input (a method without a wire id, an unsupported type) so
//! that parsing never stops early: validation reports every problem at once, each at its span,
//! and hands the emitters a [`crate::valid::ValidInterface`], in which none of that can occur.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::{Ident, Type};

/// A trait turned into RPC glue.
#[derive(Debug, Clone)]
pub struct Interface {
    /// The trait's name (`Api`, `Hooks`).
    pub ident: Ident,
    /// Methods in declaration order.
    pub methods: Vec<Method>,
    /// Trait items that are not methods (associated types or consts): unsupported.
    pub other_items: Vec<Span>,
    /// Generic parameters on the trait itself: unsupported.
    pub generics: Option<Span>,
}

/// One trait method.
#[derive(Debug, Clone)]
pub struct Method {
    pub ident: Ident,
    /// `Wire id: N` from the doc's metadata lines, with the span of the doc attribute.
    pub wire_id: Option<Spanned<u32>>,
    /// A `Wire id:` line whose value is not a number.
    pub bad_wire_id: Option<Spanned<String>>,
    /// `Minimum server version: X.Y` from the doc's metadata lines.
    pub min_version: Option<Spanned<String>>,
    /// Metadata lines after the first of their kind (their prefix), an error.
    pub repeated_directives: Vec<Spanned<String>>,
    pub receiver: Receiver,
    /// Span of generic parameters or a where clause, if any.
    pub generics: Option<Span>,
    /// Span of `async`, if the method is async.
    pub asyncness: Option<Span>,
    /// Span of `unsafe`, `extern` or a variadic, if any.
    pub unsafety: Option<Span>,
    pub params: Vec<Param>,
    pub output: Output,
    /// What the method's attributes ask of the generated items.
    pub attrs: MethodAttrs,
}

/// A trait method's attributes, sorted by what the generator does with them.
///
/// Carried to the generated items: `#[cfg(...)]` (onto every item of the method, so the glue
/// compiles with and without it), `#[deprecated]` (onto the method's constant in `methods`, the
/// one generated item a user names; generated code that names the method allows it) and the doc
/// comment without its metadata lines (onto the client method). Accepted and left on the trait,
/// where they act: lint levels (`allow`, `expect`, `warn`, `deny`, `forbid`), `#[must_use]` and
/// `#[doc(...)]` lists. Anything else is refused: an attribute the generator does not know may
/// change what the method is, and the glue would not follow.
#[derive(Debug, Clone, Default)]
pub struct MethodAttrs {
    pub carried: CarriedAttrs,
    /// Attributes the generator refuses, each with why and what to do instead.
    pub refused: Vec<Problem>,
}

/// The attributes the generated items of a method carry, as data.
#[derive(Debug, Clone, Default)]
pub struct CarriedAttrs {
    /// The predicate of each `#[cfg(...)]`: the method exists only when all of them hold.
    pub cfgs: Vec<TokenStream>,
    pub deprecated: Option<Deprecation>,
    /// The doc comment's lines as written (each with its leading space), without the metadata
    /// lines (`Wire id:`, `Minimum server version:`) and the blank lines that end it.
    pub docs: Vec<String>,
}

/// The arguments of `#[deprecated]`, `#[deprecated = "note"]` or
/// `#[deprecated(since = "..", note = "..")]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deprecation {
    pub since: Option<String>,
    pub note: Option<String>,
}

/// A value with the span it came from.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// How the method takes `self`.
#[derive(Debug, Clone, Copy)]
pub enum Receiver {
    /// `&self`: the only supported form.
    Ref,
    /// `&mut self`.
    RefMut(Span),
    /// `self`, `mut self`, `self: Box<Self>` and the like.
    Value(Span),
    /// No receiver at all (an associated function).
    Missing(Span),
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The parameter's name; `None` for `_` or a pattern (both unsupported).
    pub ident: Option<Ident>,
    /// Span of the whole pattern.
    pub pat_span: Span,
    /// The type as written.
    pub ty: Type,
    /// What the type is on the wire.
    pub kind: ParamKind,
}

/// How a parameter crosses the wire.
#[derive(Debug, Clone)]
// Parameters are few and short-lived; boxing the large variant would only add noise.
#[allow(clippy::large_enum_variant)]
pub enum ParamKind {
    /// An encoded value.
    Value(ValueParam),
    /// A `ByteStream` the callee reads.
    Stream,
    /// A `ByteSink` the callee writes.
    Sink,
    /// An `http::Request<ByteStream>`: head encoded, body streamed.
    HttpRequest,
    /// A type the wire cannot carry, with why and how to fix it.
    Unsupported(Problem),
}

/// An encoded parameter: how it is passed, and its owned form on the receiving side.
#[derive(Debug, Clone)]
pub struct ValueParam {
    pub passing: Passing,
    /// The type the callee decodes into (`String` for `&str`, `Vec<T>` for `&[T]`, `T` for `&T`).
    pub owned: Type,
    /// Whether the owned form is `Vec<u8>`, sent as one binary blob.
    pub bytes: bool,
}

/// How an encoded parameter is passed to the trait method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passing {
    /// `&T`, `&str`, `&[T]`: the callee lends a reference to its decoded value.
    Borrowed,
    /// `T`: the callee moves its decoded value in.
    Owned,
}

/// The method's return type.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Output {
    /// `Result<T, E>`.
    Result { ok: OkKind, ok_ty: Type, err_ty: Type, span: Span },
    /// Anything else: unsupported (a call must be able to fail).
    Unsupported(Problem),
}

/// What the `Ok` value of a result is on the wire.
#[derive(Debug, Clone)]
pub enum OkKind {
    /// An encoded value; `bytes` says whether it is `Vec<u8>` or `Option<Vec<u8>>` (sent as a
    /// binary blob).
    Value { bytes: BytesShape },
    /// A `ByteStream` handed back to the caller.
    Stream,
    /// An `http::Response<ByteStream>`: head encoded, body streamed.
    HttpResponse,
    /// A type the wire cannot carry.
    Unsupported(Problem),
}

/// Whether an encoded value is a byte buffer that should travel as one binary blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BytesShape {
    No,
    Vec,
    OptionVec,
}

/// Something the generator cannot accept, at a span, with a fix.
#[derive(Debug, Clone)]
pub struct Problem {
    pub span: Span,
    pub message: String,
    pub help: String,
}

/// Renders a type as compact text for messages.
pub fn type_text(ty: &impl ToTokens) -> String {
    let tokens: TokenStream = ty.to_token_stream();
    tokens
        .to_string()
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
}
