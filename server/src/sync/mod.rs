//! The sync engine's durable machinery: a job queue in the database (`queue`), workers that
//! claim jobs under a lease and can be stepped one job at a time (`worker`), and the cron
//! scheduler (`scheduler`). Several server processes may share one database: each job runs
//! once, and each scheduled run is queued once.

pub mod import;
pub mod metadata;
pub mod queue;
pub mod scheduler;
pub mod worker;
pub mod write_back;

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::state::AppState;

/// How often the scheduler looks for due runs.
const SCHEDULER_PERIOD: Duration = Duration::from_secs(20);

/// Starts `settings.workers` worker loops and the scheduler; they stop when `shutdown` fires.
/// A process with 0 workers only serves the API (another process runs the jobs).
pub fn spawn(state: AppState, shutdown: tokio::sync::watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    let mut handles = Vec::new();
    for n in 0..state.settings.workers {
        let worker = worker::Worker::new(state.clone(), n);
        handles.push(tokio::spawn(worker.run_until(shutdown.clone())));
    }
    let mut stop = shutdown;
    handles.push(tokio::spawn(async move {
        let mut ticker = tokio::time::interval(SCHEDULER_PERIOD);
        loop {
            tokio::select! {
                _ = ticker.tick() => {
                    if let Err(err) = scheduler::tick(&state, chrono::Utc::now()).await {
                        tracing::error!(error = %err.message(), "scheduler tick failed");
                    }
                }
                _ = stop.changed() => break,
            }
        }
    }));
    handles
}
