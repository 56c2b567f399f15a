//! Undoing the "defanging" that threat reports apply so indicators are not clickable.
//!
//! Reports write `172[.]245[.]95[.]9`, `evil(dot)example`, `hxxps://...` or `user[at]host`.
//! We normalise each value once, on load, and keep the original text for reports. Only the
//! forms below are recognised; anything else is left alone and then fails (or passes) the
//! type's own validation, so an unknown defanging style is never guessed at.

/// Bracketed tokens and what they stand for, compared case-insensitively.
const TOKENS: &[(&str, &str)] = &[
    ("[.]", "."),
    ("(.)", "."),
    ("{.}", "."),
    ("[dot]", "."),
    ("(dot)", "."),
    ("[:]", ":"),
    ("[@]", "@"),
    ("[at]", "@"),
    ("(at)", "@"),
];

/// Returns the value with every recognised defanging form replaced by the character it hides.
pub fn refang(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some((token, replacement)) =
            TOKENS.iter().find(|(token, _)| starts_with_ci(rest, token))
        {
            out.push_str(replacement);
            rest = &rest[token.len()..];
            continue;
        }

        let ch = rest.chars().next().expect("rest is not empty");
        out.push(ch);
        rest = &rest[ch.len_utf8()..];
    }

    refang_scheme(out)
}

/// Whether the value used any defanging form.
pub fn is_defanged(text: &str) -> bool {
    refang(text) != text
}

/// `hxxp://` and `hxxps://` (any case) at the start of a URL become `http://` and `https://`.
fn refang_scheme(text: String) -> String {
    for (defanged, scheme) in [("hxxps", "https"), ("hxxp", "http")] {
        if starts_with_ci(&text, defanged) && text[defanged.len()..].starts_with("://") {
            return format!("{scheme}{}", &text[defanged.len()..]);
        }
    }

    text
}

fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refangs_every_documented_form() {
        assert_eq!(refang("172[.]245[.]95[.]9"), "172.245.95.9");
        assert_eq!(refang("evil(.)example(.)com"), "evil.example.com");
        assert_eq!(refang("evil[dot]example[DOT]com"), "evil.example.com");
        assert_eq!(refang("hxxp://evil.example/a"), "http://evil.example/a");
        assert_eq!(refang("HXXPS://evil[.]example/a"), "https://evil.example/a");
        assert_eq!(refang("194.26.192.187[:]443"), "194.26.192.187:443");
        assert_eq!(refang("[2001:db8::1][:]443"), "[2001:db8::1]:443");
        assert_eq!(refang("user[@]evil.example"), "user@evil.example");
        assert_eq!(refang("user[at]evil[.]example"), "user@evil.example");
    }

    #[test]
    fn leaves_plain_values_and_brackets_of_ipv6_alone() {
        assert_eq!(refang("172.245.95.9:7601"), "172.245.95.9:7601");
        assert_eq!(refang("[2001:db8::1]:443"), "[2001:db8::1]:443");
        assert_eq!(refang("http://hxxp.example/"), "http://hxxp.example/");
        assert!(!is_defanged("10.0.0.1"));
        assert!(is_defanged("10[.]0.0.1"));
    }

    #[test]
    fn handles_multibyte_text_without_panicking() {
        assert_eq!(refang("é[.]ü"), "é.ü");
        assert_eq!(refang("[é"), "[é");
    }
}
