//! Write-back (SEMANTICS.md "Write-back") against the ConnectWise fake: a changed service value
//! of a write-back field is written as a JSON Patch, dates as midnight in the source's time
//! zone; a value the source changed since the last import is a conflict, never overwritten; an
//! import that finds a difference queues the write-back.

use entity::enums::Role;
use sea_orm::EntityTrait;
use serde_json::{json, Value};
use server::graphql::ids::{decode, Kind};
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::{dual_db, gql, sync, Session, TestApp};

dual_db!(
    a_changed_service_value_is_patched_and_a_source_change_is_never_overwritten,
    an_import_that_finds_a_difference_queues_the_write_back,
    a_billing_edit_of_a_two_way_field_survives_an_import_before_its_write_back,
);

const DEVICE_TYPE: &str = r#"mutation { createServiceType(input: {name: "Device", fields: [
  {key: "purchased", label: "Purchased", dataType: DATE},
  {key: "warranty", label: "Warranty until", dataType: DATE}
]}) { id fields { id key } } }"#;

const UPDATE: &str =
    "mutation($id: ID!, $f: JSON!) { updateServiceFields(serviceId: $id, fields: $f) { id } }";

const JOBS: &str = "query($id: ID!) { syncJobs(sourceId: $id) { edges { node { id kind status error stats { updated failed } logs { edges { node { level message nodeType externalId } } } } } } }";

struct Setup {
    fake: ConnectWiseFake,
    admin: Session,
    source: String,
    service: Value,
    node: i64,
}

