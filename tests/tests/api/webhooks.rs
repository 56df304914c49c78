//! Webhooks in: ConnectWise callbacks checked against their signing key, redeliveries dropped,
//! forged ones refused; source events reaching subscribers of the organization only, from any
//! server process; a slow subscriber skipping ahead without holding the others up; company
//! callbacks updating the node; health.

use entity::enums::Role;
use entity::prelude::*;
use entity::source_node;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::live::{Peer, Subscriber};
use tests::{dual_db, gql, sync, Session, TestApp};

dual_db!(
    a_company_callback_updates_the_node_and_reaches_subscribers,
    a_redelivery_is_no_second_event,
    forged_signatures_and_foreign_key_urls_are_refused,
    a_subscriber_of_another_organization_sees_nothing,
    a_stuck_subscriber_does_not_delay_the_others,
);

pub const SOURCE_EVENTS: &str = "subscription($s: ID, $k: [String!]) { sourceEvents(sourceId: $s, kinds: $k) { kind externalId payload at source { name } } }";
const HEALTH: &str = "query($id: ID!) { source(id: $id) { webhookUrl health { lastEventAt webhookHealthy lastPollAt message } } }";

/// A ConnectWise source on `fake`, imported once; returns (source id, webhook URL).
pub async fn cw_source(app: &TestApp, admin: &Session, fake: &ConnectWiseFake) -> (String, String) {
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let created = app.ok(admin, gql::CREATE_SOURCE, input).await["createSource"].clone();
    let id = created["id"].as_str().unwrap().to_owned();
    let url = created["webhookUrl"].as_str().unwrap().to_owned();
    (id, url)
}

/// A subscriber of `source`'s events (of `kinds`, when given), listening once this returns.
pub async fn listen(
    app: &TestApp,
    session: &Session,
    source: Option<&str>,
    kinds: Value,
) -> Subscriber {
    let mut sub = Subscriber::connect(app.addr, &session.token).await;
    sub.subscribe("1", SOURCE_EVENTS, json!({"s": source, "k": kinds}))
        .await;
    // The subscribe message has no answer; give the server a moment to register it.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    sub
}

async fn webhook_rows(app: &TestApp) -> u64 {
    WebhookEvent::find().count(&app.db).await.unwrap()
}

