//! Workspace-level tests: the fixture trait whose glue is generated and compiled here, and
//! integration tests under `tests/`.

pub mod fixture;
pub mod fixture_host;
pub mod skew;
pub mod thirdparty;
