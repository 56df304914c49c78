//! Record JSON → node fields (PROVIDERS.md "Field keys"): nested objects flattened with a dot,
//! lists kept as lists, `_info` reduced to `_info.lastUpdated`, custom fields only on request.

use serde_json::{Map, Value};

/// Flattens `record`. `custom` names the provider's custom-field list key (ConnectWise
/// `customFields`), turned into `customFields.<caption>` only when `include_custom` is set.
pub fn flatten(record: &Value, custom: Option<&str>, include_custom: bool) -> Value {
    let mut out = Map::new();
    if let Value::Object(map) = record {
        for (key, value) in map {
            if Some(key.as_str()) == custom {
                if include_custom {
                    add_custom_fields(&mut out, key, value);
                }
                continue;
            }
            if key == "_info" {
                if let Some(updated) = value.get("lastUpdated") {
                    out.insert("_info.lastUpdated".into(), updated.clone());
                }
                continue;
            }
            flatten_into(&mut out, key, value);
        }
    }
    Value::Object(out)
}

fn flatten_into(out: &mut Map<String, Value>, prefix: &str, value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "_info" || key.ends_with("_href") {
                    continue;
                }
                flatten_into(out, &format!("{prefix}.{key}"), inner);
            }
        }
        other => {
            out.insert(prefix.to_owned(), other.clone());
        }
    }
}

fn add_custom_fields(out: &mut Map<String, Value>, key: &str, list: &Value) {
    for item in list.as_array().into_iter().flatten() {
        let Some(caption) = item.get("caption").and_then(Value::as_str) else {
            continue;
        };
        let name = format!("{key}.{caption}");
        // Two fields with one caption: the first wins (docs/CONNECTORS.md §1.3).
        out.entry(name)
            .or_insert_with(|| item.get("value").cloned().unwrap_or(Value::Null));
    }
}

/// A record's `id` as text (a number or a string), empty when it has none.
pub fn id_of(record: &Value) -> String {
    match record.get("id") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// A string field of a record, empty when it is missing or not a string.
pub fn text(record: &Value, key: &str) -> String {
    record
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}
