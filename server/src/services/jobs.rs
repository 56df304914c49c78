//! Reading sync jobs and their logs: a source's history, the organization's queue, one job.
//! Jobs are written by the sync engine; everything here is scoped to the caller's organization.

use entity::enums::{LogLevel, SyncJobStatus};
use entity::prelude::*;
use entity::{sync_job, sync_log};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::auth::Viewer;
use crate::error::ApiResult;
use crate::graphql::connection::{Page, PageArgs};

/// Jobs, newest first, optionally of one source and one status.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source_id: Option<i64>,
    status: Option<SyncJobStatus>,
    args: &PageArgs,
) -> ApiResult<Page<sync_job::Model>> {
    let mut base = SyncJob::find().filter(sync_job::Column::OrganizationId.eq(viewer.org_id));
    if let Some(s) = source_id {
        base = base.filter(sync_job::Column::SourceId.eq(s));
    }
    if let Some(st) = status {
        base = base.filter(sync_job::Column::Status.eq(st));
    }
    let total = base.clone().count(db).await?;
    let mut query = base
        .order_by_desc(sync_job::Column::Id)
        .limit(args.first + 1);
    if let Some(after) = args.after_i64(0) {
        query = query.filter(sync_job::Column::Id.lt(after));
    }
    let rows = query.all(db).await?;
    Ok(Page::from_rows(rows, args, total, |j| vec![json!(j.id)]))
}

pub async fn get(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<Option<sync_job::Model>> {
    Ok(SyncJob::find_by_id(id)
        .filter(sync_job::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?)
}

/// The newest job of a source.
pub async fn last_of_source(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source_id: i64,
) -> ApiResult<Option<sync_job::Model>> {
    Ok(SyncJob::find()
        .filter(sync_job::Column::OrganizationId.eq(viewer.org_id))
        .filter(sync_job::Column::SourceId.eq(source_id))
        .order_by_desc(sync_job::Column::Id)
        .one(db)
        .await?)
}

/// A job's log in order, at `level` or above when given.
pub async fn logs(
    db: &impl ConnectionTrait,
    job_id: i64,
    level: Option<LogLevel>,
    args: &PageArgs,
) -> ApiResult<Page<sync_log::Model>> {
    let mut base = SyncLog::find().filter(sync_log::Column::JobId.eq(job_id));
    if let Some(level) = level {
        base = base.filter(sync_log::Column::Level.is_in(levels_from(level)));
    }
    let total = base.clone().count(db).await?;
    let mut query = base
        .order_by_asc(sync_log::Column::Id)
        .limit(args.first + 1);
    if let Some(after) = args.after_i64(0) {
        query = query.filter(sync_log::Column::Id.gt(after));
    }
    let rows = query.all(db).await?;
    Ok(Page::from_rows(rows, args, total, |l| vec![json!(l.id)]))
}

fn levels_from(min: LogLevel) -> Vec<LogLevel> {
    let all = [
        LogLevel::Debug,
        LogLevel::Info,
        LogLevel::Warn,
        LogLevel::Error,
    ];
    let start = all.iter().position(|l| *l == min).unwrap_or(0);
    all[start..].to_vec()
}
