//! Helpers shared by the CLI tests: run the built binary in a folder, write files, read output.

// Each test binary uses only some of these.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `palisade` with `args` in `dir`, without colour or logging.
pub fn palisade(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("PALISADE_LOG")
        .output()
        .unwrap()
}

/// Writes `text` to `dir/path`, creating folders as needed.
pub fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The run's standard output; it must be UTF-8.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The run's standard error, lossily decoded.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
