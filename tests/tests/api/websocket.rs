//! GraphQL over WebSocket: both subprotocols at both paths, auth in connection_init, and
//! sockets closed when their token is revoked or expires.

use std::time::Duration;

use entity::enums::Role;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tests::{dual_db, gql, TestApp};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

dual_db!(
    queries_run_over_both_protocols_and_paths,
    a_bad_token_gets_no_ack,
    revoking_a_token_closes_its_sockets,
    an_expiring_token_closes_its_socket,
    sync_job_updates_reach_subscribers_of_the_organization,
);

async fn connect(app: &TestApp, path: &str, protocol: &str) -> Socket {
    let mut request = app.ws_url(path).into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", protocol.parse().unwrap());
    let (socket, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("websocket");
    assert_eq!(response.headers()["sec-websocket-protocol"], protocol);
    socket
}

async fn send(socket: &mut Socket, value: Value) {
    socket
        .send(Message::Text(value.to_string().into()))
        .await
        .unwrap();
}

/// The next JSON message, or None when the socket closed (with its close code).
async fn next(socket: &mut Socket) -> Result<Value, Option<u16>> {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
        {
            Some(Ok(Message::Text(text))) => {
                let v: Value = serde_json::from_str(&text).unwrap();
                if v["type"] == "ka" || v["type"] == "ping" {
                    continue;
                }
                return Ok(v);
            }
            Some(Ok(Message::Close(frame))) => return Err(frame.map(|f| u16::from(f.code))),
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => return Err(None),
        }
    }
}

async fn init(socket: &mut Socket, token: &str) -> Result<Value, Option<u16>> {
    send(
        socket,
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}}),
    )
    .await;
    next(socket).await
}

async fn queries_run_over_both_protocols_and_paths(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    for path in ["/graphql", "/graphql/ws"] {
        let mut socket = connect(&app, path, "graphql-transport-ws").await;
        assert_eq!(
            init(&mut socket, &admin.token).await.unwrap()["type"],
            "connection_ack"
        );
        send(
            &mut socket,
            json!({"id": "1", "type": "subscribe", "payload": {"query": "{ viewer { role } }"}}),
        )
        .await;
        let msg = next(&mut socket).await.unwrap();
        assert_eq!(msg["type"], "next");
        assert_eq!(msg["payload"]["data"]["viewer"]["role"], "ADMIN");
        assert_eq!(next(&mut socket).await.unwrap()["type"], "complete");

        let mut legacy = connect(&app, path, "graphql-ws").await;
        assert_eq!(
            init(&mut legacy, &admin.token).await.unwrap()["type"],
            "connection_ack"
        );
        send(
            &mut legacy,
            json!({"id": "1", "type": "start", "payload": {"query": "{ viewer { role } }"}}),
        )
        .await;
        let msg = next(&mut legacy).await.unwrap();
        assert_eq!(msg["type"], "data");
        assert_eq!(msg["payload"]["data"]["viewer"]["role"], "ADMIN");
    }
}

async fn a_bad_token_gets_no_ack(app: TestApp) {
    let mut socket = connect(&app, "/graphql", "graphql-transport-ws").await;
    let answer = init(&mut socket, "not-a-token").await;
    assert!(
        answer.is_err() || answer.as_ref().unwrap()["type"] != "connection_ack",
        "{answer:?}"
    );
}

async fn revoking_a_token_closes_its_sockets(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let created = app
        .ok(
            &admin,
            gql::CREATE_TOKEN,
            json!({"name": "live", "role": "VIEWER"}),
        )
        .await;
    let secret = created["createApiToken"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = created["createApiToken"]["apiToken"]["id"].clone();
    let mut socket = connect(&app, "/graphql/ws", "graphql-transport-ws").await;
    assert_eq!(
        init(&mut socket, &secret).await.unwrap()["type"],
        "connection_ack"
    );
    let mut other = connect(&app, "/graphql/ws", "graphql-transport-ws").await;
    assert_eq!(
        init(&mut other, &admin.token).await.unwrap()["type"],
        "connection_ack"
    );
    app.ok(
        &admin,
        "mutation($id: ID!) { revokeApiToken(id: $id) { revoked } }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(next(&mut socket).await, Err(Some(4403)));
    // The admin's own socket stays open and answers.
    send(
        &mut other,
        json!({"id": "1", "type": "subscribe", "payload": {"query": "{ viewer { role } }"}}),
    )
    .await;
    assert_eq!(next(&mut other).await.unwrap()["type"], "next");
}

async fn an_expiring_token_closes_its_socket(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let user = entity::user::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == admin.email)
        .unwrap();
    let (short, _) =
        server::auth::jwt::issue(&app.state.keys, user.id, user.organization_id, 2).unwrap();
    let mut socket = connect(&app, "/graphql", "graphql-transport-ws").await;
    assert_eq!(
        init(&mut socket, &short).await.unwrap()["type"],
        "connection_ack"
    );
    assert_eq!(next(&mut socket).await, Err(Some(4403)));
}

use sea_orm::EntityTrait;

/// A socket that never sends `connection_init` is closed with 4408 (graphql-transport-ws).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_that_never_initialises_is_closed_with_4408() {
    let app = TestApp::spawn(tests::DbKind::Sqlite).await;
    let mut socket = connect(&app, "/graphql", "graphql-transport-ws").await;
    let started = std::time::Instant::now();
    let closed = loop {
        match tokio::time::timeout(Duration::from_secs(20), socket.next())
            .await
            .expect("closed within 20 s")
        {
            Some(Ok(Message::Close(frame))) => break frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => break None,
        }
    };
    assert_eq!(closed, Some(4408));
    assert!(
        started.elapsed() >= Duration::from_secs(9),
        "closed too early"
    );
}

