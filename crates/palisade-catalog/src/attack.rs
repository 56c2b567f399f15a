//! MITRE ATT&CK Enterprise techniques and sub-techniques, with tactics in Sentinel's spelling.
//!
//! MITRE ATT&CK is a registered trademark of The MITRE Corporation; the technique data is
//! © The MITRE Corporation, used with attribution.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::data::{DataError, records};

const ATTACK_TSV: &str = include_str!("../data/attack.tsv");

/// The ATT&CK release the embedded table was made from.
pub const ATTACK_VERSION: &str = "18.1";

/// One technique or sub-technique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Technique {
    /// `T1078` or `T1078.004`.
    pub id: &'static str,
    pub name: &'static str,
    /// Tactics as Sentinel writes them, such as `CommandAndControl`.
    pub tactics: Vec<&'static str>,
    pub subtechnique: bool,
    pub revoked: bool,
    pub deprecated: bool,
    /// For a revoked technique, the one that replaces it.
    pub revoked_by: Option<&'static str>,
}

struct Table {
    techniques: Vec<Technique>,
    index: HashMap<&'static str, usize>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        parse(ATTACK_TSV).expect("embedded ATT&CK data is generated and checked by tests")
    })
}

/// Looks a technique up by id, such as `T1078` or `T1078.004`.
pub fn technique(id: &str) -> Option<&'static Technique> {
    let table = table();
    table.index.get(id).map(|&idx| &table.techniques[idx])
}

/// Every technique, sorted by id.
pub fn techniques() -> &'static [Technique] {
    &table().techniques
}

/// The tactics that occur in the table, sorted, in Sentinel's spelling.
pub fn tactics() -> Vec<&'static str> {
    let mut tactics: Vec<&'static str> =
        techniques().iter().flat_map(|technique| technique.tactics.iter().copied()).collect();
    tactics.sort_unstable();
    tactics.dedup();
    tactics
}

fn parse(text: &'static str) -> Result<Table, DataError> {
    let mut techniques = Vec::new();
    let mut index = HashMap::new();
    for (line, fields) in records(text) {
        let [id, name, tactics, flags, revoked_by] = fields.as_slice() else {
            let message = "expected id, name, tactics, flags and revoked-by".to_string();
            return Err(DataError { file: "attack.tsv", line, message });
        };
        if index.insert(*id, techniques.len()).is_some() {
            let message = format!("`{id}` is listed twice");
            return Err(DataError { file: "attack.tsv", line, message });
        }
        techniques.push(Technique {
            id,
            name,
            tactics: tactics.split(',').filter(|tactic| !tactic.is_empty()).collect(),
            subtechnique: flags.contains('s'),
            revoked: flags.contains('r'),
            deprecated: flags.contains('d'),
            revoked_by: (!revoked_by.is_empty()).then_some(*revoked_by),
        });
    }
    Ok(Table { techniques, index })
}
