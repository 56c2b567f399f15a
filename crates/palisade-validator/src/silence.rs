//! Silencing one code for one spec, with the reason written next to it.
//!
//! ```yaml
//! palisade:
//!   allow:
//!     - code: SPEC110
//!       reason: The name matches the vendor's product name, which is long
//! ```
//!
//! An entry silences every finding of that code whose primary span is in the spec's file. An
//! entry without a reason is itself a warning (`SPEC141`); a malformed entry is a warning
//! (`SPEC142`) and silences nothing; an entry that silences nothing is a warning (`SPEC143`),
//! so stale silences do not pile up. The silence codes themselves cannot be silenced, nor can
//! the codes for findings Sentinel or its API rejects ([`registry::UNSILENCEABLE`]); an entry
//! naming one, an unknown code, or a code a previous entry already names is a `SPEC142`
//! warning. Any key under `palisade:` other than `allow` is `SPEC014`.
//! [`check_entries`] runs with the other checks of a file; [`apply`] runs once every
//! finding of a run (KQL checks, IOC checks, duplicate ids) is known.

use palisade_diagnostics::{Code, Diagnostic, FileId, SourceFiles, Span};
use palisade_spec::codes;
use palisade_spec::yaml::{self, Node};

use crate::registry;

/// The top-level key holding Palisade's own settings.
pub const SETTINGS_KEY: &str = "palisade";

/// One `palisade.allow` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allow {
    /// The code as written, such as `SPEC110`, compared without regard to case.
    pub code: String,
    /// Why the finding is accepted; `None` when missing or blank.
    pub reason: Option<String>,
    /// The entry, for findings about it.
    pub span: Span,
    /// The `code` value.
    pub code_span: Span,
}

/// What [`apply`] silenced, and the entries that silenced nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Silenced {
    /// Every silenced finding, in the order they were found.
    pub diagnostics: Vec<Diagnostic>,
    /// A warning (`SPEC143`) for each entry that silenced nothing; callers add these to the
    /// run's findings once every finding has been through [`apply`].
    pub unused: Vec<Diagnostic>,
}

impl Silenced {
    /// The number of silenced findings.
    pub fn count(&self) -> usize {
        self.diagnostics.len()
    }
}

const SILENCE_CODES: &[Code] =
    &[codes::ALLOW_WITHOUT_REASON, codes::INVALID_ALLOW, codes::UNUSED_ALLOW];

fn scalar_text(node: &Node) -> Option<&str> {
    node.as_scalar().map(|scalar| scalar.text.as_str())
}

