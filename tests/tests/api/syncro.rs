//! Importing Syncro into a node tree, against the fake (docs/CONNECTORS.md §2, §4.4): the exact
//! tree of PROVIDERS.md, field keys, filters, idempotence and deletions on a complete pass. Faults
//! and mid-pass deletions are in `faults`; credentials, connection tests and the fake itself in
//! `access`.
//!
//! The default fake (12 customers, 6 leads; see `tests::fakes::syncro::records`) imports as 10
//! customers (5 has only an asset without serial, 10 has nothing), 20 contacts, 20 assets and
//! 5 leads (lead 5's customer is left out); skipped: 2 customers, the contact and the asset
//! without a customer, 11 assets without serial, lead 5.

mod access;
mod faults;

use entity::enums::Role;
use serde_json::{json, Value};
use tests::fakes::syncro::{Config, SyncroFake};
pub(crate) use tests::sync;
use tests::{dual_db, gql, typed_names as names, Session, TestApp};

dual_db!(
    imports_the_exact_syncro_tree,
    without_serial_and_with_custom_fields_more_is_imported,
    a_second_import_changes_nothing_and_deletions_follow_a_complete_pass,
);

pub(crate) async fn source_with(
    app: &TestApp,
    admin: &Session,
    fake: &SyncroFake,
    credentials: Value,
    settings: Value,
) -> String {
    // Source names are unique per organization; tests make several.
    let name = format!("Syncro {}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let input = json!({"input": {"name": name, "provider": "SYNCRO", "baseUrl": fake.base_url(), "credentials": credentials, "settings": settings}});
    app.ok(admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(crate) async fn source_for(app: &TestApp, admin: &Session, fake: &SyncroFake) -> String {
    source_with(app, admin, fake, fake.config.credentials(), json!({})).await
}

pub(crate) async fn node_count(app: &TestApp, admin: &Session, source: &str) -> i64 {
    let q = "query($id: ID!) { source(id: $id) { nodeCount } }";
    app.ok(admin, q, json!({"id": source})).await["source"]["nodeCount"]
        .as_i64()
        .unwrap()
}

/// The nodes of one type, as (external id, node).
async fn nodes_of(
    app: &TestApp,
    admin: &Session,
    source: &str,
    node_type: &str,
) -> Vec<(String, Value)> {
    let q = "query($id: ID!, $t: String!) { source(id: $id) { nodes(type: $t, first: 200) { edges { node { externalId name fields parent { type externalId } } } } } }";
    let data = app
        .ok(admin, q, json!({"id": source, "t": node_type}))
        .await;
    data["source"]["nodes"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["externalId"].as_str().unwrap().to_owned(),
                e["node"].clone(),
            )
        })
        .collect()
}

async fn imports_the_exact_syncro_tree(app: TestApp) {
    let fake = SyncroFake::start(Config::default()).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, &fake).await;
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(
        job["stats"],
        json!({"created": 55, "updated": 0, "deleted": 0, "unchanged": 0, "skipped": 16})
    );
    // Metadata: 3 asset types, 8 ticket statuses, 5 problem types, 4 priorities (not "").
    assert_eq!(
        job["coverage"],
        json!([
            {"entity": "metadata", "reported": null, "received": 20, "complete": true},
            {"entity": "customers", "reported": 12, "received": 12, "complete": true},
            {"entity": "contacts", "reported": 21, "received": 21, "complete": true},
            {"entity": "customer_assets", "reported": 32, "received": 32, "complete": true},
            {"entity": "leads", "reported": 6, "received": 6, "complete": true},
        ])
    );
    let q = "query($id: ID!) { source(id: $id) { nodeCount filterOptions { companyStatuses } roots(first: 20) { totalCount edges { node { type name externalId fields children { edges { node { type name externalId fields } } } } } } } }";
    let data = app.ok(&admin, q, json!({"id": source})).await;
    let s = &data["source"];
    assert_eq!(s["nodeCount"], 55);
    assert_eq!(s["filterOptions"]["companyStatuses"], json!([]));
    // Customers by `business_then_name` (the person's name when there is no business name),
    // then the two leads without a customer as roots.
    assert_eq!(
        names(&s["roots"]),
        [
            "Customer:Business 0001",
            "Customer:Business 0002",
            "Customer:Business 0003",
            "Customer:Business 0006",
            "Customer:Business 0007",
            "Customer:Business 0009",
            "Customer:Business 0011",
            "Customer:Pat12 Lee12",
            "Customer:Pat4 Lee4",
            "Customer:Pat8 Lee8",
            "Lead:Sam3 Reed3",
            "Lead:Sam6 Reed6"
        ]
    );
    let roots = s["roots"]["edges"].as_array().unwrap();
    let first = &roots[0]["node"];
    assert_eq!(first["externalId"], "1");
    assert_eq!(first["fields"]["business_then_name"], "Business 0001");
    assert_eq!(first["fields"]["disabled"], false);
    assert!(first["fields"]["contacts"].is_array(), "lists stay lists");
    assert!(
        first["fields"]
            .as_object()
            .unwrap()
            .keys()
            .all(|k| !k.starts_with("properties")),
        "custom fields only with includeCustomFields: {}",
        first["fields"]
    );
    assert_eq!(
        names(&first["children"]),
        [
            "Contact:Contact 1",
            "Contact:Contact 2",
            "Asset:Desktop-1",
            "Asset:Laptop-2",
            "Lead:Sam1 Reed1"
        ]
    );
    let asset = &first["children"]["edges"][2]["node"];
    assert_eq!(asset["externalId"], "1");
    assert_eq!(
        asset["fields"]["customer.business_then_name"],
        "Business 0001"
    );
    assert_eq!(asset["fields"]["address.city"], "Tampa");
    assert_eq!(asset["fields"]["asset_serial"], "SN000001");
    assert!(
        asset["fields"].get("customer.email").is_none()
            && asset["fields"].get("rmm_store.id").is_none()
    );
    let contact = &first["children"]["edges"][0]["node"]["fields"];
    assert_eq!(
        (contact["customer_id"].as_i64(), contact["email"].as_str()),
        (Some(1), Some("contact1@example.com"))
    );
    // A disabled customer (listed with include_disabled=true) is present, with the field.
    let disabled = roots
        .iter()
        .find(|r| r["node"]["externalId"] == "6")
        .unwrap();
    assert_eq!(disabled["node"]["fields"]["disabled"], true);
    let lead = &roots[10]["node"];
    assert_eq!(
        (
            lead["externalId"].as_str(),
            lead["fields"]["customer_id"].is_null()
        ),
        (Some("3"), true)
    );
    assert_eq!(lead["fields"]["status"], "First Contact");
    // Every request carried the token in the header, never in the query.
    let requests = fake.requests();
    assert!(requests.len() < 30, "{} requests", requests.len());
    for r in &requests {
        assert_eq!(
            r.authorization.as_deref(),
            Some("Bearer fake-syncro-token"),
            "{r:?}"
        );
        assert!(!r.uri.contains("api_key"), "{r:?}");
    }
    assert!(requests
        .iter()
        .filter(|r| r.uri.starts_with("/api/v1/customers"))
        .all(|r| r.uri.contains("include_disabled=true")));
}

