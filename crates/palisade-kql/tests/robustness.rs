//! Random and mutated input never panics, and every range the parser reports lies inside the
//! text on character boundaries; the tree always reproduces the text exactly.
//!
//! A small deterministic generator stands in for proptest, so the suite stays quick to build.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use palisade_kql::{SyntaxElement, SyntaxNode};

/// xorshift64*: deterministic, dependency-free randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "T",
    " ",
    "\n",
    "|",
    "where",
    "project",
    "extend",
    "summarize",
    "by",
    "join",
    "on",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    "=",
    "==",
    "!=",
    "=~",
    "has",
    "!has",
    "in",
    "!in~",
    "between",
    "..",
    ".",
    "'",
    "\"",
    "@'",
    "h'",
    "```",
    "~~~",
    "//",
    "let",
    "datetime(",
    "dynamic(",
    "1d",
    "10ns",
    "0x",
    "1.5e",
    "-",
    "+",
    "*",
    "/",
    "%",
    "<",
    ">",
    "<=",
    ">=",
    "and",
    "or",
    "x",
    "é",
    "日本",
    "\u{200b}",
    "\\",
    "$left",
    "mv-expand",
    "make-series",
    "!",
    "~",
    "#",
    "<|",
    "=>",
    "kind=",
    "with",
    "typeof(",
    "toscalar(",
    "materialize(",
    "print",
    "range",
    "union",
    "*",
];

fn check(text: &str) {
    let parse = palisade_kql::parse(text);
    let len = text.len() as u32;
    for error in parse.diagnostics() {
        assert!(error.code.starts_with("KQL0"), "{text:?}: {error:?}");
        assert!(error.range.start <= error.range.end && error.range.end <= len, "{text:?}");
        assert!(text.is_char_boundary(error.range.start as usize), "{text:?}: {error:?}");
        assert!(text.is_char_boundary(error.range.end as usize), "{text:?}: {error:?}");
    }
    assert_eq!(parse.root().text(), text, "the tree must reproduce the text");
    check_node(parse.root(), text);
}

fn check_node(node: SyntaxNode<'_>, text: &str) {
    let range = node.range();
    assert!(range.start <= range.end && range.end as usize <= text.len(), "{text:?}");
    assert!(text.is_char_boundary(range.start as usize), "{text:?}");
    assert!(text.is_char_boundary(range.end as usize), "{text:?}");
    let mut position = range.start;
    for child in node.children_with_tokens() {
        let child_range = child.range();
        assert!(child_range.start >= position, "children out of order in {text:?}");
        position = child_range.end;
        if let SyntaxElement::Node(child) = child {
            check_node(child, text);
        }
    }
}

fn seeds() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parse");
    let mut seeds = Vec::new();
    for dir in ["ok", "err"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "kql") {
                seeds.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    seeds.sort();
    seeds
}

#[test]
fn random_token_soup_never_panics() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20_000 {
        let n = rng.below(40);
        let text: String = (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect();
        check(&text);
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(42);
    for _ in 0..10_000 {
        let n = rng.below(60);
        let bytes: Vec<u8> = (0..n).map(|_| rng.below(256) as u8).collect();
        check(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let seeds = seeds();
    let mut rng = Rng(7);
    for seed in &seeds {
        for _ in 0..200 {
            let mut chars: Vec<char> = seed.chars().collect();
            for _ in 0..=rng.below(3) {
                if chars.is_empty() {
                    break;
                }
                let at = rng.below(chars.len());
                match rng.below(4) {
                    0 => {
                        chars.remove(at);
                    }
                    1 => {
                        let piece = PIECES[rng.below(PIECES.len())];
                        for (offset, ch) in piece.chars().enumerate() {
                            chars.insert(at + offset, ch);
                        }
                    }
                    2 => chars.truncate(at),
                    _ => {
                        let other = rng.below(chars.len());
                        chars.swap(at, other);
                    }
                }
            }
            check(&chars.into_iter().collect::<String>());
        }
    }
}

#[test]
fn deep_nesting_is_reported_not_overflowed() {
    for opener in ["(", "[", "-(", "f(", "dynamic([", "T | where (", "{"] {
        let text = format!("print {}", opener.repeat(20_000));
        check(&text);
        assert!(palisade_kql::parse(&text).has_errors());
    }
}

#[test]
fn two_hundred_nested_levels_parse_like_kusto() {
    // Kusto.Language accepts these; the depth limit must not turn them into errors.
    let texts = [
        format!("print {}1{}", "(".repeat(200), ")".repeat(200)),
        format!("print {}1{}", "f(".repeat(200), ")".repeat(200)),
        format!("print dynamic({}1{})", "[".repeat(200), "]".repeat(200)),
    ];
    for text in &texts {
        let parse = palisade_kql::parse(text);
        assert!(!parse.has_errors(), "{:?}", parse.diagnostics());
        check(text);
    }
}

#[test]
fn ten_thousand_closed_levels_give_one_error() {
    // Each opener is one level as written; closed properly, the text past the limit holds
    // nothing wrong, so the nesting error is the only diagnostic.
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        ("print ", "(", "1", ")", ""),
        ("print ", "[", "1", "]", ""),
        ("print ", "-(", "1", ")", ""),
        ("print ", "not(", "true", ")", ""),
        ("print ", "iff(true, 1, ", "2", ")", ""),
        ("print ", "iff(true, ", "1", ", 2)", ""),
        ("print ", "f(", "1", ")", ""),
        ("print ", "a[", "1", "]", ""),
        ("print dynamic(", "[", "1", "]", ")"),
        ("", "T | where (", "true", ")", ""),
        ("", "union (", "T", ")", ""),
        ("", "let f = () { ", "T", " }; f()", ""),
        ("", "macro-expand g as X (", "X", ")", ""),
        ("E | ", "make-graph a --> b partitioned-by p (", "graph-to-table nodes", ")", ""),
    ];
    for (prefix, open, middle, close, suffix) in cases {
        let text = format!(
            "{prefix}{}{middle}{}{suffix} | where x",
            open.repeat(10_000),
            close.repeat(10_000)
        );
        check(&text);
        let parse = palisade_kql::parse(&text);
        let codes: Vec<_> = parse.diagnostics().iter().map(|error| error.code).collect();
        assert_eq!(codes, ["KQL011"], "{open}: {:?}", parse.diagnostics().first());
    }
}

#[test]
fn nine_hundred_levels_parse_without_errors() {
    // The limit counts what the user wrote: one level per bracket.
    for (open, close) in [("(", ")"), ("f(", ")"), ("not(", ")"), ("-(", ")"), ("[", "]")] {
        let text = format!("print {}1{}", open.repeat(900), close.repeat(900));
        let parse = palisade_kql::parse(&text);
        assert!(!parse.has_errors(), "{open}: {:?}", parse.diagnostics().first());
    }
}
