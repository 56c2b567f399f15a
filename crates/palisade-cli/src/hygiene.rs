//! `--as-of` and `--ioc-max-age`, which set the policy of the IOC hygiene checks that need the
//! whole run (the same indicator in several specs, indicator age: run by
//! `palisade_validator::check_indicators`), and references to exclusion files that failed to
//! load (`EXC017`).
//!
//! The as-of date is the one date of a run: indicator age and exclusion expiry (`EXC007`) are
//! both measured against it, so `--as-of` makes a run reproducible on any day.

use anyhow::Context as _;
use palisade_diagnostics::Diagnostic;
use palisade_ioc::Date;
use palisade_ioc::exclusion::{Exclusion, FailedExclusion, failed_reference};
use palisade_ioc::hygiene::{self, AgePolicy};
use palisade_spec::Detection;

/// The flags that set the date a run is measured at and the maximum indicator age.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct HygieneArgs {
    /// Date that indicator age (`IOC031`) and exclusion expiry (`EXC007`) are measured at,
    /// `YYYY-MM-DD`. Default: today's date in UTC.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    pub(crate) as_of: Option<Date>,

    /// Maximum indicator age, from `last_seen` or else `first_seen`, before `IOC031`: days
    /// (`90`, `90d`), weeks (`12w`), or `off`.
    #[arg(long, value_name = "AGE", default_value = "90d", value_parser = parse_max_age)]
    pub(crate) ioc_max_age: MaxAge,
}

/// A parsed `--ioc-max-age`: days, or `None` for `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MaxAge(pub(crate) Option<u32>);

impl HygieneArgs {
    /// The as-of date (today in UTC unless `--as-of` is given) and the maximum age.
    ///
    /// # Errors
    ///
    /// When no `--as-of` is given and the system clock cannot give today's date.
    pub(crate) fn policy(&self) -> anyhow::Result<AgePolicy> {
        let as_of = match self.as_of {
            Some(date) => date,
            None => Date::today_utc()
                .context("the system clock gives no date; pass `--as-of YYYY-MM-DD`")?,
        };
        Ok(AgePolicy { as_of, max_age_days: self.ioc_max_age.0 })
    }
}

fn parse_as_of(text: &str) -> Result<Date, String> {
    Date::parse(text.trim()).ok_or_else(|| format!("`{text}` is not a date written YYYY-MM-DD"))
}

fn parse_max_age(text: &str) -> Result<MaxAge, String> {
    hygiene::parse_max_age(text).map(MaxAge)
}

/// The run-wide IOC checks on the detections as loaded (before IOC specs are expanded):
/// duplicates across specs and age against the as-of date, as the library runs them for any
/// caller.
pub(crate) use palisade_validator::check_indicators;

/// The detection without its references to exclusions whose file failed to load, each
/// reported as `EXC017` at the reference (instead of the `EXC004` "not defined" that the
/// expansion would report). The error keeps the spec from being built.
pub(crate) fn drop_failed_references(
    mut detection: Detection,
    known: &[Exclusion],
    failed: &[FailedExclusion],
    diags: &mut Vec<Diagnostic>,
) -> Detection {
    if failed.is_empty() {
        return detection;
    }
    if let Some(spec) = detection.ioc.as_mut() {
        spec.exclusions.retain(|reference| match failed_reference(&reference.id, known, failed) {
            Some(diag) => {
                diags.push(diag);
                false
            }
            None => true,
        });
    }
    detection
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_dates_and_ages() {
        assert_eq!(parse_as_of("2026-12-04").map(|d| d.to_string()).as_deref(), Ok("2026-12-04"));
        assert!(parse_as_of("2026-13-01").is_err());
        assert!(parse_as_of("today").is_err());
        assert_eq!(parse_max_age("90d"), Ok(MaxAge(Some(90))));
        assert_eq!(parse_max_age("off"), Ok(MaxAge(None)));
        assert!(parse_max_age("3 months").is_err());
        let args = HygieneArgs { as_of: Date::parse("2026-06-06"), ioc_max_age: MaxAge(Some(7)) };
        let policy = args.policy().unwrap();
        assert_eq!((policy.as_of.to_string(), policy.max_age_days), ("2026-06-06".into(), Some(7)));
        let today = HygieneArgs { as_of: None, ioc_max_age: MaxAge(None) }.policy().unwrap();
        assert_eq!(Some(today.as_of), Date::today_utc());
    }
}
