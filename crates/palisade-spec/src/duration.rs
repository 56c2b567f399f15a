//! Durations as Sentinel uses them (`queryFrequency`, `queryPeriod`, `suppressionDuration`,
//! `lookbackDuration`): parsing every accepted spelling and printing the canonical ISO 8601
//! form that the service returns.
//!
//! Accepted spellings:
//! - shorthand: a whole number and a lower-case unit, `5m`, `1h`, `14d`;
//! - ISO 8601 with days, hours, minutes and seconds: `PT1H`, `P1D`, `PT1H30M`, `P2DT1H30M`;
//! - .NET TimeSpan text, which Azure-Sentinel's CI also reads: `01:00:00`, `1.00:00:00`, and a
//!   bare whole number meaning days. It is legacy, so [`parse`] flags it.
//!
//! Rejected with an error: zero, negative values, fractions, months and years (`P1M`, `P1Y`:
//! their length varies), days after `T` (`PT1D`), upper-case shorthand (`5M` reads as months to
//! some people and minutes to others), lower-case ISO 8601 (`pt1h`: the schema, ARM and the
//! standard write its letters upper-case), and anything else.

use std::fmt;

/// A positive whole number of seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    seconds: u64,
}

/// The accepted forms, for error messages.
pub const ACCEPTED_FORMS: &str = "a whole number with `m`, `h` or `d` (`5m`, `1h`, `14d`), \
     ISO 8601 (`PT1H`, `P1D`, `PT1H30M`) or TimeSpan text (`01:00:00`, `1.00:00:00`)";

/// Longest duration we accept: 1,000 years, far past every Sentinel limit, so arithmetic on
/// parsed values cannot overflow.
const MAX_SECONDS: u64 = 1_000 * 366 * 86_400;

/// How a duration was spelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DurationForm {
    /// `5m`, `1h`, `14d`.
    Shorthand,
    /// `PT1H`, `P1D`.
    Iso8601,
    /// `01:00:00`, `1.00:00:00` or a bare number of days.
    TimeSpan,
}

/// Why a duration was rejected. The `Display` text is a complete message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DurationError {
    /// The text is empty.
    #[error("duration is empty")]
    Empty,
    /// The duration is zero.
    #[error("duration `{0}` is zero; it must be positive")]
    Zero(String),
    /// The duration is negative.
    #[error("duration `{0}` is negative; it must be positive")]
    Negative(String),
    /// A fraction was written.
    #[error("duration `{0}` has a fraction; use whole minutes, hours or days")]
    Fraction(String),
    /// An upper-case unit letter in shorthand.
    #[error(
        "duration `{text}` uses upper-case `{unit}`; \
         the shorthand units are lower-case `m`, `h` and `d`"
    )]
    UpperCaseUnit {
        /// The text.
        text: String,
        /// The unit letter as written.
        unit: char,
    },
    /// ISO 8601 with lower-case letters (`pt1h`).
    #[error("duration `{text}` is ISO 8601 in lower case; its letters are upper-case: `{upper}`")]
    LowerCaseIso {
        /// The text.
        text: String,
        /// The same duration with upper-case letters.
        upper: String,
    },
    /// Months or years in ISO 8601.
    #[error("duration `{0}` uses months or years, whose length varies; use days (`P30D`)")]
    MonthsOrYears(String),
    /// Days written after `T`.
    #[error("duration `{0}` has days after `T`; days come before it (`P1D`, `P1DT2H`)")]
    DaysAfterT(String),
    /// Too long to be meaningful.
    #[error("duration `{0}` is too long")]
    TooLong(String),
    /// Anything else.
    #[error("`{0}` is not a duration")]
    Unrecognized(String),
}

impl DurationError {
    /// Help text listing the accepted forms.
    pub fn help() -> String {
        format!("write {ACCEPTED_FORMS}")
    }

    /// Help for this error: the corrected text when there is one, else the accepted forms.
    pub fn fix(&self) -> String {
        match self {
            DurationError::LowerCaseIso { upper, .. } => format!("write `{upper}`"),
            _ => Self::help(),
        }
    }
}

impl Duration {
    /// A duration of `seconds` seconds.
    pub const fn from_secs(seconds: u64) -> Self {
        Duration { seconds }
    }

    /// A duration of `minutes` minutes.
    pub const fn from_mins(minutes: u64) -> Self {
        Duration { seconds: minutes * 60 }
    }

    /// A duration of `hours` hours.
    pub const fn from_hours(hours: u64) -> Self {
        Duration { seconds: hours * 3_600 }
    }

