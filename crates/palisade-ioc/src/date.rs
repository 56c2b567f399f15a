//! Calendar dates as written in indicator feeds and exclusion files: `YYYY-MM-DD`.
//!
//! We need only parsing, validation and comparison (first-seen dates, exclusion expiry), so a
//! small proleptic-Gregorian type is enough and keeps a date-time crate out of the build.

use std::fmt;

/// A calendar date without time or zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Builds a date from its parts, or `None` when the day does not exist in that month.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }

        Some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`; anything else, including a time part, is `None`.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }

        let digits = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = &text[range];
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let year = digits(0..4)?;
        let month = u8::try_from(digits(5..7)?).ok()?;
        let day = u8::try_from(digits(8..10)?).ok()?;
        Date::new(year, month, day)
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1-12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1-31.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            if leap { 29 } else { 28 }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_iso_dates() {
        let date = Date::parse("2026-06-06").unwrap();
        assert_eq!((date.year(), date.month(), date.day()), (2026, 6, 6));
        assert_eq!(date.to_string(), "2026-06-06");
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        for text in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-6-6", "2026-06-06T00:00", ""] {
            assert_eq!(Date::parse(text), None, "{text}");
        }
        assert!(Date::parse("2024-02-29").is_some());
        assert_eq!(Date::parse("1900-02-29"), None);
        assert!(Date::parse("2000-02-29").is_some());
    }

    #[test]
    fn orders_chronologically() {
        assert!(Date::parse("2026-06-06").unwrap() < Date::parse("2026-12-01").unwrap());
        assert!(Date::parse("2027-01-01").unwrap() > Date::parse("2026-12-31").unwrap());
    }
}
