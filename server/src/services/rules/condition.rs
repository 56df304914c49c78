//! Rule conditions: `{"all"|"any": [{"field", "op", "value"} | nested group, …]}` over a node's
//! fields, checked once when a rule is saved (a bad part is BAD_USER_INPUT naming it, e.g.
//! `input.condition.all.1.op`) and compiled into `Condition`, which the import evaluates per
//! node without touching JSON again: texts are lower-cased and numbers parsed at compile time.
//!
//! Semantics: `eq`/`ne`/`in` compare numbers by value (numeric text counts as a number) and text
//! ignoring case; `contains` is a case-insensitive substring of a text (or an element of a list);
//! `exists` (value true by default) is a non-null value; `gt`/`lt` compare numbers, else texts
//! (so ISO dates compare as dates). A field a node lacks is null: only `ne` and `exists: false`
//! match it. Besides the node's own fields, `name`, `externalId` and `type` name the node's.

use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};

/// A compiled condition.
#[derive(Debug, Clone)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Test { field: String, op: Op },
}

/// A comparison with its operand prepared.
#[derive(Debug, Clone)]
pub enum Op {
    Eq(Scalar),
    Ne(Scalar),
    In(Vec<Scalar>),
    Contains(String),
    Exists(bool),
    Gt(Scalar),
    Lt(Scalar),
}

/// An operand: a number, or a text in lower case (booleans as "true"/"false").
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Number(f64),
    Text(String),
}

/// What a condition reads of a node.
#[derive(Debug, Clone, Copy)]
pub struct NodeView<'a> {
    pub node_type: &'a str,
    pub name: &'a str,
    pub external_id: &'a str,
    pub fields: &'a Value,
}

impl NodeView<'_> {
    fn get(&self, field: &str) -> Option<Value> {
        if let Some(v) = self.fields.get(field).filter(|v| !v.is_null()) {
            return Some(v.clone());
        }
        match field {
            "name" => Some(Value::String(self.name.to_owned())),
            "externalId" => Some(Value::String(self.external_id.to_owned())),
            "type" => Some(Value::String(self.node_type.to_owned())),
            _ => None,
        }
    }
}

impl Condition {
    /// Checks and compiles `json`; errors name the part under `path` (e.g. `input.condition`).
    pub fn compile(json: &Value, path: &str) -> ApiResult<Condition> {
        let Some(obj) = json.as_object() else {
            return Err(bad(
                path,
                "a condition is an object {\"all\"|\"any\": [...]}",
            ));
        };
        group(obj, path)
    }

    /// Whether `node` satisfies the condition.
    pub fn matches(&self, node: &NodeView<'_>) -> bool {
        match self {
            Condition::All(parts) => parts.iter().all(|c| c.matches(node)),
            Condition::Any(parts) => parts.iter().any(|c| c.matches(node)),
            Condition::Test { field, op } => test(op, node.get(field).as_ref()),
        }
    }
}

fn bad(path: &str, message: impl Into<String>) -> ApiError {
    ApiError::bad_input(path, message)
}

fn group(obj: &Map<String, Value>, path: &str) -> ApiResult<Condition> {
    if obj.len() != 1 {
        return Err(bad(path, "a group has exactly one key, \"all\" or \"any\""));
    }
    let (key, list) = obj.iter().next().ok_or_else(|| bad(path, "empty group"))?;
    let path = format!("{path}.{key}");
    let Some(items) = list.as_array() else {
        return Err(bad(&path, format!("\"{key}\" takes a list of conditions")));
    };
    if items.is_empty() {
        return Err(bad(
            &path,
            format!("\"{key}\" needs at least one condition"),
        ));
    }
    let mut parts = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let item_path = format!("{path}.{i}");
        let Some(o) = item.as_object() else {
            return Err(bad(&item_path, "each condition is an object"));
        };
        if o.contains_key("all") || o.contains_key("any") {
            parts.push(group(o, &item_path)?);
        } else {
            parts.push(leaf(o, &item_path)?);
        }
    }
    Ok(match key.as_str() {
        "all" => Condition::All(parts),
        "any" => Condition::Any(parts),
        other => {
            return Err(bad(
                &path,
                format!("unknown group \"{other}\"; use \"all\" or \"any\""),
            ))
        }
    })
}

fn leaf(o: &Map<String, Value>, path: &str) -> ApiResult<Condition> {
    for key in o.keys() {
        if !matches!(key.as_str(), "field" | "op" | "value") {
            return Err(bad(
                &format!("{path}.{key}"),
                format!("unknown key \"{key}\"; a test has field, op and value"),
            ));
        }
    }
    let field = match o.get("field").and_then(Value::as_str).map(str::trim) {
        Some(f) if !f.is_empty() => f.to_owned(),
        _ => return Err(bad(&format!("{path}.field"), "a test names a node field")),
    };
    let op_path = format!("{path}.op");
    let value_path = format!("{path}.value");
    let value = o.get("value");
    let operand = |what: &str| -> ApiResult<Scalar> {
        value.and_then(scalar).ok_or_else(|| {
            bad(
                &value_path,
                format!("{what} takes a text, number or boolean"),
            )
        })
    };
    let op = match o.get("op").and_then(Value::as_str) {
        Some("eq") => Op::Eq(operand("eq")?),
        Some("ne") => Op::Ne(operand("ne")?),
        Some("gt") => Op::Gt(operand("gt")?),
        Some("lt") => Op::Lt(operand("lt")?),
        Some("contains") => match value {
            Some(Value::String(s)) if !s.is_empty() => Op::Contains(s.to_lowercase()),
            _ => return Err(bad(&value_path, "contains takes a non-empty text")),
        },
        Some("in") => {
            let list = value
                .and_then(Value::as_array)
                .filter(|l| !l.is_empty())
                .ok_or_else(|| bad(&value_path, "in takes a non-empty list"))?;
            let mut items = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                items.push(scalar(v).ok_or_else(|| {
                    bad(
                        &format!("{value_path}.{i}"),
                        "in takes texts, numbers or booleans",
                    )
                })?);
            }
            Op::In(items)
        }
        Some("exists") => match value {
            None | Some(Value::Null) => Op::Exists(true),
            Some(Value::Bool(b)) => Op::Exists(*b),
            Some(_) => return Err(bad(&value_path, "exists takes true or false")),
        },
        Some(other) => {
            return Err(bad(
                &op_path,
                format!("unknown op \"{other}\"; use eq, ne, contains, in, exists, gt or lt"),
            ))
        }
        None => return Err(bad(&op_path, "a test needs an op")),
    };
    Ok(Condition::Test { field, op })
}

