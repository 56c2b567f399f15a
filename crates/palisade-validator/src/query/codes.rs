//! The codes of the query checks that the validator adds to those of `palisade-kql`.
//!
//! `KQL001`-`KQL099` come from `palisade_kql::ERROR_CODES` and `KQL101`-`KQL104` from
//! `palisade_kql::resolve`; the codes here are the validator's own.

use palisade_diagnostics::Code;

/// A column that may exist but could not be checked (the code `palisade-kql` uses for
/// names missing from an open row schema).
pub const COLUMN_NOT_VERIFIED: Code = Code::new("KQL102");
/// A table name that matches a catalog table only in another case.
pub const TABLE_NAME_CASE: Code = Code::new("KQL105");
/// An unknown table one edit away from a catalog table.
pub const TABLE_LOOKS_MISSPELLED: Code = Code::new("KQL106");
/// A mapped column that the query does not output.
pub const MAPPED_COLUMN_MISSING: Code = Code::new("KQL110");
/// A mapped column that the query outputs in another case.
pub const MAPPED_COLUMN_CASE: Code = Code::new("KQL111");
/// A mapped column that `union` has likely renamed with a type suffix.
pub const MAPPED_COLUMN_UNION_SUFFIX: Code = Code::new("KQL112");
/// An entity mapping to a `dynamic` column.
pub const MAPPED_COLUMN_DYNAMIC: Code = Code::new("KQL113");
/// A mapped column not among the known output columns of an open output schema.
pub const MAPPED_COLUMN_UNVERIFIED: Code = Code::new("KQL114");
