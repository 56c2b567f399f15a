//! Palisade's detection model and how it is loaded.
//!
//! This crate owns YAML loading with exact source positions ([`yaml`]), the typed [`Detection`]
//! model (a superset of the Azure-Sentinel analytics-rule and hunting-query YAML), durations,
//! and the loader that turns one file's text into a [`Detection`] plus diagnostics ([`load`]).
//! [`encoding`] names the UTF-16 and UTF-32 files that cannot be read as UTF-8.
//! It knows nothing about output formats: the compiler turns a [`Detection`] into ARM and Bicep.
//! It does not check Sentinel's limits either; `palisade-validator` does.
//! IOC specs (`iocs`, `targets`, ...) and exclusion files are read by [`ioc`] into
//! `palisade-ioc`'s types.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod codes;
pub mod duration;
pub mod encoding;
pub mod ioc;
pub mod load;
pub mod model;
pub mod yaml;

pub use duration::Duration;
pub use model::*;