async fn a_company_callback_updates_the_node_and_reaches_subscribers(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = ConnectWiseFake::start(Config::default()).await;
    let (source, url) = cw_source(&app, &admin, &fake).await;
    assert_eq!(sync(&app, &admin, &source).await["status"], "SUCCEEDED");
    let health = app.ok(&admin, HEALTH, json!({"id": source})).await;
    assert_eq!(health["source"]["health"]["lastEventAt"], Value::Null);
    let mut sub = listen(&app, &admin, Some(&source), Value::Null).await;

    fake.faults
        .edits
        .set("companies/3", "name", json!("Renamed Company"));
    // ConnectWise's Entity is often a summary: the record is read again.
    let callbacks = fake.callbacks();
    let body = callbacks.body("company", "updated", 3, Some(&json!({"id": 3})));
    assert_eq!(callbacks.post(&url, &body).await, 204);

    let event = sub.next_data().await["sourceEvents"].clone();
    assert_eq!(event["kind"], "company.updated");
    assert_eq!(event["externalId"], "3");
    assert_eq!(event["payload"]["name"], "Renamed Company");
    assert_eq!(event["source"]["name"], "CW");
    let node = SourceNode::find()
        .filter(source_node::Column::NodeType.eq("Company"))
        .filter(source_node::Column::ExternalId.eq("3"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(node.name, "Renamed Company");
    assert_eq!(node.fields["name"], "Renamed Company");

    let health = app.ok(&admin, HEALTH, json!({"id": source})).await;
    assert!(
        health["source"]["health"]["lastEventAt"].is_string(),
        "{health}"
    );
    assert_eq!(health["source"]["health"]["webhookHealthy"], true);

    // A company the tree does not hold yet queues a WEBHOOK import that places it.
    fake.faults.add_companies(1);
    let body = callbacks.body("company", "added", 21, None);
    assert_eq!(callbacks.post(&url, &body).await, 204);
    assert_eq!(
        sub.next_data().await["sourceEvents"]["kind"],
        "company.created"
    );
    let job = SyncJob::find()
        .filter(entity::sync_job::Column::Trigger.eq(entity::enums::SyncTrigger::Webhook))
        .one(&app.db)
        .await
        .unwrap();
    assert!(job.is_some(), "no WEBHOOK import queued");
}

async fn a_redelivery_is_no_second_event(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = ConnectWiseFake::start(Config::default()).await;
    let (source, url) = cw_source(&app, &admin, &fake).await;
    let mut sub = listen(&app, &admin, Some(&source), Value::Null).await;
    let callbacks = fake.callbacks();
    let first = callbacks.body("company", "updated", 4, None);
    assert_eq!(callbacks.post(&url, &first).await, 204);
    // The same message again (ConnectWise retries): answered, and nothing more.
    assert_eq!(callbacks.post(&url, &first).await, 204);
    let second = callbacks.body("company", "updated", 5, None);
    assert_eq!(callbacks.post(&url, &second).await, 204);
    let ids: Vec<Value> = [sub.next_data().await, sub.next_data().await]
        .iter()
        .map(|d| d["sourceEvents"]["externalId"].clone())
        .collect();
    assert_eq!(ids, [json!("4"), json!("5")]);
    assert_eq!(webhook_rows(&app).await, 2);
}

async fn forged_signatures_and_foreign_key_urls_are_refused(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = ConnectWiseFake::start(Config::default()).await;
    let (source, url) = cw_source(&app, &admin, &fake).await;
    let callbacks = fake.callbacks();
    let body = callbacks.body("company", "updated", 4, None);
    let bytes = body.to_string().into_bytes();

    // Signed with another key, unsigned, or the body changed after signing.
    let forged = tests::fakes::connectwise::callbacks::sign("not the key", &bytes);
    assert_eq!(
        callbacks.post_raw(&url, bytes.clone(), Some(&forged)).await,
        401
    );
    assert_eq!(callbacks.post_raw(&url, bytes.clone(), None).await, 401);
    let signature = callbacks.signature(&bytes);
    let mut tampered = body.clone();
    tampered["ID"] = json!(5);
    let tampered = tampered.to_string().into_bytes();
    assert_eq!(
        callbacks.post_raw(&url, tampered, Some(&signature)).await,
        401
    );

    // A key URL on a foreign host is never fetched, whatever it would say.
    let mut foreign = body.clone();
    foreign["Metadata"]["key_url"] = json!("https://keys.evil.example/key?id=1");
    let foreign = foreign.to_string().into_bytes();
    let signature = callbacks.signature(&foreign);
    assert_eq!(
        callbacks.post_raw(&url, foreign, Some(&signature)).await,
        401
    );

    // Unknown webhook ids and wrong secrets are not found.
    let (base, secret) = url.rsplit_once('/').unwrap();
    let wrong_secret = format!("{base}/{}", "x".repeat(secret.len()));
    assert_eq!(callbacks.post(&wrong_secret, &body).await, 404);
    let (root, _) = base.rsplit_once('/').unwrap();
    assert_eq!(
        callbacks
            .post(&format!("{root}/nosuchwebhook/{secret}"), &body)
            .await,
        404
    );

    // Bodies over 256 KB are refused before anything is read.
    let big = json!({"pad": "x".repeat(300 * 1024)})
        .to_string()
        .into_bytes();
    assert_eq!(callbacks.post_raw(&url, big, None).await, 413);

    assert_eq!(webhook_rows(&app).await, 0);
    let health = app.ok(&admin, HEALTH, json!({"id": source})).await;
    assert_eq!(health["source"]["health"]["lastEventAt"], Value::Null);

    // The genuine one still works; a rotated secret makes the old URL unknown.
    assert_eq!(callbacks.post(&url, &body).await, 204);
    app.ok(
        &admin,
        "mutation($id: ID!) { rotateWebhookSecret(sourceId: $id) { id } }",
        json!({"id": source}),
    )
    .await;
    let again = callbacks.body("company", "updated", 6, None);
    assert_eq!(callbacks.post(&url, &again).await, 404);
}

async fn a_subscriber_of_another_organization_sees_nothing(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let stranger = app.login_as("Other", Role::Viewer).await;
    let fake = ConnectWiseFake::start(Config::default()).await;
    let (source, url) = cw_source(&app, &admin, &fake).await;
    let other_fake = ConnectWiseFake::start(Config::default()).await;
    let other_admin = app.login_as("Other", Role::Admin).await;
    let (_, other_url) = cw_source(&app, &other_admin, &other_fake).await;

    // Naming the other organization's source is NOT_FOUND.
    let mut probe = Subscriber::connect(app.addr, &stranger.token).await;
    probe
        .subscribe("1", SOURCE_EVENTS, json!({"s": source}))
        .await;
    let refused = probe
        .message(std::time::Duration::from_secs(10))
        .await
        .unwrap();
    let errors = match refused["type"].as_str() {
        Some("error") => refused["payload"].clone(),
        _ => refused["payload"]["errors"].clone(),
    };
    assert_eq!(errors[0]["extensions"]["code"], "NOT_FOUND", "{refused}");

    // Subscribed to everything of its own organization, it hears only its own source.
    let mut theirs = listen(&app, &stranger, None, Value::Null).await;
    let mut mine = listen(&app, &admin, None, Value::Null).await;
    let callbacks = fake.callbacks();
    assert_eq!(
        callbacks
            .post(&url, &callbacks.body("company", "updated", 7, None))
            .await,
        204
    );
    let other = other_fake.callbacks();
    assert_eq!(
        other
            .post(&other_url, &other.body("company", "updated", 8, None))
            .await,
        204
    );
    assert_eq!(mine.next_data().await["sourceEvents"]["externalId"], "7");
    assert_eq!(theirs.next_data().await["sourceEvents"]["externalId"], "8");
}

/// One subscriber stops reading; the other gets every event, in order, while it is stuck; the
/// stuck one, reading again, has skipped ahead to the latest.
async fn a_stuck_subscriber_does_not_delay_the_others(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = ConnectWiseFake::start(Config::default()).await;
    let (source, url) = cw_source(&app, &admin, &fake).await;
    let mut stuck = Subscriber::connect_small(app.addr, &admin.token).await;
    stuck
        .subscribe("1", SOURCE_EVENTS, json!({"s": source}))
        .await;
    let mut reader = listen(&app, &admin, Some(&source), Value::Null).await;
    let callbacks = fake.callbacks();
    // Big enough events that the stuck socket's buffers fill: the entity is carried whole.
    let pad = "p".repeat(20_000);
    let total = 300u64;
    for n in 1..=total {
        let entity = json!({"id": n, "name": format!("Company {n}"), "notes": pad, "_info": {"lastUpdated": "2026-01-01T00:00:00Z"}});
        let body = callbacks.body("agreement", "updated", n, Some(&entity));
        assert_eq!(callbacks.post(&url, &body).await, 204);
        let got = reader.next_data().await["sourceEvents"]["externalId"].clone();
        assert_eq!(got, json!(n.to_string()));
    }
    let mut seen = 0u64;
    loop {
        let event = stuck.next_data().await["sourceEvents"]["externalId"].clone();
        seen += 1;
        if event == json!(total.to_string()) {
            break;
        }
    }
    assert!(
        seen < total,
        "the stuck subscriber got all {seen} events: nothing was skipped"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgres_deliver_each_others_events() {
    let Some(app) = TestApp::spawn_postgres_if_reachable().await else {
        return;
    };
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = ConnectWiseFake::start(Config::default()).await;
    let (source, url) = cw_source(&app, &admin, &fake).await;
    let peer = Peer::spawn(&app).await;
    let mut here = listen(&app, &admin, Some(&source), Value::Null).await;
    let mut there = Subscriber::connect(peer.addr, &admin.token).await;
    there
        .subscribe("1", SOURCE_EVENTS, json!({"s": source}))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let callbacks = fake.callbacks();
    // One callback to each process: both subscribers hear both, once each.
    let path = url.split_once("/webhooks/").unwrap().1;
    let peer_url = format!("http://{}/webhooks/{path}", peer.addr);
    assert_eq!(
        callbacks
            .post(&url, &callbacks.body("company", "updated", 1, None))
            .await,
        204
    );
    assert_eq!(
        callbacks
            .post(&peer_url, &callbacks.body("company", "updated", 2, None))
            .await,
        204
    );
    for sub in [&mut here, &mut there] {
        let mut got = vec![
            sub.next_data().await["sourceEvents"]["externalId"].clone(),
            sub.next_data().await["sourceEvents"]["externalId"].clone(),
        ];
        got.sort_by_key(|v| v.to_string());
        assert_eq!(got, [json!("1"), json!("2")]);
    }
    let none = here.message(std::time::Duration::from_millis(500)).await;
    assert!(none.is_none(), "an event came twice: {none:?}");
}
