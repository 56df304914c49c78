//! Sync rules: SyncRule, SyncRuleInput; createSyncRule, updateSyncRule, deleteSyncRule,
//! moveSyncRule; `Source.rules` resolves through `rules_of`. The ids in params
//! (`serviceTypeId`, `packageId`) are global ids in the API and row ids below it.

use async_graphql::{Context, InputObject, Json, Object, ID};
use entity::sync_rule;
use serde_json::Value;

use super::enums::RuleAction;
use super::ids::{self, Kind};
use super::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::services::rules::{self as svc, RuleInput};

pub struct SyncRuleObj(pub sync_rule::Model);

/// The params' id keys and the kinds of id they hold.
const ID_PARAMS: [(&str, Kind); 3] = [
    ("customerId", Kind::Customer),
    ("serviceTypeId", Kind::ServiceType),
    ("packageId", Kind::Package),
];

/// Params as the API shows them: row ids as global ids.
pub fn ids_out(mut params: Value) -> Value {
    if let Some(map) = params.as_object_mut() {
        for (key, kind) in ID_PARAMS {
            if let Some(id) = map.get(key).and_then(Value::as_i64) {
                map.insert(key.to_owned(), Value::String(ids::encode(kind, id).0));
            }
        }
    }
    params
}

/// Params as the service takes them: global ids as row ids (a foreign or junk id is bad input).
fn ids_in(mut params: Value) -> ApiResult<Value> {
    if let Some(map) = params.as_object_mut() {
        for (key, kind) in ID_PARAMS {
            match map.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::String(gid)) => {
                    let row = ids::parse_arg(kind, gid, &format!("input.params.{key}"))?;
                    map.insert(key.to_owned(), Value::from(row));
                }
                Some(_) => {
                    return Err(ApiError::bad_input(
                        format!("input.params.{key}"),
                        format!("not a {} id", kind.noun()),
                    ))
                }
            }
        }
    }
    Ok(params)
}

#[Object(name = "SyncRule")]
impl SyncRuleObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::SyncRule, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 1 for the first rule of its source.
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn enabled(&self) -> bool {
        self.0.enabled
    }
    async fn node_type(&self) -> Option<&str> {
        self.0.node_type.as_deref()
    }
    async fn condition(&self) -> Json<Value> {
        Json(self.0.condition.clone())
    }
    async fn action(&self) -> RuleAction {
        self.0.action.into()
    }
    async fn params(&self) -> Json<Value> {
        Json(ids_out(self.0.params.clone()))
    }
    /// Nodes the rule matched when the rules last ran (after the last import).
    async fn matched_last_run(&self) -> i32 {
        i32::try_from(self.0.matched_last_run).unwrap_or(i32::MAX)
    }
}

#[derive(InputObject)]
pub struct SyncRuleInput {
    name: String,
    enabled: Option<bool>,
    node_type: Option<String>,
    condition: Json<Value>,
    action: RuleAction,
    params: Option<Json<Value>>,
}

impl SyncRuleInput {
    fn into_service(self) -> ApiResult<RuleInput> {
        Ok(RuleInput {
            name: self.name,
            enabled: self.enabled,
            node_type: self.node_type,
            condition: self.condition.0,
            action: self.action.into(),
            params: self.params.map(|p| ids_in(p.0)).transpose()?,
        })
    }
}

/// `Source.rules`, in order.
pub async fn rules_of(ctx: &Context<'_>, source_id: i64) -> ApiResult<Vec<SyncRuleObj>> {
    let rows = svc::list(&ctx.state()?.db, ctx.viewer()?, source_id).await?;
    Ok(rows.into_iter().map(SyncRuleObj).collect())
}

#[derive(Default)]
pub struct RuleMutation;

#[Object]
impl RuleMutation {
    /// OPERATOR. Placed after the source's other rules.
    async fn create_sync_rule(
        &self,
        ctx: &Context<'_>,
        source_id: ID,
        input: SyncRuleInput,
    ) -> ApiResult<SyncRuleObj> {
        let viewer = ctx.require(entity::enums::Role::Operator)?;
        let source = ids::require(Kind::Source, &source_id)?;
        let rule = svc::create(&ctx.state()?.db, viewer, source, input.into_service()?).await?;
        Ok(SyncRuleObj(rule))
    }

    /// OPERATOR. Replaces the rule's name, switch, node type, condition, action and params.
    async fn update_sync_rule(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: SyncRuleInput,
    ) -> ApiResult<SyncRuleObj> {
        let viewer = ctx.require(entity::enums::Role::Operator)?;
        let row = ids::require(Kind::SyncRule, &id)?;
        let rule = svc::update(&ctx.state()?.db, viewer, row, input.into_service()?).await?;
        Ok(SyncRuleObj(rule))
    }

    /// OPERATOR.
    async fn delete_sync_rule(&self, ctx: &Context<'_>, id: ID) -> ApiResult<ID> {
        let row = ids::require(Kind::SyncRule, &id)?;
        let deleted = svc::delete(&ctx.state()?.db, ctx.viewer()?, row).await?;
        Ok(ids::encode(Kind::SyncRule, deleted))
    }

    /// OPERATOR. `position` 1 is first; the source's rules in their new order.
    async fn move_sync_rule(
        &self,
        ctx: &Context<'_>,
        id: ID,
        position: i32,
    ) -> ApiResult<Vec<SyncRuleObj>> {
        let row = ids::require(Kind::SyncRule, &id)?;
        let rules = svc::move_to(&ctx.state()?.db, ctx.viewer()?, row, position).await?;
        Ok(rules.into_iter().map(SyncRuleObj).collect())
    }
}
