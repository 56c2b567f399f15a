//! Indicators of compromise, the table field catalog, exclusions, and the KQL they compile to.
//!
//! This crate owns what an IOC detection means: typed, validated indicators ([`indicator`]),
//! which columns each Sentinel table can match them on ([`catalog`], a committed data file),
//! reusable exclusions with exact semantics ([`exclusion`]), the checks that relate the three,
//! and the KQL generated per (detection, target table) ([`generate`]).
//! It deliberately knows nothing about YAML or output formats: `palisade-spec` builds these
//! types from spanned YAML values, and `palisade-compiler` wraps the generated queries in ARM
//! or Bicep.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod catalog;
pub mod codes;
pub mod date;
pub mod defang;
pub mod exclusion;
pub mod generate;
pub mod indicator;
pub mod kql;

pub use date::Date;
pub use indicator::{
    HashAlgorithm, Indicator, IndicatorType, IndicatorValue, IocSet, Located, MatchKind,
    Provenance, parse_confidence, parse_first_seen,
};
