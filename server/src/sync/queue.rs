//! Sync jobs in the database: queue (a second `forceSync` gets the queued job), cancel, claim
//! under a lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one atomic UPDATE under its
//! single writer), heartbeat, finish. An expired lease makes a running job claimable again,
//! so a killed process's job is resumed by another worker.

use chrono::{DateTime, Duration, Utc};
use entity::enums::{Role, SourceStatus, SyncJobKind, SyncJobStatus, SyncTrigger};
use entity::prelude::*;
use entity::{source, sync_job};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, Set, Statement,
};
use serde_json::json;

use crate::auth::Viewer;
use crate::error::{is_unique_violation, ApiError, ApiResult};
use crate::services::sources;

/// A job that has ended (no further change but undo).
pub fn is_finished(status: SyncJobStatus) -> bool {
    matches!(
        status,
        SyncJobStatus::Succeeded
            | SyncJobStatus::Partial
            | SyncJobStatus::Failed
            | SyncJobStatus::Cancelled
    )
}

/// `forceSync`: an import queued at once, or the import already queued for this source.
pub async fn force(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source_id: i64,
) -> ApiResult<sync_job::Model> {
    viewer.require(Role::Operator)?;
    let source = sources::get(db, viewer, source_id)
        .await?
        .ok_or_else(|| ApiError::not_found("source"))?;
    if source.deleted_at.is_some() {
        return Err(ApiError::conflict("this source is deleted"));
    }
    if source.status == SourceStatus::Paused {
        return Err(ApiError::conflict(
            "this source is paused; resume it to sync",
        ));
    }
    // The partial unique index allows one queued import per source: whoever loses the insert
    // race returns the winner's job. A loop, because the winner may be claimed in between.
    enqueue(db, &source, SyncJobKind::Import, Some(viewer)).await
}

/// A job of `kind` queued at once (trigger FORCE), or the one of that kind already queued for
/// the source. The partial unique index allows one queued job per source and kind: whoever
/// loses the insert race returns the winner's job. A loop, because the winner may be claimed
/// in between.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    source: &source::Model,
    kind: SyncJobKind,
    requested_by: Option<&Viewer>,
) -> ApiResult<sync_job::Model> {
    for _ in 0..3 {
        if let Some(job) = queued(db, source.id, kind).await? {
            return Ok(job);
        }
        match insert(db, source, kind, SyncTrigger::Force, None, requested_by).await {
            Ok(job) => return Ok(job),
            Err(err) if is_unique_violation(&err) => continue,
            Err(err) => return Err(err.into()),
        }
    }
    Err(ApiError::conflict(
        "the source's queue is changing too fast; try again",
    ))
}

/// A new queued job (also used by the scheduler, with the run it serves).
pub async fn insert(
    db: &impl ConnectionTrait,
    source: &source::Model,
    kind: SyncJobKind,
    trigger: SyncTrigger,
    scheduled_for: Option<DateTime<Utc>>,
    requested_by: Option<&Viewer>,
) -> Result<sync_job::Model, DbErr> {
    sync_job::ActiveModel {
        organization_id: Set(source.organization_id),
        source_id: Set(source.id),
        kind: Set(kind),
        trigger: Set(trigger),
        status: Set(SyncJobStatus::Queued),
        queued_at: Set(Utc::now()),
        attempts: Set(0),
        progress_done: Set(0),
        stats: Set(json!({"created": 0, "updated": 0, "deleted": 0, "unchanged": 0, "skipped": 0, "failed": 0})),
        coverage: Set(json!([])),
        cancel_requested: Set(false),
        scheduled_for: Set(scheduled_for),
        requested_by_user_id: Set(requested_by.and_then(|v| v.user_id)),
        requested_by_token_id: Set(requested_by.and_then(|v| v.token_id)),
        ..Default::default()
    }
    .insert(db)
    .await
}

async fn queued(
    db: &impl ConnectionTrait,
    source_id: i64,
    kind: SyncJobKind,
) -> Result<Option<sync_job::Model>, DbErr> {
    SyncJob::find()
        .filter(sync_job::Column::SourceId.eq(source_id))
        .filter(sync_job::Column::Kind.eq(kind))
        .filter(sync_job::Column::Status.eq(SyncJobStatus::Queued))
        .order_by_asc(sync_job::Column::Id)
        .one(db)
        .await
}

