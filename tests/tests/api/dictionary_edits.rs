//! Changing and removing the dictionary's mappings: updateFieldMapping (direction re-checked),
//! deleteFieldMapping, deleteTypeMapping with its field mappings, roles and tenancy, and the
//! history that outlives a deleted mapping (FieldChange.fieldMapping becomes null).

use entity::enums::{ChangeOrigin, Role};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{json, Value};
use server::graphql::ids::{decode, Kind};
use tests::{dual_db, gql, Session, TestApp};

dual_db!(
    field_mappings_are_updated_with_their_direction_checked,
    deleting_a_field_mapping_leaves_history_without_it,
    deleting_a_type_mapping_removes_its_field_mappings,
);

const SERVICE_TYPE: &str = r#"mutation($n: String!) { createServiceType(input: {name: $n, fields: [
  {key: "serial", label: "Serial", dataType: TEXT},
  {key: "seats", label: "Seats", dataType: NUMBER}
]}) { id fields { id key } } }"#;
const UPDATE: &str = "mutation($id: ID!, $d: MappingDirection, $e: Boolean) { updateFieldMapping(id: $id, input: {direction: $d, enabled: $e}) { id nodeField direction enabled serviceField { key } } }";
const DELETE_FIELD: &str = "mutation($id: ID!) { deleteFieldMapping(id: $id) }";
const DELETE_TYPE: &str = "mutation($id: ID!) { deleteTypeMapping(id: $id) }";

/// A service type with `serial` (text) and `seats` (number); a type mapping from `provider`'s
/// `node_type` to it; and a field mapping `node_field` → `key`. Returns (service type id,
/// type mapping, field mapping).
async fn mapped(
    app: &TestApp,
    s: &Session,
    provider: &str,
    node_type: &str,
    node_field: &str,
    key: &str,
) -> (Value, Value, Value) {
    let name = format!("Managed {node_type}");
    let st = app.ok(s, SERVICE_TYPE, json!({"n": name})).await["createServiceType"].clone();
    let field = st["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap()["id"]
        .clone();
    let vars = json!({"p": provider, "t": node_type, "st": st["id"]});
    let tm = app.ok(s, gql::CREATE_TYPE_MAPPING, vars).await["createTypeMapping"].clone();
    let vars = json!({"tm": tm["id"], "nf": node_field, "sf": field, "d": null});
    let fm = app.ok(s, gql::CREATE_FIELD_MAPPING, vars).await["createFieldMapping"].clone();
    (st, tm, fm)
}

async fn field_mappings_are_updated_with_their_direction_checked(app: TestApp) {
    let op = app.login_as("Acme", Role::Operator).await;
    let (_, _, fm) = mapped(
        &app,
        &op,
        "CONNECTWISE_MANAGE",
        "Configuration",
        "serialNumber",
        "serial",
    )
    .await;
    let off = app
        .ok(&op, UPDATE, json!({"id": fm["id"], "e": false}))
        .await;
    assert_eq!(
        off["updateFieldMapping"],
        json!({"id": fm["id"], "nodeField": "serialNumber", "direction": "SOURCE_TO_SERVICE", "enabled": false, "serviceField": {"key": "serial"}})
    );
    let both = app
        .ok(&op, UPDATE, json!({"id": fm["id"], "d": "BOTH"}))
        .await;
    assert_eq!(both["updateFieldMapping"]["direction"], "BOTH");
    assert_eq!(both["updateFieldMapping"]["enabled"], false, "kept");

    // An enum node field feeds a number, but a number never becomes one of its values: the
    // mapping cannot turn to write back.
    let (_, _, one_way) = mapped(
        &app,
        &op,
        "NETSAPIENS",
        "User",
        "voicemail-enabled",
        "seats",
    )
    .await;
    let (code, body) = app
        .err(
            &op,
            UPDATE,
            json!({"id": one_way["id"], "d": "SERVICE_TO_SOURCE"}),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "input.direction");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("never become"));
    let q = "query { typeMappings(provider: NETSAPIENS) { fieldMappings { direction enabled } } }";
    let kept = app.ok(&op, q, json!({})).await;
    assert_eq!(
        kept["typeMappings"][0]["fieldMappings"],
        json!([{"direction": "SOURCE_TO_SERVICE", "enabled": true}])
    );

    let viewer = app.login_as("Acme", Role::Viewer).await;
    let (code, _) = app
        .err(&viewer, UPDATE, json!({"id": fm["id"], "e": true}))
        .await;
    assert_eq!(code, "FORBIDDEN");
    let other = app.login_as("Globex", Role::Admin).await;
    let (code, _) = app
        .err(&other, UPDATE, json!({"id": fm["id"], "e": true}))
        .await;
    assert_eq!(code, "NOT_FOUND");
    let (code, _) = app.err(&other, DELETE_FIELD, json!({"id": fm["id"]})).await;
    assert_eq!(code, "NOT_FOUND");
    let (code, _) = app.err(&op, UPDATE, json!({"id": "junk", "e": true})).await;
    assert_eq!(code, "NOT_FOUND");
}