async fn without_serial_and_with_custom_fields_more_is_imported(app: TestApp) {
    let fake = SyncroFake::start(Config::default()).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let settings = json!({"includeAssetsWithoutSerial": true, "includeCustomFields": true});
    let source = source_with(&app, &admin, &fake, fake.config.credentials(), settings).await;
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    // Customer 5 now has an asset; 10 still has nothing. Skipped: customer 10, the two records
    // without a customer.
    assert_eq!(job["stats"]["created"], 68, "{job}");
    assert_eq!(job["stats"]["skipped"], 3, "{job}");
    let customers = nodes_of(&app, &admin, &source, "Customer").await;
    let ids: Vec<&str> = customers.iter().map(|(id, _)| id.as_str()).collect();
    assert!(ids.contains(&"5") && !ids.contains(&"10"), "{ids:?}");
    let one = &customers.iter().find(|(id, _)| id == "1").unwrap().1;
    assert_eq!(one["fields"]["properties.Tier"], "Silver");
    assert_eq!(
        one["fields"]["properties.Contract"],
        json!({"start": "2026-01-01", "months": 12})
    );
    let assets = nodes_of(&app, &admin, &source, "Asset").await;
    let router = &assets.iter().find(|(id, _)| id == "15").unwrap().1;
    assert_eq!(
        router["parent"],
        json!({"type": "Customer", "externalId": "5"})
    );
    assert_eq!(router["fields"]["properties.OS"], 5);
    // Serial numbers that are missing, empty or white space all count as without.
    let serials: Vec<Value> = assets
        .iter()
        .filter(|(_, a)| a["name"].as_str().unwrap().starts_with("Router"))
        .map(|(_, a)| a["fields"]["asset_serial"].clone())
        .collect();
    assert!(
        serials.contains(&Value::Null)
            && serials.contains(&json!(""))
            && serials.contains(&json!("   "))
    );
    let leads = nodes_of(&app, &admin, &source, "Lead").await;
    let five = &leads.iter().find(|(id, _)| id == "5").unwrap().1;
    assert_eq!(five["parent"]["externalId"], "5");
}

async fn a_second_import_changes_nothing_and_deletions_follow_a_complete_pass(app: TestApp) {
    let fake = SyncroFake::start(Config::default()).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, &fake).await;
    sync(&app, &admin, &source).await;
    let again = sync(&app, &admin, &source).await;
    assert_eq!(again["status"], "SUCCEEDED", "{again}");
    assert_eq!(
        again["stats"],
        json!({"created": 0, "updated": 0, "deleted": 0, "unchanged": 55, "skipped": 16})
    );
    // Customer 3 goes away upstream with its 2 contacts and 2 assets with a serial.
    fake.faults.delete("customers/3");
    let third = sync(&app, &admin, &source).await;
    assert_eq!(third["status"], "SUCCEEDED", "{third}");
    assert_eq!(third["stats"]["deleted"], 5, "{third}");
    assert_eq!(node_count(&app, &admin, &source).await, 50);
}
