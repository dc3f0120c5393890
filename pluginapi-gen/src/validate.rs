//! Validation: every rule the generator needs of a trait, one function per rule, each adding
//! its findings to one list, so a single run reports every problem of a trait, each at its
//! span with a sentence on how to fix it.

use crate::model::*;
use crate::valid::ValidInterface;
use proc_macro2::Span;
use std::collections::BTreeMap;

/// A problem in a trait definition.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(span: Span, message: impl Into<String>, help: impl Into<String>) -> Self {
        Diagnostic { span, message: message.into(), help: Some(help.into()) }
    }

    fn from_problem(prefix: &str, p: &Problem) -> Self {
        Diagnostic { span: p.span, message: format!("{prefix}{}", p.message), help: Some(p.help.clone()) }
    }

    /// As a `syn::Error`, for the proc-macro front end (the help becomes part of the message).
    pub fn to_syn_error(&self) -> syn::Error {
        match &self.help {
            Some(help) => syn::Error::new(self.span, format!("{}\n  help: {help}", self.message)),
            None => syn::Error::new(self.span, &self.message),
        }
    }

    /// Renders as `file:line:column: error: message` plus a help line, for the xtask.
    pub fn render(&self, file: &str) -> String {
        let start = self.span.start();
        let mut out = format!("{file}:{}:{}: error: {}", start.line, start.column + 1, self.message);
        if let Some(help) = &self.help {
            out.push_str(&format!("\n    help: {help}"));
        }
        out
    }
}

/// What a front end requires beyond the generator's own needs.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Every method's doc must end with `Minimum server version: X.Y`.
    pub require_min_version: bool,
}

/// Checks an interface against every rule; `Ok` is the interface in the form
/// [`crate::emit()`] takes, which it can always generate.
pub fn validate(iface: Interface, rules: &Rules) -> Result<ValidInterface, Vec<Diagnostic>> {
    check(&iface, rules)?;
    match crate::valid::wire_forms(&iface) {
        Some(methods) => Ok(ValidInterface { interface: iface, methods }),
        // Unreachable when the checks are complete; an error rather than a panic if not.
        None => Err(vec![Diagnostic::new(
            iface.ident.span(),
            "the generator cannot handle this trait, although it found nothing wrong with it",
            "please report this as a bug of the generator, with the trait",
        )]),
    }
}

fn check(iface: &Interface, rules: &Rules) -> Result<(), Vec<Diagnostic>> {
    let mut out = Vec::new();
    check_trait_shape(iface, &mut out);
    for m in &iface.methods {
        check_receiver(m, &mut out);
        check_signature(m, &mut out);
        check_param_names(m, &mut out);
        check_param_types(m, &mut out);
        check_output(m, &mut out);
        check_wire_id_present(m, &mut out);
        check_directives_once(m, &mut out);
        check_attributes(m, &mut out);
        if rules.require_min_version {
            check_min_version(m, &mut out);
        }
    }
    check_unique_wire_ids(iface, &mut out);
    check_unique_names(iface, &mut out);
    if out.is_empty() {
        Ok(())
    } else {
        out.sort_by_key(|d| (d.span.start().line, d.span.start().column));
        Err(out)
    }
}

fn check_trait_shape(iface: &Interface, out: &mut Vec<Diagnostic>) {
    if let Some(span) = iface.generics {
        out.push(Diagnostic::new(
            span,
            format!("trait `{}` has generic parameters", iface.ident),
            "remove them: each side must know the concrete types it decodes",
        ));
    }
    for span in &iface.other_items {
        out.push(Diagnostic::new(
            *span,
            "only methods are supported in an RPC trait",
            "move associated types and constants out of the trait",
        ));
    }
}

fn check_receiver(m: &Method, out: &mut Vec<Diagnostic>) {
    let (span, what) = match m.receiver {
        Receiver::Ref => return,
        Receiver::RefMut(s) => (s, "takes `&mut self`"),
        Receiver::Value(s) => (s, "takes `self` by value or by a typed receiver"),
        Receiver::Missing(s) => (s, "has no `self` receiver"),
    };
    out.push(Diagnostic::new(
        span,
        format!("method `{}` {what}", m.ident),
        "take `&self`: the implementation serves concurrent calls from many threads",
    ));
}

fn check_signature(m: &Method, out: &mut Vec<Diagnostic>) {
    if let Some(span) = m.generics {
        out.push(Diagnostic::new(
            span,
            format!("method `{}` is generic", m.ident),
            "use concrete types: the other side must know what to decode",
        ));
    }
    if let Some(span) = m.asyncness {
        out.push(Diagnostic::new(
            span,
            format!("method `{}` is async, which the generator does not support", m.ident),
            "make it a blocking method; the runtime serves calls on their own threads",
        ));
    }
    if let Some(span) = m.unsafety {
        out.push(Diagnostic::new(
            span,
            format!("method `{}` is unsafe, extern or variadic", m.ident),
            "make it a plain safe method",
        ));
    }
}

