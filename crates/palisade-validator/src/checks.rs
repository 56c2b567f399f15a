//! Sentinel's limits and rule semantics for one loaded detection (`SPEC1xx`).

use palisade_diagnostics::Diagnostic;
use palisade_spec::yaml::Node;
use palisade_spec::{Detection, Duration, RuleKind, SpecKind, codes};

/// The tactics Sentinel accepts (Azure-Sentinel CI's newest list).
pub const TACTICS: &[&str] = &[
    "InitialAccess",
    "Execution",
    "Persistence",
    "PrivilegeEscalation",
    "DefenseEvasion",
    "CredentialAccess",
    "Discovery",
    "LateralMovement",
    "Collection",
    "Exfiltration",
    "CommandAndControl",
    "Impact",
    "Reconnaissance",
    "ResourceDevelopment",
    "ImpairProcessControl",
    "InhibitResponseFunction",
];

/// Shortest `queryFrequency` and `queryPeriod`.
pub const MIN_SCHEDULE: Duration = Duration::from_mins(5);
/// Longest `queryFrequency` and `queryPeriod`.
pub const MAX_SCHEDULE: Duration = Duration::from_days(14);
/// From this `queryPeriod` on, `queryFrequency` must be at least an hour.
const LONG_PERIOD: Duration = Duration::from_days(2);
/// Largest `triggerThreshold`.
pub const MAX_THRESHOLD: i64 = 10_000;

/// Checks one detection; `root` is the document it was loaded from (for the tactic names as
/// written, before the loader removed spaces).
pub fn check(detection: &Detection, root: &Node) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    if detection.spec_kind == SpecKind::AnalyticsRule {
        let is_nrt = detection.kind.as_ref().is_some_and(|kind| kind.value == RuleKind::Nrt);
        if !is_nrt {
            schedule(detection, &mut diagnostics);
        }
        threshold(detection, &mut diagnostics);
    }
    tactics(root, &mut diagnostics);
    diagnostics.extend(crate::limits::check(detection, root));
    diagnostics
}

fn schedule(detection: &Detection, diagnostics: &mut Vec<Diagnostic>) {
    for (name, value) in
        [("queryFrequency", &detection.query_frequency), ("queryPeriod", &detection.query_period)]
    {
        let Some(value) = value else {
            continue;
        };
        if value.value < MIN_SCHEDULE || value.value > MAX_SCHEDULE {
            diagnostics.push(
                Diagnostic::error(
                    codes::SCHEDULE_OUT_OF_RANGE,
                    format!("`{name}` is {}, outside 5 minutes to 14 days", value.value),
                    value.span,
                )
                .with_note(
                    "Sentinel accepts scheduled rules that run and look back between 5m and 14d",
                )
                .with_help(format!("set `{name}` between `5m` and `14d`")),
            );
        }
    }

    let (Some(frequency), Some(period)) = (&detection.query_frequency, &detection.query_period)
    else {
        return;
    };
    if period.value < frequency.value {
        diagnostics.push(
            Diagnostic::error(
                codes::PERIOD_SHORTER_THAN_FREQUENCY,
                format!(
                    "`queryPeriod` ({}) is shorter than `queryFrequency` ({})",
                    period.value, frequency.value
                ),
                period.span,
            )
            .with_secondary(frequency.span, "runs this often")
            .with_note(
                "events between two runs would never be looked at, and Sentinel rejects the rule",
            )
            .with_help(format!("set `queryPeriod` to at least `{}`", frequency.value)),
        );
    }
    if period.value >= LONG_PERIOD && frequency.value < Duration::from_hours(1) {
        diagnostics.push(
            Diagnostic::error(
                codes::LONG_PERIOD_NEEDS_HOURLY_FREQUENCY,
                format!(
                    "`queryFrequency` {} is too frequent for a `queryPeriod` of {}",
                    frequency.value, period.value
                ),
                frequency.span,
            )
            .with_secondary(period.span, "looks back this far")
            .with_note(
                "Sentinel requires rules that look back 2 days or more to run at most hourly",
            )
            .with_help("set `queryFrequency` to `1h` or more, or shorten `queryPeriod` below `2d`"),
        );
    }
}

