use palisade_diagnostics::{FileId, SourceFile};

use super::*;

const FILE: FileId = FileId(0);

fn parse_ok(text: &str) -> Node {
    let parsed = parse(FILE, text);
    assert!(parsed.diagnostics.is_empty(), "unexpected diagnostics: {:?}", parsed.diagnostics);
    parsed.root.expect("a document")
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.start as usize..span.end as usize]
}

fn value_of<'a>(root: &'a Node, key: &str) -> &'a Node {
    &root.get(key).expect("key present").value
}

#[test]
fn mapping_keeps_order_and_spans() {
    let text = "b: 1\na: 'x'\nc:\n  - d\n";
    let root = parse_ok(text);
    let keys: Vec<&str> = root.as_mapping().unwrap().iter().map(Entry::key_text).collect();
    assert_eq!(keys, ["b", "a", "c"]);

    let entry = root.get("a").unwrap();
    assert_eq!(slice(text, entry.key.span), "a");
    assert_eq!(slice(text, entry.value.span), "'x'");
    assert_eq!(entry.value.as_scalar().unwrap().style, ScalarStyle::SingleQuoted);
    assert_eq!(slice(text, value_of(&root, "c").span), "- d");
}

#[test]
fn spans_are_bytes_after_multibyte_text() {
    let text = "name: é€\nkind: NRT\n";
    let root = parse_ok(text);
    let entry = root.get("kind").unwrap();
    assert_eq!(slice(text, entry.key.span), "kind");
    assert_eq!(slice(text, entry.value.span), "NRT");
    assert_eq!(slice(text, value_of(&root, "name").span), "é€");
}

#[test]
fn scalar_styles_are_kept() {
    let text = "p: plain\ns: 'single'\nd: \"double\"\nl: |\n  lit\nf: >\n  fold\n";
    let root = parse_ok(text);
    let style = |key| value_of(&root, key).as_scalar().unwrap().style;
    assert_eq!(style("p"), ScalarStyle::Plain);
    assert_eq!(style("s"), ScalarStyle::SingleQuoted);
    assert_eq!(style("d"), ScalarStyle::DoubleQuoted);
    assert_eq!(style("l"), ScalarStyle::Literal);
    assert_eq!(style("f"), ScalarStyle::Folded);
}

#[test]
fn duplicate_key_is_an_error_pointing_at_both() {
    let text = "id: a\nname: x\nid: b\n";
    let parsed = parse(FILE, text);
    assert_eq!(parsed.diagnostics.len(), 1);
    let diag = &parsed.diagnostics[0];
    assert_eq!(diag.code, codes::DUPLICATE_KEY);
    assert_eq!(diag.message, "Duplicate key `id`");
    assert_eq!(diag.primary.span.start, 14);
    assert_eq!(diag.secondary[0].span.start, 0);

    // The first value wins in the tree.
    let root = parsed.root.unwrap();
    assert_eq!(value_of(&root, "id").as_scalar().unwrap().text, "a");
}

#[test]
fn aliases_are_expanded() {
    let text = "base: &cols\n  - a\n  - b\ncopy: *cols\n";
    let root = parse_ok(text);
    let copy = value_of(&root, "copy").as_sequence().unwrap();
    let items: Vec<&str> = copy.iter().map(|n| n.as_scalar().unwrap().text.as_str()).collect();
    assert_eq!(items, ["a", "b"]);
    assert_eq!(slice(text, value_of(&root, "copy").span), "*cols");
}

#[test]
fn alias_bomb_is_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..8 {
        let prev = level - 1;
        let refs = vec![format!("*a{prev}"); 10].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    let parsed = parse(FILE, &text);
    assert!(parsed.root.is_none());
    assert_eq!(parsed.diagnostics[0].code, codes::UNSUPPORTED_YAML);
    let help = parsed.diagnostics[0].help.as_deref().unwrap();
    assert!(help.starts_with("write the values out instead of repeating aliases"), "{help}");
}