fn check_param_names(m: &Method, out: &mut Vec<Diagnostic>) {
    for (i, p) in m.params.iter().enumerate() {
        if p.ident.is_none() {
            out.push(Diagnostic::new(
                p.pat_span,
                format!("parameter #{} of `{}` has no plain name", i + 1, m.ident),
                "name it with an identifier (`user_id: &str`); `_` and patterns cannot be carried to the other side",
            ));
        }
    }
}

fn check_param_types(m: &Method, out: &mut Vec<Diagnostic>) {
    for p in &m.params {
        if let ParamKind::Unsupported(problem) = &p.kind {
            out.push(Diagnostic::from_problem(&format!("in `{}`: ", m.ident), problem));
        }
    }
}

fn check_output(m: &Method, out: &mut Vec<Diagnostic>) {
    match &m.output {
        Output::Unsupported(problem) => out.push(Diagnostic::from_problem(&format!("in `{}`: ", m.ident), problem)),
        Output::Result { ok: OkKind::Unsupported(problem), .. } => {
            out.push(Diagnostic::from_problem(&format!("in `{}`: ", m.ident), problem))
        }
        Output::Result { .. } => {}
    }
}

fn check_attributes(m: &Method, out: &mut Vec<Diagnostic>) {
    out.extend(m.attrs.refused.iter().map(|p| Diagnostic::from_problem("", p)));
}

fn check_directives_once(m: &Method, out: &mut Vec<Diagnostic>) {
    for repeated in &m.repeated_directives {
        out.push(Diagnostic::new(
            repeated.span,
            format!("`{}` appears twice in the doc of `{}`", repeated.value, m.ident),
            "keep one line of each kind (ids are permanent: keep the one the method has had)",
        ));
    }
}

fn check_wire_id_present(m: &Method, out: &mut Vec<Diagnostic>) {
    if let Some(bad) = &m.bad_wire_id {
        out.push(Diagnostic::new(
            bad.span,
            format!("`{}` of `{}` is not a number: `{}`", crate::parse::WIRE_ID_PREFIX, m.ident, bad.value),
            "write a non-negative integer, e.g. `/// Wire id: 12`",
        ));
    } else if m.wire_id.is_none() {
        out.push(Diagnostic::new(
            m.ident.span(),
            format!("method `{}` has no wire id", m.ident),
            "end its doc comment with a line `/// Wire id: N`, N a number no other method of the trait uses (ids are permanent: never reuse or change one)",
        ));
    }
}

fn check_min_version(m: &Method, out: &mut Vec<Diagnostic>) {
    match &m.min_version {
        None => out.push(Diagnostic::new(
            m.ident.span(),
            format!("method `{}` has no `{}` line", m.ident, crate::parse::MIN_VERSION_PREFIX),
            "end its doc comment with `/// Minimum server version: X.Y`, the first server release that has it",
        )),
        Some(v) if !is_version(&v.value) => out.push(Diagnostic::new(
            v.span,
            format!("`{}` of `{}` is `{}`, not a version", crate::parse::MIN_VERSION_PREFIX, m.ident, v.value),
            "write it as `X.Y` or `X.Y.Z`, e.g. `Minimum server version: 9.5`",
        )),
        Some(_) => {}
    }
}

fn is_version(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    (2..=3).contains(&parts.len()) && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn check_unique_wire_ids(iface: &Interface, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<u32, &Method> = BTreeMap::new();
    for m in &iface.methods {
        let Some(id) = &m.wire_id else { continue };
        if let Some(first) = seen.get(&id.value) {
            out.push(Diagnostic::new(
                id.span,
                format!("wire id {} of `{}` is already used by `{}`", id.value, m.ident, first.ident),
                format!("give `{}` an unused id; the next free one is {}", m.ident, next_free_id(iface)),
            ));
        } else {
            seen.insert(id.value, m);
        }
    }
}

fn check_unique_names(iface: &Interface, out: &mut Vec<Diagnostic>) {
    let mut seen = BTreeMap::new();
    for m in &iface.methods {
        if seen.insert(m.ident.to_string(), ()).is_some() {
            out.push(Diagnostic::new(
                m.ident.span(),
                format!("method `{}` is declared twice", m.ident),
                "remove or rename one",
            ));
        }
    }
}

/// The smallest id above every id in use.
pub fn next_free_id(iface: &Interface) -> u32 {
    iface.methods.iter().filter_map(|m| m.wire_id.as_ref().map(|i| i.value + 1)).max().unwrap_or(0)
}
