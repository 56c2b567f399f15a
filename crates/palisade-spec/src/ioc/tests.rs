//! IOC fields and exclusion files read through YAML, with the spans their diagnostics point at.

use std::net::IpAddr;

use palisade_diagnostics::{Diagnostic, FileId, Severity, SourceFile};
use palisade_ioc::codes as ioc_codes;
use palisade_ioc::exclusion::{Condition, Values};
use palisade_ioc::{HashAlgorithm, IndicatorValue};

use super::*;
use crate::yaml;

fn parse(text: &str) -> Node {
    let parsed = yaml::parse(FileId(0), text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    parsed.root.unwrap()
}

fn spec(text: &str) -> (Option<IocSpec>, Vec<Diagnostic>) {
    let root = parse(text);
    let mut diags = Vec::new();
    let spec = load_ioc_spec(&root, &mut diags);
    (spec, diags)
}

/// A spec with one indicator of `type_text` and `value` (written as YAML, quoted or not).
fn one(type_text: &str, value: &str) -> (Option<IocSpec>, Vec<Diagnostic>) {
    spec(&format!(
        "iocs:\n  indicators:\n    - type: {type_text}\n      value: {value}\ntargets: [DeviceNetworkEvents]\n"
    ))
}

fn only_value(type_text: &str, value: &str) -> IndicatorValue {
    let (spec, diags) = one(type_text, value);
    assert!(diags.is_empty(), "{value}: {diags:?}");
    let spec = spec.unwrap();
    assert_eq!(spec.iocs.indicators.len(), 1);
    spec.iocs.indicators[0].value.clone()
}

/// The 1-based line of a diagnostic's primary span.
fn line(text: &str, diag: &Diagnostic) -> u32 {
    SourceFile::new("spec.yaml", text).line_col(diag.primary.span.start).line
}

#[test]
fn the_seed_indicators_load_with_all_attributes() {
    let text = "\
iocs:
  source: ThreatFox
  malware_family: Unknown RAT
  indicators:
    - type: ip:port
      value: 172[.]245[.]95[.]9:7601
      threat_type: botnet_cc
      first_seen: 2026-06-06
      confidence: 75
    - type: ip:port
      value: 194[.]26[.]192[.]187:443
      threat_type: botnet_cc
      first_seen: 2026-06-06
      confidence: 100
targets:
  - CommonSecurityLog
  - DeviceNetworkEvents
match: address
exclusions:
  - admin-remote-powershell
";
    let (spec, diags) = spec(text);
    assert!(diags.is_empty(), "{diags:?}");
    let spec = spec.unwrap();
    let indicators = &spec.iocs.indicators;
    assert_eq!(indicators.len(), 2);
    assert_eq!(
        indicators[0].value,
        IndicatorValue::Endpoint { address: "172.245.95.9".parse().unwrap(), port: 7601 }
    );
    assert_eq!(indicators[0].original, "172[.]245[.]95[.]9:7601");
    assert_eq!(
        indicators[1].value,
        IndicatorValue::Endpoint { address: "194.26.192.187".parse().unwrap(), port: 443 }
    );
    assert_eq!(indicators[0].confidence.as_ref().unwrap().value, 75);
    assert_eq!(indicators[1].confidence.as_ref().unwrap().value, 100);
    assert_eq!(indicators[1].threat_type.as_ref().unwrap().value, "botnet_cc");
    assert_eq!(indicators[1].first_seen.as_ref().unwrap().value.to_string(), "2026-06-06");
    assert_eq!(spec.iocs.provenance.source.unwrap().value, "ThreatFox");
    assert_eq!(spec.iocs.provenance.malware_family.unwrap().value, "Unknown RAT");
    let targets: Vec<&str> = spec.targets.iter().map(|t| t.value.as_str()).collect();
    assert_eq!(targets, ["CommonSecurityLog", "DeviceNetworkEvents"]);
    assert_eq!(spec.match_mode, MatchMode::Address);
    assert_eq!(spec.exclusions[0].id.value, "admin-remote-powershell");
    assert!(spec.exclusions[0].targets.is_none());
    assert_eq!(spec.internal_networks, default_internal_networks());
}

#[test]
fn every_defanged_form_is_normalised() {
    let v4 = |text: &str| IndicatorValue::Address(text.parse::<IpAddr>().unwrap());
    for written in ["45[.]1[.]2[.]3", "45(.)1(.)2(.)3", "45{.}1{.}2{.}3", "45[dot]1[DOT]2(dot)3"] {
        assert_eq!(only_value("ip", written), v4("45.1.2.3"), "{written}");
    }
    assert_eq!(
        only_value("ip:port", "45[.]1[.]2[.]3[:]8080"),
        IndicatorValue::Endpoint { address: "45.1.2.3".parse().unwrap(), port: 8080 }
    );
    assert_eq!(
        only_value("domain", "evil[.]Shop(.)com"),
        IndicatorValue::Domain("evil.shop.com".into())
    );
    for written in ["a[@]evil[.]shop", "a[at]evil[.]shop", "a(at)evil[.]shop"] {
        assert_eq!(
            only_value("email", written),
            IndicatorValue::Email("a@evil.shop".into()),
            "{written}"
        );
    }
    assert_eq!(
        only_value("url", "hxxp://evil[.]shop/x"),
        IndicatorValue::Url("http://evil.shop/x".into())
    );
    assert_eq!(
        only_value("url", "hXXps[:]//evil[.]shop/x"),
        IndicatorValue::Url("https://evil.shop/x".into())
    );
}

#[test]
fn bracketed_ipv6_with_port_is_address_and_port() {
    assert_eq!(
        only_value("ip:port", "'[2a01:4f8::1]:443'"),
        IndicatorValue::Endpoint { address: "2a01:4f8::1".parse().unwrap(), port: 443 }
    );
    // The documentation address of the format's examples reads the same way, and is an error
    // as an indicator (IOC026).
    let (spec, diags) = one("ip:port", "'[2001:db8::1]:443'");
    assert_eq!(
        spec.unwrap().iocs.indicators[0].value,
        IndicatorValue::Endpoint { address: "2001:db8::1".parse().unwrap(), port: 443 }
    );
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["IOC026"]);
}