fn threshold(detection: &Detection, diagnostics: &mut Vec<Diagnostic>) {
    let Some(threshold) = &detection.trigger_threshold else {
        return;
    };
    if !(0..=MAX_THRESHOLD).contains(&threshold.value) {
        diagnostics.push(
            Diagnostic::error(
                codes::THRESHOLD_OUT_OF_RANGE,
                format!("`triggerThreshold` is {}, outside 0 to 10000", threshold.value),
                threshold.span,
            )
            .with_note("Sentinel accepts thresholds from 0 to 10,000")
            .with_help("set `triggerThreshold` between 0 and 10000"),
        );
    }
}

/// The accepted tactic closest to `written`: a case-insensitive containment (`Evasion` is in
/// `DefenseEvasion`), a small edit distance, or an abbreviation that keeps the first letter
/// and the rest in order (`PrivEscalation`, `CredAccess`), when only one tactic fits.
pub fn suggest_tactic(written: &str) -> Option<&'static str> {
    let lower = written.to_lowercase().replace([' ', '-', '_'], "");
    if lower.len() >= 4 {
        if let Some(found) = TACTICS.iter().find(|tactic| tactic.to_lowercase().contains(&lower)) {
            return Some(found);
        }
    }
    if let Some(found) = palisade_spec::load::nearest(written, TACTICS) {
        return Some(found);
    }
    if lower.len() < 4 {
        return None;
    }
    let mut abbreviated = TACTICS.iter().filter(|tactic| {
        let tactic = tactic.to_lowercase();
        tactic.chars().next() == lower.chars().next() && is_subsequence(&lower, &tactic)
    });
    match (abbreviated.next(), abbreviated.next()) {
        (Some(found), None) => Some(found),
        _ => None,
    }
}

/// Whether the characters of `short` occur in `long` in order.
fn is_subsequence(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|d| d == c))
}

fn tactics(root: &Node, diagnostics: &mut Vec<Diagnostic>) {
    let Some(items) = root.get("tactics").and_then(|entry| entry.value.as_sequence()) else {
        return;
    };
    for item in items {
        let Some(scalar) = item.as_scalar() else {
            continue;
        };
        let written = scalar.text.as_str();
        if TACTICS.contains(&written) {
            continue;
        }
        if written == "PreAttack" {
            diagnostics.push(
                Diagnostic::warning(
                    codes::PREATTACK_TACTIC,
                    "Tactic `PreAttack` is deprecated",
                    item.span,
                )
                .with_note(
                    "ARM still accepts it, but Azure-Sentinel's CI and ATT&CK have replaced it",
                )
                .with_help("use `Reconnaissance` or `ResourceDevelopment`"),
            );
            continue;
        }
        let compact = written.replace(' ', "");
        if let Some(canonical) = TACTICS.iter().find(|tactic| tactic.eq_ignore_ascii_case(&compact))
        {
            diagnostics.push(
                Diagnostic::warning(
                    codes::TACTIC_SPELLING,
                    format!("Tactic `{written}` is spelled differently from `{canonical}`"),
                    item.span,
                )
                .with_note("Palisade emits the canonical name; Azure-Sentinel's CI rejects others")
                .with_help(format!("write `{canonical}`")),
            );
            continue;
        }
        let diag = Diagnostic::error(
            codes::UNKNOWN_TACTIC,
            format!("Unknown tactic `{written}`"),
            item.span,
        )
        .with_note(format!("Sentinel accepts: {}", TACTICS.join(", ")));
        let help = match suggest_tactic(written) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None if crate::limits::is_technique_id(written.trim()) => format!(
                "`{}` is a technique: list it under `relevantTechniques` and its tactic here",
                written.trim()
            ),
            None => "write one of the tactics in the note, as one word in that case".to_owned(),
        };
        diagnostics.push(diag.with_help(help));
    }
}

#[cfg(test)]
mod tests {
    use super::suggest_tactic;

    #[test]
    fn tactic_suggestions() {
        assert_eq!(suggest_tactic("Evasion"), Some("DefenseEvasion"));
        assert_eq!(suggest_tactic("InitialAcces"), Some("InitialAccess"));
        assert_eq!(suggest_tactic("Recon"), Some("Reconnaissance"));
        // Abbreviations keep the first letter and the rest in order (seeded-fault miss).
        assert_eq!(suggest_tactic("PrivEscalation"), Some("PrivilegeEscalation"));
        assert_eq!(suggest_tactic("CredAccess"), Some("CredentialAccess"));
        // Two tactics fit `Rece` (Reconnaissance, ResourceDevelopment): no guess.
        assert_eq!(suggest_tactic("Rece"), None);
        assert_eq!(suggest_tactic("Ransomware"), None);
    }
}