/// A client that sends nothing after subscribing (the reference graphql-ws client sends no
/// pings by default) keeps its socket and its subscription past the 30 s after which
/// async-graphql's keep-alive used to close it; the server's WebSocket pings are answered by
/// the client library on its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiet_subscriber_stays_subscribed_past_30_seconds() {
    let app = TestApp::spawn(tests::DbKind::Sqlite).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_offline_source(&admin, "CW").await;
    let sub = "subscription($s: ID) { syncJobUpdates(sourceId: $s) { id status } }";
    let mut socket = connect(&app, "/graphql/ws", "graphql-transport-ws").await;
    init(&mut socket, &admin.token).await.unwrap();
    send(&mut socket, json!({"id": "1", "type": "subscribe", "payload": {"query": sub, "variables": {"s": source}}})).await;
    // Reading (so that pings are answered) but sending nothing for 35 s.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(35);
    while let Ok(frame) = tokio::time::timeout_at(deadline, socket.next()).await {
        match frame {
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            other => panic!("the quiet socket got {other:?}"),
        }
    }
    app.ok(
        &admin,
        "mutation($id: ID!) { forceSync(sourceId: $id) { id } }",
        json!({"id": source}),
    )
    .await;
    let msg = next(&mut socket).await.expect("still open");
    assert_eq!(
        msg["payload"]["data"]["syncJobUpdates"]["status"], "QUEUED",
        "{msg}"
    );
}

/// A subscriber sees its jobs change (queued, running, failed) as they happen — on PostgreSQL
/// also when the worker runs in another process — and another organization sees nothing.
async fn sync_job_updates_reach_subscribers_of_the_organization(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let stranger = app.login_as("Other", Role::Admin).await;
    let source = app.create_offline_source(&admin, "CW").await;
    let sub = "subscription($s: ID) { syncJobUpdates(sourceId: $s) { id status source { name } } }";
    let mut mine = connect(&app, "/graphql/ws", "graphql-transport-ws").await;
    init(&mut mine, &admin.token).await.unwrap();
    send(&mut mine, json!({"id": "1", "type": "subscribe", "payload": {"query": sub, "variables": {"s": source}}})).await;
    let mut theirs = connect(&app, "/graphql/ws", "graphql-transport-ws").await;
    init(&mut theirs, &stranger.token).await.unwrap();
    send(&mut theirs, json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { syncJobUpdates { id } }"}})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let job = app
        .ok(
            &admin,
            "mutation($id: ID!) { forceSync(sourceId: $id) { id } }",
            json!({"id": source}),
        )
        .await["forceSync"]["id"]
        .clone();
    // With PostgreSQL, run the job in a second "process" on the same database.
    let worker_state = match app.kind {
        tests::DbKind::Postgres => server::state::AppState::new(
            server::db::connect(&app.url).await.unwrap(),
            server::config::Settings::for_database(&app.url),
            server::crypto::Keys::random(),
        ),
        tests::DbKind::Sqlite => app.state.clone(),
    };
    server::sync::worker::Worker::new(worker_state, 0)
        .try_run_next()
        .await
        .unwrap();
    let mut statuses = Vec::new();
    while statuses.last().map(String::as_str) != Some("FAILED") {
        let msg = next(&mut mine).await.unwrap();
        assert_eq!(msg["type"], "next", "{msg}");
        let update = &msg["payload"]["data"]["syncJobUpdates"];
        assert_eq!(update["id"], job);
        assert_eq!(update["source"]["name"], "CW");
        statuses.push(update["status"].as_str().unwrap().to_owned());
    }
    // Each state once, in order, ending FAILED; states that passed before the subscriber read
    // the job coalesce into the latest (events carry ids only).
    let order = ["QUEUED", "RUNNING", "FAILED"];
    let positions: Vec<usize> = statuses
        .iter()
        .map(|s| order.iter().position(|o| o == s).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{statuses:?}");
    let again = tokio::time::timeout(Duration::from_millis(300), next(&mut mine)).await;
    assert!(again.is_err(), "a state was delivered twice: {again:?}");
    let nothing = tokio::time::timeout(Duration::from_millis(300), next(&mut theirs)).await;
    assert!(
        nothing.is_err(),
        "another organization saw a job update: {nothing:?}"
    );
}
