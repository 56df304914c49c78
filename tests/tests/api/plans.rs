//! Sync plans: `planSync` lists every change the next field sync would make and changes
//! nothing; `applySyncPlan` writes exactly those changes as a FIELD_SYNC job (the services'
//! history shows the same list), refuses a plan whose data moved (CONFLICT, nothing written)
//! or that was applied already; write-backs are planned and queued.

pub(crate) mod world;

use std::collections::BTreeSet;

use serde_json::{json, Value};
use tests::{dual_db, TestApp};

use world::{set_settings, world, APPLY, UPDATE_FIELDS};

dual_db!(
    a_plan_lists_exactly_what_applying_then_changes,
    a_stale_plan_is_refused_and_writes_nothing,
    write_backs_are_planned_and_applying_queues_them,
    plans_follow_roles_and_organizations,
);

/// (node, service, field, old, new) of each change.
fn key(node: &Value, service: &Value, field: &Value, old: &Value, new: &Value) -> String {
    format!("{node}|{service}|{field}|{old}|{new}")
}

async fn a_plan_lists_exactly_what_applying_then_changes(app: TestApp) {
    let w = world(&app, 4, 3).await;
    let (plan, changes) = w.plan(&app).await;
    assert_eq!(plan["source"]["id"], w.source.as_str());
    assert_eq!(plan["changes"]["totalCount"], 6, "{plan:#}");
    let planned: BTreeSet<String> = changes
        .iter()
        .map(|c| {
            assert_eq!(c["action"], "UPDATE_SERVICE_FIELD");
            assert!(c["fieldMapping"]["id"].is_string());
            assert!(c["rule"].is_null());
            assert!(!c["reason"].as_str().unwrap().is_empty());
            key(
                &c["node"]["id"],
                &c["service"]["id"],
                &c["field"]["key"],
                &c["oldValue"],
                &c["newValue"],
            )
        })
        .collect();
    assert_eq!(planned.len(), 6);
    assert!(changes
        .iter()
        .any(|c| c["field"]["key"] == "phone" && c["newValue"] == "8135550002"));
    // Planning changed nothing, and planning again gives the same hash.
    for s in &w.services {
        assert!(w.history(&app, s).await.is_empty());
    }
    let (again, _) = w.plan(&app).await;
    assert_eq!(again["planHash"], plan["planHash"]);
    assert_ne!(again["id"], plan["id"]);

    // Paged in order.
    let q = "query($id: ID!, $after: String) { syncPlan(id: $id) { changes(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { field { key } } } } } }";
    let first =
        app.ok(&w.operator, q, json!({"id": plan["id"]})).await["syncPlan"]["changes"].clone();
    assert_eq!(first["edges"].as_array().unwrap().len(), 4);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let vars = json!({"id": plan["id"], "after": first["pageInfo"]["endCursor"]});
    let rest = app.ok(&w.operator, q, vars).await["syncPlan"]["changes"].clone();
    assert_eq!(rest["edges"].as_array().unwrap().len(), 2);
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);

    let job = app.ok(&w.operator, APPLY, json!({"p": plan["id"]})).await["applySyncPlan"].clone();
    assert_eq!(
        (&job["kind"], &job["status"]),
        (&json!("FIELD_SYNC"), &json!("SUCCEEDED"))
    );
    assert_eq!(job["stats"]["updated"], 6);
    let mut applied = BTreeSet::new();
    for s in &w.services {
        for c in w.history(&app, s).await {
            assert_eq!(c["origin"], "SYNC");
            assert_eq!(c["job"]["id"], job["id"]);
            assert_eq!(c["actor"]["label"], w.operator.email.as_str());
            applied.insert(key(
                &c["node"]["id"],
                &json!(s),
                &c["field"]["key"],
                &c["oldValue"],
                &c["newValue"],
            ));
        }
    }
    assert_eq!(applied, planned);
    // Each link carries the outcome of the field sync the plan applied, as a sync would leave it.
    let summary = "query($id: ID!) { service(id: $id) { links { lastFieldSync { status } } } }";
    for s in &w.services {
        let data = app.ok(&w.operator, summary, json!({"id": s})).await;
        let statuses = &data["service"]["links"][0]["lastFieldSync"];
        assert_eq!(
            statuses,
            &json!([{"status": "SYNCED"}, {"status": "SYNCED"}]),
            "{data:#}"
        );
    }
    let read = "query($id: ID!) { syncPlan(id: $id) { appliedBy { id kind } } }";
    let data = app.ok(&w.operator, read, json!({"id": plan["id"]})).await;
    assert_eq!(data["syncPlan"]["appliedBy"]["id"], job["id"]);
    // Once only; and nothing is left to plan.
    let (code, _) = app.err(&w.operator, APPLY, json!({"p": plan["id"]})).await;
    assert_eq!(code, "CONFLICT");
    let (_, none) = w.plan(&app).await;
    assert!(none.is_empty(), "{none:?}");
}

