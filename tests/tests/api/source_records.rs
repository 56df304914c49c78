//! Upstream records (issue #5 part 5): `createSourceRecord`, `updateSourceRecord` and
//! `deleteSourceRecord` write to the provider first; the node appears, changes or is marked
//! deleted only after the provider accepted, as the provider answered. ConnectWise companies
//! and contacts, Syncro customers, contacts and leads.

use entity::enums::Role;
use serde_json::{json, Value};
use tests::fakes::connectwise::{Config as CwConfig, ConnectWiseFake};
use tests::fakes::syncro::{Config as SyConfig, SyncroFake};
use tests::{dual_db, gql, sync, Session, TestApp};

dual_db!(
    connectwise_companies_and_contacts_are_written_then_their_nodes_follow,
    syncro_customers_contacts_and_leads_are_written_then_their_nodes_follow,
);

const CREATE: &str = "mutation($s: ID!, $t: String!, $f: JSON!) { createSourceRecord(sourceId: $s, type: $t, fields: $f) { id type externalId name fields deletedAt parent { externalId type } } }";
const UPDATE: &str = "mutation($n: ID!, $f: JSON!) { updateSourceRecord(nodeId: $n, fields: $f) { id type externalId name fields deletedAt parent { externalId } } }";
const DELETE: &str =
    "mutation($n: ID!) { deleteSourceRecord(nodeId: $n) { id externalId deletedAt } }";
const NODE: &str = "query($n: ID!) { sourceNode(id: $n) { externalId name deletedAt } }";
const FIND: &str = "query($s: ID!, $t: String!) { source(id: $s) { nodes(type: $t, first: 200, includeDeleted: true) { totalCount edges { node { id externalId name deletedAt } } } } }";

