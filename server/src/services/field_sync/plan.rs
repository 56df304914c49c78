//! The pure half of "sync fields": what each mapped field of one linked node would do to its
//! service, computed from values alone (no database). `apply` writes the result; sync plans
//! (issue #7) compute the same outcomes without writing them.

use std::collections::HashMap;

use chrono_tz::Tz;
use entity::enums::MappingDirection;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::services::dictionary::MappedField;
use crate::services::values::{self, Misfit};

/// What sync did, or would do, to one field (the contract's `FieldSyncStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FieldStatus {
    Synced,
    Unchanged,
    Skipped,
    Failed,
}

impl FieldStatus {
    /// The status as the API names it.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldStatus::Synced => "SYNCED",
            FieldStatus::Unchanged => "UNCHANGED",
            FieldStatus::Skipped => "SKIPPED",
            FieldStatus::Failed => "FAILED",
        }
    }
}

/// One field's outcome; serialized as an element of `links.last_field_sync`.
///
/// `value` is the service's value after the sync for SYNCED and UNCHANGED (null when the field
/// has none), and the node's value that was not applied for SKIPPED and FAILED.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldOutcome {
    pub field_mapping_id: Option<i64>,
    pub node_field: String,
    pub service_field_key: String,
    pub status: FieldStatus,
    pub message: Option<String>,
    pub value: Option<Value>,
    /// The service field written (not stored in the link's summary).
    #[serde(skip)]
    pub field_id: i64,
    /// For SYNCED: the service's value before (null when it had none).
    #[serde(skip)]
    pub old: Option<Value>,
}

/// The outcome of every mapping in `mapped` (the enabled mappings from the node's type to its
/// service's type), in the service type's field order. `current` holds the service's non-null
/// values by field id; `zone` is the source's time zone, which dates are read in.
pub fn plan(
    node_fields: &Value,
    mapped: &[MappedField],
    current: &HashMap<i64, Value>,
    zone: Tz,
) -> Vec<FieldOutcome> {
    let mut ordered: Vec<&MappedField> = mapped.iter().filter(|m| m.mapping.enabled).collect();
    ordered.sort_by_key(|m| (m.field.position, m.field.id));
    ordered
        .into_iter()
        .map(|m| plan_field(node_fields, m, current.get(&m.field.id), zone))
        .collect()
}

fn plan_field(
    node_fields: &Value,
    m: &MappedField,
    current: Option<&Value>,
    zone: Tz,
) -> FieldOutcome {
    let field = &m.field;
    let outcome =
        |status: FieldStatus, message: Option<String>, value: Option<Value>| FieldOutcome {
            field_mapping_id: Some(m.mapping.id),
            node_field: m.mapping.node_field.clone(),
            service_field_key: field.key.clone(),
            status,
            message,
            value,
            field_id: field.id,
            old: None,
        };
    // Node fields are flat (`status.name` is one key, PROVIDERS.md "Field keys").
    let raw = node_fields.get(&m.mapping.node_field);
    if m.mapping.direction == MappingDirection::ServiceToSource {
        let why = "the mapping writes the service to the source only";
        return outcome(FieldStatus::Skipped, Some(why.into()), raw.cloned());
    }
    if field.read_only {
        let why = format!("{} is read-only", field.key);
        return outcome(FieldStatus::Skipped, Some(why), raw.cloned());
    }
    let Some(raw) = raw.filter(|v| !v.is_null()) else {
        let why = format!("the node has no value for {}", m.mapping.node_field);
        return outcome(FieldStatus::Unchanged, Some(why), current.cloned());
    };
    let converted = values::convert_in(field.data_type, raw, Some(zone))
        .and_then(|v| values::constrain(field, v));
    match converted {
        Err(Misfit::Invalid(why)) => outcome(FieldStatus::Failed, Some(why), Some(raw.clone())),
        Err(Misfit::NotAllowed(why)) => outcome(FieldStatus::Skipped, Some(why), Some(raw.clone())),
        Ok(new) if current.is_some_and(|old| same(old, &new)) => {
            outcome(FieldStatus::Unchanged, None, current.cloned())
        }
        Ok(new) => FieldOutcome {
            old: current.cloned(),
            ..outcome(FieldStatus::Synced, None, Some(new))
        },
    }
}

/// Equal values, numbers compared by value (a stored 5.0 equals a synced 5).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}
