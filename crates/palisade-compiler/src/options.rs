//! Choices a build can make about its output.

/// Which resource shape analytics rules take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RuleShape {
    /// `Microsoft.OperationalInsights/workspaces/providers/alertRules`, named
    /// `<workspace>/Microsoft.SecurityInsights/<guid>`: the form Sentinel Repositories deploys.
    #[default]
    Legacy,
    /// `Microsoft.SecurityInsights/alertRules` with a `scope` on the workspace: the idiomatic
    /// extension-resource form, which Sentinel Repositories skips.
    Extension,
}

/// The tag name under which hunting queries list their techniques, when none is chosen:
/// the name Microsoft's Repositories sample content uses.
pub const DEFAULT_TECHNIQUE_TAG: &str = "relevantTechniques";

/// Build options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Resource shape of analytics rules.
    pub rule_shape: RuleShape,
    /// Tag name for the techniques of hunting queries.
    pub technique_tag: String,
}

impl Default for Options {
    fn default() -> Self {
        Options { rule_shape: RuleShape::Legacy, technique_tag: DEFAULT_TECHNIQUE_TAG.to_owned() }
    }
}
