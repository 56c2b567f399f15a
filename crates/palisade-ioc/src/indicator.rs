//! Typed indicators of compromise: parsing, validation and normalisation.
//!
//! A spec's `iocs:` block becomes an [`IocSet`]: provenance plus [`Indicator`]s. Each indicator
//! is built from the text and span of its YAML `type` and `value` (the spec loader owns YAML;
//! this module owns what the text means). Defanged values are normalised once, here, and the
//! original text is kept. Invalid values are `IOC0xx` diagnostics at the value's span, and the
//! indicator is then left out of the set, so nothing downstream sees an unchecked value.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

use ipnet::IpNet;
use palisade_diagnostics::{Diagnostic, Span};

use crate::codes;
use crate::date::Date;
use crate::defang::refang;

/// A value and the span it was written at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it is written.
    pub span: Span,
}

impl<T> Located<T> {
    /// Wraps a value.
    pub fn new(value: T, span: Span) -> Self {
        Located { value, span }
    }
}

/// The `type` written for an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IndicatorType {
    /// `ip`: one IPv4 or IPv6 address.
    Ip,
    /// `ip:port`: an address and a port (`a.b.c.d:port` or `[v6]:port`).
    IpPort,
    /// `cidr`: an IPv4 or IPv6 range.
    Cidr,
    /// `domain`: a DNS name.
    Domain,
    /// `url`: an absolute URL.
    Url,
    /// `md5`: 32 hexadecimal digits.
    Md5,
    /// `sha1`: 40 hexadecimal digits.
    Sha1,
    /// `sha256`: 64 hexadecimal digits.
    Sha256,
    /// `hash`: a hash whose type follows from its length.
    Hash,
    /// `email`: a mail address.
    Email,
}

impl IndicatorType {
    /// Every type, in the order the docs list them.
    pub const ALL: [IndicatorType; 10] = [
        IndicatorType::Ip,
        IndicatorType::IpPort,
        IndicatorType::Cidr,
        IndicatorType::Domain,
        IndicatorType::Url,
        IndicatorType::Md5,
        IndicatorType::Sha1,
        IndicatorType::Sha256,
        IndicatorType::Hash,
        IndicatorType::Email,
    ];

    /// The name as written in a spec.
    pub const fn as_str(self) -> &'static str {
        match self {
            IndicatorType::Ip => "ip",
            IndicatorType::IpPort => "ip:port",
            IndicatorType::Cidr => "cidr",
            IndicatorType::Domain => "domain",
            IndicatorType::Url => "url",
            IndicatorType::Md5 => "md5",
            IndicatorType::Sha1 => "sha1",
            IndicatorType::Sha256 => "sha256",
            IndicatorType::Hash => "hash",
            IndicatorType::Email => "email",
        }
    }

    /// Looks a type up by its written name, ignoring ASCII case.
    pub fn from_name(name: &str) -> Option<IndicatorType> {
        IndicatorType::ALL.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for IndicatorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A file hash algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HashAlgorithm {
    /// MD5, 128 bits.
    Md5,
    /// SHA-1, 160 bits.
    Sha1,
    /// SHA-256, 256 bits.
    Sha256,
}

impl HashAlgorithm {
    /// The number of hexadecimal digits a hash of this type has.
    pub const fn hex_len(self) -> usize {
        match self {
            HashAlgorithm::Md5 => 32,
            HashAlgorithm::Sha1 => 40,
            HashAlgorithm::Sha256 => 64,
        }
    }

    /// The algorithm a hash of `len` hexadecimal digits has, if any.
    pub fn from_hex_len(len: usize) -> Option<HashAlgorithm> {
        [HashAlgorithm::Md5, HashAlgorithm::Sha1, HashAlgorithm::Sha256]
            .into_iter()
            .find(|algorithm| algorithm.hex_len() == len)
    }

    /// The lower-case name used in specs: `md5`, `sha1`, `sha256`.
    pub const fn as_str(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "md5",
            HashAlgorithm::Sha1 => "sha1",
            HashAlgorithm::Sha256 => "sha256",
        }
    }

    /// The name Sentinel's `FileHash` entity uses for `Algorithm`: `MD5`, `SHA1`, `SHA256`.
    pub const fn entity_name(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "MD5",
            HashAlgorithm::Sha1 => "SHA1",
            HashAlgorithm::Sha256 => "SHA256",
        }
    }
}

/// What kind of column an indicator is matched against; the catalog is keyed by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// IP addresses, address and port pairs, and ranges.
    Address,
    /// DNS names.
    Domain,
    /// URLs.
    Url,
    /// MD5 file hashes.
    Md5,
    /// SHA-1 file hashes.
    Sha1,
    /// SHA-256 file hashes.
    Sha256,
    /// Mail addresses.
    Email,
}

impl MatchKind {
    /// Every kind, in catalog order.
    pub const ALL: [MatchKind; 7] = [
        MatchKind::Address,
        MatchKind::Domain,
        MatchKind::Url,
        MatchKind::Md5,
        MatchKind::Sha1,
        MatchKind::Sha256,
        MatchKind::Email,
    ];