#[test]
fn unquoted_bracketed_ipv6_is_a_yaml_list_and_says_so() {
    let (spec, diags) = one("ip", "[2001:db8::1]");
    assert!(spec.unwrap().iocs.indicators.is_empty());
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, codes::WRONG_TYPE);
    assert_eq!(diags[0].message, "`iocs.indicators[].value` must be a single value, found a list");
    assert_eq!(diags[0].notes, ["a value starting with `[` is a YAML list unless it is quoted"]);
}

#[test]
fn unbracketed_ipv6_with_port_like_group_is_an_address_with_a_warning() {
    for type_text in ["ip", "ip:port"] {
        let text = format!(
            "iocs:\n  indicators:\n    - type: {type_text}\n      value: 2001:db8::1:443\ntargets: [DeviceNetworkEvents]\n"
        );
        unbracketed_ipv6_case(&text);
    }
}

fn unbracketed_ipv6_case(text: &str) {
    let (spec, diags) = spec(text);
    let spec = spec.unwrap();
    assert_eq!(
        spec.iocs.indicators[0].value,
        IndicatorValue::Address("2001:db8::1:443".parse().unwrap())
    );
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert_eq!(diags[0].code, ioc_codes::IOC004_AMBIGUOUS_IPV6_PORT);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!(line(text, &diags[0]), 4);
    // 2001:db8::/32 is the documentation range.
    assert_eq!(diags[1].code, ioc_codes::IOC026_DOCUMENTATION_ADDRESS);
    assert_eq!(line(text, &diags[1]), 4);
}

#[test]
fn port_99999_is_an_error_at_its_line() {
    let text = "\
iocs:
  indicators:
    - type: ip:port
      value: 194.26.192.187:443
    - type: ip:port
      value: 172.245.95.9:99999
targets: [CommonSecurityLog]
";
    let (spec, diags) = spec(text);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, ioc_codes::IOC003_INVALID_PORT);
    assert_eq!(diags[0].severity, Severity::Error);
    assert_eq!(line(text, &diags[0]), 6);
    let span = diags[0].primary.span;
    assert_eq!(&text[span.start as usize..span.end as usize], "172.245.95.9:99999");
    assert_eq!(spec.unwrap().iocs.indicators.len(), 1, "the valid indicator is kept");
}