/// Reads the `palisade.allow` entries of a spec, with findings about malformed ones.
pub fn read(root: &Node) -> (Vec<Allow>, Vec<Diagnostic>) {
    let mut allows = Vec::new();
    let mut diagnostics = Vec::new();
    let Some(settings) = root.get(SETTINGS_KEY) else {
        return (allows, diagnostics);
    };
    for entry in settings.value.as_mapping().unwrap_or_default() {
        let key = entry.key_text();
        if key != "allow" {
            let help = if strsim::damerau_levenshtein(&key.to_ascii_lowercase(), "allow") <= 2 {
                "did you mean `allow`?"
            } else {
                "remove it; `allow` is the only key under `palisade:`"
            };
            diagnostics.push(
                Diagnostic::warning(
                    codes::UNKNOWN_KEY,
                    format!("Unknown key `{SETTINGS_KEY}.{key}`"),
                    entry.key.span,
                )
                .with_note("Palisade reads only `palisade.allow`, so this value has no effect")
                .with_help(help),
            );
        }
    }
    let Some(entry) = settings.value.get("allow") else {
        return (allows, diagnostics);
    };
    let Some(items) = entry.value.as_sequence() else {
        if !entry.value.is_null() {
            diagnostics.push(invalid(entry.value.span, "`palisade.allow` is not a list"));
        }
        return (allows, diagnostics);
    };
    for item in items {
        if item.is_null() {
            continue;
        }
        let Some(code_node) = item.get("code").map(|entry| &entry.value) else {
            diagnostics.push(invalid(item.span, "A `palisade.allow` entry has no `code`"));
            continue;
        };
        let Some(code) = scalar_text(code_node).map(str::trim).filter(|code| is_code(code)) else {
            diagnostics.push(invalid(code_node.span, "`palisade.allow` `code` is not a code"));
            continue;
        };
        if SILENCE_CODES.iter().any(|silence| silence.as_str().eq_ignore_ascii_case(code)) {
            diagnostics.push(invalid(code_node.span, "The silence codes cannot be silenced"));
            continue;
        }
        let Some(info) = registry::lookup(code) else {
            diagnostics.push(unknown_code(code, code_node.span));
            continue;
        };
        if registry::is_unsilenceable(info.code) {
            diagnostics.push(
                Diagnostic::warning(
                    codes::INVALID_ALLOW,
                    format!("`{}` cannot be silenced", info.code),
                    code_node.span,
                )
                .with_note(
                    "Sentinel or its API rejects a rule with this finding, so the deployment \
                     would fail all the same; the finding stays",
                )
                .with_help("fix the finding and remove this entry"),
            );
            continue;
        }
        if allows.iter().any(|allow: &Allow| allow.code.eq_ignore_ascii_case(code)) {
            diagnostics.push(
                Diagnostic::warning(
                    codes::INVALID_ALLOW,
                    format!("`{}` is silenced twice", info.code),
                    code_node.span,
                )
                .with_note("an earlier entry already silences this code; this one adds nothing")
                .with_help("remove this entry, or merge its reason into the first one"),
            );
            continue;
        }
        let reason = item
            .get("reason")
            .and_then(|entry| scalar_text(&entry.value))
            .map(str::trim)
            .filter(|reason| !reason.is_empty())
            .map(str::to_owned);
        allows.push(Allow {
            code: code.to_owned(),
            reason,
            span: item.span,
            code_span: code_node.span,
        });
    }
    (allows, diagnostics)
}

