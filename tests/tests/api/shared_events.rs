//! Shared subscriptions: subscribers of one shape (organization, role, operation, variables)
//! share one run and get the same answer, on either protocol; other roles, variables and
//! organizations run apart; a member that fell behind skips ahead on its own, is told how many
//! it missed, and holds nobody up; a group ends with its last member.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use entity::enums::Role;
use futures_util::StreamExt;
use serde_json::{json, Value};
use server::events::{LiveEvent, Topic};
use server::graphql::ids::{decode, Kind};
use server::http::shapes::Shapes;
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::live::Subscriber;
use tests::{dual_db, TestApp};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::webhooks::{cw_source, SOURCE_EVENTS};

dual_db!(
    subscribers_of_one_shape_share_one_run_and_one_answer,
    a_member_that_fell_behind_skips_ahead_and_is_told_how_many_it_missed,
);

/// Waits (up to 10 s) until `topic` has `n` subscription runs listening.
async fn runs(app: &TestApp, topic: Topic, n: usize) {
    for _ in 0..200 {
        if app.state.events.feed.listeners(topic) == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{} runs listen to {topic:?}, not {n}",
        app.state.events.feed.listeners(topic)
    );
}

/// A legacy `graphql-ws` subscriber of `query`: returns its socket, acknowledged and started.
async fn legacy(app: &TestApp, token: &str, query: &str, variables: Value) -> Subscriber {
    let mut request = app.ws_url("/graphql").into_client_request().unwrap();
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", "graphql-ws".parse().unwrap());
    let (socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut sub = Subscriber { socket };
    let init =
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}});
    sub.send(init).await;
    let ack = sub.message(Duration::from_secs(10)).await.unwrap();
    assert_eq!(ack["type"], "connection_ack");
    sub.send(
        json!({"id": "L", "type": "start", "payload": {"query": query, "variables": variables}}),
    )
    .await;
    sub
}

async fn subscribers_of_one_shape_share_one_run_and_one_answer(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let colleague = app.login_as("Acme", Role::Admin).await;
    let viewer = app.login_as("Acme", Role::Viewer).await;
    let fake = ConnectWiseFake::start(Config::default()).await;
    let (source, url) = cw_source(&app, &admin, &fake).await;
    let topic = Topic::Source(decode(Kind::Source, &source).unwrap());
    let vars = json!({"s": source});

    let mut first = Subscriber::connect(app.addr, &admin.token).await;
    first.subscribe("1", SOURCE_EVENTS, vars.clone()).await;
    // Reformatted, it is the same operation.
    let reformatted = format!("# the same\n{}", SOURCE_EVENTS.replace(' ', "\n  , "));
    let mut second = Subscriber::connect(app.addr, &colleague.token).await;
    second.subscribe("2", &reformatted, vars.clone()).await;
    let mut old = legacy(&app, &colleague.token, SOURCE_EVENTS, vars.clone()).await;
    runs(&app, topic, 1).await;
    // Another role, other variables: runs of their own.
    let mut viewing = Subscriber::connect(app.addr, &viewer.token).await;
    viewing.subscribe("1", SOURCE_EVENTS, vars.clone()).await;
    let mut filtered = Subscriber::connect(app.addr, &admin.token).await;
    let only = json!({"s": source, "k": ["company.updated"]});
    filtered.subscribe("1", SOURCE_EVENTS, only).await;
    runs(&app, topic, 3).await;

    let callbacks = fake.callbacks();
    let body = callbacks.body("company", "updated", 7, None);
    assert_eq!(callbacks.post(&url, &body).await, 204);
    let a = first.message(Duration::from_secs(10)).await.unwrap();
    let b = second.message(Duration::from_secs(10)).await.unwrap();
    let l = old.message(Duration::from_secs(10)).await.unwrap();
    assert_eq!((&a["type"], &a["id"]), (&json!("next"), &json!("1")), "{a}");
    assert_eq!((&b["type"], &b["id"]), (&json!("next"), &json!("2")), "{b}");
    assert_eq!((&l["type"], &l["id"]), (&json!("data"), &json!("L")), "{l}");
    assert_eq!(
        a["payload"]["data"]["sourceEvents"]["externalId"], "7",
        "{a}"
    );
    assert_eq!(a["payload"], b["payload"]);
    assert_eq!(a["payload"], l["payload"]);
    for sub in [&mut viewing, &mut filtered] {
        assert_eq!(sub.next_data().await, a["payload"]["data"]);
    }

    // Completing one member answers it alone; the others go on.
    first.send(json!({"id": "1", "type": "complete"})).await;
    let done = first.message(Duration::from_secs(10)).await.unwrap();
    assert_eq!(done, json!({"type": "complete", "id": "1"}));
    old.send(json!({"id": "L", "type": "stop"})).await;
    let done = old.message(Duration::from_secs(10)).await.unwrap();
    assert_eq!(done, json!({"type": "complete", "id": "L"}));
    let body = callbacks.body("company", "updated", 8, None);
    assert_eq!(callbacks.post(&url, &body).await, 204);
    assert_eq!(second.next_data().await["sourceEvents"]["externalId"], "8");
    let quiet = first.message(Duration::from_millis(300)).await;
    assert!(
        quiet.is_none(),
        "a completed operation heard more: {quiet:?}"
    );

    // The last member gone, its run ends.
    for sub in [second, viewing, filtered, old] {
        let mut socket = sub.socket;
        let _ = socket.close(None).await;
    }
    runs(&app, topic, 0).await;
}

