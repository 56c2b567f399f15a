//! YAML loading with exact source positions.
//!
//! We drive the `saphyr-parser` event parser ourselves and build a small tree of [`Node`]s:
//! mappings keep their key order and the spans of keys and values, scalars keep their style
//! (plain, quoted, literal, folded) and span, aliases are expanded, merge keys (`<<`) are
//! applied as YAML 1.1 readers such as PyYAML apply them, and a mapping with the same key twice
//! is an error. See `docs/decisions/0001-yaml-crate.md` and `0017-yaml-expansion-limits.md`.
//!
//! Spans index the text given to [`parse`]. Callers first pass the file through
//! [`normalize_source`], which turns CRLF into LF and drops a leading byte order mark, and keep
//! that normalised text in their `SourceFiles`: line numbers are the same as in the file on
//! disk, and columns are the same except on a first line that had a byte order mark.

mod json;
mod scalar_map;

use std::borrow::Cow;
use std::collections::HashMap;

use palisade_diagnostics::{Diagnostic, FileId, Span};
use saphyr_parser::{Event, Parser, ScanError};

use crate::codes;

pub use json::{JsonIndex, to_json};
pub use scalar_map::scalar_source_map;

/// Deepest nesting of mappings and sequences we accept; real specs nest fewer than ten levels.
const MAX_DEPTH: usize = 128;

/// Most nodes one document may expand to through aliases, so an alias bomb cannot exhaust memory.
const MAX_NODES: usize = 1_000_000;

/// Most bytes of scalar text one document may expand to through aliases: a few aliases of long
/// strings cost memory without many nodes. Spec files are at most 1 MiB, so only repeated
/// aliases get near this.
const MAX_TEXT_BYTES: usize = 32 * 1024 * 1024;

/// What building a subtree costs: its nodes and the bytes of its scalars' text.
#[derive(Clone, Copy, Debug, Default)]
struct Cost {
    nodes: usize,
    text_bytes: usize,
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    /// Unquoted.
    Plain,
    /// `'…'`.
    SingleQuoted,
    /// `"…"`.
    DoubleQuoted,
    /// A `|` block.
    Literal,
    /// A `>` block.
    Folded,
}

impl ScalarStyle {
    fn from_parser(style: saphyr_parser::ScalarStyle) -> Self {
        match style {
            saphyr_parser::ScalarStyle::Plain => ScalarStyle::Plain,
            saphyr_parser::ScalarStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            saphyr_parser::ScalarStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            saphyr_parser::ScalarStyle::Literal => ScalarStyle::Literal,
            saphyr_parser::ScalarStyle::Folded => ScalarStyle::Folded,
        }
    }

    /// Whether the scalar was written as a `|` or `>` block.
    pub fn is_block(self) -> bool {
        matches!(self, ScalarStyle::Literal | ScalarStyle::Folded)
    }
}

/// A scalar: its decoded text, how it was written and an explicit tag if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The value after YAML decoding (escapes, folding and chomping applied).
    pub text: String,
    /// How it was written.
    pub style: ScalarStyle,
    /// An explicit tag such as `!!str`, written out as `tag:yaml.org,2002:str`.
    pub tag: Option<String>,
}

impl Scalar {
    /// The YAML 1.2 core-schema type of this scalar.
    pub fn resolve(&self) -> Resolved {
        if let Some(tag) = &self.tag {
            match tag.strip_prefix("tag:yaml.org,2002:") {
                Some("str") => return Resolved::String,
                Some("null") => return Resolved::Null,
                Some("bool") => return resolve_bool(&self.text).unwrap_or(Resolved::String),
                Some("int") | Some("float") => {
                    return resolve_number(&self.text).unwrap_or(Resolved::String);
                }
                _ => return Resolved::String,
            }
        }
        if self.style != ScalarStyle::Plain {
            return Resolved::String;
        }
        let text = self.text.as_str();
        if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
            return Resolved::Null;
        }
        resolve_bool(text).or_else(|| resolve_number(text)).unwrap_or(Resolved::String)
    }
}