async fn deleting_a_field_mapping_leaves_history_without_it(app: TestApp) {
    let op = app.login_as("Acme", Role::Operator).await;
    let (st, _, fm) = mapped(
        &app,
        &op,
        "CONNECTWISE_MANAGE",
        "Configuration",
        "serialNumber",
        "serial",
    )
    .await;
    let customer = app
        .ok(&op, gql::CREATE_CUSTOMER, json!({"name": "Initech"}))
        .await["createCustomer"]["id"]
        .clone();
    let create = "mutation($c: ID!, $st: ID!) { createService(input: {name: \"Laptop\", customerId: $c, serviceTypeId: $st, effectiveDate: \"2026-01-01\"}) { id } }";
    let service = app
        .ok(&op, create, json!({"c": customer, "st": st["id"]}))
        .await["createService"]["id"]
        .clone();
    // The change a field sync makes through the mapping (as sync fields records it).
    let field_id = decode(
        Kind::ServiceTypeField,
        st["fields"][0]["id"].as_str().unwrap(),
    )
    .unwrap();
    let mapping_id = decode(Kind::FieldMapping, fm["id"].as_str().unwrap()).unwrap();
    let service_id = decode(Kind::Service, service.as_str().unwrap()).unwrap();
    let org = entity::service::Entity::find_by_id(service_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .organization_id;
    entity::field_change::ActiveModel {
        organization_id: Set(org),
        service_id: Set(service_id),
        field_id: Set(field_id),
        old_value: Set(None),
        new_value: Set(Some(json!("SN1"))),
        origin: Set(ChangeOrigin::Sync),
        field_mapping_id: Set(Some(mapping_id)),
        actor_label: Set("sync".into()),
        at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let history = "query($id: ID!) { service(id: $id) { history { totalCount edges { node { newValue fieldMapping { id nodeField } } } } } }";
    let before = app.ok(&op, history, json!({"id": service})).await;
    assert_eq!(
        before["service"]["history"]["edges"][0]["node"],
        json!({"newValue": "SN1", "fieldMapping": {"id": fm["id"], "nodeField": "serialNumber"}})
    );
    let deleted = app.ok(&op, DELETE_FIELD, json!({"id": fm["id"]})).await;
    assert_eq!(deleted["deleteFieldMapping"], fm["id"]);
    let after = app.ok(&op, history, json!({"id": service})).await;
    assert_eq!(
        after["service"]["history"]["edges"][0]["node"],
        json!({"newValue": "SN1", "fieldMapping": null})
    );
    assert_eq!(
        after["service"]["history"]["totalCount"],
        before["service"]["history"]["totalCount"]
    );
    let (code, _) = app.err(&op, DELETE_FIELD, json!({"id": fm["id"]})).await;
    assert_eq!(code, "NOT_FOUND", "already gone");
}

async fn deleting_a_type_mapping_removes_its_field_mappings(app: TestApp) {
    let op = app.login_as("Acme", Role::Operator).await;
    let (st, tm, _) = mapped(
        &app,
        &op,
        "CONNECTWISE_MANAGE",
        "Configuration",
        "serialNumber",
        "serial",
    )
    .await;
    let seats = st["fields"][1]["id"].clone();
    let vars = json!({"tm": tm["id"], "nf": "name", "sf": seats, "d": null});
    app.ok(&op, gql::CREATE_FIELD_MAPPING, vars).await;
    // Another type mapping to the same service type, with its own field mapping, stays.
    let vars = json!({"p": "CONNECTWISE_MANAGE", "t": "Company", "st": st["id"]});
    let company = app.ok(&op, gql::CREATE_TYPE_MAPPING, vars).await["createTypeMapping"].clone();
    let vars = json!({"tm": company["id"], "nf": "name", "sf": st["fields"][0]["id"], "d": null});
    app.ok(&op, gql::CREATE_FIELD_MAPPING, vars).await;

    let viewer = app.login_as("Acme", Role::Viewer).await;
    let (code, _) = app.err(&viewer, DELETE_TYPE, json!({"id": tm["id"]})).await;
    assert_eq!(code, "FORBIDDEN");
    let other = app.login_as("Globex", Role::Admin).await;
    let (code, _) = app.err(&other, DELETE_TYPE, json!({"id": tm["id"]})).await;
    assert_eq!(code, "NOT_FOUND");

    let deleted = app.ok(&op, DELETE_TYPE, json!({"id": tm["id"]})).await;
    assert_eq!(deleted["deleteTypeMapping"], tm["id"]);
    let q = "query { typeMappings { nodeType fieldMappings { nodeField serviceField { key } } } }";
    let left = app.ok(&op, q, json!({})).await;
    assert_eq!(
        left["typeMappings"],
        json!([{"nodeType": "Company", "fieldMappings": [{"nodeField": "name", "serviceField": {"key": "serial"}}]}])
    );
    let tm_id = decode(Kind::TypeMapping, tm["id"].as_str().unwrap()).unwrap();
    let orphans = entity::field_mapping::Entity::find()
        .filter(entity::field_mapping::Column::TypeMappingId.eq(tm_id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(orphans, 0);
    let (code, _) = app.err(&op, DELETE_TYPE, json!({"id": tm["id"]})).await;
    assert_eq!(code, "NOT_FOUND", "already gone");
}
