//! Source maps from a scalar's decoded text back to the YAML file.
//!
//! A literal block scalar (`|`, `|-`, `|+`, with or without an indentation indicator) is its
//! content lines with the block indentation removed, so its map is exact: every byte of the
//! value, line breaks included, maps to the byte it came from. Folded, quoted and plain scalars
//! are rewritten by YAML (lines folded into spaces, escapes decoded), so for them we align the
//! decoded text with the source character by character. Characters YAML synthesised (a space
//! from a folded line break) have no source byte and map to the closest real position.

use palisade_diagnostics::SourceMap;

use super::{Node, ScalarStyle, Value};

/// Builds the map from byte offsets in `node`'s decoded text to byte offsets in `text`, the
/// (normalised) file text the node was parsed from.
///
/// Exact for literal block scalars, best-effort for the other styles; for a node that is not a
/// scalar the map is empty, so every offset maps to the start of the file.
pub fn scalar_source_map(text: &str, node: &Node) -> SourceMap {
    let Value::Scalar(scalar) = &node.value else {
        return SourceMap::new(node.span.file);
    };
    if scalar.style == ScalarStyle::Literal {
        if let Some(map) = literal_map(text, node, &scalar.text) {
            return map;
        }
    }
    aligned_map(text, node, &scalar.text, scalar.style)
}

/// The exact map of a literal block, or `None` if the source does not look as expected (then
/// the caller falls back to alignment).
fn literal_map(text: &str, node: &Node, value: &str) -> Option<SourceMap> {
    let file = node.span.file;
    let start = node.span.start as usize;
    if value.is_empty() {
        return Some(SourceMap::verbatim(file, node.span.start, 0));
    }

    // The parser's span starts at the first content character of the first non-empty line,
    // which sits exactly at the block indentation.
    let first_content_line_start = text.get(..start)?.rfind('\n').map_or(0, |idx| idx + 1);
    let indent = start - first_content_line_start;
    if !text.get(first_content_line_start..start)?.bytes().all(|b| b == b' ') {
        return None;
    }

    // Leading empty lines of the value come from the source lines just above.
    let n_leading_empty = value.bytes().take_while(|&b| b == b'\n').count();
    let mut line_start = first_content_line_start;
    for _ in 0..n_leading_empty {
        line_start = text.get(..line_start.checked_sub(1)?)?.rfind('\n').map_or(0, |idx| idx + 1);
    }

    let mut map = SourceMap::new(file);
    let mut embedded = 0usize;
    for value_line in value.split_inclusive('\n') {
        let content = value_line.strip_suffix('\n').unwrap_or(value_line);
        let source_line_end =
            text[line_start..].find('\n').map_or(text.len(), |idx| line_start + idx);
        let source_line = &text[line_start..source_line_end];
        let source_content = source_line.get(indent..).unwrap_or("");
        if source_content != content {
            return None;
        }

        // An empty value line may come from a source line shorter than the indentation.
        let content_start = line_start + indent.min(source_line.len());
        // A file that ends inside the block has no final line break; YAML adds one (clip and
        // keep chomping), which then has no source byte and maps to the end of the file.
        let has_break = value_line.len() > content.len();
        let len = if has_break && source_line_end >= text.len() {
            content.len()
        } else {
            value_line.len()
        };
        map.push(embedded as u32, content_start as u32, len as u32);
        embedded += value_line.len();
        line_start = source_line_end + 1;
    }
    Some(map)
}

/// A best-effort map for styles YAML rewrites: walks the decoded text and the source together,
/// matching each character to the next equal source character and stepping over what YAML
/// drops (indentation, line breaks, quote doubling, line continuations).
fn aligned_map(text: &str, node: &Node, value: &str, style: ScalarStyle) -> SourceMap {
    let file = node.span.file;
    let region_start = node.span.start as usize;
    let region_end = (node.span.end as usize).min(text.len());
    let mut map = SourceMap::new(file);
    let Some(region) = text.get(region_start..region_end) else {
        return SourceMap::verbatim(file, node.span.start, 0);
    };

    let mut pos = match style {
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => 1.min(region.len()),
        _ => 0,
    };
    if value.is_empty() {
        map.push(0, (region_start + pos) as u32, 0);
        return map;
    }

    // The last pushed segment as (embedded, file offset, len), to extend runs of equal text.
    let mut run: Option<(usize, usize, usize)> = None;
    for (embedded, ch) in value.char_indices() {
        let Some((found, len, verbatim)) = find_char(region, pos, ch, style) else {
            continue;
        };
        pos = found + len;
        let file_offset = region_start + found;
        match &mut run {
            Some((run_embedded, run_offset, run_len))
                if verbatim
                    && *run_embedded + *run_len == embedded
                    && *run_offset + *run_len == file_offset =>
            {
                *run_len += len;
            }
            _ => {
                if let Some((e, o, l)) = run.take() {
                    map.push(e as u32, o as u32, l as u32);
                }
                let seg_len = if verbatim { len } else { 0 };
                run = Some((embedded, file_offset, seg_len));
            }
        }
    }
    if let Some((e, o, l)) = run {
        map.push(e as u32, o as u32, l as u32);
    }
    if map == SourceMap::new(file) {
        map.push(0, (region_start + pos) as u32, 0);
    }
    map
}

/// Finds where decoded character `ch` was written, starting at `pos` in `region`.
///
/// Returns the offset, the number of source bytes it took, and whether those bytes are the
/// character itself (as opposed to an escape sequence).
fn find_char(
    region: &str,
    pos: usize,
    ch: char,
    style: ScalarStyle,
) -> Option<(usize, usize, bool)> {
    let mut idx = pos;
    while let Some(source_char) = region.get(idx..)?.chars().next() {
        if source_char == ch {
            return Some((idx, ch.len_utf8(), true));
        }
        if style == ScalarStyle::DoubleQuoted && source_char == '\\' {
            let (decoded, len) = decode_escape(&region[idx..]);
            match decoded {
                Some(decoded) if decoded == ch => return Some((idx, len, false)),
                None => {
                    idx += len;
                    continue;
                }
                Some(_) => return None,
            }
        }
        let skippable = source_char.is_whitespace()
            || (style == ScalarStyle::SingleQuoted && source_char == '\'');
        if !skippable {
            return None;
        }
        idx += source_char.len_utf8();
    }
    None
}

/// Decodes one double-quoted escape at the start of `source` (which starts with `\`).
///
/// Returns the character (or `None` for an escaped line break, which produces nothing) and
/// the number of bytes the escape takes.
fn decode_escape(source: &str) -> (Option<char>, usize) {
    let mut chars = source.chars();
    chars.next();
    let Some(letter) = chars.next() else {
        return (None, 1);
    };
    let hex_len = match letter {
        'x' => 2,
        'u' => 4,
        'U' => 8,
        _ => 0,
    };
    if hex_len > 0 {
        let digits = source.get(2..2 + hex_len).unwrap_or("");
        let decoded = u32::from_str_radix(digits, 16).ok().and_then(char::from_u32);
        return (decoded.or(Some('\u{fffd}')), 2 + digits.len());
    }
    let decoded = match letter {
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\u{b}',
        'f' => '\u{c}',
        'r' => '\r',
        'e' => '\u{1b}',
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        '\n' => return (None, 2),
        other => other,
    };
    (Some(decoded), 1 + letter.len_utf8())
}
