//! Characters that change how text is displayed without being visible themselves.
//!
//! Bidirectional controls such as U+202E (right-to-left override) reorder what a reviewer sees,
//! so `http://evil.example/gpj.exe` can be displayed as `.../exe.jpg`; zero-width characters
//! make two different values look the same. Neither belongs in an indicator, an exclusion
//! condition or the text of an exclusion, and none is written into a generated comment.

/// The invisible or bidirectional control characters Palisade rejects, with their names.
const HIDDEN: &[(char, &str)] = &[
    ('\u{00AD}', "soft hyphen"),
    ('\u{061C}', "Arabic letter mark"),
    ('\u{180E}', "Mongolian vowel separator"),
    ('\u{200B}', "zero width space"),
    ('\u{200C}', "zero width non-joiner"),
    ('\u{200D}', "zero width joiner"),
    ('\u{200E}', "left-to-right mark"),
    ('\u{200F}', "right-to-left mark"),
    ('\u{2028}', "line separator"),
    ('\u{2029}', "paragraph separator"),
    ('\u{202A}', "left-to-right embedding"),
    ('\u{202B}', "right-to-left embedding"),
    ('\u{202C}', "pop directional formatting"),
    ('\u{202D}', "left-to-right override"),
    ('\u{202E}', "right-to-left override"),
    ('\u{2060}', "word joiner"),
    ('\u{2061}', "function application"),
    ('\u{2062}', "invisible times"),
    ('\u{2063}', "invisible separator"),
    ('\u{2064}', "invisible plus"),
    ('\u{2066}', "left-to-right isolate"),
    ('\u{2067}', "right-to-left isolate"),
    ('\u{2068}', "first strong isolate"),
    ('\u{2069}', "pop directional isolate"),
    ('\u{206A}', "inhibit symmetric swapping"),
    ('\u{206B}', "activate symmetric swapping"),
    ('\u{206C}', "inhibit Arabic form shaping"),
    ('\u{206D}', "activate Arabic form shaping"),
    ('\u{206E}', "national digit shapes"),
    ('\u{206F}', "nominal digit shapes"),
    ('\u{FEFF}', "zero width no-break space"),
];

/// Whether `c` is an invisible or bidirectional control character.
pub fn is_hidden(c: char) -> bool {
    HIDDEN.iter().any(|(hidden, _)| *hidden == c)
}

/// The first hidden character of `text`, described as `U+202E (right-to-left override)`.
pub fn first_hidden(text: &str) -> Option<String> {
    text.chars().find_map(|c| {
        HIDDEN
            .iter()
            .find(|(hidden, _)| *hidden == c)
            .map(|(_, name)| format!("U+{:04X} ({name})", u32::from(c)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bidi_controls_and_zero_width_characters_by_name() {
        assert_eq!(
            first_hidden("http://evil.example/\u{202E}gpj.exe").as_deref(),
            Some("U+202E (right-to-left override)")
        );
        assert_eq!(
            first_hidden("splunk\u{200B}d.exe").as_deref(),
            Some("U+200B (zero width space)")
        );
        assert_eq!(
            first_hidden("a\u{2066}b\u{202E}").as_deref(),
            Some("U+2066 (left-to-right isolate)")
        );
        assert_eq!(first_hidden("Überwachung – ok, 日本"), None, "visible non-ASCII text is fine");
        assert!(is_hidden('\u{FEFF}'));
        assert!(!is_hidden('\u{00A0}'), "a no-break space is visible as a space");
    }
}
