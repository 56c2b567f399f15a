//! Diagnostics shared by every Palisade crate.
//!
//! This crate owns the [`Diagnostic`] type, codes and severities, byte spans, the table of
//! source files that spans point into ([`SourceFiles`]), line/column computation, and the
//! renderers (`render`). It knows nothing about KQL, specs or output formats of the compiler.
//! Libraries create diagnostics; only the CLI decides how to print them and what exit code
//! follows.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod code;
mod diagnostic;
pub mod limit;
pub mod render;
mod source;

pub use code::Code;
pub use diagnostic::{Diagnostic, Edit, Fix, Label, Severity};
pub use source::{FileId, LineCol, SourceFile, SourceFiles, SourceMap, Span};
