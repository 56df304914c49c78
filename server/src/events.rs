//! Change events inside and across server processes. A change is published as ids only; each
//! subscriber's process reads the object again, scoped to the subscriber's organization.
//!
//! On SQLite (one process) events go straight to an in-process broadcast. On PostgreSQL they go
//! through `NOTIFY` (payload limit 8,000 bytes: ids fit), and every process — the publisher
//! included — re-broadcasts what its `LISTEN` connection hears, so a subscriber on any process
//! sees a change made by any other, exactly once.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use tokio::sync::broadcast;

/// The NOTIFY channel of sync job changes.
const JOBS_CHANNEL: &str = "switchboard_jobs";
/// How many undelivered events a slow subscriber may fall behind before it skips ahead.
const BUFFER: usize = 1024;

/// A sync job changed (queued, claimed, progressed, finished, cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobChanged {
    pub job_id: i64,
    pub org_id: i64,
    pub source_id: i64,
}

impl JobChanged {
    pub fn of(job: &entity::sync_job::Model) -> JobChanged {
        JobChanged {
            job_id: job.id,
            org_id: job.organization_id,
            source_id: job.source_id,
        }
    }

    fn payload(&self) -> String {
        format!("{},{},{}", self.job_id, self.org_id, self.source_id)
    }

    fn parse(payload: &str) -> Option<JobChanged> {
        let mut parts = payload.split(',').map(str::parse::<i64>);
        let (Some(Ok(job_id)), Some(Ok(org_id)), Some(Ok(source_id))) =
            (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        Some(JobChanged {
            job_id,
            org_id,
            source_id,
        })
    }
}

#[derive(Clone)]
pub struct Events {
    jobs: broadcast::Sender<JobChanged>,
}

impl Default for Events {
    fn default() -> Self {
        Events {
            jobs: broadcast::channel(BUFFER).0,
        }
    }
}

impl Events {
    pub fn subscribe_jobs(&self) -> broadcast::Receiver<JobChanged> {
        self.jobs.subscribe()
    }

    /// Publishes a job change to every process sharing the database. Never fails the caller:
    /// a lost event is logged, the job itself is already written.
    pub async fn job_changed(&self, db: &impl ConnectionTrait, event: JobChanged) {
        if db.get_database_backend() != DbBackend::Postgres {
            let _ = self.jobs.send(event);
            return;
        }
        let notify = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [JOBS_CHANNEL.into(), event.payload().into()],
        );
        if let Err(err) = db.execute_raw(notify).await {
            tracing::error!(error = %err, job_id = event.job_id, "publishing a job change failed");
        }
    }

    /// Re-broadcasts what PostgreSQL's NOTIFY delivers, until `shutdown`; reconnects on errors.
    pub async fn listen_postgres(
        self,
        url: String,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        use sea_orm::sqlx::postgres::PgListener;
        loop {
            let mut listener = match PgListener::connect(&url).await {
                Ok(l) => l,
                Err(err) => {
                    tracing::error!(error = %err, "LISTEN connection failed; retrying");
                    tokio::select! {
                        _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => continue,
                        _ = shutdown.changed() => return,
                    }
                }
            };
            if let Err(err) = listener.listen(JOBS_CHANNEL).await {
                tracing::error!(error = %err, "LISTEN failed; retrying");
                continue;
            }
            loop {
                tokio::select! {
                    received = listener.recv() => match received {
                        Ok(note) => {
                            if let Some(event) = JobChanged::parse(note.payload()) {
                                let _ = self.jobs.send(event);
                            }
                        }
                        Err(err) => {
                            tracing::warn!(error = %err, "LISTEN connection lost; reconnecting");
                            break;
                        }
                    },
                    _ = shutdown.changed() => return,
                }
            }
        }
    }
}
