//! autoSyncFields: after each import the linked ConnectWise companies' mapped fields reach
//! their services with origin SYNC and the job (its requester as actor), SKIPPED and FAILED
//! fields are logged per record, a second import records nothing again, and with the setting
//! off an import changes no service.

use entity::enums::{MappingDirection, Role};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use server::graphql::ids::{self, Kind};
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::{dual_db, force_sync, gid, gql, Session, TestApp};

use super::{fixture_on, values, Fixture, SERVICE};

dual_db!(
    an_import_syncs_linked_fields_with_its_job,
    with_auto_sync_fields_off_an_import_changes_no_service,
    the_sync_after_an_import_takes_as_many_statements_for_twenty_links_as_for_one,
);

const JOB: &str = "query($id: ID!) { syncJob(id: $id) { id status stats { created updated deleted } logs(first: 500) { edges { node { level message nodeType externalId } } } } }";

const FIELDS: &str = r#"
  {key: "phone", label: "Phone", dataType: PHONE},
  {key: "status", label: "Status", dataType: ENUM, allowedValues: ["ACTIVE", "INACTIVE"]},
  {key: "city", label: "City", dataType: TEXT, maxLength: 3},
  {key: "site", label: "Site", dataType: TEXT, readOnly: true},
  {key: "code", label: "Code", dataType: NUMBER}"#;