    /// A duration of `days` days.
    pub const fn from_days(days: u64) -> Self {
        Duration { seconds: days * 86_400 }
    }

    /// Whole seconds.
    pub const fn as_secs(self) -> u64 {
        self.seconds
    }

    /// Parses any accepted spelling; see the module docs.
    ///
    /// # Errors
    ///
    /// Returns a [`DurationError`] whose text says what is wrong.
    pub fn parse(text: &str) -> Result<Duration, DurationError> {
        parse(text).map(|(duration, _)| duration)
    }

    /// The canonical ISO 8601 form the service returns: days as `P<n>D`, the rest as
    /// `T<h>H<m>M<s>S` with zero parts left out (`70m` is `PT1H10M`, `24h` is `P1D`,
    /// `25h` is `P1DT1H`).
    pub fn to_iso8601(self) -> String {
        let days = self.seconds / 86_400;
        let hours = self.seconds % 86_400 / 3_600;
        let minutes = self.seconds % 3_600 / 60;
        let seconds = self.seconds % 60;

        let mut out = String::from("P");
        if days > 0 {
            out.push_str(&format!("{days}D"));
        }
        if hours > 0 || minutes > 0 || seconds > 0 || days == 0 {
            out.push('T');
            if hours > 0 {
                out.push_str(&format!("{hours}H"));
            }
            if minutes > 0 {
                out.push_str(&format!("{minutes}M"));
            }
            if seconds > 0 || (hours == 0 && minutes == 0) {
                out.push_str(&format!("{seconds}S"));
            }
        }
        out
    }

    /// The shortest shorthand for people: `5m`, `2h`, `14d`; mixed values in ISO form.
    pub fn to_human(self) -> String {
        let secs = self.seconds;
        if secs % 86_400 == 0 {
            format!("{}d", secs / 86_400)
        } else if secs % 3_600 == 0 {
            format!("{}h", secs / 3_600)
        } else if secs % 60 == 0 {
            format!("{}m", secs / 60)
        } else {
            self.to_iso8601()
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_human())
    }
}

/// Parses a duration and says which form it was written in.
///
/// Surrounding whitespace is ignored.
///
/// # Errors
///
/// Returns a [`DurationError`] whose text says what is wrong.
pub fn parse(text: &str) -> Result<(Duration, DurationForm), DurationError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(DurationError::Empty);
    }
    let owned = || trimmed.to_owned();
    if trimmed.starts_with('-') {
        return Err(DurationError::Negative(owned()));
    }

    let (seconds, form) = if trimmed.starts_with(['P', 'p']) {
        (parse_iso(trimmed)?, DurationForm::Iso8601)
    } else if trimmed.contains(':') || trimmed.bytes().all(|b| b.is_ascii_digit()) {
        (parse_timespan(trimmed)?, DurationForm::TimeSpan)
    } else {
        (parse_shorthand(trimmed)?, DurationForm::Shorthand)
    };
    if seconds == 0 {
        return Err(DurationError::Zero(owned()));
    }
    if seconds > MAX_SECONDS {
        return Err(DurationError::TooLong(owned()));
    }
    Ok((Duration::from_secs(seconds), form))
}

fn parse_shorthand(text: &str) -> Result<u64, DurationError> {
    let owned = || text.to_owned();
    let Some(unit) = text.chars().last() else {
        return Err(DurationError::Empty);
    };
    let number = &text[..text.len() - unit.len_utf8()];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        if number.contains(['.', ','])
            && number.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        {
            return Err(DurationError::Fraction(owned()));
        }
        return Err(DurationError::Unrecognized(owned()));
    }
    let scale = match unit {
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'M' | 'H' | 'D' => return Err(DurationError::UpperCaseUnit { text: owned(), unit }),
        _ => return Err(DurationError::Unrecognized(owned())),
    };
    let value: u64 = number.parse().map_err(|_| DurationError::TooLong(owned()))?;
    value.checked_mul(scale).ok_or_else(|| DurationError::TooLong(owned()))
}

/// ISO 8601 designators are upper-case, as the schema and ARM write them: `pt1h` is rejected
/// with the upper-case form as the fix when that is valid, or with what is wrong with it.
fn parse_iso(text: &str) -> Result<u64, DurationError> {
    let upper = text.to_ascii_uppercase();
    let seconds = parse_upper_iso(&upper, text)?;
    if upper == text {
        return Ok(seconds);
    }
    Err(DurationError::LowerCaseIso { text: text.to_owned(), upper })
}

