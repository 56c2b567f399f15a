//! GitHub Actions workflow commands: one `::error ...::message` line per diagnostic, so that
//! findings show as annotations on the pull request.
//!
//! Escaping: in the message, `%`, CR and LF become `%25`, `%0D` and `%0A`; in properties
//! (`file`, `title`) `:` and `,` also become `%3A` and `%2C`. Columns are left out when a span
//! covers more than one line, because GitHub then ignores them. Columns count Unicode scalar
//! values, as in every renderer, and `endColumn` is one past the last character (exclusive),
//! the same number as JSON's `end_column` and SARIF's `endColumn`: GitHub's reference calls it
//! the "end column" without saying more, and its own example (`col=5,endColumn=7` for one
//! missing character's neighbourhood) and the behaviour others observed read it as exclusive.
//! Control, bidirectional and zero-width characters in the message and path are written as
//! `<U+XXXX>` first (as in the human format), since the annotation is shown in a browser and
//! in the job log.

use std::io::{self, Write};

use super::{ordered, resolve};
use crate::{Diagnostic, Severity, SourceFiles};

/// Writes one workflow command per diagnostic.
///
/// # Errors
///
/// Returns the writer's error.
pub fn render(
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    out: &mut dyn Write,
) -> io::Result<()> {
    for diag in ordered(diagnostics, files) {
        let level = match diag.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let position = resolve(files, diag.primary.span);
        // A path with hidden characters would not match a file GitHub knows anyway.
        let path = super::visible(position.path);
        let mut properties = vec![format!("file={}", escape_property(&path))];
        properties.push(format!("line={}", position.start.line));
        let end_line =
            if diag.primary.span.is_empty() { position.start.line } else { end_line(&position) };
        if end_line == position.start.line {
            properties.push(format!("col={}", position.start.column));
            properties.push(format!("endLine={end_line}"));
            let end_column = if diag.primary.span.is_empty() {
                position.start.column
            } else if position.end.line > end_line {
                // The span ends with the line break: one past the line's last character.
                let text =
                    files.try_get(diag.primary.span.file).map_or("", |f| f.line_text(end_line));
                u32::try_from(text.chars().count()).unwrap_or(u32::MAX).saturating_add(1)
            } else {
                position.end.column
            };
            properties.push(format!("endColumn={end_column}"));
        } else {
            properties.push(format!("endLine={end_line}"));
        }
        properties.push(format!("title={}", escape_property(diag.code.as_str())));

        let mut message = diag.message.clone();
        for note in &diag.notes {
            message.push_str(&format!("\nnote: {note}"));
        }
        if let Some(help) = &diag.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let message = super::visible(&message);
        writeln!(out, "::{level} {}::{}", properties.join(","), escape_message(&message))?;
    }
    Ok(())
}

/// The last line the span covers: a span ending right after a line break ends on the line
/// before.
fn end_line(position: &super::Resolved<'_>) -> u32 {
    if position.end.column == 1 && position.end.line > position.start.line {
        position.end.line - 1
    } else {
        position.end.line
    }
}

/// Escapes a message: `%`, CR and LF.
pub fn escape_message(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value: as a message, plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_message(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_message("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
