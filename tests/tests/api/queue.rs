//! The job queue: forceSync de-duplication, cancel, leased claims that run each job once
//! across processes, resumption after a dead worker, and cron scheduling without duplicates.

use std::collections::HashMap;

use chrono::{Duration, TimeZone, Utc};
use entity::enums::{Role, SyncJobStatus};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::json;
use server::graphql::ids::{self, Kind};
use server::sync::worker::{Outcome, Worker};
use server::sync::{queue, scheduler};
use tests::{dual_db, TestApp};

dual_db!(
    force_sync_queues_one_job_per_source,
    force_sync_refuses_paused_and_deleted_sources,
    cancel_ends_queued_jobs_and_refuses_finished_ones,
    a_worker_runs_a_job_once_and_logs_why_it_ended,
    two_processes_run_each_of_50_jobs_exactly_once,
    a_dead_workers_job_is_resumed_by_another,
    scheduled_runs_are_queued_once,
);

const FORCE: &str = "mutation($id: ID!) { forceSync(sourceId: $id) { id status kind trigger queuedAt source { name } } }";

async fn force_sync_queues_one_job_per_source(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_cw_source(&admin, "CW").await;
    let vars = json!({"id": source});
    let (a, b, c) = tokio::join!(
        app.ok(&admin, FORCE, vars.clone()),
        app.ok(&admin, FORCE, vars.clone()),
        app.ok(&admin, FORCE, vars.clone())
    );
    assert_eq!(a["forceSync"]["id"], b["forceSync"]["id"]);
    assert_eq!(a["forceSync"]["id"], c["forceSync"]["id"]);
    assert_eq!(a["forceSync"]["status"], "QUEUED");
    assert_eq!(
        (
            a["forceSync"]["kind"].as_str(),
            a["forceSync"]["trigger"].as_str()
        ),
        (Some("IMPORT"), Some("FORCE"))
    );
    let data = app
        .ok(&admin, "query($id: ID!) { source(id: $id) { lastJob { id } jobs { totalCount } } syncJobs(status: QUEUED) { totalCount } }", vars)
        .await;
    assert_eq!(data["source"]["lastJob"]["id"], a["forceSync"]["id"]);
    assert_eq!(data["source"]["jobs"]["totalCount"], 1);
    assert_eq!(data["syncJobs"]["totalCount"], 1);
    let viewer = app.login_as("Acme", Role::Viewer).await;
    assert_eq!(
        app.err(&viewer, FORCE, json!({"id": source})).await.0,
        "FORBIDDEN"
    );
}

async fn force_sync_refuses_paused_and_deleted_sources(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_cw_source(&admin, "CW").await;
    app.ok(
        &admin,
        "mutation($id: ID!) { pauseSource(id: $id) { id } }",
        json!({"id": source}),
    )
    .await;
    assert_eq!(
        app.err(&admin, FORCE, json!({"id": source})).await.0,
        "CONFLICT"
    );
    app.ok(
        &admin,
        "mutation($id: ID!) { resumeSource(id: $id) { id } }",
        json!({"id": source}),
    )
    .await;
    app.ok(
        &admin,
        "mutation($id: ID!) { deleteSource(id: $id) }",
        json!({"id": source}),
    )
    .await;
    assert_eq!(
        app.err(&admin, FORCE, json!({"id": source})).await.0,
        "CONFLICT"
    );
    assert_eq!(
        app.err(&admin, FORCE, json!({"id": "nope"})).await.0,
        "NOT_FOUND"
    );
}

async fn cancel_ends_queued_jobs_and_refuses_finished_ones(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_offline_source(&admin, "CW").await;
    let job = app.ok(&admin, FORCE, json!({"id": source})).await["forceSync"]["id"].clone();
    let cancel = "mutation($id: ID!) { cancelSyncJob(id: $id) { status finishedAt } }";
    let done = app.ok(&admin, cancel, json!({"id": job})).await;
    assert_eq!(done["cancelSyncJob"]["status"], "CANCELLED");
    assert!(done["cancelSyncJob"]["finishedAt"].is_string());
    assert_eq!(
        app.err(&admin, cancel, json!({"id": job})).await.0,
        "CONFLICT"
    );
    // Nothing is left to run, and a new force queues a new job.
    assert_eq!(
        Worker::new(app.state.clone(), 0)
            .try_run_next()
            .await
            .unwrap(),
        Outcome::Empty
    );
    let again = app.ok(&admin, FORCE, json!({"id": source})).await["forceSync"]["id"].clone();
    assert_ne!(again, job);
}

/// An import of a provider without a connector ends FAILED with the reason in error and log.
async fn a_worker_runs_a_job_once_and_logs_why_it_ended(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_offline_source(&admin, "CW").await;
    let job = app.ok(&admin, FORCE, json!({"id": source})).await["forceSync"]["id"].clone();
    let worker = Worker::new(app.state.clone(), 0);
    let row_id = ids::decode(Kind::SyncJob, job.as_str().unwrap()).unwrap();
    assert_eq!(worker.try_run_next().await.unwrap(), Outcome::Ran(row_id));
    assert_eq!(worker.try_run_next().await.unwrap(), Outcome::Empty);
    let data = app
        .ok(&admin, "query($id: ID!) { syncJob(id: $id) { status error startedAt finishedAt logs(level: ERROR) { totalCount edges { node { level message } } } } }", json!({"id": job}))
        .await;
    let j = &data["syncJob"];
    assert_eq!(j["status"], "FAILED");
    assert!(
        j["error"]
            .as_str()
            .unwrap()
            .contains("no connector for Autotask"),
        "{j}"
    );
    assert!(j["startedAt"].is_string() && j["finishedAt"].is_string());
    assert_eq!(j["logs"]["totalCount"], 1);
    assert_eq!(j["logs"]["edges"][0]["node"]["level"], "ERROR");
}

