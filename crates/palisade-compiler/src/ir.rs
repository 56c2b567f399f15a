//! The output-neutral tree that both the ARM JSON and the Bicep writers lower.
//!
//! Building one tree per template and lowering it twice is what keeps the two outputs equal
//! property for property: a value is decided once, here, and each writer only chooses how to
//! spell it. Literal strings stay raw in the tree; the ARM writer adds the `[[` escape and the
//! Bicep writer quotes them, so neither escape can leak into the other format.

/// One value in a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A literal string, exactly as it must arrive in Azure.
    Str(String),
    /// A template expression, spelled once for ARM and once for Bicep.
    Expr(Expression),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An array, in output order.
    Array(Vec<Value>),
    /// An object whose properties keep the order given here.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// A literal string.
    pub fn str(text: impl Into<String>) -> Self {
        Value::Str(text.into())
    }

    /// An array of literal strings.
    pub fn str_array<I, S>(items: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Value::Array(items.into_iter().map(|item| Value::Str(item.into())).collect())
    }
}

/// A template expression in both syntaxes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expression {
    /// The ARM form, including the surrounding `[` and `]`.
    pub arm: String,
    /// The Bicep form, written as is into the Bicep source.
    pub bicep: String,
}

/// Builds an object value while keeping property order.
#[derive(Clone, Debug, Default)]
pub struct ObjectBuilder {
    properties: Vec<(String, Value)>,
}

impl ObjectBuilder {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a property.
    pub fn insert(&mut self, key: &str, value: Value) -> &mut Self {
        self.properties.push((key.to_owned(), value));
        self
    }

    /// Appends a property when the value is present.
    pub fn insert_opt(&mut self, key: &str, value: Option<Value>) -> &mut Self {
        if let Some(value) = value {
            self.properties.push((key.to_owned(), value));
        }
        self
    }

    /// Whether no property was added.
    pub fn is_empty(&self) -> bool {
        self.properties.is_empty()
    }

    /// The finished object.
    pub fn build(self) -> Value {
        Value::Object(self.properties)
    }
}

/// How a resource is attached to its Log Analytics workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// No `scope`: the workspace is part of the resource type and name (legacy nested form).
    None,
    /// The extension form: `scope` points at the workspace named by the `workspace` parameter.
    Workspace,
}

/// One resource in a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    /// The Bicep symbolic name; unique within one template.
    pub symbol: String,
    /// The resource type, for example `Microsoft.OperationalInsights/workspaces/savedSearches`.
    pub resource_type: String,
    /// The API version.
    pub api_version: String,
    /// The resource name; usually an expression over the `workspace` parameter.
    pub name: Value,
    /// Extension scope, if any.
    pub scope: Scope,
    /// The `kind`, for alert rules.
    pub kind: Option<String>,
    /// The `properties` object.
    pub properties: Value,
}

/// A deployable template: the `workspace` parameter and its resources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// The resources, in output order.
    pub resources: Vec<Resource>,
}

/// The name of the one template parameter; Sentinel Repositories fills a parameter of this
/// name with the target workspace.
pub const WORKSPACE_PARAMETER: &str = "workspace";

/// The description of the `workspace` parameter in both outputs.
pub const WORKSPACE_PARAMETER_DESCRIPTION: &str =
    "Name of the Log Analytics workspace that has Microsoft Sentinel enabled";

/// Quotes a literal for use inside an ARM expression: single quotes are doubled.
pub fn arm_expression_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