    /// The key used in the catalog data file.
    pub const fn as_str(self) -> &'static str {
        match self {
            MatchKind::Address => "address",
            MatchKind::Domain => "domain",
            MatchKind::Url => "url",
            MatchKind::Md5 => "md5",
            MatchKind::Sha1 => "sha1",
            MatchKind::Sha256 => "sha256",
            MatchKind::Email => "email",
        }
    }

    /// Looks a kind up by its catalog key.
    pub fn from_name(name: &str) -> Option<MatchKind> {
        MatchKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

impl fmt::Display for MatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A validated, normalised indicator value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IndicatorValue {
    /// One address.
    Address(IpAddr),
    /// An address and a port.
    Endpoint {
        /// The address.
        address: IpAddr,
        /// The port, 1-65535.
        port: u16,
    },
    /// A range, normalised to its network address.
    Network(IpNet),
    /// A DNS name in lower case, without a trailing dot.
    Domain(String),
    /// An absolute URL with a lower-case scheme.
    Url(String),
    /// A hash in lower-case hexadecimal.
    Hash {
        /// The algorithm, declared or inferred from the length.
        algorithm: HashAlgorithm,
        /// The digits.
        hex: String,
    },
    /// A mail address with a lower-case domain.
    Email(String),
}

impl IndicatorValue {
    /// Which catalog columns the value can be matched on.
    pub fn match_kind(&self) -> MatchKind {
        match self {
            IndicatorValue::Address(_)
            | IndicatorValue::Endpoint { .. }
            | IndicatorValue::Network(_) => MatchKind::Address,
            IndicatorValue::Domain(_) => MatchKind::Domain,
            IndicatorValue::Url(_) => MatchKind::Url,
            IndicatorValue::Hash { algorithm: HashAlgorithm::Md5, .. } => MatchKind::Md5,
            IndicatorValue::Hash { algorithm: HashAlgorithm::Sha1, .. } => MatchKind::Sha1,
            IndicatorValue::Hash { algorithm: HashAlgorithm::Sha256, .. } => MatchKind::Sha256,
            IndicatorValue::Email(_) => MatchKind::Email,
        }
    }

    /// The address part of an address, endpoint or range as a network (`/32` or `/128` for one
    /// address), for CIDR arithmetic.
    pub fn network(&self) -> Option<IpNet> {
        match self {
            IndicatorValue::Address(address) | IndicatorValue::Endpoint { address, .. } => {
                Some(IpNet::from(*address))
            }
            IndicatorValue::Network(network) => Some(*network),
            _ => None,
        }
    }

    /// The value as duplicates are compared: URLs and mail addresses wholly in lower case, as
    /// the generated queries match them (`in~`); domains, hashes and addresses are normalised
    /// already.
    pub fn comparison_key(&self) -> IndicatorValue {
        match self {
            IndicatorValue::Url(url) => IndicatorValue::Url(url.to_lowercase()),
            IndicatorValue::Email(email) => IndicatorValue::Email(email.to_lowercase()),
            other => other.clone(),
        }
    }

    /// The port of an endpoint.
    pub fn port(&self) -> Option<u16> {
        match self {
            IndicatorValue::Endpoint { port, .. } => Some(*port),
            _ => None,
        }
    }
}

impl fmt::Display for IndicatorValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndicatorValue::Address(address) => write!(f, "{address}"),
            IndicatorValue::Endpoint { address: IpAddr::V4(address), port } => {
                write!(f, "{address}:{port}")
            }
            IndicatorValue::Endpoint { address: IpAddr::V6(address), port } => {
                write!(f, "[{address}]:{port}")
            }
            IndicatorValue::Network(network) => write!(f, "{network}"),
            IndicatorValue::Domain(text)
            | IndicatorValue::Url(text)
            | IndicatorValue::Email(text) => f.write_str(text),
            IndicatorValue::Hash { hex, .. } => f.write_str(hex),
        }
    }
}

/// One indicator with its optional attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indicator {
    /// The type as written (`hash` stays `hash`; the value knows the algorithm).
    pub declared_type: IndicatorType,
    /// The normalised value.
    pub value: IndicatorValue,
    /// The value exactly as written, defanged or not, for reports.
    pub original: String,
    /// Where the value is written.
    pub span: Span,
    /// `threat_type`, for example `botnet_cc`.
    pub threat_type: Option<Located<String>>,
    /// `first_seen`: when the feed first saw the indicator.
    pub first_seen: Option<Located<Date>>,
    /// `last_seen`: when the feed last saw it; the indicator's age is measured from this date
    /// when it is given (see [`crate::hygiene::check_age`]).
    pub last_seen: Option<Located<Date>>,
    /// `confidence`, 0-100.
    pub confidence: Option<Located<u8>>,
}