/// Whether `text` looks like a diagnostic code: letters then three digits, such as `KQL201`.
fn is_code(text: &str) -> bool {
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    let digits = &text[letters..];
    (2..=4).contains(&letters) && digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The warning for a `code` that is well-formed but registered nowhere, with the nearest
/// registered code when one is at most two edits away.
fn unknown_code(code: &str, span: Span) -> Diagnostic {
    let upper = code.to_ascii_uppercase();
    let nearest = registry::all()
        .map(|info| (strsim::damerau_levenshtein(&upper, info.code.as_str()), info.code))
        .min_by_key(|(distance, _)| *distance)
        .filter(|(distance, _)| *distance <= 2);
    let help = match nearest {
        Some((_, known)) => format!("did you mean `{known}`?"),
        None => "write a code Palisade reports; `palisade explain CODE` prints each one".to_owned(),
    };
    Diagnostic::warning(codes::INVALID_ALLOW, format!("`{code}` is not a known code"), span)
        .with_note("no check reports this code, so the entry silences nothing")
        .with_help(help)
}

fn invalid(span: Span, message: &str) -> Diagnostic {
    Diagnostic::warning(codes::INVALID_ALLOW, message, span)
        .with_note("this entry silences nothing")
        .with_help("write `- code: SPEC110` and `reason: ...` under `palisade: allow:`")
}

/// Findings about a spec's `palisade.allow` entries: malformed entries and missing reasons.
pub fn check_entries(root: &Node) -> Vec<Diagnostic> {
    let (allows, mut diagnostics) = read(root);
    for allow in allows.iter().filter(|allow| allow.reason.is_none()) {
        diagnostics.push(
            Diagnostic::warning(
                codes::ALLOW_WITHOUT_REASON,
                format!("`{}` is silenced without a reason", allow.code),
                allow.span,
            )
            .with_note("a reviewer cannot tell a considered exception from a hidden problem")
            .with_help("add `reason:` saying why the finding is acceptable for this spec"),
        );
    }
    diagnostics
}

/// Removes the findings that the specs' `palisade.allow` entries silence and returns them, with
/// a warning for each entry that silenced nothing.
///
/// A caller that checks in stages (such as `build`, whose compiler findings come later) calls
/// it once per stage and keeps the unused warnings that every stage reported
/// ([`unused_in_all`]).
///
/// Only files whose text has a `palisade:` key are parsed again, so runs without silences cost
/// nothing.
pub fn apply(diagnostics: &mut Vec<Diagnostic>, files: &SourceFiles) -> Silenced {
    let mut silenced = Silenced::default();
    for (file, source) in files.iter() {
        let text = source.text();
        if !text.contains("palisade:") {
            continue;
        }
        let Some(root) = yaml::parse(file, text).root else {
            continue;
        };
        let (allows, _) = read(&root);
        apply_file(file, &allows, diagnostics, &mut silenced);
    }
    silenced
}

fn apply_file(
    file: FileId,
    allows: &[Allow],
    diagnostics: &mut Vec<Diagnostic>,
    silenced: &mut Silenced,
) {
    for allow in allows {
        let matches = |diag: &Diagnostic| {
            diag.primary.span.file == file
                && diag.code.as_str().eq_ignore_ascii_case(&allow.code)
                && !SILENCE_CODES.contains(&diag.code)
        };
        let before = silenced.diagnostics.len();
        let mut kept = Vec::with_capacity(diagnostics.len());
        for diag in diagnostics.drain(..) {
            if matches(&diag) { silenced.diagnostics.push(diag) } else { kept.push(diag) }
        }
        *diagnostics = kept;
        if silenced.diagnostics.len() == before {
            silenced.unused.push(
                Diagnostic::warning(
                    codes::UNUSED_ALLOW,
                    format!("`{}` is silenced, but this spec has no such finding", allow.code),
                    allow.code_span,
                )
                .with_note("a silence that matches nothing hides the next, unrelated finding")
                .with_help("remove the entry"),
            );
        }
    }
}

/// The unused-silence warnings found in every one of `stages`.
pub fn unused_in_all(stages: &[&Silenced]) -> Vec<Diagnostic> {
    let Some((first, rest)) = stages.split_first() else {
        return Vec::new();
    };
    first
        .unused
        .iter()
        .filter(|diag| rest.iter().all(|stage| stage.unused.contains(diag)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use palisade_diagnostics::Severity;

    use super::*;

    fn root(text: &str) -> Node {
        yaml::parse(FileId::default(), text).root.unwrap()
    }

    #[test]
    fn entries_are_read_with_their_reasons() {
        let node = root(
            "palisade:\n  allow:\n    - code: SPEC110\n      reason: vendor name\n    - code: kql201\n    - code: nope\n    - reason: x\n    - code: SPEC141\n      reason: y\n",
        );
        let (allows, diagnostics) = read(&node);
        let codes: Vec<(&str, Option<&str>)> =
            allows.iter().map(|a| (a.code.as_str(), a.reason.as_deref())).collect();
        assert_eq!(codes, [("SPEC110", Some("vendor name")), ("kql201", None)]);
        assert_eq!(diagnostics.len(), 3);
        assert!(diagnostics.iter().all(|d| d.code == codes::INVALID_ALLOW));
        let found = check_entries(&node);
        let missing: Vec<_> =
            found.iter().filter(|d| d.code == codes::ALLOW_WITHOUT_REASON).collect();
        assert_eq!(missing.len(), 1);
        assert!(missing[0].message.contains("`kql201`"));
    }

    #[test]
    fn apply_silences_the_code_in_its_file_and_reports_unused_entries() {
        let text = "id: x\npalisade:\n  allow:\n    - code: spec110\n      reason: r\n    - code: SPEC113\n      reason: r\n";
        let mut files = SourceFiles::new();
        let file = files.add("a.yaml", text);
        let other = files.add("b.yaml", "id: y\n");
        let at = |file| Span::new(file, 0, 1);
        let mut diagnostics = vec![
            Diagnostic::warning(codes::NAME_LONGER_THAN_STYLE, "long", at(file)),
            Diagnostic::warning(codes::NAME_LONGER_THAN_STYLE, "long", at(other)),
            Diagnostic::error(codes::NAME_TOO_LONG, "too long", at(file)),
        ];
        let silenced = apply(&mut diagnostics, &files);
        assert_eq!(silenced.count(), 1);
        assert_eq!(diagnostics.len(), 2);
        assert!(
            diagnostics
                .iter()
                .all(|d| d.primary.span.file == other || d.code == codes::NAME_TOO_LONG)
        );
        assert_eq!(silenced.unused.len(), 1);
        assert!(silenced.unused[0].message.contains("`SPEC113`"));
        let mut none = Vec::new();
        let second = apply(&mut none, &files);
        assert_eq!(unused_in_all(&[&silenced, &second]).len(), 1);
    }

    #[test]
    fn sentinel_rejections_cannot_be_silenced() {
        let text = "palisade:\n  allow:\n    - code: SPEC109\n      reason: we want it\n    - code: spec114\n      reason: r\n";
        let (allows, diagnostics) = read(&root(text));
        assert_eq!(allows, []);
        let found: Vec<(&str, &str)> =
            diagnostics.iter().map(|d| (d.code.as_str(), d.message.as_str())).collect();
        assert_eq!(
            found,
            [
                ("SPEC142", "`SPEC109` cannot be silenced"),
                ("SPEC142", "`SPEC114` cannot be silenced")
            ]
        );
        assert_eq!(diagnostics[0].primary.span.start, text.find("SPEC109").unwrap() as u32);
        assert!(diagnostics[0].notes[0].contains("Sentinel or its API rejects"));

        let mut files = SourceFiles::new();
        let file = files.add("a.yaml", text);
        let mut kept =
            vec![Diagnostic::error(codes::NAME_TOO_LONG, "too long", Span::new(file, 0, 1))];
        let silenced = apply(&mut kept, &files);
        assert_eq!((silenced.count(), kept.len(), silenced.unused.len()), (0, 1, 0));
        for code in registry::UNSILENCEABLE {
            assert_eq!(
                registry::lookup(code.as_str()).unwrap().severity,
                Severity::Error,
                "{code}"
            );
        }
    }

    #[test]
    fn unknown_keys_unknown_codes_and_repeated_codes_are_warned_about() {
        let text = "palisade:\n  allwo:\n    - code: SPEC110\n  allow:\n    - code: ZZZ999\n      reason: r\n    - code: SPEC11O\n      reason: r\n    - code: SPEC1100\n    - code: SPEC110\n      reason: r\n    - code: spec110\n      reason: r\n";
        let (allows, diagnostics) = read(&root(text));
        assert_eq!(allows.len(), 1);
        let found: Vec<(&str, &str, Option<&str>)> = diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str(), d.help.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                ("SPEC014", "Unknown key `palisade.allwo`", Some("did you mean `allow`?")),
                (
                    "SPEC142",
                    "`ZZZ999` is not a known code",
                    Some("write a code Palisade reports; `palisade explain CODE` prints each one")
                ),
                ("SPEC142", "`palisade.allow` `code` is not a code", found[2].2),
                ("SPEC142", "`palisade.allow` `code` is not a code", found[3].2),
                ("SPEC142", "`SPEC110` is silenced twice", found[4].2),
            ]
        );
        assert_eq!(diagnostics[4].primary.span.start, text.rfind("spec110").unwrap() as u32);
        let (_, diagnostics) = read(&root("palisade:\n  allow:\n    - code: SEPC109\n"));
        assert_eq!(diagnostics[0].help.as_deref(), Some("did you mean `SPEC109`?"));
    }

    #[test]
    fn no_settings_no_entries() {
        assert_eq!(read(&root("id: x\n")), (Vec::new(), Vec::new()));
        assert!(
            check_entries(&root("palisade:\n  allow:\n    - code: SPEC110\n      reason: r\n"))
                .is_empty()
        );
    }
}
