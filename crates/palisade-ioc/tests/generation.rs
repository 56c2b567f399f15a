//! Query generation across tables, indicator types and match modes, the exclusion checks, and
//! Microsoft's parser accepting every query generated here.

#![allow(clippy::unwrap_used)]

mod common;

use common::seed::{at, exclusion, leaf, seed_exclusions, seed_iocs};
use palisade_diagnostics::{Diagnostic, Severity};
use palisade_ioc::catalog::Catalog;
use palisade_ioc::exclusion::Exclusion;
use palisade_ioc::generate::{Detection, GeneratedQuery, MatchMode, generate};
use palisade_ioc::{Indicator, IocSet, Located, Provenance, codes};

const SPEC_ID: &str = "unknown-rat-c2";

fn iocs(entries: &[(&str, &str)]) -> IocSet {
    let mut diags = Vec::new();
    let indicators = entries
        .iter()
        .enumerate()
        .map(|(idx, (kind, value))| {
            let start = 1000 + 10 * idx as u32;
            Indicator::parse(kind, at(0, start), value, at(0, start + 1), &mut diags).unwrap()
        })
        .collect();
    let set = IocSet::new(Provenance::default(), indicators, &mut diags);
    assert!(diags.iter().all(|d| d.severity != Severity::Error), "{diags:?}");
    set
}

struct Run {
    query: Option<GeneratedQuery>,
    diags: Vec<Diagnostic>,
}

impl Run {
    fn query(&self) -> &GeneratedQuery {
        self.query.as_ref().unwrap_or_else(|| panic!("no query: {:?}", self.diags))
    }

    fn codes(&self) -> Vec<&'static str> {
        self.diags.iter().map(|d| d.code.as_str()).collect()
    }
}

fn generate_for(set: &IocSet, table: &str, mode: MatchMode, exclusions: &[Exclusion]) -> Run {
    let mut detection = Detection::new(SPEC_ID, "Test detection", set);
    detection.match_mode = mode;
    detection.exclusions = exclusions.iter().collect();
    let mut diags = Vec::new();
    let query = generate(
        Catalog::builtin(),
        &detection,
        &Located::new(table.to_string(), at(0, 900)),
        &mut diags,
    );
    Run { query, diags }
}

fn seed_run(table: &str, mode: MatchMode, with_exclusions: bool) -> Run {
    let set = seed_iocs(&mut Vec::new());
    let exclusions = if with_exclusions { seed_exclusions() } else { Vec::new() };
    generate_for(&set, table, mode, &exclusions)
}

fn escaping_exclusion() -> Exclusion {
    exclusion(
        7,
        "quoted-names",
        "Names with quotes",
        leaf(7, "process_name", &[QUOTED, APOSTROPHE, BACKSLASHED]),
    )
}

const QUOTED: &str = r#"a"b.exe"#;
const APOSTROPHE: &str = "it's.exe";
const BACKSLASHED: &str = r"C:\Tools\x.exe";
const URL_WITH_QUOTE: &str = "http://evil.example/it's";

/// Every scenario below, for the parser test.
fn all_queries() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |name: &str, run: Run| out.push((name.to_string(), run.query().query.clone()));
    for table in ["CommonSecurityLog", "DeviceNetworkEvents"] {
        for mode in [MatchMode::Address, MatchMode::AddressPort] {
            for with in [false, true] {
                push(
                    &format!("seed {table} {mode:?} exclusions={with}"),
                    seed_run(table, mode, with),
                );
            }
        }
    }
    let mixed = mixed_addresses();
    for table in ["CommonSecurityLog", "DeviceNetworkEvents", "DeviceFileEvents", "EmailEvents"] {
        for mode in [MatchMode::Address, MatchMode::AddressPort] {
            push(
                &format!("mixed {table} {mode:?}"),
                generate_for(&mixed, table, mode, &seed_exclusions()),
            );
        }
    }
    let hashes = hashes();
    for table in ["DeviceProcessEvents", "DeviceFileEvents", "DeviceNetworkEvents"] {
        push(
            &format!("hashes {table}"),
            generate_for(&hashes, table, MatchMode::Address, &seed_exclusions()),
        );
    }
    let seed = seed_iocs(&mut Vec::new());
    push(
        "seed DeviceFileEvents pairs",
        generate_for(&seed, "DeviceFileEvents", MatchMode::AddressPort, &[]),
    );
    let inside = iocs(&[("ip", "172.16.0.1")]);
    push(
        "indicator inside an exclusion",
        generate_for(&inside, "CommonSecurityLog", MatchMode::Address, &seed_exclusions()),
    );
    let https = vec![exclusion(10, "https-proxy", "Proxy", leaf(10, "destination_port", &["443"]))];
    let pair = iocs(&[("ip:port", "194.26.192.187:443")]);
    push(
        "port exclusion",
        generate_for(&pair, "CommonSecurityLog", MatchMode::AddressPort, &https),
    );
    let wide = iocs(&[("cidr", "172.0.0.0/8")]);
    push(
        "wide range",
        generate_for(&wide, "CommonSecurityLog", MatchMode::Address, &seed_exclusions()),
    );
    let local = vec![
        exclusion(
            11,
            "all-local",
            "Every managed device",
            leaf(11, "local_address", &["10.0.0.0/8", "fc00::/7"]),
        ),
        exclusion(
            12,
            "negated",
            "Not the lab",
            palisade_ioc::exclusion::Condition::not(
                leaf(12, "local_address", &["192.168.0.0/16"]),
                at(12, 0),
            ),
        ),
    ];
    push(
        "local exclusions",
        generate_for(&seed, "DeviceNetworkEvents", MatchMode::AddressPort, &local),
    );
    let sinkhole =
        vec![exclusion(14, "sinkhole", "Sinkholed domain", leaf(14, "domain", &["Evil.Example"]))];
    let domain = iocs(&[("domain", "evil.example"), ("domain", "other.example")]);
    push("domain exclusion", generate_for(&domain, "DnsEvents", MatchMode::Address, &sinkhole));
    push(
        "domains",
        generate_for(&iocs(&[("domain", "evil[.]example")]), "DnsEvents", MatchMode::Address, &[]),
    );
    push(
        "emails",
        generate_for(
            &iocs(&[("email", "ops[@]evil[.]example"), ("domain", "evil.example")]),
            "EmailEvents",
            MatchMode::Address,
            &[],
        ),
    );
    let sender = vec![
        exclusion(
            15,
            "relay",
            "Own relays",
            leaf(15, "source_address", &["192.0.2.0/24", "2001:db8::/32"]),
        ),
        exclusion(
            16,
            "not-relay",
            "Outside the relays",
            palisade_ioc::exclusion::Condition::not(
                leaf(16, "source_address", &["192.0.2.0/24", "2001:db8::/32"]),
                at(16, 0),
            ),
        ),
    ];
    push(
        "split address columns",
        generate_for(&mixed_addresses(), "EmailEvents", MatchMode::AddressPort, &sender),
    );
    push(
        "quotes",
        generate_for(
            &iocs(&[("url", URL_WITH_QUOTE)]),
            "DeviceFileEvents",
            MatchMode::Address,
            &[escaping_exclusion()],
        ),
    );
    out
}