/// What a scalar means under the YAML 1.2 core schema.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Resolved {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number that fits in 64 bits.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// Text.
    String,
}

fn resolve_bool(text: &str) -> Option<Resolved> {
    match text {
        "true" | "True" | "TRUE" => Some(Resolved::Bool(true)),
        "false" | "False" | "FALSE" => Some(Resolved::Bool(false)),
        _ => None,
    }
}

fn resolve_number(text: &str) -> Option<Resolved> {
    if let Some(octal) = text.strip_prefix("0o") {
        return i64::from_str_radix(octal, 8).ok().map(Resolved::Int);
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(Resolved::Int);
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<i64>()
            .ok()
            .map(Resolved::Int)
            .or_else(|| text.parse::<f64>().ok().map(Resolved::Float));
    }
    match unsigned {
        ".inf" | ".Inf" | ".INF" => {
            let sign = if text.starts_with('-') { -1.0 } else { 1.0 };
            return Some(Resolved::Float(sign * f64::INFINITY));
        }
        ".nan" | ".NaN" | ".NAN" if unsigned.len() == text.len() => {
            return Some(Resolved::Float(f64::NAN));
        }
        _ => {}
    }
    if is_core_float(unsigned) {
        return text.parse::<f64>().ok().map(Resolved::Float);
    }
    None
}

/// The core schema's float pattern without the sign:
/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn is_core_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(idx) => (&text[..idx], Some(&text[idx + 1..])),
        None => (text, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
                && !(int.is_empty() && frac.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|exp| {
        let digits = exp.strip_prefix(['-', '+']).unwrap_or(exp);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// One key and its value in a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key node; Palisade accepts only scalar keys.
    pub key: Node,
    /// The value node.
    pub value: Node,
}

impl Entry {
    /// The key's text (keys are always scalars in a parsed tree).
    pub fn key_text(&self) -> &str {
        match &self.key.value {
            Value::Scalar(scalar) => &scalar.text,
            _ => "",
        }
    }
}

/// A node's content.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A scalar.
    Scalar(Scalar),
    /// A sequence, in file order.
    Sequence(Vec<Node>),
    /// A mapping, in file order, without duplicate keys.
    Mapping(Vec<Entry>),
}

/// A YAML node and where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The content.
    pub value: Value,
    /// The bytes it covers: for a quoted scalar the quotes too, for a block scalar its content
    /// lines (not the `|` header), for a collection from its first to its last byte.
    pub span: Span,
}

impl Node {
    /// The scalar, if this node is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// The mapping entries, if this node is a mapping.
    pub fn as_mapping(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    /// The sequence items, if this node is a sequence.
    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Sequence(items) => Some(items),
            _ => None,
        }
    }

    /// The entry with this key, if this node is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.as_mapping()?.iter().find(|entry| entry.key_text() == key)
    }

    /// Whether this node is a null scalar (`~`, `null` or nothing).
    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(|scalar| scalar.resolve() == Resolved::Null)
    }

    /// A short name of the node's type for messages: `string`, `number`, `mapping`, ...
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Mapping(_) => "a mapping",
            Value::Sequence(_) => "a list",
            Value::Scalar(scalar) => match scalar.resolve() {
                Resolved::Null => "null",
                Resolved::Bool(_) => "a boolean",
                Resolved::Int(_) | Resolved::Float(_) => "a number",
                Resolved::String => "a string",
            },
        }
    }
}

/// The result of parsing one YAML file.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The first document's root, or `None` when the file has no document or is not valid YAML.
    /// Documents that hold nothing (a `---` with nothing after it) are passed over when another
    /// document has content.
    pub root: Option<Node>,
    /// The documents after the first, without those that hold nothing. A spec file has none;
    /// the loader decides what several documents mean (`SPEC003`, or a skipped file).
    pub more_documents: Vec<Document>,
    /// Syntax errors, duplicate keys and unsupported features.
    pub diagnostics: Vec<Diagnostic>,
}

/// One document of a YAML stream and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// Its `---` marker, or an empty span at its first byte when it has none.
    pub start: Span,
    /// Its root node.
    pub root: Node,
}

