//! Syncro credentials and hosts: a wrong token or a missing permission ends FAILED in words,
//! connection tests say what to fix, and the token never reaches another host. Also the fake
//! itself held to the documents (docs/CONNECTORS.md §4.2).

use std::time::Duration;

use entity::enums::Role;
use serde_json::{json, Value};
use tests::fakes::faults::FaultPlan;
use tests::fakes::syncro::{Config, SyncroFake};
use tests::{dual_db, TestApp};

use super::{node_count, source_for, source_with, sync};

dual_db!(
    a_wrong_token_or_permission_fails_and_connection_tests_say_what_to_fix,
    the_token_never_reaches_another_host,
);

const TEST: &str =
    "mutation($input: CreateSourceInput!) { testConnection(input: $input) { ok message } }";

async fn test_connection(
    app: &TestApp,
    admin: &tests::Session,
    fake: &SyncroFake,
    token: &str,
) -> Value {
    let input = json!({"input": {"name": "S", "provider": "SYNCRO", "baseUrl": fake.base_url(), "credentials": {"apiToken": token}}});
    app.ok(admin, TEST, input).await["testConnection"].clone()
}

async fn a_wrong_token_or_permission_fails_and_connection_tests_say_what_to_fix(app: TestApp) {
    let fake = SyncroFake::start(Config::default()).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let ok = test_connection(&app, &admin, &fake, &fake.config.token).await;
    assert_eq!(
        ok,
        json!({"ok": true, "message": "Connected to Syncro as Joe Tech (acme)."})
    );
    let wrong = test_connection(&app, &admin, &fake, "nope").await;
    assert_eq!(wrong["ok"], false);
    let words = wrong["message"].as_str().unwrap();
    assert!(
        words.contains("Syncro refused the credentials") && words.contains("Invalid API token"),
        "{words}"
    );

    let bad = source_with(&app, &admin, &fake, json!({"apiToken": "nope"}), json!({})).await;
    let refused = sync(&app, &admin, &bad).await;
    assert_eq!(refused["status"], "FAILED", "{refused}");
    let error = refused["error"].as_str().unwrap();
    assert!(
        error.contains("refused the credentials") && error.contains("Invalid API token"),
        "{error}"
    );
    assert!(refused["logs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["node"]["level"] == "ERROR"));

    let saved = source_for(&app, &admin, &fake).await;
    let tested = app
        .ok(
            &admin,
            "mutation($id: ID!) { testSourceConnection(id: $id) { ok message } }",
            json!({"id": saved}),
        )
        .await;
    assert_eq!(tested["testSourceConnection"]["ok"], true, "{tested}");

    // A token whose user may not list assets: the test names the permission to ask for.
    let no_assets = SyncroFake::start(Config {
        denied: vec!["assets".into()],
        ..Config::default()
    })
    .await;
    let missing = test_connection(&app, &admin, &no_assets, &no_assets.config.token).await;
    assert_eq!(missing["ok"], false);
    assert!(
        missing["message"]
            .as_str()
            .unwrap()
            .contains("Assets - List/Search"),
        "{missing}"
    );
    // A token without the leads permission: the import stops at leads, FAILED, in Syncro's words.
    let no_leads = SyncroFake::start(Config {
        denied: vec!["leads".into()],
        ..Config::default()
    })
    .await;
    let source = source_for(&app, &admin, &no_leads).await;
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "FAILED", "{job}");
    assert!(
        job["error"]
            .as_str()
            .unwrap()
            .contains("Please ask account admin"),
        "{job}"
    );
    assert_eq!(
        node_count(&app, &admin, &source).await,
        50,
        "what arrived stays"
    );
}

async fn the_token_never_reaches_another_host(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let elsewhere = SyncroFake::start(Config::default()).await;
    let hostile = SyncroFake::start(Config {
        redirect_to: Some(format!("{}/customers", elsewhere.base_url())),
        ..Config::default()
    })
    .await;
    let source = source_for(&app, &admin, &hostile).await;
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "PARTIAL", "{job}");
    assert!(job["error"].as_str().unwrap().contains("302"), "{job}");
    assert!(
        elsewhere.requests().is_empty(),
        "the redirect was not followed"
    );
    for r in hostile.requests() {
        assert_eq!(r.authorization.as_deref(), Some("Bearer fake-syncro-token"));
        assert!(
            !r.uri.contains("api_key") && !r.uri.contains("fake-syncro-token"),
            "{r:?}"
        );
    }
}

