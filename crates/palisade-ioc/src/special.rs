//! Special-use addresses and names: ranges and domains that are not an attacker's
//! infrastructure on the internet, with the RFC that sets each one aside.
//!
//! The table is data (`data/special-use.json`), so adding a range is a one-line change that the
//! tests check for shape. [`SpecialUse::overlapping`] answers, with exact prefix arithmetic,
//! which special ranges an indicator's address or range touches; [`SpecialUse::domain`] which
//! reserved name a domain falls under.

use std::net::IpAddr;
use std::sync::OnceLock;

use ipnet::{IpNet, Ipv4Net};
use serde::Deserialize;

const BUILTIN: &str = include_str!("../data/special-use.json");

/// What kind of special use a range has; it decides the diagnostic code and severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Set aside for examples in documentation; never routed (`IOC026`, error).
    Documentation,
    /// No host can have it as its address: "this network", the future-use block, broadcast,
    /// the unspecified address (`IOC028`, error).
    Reserved,
    /// Real traffic has it, but on a private, shared or local network (`IOC027`, warning).
    NonPublic,
    /// IPv4-mapped IPv6; the embedded IPv4 address is checked too (`IOC027`, warning).
    Mapped,
}

/// One special-use range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecialRange {
    /// The range.
    pub network: IpNet,
    /// What it is used for, for example `private` or `documentation (TEST-NET-1)`.
    pub name: String,
    /// The RFC that sets it aside, for example `RFC 1918`.
    pub rfc: String,
    /// The class.
    pub class: Class,
}

/// One reserved domain: a top-level name (`example`) or a name under one (`example.com`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecialDomain {
    /// The reserved name, lower case, without dots at either end.
    pub suffix: String,
    /// What it is reserved for.
    pub name: String,
    /// The RFC that reserves it.
    pub rfc: String,
}

/// The table of special-use ranges and reserved names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecialUse {
    addresses: Vec<SpecialRange>,
    domains: Vec<SpecialDomain>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    #[serde(rename = "_about")]
    _about: String,
    addresses: Vec<RawRange>,
    domains: Vec<RawDomain>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    range: String,
    name: String,
    rfc: String,
    class: Class,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    suffix: String,
    name: String,
    rfc: String,
}

impl SpecialUse {
    /// The table shipped in `data/special-use.json`.
    pub fn builtin() -> &'static SpecialUse {
        static TABLE: OnceLock<SpecialUse> = OnceLock::new();
        TABLE.get_or_init(|| {
            SpecialUse::from_json(BUILTIN).expect("the embedded table is checked by its tests")
        })
    }

    /// Loads a table from JSON text.
    ///
    /// # Errors
    ///
    /// A message when the text has the wrong shape, a range does not parse or has host bits
    /// set, a name is not a lower-case domain, or an RFC is not written `RFC <number>`.
    pub fn from_json(text: &str) -> Result<SpecialUse, String> {
        let raw: RawTable = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut addresses = Vec::new();
        for range in raw.addresses {
            let network: IpNet =
                range.range.parse().map_err(|_| format!("`{}` is not a range", range.range))?;
            if network.trunc() != network {
                return Err(format!("`{}` has host bits set", range.range));
            }
            check_rfc(&range.rfc)?;
            addresses.push(SpecialRange {
                network,
                name: range.name,
                rfc: range.rfc,
                class: range.class,
            });
        }
        let mut domains = Vec::new();
        for domain in raw.domains {
            let ok = !domain.suffix.is_empty()
                && !domain.suffix.starts_with('.')
                && !domain.suffix.ends_with('.')
                && domain.suffix.bytes().all(|b| b.is_ascii_lowercase() || b == b'.');
            if !ok {
                return Err(format!("`{}` is not a lower-case domain", domain.suffix));
            }
            check_rfc(&domain.rfc)?;
            domains.push(SpecialDomain {
                suffix: domain.suffix,
                name: domain.name,
                rfc: domain.rfc,
            });
        }
        Ok(SpecialUse { addresses, domains })
    }

    /// Every range, in file order.
    pub fn ranges(&self) -> &[SpecialRange] {
        &self.addresses
    }

    /// Every reserved name, in file order.
    pub fn domains(&self) -> &[SpecialDomain] {
        &self.domains
    }

    /// The special ranges `network` touches: the most specific range that contains it, and
    /// every range it contains (a wide CIDR indicator can cover several). An IPv4-mapped IPv6
    /// network is looked up by its embedded IPv4 network as well; the mapped range itself is
    /// reported only when the embedded network touches nothing.
    pub fn overlapping(&self, network: IpNet) -> Vec<Overlap<'_>> {
        let mut found = self.overlapping_direct(network);
        let Some(mapped) = found.iter().position(|o| o.range.class == Class::Mapped) else {
            return found;
        };
        if let Some(embedded) = embedded_ipv4(network) {
            let inner: Vec<Overlap<'_>> = self
                .overlapping_direct(IpNet::V4(embedded))
                .into_iter()
                .map(|overlap| Overlap { via_mapped: true, ..overlap })
                .collect();
            if !inner.is_empty() {
                found.remove(mapped);
                found.extend(inner);
            }
        }
        found
    }

    fn overlapping_direct(&self, network: IpNet) -> Vec<Overlap<'_>> {
        let containing = self
            .addresses
            .iter()
            .filter(|range| range.network.contains(&network))
            .max_by_key(|range| range.network.prefix_len());
        let mut found: Vec<Overlap<'_>> = containing
            .map(|range| Overlap { range, inside: true, via_mapped: false })
            .into_iter()
            .collect();
        for range in &self.addresses {
            if network.contains(&range.network) && !range.network.contains(&network) {
                found.push(Overlap { range, inside: false, via_mapped: false });
            }
        }
        found
    }

    /// The reserved name `domain` (lower case, no trailing dot) is or falls under.
    pub fn domain(&self, domain: &str) -> Option<&SpecialDomain> {
        self.domains.iter().find(|special| {
            domain == special.suffix
                || domain
                    .strip_suffix(special.suffix.as_str())
                    .is_some_and(|head| head.ends_with('.'))
        })
    }
}

