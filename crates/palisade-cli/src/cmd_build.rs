//! `palisade build`: load and validate specs, compile them, and swap the output folder in.
//!
//! Validation errors stop the build before anything is written, unless `--keep-going` is set;
//! then only the specs with errors are left out and everything else is built. A build that
//! fails for any other reason (a compile error, or a warning with `--fail-on warning`) writes
//! nothing either, unless `--keep-going` is set. The output folder is replaced atomically, so
//! a failed build leaves the previous output as it was.

use std::collections::BTreeSet;
use std::process::ExitCode;

use anyhow::Context;
use palisade_compiler::{EmitError, Options, RuleShape, build, write_atomically};
use palisade_diagnostics::render::Summary;
use palisade_diagnostics::{Diagnostic, FileId, Severity, SourceFiles};
use palisade_spec::SpecKind;

use crate::cmd_validate::{Printing, print_diagnostics};
use crate::project::load_project;
use crate::{BuildArgs, RuleShapeArg};

/// Runs `palisade build` and returns the exit code: 0 built without errors, 1 findings at or
/// above `--fail-on` (nothing written, or with `--keep-going` everything else written).
///
/// # Errors
///
/// When we could not run: unreadable inputs, or the output folder could not be replaced.
pub fn run(args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let technique_tag = args.hunting_technique_tag.trim();
    if technique_tag.is_empty() {
        anyhow::bail!("`--hunting-technique-tag` must not be empty");
    }
    let built_in = palisade_compiler::hunting::BUILT_IN_TAGS;
    if let Some(taken) = built_in.iter().find(|tag| tag.eq_ignore_ascii_case(technique_tag)) {
        anyhow::bail!(
            "`--hunting-technique-tag {technique_tag}` collides with the built-in tag `{taken}`; \
             hunting queries already carry the tags {}, so pick another name, such as \
             `relevantTechniques` (the default) or `techniques`",
            built_in.iter().map(|tag| format!("`{tag}`")).collect::<Vec<_>>().join(" and ")
        );
    }
    let mut project = load_project(&args.paths, args.hygiene.policy()?)?;
    let loaded = palisade_validator::silence::apply(&mut project.diagnostics, &project.files);
    let mut silenced = loaded.count();
    let mut diagnostics = project.diagnostics;

    let failing: BTreeSet<FileId> = diagnostics
        .iter()
        .filter(|diag| diag.severity == Severity::Error)
        .map(|diag| diag.primary.span.file)
        .collect();
    if !failing.is_empty() && !args.keep_going {
        diagnostics.extend(loaded.unused.iter().cloned());
        report(args, &mut diagnostics, &project.files, silenced)?;
        let n_errors = count_errors(&diagnostics);
        say!(
            "palisade: build stopped: {n_errors} {} in {} {}; {} left unchanged (use --keep-going to build the rest)",
            plural(n_errors, "error", "errors"),
            failing.len(),
            plural(failing.len(), "file", "files"),
            args.out.display()
        );
        return Ok(ExitCode::from(1));
    }

    let buildable: Vec<_> =
        project.detections.into_iter().filter(|d| !failing.contains(&d.file)).collect();
    let n_left_out = failing.len();
    let options = Options {
        rule_shape: match args.rule_shape {
            RuleShapeArg::Legacy => RuleShape::Legacy,
            RuleShapeArg::Extension => RuleShape::Extension,
        },
        technique_tag: args.hunting_technique_tag.clone(),
    };
    let output = build(&buildable, &options);
    let compile_failed = output.has_errors();
    let mut compiled = output.diagnostics.clone();
    let emitted = palisade_validator::silence::apply(&mut compiled, &project.files);
    silenced += emitted.count();
    diagnostics.extend(compiled);
    diagnostics.extend(palisade_validator::silence::unused_in_all(&[&loaded, &emitted]));

    if compile_failed && !args.keep_going {
        report(args, &mut diagnostics, &project.files, silenced)?;
        say!(
            "palisade: build stopped: {} {} could not be compiled; {} left unchanged",
            output.failed.len(),
            plural(output.failed.len(), "spec", "specs"),
            args.out.display()
        );
        return Ok(ExitCode::from(1));
    }

    // A run that will exit 1 must not have written anything: with `--fail-on warning` a
    // warning fails the build like an error does. Only `--keep-going` asks for output anyway.
    let failed = args.fail_on.fails(&Summary::of(&diagnostics));
    if failed && !args.keep_going {
        report(args, &mut diagnostics, &project.files, silenced)?;
        let n_warnings = Summary::of(&diagnostics).warnings;
        say!(
            "palisade: build stopped: {n_warnings} {} with --fail-on warning; {} left unchanged",
            plural(n_warnings, "warning", "warnings"),
            args.out.display()
        );
        return Ok(ExitCode::from(1));
    }

    let written = write_atomically(&args.out, &output.files)
        .map_err(with_hint)
        .with_context(|| format!("writing the build to {}", args.out.display()))?;
    report(args, &mut diagnostics, &project.files, silenced)?;
    for stale in &written.stale {
        say!(
            "palisade: warning: {} is a temporary folder of an earlier build that was \
             interrupted (or of a build still running); it is not part of {}: delete it once no \
             build is running",
            stale.display(),
            args.out.display()
        );
    }
    if let Some((old, error)) = &written.leftover {
        say!(
            "palisade: warning: the previous output, moved aside to {}, could not be removed: \
             {error}; the new build is in {}; delete {} yourself (check its permissions and \
             immutable attribute, `lsattr -d`)",
            old.display(),
            args.out.display(),
            old.display()
        );
    }

    let n_rules = output.compiled.iter().filter(|e| e.spec_kind == SpecKind::AnalyticsRule).count();
    let n_queries = output.compiled.len() - n_rules;
    let n_skipped = n_left_out + output.failed.len();
    let skipped = if n_skipped == 0 {
        String::new()
    } else {
        format!("; {n_skipped} {} with errors left out", plural(n_skipped, "spec", "specs"))
    };
    say!(
        "palisade: built {n_rules} analytics {} and {n_queries} hunting {} into {}{skipped}{}",
        plural(n_rules, "rule", "rules"),
        plural(n_queries, "query", "queries"),
        args.out.display(),
        crate::cmd_validate::silenced_summary(silenced),
    );

    // Only with `--keep-going` can a failing run get here: the output is written and the exit
    // code says that something was left out or has warnings.
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The write error, with what to do when the cause is a folder we may not write to.
fn with_hint(error: EmitError) -> anyhow::Error {
    let denied = matches!(
        &error,
        EmitError::Io { error, .. }
            if matches!(
                error.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            )
    );
    let hint = match &error {
        EmitError::Io { path, .. } if denied => Some(format!(
            "check that {} can be written to (its permissions, a read-only file system, or \
             the immutable attribute shown by `lsattr -d`), or build to another folder with \
             `--out`",
            path.display()
        )),
        _ => None,
    };
    match hint {
        Some(hint) => anyhow::anyhow!("{error}; {hint}"),
        None => anyhow::Error::new(error),
    }
}

fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|diag| diag.severity == Severity::Error).count()
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Prints every diagnostic in the chosen format, sorted, on stdout, the same way `validate`
/// does (at most `--max-per-file` per file).
fn report(
    args: &BuildArgs,
    diagnostics: &mut [Diagnostic],
    files: &SourceFiles,
    silenced: usize,
) -> anyhow::Result<()> {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let printing = Printing { silenced, max_per_file: args.max_per_file, code_table: false };
    print_diagnostics(args.format, diagnostics, files, &printing).map(|_| ())
}
