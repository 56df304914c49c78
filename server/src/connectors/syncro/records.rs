//! Syncro records → nodes (PROVIDERS.md "Field keys"; docs/CONNECTORS.md §2.3): names with the
//! external id as fallback, `properties.<key>` only with `includeCustomFields`, assets without
//! their embedded `customer` (bar its `business_then_name`) and `rmm_store`; plus the serial
//! filter, and the elements of metadata lists (`items`).

use serde_json::{Map, Value};

use crate::connectors::fields::flatten;
pub(super) use crate::connectors::fields::{id_of, text};
use crate::connectors::{MetadataItem, RawNode};
use entity::enums::PsaMetadataKind;

/// `customer_id`, when set.
pub(super) fn customer_id(record: &Value) -> Option<String> {
    match record.get("customer_id")? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// A serial number that is missing, empty or only white space counts as none (SEMANTICS
/// "Sources").
pub(super) fn has_serial(asset: &Value) -> bool {
    asset
        .get("asset_serial")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}

/// The list a node type's records live in, and the key a single-record answer may be wrapped
/// in (customers and leads answer `{"customer": …}`; contacts and assets come bare, so their
/// key is only tolerated). One table for write-back and for records written from the API.
pub(super) fn list_of(node_type: &str) -> Option<(&'static str, &'static str)> {
    match node_type {
        "Customer" => Some(("customers", "customer")),
        "Contact" => Some(("contacts", "contact")),
        "Asset" => Some(("customer_assets", "asset")),
        "Lead" => Some(("leads", "lead")),
        _ => None,
    }
}

/// A record id as Syncro's paths take it: digits only, so nothing can leave the list.
pub(super) fn is_record_id(external_id: &str) -> bool {
    !external_id.is_empty() && external_id.chars().all(|c| c.is_ascii_digit())
}

pub(super) fn node(
    node_type: &'static str,
    record: &Value,
    name: String,
    parent: Option<(&'static str, String)>,
    include_custom: bool,
) -> RawNode {
    let external_id = id_of(record);
    let name = match name.trim() {
        "" => external_id.clone(),
        trimmed => trimmed.to_owned(),
    };
    RawNode {
        node_type,
        external_id,
        name,
        parent,
        fields: fields(node_type, record, include_custom),
        deleted: false,
    }
}

/// The node fields of a record: its JSON flattened with dots, `properties` as
/// `properties.<key>` (nested values kept as JSON) only when custom fields are wanted.
pub(super) fn fields(node_type: &str, record: &Value, include_custom: bool) -> Value {
    let mut record = record.as_object().cloned().unwrap_or_default();
    let properties = record.remove("properties");
    let mut customer_name = None;
    if node_type == "Asset" {
        // The embedded customer is the whole customer record and `rmm_store` is large: the
        // catalog keeps only the customer's name of either (docs/CONNECTORS.md §2.2).
        customer_name = record
            .remove("customer")
            .and_then(|c| c.get("business_then_name").cloned());
        record.remove("rmm_store");
    }
    let mut out = match flatten(&Value::Object(record), None, false) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    if let Some(name) = customer_name {
        out.insert("customer.business_then_name".into(), name);
    }
    if include_custom {
        if let Some(Value::Object(props)) = properties {
            for (key, value) in props {
                out.insert(format!("properties.{key}"), value);
            }
        }
    }
    Value::Object(out)
}

/// A metadata list element: a plain name, or an object with `name` (and maybe `id`). The shape
/// of `asset_types` elements is not documented (docs/CONNECTORS.md §2.4).
pub(super) fn items(kind: PsaMetadataKind, list: Option<&Value>, out: &mut Vec<MetadataItem>) {
    for element in list.and_then(Value::as_array).into_iter().flatten() {
        let (name, id) = match element {
            Value::String(s) => (s.trim().to_owned(), String::new()),
            other => (text(other, "name").trim().to_owned(), id_of(other)),
        };
        // Syncro's priority list starts with "" (no priority), which is no value to map.
        if name.is_empty() {
            continue;
        }
        let external_id = if id.is_empty() { name.clone() } else { id };
        if out
            .iter()
            .any(|m| m.kind == kind && m.external_id == external_id)
        {
            continue;
        }
        out.push(MetadataItem {
            kind,
            external_id,
            name,
            parent: String::new(),
            extra: element.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn asset_fields_keep_the_customer_name_and_properties_only_on_request() {
        let asset = json!({"id": 7, "name": "PC", "properties": {"OS": 4, "Deep": {"a": 1}},
            "customer": {"id": 1, "business_then_name": "Walkin", "email": "x"}, "rmm_store": {"id": 4},
            "rmm_links": [], "address": {"city": "Tampa"}});
        let with = fields("Asset", &asset, true);
        assert_eq!(with["customer.business_then_name"], "Walkin");
        assert!(with.get("customer.email").is_none() && with.get("rmm_store.id").is_none());
        assert_eq!(with["address.city"], "Tampa");
        assert_eq!(with["properties.OS"], 4);
        assert_eq!(with["properties.Deep"], json!({"a": 1}));
        assert!(with["rmm_links"].is_array());
        let without = fields("Asset", &asset, false);
        assert!(without
            .as_object()
            .into_iter()
            .flat_map(|m| m.keys())
            .all(|k| !k.starts_with("properties")));
    }
}
