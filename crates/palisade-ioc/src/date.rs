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

    /// The number of days since 1970-01-01 (negative before it).
    pub fn unix_days(self) -> i64 {
        // Days from civil: count from 0000-03-01 so that the leap day ends the year.
        let month = i64::from(self.month);
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let shifted_month = (month + 9) % 12;
        let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` after 1970-01-01, or `None` outside the years 0-9999.
    pub fn from_unix_days(days: i64) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        if !(0..=9999).contains(&year) {
            return None;
        }
        Date::new(u16::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
    }

    /// Today's date in UTC by the system clock, or `None` when the clock is before 1970.
    pub fn today_utc() -> Option<Date> {
        let elapsed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?;
        Date::from_unix_days(i64::try_from(elapsed.as_secs() / 86_400).ok()?)
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.unix_days() - earlier.unix_days()
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
    fn converts_to_and_from_day_numbers() {
        let date = |days| Date::from_unix_days(days).map(|d| d.to_string());
        assert_eq!(date(0).as_deref(), Some("1970-01-01"));
        assert_eq!(date(-1).as_deref(), Some("1969-12-31"));
        assert_eq!(date(11_016).as_deref(), Some("2000-02-29"));
        assert_eq!(date(20_610).as_deref(), Some("2026-06-06"));
        assert_eq!(date(20_818).as_deref(), Some("2026-12-31"));
        assert_eq!(date(i64::MAX), None);
        assert_eq!(date(3_000_000), None, "past 9999");
        for days in (-719_000..2_900_000).step_by(997) {
            let back = Date::from_unix_days(days).unwrap().unix_days();
            assert_eq!(back, days);
        }
        let seen = Date::parse("2026-06-06").unwrap();
        assert_eq!(Date::parse("2026-12-04").unwrap().days_since(seen), 181);
        assert_eq!(seen.days_since(Date::parse("2026-12-04").unwrap()), -181);
        assert_eq!(
            Date::parse("2025-01-01").unwrap().days_since(Date::parse("2024-01-01").unwrap()),
            366
        );
    }

    #[test]
    fn orders_chronologically() {
        assert!(Date::parse("2026-06-06").unwrap() < Date::parse("2026-12-01").unwrap());
        assert!(Date::parse("2027-01-01").unwrap() > Date::parse("2026-12-31").unwrap());
    }
}
