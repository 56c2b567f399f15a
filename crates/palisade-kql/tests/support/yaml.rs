//! Reads top-level string fields out of YAML documents with the `saphyr-parser` event stream.
//!
//! Rule files only need a handful of top-level scalars (`query`, `Query`, `ParserQuery`), so we
//! walk events instead of building a whole document tree, and we ignore tags and anchors.

use saphyr_parser::{Event, Parser};

/// One string value found under a wanted top-level key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Zero-based index of the YAML document in the stream.
    pub document: usize,
    pub key: String,
    pub value: String,
}

/// Returns every top-level scalar under one of `keys`, in document order.
///
/// # Errors
///
/// Returns the scanner's message when the text is not well-formed YAML.
pub fn top_level_strings(text: &str, keys: &[&str]) -> Result<Vec<Field>, String> {
    let mut fields = Vec::new();
    let mut document = 0usize;
    let mut seen_document = false;
    let mut depth = 0usize;
    let mut root_is_mapping = false;
    let mut expecting_key = true;
    let mut pending_key: Option<String> = None;

    for item in Parser::new_from_str(text) {
        let (event, _span) = item.map_err(|error| error.to_string())?;
        let at_root_entry = depth == 1 && root_is_mapping;
        match event {
            Event::DocumentStart(_) => {
                if seen_document {
                    document += 1;
                }
                seen_document = true;
                depth = 0;
                root_is_mapping = false;
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if depth == 0 {
                    root_is_mapping = matches!(event, Event::MappingStart(..));
                    expecting_key = true;
                } else if at_root_entry {
                    pending_key = None;
                }
                depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                depth = depth.saturating_sub(1);
                if depth == 1 && root_is_mapping {
                    expecting_key = !expecting_key;
                }
            }
            Event::Scalar(value, ..) if at_root_entry => {
                if expecting_key {
                    pending_key = Some(value.into_owned());
                } else if let Some(key) = pending_key.take() {
                    if keys.contains(&key.as_str()) {
                        fields.push(Field { document, key, value: value.into_owned() });
                    }
                }
                expecting_key = !expecting_key;
            }
            Event::Alias(_) if at_root_entry => {
                pending_key = None;
                expecting_key = !expecting_key;
            }
            _ => {}
        }
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_block_scalar_query_and_skips_nested_keys() {
        let text = "id: 1\nnested:\n  query: no\nlist: [a, b]\nquery: |\n  T\n  | take 1\n";
        let fields = top_level_strings(text, &["query"]).unwrap();
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].value, "T\n| take 1\n");
    }
}
