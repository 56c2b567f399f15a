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
    fn the_error_names_the_encoding_and_how_to_fix_it() {
        let found = sniff(&utf16(&format!("\u{feff}{SPEC}"), false)).unwrap();
        let diag = found.diagnostic(FileId(0), "spec files");
        assert_eq!(diag.code, codes::NOT_UTF8);
        assert_eq!(diag.message, "The file is UTF-16 LE, not UTF-8");
        assert!(diag.notes[0].contains("byte order mark"), "{:?}", diag.notes);
        assert!(diag.help.as_deref().unwrap().contains("iconv -f UTF-16LE -t UTF-8"));
    }
}
