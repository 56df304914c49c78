//! A process killed in the middle of an import: its job, resumed by another worker once the
//! lease runs out, ends exactly as an uninterrupted run (same nodes, same counts, nothing twice),
//! and a worker that lost its job cannot write another page.

use entity::enums::{Role, SyncJobStatus};
use entity::prelude::*;
use entity::{source_node, sync_job};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use server::graphql::ids::{decode, Kind};
use server::sync::worker::{Outcome, Worker};
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::fakes::faults::FaultPlan;
use tests::{dual_db, Session, TestApp};

dual_db!(
    a_job_killed_mid_import_resumes_on_another_worker_to_the_same_end,
    a_worker_that_lost_its_job_writes_nothing,
);

pub(crate) async fn create(
    app: &TestApp,
    admin: &Session,
    fake: &ConnectWiseFake,
    name: &str,
) -> i64 {
    let input = json!({"input": {"name": name, "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let id = app.ok(admin, tests::gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    decode(Kind::Source, &id).unwrap()
}

pub(crate) async fn force(app: &TestApp, admin: &Session, source: i64) -> i64 {
    let gid = tests::gid(Kind::Source, source);
    let job = app
        .ok(
            admin,
            "mutation($id: ID!) { forceSync(sourceId: $id) { id } }",
            json!({"id": gid}),
        )
        .await["forceSync"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    decode(Kind::SyncJob, &job).unwrap()
}

pub(crate) async fn job(app: &TestApp, id: i64) -> sync_job::Model {
    SyncJob::find_by_id(id).one(&app.db).await.unwrap().unwrap()
}

/// A source's row and its job as the worker `owner` sees it, the database naming `holder` as
/// the job's holder (a worker writes pages only while the two are the same).
pub(crate) async fn held(
    app: &TestApp,
    (source, id): (i64, i64),
    owner: &str,
    holder: &str,
) -> (entity::source::Model, sync_job::Model) {
    SyncJob::update_many()
        .col_expr(sync_job::Column::LeaseOwner, Expr::value(holder))
        .filter(sync_job::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    let mut claimed = job(app, id).await;
    claimed.lease_owner = Some(owner.into());
    let row = Source::find_by_id(source)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    (row, claimed)
}

/// Every node of a source as (type, external id, name, parent's external id, fields, deleted).
pub(crate) async fn tree(app: &TestApp, source: i64) -> Vec<Value> {
    let rows = SourceNode::find()
        .filter(source_node::Column::SourceId.eq(source))
        .order_by_asc(source_node::Column::NodeType)
        .order_by_asc(source_node::Column::ExternalId)
        .all(&app.db)
        .await
        .unwrap();
    let ext: std::collections::HashMap<i64, String> =
        rows.iter().map(|r| (r.id, r.external_id.clone())).collect();
    rows.iter()
        .map(|r| {
            json!([
                r.node_type,
                r.external_id,
                r.name,
                r.parent_id.map(|p| ext[&p].clone()),
                r.fields,
                r.deleted_at.is_some()
            ])
        })
        .collect()
}

async fn a_job_killed_mid_import_resumes_on_another_worker_to_the_same_end(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 40,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;

    // The reference: one uninterrupted run.
    let reference = create(&app, &admin, &fake, "Reference").await;
    let reference_job = force(&app, &admin, reference).await;
    Worker::new(app.state.clone(), 0)
        .try_run_next()
        .await
        .unwrap();
    let expected = job(&app, reference_job).await;
    assert_eq!(expected.status, SyncJobStatus::Succeeded);
    let total = expected.progress_done;

    // The same pass, killed after a random number of stored nodes, in its first half (the
    // connector runs up to two pages ahead of the writer). A kill point just under half is
    // first reached with the configurations, and only the agreements' three requests are left
    // after them: at 100 ms an answer the poll below sees that page before the job ends even
    // on a loaded machine (at 30 ms it once did not).
    fake.faults.set(FaultPlan {
        delay_ms: 100,
        ..FaultPlan::default()
    });
    let source = create(&app, &admin, &fake, "Interrupted").await;
    let id = force(&app, &admin, source).await;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as i64;
    let kill_at = 1 + seed % (total / 2);
    println!("killing the first worker after {kill_at} of {total} nodes");
    let first = Worker::new(app.state.clone(), 1);
    let running = tokio::spawn(async move { first.try_run_next().await });
    loop {
        let j = job(&app, id).await;
        assert!(
            matches!(j.status, SyncJobStatus::Queued | SyncJobStatus::Running),
            "the job ended before the kill: {j:?}"
        );
        if j.progress_done >= kill_at {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    running.abort();
    let _ = running.await;
    let killed = job(&app, id).await;
    assert_eq!(killed.status, SyncJobStatus::Running);
    assert!(killed.progress_done < total, "{killed:?}");

    // Its lease runs out (the process is gone); another worker resumes the job.
    SyncJob::update_many()
        .col_expr(
            sync_job::Column::LeaseExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(sync_job::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
    fake.faults.set(FaultPlan::default());
    let second = Worker::new(app.state.clone(), 2);
    assert_eq!(second.try_run_next().await.unwrap(), Outcome::Ran(id));
    let resumed = job(&app, id).await;
    assert_eq!(resumed.status, SyncJobStatus::Succeeded, "{resumed:?}");
    assert_eq!(resumed.attempts, 2);
    assert_eq!(
        resumed.stats, expected.stats,
        "counts as if never interrupted"
    );
    assert_eq!(resumed.progress_done, total);
    assert_eq!(tree(&app, source).await, tree(&app, reference).await);
}

async fn a_worker_that_lost_its_job_writes_nothing(app: TestApp) {
    use server::connectors::{PageSink, RawNode};
    let fake = ConnectWiseFake::start(Config::default()).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = create(&app, &admin, &fake, "CW").await;
    let id = force(&app, &admin, source).await;
    // Claimed by a worker presumed dead, then taken over by another.
    let (row, claimed) = held(
        &app,
        (source, id),
        "a worker presumed dead",
        "the worker that resumed it",
    )
    .await;
    let spec = server::providers::spec(row.provider);
    let mut sink = server::sync::import::ImportSink::new(&app.state, &row, spec, &claimed);
    let page = vec![RawNode {
        node_type: "Company",
        external_id: "1".into(),
        name: "Acme".into(),
        parent: None,
        fields: json!({"id": 1}),
        deleted: false,
    }];
    let err = sink.page(page).await.unwrap_err();
    assert!(err.to_string().contains("no longer holds the job"), "{err}");
    assert!(tree(&app, source).await.is_empty(), "the page rolled back");
}
