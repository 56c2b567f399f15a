//! The `palisade` binary: argument parsing, file discovery, logging and exit codes.
//!
//! Each subcommand lives in its own module (`cmd_validate`, `cmd_build`); this file only
//! parses arguments, installs logging and turns the outcome into an exit code:
//! 0 when nothing is at or above `--fail-on`, 1 when something is, 2 when we could not run.

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
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Source snippets for people.
    Human,
    /// One JSON document with a `diagnostics` array.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

#[derive(Debug, clap::Args)]
struct ValidateArgs {
    /// Files or folders to check; folders are walked recursively.
    /// Default: `detections/` and `exclusions/` of the current repository.
    paths: Vec<PathBuf>,

    /// Output format for diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, clap::Args)]
struct BuildArgs {
    /// Files or folders to compile; folders are walked recursively.
    /// Default: `detections/` and `exclusions/` of the current repository.
    paths: Vec<PathBuf>,

    /// Output folder; replaced only when the whole build succeeds.
    #[arg(long, default_value = "dist")]
    out: PathBuf,

    /// Build every valid spec and report the rest, instead of stopping at the first error.
    #[arg(long)]
    keep_going: bool,

    /// Output format for diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = cli.verbose;
    match cli.command {
        Command::Validate(_) | Command::Build(_) => {
            eprintln!("palisade: not wired yet");
            ExitCode::from(2)
        }
    }
}