fn mixed_addresses() -> IocSet {
    iocs(&[
        ("ip:port", "172.245.95.9:7601"),
        ("ip:port", "[2001:db8::1]:443"),
        ("ip", "2001:DB8:0:0::2"),
        ("ip", "203.0.113.7"),
        ("cidr", "198.51.100.0/24"),
        ("cidr", "2001:db8:ff::/48"),
    ])
}

fn hashes() -> IocSet {
    iocs(&[
        ("md5", "44D88612FEA8A8F36DE82E1278ABB02F"),
        ("sha1", "3395856ce81f2b7382dee72602f798b642f14140"),
        ("hash", "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"),
    ])
}

#[test]
fn address_port_matches_pairs_on_the_same_side() {
    let run = seed_run("CommonSecurityLog", MatchMode::AddressPort, false);
    assert!(run.diags.is_empty(), "{:?}", run.diags);
    let query = &run.query().query;
    assert!(query.contains(
        r#"let malicious_ipv4_endpoints = dynamic(["172.245.95.9:7601", "194.26.192.187:443"]);"#
    ));
    assert!(query.contains(
        r#"strcat(DestinationIP, ":", tostring(DestinationPort)) in (malicious_ipv4_endpoints)"#
    ));
    assert!(
        query.contains(
            r#"strcat(SourceIP, ":", tostring(SourcePort)) in (malicious_ipv4_endpoints)"#
        )
    );
    assert!(!query.contains("malicious_ipv4 ="), "no independent address list");
    assert!(!query.contains("DestinationIP, \":\", tostring(SourcePort)"), "never crosses sides");
    insta::assert_snapshot!(query);

    let dne = seed_run("DeviceNetworkEvents", MatchMode::AddressPort, false);
    assert!(
        dne.query().query.contains(
            r#"strcat(RemoteIP, ":", tostring(RemotePort)) in (malicious_ipv4_endpoints)"#
        )
    );
}

#[test]
fn address_port_on_a_side_without_port_matches_the_address_with_a_warning() {
    let run =
        generate_for(&seed_iocs(&mut Vec::new()), "DeviceFileEvents", MatchMode::AddressPort, &[]);
    assert_eq!(run.codes(), ["IOC019"]);
    let query = &run.query().query;
    assert!(
        query.contains(
            r#"let malicious_endpoint_ipv4 = dynamic(["172.245.95.9", "194.26.192.187"]);"#
        )
    );
    assert!(query.contains("FileOriginIP in (malicious_endpoint_ipv4)"));
}

