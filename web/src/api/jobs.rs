//! Sync jobs' data (`graphql/jobs.graphql`): the queue and history, one job with its log,
//! cancelling, and the `syncJobUpdates` subscription's operation. Every operation's job is
//! read straight into one [`Job`] (the `JobFields` fragment), so the list and the live updates
//! share it and its reader (the generated job types are not read at all).

use super::connection::Connection;
use super::json::read;
use super::{ApiError, DateTime};
use crate::session::Session;
use serde_json::Value;

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

operations!("graphql/jobs.graphql";
    /// `query SyncJobs`.
    SyncJobs,
    /// `query SyncJobLog`.
    SyncJobLog,
    /// `mutation CancelSyncJob`.
    CancelSyncJob,
);

operations!("graphql/jobs.graphql", [response_derives = "Debug, Clone, PartialEq", variables_derives = "Debug, Clone"];
    /// `subscription SyncJobUpdates` (sent over graphql-ws by [`super::ws`]).
    SyncJobUpdates,
);

pub use sync_job_log::LogLevel;
pub use sync_jobs::SyncJobStatus as JobStatus;

via_serde!(JobStatus, LogLevel);

from_json! {
/// A job as every screen shows it (the `JobFields` fragment).
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub trigger: String,
    pub status: JobStatus,
    pub queued_at: DateTime,
    pub started_at: Option<DateTime>,
    pub finished_at: Option<DateTime>,
    pub error: Option<String>,
    pub source: JobSource,
    pub progress: Progress,
    pub stats: Stats,
    pub coverage: Vec<Coverage>,
    /// The UNDO job that undid this one.
    pub undone_by: Option<JobRef>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct JobRef {
    pub id: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct JobSource {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub done: i64,
    pub total: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    pub created: i64,
    pub updated: i64,
    pub deleted: i64,
    pub unchanged: i64,
    pub skipped: i64,
    pub failed: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Coverage {
    pub entity: String,
    pub reported: Option<i64>,
    pub received: i64,
    pub complete: bool,
}

/// The data of `SyncJobs`, `CancelSyncJob` and `SyncJobUpdates`, read into [`Job`].
struct SyncJobsData {
    sync_jobs: Connection<Job>,
}

struct CancelData {
    cancel_sync_job: Job,
}

/// The data of the `syncJobUpdates` subscription.
pub struct UpdateData {
    pub sync_job_updates: Job,
}

/// The data of `SyncJobLog`: the job is read twice, as a [`Job`] and for its logs.
struct LogData {
    sync_job: Option<Value>,
}

struct Logs {
    logs: Connection<LogLine>,
}
}

impl Job {
    /// Whether the job is still to finish.
    pub fn in_progress(&self) -> bool {
        matches!(self.status, JobStatus::Queued | JobStatus::Running)
    }

    /// Progress as a fraction in 0..=1 when the total is known.
    pub fn fraction(&self) -> Option<f64> {
        let total = self.progress.total.filter(|t| *t > 0)?;
        Some((self.progress.done as f64 / total as f64).clamp(0.0, 1.0))
    }
}

/// A page of jobs.
pub struct JobPage {
    pub jobs: Vec<Job>,
    pub total: i64,
    pub next: Option<String>,
}

/// The newest jobs first, of one source when given.
pub async fn list(
    session: Session,
    source_id: Option<String>,
    first: i64,
    after: Option<String>,
) -> Result<JobPage, ApiError> {
    let (jobs, total, next) = session
        .call_as::<SyncJobs, SyncJobsData>(sync_jobs::Variables {
            source_id,
            status: None,
            first: Some(first),
            after,
        })
        .await?
        .sync_jobs
        .into_parts();
    Ok(JobPage { jobs, total, next })
}

from_json! {
    /// A line of a job's log.
    #[derive(Clone, Debug, PartialEq)]
    pub struct LogLine {
        pub at: DateTime,
        pub level: LogLevel,
        pub message: String,
        pub node_type: Option<String>,
        pub external_id: Option<String>,
    }
}

/// A job with one page of its log, at `level` or above.
pub struct JobWithLog {
    pub job: Job,
    pub lines: Vec<LogLine>,
    pub total: i64,
    pub next: Option<String>,
}

/// Job `id` and a page of its log (`None`: no such job).
pub async fn with_log(
    session: Session,
    id: String,
    level: Option<LogLevel>,
    first: i64,
    after: Option<String>,
) -> Result<Option<JobWithLog>, ApiError> {
    let Some(job) = session
        .call_as::<SyncJobLog, LogData>(sync_job_log::Variables {
            id,
            level,
            first: Some(first),
            after,
        })
        .await?
        .sync_job
    else {
        return Ok(None);
    };
    let logs: Logs = read(&job)?;
    let (lines, total, next) = logs.logs.into_parts();
    Ok(Some(JobWithLog {
        job: read(&job)?,
        lines,
        total,
        next,
    }))
}

/// Cancels job `id`; returns its new state.
pub async fn cancel(session: Session, id: String) -> Result<Job, ApiError> {
    Ok(session
        .call_as::<CancelSyncJob, CancelData>(cancel_sync_job::Variables { id })
        .await?
        .cancel_sync_job)
}

/// A job status in words.
pub fn status_label(status: &JobStatus) -> String {
    match status {
        JobStatus::Queued => "Queued",
        JobStatus::Running => "Running",
        JobStatus::Succeeded => "Succeeded",
        JobStatus::Partial => "Partial",
        JobStatus::Failed => "Failed",
        JobStatus::Cancelled => "Cancelled",
        JobStatus::Other(other) => other,
    }
    .to_owned()
}

/// The badge class of a job status (style.css).
pub fn status_class(status: &JobStatus) -> &'static str {
    match status {
        JobStatus::Succeeded => "badge ok",
        JobStatus::Partial => "badge warn",
        JobStatus::Failed => "badge bad",
        JobStatus::Queued | JobStatus::Running => "badge info",
        _ => "badge muted",
    }
}

/// `IMPORT`, `FIELD_SYNC`… in words.
pub fn enum_words(value: &str) -> String {
    let lower = value.replace('_', " ").to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A log level in words.
pub fn level_label(level: &LogLevel) -> &'static str {
    match level {
        LogLevel::Debug => "Debug",
        LogLevel::Info => "Info",
        LogLevel::Warn => "Warning",
        LogLevel::Error => "Error",
        LogLevel::Other(_) => "Other",
    }
}