impl Indicator {
    /// Parses one indicator from the text and span of its `type` and `value`.
    ///
    /// Returns `None` (with at least one error in `diags`) when the type or value is invalid;
    /// warnings such as a normalised CIDR are pushed while the indicator is still returned.
    pub fn parse(
        type_text: &str,
        type_span: Span,
        value_text: &str,
        value_span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Indicator> {
        let Some(declared_type) = IndicatorType::from_name(type_text) else {
            let names: Vec<&str> = IndicatorType::ALL.iter().map(|t| t.as_str()).collect();
            diags.push(
                Diagnostic::error(
                    codes::IOC001_UNKNOWN_TYPE,
                    format!("Unknown indicator type `{}`", type_text.trim()),
                    type_span,
                )
                .with_label("not an indicator type")
                .with_help(format!("use one of: {}", names.join(", "))),
            );
            return None;
        };

        let value = parse_value(declared_type, value_text, value_span, diags)?;
        Some(Indicator {
            declared_type,
            value,
            original: value_text.to_string(),
            span: value_span,
            threat_type: None,
            first_seen: None,
            last_seen: None,
            confidence: None,
        })
    }

    /// Whether the value was written defanged.
    pub fn was_defanged(&self) -> bool {
        refang(self.original.trim()) != self.original.trim()
    }
}

/// Parses `first_seen`: a date written `YYYY-MM-DD`.
pub fn parse_first_seen(
    text: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Located<Date>> {
    parse_seen(text, span, "first_seen", codes::IOC012_INVALID_DATE, diags)
}

/// Parses `last_seen`: a date written `YYYY-MM-DD`, as [`parse_first_seen`] does.
pub fn parse_last_seen(
    text: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Located<Date>> {
    parse_seen(text, span, "last_seen", codes::IOC034_INVALID_LAST_SEEN, diags)
}

fn parse_seen(
    text: &str,
    span: Span,
    key: &str,
    code: palisade_diagnostics::Code,
    diags: &mut Vec<Diagnostic>,
) -> Option<Located<Date>> {
    if let Some(date) = Date::parse(text.trim()) {
        return Some(Located::new(date, span));
    }

    diags.push(
        Diagnostic::error(code, format!("`{key}` value `{}` is not a date", text.trim()), span)
            .with_label("expected YYYY-MM-DD")
            .with_help("write the calendar date the feed gives, for example `2026-06-06`"),
    );
    None
}

/// An error (`IOC035`) when the indicator's `last_seen` is before its `first_seen`.
///
/// The indicator cannot have been seen last before it was seen first, so one of the dates is
/// wrong, and its age (measured from `last_seen`) cannot be trusted.
pub fn check_seen_order(indicator: &Indicator, diags: &mut Vec<Diagnostic>) {
    let (Some(first), Some(last)) = (&indicator.first_seen, &indicator.last_seen) else {
        return;
    };
    if last.value >= first.value {
        return;
    }

    diags.push(
        Diagnostic::error(
            codes::IOC035_LAST_SEEN_BEFORE_FIRST_SEEN,
            format!(
                "`last_seen` {} of indicator `{}` is before its `first_seen` {}",
                last.value, indicator.value, first.value
            ),
            last.span,
        )
        .with_label("last seen")
        .with_secondary(first.span, "first seen")
        .with_note(
            "an indicator cannot be seen last before it is seen first, so one date is wrong, and \
             the indicator's age is measured from `last_seen`",
        )
        .with_help("correct the dates from the feed, or swap them if they were written the wrong way round"),
    );
}

/// Parses `confidence`: a whole number from 0 to 100, optionally followed by `%`.
pub fn parse_confidence(
    text: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Located<u8>> {
    let trimmed = text.trim();
    let digits = trimmed.strip_suffix('%').unwrap_or(trimmed).trim();
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(value @ 0..=100) = digits.parse::<u32>() {
            return Some(Located::new(u8::try_from(value).expect("at most 100"), span));
        }
    }

    diags.push(
        Diagnostic::error(
            codes::IOC013_INVALID_CONFIDENCE,
            format!("`confidence` value `{trimmed}` is not a whole number from 0 to 100"),
            span,
        )
        .with_label("expected 0-100")
        .with_help(
            "write the feed's confidence as a percentage without decimals, for example `75`",
        ),
    );
    None
}

/// Where an indicator set came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The feed or report, for example `ThreatFox`.
    pub source: Option<Located<String>>,
    /// The malware family, for example `Unknown RAT`.
    pub malware_family: Option<Located<String>>,
    /// A link or identifier of the report.
    pub reference: Option<Located<String>>,
}

/// A detection's indicators and their provenance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IocSet {
    /// Where the indicators came from.
    pub provenance: Provenance,
    /// The valid indicators, in written order, without duplicates.
    pub indicators: Vec<Indicator>,
}

impl IocSet {
    /// Builds a set, dropping duplicates (same normalised value, see
    /// [`IndicatorValue::comparison_key`]) with a warning each (`IOC015`), and warning about
    /// each `ip:port` whose address the set lists alone too (`IOC033`, see
    /// [`crate::hygiene::check_covered_endpoints`]); both are kept.
    pub fn new(
        provenance: Provenance,
        indicators: Vec<Indicator>,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut first_at: HashMap<IndicatorValue, Span> = HashMap::new();
        let mut kept = Vec::with_capacity(indicators.len());
        for indicator in indicators {
            if let Some(first) = first_at.get(&indicator.value.comparison_key()) {
                diags.push(
                    Diagnostic::warning(
                        codes::IOC015_DUPLICATE,
                        format!("Indicator `{}` is listed twice", indicator.value),
                        indicator.span,
                    )
                    .with_label("duplicate")
                    .with_secondary(*first, "first listed here")
                    .with_note("the second entry is ignored, including its attributes")
                    .with_help("remove one of the entries"),
                );
                continue;
            }

            first_at.insert(indicator.value.comparison_key(), indicator.span);
            kept.push(indicator);
        }

        let set = IocSet { provenance, indicators: kept };
        crate::hygiene::check_covered_endpoints(&set, diags);
        set
    }
}

fn parse_value(
    declared_type: IndicatorType,
    value_text: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<IndicatorValue> {
    let value = refang(value_text.trim());
    if value.is_empty() {
        diags.push(Diagnostic::error(
            codes::IOC014_EMPTY_VALUE,
            format!("`{declared_type}` indicator has an empty value"),
            span,
        ));
        return None;
    }

    match declared_type {
        IndicatorType::Ip => parse_ip(&value, span, diags),
        IndicatorType::IpPort => parse_ip_port(&value, span, diags),
        IndicatorType::Cidr => parse_cidr(&value, span, diags),
        IndicatorType::Domain => match validate_domain(&value) {
            Ok(domain) => Some(IndicatorValue::Domain(domain)),
            Err(reason) => {
                diags.push(invalid(codes::IOC009_INVALID_DOMAIN, "domain", &value, span, &reason));
                None
            }
        },
        IndicatorType::Url => match validate_url(&value) {
            Ok(url) => {
                if let Some(port_text) = url_port(&url) {
                    let help = "write the port the URL uses, from 1 to 65535, \
                        or leave it out for the scheme's default";
                    parse_port(port_text, &value, span, Some(help), diags)?;
                }
                Some(IndicatorValue::Url(url))
            }
            Err(reason) => {
                diags.push(invalid(codes::IOC010_INVALID_URL, "URL", &value, span, &reason));
                None
            }
        },
        IndicatorType::Email => match validate_email(&value) {
            Ok(email) => Some(IndicatorValue::Email(email)),
            Err(reason) => {
                let diag =
                    invalid(codes::IOC011_INVALID_EMAIL, "email address", &value, span, &reason);
                diags.push(diag);
                None
            }
        },
        IndicatorType::Md5 => parse_hash(Some(HashAlgorithm::Md5), &value, span, diags),
        IndicatorType::Sha1 => parse_hash(Some(HashAlgorithm::Sha1), &value, span, diags),
        IndicatorType::Sha256 => parse_hash(Some(HashAlgorithm::Sha256), &value, span, diags),
        IndicatorType::Hash => parse_hash(None, &value, span, diags),
    }
}

fn invalid(
    code: palisade_diagnostics::Code,
    what: &str,
    value: &str,
    span: Span,
    reason: &str,
) -> Diagnostic {
    Diagnostic::error(code, format!("`{value}` is not a valid {what}"), span)
        .with_label(reason.to_string())
}

fn parse_ip(value: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Option<IndicatorValue> {
    if let Ok(address) = IpAddr::from_str(value) {
        if let IpAddr::V6(v6) = address {
            warn_if_port_like(v6, value, span, false, diags);
        }
        return Some(IndicatorValue::Address(address));
    }

    let mut diag = Diagnostic::error(
        codes::IOC002_INVALID_ADDRESS,
        format!("`{value}` is not a valid IP address"),
        span,
    )
    .with_label(address_problem(value));
    if split_endpoint(value).is_some() {
        diag = diag.with_help("the value has a port: use type `ip:port`");
    }
    diags.push(diag);
    None
}

fn parse_ip_port(value: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Option<IndicatorValue> {
    if let Some((address_text, port_text)) = split_endpoint(value) {
        let Ok(address) = IpAddr::from_str(address_text) else {
            diags.push(
                Diagnostic::error(
                    codes::IOC002_INVALID_ADDRESS,
                    format!("`{address_text}` in `{value}` is not a valid IP address"),
                    span,
                )
                .with_label(address_problem(address_text)),
            );
            return None;
        };
        if address.is_ipv6() && !value.starts_with('[') {
            diags.push(
                Diagnostic::error(
                    codes::IOC002_INVALID_ADDRESS,
                    format!("`{address_text}` in `{value}` is not a valid IPv4 address"),
                    span,
                )
                .with_help("write an IPv6 address with a port as `[address]:port`"),
            );
            return None;
        }

        let port = parse_port(port_text, value, span, None, diags)?;
        return Some(IndicatorValue::Endpoint { address, port });
    }

    if let Ok(IpAddr::V6(v6)) = IpAddr::from_str(value) {
        warn_if_port_like(v6, value, span, true, diags);
        return Some(IndicatorValue::Address(IpAddr::V6(v6)));
    }

    if IpAddr::from_str(value).is_ok() {
        diags.push(
            Diagnostic::error(
                codes::IOC003_INVALID_PORT,
                format!("`ip:port` indicator `{value}` has no port"),
                span,
            )
            .with_help(
                "add the port (`a.b.c.d:port`), or use type `ip` to match the address alone",
            ),
        );
        return None;
    }

    diags.push(
        Diagnostic::error(
            codes::IOC002_INVALID_ADDRESS,
            format!("`{value}` is not a valid address and port"),
            span,
        )
        .with_help("write `a.b.c.d:port` for IPv4 or `[address]:port` for IPv6"),
    );
    None
}

/// Splits `a.b.c.d:port` and `[v6]:port`; an unbracketed value with several colons is not an
/// endpoint, because it cannot be told apart from an IPv6 address.
fn split_endpoint(value: &str) -> Option<(&str, &str)> {
    if let Some(rest) = value.strip_prefix('[') {
        let (address, after) = rest.split_once(']')?;
        let port = after.strip_prefix(':')?;
        return Some((address, port));
    }

    let (address, port) = value.split_once(':')?;
    if port.contains(':') {
        return None;
    }
    Some((address, port))
}

fn parse_port(
    port_text: &str,
    value: &str,
    span: Span,
    help: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> Option<u16> {
    let numeric = !port_text.is_empty() && port_text.bytes().all(|b| b.is_ascii_digit());
    if numeric {
        if let Ok(port @ 1..=65535) = port_text.parse::<u32>() {
            return Some(u16::try_from(port).expect("at most 65535"));
        }
    }

    let mut diag = Diagnostic::error(
        codes::IOC003_INVALID_PORT,
        format!("Port `{port_text}` in `{value}` is not a valid port"),
        span,
    )
    .with_label("expected a port from 1 to 65535");
    if let Some(help) = help {
        diag = diag.with_help(help);
    }
    diags.push(diag);
    None
}

/// The port written in a URL's authority (`host:port`, `[v6]:port`), if any; an empty port
/// (`host:`), which RFC 3986 allows and means the scheme's default, is none.
fn url_port(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let port = match host_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']')?.1.strip_prefix(':')?,
        None => host_port.rsplit_once(':')?.1,
    };
    (!port.is_empty()).then_some(port)
}

/// A character named so that it reads plainly in a message, for example a double quote as
/// a double quote in parentheses after its name, a tab as U+0009; no backslash escapes and no
/// backtick quoting, which a lone backtick would break.
pub(crate) fn describe_char(c: char) -> String {
    let named = match c {
        '"' => "a double quote (\")",
        '\'' => "a single quote (')",
        '\\' => "a backslash (\\)",
        '`' => "a backtick (`)",
        '<' => "a less-than sign (<)",
        '>' => "a greater-than sign (>)",
        '{' => "an opening brace ({)",
        '}' => "a closing brace (})",
        '|' => "a vertical bar (|)",
        '^' => "a caret (^)",
        '@' => "an at sign (@)",
        '(' => "an opening parenthesis (()",
        ')' => "a closing parenthesis ())",
        ',' => "a comma (,)",
        ':' => "a colon (:)",
        ';' => "a semicolon (;)",
        '[' => "an opening bracket ([)",
        ']' => "a closing bracket (])",
        ' ' => "a space",
        c if c.is_control() => return format!("U+{:04X} (a control character)", u32::from(c)),
        c if c.is_whitespace() => return format!("U+{:04X} (a space character)", u32::from(c)),
        c if !c.is_ascii() => return format!("U+{:04X} ({c})", u32::from(c)),
        c => return format!("`{c}`"),
    };
    named.to_string()
}

/// Warns about `2001:db8::1:443`: valid as an address, but probably meant as address and port.
fn warn_if_port_like(
    address: Ipv6Addr,
    value: &str,
    span: Span,
    port_expected: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let last_group = value.rsplit(':').next().unwrap_or_default();
    let decimal = !last_group.is_empty() && last_group.bytes().all(|b| b.is_ascii_digit());
    let port_like =
        decimal && last_group.len() >= 2 && last_group.parse::<u32>().is_ok_and(|p| p <= 65535);
    if !(port_like || (port_expected && decimal)) {
        return;
    }

    let without_last = value.rsplit_once(':').map_or(value, |(head, _)| head);
    let suggestion = match Ipv6Addr::from_str(without_last) {
        Ok(head) => format!("write `[{head}]:{last_group}` for address and port"),
        Err(_) => "write an IPv6 address with a port as `[address]:port`".to_string(),
    };
    diags.push(
        Diagnostic::warning(
            codes::IOC004_AMBIGUOUS_IPV6_PORT,
            format!("`{value}` looks like an IPv6 address with a port"),
            span,
        )
        .with_label(format!("read as the address `{address}`"))
        .with_note("an unbracketed IPv6 value is always an address; its last group is not a port")
        .with_help(suggestion),
    );
}

fn address_problem(value: &str) -> String {
    let parts: Vec<&str> = value.split('.').collect();
    if parts.len() == 4
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        if let Some(octet) = parts.iter().find(|p| p.parse::<u32>().map_or(true, |n| n > 255)) {
            return format!("octet `{octet}` is above 255");
        }
        if parts.iter().any(|p| p.len() > 1 && p.starts_with('0')) {
            return "octets with leading zeros are ambiguous".to_string();
        }
    }
    "expected an IPv4 or IPv6 address".to_string()
}

fn parse_cidr(value: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Option<IndicatorValue> {
    match parse_network(value) {
        Ok(NetworkParse { network, had_host_bits: false }) => {
            Some(IndicatorValue::Network(network))
        }
        Ok(NetworkParse { network, had_host_bits: true }) => {
            diags.push(
                Diagnostic::warning(
                    codes::IOC006_CIDR_HOST_BITS,
                    format!("CIDR `{value}` has host bits set"),
                    span,
                )
                .with_label(format!("matched as `{network}`"))
                .with_note(
                    "a range is matched by its network; the bits after the prefix are ignored",
                )
                .with_help(format!("write `{network}`, or type `ip` if one address was meant")),
            );
            Some(IndicatorValue::Network(network))
        }
        Err(reason) => {
            diags.push(invalid(codes::IOC005_INVALID_CIDR, "CIDR range", value, span, &reason));
            None
        }
    }
}

/// A parsed range and whether it was written with host bits set.
pub(crate) struct NetworkParse {
    pub(crate) network: IpNet,
    pub(crate) had_host_bits: bool,
}

/// Parses `address/prefix` into its network; shared with exclusion conditions.
pub(crate) fn parse_network(value: &str) -> Result<NetworkParse, String> {
    let Some((address_text, prefix_text)) = value.split_once('/') else {
        return Err("expected `address/prefix`".to_string());
    };
    let Ok(address) = IpAddr::from_str(address_text) else {
        return Err(address_problem(address_text));
    };
    let max = if address.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix_text.parse::<u8>() {
        Ok(prefix) if prefix <= max && prefix_text.bytes().all(|b| b.is_ascii_digit()) => prefix,
        _ => return Err(format!("prefix length must be 0-{max}")),
    };

    let written =
        IpNet::new(address, prefix).map_err(|_| format!("prefix length must be 0-{max}"))?;
    let network = written.trunc();
    Ok(NetworkParse { network, had_host_bits: network != written })
}

fn parse_hash(
    declared: Option<HashAlgorithm>,
    value: &str,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<IndicatorValue> {
    if let Some(bad) = value.chars().find(|c| !c.is_ascii_hexdigit()) {
        diags.push(
            Diagnostic::error(
                codes::IOC007_INVALID_HASH,
                format!("Hash `{value}` contains `{bad}`, which is not a hexadecimal digit"),
                span,
            )
            .with_label("expected only 0-9 and a-f"),
        );
        return None;
    }

    let inferred = HashAlgorithm::from_hex_len(value.len());
    let algorithm = match (declared, inferred) {
        (Some(declared), Some(inferred)) if declared == inferred => declared,
        (None, Some(inferred)) => inferred,
        (Some(declared), Some(inferred)) => {
            diags.push(
                Diagnostic::error(
                    codes::IOC008_HASH_TYPE_MISMATCH,
                    format!(
                        "`{}` hash has {} hexadecimal digits, the length of a `{}` hash",
                        declared.as_str(),
                        value.len(),
                        inferred.as_str()
                    ),
                    span,
                )
                .with_label(format!(
                    "a `{}` hash has {} digits",
                    declared.as_str(),
                    declared.hex_len()
                ))
                .with_help(format!("use type `{}` or `hash`", inferred.as_str())),
            );
            return None;
        }
        (_, None) => {
            let expected = match declared {
                Some(declared) => {
                    format!("a `{}` hash has {} digits", declared.as_str(), declared.hex_len())
                }
                None => "a hash has 32 (MD5), 40 (SHA-1) or 64 (SHA-256) digits".to_string(),
            };
            diags.push(
                Diagnostic::error(
                    codes::IOC007_INVALID_HASH,
                    format!("Hash `{value}` has {} hexadecimal digits", value.len()),
                    span,
                )
                .with_label(expected),
            );
            return None;
        }
    };

    Some(IndicatorValue::Hash { algorithm, hex: value.to_ascii_lowercase() })
}

/// Validates a DNS name and returns it in lower case without a trailing dot.
pub(crate) fn validate_domain(value: &str) -> Result<String, String> {
    let domain = value.strip_suffix('.').unwrap_or(value).to_ascii_lowercase();
    if !domain.is_ascii() {
        return Err("non-ASCII names must be written in punycode (`xn--...`)".to_string());
    }
    if domain.len() > 253 {
        return Err("a domain name has at most 253 characters".to_string());
    }

    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err("expected at least two labels, such as `example.com`".to_string());
    }
    for label in &labels {
        if label.is_empty() || label.len() > 63 {
            return Err("each label has 1 to 63 characters".to_string());
        }
        if !label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(format!("label `{label}` may contain only letters, digits, `-` and `_`"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!("label `{label}` starts or ends with `-`"));
        }
    }
    let top = labels.last().expect("at least two labels");
    if top.bytes().all(|b| b.is_ascii_digit()) {
        return Err("an all-numeric top-level label: this looks like an IP address".to_string());
    }

    Ok(domain)
}

/// Validates an absolute URL and lower-cases its scheme.
///
/// Characters that RFC 3986 never allows unescaped in a URL (space, `"`, `\`, `<`, `>`, `{`,
/// `}`, `|`, `^`, backtick and control characters) make the value invalid; `'` is allowed, so
/// the KQL writer must and does escape it.
fn validate_url(value: &str) -> Result<String, String> {
    let Some((scheme, rest)) = value.split_once("://") else {
        return Err("expected `scheme://host/...`".to_string());
    };
    let scheme_ok = scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return Err(format!("`{scheme}` is not a URL scheme"));
    }
    if let Some(hidden) = crate::text::first_hidden(value) {
        return Err(format!(
            "{hidden} is an invisible or bidirectional control character, \
             which can make the URL read as something else"
        ));
    }
    if let Some(bad) = value.chars().find(|c| {
        c.is_control()
            || c.is_whitespace()
            || matches!(c, '"' | '\\' | '<' | '>' | '{' | '}' | '|' | '^' | '`')
    }) {
        return Err(format!("{} is not allowed in a URL; percent-encode it", describe_char(bad)));
    }

    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    if host.is_empty() {
        return Err("the URL has no host".to_string());
    }
    if !host.starts_with('[') && host.matches(':').count() > 1 {
        return Err(
            "an IPv6 host is written in brackets, as in `http://[2001:db8::1]/`".to_string()
        );
    }

    Ok(format!("{}://{rest}", scheme.to_ascii_lowercase()))
}

/// Validates `local@domain` and lower-cases the domain.
fn validate_email(value: &str) -> Result<String, String> {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return Err("expected `name@domain`".to_string());
    };
    if local.is_empty() || local.len() > 64 {
        return Err("the part before `@` has 1 to 64 characters".to_string());
    }
    if let Some(bad) = local.chars().find(|c| {
        !c.is_ascii_graphic()
            || matches!(c, '"' | '\\' | '@' | '(' | ')' | ',' | ':' | ';' | '<' | '>' | '[' | ']')
    }) {
        return Err(format!(
            "{} is not supported before `@` (quoted forms are not supported)",
            describe_char(bad)
        ));
    }
    let domain = validate_domain(domain)?;

    Ok(format!("{local}@{domain}"))
}

#[cfg(test)]
mod tests {
    use palisade_diagnostics::{FileId, Severity};

