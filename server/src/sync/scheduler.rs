//! Cron schedules: each live, active source's `settings.schedule`, read in its time zone. A
//! tick queues the latest due run of each source as a SCHEDULE job stamped with the instant
//! it serves; the unique (source, scheduled_for) index makes a second queueing of the same
//! run — by another tick or another process — a no-op.

use chrono::{DateTime, Duration, Utc};
use entity::enums::{SourceStatus, SyncJobKind, SyncTrigger};
use entity::prelude::*;
use entity::source;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::queue;
use crate::error::ApiResult;
use crate::services::source_settings::SourceSettings;
use crate::state::AppState;

/// How far back a missed run is still worth running (a server down for a week runs once).
const CATCH_UP: i64 = 24;

/// Queues the due runs at `now`; returns how many jobs it queued.
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> ApiResult<u32> {
    let sources = Source::find()
        .filter(source::Column::DeletedAt.is_null())
        .filter(source::Column::Status.eq(SourceStatus::Active))
        .all(&state.db)
        .await?;
    let mut queued = 0;
    for source in sources {
        let Some(due) = latest_due(&source, now) else {
            continue;
        };
        match queue::insert(
            &state.db,
            &source,
            SyncJobKind::Import,
            SyncTrigger::Schedule,
            Some(due),
            None,
        )
        .await
        {
            Ok(job) => {
                state
                    .events
                    .job_changed(&state.db, crate::events::JobChanged::of(&job))
                    .await;
                tracing::info!(job_id = job.id, source_id = source.id, due = %due, "scheduled run queued");
                queued += 1;
            }
            // Already queued for this run, or an import of this source is queued anyway.
            Err(err) if crate::error::is_unique_violation(&err) => {}
            Err(err) => return Err(err.into()),
        }
    }
    Ok(queued)
}

/// The latest instant in (max(created, now - CATCH_UP h), now] that the schedule names.
pub fn latest_due(source: &source::Model, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let settings = SourceSettings::from_json(&source.settings);
    let cron = croner::Cron::new(&settings.schedule).parse().ok()?;
    let tz = settings.tz();
    let from = source.created_at.max(now - Duration::hours(CATCH_UP));
    let mut cursor = from.with_timezone(&tz);
    let mut latest = None;
    while let Ok(next) = cron.find_next_occurrence(&cursor, false) {
        if next.with_timezone(&Utc) > now {
            break;
        }
        latest = Some(next.with_timezone(&Utc));
        cursor = next;
    }
    latest
}