/// A JSON scalar as an operand (numeric text stays text here; comparisons try numbers first).
fn scalar(v: &Value) -> Option<Scalar> {
    match v {
        Value::Number(n) => n.as_f64().map(Scalar::Number),
        Value::String(s) => Some(Scalar::Text(s.to_lowercase())),
        Value::Bool(b) => Some(Scalar::Text(b.to_string())),
        _ => None,
    }
}

fn number_of(s: &Scalar) -> Option<f64> {
    match s {
        Scalar::Number(n) => Some(*n),
        Scalar::Text(t) => t.trim().parse().ok(),
    }
}

fn text_of(s: &Scalar) -> String {
    match s {
        Scalar::Number(n) => n.to_string(),
        Scalar::Text(t) => t.clone(),
    }
}

fn equal(a: &Scalar, b: &Scalar) -> bool {
    match (number_of(a), number_of(b)) {
        (Some(x), Some(y)) => x == y,
        _ => text_of(a) == text_of(b),
    }
}

fn order(a: &Scalar, b: &Scalar) -> Option<std::cmp::Ordering> {
    match (number_of(a), number_of(b)) {
        (Some(x), Some(y)) => x.partial_cmp(&y),
        _ => Some(text_of(a).cmp(&text_of(b))),
    }
}

fn test(op: &Op, value: Option<&Value>) -> bool {
    let scalar_value = value.and_then(scalar);
    match op {
        Op::Exists(want) => value.is_some() == *want,
        Op::Eq(x) => scalar_value.is_some_and(|v| equal(&v, x)),
        Op::Ne(x) => !scalar_value.is_some_and(|v| equal(&v, x)),
        Op::In(xs) => scalar_value.is_some_and(|v| xs.iter().any(|x| equal(&v, x))),
        Op::Gt(x) => {
            scalar_value.is_some_and(|v| order(&v, x) == Some(std::cmp::Ordering::Greater))
        }
        Op::Lt(x) => scalar_value.is_some_and(|v| order(&v, x) == Some(std::cmp::Ordering::Less)),
        Op::Contains(needle) => match value {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(scalar)
                .any(|v| text_of(&v) == *needle),
            Some(_) => scalar_value.is_some_and(|v| text_of(&v).contains(needle.as_str())),
            None => false,
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn view(fields: &Value) -> NodeView<'_> {
        NodeView {
            node_type: "User",
            name: "Ann Lee",
            external_id: "u1",
            fields,
        }
    }

    #[test]
    fn nested_groups_and_every_op() {
        let c = Condition::compile(
            &json!({"all": [
                {"field": "status", "op": "eq", "value": "ACTIVE"},
                {"field": "seats", "op": "gt", "value": 2},
                {"any": [{"field": "name", "op": "contains", "value": "lee"},
                         {"field": "tags", "op": "contains", "value": "vip"}]},
                {"field": "kind", "op": "in", "value": ["a", "b"]},
                {"field": "gone", "op": "exists", "value": false},
                {"field": "code", "op": "ne", "value": 7},
                {"field": "date", "op": "lt", "value": "2026-01-01"}
            ]}),
            "input.condition",
        )
        .unwrap();
        let fields = json!({"status": "active", "seats": "3", "kind": "B", "code": "8", "date": "2025-05-01"});
        assert!(c.matches(&view(&fields)));
        let fields = json!({"status": "active", "seats": 2, "kind": "B"});
        assert!(!c.matches(&view(&fields)));
    }

    #[test]
    fn bad_parts_are_named() {
        let cases = [
            (json!([]), "input.condition"),
            (json!({"all": []}), "input.condition.all"),
            (
                json!({"some": [{"field": "a", "op": "eq", "value": 1}]}),
                "input.condition.some",
            ),
            (
                json!({"all": [{"field": "a", "op": "like", "value": 1}]}),
                "input.condition.all.0.op",
            ),
            (
                json!({"any": [{"field": "a", "op": "eq", "value": 1}, {"any": [{"op": "eq", "value": 1}]}]}),
                "input.condition.any.1.any.0.field",
            ),
            (
                json!({"all": [{"field": "a", "op": "in", "value": 3}]}),
                "input.condition.all.0.value",
            ),
        ];
        for (json, path) in cases {
            match Condition::compile(&json, "input.condition") {
                Err(ApiError::BadUserInput { field, .. }) => assert_eq!(field, path, "{json}"),
                other => panic!("{json}: {other:?}"),
            }
        }
    }
}
