//! Sync rules (PieSync's if/then rules), per source and in order: createSyncRule, updateSyncRule,
//! deleteSyncRule, moveSyncRule and `Source.rules`. A rule is a condition over node fields
//! (`condition`), optionally a node type, and an action with its params:
//!
//! - SKIP: matching nodes are left out of the import (counted as skipped, and an earlier
//!   import's node is marked deleted after the complete pass) and of the field sync;
//! - AUTO_LINK `{minScore}` (default 0.5): an unlinked node is linked to its top
//!   recommendation when it scores at least that;
//! - CREATE_SERVICE `{serviceTypeId, packageId?}`: an unlinked node gets a new service of that
//!   type for the customer whose service its nearest linked ancestor is linked to;
//! - SET_FIELD `{fieldKey, value}`: the linked service's field is set to the value.
//!
//! Rules run after each import (`after_import`) or wait in a plan (services::plans). Positions
//! are 1, 2, 3 … without gaps. Params ids are row ids here (the API layer translates them).

pub mod after_import;
mod check;
pub mod compiled;
pub mod condition;

use chrono::Utc;
use entity::enums::{Role, RuleAction};
use entity::prelude::*;
use entity::sync_rule;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde_json::Value;

pub use compiled::{Action, Rule, RuleSet};
pub use condition::{Condition, NodeView};

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};

/// `SyncRuleInput`, with `serviceTypeId` / `packageId` in params already row ids.
#[derive(Debug, Clone)]
pub struct RuleInput {
    pub name: String,
    pub enabled: Option<bool>,
    pub node_type: Option<String>,
    pub condition: Value,
    pub action: RuleAction,
    pub params: Option<Value>,
}

/// The rules of a source, in order.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source_id: i64,
) -> ApiResult<Vec<sync_rule::Model>> {
    Ok(SyncRule::find()
        .filter(sync_rule::Column::OrganizationId.eq(viewer.org_id))
        .filter(sync_rule::Column::SourceId.eq(source_id))
        .order_by_asc(sync_rule::Column::Position)
        .order_by_asc(sync_rule::Column::Id)
        .all(db)
        .await?)
}

pub async fn get(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<Option<sync_rule::Model>> {
    Ok(SyncRule::find_by_id(id)
        .filter(sync_rule::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?)
}

/// `createSyncRule`: a rule checked whole (BAD_USER_INPUT naming the part), placed last.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    source_id: i64,
    input: RuleInput,
) -> ApiResult<sync_rule::Model> {
    viewer.require(Role::Operator)?;
    let txn = crate::db::begin_write(db).await?;
    let src = crate::services::sources::get(&txn, viewer, source_id)
        .await?
        .filter(|s| s.deleted_at.is_none())
        .ok_or_else(|| ApiError::not_found("source"))?;
    let checked = check::check(&txn, viewer, &src, &input).await?;
    let count = list(&txn, viewer, src.id).await?.len() as i32;
    let now = Utc::now();
    let row = sync_rule::ActiveModel {
        organization_id: Set(viewer.org_id),
        source_id: Set(src.id),
        name: Set(checked.name),
        position: Set(count + 1),
        enabled: Set(input.enabled.unwrap_or(true)),
        node_type: Set(checked.node_type),
        condition: Set(input.condition),
        action: Set(input.action),
        params: Set(checked.params),
        matched_last_run: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// `updateSyncRule`: replaces everything the input names (position and counts stay).
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    id: i64,
    input: RuleInput,
) -> ApiResult<sync_rule::Model> {
    viewer.require(Role::Operator)?;
    let txn = crate::db::begin_write(db).await?;
    let rule = get(&txn, viewer, id)
        .await?
        .ok_or_else(|| ApiError::not_found("sync rule"))?;
    let src = crate::services::sources::get(&txn, viewer, rule.source_id)
        .await?
        .ok_or_else(|| ApiError::not_found("sync rule"))?;
    let checked = check::check(&txn, viewer, &src, &input).await?;
    let mut active: sync_rule::ActiveModel = rule.into();
    active.name = Set(checked.name);
    active.enabled = Set(input.enabled.unwrap_or(true));
    active.node_type = Set(checked.node_type);
    active.condition = Set(input.condition);
    active.action = Set(input.action);
    active.params = Set(checked.params);
    active.updated_at = Set(Utc::now());
    let row = active.update(&txn).await?;
    txn.commit().await?;
    Ok(row)
}

/// `deleteSyncRule`: the rules after it move up one place.
pub async fn delete(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    id: i64,
) -> ApiResult<i64> {
    viewer.require(Role::Operator)?;
    let txn = crate::db::begin_write(db).await?;
    let rule = get(&txn, viewer, id)
        .await?
        .ok_or_else(|| ApiError::not_found("sync rule"))?;
    SyncRule::delete_by_id(rule.id).exec(&txn).await?;
    renumber(&txn, viewer, rule.source_id, None).await?;
    txn.commit().await?;
    Ok(rule.id)
}

/// `moveSyncRule`: the rule takes `position` (1 = first) and the others close up around it.
/// Returns the source's rules in their new order.
pub async fn move_to(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    id: i64,
    position: i32,
) -> ApiResult<Vec<sync_rule::Model>> {
    viewer.require(Role::Operator)?;
    let txn = crate::db::begin_write(db).await?;
    let rule = get(&txn, viewer, id)
        .await?
        .ok_or_else(|| ApiError::not_found("sync rule"))?;
    let count = list(&txn, viewer, rule.source_id).await?.len() as i32;
    if position < 1 || position > count {
        return Err(ApiError::bad_input(
            "position",
            format!("a position from 1 to {count}"),
        ));
    }
    renumber(&txn, viewer, rule.source_id, Some((rule.id, position))).await?;
    let rules = list(&txn, viewer, rule.source_id).await?;
    txn.commit().await?;
    Ok(rules)
}

/// Numbers the source's rules 1, 2, 3 … in their order, `moved` (rule id, position) placed.
async fn renumber(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    source_id: i64,
    moved: Option<(i64, i32)>,
) -> ApiResult<()> {
    let mut order: Vec<i64> = list(txn, viewer, source_id)
        .await?
        .into_iter()
        .map(|r| r.id)
        .filter(|id| moved.is_none_or(|(m, _)| m != *id))
        .collect();
    if let Some((id, position)) = moved {
        let at = (position as usize - 1).min(order.len());
        order.insert(at, id);
    }
    for (i, id) in order.iter().enumerate() {
        SyncRule::update_many()
            .col_expr(sync_rule::Column::Position, Expr::value(i as i32 + 1))
            .filter(sync_rule::Column::Id.eq(*id))
            .exec(txn)
            .await?;
    }
    Ok(())
}
