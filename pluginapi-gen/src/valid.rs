//! The model of an interface that passed validation: [`crate::validate()`] returns it, and the
//! emitters take nothing else. Every method here has a wire id and a `Result` output, every
//! parameter a name and a wire form, and each stream or sink parameter its slot (its place
//! among the call's streams or sinks) computed once, so emitting cannot meet a case it would
//! have to reject.

use crate::model::{BytesShape, CarriedAttrs, Interface, Method, OkKind, Output, ParamKind, ValueParam};
use syn::{Ident, Type};

/// A valid interface: the parsed model, and the wire form of each of its methods (in the same
/// order).
#[derive(Debug, Clone)]
pub struct ValidInterface {
    pub interface: Interface,
    pub methods: Vec<ValidMethod>,
}

/// What emitting one method needs, all of it checked.
#[derive(Debug, Clone)]
pub struct ValidMethod {
    pub id: u32,
    pub params: Vec<ValidParam>,
    pub ok: WireOk,
    pub ok_ty: Type,
    pub err_ty: Type,
    /// The attributes every generated item of the method carries (`#[cfg]`), and those some
    /// carry (`#[deprecated]`, the doc).
    pub attrs: CarriedAttrs,
}

/// A named parameter and how it crosses the wire.
#[derive(Debug, Clone)]
pub struct ValidParam {
    pub ident: Ident,
    pub ty: Type,
    pub wire: WireParam,
}

/// How a parameter crosses the wire; `slot` is its index among the call's streams (for streams
/// and HTTP request bodies) or sinks.
#[derive(Debug, Clone)]
// Parameters are few and short-lived; boxing the large variant would only add noise.
#[allow(clippy::large_enum_variant)]
pub enum WireParam {
    Value(ValueParam),
    Stream { slot: usize },
    Sink { slot: usize },
    HttpRequest { slot: usize },
}

/// What the `Ok` value crosses the wire as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireOk {
    Value(BytesShape),
    Stream,
    HttpResponse,
}

impl ValidMethod {
    /// Whether the call carries an encoded argument (a value or an HTTP head).
    pub fn has_encoded_args(&self) -> bool {
        self.params.iter().any(|p| matches!(p.wire, WireParam::Value(_) | WireParam::HttpRequest { .. }))
    }

    /// Whether the call carries streams or sinks beside its encoded arguments.
    pub fn has_streams(&self) -> bool {
        self.params.iter().any(|p| !matches!(p.wire, WireParam::Value(_)))
    }
}

/// The wire form of every method, or `None` if any part is invalid (which validation reports
/// before it gets here).
pub(crate) fn wire_forms(interface: &Interface) -> Option<Vec<ValidMethod>> {
    interface.methods.iter().map(wire_form).collect()
}

fn wire_form(m: &Method) -> Option<ValidMethod> {
    let (mut streams, mut sinks) = (0, 0);
    let next = |counter: &mut usize| {
        *counter += 1;
        *counter - 1
    };
    let params = m
        .params
        .iter()
        .map(|p| {
            let wire = match &p.kind {
                ParamKind::Value(v) => WireParam::Value(v.clone()),
                ParamKind::Stream => WireParam::Stream { slot: next(&mut streams) },
                ParamKind::Sink => WireParam::Sink { slot: next(&mut sinks) },
                ParamKind::HttpRequest => WireParam::HttpRequest { slot: next(&mut streams) },
                ParamKind::Unsupported(_) => return None,
            };
            Some(ValidParam { ident: p.ident.clone()?, ty: p.ty.clone(), wire })
        })
        .collect::<Option<Vec<_>>>()?;
    let Output::Result { ok, ok_ty, err_ty, .. } = &m.output else { return None };
    let ok = match ok {
        OkKind::Value { bytes } => WireOk::Value(*bytes),
        OkKind::Stream => WireOk::Stream,
        OkKind::HttpResponse => WireOk::HttpResponse,
        OkKind::Unsupported(_) => return None,
    };
    Some(ValidMethod {
        id: m.wire_id.as_ref()?.value,
        params,
        ok,
        ok_ty: ok_ty.clone(),
        err_ty: err_ty.clone(),
        attrs: m.attrs.carried.clone(),
    })
}
