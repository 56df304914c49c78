//! The way out to providers: redirects are never followed (so credentials stay with the base
//! URL's host), names that resolve to refused addresses are refused after resolution, and each
//! source shows its provider's request budget in `health.rateLimit`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::response::{IntoResponse, Redirect};
use axum::routing::any;
use axum::Router;
use entity::enums::Role;
use serde_json::{json, Value};
use server::sync::worker::Worker;
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::{DbKind, TestApp};

const TEST: &str =
    "mutation($input: CreateSourceInput!) { testConnection(input: $input) { ok message } }";

fn cw_input(base_url: &str, credentials: Value) -> Value {
    json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": base_url, "credentials": credentials}})
}

/// A server that counts what reaches it and answers 302 to `redirect_to`.
async fn serve(redirect_to: String) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().fallback(any(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        let target = redirect_to.clone();
        async move { Redirect::temporary(&target).into_response() }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), hits)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_is_not_followed_so_credentials_stay_with_the_base_url() {
    let app = TestApp::spawn(DbKind::Sqlite).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let (elsewhere, elsewhere_hits) = serve("/".into()).await;
    let (redirector, redirector_hits) =
        serve(format!("{elsewhere}/v4_6_release/apis/3.0/system/info")).await;
    let credentials = json!({"companyId": "acme", "publicKey": "pub", "privateKey": "secret-key", "clientId": "cid"});
    let base = format!("{redirector}/v4_6_release/apis/3.0");
    let data = app.ok(&admin, TEST, cw_input(&base, credentials)).await;
    assert_eq!(data["testConnection"]["ok"], false, "{data}");
    assert!(redirector_hits.load(Ordering::SeqCst) >= 1);
    assert_eq!(
        elsewhere_hits.load(Ordering::SeqCst),
        0,
        "nothing reached the redirect's target"
    );
}

/// This machine's own name, when it resolves to a loopback or private address.
async fn private_name() -> Option<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname").ok()?;
    let name = name.trim().to_owned();
    let addrs: Vec<_> = tokio::net::lookup_host((name.as_str(), 0))
        .await
        .ok()?
        .collect();
    let private = !addrs.is_empty()
        && addrs.iter().all(|a| match a.ip() {
            std::net::IpAddr::V4(v4) => v4.is_loopback() || v4.is_private(),
            std::net::IpAddr::V6(v6) => v6.is_loopback(),
        });
    private.then_some(name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_resolving_to_a_private_address_is_refused_when_private_upstreams_are_blocked() {
    let Some(name) = private_name().await else {
        panic!(
            "this machine's host name does not resolve to a private address; the test needs one"
        );
    };
    let fake = ConnectWiseFake::start(Config::default()).await;
    let base = format!("http://{name}:{}/v4_6_release/apis/3.0", fake.addr.port());
    let credentials = fake.config.credentials();

    // Allowed by default: the name reaches the fake.
    let open = TestApp::spawn(DbKind::Sqlite).await;
    let admin = open.login_as("Acme", Role::Admin).await;
    let data = open
        .ok(&admin, TEST, cw_input(&base, credentials.clone()))
        .await;
    assert_eq!(data["testConnection"]["ok"], true, "{data}");

    // Blocked: the name passes the URL check (it is not an address) and is refused once
    // resolved, with words that say why.
    let closed = TestApp::spawn_with(DbKind::Sqlite, |s| s.block_private_upstreams = true).await;
    let admin = closed.login_as("Acme", Role::Admin).await;
    let data = closed.ok(&admin, TEST, cw_input(&base, credentials)).await;
    assert_eq!(data["testConnection"]["ok"], false, "{data}");
    let message = data["testConnection"]["message"].as_str().unwrap();
    assert!(
        message.contains("resolves to an address that is refused"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_shows_the_request_budget_after_a_sync() {
    let app = TestApp::spawn(DbKind::Sqlite).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = ConnectWiseFake::start(Config::default()).await;
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let source = app.ok(&admin, tests::gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let q = "query($id: ID!) { source(id: $id) { health { rateLimit { limit remaining windowSeconds resetAt } } } }";
    let before = app.ok(&admin, q, json!({"id": source})).await;
    assert!(
        before["source"]["health"]["rateLimit"].is_null(),
        "{before}"
    );
    app.ok(
        &admin,
        "mutation($id: ID!) { forceSync(sourceId: $id) { id } }",
        json!({"id": source}),
    )
    .await;
    Worker::new(app.state.clone(), 0)
        .try_run_next()
        .await
        .unwrap();
    let after = app.ok(&admin, q, json!({"id": source})).await;
    let budget = &after["source"]["health"]["rateLimit"];
    // ConnectWise documents no limit: the window is shown, the limit stays unknown.
    assert_eq!(budget["limit"], Value::Null, "{after}");
    assert_eq!(budget["remaining"], Value::Null);
    assert_eq!(budget["windowSeconds"], 60);
    assert!(budget["resetAt"].is_string());
}
