//! Durations as Sentinel uses them (`queryFrequency`, `queryPeriod`, `suppressionDuration`,
//! `lookbackDuration`): parsing every accepted spelling and printing the canonical ISO 8601
//! form that the service returns.

/// A positive whole number of seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    seconds: u64,
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

    /// Whole seconds.
    pub const fn as_secs(self) -> u64 {
        self.seconds
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
}
