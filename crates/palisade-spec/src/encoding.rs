//! Telling UTF-16 and UTF-32 files apart from UTF-8, so that a spec or query saved in the wrong
//! encoding (Windows tools often write UTF-16) is named as such instead of reported as broken
//! text or invalid YAML.
//!
//! A byte order mark settles it. Without one, text in these encodings that is mostly ASCII has
//! a telling pattern of NUL bytes: every other byte for UTF-16, three in four for UTF-32. UTF-8
//! text has no NUL bytes at all, so the pattern cannot be mistaken for it.

use std::fmt;

use palisade_diagnostics::{Diagnostic, FileId, Span};

use crate::codes;

/// An encoding that is not UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16, little-endian (what Windows calls "Unicode").
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// UTF-32, little-endian.
    Utf32Le,
    /// UTF-32, big-endian.
    Utf32Be,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Utf32Le => "UTF-32 LE",
            Encoding::Utf32Be => "UTF-32 BE",
        })
    }
}

/// A file found to be in another encoding than UTF-8.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sniffed {
    /// The encoding.
    pub encoding: Encoding,
    /// Whether the file starts with a byte order mark.
    pub bom: bool,
    /// The file decoded (invalid units replaced by U+FFFD), without the byte order mark and
    /// with LF line endings: what renderers show for it.
    pub text: String,
}

impl Sniffed {
    /// The `SPEC006` error for the file, at its start; `what` names the kind of file in the
    /// note ("spec files", "queries").
    pub fn diagnostic(&self, file: FileId, what: &str) -> Diagnostic {
        let how = if self.bom { "by its byte order mark" } else { "by its pattern of NUL bytes" };
        Diagnostic::error(
            codes::NOT_UTF8,
            format!("The file is {}, not UTF-8", self.encoding),
            Span::file_start(file),
        )
        .with_note(format!(
            "{what} must be UTF-8; the encoding was recognised {how}, and nothing else was checked"
        ))
        .with_help(format!(
            "save it as UTF-8 (in PowerShell: `Get-Content <file> | Set-Content -Encoding utf8 \
             <new file>`; with iconv: `iconv -f {} -t UTF-8`)",
            self.iconv_name()
        ))
    }

    fn iconv_name(&self) -> &'static str {
        match self.encoding {
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Utf32Le => "UTF-32LE",
            Encoding::Utf32Be => "UTF-32BE",
        }
    }
}

/// Whether YAML 1.2 allows `c` in a stream: tab, LF, CR, x20-x7E, x85, xA0-xD7FF,
/// xE000-xFFFD and x10000-x10FFFF. C0 controls other than tab, LF and CR, DEL, the C1
/// controls other than x85, and xFFFE/xFFFF are not allowed.
pub fn is_printable(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// The error for the first character of `text` that YAML does not allow, at that character,
/// or `None` when every character is allowed. `what` names the kind of file in the note
/// ("YAML files", "queries").
///
/// The YAML parser reads a NUL as the end of the file and drops what follows, so no part of
/// such a file is checked or built: a NUL byte is a binary file (`SPEC006`), any other
/// control character `SPEC020`.
pub fn unprintable(file: FileId, text: &str, what: &str) -> Option<Diagnostic> {
    let (offset, c) = text.char_indices().find(|&(_, c)| !is_printable(c))?;
    let start = u32::try_from(offset).unwrap_or(u32::MAX);
    let span = Span::new(file, start, start.saturating_add(c.len_utf8() as u32));
    let diag = if c == '\0' {
        Diagnostic::error(codes::NOT_UTF8, "The file is binary, not text", span)
            .with_label("a NUL byte")
            .with_note(format!(
                "{what} are text, and text never holds a NUL byte, so nothing in it was checked"
            ))
            .with_help("check that this is the file you meant, or save it again as UTF-8 text")
    } else {
        let code = format!("U+{:04X}", u32::from(c));
        Diagnostic::error(
            codes::CONTROL_CHARACTER,
            format!("The file holds the control character {code}, which YAML does not allow"),
            span,
        )
        .with_label(format!("{code} ({})", control_name(c)))
        .with_note(format!(
            "{what} may hold only printable characters, tab and line breaks; an invisible \
             control character would change the text Sentinel gets, so nothing in the file was \
             checked"
        ))
        .with_help(format!(
            "delete the character, or write it as an escape (`\\u{:04X}`) inside a \
             double-quoted string",
            u32::from(c)
        ))
    };
    Some(diag)
}

/// A short name for a character [`is_printable`] rejects.
fn control_name(c: char) -> &'static str {
    match c {
        '\u{7F}' => "delete",
        '\u{1B}' => "escape",
        '\u{08}' => "backspace",
        '\u{0B}' => "vertical tab",
        '\u{0C}' => "form feed",
        '\u{80}'..='\u{9F}' => "a C1 control character",
        '\u{FFFE}' | '\u{FFFF}' => "a noncharacter",
        _ => "a C0 control character",
    }
}

