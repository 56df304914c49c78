//! A HARDWARE_TYPE mapped to don't sync: configurations (ConnectWise) and assets (Syncro) of
//! that type leave the next import and come back once the mapping is deleted.

use entity::enums::Role;
use serde_json::json;
use tests::fakes::syncro::{Config as SyncroConfig, SyncroFake};
use tests::{dual_db, gql, sync, Session, TestApp};

use crate::dictionary_values::{imported_cw, option, options, set, DELETE};

dual_db!(
    a_hardware_type_mapped_to_dont_sync_leaves_the_import_until_unmapped,
    syncro_assets_of_a_dont_sync_type_are_left_out,
);

/// Configuration nodes of `source` whose name starts with `prefix`: (live, with deleted).
async fn configurations(app: &TestApp, who: &Session, source: &str, prefix: &str) -> (i64, i64) {
    let q = "query($id: ID!, $q: String!) { source(id: $id) { live: nodes(type: \"Configuration\", search: $q) { totalCount } all: nodes(type: \"Configuration\", search: $q, includeDeleted: true) { totalCount } } }";
    let data = app.ok(who, q, json!({"id": source, "q": prefix})).await;
    (
        data["source"]["live"]["totalCount"].as_i64().unwrap(),
        data["source"]["all"]["totalCount"].as_i64().unwrap(),
    )
}

async fn a_hardware_type_mapped_to_dont_sync_leaves_the_import_until_unmapped(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    // 20 companies: 165 nodes, of which 20 laptops (configuration type 3).
    let (_fake, source) = imported_cw(&app, &admin, 20).await;
    assert_eq!(
        configurations(&app, &admin, &source, "Laptop-").await,
        (20, 20)
    );
    set(&app, &admin, &source, "HARDWARE_TYPE", "3", None).await;
    // A mapping to a value is no exclusion.
    set(&app, &admin, &source, "HARDWARE_TYPE", "1", Some("Server")).await;
    let second = sync(&app, &admin, &source).await;
    assert_eq!(second["status"], "SUCCEEDED", "{second}");
    assert_eq!(
        second["stats"],
        json!({"created": 0, "updated": 0, "deleted": 20, "unchanged": 145, "skipped": 40})
    );
    assert_eq!(
        configurations(&app, &admin, &source, "Laptop-").await,
        (0, 20)
    );
    assert_eq!(
        configurations(&app, &admin, &source, "Server-").await,
        (20, 20)
    );

    // Unmapped, they come back on the next import (same nodes, deletion cleared).
    let delete = json!({"s": source, "k": "HARDWARE_TYPE", "e": "3"});
    app.ok(&admin, DELETE, delete).await;
    let third = sync(&app, &admin, &source).await;
    assert_eq!(
        third["stats"],
        json!({"created": 0, "updated": 20, "deleted": 0, "unchanged": 145, "skipped": 20})
    );
    assert_eq!(
        configurations(&app, &admin, &source, "Laptop-").await,
        (20, 20)
    );
}

async fn syncro_assets_of_a_dont_sync_type_are_left_out(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = SyncroFake::start(SyncroConfig::default()).await;
    let input = json!({"input": {"name": "Syncro", "provider": "SYNCRO", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let source = app.ok(&admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = sync(&app, &admin, &source).await;
    assert_eq!(first["status"], "SUCCEEDED", "{first}");
    // Syncro's asset types are the HARDWARE_TYPE options.
    let offered = options(&app, &admin, &source, "HARDWARE_TYPE").await;
    assert_eq!(
        offered,
        json!([
            option("1", "Desktop", None),
            option("2", "Laptop", None),
            option("3", "Router", None)
        ])
    );
    let q = "query($id: ID!) { source(id: $id) { nodes(type: \"Asset\", search: \"Laptop-\") { totalCount } } }";
    let laptops = app.ok(&admin, q, json!({"id": source})).await["source"]["nodes"]["totalCount"]
        .as_i64()
        .unwrap();
    assert!(laptops > 0);
    set(&app, &admin, &source, "HARDWARE_TYPE", "2", None).await;
    let second = sync(&app, &admin, &source).await;
    assert_eq!(second["status"], "SUCCEEDED", "{second}");
    assert_eq!(second["stats"]["deleted"], laptops, "{second}");
    assert_eq!(
        second["stats"]["skipped"].as_i64().unwrap(),
        first["stats"]["skipped"].as_i64().unwrap() + laptops
    );
    let after = app.ok(&admin, q, json!({"id": source})).await;
    assert_eq!(after["source"]["nodes"]["totalCount"], 0);
}
