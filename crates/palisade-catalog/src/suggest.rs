//! Nearest-name suggestions for misspelled tables, columns and functions.

use std::collections::HashMap;

use palisade_kql::resolve::{BoundedDistance, nearest_name};

/// Returns the candidate most likely meant by `name`, if any is close enough.
///
/// Names in Sentinel are case-sensitive, so a candidate equal to `name` except for case wins
/// outright.
/// Otherwise the closest candidate by optimal string alignment distance is taken when it is
/// within a third of the name's length (at least 1, at most 3 edits); ties go to the
/// alphabetically first, so suggestions are deterministic.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    nearest_name(name, candidates)
}

/// A fixed list of names prepared for [`nearest`] over it: grouped by ASCII-lower-case
/// spelling, for the case-only match, and by length in characters, since names more than 3
/// characters longer or shorter are never close. It answers as [`nearest`] over the list does.
#[derive(Debug, Default)]
pub(crate) struct NameIndex {
    /// Names by their ASCII-lower-case spelling, each group in list order.
    by_lower: HashMap<String, Vec<&'static str>>,
    /// Names by length in characters.
    by_len: Vec<Vec<&'static str>>,
}

impl NameIndex {
    pub(crate) fn new(names: impl IntoIterator<Item = &'static str>) -> NameIndex {
        let mut index = NameIndex::default();
        for name in names {
            index.by_lower.entry(name.to_ascii_lowercase()).or_default().push(name);
            let len = name.chars().count();
            if index.by_len.len() <= len {
                index.by_len.resize_with(len + 1, Vec::new);
            }
            index.by_len[len].push(name);
        }
        index
    }

    /// What [`nearest`] returns for `name` over the indexed names.
    pub(crate) fn nearest(&self, name: &str) -> Option<&'static str> {
        // [`nearest`] returns the first case-only match in list order, wherever it is.
        if let Some(same) = self.by_lower.get(&name.to_ascii_lowercase()) {
            if let Some(found) = same.iter().find(|candidate| **candidate != name) {
                return Some(found);
            }
        }
        // No case-only match remains, so the closest within the limit wins, ties going to the
        // alphabetically first whatever the order: the candidates of near lengths are enough.
        let distance = BoundedDistance::new(name);
        let (len, limit) = (distance.name_len(), distance.limit());
        let longest = self.by_len.len().checked_sub(1)?;
        let lengths = len.saturating_sub(limit)..=(len + limit).min(longest);
        if lengths.is_empty() {
            return None;
        }
        let candidates = self.by_len[lengths].iter().flatten().copied();
        nearest_name(name, candidates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_a_case_only_difference() {
        let names = ["SigninLogs", "SignInLogs2", "AuditLogs"];
        assert_eq!(nearest("signinlogs", names), Some("SigninLogs"));
        assert_eq!(NameIndex::new(names).nearest("signinlogs"), Some("SigninLogs"));
    }

    #[test]
    fn finds_a_small_typo_and_rejects_far_names() {
        let names = ["DestinationIP", "SourceIP", "DeviceName"];
        assert_eq!(nearest("DestinatonIP", names), Some("DestinationIP"));
        assert_eq!(nearest("Xyz", names), None);
        let index = NameIndex::new(names);
        assert_eq!(index.nearest("DestinatonIP"), Some("DestinationIP"));
        assert_eq!(index.nearest("Xyz"), None);
        assert_eq!(NameIndex::new([]).nearest("Xyz"), None);
    }

    #[test]
    fn the_index_answers_as_the_list_does() {
        let names = [
            "SigninLogs",
            "SignInLogs",
            "AuditLogs",
            "AADSignInEventsBeta",
            "Syslog",
            "SysLog",
            "Event",
            "Events",
            "DeviceEvents",
            "DeviceFileEvents",
            "OfficeActivity",
            "Anomalies",
            "Heartbeat",
            "Usage",
            "W3CIISLog",
            "Perf",
            "Größe",
            "Grösse",
            "a",
            "ab",
            "ba",
        ];
        let index = NameIndex::new(names);
        let queries = [
            "signinlogs",
            "SigninLogs",
            "SignInLogs",
            "SigninLog",
            "AuditLog",
            "Syslog",
            "syslog",
            "Evnet",
            "Event",
            "DeviceEvent",
            "DevicFileEvents",
            "OfficeActivty",
            "Heartbaet",
            "Usag",
            "Prf",
            "Größe",
            "Grose",
            "x",
            "b",
            "",
            "NothingLikeAnyTableAtAllReally",
        ];
        for query in queries {
            assert_eq!(index.nearest(query), nearest(query, names), "{query}");
        }
    }
}