/// How many bytes from the start the NUL-byte pattern is looked for in.
const SNIFF_LEN: usize = 512;

/// The encoding of `bytes` when it is UTF-16 or UTF-32, told by a byte order mark or by the
/// NUL bytes of mostly-ASCII text; `None` for anything else (UTF-8 included).
pub fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    let (encoding, bom) = match bytes {
        [0xFF, 0xFE, 0, 0, ..] => (Encoding::Utf32Le, true),
        [0, 0, 0xFE, 0xFF, ..] => (Encoding::Utf32Be, true),
        [0xFF, 0xFE, ..] => (Encoding::Utf16Le, true),
        [0xFE, 0xFF, ..] => (Encoding::Utf16Be, true),
        _ => (nul_pattern(bytes)?, false),
    };
    let body = if bom {
        let bom_len = match encoding {
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
            Encoding::Utf32Le | Encoding::Utf32Be => 4,
        };
        &bytes[bom_len..]
    } else {
        bytes
    };
    let text = decode(body, encoding).replace("\r\n", "\n");
    Some(Sniffed { encoding, bom, text })
}

/// The encoding whose NUL pattern the start of `bytes` shows: at least four characters, and
/// at least three in four of them an ASCII character padded with NUL bytes.
fn nul_pattern(bytes: &[u8]) -> Option<Encoding> {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    let ascii = |byte: u8| byte != 0 && byte.is_ascii();
    let mostly = |hits: usize, total: usize| total >= 4 && hits * 4 >= total * 3;

    let quads: Vec<&[u8]> = head.chunks_exact(4).collect();
    let count = |test: &dyn Fn(&[u8]) -> bool| quads.iter().filter(|quad| test(quad)).count();
    if mostly(count(&|q| ascii(q[0]) && q[1..] == [0, 0, 0]), quads.len()) {
        return Some(Encoding::Utf32Le);
    }
    if mostly(count(&|q| q[..3] == [0, 0, 0] && ascii(q[3])), quads.len()) {
        return Some(Encoding::Utf32Be);
    }

    let pairs: Vec<&[u8]> = head.chunks_exact(2).collect();
    let count = |test: &dyn Fn(&[u8]) -> bool| pairs.iter().filter(|pair| test(pair)).count();
    if mostly(count(&|p| ascii(p[0]) && p[1] == 0), pairs.len()) {
        return Some(Encoding::Utf16Le);
    }
    if mostly(count(&|p| p[0] == 0 && ascii(p[1])), pairs.len()) {
        return Some(Encoding::Utf16Be);
    }
    None
}