/// Every `SPEC004` says what to do: here for an alias before its anchor, a key that is a
/// list, and nesting over the limit.
#[test]
fn unsupported_yaml_has_a_help() {
    let deep = format!("{}1{}", "[".repeat(MAX_DEPTH + 2), "]".repeat(MAX_DEPTH + 2));
    let cases = [
        ("a: *missing\n", "define the anchor (`&name`) before the alias (`*name`)"),
        ("? [a, b]\n: 1\n", "use a text key"),
        (deep.as_str(), "flatten the structure"),
    ];
    for (text, help) in cases {
        let parsed = parse(FILE, text);
        let diag = parsed.diagnostics.iter().find(|d| d.code == codes::UNSUPPORTED_YAML);
        let Some(diag) = diag else {
            // The parser's own nesting limit may stop first, as a syntax error with its help.
            assert!(parsed.diagnostics.iter().all(|d| d.help.is_some()), "{text}");
            continue;
        };
        assert!(diag.help.as_deref().unwrap().starts_with(help), "{text}: {:?}", diag.help);
    }
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    // The parser has its own nesting limit and may stop first; either way it is a diagnostic.
    for depth in [200, 100_000] {
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let parsed = parse(FILE, &text);
        assert!(parsed.root.is_none());
        let code = parsed.diagnostics[0].code;
        assert!(code == codes::UNSUPPORTED_YAML || code == codes::INVALID_YAML, "{code}");
    }
}

#[test]
fn syntax_error_has_line_and_column() {
    let text = "id: x\nname: a: b\n";
    let parsed = parse(FILE, text);
    assert!(parsed.root.is_none());
    let diag = &parsed.diagnostics[0];
    assert_eq!(diag.code, codes::INVALID_YAML);
    let file = SourceFile::new("a.yaml", text);
    let position = file.line_col(diag.primary.span.start);
    assert_eq!((position.line, position.column), (2, 8));
    assert!(diag.message.starts_with("Invalid YAML: "), "{}", diag.message);
}

