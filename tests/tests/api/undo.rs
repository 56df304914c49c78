//! `undoSyncJob`: an applied plan's values go back and its links end, as an UNDO job in the
//! history (origin USER); an import's field sync is undone the same way; a value changed again
//! since makes it CONFLICT with nothing undone; a job is undone once.

use serde_json::{json, Value};
use tests::{dual_db, TestApp};

use crate::plans::world::{set_settings, world, APPLY, UNDO, UPDATE_FIELDS};

dual_db!(
    undo_restores_values_and_ends_the_links_a_plan_made,
    undo_of_an_import_restores_what_its_field_sync_wrote,
    undo_is_refused_after_a_later_change,
);

const JOB: &str = "query($id: ID!) { syncJob(id: $id) { id kind status undoneBy { id kind } } }";
const LINK_OF: &str = "query($n: ID!) { sourceNode(id: $n) { link { id } links { edges { node { id unlinkedAt unlinkedBy { label } } } } } }";

async fn undo_restores_values_and_ends_the_links_a_plan_made(app: TestApp) {
    let w = world(&app, 4, 2).await;
    let named = w.service(&app, "Company 0000003").await;
    w.rule(&app, json!({"name": "link", "nodeType": "Company", "condition": {"all": [{"field": "identifier", "op": "eq", "value": "C0000003"}]}, "action": "AUTO_LINK", "params": {"minScore": 0.8}})).await;
    let vars = json!({"s": w.services[0], "f": {"city": "Miami"}});
    app.ok(&w.operator, UPDATE_FIELDS, vars).await;
    let (plan, changes) = w.plan(&app).await;
    assert_eq!(changes.iter().filter(|c| c["action"] == "LINK").count(), 1);
    let applied =
        app.ok(&w.operator, APPLY, json!({"p": plan["id"]})).await["applySyncPlan"].clone();
    assert_eq!(w.values(&app, &w.services[0]).await["city"], "Tampa");
    let three = w.node(&app, "Company", "3").await;
    let data = app.ok(&w.operator, LINK_OF, json!({"n": three})).await;
    assert!(data["sourceNode"]["link"]["id"].is_string());

    let undo = app.ok(&w.operator, UNDO, json!({"j": applied["id"]})).await["undoSyncJob"].clone();
    assert_eq!(
        (&undo["kind"], &undo["status"]),
        (&json!("UNDO"), &json!("SUCCEEDED"))
    );
    assert_eq!(undo["stats"]["deleted"], 1);
    let before = w.values(&app, &w.services[0]).await;
    assert_eq!(
        (&before["city"], &before["phone"]),
        (&json!("Miami"), &Value::Null)
    );
    for s in &w.services[1..] {
        assert!(w
            .values(&app, s)
            .await
            .as_object()
            .unwrap()
            .values()
            .all(Value::is_null));
    }
    let data = app.ok(&w.operator, LINK_OF, json!({"n": three})).await;
    assert!(data["sourceNode"]["link"].is_null());
    let ended = &data["sourceNode"]["links"]["edges"][0]["node"];
    assert!(ended["unlinkedAt"].is_string());
    assert_eq!(ended["unlinkedBy"]["label"], w.operator.email.as_str());
    let _ = named;
    // The undo is in the history: origin USER, with its job; the job says it was undone.
    let history = w.history(&app, &w.services[0]).await;
    let undone: Vec<&Value> = history
        .iter()
        .filter(|c| c["job"]["id"] == undo["id"])
        .collect();
    assert_eq!(undone.len(), 2);
    assert!(undone.iter().all(|c| c["origin"] == "USER"));
    assert!(undone.iter().any(|c| c["field"]["key"] == "city"
        && c["oldValue"] == "Tampa"
        && c["newValue"] == "Miami"));
    let data = app.ok(&w.operator, JOB, json!({"id": applied["id"]})).await;
    assert_eq!(data["syncJob"]["undoneBy"]["id"], undo["id"]);
    // Once; and an undo is not undone.
    let (code, _) = app
        .err(&w.operator, UNDO, json!({"j": applied["id"]}))
        .await;
    assert_eq!(code, "CONFLICT");
    let (code, _) = app.err(&w.operator, UNDO, json!({"j": undo["id"]})).await;
    assert_eq!(code, "CONFLICT");
    let viewer = app.login_as("Acme", entity::enums::Role::Viewer).await;
    let (code, _) = app.err(&viewer, UNDO, json!({"j": applied["id"]})).await;
    assert_eq!(code, "FORBIDDEN");
    let other = app.login_as("Other", entity::enums::Role::Admin).await;
    let (code, _) = app.err(&other, UNDO, json!({"j": applied["id"]})).await;
    assert_eq!(code, "NOT_FOUND");
}

async fn undo_of_an_import_restores_what_its_field_sync_wrote(app: TestApp) {
    let w = world(&app, 2, 2).await;
    set_settings(&app, &w.admin, &w.source, json!({"autoSyncFields": true})).await;
    w.import(&app).await;
    assert_eq!(w.values(&app, &w.services[1]).await["phone"], "8135550002");
    let q = "query($s: ID!) { syncJobs(sourceId: $s, first: 1) { edges { node { id kind } } } }";
    let import = app.ok(&w.operator, q, json!({"s": w.source})).await["syncJobs"]["edges"][0]
        ["node"]
        .clone();
    assert_eq!(import["kind"], "IMPORT");
    let undo = app.ok(&w.operator, UNDO, json!({"j": import["id"]})).await["undoSyncJob"].clone();
    assert_eq!(undo["stats"]["updated"], 4);
    for s in &w.services {
        assert!(w
            .values(&app, s)
            .await
            .as_object()
            .unwrap()
            .values()
            .all(Value::is_null));
    }
}

async fn undo_is_refused_after_a_later_change(app: TestApp) {
    let w = world(&app, 2, 2).await;
    let (plan, _) = w.plan(&app).await;
    let applied =
        app.ok(&w.operator, APPLY, json!({"p": plan["id"]})).await["applySyncPlan"].clone();
    let vars = json!({"s": w.services[0], "f": {"phone": "8135550000"}});
    app.ok(&w.operator, UPDATE_FIELDS, vars).await;
    let (code, body) = app
        .err(&w.operator, UNDO, json!({"j": applied["id"]}))
        .await;
    assert_eq!(code, "CONFLICT", "{body}");
    // Nothing was undone, not even the other service's values.
    assert_eq!(w.values(&app, &w.services[1]).await["phone"], "8135550002");
    assert_eq!(w.values(&app, &w.services[0]).await["city"], "Tampa");
    let data = app.ok(&w.operator, JOB, json!({"id": applied["id"]})).await;
    assert!(data["syncJob"]["undoneBy"].is_null());
    // Changed back by hand: the history still shows the later change.
    let vars = json!({"s": w.services[0], "f": {"phone": "8135550001"}});
    app.ok(&w.operator, UPDATE_FIELDS, vars).await;
    let (code, _) = app
        .err(&w.operator, UNDO, json!({"j": applied["id"]}))
        .await;
    assert_eq!(code, "CONFLICT");
}
