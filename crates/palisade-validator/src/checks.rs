//! Sentinel's limits and rule semantics for one loaded detection (`SPEC1xx`).

use palisade_diagnostics::{Diagnostic, Span};
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
    if detection.spec_kind == SpecKind::HuntingQuery && detection.ioc.is_none() {
        rule_fields_in_hunting_query(detection, root, &mut diagnostics);
    }
    tactics(root, &mut diagnostics);
    duplicate_tactics(root, &mut diagnostics);
    diagnostics.extend(crate::limits::check(detection, root));
    diagnostics
}

/// Top-level fields of analytics rules that a hunting query has no place for: it compiles to a
/// saved search, which carries only a name, the query, and description, tactics and techniques
/// as tags.
pub const RULE_FIELDS: &[&str] = &[
    "severity",
    "kind",
    "enabled",
    "queryFrequency",
    "queryPeriod",
    "triggerOperator",
    "triggerThreshold",
    "suppressionEnabled",
    "suppressionDuration",
    "entityMappings",
    "sentinelEntitiesMappings",
    "customDetails",
    "alertDetailsOverride",
    "eventGroupingSettings",
    "incidentConfiguration",
];

/// `SPEC144`: a spec read as a hunting query has analytics-rule fields, which the build leaves
/// out. `severity` and `entityMappings` are common in Azure-Sentinel hunting queries (366 and
/// 601 of them), so in a `Hunting Queries` folder they alone are not reported; elsewhere
/// `severity` is the sign of a rule whose schedule and trigger were left out. The warning
/// names every rule field the file has.
fn rule_fields_in_hunting_query(detection: &Detection, root: &Node, out: &mut Vec<Diagnostic>) {
    let Some(entries) = root.as_mapping() else {
        return;
    };
    let in_folder = palisade_spec::load::in_hunting_folder(&detection.path);
    let found: Vec<(&str, Span)> = entries
        .iter()
        .filter(|entry| !entry.value.is_null())
        .filter_map(|entry| {
            let key = entry.key_text();
            let field = RULE_FIELDS.iter().find(|field| field.eq_ignore_ascii_case(key))?;
            Some((*field, entry.key.span))
        })
        .collect();
    let telling = |field: &str| match field {
        "entityMappings" => false,
        "severity" => !in_folder,
        _ => true,
    };
    if !found.iter().any(|(field, _)| telling(field)) {
        return;
    }
    let names: Vec<String> = found.iter().map(|(field, _)| format!("`{field}`")).collect();
    let (list, verb) = match names.as_slice() {
        [one] => (one.clone(), "is"),
        [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "are"),
        [] => return,
    };
    let (note, help) = if in_folder {
        (
            "the file is in a `Hunting Queries` folder, which makes it a hunting query whatever \
             its keys, as in Azure-Sentinel; a hunting query is deployed as a saved search, \
             which has no severity, schedule, trigger or entity mappings",
            "to deploy it as an analytics rule, move the file out of the `Hunting Queries` \
             folder; to keep it a hunting query, remove these keys",
        )
    } else {
        (
            "it has no `kind`, `queryFrequency`, `queryPeriod`, `triggerOperator` or \
             `triggerThreshold`, so it is read as a hunting query: a saved search, which has \
             no severity, schedule, trigger or entity mappings",
            "to make it an analytics rule, add `kind: Scheduled` with `queryFrequency`, \
             `queryPeriod`, `triggerOperator` and `triggerThreshold` (or `kind: NRT`); to keep \
             it a hunting query, remove these keys",
        )
    };
    let mut diag = Diagnostic::warning(
        codes::RULE_FIELDS_IN_HUNTING_QUERY,
        format!("Read as a hunting query, so {list} {verb} left out"),
        found[0].1,
    )
    .with_label("not part of a hunting query");
    for (_, span) in &found[1..] {
        diag = diag.with_secondary(*span, "left out too");
    }
    out.push(diag.with_note(note).with_help(help));
}

/// The name a tactic is compared by for repeats: the accepted name it spells (without spaces,
/// in any case), else the text without spaces in lower case.
fn tactic_identity(written: &str) -> String {
    let compact = written.replace(' ', "");
    match TACTICS.iter().chain(&["PreAttack"]).find(|known| known.eq_ignore_ascii_case(&compact)) {
        Some(known) => (*known).to_owned(),
        None => compact.to_lowercase(),
    }
}

