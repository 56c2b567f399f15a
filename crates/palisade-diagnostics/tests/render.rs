//! Every renderer on one shared fixture: a multi-line span, a span inside an embedded query
//! (through a source map), a secondary label in another file, a message with `%`, `:` and a
//! newline, and a finding about a whole empty file.

#![allow(clippy::unwrap_used)]

use palisade_diagnostics::render::{github, human, json, sarif};
use palisade_diagnostics::{Code, Diagnostic, Severity, SourceFiles, SourceMap, Span};

const RULE: &str = "\
id: 1b7e2f40-9d3c-4e58-a1b6-0c2d3e4f5a6b
name: Rare\tprocess
severity: Critical
query: |
  DeviceProcessEvents
  | where FileName =~ \"cmd.exe\"
  | summarize count() by DeviceName
tactics:
  - Initial Access
";

fn fixture() -> (Vec<Diagnostic>, SourceFiles) {
    let mut files = SourceFiles::new();
    let rule = files.add("detections/rare-process.yaml", RULE);
    let other = files.add("detections/copy.yaml", "id: 1b7e2f40-9d3c-4e58-a1b6-0c2d3e4f5a6b\n");
    let empty = files.add("detections/empty.yaml", "");

    let offset = |needle: &str| RULE.find(needle).unwrap() as u32;
    let query_start = offset("DeviceProcessEvents");
    let query_end = offset("tactics:");

    // The query text as YAML decodes it, and its map back into the file.
    let query =
        "DeviceProcessEvents\n| where FileName =~ \"cmd.exe\"\n| summarize count() by DeviceName\n";
    let mut map = SourceMap::new(rule);
    let mut embedded = 0;
    let mut file_offset = query_start;
    for line in query.split_inclusive('\n') {
        map.push(embedded, file_offset, line.len() as u32);
        embedded += line.len() as u32;
        file_offset += line.len() as u32 + 2;
    }
    let cmd = query.find("\"cmd.exe\"").unwrap() as u32;

    let diagnostics = vec![
        Diagnostic::warning(Code::new("KQL204"), "`=~` on `FileName` compares without case", map.map_range(cmd, cmd + 9))
            .with_label("case-insensitive")
            .with_help("use `==` when the case is known"),
        Diagnostic::error(Code::new("SPEC013"), "`Critical` is not a valid `severity`", Span::new(rule, offset("Critical"), offset("Critical") + 8))
            .with_note("allowed values: `Informational`, `Low`, `Medium`, `High`")
            .with_help("did you mean `High`?"),
        Diagnostic::error(Code::new("SPEC107"), "Duplicate id `1b7e2f40-9d3c-4e58-a1b6-0c2d3e4f5a6b`: also used by `detections/rare-process.yaml`", Span::new(other, 4, 40))
            .with_label("used here")
            .with_secondary(Span::new(rule, 4, 40), "first used here"),
        Diagnostic::note_level(Code::new("SPEC900"), "Query is 100% scanned: every row\nof the table is read", Span::new(rule, query_start, query_end))
            .with_label("this query")
            .with_note("a note: with a colon, and 50% more"),
        Diagnostic::warning(Code::new("SPEC108"), "Tactic `Initial Access` is spelled differently from `InitialAccess`", Span::new(rule, offset("Initial Access"), offset("Initial Access") + 14)),
        Diagnostic::error(Code::new("SPEC005"), "The file is empty", Span::file_start(empty)),
        Diagnostic::error(Code::new("SPEC014"), "Name with a tab", Span::new(rule, offset("process"), offset("process") + 7)),
    ];
    (diagnostics, files)
}

fn to_string(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    render(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn human() {
    let (diagnostics, files) = fixture();
    let text = to_string(|out| human::render(&diagnostics, &files, out));
    assert!(!text.contains('\x1b'));
    insta::assert_snapshot!(text);
}

#[test]
fn human_with_color() {
    let (diagnostics, files) = fixture();
    let text = to_string(|out| {
        human::render_with_options(
            &diagnostics[1..2],
            &files,
            out,
            &human::Options { color: true, not_shown: 0 },
        )
    });
    insta::assert_snapshot!(text.replace('\x1b', "<ESC>"));
}

#[test]
fn json() {
    let (diagnostics, files) = fixture();
    let names = |code: Code| (code.as_str() == "SPEC013").then_some("invalid-value");
    let text = to_string(|out| json::render_with_names(&diagnostics, &files, out, &names));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["summary"]["errors"], 4);
    insta::assert_snapshot!(text);
}

#[test]
fn github() {
    let (diagnostics, files) = fixture();
    let text = to_string(|out| github::render(&diagnostics, &files, out));
    insta::assert_snapshot!(text);
}

#[test]
fn empty_input_renders_nothing_but_the_json_frame() {
    let files = SourceFiles::new();
    assert_eq!(to_string(|out| human::render(&[], &files, out)), "");
    assert_eq!(to_string(|out| github::render(&[], &files, out)), "");
    let value: serde_json::Value =
        serde_json::from_str(&to_string(|out| json::render(&[], &files, out))).unwrap();
    assert_eq!(value["diagnostics"], serde_json::json!([]));
}

const TOOL: sarif::Tool<'static> = sarif::Tool {
    name: "palisade",
    version: "0.0.0-test",
    information_uri: None,
    source_root: None,
};