#[test]
fn invalid_address_and_bad_hash_are_errors_at_their_lines() {
    let text = "\
iocs:
  indicators:
    - type: ip
      value: 256.1.1.1
    - type: sha256
      value: 0123456789abcdef0123456789abcdef
    - type: md5
      value: zz23456789abcdef0123456789abcdef
targets: [DeviceNetworkEvents]
";
    let (_, diags) = spec(text);
    let found: Vec<(String, u32)> =
        diags.iter().map(|d| (d.code.to_string(), line(text, d))).collect();
    assert_eq!(
        found,
        [("IOC002".to_string(), 4), ("IOC008".to_string(), 6), ("IOC007".to_string(), 8)]
    );
}

#[test]
fn hash_type_follows_from_length() {
    let cases = [
        ("0123456789ABCDEF0123456789abcdef", HashAlgorithm::Md5),
        ("0123456789abcdef0123456789abcdef01234567", HashAlgorithm::Sha1),
        ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF", HashAlgorithm::Sha256),
    ];
    for (hex, algorithm) in cases {
        assert_eq!(
            only_value("hash", hex),
            IndicatorValue::Hash { algorithm, hex: hex.to_lowercase() },
            "{hex}"
        );
    }
}

#[test]
fn confidence_and_first_seen_errors_point_at_their_values() {
    let text = "\
iocs:
  indicators:
    - type: ip
      value: 194.26.192.187
      first_seen: June 6th
      confidence: 101
targets: [DeviceNetworkEvents]
";
    let (_, diags) = spec(text);
    let found: Vec<(String, u32)> =
        diags.iter().map(|d| (d.code.to_string(), line(text, d))).collect();
    assert_eq!(found, [("IOC012".to_string(), 5), ("IOC013".to_string(), 6)]);
}

#[test]
fn spec_level_problems() {
    let (spec_none, diags) = spec("id: x\ntargets: [CommonSecurityLog]\n");
    assert!(spec_none.is_none());
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, ioc_codes::IOC023_IOC_FIELDS_WITHOUT_IOCS);

    let (_, diags) =
        spec("iocs:\n  indicators:\n    - type: ip\n      value: 194.26.192.187\nquery: T\n");
    let codes: Vec<String> = diags.iter().map(|d| d.code.to_string()).collect();
    assert_eq!(codes, ["IOC024", "IOC025"]);

    let (spec, diags) = spec(
        "iocs:\n  indicators:\n    - type: ip\n      value: 194.26.192.187\ntargets: T\nmatch: pairs\ninternal_networks: [10.0.0.0/8, 10.1.2.3/8, fd00::/8]\n",
    );
    let codes: Vec<String> = diags.iter().map(|d| d.code.to_string()).collect();
    assert_eq!(codes, ["IOC021", "IOC005"]);
    let spec = spec.unwrap();
    assert_eq!(spec.targets[0].value, "T");
    let nets: Vec<String> = spec.internal_networks.iter().map(ToString::to_string).collect();
    assert_eq!(nets, ["10.0.0.0/8", "fd00::/8"]);
}

#[test]
fn unknown_keys_are_warned_about_with_a_suggestion() {
    let (_, diags) = spec(
        "iocs:\n  indicator:\n    - type: ip\n      value: 194.26.192.187\ntargets: [DeviceNetworkEvents]\n",
    );
    let messages: Vec<String> = diags.iter().map(|d| d.message.clone()).collect();
    assert_eq!(messages, ["Unknown key `indicator` in `iocs`", "Missing `iocs.indicators`"]);
    assert_eq!(diags[0].help.as_deref(), Some("did you mean `indicators`?"));
}

const INTERNAL: &str = "\
exclusion:
  id: scheduled-maintenance-internal-repository
  title: Internal repositories
  scenario: |
    A scheduled task downloads from an internal repository.
  rationale: internal
  owner: soc
  expires: 2027-06-30
  condition:
    source_address:
      - 10.0.0.0/8
      - 172.16.0.0/12
      - 192.168.0.0/16
";

