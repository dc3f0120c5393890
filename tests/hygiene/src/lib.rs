//! Nothing here: the test in `tests/hygiene.rs` is the point of this crate.
