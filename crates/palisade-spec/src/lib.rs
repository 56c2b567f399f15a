//! Palisade's detection model and how it is loaded.
//!
//! This crate owns YAML loading with exact source positions, the typed [`Detection`] model
//! (a superset of the Azure-Sentinel analytics-rule and hunting-query YAML), and durations.
//! It knows nothing about output formats: the compiler turns a [`Detection`] into ARM and Bicep.

pub mod duration;
pub mod model;

pub use duration::Duration;
pub use model::*;