async fn a_stale_plan_is_refused_and_writes_nothing(app: TestApp) {
    let w = world(&app, 3, 2).await;
    // A service value moved.
    let (plan, _) = w.plan(&app).await;
    let vars = json!({"s": w.services[0], "f": {"tier": "Gold"}});
    app.ok(&w.operator, UPDATE_FIELDS, vars).await;
    let vars = json!({"s": w.services[0], "f": {"phone": "8135559999"}});
    app.ok(&w.operator, UPDATE_FIELDS, vars).await;
    let (code, body) = app.err(&w.operator, APPLY, json!({"p": plan["id"]})).await;
    assert_eq!(code, "CONFLICT", "{body}");
    assert_eq!(w.values(&app, &w.services[1]).await["phone"], Value::Null);
    assert_eq!(w.history(&app, &w.services[0]).await.len(), 2);

    // The source moved: company 2's city changed upstream and was imported.
    let (plan, _) = w.plan(&app).await;
    w.fake
        .faults
        .edits
        .set("companies/2", "city", json!("Orlando"));
    // The fake lists edited records by their touch in incremental passes.
    w.fake.faults.touch("companies/2");
    w.import(&app).await;
    let (code, _) = app.err(&w.operator, APPLY, json!({"p": plan["id"]})).await;
    assert_eq!(code, "CONFLICT");
    assert!(w.history(&app, &w.services[1]).await.is_empty());
    // A fresh plan sees the new city and applies.
    let (plan, changes) = w.plan(&app).await;
    assert!(changes.iter().any(|c| c["newValue"] == "Orlando"));
    app.ok(&w.operator, APPLY, json!({"p": plan["id"]})).await;
    assert_eq!(w.values(&app, &w.services[1]).await["city"], "Orlando");
}

async fn write_backs_are_planned_and_applying_queues_them(app: TestApp) {
    let w = world(&app, 2, 1).await;
    let street = app
        .ok(
            &w.admin,
            "query { serviceTypes { fields { id key } } }",
            json!({}),
        )
        .await["serviceTypes"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "street")
        .unwrap()["id"]
        .clone();
    let vars =
        json!({"tm": w.type_mapping, "nf": "addressLine1", "sf": street, "d": "SERVICE_TO_SOURCE"});
    app.ok(&w.admin, tests::gql::CREATE_FIELD_MAPPING, vars)
        .await;
    set_settings(
        &app,
        &w.admin,
        &w.source,
        json!({"writeBackFields": ["addressLine1"]}),
    )
    .await;
    let vars = json!({"s": w.services[0], "f": {"street": "9 New Street"}});
    app.ok(&w.operator, UPDATE_FIELDS, vars).await;
    let (plan, changes) = w.plan(&app).await;
    let back: Vec<&Value> = changes
        .iter()
        .filter(|c| c["action"] == "WRITE_BACK")
        .collect();
    assert_eq!(back.len(), 1, "{changes:#?}");
    assert_eq!(back[0]["field"]["key"], "street");
    assert_eq!(back[0]["oldValue"], "1 Main Street");
    assert_eq!(back[0]["newValue"], "9 New Street");
    assert_eq!(back[0]["service"]["id"], w.services[0].as_str());
    app.ok(&w.operator, APPLY, json!({"p": plan["id"]})).await;
    let q = "query($s: ID!) { syncJobs(sourceId: $s, status: QUEUED) { edges { node { kind } } } }";
    let queued = app.ok(&w.operator, q, json!({"s": w.source})).await;
    assert!(
        queued["syncJobs"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["node"]["kind"] == "WRITE_BACK"),
        "{queued}"
    );
}

async fn plans_follow_roles_and_organizations(app: TestApp) {
    let w = world(&app, 2, 1).await;
    let viewer = app.login_as("Acme", entity::enums::Role::Viewer).await;
    let (code, _) = app.err(&viewer, world::PLAN, json!({"s": w.source})).await;
    assert_eq!(code, "FORBIDDEN");
    let (plan, _) = w.plan(&app).await;
    let (code, _) = app.err(&viewer, APPLY, json!({"p": plan["id"]})).await;
    assert_eq!(code, "FORBIDDEN");
    // Readable by a viewer of the organization, invisible to another one.
    let read = "query($id: ID!) { syncPlan(id: $id) { id } node(id: $id) { id } }";
    let data = app.ok(&viewer, read, json!({"id": plan["id"]})).await;
    assert_eq!(data["syncPlan"]["id"], plan["id"]);
    assert_eq!(data["node"]["id"], plan["id"]);
    let other = app.login_as("Other", entity::enums::Role::Admin).await;
    let data = app.ok(&other, read, json!({"id": plan["id"]})).await;
    assert!(data["syncPlan"].is_null() && data["node"].is_null());
    let (code, _) = app.err(&other, APPLY, json!({"p": plan["id"]})).await;
    assert_eq!(code, "NOT_FOUND");
    let (code, _) = app.err(&other, world::PLAN, json!({"s": w.source})).await;
    assert_eq!(code, "NOT_FOUND");
}
