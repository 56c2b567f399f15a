//! The seed write-up (../shared/seed/unknown-rat-threatfox.md) as typed values, mirroring
//! detections/ and exclusions/*.yaml in the repository.

use palisade_diagnostics::{Diagnostic, FileId, Span};
use palisade_ioc::catalog::Catalog;
use palisade_ioc::exclusion::{Condition, Exclusion, ExclusionParts, Leaf};
use palisade_ioc::{Indicator, IocSet, Located, Provenance, parse_confidence, parse_first_seen};

/// A span that only needs to be distinct per call site.
pub fn at(file: u32, start: u32) -> Span {
    Span::new(FileId(file), start, start + 1)
}

/// The two seed indicators, parsed from the write-up's defanged table.
pub fn seed_iocs(diags: &mut Vec<Diagnostic>) -> IocSet {
    let rows = [("172[.]245[.]95[.]9:7601", "75%"), ("194[.]26[.]192[.]187:443", "100%")];
    let mut indicators = Vec::new();
    for (idx, (value, confidence)) in rows.iter().enumerate() {
        let base = 100 * idx as u32;
        let mut indicator =
            Indicator::parse("ip:port", at(0, base), value, at(0, base + 10), diags).unwrap();
        indicator.threat_type = Some(Located::new("botnet_cc".to_string(), at(0, base + 20)));
        indicator.first_seen = parse_first_seen("2026-06-06", at(0, base + 30), diags);
        indicator.confidence = parse_confidence(confidence, at(0, base + 40), diags);
        indicators.push(indicator);
    }
    let provenance = Provenance {
        source: Some(Located::new("ThreatFox".to_string(), at(0, 1))),
        malware_family: Some(Located::new("Unknown RAT".to_string(), at(0, 2))),
        reference: None,
    };
    IocSet::new(provenance, indicators, diags)
}

/// Builds a leaf; `file` tells the exclusions apart in spans.
pub fn leaf(file: u32, field: &str, values: &[&str]) -> Condition {
    let mut diags = Vec::new();
    let values: Vec<Located<&str>> = values
        .iter()
        .enumerate()
        .map(|(idx, v)| Located::new(*v, at(file, 200 + idx as u32)))
        .collect();
    let leaf = Leaf::parse(
        Catalog::builtin(),
        Located::new(field, at(file, 100)),
        &values,
        at(file, 99),
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:?}");
    Condition::Leaf(leaf.unwrap())
}

fn any(file: u32, members: Vec<Condition>) -> Condition {
    Condition::any(members, at(file, 90), &mut Vec::new()).unwrap()
}

fn all(file: u32, members: Vec<Condition>) -> Condition {
    Condition::all(members, at(file, 90), &mut Vec::new()).unwrap()
}

/// An exclusion with the given id, title and condition.
pub fn exclusion(file: u32, id: &str, title: &str, condition: Condition) -> Exclusion {
    let text = |t: &str, start: u32| Located::new(t.to_string(), at(file, start));
    let parts = ExclusionParts {
        id: text(id, 1),
        title: text(title, 2),
        scenario: text("See exclusions/ for the scenario text.", 3),
        rationale: text("See exclusions/ for the rationale.", 4),
        owner: text("soc-detection-engineering", 5),
        expires: None,
        condition,
    };
    Exclusion::new(parts, &mut Vec::new()).unwrap()
}

/// The five exclusions of the write-up, as exclusions/*.yaml models them.
pub fn seed_exclusions() -> Vec<Exclusion> {
    vec![
        exclusion(
            1,
            "scheduled-maintenance-internal-repository",
            "Scheduled maintenance downloads from internal repositories",
            leaf(1, "source_address", &["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]),
        ),
        exclusion(
            2,
            "intune-software-update",
            "Software updates pushed by Microsoft Intune",
            any(
                2,
                vec![
                    leaf(2, "signer", &["Microsoft Corporation", "Microsoft Windows"]),
                    leaf(2, "process_name", &["msiexec.exe", "IntuneManagementExtension.exe"]),
                ],
            ),
        ),
        exclusion(
            3,
            "admin-remote-powershell",
            "Administrators managing servers with remote PowerShell",
            all(
                3,
                vec![
                    leaf(3, "account", &["admin_user"]),
                    leaf(3, "process_name", &["powershell.exe", "pwsh.exe"]),
                ],
            ),
        ),
        exclusion(
            4,
            "splunk-forwarder-log-collection",
            "Splunk forwarders sending logs to the indexers",
            leaf(4, "process_name", &["splunkforwarder.exe", "splunkd.exe"]),
        ),
        exclusion(
            5,
            "configuration-management-agents",
            "Configuration management agents (Ansible, Puppet, Chef, SaltStack, Configuration Manager)",
            leaf(
                5,
                "process_name",
                &[
                    "ansible",
                    "ansible-playbook",
                    "puppet",
                    "puppet.exe",
                    "chef-client",
                    "chef-client.exe",
                    "salt-minion",
                    "salt-minion.exe",
                    "salt-call",
                    "CcmExec.exe",
                ],
            ),
        ),
    ]
}
