//! Sync rules: checked inputs (BAD_USER_INPUT naming the part), order and moves, roles and
//! organizations; each action — SKIP out of the import and the field sync, AUTO_LINK to the
//! top recommendation, CREATE_SERVICE under a linked ancestor, SET_FIELD with origin RULE —
//! and the rule order deciding between two rules.

use entity::enums::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use tests::{dual_db, TestApp};

use crate::plans::world::{set_settings, world, APPLY};

dual_db!(
    rules_are_checked_ordered_and_moved,
    skip_leaves_matching_nodes_out_of_import_and_field_sync,
    auto_link_links_the_top_recommendation_at_or_above_min_score,
    create_service_bills_new_nodes_under_a_linked_ancestor,
    set_field_sets_the_linked_service_field_with_origin_rule,
    the_first_rule_wins_and_moving_rules_changes_the_outcome,
);

const RULES: &str = "query($s: ID!) { source(id: $s) { rules { id name position enabled action matchedLastRun params } } }";
const MOVE: &str =
    "mutation($id: ID!, $p: Int!) { moveSyncRule(id: $id, position: $p) { name position } }";
const UPDATE: &str = "mutation($id: ID!, $i: SyncRuleInput!) { updateSyncRule(id: $id, input: $i) { id name enabled position } }";

fn every() -> Value {
    json!({"all": [{"field": "name", "op": "exists"}]})
}

async fn rules_of(app: &TestApp, w: &crate::plans::world::World) -> Vec<Value> {
    app.ok(&w.operator, RULES, json!({"s": w.source})).await["source"]["rules"]
        .as_array()
        .unwrap()
        .clone()
}

