//! Process timing shared by the `validate_kql` and `validate_corpus` benches.

use nix::sys::resource::{Usage, UsageWho, getrusage};
use std::fs::{self, File};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// CPU time (user plus system) and peak RSS in KiB of every waited-for child so far.
pub fn children_usage() -> (Duration, u64) {
    let usage: Usage = getrusage(UsageWho::RUSAGE_CHILDREN).unwrap();
    let time = |tv: nix::sys::time::TimeVal| {
        Duration::from_secs(tv.tv_sec() as u64) + Duration::from_micros(tv.tv_usec() as u64)
    };
    // Linux reports `ru_maxrss` in KiB.
    (time(usage.user_time()) + time(usage.system_time()), usage.max_rss() as u64)
}

pub fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

pub fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// One timed `palisade validate DIR --format json`, stdout to `out`: (wall, CPU, exit code).
pub fn run_palisade(binary: &Path, dir: &Path, out: &Path) -> (Duration, Duration, i32) {
    let (cpu_before, _) = children_usage();
    let stdout = File::create(out).unwrap();
    let start = Instant::now();
    let status = Command::new(binary)
        .args(["validate", "--format", "json"])
        .arg(dir)
        .stdout(stdout)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    let wall = start.elapsed();
    let (cpu_after, _) = children_usage();
    (wall, cpu_after - cpu_before, status.code().unwrap_or(-1))
}