/// Later documents are kept with their `---`, for the loader to judge (`SPEC003`).
#[test]
fn later_documents_are_kept_with_their_markers() {
    let text = "a: 1\n---\nb: 2\n--- # third\nc: 3\n";
    let parsed = parse(FILE, text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert!(parsed.root.unwrap().get("a").is_some());
    let starts: Vec<&str> = parsed
        .more_documents
        .iter()
        .map(|document| &text[document.start.start as usize..document.start.end as usize])
        .collect();
    assert_eq!(starts, ["---", "---"]);
    assert!(parsed.more_documents[1].root.get("c").is_some());
}

/// A `---` with nothing after it holds no document; an explicit `~` does.
#[test]
fn empty_documents_are_left_out() {
    let parsed = parse(FILE, "a: 1\n---\n");
    assert!(parsed.more_documents.is_empty());
    let parsed = parse(FILE, "---\n---\na: 1\n");
    assert!(parsed.root.unwrap().get("a").is_some());
    assert!(parsed.more_documents.is_empty());
    let parsed = parse(FILE, "a: 1\n--- ~\n");
    assert_eq!(parsed.more_documents.len(), 1);
    let parsed = parse(FILE, "---\n");
    assert!(parsed.root.unwrap().is_null());
}

#[test]
fn empty_text_has_no_root() {
    let parsed = parse(FILE, "# only a comment\n");
    assert!(parsed.root.is_none());
    assert!(parsed.diagnostics.is_empty());
}

#[test]
fn normalize_turns_crlf_into_lf_and_drops_bom() {
    assert_eq!(normalize_source("\u{feff}a: 1\r\nb: 2\r\n"), "a: 1\nb: 2\n");
    assert_eq!(normalize_source("a\rb"), "a\rb");
    assert!(matches!(normalize_source("a: 1\n"), Cow::Borrowed(_)));
}

#[test]
fn core_schema_resolution() {
    let text =
        "n: ~\ne:\nb: true\nB: False\ni: -12\nh: 0x1F\nf: 1.5e3\ns: '12'\nv: 1.0.0\ny: yes\n";
    let root = parse_ok(text);
    let json = to_json(&root);
    assert_eq!(
        json,
        serde_json::json!({
            "n": null, "e": null, "b": true, "B": false, "i": -12, "h": 31, "f": 1500.0,
            "s": "12", "v": "1.0.0", "y": "yes"
        })
    );
}

#[test]
fn explicit_str_tag_keeps_text() {
    let root = parse_ok("a: !!str 12\n");
    assert_eq!(to_json(&root), serde_json::json!({"a": "12"}));
}

#[test]
fn json_index_maps_pointers_to_spans() {
    let text = "entityMappings:\n  - entityType: IP\n    fieldMappings:\n      - identifier: Address\na/b: 1\n";
    let root = parse_ok(text);
    let index = JsonIndex::build(&root);
    assert_eq!(slice(text, index.value_span("/entityMappings/0/entityType").unwrap()), "IP");
    assert_eq!(slice(text, index.key_span("/entityMappings/0/entityType").unwrap()), "entityType");
    assert_eq!(slice(text, index.value_span("/a~1b").unwrap()), "1");

    // Missing children fall back to the closest ancestor.
    let span = index.value_span("/entityMappings/0/fieldMappings/0/columnName").unwrap();
    assert_eq!(slice(text, span), "identifier: Address");
    assert_eq!(index.value_span("").unwrap().start, 0);
}

/// Checks that every byte of the value maps to the same byte in the file.
fn assert_exact(text: &str, node: &Node) {
    let value = &node.as_scalar().unwrap().text;
    let map = scalar_source_map(text, node);
    for (idx, byte) in value.bytes().enumerate() {
        let offset = map.map_offset(idx as u32) as usize;
        assert_eq!(text.as_bytes()[offset], byte, "value byte {idx} of {value:?} maps to {offset}");
    }
}

#[test]
fn literal_block_map_is_exact() {
    let text =
        "id: x\nquery: |\n  SecurityEvent\n  | where EventID == 4625\n\n    | take 10\nnext: 1\n";
    let root = parse_ok(text);
    let node = value_of(&root, "query");
    assert_eq!(
        node.as_scalar().unwrap().text,
        "SecurityEvent\n| where EventID == 4625\n\n  | take 10\n"
    );
    assert_exact(text, node);

    let map = scalar_source_map(text, node);
    let where_offset = "SecurityEvent\n| ".len() as u32;
    let file = SourceFile::new("a.yaml", text);
    let position = file.line_col(map.map_offset(where_offset));
    assert_eq!((position.line, position.column), (4, 5));
}

#[test]
fn literal_block_map_with_chomping_and_indicator() {
    let text = "a: |+\n\n   ab\n    cd\n\n\nb: |2-\n    x\n   y\nc: |-\n  é€ x\n";
    let root = parse_ok(text);
    for key in ["a", "b", "c"] {
        let node = value_of(&root, key);
        assert_exact(text, node);
    }
    assert_eq!(value_of(&root, "a").as_scalar().unwrap().text, "\nab\n cd\n\n\n");
    assert_eq!(value_of(&root, "b").as_scalar().unwrap().text, "  x\n y");
}

#[test]
fn literal_block_map_in_nested_and_indented_document() {
    let text = "  id: x\n  query: |\n    T\n    | take 1\n";
    let root = parse_ok(text);
    assert_exact(text, value_of(&root, "query"));
}

#[test]
fn folded_and_quoted_maps_are_close() {
    let text =
        "f: >-\n  SecurityEvent\n  | take 1\ns: 'it''s ok'\nd: \"a\\tb\\\"c\"\np: one\n  two\n";
    let root = parse_ok(text);

    let folded = value_of(&root, "f");
    assert_eq!(folded.as_scalar().unwrap().text, "SecurityEvent | take 1");
    let map = scalar_source_map(text, folded);
    let take = "SecurityEvent | ".len() as u32;
    assert_eq!(&text[map.map_offset(take) as usize..][..4], "take");

    let single = value_of(&root, "s");
    let map = scalar_source_map(text, single);
    assert_eq!(&text[map.map_offset(5) as usize..][..2], "ok");

    let double = value_of(&root, "d");
    assert_eq!(double.as_scalar().unwrap().text, "a\tb\"c");
    let map = scalar_source_map(text, double);
    assert_eq!(&text[map.map_offset(4) as usize..][..1], "c");
    assert_eq!(&text[map.map_offset(1) as usize..][..2], "\\t");

    let plain = value_of(&root, "p");
    let map = scalar_source_map(text, plain);
    assert_eq!(&text[map.map_offset(4) as usize..][..3], "two");
}

#[test]
fn literal_block_at_end_of_file_without_newline() {
    let text = "query: |\n  A\n  | take 1";
    let root = parse_ok(text);
    let node = value_of(&root, "query");
    let value = &node.as_scalar().unwrap().text;
    // YAML 1.2 keeps only a written final line break; this file has none.
    assert_eq!(value, "A\n| take 1");
    assert_exact(text, node);
}

/// Block scalars that run to the end of a file without a final line break, with the values
/// PyYAML 6.0.3 (and libyaml) give for them, which follow YAML 1.2's chomping rules.
#[test]
fn block_scalar_at_end_of_file_is_chomped_like_pyyaml() {
    let cases = [
        ("a: |\n  x", "x"),
        ("a: |\n  x\n   ", "x\n "),
        ("a: |\n  x\n  ", "x\n"),
        ("a: |\n  x\n ", "x\n"),
        ("a: |+\n  x", "x"),
        ("a: |+\n  x\n\n  ", "x\n\n"),
        ("a: |+\n  x\n ", "x\n"),
        ("a: |-\n  x\n   ", "x\n "),
        ("a: |-\n  x\n  ", "x"),
        ("a: |-\n  x", "x"),
        ("a: >\n  x\n  y", "x y"),
        ("a: >\n  x\n   ", "x\n "),
        ("a: |\n\n  x", "\nx"),
        ("a: |2\n   x", " x"),
        ("a: |\n  x\n  # c", "x\n# c"),
        ("a: |\n  x\n# c", "x\n"),
        ("a: |\n  x\n...", "x\n"),
        ("a: |\n  x\n\n", "x\n"),
        ("a:\n  b: |\n    x\n   ", "x\n"),
        ("a:\n  b: |\n    x\n     ", "x\n "),
    ];
    for (text, expected) in cases {
        let root = parse_ok(text);
        let mut node = value_of(&root, "a");
        if let Some(entry) = node.get("b") {
            node = &entry.value;
        }
        assert_eq!(node.as_scalar().unwrap().text, expected, "{text:?}");
    }
}

/// Aliases of long strings: few nodes (about 12,000 here) but 2,000 times as many bytes. The
/// text limit stops it while copying, long before the copies would fill memory.
#[test]
fn alias_bomb_of_long_strings_is_refused_quickly() {
    let long = format!("\"{}\"", "x".repeat(2_000));
    let mut text = format!("a0: &a0 [{}]\n", vec![long; 9].join(", "));
    for level in 1..6 {
        let refs = vec![format!("*a{}", level - 1); 9].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    // Fully expanded: 9^6 strings of 2,000 bytes, about 1 GB.
    let started = std::time::Instant::now();
    let parsed = parse(FILE, &text);
    assert!(parsed.root.is_none());
    let diag = &parsed.diagnostics[0];
    assert_eq!(diag.code, codes::UNSUPPORTED_YAML);
    assert_eq!(diag.message, "The document expands to more than 32 MiB of text");
    assert!(diag.help.as_deref().unwrap().starts_with("write the values out"));
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
}

#[test]
fn text_just_under_the_limit_is_read() {
    let long = format!("\"{}\"", "x".repeat(1_000_000));
    let text = format!("a: &a {long}\nb: [{}]\n", vec!["*a"; 30].join(", "));
    let root = parse_ok(&text);
    assert_eq!(value_of(&root, "b").as_sequence().unwrap().len(), 30);
}

#[test]
fn nul_byte_is_a_binary_file() {
    for text in ["\0", "id: x\0name: y\n"] {
        let parsed = parse(FILE, text);
        assert!(parsed.root.is_none());
        assert_eq!(parsed.diagnostics.len(), 1);
        let diag = &parsed.diagnostics[0];
        assert_eq!(diag.code, codes::NOT_UTF8);
        assert_eq!(diag.message, "The file is binary, not text");
        assert_eq!(slice(text, diag.primary.span), "\0");
    }
}

/// `[[[...` reaches the parser's own flow limit, `{a: {a: ...` ours: both say the same.
#[test]
fn deep_flow_nesting_gives_one_diagnostic() {
    let depth = 300;
    let lists = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let maps = format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth));
    let block: String = (0..depth).map(|level| format!("{}a:\n", "  ".repeat(level))).collect();
    for text in [lists, maps, block] {
        let parsed = parse(FILE, &text);
        assert!(parsed.root.is_none());
        assert_eq!(parsed.diagnostics.len(), 1);
        let diag = &parsed.diagnostics[0];
        assert_eq!(diag.code, codes::UNSUPPORTED_YAML, "{diag:?}");
        assert_eq!(diag.message, "YAML nesting is deeper than 128 levels");
        assert!(diag.help.as_deref().unwrap().starts_with("flatten the structure"));
    }
}