/// Two server processes (each with two workers) share one database: 50 sources forced once
/// each run 50 jobs, each claimed exactly once.
async fn two_processes_run_each_of_50_jobs_exactly_once(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    for i in 0..50 {
        let source = app.create_offline_source(&admin, &format!("CW {i}")).await;
        app.ok(&admin, FORCE, json!({"id": source})).await;
    }
    let other_db = server::db::connect(&app.url).await.unwrap();
    let other = server::state::AppState::new(
        other_db,
        server::config::Settings::for_database(&app.url),
        server::crypto::Keys::random(),
    );
    let mut workers = Vec::new();
    for (n, state) in [app.state.clone(), app.state.clone(), other.clone(), other]
        .into_iter()
        .enumerate()
    {
        workers.push(tokio::spawn(async move {
            let worker = Worker::new(state, n);
            let mut ran = Vec::new();
            while let Outcome::Ran(id) = worker.try_run_next().await.unwrap() {
                ran.push(id);
            }
            ran
        }));
    }
    let mut claims: HashMap<i64, usize> = HashMap::new();
    for w in workers {
        for id in w.await.unwrap() {
            *claims.entry(id).or_default() += 1;
        }
    }
    assert_eq!(claims.len(), 50);
    assert!(
        claims.values().all(|n| *n == 1),
        "a job ran twice: {claims:?}"
    );
    let jobs = entity::sync_job::Entity::find().all(&app.db).await.unwrap();
    assert!(jobs
        .iter()
        .all(|j| j.attempts == 1 && j.status == SyncJobStatus::Failed));
}

/// A worker that dies keeps its lease only until it expires; then another worker claims the
/// job, and the dead one can no longer finish it.
async fn a_dead_workers_job_is_resumed_by_another(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_offline_source(&admin, "CW").await;
    app.ok(&admin, FORCE, json!({"id": source})).await;
    let lease = Duration::seconds(30);
    let first = queue::claim(&app.db, "dead-worker", lease)
        .await
        .unwrap()
        .unwrap();
    assert!(
        queue::claim(&app.db, "other", lease)
            .await
            .unwrap()
            .is_none(),
        "a held lease is not claimable"
    );
    // Time passes: the lease runs out without a heartbeat.
    let mut expired: entity::sync_job::ActiveModel = first.clone().into();
    expired.lease_expires_at = Set(Some(Utc::now() - Duration::seconds(1)));
    expired.update(&app.db).await.unwrap();
    let second = queue::claim(&app.db, "other", lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((second.id, second.attempts), (first.id, 2));
    assert_eq!(
        queue::heartbeat(&app.db, first.id, "dead-worker", lease)
            .await
            .unwrap(),
        queue::Lease::Lost
    );
    assert!(!queue::finish(
        &app.db,
        first.id,
        "dead-worker",
        SyncJobStatus::Succeeded,
        None
    )
    .await
    .unwrap());
    assert!(queue::finish(
        &app.db,
        first.id,
        "other",
        SyncJobStatus::Failed,
        Some("x".into())
    )
    .await
    .unwrap());
}

/// A run is queued once however often the scheduler ticks, in whichever process; the
/// schedule is read in the source's time zone.
async fn scheduled_runs_are_queued_once(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_offline_source(&admin, "CW").await;
    app.ok(&admin, "mutation($id: ID!) { updateSource(id: $id, input: {settings: {schedule: \"0 2 * * *\", timezone: \"Europe/Paris\"}}) { id } }", json!({"id": source}))
        .await;
    let row_id = ids::decode(Kind::Source, &source).unwrap();
    let row = entity::source::Entity::find_by_id(row_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut active: entity::source::ActiveModel = row.into();
    active.created_at = Set(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap());
    let row = active.update(&app.db).await.unwrap();
    // 02:00 in Paris is 01:00 UTC in November.
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 1, 30, 0).unwrap();
    assert_eq!(
        scheduler::latest_due(&row, now),
        Some(Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap())
    );
    assert_eq!(
        scheduler::latest_due(&row, Utc.with_ymd_and_hms(2026, 11, 1, 0, 30, 0).unwrap()),
        None
    );
    let other_db = server::db::connect(&app.url).await.unwrap();
    let other = server::state::AppState::new(
        other_db,
        server::config::Settings::for_database(&app.url),
        server::crypto::Keys::random(),
    );
    let (a, b) = tokio::join!(
        scheduler::tick(&app.state, now),
        scheduler::tick(&other, now)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one run, queued once");
    assert_eq!(
        scheduler::tick(&app.state, now + Duration::minutes(10))
            .await
            .unwrap(),
        0
    );
    let jobs = entity::sync_job::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(
        jobs[0].scheduled_for,
        Some(Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap())
    );
    // The run is over; the next day's run is a new job.
    Worker::new(app.state.clone(), 0)
        .try_run_next()
        .await
        .unwrap();
    let next_day = now + Duration::days(1);
    assert_eq!(scheduler::tick(&app.state, next_day).await.unwrap(), 1);
}