/// Parses `upper`, the upper-case form of `text`; errors show `text`.
fn parse_upper_iso(upper: &str, text: &str) -> Result<u64, DurationError> {
    let owned = || text.to_owned();
    let body = &upper[1..];
    if body.is_empty() {
        return Err(DurationError::Unrecognized(owned()));
    }

    let mut total: u64 = 0;
    let mut in_time = false;
    let mut number = String::new();
    let mut n_parts = 0;
    // Units must come in this order: D, then after T: H, M, S.
    let mut last_rank = 0;
    for ch in body.chars() {
        match ch {
            '0'..='9' => number.push(ch),
            '.' | ',' => return Err(DurationError::Fraction(owned())),
            'T' if !in_time && number.is_empty() => in_time = true,
            'Y' if !in_time => return Err(DurationError::MonthsOrYears(owned())),
            'M' if !in_time => return Err(DurationError::MonthsOrYears(owned())),
            'D' if in_time => return Err(DurationError::DaysAfterT(owned())),
            'D' | 'H' | 'M' | 'S' => {
                let (rank, scale) = match ch {
                    'D' => (1, 86_400),
                    'H' => (2, 3_600),
                    'M' => (3, 60),
                    _ => (4, 1),
                };
                if number.is_empty() || rank <= last_rank || (rank > 1 && !in_time) {
                    return Err(DurationError::Unrecognized(owned()));
                }
                let value: u64 = number.parse().map_err(|_| DurationError::TooLong(owned()))?;
                let part =
                    value.checked_mul(scale).ok_or_else(|| DurationError::TooLong(owned()))?;
                total = total.checked_add(part).ok_or_else(|| DurationError::TooLong(owned()))?;
                number.clear();
                last_rank = rank;
                n_parts += 1;
            }
            _ => return Err(DurationError::Unrecognized(owned())),
        }
    }
    let dangling_t = in_time && last_rank < 2;
    if !number.is_empty() || n_parts == 0 || dangling_t {
        return Err(DurationError::Unrecognized(owned()));
    }
    Ok(total)
}