#[test]
fn exclusion_files_load_with_their_conditions() {
    let root = parse(INTERNAL);
    assert!(is_exclusion_document(&root));
    let mut diags = Vec::new();
    let exclusion = load_exclusion(&root, &mut diags).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(exclusion.id.value, "scheduled-maintenance-internal-repository");
    assert_eq!(exclusion.expires.unwrap().value.to_string(), "2027-06-30");
    let Condition::Leaf(leaf) = &exclusion.condition else { panic!("{:?}", exclusion.condition) };
    assert_eq!(leaf.field.value, "source_address");
    let Values::Networks(networks) = &leaf.values else { panic!("{:?}", leaf.values) };
    let networks: Vec<IpNet> = networks.iter().map(|n| n.value).collect();
    let contains = |address: &str| {
        let address: IpAddr = address.parse().unwrap();
        networks.iter().any(|n| n.contains(&address))
    };
    // The IOC-inside-exclusion check (EXC005) relies on this membership.
    for outside in ["172.245.95.9", "172.32.0.1", "172.160.0.1", "172.222.171.197"] {
        assert!(!contains(outside), "{outside} is outside 172.16.0.0/12");
    }
    assert!(contains("172.16.0.1"));
    assert!(contains("172.31.255.255"));
}

#[test]
fn the_id_of_an_exclusion_file_that_fails_to_load_is_still_known() {
    let broken = INTERNAL.replace("      - 172.16.0.0/12\n", "      - 172.16.0.1/12\n");
    let root = parse(&broken);
    let mut diags = Vec::new();
    assert!(load_exclusion(&root, &mut diags).is_none());
    assert_eq!(diags[0].code, ioc_codes::EXC009_CIDR_HOST_BITS);
    let id = exclusion_document_id(&root).unwrap();
    assert_eq!(id.value, "scheduled-maintenance-internal-repository");
    assert_eq!(
        line(&broken, &Diagnostic::error(ioc_codes::EXC017_EXCLUSION_FAILED_TO_LOAD, "x", id.span)),
        2
    );
    assert_eq!(exclusion_document_id(&parse("exclusion:\n  title: t\n")), None);
    assert_eq!(exclusion_document_id(&parse("exclusion:\n  id: [a]\n")), None);
}

#[test]
fn hidden_characters_in_exclusion_texts_and_values_reject_the_exclusion() {
    for (from, to, code) in [
        ("title: Internal repositories", "title: \"Internal \u{202E}repositories\"", "EXC018"),
        ("owner: soc", "owner: \"soc\u{200B}\"", "EXC018"),
    ] {
        let text = INTERNAL.replacen(from, to, 1);
        let mut diags = Vec::new();
        assert!(load_exclusion(&parse(&text), &mut diags).is_none(), "{to}");
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, [code], "{to}");
    }
    let text = "exclusion:\n  id: a\n  title: t\n  scenario: s\n  rationale: r\n  owner: o\n  condition:\n    process_name: \"power\u{202E}shell.exe\"\n";
    let mut diags = Vec::new();
    assert!(load_exclusion(&parse(text), &mut diags).is_none());
    assert_eq!(diags[0].code, ioc_codes::EXC002_INVALID_VALUE);
    assert_eq!(line(text, &diags[0]), 8);
}

#[test]
fn nested_conditions_load() {
    let text = "\
exclusion:
  id: admin-remote-powershell
  title: Admins
  scenario: s
  rationale: r
  owner: o
  condition:
    all:
      - account: admin_user
      - process_name: [powershell.exe, pwsh.exe]
      - not:
          source_address: 192.0.2.0/24
";
    let mut diags = Vec::new();
    let exclusion = load_exclusion(&parse(text), &mut diags).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    let Condition::All { members, .. } = &exclusion.condition else { panic!() };
    assert_eq!(members.len(), 3);
    assert!(matches!(members[2], Condition::Not { .. }));
    let fields: Vec<&str> =
        exclusion.condition.leaves().iter().map(|l| l.field.value.as_str()).collect();
    assert_eq!(fields, ["account", "process_name", "source_address"]);
}