async fn source(
    app: &TestApp,
    admin: &Session,
    provider: &str,
    base: String,
    credentials: Value,
) -> String {
    let input = json!({"input": {"name": provider, "provider": provider, "baseUrl": base, "credentials": credentials}});
    let id = app.ok(admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = sync(app, admin, &id).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    id
}

/// The node of `source` with that type and external id.
async fn node(
    app: &TestApp,
    who: &Session,
    source: &str,
    node_type: &str,
    external: &str,
) -> Value {
    let data = app
        .ok(who, FIND, json!({"s": source, "t": node_type}))
        .await;
    data["source"]["nodes"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .find(|n| n["externalId"] == external)
        .unwrap_or(Value::Null)
}

async fn count(app: &TestApp, who: &Session, source: &str, node_type: &str) -> i64 {
    let data = app
        .ok(who, FIND, json!({"s": source, "t": node_type}))
        .await;
    data["source"]["nodes"]["totalCount"].as_i64().unwrap()
}

async fn connectwise_companies_and_contacts_are_written_then_their_nodes_follow(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = ConnectWiseFake::start(CwConfig {
        companies: 4,
        ..CwConfig::default()
    })
    .await;
    let source = source(
        &app,
        &admin,
        "CONNECTWISE_MANAGE",
        fake.base_url(),
        fake.config.credentials(),
    )
    .await;

    let fields = json!({"identifier": "NEWCO", "name": "New Co", "phoneNumber": "8135550000"});
    let vars = json!({"s": source, "t": "Company", "f": fields});
    let company = app.ok(&admin, CREATE, vars).await["createSourceRecord"].clone();
    assert_eq!(company["type"], "Company");
    assert_eq!(company["name"], "New Co");
    assert_eq!(company["externalId"], "100001");
    assert_eq!(company["fields"]["phoneNumber"], "8135550000");
    assert!(company["deletedAt"].is_null());

    let fields = json!({"firstName": "Ann", "lastName": "Lee", "company": {"id": 100001}});
    let vars = json!({"s": source, "t": "Contact", "f": fields});
    let contact = app.ok(&admin, CREATE, vars).await["createSourceRecord"].clone();
    assert_eq!(contact["name"], "Ann Lee");
    assert_eq!(
        contact["parent"],
        json!({"externalId": "100001", "type": "Company"})
    );

    let vars = json!({"n": contact["id"], "f": {"lastName": "Smith"}});
    let changed = app.ok(&admin, UPDATE, vars).await["updateSourceRecord"].clone();
    assert_eq!(changed["name"], "Ann Smith");
    assert_eq!(changed["id"], contact["id"]);
    // An imported contact is patched in place (API-NOTES §1.5).
    let imported = node(&app, &admin, &source, "Contact", "1").await;
    let vars = json!({"n": imported["id"], "f": {"title": "CEO"}});
    let changed = app.ok(&admin, UPDATE, vars).await["updateSourceRecord"].clone();
    assert_eq!(changed["fields"]["title"], "CEO");
    assert_eq!(changed["name"], imported["name"]);
    let patches = fake.faults.edits.patches();
    assert_eq!(
        patches.last().unwrap().1,
        json!([{"op": "replace", "path": "/title", "value": "CEO"}])
    );

    // Deleting the company marks it deleted, with the contact under it.
    let gone =
        app.ok(&admin, DELETE, json!({"n": company["id"]})).await["deleteSourceRecord"].clone();
    assert!(gone["deletedAt"].is_string());
    let under = app.ok(&admin, NODE, json!({"n": contact["id"]})).await;
    assert!(under["sourceNode"]["deletedAt"].is_string(), "{under}");
    // A deleted node cannot be written again.
    let (code, _) = app.err(&admin, DELETE, json!({"n": company["id"]})).await;
    assert_eq!(code, "CONFLICT");

    // What the provider refuses leaves no node; bad input names the field.
    let before = count(&app, &admin, &source, "Contact").await;
    let vars =
        json!({"s": source, "t": "Contact", "f": {"lastName": "Nofirst", "company": {"id": 1}}});
    let (code, body) = app.err(&admin, CREATE, vars).await;
    assert_eq!(code, "UPSTREAM_ERROR");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("contact object is invalid"),
        "{body}"
    );
    assert_eq!(count(&app, &admin, &source, "Contact").await, before);
    for (t, f, field) in [
        ("Configuration", json!({"name": "x"}), "type"),
        ("Company", json!({}), "fields"),
        ("Company", json!([1]), "fields"),
    ] {
        let (code, body) = app
            .err(&admin, CREATE, json!({"s": source, "t": t, "f": f}))
            .await;
        assert_eq!(code, "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
    }

    // VIEWER reads but does not write; another organization sees nothing.
    let viewer = app.login_as("Acme", Role::Viewer).await;
    let vars = json!({"s": source, "t": "Company", "f": {"identifier": "V", "name": "V"}});
    assert_eq!(app.err(&viewer, CREATE, vars.clone()).await.0, "FORBIDDEN");
    assert_eq!(
        app.err(
            &viewer,
            UPDATE,
            json!({"n": imported["id"], "f": {"title": "x"}})
        )
        .await
        .0,
        "FORBIDDEN"
    );
    let other = app.login_as("Other", Role::Admin).await;
    assert_eq!(app.err(&other, CREATE, vars).await.0, "NOT_FOUND");
    assert_eq!(
        app.err(
            &other,
            UPDATE,
            json!({"n": imported["id"], "f": {"title": "x"}})
        )
        .await
        .0,
        "NOT_FOUND"
    );
    assert_eq!(
        app.err(&other, DELETE, json!({"n": imported["id"]}))
            .await
            .0,
        "NOT_FOUND"
    );
}

async fn syncro_customers_contacts_and_leads_are_written_then_their_nodes_follow(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = SyncroFake::start(SyConfig::default()).await;
    let source = source(
        &app,
        &admin,
        "SYNCRO",
        fake.base_url(),
        fake.config.credentials(),
    )
    .await;

    let vars = json!({"s": source, "t": "Customer", "f": {"business_name": "Zed Corp", "email": "zed@example.com"}});
    let customer = app.ok(&admin, CREATE, vars).await["createSourceRecord"].clone();
    assert_eq!(customer["name"], "Zed Corp");
    assert_eq!(customer["fields"]["email"], "zed@example.com");
    let id: i64 = customer["externalId"].as_str().unwrap().parse().unwrap();

    let vars = json!({"s": source, "t": "Contact", "f": {"customer_id": id, "name": "Bo Diaz"}});
    let contact = app.ok(&admin, CREATE, vars).await["createSourceRecord"].clone();
    assert_eq!(contact["name"], "Bo Diaz");
    assert_eq!(contact["parent"]["externalId"], customer["externalId"]);

    let vars = json!({"s": source, "t": "Lead", "f": {"first_name": "Al", "last_name": "Day", "email": "al@example.com"}});
    let lead = app.ok(&admin, CREATE, vars).await["createSourceRecord"].clone();
    assert_eq!(lead["type"], "Lead");
    assert_eq!(lead["name"], "Al Day");
    assert!(lead["parent"].is_null());

    // A contact's PUT carries its name (Syncro requires it) even when the change leaves it out.
    let imported = node(&app, &admin, &source, "Contact", "1").await;
    let vars = json!({"n": imported["id"], "f": {"email": "new@example.com"}});
    let changed = app.ok(&admin, UPDATE, vars).await["updateSourceRecord"].clone();
    assert_eq!(changed["fields"]["email"], "new@example.com");
    assert_eq!(changed["name"], "Contact 1");
    let put = fake
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.method == "PUT")
        .unwrap();
    assert_eq!(put.uri, "/api/v1/contacts/1");
    let first = node(&app, &admin, &source, "Customer", "1").await;
    let vars = json!({"n": first["id"], "f": {"business_name": "Renamed Inc"}});
    let renamed = app.ok(&admin, UPDATE, vars).await["updateSourceRecord"].clone();
    assert_eq!(renamed["fields"]["business_name"], "Renamed Inc");

    // Deleting a customer takes its contacts with it; Syncro cannot delete leads.
    let gone =
        app.ok(&admin, DELETE, json!({"n": first["id"]})).await["deleteSourceRecord"].clone();
    assert!(gone["deletedAt"].is_string());
    assert!(node(&app, &admin, &source, "Contact", "1").await["deletedAt"].is_string());
    assert!(fake.faults.is_deleted("customers/1"));
    let (code, body) = app.err(&admin, DELETE, json!({"n": lead["id"]})).await;
    assert_eq!(code, "BAD_USER_INPUT", "{body}");
    assert!(node(
        &app,
        &admin,
        &source,
        "Lead",
        lead["externalId"].as_str().unwrap()
    )
    .await["deletedAt"]
        .is_null());
    // Assets are not written from here.
    let asset = node(&app, &admin, &source, "Asset", "4").await;
    let (code, body) = app
        .err(
            &admin,
            UPDATE,
            json!({"n": asset["id"], "f": {"name": "x"}}),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "nodeId");
}
