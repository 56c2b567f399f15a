//! Palisade's embedded reference data: table schemas, workspace functions, KQL built-ins and
//! MITRE ATT&CK techniques.
//!
//! The data is generated from `shared/reference` into `data/*.tsv` by
//! `cargo run -p palisade-catalog --example generate_catalog`, compiled into the binary with
//! `include_str!`, and parsed once on first use, so the product never reads `shared/` at run
//! time.
//! This crate owns lookups and name suggestions; it implements [`palisade_kql::Schema`] so
//! `palisade_kql::resolve` can resolve queries against it, but does not parse KQL itself.
//!
//! - [`Catalog::builtin`]: tables and their columns (Azure Monitor, the Sentinel overlay,
//!   connector tables) and workspace functions (`_GetWatchlist`, the ASIM parsers).
//! - [`builtins`]: KQL scalar and aggregate functions and `evaluate` plugins.
//! - [`attack`]: Enterprise ATT&CK techniques with Sentinel's tactic spelling.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod attack;
pub mod builtins;
mod data;
mod schema;
mod suggest;
mod tables;

pub use data::DataError;
pub use suggest::nearest;
pub use tables::{Catalog, Column, ColumnType, Function, Origin, Parameter, Table};
