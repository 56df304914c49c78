//! `activity(sourceId, days)`: what the sync did per day (UTC), from the jobs that finished that
//! day — the data of an activity chart. Nodes created / updated / deleted are the imports'
//! counts; fields synced are the service values jobs changed with origin SYNC or RULE (field
//! syncs after imports, applied plans, rules); written back are the WRITE_BACK jobs' written
//! values; failures are the jobs' failed records plus one per job that ended FAILED. Every day
//! of the window is listed, oldest first, with zeros where nothing happened.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Utc};
use entity::enums::{ChangeOrigin, SyncJobKind, SyncJobStatus};
use entity::prelude::*;
use entity::{field_change, sync_job};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::Value;

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};

/// Days shown when the caller does not say, and at most.
pub const DEFAULT_DAYS: i32 = 30;
pub const MAX_DAYS: i32 = 366;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub nodes_created: i64,
    pub nodes_updated: i64,
    pub nodes_deleted: i64,
    pub fields_synced: i64,
    pub written_back: i64,
    pub failures: i64,
}

pub async fn days(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source_id: Option<i64>,
    days: Option<i32>,
) -> ApiResult<Vec<Day>> {
    let days = days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(ApiError::bad_input(
            "days",
            format!("from 1 to {MAX_DAYS} days"),
        ));
    }
    let today = Utc::now().date_naive();
    let first = today - Duration::days(i64::from(days) - 1);
    let mut out: Vec<Day> = (0..days)
        .map(|i| Day {
            date: first + Duration::days(i64::from(i)),
            ..Day::default()
        })
        .collect();
    if let Some(id) = source_id {
        if crate::services::sources::get(db, viewer, id)
            .await?
            .is_none()
        {
            return Ok(out);
        }
    }
    let start = first.and_time(chrono::NaiveTime::MIN).and_utc();
    let mut query = SyncJob::find()
        .filter(sync_job::Column::OrganizationId.eq(viewer.org_id))
        .filter(sync_job::Column::FinishedAt.gte(start));
    if let Some(id) = source_id {
        query = query.filter(sync_job::Column::SourceId.eq(id));
    }
    let jobs = query.all(db).await?;
    let mut synced: HashMap<i64, i64> = HashMap::new();
    let ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
    for chunk in ids.chunks(500) {
        let counts: Vec<(Option<i64>, i64)> = FieldChange::find()
            .select_only()
            .column(field_change::Column::JobId)
            .column_as(field_change::Column::Id.count(), "n")
            .filter(field_change::Column::JobId.is_in(chunk.iter().copied()))
            .filter(field_change::Column::Origin.is_in([ChangeOrigin::Sync, ChangeOrigin::Rule]))
            .group_by(field_change::Column::JobId)
            .into_tuple()
            .all(db)
            .await?;
        for (job, n) in counts {
            if let Some(job) = job {
                synced.insert(job, n);
            }
        }
    }
    for job in jobs {
        let Some(finished) = job.finished_at else {
            continue;
        };
        let index = (finished.date_naive() - first).num_days();
        let Some(day) = usize::try_from(index).ok().and_then(|i| out.get_mut(i)) else {
            continue;
        };
        let stat = |key: &str| job.stats.get(key).and_then(Value::as_i64).unwrap_or(0);
        match job.kind {
            SyncJobKind::Import => {
                day.nodes_created += stat("created");
                day.nodes_updated += stat("updated");
                day.nodes_deleted += stat("deleted");
                day.failures += stat("failed");
            }
            SyncJobKind::WriteBack => {
                day.written_back += stat("updated");
                day.failures += stat("failed");
            }
            SyncJobKind::FieldSync | SyncJobKind::Undo => {}
        }
        if job.status == SyncJobStatus::Failed {
            day.failures += 1;
        }
        day.fields_synced += synced.get(&job.id).copied().unwrap_or(0);
    }
    Ok(out)
}
