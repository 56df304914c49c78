//! Workers: claim a job, run it under a lease kept alive by heartbeats, finish it. `try_run_next`
//! does one job and returns, so tests and `switchboard sync --wait` can step the queue
//! without sleeping; `run_until` is the loop a server runs.

use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use entity::enums::{LogLevel, SyncJobKind, SyncJobStatus};
use entity::{sync_job, sync_log};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use super::queue::{self, Lease};
use crate::events::JobChanged;
use crate::state::AppState;

/// How long a claim lasts without a heartbeat; a dead worker's job is resumed after this.
pub const LEASE_SECONDS: i64 = 30;
/// How often a running job renews its lease.
const HEARTBEAT: StdDuration = StdDuration::from_secs(10);
/// How long an idle worker waits before looking at the queue again.
const IDLE_POLL: StdDuration = StdDuration::from_millis(1000);

/// What one step of a worker did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ran(i64),
    Empty,
}

/// How a job ended.
struct End {
    status: SyncJobStatus,
    error: Option<String>,
}

pub struct Worker {
    state: AppState,
    /// Unique per worker and process: lease ownership is checked against it.
    id: String,
}

impl Worker {
    pub fn new(state: AppState, n: usize) -> Worker {
        let id = format!(
            "{}-{}-{n}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        );
        Worker { state, id }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Claims and runs one job, if any is runnable.
    pub async fn try_run_next(&self) -> anyhow::Result<Outcome> {
        let db = &self.state.db;
        let Some(job) = queue::claim(db, &self.id, Duration::seconds(LEASE_SECONDS)).await? else {
            return Ok(Outcome::Empty);
        };
        let changed = JobChanged::of(&job);
        self.state.events.job_changed(db, changed).await;
        tracing::info!(
            job_id = job.id,
            source_id = job.source_id,
            attempt = job.attempts,
            "job claimed"
        );
        // Heartbeats run beside the job, not inside its loop: a heartbeat waiting for the
        // database (SQLite's one writer) must not stop the job from finishing the transaction
        // that holds the lock.
        let (signal, mut signals) = tokio::sync::mpsc::channel::<Lease>(1);
        let beats = tokio::spawn(heartbeats(
            self.state.clone(),
            job.id,
            self.id.clone(),
            signal,
        ));
        let run = execute(&self.state, &job);
        let end = tokio::select! {
            end = run => Some(end),
            lease = signals.recv() => match lease {
                Some(Lease::CancelRequested) => Some(End {
                    status: SyncJobStatus::Cancelled,
                    error: Some("cancelled".into()),
                }),
                _ => None,
            },
        };
        beats.abort();
        match end {
            Some(end) => {
                if end.status == SyncJobStatus::Cancelled {
                    log(&self.state, job.id, LogLevel::Warn, "cancelled on request").await;
                }
                if queue::finish(db, job.id, &self.id, end.status, end.error).await? {
                    self.state.events.job_changed(db, changed).await;
                } else {
                    tracing::warn!(
                        job_id = job.id,
                        "lease lost before finishing; another worker owns the job"
                    );
                }
            }
            None => tracing::warn!(
                job_id = job.id,
                "lease lost; another worker resumed the job"
            ),
        }
        Ok(Outcome::Ran(job.id))
    }

    /// Runs jobs until `shutdown` turns true.
    pub async fn run_until(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        // A queued job (here or, on PostgreSQL, in any process) wakes an idle worker at once;
        // the poll remains for jobs that become due without an event (a lease running out).
        let mut changes = self.state.events.subscribe_jobs();
        loop {
            if *shutdown.borrow() {
                return;
            }
            let idle = match self.try_run_next().await {
                Ok(Outcome::Ran(_)) => false,
                Ok(Outcome::Empty) => true,
                Err(err) => {
                    tracing::error!(error = format!("{err:#}"), "worker step failed");
                    true
                }
            };
            if idle {
                tokio::select! {
                    _ = tokio::time::sleep(IDLE_POLL) => {}
                    _ = changes.recv() => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }
}

/// Renews a running job's lease until told to stop; reports a lost lease or a cancellation.
/// A failed renewal is only logged: the lease still runs, and if it does run out the job's
/// writes are fenced by it.
async fn heartbeats(
    state: AppState,
    job_id: i64,
    worker: String,
    signal: tokio::sync::mpsc::Sender<Lease>,
) {
    let mut tick = tokio::time::interval(HEARTBEAT);
    tick.tick().await;
    loop {
        tick.tick().await;
        match queue::heartbeat(&state.db, job_id, &worker, Duration::seconds(LEASE_SECONDS)).await {
            Ok(Lease::Held) => {}
            Ok(other) => {
                let _ = signal.send(other).await;
                return;
            }
            Err(err) => tracing::warn!(job_id, error = %err, "renewing the lease failed"),
        }
    }
}

/// Runs a claimed job to its end. Imports need the provider's connector; until a provider has
/// one, its imports end FAILED saying so (`providers` reports it as not available).
async fn execute(state: &AppState, job: &sync_job::Model) -> End {
    let source = match entity::source::Entity::find_by_id(job.source_id)
        .one(&state.db)
        .await
    {
        Ok(Some(source)) => source,
        Ok(None) => return failed("the source no longer exists"),
        Err(err) => return failed(&format!("database error: {err}")),
    };
    match job.kind {
        SyncJobKind::Import => {
            let (status, error) = super::import::run(state, job, &source).await;
            if matches!(status, SyncJobStatus::Succeeded | SyncJobStatus::Partial) {
                // An import that leaves a service value differing from its node's queues the
                // write-back (SEMANTICS.md "Write-back").
                super::write_back::queue_if_pending(state, &source).await;
            }
            End { status, error }
        }
        SyncJobKind::WriteBack => {
            let (status, error) = super::write_back::run(state, job, &source).await;
            End { status, error }
        }
        kind => {
            let message = format!("{kind:?} jobs are not supported yet");
            log(state, job.id, LogLevel::Error, &message).await;
            failed(&message)
        }
    }
}

fn failed(message: &str) -> End {
    End {
        status: SyncJobStatus::Failed,
        error: Some(message.to_owned()),
    }
}

/// Appends a line to a job's log (a failure to log is itself only logged).
pub async fn log(state: &AppState, job_id: i64, level: LogLevel, message: &str) {
    log_entry(state, job_id, level, message, None).await
}

/// Appends a line about one record (its node type and external id) to a job's log.
pub async fn log_record(
    state: &AppState,
    job_id: i64,
    level: LogLevel,
    message: &str,
    record: (&str, &str),
) {
    log_entry(state, job_id, level, message, Some(record)).await
}

async fn log_entry(
    state: &AppState,
    job_id: i64,
    level: LogLevel,
    message: &str,
    record: Option<(&str, &str)>,
) {
    let entry = sync_log::ActiveModel {
        job_id: Set(job_id),
        at: Set(Utc::now()),
        level: Set(level),
        message: Set(message.to_owned()),
        node_type: Set(record.map(|(t, _)| t.to_owned())),
        external_id: Set(record.map(|(_, id)| id.to_owned())),
        ..Default::default()
    };
    if let Err(err) = entry.insert(&state.db).await {
        tracing::error!(job_id, error = %err, "writing a job log line failed");
    }
}
