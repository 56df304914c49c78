//! `syncFields` and autoSyncFields (SEMANTICS "Field mappings and sync fields"): UNCHANGED and
//! SKIPPED rules, disabled mappings, dates in the source's time zone. The conversion table is in
//! `conversions`; provenance, once-per-field and errors in `provenance`; the import in `import`.
//!
//! Links and mappings are written as rows (`TestApp::link_directly`, `map`): their mutations
//! belong to other issues; everything under test goes through the API.

mod conversions;
mod import;
mod provenance;

use std::collections::HashMap;

use entity::enums::{MappingDirection, Provider, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{json, Value};
use server::graphql::ids::{self, Kind};
use tests::{dual_db, gql, Session, TestApp};

dual_db!(
    null_missing_and_equal_are_unchanged_and_constraints_skip,
    a_date_time_becomes_the_date_in_the_source_time_zone,
);

pub(crate) const SYNC_FIELDS: &str = "mutation($id: ID!) { syncFields(nodeId: $id) { fieldMapping { id } nodeField serviceFieldKey status message value } }";

pub(crate) const SERVICE: &str = "query($id: ID!) { service(id: $id) { fields { field { key } value } history(first: 100) { totalCount edges { node { field { key } oldValue newValue origin node { id } job { id } actor { label user { id } apiToken { id } } } } } } }";

/// A service type with `fields` (GraphQL input literals), one service of it with `values`, and a
/// type mapping from ConnectWise companies to it.
pub(crate) struct Fixture {
    pub admin: Session,
    pub operator: Session,
    pub source: String,
    pub service: String,
    pub service_id: i64,
    pub type_mapping_id: i64,
    pub fields: HashMap<String, i64>,
}

pub(crate) async fn fixture(app: &TestApp, fields: &str, values: Value) -> Fixture {
    let admin = app.login_as("Acme", Role::Admin).await;
    let operator = app.login_as("Acme", Role::Operator).await;
    let source = app.create_cw_source(&admin, "CW").await;
    fixture_on(app, admin, operator, source, fields, values).await
}

pub(crate) async fn fixture_on(
    app: &TestApp,
    admin: Session,
    operator: Session,
    source: String,
    fields: &str,
    values: Value,
) -> Fixture {
    let create = format!("mutation {{ createServiceType(input: {{name: \"Account\", fields: [{fields}]}}) {{ id fields {{ id key }} }} }}");
    let st = app.ok(&admin, &create, json!({})).await["createServiceType"].clone();
    let customer = app
        .ok(&admin, gql::CREATE_CUSTOMER, json!({"name": "Acme Co"}))
        .await["createCustomer"]["id"]
        .clone();
    let create_service = "mutation($c: ID!, $st: ID!, $f: JSON) { createService(input: {name: \"Account 1\", customerId: $c, serviceTypeId: $st, effectiveDate: \"2026-02-01\", fields: $f}) { id } }";
    let vars = json!({"c": customer, "st": st["id"], "f": values});
    let service = app.ok(&admin, create_service, vars).await["createService"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let service_type_id = ids::decode(Kind::ServiceType, st["id"].as_str().unwrap()).unwrap();
    let fields = st["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let id = ids::decode(Kind::ServiceTypeField, f["id"].as_str().unwrap()).unwrap();
            (f["key"].as_str().unwrap().to_owned(), id)
        })
        .collect();
    let org = ids::decode(Kind::Source, &source).unwrap();
    let org = entity::source::Entity::find_by_id(org)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .organization_id;
    let type_mapping_id = entity::type_mapping::ActiveModel {
        organization_id: Set(org),
        provider: Set(Provider::ConnectwiseManage),
        node_type: Set("Company".into()),
        service_type_id: Set(service_type_id),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    Fixture {
        admin,
        operator,
        source,
        service_id: ids::decode(Kind::Service, &service).unwrap(),
        service,
        type_mapping_id,
        fields,
    }
}

impl Fixture {
    /// Maps `node_field` onto the service field `key`; returns the mapping's id.
    pub async fn map(
        &self,
        app: &TestApp,
        node_field: &str,
        key: &str,
        direction: MappingDirection,
        enabled: bool,
    ) -> i64 {
        entity::field_mapping::ActiveModel {
            type_mapping_id: Set(self.type_mapping_id),
            node_field: Set(node_field.into()),
            service_field_id: Set(self.fields[key]),
            direction: Set(direction),
            enabled: Set(enabled),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap()
        .id
    }

    /// Maps each service field from the node field of the same name.
    pub async fn map_same_names(&self, app: &TestApp) {
        let mut keys: Vec<&String> = self.fields.keys().collect();
        keys.sort();
        for key in keys {
            self.map(app, key, key, MappingDirection::SourceToService, true)
                .await;
        }
    }

    /// A Company node with these fields, linked to the service; returns its row id.
    pub async fn linked_node(&self, app: &TestApp, fields: Value) -> i64 {
        let node = app
            .insert_node(&self.source, "Company", "1", "Company 1", None)
            .await;
        set_node_fields(app, node.id, fields).await;
        app.link_directly(node.id, self.service_id).await;
        node.id
    }
}

pub(crate) async fn set_node_fields(app: &TestApp, node_id: i64, fields: Value) {
    entity::source_node::Entity::update_many()
        .col_expr(entity::source_node::Column::Fields, Expr::value(fields))
        .filter(entity::source_node::Column::Id.eq(node_id))
        .exec(&app.db)
        .await
        .unwrap();
}

/// `syncFields` as `session`: each result by its service field key.
pub(crate) async fn sync_fields(
    app: &TestApp,
    session: &Session,
    node_id: i64,
) -> HashMap<String, Value> {
    let node = tests::gid(Kind::SourceNode, node_id);
    let data = app.ok(session, SYNC_FIELDS, json!({"id": node})).await;
    data["syncFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["serviceFieldKey"].as_str().unwrap().to_owned(), r.clone()))
        .collect()
}

/// The service's values by key.
pub(crate) async fn values(app: &TestApp, fx: &Fixture) -> HashMap<String, Value> {
    let data = app.ok(&fx.admin, SERVICE, json!({"id": fx.service})).await;
    data["service"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"]["key"].as_str().unwrap().to_owned(),
                f["value"].clone(),
            )
        })
        .collect()
}

/// (status, value) of one result; the message for SKIPPED and FAILED.
pub(crate) fn outcome(results: &HashMap<String, Value>, key: &str) -> (String, Value) {
    let r = &results[key];
    let status = r["status"].as_str().unwrap().to_owned();
    let shown = if status == "SYNCED" || status == "UNCHANGED" {
        r["value"].clone()
    } else {
        r["message"].clone()
    };
    (status, shown)
}

async fn null_missing_and_equal_are_unchanged_and_constraints_skip(app: TestApp) {
    let fields = r#"
      {key: "keep", label: "k", dataType: TEXT}, {key: "missing", label: "m", dataType: TEXT},
      {key: "same", label: "s", dataType: NUMBER}, {key: "ro", label: "r", dataType: TEXT, readOnly: true},
      {key: "back", label: "b", dataType: TEXT}, {key: "both", label: "b", dataType: TEXT},
      {key: "short", label: "s", dataType: TEXT, maxLength: 3}, {key: "off", label: "o", dataType: TEXT},
      {key: "status", label: "s", dataType: TEXT}"#;
    let fx = fixture(&app, fields, json!({"keep": "kept", "same": 5})).await;
    use MappingDirection::{Both, ServiceToSource, SourceToService};
    for (node_field, key, direction, enabled) in [
        ("keep", "keep", SourceToService, true),
        ("missing", "missing", SourceToService, true),
        ("same", "same", SourceToService, true),
        ("ro", "ro", SourceToService, true),
        ("back", "back", ServiceToSource, true),
        ("both", "both", Both, true),
        ("short", "short", SourceToService, true),
        ("off", "off", SourceToService, false),
        ("status.name", "status", SourceToService, true),
    ] {
        fx.map(&app, node_field, key, direction, enabled).await;
    }
    let node = json!({"keep": null, "same": "5", "ro": "x", "back": "x", "both": "y", "short": "long", "off": "z", "status.name": "Active"});
    let node_id = fx.linked_node(&app, node).await;
    let results = sync_fields(&app, &fx.operator, node_id).await;
    assert!(
        !results.contains_key("off"),
        "a disabled mapping takes no part"
    );
    assert_eq!(results.len(), 8);
    assert_eq!(
        outcome(&results, "keep"),
        ("UNCHANGED".into(), json!("kept"))
    );
    assert_eq!(
        outcome(&results, "missing"),
        ("UNCHANGED".into(), Value::Null)
    );
    assert_eq!(outcome(&results, "same"), ("UNCHANGED".into(), json!(5)));
    assert_eq!(outcome(&results, "both"), ("SYNCED".into(), json!("y")));
    assert_eq!(
        outcome(&results, "status"),
        ("SYNCED".into(), json!("Active"))
    );
    assert_eq!(
        outcome(&results, "short"),
        ("SKIPPED".into(), json!("longer than 3 characters"))
    );
    assert_eq!(results["ro"]["status"], "SKIPPED");
    assert!(results["ro"]["message"]
        .as_str()
        .unwrap()
        .contains("read-only"));
    assert_eq!(results["back"]["status"], "SKIPPED");
    let stored = values(&app, &fx).await;
    assert_eq!(
        (&stored["keep"], &stored["missing"], &stored["same"]),
        (&json!("kept"), &Value::Null, &json!(5))
    );
    for key in ["ro", "back", "short", "off"] {
        assert_eq!(stored[key], Value::Null, "{key} left alone");
    }
    // Two USER changes when the service was created, two SYNC changes now.
    let history = app.ok(&fx.admin, SERVICE, json!({"id": fx.service})).await;
    assert_eq!(history["service"]["history"]["totalCount"], 4);
}

async fn a_date_time_becomes_the_date_in_the_source_time_zone(app: TestApp) {
    let fx = fixture(
        &app,
        r#"{key: "day", label: "Day", dataType: DATE}"#,
        json!({}),
    )
    .await;
    fx.map_same_names(&app).await;
    let zone = "mutation($id: ID!, $tz: String!) { updateSource(id: $id, input: {settings: {timezone: $tz}}) { id } }";
    let node_id = fx
        .linked_node(&app, json!({"day": "2025-03-01T05:00:00Z"}))
        .await;
    app.ok(
        &fx.admin,
        zone,
        json!({"id": fx.source, "tz": "America/Los_Angeles"}),
    )
    .await;
    let results = sync_fields(&app, &fx.operator, node_id).await;
    assert_eq!(
        outcome(&results, "day"),
        ("SYNCED".into(), json!("2025-02-28"))
    );
    set_node_fields(&app, node_id, json!({"day": "2025-03-01T16:00:00+00:00"})).await;
    app.ok(
        &fx.admin,
        zone,
        json!({"id": fx.source, "tz": "Asia/Tokyo"}),
    )
    .await;
    let results = sync_fields(&app, &fx.operator, node_id).await;
    assert_eq!(
        outcome(&results, "day"),
        ("SYNCED".into(), json!("2025-03-02"))
    );
}
