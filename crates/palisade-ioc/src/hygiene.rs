//! Hygiene checks of indicator sets: special-use addresses and reserved names, age by
//! `last_seen` or `first_seen`, the same indicator in several specs, and `ip:port` indicators
//! whose address is listed alone too.
//!
//! These checks say nothing about whether a value is well formed ([`crate::indicator`] does
//! that); they flag valid values that are unlikely to be what the author meant. The special-use
//! check depends on the value alone and runs when a spec loads; the age check needs the date
//! the run is measured against, and the duplicate check every spec of the run, so both run at
//! the project level, where the caller passes the date (`palisade validate --as-of`).

use std::collections::HashMap;

use palisade_diagnostics::{Diagnostic, Span};

use crate::codes;
use crate::date::Date;
use crate::indicator::{Indicator, IndicatorValue, IocSet};
use crate::special::{Class, Overlap, SpecialUse, UrlHost, url_host};

/// The default maximum indicator age in days (`--ioc-max-age`): about one quarter, a common
/// review cycle for indicator lists, after which the infrastructure behind an address or name
/// has often changed hands.
pub const DEFAULT_MAX_AGE_DAYS: u32 = 90;

/// Warnings and errors for indicators that are special-use addresses or reserved names.
///
/// Documentation ranges and reserved names are errors (`IOC026`, `IOC029`): they are never
/// routed or resolved, so such an indicator is a copy of an example. Addresses no host can
/// have are errors too (`IOC028`). Private, shared, loopback, link-local, benchmarking,
/// multicast and IPv4-mapped addresses are warnings (`IOC027`): real traffic has them, and an
/// internal detection may mean one on purpose.
pub fn check_special_use(iocs: &IocSet, diags: &mut Vec<Diagnostic>) {
    for indicator in &iocs.indicators {
        check_indicator(indicator, diags);
    }
}

/// [`check_special_use`] for one indicator.
pub fn check_indicator(indicator: &Indicator, diags: &mut Vec<Diagnostic>) {
    let table = SpecialUse::builtin();
    let (network, in_url) = match &indicator.value {
        IndicatorValue::Url(url) => match url_host(url) {
            Some(UrlHost::Address(address)) => (Some(ipnet::IpNet::from(address)), true),
            Some(UrlHost::Name(host)) => {
                check_domain(indicator, &host, "the URL's host", diags);
                return;
            }
            None => return,
        },
        IndicatorValue::Domain(domain) => {
            check_domain(indicator, domain, "the domain", diags);
            return;
        }
        IndicatorValue::Email(email) => {
            if let Some((_, domain)) = email.rsplit_once('@') {
                check_domain(indicator, domain, "the mail domain", diags);
            }
            return;
        }
        value => (value.network(), false),
    };
    let Some(network) = network else {
        return;
    };
    let overlaps = table.overlapping(network);
    let classes = [Class::Documentation, Class::Reserved, Class::NonPublic];
    for class in classes {
        let group: Vec<&Overlap<'_>> = overlaps
            .iter()
            .filter(|o| {
                o.range.class == class
                    || (class == Class::NonPublic && o.range.class == Class::Mapped)
            })
            .collect();
        if group.is_empty() {
            continue;
        }
        diags.push(address_diagnostic(indicator, class, &group, in_url));
    }
}