/// `SPEC145`: a tactic listed again, also in another spelling (`Command and Control` and
/// `CommandAndControl`). The compiler emits each tactic once.
fn duplicate_tactics(root: &Node, diagnostics: &mut Vec<Diagnostic>) {
    let Some(items) = root.get("tactics").and_then(|entry| entry.value.as_sequence()) else {
        return;
    };
    let mut seen: Vec<(String, &str, Span)> = Vec::new();
    for item in items {
        let Some(scalar) = item.as_scalar() else {
            continue;
        };
        let written = scalar.text.trim();
        if written.is_empty() {
            continue;
        }
        let identity = tactic_identity(written);
        let Some((_, first, first_span)) = seen.iter().find(|(known, ..)| *known == identity)
        else {
            seen.push((identity, written, item.span));
            continue;
        };
        let message = if *first == written {
            format!("Tactic `{written}` is listed twice")
        } else {
            format!("Tactic `{written}` repeats `{first}`, listed earlier")
        };
        diagnostics.push(
            Diagnostic::warning(codes::DUPLICATE_TACTIC, message, item.span)
                .with_label("listed again")
                .with_secondary(*first_span, "first listed here")
                .with_note(
                    "a rule has each tactic once; Palisade emits it once, at its first place",
                )
                .with_help("remove this entry"),
        );
    }
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

#[cfg(test)]
mod spec_semantics_tests {
    use palisade_diagnostics::{Severity, SourceFiles};

    use super::*;

    const RULE: &str = include_str!("../tests/specs/valid/scheduled_rule.yaml");

    fn findings(path: &str, text: &str) -> Vec<Diagnostic> {
        let mut files = SourceFiles::new();
        crate::check_file(&mut files, path, text.as_bytes()).1.diagnostics
    }

    fn with_code(path: &str, text: &str, code: palisade_diagnostics::Code) -> Vec<Diagnostic> {
        findings(path, text).into_iter().filter(|diag| diag.code == code).collect()
    }

    /// A rule without `kind`, schedule and trigger: a hunting query, with a warning.
    fn without_schedule() -> String {
        "id: 11111111-2222-3333-4444-555555555555\nname: Base rule\n\
         description: Identifies base things.\nseverity: Medium\ntactics:\n  - Execution\n\
         query: |\n  SecurityEvent\n  | project TimeGenerated, Computer\n\
         entityMappings:\n  - entityType: Host\n    fieldMappings:\n\
         \x20     - identifier: HostName\n        columnName: Computer\n\
         customDetails:\n  Computer: Computer\n"
            .to_owned()
    }

    #[test]
    fn a_rule_without_schedule_read_as_a_hunting_query_is_warned_about() {
        let found = with_code(
            "detections/rule.yaml",
            &without_schedule(),
            codes::RULE_FIELDS_IN_HUNTING_QUERY,
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        let diag = &found[0];
        assert_eq!(diag.severity, Severity::Warning);
        assert_eq!(
            diag.message,
            "Read as a hunting query, so `severity`, `entityMappings` and `customDetails` are \
             left out"
        );
        assert!(diag.notes[0].starts_with("it has no `kind`"), "{:?}", diag.notes);
        assert!(diag.help.as_deref().unwrap().contains("add `kind: Scheduled`"));
    }

    #[test]
    fn a_rule_in_a_hunting_folder_is_a_hunting_query_with_a_warning() {
        let found =
            with_code("Hunting Queries/rule.yaml", RULE, codes::RULE_FIELDS_IN_HUNTING_QUERY);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("`queryFrequency`"), "{}", found[0].message);
        assert!(found[0].help.as_deref().unwrap().contains("move the file out"));
        // `severity` and entity mappings alone, common in Azure-Sentinel hunting queries: quiet.
        let quiet = with_code(
            "Hunting Queries/rule.yaml",
            &without_schedule().replace("customDetails:\n  Computer: Computer\n", ""),
            codes::RULE_FIELDS_IN_HUNTING_QUERY,
        );
        assert_eq!(quiet, []);
        // A real rule is not a hunting query.
        assert_eq!(with_code("detections/r.yaml", RULE, codes::RULE_FIELDS_IN_HUNTING_QUERY), []);
    }

    #[test]
    fn blank_descriptions_of_rules_are_errors_like_blank_names() {
        for blank in ["\"\"", "\"   \"", "''", "|\n  '  '"] {
            let text = RULE.replace(
                "description: |\n  'Identifies accounts that sign in from two countries within an hour.'",
                &format!("description: {blank}"),
            );
            let found = with_code("detections/r.yaml", &text, codes::MISSING_FIELD);
            assert_eq!(found.len(), 1, "{blank}: {found:#?}");
            assert_eq!(found[0].message, "Required field `description` is empty");
            assert_eq!(found[0].severity, Severity::Error);
            let name = with_code(
                "detections/r.yaml",
                &RULE.replace("name: Sign-ins", "name: \"\"\nx: Sign-ins"),
                codes::MISSING_FIELD,
            );
            assert_eq!(name[0].message, "Required field `name` is empty");
        }
    }

    #[test]
    fn lower_case_iso_durations_get_a_clear_finding_and_no_regex() {
        let text = RULE.replace("queryFrequency: 1h", "queryFrequency: pt1h");
        let found = findings("detections/r.yaml", &text);
        let errors: Vec<&Diagnostic> =
            found.iter().filter(|diag| diag.severity == Severity::Error).collect();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].code, codes::INVALID_DURATION);
        assert!(errors[0].message.contains("upper-case: `PT1H`"), "{}", errors[0].message);
        assert_eq!(errors[0].help.as_deref(), Some("write `PT1H`"));
    }

    #[test]
    fn repeated_tactics_are_warned_about_at_the_repeat() {
        let text = RULE.replace(
            "tactics:\n  - InitialAccess\n",
            "tactics:\n  - InitialAccess\n  - CommandAndControl\n  - Initial Access\n  - commandandcontrol\n  - CommandAndControl\n",
        );
        let found = with_code("detections/r.yaml", &text, codes::DUPLICATE_TACTIC);
        let messages: Vec<&str> = found.iter().map(|diag| diag.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Tactic `Initial Access` repeats `InitialAccess`, listed earlier",
                "Tactic `commandandcontrol` repeats `CommandAndControl`, listed earlier",
                "Tactic `CommandAndControl` is listed twice",
            ]
        );
        assert!(found.iter().all(|diag| diag.severity == Severity::Warning));
    }

    #[test]
    fn severity_in_another_case_is_a_case_warning() {
        let text = RULE.replace("severity: Medium", "severity: medium");
        let found = with_code("detections/r.yaml", &text, codes::CASE_MISMATCH);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].message, "`medium` in `severity` is written differently from `Medium`");
        assert_eq!(found[0].help.as_deref(), Some("write `Medium`"));
    }
}
