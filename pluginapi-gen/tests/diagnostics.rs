//! The generator reports every problem of a trait in one run, each at its line and column with
//! a fix, and drops nothing silently.

use pluginapi_gen::Rules;

const BROKEN: &str = r#"
pub trait Broken: Send + Sync {
    /// Generic.
    ///
    /// Wire id: 0
    /// Minimum server version: 1.0
    fn generic<T>(&self, value: T) -> Result<(), RpcError>;

    /// Borrowed return.
    ///
    /// Wire id: 1
    /// Minimum server version: 1.0
    fn borrowed(&self) -> Result<&str, RpcError>;

    /// Pattern and unnamed parameters.
    ///
    /// Wire id: 2
    /// Minimum server version: 1.0
    fn patterns(&self, (a, b): (u8, u8), _: String) -> Result<(), RpcError>;

    /// No version line.
    ///
    /// Wire id: 3
    fn no_version(&self) -> Result<(), RpcError>;

    /// Same id as `no_version`.
    ///
    /// Wire id: 3
    /// Minimum server version: 1.0
    fn duplicate(&self) -> Result<(), RpcError>;

    /// A type the wire cannot carry.
    ///
    /// Wire id: 4
    /// Minimum server version: 1.0
    fn shared(&self, state: Rc<RefCell<u8>>, f: &dyn Fn()) -> Result<(), RpcError>;

    /// No Result.
    ///
    /// Wire id: 5
    /// Minimum server version: 1.0
    fn fails_open(&self) -> bool;

    /// Consumes self, and has no id.
    ///
    /// Minimum server version: 1.0
    fn by_value(self) -> Result<(), RpcError>;

    /// Async.
    ///
    /// Wire id: 7
    /// Minimum server version: 1.0
    async fn later(&self) -> Result<(), RpcError>;

    /// A nested stream.
    ///
    /// Wire id: 8
    /// Minimum server version: 1.0
    fn nested(&self, streams: Vec<ByteStream>, names: Vec<&str>) -> Result<(), RpcError>;

    /// Two ids and two versions: which is meant?
    ///
    /// Wire id: 9
    /// Wire id: 10
    /// Minimum server version: 1.0
    /// Minimum server version: 2.0
    fn twice(&self) -> Result<(), RpcError>;
}
"#;

fn diagnostics() -> Vec<String> {
    let file = syn::parse_file(BROKEN).unwrap();
    let rules = Rules { require_min_version: true };
    match pluginapi_gen::interface_from_file(&file, "Broken", &rules) {
        Ok(_) => panic!("the broken trait was accepted"),
        Err(diags) => diags.iter().map(|d| d.render("broken.rs")).collect(),
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    insta::assert_snapshot!("broken_trait", diagnostics().join("\n"));
}

#[test]
fn each_problem_names_its_place_and_a_fix() {
    let diags = diagnostics();
    let expect = [
        ("broken.rs:7:", "method `generic` is generic"),
        ("broken.rs:13:", "in `borrowed`: return type `&str` borrows"),
        ("broken.rs:19:", "parameter #1 of `patterns` has no plain name"),
        ("broken.rs:19:", "parameter #2 of `patterns` has no plain name"),
        ("broken.rs:24:", "method `no_version` has no `Minimum server version:` line"),
        ("broken.rs:28:", "wire id 3 of `duplicate` is already used by `no_version`"),
        ("broken.rs:36:", "`Rc<RefCell<u8>>` is shared process-local state"),
        ("broken.rs:36:", "`dyn Fn()` is a trait type"),
        ("broken.rs:42:", "return type `bool` is not a `Result<T, E>`"),
        ("broken.rs:47:", "method `by_value` takes `self` by value"),
        ("broken.rs:47:", "method `by_value` has no wire id"),
        ("broken.rs:53:", "method `later` is async"),
        ("broken.rs:59:", "`ByteStream` is nested inside another type"),
        ("broken.rs:59:", "`&str` is a reference nested inside another type"),
    ];
    for (place, message) in expect {
        assert!(
            diags.iter().any(|d| d.starts_with(place) && d.contains(message) && d.contains("help:")),
            "missing diagnostic {place} {message:?} in:\n{}",
            diags.join("\n")
        );
    }
}

/// Attributes the generator does not carry or leave on the trait are refused, each at its span
/// with what to write instead; the ones it carries or leaves (`cfg`, `deprecated`, docs, lint
/// levels, `must_use`, `doc(hidden)`) are not reported.
const ATTRIBUTES: &str = r#"
pub trait Attributed: Send + Sync {
    /// Accepted: carried or left on the trait.
    ///
    /// Wire id: 0
    #[cfg(feature = "x")]
    #[deprecated(since = "2.0", note = "use `other`")]
    #[allow(unused_variables)]
    #[expect(clippy::too_many_arguments)]
    #[must_use]
    #[doc(hidden)]
    fn accepted(&self) -> Result<(), RpcError>;

    /// Wire id: 1
    #[inline]
    #[tracing::instrument]
    fn unknown(&self) -> Result<(), RpcError>;

    /// Wire id: 2
    #[cfg_attr(feature = "x", deprecated)]
    fn conditional_attribute(&self) -> Result<(), RpcError>;

    /// Wire id: 3
    #[cfg]
    #[deprecated(reason = "no")]
    fn malformed(&self) -> Result<(), RpcError>;

    /// Wire id: 4
    #[deprecated]
    #[deprecated = "twice"]
    fn deprecated_twice(&self, #[cfg(feature = "x")] name: &str) -> Result<(), RpcError>;
}
"#;

fn attribute_diagnostics() -> Vec<String> {
    let file = syn::parse_file(ATTRIBUTES).unwrap();
    match pluginapi_gen::interface_from_file(&file, "Attributed", &Rules::default()) {
        Ok(_) => panic!("the refused attributes were accepted"),
        Err(diags) => diags.iter().map(|d| d.render("attributed.rs")).collect(),
    }
}

#[test]
fn unknown_attributes_are_refused_at_their_span() {
    let diags = attribute_diagnostics();
    insta::assert_snapshot!("refused_attributes", diags.join("\n"));
    assert!(!diags.iter().any(|d| d.contains("`accepted`")), "{diags:#?}");
    let expect = [
        ("attributed.rs:15:5:", "attribute `#[inline]` on `unknown` is not supported"),
        ("attributed.rs:16:5:", "attribute `#[tracing::instrument]` on `unknown` is not supported"),
        ("attributed.rs:20:5:", "`#[cfg_attr]` on `conditional_attribute` is not supported"),
        ("attributed.rs:24:5:", "`#[cfg]` on `malformed` has no predicate"),
        ("attributed.rs:25:18:", "in `#[deprecated(..)]` of `malformed`: expected `since` or `note`"),
        ("attributed.rs:30:5:", "`deprecated_twice` is deprecated twice"),
        ("attributed.rs:31:32:", "attribute `#[cfg]` on a parameter of `deprecated_twice`"),
    ];
    for (place, message) in expect {
        assert!(
            diags.iter().any(|d| d.starts_with(place) && d.contains(message) && d.contains("help:")),
            "missing diagnostic {place} {message:?} in:\n{}",
            diags.join("\n")
        );
    }
    assert_eq!(diags.len(), expect.len(), "{diags:#?}");
}