#[test]
fn exclusion_errors_point_at_their_lines_and_reject_the_exclusion() {
    let text = "\
exclusion:
  id: Bad_Id
  title: t
  scenario: s
  rationale: r
  owner: ''
  condition:
    any:
      - source_address: 10.1.2.3/8
      - colour: blue
";
    let mut diags = Vec::new();
    assert!(load_exclusion(&parse(text), &mut diags).is_none());
    let found: Vec<(String, u32)> =
        diags.iter().map(|d| (d.code.to_string(), line(text, d))).collect();
    assert_eq!(
        found,
        [("EXC009".to_string(), 9), ("EXC001".to_string(), 10)],
        "a bad condition stops before the texts are checked"
    );

    let text = INTERNAL
        .replace("owner: soc", "owner: ''")
        .replace("scheduled-maintenance-internal-repository", "Bad_Id");
    let mut diags = Vec::new();
    assert!(load_exclusion(&parse(&text), &mut diags).is_none());
    let found: Vec<(String, u32)> =
        diags.iter().map(|d| (d.code.to_string(), line(&text, d))).collect();
    assert_eq!(found, [("EXC010".to_string(), 7), ("EXC012".to_string(), 2)]);
}

#[test]
fn quotes_and_backslashes_are_rejected_in_values_of_every_kind_but_urls() {
    for (type_text, value) in [
        ("domain", r#"'ev"il.example'"#),
        ("domain", r"'ev\il.example'"),
        ("domain", "\"ev'il.example\""),
        ("ip", r#"'10.0.0.1"'"#),
        ("email", r#"'a"b@example.com'"#),
    ] {
        let (spec, diags) = one(type_text, value);
        assert!(spec.unwrap().iocs.indicators.is_empty(), "{value}");
        assert!(diags.iter().any(|d| d.severity == Severity::Error), "{value}: {diags:?}");
    }
}

#[test]
fn special_use_addresses_and_reserved_names_are_reported_at_their_value_lines() {
    let text = "\
iocs:
  indicators:
    - type: ip:port
      value: 172[.]245[.]95[.]9:7601
    - type: ip
      value: 192[.]0[.]2[.]10
    - type: ip
      value: 172.16.5.4
    - type: cidr
      value: 198.0.0.0/8
    - type: domain
      value: c2[.]example[.]com
    - type: url
      value: hxxp://203[.]0[.]113[.]7/gate.php
    - type: ip
      value: 0.0.0.0
targets: [DeviceNetworkEvents]
";
    let (spec, diags) = spec(text);
    let found: Vec<(String, Severity, u32)> =
        diags.iter().map(|d| (d.code.to_string(), d.severity, line(text, d))).collect();
    let expect = |code: &str, severity, line| (code.to_string(), severity, line);
    assert_eq!(
        found,
        [
            expect("IOC026", Severity::Error, 6),
            expect("IOC027", Severity::Warning, 8),
            expect("IOC026", Severity::Error, 10),
            expect("IOC027", Severity::Warning, 10),
            expect("IOC029", Severity::Error, 12),
            expect("IOC026", Severity::Error, 14),
            expect("IOC028", Severity::Error, 16),
        ],
        "172.245.95.9 is public: nothing on line 4"
    );
    assert_eq!(
        spec.unwrap().iocs.indicators.len(),
        7,
        "the indicators stay; the errors stop the build"
    );
}

#[test]
fn a_url_with_a_bidi_control_is_rejected_at_its_line() {
    let text = "iocs:\n  indicators:\n    - type: url\n      value: \"http://evil.ru/\u{202E}fdp.exe\"\ntargets: [DeviceNetworkEvents]\n";
    let (spec, diags) = spec(text);
    assert!(spec.unwrap().iocs.indicators.is_empty());
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, ioc_codes::IOC010_INVALID_URL);
    assert_eq!(line(text, &diags[0]), 4);
}

#[test]
fn exclusions_can_be_scoped_to_some_targets() {
    let text = "\
iocs:
  indicators:
    - type: ip
      value: 194.26.192.187
targets: [CommonSecurityLog, DeviceNetworkEvents]
exclusions:
  - admin-remote-powershell
  - id: scheduled-maintenance-internal-repository
    targets: [DeviceNetworkEvents, DnsEvents]
";
    let (spec, diags) = spec(text);
    let spec = spec.unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, ioc_codes::EXC016_SCOPE_NOT_A_TARGET);
    assert_eq!(line(text, &diags[0]), 9);
    let [all, scoped] = &spec.exclusions[..] else { panic!("{:?}", spec.exclusions) };
    assert!(all.applies_to("CommonSecurityLog") && all.applies_to("DeviceNetworkEvents"));
    assert_eq!(scoped.id.value, "scheduled-maintenance-internal-repository");
    assert!(!scoped.applies_to("CommonSecurityLog"));
    assert!(scoped.applies_to("DeviceNetworkEvents"));
}

#[test]
fn odd_shapes_are_diagnostics_never_panics() {
    let specs = [
        "iocs: []\n",
        "iocs: x\ntargets: {a: b}\n",
        "iocs:\n  indicators: {type: ip}\n",
        "iocs:\n  indicators:\n    - x\n    - type: [ip]\n      value: {a: 1}\n    -\n",
        "iocs:\n  indicators:\n    - type: ip\n      value: ''\ntargets: []\nexclusions: [{targets: x}, {id: []}, 7]\nmatch: []\ninternal_networks: x\n",
    ];
    for text in specs {
        let (_, diags) = spec(text);
        assert!(diags.iter().any(|d| d.severity == Severity::Error), "{text}: {diags:?}");
    }
    let exclusions = [
        "exclusion: []\n",
        "exclusion:\n  id: a\n  condition: []\n",
        "exclusion:\n  id: a\n  title: t\n  scenario: s\n  rationale: r\n  owner: o\n  condition:\n    all: x\n",
        "exclusion:\n  id: a\n  title: t\n  scenario: s\n  rationale: r\n  owner: o\n  condition:\n    not: [x]\n",
        "exclusion:\n  id: a\n  title: t\n  scenario: s\n  rationale: r\n  owner: o\n  condition:\n    any: []\n",
        "exclusion:\n  id: a\n  title: t\n  scenario: s\n  rationale: r\n  owner: o\n  condition:\n    source_port: [0, 70000, x]\n",
        "exclusion:\n  id: a\n  title: t\n  scenario: s\n  rationale: r\n  owner: o\n  condition:\n    process_name: {a: b}\n",
        "exclusion:\n  id: a\n  title: t\n  scenario: s\n  rationale: r\n  owner: o\n  expires: soon\n  condition: {}\n",
    ];
    for text in exclusions {
        let mut diags = Vec::new();
        assert!(load_exclusion(&parse(text), &mut diags).is_none(), "{text}");
        assert!(diags.iter().any(|d| d.severity == Severity::Error), "{text}: {diags:?}");
    }
}

#[test]
fn a_repeated_target_is_a_warning_at_the_repetition_and_is_kept_once() {
    let text = "iocs:\n  indicators:\n    - type: ip\n      value: 8.8.8.8\n\
                targets: [CommonSecurityLog, DeviceNetworkEvents, DeviceNetworkEvents, CommonSecurityLog]\n";
    let (spec, diags) = spec(text);
    let spec = spec.unwrap();
    let targets: Vec<&str> = spec.targets.iter().map(|t| t.value.as_str()).collect();
    assert_eq!(targets, ["CommonSecurityLog", "DeviceNetworkEvents"]);
    let found: Vec<(&str, &str, u32)> =
        diags.iter().map(|d| (d.code.as_str(), d.message.as_str(), d.primary.span.start)).collect();
    let second_dne = text.rfind("DeviceNetworkEvents").unwrap() as u32;
    let second_csl = text.rfind("CommonSecurityLog").unwrap() as u32;
    assert_eq!(
        found,
        [
            ("IOC037", "`DeviceNetworkEvents` is listed twice in `targets`", second_dne),
            ("IOC037", "`CommonSecurityLog` is listed twice in `targets`", second_csl),
        ]
    );
    assert!(diags.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(diags[0].secondary[0].span.start, text.find("DeviceNetworkEvents").unwrap() as u32);
    let (spec, diags) = self::spec(
        "iocs:\n  indicators:\n    - type: ip\n      value: 8.8.8.8\ntargets: [DeviceNetworkEvents, devicenetworkevents]\n",
    );
    assert_eq!(spec.unwrap().targets.len(), 2, "names differing in case are not the same table");
    assert!(diags.iter().all(|d| d.code != ioc_codes::IOC037_DUPLICATE_TARGET));
}
