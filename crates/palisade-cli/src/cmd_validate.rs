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
use palisade_diagnostics::{Diagnostic, SourceFiles};

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
    print_diagnostics(args.format, &project.diagnostics, &project.files, silenced)?;

    let summary = Summary::of(&project.diagnostics);
    let n_with_errors = project.detections.iter().filter(|d| project.has_errors(d.file)).count();
    say!(
        "palisade: checked {} {}: {} {} loaded ({} with errors), {} skipped{}{}",
        project.files.len(),
        if project.files.len() == 1 { "file" } else { "files" },
        project.detections.len(),
        if project.detections.len() == 1 { "spec" } else { "specs" },
        n_with_errors,
        project.skipped.len(),
        ioc_summary(&project),
        silenced_summary(silenced),
    );
    Ok(if args.fail_on.fails(&summary) { ExitCode::from(1) } else { ExitCode::SUCCESS })
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

/// `; 5 exclusions, 1 IOC spec expanded into 4 rules and hunting queries`, or nothing when the
/// run has neither.
fn ioc_summary(project: &crate::project::Project) -> String {
    if project.ioc_specs == 0 && project.exclusions.is_empty() {
        return String::new();
    }
    let generated = project.detections.iter().filter(|d| d.target.is_some()).count();
    format!(
        "; {} {}, {} IOC {} expanded into {generated} rules and hunting queries",
        project.exclusions.len(),
        if project.exclusions.len() == 1 { "exclusion" } else { "exclusions" },
        project.ioc_specs,
        if project.ioc_specs == 1 { "spec" } else { "specs" },
    )
}

/// `; 2 silenced`, or nothing when no finding was silenced.
pub fn silenced_summary(n: usize) -> String {
    if n == 0 { String::new() } else { format!("; {n} silenced") }
}

/// Whether to colour human output: only on a terminal, and never when `NO_COLOR` is set.
pub fn use_color() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    !no_color && io::stdout().is_terminal()
}

/// Prints diagnostics on stdout in `format`; a closed pipe is not an error. `silenced` is the
/// number of findings left out by silences, for the JSON summary.
///
/// # Errors
///
/// When stdout fails for another reason.
pub fn print_diagnostics(
    format: Format,
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    silenced: usize,
) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = match format {
        Format::Human => {
            let options = human::Options { color: use_color() };
            human::render_with_options(diagnostics, files, &mut out, &options)
        }
        Format::Json => {
            let names = |code: palisade_diagnostics::Code| {
                palisade_validator::registry::lookup(code.as_str()).map(|info| info.name)
            };
            json::render_document(diagnostics, files, &mut out, &names, silenced)
        }
        Format::Github => github::render(diagnostics, files, &mut out),
        Format::Sarif => {
            let rules = sarif_rules(diagnostics);
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
            sarif::render(diagnostics, files, &rules, &tool, &mut out)
        }
    };
    match result.and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(error).context("printing diagnostics"),
    }
}

/// The registry entries of the codes that occur, for SARIF's `tool.driver.rules`, each with a
/// `helpUri` to its page under `docs/lints/` in the repository.
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
