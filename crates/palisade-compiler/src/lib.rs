//! Palisade's compiler: detections in, deployable ARM JSON and Bicep out.
//!
//! This crate owns the output side: the template tree ([`ir`]), the ARM writer with its `[[`
//! rule ([`arm`]), the Bicep writer ([`bicep`]), rule names ([`names`]), API-version choice,
//! the pure [`build`] from detections to a file set with bundle and manifest, and the atomic
//! [`output`] writer. It does not load or validate YAML (that is `palisade-spec` and
//! `palisade-validator`), and it never reads the environment.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod analytics;
pub mod api_version;
pub mod arm;
pub mod bicep;
pub mod build;
pub mod codes;
pub mod hunting;
pub mod ioc;
pub mod ir;
pub mod names;
pub mod options;
pub mod output;

pub use build::{BuildOutput, CompiledEntry, build, check};
pub use options::{DEFAULT_TECHNIQUE_TAG, Options, RuleShape};
pub use output::{EmitError, Written, write_atomically};