impl Document {
    /// Whether the document holds nothing: no node, not even an explicit `~` or `null`. The
    /// parser gives such a document a null scalar whose span covers no bytes or the next
    /// marker, so the text under the span tells it from a written null.
    fn is_empty(&self, text: &str) -> bool {
        let written = text.get(self.root.span.start as usize..self.root.span.end as usize);
        let is_null = self.root.as_scalar().is_some_and(|scalar| {
            scalar.style == ScalarStyle::Plain
                && scalar.tag.is_none()
                && scalar.resolve() == Resolved::Null
        });
        is_null && !matches!(written, Some("~" | "null" | "Null" | "NULL"))
    }
}

/// Turns CRLF line endings into LF and drops a leading byte order mark.
///
/// Spans from [`parse`] index the returned text, so this is the text to keep in `SourceFiles`.
/// A lone CR is left alone.
pub fn normalize_source(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains("\r\n") { Cow::Owned(text.replace("\r\n", "\n")) } else { Cow::Borrowed(text) }
}

/// Parses the YAML in `text`, which should already be normalised by [`normalize_source`].
///
/// Never fails: syntax errors become `SPEC001` diagnostics at the line and column the parser
/// stopped at, and `root` is then `None`.
pub fn parse(file: FileId, text: &str) -> Parsed {
    let _span = tracing::debug_span!("load", file = file.0).entered();
    let mut builder = Builder {
        file,
        text,
        offsets: CharOffsets::new(text),
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
        diagnostics: Vec::new(),
        spent: Cost::default(),
    };
    if let Some(diag) = crate::encoding::unprintable(file, text, "YAML files") {
        return Parsed { root: None, more_documents: Vec::new(), diagnostics: vec![diag] };
    }
    let documents = match builder.stream() {
        Ok(documents) => documents,
        Err(failure) => {
            builder.diagnostics.push(failure.into_diagnostic(file));
            Vec::new()
        }
    };
    let (root, more_documents) = split_documents(documents, text);
    Parsed { root, more_documents, diagnostics: builder.diagnostics }
}

/// The first document's root and the other documents, leaving out documents that hold nothing
/// unless every one does (then the first is the root, and the loader says it is empty).
fn split_documents(documents: Vec<Document>, text: &str) -> (Option<Node>, Vec<Document>) {
    let mut documents = documents.into_iter();
    let Some(first) = documents.next() else {
        return (None, Vec::new());
    };
    let mut with_content: Vec<Document> = std::iter::once(first.clone())
        .chain(documents)
        .filter(|document| !document.is_empty(text))
        .collect();
    if with_content.is_empty() {
        return (Some(first.root), Vec::new());
    }
    let root = with_content.remove(0).root;
    (Some(root), with_content)
}

/// Why building the tree stopped.
enum Failure {
    /// The parser reported a syntax error at this byte offset.
    Syntax { offset: u32, message: String },
    /// We refuse to go on (nesting or alias expansion too large), with what to do about it.
    Unsupported { span: Span, message: String, help: &'static str },
}

/// The help for parser events we never expect from well-formed YAML.
const UNEXPECTED_EVENT_HELP: &str =
    "write this part as plain mappings, lists and values; if it is valid YAML, please report it";

impl Failure {
    fn into_diagnostic(self, file: FileId) -> Diagnostic {
        match self {
            Failure::Syntax { offset, message } => Diagnostic::error(
                codes::INVALID_YAML,
                format!("Invalid YAML: {message}"),
                Span::new(file, offset, offset),
            )
            .with_note("the file cannot be read as YAML, so nothing else in it was checked")
            .with_help("fix the YAML syntax at this position; a YAML-aware editor shows it too"),
            Failure::Unsupported { span, message, help } => {
                Diagnostic::error(codes::UNSUPPORTED_YAML, message, span)
                    .with_note("Palisade stops reading the file here to stay within its limits")
                    .with_help(help)
            }
        }
    }
}

/// Converts the parser's character indexes into byte offsets.
struct CharOffsets {
    /// Byte offset of each character, plus one entry for the end; empty when the text is ASCII.
    table: Vec<u32>,
    len: u32,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            let mut table: Vec<u32> = text.char_indices().map(|(idx, _)| idx as u32).collect();
            table.push(text.len() as u32);
            table
        };
        CharOffsets { table, len: text.len() as u32 }
    }

    fn byte(&self, char_index: usize) -> u32 {
        if self.table.is_empty() {
            return (char_index as u32).min(self.len);
        }
        self.table.get(char_index).copied().unwrap_or(self.len)
    }
}

