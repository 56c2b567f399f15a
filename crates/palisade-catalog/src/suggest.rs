//! Nearest-name suggestions for misspelled tables, columns and functions.

/// Returns the candidate most likely meant by `name`, if any is close enough.
///
/// Names in Sentinel are case-sensitive, so a candidate equal to `name` except for case wins
/// outright.
/// Otherwise the closest candidate by optimal string alignment distance is taken when it is
/// within a third of the name's length (at least 1, at most 3 edits); ties go to the
/// alphabetically first, so suggestions are deterministic.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        if candidate.eq_ignore_ascii_case(name) {
            return Some(candidate);
        }
        // The distance is at least the difference in length, so far lengths are skipped cheaply.
        if name.chars().count().abs_diff(candidate.chars().count()) > limit {
            continue;
        }
        if letters_differ_by_more_than(name, candidate, limit) {
            continue;
        }
        let distance = strsim::osa_distance(name, candidate);
        if distance > limit {
            continue;
        }
        let better = match best {
            None => true,
            Some((best_distance, best_name)) => {
                distance < best_distance || (distance == best_distance && candidate < best_name)
            }
        };
        if better {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Whether the letters of `a` and `b`, counted as multisets, differ so much that no `limit`
/// edits can turn one into the other.
///
/// An insertion, deletion or substitution changes each side's surplus of letters by at most
/// one and a transposition changes neither, so the larger surplus is a lower bound of the
/// optimal string alignment distance. Only ASCII is counted; other text is never ruled out.
fn letters_differ_by_more_than(a: &str, b: &str, limit: usize) -> bool {
    if !a.is_ascii() || !b.is_ascii() {
        return false;
    }
    let mut counts = [0i32; 128];
    for byte in a.bytes() {
        counts[usize::from(byte)] += 1;
    }
    for byte in b.bytes() {
        counts[usize::from(byte)] -= 1;
    }
    let surplus_a: i32 = counts.iter().filter(|&&n| n > 0).sum();
    let surplus_b: i32 = -counts.iter().filter(|&&n| n < 0).sum::<i32>();
    surplus_a.max(surplus_b) as usize > limit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_a_case_only_difference() {
        let names = ["SigninLogs", "SignInLogs2", "AuditLogs"];
        assert_eq!(nearest("signinlogs", names), Some("SigninLogs"));
    }

    #[test]
    fn letter_counts_bound_the_distance() {
        assert!(!letters_differ_by_more_than("DestinatonIP", "DestinationIP", 1));
        assert!(!letters_differ_by_more_than("ab", "ba", 0));
        assert!(letters_differ_by_more_than("Xyz", "DeviceName", 3));
        for (a, b) in [("SigninLogs", "SignInLogs2"), ("kitten", "sitting"), ("abc", "ca")] {
            let distance = strsim::osa_distance(a, b);
            assert!(!letters_differ_by_more_than(a, b, distance), "{a} {b}");
        }
    }

    #[test]
    fn finds_a_small_typo_and_rejects_far_names() {
        let names = ["DestinationIP", "SourceIP", "DeviceName"];
        assert_eq!(nearest("DestinatonIP", names), Some("DestinationIP"));
        assert_eq!(nearest("Xyz", names), None);
    }
}
