//! `palisade validate`: check specs and print what was found, writing nothing.
//!
//! Besides the validator's checks, validate runs the compiler's (`EMIT0xx`: API versions,
//! resource-name collisions, properties ARM needs) on every spec that `build` would compile,
//! and keeps the output in memory only, so a validate run without errors means `build`
//! succeeds.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use palisade_diagnostics::render::{Summary, github, human, json, sarif};
use palisade_diagnostics::{Diagnostic, SourceFiles, limit};

use crate::project::load_project;
use crate::{Format, ValidateArgs};

/// Runs `palisade validate` and returns the exit code: 1 when a finding is at or above
/// `--fail-on` (an error, by default), 0 otherwise.
///
/// # Errors
///
/// When we could not run: a path that does not exist, unreadable files, or stdout failing.
pub fn run(args: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let mut project = load_project(&args.paths, args.hygiene.policy()?)?;
    let silenced = check_and_silence(&mut project);
    let printing = Printing { silenced, max_per_file: args.max_per_file, code_table: args.summary };
    let not_shown =
        print_diagnostics(args.format, &project.diagnostics, &project.files, &printing)?;

    // The exit code and the counts cover every finding, also those the per-file cap hid.
    let summary = Summary::of(&project.diagnostics);
    say!(
        "palisade: checked {}: {}{}{}{}",
        checked_summary(&project),
        findings_summary(&summary),
        ioc_summary(&project),
        silenced_summary(silenced),
        not_shown_summary(not_shown),
    );
    Ok(if args.fail_on.fails(&summary) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `3 specs (1 with errors), 5 exclusions, 2 .kql files, 1 skipped`: what the run read, by
/// kind; exclusions, query files and skipped files only when there are some, and specs unless
/// the run had only query files or exclusions.
fn checked_summary(project: &crate::project::Project) -> String {
    use std::collections::HashSet;

    use palisade_diagnostics::FileId;

    let exclusion_files: HashSet<FileId> =
        project.exclusions.iter().map(|exclusion| exclusion.id.span.file).collect();
    let skipped: HashSet<FileId> = project.skipped.iter().map(|(file, _)| *file).collect();
    let (mut n_specs, mut n_specs_with_errors, mut n_queries) = (0, 0, 0);
    for (id, file) in project.files.iter() {
        if crate::kql_files::is_query_file(std::path::Path::new(file.path())) {
            n_queries += 1;
        } else if !exclusion_files.contains(&id) && !skipped.contains(&id) {
            n_specs += 1;
            n_specs_with_errors += usize::from(project.has_errors(id));
        }
    }

    let mut parts = Vec::new();
    // A run of only `.kql` files or exclusions does not mention specs.
    if n_specs > 0 || (exclusion_files.is_empty() && n_queries == 0) {
        let specs = counted(n_specs, "spec", "specs");
        parts.push(format!("{specs} ({n_specs_with_errors} with errors)"));
    }
    if !exclusion_files.is_empty() {
        parts.push(counted(exclusion_files.len(), "exclusion", "exclusions"));
    }
    if n_queries > 0 {
        parts.push(counted(n_queries, ".kql file", ".kql files"));
    }
    if !skipped.is_empty() {
        parts.push(format!("{} skipped", skipped.len()));
    }
    parts.join(", ")
}

/// `0 errors, 3 warnings`, with `, 2 notes` when there are notes.
fn findings_summary(summary: &Summary) -> String {
    let mut text = format!(
        "{}, {}",
        counted(summary.errors, "error", "errors"),
        counted(summary.warnings, "warning", "warnings")
    );
    if summary.notes > 0 {
        text.push_str(&format!(", {}", counted(summary.notes, "note", "notes")));
    }
    text
}

/// `1 spec` or `2 specs`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `; 250 not shown (over --max-per-file)`, or nothing.
pub fn not_shown_summary(n: usize) -> String {
    if n == 0 { String::new() } else { format!("; {n} not shown (over --max-per-file)") }
}

/// Applies `palisade.allow` silences, then runs the compiler's checks on the detections that
/// `build` would compile (those of files without errors), exactly as `build` does, and adds
/// what they find. Returns how many findings were silenced.
fn check_and_silence(project: &mut crate::project::Project) -> usize {
    let loaded = palisade_validator::silence::apply(&mut project.diagnostics, &project.files);
    let failing: std::collections::BTreeSet<palisade_diagnostics::FileId> = project
        .diagnostics
        .iter()
        .filter(|diag| diag.severity == palisade_diagnostics::Severity::Error)
        .map(|diag| diag.primary.span.file)
        .collect();
    let buildable: Vec<&palisade_spec::Detection> =
        project.detections.iter().filter(|d| !failing.contains(&d.file)).collect();
    let mut compiled = palisade_compiler::check(&buildable, &palisade_compiler::Options::default());
    let emitted = palisade_validator::silence::apply(&mut compiled, &project.files);
    project.diagnostics.extend(compiled);
    project.diagnostics.extend(palisade_validator::silence::unused_in_all(&[&loaded, &emitted]));
    palisade_validator::sort(&mut project.diagnostics);
    loaded.count() + emitted.count()
}

/// `; 1 IOC spec expanded into 4 rules and hunting queries`, or nothing when the run has none.
fn ioc_summary(project: &crate::project::Project) -> String {
    if project.ioc_specs == 0 {
        return String::new();
    }
    let generated = project.detections.iter().filter(|d| d.target.is_some()).count();
    format!(
        "; {} expanded into {generated} rules and hunting queries",
        counted(project.ioc_specs, "IOC spec", "IOC specs"),
    )
}

/// `; 2 silenced`, or nothing when no finding was silenced.
pub fn silenced_summary(n: usize) -> String {
    if n == 0 { String::new() } else { format!("; {n} silenced") }
}

/// Whether to colour human output: only on a terminal, and never when `NO_COLOR` is set.
pub fn use_color() -> bool {
    color_allowed(&io::stdout())
}

/// Whether to colour what goes to `stream`: only a terminal, and never when `NO_COLOR` is set.
pub fn color_allowed(stream: &impl IsTerminal) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    !no_color && stream.is_terminal()
}

/// How [`print_diagnostics`] prints.
#[derive(Clone, Copy, Debug)]
pub struct Printing {
    /// Findings left out by silences, for the JSON summary.
    pub silenced: usize,
    /// Most findings shown per file (`0`: all).
    pub max_per_file: usize,
    /// End human output with the table of findings per code.
    pub code_table: bool,
}

/// Human output ends with the table of findings per code when there are more findings than
/// this, even without `--summary`.
const CODE_TABLE_THRESHOLD: usize = 20;

/// Prints diagnostics on stdout in `format`, at most `printing.max_per_file` per file, and
/// returns how many were not shown; a closed pipe is not an error.
///
/// # Errors
///
/// When stdout fails for another reason.
pub fn print_diagnostics(
    format: Format,
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    printing: &Printing,
) -> anyhow::Result<usize> {
    let mut shown = diagnostics.to_vec();
    let cap = limit::Cap {
        max_per_file: printing.max_per_file,
        code: palisade_spec::codes::TOO_MANY_FINDINGS,
        help: "fix the findings shown and run again, or pass `--max-per-file 0` to see them all",
    };
    let not_shown = limit::cap_per_file(&mut shown, &cap);
    let names = |code: palisade_diagnostics::Code| {
        palisade_validator::registry::lookup(code.as_str()).map(|info| info.name)
    };

    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = match format {
        Format::Human => {
            let options = human::Options { color: use_color(), not_shown };
            human::render_with_options(&shown, files, &mut out, &options).and_then(|()| {
                if printing.code_table || diagnostics.len() > CODE_TABLE_THRESHOLD {
                    human::render_code_table(diagnostics, &names, &mut out)
                } else {
                    Ok(())
                }
            })
        }
        Format::Json => {
            let totals = json::Totals { silenced: printing.silenced, not_shown, all: diagnostics };
            json::render_report(&shown, files, &mut out, &names, &totals)
        }
        Format::Github => github::render(&shown, files, &mut out),
        Format::Sarif => {
            let rules = sarif_rules(&shown);
            // Paths are shown relative to the repository root, which SARIF's `SRCROOT` names.
            let root = crate::project::repository_root()
                .ok()
                .and_then(|root| std::path::absolute(root).ok())
                .map(|root| sarif::folder_uri(&root.to_string_lossy()));
            let tool = sarif::Tool {
                name: "palisade",
                version: env!("CARGO_PKG_VERSION"),
                information_uri: repository(),
                source_root: root.as_deref(),
            };
            sarif::render(&shown, files, &rules, &tool, &mut out)
        }
    };
    match result.and_then(|()| out.flush()) {
        Ok(()) => Ok(not_shown),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(not_shown),
        Err(error) => Err(error).context("printing diagnostics"),
    }
}

/// The registry entries of the codes that occur, for SARIF's `tool.driver.rules`, each with a
/// `helpUri` to its page under `docs/lints/` when the package has an absolute repository URL
/// (the workspace has none, so there is no `helpUri`).
fn sarif_rules(diagnostics: &[Diagnostic]) -> Vec<sarif::Rule<'static>> {
    let mut codes: Vec<&str> = diagnostics.iter().map(|diag| diag.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
        .into_iter()
        .filter_map(palisade_validator::registry::lookup)
        .map(|info| sarif::Rule {
            code: info.code.as_str(),
            name: info.name,
            summary: info.summary,
            docs: info.docs,
            severity: info.severity,
            help_uri: repository()
                .map(|repository| format!("{repository}/docs/lints/{}.md", info.code.as_str())),
        })
        .collect()
}

/// The package's repository URL, which SARIF needs absolute; `None` when the build has none.
fn repository() -> Option<&'static str> {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    repository.contains("://").then_some(repository)
}