/// `bytes` decoded from `encoding`; a unit that is not a character becomes U+FFFD, and so does
/// a last, incomplete one.
fn decode(bytes: &[u8], encoding: Encoding) -> String {
    match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let units = bytes.chunks(2).map(|pair| match (encoding, pair) {
                (Encoding::Utf16Le, [low, high]) => u16::from_le_bytes([*low, *high]),
                (_, [high, low]) => u16::from_be_bytes([*high, *low]),
                _ => 0xFFFD,
            });
            char::decode_utf16(units).map(|unit| unit.unwrap_or('\u{FFFD}')).collect()
        }
        Encoding::Utf32Le | Encoding::Utf32Be => bytes
            .chunks(4)
            .map(|quad| {
                let Ok(quad) = <[u8; 4]>::try_from(quad) else {
                    return '\u{FFFD}';
                };
                let value = if encoding == Encoding::Utf32Le {
                    u32::from_le_bytes(quad)
                } else {
                    u32::from_be_bytes(quad)
                };
                char::from_u32(value).unwrap_or('\u{FFFD}')
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|unit| if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() })
            .collect()
    }

    fn utf32(text: &str, big_endian: bool) -> Vec<u8> {
        text.chars()
            .flat_map(
                |c| if big_endian { (c as u32).to_be_bytes() } else { (c as u32).to_le_bytes() },
            )
            .collect()
    }

    const SPEC: &str = "id: x\r\nname: Café sign-ins\r\nquery: T\r\n";

    #[test]
    fn recognises_utf16_with_and_without_a_bom() {
        for (big_endian, encoding) in [(false, Encoding::Utf16Le), (true, Encoding::Utf16Be)] {
            let plain = utf16(SPEC, big_endian);
            let with_bom = utf16(&format!("\u{feff}{SPEC}"), big_endian);
            for (bytes, bom) in [(plain, false), (with_bom, true)] {
                let found = sniff(&bytes).unwrap();
                assert_eq!((found.encoding, found.bom), (encoding, bom));
                assert_eq!(found.text, "id: x\nname: Café sign-ins\nquery: T\n");
            }
        }
    }

    #[test]
    fn recognises_utf32_with_and_without_a_bom() {
        for (big_endian, encoding) in [(false, Encoding::Utf32Le), (true, Encoding::Utf32Be)] {
            for (text, bom) in [(SPEC.to_owned(), false), (format!("\u{feff}{SPEC}"), true)] {
                let found = sniff(&utf32(&text, big_endian)).unwrap();
                assert_eq!((found.encoding, found.bom), (encoding, bom));
                assert_eq!(found.text, "id: x\nname: Café sign-ins\nquery: T\n");
            }
        }
    }

    #[test]
    fn utf8_and_short_or_binary_input_are_not_sniffed() {
        assert_eq!(sniff(SPEC.as_bytes()), None);
        assert_eq!(sniff("\u{feff}id: x\n".as_bytes()), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"a\0"), None);
        assert_eq!(sniff(&[0, 1, 2, 3, 0, 0, 0xFF, 0x80, 7, 0]), None);
    }

    #[test]
    fn only_yaml_printable_characters_pass() {
        for c in ['\t', '\n', '\r', ' ', '~', '\u{85}', '\u{A0}', 'é', '\u{FEFF}', '😀'] {
            assert!(is_printable(c), "{c:?}");
        }
        for c in ['\0', '\u{1}', '\u{8}', '\u{B}', '\u{C}', '\u{1B}', '\u{7F}', '\u{80}', '\u{9F}']
        {
            assert!(!is_printable(c), "{c:?}");
        }
        assert!(!is_printable('\u{FFFE}') && !is_printable('\u{FFFF}'));
        assert_eq!(unprintable(FileId(0), "id: x\n\tname: é\u{85}\n", "YAML files"), None);
    }

    #[test]
    fn the_first_control_character_is_reported_where_it_is() {
        let text = "id: x\nquery: T // a\u{1}b\0\n";
        let diag = unprintable(FileId(0), text, "YAML files").unwrap();
        assert_eq!(diag.code, codes::CONTROL_CHARACTER);
        assert_eq!(
            diag.message,
            "The file holds the control character U+0001, which YAML does not allow"
        );
        let span = diag.primary.span;
        assert_eq!(&text[span.start as usize..span.end as usize], "\u{1}");
        let text = "id: x\nname: a\u{9B}\n";
        let diag = unprintable(FileId(0), text, "YAML files").unwrap();
        assert_eq!(diag.primary.message, "U+009B (a C1 control character)");
        let span = diag.primary.span;
        assert_eq!(&text[span.start as usize..span.end as usize], "\u{9B}");
        let diag = unprintable(FileId(0), "T | where a == 'x\0y'", "queries").unwrap();
        assert_eq!(
            (diag.code, diag.message.as_str()),
            (codes::NOT_UTF8, "The file is binary, not text")
        );
        assert_eq!((diag.primary.span.start, diag.primary.span.end), (17, 18));
        assert!(diag.notes[0].starts_with("queries are text"), "{:?}", diag.notes);
    }

    #[test]
    fn the_error_names_the_encoding_and_how_to_fix_it() {
        let found = sniff(&utf16(&format!("\u{feff}{SPEC}"), false)).unwrap();
        let diag = found.diagnostic(FileId(0), "spec files");
        assert_eq!(diag.code, codes::NOT_UTF8);
        assert_eq!(diag.message, "The file is UTF-16 LE, not UTF-8");
        assert!(diag.notes[0].contains("byte order mark"), "{:?}", diag.notes);
        assert!(diag.help.as_deref().unwrap().contains("iconv -f UTF-16LE -t UTF-8"));
    }
}
