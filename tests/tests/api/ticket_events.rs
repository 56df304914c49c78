//! Ticket events: a ticket created in the ConnectWise fake reaches subscribers through its
//! callback, and through the catch-up poll when the callback is lost, exactly once; the poll
//! tells a person that webhooks stopped; Syncro hints are read again before anything is said.

use entity::enums::Role;
use sea_orm::EntityTrait;
use serde_json::{json, Value};
use server::graphql::ids::{decode, Kind};
use tests::fakes::syncro::{Config as SyncroConfig, SyncroFake};
use tests::live::Subscriber;
use tests::{dual_db, gql, Session, TestApp};

use crate::tickets::{CREATE, UPDATE};

dual_db!(
    a_ticket_reaches_subscribers_by_callback_and_by_the_poll_exactly_once,
    syncro_hints_are_read_again,
);

const TICKET_EVENTS: &str = "subscription($s: ID, $b: [String!]) { ticketEvents(sourceId: $s, boardExternalIds: $b) { kind sourceId externalId lagged at ticket { externalId summary board { externalId } mappedStatus company { externalId } } } }";
const HEALTH: &str = "query($id: ID!) { source(id: $id) { health { lastEventAt lastPollAt webhookHealthy message } } }";

async fn listen(app: &TestApp, who: &Session, source: &str, boards: Value) -> Subscriber {
    let mut sub = Subscriber::connect(app.addr, &who.token).await;
    sub.subscribe("1", TICKET_EVENTS, json!({"s": source, "b": boards}))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    sub
}

