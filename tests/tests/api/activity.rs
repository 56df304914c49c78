//! `activity(sourceId, days)`: per day, the imports' node counts, the values jobs synced and
//! wrote back, and failures — summed over the window they equal the source's jobs.

use serde_json::{json, Value};
use tests::{dual_db, TestApp};

use crate::plans::world::{set_settings, world, APPLY};

dual_db!(activity_counts_match_the_jobs, activity_checks_its_window);

const ACTIVITY: &str = "query($s: ID, $d: Int) { activity(sourceId: $s, days: $d) { date nodesCreated nodesUpdated nodesDeleted fieldsSynced writtenBack failures } }";
const JOBS: &str = "query($s: ID!) { syncJobs(sourceId: $s, first: 100) { edges { node { kind status stats { created updated deleted failed } } } } }";

fn sum(days: &[Value], key: &str) -> i64 {
    days.iter().map(|d| d[key].as_i64().unwrap()).sum()
}

async fn activity_counts_match_the_jobs(app: TestApp) {
    let w = world(&app, 4, 2).await;
    set_settings(&app, &w.admin, &w.source, json!({"autoSyncFields": true})).await;
    w.import(&app).await; // syncs 2 × 2 fields
    w.fake.faults.delete("companies/4");
    w.fake
        .faults
        .edits
        .set("companies/3", "city", json!("Orlando"));
    // The fake lists edited records by their touch in incremental passes.
    w.fake.faults.touch("companies/3");
    w.fake.faults.add_companies(1);
    w.import(&app).await;
    set_settings(&app, &w.admin, &w.source, json!({"autoSyncFields": false})).await;
    w.fake
        .faults
        .edits
        .set("companies/1", "city", json!("Miami"));
    // The fake lists edited records by their touch in incremental passes.
    w.fake.faults.touch("companies/1");
    w.import(&app).await;
    let (plan, _) = w.plan(&app).await;
    app.ok(&w.operator, APPLY, json!({"p": plan["id"]})).await; // 1 field

    let days = app
        .ok(&w.operator, ACTIVITY, json!({"s": w.source, "d": 2}))
        .await["activity"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(days.len(), 2);
    assert_eq!(
        days[1]["date"],
        chrono::Utc::now().date_naive().to_string().as_str()
    );
    let jobs = app.ok(&w.operator, JOBS, json!({"s": w.source})).await["syncJobs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect::<Vec<_>>();
    let of_imports = |key: &str| -> i64 {
        jobs.iter()
            .filter(|j| j["kind"] == "IMPORT")
            .map(|j| j["stats"][key].as_i64().unwrap())
            .sum()
    };
    assert!(
        of_imports("created") > 0 && of_imports("deleted") > 0 && of_imports("updated") > 0,
        "{jobs:#?}"
    );
    assert_eq!(sum(&days, "nodesCreated"), of_imports("created"));
    assert_eq!(sum(&days, "nodesUpdated"), of_imports("updated"));
    assert_eq!(sum(&days, "nodesDeleted"), of_imports("deleted"));
    assert_eq!(sum(&days, "fieldsSynced"), 5);
    assert_eq!(sum(&days, "writtenBack"), 0);
    assert_eq!(sum(&days, "failures"), 0);
    // All sources of the organization: the same here; another organization sees nothing.
    let all = app
        .ok(&w.operator, ACTIVITY, json!({"s": null, "d": 2}))
        .await["activity"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(sum(&all, "nodesCreated"), of_imports("created"));
    let other = app.login_as("Other", entity::enums::Role::Admin).await;
    let theirs = app
        .ok(&other, ACTIVITY, json!({"s": w.source, "d": 2}))
        .await["activity"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(theirs.len(), 2);
    assert_eq!(sum(&theirs, "nodesCreated"), 0);
}

async fn activity_checks_its_window(app: TestApp) {
    let w = world(&app, 1, 0).await;
    let days = app.ok(&w.operator, ACTIVITY, json!({"s": w.source})).await["activity"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(days, 30);
    for bad in [0, 367] {
        let (code, body) = app
            .err(&w.operator, ACTIVITY, json!({"s": w.source, "d": bad}))
            .await;
        assert_eq!(code, "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "days");
    }
}
