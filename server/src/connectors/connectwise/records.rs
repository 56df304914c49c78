//! Reading one ConnectWise record: ids, names, references, contacts' default communication
//! items, metadata items; and handing a page to the import.

use serde_json::Value;

pub(super) use crate::connectors::fields::{id_of, text};

use crate::connectors::{ConnectorError, MetadataItem, PageSink, RawNode};

/// Hands a page to the import (nothing when it is empty).
pub(super) async fn store(
    sink: &mut dyn PageSink,
    nodes: Vec<RawNode>,
) -> Result<(), ConnectorError> {
    if nodes.is_empty() {
        return Ok(());
    }
    sink.page(nodes)
        .await
        .map_err(|e| ConnectorError::Upstream(format!("storing a page failed: {e:#}")))
}

pub(super) fn reference(record: &Value, key: &str) -> Option<String> {
    let id = record.get(key)?.get("id")?;
    Some(match id {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    })
}

/// A record ConnectWise keeps but flags deleted (`deletedFlag`, API-NOTES §1.7: companies).
pub(super) fn flagged_deleted(record: &Value) -> bool {
    record.get("deletedFlag").and_then(Value::as_bool) == Some(true)
}

/// Contacts and configurations hang under their site, else their company (PROVIDERS.md).
pub(super) fn site_else_company(record: &Value) -> Option<(&'static str, String)> {
    reference(record, "site")
        .map(|s| ("Site", s))
        .or_else(|| reference(record, "company").map(|c| ("Company", c)))
}

/// Contacts also get `email` and `phone`: the default item of each kind.
pub(super) fn add_default_items(fields: &mut Value, record: &Value) {
    let items = record
        .get("communicationItems")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (kind, key) in [("Email", "email"), ("Phone", "phone")] {
        let default = items.iter().find(|i| {
            i.get("communicationType").and_then(Value::as_str) == Some(kind)
                && i.get("defaultFlag").and_then(Value::as_bool) == Some(true)
        });
        if let (Some(value), Some(map)) =
            (default.and_then(|i| i.get("value")), fields.as_object_mut())
        {
            map.insert(key.into(), value.clone());
        }
    }
}

pub(super) fn item(
    kind: entity::enums::PsaMetadataKind,
    record: &Value,
    name_key: &str,
    parent: String,
) -> MetadataItem {
    MetadataItem {
        kind,
        external_id: id_of(record),
        name: text(record, name_key),
        parent,
        extra: record.clone(),
    }
}
