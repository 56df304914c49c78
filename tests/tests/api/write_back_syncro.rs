//! Write-back to Syncro (SEMANTICS.md "Write-back", SY-SPEC `PUT /customer_assets/{id}`): a
//! changed service value goes out as a PUT of that field only (a custom property merged over
//! the record's other properties, the asset's name along because Syncro requires it), and a
//! value someone changed in Syncro since the last import is a conflict, never overwritten.

use entity::enums::Role;
use serde_json::{json, Value};
use tests::fakes::syncro::{Config, SyncroFake};
use tests::{dual_db, gql, sync, Session, TestApp};

use crate::syncro::source_with;

dual_db!(
    a_syncro_asset_is_written_with_put_and_a_syncro_change_is_a_conflict,
    a_provider_that_cannot_write_refuses_write_back_fields,
);

const UPDATE: &str =
    "mutation($id: ID!, $f: JSON!) { updateServiceFields(serviceId: $id, fields: $f) { id } }";

const JOBS: &str = "query($id: ID!) { syncJobs(sourceId: $id) { edges { node { kind status stats { updated failed } logs { edges { node { level message externalId } } } } } } }";

/// Runs the next queued job and returns the newest job as the API reads it.
async fn run_next(app: &TestApp, admin: &Session, source: &str) -> Value {
    server::sync::worker::Worker::new(app.state.clone(), 0)
        .try_run_next()
        .await
        .unwrap();
    app.ok(admin, JOBS, json!({"id": source})).await["syncJobs"]["edges"][0]["node"].clone()
}