/// A Berlin source with two write-back fields, imported; a Device service linked to
/// configuration 2, whose values equal the node's (so nothing is pending).
async fn setup(app: &TestApp) -> Setup {
    let fake = ConnectWiseFake::start(Config {
        companies: 2,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let settings = json!({"timezone": "Europe/Berlin", "includeAssetsWithoutSerial": true,
        "writeBackFields": ["purchaseDate", "warrantyExpirationDate"]});
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials(), "settings": settings}});
    let source = app.ok(&admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = sync(app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");

    let st = app.ok(&admin, DEVICE_TYPE, json!({})).await["createServiceType"].clone();
    let field = |key: &str| {
        st["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .unwrap()["id"]
            .clone()
    };
    let vars = json!({"p": "CONNECTWISE_MANAGE", "t": "Configuration", "st": st["id"]});
    let tm =
        app.ok(&admin, gql::CREATE_TYPE_MAPPING, vars).await["createTypeMapping"]["id"].clone();
    for (nf, sf, d) in [
        ("purchaseDate", "purchased", "BOTH"),
        ("warrantyExpirationDate", "warranty", "SERVICE_TO_SOURCE"),
    ] {
        let vars = json!({"tm": tm, "nf": nf, "sf": field(sf), "d": d});
        app.ok(&admin, gql::CREATE_FIELD_MAPPING, vars).await;
    }
    let customer = app
        .ok(&admin, gql::CREATE_CUSTOMER, json!({"name": "Acme"}))
        .await["createCustomer"]["id"]
        .clone();
    let q = "mutation($c: ID!, $st: ID!) { createService(input: {name: \"Workstation 2\", customerId: $c, serviceTypeId: $st, effectiveDate: \"2026-01-01\", fields: {purchased: \"2025-03-01\", warranty: \"2028-03-01\"}}) { id } }";
    let service = app
        .ok(&admin, q, json!({"c": customer, "st": st["id"]}))
        .await["createService"]["id"]
        .clone();

    let q = "query($id: ID!) { source(id: $id) { nodes(type: \"Configuration\", first: 50) { edges { node { id externalId } } } } }";
    let nodes = app.ok(&admin, q, json!({"id": source})).await;
    let gid = nodes["source"]["nodes"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["externalId"] == "2")
        .unwrap()["node"]["id"]
        .clone();
    let node = decode(Kind::SourceNode, gid.as_str().unwrap()).unwrap();
    let q = "mutation($n: ID!, $s: ID!) { linkNode(nodeId: $n, serviceId: $s) { id } }";
    app.ok(&admin, q, json!({"n": gid, "s": service})).await;
    Setup {
        fake,
        admin,
        source,
        service,
        node,
    }
}

async fn jobs(app: &TestApp, s: &Setup) -> Vec<Value> {
    let data = app.ok(&s.admin, JOBS, json!({"id": s.source})).await;
    data["syncJobs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// Runs the next queued job and returns it as the API reads it (newest first in `syncJobs`).
async fn run_next(app: &TestApp, s: &Setup) -> Value {
    server::sync::worker::Worker::new(app.state.clone(), 0)
        .try_run_next()
        .await
        .unwrap();
    jobs(app, s).await.remove(0)
}

async fn node_field(app: &TestApp, node: i64, key: &str) -> Value {
    let row = entity::source_node::Entity::find_by_id(node)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    row.fields[key].clone()
}

async fn a_changed_service_value_is_patched_and_a_source_change_is_never_overwritten(app: TestApp) {
    let s = setup(&app).await;
    assert!(jobs(&app, &s).await.iter().all(|j| j["kind"] == "IMPORT"));

    app.ok(
        &s.admin,
        UPDATE,
        json!({"id": s.service, "f": {"purchased": "2027-01-15"}}),
    )
    .await;
    let queued = jobs(&app, &s).await.remove(0);
    assert_eq!(
        (queued["kind"].as_str(), queued["status"].as_str()),
        (Some("WRITE_BACK"), Some("QUEUED"))
    );
    let job = run_next(&app, &s).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(job["stats"], json!({"updated": 1, "failed": 0}));
    // Midnight in Berlin (UTC+1 in January), as one JSON Patch operation.
    let patch =
        json!([{"op": "replace", "path": "/purchaseDate", "value": "2027-01-14T23:00:00Z"}]);
    assert_eq!(
        s.fake.faults.edits.patches(),
        vec![("configurations/2".to_owned(), patch)]
    );
    assert_eq!(
        node_field(&app, s.node, "purchaseDate").await,
        "2027-01-14T23:00:00Z"
    );
    let written = job["logs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["node"]["message"] == "written back: purchaseDate")
        .unwrap();
    assert_eq!(written["node"]["nodeType"], "Configuration");
    assert_eq!(written["node"]["externalId"], "2");

    // Someone changes the date in ConnectWise; the next service change must not overwrite it.
    s.fake.faults.edits.set(
        "configurations/2",
        "purchaseDate",
        json!("2030-06-01T00:00:00Z"),
    );
    app.ok(
        &s.admin,
        UPDATE,
        json!({"id": s.service, "f": {"purchased": "2027-02-02"}}),
    )
    .await;
    let job = run_next(&app, &s).await;
    assert_eq!(
        (job["kind"].as_str(), job["status"].as_str()),
        (Some("WRITE_BACK"), Some("PARTIAL")),
        "{job}"
    );
    assert_eq!(job["stats"], json!({"updated": 0, "failed": 1}));
    let conflict = job["logs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["node"]["level"] == "WARN")
        .unwrap();
    let message = conflict["node"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("conflict: purchaseDate changed in the source since the last import"),
        "{message}"
    );
    assert_eq!(conflict["node"]["externalId"], "2");
    assert_eq!(
        s.fake.faults.edits.patches().len(),
        1,
        "nothing more was written"
    );
    assert_eq!(
        node_field(&app, s.node, "purchaseDate").await,
        "2027-01-14T23:00:00Z"
    );
}

async fn an_import_that_finds_a_difference_queues_the_write_back(app: TestApp) {
    let s = setup(&app).await;
    // A paused source queues nothing; the import after resuming finds the difference.
    let pause = "mutation($id: ID!) { pauseSource(id: $id) { id } }";
    app.ok(&s.admin, pause, json!({"id": s.source})).await;
    app.ok(
        &s.admin,
        UPDATE,
        json!({"id": s.service, "f": {"warranty": "2029-09-09"}}),
    )
    .await;
    assert!(jobs(&app, &s).await.iter().all(|j| j["kind"] == "IMPORT"));
    let resume = "mutation($id: ID!) { resumeSource(id: $id) { id } }";
    app.ok(&s.admin, resume, json!({"id": s.source})).await;
    assert_eq!(sync(&app, &s.admin, &s.source).await["status"], "SUCCEEDED");
    let queued = jobs(&app, &s).await.remove(0);
    assert_eq!(
        (queued["kind"].as_str(), queued["status"].as_str()),
        (Some("WRITE_BACK"), Some("QUEUED"))
    );
    let job = run_next(&app, &s).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    // Midnight in Berlin in summer is 22:00 UTC the day before.
    let patch = json!([{"op": "replace", "path": "/warrantyExpirationDate", "value": "2029-09-08T22:00:00Z"}]);
    assert_eq!(
        s.fake.faults.edits.patches(),
        vec![("configurations/2".to_owned(), patch)]
    );
    // The next import reads the written value back: nothing differs, nothing is queued.
    assert_eq!(sync(&app, &s.admin, &s.source).await["status"], "SUCCEEDED");
    let latest = jobs(&app, &s).await.remove(0);
    assert_eq!(latest["kind"], "IMPORT");
}

/// A BOTH-way write-back field edited in billing, then an import before the WRITE_BACK job: the
/// import's field sync holds the edit (SKIPPED, waiting to be written back) instead of copying
/// the provider's old value over it, and the write-back then writes it.
async fn a_billing_edit_of_a_two_way_field_survives_an_import_before_its_write_back(app: TestApp) {
    let s = setup(&app).await;
    let pause = "mutation($id: ID!) { pauseSource(id: $id) { id } }";
    app.ok(&s.admin, pause, json!({"id": s.source})).await;
    let edit = json!({"id": s.service, "f": {"purchased": "2026-05-05"}});
    app.ok(&s.admin, UPDATE, edit).await;
    let resume = "mutation($id: ID!) { resumeSource(id: $id) { id } }";
    app.ok(&s.admin, resume, json!({"id": s.source})).await;
    assert_eq!(sync(&app, &s.admin, &s.source).await["status"], "SUCCEEDED");

    let q = "query($id: ID!) { service(id: $id) { fields { field { key } value } links { lastFieldSync { nodeField status message } } } }";
    let data = app.ok(&s.admin, q, json!({"id": s.service})).await;
    let purchased = data["service"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"]["key"] == "purchased")
        .unwrap()["value"]
        .clone();
    assert_eq!(purchased, "2026-05-05", "{data:#}");
    let summary = data["service"]["links"][0]["lastFieldSync"].clone();
    let held = summary
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["nodeField"] == "purchaseDate")
        .unwrap();
    assert_eq!(held["status"], "SKIPPED", "{summary:#}");
    assert!(held["message"]
        .as_str()
        .unwrap()
        .contains("waiting to be written back"));

    let queued = jobs(&app, &s).await.remove(0);
    assert_eq!(
        (queued["kind"].as_str(), queued["status"].as_str()),
        (Some("WRITE_BACK"), Some("QUEUED"))
    );
    let job = run_next(&app, &s).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    let patch =
        json!([{"op": "replace", "path": "/purchaseDate", "value": "2026-05-04T22:00:00Z"}]);
    assert_eq!(
        s.fake.faults.edits.patches(),
        vec![("configurations/2".to_owned(), patch)]
    );
    // Written back, the node holds the edit: the next import changes nothing and holds nothing.
    assert_eq!(sync(&app, &s.admin, &s.source).await["status"], "SUCCEEDED");
    assert_eq!(jobs(&app, &s).await.remove(0)["kind"], "IMPORT");
    let data = app.ok(&s.admin, q, json!({"id": s.service})).await;
    let summary = data["service"]["links"][0]["lastFieldSync"].clone();
    assert!(
        summary
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["status"] != "SKIPPED" || o["nodeField"] != "purchaseDate"),
        "{summary:#}"
    );
}