fn address_diagnostic(
    indicator: &Indicator,
    class: Class,
    group: &[&Overlap<'_>],
    in_url: bool,
) -> Diagnostic {
    let what = match class {
        Class::Documentation => "documentation",
        Class::Reserved => "reserved",
        Class::NonPublic | Class::Mapped => "non-public",
    };
    let subject = if in_url {
        format!("The host of URL indicator `{}`", indicator.value)
    } else {
        format!("Indicator `{}`", indicator.value)
    };
    let message = match group {
        [only] if only.range.class == Class::Mapped => {
            format!("{subject} is an IPv4-mapped IPv6 address")
        }
        [only] if only.inside => {
            format!("{subject} is in the {} range `{}`", only.range.name, only.range.network)
        }
        [only] => {
            format!("{subject} overlaps the {} range `{}`", only.range.name, only.range.network)
        }
        _ => {
            let ranges: Vec<String> =
                group.iter().map(|o| format!("`{}` ({})", o.range.network, o.range.name)).collect();
            format!("{subject} overlaps {} {what} ranges: {}", group.len(), ranges.join(", "))
        }
    };
    let label: Vec<String> = group
        .iter()
        .map(|o| format!("{}: {}, {}", o.range.network, o.range.name, o.range.rfc))
        .collect();
    let mut diag = match class {
        Class::Documentation => {
            Diagnostic::error(codes::IOC026_DOCUMENTATION_ADDRESS, message, indicator.span)
                .with_note(
                    "documentation ranges are never routed on the internet; an indicator in one \
                     is almost always an example address copied from a write-up or a template",
                )
                .with_help("replace it with the address the report gives, or remove it")
        }
        Class::Reserved => {
            Diagnostic::error(codes::IOC028_RESERVED_ADDRESS, message, indicator.span)
                .with_note(
                    "no remote host has such an address; logs write `0.0.0.0` or `::` for a \
                     missing address and broadcast for local discovery, so the rule would match \
                     unrelated rows",
                )
                .with_help("remove the indicator, or correct it from the report")
        }
        Class::NonPublic | Class::Mapped => {
            let mapped_only = group.iter().all(|o| o.range.class == Class::Mapped);
            let diag =
                Diagnostic::warning(codes::IOC027_NON_PUBLIC_ADDRESS, message, indicator.span);
            if mapped_only {
                let help = match indicator.value.network().map(|n| n.network()) {
                    Some(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                        Some(v4) => format!("write the IPv4 address `{v4}`"),
                        None => "write the IPv4 address".to_string(),
                    },
                    _ => "write the IPv4 address".to_string(),
                };
                diag.with_note(
                    "logs record IPv4 peers in the IPv4 form; a feed that lists the mapped form \
                     almost always means the IPv4 address",
                )
                .with_help(help)
            } else {
                diag.with_note(
                    "the range is for private, shared, local, benchmarking or multicast use, not \
                     for servers on the internet; feeds list such addresses by mistake (often \
                     sandbox traffic), and the rule would fire on your own network's traffic",
                )
                .with_help(
                    "remove it; if the detection is about such a host on purpose, silence \
                     IOC027 for this spec with the reason",
                )
            }
        }
    };
    diag = diag.with_label(label.join("; "));
    if group.iter().any(|o| o.via_mapped) {
        diag = diag
            .with_note("the value is an IPv4-mapped IPv6 address; its IPv4 address was checked");
    }
    diag
}

fn check_domain(indicator: &Indicator, domain: &str, what: &str, diags: &mut Vec<Diagnostic>) {
    let Some(special) = SpecialUse::builtin().domain(domain) else {
        return;
    };
    diags.push(
        Diagnostic::error(
            codes::IOC029_RESERVED_DOMAIN,
            format!(
                "Indicator `{}` uses the reserved name `{}` in {what}",
                indicator.value, special.suffix
            ),
            indicator.span,
        )
        .with_label(format!("`{}`: {}, {}", special.suffix, special.name, special.rfc))
        .with_note(
            "reserved names never resolve to anyone's server on the internet; an indicator \
             under one is an example copied from a write-up or a template",
        )
        .with_help("replace it with the name the report gives, or remove it"),
    );
}

/// The date a run measures ages against and the maximum indicator age.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgePolicy {
    /// The date ages are measured at (`--as-of`; today in UTC by default).
    pub as_of: Date,
    /// The maximum age in days; `None` turns the age check off.
    pub max_age_days: Option<u32>,
}

impl AgePolicy {
    /// The default maximum age, measured at `as_of`.
    pub fn new(as_of: Date) -> Self {
        AgePolicy { as_of, max_age_days: Some(DEFAULT_MAX_AGE_DAYS) }
    }
}

/// Parses a maximum age: days as `90` or `90d`, weeks as `12w`, or `off`.
///
/// # Errors
///
/// A message saying what is accepted.
pub fn parse_max_age(text: &str) -> Result<Option<u32>, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let (digits, factor) = match text.as_bytes().last() {
        Some(b'd' | b'D') => (&text[..text.len() - 1], 1),
        Some(b'w' | b'W') => (&text[..text.len() - 1], 7),
        _ => (text, 1),
    };
    let days = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse::<u32>().ok())
        .flatten()
        .and_then(|n| n.checked_mul(factor))
        .filter(|&days| days > 0);
    match days {
        Some(days) => Ok(Some(days)),
        None => Err(format!(
            "`{text}` is not a maximum age: write days (`90` or `90d`), weeks (`12w`) or `off`"
        )),
    }
}

