//! Keeping output bounded: at most so many diagnostics per file, with one note saying how many
//! were left out.
//!
//! A small hostile file (a query of thousands of repeated mistakes) can produce a finding per
//! token; printed with snippets, that is hundreds of megabytes. The cap keeps the most severe
//! findings of each file, in output order, and replaces the rest with a single note that
//! counts them by severity. Callers decide the exit code from the full list, before capping.

use std::collections::BTreeMap;

use crate::{Code, Diagnostic, FileId, Severity, Span};

/// How to cap: the most diagnostics kept per file, and the code and help of the note that
/// replaces the rest.
#[derive(Clone, Copy, Debug)]
pub struct Cap<'a> {
    /// Most diagnostics kept per file; `0` keeps everything.
    pub max_per_file: usize,
    /// The code of the note that counts what was left out.
    pub code: Code,
    /// What to do, for the note's help (for example how to raise the limit).
    pub help: &'a str,
}

/// Keeps at most `cap.max_per_file` diagnostics per file (errors first, then warnings, then
/// notes, each in position order) and adds one note per capped file at its start. Returns how
/// many diagnostics were left out. The kept diagnostics stay in their original relative order.
pub fn cap_per_file(diagnostics: &mut Vec<Diagnostic>, cap: &Cap<'_>) -> usize {
    if cap.max_per_file == 0 {
        return 0;
    }
    let mut by_file: BTreeMap<FileId, Vec<usize>> = BTreeMap::new();
    for (idx, diag) in diagnostics.iter().enumerate() {
        by_file.entry(diag.primary.span.file).or_default().push(idx);
    }

    let mut dropped = vec![false; diagnostics.len()];
    let mut notes = Vec::new();
    let mut n_left_out = 0;
    for (file, mut indexes) in by_file {
        if indexes.len() <= cap.max_per_file {
            continue;
        }
        indexes.sort_by(|&a, &b| {
            let (a, b) = (&diagnostics[a], &diagnostics[b]);
            b.severity.cmp(&a.severity).then_with(|| a.sort_key().cmp(&b.sort_key()))
        });
        let mut counts = [0usize; 3];
        for &idx in &indexes[cap.max_per_file..] {
            dropped[idx] = true;
            counts[severity_index(diagnostics[idx].severity)] += 1;
        }
        let n = indexes.len() - cap.max_per_file;
        n_left_out += n;
        notes.push(note(file, n, counts, cap));
    }
    if n_left_out == 0 {
        return 0;
    }

    let mut idx = 0;
    diagnostics.retain(|_| {
        idx += 1;
        !dropped[idx - 1]
    });
    diagnostics.extend(notes);
    n_left_out
}

fn severity_index(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Note => 2,
    }
}

fn note(file: FileId, n: usize, counts: [usize; 3], cap: &Cap<'_>) -> Diagnostic {
    let plural = |n: usize, word: &str| {
        if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
    };
    let parts: Vec<String> = [(counts[0], "error"), (counts[1], "warning"), (counts[2], "note")]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, word)| plural(count, word))
        .collect();
    Diagnostic::note_level(
        cap.code,
        format!("{n} more {} in this file not shown", if n == 1 { "finding" } else { "findings" }),
        Span::file_start(file),
    )
    .with_note(format!(
        "left out: {}; at most {} findings are shown per file, the most severe first",
        parts.join(", "),
        cap.max_per_file
    ))
    .with_help(cap.help)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAP: Cap<'static> = Cap { max_per_file: 2, code: Code::new("SPEC019"), help: "h" };

    fn diag(file: u32, start: u32, severity: Severity) -> Diagnostic {
        Diagnostic::new(Code::new("KQL101"), severity, "m", Span::new(FileId(file), start, start))
    }

    #[test]
    fn keeps_the_most_severe_per_file_and_counts_the_rest() {
        let mut diagnostics = vec![
            diag(0, 1, Severity::Note),
            diag(0, 2, Severity::Warning),
            diag(0, 3, Severity::Error),
            diag(0, 4, Severity::Note),
            diag(1, 1, Severity::Note),
            diag(0, 5, Severity::Error),
        ];
        assert_eq!(cap_per_file(&mut diagnostics, &CAP), 3);
        let kept: Vec<(u32, u32)> =
            diagnostics.iter().map(|d| (d.primary.span.file.0, d.primary.span.start)).collect();
        assert_eq!(kept, [(0, 3), (1, 1), (0, 5), (0, 0)]);
        let note = &diagnostics[3];
        assert_eq!(note.severity, Severity::Note);
        assert_eq!(note.message, "3 more findings in this file not shown");
        assert_eq!(
            note.notes,
            ["left out: 1 warning, 2 notes; at most 2 findings are shown per file, the most \
              severe first"]
        );
    }

    #[test]
    fn zero_or_a_list_under_the_cap_changes_nothing() {
        let mut diagnostics = vec![diag(0, 1, Severity::Note), diag(0, 2, Severity::Note)];
        assert_eq!(cap_per_file(&mut diagnostics, &CAP), 0);
        assert_eq!(diagnostics.len(), 2);
        let unlimited = Cap { max_per_file: 0, ..CAP };
        let mut many: Vec<Diagnostic> = (0..10).map(|i| diag(0, i, Severity::Error)).collect();
        assert_eq!(cap_per_file(&mut many, &unlimited), 0);
        assert_eq!(many.len(), 10);
    }
}
