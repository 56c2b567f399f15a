//! The YAML tree as JSON, and an index from JSON pointers back to spans.
//!
//! The JSON Schema check runs on the JSON form; its errors name JSON pointers such as
//! `/entityMappings/0/entityType`, and [`JsonIndex`] turns those into the spans of the YAML
//! nodes, so schema errors point at the right line and column.

use std::collections::HashMap;

use palisade_diagnostics::Span;
use serde_json::{Map, Number, Value as Json};

use super::{Node, Resolved, Value};

/// Converts a node to JSON under the YAML 1.2 core schema.
///
/// Mappings keep their key order. Numbers JSON cannot hold (`.inf`, `.nan`) become strings
/// with their YAML text.
pub fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Mapping(entries) => {
            let mut map = Map::new();
            for entry in entries {
                map.insert(entry.key_text().to_owned(), to_json(&entry.value));
            }
            Json::Object(map)
        }
        Value::Sequence(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Scalar(scalar) => match scalar.resolve() {
            Resolved::Null => Json::Null,
            Resolved::Bool(value) => Json::Bool(value),
            Resolved::Int(value) => Json::Number(value.into()),
            Resolved::Float(value) => Number::from_f64(value)
                .map_or_else(|| Json::String(scalar.text.clone()), Json::Number),
            Resolved::String => Json::String(scalar.text.clone()),
        },
    }
}

/// Where each JSON pointer of a document's JSON form is written in the YAML.
#[derive(Clone, Debug, Default)]
pub struct JsonIndex {
    /// Pointer to (span of the key, span of the value); the root has no key.
    entries: HashMap<String, (Option<Span>, Span)>,
}

impl JsonIndex {
    /// Indexes every node under `root`.
    pub fn build(root: &Node) -> Self {
        let mut index = JsonIndex::default();
        index.visit(root, String::new(), None);
        index
    }

    fn visit(&mut self, node: &Node, pointer: String, key: Option<Span>) {
        match &node.value {
            Value::Mapping(entries) => {
                for entry in entries {
                    let child = format!("{pointer}/{}", escape_token(entry.key_text()));
                    self.visit(&entry.value, child, Some(entry.key.span));
                }
            }
            Value::Sequence(items) => {
                for (idx, item) in items.iter().enumerate() {
                    self.visit(item, format!("{pointer}/{idx}"), None);
                }
            }
            Value::Scalar(_) => {}
        }
        self.entries.insert(pointer, (key, node.span));
    }

    /// The span of the value at `pointer`, or of its closest indexed ancestor.
    pub fn value_span(&self, pointer: &str) -> Option<Span> {
        self.closest(pointer).map(|(_, value)| value)
    }

    /// The span of the key that holds the value at `pointer` (for a missing-field error on a
    /// mapping, the mapping's own key), falling back to the value span.
    pub fn key_span(&self, pointer: &str) -> Option<Span> {
        self.closest(pointer).map(|(key, value)| key.unwrap_or(value))
    }

    fn closest(&self, pointer: &str) -> Option<(Option<Span>, Span)> {
        let mut current = pointer;
        loop {
            if let Some(&found) = self.entries.get(current) {
                return Some(found);
            }
            let idx = current.rfind('/')?;
            current = &current[..idx];
        }
    }
}

/// Escapes one JSON-pointer reference token (RFC 6901): `~` as `~0`, `/` as `~1`.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