/// Warnings for indicators older than the maximum age at the as-of date (`IOC031`), and for
/// `first_seen` (`IOC032`) and `last_seen` (`IOC036`) dates after it.
///
/// An indicator's age runs from its `last_seen` when it has one, and from its `first_seen`
/// otherwise: an indicator is old when the feed last saw it long ago, whenever it first saw
/// it. Indicators with neither date are not checked, and neither are those whose `last_seen`
/// is before their `first_seen` (`IOC035`, reported when the spec loads).
pub fn check_age(iocs: &IocSet, policy: AgePolicy, diags: &mut Vec<Diagnostic>) {
    for indicator in &iocs.indicators {
        let mut in_future = false;
        for (key, date, code) in [
            ("first_seen", &indicator.first_seen, codes::IOC032_FIRST_SEEN_IN_FUTURE),
            ("last_seen", &indicator.last_seen, codes::IOC036_LAST_SEEN_IN_FUTURE),
        ] {
            let Some(date) = date else {
                continue;
            };
            if policy.as_of.days_since(date.value) >= 0 {
                continue;
            }
            in_future = true;
            diags.push(
                Diagnostic::warning(
                    code,
                    format!(
                        "`{key}` {} of indicator `{}` is after the as-of date {}",
                        date.value, indicator.value, policy.as_of
                    ),
                    date.span,
                )
                .with_secondary(indicator.span, "this indicator")
                .with_note(
                    "a date in the future is usually a typo, and it keeps the indicator from ever \
                     counting as old",
                )
                .with_help("write the date the feed gives, or check the run's `--as-of` date"),
            );
        }
        if in_future {
            continue;
        }

        let (seen, how) = match (&indicator.last_seen, &indicator.first_seen) {
            (Some(last), Some(first)) if last.value < first.value => continue,
            (Some(last), _) => (last, "last"),
            (None, Some(first)) => (first, "first"),
            (None, None) => continue,
        };
        let Some(max) = policy.max_age_days else {
            continue;
        };
        let age = policy.as_of.days_since(seen.value);
        if age <= i64::from(max) {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                codes::IOC031_INDICATOR_TOO_OLD,
                format!(
                    "Indicator `{}` was {how} seen {age} days before {}, over the maximum age of {max} days",
                    indicator.value, policy.as_of
                ),
                seen.span,
            )
            .with_label(format!("{how} seen {}", seen.value))
            .with_secondary(indicator.span, "this indicator")
            .with_note(
                "servers and names behind old indicators are often taken down or handed to \
                 someone else, and then the rule alerts on unrelated traffic",
            )
            .with_help(
                "check that the feed still lists it as active, then remove it or silence IOC031 \
                 for this spec with the reason; `--ioc-max-age` sets the maximum",
            ),
        );
    }
}

