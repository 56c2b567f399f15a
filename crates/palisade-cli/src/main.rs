//! The `palisade` binary: argument parsing, file discovery, logging and exit codes.
//!
//! Each subcommand lives in its own module (`cmd_validate`, `cmd_build`), and loading shared by
//! both lives in `project`; this file only parses arguments, installs logging and turns the
//! outcome into an exit code: 0 when no error was found, 1 when one was, 2 when we could not
//! run (bad arguments, a path that does not exist, IO errors).

/// Writes one line to stderr. A closed stderr (`palisade validate 2>&1 | head -1`) is not
/// worth a panic, so write errors are ignored, as they are for stdout. Lines name paths and
/// values from the user's files, so hidden characters are shown as `<U+XXXX>`, as the human
/// renderer shows them, and a line feed cannot start a line of its own.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = crate::escape::user_text(&format!($($arg)*));
        let _ = writeln!(std::io::stderr(), "{line}");
    }};
}

mod cmd_build;
mod cmd_explain;
mod cmd_validate;
mod escape;
mod hygiene;
mod kql_files;
mod project;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Validate and compile Microsoft Sentinel detection content.
#[derive(Debug, Parser)]
#[command(name = "palisade", version, about)]
struct Cli {
    /// More logging on stderr (`-v` debug, `-vv` trace); `PALISADE_LOG` overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check specs (and exclusions) without writing anything.
    Validate(ValidateArgs),
    /// Compile specs into ARM JSON and Bicep under an output folder.
    Build(BuildArgs),
    /// Print the documentation of a diagnostic code, such as `SPEC014` or `unknown-key`.
    Explain(ExplainArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct ExplainArgs {
    /// The code, for example `SPEC014` (any case), or its name, such as `unknown-key`.
    pub(crate) code: String,
}

/// Resource shape of analytics rules, as `--rule-shape` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum RuleShapeArg {
    /// `Microsoft.OperationalInsights/workspaces/providers/alertRules` (default).
    Legacy,
    /// `Microsoft.SecurityInsights/alertRules` with a `scope` on the workspace.
    Extension,
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Source snippets for people.
    Human,
    /// One JSON document with a `diagnostics` array.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
}

/// The lowest severity that makes the run fail (exit 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// Fail when there is an error (default).
    Error,
    /// Fail when there is an error or a warning.
    Warning,
}

impl FailOn {
    /// Whether findings with these counts fail the run.
    pub(crate) fn fails(self, summary: &palisade_diagnostics::render::Summary) -> bool {
        match self {
            FailOn::Error => summary.errors > 0,
            FailOn::Warning => summary.errors + summary.warnings > 0,
        }
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct ValidateArgs {
    /// Files or folders to check; folders are walked recursively for `.yaml` and `.yml` files.
    /// Default: `detections/` and `exclusions/` of the current repository.
    pub(crate) paths: Vec<PathBuf>,

    /// Output format for diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,

    /// Exit 1 when any finding is at or above this severity (silenced findings do not count).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub(crate) fail_on: FailOn,

    #[command(flatten)]
    pub(crate) hygiene: hygiene::HygieneArgs,

    /// Most findings shown per file, the most severe first; one note counts the rest.
    /// `0` shows every finding. The exit code counts every finding either way.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_PER_FILE)]
    pub(crate) max_per_file: usize,

    /// End human output with a table of findings per code (shown anyway when there are more
    /// than 20 findings).
    #[arg(long)]
    pub(crate) summary: bool,
}

/// Findings shown per file unless `--max-per-file` says otherwise.
pub(crate) const DEFAULT_MAX_PER_FILE: usize = 100;

#[derive(Debug, clap::Args)]
pub(crate) struct BuildArgs {
    /// Files or folders to compile; folders are walked recursively.
    /// Default: `detections/` and `exclusions/` of the current repository.
    pub(crate) paths: Vec<PathBuf>,

    /// Output folder; replaced only when the whole build succeeds.
    #[arg(long, default_value = "dist")]
    pub(crate) out: PathBuf,

    /// Build every valid spec and report the rest, instead of stopping at the first error.
    #[arg(long)]
    pub(crate) keep_going: bool,

    /// Resource shape of analytics rules: `legacy` is the nested
    /// `workspaces/providers/alertRules` form Sentinel Repositories deploys; `extension` is
    /// `Microsoft.SecurityInsights/alertRules` with `scope` (Repositories skips it).
    #[arg(long, value_enum, default_value_t = RuleShapeArg::Legacy)]
    pub(crate) rule_shape: RuleShapeArg,

    /// Tag name under which hunting queries list their techniques.
    #[arg(long, default_value = palisade_compiler::DEFAULT_TECHNIQUE_TAG)]
    pub(crate) hunting_technique_tag: String,

    /// Output format for diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,

    /// Exit 1 when any finding is at or above this severity (silenced findings do not count).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub(crate) fail_on: FailOn,

    #[command(flatten)]
    pub(crate) hygiene: hygiene::HygieneArgs,

    /// Most findings shown per file, the most severe first; one note counts the rest.
    /// `0` shows every finding. The exit code counts every finding either way.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_PER_FILE)]
    pub(crate) max_per_file: usize,
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "off",
        1 => "debug",
        _ => "trace",
    };
    let filter = std::env::var("PALISADE_LOG").unwrap_or_else(|_| default.to_owned());
    let filter = tracing_subscriber::EnvFilter::try_new(&filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // Colour in the log follows the rule of the rest of the output: a terminal, no `NO_COLOR`.
    let ansi = cmd_validate::color_allowed(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let result = match &cli.command {
        Command::Validate(args) => cmd_validate::run(args),
        Command::Build(args) => cmd_build::run(args),
        Command::Explain(args) => cmd_explain::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            say!("palisade: error: {error:#}");
            ExitCode::from(2)
        }
    }
}
