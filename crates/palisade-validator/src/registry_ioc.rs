//! Registry entries for the `IOC0xx` and `EXC0xx` codes that `palisade-ioc` defines.
//!
//! The codes and their one-line meanings live in `palisade_ioc::codes`; this table adds the
//! kebab-case name, the severity they are reported with and the user documentation, so that
//! `palisade explain`, SARIF rules and `docs/lints/` cover them like every other code.

use palisade_diagnostics::Severity;

use crate::registry::CodeInfo;

/// Every `IOC0xx` and `EXC0xx` code, ascending within each family.
#[rustfmt::skip]
pub const REGISTRY: &[CodeInfo] = &[
    CodeInfo::new(
        "IOC001",
        "unknown-indicator-type",
        Severity::Error,
        "The indicator `type` is not one Palisade knows",
        "## What it flags\nAn indicator whose `type` is not `ip`, `ip:port`, `cidr`, `domain`, `url`, `md5`, `sha1`, `sha256`, `hash` or `email`.\n\n## Why it matters\nThe type decides how the value is validated and which columns it is matched on; an unknown type cannot be matched anywhere.\n\n## Instead\nUse one of the listed types; `hash` lets the length pick `md5`, `sha1` or `sha256`.\n",
    ),
    CodeInfo::new(
        "IOC002",
        "invalid-ip-address",
        Severity::Error,
        "The value is not a valid IPv4 or IPv6 address",
        "## What it flags\nAn `ip` or `ip:port` value that is not an address, such as `256.1.1.1` or an octet with a leading zero (`010.1.1.1`).\n\n## Why it matters\nA query would compare against text no log contains, so the indicator would never match.\n\n## Instead\nCorrect the address; refang it if the feed wrote it in a style Palisade does not recognise.\n",
    ),
    CodeInfo::new(
        "IOC003",
        "invalid-port",
        Severity::Error,
        "The port is missing, not a number, or outside 1-65535",
        "## What it flags\nAn `ip:port` value whose port is absent, not a number, 0 or above 65535 (for example `1.2.3.4:99999`), and a `url` whose authority has such a port (`https://evil.example:99999/x`; an empty port, `https://evil.example:/x`, is the scheme's default and is accepted).\n\n## Why it matters\nNo connection has such a port; the pair could never match.\n\n## Instead\nWrite the port the report gives, or use `type: ip` when there is none; in a URL, leave the port out when the report gives none.\n",
    ),
    CodeInfo::new(
        "IOC004",
        "ambiguous-ipv6-port",
        Severity::Warning,
        "An unbracketed IPv6 value ends in a group that looks like a port",
        "## What it flags\nA value such as `2001:db8::1:443`, which is a valid IPv6 address but may have been meant as address and port.\n\n## Why it matters\nPalisade reads it as an address; if a port was meant, the detection matches the wrong address.\n\n## Instead\nWrite `[2001:db8::1]:443` with `type: ip:port`, or keep it as it is if it is the address.\n",
    ),
    CodeInfo::new(
        "IOC005",
        "invalid-cidr",
        Severity::Error,
        "The value is not a valid CIDR range",
        "## What it flags\nA `cidr` value that is not `address/prefix` with a prefix that fits the address family.\n\n## Why it matters\nA range that does not parse cannot be matched.\n\n## Instead\nWrite the range as `a.b.c.d/n` (n at most 32) or `ipv6/n` (n at most 128).\n",
    ),
    CodeInfo::new(
        "IOC006",
        "cidr-host-bits-set",
        Severity::Warning,
        "The CIDR range has host bits set; it is matched as its network",
        "## What it flags\nA range such as `10.1.2.3/8`, whose address has bits set past the prefix.\n\n## Why it matters\nThe range is matched as `10.0.0.0/8`, which may be wider than the author meant.\n\n## Instead\nWrite the network address (`10.0.0.0/8`), or a longer prefix if a smaller range was meant.\n",
    ),
    CodeInfo::new(
        "IOC007",
        "invalid-hash",
        Severity::Error,
        "The hash has non-hex characters or a length no hash type has",
        "## What it flags\nA hash value with characters outside 0-9 and a-f, or a length other than 32, 40 or 64.\n\n## Why it matters\nSuch a value matches no file hash column.\n\n## Instead\nCopy the hash again from the report; strip spaces and prefixes such as `sha256:`.\n",
    ),
    CodeInfo::new(
        "IOC008",
        "hash-type-mismatch",
        Severity::Error,
        "The hash's length belongs to another type than the declared one",
        "## What it flags\nA value declared `md5` with 64 hex digits, or any other length that contradicts the declared type.\n\n## Why it matters\nThe indicator would be matched on the wrong column and never fire.\n\n## Instead\nFix the declared type, or use `type: hash` and let the length decide.\n",
    ),
    CodeInfo::new(
        "IOC009",
        "invalid-domain",
        Severity::Error,
        "The value is not a valid domain name",
        "## What it flags\nA `domain` value with fewer than two labels, an empty or over-long label, or characters a DNS name cannot hold.\n\n## Why it matters\nIt would match no DNS or host column.\n\n## Instead\nWrite the domain without scheme, path or port (`example.com`).\n",
    ),
    CodeInfo::new(
        "IOC010",
        "invalid-url",
        Severity::Error,
        "The value is not a valid URL",
        "## What it flags\nA `url` value without a scheme and host, with characters a URL must percent-encode (`\"`, `\\`, spaces), or with an invisible or bidirectional control character (U+202E, U+200B and the like).\n\n## Why it matters\nIt would match no URL column, could not be written as a KQL literal unchanged, or would read as another URL in a review (U+202E displays `gpj.exe` as `exe.jpg`).\n\n## Instead\nWrite the whole URL with its scheme (`https://host/path`); refang `hxxp`.\n",
    ),
    CodeInfo::new(
        "IOC011",
        "invalid-email",
        Severity::Error,
        "The value is not a valid mail address",
        "## What it flags\nAn `email` value that is not `name@domain` with a valid domain.\n\n## Why it matters\nIt would match no mail column.\n\n## Instead\nWrite the address as `user@example.com`; refang `[@]` or `[at]`.\n",
    ),
    CodeInfo::new(
        "IOC012",
        "invalid-first-seen",
        Severity::Error,
        "`first_seen` is not a date",
        "## What it flags\nA `first_seen` value that is not a calendar date written `YYYY-MM-DD`.\n\n## Why it matters\nThe age of an indicator is judged from this date; an unreadable one cannot be judged.\n\n## Instead\nWrite the date as `2026-06-06`.\n",
    ),
    CodeInfo::new(
        "IOC013",
        "invalid-confidence",
        Severity::Error,
        "`confidence` is not a whole number from 0 to 100",
        "## What it flags\nA `confidence` outside 0-100 or not a whole number (`75` and `75%` are both accepted).\n\n## Why it matters\nConfidence is carried into reports; a value outside the scale misleads triage.\n\n## Instead\nWrite the feed's confidence as a percentage from 0 to 100.\n",
    ),
    CodeInfo::new(
        "IOC014",
        "empty-indicator",
        Severity::Error,
        "The indicator value is empty",
        "## What it flags\nAn indicator whose `value` is empty or only whitespace.\n\n## Why it matters\nAn empty value matches nothing, or everything empty, depending on the table.\n\n## Instead\nFill in the value or remove the entry.\n",
    ),
    CodeInfo::new(
        "IOC015",
        "duplicate-indicator",
        Severity::Warning,
        "The same indicator is listed twice; the second is ignored",
        "## What it flags\nTwo entries of one spec whose normalised values are equal (defanged and plain spellings count as equal, and URLs and mail addresses differing only in case, since they are matched ignoring case). The same indicator in two specs is IOC030.\n\n## Why it matters\nDuplicates make the list longer without matching more; the second entry's metadata is lost.\n\n## Instead\nKeep one entry; merge the metadata you need into it.\n",
    ),
    CodeInfo::new(
        "IOC016",
        "indicator-type-not-matchable",
        Severity::Warning,
        "An indicator type cannot be matched in a target table",
        "## What it flags\nAn indicator whose type has no column in one of the spec's `targets` (for example a hash on CommonSecurityLog's network sides), and an IPv4 or IPv6 address, range or address and port on a table whose address columns hold only the other family (the message then names the family, as in \"IPv6 `ip` indicators cannot be matched\").\n\n## Why it matters\nThat indicator is left out of that table's query, so the table cannot find it.\n\n## Instead\nAdd a target table that records this kind of value, or accept the gap.\n",
    ),
    CodeInfo::new(
        "IOC017",
        "nothing-to-match",
        Severity::Error,
        "No indicator can be matched in a target table, so there is no query",
        "## What it flags\nA target table on which none of the spec's indicator types has a column.\n\n## Why it matters\nPalisade would have to emit a rule that matches nothing.\n\n## Instead\nRemove the table from `targets`, or add indicators it can match.\n",
    ),
    CodeInfo::new(
        "IOC018",
        "unknown-target-table",
        Severity::Error,
        "The target table is not in the field catalog",
        "## What it flags\nA `targets` entry that names a table Palisade's field catalog does not describe.\n\n## Why it matters\nWithout the catalog Palisade does not know which columns hold addresses, hashes or names.\n\n## Instead\nUse a catalog table (see docs/iocs-and-exclusions.md), or write the query by hand.\n",
    ),
    CodeInfo::new(
        "IOC019",
        "no-port-column",
        Severity::Warning,
        "`match: address_port` on a side without a port column",
        "## What it flags\nA table side with an address column but no paired port column, under `match: address_port`.\n\n## Why it matters\nThat side can only match the address, so it may find traffic on other ports.\n\n## Instead\nAccept it, or use `match: address` for this detection.\n",
    ),
    CodeInfo::new(
        "IOC020",
        "generated-query-too-long",
        Severity::Error,
        "The generated query is over Sentinel's 10,000-character limit",
        "## What it flags\nAn IOC detection whose generated KQL for one table is longer than 10,000 characters.\n\n## Why it matters\nSentinel rejects the rule at deployment.\n\n## Instead\nSplit the indicators over several detections, or move them to a watchlist or threat intelligence.\n",
    ),
    CodeInfo::new(
        "IOC021",
        "unknown-match-mode",
        Severity::Error,
        "`match` is not `address` or `address_port`",
        "## What it flags\nA `match` value other than the two modes.\n\n## Why it matters\nThe mode decides whether ports are part of the match; an unknown one cannot be compiled.\n\n## Instead\nWrite `match: address` (the default) or `match: address_port`.\n",
    ),
    CodeInfo::new(
        "IOC022",
        "unwritable-indicator-value",
        Severity::Error,
        "An indicator value holds a control character",
        "## What it flags\nA value built without validation that contains a control character no KQL literal should hold.\n\n## Why it matters\nIt is left out of the query rather than written in a form that could change its meaning.\n\n## Instead\nRemove the control character from the value.\n",
    ),
    CodeInfo::new(
        "IOC023",
        "ioc-fields-without-iocs",
        Severity::Error,
        "IOC fields are set but the spec has no `iocs`",
        "## What it flags\n`targets`, `match`, `exclusions` or `internal_networks` on a spec without `iocs`.\n\n## Why it matters\nThose fields only steer query generation; without indicators they do nothing and suggest a mistake.\n\n## Instead\nAdd the `iocs` block, or remove the IOC fields.\n",
    ),
    CodeInfo::new(
        "IOC024",
        "iocs-with-query",
        Severity::Error,
        "The spec has both `iocs` and a hand-written `query`",
        "## What it flags\nA spec with an `iocs` block and a `query`.\n\n## Why it matters\nPalisade generates the query from the indicators; it cannot also keep a hand-written one.\n\n## Instead\nRemove `query`, or move the indicators into the hand-written query and remove `iocs`.\n",
    ),
    CodeInfo::new(
        "IOC025",
        "iocs-without-targets",
        Severity::Error,
        "The IOC spec has no `targets`",
        "## What it flags\nA spec with `iocs` but no `targets` list.\n\n## Why it matters\nWithout tables there is no query to generate.\n\n## Instead\nList the tables to hunt in, for example `targets: [CommonSecurityLog, DeviceNetworkEvents]`.\n",
    ),
    CodeInfo::new(
        "IOC026",
        "documentation-address",
        Severity::Error,
        "The indicator is, or overlaps, an address range set aside for documentation",
        "## What it flags\nAn `ip`, `ip:port`, `cidr` or URL-host indicator in, or overlapping, a documentation range: `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24` (RFC 5737), `2001:db8::/32` (RFC 3849) or `3fff::/20` (RFC 9637). An IPv4-mapped IPv6 value is checked by its IPv4 address.\n\n## Why it matters\nThese ranges are never routed on the internet; they exist for examples. An indicator in one is almost always an example address pasted from a write-up or a template, so the detection would never see the real infrastructure. That is why it is an error, not a warning.\n\n## Example\n```yaml\n- type: ip\n  value: 192.0.2.10\n```\n\n## Instead\nCopy the address the report gives, or remove the indicator. Tests and samples that need such an address on purpose can silence the code for the spec with the reason.\n",
    ),
    CodeInfo::new(
        "IOC027",
        "non-public-address",
        Severity::Warning,
        "The indicator is, or overlaps, a private, shared, loopback, link-local, benchmarking, multicast or IPv4-mapped address",
        "## What it flags\nAn address or range indicator in, or overlapping: `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16` (RFC 1918), `100.64.0.0/10` (RFC 6598), `127.0.0.0/8` (RFC 1122), `169.254.0.0/16` (RFC 3927), `198.18.0.0/15` (RFC 2544), `224.0.0.0/4` (RFC 5771), `::1`, `fe80::/10`, `ff00::/8`, `::ffff:0:0/96` (RFC 4291), `2001:2::/48` (RFC 5180), `fc00::/7` (RFC 4193). For an IPv4-mapped value the IPv4 address is checked; a public one is reported as mapped, with the IPv4 form to write.\n\n## Why it matters\nReal traffic has these addresses, but they name hosts on a private, shared or local network, not an attacker's server on the internet. Feeds list them by mistake (sandbox traffic), and the rule would fire on your own hosts. It is a warning because an internal detection can mean such a host on purpose.\n\n## Example\n```yaml\n- type: ip\n  value: 172.16.5.4\n```\n\n## Instead\nRemove the indicator; if the detection is about that host on purpose, silence IOC027 for the spec with the reason (`palisade: {allow: [{code: IOC027, reason: ...}]}`).\n",
    ),
    CodeInfo::new(
        "IOC028",
        "reserved-address",
        Severity::Error,
        "The indicator is, or overlaps, an address no host can have",
        "## What it flags\nAn address or range indicator in, or overlapping: `0.0.0.0/8` (\"this network\", RFC 1122), `240.0.0.0/4` (reserved, RFC 1112), `255.255.255.255` (limited broadcast, RFC 919) or `::` (unspecified, RFC 4291).\n\n## Why it matters\nNo remote host has such an address. Logs write `0.0.0.0` or `::` where an address is missing and broadcast for local discovery, so the rule would match unrelated rows, and the value is a parsing or copying mistake.\n\n## Instead\nCorrect the indicator from the report, or remove it.\n",
    ),
    CodeInfo::new(
        "IOC029",
        "reserved-domain",
        Severity::Error,
        "A domain, URL or mail indicator uses a reserved name",
        "## What it flags\nA `domain`, the host of a `url` or the domain of an `email` that is, or ends in, `example`, `test`, `invalid` (RFC 2606), `localhost` (RFC 6761), `example.com`, `example.net` or `example.org` (RFC 2606). Whole labels count: `notexample.com` is fine.\n\n## Why it matters\nReserved names never resolve to anyone's server on the internet; an indicator under one is an example copied from a write-up or a template.\n\n## Example\n```yaml\n- type: domain\n  value: c2[.]example[.]com\n```\n\n## Instead\nCopy the name the report gives, or remove the indicator.\n",
    ),
    CodeInfo::new(
        "IOC030",
        "duplicate-indicator-across-specs",
        Severity::Warning,
        "The same indicator is listed in another spec of the run too",
        "## What it flags\nAn indicator that an earlier spec (in path order) already lists. Values are compared as they are matched: refanged, domains, URLs, mail addresses and hashes ignoring case, addresses canonical (`2001:0DB8::1` is `2001:db8::1`). An address alone and the same address with a port are not the same indicator; that pair is IOC033. The finding is at the later spec's value, with the first listing as the related location.\n\n## Why it matters\nBoth detections alert on the same events, doubling alerts, and a later change to one copy (removing the indicator, excluding it) misses the other.\n\n## Instead\nKeep the indicator in one spec; if both detections need it, silence IOC030 in one of them with the reason.\n",
    ),
    CodeInfo::new(
        "IOC031",
        "indicator-too-old",
        Severity::Warning,
        "The indicator was last seen, or first seen, longer ago than the maximum indicator age",
        "## What it flags\nAn indicator whose `last_seen`, or without one its `first_seen`, lies more than the maximum age before the as-of date: an indicator is old when the feed last saw it long ago, however recently it first saw it. The as-of date is today's date in UTC unless `--as-of YYYY-MM-DD` sets it; the maximum age is 90 days unless `--ioc-max-age` sets it (`120`, `120d`, `16w`, or `off`). Indicators with neither date are not checked, nor those whose `last_seen` is before their `first_seen` (IOC035).\n\n## Why it matters\nServers and names behind old indicators are often taken down or handed to someone else; the rule then alerts on unrelated traffic, or keeps running for nothing. 90 days is about one quarter, a common review cycle for indicator lists.\n\n## Instead\nCheck that the feed still lists the indicator as active; remove it, or silence IOC031 for the spec with the reason. Set `--ioc-max-age` to the review cycle your team keeps.\n",
    ),
    CodeInfo::new(
        "IOC032",
        "first-seen-in-the-future",
        Severity::Warning,
        "The indicator's `first_seen` is after the as-of date",
        "## What it flags\nA `first_seen` date later than the as-of date (today in UTC, or `--as-of`).\n\n## Why it matters\nA date in the future is usually a typo (`2062` for `2026`), and it keeps the indicator from ever counting as old (IOC031).\n\n## Instead\nWrite the date the feed gives, or check the run's `--as-of` date.\n",
    ),
    CodeInfo::new(
        "IOC033",
        "endpoint-covered-by-address",
        Severity::Warning,
        "An `ip:port` indicator's address is listed alone too",
        "## What it flags\nAn `ip:port` indicator whose address is also an `ip` indicator, in the same spec or in another spec of the run. Addresses are compared as IOC030 compares them (refanged, canonical). The finding is at the `ip:port` value, with the address as the related location (the earliest spec in path order that lists it, when it is another spec). An address inside a listed `cidr` range is not flagged.\n\n## Why it matters\nAn `ip` indicator matches its address on every port, so the `ip:port` one adds no event: with `match: address` (the default) both match the address alone, and with `match: address_port` the pair matches a subset of what the address matches. Across specs, both detections alert on the same events, and a later change to one (removing the address, excluding it) misses the other.\n\n## Example\n```yaml\nindicators:\n  - type: ip\n    value: 172[.]245[.]95[.]9\n  - type: ip:port\n    value: 172[.]245[.]95[.]9:7601\n```\n\n## Instead\nKeep one: remove the `ip:port` indicator if any port is meant, or the `ip` indicator if only that port is.\n",
    ),
    CodeInfo::new(
        "IOC034",
        "invalid-last-seen",
        Severity::Error,
        "`last_seen` is not a date",
        "## What it flags\nA `last_seen` value that is not a calendar date written `YYYY-MM-DD`.\n\n## Why it matters\nThe age of an indicator is measured from this date when it is given; an unreadable one cannot be measured.\n\n## Instead\nWrite the date as `2026-06-06`.\n",
    ),
    CodeInfo::new(
        "IOC035",
        "last-seen-before-first-seen",
        Severity::Error,
        "The indicator's `last_seen` is before its `first_seen`",
        "## What it flags\nAn indicator whose `last_seen` date is earlier than its `first_seen` date. The finding is at `last_seen`, with `first_seen` as the related location.\n\n## Why it matters\nAn indicator cannot be seen last before it is seen first, so one of the dates is wrong. The age check (IOC031) measures from `last_seen` and skips such an indicator.\n\n## Example\n```yaml\n- type: ip\n  value: 172[.]245[.]95[.]9\n  first_seen: 2026-06-06\n  last_seen: 2026-05-06\n```\n\n## Instead\nCorrect the dates from the feed, or swap them if they were written the wrong way round.\n",
    ),
    CodeInfo::new(
        "IOC036",
        "last-seen-in-the-future",
        Severity::Warning,
        "The indicator's `last_seen` is after the as-of date",
        "## What it flags\nA `last_seen` date later than the as-of date (today in UTC, or `--as-of`), as IOC032 does for `first_seen`.\n\n## Why it matters\nA date in the future is usually a typo (`2062` for `2026`), and it keeps the indicator from ever counting as old (IOC031).\n\n## Instead\nWrite the date the feed gives, or check the run's `--as-of` date.\n",
    ),
    CodeInfo::new(
        "IOC037",
        "duplicate-target",
        Severity::Warning,
        "A table is listed twice in `targets`; it is compiled once",
        "## What it flags\nA table name that `targets` lists again (names are compared exactly, as KQL compares table names). The finding is at the repetition, with the first listing as the related location.\n\n## Why it matters\nEach target becomes one analytics rule and one hunting query with an id derived from the spec and the table; a second copy would compile to the same resource names (EMIT003) and deploy nothing new.\n\n## Example\n```yaml\ntargets: [CommonSecurityLog, DeviceNetworkEvents, DeviceNetworkEvents]\n```\n\n## Instead\nRemove the repeated entry.\n",
    ),
    CodeInfo::new(
        "EXC001",
        "unknown-exclusion-field",
        Severity::Error,
        "The condition names a field the catalog does not define",
        "## What it flags\nA condition key that is not one of the logical fields (`source_address`, `process_name`, `account`, ...).\n\n## Why it matters\nAn unknown field cannot be mapped to any table's column.\n\n## Instead\nUse a logical field from docs/iocs-and-exclusions.md; the message names the nearest one.\n",
    ),
    CodeInfo::new(
        "EXC002",
        "invalid-exclusion-value",
        Severity::Error,
        "A condition value is not valid for its field",
        "## What it flags\nA CIDR, hash, port or name that is not valid for the condition's field, including a name with an invisible or bidirectional control character.\n\n## Why it matters\nAn invalid value would either match nothing or be written as a wrong literal.\n\n## Instead\nCorrect the value; addresses are CIDR ranges or single addresses.\n",
    ),
    CodeInfo::new(
        "EXC003",
        "exclusion-field-not-in-table",
        Severity::Warning,
        "A condition's field has no column in a target table",
        "## What it flags\nA condition on a field that one of the detection's target tables does not record.\n\n## Why it matters\nThe condition cannot be evaluated there: inside `all` the exclusion then removes nothing on that table, inside `any` the other members still apply. It is never silently dropped.\n\n## Instead\nAccept it if the scenario does not occur on that table, or scope the exclusion to the tables it fits.\n",
    ),
    CodeInfo::new(
        "EXC004",
        "unknown-exclusion",
        Severity::Error,
        "A detection lists an exclusion id that no exclusion file defines",
        "## What it flags\nAn entry in `exclusions:` that matches no `exclusions/*.yaml` id; the message names the nearest known id. When a file with that id exists but fails to load, the finding is EXC017 instead.\n\n## Why it matters\nThe false-positive scenario the author meant to exclude would still alert.\n\n## Instead\nFix the id, or add the exclusion file.\n",
    ),
    CodeInfo::new(
        "EXC005",
        "exclusion-suppresses-indicator",
        Severity::Warning,
        "An applied exclusion would suppress one of the detection's indicators",
        "## What it flags\nAn indicator that lies inside an applied exclusion (checked with exact CIDR arithmetic: 172.16.5.4 is inside 172.16.0.0/12, 172.245.95.9 is not).\n\n## Why it matters\nThe detection could never fire for that indicator.\n\n## Instead\nNarrow the exclusion, or drop the indicator if it is really benign.\n",
    ),
    CodeInfo::new(
        "EXC006",
        "exclusion-hides-detection",
        Severity::Warning,
        "The exclusion removes every event the detection exists to find",
        "## What it flags\nAn exclusion on internal source addresses applied to a rule about internal hosts reaching indicators, and similar cases.\n\n## Why it matters\nEvery true positive of the detection would be filtered out.\n\n## Instead\nNarrow the exclusion to the specific servers, or scope it away from that table.\n",
    ),
    CodeInfo::new(
        "EXC007",
        "exclusion-expired",
        Severity::Warning,
        "The exclusion's `expires` date has passed; it is still applied",
        "## What it flags\nAn exclusion whose `expires` is before the as-of date: today in UTC, or the date `--as-of YYYY-MM-DD` sets (the same date IOC031 measures indicator age against).\n\n## Why it matters\nExpired exclusions are meant to be reviewed; it is still applied so that builds do not change by date.\n\n## Instead\nReview the scenario: extend `expires` or delete the exclusion.\n",
    ),
    CodeInfo::new(
        "EXC008",
        "empty-condition",
        Severity::Error,
        "`all`/`any` has no members, or a condition has no values",
        "## What it flags\nAn empty `all`, `any` or value list.\n\n## Why it matters\nAn empty condition has no clear meaning (all of nothing is true), so it could remove every row.\n\n## Instead\nAdd the members or values, or remove the condition.\n",
    ),
    CodeInfo::new(
        "EXC009",
        "exclusion-cidr-host-bits",
        Severity::Error,
        "An exclusion CIDR has host bits set",
        "## What it flags\nA range such as `10.1.2.3/8` in an exclusion.\n\n## Why it matters\nIt is rejected rather than widened, because an exclusion must never remove more than intended.\n\n## Instead\nWrite the network address, or a longer prefix.\n",
    ),
    CodeInfo::new(
        "EXC010",
        "exclusion-missing-field",
        Severity::Error,
        "`id`, `title`, `scenario`, `rationale` or `owner` is empty",
        "## What it flags\nAn exclusion file without one of its required descriptive fields.\n\n## Why it matters\nExclusions hide alerts; reviewers need the scenario, the reason and who answers for it.\n\n## Instead\nFill in the field.\n",
    ),
    CodeInfo::new(
        "EXC011",
        "invalid-expires",
        Severity::Error,
        "`expires` is not a date",
        "## What it flags\nAn `expires` value that is not a calendar date written `YYYY-MM-DD`.\n\n## Why it matters\nThe expiry could not be checked.\n\n## Instead\nWrite the last day the exclusion applies, as `2027-06-30`.\n",
    ),
    CodeInfo::new(
        "EXC012",
        "exclusion-id-not-kebab-case",
        Severity::Error,
        "The exclusion id is not kebab-case",
        "## What it flags\nAn `id` with characters other than lower-case letters, digits and single hyphens.\n\n## Why it matters\nIds are referenced from specs and used in generated comments; one spelling avoids mismatches.\n\n## Instead\nRename it, for example `splunk-forwarder-log-collection`.\n",
    ),
    CodeInfo::new(
        "EXC013",
        "unwritable-exclusion-value",
        Severity::Error,
        "A condition value holds a control character",
        "## What it flags\nA value built without validation that contains a control character.\n\n## Why it matters\nThe exclusion is not applied rather than written as a literal that could change its meaning.\n\n## Instead\nRemove the control character.\n",
    ),
    CodeInfo::new(
        "EXC014",
        "duplicate-exclusion-id",
        Severity::Error,
        "Two exclusion files define the same id",
        "## What it flags\nA second file with an id that is already defined; the second is not loaded.\n\n## Why it matters\nSpecs would silently get one of the two meanings.\n\n## Instead\nGive each exclusion its own id.\n",
    ),
    CodeInfo::new(
        "EXC015",
        "unused-exclusion",
        Severity::Note,
        "No detection applies the exclusion",
        "## What it flags\nAn exclusion file that no loaded detection references.\n\n## Why it matters\nThis is fine: it is kept for detections that will use it. The note helps find stale files.\n\n## Instead\nReference it from a detection, or delete it when it is no longer needed.\n",
    ),
    CodeInfo::new(
        "EXC016",
        "exclusion-scope-not-a-target",
        Severity::Warning,
        "An exclusion reference is scoped to a table that is not one of the spec's targets",
        "## What it flags\nAn `exclusions:` entry with `targets: [...]` naming a table the spec does not hunt in.\n\n## Why it matters\nThe scope has no effect and probably names the wrong table.\n\n## Instead\nScope it to one of the spec's `targets`, or remove the scope.\n",
    ),
    CodeInfo::new(
        "EXC017",
        "exclusion-failed-to-load",
        Severity::Error,
        "A detection lists an exclusion whose file failed to load",
        "## What it flags\nAn `exclusions:` entry whose id is defined by an exclusion file that has errors. The finding is at the reference; the related locations are the file's `id` and the first error in the file.\n\n## Why it matters\nAn exclusion that is only partly understood is never applied, so the detection cannot be built as written. Saying the id is unknown (EXC004) would send you looking for a file that exists.\n\n## Instead\nFix the error in the exclusion file.\n",
    ),
    CodeInfo::new(
        "EXC018",
        "hidden-character-in-exclusion",
        Severity::Error,
        "An exclusion's text holds an invisible or bidirectional control character",
        "## What it flags\nAn `id`, `title`, `scenario`, `rationale` or `owner` containing a bidirectional control (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), a zero-width character (U+200B-U+200D, U+2060, U+FEFF), a soft hyphen or a line or paragraph separator. The same characters in a condition value are EXC002, and in a URL indicator IOC010.\n\n## Why it matters\nThey change how the text reads in a review and in the generated query's comments without being visible: U+202E can make `exe.jpg` display as `gpj.exe`. The exclusion is not loaded.\n\n## Instead\nRetype the text without the character.\n",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_exactly_the_codes_palisade_ioc_defines() {
        let registered: Vec<&str> = REGISTRY.iter().map(|info| info.code.as_str()).collect();
        let defined: Vec<&str> =
            palisade_ioc::codes::ALL.iter().map(|code| code.as_str()).collect();
        assert_eq!(registered, defined);
    }

    #[test]
    fn every_entry_has_the_documented_headings() {
        for info in REGISTRY {
            for heading in ["## What it flags\n", "## Why it matters\n", "## Instead\n"] {
                assert!(info.docs.contains(heading), "{} lacks {heading:?}", info.code);
            }
            assert!(!info.summary.ends_with('.'), "{}", info.code);
        }
    }
}