/// The Asset node with external id `id`.
async fn asset_node(app: &TestApp, admin: &Session, source: &str, id: &str) -> Value {
    let q = "query($id: ID!) { source(id: $id) { nodes(type: \"Asset\", first: 200) { edges { node { id externalId fields } } } } }";
    let data = app.ok(admin, q, json!({"id": source})).await;
    data["source"]["nodes"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .find(|n| n["externalId"] == id)
        .unwrap()
}

async fn a_syncro_asset_is_written_with_put_and_a_syncro_change_is_a_conflict(app: TestApp) {
    let fake = SyncroFake::start(Config {
        customers: 3,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let settings = json!({"includeCustomFields": true,
        "writeBackFields": ["asset_serial", "properties.OS"]});
    let source = source_with(&app, &admin, &fake, fake.config.credentials(), settings).await;
    assert_eq!(sync(&app, &admin, &source).await["status"], "SUCCEEDED");

    let q = r#"mutation { createServiceType(input: {name: "Device", fields: [
      {key: "serial", label: "Serial", dataType: TEXT}, {key: "os", label: "OS", dataType: NUMBER}
    ]}) { id fields { id key } } }"#;
    let st = app.ok(&admin, q, json!({})).await["createServiceType"].clone();
    let field = |key: &str| {
        st["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .unwrap()["id"]
            .clone()
    };
    let vars = json!({"p": "SYNCRO", "t": "Asset", "st": st["id"]});
    let tm =
        app.ok(&admin, gql::CREATE_TYPE_MAPPING, vars).await["createTypeMapping"]["id"].clone();
    for (nf, sf) in [("asset_serial", "serial"), ("properties.OS", "os")] {
        let vars = json!({"tm": tm, "nf": nf, "sf": field(sf), "d": "BOTH"});
        app.ok(&admin, gql::CREATE_FIELD_MAPPING, vars).await;
    }

    // The asset's own values, so nothing is pending until a person changes one.
    let before = fake.current("customer_assets", 1);
    let node = asset_node(&app, &admin, &source, "1").await;
    assert_eq!(node["fields"]["asset_serial"], before["asset_serial"]);
    let customer = app
        .ok(&admin, gql::CREATE_CUSTOMER, json!({"name": "Walkin"}))
        .await["createCustomer"]["id"]
        .clone();
    let q = "mutation($n: ID!, $c: ID!, $st: ID!) { createServiceForNode(nodeId: $n, input: {customerId: $c, serviceTypeId: $st, effectiveDate: \"2026-01-01\"}) { service { id fields { field { key } value } } } }";
    let vars = json!({"n": node["id"], "c": customer, "st": st["id"]});
    let service = app.ok(&admin, q, vars).await["createServiceForNode"]["service"].clone();
    let serial = service["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"]["key"] == "serial")
        .unwrap()["value"]
        .clone();
    assert_eq!(
        serial, before["asset_serial"],
        "the mapped node value went in"
    );

    app.ok(
        &admin,
        UPDATE,
        json!({"id": service["id"], "f": {"serial": "SN-NEW", "os": 11}}),
    )
    .await;
    let job = run_next(&app, &admin, &source).await;
    assert_eq!(
        (job["kind"].as_str(), job["status"].as_str()),
        (Some("WRITE_BACK"), Some("SUCCEEDED")),
        "{job}"
    );
    // Two values, one record.
    assert_eq!(job["stats"], json!({"updated": 2, "failed": 0}));
    let puts: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect();
    assert_eq!(puts.len(), 1, "one PUT for the record");
    assert!(
        puts[0].uri.ends_with("/api/v1/customer_assets/1"),
        "{}",
        puts[0].uri
    );
    let after = fake.current("customer_assets", 1);
    assert_eq!(after["asset_serial"], "SN-NEW");
    assert_eq!(
        after["name"], before["name"],
        "the name went along unchanged"
    );
    assert_eq!(
        after["properties"],
        json!({"OS": 11, "Size": before["properties"]["Size"]}),
        "the other properties stay"
    );
    let node = asset_node(&app, &admin, &source, "1").await;
    assert_eq!(node["fields"]["asset_serial"], "SN-NEW", "the node follows");

    // Someone changes the serial in Syncro; the next service change must not overwrite it.
    fake.edit("customer_assets", 1, json!({"asset_serial": "SN-UPSTREAM"}));
    app.ok(
        &admin,
        UPDATE,
        json!({"id": service["id"], "f": {"serial": "SN-MINE"}}),
    )
    .await;
    let job = run_next(&app, &admin, &source).await;
    assert_eq!(
        (job["kind"].as_str(), job["status"].as_str()),
        (Some("WRITE_BACK"), Some("PARTIAL")),
        "{job}"
    );
    let warn = job["logs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["node"]["level"] == "WARN")
        .unwrap()["node"]
        .clone();
    assert!(
        warn["message"]
            .as_str()
            .unwrap()
            .starts_with("conflict: asset_serial changed in the source since the last import"),
        "{warn}"
    );
    assert_eq!(warn["externalId"], "1");
    assert_eq!(
        fake.current("customer_assets", 1)["asset_serial"],
        "SN-UPSTREAM"
    );
    let puts = fake.requests().iter().filter(|r| r.method == "PUT").count();
    assert_eq!(puts, 1, "nothing more was written");
}

async fn a_provider_that_cannot_write_refuses_write_back_fields(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let input = |settings: Value| {
        json!({"input": {"name": "BW", "provider": "BROADWORKS",
            "baseUrl": "http://127.0.0.1:9/webservice/services/ProvisioningService",
            "credentials": {"userId": "admin", "password": "secret"}, "settings": settings}})
    };
    let (code, err) = app
        .err(
            &admin,
            gql::CREATE_SOURCE,
            input(json!({"writeBackFields": ["firstName"]})),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    let err = &err["errors"][0];
    assert_eq!(err["extensions"]["field"], "input.settings.writeBackFields");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("cannot be written back"),
        "{err}"
    );

    let id =
        app.ok(&admin, gql::CREATE_SOURCE, input(json!({}))).await["createSource"]["id"].clone();
    let q = "mutation($id: ID!, $s: SourceSettingsInput!) { updateSource(id: $id, input: {settings: $s}) { id } }";
    let (code, _) = app
        .err(
            &admin,
            q,
            json!({"id": id, "s": {"writeBackFields": ["lastName"]}}),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
}