/// A ConnectWise source on the fake, imported once, with company 1 linked to a service whose
/// fields are mapped from the company's.
async fn linked_company(app: &TestApp, fake: &ConnectWiseFake) -> (Fixture, i64) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let operator = app.login_as("Acme", Role::Operator).await;
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let source = app.ok(&admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(import(app, &admin, &source).await["status"], "SUCCEEDED");
    let fx = fixture_on(app, admin, operator, source, FIELDS, json!({})).await;
    for (node_field, key) in [
        ("phoneNumber", "phone"),
        ("status.name", "status"),
        ("city", "city"),
        ("website", "site"),
        ("identifier", "code"),
    ] {
        fx.map(
            app,
            node_field,
            key,
            MappingDirection::SourceToService,
            true,
        )
        .await;
    }
    let source_id = ids::decode(Kind::Source, &fx.source).unwrap();
    let company = entity::source_node::Entity::find()
        .filter(entity::source_node::Column::SourceId.eq(source_id))
        .filter(entity::source_node::Column::NodeType.eq("Company"))
        .filter(entity::source_node::Column::ExternalId.eq("1"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("company 1");
    app.link_directly(company.id, fx.service_id).await;
    (fx, company.id)
}

/// Forces an import, runs it here, and reads the job with its log.
async fn import(app: &TestApp, session: &Session, source: &str) -> Value {
    let id = force_sync(app, session, source).await;
    server::sync::worker::Worker::new(app.state.clone(), 0)
        .try_run_next()
        .await
        .unwrap();
    app.ok(session, JOB, json!({"id": id})).await["syncJob"].clone()
}

fn log_lines(job: &Value) -> Vec<Value> {
    job["logs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

async fn an_import_syncs_linked_fields_with_its_job(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 3,
        ..Config::default()
    })
    .await;
    let (fx, company) = linked_company(&app, &fake).await;
    let job = import(&app, &fx.operator, &fx.source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    // Field syncs are not node counts: the pass itself found nothing new.
    assert_eq!(
        job["stats"],
        json!({"created": 0, "updated": 0, "deleted": 0})
    );
    let stored = values(&app, &fx).await;
    assert_eq!(
        (&stored["phone"], &stored["status"]),
        (&json!("8135550001"), &json!("ACTIVE"))
    );
    for key in ["city", "site", "code"] {
        assert_eq!(stored[key], Value::Null, "{key}");
    }
    let data = app.ok(&fx.admin, SERVICE, json!({"id": fx.service})).await;
    let history = &data["service"]["history"];
    assert_eq!(history["totalCount"], 2);
    for edge in history["edges"].as_array().unwrap() {
        let change = &edge["node"];
        assert_eq!(change["origin"], "SYNC");
        assert_eq!(change["job"]["id"], job["id"]);
        assert_eq!(change["node"]["id"], gid(Kind::SourceNode, company));
        assert_eq!(change["actor"]["label"], fx.operator.email.as_str());
        assert!(change["actor"]["user"]["id"].is_string());
    }
    let lines = log_lines(&job);
    let per_record: Vec<(String, String)> = lines
        .iter()
        .filter(|l| l["nodeType"] == "Company")
        .map(|l| {
            assert_eq!(l["externalId"], "1");
            (
                l["level"].as_str().unwrap().to_owned(),
                l["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(per_record.len(), 3, "{per_record:?}");
    assert!(per_record.contains(&(
        "INFO".into(),
        "Company 1: city → city SKIPPED: longer than 3 characters".into()
    )));
    assert!(per_record
        .iter()
        .any(|(level, m)| level == "INFO" && m.starts_with("Company 1: website → site SKIPPED")));
    assert!(per_record
        .iter()
        .any(|(level, m)| level == "WARN" && m.starts_with("Company 1: identifier → code FAILED")));
    let summary = "linked fields of 1 nodes: 2 synced, 0 unchanged, 2 skipped, 1 failed";
    assert!(lines.iter().any(|l| l["message"] == summary), "{lines:?}");

    // Once per field: the next import finds every value in place and records nothing.
    let next = import(&app, &fx.admin, &fx.source).await;
    let summary = "linked fields of 1 nodes: 0 synced, 2 unchanged, 2 skipped, 1 failed";
    assert!(
        log_lines(&next).iter().any(|l| l["message"] == summary),
        "{next}"
    );
    let data = app.ok(&fx.admin, SERVICE, json!({"id": fx.service})).await;
    assert_eq!(data["service"]["history"]["totalCount"], 2);
}

async fn with_auto_sync_fields_off_an_import_changes_no_service(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 3,
        ..Config::default()
    })
    .await;
    let (fx, company) = linked_company(&app, &fake).await;
    let off = "mutation($id: ID!) { updateSource(id: $id, input: {settings: {autoSyncFields: false}}) { settings { autoSyncFields } } }";
    let data = app.ok(&fx.admin, off, json!({"id": fx.source})).await;
    assert_eq!(data["updateSource"]["settings"]["autoSyncFields"], false);
    let job = import(&app, &fx.admin, &fx.source).await;
    assert_eq!(job["status"], "SUCCEEDED");
    assert!(values(&app, &fx).await.values().all(Value::is_null));
    let data = app.ok(&fx.admin, SERVICE, json!({"id": fx.service})).await;
    assert_eq!(data["service"]["history"]["totalCount"], 0);
    assert!(log_lines(&job)
        .iter()
        .all(|l| !l["message"].as_str().unwrap().starts_with("linked fields")));
    let link = entity::link::Entity::find()
        .filter(entity::link::Column::NodeId.eq(company))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (link.last_field_sync, link.last_field_sync_at),
        (json!([]), None)
    );
}

async fn the_sync_after_an_import_takes_as_many_statements_for_twenty_links_as_for_one(
    app: TestApp,
) {
    let fake = ConnectWiseFake::start(Config {
        companies: 20,
        ..Config::default()
    })
    .await;
    let (fx, _) = linked_company(&app, &fake).await;
    let source_id = ids::decode(Kind::Source, &fx.source).unwrap();
    let source = entity::source::Entity::find_by_id(source_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let job = entity::sync_job::Entity::find()
        .filter(entity::sync_job::Column::SourceId.eq(source_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let statements = || async {
        let before = app.statement_count();
        server::services::field_sync::after_import(&app.db, &job, &source).await;
        app.statement_count() - before
    };
    let one = statements().await;
    // Nineteen more companies, all linked to the same service: every phone differs.
    let others = entity::source_node::Entity::find()
        .filter(entity::source_node::Column::SourceId.eq(source_id))
        .filter(entity::source_node::Column::NodeType.eq("Company"))
        .filter(entity::source_node::Column::Linked.eq(false))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(others.len(), 19);
    for node in &others {
        app.link_directly(node.id, fx.service_id).await;
    }
    let twenty = statements().await;
    eprintln!("statements of the sync after an import: {one} for 1 link, {twenty} for 20 links");
    assert_eq!(one, twenty);
    let data = app.ok(&fx.admin, SERVICE, json!({"id": fx.service})).await;
    assert!(data["service"]["history"]["totalCount"].as_u64().unwrap() >= 21);
}