#[test]
fn ranges_and_ipv6_use_the_ip_functions_never_string_matching() {
    let set = mixed_addresses();
    let run = generate_for(&set, "CommonSecurityLog", MatchMode::Address, &[]);
    assert!(run.diags.is_empty(), "{:?}", run.diags);
    let query = &run.query().query;
    assert!(query.contains(r#"let malicious_ipv4 = dynamic(["172.245.95.9", "203.0.113.7"]);"#));
    assert!(query.contains(r#"let malicious_ipv4_ranges = dynamic(["198.51.100.0/24"]);"#));
    assert!(query.contains(r#"let malicious_ipv6 = dynamic(["2001:db8::1/128", "2001:db8::2/128", "2001:db8:ff::/48"]);"#));
    assert!(query.contains("ipv4_is_in_any_range(DestinationIP, malicious_ipv4_ranges)"));
    assert!(query.contains("ipv6_is_in_any_range(SourceIP, malicious_ipv6)"));
    for forbidden in [" has ", "startswith", "matches regex", "contains", "hasprefix"] {
        assert!(!query.contains(forbidden), "`{forbidden}` in {query}");
    }
    insta::assert_snapshot!(query);

    let pairs = run_pairs(&set);
    assert!(
        pairs.contains(
            r#"(ipv6_compare(RemoteIP, "2001:db8::1") == 0 and toint(RemotePort) == 443)"#
        ),
        "{pairs}"
    );
}

fn run_pairs(set: &IocSet) -> String {
    generate_for(set, "DeviceNetworkEvents", MatchMode::AddressPort, &[]).query().query.clone()
}

#[test]
fn hashes_match_case_insensitively_with_file_hash_entities() {
    let run = generate_for(&hashes(), "DeviceProcessEvents", MatchMode::Address, &[]);
    assert!(run.diags.is_empty(), "{:?}", run.diags);
    let generated = run.query();
    let query = &generated.query;
    assert!(
        query.contains(r#"let malicious_md5 = dynamic(["44d88612fea8a8f36de82e1278abb02f"]);"#)
    );
    assert!(query.contains(
        "MD5 in~ (malicious_md5) or SHA1 in~ (malicious_sha1) or SHA256 in~ (malicious_sha256)"
    ));
    assert!(query.contains(r#"MatchedHashAlgorithm = case(MD5 in~ (malicious_md5), "MD5", SHA1 in~ (malicious_sha1), "SHA1", SHA256 in~ (malicious_sha256), "SHA256", "")"#));
    let types: Vec<&str> =
        generated.entity_mappings.iter().map(|e| e.entity_type.as_str()).collect();
    assert_eq!(types, ["Host", "Account", "Process", "FileHash"]);
    insta::assert_snapshot!(query);
}

#[test]
fn domains_urls_and_emails_match_whole_values() {
    let dns =
        generate_for(&iocs(&[("domain", "Evil[.]Example")]), "DnsEvents", MatchMode::Address, &[]);
    let query = &dns.query().query;
    assert!(query.contains(r#"let malicious_domains = dynamic(["evil.example"]);"#));
    assert!(query.contains("| where Name in~ (malicious_domains)"));
    let types: Vec<&str> =
        dns.query().entity_mappings.iter().map(|e| e.entity_type.as_str()).collect();
    assert_eq!(types, ["DNS", "IP", "Host"]);

    let mail = generate_for(
        &iocs(&[("email", "ops@evil.example")]),
        "EmailEvents",
        MatchMode::Address,
        &[],
    );
    assert!(mail.query().query.contains(
        "SenderFromAddress in~ (malicious_emails) or SenderMailFromAddress in~ (malicious_emails)"
    ));
}

#[test]
fn indicator_types_a_table_cannot_match_are_warned_about_or_fatal() {
    let set = iocs(&[
        ("ip", "203.0.113.7"),
        ("sha256", "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"),
    ]);
    let partial = generate_for(&set, "CommonSecurityLog", MatchMode::Address, &[]);
    assert_eq!(partial.codes(), ["IOC016"]);
    assert_eq!(
        partial.diags[0].message,
        "`sha256` indicators cannot be matched in `CommonSecurityLog`"
    );
    assert!(!partial.query().query.contains("sha256"));

    let only_hashes = generate_for(&hashes(), "CommonSecurityLog", MatchMode::Address, &[]);
    assert!(only_hashes.query.is_none());
    assert_eq!(only_hashes.codes(), ["IOC016", "IOC016", "IOC016", "IOC017"]);

    let unknown = generate_for(&set, "commonsecuritylog", MatchMode::Address, &[]);
    assert!(unknown.query.is_none());
    assert_eq!(unknown.codes(), ["IOC018"]);
    assert_eq!(
        unknown.diags[0].help.as_deref(),
        Some("table names are case-sensitive: did you mean `CommonSecurityLog`?")
    );
}

#[test]
fn an_exclusion_covering_an_indicator_is_warned_about_with_exact_cidr_math() {
    let internal = &seed_exclusions()[..1];
    for (address, inside) in [
        ("172.245.95.9", false),
        ("172.32.0.1", false),
        ("172.160.0.1", false),
        ("172.222.171.197", false),
        ("172.16.0.1", true),
        ("172.16.5.4", true),
    ] {
        let run = generate_for(
            &iocs(&[("ip", address)]),
            "CommonSecurityLog",
            MatchMode::Address,
            internal,
        );
        let suppressed: Vec<&Diagnostic> =
            run.diags.iter().filter(|d| d.code == codes::EXC005_SUPPRESSES_INDICATOR).collect();
        assert_eq!(suppressed.len(), usize::from(inside), "{address}: {:?}", run.diags);
        if inside {
            assert_eq!(
                suppressed[0].message,
                format!(
                    "Exclusion `scheduled-maintenance-internal-repository` would suppress indicator `{address}` on `CommonSecurityLog`"
                )
            );
            assert_eq!(
                suppressed[0].notes,
                ["every row where `SourceIP` matches this indicator is removed by the exclusion"]
            );
        }
    }

    let partly = exclusion(
        8,
        "forwarder-subnet",
        "Forwarders",
        common::seed::leaf(8, "source_address", &["172.16.0.0/12"]),
    );
    let partly = vec![exclusion(
        8,
        "forwarder-subnet-process",
        "Forwarders",
        palisade_ioc::exclusion::Condition::all(
            vec![partly.condition, leaf(8, "process_name", &["splunkd.exe"])],
            at(8, 0),
            &mut Vec::new(),
        )
        .unwrap(),
    )];
    let run = generate_for(
        &iocs(&[("ip", "172.16.0.1")]),
        "CommonSecurityLog",
        MatchMode::Address,
        &partly,
    );
    let notes: Vec<&String> = run
        .diags
        .iter()
        .filter(|d| d.code == codes::EXC005_SUPPRESSES_INDICATOR)
        .flat_map(|d| &d.notes)
        .collect();
    assert_eq!(
        notes,
        [
            "rows where `SourceIP` matches this indicator are removed when the exclusion's other conditions hold or the address lies in the part of the range it covers"
        ]
    );
}

#[test]
fn an_exclusion_of_all_internal_sources_hides_the_detection() {
    let run = seed_run("CommonSecurityLog", MatchMode::Address, true);
    let hides: Vec<&Diagnostic> =
        run.diags.iter().filter(|d| d.code == codes::EXC006_HIDES_DETECTION).collect();
    assert_eq!(hides.len(), 1);
    assert_eq!(
        hides[0].message,
        "Exclusion `scheduled-maintenance-internal-repository` hides every connection from an internal IPv4 host to an indicator in `DestinationIP` on `CommonSecurityLog`"
    );

    let narrow = vec![exclusion(
        9,
        "patch-server",
        "Patch server",
        leaf(9, "source_address", &["10.20.30.40"]),
    )];
    let run =
        generate_for(&seed_iocs(&mut Vec::new()), "CommonSecurityLog", MatchMode::Address, &narrow);
    assert!(run.diags.is_empty(), "one host is not every internal host: {:?}", run.diags);
}

#[test]
fn exclusion_filters_keep_rows_whose_field_is_empty_or_unparsable() {
    let run = seed_run("CommonSecurityLog", MatchMode::Address, true);
    let query = &run.query().query;
    let filters: Vec<&str> = query.lines().filter(|l| l.starts_with("| where not(")).collect();
    assert_eq!(filters.len(), 5);
    for filter in &filters {
        for function in ["ipv4_is_in_any_range(", "ipv6_is_in_any_range("] {
            let wrapped = format!("coalesce({function}");
            assert_eq!(
                filter.matches(function).count(),
                filter.matches(&wrapped).count(),
                "{filter}"
            );
        }
    }
    assert!(filters[0].contains(r#"not(coalesce(ipv4_is_in_any_range(SourceIP, dynamic(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])), false))"#));
}

#[test]
fn entity_mappings_use_only_output_columns() {
    for table in Catalog::builtin().tables() {
        let set = match table.name.as_str() {
            "DnsEvents" => iocs(&[("domain", "evil.example")]),
            "DeviceProcessEvents" | "DeviceFileCertificateInfo" => hashes(),
            _ => mixed_addresses(),
        };
        let run = generate_for(&set, &table.name, MatchMode::Address, &[]);
        let generated = run.query();
        let project = generated.query.lines().find(|l| l.starts_with("| project ")).unwrap();
        for entity in &generated.entity_mappings {
            for mapping in &entity.field_mappings {
                assert!(
                    generated.columns.contains(&mapping.column_name),
                    "{}: {}",
                    table.name,
                    mapping.column_name
                );
                assert!(
                    project.contains(&mapping.column_name),
                    "{}: {}",
                    table.name,
                    mapping.column_name
                );
            }
        }
        assert!(!generated.entity_mappings.is_empty(), "{}", table.name);
    }
}

#[test]
fn a_query_over_the_length_limit_is_an_error() {
    let addresses: Vec<String> =
        (0..800).map(|n| format!("198.18.{}.{}", n / 250, n % 250 + 1)).collect();
    let entries: Vec<(&str, &str)> = addresses.iter().map(|a| ("ip", a.as_str())).collect();
    let run = generate_for(&iocs(&entries), "CommonSecurityLog", MatchMode::Address, &[]);
    assert!(run.query.is_none());
    assert_eq!(run.codes(), ["IOC020"]);
    assert!(
        run.diags[0]
            .message
            .starts_with("The query generated for `Test detection` on `CommonSecurityLog` has 1")
    );
}

/// Decodes a double-quoted KQL string token as the language defines it.
fn decode(token: &str) -> Option<String> {
    let inner = token.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            't' => out.push('\t'),
            'n' => out.push('\n'),
            _ => return None,
        }
    }
    Some(out)
}

#[test]
fn quotes_and_backslashes_come_back_unchanged_from_the_parser() {
    let run = generate_for(
        &iocs(&[("url", URL_WITH_QUOTE)]),
        "DeviceFileEvents",
        MatchMode::Address,
        &[escaping_exclusion()],
    );
    let query = run.query().query.clone();
    let Some(results) = oracle_or_skip(
        "quotes_and_backslashes_come_back_unchanged_from_the_parser",
        std::slice::from_ref(&query),
        true,
    ) else {
        return;
    };
    assert_eq!(results[0].errors(), Vec::<String>::new(), "{query}");
    let decoded: Vec<String> =
        results[0].string_tokens().iter().filter_map(|t| decode(t)).collect();
    for expected in [QUOTED, APOSTROPHE, BACKSLASHED, URL_WITH_QUOTE] {
        assert!(decoded.iter().any(|d| d == expected), "`{expected}` not among {decoded:?}");
    }
}

fn oracle_or_skip(
    test: &str,
    queries: &[String],
    tokens: bool,
) -> Option<Vec<common::OracleResult>> {
    let Some(shared) = common::shared_dir() else {
        common::skip(test, "../shared is not present");
        return None;
    };
    let tables = shared.join("reference/tables");
    let schemas = [tables.join("sentinel_core_tables.json")];
    let results = common::oracle(queries, &schemas, tokens);
    if results.is_none() {
        common::skip(test, "node or the KQL oracle could not run");
    }
    results
}

#[test]
fn every_generated_query_parses_with_the_table_schemas() {
    let queries = all_queries();
    let texts: Vec<String> = queries.iter().map(|(_, q)| q.clone()).collect();
    let Some(results) =
        oracle_or_skip("every_generated_query_parses_with_the_table_schemas", &texts, false)
    else {
        return;
    };
    for ((name, query), result) in queries.iter().zip(&results) {
        assert_eq!(result.errors(), Vec::<String>::new(), "{name}:\n{query}");
    }

    // DeviceFileCertificateInfo is not among the core tables; check it against the full reference.
    let shared = common::shared_dir().unwrap();
    let tables = shared.join("reference/tables");
    let certificate = generate_for(&hashes(), "DeviceFileCertificateInfo", MatchMode::Address, &[])
        .query()
        .query
        .clone();
    let schemas = [tables.join("azure_monitor_tables.json"), tables.join("sentinel_overlay.json")];
    let results = common::oracle(std::slice::from_ref(&certificate), &schemas, false).unwrap();
    assert_eq!(results[0].errors(), Vec::<String>::new(), "{certificate}");
    eprintln!("the KQL oracle accepted {} generated queries", queries.len() + 1);
}

#[test]
fn suppression_checks_respect_the_match_mode_and_partial_ranges() {
    let https = vec![exclusion(10, "https-proxy", "Proxy", leaf(10, "destination_port", &["443"]))];
    let set = iocs(&[("ip:port", "194.26.192.187:443")]);
    let by_address = generate_for(&set, "CommonSecurityLog", MatchMode::Address, &https);
    assert!(
        by_address.diags.is_empty(),
        "matched by address, rows on other ports survive: {:?}",
        by_address.diags
    );
    let by_pair = generate_for(&set, "CommonSecurityLog", MatchMode::AddressPort, &https);
    assert_eq!(by_pair.codes(), ["EXC005"]);
    assert_eq!(
        by_pair.diags[0].notes,
        ["every row where `DestinationIP` matches this indicator is removed by the exclusion"]
    );

    let wide = iocs(&[("cidr", "172.0.0.0/8")]);
    let internal = &seed_exclusions()[..1];
    let run = generate_for(&wide, "CommonSecurityLog", MatchMode::Address, internal);
    let codes = run.codes();
    assert!(codes.contains(&"EXC005"), "172.16.0.0/12 lies inside 172.0.0.0/8: {codes:?}");
}

#[test]
fn ipv6_indicators_inside_an_exclusion_range_are_found_with_exact_prefixes() {
    let ula = vec![exclusion(13, "ula-sources", "ULA", leaf(13, "source_address", &["fd00::/8"]))];
    for (address, inside) in [
        ("fd12:3456::1", true),
        ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true),
        ("fc00::1", false),
        ("fe00::1", false),
        ("2a01:4f8::1", false),
    ] {
        let run =
            generate_for(&iocs(&[("ip", address)]), "CommonSecurityLog", MatchMode::Address, &ula);
        let suppressed =
            run.diags.iter().filter(|d| d.code == codes::EXC005_SUPPRESSES_INDICATOR).count();
        assert_eq!(suppressed, usize::from(inside), "{address}: {:?}", run.diags);
    }
}

#[test]
fn hides_detection_checks_the_local_side_and_each_address_family() {
    let local = vec![exclusion(
        11,
        "all-local",
        "Every managed device",
        leaf(11, "local_address", &["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]),
    )];
    let run = generate_for(
        &seed_iocs(&mut Vec::new()),
        "DeviceNetworkEvents",
        MatchMode::Address,
        &local,
    );
    assert_eq!(run.codes(), ["EXC006"]);
    assert_eq!(
        run.diags[0].message,
        "Exclusion `all-local` hides every connection from an internal IPv4 host to an indicator in `RemoteIP` on `DeviceNetworkEvents`"
    );

    let v6_only = vec![exclusion(12, "ula", "ULA hosts", leaf(12, "local_address", &["fc00::/7"]))];
    let run = generate_for(
        &seed_iocs(&mut Vec::new()),
        "DeviceNetworkEvents",
        MatchMode::Address,
        &v6_only,
    );
    assert_eq!(run.codes(), ["EXC006"]);
    assert!(run.diags[0].message.contains("internal IPv6 host"));

    let half =
        vec![exclusion(13, "half", "Half of 10/8", leaf(13, "local_address", &["10.0.0.0/9"]))];
    let run =
        generate_for(&seed_iocs(&mut Vec::new()), "DeviceNetworkEvents", MatchMode::Address, &half);
    assert!(run.diags.is_empty(), "part of the internal range is not all of it: {:?}", run.diags);
}

#[test]
fn an_all_exclusion_with_a_missing_field_removes_nothing_and_says_so() {
    let admin = &seed_exclusions()[2..3];
    let sha1 = iocs(&[("sha1", "3395856ce81f2b7382dee72602f798b642f14140")]);
    let run = generate_for(&sha1, "DeviceFileCertificateInfo", MatchMode::Address, admin);
    assert_eq!(run.codes(), ["EXC003", "EXC003"]);
    assert_eq!(
        run.diags[0].message,
        "Exclusion `admin-remote-powershell` tests `account`, which `DeviceFileCertificateInfo` does not have"
    );
    assert_eq!(
        run.diags[0].notes,
        [
            "the condition counts as not matching here, so the exclusion removes nothing on this table"
        ]
    );
    assert!(!run.query().query.contains("where not("), "nothing is compiled in");
}

#[test]
fn a_negated_condition_removes_only_rows_whose_field_is_present_and_outside() {
    let negated = vec![exclusion(
        12,
        "negated",
        "Not the lab",
        palisade_ioc::exclusion::Condition::not(
            leaf(12, "local_address", &["192.168.0.0/16"]),
            at(12, 0),
        ),
    )];
    let run = generate_for(
        &seed_iocs(&mut Vec::new()),
        "DeviceNetworkEvents",
        MatchMode::Address,
        &negated,
    );
    let filter =
        run.query().query.lines().find(|l| l.starts_with("| where not(")).unwrap().to_string();
    assert_eq!(
        filter,
        r#"| where not(isnotempty(parse_ipv6(LocalIP)) and not(coalesce(ipv4_is_in_any_range(LocalIP, dynamic(["192.168.0.0/16"])), false)))"#
    );
}

fn exclusion_filter(table: &str, condition: palisade_ioc::exclusion::Condition) -> String {
    let excluded = vec![exclusion(20, "under-test", "Under test", condition)];
    let set = iocs(&[("ip", "8.8.8.8")]);
    let run = generate_for(&set, table, MatchMode::Address, &excluded);
    run.query().query.lines().find(|l| l.starts_with("| where not(")).unwrap().to_string()
}

/// `not` of unknown is unknown: a row whose address does not parse, whose port is no number or
/// whose name is empty is kept under `not`, at any depth of `not`/`any`/`all`.
#[test]
fn not_keeps_rows_whose_field_is_unknown_for_every_field_kind_and_nesting() {
    use palisade_ioc::exclusion::Condition;
    let not = |c: Condition| Condition::not(c, at(20, 0));
    let address = || leaf(20, "source_address", &["10.0.0.0/8"]);
    let port = || leaf(20, "destination_port", &["443"]);
    let name = || leaf(20, "process_name", &["a.exe"]);

    // Removed only when SourceIP parses as an address and lies outside 10.0.0.0/8: `-`,
    // `unknown` or an empty SourceIP are unknown, and not(unknown) keeps the row.
    assert_eq!(
        exclusion_filter("CommonSecurityLog", not(address())),
        r#"| where not(isnotempty(parse_ipv6(SourceIP)) and not(coalesce(ipv4_is_in_any_range(SourceIP, dynamic(["10.0.0.0/8"])), false)))"#
    );
    assert_eq!(
        exclusion_filter("CommonSecurityLog", not(port())),
        r#"| where not(isnotnull(toint(DestinationPort)) and not(coalesce(toint(DestinationPort) in (443), false)))"#
    );
    assert_eq!(
        exclusion_filter("CommonSecurityLog", not(name())),
        r#"| where not(isnotempty(SourceProcessName) and not(SourceProcessName in~ ("a.exe")))"#
    );
    // not(not(x)) is x: removed exactly where x is known true.
    assert_eq!(
        exclusion_filter("CommonSecurityLog", not(not(address()))),
        r#"| where not(coalesce(ipv4_is_in_any_range(SourceIP, dynamic(["10.0.0.0/8"])), false))"#
    );
    // not(any(not(port), all(name, address))) = port and (not name or not address), each
    // negation over known values only.
    let mut diags = Vec::new();
    let inner = Condition::all(vec![name(), address()], at(20, 0), &mut diags).unwrap();
    let any = Condition::any(vec![not(port()), inner], at(20, 0), &mut diags).unwrap();
    assert_eq!(
        exclusion_filter("CommonSecurityLog", not(any)),
        concat!(
            r#"| where not(coalesce(toint(DestinationPort) in (443), false) and "#,
            r#"((isnotempty(SourceProcessName) and not(SourceProcessName in~ ("a.exe"))) or "#,
            r#"(isnotempty(parse_ipv6(SourceIP)) and not(coalesce(ipv4_is_in_any_range(SourceIP, dynamic(["10.0.0.0/8"])), false)))))"#
        )
    );
    // A field split by family: known false needs one address that parses, no column holding
    // text that is not an address of its family, and no match.
    let both = leaf(20, "source_address", &["10.0.0.0/8", "2001:db8::/32"]);
    assert_eq!(
        exclusion_filter("EmailEvents", not(both)),
        concat!(
            r#"| where not((isnotnull(parse_ipv4(SenderIPv4)) or isnotempty(parse_ipv6(SenderIPv6))) and "#,
            r#"(isempty(SenderIPv4) or isnotnull(parse_ipv4(SenderIPv4))) and "#,
            r#"(isempty(SenderIPv6) or isnotempty(parse_ipv6(SenderIPv6))) and "#,
            r#"not(coalesce(ipv4_is_in_any_range(SenderIPv4, dynamic(["10.0.0.0/8"])), false) or "#,
            r#"coalesce(ipv6_is_in_any_range(SenderIPv6, dynamic(["2001:db8::/32"])), false)))"#
        )
    );
    assert!(diags.is_empty());
}

/// The argument of each call of `function` in `query`, up to its first `,` or `)`.
fn first_arguments<'a>(query: &'a str, function: &str) -> Vec<&'a str> {
    query
        .match_indices(function)
        .map(|(at, _)| {
            let rest = &query[at + function.len()..];
            rest[..rest.find([',', ')']).unwrap_or(rest.len())].trim()
        })
        .collect()
}

/// No table's query tests an IPv6 address on a column whose name says IPv4, or the reverse,
/// for indicators of every address shape in both match modes and for exclusions on every
/// address field the table maps.
#[test]
fn ipv6_is_never_matched_over_a_column_whose_name_says_ipv4() {
    use palisade_ioc::exclusion::Condition;
    let catalog = Catalog::builtin();
    let set = iocs(&[
        ("ip", "2607:f8b0:4004:800::200e"),
        ("cidr", "2001:db8:ff::/48"),
        ("ip:port", "[2001:db8::1]:443"),
        ("ip", "203.0.113.7"),
        ("cidr", "198.51.100.0/24"),
        ("ip:port", "172.245.95.9:7601"),
    ]);
    let mut checked = 0;
    for table in catalog.tables() {
        let address_fields: Vec<&str> = table
            .columns
            .keys()
            .filter(|f| catalog.field(f).unwrap().kind == palisade_ioc::catalog::FieldKind::Address)
            .map(String::as_str)
            .collect();
        let exclusions: Vec<Exclusion> = address_fields
            .iter()
            .enumerate()
            .map(|(idx, field)| {
                let ranges = leaf(30, field, &["10.0.0.0/8", "fd00::/8"]);
                let condition =
                    if idx % 2 == 0 { ranges } else { Condition::not(ranges, at(30, 0)) };
                exclusion(30 + idx as u32, &format!("exclusion-{idx}"), "Ranges", condition)
            })
            .collect();
        for mode in [MatchMode::Address, MatchMode::AddressPort] {
            let run = generate_for(&set, &table.name, mode, &exclusions);
            let Some(query) = &run.query else { continue };
            let query = &query.query;
            for function in ["ipv6_is_in_any_range(", "ipv6_compare(", "parse_ipv6("] {
                for column in first_arguments(query, function) {
                    assert!(
                        !column.to_ascii_lowercase().contains("ipv4"),
                        "{}: IPv6 test `{function}{column}` over an IPv4 column:\n{query}",
                        table.name
                    );
                    checked += 1;
                }
            }
            for function in ["ipv4_is_in_any_range(", "parse_ipv4("] {
                for column in first_arguments(query, function) {
                    assert!(
                        !column.to_ascii_lowercase().contains("ipv6"),
                        "{}: IPv4 test `{function}{column}` over an IPv6 column:\n{query}",
                        table.name
                    );
                    checked += 1;
                }
            }
            for line in query.lines() {
                for (at, _) in line.match_indices(" in (malicious_ipv4") {
                    let column = line[..at].rsplit(['(', ' ']).next().unwrap();
                    assert!(!column.to_ascii_lowercase().contains("ipv6"), "{line}");
                }
            }
        }
    }
    assert!(checked > 50, "checked only {checked} address tests");

    let email = generate_for(&set, "EmailEvents", MatchMode::Address, &[]);
    let query = &email.query().query;
    assert!(query.contains("ipv6_is_in_any_range(SenderIPv6, malicious_ipv6)"), "{query}");
    assert!(query.contains("SenderIPv4 in (malicious_ipv4)"), "{query}");
    assert!(!email.codes().contains(&"IOC016"), "{:?}", email.diags);
    assert!(
        query.contains("MatchedAddress = case((SenderIPv4 in (malicious_ipv4) or ipv4_is_in_any_range(SenderIPv4, malicious_ipv4_ranges)), SenderIPv4, ipv6_is_in_any_range(SenderIPv6, malicious_ipv6), SenderIPv6, \"\")"),
        "{query}"
    );
}

/// A table whose address field has an IPv4 column only cannot match IPv6 indicators there:
/// IOC016 says so, and the IPv4 indicators are still matched.
#[test]
fn ipv6_indicators_on_a_table_without_an_ipv6_column_are_ioc016() {
    let catalog = Catalog::from_json(
        r#"{"fields": {"time": {"kind": "time", "description": ""},
                       "source_address": {"kind": "address", "description": ""}},
            "tables": {"MailV4": {"description": "", "columns": {"time": "TimeGenerated",
                       "source_address": {"ipv4": "SenderIPv4"}},
                       "match": {"address": [{"field": "source_address"}]},
                       "project": ["TimeGenerated", "SenderIPv4"], "entities": []}}}"#,
    )
    .unwrap();
    let set =
        iocs(&[("ip", "2607:f8b0:4004:800::200e"), ("cidr", "2001:db8::/32"), ("ip", "192.0.2.1")]);
    let detection = Detection::new(SPEC_ID, "Test detection", &set);
    let mut diags = Vec::new();
    let query =
        generate(&catalog, &detection, &Located::new("MailV4".to_string(), at(0, 900)), &mut diags)
            .unwrap();
    let ioc016: Vec<&Diagnostic> =
        diags.iter().filter(|d| d.code == codes::IOC016_TYPE_NOT_MATCHABLE).collect();
    assert_eq!(
        ioc016.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(),
        [
            "IPv6 `ip` indicators cannot be matched in `MailV4`",
            "IPv6 `cidr` indicators cannot be matched in `MailV4`"
        ]
    );
    assert_eq!(
        ioc016[0].notes,
        ["the field catalog maps no IPv6 column for the address fields `MailV4` is matched on"]
    );
    assert!(query.query.contains("SenderIPv4 in (malicious_ipv4)"), "{}", query.query);
    assert!(!query.query.contains("ipv6"), "{}", query.query);

    let only_v6 = iocs(&[("ip", "2607:f8b0:4004:800::200e")]);
    let detection = Detection::new(SPEC_ID, "Test detection", &only_v6);
    let mut diags = Vec::new();
    let none =
        generate(&catalog, &detection, &Located::new("MailV4".to_string(), at(0, 900)), &mut diags);
    assert!(none.is_none());
    assert_eq!(diags.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["IOC016", "IOC017"]);
}

#[test]
fn name_exclusions_covering_an_indicator_are_warned_about() {
    let sinkhole =
        vec![exclusion(14, "sinkhole", "Sinkholed domain", leaf(14, "domain", &["Evil.Example"]))];
    let run = generate_for(
        &iocs(&[("domain", "evil.example")]),
        "DnsEvents",
        MatchMode::Address,
        &sinkhole,
    );
    assert_eq!(run.codes(), ["EXC005"]);
    assert_eq!(
        run.diags[0].message,
        "Exclusion `sinkhole` would suppress indicator `evil.example` on `DnsEvents`"
    );
    let other = generate_for(
        &iocs(&[("domain", "other.example")]),
        "DnsEvents",
        MatchMode::Address,
        &sinkhole,
    );
    assert!(other.diags.is_empty(), "{:?}", other.diags);
}

#[test]
fn hand_built_values_with_control_characters_are_errors_not_panics() {
    use palisade_ioc::IndicatorValue;
    use palisade_ioc::exclusion::{Condition, Leaf, Values};

    let mut set = iocs(&[("url", "http://evil.example/a")]);
    let mut broken = set.indicators[0].clone();
    broken.value = IndicatorValue::Url("http://evil.example/\r".into());
    set.indicators.push(broken);
    let run = generate_for(&set, "DeviceFileEvents", MatchMode::Address, &[]);
    assert_eq!(run.codes(), ["IOC022"]);
    assert!(!run.query().query.contains("\r"));

    let Condition::Leaf(good) = leaf(15, "process_name", &["a.exe"]) else { unreachable!() };
    let bad =
        Leaf { values: Values::Names(vec![Located::new("a\rb".to_string(), at(15, 1))]), ..good };
    let broken = vec![exclusion(15, "broken", "Broken", Condition::Leaf(bad))];
    let run = generate_for(
        &seed_iocs(&mut Vec::new()),
        "DeviceNetworkEvents",
        MatchMode::Address,
        &broken,
    );
    assert_eq!(run.codes(), ["EXC013"]);
    assert!(!run.query().query.contains("where not("));
}

/// With indicators of several kinds, a row may have matched only one of them; each
/// `Matched*` column (and the entity mapped from it) must then be empty unless its own test
/// held, or an alert raised by the address would carry the row's benign URL as a URL entity.
#[test]
fn matched_columns_are_conditional_when_several_kinds_are_matched() {
    let set = iocs(&[("ip", "9.9.9.9"), ("url", "http://a.example/x")]);
    let run = generate_for(&set, "DeviceNetworkEvents", MatchMode::Address, &[]);
    let query = &run.query().query;
    assert!(
        query.contains(r#"MatchedUrl = case(RemoteUrl in~ (malicious_urls), RemoteUrl, "")"#),
        "{query}"
    );
    assert!(
        query.contains(r#"MatchedAddress = case(RemoteIP in (malicious_ipv4), RemoteIP, "")"#),
        "{query}"
    );

    let only_addresses =
        generate_for(&iocs(&[("ip", "9.9.9.9")]), "DeviceNetworkEvents", MatchMode::Address, &[]);
    assert!(only_addresses.query().query.contains("MatchedAddress = RemoteIP"));
}