struct Builder<'input> {
    file: FileId,
    text: &'input str,
    offsets: CharOffsets,
    parser: Parser<'input, saphyr_parser::StrInput<'input>>,
    /// Each anchor's node and what expanding an alias to it costs.
    anchors: HashMap<usize, (Node, Cost)>,
    diagnostics: Vec<Diagnostic>,
    /// What the document built so far cost, aliases expanded.
    spent: Cost,
}

type Spanned<'input> = (Event<'input>, saphyr_parser::Span);

impl<'input> Builder<'input> {
    fn next(&mut self) -> Result<Spanned<'input>, Failure> {
        match self.parser.next_event() {
            Some(Ok(event)) => Ok(event),
            Some(Err(error)) => Err(self.syntax(&error)),
            None => Ok((Event::StreamEnd, saphyr_parser::Span::default())),
        }
    }

    fn syntax(&self, error: &ScanError) -> Failure {
        let offset = self.offsets.byte(error.marker().index());
        // The scanner's own limit on flow nesting (`[[[...`) is reached before ours when it
        // reads ahead; it is the same problem, so it gets the same diagnostic.
        if error.info() == "recursion limit exceeded" {
            return too_deep(Span::new(self.file, offset, offset));
        }
        Failure::Syntax { offset, message: error.info().to_owned() }
    }

    fn span(&self, span: saphyr_parser::Span) -> Span {
        Span::new(
            self.file,
            self.offsets.byte(span.start.index()),
            self.offsets.byte(span.end.index()),
        )
    }

    /// Reads the whole stream and returns its documents in file order.
    fn stream(&mut self) -> Result<Vec<Document>, Failure> {
        let mut documents = Vec::new();
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamEnd => return Ok(documents),
                Event::DocumentStart(_) => {
                    let start = self.span(span);
                    let (event, span) = self.next()?;
                    let root = self.node(event, span, 0)?;
                    documents.push(Document { start, root });
                    self.anchors.clear();
                }
                Event::DocumentEnd | Event::StreamStart | Event::Nothing => {}
                _ => {
                    return Err(Failure::Unsupported {
                        span: self.span(span),
                        message: "Unexpected YAML event outside a document".to_owned(),
                        help: UNEXPECTED_EVENT_HELP,
                    });
                }
            }
        }
    }

    /// Adds `cost` to what the document has cost so far, failing at `span` past the limits.
    /// Aliases are charged before they are copied, so a bomb stops before it allocates.
    fn charge(&mut self, cost: Cost, span: Span) -> Result<(), Failure> {
        self.spent.nodes = self.spent.nodes.saturating_add(cost.nodes);
        self.spent.text_bytes = self.spent.text_bytes.saturating_add(cost.text_bytes);
        if self.spent.nodes > MAX_NODES {
            return Err(Failure::Unsupported {
                span,
                message: format!("The document expands to more than {MAX_NODES} YAML nodes"),
                help: "write the values out instead of repeating aliases (`*name`); a spec \
                       needs a few hundred nodes",
            });
        }
        if self.spent.text_bytes > MAX_TEXT_BYTES {
            return Err(Failure::Unsupported {
                span,
                message: format!(
                    "The document expands to more than {} MiB of text",
                    MAX_TEXT_BYTES / (1024 * 1024)
                ),
                help: "write the values out instead of repeating aliases (`*name`) of long \
                       text; a spec file is at most 1 MiB",
            });
        }
        Ok(())
    }

    fn node(
        &mut self,
        event: Event<'input>,
        span: saphyr_parser::Span,
        depth: usize,
    ) -> Result<Node, Failure> {
        let span = self.span(span);
        let text_bytes = match &event {
            Event::Scalar(text, ..) => text.len(),
            _ => 0,
        };
        self.charge(Cost { nodes: 1, text_bytes }, span)?;
        if depth > MAX_DEPTH {
            return Err(too_deep(span));
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let style = ScalarStyle::from_parser(style);
                let mut text = text.into_owned();
                if style.is_block() && text.ends_with('\n') && self.block_line_break_added(span) {
                    text.pop();
                }
                let scalar = Scalar {
                    text,
                    style,
                    tag: tag.map(|tag| format!("{}{}", tag.handle, tag.suffix)),
                };
                let node = Node { value: Value::Scalar(scalar), span };
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                let end = loop {
                    let (event, event_span) = self.next()?;
                    if event == Event::SequenceEnd {
                        break self.span(event_span);
                    }
                    items.push(self.node(event, event_span, depth + 1)?);
                };
                let node = Node {
                    span: collection_span(span, end, items.last().map(|n| n.span)),
                    value: Value::Sequence(items),
                };
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::MappingStart(anchor, _) => self.mapping(span, anchor, depth),
            Event::Alias(anchor) => {
                let Some(&(_, cost)) = self.anchors.get(&anchor) else {
                    return Err(Failure::Unsupported {
                        span,
                        message: "Alias refers to an anchor that is not defined before it"
                            .to_owned(),
                        help: "define the anchor (`&name`) before the alias (`*name`), or \
                               write the value out",
                    });
                };

                // Charged before cloning, so an alias bomb stops before it allocates. The alias
                // event itself was charged as one node above, and the copy replaces it.
                self.charge(Cost { nodes: cost.nodes - 1, text_bytes: cost.text_bytes }, span)?;
                let mut node = self.anchors[&anchor].0.clone();
                node.span = span;
                Ok(node)
            }
            _ => Err(Failure::Unsupported {
                span,
                message: "Unexpected YAML event where a value belongs".to_owned(),
                help: UNEXPECTED_EVENT_HELP,
            }),
        }
    }

    fn mapping(&mut self, start: Span, anchor: usize, depth: usize) -> Result<Node, Failure> {
        let mut entries: Vec<Entry> = Vec::new();
        let mut merged: Vec<Entry> = Vec::new();
        let end = loop {
            let (event, event_span) = self.next()?;
            if event == Event::MappingEnd {
                break self.span(event_span);
            }
            let key = self.node(event, event_span, depth + 1)?;
            let (event, event_span) = self.next()?;
            let value = self.node(event, event_span, depth + 1)?;
            if key.as_scalar().is_none() {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::UNSUPPORTED_YAML,
                        "A mapping key is not a plain value",
                        key.span,
                    )
                    .with_note(
                        "spec keys are field names; a list or mapping as a key has no meaning here",
                    )
                    .with_help("use a text key"),
                );
                continue;
            }
            if is_merge_key(&key) {
                self.merge_into(&mut merged, value);
                continue;
            }
            let entry = Entry { key, value };
            if let Some(first) = entries.iter().find(|seen| seen.key_text() == entry.key_text()) {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::DUPLICATE_KEY,
                        format!("Duplicate key `{}`", entry.key_text()),
                        entry.key.span,
                    )
                    .with_label("written again here")
                    .with_secondary(first.key.span, "first written here")
                    .with_note(
                        "YAML readers disagree on which value wins, so the spec is ambiguous",
                    )
                    .with_help("keep one of the two entries"),
                );
                continue;
            }
            entries.push(entry);
        };
        let last = entries.last().map(|entry| entry.value.span.cover(entry.key.span));
        if !merged.is_empty() {
            entries = apply_merge(merged, entries);
        }
        let node = Node { span: collection_span(start, end, last), value: Value::Mapping(entries) };
        self.remember(anchor, &node);
        Ok(node)
    }

    /// Adds the entries a merge key's value brings in, in the order PyYAML lays them out: a
    /// mapping's entries, or for a list of mappings the last mapping's first.
    fn merge_into(&mut self, merged: &mut Vec<Entry>, value: Node) {
        let span = value.span;
        match value.value {
            Value::Mapping(entries) => merged.extend(entries),
            Value::Sequence(items) if items.iter().all(|item| item.as_mapping().is_some()) => {
                for item in items.into_iter().rev() {
                    if let Value::Mapping(entries) = item.value {
                        merged.extend(entries);
                    }
                }
            }
            _ => self.diagnostics.push(
                Diagnostic::error(
                    codes::UNSUPPORTED_YAML,
                    "A merge key (`<<`) needs a mapping or a list of mappings",
                    span,
                )
                .with_note("`<<` copies the entries of mappings into this one; this value has none")
                .with_help(
                    "write `<<: *name` with a mapping's anchor, or quote `\"<<\"` for a key",
                ),
            ),
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), cost_of(node)));
        }
    }

    /// Whether the parser ended the block scalar at `span` with a line break the file does not
    /// have. It does so when the file ends inside the block without a final line break and the
    /// last line is a content line (at least as indented as the block): YAML 1.2 keeps (clip,
    /// keep) only a line break that is written, so `|` then `  x` at the end of the file is
    /// `x`, and a last line of more spaces than the indentation keeps them without a break.
    fn block_line_break_added(&self, span: Span) -> bool {
        let text = self.text;
        if text.is_empty() || text.ends_with('\n') || span.end as usize != text.len() {
            return false;
        }
        let start = span.start as usize;
        let Some(before) = text.get(..start) else {
            return false;
        };
        // The span starts at the block indentation of its first content line.
        let indent = start - before.rfind('\n').map_or(0, |idx| idx + 1);
        let last_line = &text[text.rfind('\n').map_or(0, |idx| idx + 1)..];
        last_line.len() >= indent
    }
}

