//! The run-wide indicator checks (`IOC030`, `IOC031`, `IOC032`) through `palisade validate`,
//! with `--as-of` and `--ioc-max-age`, give exactly the JSON output recorded in
//! `tests/hygiene_output/expected/` from the CLI's own implementation, before the checks moved
//! into `palisade_validator::check_indicators`.

#![allow(clippy::unwrap_used)]

use std::path::Path;

mod common;
use common::{palisade, stdout, write};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hygiene_output");

/// The flags of each recorded run; the expected file is named after them.
const RUNS: &[&[&str]] = &[
    &["--as-of", "2026-12-04"],
    &["--as-of", "2026-12-04", "--ioc-max-age", "12w"],
    &["--as-of", "2027-06-01", "--ioc-max-age", "off"],
    &["--as-of", "2026-03-01", "--ioc-max-age", "30"],
];

#[test]
fn run_wide_indicator_findings_are_byte_identical_to_the_recorded_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let detections = Path::new(FIXTURE).join("detections");
    for entry in std::fs::read_dir(&detections).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        write(dir.path(), &format!("detections/{name}"), &std::fs::read_to_string(&path).unwrap());
    }

    for flags in RUNS {
        let name = flags.join("_").replace("--", "");
        let expected =
            std::fs::read_to_string(Path::new(FIXTURE).join(format!("expected/{name}.json")))
                .unwrap();
        let mut args = vec!["validate", "--format", "json"];
        args.extend_from_slice(flags);
        let output = palisade(dir.path(), &args);
        assert_eq!(output.status.code(), Some(0), "{name}");
        assert_eq!(stdout(&output), expected, "{name}: output differs from expected/{name}.json");
    }
}