const TOOL_WITH_ROOT: sarif::Tool<'static> =
    sarif::Tool { source_root: Some("file:///work/my%20repo/"), ..TOOL };

fn sarif_rules() -> Vec<sarif::Rule<'static>> {
    vec![sarif::Rule {
        code: "SPEC013",
        name: "invalid-value",
        summary: "A value is not one of the allowed values",
        docs: "## What it flags\nA value outside the allowed list.\n\n## Why it matters\nIt does not deploy.\n",
        severity: Severity::Error,
        help_uri: Some("https://example.invalid/palisade/docs/lints/SPEC013.md".into()),
    }]
}

#[test]
fn sarif() {
    let (diagnostics, files) = fixture();
    let text = to_string(|out| sarif::render(&diagnostics, &files, &sarif_rules(), &TOOL, out));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let run = &value["runs"][0];
    assert_eq!(value["runs"].as_array().unwrap().len(), 1);
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][index]["id"], result["ruleId"]);
    }
    insta::assert_snapshot!(text);
}

fn shared() -> Option<std::path::PathBuf> {
    let path =
        std::env::var_os("PALISADE_SHARED").map(std::path::PathBuf::from).unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
        });
    path.is_dir().then_some(path)
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let Some(shared) = shared() else {
        eprintln!(
            "SKIPPED sarif_validates_against_the_2_1_0_schema: no shared folder (set PALISADE_SHARED)"
        );
        return;
    };
    let schema_path = shared.join("reference/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let (diagnostics, files) = fixture();
    let empty = SourceFiles::new();
    for value in [
        sarif::to_value(&diagnostics, &files, &sarif_rules(), &TOOL),
        sarif::to_value(&diagnostics, &files, &sarif_rules(), &TOOL_WITH_ROOT),
        sarif::to_value(&[], &empty, &[], &TOOL),
    ] {
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // A broken log fails, so the check is real.
    let mut broken = sarif::to_value(&diagnostics, &files, &sarif_rules(), &TOOL);
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
}

/// Every `uriBaseId` a location uses is defined in `run.originalUriBaseIds`, so viewers can
/// resolve the paths; with a root it is an absolute `file:` URI ending in `/`.
#[test]
fn sarif_defines_every_uri_base_id() {
    let (diagnostics, files) = fixture();
    for (tool, uri) in [(&TOOL, None), (&TOOL_WITH_ROOT, Some("file:///work/my%20repo/"))] {
        let log = sarif::to_value(&diagnostics, &files, &sarif_rules(), tool);
        let run = &log["runs"][0];
        let bases = run["originalUriBaseIds"].as_object().unwrap();
        let mut used = 0;
        for result in run["results"].as_array().unwrap() {
            let locations = result["locations"].as_array().unwrap().iter();
            let related = result["relatedLocations"].as_array().into_iter().flatten();
            for location in locations.chain(related) {
                let base =
                    location["physicalLocation"]["artifactLocation"]["uriBaseId"].as_str().unwrap();
                assert!(bases.contains_key(base), "{base} is not defined");
                used += 1;
            }
        }
        assert!(used > 3);
        assert_eq!(bases["SRCROOT"]["uri"].as_str(), uri);
        if uri.is_none() {
            assert!(bases["SRCROOT"]["description"]["text"].is_string());
        }
    }
}

#[test]
fn folder_uris_are_absolute_file_uris_ending_in_a_slash() {
    assert_eq!(sarif::folder_uri("/work/my repo"), "file:///work/my%20repo/");
    assert_eq!(sarif::folder_uri("/work/repo/"), "file:///work/repo/");
    assert_eq!(sarif::folder_uri("C:\\src\\repo"), "file:///C:/src/repo/");
}

#[test]
fn sarif_uris_are_percent_encoded() {
    assert_eq!(sarif::path_to_uri("Solutions/A B/r#1.yaml"), "Solutions/A%20B/r%231.yaml");
    assert_eq!(sarif::path_to_uri("detections/a.yaml"), "detections/a.yaml");
}

/// A file with terminal escapes (colour, an OSC title), a right-to-left override, a
/// zero-width space and NULs, and findings whose message, label, note and help carry them.
fn hostile() -> (Vec<Diagnostic>, SourceFiles, &'static str) {
    const TEXT: &str = "name: \u{1b}[31mred\u{1b}]0;T\u{7}x\u{202e}gpj.exe target\nb\0\0c: \u{200b}\u{85}\u{7f}\r\u{9b}2J\n";
    let mut files = SourceFiles::new();
    let file = files.add("esc\u{1b}[0m.yaml", TEXT);
    let at = |needle: &str| TEXT.find(needle).unwrap() as u32;
    let diagnostics = vec![
        Diagnostic::error(
            Code::new("IOC010"),
            "URL `https://evil2.com/x\u{202e}gpj.exe` is odd\n\u{1b}]0;second line\u{7}",
            Span::new(file, at("target"), at("target") + 6),
        )
        .with_label("here \u{202e}label")
        .with_note("note \u{1b}[2J")
        .with_help("help \u{2066}isolate\u{2069}"),
        Diagnostic::warning(
            Code::new("SPEC006"),
            "Bad bytes",
            Span::new(file, at("c:"), at("c:") + 2),
        ),
    ];
    (diagnostics, files, TEXT)
}

/// The characters a terminal or a browser would act on, or that hide text.
fn hidden_chars(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&ch| {
            ch != '\n'
                && (ch.is_control() || ('\u{200b}'..='\u{206f}').contains(&ch) || ch == '\u{feff}')
        })
        .collect()
}

