//! `palisade explain CODE`: the documentation page of a diagnostic code, looked up by code or
//! by name; an unknown code is answered with the code families and the nearest codes.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use palisade_validator::registry::{self, CodeInfo};

use crate::ExplainArgs;

/// Prints the page of `args.code`: exit 0, or 2 (an error) when no code or name matches.
///
/// # Errors
///
/// When the code is unknown (the message lists the families and the nearest codes), or
/// stdout fails.
pub(crate) fn run(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let wanted = args.code.trim();
    let found = registry::lookup(wanted)
        .or_else(|| registry::all().find(|info| info.name.eq_ignore_ascii_case(wanted)));
    let Some(info) = found else {
        anyhow::bail!("{}", unknown(wanted));
    };
    let page = format!(
        "{} {} ({})\n{}\n\n{}",
        info.code, info.name, info.severity, info.summary, info.docs
    );
    let mut out = std::io::stdout().lock();
    match out.write_all(page.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // `palisade explain X | head` closes the pipe early; that is not an error.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(error) => Err(error).context("printing the documentation"),
    }
}

/// The message for a code that is not registered: the nearest codes or names when some are
/// close, then the families with their ranges.
fn unknown(wanted: &str) -> String {
    let shown = crate::escape::user_text(wanted);
    let mut message = format!("no documentation for code `{shown}`");
    let nearest = nearest(wanted);
    if !nearest.is_empty() {
        let quoted: Vec<String> = nearest.iter().map(|name| format!("`{name}`")).collect();
        message.push_str(&format!("; did you mean {}?", or_list(&quoted)));
    }
    message.push_str(&format!("; codes are {}", families()));
    message
}

/// `SPEC001-SPEC143, KQL001-KQL114, ...`: each family's lowest and highest code, in the order
/// of the registry.
fn families() -> String {
    let mut order: Vec<&str> = Vec::new();
    let mut ranges: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for info in registry::all() {
        let code = info.code.as_str();
        let family = info.code.family();
        let range = ranges.entry(family).or_insert_with(|| {
            order.push(family);
            (code, code)
        });
        range.0 = range.0.min(code);
        range.1 = range.1.max(code);
    }
    let parts: Vec<String> = order
        .iter()
        .map(|family| {
            let (low, high) = ranges[family];
            format!("{low}-{high}")
        })
        .collect();
    parts.join(", ")
}

/// The code `wanted` names when its number is written with other zero padding (`SPEC14`,
/// `spec0014`), or else up to three registered codes (or names, when `wanted` looks like a
/// name) at the smallest edit distance from `wanted`, when that distance is at most two.
fn nearest(wanted: &str) -> Vec<&'static str> {
    const MAX_DISTANCE: usize = 2;
    if let Some(code) = padded(wanted) {
        return vec![code];
    }
    let upper = wanted.to_ascii_uppercase();
    let lower = wanted.to_ascii_lowercase();
    let by_name = wanted.contains('-') || wanted.chars().any(|c| c.is_ascii_lowercase());
    let key = |info: &'static CodeInfo| -> (&'static str, usize) {
        let code = info.code.as_str();
        let by_code = strsim::damerau_levenshtein(&upper, code);
        let named =
            if by_name { strsim::damerau_levenshtein(&lower, info.name) } else { usize::MAX };
        if named < by_code { (info.name, named) } else { (code, by_code) }
    };
    let scored: Vec<(&str, usize)> = registry::all().map(key).collect();
    let Some(best) = scored.iter().map(|(_, distance)| *distance).min() else {
        return Vec::new();
    };
    if best > MAX_DISTANCE {
        return Vec::new();
    }
    scored
        .into_iter()
        .filter(|(_, distance)| *distance == best)
        .map(|(name, _)| name)
        .take(3)
        .collect()
}

/// The registered code with the family and number of `wanted` (letters, then digits).
fn padded(wanted: &str) -> Option<&'static str> {
    let digits_at = wanted.find(|c: char| c.is_ascii_digit())?;
    let (family, number) = wanted.split_at(digits_at);
    let number: u32 = number.parse().ok()?;
    let code = format!("{}{number:03}", family.to_ascii_uppercase());
    registry::lookup(&code).map(|info| info.code.as_str())
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_name_the_families_and_the_nearest_codes() {
        let message = unknown("FOO999");
        assert!(message.starts_with("no documentation for code `FOO999`; codes are SPEC001-"));
        for family in ["SPEC001-", "KQL001-", "IOC001-", "EXC001-", "EMIT001-"] {
            assert!(message.contains(family), "{message}");
        }
        assert!(!message.contains("did you mean"), "{message}");

        assert_eq!(nearest("SPEC14"), ["SPEC014"]);
        assert_eq!(nearest("spec0014"), ["SPEC014"]);
        assert_eq!(nearest("SPCE014"), ["SPEC014"]);
        // One edit from SPEC140 to SPEC143: the first three in registry order.
        assert_eq!(nearest("SPEC14X"), ["SPEC140", "SPEC141", "SPEC142"]);
        assert_eq!(nearest("unknown-kee"), ["unknown-key"]);
        assert!(unknown("SPC014").contains("did you mean `SPEC014`?"), "{}", unknown("SPC014"));
    }
}