/// (kind, external id, summary) of the next ticket event.
async fn next(sub: &mut Subscriber) -> (String, String, String) {
    let e = sub.next_data().await["ticketEvents"].clone();
    assert_eq!(e["lagged"], 0, "{e}");
    (
        e["kind"].as_str().unwrap().to_owned(),
        e["externalId"].as_str().unwrap().to_owned(),
        e["ticket"]["summary"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

async fn poll(app: &TestApp, source: &str) -> server::webhooks::poll::Polled {
    let id = decode(Kind::Source, source).unwrap();
    let row = entity::source::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    server::webhooks::poll::poll(&app.state, &row)
        .await
        .unwrap()
}

async fn a_ticket_reaches_subscribers_by_callback_and_by_the_poll_exactly_once(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let viewer = app.login_as("Acme", Role::Viewer).await;
    let (fake, source) = crate::tickets::cw_source(&app, &admin).await;
    let url = app
        .ok(
            &admin,
            "query($id: ID!) { source(id: $id) { webhookUrl } }",
            json!({"id": source}),
        )
        .await["source"]["webhookUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    // The first poll only sets where the next one starts.
    assert_eq!(poll(&app, &source).await.missed, 0);
    let mut all = listen(&app, &admin, &source, Value::Null).await;
    let mut board_two = listen(&app, &viewer, &source, json!(["2"])).await;

    let create = |summary: &str, board: &str| json!({"s": source, "i": {"summary": summary, "companyExternalId": "3", "boardExternalId": board}});
    let a = app.ok(&admin, CREATE, create("Phones down", "1")).await["createTicket"]["externalId"]
        .as_str()
        .unwrap()
        .to_owned();
    let callbacks = fake.callbacks();
    let added = callbacks.body(
        "ticket",
        "added",
        a.parse().unwrap(),
        Some(&json!({"id": a.parse::<u64>().unwrap()})),
    );
    assert_eq!(callbacks.post(&url, &added).await, 204);
    assert_eq!(
        next(&mut all).await,
        ("CREATED".into(), a.clone(), "Phones down".into())
    );
    // ConnectWise delivers it again: no second event.
    assert_eq!(callbacks.post(&url, &added).await, 204);

    // The next ticket's callback is lost: the poll finds it, once.
    let b = app.ok(&admin, CREATE, create("Fax on fire", "2")).await["createTicket"]["externalId"]
        .as_str()
        .unwrap()
        .to_owned();
    let polled = poll(&app, &source).await;
    assert_eq!(polled.missed, 1, "{polled:?}");
    assert_eq!(
        next(&mut all).await,
        ("CREATED".into(), b.clone(), "Fax on fire".into())
    );
    assert_eq!(
        next(&mut board_two).await,
        ("CREATED".into(), b.clone(), "Fax on fire".into())
    );
    let again = poll(&app, &source).await;
    assert_eq!(again.missed, 0, "{again:?}");
    assert!(again.read >= 2, "{again:?}");

    let health = app.ok(&admin, HEALTH, json!({"id": source})).await["source"]["health"].clone();
    assert_eq!(health["webhookHealthy"], false, "{health}");
    assert!(
        health["message"]
            .as_str()
            .unwrap()
            .contains("no webhook delivered"),
        "{health}"
    );
    assert!(health["lastPollAt"].is_string());

    // The next change of A comes by callback: it is the very next event, so nothing came twice
    // in between; and webhooks count as healthy again.
    let input = json!({"s": source, "e": a, "i": {"summary": "Phones back"}});
    app.ok(&admin, UPDATE, input).await;
    let updated = callbacks.body("ticket", "updated", a.parse().unwrap(), None);
    assert_eq!(callbacks.post(&url, &updated).await, 204);
    assert_eq!(
        next(&mut all).await,
        ("UPDATED".into(), a.clone(), "Phones back".into())
    );
    let health = app.ok(&admin, HEALTH, json!({"id": source})).await["source"]["health"].clone();
    assert_eq!(health["webhookHealthy"], true, "{health}");
    assert_eq!(health["message"], Value::Null);

    // The viewer on board 2 heard nothing of board 1.
    let deleted = callbacks.body("ticket", "deleted", b.parse().unwrap(), None);
    assert_eq!(callbacks.post(&url, &deleted).await, 204);
    let e = all.next_data().await["ticketEvents"].clone();
    assert_eq!(
        (e["kind"].as_str(), e["externalId"].as_str(), &e["ticket"]),
        (Some("DELETED"), Some(b.as_str()), &Value::Null)
    );
    let quiet = board_two
        .message(std::time::Duration::from_millis(300))
        .await;
    assert!(
        quiet.is_none(),
        "a board 1 or deleted ticket reached the board 2 subscriber: {quiet:?}"
    );
}

async fn syncro_hints_are_read_again(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = SyncroFake::start(SyncroConfig::default()).await;
    let input = json!({"input": {"name": "Syncro", "provider": "SYNCRO", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let created = app.ok(&admin, gql::CREATE_SOURCE, input).await["createSource"].clone();
    let source = created["id"].as_str().unwrap().to_owned();
    let url = created["webhookUrl"].as_str().unwrap().to_owned();
    let mut sub = listen(&app, &admin, &source, Value::Null).await;
    let made = app
        .ok(
            &admin,
            CREATE,
            json!({"s": source, "i": {"summary": "Screen cracked", "companyExternalId": "1"}}),
        )
        .await["createTicket"]["externalId"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = reqwest::Client::new();
    let hint = |id: &str, subject: &str| json!({"attributes": {"id": id.parse::<u64>().unwrap(), "number": 1, "subject": subject, "status": "New"}, "text": "Ticket created", "link": "https://acme.syncromsp.com/tickets/1"});
    let post = |path: String, body: Value| {
        let client = client.clone();
        async move {
            client
                .post(path)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // Nobody's word is taken: the subject is the provider's, and an unknown id is nothing.
    assert_eq!(
        post(
            format!("{url}/ticket-created"),
            hint("999999", "Free money")
        )
        .await,
        204
    );
    assert_eq!(
        post(
            format!("{url}/ticket-created"),
            hint(&made, "Forged subject")
        )
        .await,
        204
    );
    assert_eq!(
        next(&mut sub).await,
        ("CREATED".into(), made.clone(), "Screen cracked".into())
    );
    // The same state hinted again (bare URL: the kind read from the hint) is no second event.
    assert_eq!(post(url.clone(), hint(&made, "Screen cracked")).await, 204);
    app.ok(
        &admin,
        UPDATE,
        json!({"s": source, "e": made, "i": {"summary": "Screen replaced"}}),
    )
    .await;
    assert_eq!(
        post(format!("{url}/ticket-updated"), hint(&made, "x")).await,
        204
    );
    assert_eq!(
        next(&mut sub).await,
        ("UPDATED".into(), made.clone(), "Screen replaced".into())
    );
    // An unknown kind suffix is an unknown URL.
    assert_eq!(post(format!("{url}/nonsense"), hint(&made, "x")).await, 404);
}
