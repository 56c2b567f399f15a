//! The human format: a header, the source lines with line numbers, an underline under the
//! span with its label, then notes and help.
//!
//! ```text
//! error[SPEC013]: `Critical` is not a valid `severity`
//!  --> detections/rule.yaml:4:11
//!   |
//! 4 | severity: Critical
//!   |           ^^^^^^^^
//!   = note: allowed values: `Informational`, `Low`, `Medium`, `High`
//! ```
//!
//! A span over several lines is marked with a bar on the left (long spans are shortened to
//! their first and last lines). A source line longer than 120 characters is shown as a window
//! of that many around the span, with `…` where it was cut, so one huge line cannot make every
//! snippet huge; the position in the header is always the real one. Control characters
//! (C0, C1, DEL), bidirectional controls and zero-width characters in source lines,
//! messages, labels, notes and help are printed as `<U+XXXX>`, and the underline moves with
//! them, so a file cannot colour the terminal, set its title or reorder what is read. Colour (ANSI) is used only when [`Options::color`] is set; the
//! CLI decides that from the terminal and `NO_COLOR`.

use std::io::{self, Write};

use super::{Summary, ordered, push_visible, visible, visible_width};
use crate::{Diagnostic, Label, Severity, SourceFile, SourceFiles};

/// How to render.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Use ANSI colours.
    pub color: bool,
    /// How many findings the caller left out (a per-file cap), for the last line.
    pub not_shown: usize,
}

/// Most lines of a multi-line span shown before the middle is elided.
const MAX_SPAN_LINES: u32 = 6;

/// Width of a tab when showing source lines.
const TAB_WIDTH: usize = 4;

/// Most characters of one source line shown; longer lines are cut around the span.
const MAX_LINE_CHARS: usize = 120;

/// Characters shown before the span when a long line is cut.
const CONTEXT_CHARS: usize = 40;