async fn a_member_that_fell_behind_skips_ahead_and_is_told_how_many_it_missed(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = ConnectWiseFake::start(Config::default()).await;
    let (source, _) = cw_source(&app, &admin, &fake).await;
    let source_id = decode(Kind::Source, &source).unwrap();
    let viewer = server::auth::authenticate(&app.db, &app.state.keys, &admin.token)
        .await
        .unwrap();
    let org_id = viewer.org_id;
    let auth = server::graphql::Auth::Viewer(viewer);
    let schema = server::graphql::build_schema(Some(app.state.clone()));
    let shapes = Arc::new(Shapes::new(schema, app.state.clone()));
    let payload = json!({
        "query": "subscription($s: ID) { ticketEvents(sourceId: $s) { externalId lagged } }",
        "variables": {"s": source},
    });
    let mut reader = shapes
        .subscribe("r", false, payload.clone(), &auth)
        .unwrap();
    let mut stuck = shapes.subscribe("s", true, payload, &auth).unwrap();
    let topic = Topic::Source(source_id);
    runs(&app, topic, 1).await;

    let event = |n: i64| {
        Arc::new(LiveEvent {
            id: n,
            org_id,
            source_id,
            kind: "ticket.updated".into(),
            external_id: Some(n.to_string()),
            payload: json!({"id": n, "summary": format!("Ticket {n}")}),
            at: Utc::now(),
            ticket: Default::default(),
        })
    };
    let read = |frame: Option<(String, bool)>| -> Value {
        let (text, last) = frame.expect("a frame");
        assert!(!last, "{text}");
        serde_json::from_str(&text).unwrap()
    };
    // The reader has every event as it comes while the other member reads nothing.
    for n in 1..=100 {
        app.state.events.feed.fan_out(event(n));
        let frame = tokio::time::timeout(Duration::from_secs(10), reader.next())
            .await
            .expect("the reader was held up");
        let got = read(frame);
        assert_eq!(got["type"], "next");
        let e = &got["payload"]["data"]["ticketEvents"];
        assert_eq!(
            (&e["externalId"], &e["lagged"]),
            (&json!(n.to_string()), &json!(0))
        );
    }
    // The stuck member kept the latest 64: it skipped 36 and says so, once.
    let got = read(stuck.next().await);
    assert_eq!(
        (&got["type"], &got["id"]),
        (&json!("data"), &json!("s")),
        "{got}"
    );
    let e = &got["payload"]["data"]["ticketEvents"];
    assert_eq!((&e["externalId"], &e["lagged"]), (&json!("37"), &json!(36)));
    let e = read(stuck.next().await)["payload"]["data"]["ticketEvents"].clone();
    assert_eq!((&e["externalId"], &e["lagged"]), (&json!("38"), &json!(0)));

    drop((reader, stuck));
    runs(&app, topic, 0).await;
}
