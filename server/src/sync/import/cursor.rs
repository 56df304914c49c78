//! Where the next pass of a source may start (`Pass::cursor`, e.g. ConnectWise's high-water
//! marks): stored in the `checkpoint` of the import job whose complete pass returned it, and
//! read back from the source's latest succeeded import. A pass that is not complete leaves the
//! cursor where it was, so the next pass looks as far back again.

use chrono::{DateTime, Utc};
use entity::enums::{SyncJobKind, SyncJobStatus};
use entity::prelude::*;
use entity::sync_job;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;

/// The cursor the source's latest succeeded import left, if any, and when that pass started.
pub async fn load(
    db: &impl ConnectionTrait,
    source_id: i64,
) -> anyhow::Result<Option<(Value, Option<DateTime<Utc>>)>> {
    let cursor: Option<(Option<Value>, Option<DateTime<Utc>>)> = SyncJob::find()
        .select_only()
        .column(sync_job::Column::Checkpoint)
        .column(sync_job::Column::StartedAt)
        .filter(sync_job::Column::SourceId.eq(source_id))
        .filter(sync_job::Column::Kind.eq(SyncJobKind::Import))
        .filter(sync_job::Column::Status.eq(SyncJobStatus::Succeeded))
        .filter(sync_job::Column::Checkpoint.is_not_null())
        .order_by_desc(sync_job::Column::Id)
        .into_tuple()
        .one(db)
        .await?;
    Ok(cursor.and_then(|(value, started)| Some((value?, started))))
}

/// Keeps `cursor` with `job`, whose pass was complete.
pub async fn save(db: &impl ConnectionTrait, job_id: i64, cursor: Value) -> anyhow::Result<()> {
    SyncJob::update_many()
        .col_expr(sync_job::Column::Checkpoint, Expr::value(Some(cursor)))
        .filter(sync_job::Column::Id.eq(job_id))
        .exec(db)
        .await?;
    Ok(())
}
