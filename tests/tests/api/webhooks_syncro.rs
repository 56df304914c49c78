//! A Syncro customer hint keeps the tree current: the record is read again by id
//! (`GET /customers/{id}`) and its node takes the provider's values, named as an import names
//! it, without queueing an import.

use entity::enums::Role;
use serde_json::{json, Value};
use tests::fakes::syncro::{Config, SyncroFake};
use tests::{dual_db, gql, sync, TestApp};

dual_db!(a_syncro_customer_hint_updates_its_node_from_the_provider);

async fn a_syncro_customer_hint_updates_its_node_from_the_provider(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = SyncroFake::start(Config {
        customers: 3,
        ..Config::default()
    })
    .await;
    let input = json!({"input": {"name": "Syncro", "provider": "SYNCRO", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let created = app.ok(&admin, gql::CREATE_SOURCE, input).await["createSource"].clone();
    let source = created["id"].as_str().unwrap().to_owned();
    let url = created["webhookUrl"].as_str().unwrap().to_owned();
    assert_eq!(sync(&app, &admin, &source).await["status"], "SUCCEEDED");

    let before = customer(&app, &admin, &source).await;
    fake.edit(
        "customers",
        1,
        json!({"business_name": "Renamed Dental", "business_then_name": "Renamed Dental", "email": "front@renamed.example"}),
    );
    // The hint's own words are not taken: the node follows what Syncro answers.
    let hint = json!({"attributes": {"id": 1, "business_then_name": "Forged"}, "text": "Customer created", "link": "https://acme.syncromsp.com/customers/1"});
    let status = reqwest::Client::new()
        .post(format!("{url}/customer-created"))
        .json(&hint)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 204);
    let after = customer(&app, &admin, &source).await;
    assert_ne!(before["name"], after["name"]);
    assert_eq!(after["name"], "Renamed Dental");
    assert_eq!(after["fields"]["email"], "front@renamed.example");

    let q = "query($id: ID!) { syncJobs(sourceId: $id) { edges { node { kind } } } }";
    let jobs = app.ok(&admin, q, json!({"id": source})).await;
    let kinds: Vec<Value> = jobs["syncJobs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["kind"].clone())
        .collect();
    assert_eq!(kinds, vec![json!("IMPORT")], "no WEBHOOK import was needed");
}

/// Syncro customer 1 as its node reads.
async fn customer(app: &TestApp, admin: &tests::Session, source: &str) -> Value {
    let q = "query($id: ID!) { source(id: $id) { nodes(type: \"Customer\", first: 10) { edges { node { externalId name fields } } } } }";
    let data = app.ok(admin, q, json!({"id": source})).await;
    data["source"]["nodes"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .find(|n| n["externalId"] == "1")
        .unwrap()
}