/// One special range an indicator touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overlap<'a> {
    /// The range.
    pub range: &'a SpecialRange,
    /// Whether the indicator lies wholly inside it (else it covers the range, or part of it).
    pub inside: bool,
    /// Whether it was found through the IPv4 address embedded in an IPv4-mapped IPv6 value.
    pub via_mapped: bool,
}

/// The IPv4 network inside `::ffff:a.b.c.d/n` when `n >= 96`.
fn embedded_ipv4(network: IpNet) -> Option<Ipv4Net> {
    let IpNet::V6(v6) = network else {
        return None;
    };
    let address = v6.network().to_ipv4_mapped()?;
    let prefix = v6.prefix_len().checked_sub(96)?;
    Ipv4Net::new(address, prefix).ok()
}

/// The host of a URL (`scheme://user@host:port/path`), in lower case without brackets or a
/// trailing dot, and whether it is an IP address.
pub fn url_host(url: &str) -> Option<UrlHost> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        bracketed.split(']').next()?
    } else {
        host_port.split(':').next()?
    };
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    Some(match host.parse::<IpAddr>() {
        Ok(address) => UrlHost::Address(address),
        Err(_) => UrlHost::Name(host),
    })
}

/// The host part of a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlHost {
    /// An IP literal, such as `http://192.0.2.1/` or `http://[2001:db8::1]/`.
    Address(IpAddr),
    /// A DNS name, lower case.
    Name(String),
}

