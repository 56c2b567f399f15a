//! Diagnostic codes such as `SPEC001` or `KQL204`.

use std::fmt;

/// A stable diagnostic code: an upper-case family prefix and three digits.
///
/// Families: `SPEC0xx` YAML and schema, `SPEC1xx` Sentinel limits and rule semantics, `KQL0xx`
/// lexing and parsing, `KQL1xx` name resolution, `KQL2xx`+ lints, `IOC0xx` indicators, `EXC0xx`
/// exclusions, `EMIT0xx` generation. A code is never reused or renumbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(&'static str);

impl Code {
    /// Wraps a code literal such as `"SPEC001"`.
    ///
    /// The literal is checked in debug builds and by each crate's registry tests.
    pub const fn new(code: &'static str) -> Self {
        Code(code)
    }

    /// The code as written, for example `SPEC001`.
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// The family prefix: the leading upper-case letters (`SPEC`, `KQL`, `IOC`, ...).
    pub fn family(self) -> &'static str {
        let end = self.0.find(|c: char| c.is_ascii_digit()).unwrap_or(self.0.len());
        &self.0[..end]
    }

    /// Whether the code has the documented shape: upper-case letters then three digits.
    pub fn is_well_formed(self) -> bool {
        let family = self.family();
        let digits = &self.0[family.len()..];
        !family.is_empty()
            && family.bytes().all(|b| b.is_ascii_uppercase())
            && digits.len() == 3
            && digits.bytes().all(|b| b.is_ascii_digit())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_and_shape() {
        assert_eq!(Code::new("SPEC104").family(), "SPEC");
        assert_eq!(Code::new("KQL001").family(), "KQL");
        assert!(Code::new("EMIT001").is_well_formed());
        assert!(!Code::new("KQL01").is_well_formed());
        assert!(!Code::new("kql001").is_well_formed());
    }
}
