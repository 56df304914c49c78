//! `reconciliation(sourceId)` on a crafted source: a mapped company with no service, a link
//! whose company was deleted upstream, a link whose fields differ, and node types without a
//! type mapping — each category non-empty and exact.

use serde_json::json;
use tests::{dual_db, TestApp};

use crate::plans::world::{world, UPDATE_FIELDS};

dual_db!(reconciliation_finds_each_category, reconciliation_is_scoped);

const REPORT: &str = "query($s: ID!) { reconciliation(sourceId: $s) { unlinkedNodes(first: 10) { totalCount edges { node { id type } } } orphanedLinks { id node { id } service { id } } outOfSyncLinks { id node { id } service { id } } unmappedNodeTypes generatedAt } }";

async fn reconciliation_finds_each_category(app: TestApp) {
    // Companies 1-3 linked, 4 not; company 2 deleted upstream; company 3's fields in step.
    let w = world(&app, 4, 3).await;
    for (i, phone) in [(2, "8135550003")] {
        let vars = json!({"s": w.services[i], "f": {"phone": phone, "city": "Tampa"}});
        app.ok(&w.operator, UPDATE_FIELDS, vars).await;
    }
    w.fake.faults.delete("companies/2");
    w.import(&app).await;
    let report =
        app.ok(&w.operator, REPORT, json!({"s": w.source})).await["reconciliation"].clone();
    let unlinked = &report["unlinkedNodes"];
    assert_eq!(unlinked["totalCount"], 1, "{report:#}");
    assert_eq!(
        unlinked["edges"][0]["node"]["id"],
        w.node(&app, "Company", "4").await.as_str()
    );
    let orphaned = report["orphanedLinks"].as_array().unwrap();
    assert_eq!(orphaned.len(), 1);
    assert_eq!(
        orphaned[0]["node"]["id"],
        w.node(&app, "Company", "2").await.as_str()
    );
    assert_eq!(orphaned[0]["service"]["id"], w.services[1].as_str());
    let out = report["outOfSyncLinks"].as_array().unwrap();
    assert_eq!(out.len(), 1, "{report:#}");
    assert_eq!(
        out[0]["node"]["id"],
        w.node(&app, "Company", "1").await.as_str()
    );
    let unmapped: Vec<&str> = report["unmappedNodeTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        unmapped.contains(&"Contact") && unmapped.contains(&"Site"),
        "{unmapped:?}"
    );
    assert!(!unmapped.contains(&"Company"));
    assert!(report["generatedAt"].is_string());
}

async fn reconciliation_is_scoped(app: TestApp) {
    let w = world(&app, 1, 0).await;
    let viewer = app.login_as("Acme", entity::enums::Role::Viewer).await;
    let report = app.ok(&viewer, REPORT, json!({"s": w.source})).await;
    assert_eq!(report["reconciliation"]["unlinkedNodes"]["totalCount"], 1);
    let other = app.login_as("Other", entity::enums::Role::Admin).await;
    let (code, _) = app.err(&other, REPORT, json!({"s": w.source})).await;
    assert_eq!(code, "NOT_FOUND");
}
