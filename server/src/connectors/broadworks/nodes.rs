//! OCI table rows → nodes, per PROVIDERS.md and docs/CONNECTORS.md §3.4: types, names with
//! their fallbacks, external ids (`serviceProviderId/groupId` for groups; user and hunt-group
//! ids as they are, being system-wide), parents, and field keys (each column heading in
//! lowerCamelCase, values strings, `true`/`false` booleans). Columns are found by heading.

use serde_json::{Map, Value};

use super::oci::Table;
use crate::connectors::{ConnectorError, RawNode};

/// The headings each table must have to make nodes at all.
pub const SP_ID: &str = "Service Provider Id";
pub const GROUP_ID: &str = "Group Id";
pub const USER_ID: &str = "User Id";
pub const SERVICE_USER_ID: &str = "Service User Id";

/// "Phone Number Activated" → "phoneNumberActivated".
pub fn lower_camel(heading: &str) -> String {
    let mut out = String::new();
    for (i, word) in heading
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        if i == 0 {
            out.push_str(&word.to_lowercase());
        } else {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

/// Every column of a row, keyed by its heading: the table decides the keys.
pub fn fields(table: &Table, row: &[String]) -> Value {
    let mut map = Map::new();
    for (i, heading) in table.headings.iter().enumerate() {
        let cell = row.get(i).map_or("", String::as_str);
        let value = match cell {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => Value::String(other.to_owned()),
        };
        map.insert(lower_camel(heading), value);
    }
    Value::Object(map)
}

/// The table named `name` must carry `heading`, or none of its rows can become nodes.
pub fn require(table: &Table, name: &str, heading: &str) -> Result<(), ConnectorError> {
    match table.column(heading) {
        Some(_) => Ok(()),
        None => Err(ConnectorError::Decode(format!(
            "{name} has no \"{heading}\" column"
        ))),
    }
}

fn node(
    node_type: &'static str,
    external_id: String,
    name: &str,
    parent: Option<(&'static str, String)>,
    fields: Value,
) -> RawNode {
    let name = name.trim();
    RawNode {
        node_type,
        name: if name.is_empty() {
            external_id.clone()
        } else {
            name.to_owned()
        },
        external_id,
        parent,
        fields,
        deleted: false,
    }
}

/// A `serviceProviderTable` row: an Enterprise when "Is Enterprise" is `true`, else a Service
/// Provider; both are roots. `None` for a row without an id.
pub fn service_provider(table: &Table, row: &[String]) -> Option<RawNode> {
    let id = table.cell(row, SP_ID).trim();
    if id.is_empty() {
        return None;
    }
    let node_type = if table.cell(row, "Is Enterprise") == "true" {
        "Enterprise"
    } else {
        "Service Provider"
    };
    Some(node(
        node_type,
        id.to_owned(),
        table.cell(row, "Service Provider Name"),
        None,
        fields(table, row),
    ))
}

/// A `groupTable` row of the service provider or enterprise `parent` (type, id), the one the
/// request named, since the table has no such column.
pub fn group(parent: &(&'static str, String), table: &Table, row: &[String]) -> Option<RawNode> {
    let id = table.cell(row, GROUP_ID).trim();
    if id.is_empty() {
        return None;
    }
    Some(node(
        "Group",
        format!("{}/{id}", parent.1),
        table.cell(row, "Group Name"),
        Some(parent.clone()),
        fields(table, row),
    ))
}

/// A `userTable` row of the group `group` (its external id `sp/group`).
pub fn user(group: &str, table: &Table, row: &[String]) -> Option<RawNode> {
    let id = table.cell(row, USER_ID).trim();
    if id.is_empty() {
        return None;
    }
    let name = format!(
        "{} {}",
        table.cell(row, "First Name").trim(),
        table.cell(row, "Last Name").trim()
    );
    Some(node(
        "User",
        id.to_owned(),
        &name,
        Some(("Group", group.to_owned())),
        fields(table, row),
    ))
}

/// A `huntGroupTable` row of the group `group`.
pub fn hunt_group(group: &str, table: &Table, row: &[String]) -> Option<RawNode> {
    let id = table.cell(row, SERVICE_USER_ID).trim();
    if id.is_empty() {
        return None;
    }
    Some(node(
        "Hunt Group",
        id.to_owned(),
        table.cell(row, "Name"),
        Some(("Group", group.to_owned())),
        fields(table, row),
    ))
}

#[cfg(test)]
// Test code fails by panicking: unwrap is how it says what broke.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn headings_become_lower_camel_case_keys() {
        assert_eq!(lower_camel("Service Provider Id"), "serviceProviderId");
        assert_eq!(lower_camel("Is Enterprise"), "isEnterprise");
        assert_eq!(
            lower_camel("Phone Number Activated"),
            "phoneNumberActivated"
        );
        assert_eq!(lower_camel("Service User Id"), "serviceUserId");
        assert_eq!(lower_camel("Name"), "name");
    }

    #[test]
    fn names_fall_back_to_ids_and_booleans_are_booleans() {
        let table = Table {
            headings: vec![
                "Last Name".into(),
                "User Id".into(),
                "First Name".into(),
                "In Trunk Group".into(),
            ],
            rows: vec![vec!["".into(), "u1@x".into(), "".into(), "false".into()]],
        };
        let n = user("sp/g", &table, &table.rows[0]).unwrap();
        assert_eq!((n.name.as_str(), n.external_id.as_str()), ("u1@x", "u1@x"));
        assert_eq!(n.fields["inTrunkGroup"], Value::Bool(false));
        assert_eq!(n.fields["firstName"], "");
        assert_eq!(n.parent, Some(("Group", "sp/g".to_owned())));
    }
}