async fn rules_are_checked_ordered_and_moved(app: TestApp) {
    let w = world(&app, 1, 0).await;
    let bad = [
        (
            json!({"name": "x", "condition": {"all": [{"field": "a", "op": "like", "value": 1}]}, "action": "SKIP"}),
            "input.condition.all.0.op",
        ),
        (
            json!({"name": "x", "condition": {"any": [{"field": "a", "op": "eq", "value": 1}, {"all": [{"op": "eq", "value": 1}]}]}, "action": "SKIP"}),
            "input.condition.any.1.all.0.field",
        ),
        (
            json!({"name": "x", "condition": {"all": []}, "action": "SKIP"}),
            "input.condition.all",
        ),
        (
            json!({"name": "x", "condition": [], "action": "SKIP"}),
            "input.condition",
        ),
        (
            json!({"name": "x", "nodeType": "Gadget", "condition": every(), "action": "SKIP"}),
            "input.nodeType",
        ),
        (
            json!({"name": " ", "condition": every(), "action": "SKIP"}),
            "input.name",
        ),
        (
            json!({"name": "x", "condition": every(), "action": "CREATE_SERVICE"}),
            "input.params.serviceTypeId",
        ),
        (
            json!({"name": "x", "condition": every(), "action": "CREATE_SERVICE", "params": {"serviceTypeId": "junk"}}),
            "input.params.serviceTypeId",
        ),
        (
            json!({"name": "x", "condition": every(), "action": "SET_FIELD", "params": {"value": 1}}),
            "input.params.fieldKey",
        ),
        (
            json!({"name": "x", "condition": every(), "action": "SET_FIELD", "params": {"fieldKey": "tier"}}),
            "input.params.value",
        ),
        (
            json!({"name": "x", "condition": every(), "action": "AUTO_LINK", "params": {"minScore": 2}}),
            "input.params.minScore",
        ),
    ];
    for (input, field) in bad {
        let vars = json!({"s": w.source, "i": input});
        let (code, body) = app
            .err(&w.operator, crate::plans::world::CREATE_RULE, vars)
            .await;
        assert_eq!(code, "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    assert!(rules_of(&app, &w).await.is_empty());

    let a = w
        .rule(
            &app,
            json!({"name": "A", "nodeType": "Contact", "condition": every(), "action": "SKIP"}),
        )
        .await;
    assert_eq!(
        (a["position"].as_i64(), &a["enabled"]),
        (Some(1), &json!(true))
    );
    assert_eq!(a["matchedLastRun"], 0);
    let b = w.rule(&app, json!({"name": "B", "condition": every(), "action": "CREATE_SERVICE", "params": {"serviceTypeId": w.service_type}})).await;
    assert_eq!(b["params"]["serviceTypeId"], w.service_type.as_str());
    let c = w
        .rule(
            &app,
            json!({"name": "C", "condition": every(), "action": "AUTO_LINK"}),
        )
        .await;
    assert_eq!(c["params"]["minScore"], 0.5);
    let names = |rules: &[Value]| -> Vec<(String, i64)> {
        rules
            .iter()
            .map(|r| {
                (
                    r["name"].as_str().unwrap().to_owned(),
                    r["position"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let order = |list: &[(&str, i64)]| -> Vec<(String, i64)> {
        list.iter().map(|(n, p)| ((*n).to_owned(), *p)).collect()
    };
    assert_eq!(
        names(&rules_of(&app, &w).await),
        order(&[("A", 1), ("B", 2), ("C", 3)])
    );
    let moved = app
        .ok(&w.operator, MOVE, json!({"id": c["id"], "p": 1}))
        .await["moveSyncRule"]
        .clone();
    assert_eq!(
        names(moved.as_array().unwrap()),
        order(&[("C", 1), ("A", 2), ("B", 3)])
    );
    let (code, body) = app
        .err(&w.operator, MOVE, json!({"id": c["id"], "p": 4}))
        .await;
    assert_eq!(
        (code.as_str(), &body["errors"][0]["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("position"))
    );
    let del = "mutation($id: ID!) { deleteSyncRule(id: $id) }";
    let data = app.ok(&w.operator, del, json!({"id": a["id"]})).await;
    assert_eq!(data["deleteSyncRule"], a["id"]);
    assert_eq!(
        names(&rules_of(&app, &w).await),
        order(&[("C", 1), ("B", 2)])
    );
    let input = json!({"name": "C2", "enabled": false, "condition": every(), "action": "SKIP"});
    let updated = app
        .ok(&w.operator, UPDATE, json!({"id": c["id"], "i": input}))
        .await["updateSyncRule"]
        .clone();
    assert_eq!(
        (&updated["name"], &updated["enabled"], &updated["position"]),
        (&json!("C2"), &json!(false), &json!(1))
    );

    // Roles and organizations.
    let viewer = app.login_as("Acme", Role::Viewer).await;
    assert_eq!(rules_of(&app, &w).await.len(), 2);
    let vars = json!({"s": w.source, "i": {"name": "x", "condition": every(), "action": "SKIP"}});
    let (code, _) = app
        .err(&viewer, crate::plans::world::CREATE_RULE, vars.clone())
        .await;
    assert_eq!(code, "FORBIDDEN");
    let data = app.ok(&viewer, RULES, json!({"s": w.source})).await;
    assert_eq!(data["source"]["rules"].as_array().unwrap().len(), 2);
    let other = app.login_as("Other", Role::Admin).await;
    let (code, _) = app
        .err(&other, crate::plans::world::CREATE_RULE, vars)
        .await;
    assert_eq!(code, "NOT_FOUND");
    let (code, _) = app
        .err(&other, UPDATE, json!({"id": c["id"], "i": input}))
        .await;
    assert_eq!(code, "NOT_FOUND");
    let (code, _) = app.err(&other, del, json!({"id": c["id"]})).await;
    assert_eq!(code, "NOT_FOUND");
    let data = app
        .ok(
            &other,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": c["id"]}),
        )
        .await;
    assert!(data["node"].is_null());
}

async fn skip_leaves_matching_nodes_out_of_import_and_field_sync(app: TestApp) {
    let w = world(&app, 4, 2).await;
    let before = w.import(&app).await;
    // Company 1 is linked: skipped, the plan leaves it out of the field sync.
    let skip = |id: &str| json!({"name": format!("skip {id}"), "nodeType": "Company", "condition": {"all": [{"field": "identifier", "op": "eq", "value": id}]}, "action": "SKIP"});
    w.rule(&app, skip("c0000001")).await;
    let (_, changes) = w.plan(&app).await;
    let company1 = w.node(&app, "Company", "1").await;
    assert!(!changes.is_empty());
    assert!(
        changes.iter().all(|c| c["node"]["id"] != company1.as_str()),
        "{changes:#?}"
    );
    // Company 3 is not: the import leaves it and its subtree out, and marks it deleted.
    w.rule(&app, skip("C0000003")).await;
    let job = w.import(&app).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    let skipped = job["stats"]["skipped"].as_i64().unwrap();
    assert!(
        skipped > before["stats"]["skipped"].as_i64().unwrap(),
        "{job}"
    );
    let three = w.node_row(&app, "Company", "3").await;
    assert!(three.deleted_at.is_some());
    let children = entity::source_node::Entity::find()
        .filter(entity::source_node::Column::ParentId.eq(three.id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!children.is_empty());
    assert!(children.iter().all(|c| c.deleted_at.is_some()));
    assert!(w.node_row(&app, "Company", "4").await.deleted_at.is_none());
    let rules = rules_of(&app, &w).await;
    assert_eq!(rules[0]["matchedLastRun"], 1);
    assert_eq!(rules[1]["matchedLastRun"], 1);
    // Deleting the rule brings company 3 back, same node.
    let del = "mutation($id: ID!) { deleteSyncRule(id: $id) }";
    app.ok(&w.operator, del, json!({"id": rules[1]["id"]}))
        .await;
    w.import(&app).await;
    let back = w.node_row(&app, "Company", "3").await;
    assert_eq!((back.id, back.deleted_at), (three.id, None));
}

async fn auto_link_links_the_top_recommendation_at_or_above_min_score(app: TestApp) {
    let w = world(&app, 4, 1).await;
    let named = w.service(&app, "Company 0000003").await;
    let rule = w
        .rule(&app, json!({"name": "link", "nodeType": "Company", "condition": {"all": [{"field": "identifier", "op": "in", "value": ["C0000003", "C0000004"]}]}, "action": "AUTO_LINK", "params": {"minScore": 0.85}}))
        .await;
    // The plan says so first.
    let (_, changes) = w.plan(&app).await;
    let links: Vec<&Value> = changes.iter().filter(|c| c["action"] == "LINK").collect();
    assert_eq!(links.len(), 1, "{changes:#?}");
    assert_eq!(links[0]["service"]["id"], named.as_str());
    assert_eq!(links[0]["rule"]["id"], rule["id"]);
    assert!(links[0]["reason"].as_str().unwrap().contains("Name equal"));
    // With autoSyncFields the import does it.
    set_settings(&app, &w.admin, &w.source, json!({"autoSyncFields": true})).await;
    w.import(&app).await;
    let q = "query($n: ID!) { sourceNode(id: $n) { link { service { id } } } }";
    let three = w.node(&app, "Company", "3").await;
    let data = app.ok(&w.operator, q, json!({"n": three})).await;
    assert_eq!(data["sourceNode"]["link"]["service"]["id"], named.as_str());
    let four = w.node(&app, "Company", "4").await;
    let data = app.ok(&w.operator, q, json!({"n": four})).await;
    assert!(data["sourceNode"]["link"].is_null());
    let link = entity::link::Entity::find()
        .filter(entity::link::Column::NodeId.eq(w.node_row(&app, "Company", "3").await.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let import = job_with_id(&app, &w).await;
    let import_id = server::graphql::ids::decode(
        server::graphql::ids::Kind::SyncJob,
        import["id"].as_str().unwrap(),
    );
    assert_eq!(link.linked_by_job_id, import_id);
    assert_eq!(rules_of(&app, &w).await[0]["matchedLastRun"], 2);
}

async fn create_service_bills_new_nodes_under_a_linked_ancestor(app: TestApp) {
    let w = world(&app, 3, 1).await;
    let seat = "mutation { createServiceType(input: {name: \"Seat\", fields: [{key: \"title\", label: \"Title\", dataType: TEXT}]}) { id } }";
    let seat = app.ok(&w.admin, seat, json!({})).await["createServiceType"]["id"].clone();
    let rule = w
        .rule(&app, json!({"name": "bill contacts", "nodeType": "Contact", "condition": every(), "action": "CREATE_SERVICE", "params": {"serviceTypeId": seat}}))
        .await;
    let (plan, changes) = w.plan(&app).await;
    let created: Vec<&Value> = changes
        .iter()
        .filter(|c| c["action"] == "CREATE_SERVICE")
        .collect();
    // Only company 1 is linked: its two contacts, not the others'.
    assert_eq!(created.len(), 2, "{changes:#?}");
    for c in &created {
        assert!(c["service"].is_null());
        assert_eq!(c["rule"]["id"], rule["id"]);
        assert_eq!(c["newValue"]["customerId"], w.customer.as_str());
        assert_eq!(c["newValue"]["serviceTypeId"], seat);
    }
    let job = app.ok(&w.operator, APPLY, json!({"p": plan["id"]})).await["applySyncPlan"].clone();
    assert_eq!(job["stats"]["created"], 2);
    let q = "query($n: ID!) { sourceNode(id: $n) { name link { service { id name serviceType { id } customer { id } history { edges { node { origin } } } } } } }";
    for c in &created {
        let data = app.ok(&w.operator, q, json!({"n": c["node"]["id"]})).await;
        let svc = &data["sourceNode"]["link"]["service"];
        assert_eq!(svc["serviceType"]["id"], seat);
        assert_eq!(svc["customer"]["id"], w.customer.as_str());
        assert_eq!(svc["name"], data["sourceNode"]["name"]);
    }
}

async fn set_field_sets_the_linked_service_field_with_origin_rule(app: TestApp) {
    let w = world(&app, 2, 2).await;
    w.rule(&app, json!({"name": "gold", "nodeType": "Company", "condition": {"all": [{"field": "status.name", "op": "eq", "value": "active"}]}, "action": "SET_FIELD", "params": {"fieldKey": "tier", "value": "Gold"}}))
        .await;
    set_settings(&app, &w.admin, &w.source, json!({"autoSyncFields": true})).await;
    w.import(&app).await;
    let job = job_with_id(&app, &w).await;
    for s in &w.services {
        assert_eq!(w.values(&app, s).await["tier"], "Gold");
        let history = w.history(&app, s).await;
        let tier: Vec<&Value> = history
            .iter()
            .filter(|c| c["field"]["key"] == "tier")
            .collect();
        assert_eq!(tier.len(), 1);
        assert_eq!(tier[0]["origin"], "RULE");
        assert_eq!(tier[0]["job"]["id"], job["id"]);
        // The field sync ran too, origin SYNC.
        assert!(history.iter().any(|c| c["origin"] == "SYNC"));
    }
    assert_eq!(rules_of(&app, &w).await[0]["matchedLastRun"], 2);
}

/// The source's newest import job, with its id.
async fn job_with_id(app: &TestApp, w: &crate::plans::world::World) -> Value {
    let q = "query($s: ID!) { syncJobs(sourceId: $s, first: 1) { edges { node { id kind } } } }";
    app.ok(&w.operator, q, json!({"s": w.source})).await["syncJobs"]["edges"][0]["node"].clone()
}

async fn the_first_rule_wins_and_moving_rules_changes_the_outcome(app: TestApp) {
    let w = world(&app, 1, 1).await;
    let set = |name: &str, value: &str| json!({"name": name, "condition": every(), "action": "SET_FIELD", "params": {"fieldKey": "tier", "value": value}});
    let gold = w.rule(&app, set("gold", "Gold")).await;
    let silver = w.rule(&app, set("silver", "Silver")).await;
    let tier = |changes: &[Value]| -> (Value, Value) {
        let c = changes
            .iter()
            .find(|c| c["field"]["key"] == "tier")
            .expect("a tier change");
        (c["newValue"].clone(), c["rule"]["id"].clone())
    };
    let (_, changes) = w.plan(&app).await;
    assert_eq!(tier(&changes), (json!("Gold"), gold["id"].clone()));
    assert_eq!(
        changes
            .iter()
            .filter(|c| c["field"]["key"] == "tier")
            .count(),
        1
    );
    app.ok(&w.operator, MOVE, json!({"id": silver["id"], "p": 1}))
        .await;
    let (plan, changes) = w.plan(&app).await;
    assert_eq!(tier(&changes), (json!("Silver"), silver["id"].clone()));
    // A disabled rule takes no part.
    let input = json!({"name": "silver", "enabled": false, "condition": every(), "action": "SET_FIELD", "params": {"fieldKey": "tier", "value": "Silver"}});
    app.ok(&w.operator, UPDATE, json!({"id": silver["id"], "i": input}))
        .await;
    let (_, changes) = w.plan(&app).await;
    assert_eq!(tier(&changes), (json!("Gold"), gold["id"].clone()));
    // The older plan no longer holds.
    let (code, _) = app.err(&w.operator, APPLY, json!({"p": plan["id"]})).await;
    assert_eq!(code, "CONFLICT");
}