fn keys_and_values(node: &Node) -> Vec<(String, String)> {
    node.as_mapping()
        .unwrap()
        .iter()
        .map(|entry| {
            let value = entry.value.as_scalar().map_or("(node)", |scalar| scalar.text.as_str());
            (entry.key_text().to_owned(), value.to_owned())
        })
        .collect()
}

/// Merge keys give what PyYAML gives: `yaml.safe_load` on the same text.
#[test]
fn merge_keys_are_applied_like_pyyaml() {
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let text = "d: &d {severity: Low, kind: Scheduled}\nr:\n  <<: *d\n  severity: High\n  id: x\n";
    let root = parse_ok(text);
    let rule = value_of(&root, "r");
    // {'severity': 'High', 'kind': 'Scheduled', 'id': 'x'}
    assert_eq!(
        keys_and_values(rule),
        pairs(&[("severity", "High"), ("kind", "Scheduled"), ("id", "x")])
    );
    // A merged value keeps the span where it is written.
    assert_eq!(slice(text, rule.get("kind").unwrap().value.span), "Scheduled");

    let text = "a: &a {k: a1, x: a}\nb: &b {k: b1, y: b}\nr:\n  z: own\n  <<: [*a, *b]\n";
    let root = parse_ok(text);
    // {'k': 'a1', 'y': 'b', 'x': 'a', 'z': 'own'}
    assert_eq!(
        keys_and_values(value_of(&root, "r")),
        pairs(&[("k", "a1"), ("y", "b"), ("x", "a"), ("z", "own")])
    );

    // A quoted `<<` is an ordinary key.
    let root = parse_ok("r:\n  '<<': 1\n");
    assert_eq!(keys_and_values(value_of(&root, "r")), pairs(&[("<<", "1")]));
}

#[test]
fn merge_key_needs_mappings() {
    let text = "r:\n  <<: 3\n  id: x\n";
    let parsed = parse(FILE, text);
    assert_eq!(parsed.diagnostics.len(), 1);
    let diag = &parsed.diagnostics[0];
    assert_eq!(diag.code, codes::UNSUPPORTED_YAML);
    assert_eq!(diag.message, "A merge key (`<<`) needs a mapping or a list of mappings");
    assert_eq!(slice(text, diag.primary.span), "3");
    let root = parsed.root.unwrap();
    assert_eq!(keys_and_values(value_of(&root, "r")), [("id".to_owned(), "x".to_owned())]);
}

#[test]
fn crlf_text_maps_like_lf_text() {
    let crlf = "id: x\r\nquery: |\r\n  A\r\n  | take 1\r\n";
    let lf = normalize_source(crlf);
    let root = parse_ok(&lf);
    let node = value_of(&root, "query");
    assert_eq!(node.as_scalar().unwrap().text, "A\n| take 1\n");
    assert_exact(&lf, node);
}
