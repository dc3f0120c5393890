//! Plugin bundles: writing, signature checks, unpacking and installing.

pub mod bundle;
pub mod install;
pub mod signature;
pub mod unpack;
