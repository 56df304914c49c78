//! Sync plans: `planSync` computes every change the next field sync, the rules and the
//! write-back would make (`compute`), without changing anything, and stores them with a
//! `planHash`; `applySyncPlan` computes them again in its write transaction and, when the hash
//! is the same (nothing the plan depends on moved), writes exactly those changes as a
//! FIELD_SYNC job (`write`), else answers CONFLICT and writes nothing. The hash covers every
//! change's action, node, service, field, mapping, rule and values, so equal hashes mean the
//! same changes.

pub mod compute;
mod rule_links;
pub mod write;

use chrono::Utc;
use entity::enums::{LogLevel, PlannedAction, Role, SyncJobKind, SyncJobStatus, SyncTrigger};
use entity::prelude::*;
use entity::{source, sync_job, sync_log, sync_plan, sync_plan_change};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub use compute::{compute, Planned, Scope};

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{Page, PageArgs};
use crate::services::rules::RuleSet;

/// Plan rows inserted per statement.
const CHUNK: usize = 500;

/// `planSync`: computes and stores the source's plan. Nothing else is written.
pub async fn plan_sync(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    source_id: i64,
) -> ApiResult<sync_plan::Model> {
    viewer.require(Role::Operator)?;
    let src = live_source(db, viewer, source_id).await?;
    let rules = RuleSet::load(db, src.id).await?;
    let computed = compute(db, viewer, &src, Scope::ALL, &rules).await?;
    let txn = crate::db::begin_write(db).await?;
    let plan = sync_plan::ActiveModel {
        organization_id: Set(viewer.org_id),
        source_id: Set(src.id),
        created_at: Set(Utc::now()),
        plan_hash: Set(hash(&computed.changes)),
        created_by_user_id: Set(viewer.user_id),
        created_by_token_id: Set(viewer.token_id),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let rows: Vec<sync_plan_change::ActiveModel> = computed
        .changes
        .into_iter()
        .enumerate()
        .map(|(i, c)| sync_plan_change::ActiveModel {
            plan_id: Set(plan.id),
            position: Set(i as i32),
            action: Set(c.action),
            node_id: Set(c.node_id),
            service_id: Set(c.service_id),
            field_id: Set(c.field_id),
            field_mapping_id: Set(c.field_mapping_id),
            rule_id: Set(c.rule_id),
            old_value: Set(c.old),
            new_value: Set(c.new),
            reason: Set(c.reason),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        SyncPlanChange::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(plan)
}

/// `applySyncPlan`: the plan's changes as one FIELD_SYNC job (SUCCEEDED when it returns), or
/// CONFLICT when the plan was applied already or anything it depends on moved since. A plan
/// with write-backs queues the WRITE_BACK job that writes them (returned second).
pub async fn apply_plan(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    plan_id: i64,
) -> ApiResult<(sync_job::Model, Option<sync_job::Model>)> {
    viewer.require(Role::Operator)?;
    let txn = crate::db::begin_serializable(db).await?;
    let plan = get(&txn, viewer, plan_id)
        .await?
        .ok_or_else(|| ApiError::not_found("sync plan"))?;
    if plan.applied_job_id.is_some() {
        return Err(ApiError::conflict("this plan has been applied already"));
    }
    let src = live_source(&txn, viewer, plan.source_id).await?;
    let rules = RuleSet::load(&txn, src.id).await?;
    let computed = compute(&txn, viewer, &src, Scope::ALL, &rules).await?;
    if hash(&computed.changes) != plan.plan_hash {
        return Err(ApiError::conflict(
            "the source's data, links, services, mappings or rules changed since this plan \
             was made; make a new plan",
        ));
    }
    let job = finished_job(&txn, &src, SyncJobKind::FieldSync, viewer, |j| {
        j.plan_id = Set(Some(plan.id));
    })
    .await?;
    let done = write::write(
        &txn,
        &src,
        viewer,
        job.id,
        &computed.changes,
        &computed.summaries,
    )
    .await?;
    let stats = json!({"created": done.services, "updated": done.fields + done.links,
        "deleted": 0, "unchanged": 0, "skipped": 0, "failed": 0});
    let summary = format!(
        "plan applied: {} field values, {} links, {} new services; {} values to write back",
        done.fields, done.links, done.services, done.write_backs
    );
    let job = finish_job(&txn, job, stats, &summary).await?;
    SyncPlan::update_many()
        .col_expr(sync_plan::Column::AppliedJobId, Expr::value(Some(job.id)))
        .filter(sync_plan::Column::Id.eq(plan.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    let write_back = if done.write_backs > 0 {
        Some(crate::sync::queue::enqueue(db, &src, SyncJobKind::WriteBack, Some(viewer)).await?)
    } else {
        None
    };
    Ok((job, write_back))
}

pub async fn get(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<Option<sync_plan::Model>> {
    Ok(SyncPlan::find_by_id(id)
        .filter(sync_plan::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?)
}

/// A page of a plan's changes, in order.
pub async fn changes(
    db: &impl ConnectionTrait,
    plan_id: i64,
    args: &PageArgs,
) -> ApiResult<Page<sync_plan_change::Model>> {
    let base = SyncPlanChange::find().filter(sync_plan_change::Column::PlanId.eq(plan_id));
    let total = base.clone().count(db).await?;
    let mut query = base
        .order_by_asc(sync_plan_change::Column::Position)
        .limit(args.first + 1);
    if let Some(after) = args.after_i64(0) {
        query = query.filter(sync_plan_change::Column::Position.gt(after));
    }
    let rows = query.all(db).await?;
    Ok(Page::from_rows(rows, args, total, |c| {
        vec![json!(c.position)]
    }))
}

/// The hash of a list of changes: equal hashes, equal changes (reasons aside).
pub fn hash(changes: &[Planned]) -> String {
    let mut h = Sha256::new();
    for c in changes {
        let action = match c.action {
            PlannedAction::UpdateServiceField => "u",
            PlannedAction::WriteBack => "w",
            PlannedAction::Link => "l",
            PlannedAction::CreateService => "c",
        };
        let row = json!([
            action,
            c.node_id,
            c.service_id,
            c.field_id,
            c.field_mapping_id,
            c.rule_id,
            c.old,
            c.new
        ]);
        h.update(row.to_string().as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

async fn live_source(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source_id: i64,
) -> ApiResult<source::Model> {
    let src = crate::services::sources::get(db, viewer, source_id)
        .await?
        .ok_or_else(|| ApiError::not_found("source"))?;
    if src.deleted_at.is_some() {
        return Err(ApiError::conflict("this source is deleted"));
    }
    Ok(src)
}

/// A job written as running by a mutation that does its work in the same transaction (plans
/// and undo): it never enters the queue.
pub(crate) async fn finished_job(
    txn: &impl ConnectionTrait,
    src: &source::Model,
    kind: SyncJobKind,
    viewer: &Viewer,
    adjust: impl FnOnce(&mut sync_job::ActiveModel),
) -> ApiResult<sync_job::Model> {
    let now = Utc::now();
    let mut job = sync_job::ActiveModel {
        organization_id: Set(src.organization_id),
        source_id: Set(src.id),
        kind: Set(kind),
        trigger: Set(SyncTrigger::Force),
        status: Set(SyncJobStatus::Running),
        queued_at: Set(now),
        started_at: Set(Some(now)),
        attempts: Set(1),
        progress_done: Set(0),
        stats: Set(json!({})),
        coverage: Set(json!([])),
        cancel_requested: Set(false),
        requested_by_user_id: Set(viewer.user_id),
        requested_by_token_id: Set(viewer.token_id),
        ..Default::default()
    };
    adjust(&mut job);
    Ok(job.insert(txn).await?)
}

/// Ends such a job SUCCEEDED with its stats and one log line.
pub(crate) async fn finish_job(
    txn: &impl ConnectionTrait,
    job: sync_job::Model,
    stats: Value,
    summary: &str,
) -> ApiResult<sync_job::Model> {
    sync_log::ActiveModel {
        job_id: Set(job.id),
        at: Set(Utc::now()),
        level: Set(LogLevel::Info),
        message: Set(summary.to_owned()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut active: sync_job::ActiveModel = job.into();
    active.status = Set(SyncJobStatus::Succeeded);
    active.finished_at = Set(Some(Utc::now()));
    active.stats = Set(stats);
    Ok(active.update(txn).await?)
}