/// .NET `TimeSpan` text: `[d.]hh:mm[:ss]` or a bare number of days.
fn parse_timespan(text: &str) -> Result<u64, DurationError> {
    let owned = || text.to_owned();
    let digits = |part: &str| -> Result<u64, DurationError> {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DurationError::Unrecognized(owned()));
        }
        part.parse().map_err(|_| DurationError::TooLong(owned()))
    };
    if !text.contains(':') {
        let days = digits(text)?;
        return days.checked_mul(86_400).ok_or_else(|| DurationError::TooLong(owned()));
    }

    let (days, clock) = match text.split_once('.') {
        Some((days, clock)) if !days.contains(':') => (digits(days)?, clock),
        // A `.` after the clock is a fraction of a second.
        Some(_) => return Err(DurationError::Fraction(owned())),
        None => (0, text),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let (hours, minutes, seconds) = match parts.as_slice() {
        [h, m] => (digits(h)?, digits(m)?, 0),
        [h, m, s] => (digits(h)?, digits(m)?, digits(s)?),
        _ => return Err(DurationError::Unrecognized(owned())),
    };
    if hours > 23 || minutes > 59 || seconds > 59 {
        return Err(DurationError::Unrecognized(owned()));
    }
    Ok(days.saturating_mul(86_400) + hours * 3_600 + minutes * 60 + seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> u64 {
        Duration::parse(text).unwrap_or_else(|err| panic!("{text}: {err}")).as_secs()
    }

    #[test]
    fn accepts_shorthand() {
        assert_eq!(secs("5m"), 300);
        assert_eq!(secs("1h"), 3_600);
        assert_eq!(secs("14d"), 14 * 86_400);
        assert_eq!(secs(" 70m "), 4_200);
    }

    #[test]
    fn accepts_iso8601() {
        assert_eq!(secs("PT1H"), 3_600);
        assert_eq!(secs("P1D"), 86_400);
        assert_eq!(secs("PT1H30M"), 5_400);
        assert_eq!(secs("P2DT1H30M"), 2 * 86_400 + 5_400);
        assert_eq!(secs("PT5M"), 300);
        assert_eq!(secs("PT30S"), 30);
    }

    #[test]
    fn accepts_timespan_and_says_so() {
        assert_eq!(parse("01:00:00").unwrap(), (Duration::from_hours(1), DurationForm::TimeSpan));
        assert_eq!(secs("1.00:00:00"), 86_400);
        assert_eq!(secs("00:05"), 300);
        assert_eq!(parse("5").unwrap(), (Duration::from_days(5), DurationForm::TimeSpan));
        assert_eq!(parse("5m").unwrap().1, DurationForm::Shorthand);
        assert_eq!(parse("PT5M").unwrap().1, DurationForm::Iso8601);
    }

    #[test]
    fn rejects_with_clear_messages() {
        let cases = [
            ("PT1D", "duration `PT1D` has days after `T`; days come before it (`P1D`, `P1DT2H`)"),
            ("pt1d", "duration `pt1d` has days after `T`; days come before it (`P1D`, `P1DT2H`)"),
            (
                "pt1h",
                "duration `pt1h` is ISO 8601 in lower case; its letters are upper-case: `PT1H`",
            ),
            (
                "p1dT2h",
                "duration `p1dT2h` is ISO 8601 in lower case; its letters are upper-case: `P1DT2H`",
            ),
            ("P1M", "duration `P1M` uses months or years, whose length varies; use days (`P30D`)"),
            ("P1Y", "duration `P1Y` uses months or years, whose length varies; use days (`P30D`)"),
            ("0m", "duration `0m` is zero; it must be positive"),
            ("PT0S", "duration `PT0S` is zero; it must be positive"),
            ("00:00:00", "duration `00:00:00` is zero; it must be positive"),
            ("-5m", "duration `-5m` is negative; it must be positive"),
            ("-PT5M", "duration `-PT5M` is negative; it must be positive"),
            (
                "5M",
                "duration `5M` uses upper-case `M`; the shorthand units are lower-case `m`, `h` and `d`",
            ),
            (
                "1H",
                "duration `1H` uses upper-case `H`; the shorthand units are lower-case `m`, `h` and `d`",
            ),
            ("1.5h", "duration `1.5h` has a fraction; use whole minutes, hours or days"),
            ("PT1.5H", "duration `PT1.5H` has a fraction; use whole minutes, hours or days"),
            (
                "01:00:00.5",
                "duration `01:00:00.5` has a fraction; use whole minutes, hours or days",
            ),
            ("soon", "`soon` is not a duration"),
            ("5s", "`5s` is not a duration"),
            ("5 m", "`5 m` is not a duration"),
            ("P", "`P` is not a duration"),
            ("PT", "`PT` is not a duration"),
            ("P1DT", "`P1DT` is not a duration"),
            ("PT1M1H", "`PT1M1H` is not a duration"),
            ("25:00:00", "`25:00:00` is not a duration"),
            ("", "duration is empty"),
        ];
        for (text, message) in cases {
            let err = Duration::parse(text).expect_err(text);
            assert_eq!(err.to_string(), message, "{text}");
        }
    }

    #[test]
    fn huge_values_do_not_overflow() {
        assert!(matches!(Duration::parse("99999999999999999999d"), Err(DurationError::TooLong(_))));
        assert!(matches!(Duration::parse("9999999999999999d"), Err(DurationError::TooLong(_))));
    }

    #[test]
    fn canonical_iso_form() {
        let iso = |text| Duration::parse(text).unwrap().to_iso8601();
        assert_eq!(iso("70m"), "PT1H10M");
        assert_eq!(iso("24h"), "P1D");
        assert_eq!(iso("25h"), "P1DT1H");
        assert_eq!(iso("5m"), "PT5M");
        assert_eq!(iso("14d"), "P14D");
        assert_eq!(iso("90m"), "PT1H30M");
        assert_eq!(iso("1.00:00:00"), "P1D");
        assert_eq!(iso("PT30S"), "PT30S");
    }

    #[test]
    fn round_trip_is_a_fixed_point() {
        let inputs =
            ["5m", "70m", "24h", "25h", "14d", "P2DT1H30M", "01:00:00", "PT45S", "3", "PT61M"];
        for text in inputs {
            let first = Duration::parse(text).unwrap();
            let iso = first.to_iso8601();
            let second = Duration::parse(&iso).unwrap();
            assert_eq!(first, second, "{text} -> {iso}");
            assert_eq!(second.to_iso8601(), iso, "{text}");
        }
        for seconds in (60..20_000_000).step_by(7_919) {
            let duration = Duration::from_secs(seconds);
            assert_eq!(Duration::parse(&duration.to_iso8601()).unwrap(), duration);
        }
    }

    #[test]
    fn human_form() {
        assert_eq!(Duration::from_mins(5).to_string(), "5m");
        assert_eq!(Duration::from_hours(48).to_string(), "2d");
        assert_eq!(Duration::from_secs(90).to_string(), "PT1M30S");
    }
}