fn check_rfc(rfc: &str) -> Result<(), String> {
    let ok = rfc
        .strip_prefix("RFC ")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if ok { Ok(()) } else { Err(format!("`{rfc}` is not written `RFC <number>`")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(text: &str) -> IpNet {
        text.parse()
            .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
            .unwrap_or_else(|_| panic!("{text}"))
    }

    fn names(text: &str) -> Vec<String> {
        SpecialUse::builtin()
            .overlapping(net(text))
            .iter()
            .map(|o| format!("{} {}", o.range.network, o.range.rfc))
            .collect()
    }

    #[test]
    fn the_builtin_table_loads_and_every_range_names_its_rfc() {
        let table = SpecialUse::builtin();
        assert_eq!(table.ranges().len(), 23);
        assert_eq!(table.domains().len(), 7);
        for range in table.ranges() {
            assert!(range.rfc.starts_with("RFC "), "{}", range.network);
        }
        assert!(
            SpecialUse::from_json(&BUILTIN.replace("\"10.0.0.0/8\"", "\"10.0.0.1/8\"")).is_err()
        );
        assert!(SpecialUse::from_json(&BUILTIN.replace("\"RFC 1918\"", "\"1918\"")).is_err());
        assert!(
            SpecialUse::from_json(&BUILTIN.replace("\"example.com\"", "\"Example.com\"")).is_err()
        );
        assert!(
            SpecialUse::from_json(
                &BUILTIN.replace("\"class\": \"reserved\"", "\"class\": \"odd\"")
            )
            .is_err()
        );
    }

    #[test]
    fn addresses_are_classified_with_exact_prefix_arithmetic() {
        assert_eq!(names("172.16.5.4"), ["172.16.0.0/12 RFC 1918"]);
        assert_eq!(names("172.31.255.255"), ["172.16.0.0/12 RFC 1918"]);
        for public in [
            "172.245.95.9",
            "172.32.0.1",
            "172.15.255.255",
            "194.26.192.187",
            "100.128.0.1",
            "198.20.0.1",
            "2606:4700::1111",
            "1.1.1.1",
        ] {
            assert_eq!(names(public), Vec::<String>::new(), "{public}");
        }
        assert_eq!(names("100.64.0.1"), ["100.64.0.0/10 RFC 6598"]);
        assert_eq!(names("100.127.255.255"), ["100.64.0.0/10 RFC 6598"]);
        assert_eq!(names("198.19.255.255"), ["198.18.0.0/15 RFC 2544"]);
        assert_eq!(names("192.0.2.77"), ["192.0.2.0/24 RFC 5737"]);
        assert_eq!(names("198.51.100.1"), ["198.51.100.0/24 RFC 5737"]);
        assert_eq!(names("203.0.113.250"), ["203.0.113.0/24 RFC 5737"]);
        assert_eq!(names("0.0.0.0"), ["0.0.0.0/8 RFC 1122"]);
        assert_eq!(names("127.0.0.1"), ["127.0.0.0/8 RFC 1122"]);
        assert_eq!(names("169.254.169.254"), ["169.254.0.0/16 RFC 3927"]);
        assert_eq!(names("239.255.255.250"), ["224.0.0.0/4 RFC 5771"]);
        assert_eq!(names("250.1.2.3"), ["240.0.0.0/4 RFC 1112"]);
        assert_eq!(names("255.255.255.255"), ["255.255.255.255/32 RFC 919"], "the most specific");
        assert_eq!(names("2001:db8::1"), ["2001:db8::/32 RFC 3849"]);
        assert_eq!(names("3fff:1::1"), ["3fff::/20 RFC 9637"]);
        assert_eq!(names("fd12:3456::1"), ["fc00::/7 RFC 4193"]);
        assert_eq!(names("fe80::1"), ["fe80::/10 RFC 4291"]);
        assert_eq!(names("::1"), ["::1/128 RFC 4291"]);
        assert_eq!(names("::"), ["::/128 RFC 4291"]);
        assert_eq!(names("ff02::1"), ["ff00::/8 RFC 4291"]);
        assert_eq!(names("2001:2::5"), ["2001:2::/48 RFC 5180"]);
    }

    #[test]
    fn cidr_indicators_that_overlap_special_ranges_are_found() {
        assert_eq!(names("172.0.0.0/8"), ["172.16.0.0/12 RFC 1918"]);
        assert_eq!(names("192.0.0.0/16"), ["192.0.2.0/24 RFC 5737"]);
        assert_eq!(names("198.0.0.0/8"), ["198.18.0.0/15 RFC 2544", "198.51.100.0/24 RFC 5737"]);
        assert_eq!(names("10.20.0.0/16"), ["10.0.0.0/8 RFC 1918"]);
        assert_eq!(
            names("172.32.0.0/11"),
            Vec::<String>::new(),
            "172.32/11 is just past 172.16/12"
        );
        assert_eq!(names("0.0.0.0/0").len(), 14);
        let table = SpecialUse::builtin();
        let wide = table.overlapping(net("192.0.0.0/16"));
        assert!(!wide[0].inside);
        assert!(table.overlapping(net("10.1.0.0/16"))[0].inside);
    }

    #[test]
    fn ipv4_mapped_addresses_are_checked_by_their_ipv4_address() {
        assert_eq!(names("::ffff:194.26.192.187"), ["::ffff:0.0.0.0/96 RFC 4291"]);
        assert_eq!(names("::ffff:10.1.2.3"), ["10.0.0.0/8 RFC 1918"]);
        assert_eq!(names("::ffff:192.0.2.1"), ["192.0.2.0/24 RFC 5737"]);
        let found = SpecialUse::builtin().overlapping(net("::ffff:192.0.2.1"));
        assert!(found[0].via_mapped);
    }

    #[test]
    fn reserved_domains_match_whole_labels() {
        let table = SpecialUse::builtin();
        let rfc = |d: &str| table.domain(d).map(|s| s.rfc.as_str());
        assert_eq!(rfc("evil.example"), Some("RFC 2606"));
        assert_eq!(rfc("example.com"), Some("RFC 2606"));
        assert_eq!(rfc("c2.example.org"), Some("RFC 2606"));
        assert_eq!(rfc("a.b.test"), Some("RFC 2606"));
        assert_eq!(rfc("x.invalid"), Some("RFC 2606"));
        assert_eq!(rfc("app.localhost"), Some("RFC 6761"));
        for public in [
            "notexample.com",
            "example.co",
            "example.community",
            "myexample.org",
            "testing.com",
            "test.com",
            "example.com.evil.ru",
            "latest",
        ] {
            assert_eq!(rfc(public), None, "{public}");
        }
    }

    #[test]
    fn url_hosts_are_found_behind_user_info_ports_and_brackets() {
        let host = |u: &str| url_host(u);
        assert_eq!(
            host("https://User@Evil.Example.:8443/x"),
            Some(UrlHost::Name("evil.example".into()))
        );
        assert_eq!(
            host("http://192.0.2.1/a"),
            Some(UrlHost::Address("192.0.2.1".parse().unwrap()))
        );
        assert_eq!(
            host("http://[2001:db8::1]:80/"),
            Some(UrlHost::Address("2001:db8::1".parse().unwrap()))
        );
        assert_eq!(host("http://evil.ru?q=example.com"), Some(UrlHost::Name("evil.ru".into())));
        assert_eq!(host("http:///x"), None);
    }
}