/// Marks where a long line was cut.
const ELLIPSIS: char = '…';

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn severity(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Note => "1;36",
        };
        self.paint(code, text)
    }

    fn gutter(&self, text: &str) -> String {
        self.paint("1;34", text)
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// Writes every diagnostic without colour, then a one-line summary when there is at least one.
///
/// # Errors
///
/// Returns the writer's error.
pub fn render(
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    out: &mut dyn Write,
) -> io::Result<()> {
    render_with_options(diagnostics, files, out, &Options::default())
}

/// Like [`render`], with options (colour).
///
/// # Errors
///
/// Returns the writer's error.
pub fn render_with_options(
    diagnostics: &[Diagnostic],
    files: &SourceFiles,
    out: &mut dyn Write,
    options: &Options,
) -> io::Result<()> {
    let style = Style { color: options.color };
    for diag in ordered(diagnostics, files) {
        render_one(diag, files, out, &style)?;
        writeln!(out)?;
    }
    let summary = Summary::of(diagnostics);
    if !diagnostics.is_empty() {
        let mut line = summary_line(&summary);
        if options.not_shown > 0 {
            line.push_str(&format!(" shown; {} more not shown", options.not_shown));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Writes a table of findings per code, most frequent first (then by code):
///
/// ```text
/// findings by code:
///   KQL101  error    1,204  unknown-column
///   SPEC110 warning     12  name-too-long
/// ```
///
/// The severity is the highest the code was reported with; `names` gives each code's name.
///
/// # Errors
///
/// Returns the writer's error.
pub fn render_code_table(
    diagnostics: &[Diagnostic],
    names: &dyn Fn(crate::Code) -> Option<&'static str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rows = super::counts_by_code(diagnostics);
    if rows.is_empty() {
        return Ok(());
    }
    let code_width = rows.iter().map(|row| row.code.as_str().len()).max().unwrap_or(0);
    let count_width = rows.iter().map(|row| grouped(row.count).len()).max().unwrap_or(0);
    writeln!(out, "findings by code:")?;
    for row in rows {
        let line = format!(
            "  {:<code_width$} {:<7}  {:>count_width$}  {}",
            row.code.as_str(),
            row.severity.as_str(),
            grouped(row.count),
            names(row.code).unwrap_or("")
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// `1204` as `1,204`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (idx, digit) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `2 errors, 1 warning, 0 notes`.
pub fn summary_line(summary: &Summary) -> String {
    let plural =
        |n: usize, word: &str| if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") };
    format!(
        "{}, {}, {}",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.notes, "note")
    )
}

fn render_one(
    diag: &Diagnostic,
    files: &SourceFiles,
    out: &mut dyn Write,
    style: &Style,
) -> io::Result<()> {
    let header = format!("{}[{}]", diag.severity.as_str(), diag.code);
    let mut message_lines = diag.message.lines();
    let first = message_lines.next().unwrap_or("");
    writeln!(
        out,
        "{}{}",
        style.severity(diag.severity, &header),
        style.bold(&format!(": {}", visible(first)))
    )?;
    let indent = " ".repeat(header.len() + 2);
    for line in message_lines {
        writeln!(out, "{indent}{}", style.bold(&visible(line)))?;
    }

    let width = gutter_width(diag, files);
    let pad = " ".repeat(width);
    if let Some(file) = files.try_get(diag.primary.span.file) {
        snippet(out, style, file, &diag.primary, width, '^', Some(diag.severity))?;
    }
    for label in &diag.secondary {
        if let Some(file) = files.try_get(label.span.file) {
            snippet(out, style, file, label, width, '-', None)?;
        }
    }
    for note in &diag.notes {
        write_tail(out, style, &pad, "note", note)?;
    }
    if let Some(help) = &diag.help {
        write_tail(out, style, &pad, "help", help)?;
    }
    Ok(())
}

fn write_tail(
    out: &mut dyn Write,
    style: &Style,
    pad: &str,
    kind: &str,
    text: &str,
) -> io::Result<()> {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    writeln!(out, "{pad} {} {}: {}", style.gutter("="), style.bold(kind), visible(first))?;
    let indent = " ".repeat(kind.len() + 2);
    for line in lines {
        writeln!(out, "{pad}   {indent}{}", visible(line))?;
    }
    Ok(())
}

/// The last line a span covers: a span that ends right after a line break ends on the line
/// before.
fn span_lines(file: &SourceFile, label: &Label) -> (u32, u32) {
    let start = file.line_col(label.span.start);
    let end = file.line_col(label.span.end);
    let last = if end.column == 1 && end.line > start.line { end.line - 1 } else { end.line };
    (start.line, last.max(start.line))
}

fn gutter_width(diag: &Diagnostic, files: &SourceFiles) -> usize {
    std::iter::once(&diag.primary)
        .chain(&diag.secondary)
        .filter_map(|label| files.try_get(label.span.file).map(|file| span_lines(file, label).1))
        .max()
        .unwrap_or(1)
        .to_string()
        .len()
}

/// Display width of the first `chars` characters of `line` as [`printable`] prints them.
fn display_width(line: &str, chars: usize) -> usize {
    line.chars().take(chars).map(|ch| if ch == '\t' { TAB_WIDTH } else { visible_width(ch) }).sum()
}

/// A source line as printed: tabs expanded, control, bidirectional and zero-width characters
/// as `<U+XXXX>` (see [`super::is_hidden`]), so the user's file cannot drive the terminal.
fn printable(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for ch in line.chars() {
        if ch == '\t' {
            out.push_str(&" ".repeat(TAB_WIDTH));
        } else {
            push_visible(&mut out, ch);
        }
    }
    out
}

/// The part of `line` to show for the characters `from..to`, and where they are in it. A line
/// of at most [`MAX_LINE_CHARS`] is shown whole; a longer one from [`CONTEXT_CHARS`] before
/// `from`, at most [`MAX_LINE_CHARS`] long, with [`ELLIPSIS`] at each end that was cut.
fn window(line: &str, from: usize, to: usize) -> (String, usize, usize) {
    let n_chars = line.chars().count();
    if n_chars <= MAX_LINE_CHARS {
        return (line.to_owned(), from, to);
    }
    let from = from.min(n_chars);
    let to = to.clamp(from, n_chars);
    let begin = from.saturating_sub(CONTEXT_CHARS);
    let end = (begin + MAX_LINE_CHARS).min(n_chars).max(from);
    let mut shown: String = line.chars().skip(begin).take(end - begin).collect();
    let lead = usize::from(begin > 0);
    if begin > 0 {
        shown.insert(0, ELLIPSIS);
    }
    if end < n_chars {
        shown.push(ELLIPSIS);
    }
    (shown, from - begin + lead, to.min(end) - begin + lead)
}

/// `line` cut to its first [`MAX_LINE_CHARS`] characters, with [`ELLIPSIS`] when cut.
fn head(line: &str) -> String {
    window(line, 0, 0).0
}

fn snippet(
    out: &mut dyn Write,
    style: &Style,
    file: &SourceFile,
    label: &Label,
    width: usize,
    marker: char,
    severity: Option<Severity>,
) -> io::Result<()> {
    let paint = |text: &str| match severity {
        Some(severity) => style.severity(severity, text),
        None => style.gutter(text),
    };
    let pad = " ".repeat(width);
    let start = file.line_col(label.span.start);
    let end = file.line_col(label.span.end);
    let (first_line, last_line) = span_lines(file, label);
    let arrow = if marker == '^' { "-->" } else { ":::" };
    writeln!(
        out,
        "{pad}{} {}:{}:{}",
        style.gutter(arrow),
        visible(file.path()),
        start.line,
        start.column
    )?;
    writeln!(out, "{pad} {}", style.gutter("|"))?;
    let number = |line: u32| style.gutter(&format!("{line:>width$} |"));
    let label_text = if label.message.is_empty() {
        String::new()
    } else {
        format!(" {}", visible(&label.message))
    };

    if first_line == last_line {
        let text = file.line_text(first_line);
        let from = (start.column - 1) as usize;
        let to =
            if end.line == start.line { (end.column - 1) as usize } else { text.chars().count() };
        let (text, from, to) = window(text, from, to);
        let offset = display_width(&text, from);
        let len = (display_width(&text, to) - offset).max(1);
        writeln!(out, "{} {}", number(first_line), printable(&text))?;
        let underline = marker.to_string().repeat(len);
        writeln!(
            out,
            "{pad} {} {}{}",
            style.gutter("|"),
            " ".repeat(offset),
            paint(&format!("{underline}{label_text}"))
        )?;
        return Ok(());
    }

    let shown: Vec<Option<u32>> = if last_line - first_line < MAX_SPAN_LINES {
        (first_line..=last_line).map(Some).collect()
    } else {
        let mut lines: Vec<Option<u32>> = (first_line..first_line + 3).map(Some).collect();
        lines.push(None);
        lines.extend((last_line - 1..=last_line).map(Some));
        lines
    };
    for line in shown {
        match line {
            Some(line) => {
                let bar = if line == first_line { "/" } else { "|" };
                writeln!(
                    out,
                    "{} {} {}",
                    number(line),
                    paint(bar),
                    printable(&head(file.line_text(line)))
                )?;
            }
            None => writeln!(out, "{pad} {} {}", style.gutter("|"), paint("|") + " ...")?,
        }
    }
    let last_text = file.line_text(last_line);
    let end_chars =
        if end.line == last_line { (end.column - 1) as usize } else { last_text.chars().count() };
    let (last_shown, _, end_chars) = window(last_text, 0, end_chars);
    let reach = display_width(&last_shown, end_chars).max(1);
    let underline = format!("|{}{marker}{label_text}", "_".repeat(reach));
    writeln!(out, "{pad} {} {}", style.gutter("|"), paint(&underline))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_shown_whole() {
        assert_eq!(window("abc", 1, 2), ("abc".to_owned(), 1, 2));
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}NAME{}", "x".repeat(500), "y".repeat(500));
        let (shown, from, to) = window(&line, 500, 504);
        assert_eq!(shown.chars().count(), MAX_LINE_CHARS + 2);
        assert!(shown.starts_with(ELLIPSIS) && shown.ends_with(ELLIPSIS), "{shown}");
        let chars: Vec<char> = shown.chars().collect();
        assert_eq!(chars[from..to].iter().collect::<String>(), "NAME");
        assert_eq!(from, CONTEXT_CHARS + 1);

        // At the start of the line nothing is cut before; a span past the window is cut.
        let (shown, from, to) = window(&line, 0, 900);
        assert!(!shown.starts_with(ELLIPSIS) && shown.ends_with(ELLIPSIS));
        assert_eq!((from, to), (0, MAX_LINE_CHARS));
        // At the end of the line nothing is cut after.
        let (shown, from, _) = window(&line, 1003, 1004);
        assert!(shown.starts_with(ELLIPSIS) && !shown.ends_with(ELLIPSIS));
        assert_eq!(shown.chars().nth(from), Some('y'));
    }

    #[test]
    fn cutting_counts_characters_not_bytes() {
        let line = "é".repeat(300);
        let (shown, from, to) = window(&line, 150, 151);
        assert_eq!(shown.chars().filter(|&c| c == 'é').count(), MAX_LINE_CHARS);
        assert_eq!((from, to), (CONTEXT_CHARS + 1, CONTEXT_CHARS + 2));
        assert_eq!(head(&line).chars().count(), MAX_LINE_CHARS + 1);
    }
}