/// `cancelSyncJob`: a queued job ends CANCELLED at once; a running one is asked to stop and
/// its worker ends it CANCELLED at its next step; a finished one is a CONFLICT.
pub async fn cancel(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    job_id: i64,
) -> ApiResult<sync_job::Model> {
    viewer.require(Role::Operator)?;
    let job = SyncJob::find_by_id(job_id)
        .filter(sync_job::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("sync job"))?;
    if is_finished(job.status) {
        return Err(ApiError::conflict("this job has already finished"));
    }
    let now = Utc::now();
    // Conditional updates: a worker may claim the job between the read and the write.
    let cancelled = SyncJob::update_many()
        .col_expr(
            sync_job::Column::Status,
            sea_orm::sea_query::Expr::value(SyncJobStatus::Cancelled),
        )
        .col_expr(
            sync_job::Column::FinishedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(sync_job::Column::Id.eq(job.id))
        .filter(sync_job::Column::Status.eq(SyncJobStatus::Queued))
        .exec(db)
        .await?;
    if cancelled.rows_affected == 0 {
        SyncJob::update_many()
            .col_expr(
                sync_job::Column::CancelRequested,
                sea_orm::sea_query::Expr::value(true),
            )
            .filter(sync_job::Column::Id.eq(job.id))
            .filter(sync_job::Column::Status.eq(SyncJobStatus::Running))
            .exec(db)
            .await?;
    }
    Ok(SyncJob::find_by_id(job.id).one(db).await?.unwrap_or(job))
}

/// Claims the oldest runnable job for `worker`: queued, or running under an expired lease
/// (its worker died). Jobs of paused or deleted sources wait; one source runs one job at a time.
pub async fn claim(
    db: &impl ConnectionTrait,
    worker: &str,
    lease: Duration,
) -> Result<Option<sync_job::Model>, DbErr> {
    let backend = db.get_database_backend();
    let lock = if backend == DbBackend::Postgres {
        "FOR UPDATE OF j SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE sync_jobs SET status = 'running', lease_owner = $1, lease_expires_at = $2, \
         started_at = COALESCE(started_at, $3), attempts = attempts + 1 \
         WHERE id = (SELECT j.id FROM sync_jobs j JOIN sources s ON s.id = j.source_id \
           WHERE (j.status = 'queued' OR (j.status = 'running' AND j.lease_expires_at < $3)) \
             AND s.status = 'active' AND s.deleted_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM sync_jobs r WHERE r.source_id = j.source_id \
               AND r.status = 'running' AND r.lease_expires_at >= $3 AND r.id <> j.id) \
           ORDER BY j.queued_at, j.id LIMIT 1 {lock}) \
         RETURNING *"
    );
    let now = Utc::now();
    let values = vec![worker.into(), (now + lease).into(), now.into()];
    let row = db.query_one_raw(statement(backend, &sql, values)).await?;
    row.map(|r| sync_job::Model::from_query_result(&r, ""))
        .transpose()
}

/// What a heartbeat learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lease {
    Held,
    /// Another worker took the job over (this one was presumed dead): stop without writing.
    Lost,
    /// Someone asked to cancel: stop and end the job CANCELLED.
    CancelRequested,
}

/// Extends `worker`'s lease on a running job.
pub async fn heartbeat(
    db: &impl ConnectionTrait,
    job_id: i64,
    worker: &str,
    lease: Duration,
) -> Result<Lease, DbErr> {
    let until = Utc::now() + lease;
    let updated = SyncJob::update_many()
        .col_expr(
            sync_job::Column::LeaseExpiresAt,
            sea_orm::sea_query::Expr::value(until),
        )
        .filter(sync_job::Column::Id.eq(job_id))
        .filter(sync_job::Column::LeaseOwner.eq(worker))
        .filter(sync_job::Column::Status.eq(SyncJobStatus::Running))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(Lease::Lost);
    }
    let job = SyncJob::find_by_id(job_id).one(db).await?;
    Ok(if job.is_some_and(|j| j.cancel_requested) {
        Lease::CancelRequested
    } else {
        Lease::Held
    })
}

/// Ends a job `worker` holds; false when the lease was lost (the new holder decides).
pub async fn finish(
    db: &impl ConnectionTrait,
    job_id: i64,
    worker: &str,
    status: SyncJobStatus,
    error: Option<String>,
) -> Result<bool, DbErr> {
    let updated = SyncJob::update_many()
        .col_expr(
            sync_job::Column::Status,
            sea_orm::sea_query::Expr::value(status),
        )
        .col_expr(
            sync_job::Column::FinishedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .col_expr(
            sync_job::Column::Error,
            sea_orm::sea_query::Expr::value(error),
        )
        .col_expr(
            sync_job::Column::LeaseOwner,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .col_expr(
            sync_job::Column::LeaseExpiresAt,
            sea_orm::sea_query::Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(sync_job::Column::Id.eq(job_id))
        .filter(sync_job::Column::LeaseOwner.eq(worker))
        .filter(sync_job::Column::Status.eq(SyncJobStatus::Running))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// `$n` placeholders as each backend numbers them (SQLite: `?n`).
fn statement(backend: DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        sql.to_owned()
    } else {
        sql.replace('$', "?")
    };
    Statement::from_sql_and_values(backend, sql, values)
}
