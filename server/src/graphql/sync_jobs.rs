//! Sync jobs as the API reads them: SyncJob with progress, stats, coverage and its log;
//! syncJobs and syncJob.

use async_graphql::{Context, Json, Object, SimpleObject, Subscription, ID};
use chrono::{DateTime, Utc};
use entity::{sync_job, sync_log};
use std::collections::HashMap;

use futures_util::Stream;
use serde_json::Value;

use super::connection::PageArgs;
use super::enums::{LogLevel, SyncJobKind, SyncJobStatus, SyncTrigger};
use super::ids::{self, Kind};
use super::loaders::one;
use super::sources::SourceObj;
use super::ContextExt;
use crate::connection_type;
use crate::error::{ApiError, ApiResult};
use crate::events::JobChanged;
use crate::services::jobs;

pub struct SyncJobObj(pub sync_job::Model);
pub struct SyncLogObj(pub sync_log::Model);

connection_type!(SyncJobConnection, SyncJobEdge, SyncJobObj);
connection_type!(SyncLogConnection, SyncLogEdge, SyncLogObj);

#[derive(SimpleObject)]
#[graphql(name = "SyncProgress")]
pub struct SyncProgress {
    done: i32,
    total: Option<i32>,
}

#[derive(SimpleObject, Default)]
#[graphql(name = "SyncStats")]
pub struct SyncStats {
    created: i32,
    updated: i32,
    deleted: i32,
    unchanged: i32,
    skipped: i32,
    failed: i32,
}

#[derive(SimpleObject)]
#[graphql(name = "SyncCoverage")]
pub struct SyncCoverage {
    entity: String,
    reported: Option<i32>,
    received: i32,
    complete: bool,
}

fn int(v: &Value, key: &str) -> i32 {
    v.get(key).and_then(Value::as_i64).unwrap_or(0) as i32
}

#[Object(name = "SyncJob")]
impl SyncJobObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::SyncJob, self.0.id)
    }
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<SourceObj> {
        let row = one(&ctx.loaders()?.source, self.0.source_id).await?;
        row.map(SourceObj)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("job without source")))
    }
    async fn kind(&self) -> SyncJobKind {
        self.0.kind.into()
    }
    async fn trigger(&self) -> SyncTrigger {
        self.0.trigger.into()
    }
    async fn status(&self) -> SyncJobStatus {
        self.0.status.into()
    }
    async fn queued_at(&self) -> DateTime<Utc> {
        self.0.queued_at
    }
    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.0.started_at
    }
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.0.finished_at
    }
    async fn progress(&self) -> SyncProgress {
        SyncProgress {
            done: self.0.progress_done as i32,
            total: self.0.progress_total.map(|t| t as i32),
        }
    }
    async fn stats(&self) -> SyncStats {
        let s = &self.0.stats;
        SyncStats {
            created: int(s, "created"),
            updated: int(s, "updated"),
            deleted: int(s, "deleted"),
            unchanged: int(s, "unchanged"),
            skipped: int(s, "skipped"),
            failed: int(s, "failed"),
        }
    }
    /// One entry per entity kind fetched.
    async fn coverage(&self) -> Vec<SyncCoverage> {
        let list = self.0.coverage.as_array().cloned().unwrap_or_default();
        list.iter()
            .map(|c| SyncCoverage {
                entity: c
                    .get("entity")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                reported: c.get("reported").and_then(Value::as_i64).map(|n| n as i32),
                received: int(c, "received"),
                complete: c.get("complete").and_then(Value::as_bool).unwrap_or(false),
            })
            .collect()
    }
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    async fn undone_by(&self, ctx: &Context<'_>) -> ApiResult<Option<SyncJobObj>> {
        let Some(id) = self.0.undone_by_job_id else {
            return Ok(None);
        };
        Ok(jobs::get(&ctx.state()?.db, ctx.viewer()?, id)
            .await?
            .map(SyncJobObj))
    }
    async fn logs(
        &self,
        ctx: &Context<'_>,
        level: Option<LogLevel>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<SyncLogConnection> {
        let state = ctx.state()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let page = jobs::logs(&state.db, self.0.id, level.map(Into::into), &args).await?;
        Ok(SyncLogConnection::from_page(
            &state.keys,
            page.map(SyncLogObj),
        ))
    }
}

#[Object(name = "SyncLogEntry")]
impl SyncLogObj {
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    async fn level(&self) -> LogLevel {
        self.0.level.into()
    }
    async fn message(&self) -> &str {
        &self.0.message
    }
    async fn node_type(&self) -> Option<&str> {
        self.0.node_type.as_deref()
    }
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }
    async fn details(&self) -> Option<Json<Value>> {
        self.0.details.clone().map(Json)
    }
}

