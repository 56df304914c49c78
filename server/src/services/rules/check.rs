//! Checking a rule input before anything is written: its name, node type (one of the
//! provider's), condition (compiled, errors naming the part) and the params of its action.

use entity::enums::RuleAction;
use entity::source;
use sea_orm::ConnectionTrait;
use serde_json::{json, Map, Value};

use super::{Condition, RuleInput};
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};

pub(super) struct Checked {
    pub(super) name: String,
    pub(super) node_type: Option<String>,
    pub(super) params: Value,
}

/// Every part of a rule input, checked before anything is written.
pub(super) async fn check(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    src: &source::Model,
    input: &RuleInput,
) -> ApiResult<Checked> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(ApiError::bad_input("input.name", "a rule needs a name"));
    }
    let node_type = match input.node_type.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => {
            let spec = crate::providers::spec(src.provider);
            if spec.node_type(t).is_none() {
                return Err(ApiError::bad_input(
                    "input.nodeType",
                    format!("{} has no node type {t}", spec.label),
                ));
            }
            Some(t.to_owned())
        }
    };
    Condition::compile(&input.condition, "input.condition")?;
    let params = match &input.params {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(ApiError::bad_input("input.params", "params are an object")),
    };
    let params = check_params(db, viewer, input.action, params).await?;
    Ok(Checked {
        name: name.to_owned(),
        node_type,
        params,
    })
}

async fn check_params(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    action: RuleAction,
    p: Map<String, Value>,
) -> ApiResult<Value> {
    let bad =
        |key: &str, message: &str| ApiError::bad_input(format!("input.params.{key}"), message);
    Ok(match action {
        RuleAction::Skip => json!({}),
        RuleAction::AutoLink => {
            let min = match p.get("minScore") {
                None | Some(Value::Null) => 0.5,
                Some(v) => v
                    .as_f64()
                    .filter(|s| (0.0..=1.0).contains(s))
                    .ok_or_else(|| bad("minScore", "a score from 0 to 1"))?,
            };
            json!({ "minScore": min })
        }
        RuleAction::CreateService => {
            let type_id = p
                .get("serviceTypeId")
                .and_then(Value::as_i64)
                .ok_or_else(|| bad("serviceTypeId", "the service type to create"))?;
            let st = crate::services::billing::service_type(db, viewer, type_id)
                .await?
                .ok_or_else(|| bad("serviceTypeId", "not a service type of yours"))?;
            let package = match p.get("packageId") {
                None | Some(Value::Null) => None,
                Some(v) => {
                    let id = v
                        .as_i64()
                        .ok_or_else(|| bad("packageId", "not a package id"))?;
                    let pkg = crate::services::billing::package(db, viewer, id)
                        .await?
                        .ok_or_else(|| bad("packageId", "not a package of yours"))?;
                    if pkg.service_type_id.is_some_and(|t| t != st.id) {
                        return Err(bad("packageId", "this package is for another service type"));
                    }
                    Some(pkg.id)
                }
            };
            json!({ "serviceTypeId": st.id, "packageId": package })
        }
        RuleAction::SetField => {
            let key = p
                .get("fieldKey")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .ok_or_else(|| bad("fieldKey", "the service field to set"))?;
            let Some(value) = p.get("value") else {
                return Err(bad("value", "the value to set (null clears the field)"));
            };
            json!({ "fieldKey": key, "value": value })
        }
    })
}
