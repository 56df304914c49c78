//! Upstream changes to a fake's generated records: values a test sets (as a person would in the
//! provider's own screens) or a JSON Patch writes (API-NOTES §1.5). Each is laid over the record
//! whenever it is served, and moves the record's `_info.lastUpdated` to the time of the change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

/// The edits of one fake, keyed like deletions: "configurations/5".
#[derive(Debug, Clone, Default)]
pub struct Edits {
    inner: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    records: HashMap<String, Edited>,
    patches: Vec<(String, Value)>,
}

#[derive(Debug, Clone)]
struct Edited {
    /// (path segments, value), in the order they were made.
    values: Vec<(Vec<String>, Value)>,
    at: DateTime<Utc>,
}

impl Edits {
    /// Sets a field (a dotted key: `purchaseDate`, `status.name`) of a record now.
    pub fn set(&self, key: &str, field: &str, value: Value) {
        let path = field.split('.').map(str::to_owned).collect();
        self.record(key, vec![(path, value)]);
    }

    /// Applies a JSON Patch document (`replace` and `add` operations; paths with or without
    /// the leading `/`, `~1` and `~0` escapes) and keeps it for the test to read.
    pub fn patch(&self, key: &str, document: &Value) -> Result<(), String> {
        let ops = document
            .as_array()
            .ok_or("a JSON Patch document is an array of operations")?;
        let mut values = Vec::new();
        for op in ops {
            let kind = op.get("op").and_then(Value::as_str).unwrap_or_default();
            if !matches!(kind, "replace" | "add") {
                return Err(format!("unsupported operation {kind:?}"));
            }
            let path = op
                .get("path")
                .and_then(Value::as_str)
                .ok_or("an operation needs a path")?;
            let segments: Vec<String> = path
                .trim_start_matches('/')
                .split('/')
                .map(|s| s.replace("~1", "/").replace("~0", "~"))
                .collect();
            if segments.iter().any(String::is_empty) {
                return Err(format!("invalid path {path:?}"));
            }
            let value = op
                .get("value")
                .cloned()
                .ok_or("an operation needs a value")?;
            values.push((segments, value));
        }
        self.record(key, values);
        if let Ok(mut s) = self.inner.lock() {
            s.patches.push((key.to_owned(), document.clone()));
        }
        Ok(())
    }

    /// The PATCH documents received so far, with the record each was for.
    pub fn patches(&self) -> Vec<(String, Value)> {
        self.inner
            .lock()
            .map(|s| s.patches.clone())
            .unwrap_or_default()
    }

    /// When a record was last edited, if ever.
    /// No record edited.
    pub fn is_empty(&self) -> bool {
        self.inner
            .lock()
            .map(|s| s.records.is_empty())
            .unwrap_or(false)
    }

    pub fn edited_at(&self, key: &str) -> Option<DateTime<Utc>> {
        self.inner.lock().ok()?.records.get(key).map(|e| e.at)
    }

    /// Lays a record's edits over it.
    pub fn overlay(&self, key: &str, record: &mut Value) {
        let Some(edited) = self
            .inner
            .lock()
            .ok()
            .and_then(|s| s.records.get(key).cloned())
        else {
            return;
        };
        for (path, value) in edited.values {
            put(record, &path, value);
        }
        let at = Value::String(edited.at.to_rfc3339_opts(SecondsFormat::Secs, true));
        put(record, &["_info".into(), "lastUpdated".into()], at);
    }

    fn record(&self, key: &str, values: Vec<(Vec<String>, Value)>) {
        if let Ok(mut s) = self.inner.lock() {
            let entry = s.records.entry(key.to_owned()).or_insert(Edited {
                values: Vec::new(),
                at: Utc::now(),
            });
            entry.values.extend(values);
            entry.at = Utc::now();
        }
    }
}

fn put(target: &mut Value, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = target;
    for key in parents {
        if !at.get(key).is_some_and(Value::is_object) {
            if let Some(map) = at.as_object_mut() {
                map.insert(key.clone(), Value::Object(Map::new()));
            }
        }
        let Some(next) = at.get_mut(key) else { return };
        at = next;
    }
    if let Some(map) = at.as_object_mut() {
        map.insert(last.clone(), value);
    }
}