#[derive(Default)]
pub struct SyncJobMutation;

#[Object]
impl SyncJobMutation {
    /// Queued at once; a second call while one is queued returns that job.
    async fn force_sync(&self, ctx: &Context<'_>, source_id: ID) -> ApiResult<SyncJobObj> {
        let id = ids::require(Kind::Source, &source_id)?;
        let state = ctx.state()?;
        let job = crate::sync::queue::force(&state.db, ctx.viewer()?, id).await?;
        state
            .events
            .job_changed(&state.db, JobChanged::of(&job))
            .await;
        Ok(SyncJobObj(job))
    }

    async fn cancel_sync_job(&self, ctx: &Context<'_>, id: ID) -> ApiResult<SyncJobObj> {
        let row = ids::require(Kind::SyncJob, &id)?;
        let state = ctx.state()?;
        let job = crate::sync::queue::cancel(&state.db, ctx.viewer()?, row).await?;
        state
            .events
            .job_changed(&state.db, JobChanged::of(&job))
            .await;
        Ok(SyncJobObj(job))
    }
}

#[derive(Default)]
pub struct SyncJobQuery;

#[Object]
impl SyncJobQuery {
    async fn sync_jobs(
        &self,
        ctx: &Context<'_>,
        source_id: Option<ID>,
        status: Option<SyncJobStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<SyncJobConnection> {
        let state = ctx.state()?;
        let viewer = ctx.viewer()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let source = source_id
            .map(|id| ids::parse_arg(Kind::Source, &id, "sourceId"))
            .transpose()?;
        let page = jobs::list(&state.db, viewer, source, status.map(Into::into), &args).await?;
        Ok(SyncJobConnection::from_page(
            &state.keys,
            page.map(SyncJobObj),
        ))
    }

    async fn sync_job(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<SyncJobObj>> {
        let viewer = ctx.viewer()?;
        let Some(row) = ids::decode(Kind::SyncJob, &id) else {
            return Ok(None);
        };
        Ok(jobs::get(&ctx.state()?.db, viewer, row)
            .await?
            .map(SyncJobObj))
    }
}

#[derive(Default)]
pub struct SyncJobSubscription;

#[Subscription]
impl SyncJobSubscription {
    /// Every change of the caller's jobs (of one source, or one job, when given), as it
    /// happens on any server process. A subscriber that falls behind skips ahead.
    async fn sync_job_updates(
        &self,
        ctx: &Context<'_>,
        source_id: Option<ID>,
        job_id: Option<ID>,
    ) -> Result<impl Stream<Item = SyncJobObj>, ApiError> {
        let viewer = ctx.viewer()?.clone();
        let db = ctx.state()?.db.clone();
        let source = source_id
            .map(|id| ids::parse_arg(Kind::Source, &id, "sourceId"))
            .transpose()?;
        let job = job_id
            .map(|id| ids::parse_arg(Kind::SyncJob, &id, "jobId"))
            .transpose()?;
        let receiver = ctx.state()?.events.subscribe_jobs();
        // Events carry ids; the job is read again when delivered, so quick successive changes
        // may arrive as their latest state. `seen` keeps a subscriber from getting one state twice.
        let seen: HashMap<i64, String> = HashMap::new();
        Ok(futures_util::stream::unfold(
            (receiver, seen),
            move |(mut rx, mut seen)| {
                let (viewer, db) = (viewer.clone(), db.clone());
                async move {
                    loop {
                        let event = match rx.recv().await {
                            Ok(event) => event,
                            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                        };
                        let wanted = event.org_id == viewer.org_id
                            && source.is_none_or(|s| s == event.source_id)
                            && job.is_none_or(|j| j == event.job_id);
                        if !wanted {
                            continue;
                        }
                        let Ok(Some(row)) = jobs::get(&db, &viewer, event.job_id).await else {
                            continue;
                        };
                        let state = format!(
                            "{:?}/{}/{:?}/{}",
                            row.status, row.progress_done, row.finished_at, row.stats
                        );
                        if seen.get(&row.id) == Some(&state) {
                            continue;
                        }
                        // Bounded memory on a long-lived socket: forgetting only risks one repeat.
                        if seen.len() >= 10_000 {
                            seen.clear();
                        }
                        seen.insert(row.id, state);
                        return Some((SyncJobObj(row), (rx, seen)));
                    }
                }
            },
        ))
    }
}
