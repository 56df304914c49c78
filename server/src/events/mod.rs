//! Change events inside and across server processes. A change is published as ids only; each
//! subscriber's process reads the object again, scoped to the subscriber's organization.
//!
//! On SQLite (one process) events go straight to an in-process broadcast. On PostgreSQL they go
//! through `NOTIFY` (payload limit 8,000 bytes: ids fit), and every process — the publisher
//! included — re-broadcasts what its `LISTEN` connection hears, so a subscriber on any process
//! sees a change made by any other, exactly once.
//!
//! Source events (webhooks, catch-up polls) follow the same design through `feed`: the event
//! is recorded in `webhook_events`, NOTIFY carries its ids, and each process builds it once
//! (reading the row, unless it published it itself) and fans it out to its subscribers.

pub mod feed;

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Statement};
use tokio::sync::broadcast;

pub use feed::{Feed, LiveEvent, Topic};

/// The NOTIFY channel of sync job changes.
const JOBS_CHANNEL: &str = "switchboard_jobs";
/// The NOTIFY channel of source events: `<event id>,<organization id>,<source id>`.
const EVENTS_CHANNEL: &str = "switchboard_events";
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
    /// Source events, fanned out per source and per organization.
    pub feed: Feed,
}

impl Default for Events {
    fn default() -> Self {
        Events {
            jobs: broadcast::channel(BUFFER).0,
            feed: Feed::default(),
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

    /// Publishes a recorded source event to every process sharing the database: at once on
    /// SQLite (one process), through NOTIFY on PostgreSQL. Never fails the caller.
    pub async fn event_recorded(&self, db: &impl ConnectionTrait, event: LiveEvent) {
        let event = Arc::new(event);
        if db.get_database_backend() != DbBackend::Postgres {
            self.feed.fan_out(event);
            return;
        }
        let payload = format!("{},{},{}", event.id, event.org_id, event.source_id);
        self.feed.remember(event.clone());
        let notify = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [EVENTS_CHANNEL.into(), payload.into()],
        );
        if let Err(err) = db.execute_raw(notify).await {
            tracing::error!(error = %err, event_id = event.id, "publishing a source event failed");
            // This process's subscribers still get it.
            self.feed.take_recent(event.id);
            self.feed.fan_out(event);
        }
    }

    /// Builds the event a NOTIFY names (once for all of this process's subscribers).
    async fn event_notified(&self, db: &DatabaseConnection, payload: &str) {
        let mut parts = payload.split(',').map(str::parse::<i64>);
        let (Some(Ok(id)), Some(Ok(org_id)), Some(Ok(source_id))) =
            (parts.next(), parts.next(), parts.next())
        else {
            return;
        };
        if let Some(event) = self.feed.take_recent(id) {
            self.feed.fan_out(event);
            return;
        }
        match entity::webhook_event::Entity::find_by_id(id).one(db).await {
            Ok(Some(row)) => {
                let Some(payload) = row.payload else { return };
                self.feed.fan_out(Arc::new(LiveEvent {
                    id,
                    org_id,
                    source_id,
                    kind: row.kind,
                    external_id: row.external_id,
                    payload,
                    at: row.received_at,
                    ticket: Default::default(),
                }));
            }
            Ok(None) => {}
            Err(err) => {
                tracing::error!(error = %err, event_id = id, "reading a source event failed")
            }
        }
    }

    /// Re-broadcasts what PostgreSQL's NOTIFY delivers, until `shutdown`; reconnects on errors.
    pub async fn listen_postgres(
        self,
        url: String,
        db: DatabaseConnection,
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
            if let Err(err) = listener.listen_all([JOBS_CHANNEL, EVENTS_CHANNEL]).await {
                tracing::error!(error = %err, "LISTEN failed; retrying");
                continue;
            }
            loop {
                tokio::select! {
                    received = listener.recv() => match received {
                        Ok(note) if note.channel() == EVENTS_CHANNEL => {
                            self.event_notified(&db, note.payload()).await;
                        }
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
