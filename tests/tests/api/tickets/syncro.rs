//! Live tickets against the Syncro fake (`tests::fakes::syncro::tickets`): 30 tickets, ticket
//! `t` for customer `(t-1) % 12 + 1`, status by `t % 4` (New, In Progress, Resolved, Waiting
//! on Customer), problem type by `t % 3` (Virus, Hardware, Software), 25 to a page with only
//! `total_pages` in `meta`, so no total count. Statuses and priorities are named: their names
//! are their ids; Syncro has no boards.

use entity::enums::Role;
use serde_json::{json, Value};
use tests::fakes::faults::FaultPlan;
use tests::fakes::syncro::{Config, SyncroFake};
use tests::{dual_db, gql, sync, Session, TestApp};

use super::{ext_ids, CREATE, META, TICKET, TICKETS, UPDATE};

dual_db!(
    syncro_tickets_list_filter_and_page_across_provider_pages,
    syncro_tickets_are_read_created_and_updated,
);

async fn syncro_source(app: &TestApp, admin: &Session) -> (SyncroFake, String) {
    let fake = SyncroFake::start(Config::default()).await;
    let input = json!({"input": {"name": "Syncro", "provider": "SYNCRO", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let source = app.ok(admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = sync(app, admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    (fake, source)
}

async fn page(
    app: &TestApp,
    admin: &Session,
    source: &str,
    filter: Value,
    first: i64,
    after: Value,
) -> Value {
    let vars = json!({"s": source, "f": filter, "first": first, "after": after});
    app.ok(admin, TICKETS, vars).await["tickets"].clone()
}

async fn syncro_tickets_list_filter_and_page_across_provider_pages(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let (fake, source) = syncro_source(&app, &admin).await;

    let first = page(&app, &admin, &source, Value::Null, 10, Value::Null).await;
    assert!(
        first["totalCount"].is_null(),
        "Syncro does not say: {first}"
    );
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let top = &first["edges"][0]["node"];
    assert_eq!(top["externalId"], "30");
    assert_eq!(top["number"], "1030");
    assert_eq!(top["summary"], "Virus problem #30");
    assert_eq!(
        top["status"],
        json!({"externalId": "Resolved", "name": "Resolved"})
    );
    assert_eq!(top["type"], json!({"externalId": "Virus", "name": "Virus"}));
    assert!(top["board"].is_null());
    // Ticket 30 is for customer 6, a node of the source.
    assert_eq!(top["company"]["externalId"], "6");
    assert_eq!(top["company"]["type"], "Customer");

    // Pages of 10 over provider pages of 25: every ticket once, newest first.
    let mut seen = ext_ids(&first);
    let mut after = first["pageInfo"]["endCursor"].clone();
    while !after.is_null() {
        let next = page(&app, &admin, &source, Value::Null, 10, after).await;
        seen.extend(ext_ids(&next));
        after = if next["pageInfo"]["hasNextPage"] == true {
            next["pageInfo"]["endCursor"].clone()
        } else {
            Value::Null
        };
    }
    let expected: Vec<String> = (1..=30).rev().map(|t| t.to_string()).collect();
    assert_eq!(seen, expected);

    // One status goes to Syncro; several are matched here.
    let resolved = page(
        &app,
        &admin,
        &source,
        json!({"statusExternalIds": ["Resolved"]}),
        50,
        Value::Null,
    )
    .await;
    assert_eq!(
        ext_ids(&resolved),
        ["30", "26", "22", "18", "14", "10", "6", "2"]
    );
    assert!(fake
        .requests()
        .iter()
        .any(|r| r.uri.contains("status=Resolved")));
    let two = json!({"statusExternalIds": ["Resolved", "New"]});
    let both = page(&app, &admin, &source, two.clone(), 4, Value::Null).await;
    assert_eq!(ext_ids(&both), ["30", "28", "26", "24"]);
    let rest = page(
        &app,
        &admin,
        &source,
        two,
        50,
        both["pageInfo"]["endCursor"].clone(),
    )
    .await;
    assert_eq!(ext_ids(&rest).len(), 11);
    let of_customer = page(
        &app,
        &admin,
        &source,
        json!({"companyExternalId": "3"}),
        50,
        Value::Null,
    )
    .await;
    assert_eq!(ext_ids(&of_customer), ["27", "15", "3"]);
    let virus = page(
        &app,
        &admin,
        &source,
        json!({"search": "VIRUS"}),
        50,
        Value::Null,
    )
    .await;
    assert_eq!(ext_ids(&virus).len(), 10);
    let recent = json!({"updatedSince": "2026-02-02T04:30:00Z"});
    assert_eq!(
        ext_ids(&page(&app, &admin, &source, recent, 50, Value::Null).await),
        ["30", "29"]
    );
    // Boards are ignored: Syncro has none.
    let boards = page(
        &app,
        &admin,
        &source,
        json!({"boardExternalIds": ["1"]}),
        1,
        Value::Null,
    )
    .await;
    assert_eq!(ext_ids(&boards), ["30"]);

    // Syncro's rate limit answer, in its words.
    fake.faults.set(FaultPlan {
        rate_limited: 5,
        retry_after_seconds: 0,
        ..FaultPlan::default()
    });
    let (code, body) = app.err(&admin, TICKETS, json!({"s": source})).await;
    assert_eq!(code, "RATE_LIMITED");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("180 requests per minute"), "{message}");
}

async fn syncro_tickets_are_read_created_and_updated(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let (_fake, source) = syncro_source(&app, &admin).await;

    // Ticket reads draw on the Syncro request budget, like imports: one GET, one request.
    let q =
        "query($id: ID!) { source(id: $id) { health { rateLimit { limit remaining resetAt } } } }";
    let budget = |data: Value| data["source"]["health"]["rateLimit"].clone();
    let before = budget(app.ok(&admin, q, json!({"id": source})).await);
    assert_eq!(before["limit"], 180);
    let t3 = app.ok(&admin, TICKET, json!({"s": source, "e": "3"})).await["ticket"].clone();
    let after = budget(app.ok(&admin, q, json!({"id": source})).await);
    // (Unless the one-minute window turned over in between.)
    if after["resetAt"] == before["resetAt"] {
        let used = before["remaining"].as_i64().unwrap() - after["remaining"].as_i64().unwrap();
        assert_eq!(used, 1, "{before} {after}");
    }
    assert_eq!(t3["summary"], "Virus problem #3");
    assert_eq!(t3["status"]["name"], "Waiting on Customer");
    assert_eq!(t3["priority"]["name"], "1 High");
    assert_eq!(t3["company"]["externalId"], "3");
    assert_eq!(t3["companyName"], "Business 0003");
    assert_eq!(t3["contactName"], "Contact 6");
    assert!(app
        .ok(&admin, TICKET, json!({"s": source, "e": "99"}))
        .await["ticket"]
        .is_null());

    let meta = app.ok(&admin, META, json!({"s": source})).await["ticketMeta"].clone();
    assert_eq!(meta["boards"], json!([]));
    assert_eq!(meta["statuses"].as_array().unwrap().len(), 8);
    assert_eq!(
        meta["priorities"][0],
        json!({"externalId": "0 Urgent", "name": "0 Urgent"})
    );

    let input = json!({"summary": "Server will not boot", "companyExternalId": "3",
        "statusExternalId": "In Progress", "priorityExternalId": "0 Urgent", "description": "Since Monday"});
    let made = app
        .ok(&admin, CREATE, json!({"s": source, "i": input}))
        .await["createTicket"]
        .clone();
    assert_eq!(made["externalId"], "31");
    assert_eq!(made["number"], "1031");
    assert_eq!(made["status"]["name"], "In Progress");
    assert_eq!(made["priority"]["name"], "0 Urgent");
    assert_eq!(made["company"]["externalId"], "3");
    assert!(made["board"].is_null());

    let vars = json!({"s": source, "e": "31", "i": {"statusExternalId": "Resolved", "summary": "Boots again"}});
    let changed = app.ok(&admin, UPDATE, vars).await["updateTicket"].clone();
    assert_eq!(changed["summary"], "Boots again");
    assert_eq!(changed["status"]["name"], "Resolved");
    let listed = page(&app, &admin, &source, Value::Null, 1, Value::Null).await;
    assert_eq!(listed["edges"][0]["node"]["summary"], "Boots again");

    // What Syncro refuses (422) comes back in its words; nothing was created.
    let input = json!({"summary": "x", "companyExternalId": "77"});
    let (code, body) = app
        .err(&admin, CREATE, json!({"s": source, "i": input}))
        .await;
    assert_eq!(code, "UPSTREAM_ERROR");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("Customer must exist"), "{message}");
    let vars = json!({"s": source, "e": "32", "i": {"summary": "y"}});
    assert_eq!(app.err(&admin, UPDATE, vars).await.0, "NOT_FOUND");
}
