//! Small, deterministic damage to valid queries, for the mutation check.
//!
//! Each mutation targets code, not the inside of string literals or comments, using a rough
//! scan of KQL's literal forms; the oracle decides whether a mutant is still valid.

use super::stable_hash;

/// The kinds of damage, applied round-robin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutation {
    /// Remove one `)`.
    DropCloseParen,
    /// Swap the first two letters of the operator name after a `|`.
    MisspellOperator,
    /// Remove the closing quote of a one-line string literal.
    UnterminateString,
    /// Remove one pipe `|`.
    DeletePipe,
}

impl Mutation {
    pub const ALL: [Mutation; 4] = [
        Mutation::DropCloseParen,
        Mutation::MisspellOperator,
        Mutation::UnterminateString,
        Mutation::DeletePipe,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mutation::DropCloseParen => "drop-close-paren",
            Mutation::MisspellOperator => "misspell-operator",
            Mutation::UnterminateString => "unterminate-string",
            Mutation::DeletePipe => "delete-pipe",
        }
    }
}

/// One damaged query.
#[derive(Debug, Clone)]
pub struct Mutant {
    pub mutation: Mutation,
    /// Byte offset of the damage in the original query.
    pub offset: usize,
    pub text: String,
}

/// Damages `text` with `preferred`, or with the next kind that applies; `None` when none does.
pub fn mutate(id: &str, text: &str, preferred: Mutation) -> Option<Mutant> {
    let scan = Scan::new(text);
    let start = Mutation::ALL.iter().position(|&kind| kind == preferred).unwrap_or(0);
    for step in 0..Mutation::ALL.len() {
        let mutation = Mutation::ALL[(start + step) % Mutation::ALL.len()];
        if let Some(mutant) = apply(id, text, &scan, mutation) {
            return Some(mutant);
        }
    }
    None
}

fn apply(id: &str, text: &str, scan: &Scan, mutation: Mutation) -> Option<Mutant> {
    let bytes = text.as_bytes();
    let pick = |n: usize| (stable_hash(id) % n as u64) as usize;
    match mutation {
        Mutation::DropCloseParen | Mutation::DeletePipe => {
            let wanted = if mutation == Mutation::DropCloseParen { b')' } else { b'|' };
            let candidates: Vec<usize> =
                (0..bytes.len()).filter(|&idx| bytes[idx] == wanted && scan.is_code(idx)).collect();
            if candidates.is_empty() {
                return None;
            }
            let offset = candidates[pick(candidates.len())];
            let mutated = format!("{}{}", &text[..offset], &text[offset + 1..]);
            Some(Mutant { mutation, offset, text: mutated })
        }
        Mutation::MisspellOperator => {
            let candidates: Vec<usize> = (0..bytes.len())
                .filter(|&idx| bytes[idx] == b'|' && scan.is_code(idx))
                .filter_map(|idx| {
                    let word =
                        idx + 1 + count_leading(&bytes[idx + 1..], |b| b == b' ' || b == b'\t');
                    let len = count_leading(&bytes[word..], |b| b.is_ascii_lowercase());
                    (len >= 2 && bytes[word] != bytes[word + 1]).then_some(word)
                })
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let offset = candidates[pick(candidates.len())];
            let mut mutated = text.as_bytes().to_vec();
            mutated.swap(offset, offset + 1);
            let mutated = String::from_utf8(mutated).ok()?;
            Some(Mutant { mutation, offset, text: mutated })
        }
        Mutation::UnterminateString => {
            let candidates: Vec<usize> = scan
                .strings
                .iter()
                .filter(|literal| literal.one_line && literal.end - literal.start >= 2)
                .map(|literal| literal.end - 1)
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let offset = candidates[pick(candidates.len())];
            let mutated = format!("{}{}", &text[..offset], &text[offset + 1..]);
            Some(Mutant { mutation, offset, text: mutated })
        }
    }
}

fn count_leading(bytes: &[u8], pred: impl Fn(u8) -> bool) -> usize {
    bytes.iter().take_while(|&&b| pred(b)).count()
}

/// A string literal found by the scan: `start..end` covers the quotes.
#[derive(Debug, Clone, Copy)]
struct Literal {
    start: usize,
    end: usize,
    /// Quoted with `'` or `"` (not triple backticks or `~~~`) and closed on its own line.
    one_line: bool,
}

/// Which bytes are code, as opposed to string literal or comment.
struct Scan {
    code: Vec<bool>,
    strings: Vec<Literal>,
}

impl Scan {
    fn new(text: &str) -> Scan {
        let bytes = text.as_bytes();
        let mut code = vec![true; bytes.len()];
        let mut strings = Vec::new();
        let mut idx = 0;
        while idx < bytes.len() {
            let rest = &bytes[idx..];
            let end = if rest.starts_with(b"//") {
                let len = count_leading(rest, |b| b != b'\n');
                idx + len
            } else if rest.starts_with(b"```") || rest.starts_with(b"~~~") {
                let fence = &rest[..3];
                let close = find(&rest[3..], fence).map_or(bytes.len(), |pos| idx + 3 + pos + 3);
                strings.push(Literal { start: idx, end: close, one_line: false });
                close
            } else if matches!(rest, [b'@', b'\'' | b'"', ..]) {
                let (close, one_line) = close_quote(bytes, idx + 1, true);
                strings.push(Literal { start: idx + 1, end: close, one_line });
                close
            } else if bytes[idx] == b'\'' || bytes[idx] == b'"' {
                let (close, one_line) = close_quote(bytes, idx, false);
                strings.push(Literal { start: idx, end: close, one_line });
                close
            } else {
                idx += 1;
                continue;
            };
            for flag in &mut code[idx..end] {
                *flag = false;
            }
            idx = end.max(idx + 1);
        }
        Scan { code, strings }
    }

    fn is_code(&self, idx: usize) -> bool {
        self.code.get(idx).copied().unwrap_or(false)
    }
}

/// Returns the offset just past the closing quote of the literal opened at `open` and `true`,
/// or the end of the line and `false` when it is not closed there.
fn close_quote(bytes: &[u8], open: usize, verbatim: bool) -> (usize, bool) {
    let quote = bytes[open];
    let mut idx = open + 1;
    while idx < bytes.len() {
        match bytes[idx] {
            b'\n' => return (idx, false),
            b'\\' if !verbatim => idx += 2,
            byte if byte == quote => {
                if verbatim && bytes.get(idx + 1) == Some(&quote) {
                    idx += 2;
                } else {
                    return (idx + 1, true);
                }
            }
            _ => idx += 1,
        }
    }
    (bytes.len(), false)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damage_skips_strings_and_comments() {
        let text = "T // a | b)\n| where x == 'a|b)' | project y";
        let mutant = mutate("q", text, Mutation::DeletePipe).unwrap();
        assert!(mutant.offset == 12 || mutant.offset == 31, "offset {}", mutant.offset);

        let mutant = mutate("q", text, Mutation::DropCloseParen).unwrap();
        assert_eq!(mutant.mutation, Mutation::MisspellOperator);

        let mutant = mutate("q", text, Mutation::UnterminateString).unwrap();
        assert_eq!(mutant.text, "T // a | b)\n| where x == 'a|b) | project y");
    }

    #[test]
    fn misspells_the_operator_name() {
        let mutant = mutate("q", "T\n| where x", Mutation::MisspellOperator).unwrap();
        assert_eq!(mutant.text, "T\n| hwere x");
    }
}