/// Whether `key` is the YAML 1.1 merge key: a plain `<<` without a tag.
fn is_merge_key(key: &Node) -> bool {
    key.as_scalar().is_some_and(|scalar| {
        scalar.text == "<<" && scalar.style == ScalarStyle::Plain && scalar.tag.is_none()
    })
}

/// A mapping's entries after its merge keys are applied, as PyYAML applies them: the merged
/// entries come first and then the mapping's own, a key seen again replacing the earlier
/// value in its place. So the mapping's own keys win, and among merged mappings the first one
/// listed wins.
fn apply_merge(merged: Vec<Entry>, own: Vec<Entry>) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::with_capacity(merged.len() + own.len());
    let mut position: HashMap<String, usize> = HashMap::new();
    for entry in merged.into_iter().chain(own) {
        match position.get(entry.key_text()) {
            Some(&idx) => out[idx] = entry,
            None => {
                position.insert(entry.key_text().to_owned(), out.len());
                out.push(entry);
            }
        }
    }
    out
}

/// The failure for nesting deeper than we read.
fn too_deep(span: Span) -> Failure {
    Failure::Unsupported {
        span,
        message: format!("YAML nesting is deeper than {MAX_DEPTH} levels"),
        help: "flatten the structure; a spec nests fewer than ten levels",
    }
}

/// A collection's span: from its start to the flow end indicator, or to its last child in block
/// style (the parser puts a block collection's end event after trailing blank lines).
fn collection_span(start: Span, end: Span, last_child: Option<Span>) -> Span {
    let end_offset =
        if !end.is_empty() { end.end } else { last_child.map_or(start.end, |child| child.end) };
    Span::new(start.file, start.start, end_offset)
}

/// The nodes and scalar bytes of `node`'s subtree.
fn cost_of(node: &Node) -> Cost {
    let mut cost = Cost::default();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        cost.nodes += 1;
        match &node.value {
            Value::Scalar(scalar) => cost.text_bytes += scalar.text.len(),
            Value::Sequence(items) => stack.extend(items),
            Value::Mapping(entries) => {
                stack.extend(entries.iter().flat_map(|entry| [&entry.key, &entry.value]));
            }
        }
    }
    cost
}

#[cfg(test)]
mod tests;
