//! Registry entries for the `EMIT0xx` codes that `palisade-compiler` reports while compiling.
//!
//! The codes are defined in `palisade_compiler::codes`; this crate does not depend on the
//! compiler, so the codes are written out here, and the CLI's tests check that both lists have
//! the same codes and names. `palisade validate` runs the compiler's checks too, so every code
//! here can appear in a validate run as well as in a build.

use palisade_diagnostics::Severity;

use crate::registry::CodeInfo;

/// Every `EMIT0xx` code, ascending.
#[rustfmt::skip]
pub const REGISTRY: &[CodeInfo] = &[
    CodeInfo::new(
        "EMIT001",
        "api-version-lacks-feature",
        Severity::Error,
        "The pinned `apiVersion` lacks a feature the rule uses",
        "## What it flags\nAn analytics rule that pins a stable `apiVersion` and uses something only preview versions have: `kind: NRT`, sub-technique ids in `relevantTechniques` (written as `subTechniques`), `sentinelEntitiesMappings`, or the `SubTechniques` alert property.\n\n## Why it matters\nNo stable version of the alert-rule API has these properties, so Azure would reject the template or drop the property; Palisade never downgrades a pinned version on its own.\n\n## Example\n```yaml\napiVersion: 2025-09-01\nkind: NRT\n```\n\n## Instead\nRemove `apiVersion` so that Palisade picks `2025-07-01-preview` for such rules, pin `2025-07-01-preview` yourself, or stop using the feature.\n",
    ),
    CodeInfo::new(
        "EMIT002",
        "unknown-api-version",
        Severity::Error,
        "The pinned `apiVersion` is not a published API version",
        "## What it flags\nAn `apiVersion` that is not written `YYYY-MM-DD` or `YYYY-MM-DD-preview`, or a stable date for which no `Microsoft.SecurityInsights` version was published, such as `latest` or `2019-01-01`.\n\n## Why it matters\nAzure rejects a deployment with an API version it does not have.\n\n## Instead\nRemove `apiVersion` to let Palisade choose, or pin `2025-09-01` (stable) or `2025-07-01-preview`.\n",
    ),
    CodeInfo::new(
        "EMIT003",
        "duplicate-resource-name",
        Severity::Error,
        "Two detections compile to the same resource name",
        "## What it flags\nTwo analytics rules, or two hunting queries, whose rule GUIDs are the same although their ids differ: an id that is not a GUID hashes to the GUID another spec writes as its `id`, or an IOC spec lists the same table twice in `targets`. The same id in two files, also one GUID written in another letter case or in braces (`{X}` and `x`), is `SPEC107` on the later file instead, and that file is not compiled.\n\n## Why it matters\nDeploying both would make one overwrite the other in the workspace, so neither is built.\n\n## Instead\nGive each detection its own `id`, and list each target table once.\n",
    ),
    CodeInfo::new(
        "EMIT004",
        "missing-required-property",
        Severity::Error,
        "A property ARM requires has no value and no default",
        "## What it flags\nA scheduled analytics rule without a value that the alert-rule API requires and Palisade has no default for, such as `query`, `queryFrequency`, `queryPeriod`, `triggerOperator` or `triggerThreshold`.\n\n## Why it matters\nAzure rejects a rule without its required properties.\n\n## Instead\nAdd the field to the spec, or use `kind: NRT` when the rule should run without a schedule.\n",
    ),
    CodeInfo::new(
        "EMIT005",
        "entity-type-not-in-arm",
        Severity::Error,
        "An entity type is not one the ARM API accepts",
        "## What it flags\nAn `entityMappings` entry whose `entityType` is not in the `entityType` enum of the alert-rule API, although Sentinel's YAML tooling may know it.\n\n## Why it matters\nAzure rejects the template.\n\n## Instead\nMap the columns to one of the entity types the message lists, or remove the mapping.\n",
    ),
    CodeInfo::new(
        "EMIT006",
        "field-ignored-for-kind",
        Severity::Warning,
        "A field has no effect on this kind of detection and is left out",
        "## What it flags\nA field that the output for this detection has no place for: `apiVersion` on a hunting query (saved searches have their own API version), or hand-written mappings and alert formats in an IOC spec, whose queries Palisade generates.
The schedule and trigger of an NRT rule are left out too; the validator reports them as `SPEC116`.\n\n## Why it matters\nThe author probably expects the field to matter, and it does not.\n\n## Instead\nRemove the field, or change the detection's kind if the field was meant.\n",
    ),
    CodeInfo::new(
        "EMIT007",
        "tactic-not-in-arm",
        Severity::Error,
        "A tactic name is not in the ARM `AttackTactic` enum",
        "## What it flags\nA tactic that cannot be written as one of the alert-rule API's tactic names, even after removing spaces and fixing the letter case.\n\n## Why it matters\nAzure rejects the template.\n\n## Instead\nUse one of the tactic names the message lists.\n",
    ),
    CodeInfo::new(
        "EMIT008",
        "unsupported-api-version",
        Severity::Error,
        "The pinned `apiVersion` is not one Palisade writes alert rules for",
        "## What it flags\nAn analytics rule that pins a published API version other than `2025-09-01`, `2025-12-01` and `2025-07-01-preview`, such as `2020-01-01` or an older preview.\n\n## Why it matters\nPalisade's output is checked against the schemas of those versions only.\nOlder versions lack properties that later ones added and Palisade writes, so Azure could reject the template or silently drop what it does not know.\n\n## Example\n```yaml\napiVersion: 2020-01-01\n```\n\n## Instead\nRemove `apiVersion` to let Palisade choose, or pin one of the supported versions.\n",
    ),
];