#[test]
fn human_shows_control_bidi_and_zero_width_characters_visibly() {
    let (diagnostics, files, _) = hostile();
    let text = to_string(|out| human::render(&diagnostics, &files, out));
    assert_eq!(hidden_chars(&text), Vec::<char>::new(), "{text}");
    let colored = to_string(|out| {
        human::render_with_options(
            &diagnostics,
            &files,
            out,
            &human::Options { color: true, not_shown: 0 },
        )
    });
    // With colour, the only escapes are the renderer's own colour codes (`ESC [ … m`).
    let stripped: String = colored
        .split('\u{1b}')
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                assert!(part.starts_with('[') && part.split_once('m').is_some(), "{part:?}");
                part.split_once('m').unwrap().1
            }
        })
        .collect();
    assert_eq!(stripped, text);

    assert!(text.contains("URL `https://evil2.com/x<U+202E>gpj.exe` is odd"), "{text}");
    assert!(text.contains("<U+001B>]0;second line<U+0007>"), "{text}");
    assert!(text.contains("here <U+202E>label"), "{text}");
    assert!(text.contains("= note: note <U+001B>[2J"), "{text}");
    assert!(text.contains("= help: help <U+2066>isolate<U+2069>"), "{text}");
    assert!(text.contains("--> esc<U+001B>[0m.yaml:1:"), "{text}");
    assert!(
        text.contains("b<U+0000><U+0000>c: <U+200B><U+0085><U+007F><U+000D><U+009B>2J"),
        "{text}"
    );

    // The underline stays under the text it marks.
    for (needle, marker) in [("target", "^^^^^^"), ("c:", "^^")] {
        let lines: Vec<&str> = text.lines().collect();
        let row =
            lines.iter().position(|line| line.contains(needle) && line.contains(" | ")).unwrap();
        let column = lines[row].find(needle).unwrap();
        let underline = lines[row + 1];
        assert_eq!(underline.find('^'), Some(column), "{text}");
        assert_eq!(&underline[column..column + marker.len()], marker, "{text}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn github_annotations_show_hidden_characters_and_json_keeps_them() {
    let (diagnostics, files, source) = hostile();
    let text = to_string(|out| github::render(&diagnostics, &files, out));
    assert_eq!(hidden_chars(&text), Vec::<char>::new(), "{text}");
    assert!(text.contains("x<U+202E>gpj.exe"), "{text}");
    // Columns still count the file's characters.
    let column = source[..source.find("target").unwrap()].chars().count() + 1;
    assert!(text.contains(&format!("col={column},")), "{text}");

    let json = to_string(|out| json::render(&diagnostics, &files, out));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let messages: Vec<&str> = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diag| diag["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(
            &"URL `https://evil2.com/x\u{202e}gpj.exe` is odd\n\u{1b}]0;second line\u{7}"
        ),
        "{json}"
    );
    assert!(!json.contains('\u{1b}'), "JSON escapes controls: {json}");
}
