//! The ARM JSON writer: lowers a [`Template`] to a deployment template and prints it.
//!
//! Output is deterministic: two-space indentation, LF line endings, a trailing newline, and
//! properties in the order the template tree gives them (`serde_json` keeps insertion order in
//! this workspace).

use serde_json::{Map, Value as Json};

use crate::ir::{
    Resource, Scope, Template, Value, WORKSPACE_PARAMETER, WORKSPACE_PARAMETER_DESCRIPTION,
};

/// The `$schema` of every template we write.
pub const DEPLOYMENT_TEMPLATE_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/// Escapes a literal string so that ARM does not evaluate it as an expression.
///
/// ARM treats a string whose first character is `[` and whose last character is `]` as an
/// expression; one extra leading `[` keeps it literal. Any other string is left alone, so a
/// query that ends with `]` followed by a newline is not touched.
///
/// See: https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions
pub fn escape_literal(text: &str) -> String {
    if text.starts_with('[') && text.ends_with(']') { format!("[{text}") } else { text.to_owned() }
}

/// Lowers one value to JSON, escaping literal strings.
pub fn lower_value(value: &Value) -> Json {
    match value {
        Value::Str(text) => Json::String(escape_literal(text)),
        Value::Expr(expression) => Json::String(expression.arm.clone()),
        Value::Bool(flag) => Json::Bool(*flag),
        Value::Int(number) => Json::from(*number),
        Value::Array(items) => Json::Array(items.iter().map(lower_value).collect()),
        Value::Object(properties) => {
            let mut map = Map::new();
            for (key, value) in properties {
                map.insert(key.clone(), lower_value(value));
            }
            Json::Object(map)
        }
    }
}

/// Lowers one resource to its JSON object.
pub fn lower_resource(resource: &Resource) -> Json {
    let mut map = Map::new();
    map.insert("type".into(), Json::String(resource.resource_type.clone()));
    map.insert("apiVersion".into(), Json::String(resource.api_version.clone()));
    if resource.scope == Scope::Workspace {
        let scope = format!(
            "[format('Microsoft.OperationalInsights/workspaces/{{0}}', parameters('{WORKSPACE_PARAMETER}'))]"
        );
        map.insert("scope".into(), Json::String(scope));
    }
    map.insert("name".into(), lower_value(&resource.name));
    if let Some(kind) = &resource.kind {
        map.insert("kind".into(), Json::String(kind.clone()));
    }
    map.insert("properties".into(), lower_value(&resource.properties));
    Json::Object(map)
}

/// Lowers a template to a complete deployment template document.
pub fn lower_template(template: &Template) -> Json {
    let mut parameter = Map::new();
    parameter.insert("type".into(), Json::String("string".into()));
    let mut metadata = Map::new();
    metadata.insert(
        "description".into(),
        Json::String(escape_literal(WORKSPACE_PARAMETER_DESCRIPTION)),
    );
    parameter.insert("metadata".into(), Json::Object(metadata));
    let mut parameters = Map::new();
    parameters.insert(WORKSPACE_PARAMETER.into(), Json::Object(parameter));

    let mut document = Map::new();
    document.insert("$schema".into(), Json::String(DEPLOYMENT_TEMPLATE_SCHEMA.into()));
    document.insert("contentVersion".into(), Json::String("1.0.0.0".into()));
    document.insert("parameters".into(), Json::Object(parameters));
    let resources = template.resources.iter().map(lower_resource).collect();
    document.insert("resources".into(), Json::Array(resources));
    Json::Object(document)
}

/// Prints JSON deterministically: two-space indentation, LF, and a trailing newline.
pub fn to_bytes(json: &Json) -> Vec<u8> {
    let mut bytes =
        serde_json::to_vec_pretty(json).expect("serializing a `serde_json::Value` cannot fail");
    bytes.push(b'\n');
    bytes
}

/// Lowers and prints a template.
pub fn write_template(template: &Template) -> Vec<u8> {
    to_bytes(&lower_template(template))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_bracketed_literal_once() {
        assert_eq!(
            escape_literal("[DEV] Impossible travel [T1078]"),
            "[[DEV] Impossible travel [T1078]"
        );
        assert_eq!(escape_literal("[x]"), "[[x]");
        assert_eq!(escape_literal("[[x]"), "[[[x]");
        assert_eq!(escape_literal("[]"), "[[]");
    }

    #[test]
    fn leaves_other_literals_alone() {
        assert_eq!(
            escape_literal("[DEV] Sign-ins from two countries"),
            "[DEV] Sign-ins from two countries"
        );
        assert_eq!(escape_literal("T | where x in ([1])\n"), "T | where x in ([1])\n");
        assert_eq!(escape_literal("[a]\n"), "[a]\n");
        assert_eq!(escape_literal(" [a]"), " [a]");
        assert_eq!(escape_literal("a]"), "a]");
        assert_eq!(escape_literal("["), "[");
        assert_eq!(escape_literal(""), "");
    }

    #[test]
    fn prints_two_space_lf_with_trailing_newline_in_given_order() {
        let value = Value::Object(vec![
            ("zeta".into(), Value::str("[a]")),
            ("alpha".into(), Value::Array(vec![Value::Int(1), Value::Bool(false)])),
            ("empty".into(), Value::Array(vec![])),
            ("text".into(), Value::str("line1\r\nline2\t\"q\" \\ é")),
        ]);
        let bytes = to_bytes(&lower_value(&value));
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "{\n  \"zeta\": \"[[a]\",\n  \"alpha\": [\n    1,\n    false\n  ],\n  \"empty\": [],\n  \"text\": \"line1\\r\\nline2\\t\\\"q\\\" \\\\ é\"\n}\n"
        );
    }

    #[test]
    fn expressions_are_not_escaped() {
        let value = Value::Expr(crate::ir::Expression {
            arm: "[parameters('workspace')]".into(),
            bicep: "workspace".into(),
        });
        assert_eq!(lower_value(&value), Json::String("[parameters('workspace')]".into()));
    }
}
