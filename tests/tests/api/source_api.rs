//! `callSourceApi` (issue #5 part 5): an ADMIN's raw request under the source's base URL, sent
//! with the source's credentials, its answer returned whatever the status, every call audited;
//! every way out of the base URL refused before anything is sent.

use entity::enums::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use tests::fakes::connectwise::{Config as CwConfig, ConnectWiseFake};
use tests::fakes::syncro::{Config as SyConfig, SyncroFake};
use tests::{dual_db, gql, Session, TestApp};

dual_db!(
    an_admin_calls_the_providers_api_under_the_base_url,
    every_escape_is_refused_before_anything_is_sent_and_audited,
);

const CALL: &str = "mutation($s: ID!, $m: HttpMethod!, $p: String!, $q: JSON, $h: JSON, $b: JSON) {
  callSourceApi(sourceId: $s, method: $m, path: $p, query: $q, headers: $h, body: $b) { status headers body json } }";

async fn source(
    app: &TestApp,
    admin: &Session,
    provider: &str,
    base: String,
    credentials: Value,
) -> String {
    let input = json!({"input": {"name": provider, "provider": provider, "baseUrl": base, "credentials": credentials}});
    app.ok(admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn audited(app: &TestApp) -> Vec<Value> {
    entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("source.api_call"))
        .order_by_asc(entity::audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.details)
        .collect()
}

async fn an_admin_calls_the_providers_api_under_the_base_url(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let cw = ConnectWiseFake::start(CwConfig::default()).await;
    let cw_source = source(
        &app,
        &admin,
        "CONNECTWISE_MANAGE",
        cw.base_url(),
        cw.config.credentials(),
    )
    .await;

    let vars = json!({"s": cw_source, "m": "GET", "p": "service/tickets/3"});
    let one = app.ok(&admin, CALL, vars).await["callSourceApi"].clone();
    assert_eq!(one["status"], 200);
    assert_eq!(one["json"]["id"], 3);
    assert!(one["body"].as_str().unwrap().contains("\"summary\""));
    assert!(one["headers"]["content-type"]
        .as_str()
        .unwrap()
        .contains("json"));
    let vars = json!({"s": cw_source, "m": "GET", "p": "/service/tickets",
        "q": {"conditions": "id<3", "orderBy": "id desc"}, "h": {"X-Trace": "abc"}});
    let listed = app.ok(&admin, CALL, vars).await["callSourceApi"].clone();
    assert_eq!(listed["json"].as_array().unwrap().len(), 2);
    assert_eq!(listed["json"][0]["id"], 2);
    // A provider's error status is an answer, not an error.
    let vars = json!({"s": cw_source, "m": "GET", "p": "service/nowhere"});
    let missing = app.ok(&admin, CALL, vars).await["callSourceApi"].clone();
    assert_eq!(missing["status"], 404);
    assert_eq!(missing["json"]["message"], "The endpoint does not exist.");
    // A write goes through too.
    let body = json!({"summary": "From the API", "company": {"id": 2}});
    let vars = json!({"s": cw_source, "m": "POST", "p": "service/tickets", "b": body});
    let made = app.ok(&admin, CALL, vars).await["callSourceApi"].clone();
    assert_eq!(made["status"], 201);
    assert_eq!(made["json"]["id"], 41);

    let sy = SyncroFake::start(SyConfig::default()).await;
    let sy_source = source(
        &app,
        &admin,
        "SYNCRO",
        sy.base_url(),
        sy.config.credentials(),
    )
    .await;
    let vars = json!({"s": sy_source, "m": "GET", "p": "customers", "q": {"page": 1, "include_disabled": true}});
    let page = app.ok(&admin, CALL, vars).await["callSourceApi"].clone();
    assert_eq!(page["status"], 200);
    assert_eq!(page["json"]["meta"]["page"], 1);
    let sent = sy.requests().pop().unwrap();
    assert!(sent.uri.starts_with("/api/v1/customers?"), "{}", sent.uri);
    assert!(sent.uri.contains("page=1") && sent.uri.contains("include_disabled=true"));
    assert_eq!(
        sent.authorization.as_deref(),
        Some("Bearer fake-syncro-token")
    );

    // Every call is audited: method, path, header names and status, never a header's value.
    let log = audited(&app).await;
    assert_eq!(log.len(), 5);
    assert_eq!(log[1]["path"], "/service/tickets");
    assert_eq!(log[1]["headers"], json!(["X-Trace"]));
    assert_eq!(log[2]["status"], 404);
    assert!(!log.iter().any(|d| d.to_string().contains("abc")));

    // Only an ADMIN calls; another organization sees no source.
    for role in [Role::Operator, Role::Viewer] {
        let who = app.login_as("Acme", role).await;
        let vars = json!({"s": cw_source, "m": "GET", "p": "service/tickets"});
        assert_eq!(app.err(&who, CALL, vars).await.0, "FORBIDDEN");
    }
    let other = app.login_as("Other", Role::Admin).await;
    let vars = json!({"s": cw_source, "m": "GET", "p": "service/tickets"});
    assert_eq!(app.err(&other, CALL, vars).await.0, "NOT_FOUND");
}

async fn every_escape_is_refused_before_anything_is_sent_and_audited(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let sy = SyncroFake::start(SyConfig::default()).await;
    let source = source(
        &app,
        &admin,
        "SYNCRO",
        sy.base_url(),
        sy.config.credentials(),
    )
    .await;
    let before = sy.requests().len();
    let other_host = format!("http://{}/api/v1/customers", sy.addr);
    for path in [
        "https://evil.example/api/v1/customers",
        other_host.as_str(),
        "//evil.example/x",
        "/%2F%2Fevil.example/x",
        "%2f%2fevil.example",
        "../../admin",
        "customers/../../../etc/passwd",
        "%2e%2e/admin",
        "%2E%2E%2Fadmin",
        "%252e%252e/admin",
        "customers/%2e%2e/%2e%2e/admin",
        "\\\\evil.example\\x",
        "customers\\..\\..\\admin",
        "%5c%5cevil.example",
        "http:evil.example",
        "customers?api_key=x",
        "me@evil.example",
        " customers",
        "",
    ] {
        let vars = json!({"s": source, "m": "GET", "p": path});
        let (code, body) = app.err(&admin, CALL, vars).await;
        assert_eq!(code, "BAD_USER_INPUT", "{path}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "path", "{path}");
    }
    for headers in [
        json!({"Authorization": "Bearer mine"}),
        json!({"authorization": "Basic x"}),
        json!({"Host": "evil.example"}),
        json!({"Cookie": "session=1"}),
        json!({"Proxy-Authorization": "x"}),
        json!({"X-Ok": "1", "COOKIE": "a"}),
        json!({"Bad Name": "x"}),
        json!({"X-Obj": {"a": 1}}),
        json!(["Authorization"]),
    ] {
        let vars = json!({"s": source, "m": "GET", "p": "customers", "h": headers});
        let (code, body) = app.err(&admin, CALL, vars).await;
        assert_eq!(code, "BAD_USER_INPUT", "{headers}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "headers");
    }
    let vars = json!({"s": source, "m": "GET", "p": "customers", "q": {"a": {"b": 1}}});
    assert_eq!(app.err(&admin, CALL, vars).await.0, "BAD_USER_INPUT");
    // Nothing reached the provider, and each refusal is in the audit log with its reason.
    assert_eq!(sy.requests().len(), before);
    let log = audited(&app).await;
    assert_eq!(log.len(), 19 + 9 + 1);
    assert!(log.iter().all(|d| d["refused"].is_string()), "{log:?}");
}