/// Warnings for indicators that an earlier spec of the run lists too (`IOC030`), compared
/// normalised (refanged, names, URLs and mail addresses ignoring case, canonical addresses).
///
/// `specs` are (shown path, indicators) in the run's order; each repeat is reported at the
/// later spec's value, with the first listing as the related span.
pub fn check_duplicates_across<'a>(
    specs: impl IntoIterator<Item = (&'a str, &'a IocSet)>,
) -> Vec<Diagnostic> {
    let mut first_at: HashMap<IndicatorValue, (usize, &'a str, Span)> = HashMap::new();
    let mut diags = Vec::new();
    for (index, (path, iocs)) in specs.into_iter().enumerate() {
        for indicator in &iocs.indicators {
            let key = indicator.value.comparison_key();
            match first_at.get(&key) {
                Some(&(first_index, first_path, first_span)) if first_index != index => {
                    diags.push(
                        Diagnostic::warning(
                            codes::IOC030_DUPLICATE_ACROSS_SPECS,
                            format!(
                                "Indicator `{}` is also listed in `{first_path}`",
                                indicator.value
                            ),
                            indicator.span,
                        )
                        .with_label("listed again here")
                        .with_secondary(first_span, format!("first listed here, in `{first_path}`"))
                        .with_note(
                            "both detections alert on the same events, and a later change to one \
                             copy (removing it, excluding it) misses the other",
                        )
                        .with_help(
                            "keep the indicator in one spec, or silence IOC030 here with the \
                             reason if both detections need it",
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    first_at.insert(key, (index, path, indicator.span));
                }
            }
        }
    }
    diags
}

/// Every indicator check that needs the whole run, over its specs as (shown path, indicators)
/// in run order: the same indicator in several specs (`IOC030`), an `ip:port` whose address
/// another spec lists alone (`IOC033`), and age against `policy` (`IOC031`, `IOC032`,
/// `IOC036`).
///
/// The checks of one set alone (special-use addresses, duplicates within a set) run when the
/// set is built; these need every spec, or the date the run is measured at.
pub fn check_run<'a>(
    specs: impl IntoIterator<Item = (&'a str, &'a IocSet)>,
    policy: AgePolicy,
) -> Vec<Diagnostic> {
    let specs: Vec<(&str, &IocSet)> = specs.into_iter().collect();
    let mut diags = check_duplicates_across(specs.iter().copied());
    diags.extend(check_covered_endpoints_across(specs.iter().copied()));
    for (_, iocs) in &specs {
        check_age(iocs, policy, &mut diags);
    }
    diags
}

/// Warnings for `ip:port` indicators whose address the same set lists alone (`IOC033`).
///
/// An `ip` indicator matches its address on every port, so the `ip:port` one adds no event;
/// it usually means the feed listed the address once with and once without the port seen.
/// Addresses compare as [`check_duplicates_across`] compares them (canonical, so
/// `2001:0DB8::1` is `2001:db8::1`); an address inside a listed range is not flagged.
pub fn check_covered_endpoints(iocs: &IocSet, diags: &mut Vec<Diagnostic>) {
    let addresses = addresses_alone(iocs);
    for (endpoint, address) in endpoints(iocs) {
        if let Some(covering) = addresses.get(&address) {
            diags.push(covered_endpoint(endpoint, covering, None));
        }
    }
}

/// [`check_covered_endpoints`] across the specs of a run: `IOC033` for each `ip:port` whose
/// address another spec lists alone, the earliest such spec in run order as the related
/// location. An endpoint whose own spec lists the address is left to the check of that set.
pub fn check_covered_endpoints_across<'a>(
    specs: impl IntoIterator<Item = (&'a str, &'a IocSet)>,
) -> Vec<Diagnostic> {
    let specs: Vec<(&str, &IocSet)> = specs.into_iter().collect();
    let mut first_alone: HashMap<IndicatorValue, (usize, &str, &Indicator)> = HashMap::new();
    for (index, (path, iocs)) in specs.iter().enumerate() {
        for (address, indicator) in addresses_alone(iocs) {
            first_alone.entry(address).or_insert((index, path, indicator));
        }
    }

    let mut diags = Vec::new();
    for (index, (_, iocs)) in specs.iter().enumerate() {
        let own = addresses_alone(iocs);
        for (endpoint, address) in endpoints(iocs) {
            if own.contains_key(&address) {
                continue;
            }
            match first_alone.get(&address) {
                Some(&(other, path, covering)) if other != index => {
                    diags.push(covered_endpoint(endpoint, covering, Some(path)));
                }
                _ => {}
            }
        }
    }
    diags
}

/// The set's `ip` indicators by comparison key, the first of each.
fn addresses_alone(iocs: &IocSet) -> HashMap<IndicatorValue, &Indicator> {
    let mut addresses = HashMap::new();
    for indicator in &iocs.indicators {
        if let IndicatorValue::Address(_) = indicator.value {
            addresses.entry(indicator.value.comparison_key()).or_insert(indicator);
        }
    }
    addresses
}

/// The set's `ip:port` indicators, each with the comparison key of its address alone.
fn endpoints(iocs: &IocSet) -> impl Iterator<Item = (&Indicator, IndicatorValue)> {
    iocs.indicators.iter().filter_map(|indicator| match indicator.value {
        IndicatorValue::Endpoint { address, .. } => {
            Some((indicator, IndicatorValue::Address(address).comparison_key()))
        }
        _ => None,
    })
}

/// `IOC033` at `endpoint`, naming `covering`, listed in the spec at `other_path` when that is
/// another spec.
fn covered_endpoint(
    endpoint: &Indicator,
    covering: &Indicator,
    other_path: Option<&str>,
) -> Diagnostic {
    let port = endpoint.value.port().map_or_else(String::new, |port| port.to_string());
    let (where_listed, label) = match other_path {
        Some(path) => {
            (format!(" in `{path}`"), format!("matches every port of this address, in `{path}`"))
        }
        None => (String::new(), "matches every port of this address".to_owned()),
    };
    let mut diag = Diagnostic::warning(
        codes::IOC033_ENDPOINT_COVERED_BY_ADDRESS,
        format!("Indicator `{}` is covered by `{}`{where_listed}", endpoint.value, covering.value),
        endpoint.span,
    )
    .with_label("adds no event the address alone does not match")
    .with_secondary(covering.span, label)
    .with_note(
        "an `ip` indicator matches its address on every port, so each event this `ip:port` \
         indicator matches is matched already",
    );
    if other_path.is_some() {
        diag = diag.with_note(
            "both detections alert on these events, and a later change to one of them (removing \
             the address, excluding it) misses the other",
        );
    }
    diag.with_help(format!(
        "keep one: remove `{}` if any port is meant, or `{}` if only port {port} is",
        endpoint.value, covering.value
    ))
}

#[cfg(test)]
mod tests {
    use palisade_diagnostics::{FileId, Severity};

    use super::*;
    use crate::indicator::{Located, Provenance};

    fn at(file: u32, start: u32) -> Span {
        Span::new(FileId(file), start, start + 4)
    }

    fn indicator(kind: &str, value: &str) -> Indicator {
        let mut diags = Vec::new();
        let indicator = Indicator::parse(kind, at(0, 0), value, at(0, 10), &mut diags);
        indicator.unwrap_or_else(|| panic!("{kind} {value}: {diags:?}"))
    }

    fn special(kind: &str, value: &str) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        check_indicator(&indicator(kind, value), &mut diags);
        diags
    }

    fn codes_of(kind: &str, value: &str) -> Vec<(&'static str, Severity)> {
        special(kind, value).iter().map(|d| (d.code.as_str(), d.severity)).collect()
    }

    #[test]
    fn public_addresses_and_the_seed_indicators_are_not_flagged() {
        for (kind, value) in [
            ("ip:port", "172[.]245[.]95[.]9:7601"),
            ("ip:port", "194[.]26[.]192[.]187:443"),
            ("ip", "172.32.0.1"),
            ("ip", "172.160.0.1"),
            ("ip", "172.222.171.197"),
            ("cidr", "172.32.0.0/11"),
            ("ip", "2606:4700:4700::1111"),
            ("domain", "evil-example.com"),
            ("url", "https://cdn.evil.ru/example.com/a"),
            ("email", "ops@examples.org"),
        ] {
            assert_eq!(codes_of(kind, value), [], "{kind} {value}");
        }
    }

    #[test]
    fn each_class_has_its_code_and_severity() {
        use Severity::{Error, Warning};
        assert_eq!(codes_of("ip", "192.0.2.1"), [("IOC026", Error)]);
        assert_eq!(codes_of("ip:port", "[2001:db8::1]:443"), [("IOC026", Error)]);
        assert_eq!(codes_of("ip", "0.0.0.0"), [("IOC028", Error)]);
        assert_eq!(codes_of("ip", "255.255.255.255"), [("IOC028", Error)]);
        assert_eq!(codes_of("ip", "::"), [("IOC028", Error)]);
        assert_eq!(codes_of("ip", "10.1.2.3"), [("IOC027", Warning)]);
        assert_eq!(codes_of("ip", "172.16.5.4"), [("IOC027", Warning)]);
        assert_eq!(codes_of("ip", "100.64.1.1"), [("IOC027", Warning)]);
        assert_eq!(codes_of("ip", "::1"), [("IOC027", Warning)]);
        assert_eq!(codes_of("ip", "fe80::1"), [("IOC027", Warning)]);
        assert_eq!(codes_of("ip", "fd00::1"), [("IOC027", Warning)]);
        assert_eq!(codes_of("ip", "224.0.0.251"), [("IOC027", Warning)]);
        assert_eq!(codes_of("ip", "198.18.0.1"), [("IOC027", Warning)]);
        assert_eq!(codes_of("ip", "::ffff:194.26.192.187"), [("IOC027", Warning)]);
        assert_eq!(codes_of("ip", "::ffff:192.0.2.1"), [("IOC026", Error)]);
        assert_eq!(codes_of("url", "http://203.0.113.9/payload"), [("IOC026", Error)]);
        assert_eq!(codes_of("url", "http://[fd00::1]:8080/"), [("IOC027", Warning)]);
        assert_eq!(codes_of("domain", "c2.example.com"), [("IOC029", Error)]);
        assert_eq!(codes_of("domain", "evil.test"), [("IOC029", Error)]);
        assert_eq!(codes_of("url", "hxxps://evil[.]example/x"), [("IOC029", Error)]);
        assert_eq!(codes_of("email", "ops@mail.example.net"), [("IOC029", Error)]);
        assert_eq!(codes_of("domain", "app.localhost"), [("IOC029", Error)]);
        assert_eq!(
            codes_of("cidr", "0.0.0.0/0"),
            [("IOC026", Error), ("IOC028", Error), ("IOC027", Warning)],
            "one finding per class"
        );
    }

    #[test]
    fn messages_name_the_range_and_its_rfc_at_the_value() {
        let diags = special("ip", "192.0.2.1");
        assert_eq!(
            diags[0].message,
            "Indicator `192.0.2.1` is in the documentation (TEST-NET-1) range `192.0.2.0/24`"
        );
        assert_eq!(diags[0].primary.span, at(0, 10));
        assert_eq!(diags[0].primary.message, "192.0.2.0/24: documentation (TEST-NET-1), RFC 5737");

        let diags = special("ip", "172.16.5.4");
        assert_eq!(
            diags[0].message,
            "Indicator `172.16.5.4` is in the private range `172.16.0.0/12`"
        );
        assert_eq!(diags[0].primary.message, "172.16.0.0/12: private, RFC 1918");

        let diags = special("cidr", "198.0.0.0/8");
        assert_eq!(
            diags[0].message,
            "Indicator `198.0.0.0/8` overlaps the documentation (TEST-NET-2) range `198.51.100.0/24`"
        );
        assert_eq!(
            diags[1].message,
            "Indicator `198.0.0.0/8` overlaps the benchmarking range `198.18.0.0/15`"
        );
        let diags = special("cidr", "10.20.0.0/16");
        assert_eq!(
            diags[0].message,
            "Indicator `10.20.0.0/16` is in the private range `10.0.0.0/8`"
        );

        let diags = special("ip", "::ffff:194.26.192.187");
        assert_eq!(
            diags[0].message,
            "Indicator `::ffff:194.26.192.187` is an IPv4-mapped IPv6 address"
        );
        assert_eq!(diags[0].help.as_deref(), Some("write the IPv4 address `194.26.192.187`"));

        let diags = special("cidr", "0.0.0.0/0");
        assert_eq!(
            diags[1].message,
            "Indicator `0.0.0.0/0` overlaps 3 reserved ranges: `0.0.0.0/8` (\"this network\"), `240.0.0.0/4` (reserved for future use), `255.255.255.255/32` (limited broadcast)"
        );
        let diags = special("url", "http://203.0.113.9/payload");
        assert_eq!(
            diags[0].message,
            "The host of URL indicator `http://203.0.113.9/payload` is in the documentation (TEST-NET-3) range `203.0.113.0/24`"
        );

        let diags = special("domain", "c2.example.com");
        assert_eq!(
            diags[0].message,
            "Indicator `c2.example.com` uses the reserved name `example.com` in the domain"
        );
        assert_eq!(
            diags[0].primary.message,
            "`example.com`: reserved second-level name for examples, RFC 2606"
        );
    }

    fn set(entries: &[(&str, &str, Option<&str>)], file: u32) -> IocSet {
        let mut diags = Vec::new();
        let indicators = entries
            .iter()
            .enumerate()
            .map(|(i, (kind, value, seen))| {
                let start = 100 * i as u32;
                let mut indicator = Indicator::parse(
                    kind,
                    at(file, start),
                    value,
                    at(file, start + 10),
                    &mut diags,
                )
                .unwrap();
                indicator.first_seen =
                    seen.map(|s| Located::new(Date::parse(s).unwrap(), at(file, start + 20)));
                indicator
            })
            .collect();
        IocSet::new(Provenance::default(), indicators, &mut diags)
    }

    #[test]
    fn age_is_measured_against_the_given_date() {
        let iocs = set(
            &[
                ("ip", "194.26.192.187", Some("2026-06-06")),
                ("ip", "172.245.95.9", Some("2026-09-05")),
                ("ip", "1.2.3.4", None),
                ("ip", "5.6.7.8", Some("2062-06-06")),
            ],
            0,
        );
        let as_of = Date::parse("2026-12-04").unwrap();
        let mut diags = Vec::new();
        check_age(&iocs, AgePolicy::new(as_of), &mut diags);
        let found: Vec<(&str, u32)> =
            diags.iter().map(|d| (d.code.as_str(), d.primary.span.start)).collect();
        // 181 days is over 90; 90 days exactly is not; no date, no check.
        assert_eq!(found, [("IOC031", 20), ("IOC032", 320)]);
        assert_eq!(
            diags[0].message,
            "Indicator `194.26.192.187` was first seen 181 days before 2026-12-04, over the maximum age of 90 days"
        );
        assert_eq!(diags[0].severity, Severity::Warning);

        let mut diags = Vec::new();
        check_age(&iocs, AgePolicy { as_of, max_age_days: Some(200) }, &mut diags);
        assert_eq!(diags.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["IOC032"]);
        let mut diags = Vec::new();
        check_age(&iocs, AgePolicy { as_of, max_age_days: None }, &mut diags);
        assert_eq!(diags.len(), 1, "off still reports a future date");
        let mut diags = Vec::new();
        let before = Date::parse("2026-06-06").unwrap();
        check_age(&iocs, AgePolicy::new(before), &mut diags);
        assert_eq!(diags.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["IOC032", "IOC032"]);
    }

    #[test]
    fn max_age_parses_days_weeks_and_off() {
        assert_eq!(parse_max_age("90"), Ok(Some(90)));
        assert_eq!(parse_max_age("90d"), Ok(Some(90)));
        assert_eq!(parse_max_age("12w"), Ok(Some(84)));
        assert_eq!(parse_max_age("off"), Ok(None));
        for bad in ["", "0", "-1", "3m", "1.5", "d", "99999999999", "4294967295w"] {
            assert!(parse_max_age(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn duplicates_across_specs_are_compared_normalised_and_point_at_both() {
        let a =
            set(&[("ip:port", "172[.]245[.]95[.]9:7601", None), ("domain", "Evil.RU", None)], 1);
        let b = set(
            &[
                ("ip:port", "172.245.95.9:7601", None),
                ("domain", "evil[.]ru.", None),
                ("url", "HTTP://EVIL.RU/Path", None),
                ("ip", "2001:0DB8:0::1", None),
            ],
            2,
        );
        let c = set(
            &[
                ("url", "http://evil.ru/PATH", None),
                ("ip", "2001:db8::1", None),
                ("ip", "172.245.95.9", None),
            ],
            3,
        );
        let diags = check_duplicates_across([("a.yaml", &a), ("b.yaml", &b), ("c.yaml", &c)]);
        let found: Vec<(u32, u32, String)> = diags
            .iter()
            .map(|d| (d.primary.span.file.0, d.primary.span.start, d.secondary[0].message.clone()))
            .collect();
        assert_eq!(
            found,
            [
                (2, 10, "first listed here, in `a.yaml`".to_string()),
                (2, 110, "first listed here, in `a.yaml`".to_string()),
                (3, 10, "first listed here, in `b.yaml`".to_string()),
                (3, 110, "first listed here, in `b.yaml`".to_string()),
            ],
            "an address alone is not the same indicator as the address with a port"
        );
        assert_eq!(diags[0].message, "Indicator `172.245.95.9:7601` is also listed in `a.yaml`");
        assert_eq!(diags[0].secondary[0].span, at(1, 10));
        assert!(diags.iter().all(|d| d.code == codes::IOC030_DUPLICATE_ACROSS_SPECS));
        assert!(check_duplicates_across([("a.yaml", &a)]).is_empty());
    }

    /// Sets `last_seen` of the indicator at `idx` (spans follow [`set`]: `100 * idx + 30`).
    fn last_seen(mut iocs: IocSet, idx: usize, date: &str) -> IocSet {
        let file = iocs.indicators[idx].span.file.0;
        let span = at(file, 100 * idx as u32 + 30);
        iocs.indicators[idx].last_seen = Some(Located::new(Date::parse(date).unwrap(), span));
        iocs
    }

    fn found(diags: &[Diagnostic]) -> Vec<(&str, u32, u32)> {
        diags
            .iter()
            .map(|d| (d.code.as_str(), d.primary.span.file.0, d.primary.span.start))
            .collect()
    }

    #[test]
    fn an_endpoint_whose_address_the_same_set_lists_alone_is_covered() {
        let mut diags = Vec::new();
        let indicators = [
            ("ip:port", "172[.]245[.]95[.]9:7601"),
            ("ip", "172.245.95.9"),
            ("ip:port", "[2001:DB8:0::1]:443"),
            ("ip", "2001:db8::1"),
            ("ip:port", "194.26.192.187:443"),
            ("cidr", "194.26.192.0/24"),
            ("ip", "::ffff:194.26.192.187"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (kind, value))| {
            let start = 100 * i as u32;
            Indicator::parse(kind, at(0, start), value, at(0, start + 10), &mut diags).unwrap()
        })
        .collect();
        let mut diags = Vec::new();
        let iocs = IocSet::new(Provenance::default(), indicators, &mut diags);
        assert_eq!(iocs.indicators.len(), 7, "nothing is dropped");
        // A range holding the address, or its IPv4-mapped form, does not cover it.
        assert_eq!(found(&diags), [("IOC033", 0, 10), ("IOC033", 0, 210)]);
        assert_eq!(diags[0].message, "Indicator `172.245.95.9:7601` is covered by `172.245.95.9`");
        assert_eq!(diags[0].severity, Severity::Warning);
        assert_eq!(diags[0].secondary[0].span, at(0, 110));
        assert_eq!(diags[0].secondary[0].message, "matches every port of this address");
        assert_eq!(
            diags[0].help.as_deref(),
            Some(
                "keep one: remove `172.245.95.9:7601` if any port is meant, or `172.245.95.9` if \
                 only port 7601 is"
            )
        );
        assert_eq!(diags[1].message, "Indicator `[2001:db8::1]:443` is covered by `2001:db8::1`");
    }

    #[test]
    fn an_endpoint_whose_address_another_spec_lists_alone_is_covered() {
        let a = set(&[("ip:port", "172[.]245[.]95[.]9:7601", None), ("ip", "1.2.3.4", None)], 1);
        let b = set(&[("ip", "172.245.95.9", None), ("ip:port", "1.2.3.4:80", None)], 2);
        let c = set(&[("ip", "172.245.95.9", None), ("ip:port", "172.245.95.9:443", None)], 3);
        let diags =
            check_covered_endpoints_across([("a.yaml", &a), ("b.yaml", &b), ("c.yaml", &c)]);
        // Whichever spec comes first, the finding is at the endpoint; c's own address covers
        // its endpoint, which the set's own check reports.
        assert_eq!(found(&diags), [("IOC033", 1, 10), ("IOC033", 2, 110)]);
        assert_eq!(
            diags[0].message,
            "Indicator `172.245.95.9:7601` is covered by `172.245.95.9` in `b.yaml`"
        );
        assert_eq!(diags[0].secondary[0].span, at(2, 10));
        assert_eq!(
            diags[0].secondary[0].message,
            "matches every port of this address, in `b.yaml`"
        );
        assert_eq!(diags[0].notes.len(), 2);
        assert_eq!(diags[1].message, "Indicator `1.2.3.4:80` is covered by `1.2.3.4` in `a.yaml`");

        // IOC030 still compares whole values: none of these is the same indicator twice but
        // the two `172.245.95.9`, reported at c.
        let run = check_run([("a.yaml", &a), ("b.yaml", &b), ("c.yaml", &c)], policy("2026-12-04"));
        assert_eq!(found(&run), [("IOC030", 3, 10), ("IOC033", 1, 10), ("IOC033", 2, 110)]);
    }

    fn policy(as_of: &str) -> AgePolicy {
        AgePolicy::new(Date::parse(as_of).unwrap())
    }

    #[test]
    fn age_runs_from_last_seen_when_there_is_one() {
        let iocs = set(
            &[
                ("ip", "194.26.192.187", Some("2026-01-01")),
                ("ip", "172.245.95.9", Some("2026-11-01")),
                ("ip", "1.2.3.4", None),
                ("ip", "5.6.7.8", Some("2026-01-01")),
                ("ip", "9.9.9.9", Some("2026-06-06")),
            ],
            0,
        );
        // Old first_seen, recent last_seen: still active. Recent first_seen cannot have an
        // old last_seen except by mistake (IOC035), which the age check leaves alone.
        let iocs = last_seen(iocs, 0, "2026-11-20");
        let iocs = last_seen(iocs, 1, "2026-06-06");
        let iocs = last_seen(iocs, 2, "2026-06-06");
        let iocs = last_seen(iocs, 3, "2027-01-01");
        let iocs = last_seen(iocs, 4, "2026-07-01");
        let mut diags = Vec::new();
        check_age(&iocs, policy("2026-12-04"), &mut diags);
        assert_eq!(
            found(&diags),
            [("IOC031", 0, 230), ("IOC036", 0, 330), ("IOC031", 0, 430)],
            "{diags:#?}"
        );
        assert_eq!(
            diags[0].message,
            "Indicator `1.2.3.4` was last seen 181 days before 2026-12-04, over the maximum age of 90 days"
        );
        assert_eq!(diags[0].primary.message, "last seen 2026-06-06");
        assert_eq!(
            diags[1].message,
            "`last_seen` 2027-01-01 of indicator `5.6.7.8` is after the as-of date 2026-12-04"
        );
        assert_eq!(diags[1].severity, Severity::Warning);

        let mut diags = Vec::new();
        check_age(&iocs, AgePolicy { max_age_days: None, ..policy("2026-12-04") }, &mut diags);
        assert_eq!(found(&diags), [("IOC036", 0, 330)], "off still reports a future date");
    }

    #[test]
    fn last_seen_before_first_seen_is_an_error_at_last_seen() {
        let iocs =
            last_seen(set(&[("ip", "172.245.95.9", Some("2026-06-06"))], 0), 0, "2026-05-06");
        let mut diags = Vec::new();
        crate::indicator::check_seen_order(&iocs.indicators[0], &mut diags);
        assert_eq!(found(&diags), [("IOC035", 0, 30)]);
        assert_eq!(diags[0].severity, Severity::Error);
        assert_eq!(
            diags[0].message,
            "`last_seen` 2026-05-06 of indicator `172.245.95.9` is before its `first_seen` 2026-06-06"
        );
        assert_eq!(diags[0].secondary[0].span, at(0, 20));

        let same_day = last_seen(set(&[("ip", "1.2.3.4", Some("2026-06-06"))], 0), 0, "2026-06-06");
        let mut diags = Vec::new();
        crate::indicator::check_seen_order(&same_day.indicators[0], &mut diags);
        assert_eq!(diags, []);
    }
}