    use super::*;

    fn span() -> Span {
        Span::new(FileId(0), 10, 20)
    }

    fn parse(type_text: &str, value: &str) -> (Option<Indicator>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let indicator =
            Indicator::parse(type_text, Span::new(FileId(0), 0, 4), value, span(), &mut diags);
        (indicator, diags)
    }

    fn value(type_text: &str, value: &str) -> IndicatorValue {
        let (indicator, diags) = parse(type_text, value);
        assert!(diags.is_empty(), "{type_text} {value}: {diags:?}");
        indicator.unwrap().value
    }

    fn error_code(type_text: &str, value: &str) -> &'static str {
        let (indicator, diags) = parse(type_text, value);
        assert!(indicator.is_none(), "{type_text} {value} should be rejected");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].severity, Severity::Error);
        assert_eq!(diags[0].primary.span, span(), "errors point at the value");
        diags[0].code.as_str()
    }

    #[test]
    fn parses_the_seed_endpoints_from_defanged_text() {
        let (indicator, diags) = parse("ip:port", "172[.]245[.]95[.]9:7601");
        assert!(diags.is_empty());
        let indicator = indicator.unwrap();
        assert_eq!(
            indicator.value,
            IndicatorValue::Endpoint { address: "172.245.95.9".parse().unwrap(), port: 7601 }
        );
        assert_eq!(indicator.original, "172[.]245[.]95[.]9:7601");
        assert!(indicator.was_defanged());
        assert_eq!(indicator.value.to_string(), "172.245.95.9:7601");
        assert_eq!(
            value("ip:port", "194[.]26[.]192[.]187:443"),
            IndicatorValue::Endpoint { address: "194.26.192.187".parse().unwrap(), port: 443 }
        );
    }

    #[test]
    fn refangs_every_form_for_its_type() {
        assert_eq!(
            value("ip", "10(.)1[dot]2[.]3"),
            IndicatorValue::Address("10.1.2.3".parse().unwrap())
        );
        assert_eq!(
            value("ip:port", "10[.]1[.]2[.]3[:]8080"),
            IndicatorValue::Endpoint { address: "10.1.2.3".parse().unwrap(), port: 8080 }
        );
        assert_eq!(
            value("domain", "Evil[.]Example(dot)COM"),
            IndicatorValue::Domain("evil.example.com".into())
        );
        assert_eq!(
            value("url", "hxxps://evil[.]example/path?q=1"),
            IndicatorValue::Url("https://evil.example/path?q=1".into())
        );
        assert_eq!(
            value("url", "hxxp://evil[.]example/"),
            IndicatorValue::Url("http://evil.example/".into())
        );
        assert_eq!(
            value("email", "Ops[@]Evil[.]Example"),
            IndicatorValue::Email("Ops@evil.example".into())
        );
        assert_eq!(
            value("email", "ops[at]evil[.]example"),
            IndicatorValue::Email("ops@evil.example".into())
        );
    }

    #[test]
    fn bracketed_ipv6_with_port_is_address_and_port() {
        assert_eq!(
            value("ip:port", "[2001:db8::1]:443"),
            IndicatorValue::Endpoint { address: "2001:db8::1".parse().unwrap(), port: 443 }
        );
        assert_eq!(value("ip:port", "[2001:db8::1]:443").to_string(), "[2001:db8::1]:443");
    }

    #[test]
    fn unbracketed_ipv6_with_port_like_group_is_an_address_with_a_warning() {
        for type_text in ["ip:port", "ip"] {
            let (indicator, diags) = parse(type_text, "2001:db8::1:443");
            assert_eq!(
                indicator.unwrap().value,
                IndicatorValue::Address("2001:db8::1:443".parse().unwrap()),
                "{type_text}"
            );
            assert_eq!(diags.len(), 1);
            assert_eq!(diags[0].code, codes::IOC004_AMBIGUOUS_IPV6_PORT);
            assert_eq!(diags[0].severity, Severity::Warning);
            assert_eq!(
                diags[0].help.as_deref(),
                Some("write `[2001:db8::1]:443` for address and port")
            );
        }
        assert!(parse("ip", "2001:db8::1").1.is_empty(), "a short last group is no port");
    }

    #[test]
    fn rejects_invalid_addresses_and_ports() {
        assert_eq!(error_code("ip", "256.1.1.1"), "IOC002");
        assert_eq!(parse("ip", "256.1.1.1").1[0].primary.message, "octet `256` is above 255");
        assert_eq!(error_code("ip:port", "256.1.1.1:80"), "IOC002");
        assert_eq!(error_code("ip:port", "10.0.0.1:0"), "IOC003");
        assert_eq!(error_code("ip:port", "10.0.0.1:99999"), "IOC003");
        assert_eq!(error_code("ip:port", "10.0.0.1:http"), "IOC003");
        assert_eq!(error_code("ip:port", "10.0.0.1"), "IOC003");
        assert_eq!(error_code("ip:port", "[2001:db8::1]:65536"), "IOC003");
        assert_eq!(error_code("ip", "10.0.0.1:80"), "IOC002");
        assert_eq!(
            parse("ip", "10.0.0.1:80").1[0].help.as_deref(),
            Some("the value has a port: use type `ip:port`")
        );
        assert_eq!(error_code("ip", "010.0.0.1"), "IOC002");
        assert_eq!(error_code("ip", "10.0.0.1\"or\"1"), "IOC002");
        assert_eq!(
            value("ip:port", "10.0.0.1:65535"),
            IndicatorValue::Endpoint { address: "10.0.0.1".parse().unwrap(), port: 65535 }
        );
    }

    #[test]
    fn cidr_with_host_bits_is_normalised_with_a_warning() {
        assert_eq!(
            value("cidr", "172.16.0.0/12"),
            IndicatorValue::Network("172.16.0.0/12".parse().unwrap())
        );
        assert_eq!(
            value("cidr", "2001:db8::/32"),
            IndicatorValue::Network("2001:db8::/32".parse().unwrap())
        );
        let (indicator, diags) = parse("cidr", "172.16.5.4/12");
        assert_eq!(
            indicator.unwrap().value,
            IndicatorValue::Network("172.16.0.0/12".parse().unwrap())
        );
        assert_eq!(diags[0].code, codes::IOC006_CIDR_HOST_BITS);
        assert_eq!(diags[0].severity, Severity::Warning);
        assert_eq!(error_code("cidr", "10.0.0.0/33"), "IOC005");
        assert_eq!(error_code("cidr", "10.0.0.0"), "IOC005");
        assert_eq!(error_code("cidr", "300.0.0.0/8"), "IOC005");
        assert_eq!(error_code("cidr", "2001:db8::/129"), "IOC005");
    }

    #[test]
    fn hash_type_follows_from_length() {
        let md5 = "44d88612fea8a8f36de82e1278abb02f";
        let sha1 = "3395856ce81f2b7382dee72602f798b642f14140";
        let sha256 = "275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F";
        assert_eq!(
            value("hash", md5),
            IndicatorValue::Hash { algorithm: HashAlgorithm::Md5, hex: md5.into() }
        );
        assert_eq!(
            value("hash", sha1),
            IndicatorValue::Hash { algorithm: HashAlgorithm::Sha1, hex: sha1.into() }
        );
        assert_eq!(
            value("hash", sha256),
            IndicatorValue::Hash {
                algorithm: HashAlgorithm::Sha256,
                hex: sha256.to_ascii_lowercase()
            }
        );
        assert_eq!(value("sha256", sha256).match_kind(), MatchKind::Sha256);
        assert_eq!(error_code("md5", sha256), "IOC008");
        assert_eq!(parse("md5", sha256).1[0].help.as_deref(), Some("use type `sha256` or `hash`"));
        assert_eq!(error_code("md5", "44d88612fea8a8f36de82e1278abb0"), "IOC007");
        assert_eq!(error_code("hash", "44d88612fea8a8f36de82e1278abb0"), "IOC007");
        assert_eq!(error_code("sha1", "3395856ce81f2b7382dee72602f798b642f1414g"), "IOC007");
        assert_eq!(error_code("md5", "44d88612fea8a8f36de82e1278abb0'\""), "IOC007");
    }

    #[test]
    fn validates_domains_urls_and_emails() {
        assert_eq!(value("domain", "evil.example."), IndicatorValue::Domain("evil.example".into()));
        assert_eq!(error_code("domain", "localhost"), "IOC009");
        assert_eq!(error_code("domain", "10.0.0.1"), "IOC009");
        assert_eq!(error_code("domain", "evil\".example"), "IOC009");
        assert_eq!(error_code("domain", "-evil.example"), "IOC009");
        assert_eq!(error_code("url", "evil.example/path"), "IOC010");
        assert_eq!(error_code("url", "http://evil.example/a\"b"), "IOC010");
        assert_eq!(error_code("url", "http://evil.example/a\\b"), "IOC010");
        assert_eq!(error_code("url", "http:///path"), "IOC010");
        for (url, label) in [
            (
                "http://evil.example/a\"b",
                "a double quote (\") is not allowed in a URL; percent-encode it",
            ),
            (
                "http://evil.example/a\\b",
                "a backslash (\\) is not allowed in a URL; percent-encode it",
            ),
            (
                "http://evil.example/a`b",
                "a backtick (`) is not allowed in a URL; percent-encode it",
            ),
            ("http://evil.example/a b", "a space is not allowed in a URL; percent-encode it"),
            (
                "http://evil.example/a\tb",
                "U+0009 (a control character) is not allowed in a URL; percent-encode it",
            ),
        ] {
            let diags = parse("url", url).1;
            assert_eq!(diags[0].code, codes::IOC010_INVALID_URL);
            assert_eq!(diags[0].primary.message, label, "{url}");
        }
        assert_eq!(
            parse("email", "a\\b@evil.example").1[0].primary.message,
            "a backslash (\\) is not supported before `@` (quoted forms are not supported)"
        );
        for bad_port in [
            "https://evil.net:99999/x",
            "https://evil.net:0/x",
            "http://[2001:db8::1]:65536/",
            "http://u@evil.net:8o/",
        ] {
            let diags = parse("url", bad_port).1;
            assert_eq!(diags.len(), 1, "{bad_port}: {diags:?}");
            assert_eq!(diags[0].code, codes::IOC003_INVALID_PORT, "{bad_port}");
            assert_eq!(diags[0].primary.message, "expected a port from 1 to 65535");
            assert_eq!(
                diags[0].help.as_deref(),
                Some(
                    "write the port the URL uses, from 1 to 65535, or leave it out for the scheme's default"
                )
            );
        }
        assert_eq!(
            parse("url", "https://evil.net:99999/x").1[0].message,
            "Port `99999` in `https://evil.net:99999/x` is not a valid port"
        );
        for good in [
            "https://evil.net:65535/x",
            "http://[2001:db8::1]:8080/a:b",
            "http://evil.net:/x",
            "http://u:pw@evil.net/x?a=b:c",
        ] {
            assert!(parse("url", good).1.is_empty(), "{good}");
        }
        assert_eq!(
            error_code("url", "http://2001:db8::1/x"),
            "IOC010",
            "an IPv6 host needs brackets"
        );
        for hidden in ["\u{202E}", "\u{200B}", "\u{2066}", "\u{FEFF}", "\u{200F}"] {
            let url = format!("http://evil.ru/{hidden}gpj.exe");
            assert_eq!(error_code("url", &url), "IOC010", "{}", hidden.escape_unicode());
        }
        assert_eq!(
            parse("url", "http://evil.ru/\u{202E}gpj.exe").1[0].primary.message,
            "U+202E (right-to-left override) is an invisible or bidirectional control character, which can make the URL read as something else"
        );
        assert_eq!(
            value("url", "http://evil.ru/überweisung"),
            IndicatorValue::Url("http://evil.ru/überweisung".into()),
            "visible non-ASCII text stays allowed"
        );
        assert_eq!(
            value("url", "HTTP://evil.example/it's"),
            IndicatorValue::Url("http://evil.example/it's".into()),
            "a quote is legal in a URL and is escaped when written to KQL"
        );
        assert_eq!(value("email", "o'brien@evil.example").to_string(), "o'brien@evil.example");
        assert_eq!(error_code("email", "\"a\"@evil.example"), "IOC011");
        assert_eq!(error_code("email", "a\\b@evil.example"), "IOC011");
        assert_eq!(error_code("email", "evil.example"), "IOC011");
    }

    #[test]
    fn unknown_type_and_empty_value_are_errors() {
        let (indicator, diags) = parse("ja3", "abc");
        assert!(indicator.is_none());
        assert_eq!(diags[0].code, codes::IOC001_UNKNOWN_TYPE);
        assert_eq!(diags[0].primary.span, Span::new(FileId(0), 0, 4), "points at the type");
        assert_eq!(error_code("ip", "  "), "IOC014");
    }

    #[test]
    fn parses_attributes() {
        let mut diags = Vec::new();
        assert_eq!(parse_confidence("75%", span(), &mut diags).unwrap().value, 75);
        assert_eq!(parse_confidence("100", span(), &mut diags).unwrap().value, 100);
        assert_eq!(parse_confidence("0", span(), &mut diags).unwrap().value, 0);
        assert!(diags.is_empty());
        assert!(parse_confidence("101", span(), &mut diags).is_none());
        assert!(parse_confidence("-1", span(), &mut diags).is_none());
        assert!(parse_confidence("7.5", span(), &mut diags).is_none());
        assert_eq!(diags.len(), 3);
        assert!(diags.iter().all(|d| d.code == codes::IOC013_INVALID_CONFIDENCE));

        let mut diags = Vec::new();
        assert_eq!(
            parse_first_seen("2026-06-06", span(), &mut diags).unwrap().value.to_string(),
            "2026-06-06"
        );
        assert!(parse_first_seen("06/06/2026", span(), &mut diags).is_none());
        assert_eq!(diags[0].code, codes::IOC012_INVALID_DATE);
    }

    #[test]
    fn never_panics_and_always_explains_a_rejection() {
        let long = "a".repeat(300);
        let values = [
            "[",
            "]",
            "[]",
            "[:]",
            "[::1]",
            "[::1]:",
            "[::1]:x",
            "::",
            ":",
            ":80",
            "1.2.3.4:",
            "é",
            "1.2.3.é",
            "[é]:1",
            "0.0.0.0/0",
            "::/0",
            "/",
            "1.2.3.4/",
            "/8",
            "hxxp",
            "hxxp://",
            "http://",
            "@",
            "a@",
            "@b.c",
            "a@b",
            "ü@b.c",
            "xn--bcher-kva.example",
            "a..b",
            ".",
            "..",
            long.as_str(),
            "\u{0}",
            "	",
            "1.2.3.4\n",
        ];
        for indicator_type in IndicatorType::ALL {
            for value in values {
                let (indicator, diags) = parse(indicator_type.as_str(), value);
                let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
                assert!(
                    indicator.is_some() != (errors > 0),
                    "{indicator_type} {value:?}: {diags:?}"
                );
            }
        }
        assert_eq!(
            value("cidr", "0.0.0.0/0"),
            IndicatorValue::Network("0.0.0.0/0".parse().unwrap())
        );
        assert_eq!(
            value("domain", "xn--bcher-kva.example"),
            IndicatorValue::Domain("xn--bcher-kva.example".into())
        );
        assert_eq!(error_code("domain", "bücher.example"), "IOC009");
    }

    #[test]
    fn duplicate_indicators_are_dropped_with_a_warning() {
        let mut diags = Vec::new();
        let a = Indicator::parse("ip", span(), "10[.]0.0.1", span(), &mut diags).unwrap();
        let b =
            Indicator::parse("ip", span(), "10.0.0.1", Span::new(FileId(0), 30, 38), &mut diags)
                .unwrap();
        let set = IocSet::new(Provenance::default(), vec![a, b], &mut diags);
        assert_eq!(set.indicators.len(), 1);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, codes::IOC015_DUPLICATE);
        assert_eq!(diags[0].primary.span.start, 30);

        let mut diags = Vec::new();
        let urls = ["HTTP://Evil.RU/Path", "http://evil.ru/path", "http://evil.ru/path2"]
            .iter()
            .map(|u| Indicator::parse("url", span(), u, span(), &mut diags).unwrap())
            .collect();
        let set = IocSet::new(Provenance::default(), urls, &mut diags);
        assert_eq!(set.indicators.len(), 2, "URLs are matched ignoring case, so they compare so");
        assert_eq!(diags.len(), 1);
    }
}
