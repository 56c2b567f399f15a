//! Hunting queries: from a [`Detection`] to a Log Analytics saved search.
//!
//! Sentinel lists a saved search as a hunting query when its category is `Hunting Queries`;
//! description, tactics and techniques travel as tags, which is all the resource can carry.

use palisade_diagnostics::Diagnostic;
use palisade_spec::Detection;

use crate::analytics::canonical_tactic;
use crate::codes;
use crate::ir::{
    Expression, ObjectBuilder, Resource, Scope, Value, WORKSPACE_PARAMETER, arm_expression_literal,
};
use crate::names;
use crate::options::Options;

/// The saved-search resource type.
pub const SAVED_SEARCH_TYPE: &str = "Microsoft.OperationalInsights/workspaces/savedSearches";

/// Its API version.
pub const SAVED_SEARCH_API_VERSION: &str = "2020-08-01";

/// The category that marks a saved search as a hunting query.
pub const HUNTING_CATEGORY: &str = "Hunting Queries";

/// The tag names every hunting query may carry besides the technique tag, whose name is an
/// option ([`Options::technique_tag`]) and must be none of these.
pub const BUILT_IN_TAGS: &[&str] = &[DESCRIPTION_TAG, TACTICS_TAG];

/// The tag that holds a hunting query's description.
pub const DESCRIPTION_TAG: &str = "description";

/// The tag that holds a hunting query's tactics, comma-separated.
pub const TACTICS_TAG: &str = "tactics";

/// The saved-search `version`: the query language version, which is 2.
pub const QUERY_LANGUAGE_VERSION: i64 = 2;

/// One compiled hunting query.
#[derive(Clone, Debug)]
pub struct CompiledHuntingQuery {
    /// The saved-search GUID, lower-case hyphenated.
    pub guid: String,
    /// The saved-search resource.
    pub resource: Resource,
}

/// Compiles one hunting query.
///
/// A saved search has no place for entity mappings, severity or a schedule, so those fields
/// are not written; the validator reports them (`SPEC144`) when they suggest the spec was meant
/// to be an analytics rule. A pinned `apiVersion` is reported here, since the author expected
/// it to matter.
pub fn compile(
    detection: &Detection,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) -> CompiledHuntingQuery {
    if let Some(pinned) = &detection.api_version {
        diagnostics.push(
            Diagnostic::warning(
                codes::FIELD_IGNORED_FOR_KIND,
                "`apiVersion` has no effect on a hunting query and is left out of the output",
                pinned.span,
            )
            .with_label("ignored")
            .with_note(format!(
                "hunting queries are saved searches, which Palisade always writes with API version `{SAVED_SEARCH_API_VERSION}`"
            ))
            .with_help("remove `apiVersion`"),
        );
    }

    let guid = names::rule_guid_text(&detection.id.value);
    let name = Value::Expr(Expression {
        arm: format!(
            "[concat(parameters('{WORKSPACE_PARAMETER}'),{})]",
            arm_expression_literal(&format!("/{guid}"))
        ),
        bicep: format!("'${{{WORKSPACE_PARAMETER}}}/{guid}'"),
    });

    let mut tags = Vec::new();
    if let Some(description) = &detection.description {
        tags.push(tag(DESCRIPTION_TAG, &description.value));
    }
    // Each tactic once, at its first place, as for analytics rules.
    let mut tactics: Vec<String> = Vec::new();
    for tactic in &detection.tactics {
        let name = canonical_tactic(&tactic.value)
            .map_or_else(|| tactic.value.replace(' ', ""), str::to_owned);
        if !tactics.contains(&name) {
            tactics.push(name);
        }
    }
    if !tactics.is_empty() {
        tags.push(tag(TACTICS_TAG, &tactics.join(",")));
    }
    let mut techniques: Vec<&str> = Vec::new();
    for technique in &detection.relevant_techniques {
        if !techniques.contains(&technique.value.as_str()) {
            techniques.push(&technique.value);
        }
    }
    if !techniques.is_empty() {
        tags.push(tag(&options.technique_tag, &techniques.join(",")));
    }

    let mut props = ObjectBuilder::new();
    props.insert("eTag", Value::str("*"));
    props.insert("displayName", Value::str(&detection.name.value));
    props.insert("category", Value::str(HUNTING_CATEGORY));
    props.insert("query", Value::str(&detection.query.text));
    props.insert("version", Value::Int(QUERY_LANGUAGE_VERSION));
    props.insert("tags", Value::Array(tags));

    let resource = Resource {
        symbol: "huntingQuery".to_owned(),
        resource_type: SAVED_SEARCH_TYPE.to_owned(),
        api_version: SAVED_SEARCH_API_VERSION.to_owned(),
        name,
        scope: Scope::None,
        kind: None,
        properties: props.build(),
    };
    CompiledHuntingQuery { guid, resource }
}

fn tag(name: &str, value: &str) -> Value {
    let mut item = ObjectBuilder::new();
    item.insert("name", Value::str(name));
    item.insert("value", Value::str(value));
    item.build()
}
