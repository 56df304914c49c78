//! Sync plans and undo: SyncPlan, PlannedChange; syncPlan, planSync, applySyncPlan and
//! undoSyncJob (services::plans, services::undo).

use async_graphql::{Context, Json, Object, ID};
use chrono::{DateTime, Utc};
use entity::{sync_plan, sync_plan_change};
use serde_json::Value;

use super::billing::{missing, FieldObj, ServiceObj};
use super::connection::PageArgs;
use super::dictionary::FieldMappingObj;
use super::enums::PlannedAction;
use super::ids::{self, Kind};
use super::loaders::one;
use super::nodes::SourceNodeObj;
use super::rules::SyncRuleObj;
use super::sources::SourceObj;
use super::sync_jobs::SyncJobObj;
use super::ContextExt;
use crate::connection_type;
use crate::error::ApiResult;
use crate::events::JobChanged;
use crate::services::{jobs, plans, rules, undo};

pub struct SyncPlanObj(pub sync_plan::Model);
pub struct PlannedChangeObj(pub sync_plan_change::Model);

connection_type!(PlannedChangeConnection, PlannedChangeEdge, PlannedChangeObj);

#[Object(name = "SyncPlan")]
impl SyncPlanObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::SyncPlan, self.0.id)
    }
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<SourceObj> {
        let row = one(&ctx.loaders()?.source, self.0.source_id).await?;
        row.map(SourceObj).ok_or_else(|| missing("source"))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Applying checks that nothing moved since the plan was made.
    async fn plan_hash(&self) -> &str {
        &self.0.plan_hash
    }
    async fn changes(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<PlannedChangeConnection> {
        let state = ctx.state()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let page = plans::changes(&state.db, self.0.id, &args).await?;
        Ok(PlannedChangeConnection::from_page(
            &state.keys,
            page.map(PlannedChangeObj),
        ))
    }
    async fn applied_by(&self, ctx: &Context<'_>) -> ApiResult<Option<SyncJobObj>> {
        let Some(id) = self.0.applied_job_id else {
            return Ok(None);
        };
        Ok(jobs::get(&ctx.state()?.db, ctx.viewer()?, id)
            .await?
            .map(SyncJobObj))
    }
}

#[Object(name = "PlannedChange")]
impl PlannedChangeObj {
    async fn action(&self) -> PlannedAction {
        self.0.action.into()
    }
    async fn node(&self, ctx: &Context<'_>) -> ApiResult<SourceNodeObj> {
        let row = one(&ctx.loaders()?.node, self.0.node_id).await?;
        row.map(SourceNodeObj).ok_or_else(|| missing("node"))
    }
    /// Null for CREATE_SERVICE (the service does not exist yet).
    async fn service(&self, ctx: &Context<'_>) -> ApiResult<Option<ServiceObj>> {
        let Some(id) = self.0.service_id else {
            return Ok(None);
        };
        Ok(one(&ctx.loaders()?.service, id).await?.map(ServiceObj))
    }
    async fn field(&self, ctx: &Context<'_>) -> ApiResult<Option<FieldObj>> {
        let Some(id) = self.0.field_id else {
            return Ok(None);
        };
        Ok(one(&ctx.loaders()?.field, id).await?.map(FieldObj))
    }
    async fn field_mapping(&self, ctx: &Context<'_>) -> ApiResult<Option<FieldMappingObj>> {
        let Some(id) = self.0.field_mapping_id else {
            return Ok(None);
        };
        Ok(one(&ctx.loaders()?.field_mapping, id)
            .await?
            .map(FieldMappingObj))
    }
    async fn rule(&self, ctx: &Context<'_>) -> ApiResult<Option<SyncRuleObj>> {
        let Some(id) = self.0.rule_id else {
            return Ok(None);
        };
        Ok(rules::get(&ctx.state()?.db, ctx.viewer()?, id)
            .await?
            .map(SyncRuleObj))
    }
    async fn old_value(&self) -> Option<Json<Value>> {
        self.0.old_value.clone().map(Json)
    }
    /// For CREATE_SERVICE: the service to create (name, customer, service type, package).
    async fn new_value(&self) -> Option<Json<Value>> {
        let value = self.0.new_value.clone()?;
        Some(Json(match self.0.action {
            entity::enums::PlannedAction::CreateService => super::rules::ids_out(value),
            _ => value,
        }))
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
}

#[derive(Default)]
pub struct PlanQuery;

#[Object]
impl PlanQuery {
    async fn sync_plan(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<SyncPlanObj>> {
        let viewer = ctx.viewer()?;
        let Some(row) = ids::decode(Kind::SyncPlan, &id) else {
            return Ok(None);
        };
        Ok(plans::get(&ctx.state()?.db, viewer, row)
            .await?
            .map(SyncPlanObj))
    }
}

#[derive(Default)]
pub struct PlanMutation;

#[Object]
impl PlanMutation {
    /// OPERATOR. Every change the next field sync, rules and write-back would make; nothing
    /// is changed.
    async fn plan_sync(&self, ctx: &Context<'_>, source_id: ID) -> ApiResult<SyncPlanObj> {
        let id = ids::require(Kind::Source, &source_id)?;
        let plan = plans::plan_sync(&ctx.state()?.db, ctx.viewer()?, id).await?;
        Ok(SyncPlanObj(plan))
    }

    /// OPERATOR. CONFLICT when the data moved since the plan (or it was applied already).
    async fn apply_sync_plan(&self, ctx: &Context<'_>, plan_id: ID) -> ApiResult<SyncJobObj> {
        let id = ids::require(Kind::SyncPlan, &plan_id)?;
        let state = ctx.state()?;
        let (job, write_back) = plans::apply_plan(&state.db, ctx.viewer()?, id).await?;
        for j in std::iter::once(&job).chain(write_back.as_ref()) {
            state.events.job_changed(&state.db, JobChanged::of(j)).await;
        }
        Ok(SyncJobObj(job))
    }

    /// OPERATOR. CONFLICT for fields changed again since.
    async fn undo_sync_job(&self, ctx: &Context<'_>, id: ID) -> ApiResult<SyncJobObj> {
        let row = ids::require(Kind::SyncJob, &id)?;
        let state = ctx.state()?;
        let job = undo::undo_job(&state.db, ctx.viewer()?, row).await?;
        state
            .events
            .job_changed(&state.db, JobChanged::of(&job))
            .await;
        Ok(SyncJobObj(job))
    }
}
