//! Times `palisade_validator::check_file` on specs whose query is one long chain of terms, to
//! show that validation grows linearly with the query: `cargo run --release -p
//! palisade-validator --example scaling`.

use std::time::Instant;

use palisade_diagnostics::SourceFiles;

fn spec(query: &str) -> String {
    let mut text = String::from(
        "id: 7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d\nname: Long query\ndescription: 'A long query.'\n\
         severity: Medium\nqueryFrequency: 1h\nqueryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\n\
         tactics:\n  - Execution\nrelevantTechniques:\n  - T1059\n\
         entityMappings:\n  - entityType: Account\n    fieldMappings:\n      - identifier: FullName\n        columnName: UserPrincipalName\n\
         query: |\n",
    );
    for line in query.lines() {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
    text
}

fn or_chain(terms: usize) -> String {
    let parts: Vec<String> =
        (0..terms).map(|i| format!("UserPrincipalName == \"user{i}@contoso.com\"")).collect();
    format!("SigninLogs\n| where {}", parts.join(" or "))
}

fn plus_chain(terms: usize) -> String {
    format!("T | where {}>0", vec!["1"; terms].join("+"))
}

fn time(label: &str, query: &str) {
    let text = spec(query);
    let mut files = SourceFiles::default();
    let start = Instant::now();
    let (_, result) = palisade_validator::check_file(&mut files, "rule.yaml", text.as_bytes());
    let elapsed = start.elapsed();
    println!(
        "{label:>22}: {:>8} bytes, {:>9.3} s, {} findings",
        text.len(),
        elapsed.as_secs_f64(),
        result.diagnostics.len()
    );
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let or_sizes = if args.is_empty() { vec![4_000, 8_000, 16_000] } else { args.clone() };
    for n in or_sizes {
        time(&format!("{n} `or` terms"), &or_chain(n));
    }
    let plus_sizes = if args.is_empty() { vec![4_000, 16_000, 450_000] } else { args };
    for n in plus_sizes {
        time(&format!("{n} `+` terms"), &plus_chain(n));
    }
}