async fn get(fake: &SyncroFake, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}/{path}", fake.base_url()))
        .bearer_auth(&fake.config.token)
        .send()
        .await
        .unwrap()
}

async fn body(fake: &SyncroFake, path: &str) -> Value {
    get(fake, path).await.json().await.unwrap()
}

/// Auth both ways, paging with `meta`, disabled customers, the asset `meta` switch, PUT rules,
/// the per-IP limit and the 500 bodies.
#[tokio::test]
async fn syncro_fake_follows_the_documents() {
    let fake = SyncroFake::start(Config {
        customers: 30,
        rate_limit: 40,
        rate_window: Duration::from_secs(60),
        retry_after: true,
        asset_meta: false,
        ..Config::default()
    })
    .await;
    // The routes sit beside ConnectWise's on one port in `fake-providers`.
    let _ = tests::fakes::connectwise::router(Default::default(), Default::default()).merge(
        tests::fakes::syncro::router(Config::default(), Default::default()),
    );
    let client = reqwest::Client::new();
    let url = format!("{}/customers", fake.base_url());
    let none = client.get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert!(none.json::<Value>().await.unwrap()["error"].is_string());
    let by_key = client
        .get(format!("{url}?api_key={}", fake.config.token))
        .send()
        .await
        .unwrap();
    assert_eq!(by_key.status(), 200);
    // 30 customers, 5 of them disabled (hidden unless asked for).
    let hidden = body(&fake, "customers").await;
    assert_eq!(
        hidden["meta"],
        json!({"total_pages": 1, "total_entries": 25, "per_page": 25, "page": 1})
    );
    let all = body(&fake, "customers?include_disabled=true&page=2").await;
    assert_eq!(all["meta"]["total_entries"], 30);
    assert_eq!(all["customers"].as_array().unwrap().len(), 5);
    assert!(
        body(&fake, "customers?include_disabled=true&page=9").await["customers"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let assets = body(&fake, "customer_assets?page=1").await;
    assert!(assets.get("meta").is_none() && assets["assets"].as_array().unwrap().len() == 25);
    let four = body(&fake, "customers?include_disabled=true").await["customers"][3].clone();
    assert_eq!(
        (
            four["business_name"].clone(),
            four["business_then_name"].clone()
        ),
        (Value::Null, json!("Pat4 Lee4"))
    );
    // PUT: contacts need a name; customers answer wrapped; unknown ids are 404.
    let put = |path: &str, body: Value| {
        client
            .put(format!("{}/{path}", fake.base_url()))
            .bearer_auth(&fake.config.token)
            .json(&body)
            .send()
    };
    assert_eq!(
        put("contacts/1", json!({"email": "x@example.com"}))
            .await
            .unwrap()
            .status(),
        422
    );
    let renamed: Value = put("customers/1", json!({"business_name": "Renamed"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(renamed["customer"]["business_name"], "Renamed");
    assert_eq!(put("leads/999", json!({})).await.unwrap().status(), 404);
    // Faults: a 500 with an HTML page, then one with no body.
    fake.faults.set(FaultPlan {
        server_errors: 2,
        ..FaultPlan::default()
    });
    assert!(get(&fake, "me")
        .await
        .text()
        .await
        .unwrap()
        .contains("<html>"));
    let empty = get(&fake, "me").await;
    assert_eq!(
        (empty.status().as_u16(), empty.text().await.unwrap()),
        (500, String::new())
    );
    // The per-IP limit: 40 a minute, then 429 with Retry-After (switched on here).
    let mut limited = None;
    for _ in 0..40 {
        let resp = get(&fake, "me").await;
        if resp.status() == 429 {
            limited = Some(resp);
            break;
        }
    }
    let limited = limited.expect("a 429 within the limit's reach");
    assert!(limited.headers().get("retry-after").is_some());
    assert_eq!(fake.requests().len(), 41, "every request recorded");
}
