//! Indicators of compromise, the table field catalog, exclusions, and the KQL they compile to.
//!
//! This crate owns what an IOC detection means: typed, validated indicators ([`indicator`]),
//! which columns each Sentinel table can match them on ([`catalog`], a committed data file),
//! reusable exclusions with exact semantics ([`exclusion`]), the checks that relate the three,
//! hygiene checks of indicator lists (special-use addresses, age, duplicates across specs:
//! [`hygiene`], over the table in [`special`]), and the KQL generated per (detection, target
//! table) ([`generate`]).
//! It deliberately knows nothing about YAML or output formats: `palisade-spec` builds these
//! types from spanned YAML values, and `palisade-compiler` wraps the generated queries in ARM
//! or Bicep.
//!
//! ```
//! use palisade_diagnostics::{FileId, Span};
//! use palisade_ioc::catalog::Catalog;
//! use palisade_ioc::generate::{Detection, generate};
//! use palisade_ioc::{Indicator, IocSet, Located, Provenance};
//!
//! let span = Span::new(FileId(0), 0, 10);
//! let mut diags = Vec::new();
//! let indicator = Indicator::parse("ip:port", span, "172[.]245[.]95[.]9:7601", span, &mut diags);
//! let iocs = IocSet::new(Provenance::default(), indicator.into_iter().collect(), &mut diags);
//! let detection = Detection::new("unknown-rat-c2", "Unknown RAT C2", &iocs);
//! let target = Located::new("DeviceNetworkEvents".to_string(), span);
//! let query = generate(Catalog::builtin(), &detection, &target, &mut diags).expect("a query");
//! assert!(query.query.contains("| where RemoteIP in (malicious_ipv4)"));
//! assert!(diags.is_empty());
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod catalog;
pub mod codes;
pub mod date;
pub mod defang;
pub mod exclusion;
pub mod generate;
pub mod hygiene;
pub mod indicator;
pub mod kql;
pub mod special;
pub mod text;

pub use date::Date;
pub use indicator::{
    HashAlgorithm, Indicator, IndicatorType, IndicatorValue, IocSet, Located, MatchKind,
    Provenance, check_seen_order, parse_confidence, parse_first_seen, parse_last_seen,
};
